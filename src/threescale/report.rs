//! What a run prints when it ends: a summary for people (stdout), or one JSON document for machines; and
//! after a failure, which DCs were switched and the exact commands that switch them back (stderr).

use serde_json::json;

use super::context::{Ctx, DcAction, DcOutcome, SwitchStage, TagState};
use super::steps::{AMP_RELEASE, ENV_CONFIGMAP};
use crate::exit::Exit;
use crate::output::{emit, format_elapsed, Rendered};
use crate::process::Cmd;
use crate::runbook::{render_plan, Failure, RunOutcome};

fn indent(cmds: &[Cmd]) -> String {
    cmds.iter()
        .map(|c| format!("  {}\n", c.display()))
        .collect()
}

/// Shown before the first change; the question follows.
pub(crate) fn confirmation_text(ctx: &Ctx) -> String {
    let cfg = &ctx.cfg;
    let mut text = format!(
        "About to move the 3scale images in project {} from {} to {} (user {}, database {}):\n",
        cfg.target.namespace,
        ctx.upgrade.from,
        ctx.upgrade.to,
        ctx.user,
        ctx.db_text()
    );
    let adds: Vec<_> = ctx
        .plan
        .iter()
        .filter(|c| c.tag.state == TagState::Add)
        .collect();
    if !adds.is_empty() {
        text.push_str("  add image stream tags:\n");
        for c in adds {
            text.push_str(&format!("    {:<36} <- {}\n", c.new_tag(), c.tag.source));
        }
    }
    let mut switch = String::new();
    let mut wait = String::new();
    let mut done = Vec::new();
    for c in &ctx.plan {
        for d in &c.dcs {
            match d.action {
                DcAction::Switch => switch.push_str(&format!(
                    "    dc/{:<24} {} -> {}  ({})\n",
                    d.name,
                    c.old_istag(),
                    c.new_istag(),
                    d.containers.join(",")
                )),
                DcAction::AddNew | DcAction::DropOld => switch.push_str(&format!(
                    "    dc/{:<24} {} {}  ({}; left so by an earlier run)\n",
                    d.name,
                    d.action.verb(),
                    c.new_istag(),
                    d.containers.join(",")
                )),
                DcAction::Await => {
                    wait.push_str(&format!("    dc/{:<24} on {}\n", d.name, c.new_istag()))
                }
                DcAction::Done => done.push(d.name.clone()),
            }
        }
    }
    if !switch.is_empty() {
        text.push_str(&format!(
            "  switch ImageChange triggers, one DC at a time; each rolls out and is waited for (up to {} each):\n{switch}",
            humantime::format_duration(cfg.timeout)
        ));
    }
    if !wait.is_empty() {
        text.push_str(&format!(
            "  wait for the rollouts of DCs an earlier run switched:\n{wait}"
        ));
    }
    if !done.is_empty() {
        text.push_str(&format!("  already done: {}\n", done.join(", ")));
    }
    if !ctx.absent.is_empty() {
        text.push_str(&format!(
            "  not installed (no DeploymentConfig), skipped: {}\n",
            ctx.absent.join(", ")
        ));
    }
    text
}

/// The AMP_RELEASE command the guide runs before the images, when it is still needed.
fn amp_release_command(ctx: &Ctx) -> Option<Cmd> {
    (ctx.amp_release.as_deref() != Some(ctx.upgrade.amp_release)).then(|| {
        ctx.oc
            .patch_configmap_data(ENV_CONFIGMAP, AMP_RELEASE, ctx.upgrade.amp_release)
    })
}

fn to_json(ctx: &Ctx, outcome: &RunOutcome, status: &str) -> serde_json::Value {
    json!({
        "status": status,
        "namespace": ctx.cfg.target.namespace,
        "context": ctx.context_name,
        "user": ctx.user,
        "oc_version": ctx.oc_version,
        "from": ctx.upgrade.from,
        "to": ctx.upgrade.to,
        "database": ctx.db,
        "database_reason": ctx.db_reason,
        "amp_release": {
            "current": ctx.amp_release,
            "target": ctx.upgrade.amp_release,
            "command": amp_release_command(ctx).map(|c| c.display()),
        },
        "components": ctx.plan,
        "absent": ctx.absent,
        "tags_added": ctx.tags_added,
        "dcs": ctx.results,
        "switched": ctx.switched,
        "revert_commands": ctx.revert_commands().iter().map(Cmd::display).collect::<Vec<_>>(),
        "warnings": ctx.warnings,
        "steps": outcome.records,
    })
}

/// Prints the end of a run or plan; returns the exit code.
pub(crate) fn finish(ctx: &Ctx, outcome: &RunOutcome, preview: bool) -> Exit {
    let exit = outcome.exit();
    let status = outcome.status_word(preview);
    let error = outcome.failure.as_ref().map(|f| failure_text(ctx, f));
    if let Some(text) = &error {
        crate::output::stderr_line(text);
    }
    let text = if let Some(reason) = &outcome.finished_early {
        format!("{reason}\n")
    } else if preview && outcome.failure.is_none() {
        let mut text = render_plan(&outcome.records);
        if let Some(cmd) = amp_release_command(ctx) {
            text.push_str(&format!(
                "\nNot run by this tool: the guide sets {AMP_RELEASE} to {} before patching the images:\n  {}\n",
                ctx.upgrade.amp_release,
                cmd.display()
            ));
        }
        text
    } else if outcome.failure.is_none() {
        format!("{}\n{}", success_text(ctx, outcome), outcome.retries_text())
    } else {
        String::new()
    };
    let json = outcome.json_result(to_json(ctx, outcome, status), error.as_deref());
    if let Err(e) = emit(ctx.cfg.output, &Rendered { json, text }) {
        crate::output::stderr_line(&format!("error: {e:#}"));
    }
    exit
}

/// The system-oracle build, alone (build-oracle-image) or first: what it did, in its own words.
fn oracle_line(outcome: &RunOutcome) -> Option<String> {
    outcome
        .records
        .iter()
        .find(|r| r.title.starts_with("Building the system-oracle image"))
        .map(|r| format!("  system-oracle image: {}\n", r.summary))
}

fn success_text(ctx: &Ctx, outcome: &RunOutcome) -> String {
    let oracle = oracle_line(outcome);
    if ctx.cfg.build_only {
        return format!(
            "Oracle build in project {}:\n{}",
            ctx.cfg.target.namespace,
            oracle.unwrap_or_default()
        );
    }
    let mut text = format!(
        "3scale images in project {} moved from {} to {} (database {}):\n",
        ctx.cfg.target.namespace,
        ctx.upgrade.from,
        ctx.upgrade.to,
        ctx.db_text()
    );
    text.push_str(&oracle.unwrap_or_default());
    if !ctx.tags_added.is_empty() {
        text.push_str(&format!("  tags added: {}\n", join_tags(&ctx.tags_added)));
    }
    for r in &ctx.results {
        let what = match r.outcome {
            DcOutcome::RolledOut => format!(
                "rolled out revision {} in {}",
                r.revision_after,
                format_elapsed(std::time::Duration::from_secs_f64(r.seconds))
            ),
            DcOutcome::NoRolloutNeeded => "same image, no rollout due".into(),
            DcOutcome::Continued => format!(
                "switched earlier; rollout {} completed after {}",
                r.revision_after,
                format_elapsed(std::time::Duration::from_secs_f64(r.seconds))
            ),
            DcOutcome::AlreadyDone => "already done".into(),
        };
        text.push_str(&format!(
            "  dc/{:<24} {} -> {}  {what}\n",
            r.dc, r.from_trigger, r.to_trigger
        ));
        if r.image_before != r.image_after {
            text.push_str(&format!(
                "      image {} -> {}\n",
                r.image_before, r.image_after
            ));
        } else {
            text.push_str(&format!("      image {}\n", r.image_after));
        }
    }
    if !ctx.absent.is_empty() {
        text.push_str(&format!(
            "  not installed, skipped: {}\n",
            ctx.absent.join(", ")
        ));
    }
    if let Some(cmd) = amp_release_command(ctx) {
        text.push_str(&format!(
            "  {AMP_RELEASE} is {}, not {}; set it with: {}\n",
            ctx.amp_release.as_deref().unwrap_or("not set"),
            ctx.upgrade.amp_release,
            cmd.display()
        ));
    }
    text.push_str(&outcome.time_per_step(60));
    text.trim_end().to_string()
}

/// One line: how many DCs are on the new triggers, how many are not, and the command to run next.
fn where_things_stand(ctx: &Ctx) -> String {
    let on_new: Vec<&str> = ctx.switched.iter().map(|s| s.dc.as_str()).collect();
    let pending: Vec<&str> = ctx
        .plan
        .iter()
        .flat_map(|c| &c.dcs)
        .filter(|d| d.action.writes_trigger() && !on_new.contains(&d.name.as_str()))
        .map(|d| d.name.as_str())
        .collect();
    let unfinished = ctx.switched.iter().filter(|s| s.rollout_unfinished).count();
    format!(
        "Where things stand: {} DC(s) on the {} triggers{}, {} still on the {} ones{}; nothing was switched back. \
         Next: `{}` continues.",
        on_new.len(),
        ctx.upgrade.to,
        if unfinished > 0 { format!(" ({unfinished} with a rollout not finished)") } else { String::new() },
        pending.len(),
        ctx.upgrade.from,
        if pending.is_empty() { String::new() } else { format!(" ({})", pending.join(", ")) },
        ctx.cfg.rerun_command()
    )
}

fn failure_text(ctx: &Ctx, failure: &Failure) -> String {
    let text = failure_details(ctx, failure);
    if !failure.changed && ctx.switched.is_empty() {
        return text;
    }
    format!("{text}\n{}", where_things_stand(ctx))
}

fn failure_details(ctx: &Ctx, failure: &Failure) -> String {
    let mut text = format!("{}\n", failure.headline());
    if !failure.changed && ctx.switched.is_empty() {
        return crate::exit::with_nothing_changed(text);
    }
    let ours: Vec<_> = ctx.switched.iter().filter(|s| s.by_this_run).collect();
    if !ctx.tags_added.is_empty() {
        text.push_str(&format!(
            "Image stream tags added by this run: {}.",
            join_tags(&ctx.tags_added)
        ));
        if ours.is_empty() {
            text.push_str(&format!(
                " No DeploymentConfig was touched by this run. The tags are harmless and a re-run reuses them; \
                 to remove them instead:\n{}",
                indent(&ctx.untag_commands())
            ));
        } else {
            text.push('\n');
        }
    }
    if ctx.switched.is_empty() {
        return text.trim_end().to_string();
    }
    let describe: Vec<String> = ctx
        .switched
        .iter()
        .map(|s| {
            let mut d = format!("dc/{}", s.dc);
            let mut notes = vec![if s.by_this_run {
                "this run"
            } else {
                "an earlier run"
            }];
            if s.stage == SwitchStage::OldRemoved {
                notes.push("old trigger removed, new one NOT added: it has no image trigger now");
            }
            if s.rollout_unfinished {
                notes.push("rollout not finished");
            }
            d.push_str(&format!(" ({})", notes.join(", ")));
            d
        })
        .collect();
    text.push_str(&format!(
        "DeploymentConfigs moved to the {} triggers: {}.\n\
         A re-run of `{}` continues where this one stopped. To switch them back \
         instead, run these (each DC rolls out again with its {} image; system-app's pre-hook may already have \
         migrated the database, so check the guide before going back):\n{}",
        ctx.upgrade.to,
        describe.join(", "),
        ctx.cfg.rerun_command(),
        ctx.upgrade.from,
        indent(&ctx.revert_commands())
    ));
    text.trim_end().to_string()
}

fn join_tags(tags: &[crate::ops::openshift::IsTag]) -> String {
    tags.iter()
        .map(|t| t.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}
