//! Steps 3..: one step per component, in the table's order; DC by DC inside it. For each DC: record
//! `status.latestVersion`, remove the old ImageChange trigger and read the DC back (oc exits 0 when nothing
//! matched), add the new trigger with the exact container list, then wait until `latestVersion` increased
//! and that rollout completed with the old pods gone — or, when the new tag resolves to the image the
//! containers already run, establish that no rollout is due. `oc rollout status` is never trusted right
//! after a trigger change: it would report the previous rollout.

use std::time::{Duration, Instant};

use crate::ops::k8s::{List, Pod};
use crate::ops::oc::{DeploymentConfig, ReplicationController, Rollout};
use crate::ops::oc_triggers::{raw_triggers, TriggerWrite};
use crate::output::format_elapsed;
use crate::process::{Cmd, Effect, Runner};
use crate::runbook::{Flow, Step};
use crate::signals;
use crate::threescale::context::{
    ComponentPlan, Ctx, DcAction, DcOutcome, DcPlan, DcResult, SwitchStage, Switched,
};
use crate::wait::{poll, Poll};

pub struct SwitchComponent {
    pub stream: &'static str,
}

fn read_dc(ctx: &Ctx, runner: &Runner, name: &str) -> anyhow::Result<DeploymentConfig> {
    runner.json(&ctx.oc.get_dc(name))
}

fn read_rc(
    ctx: &Ctx,
    runner: &Runner,
    name: &str,
) -> anyhow::Result<Option<ReplicationController>> {
    let cmd = ctx.oc.get_rc_optional(name);
    let out = runner.run(&cmd)?;
    if out.stdout.trim().is_empty() {
        return Ok(None);
    }
    crate::process::parse_json(&cmd, &out.stdout).map(Some)
}

/// The DC must now have exactly one ImageChange trigger: on the new tag, covering the containers.
fn check_new_trigger(
    dc: &DeploymentConfig,
    new_istag: &str,
    containers: &[String],
) -> anyhow::Result<()> {
    let triggers = dc.image_triggers();
    let ok = matches!(triggers.as_slice(), [t] if t.from.name == new_istag
        && containers.iter().all(|c| t.container_names.contains(c)));
    if ok {
        return Ok(());
    }
    anyhow::bail!(
        "after the trigger change, dc/{} should have exactly one ImageChange trigger, on {new_istag} covering {}; it has: {}",
        dc.name(),
        containers.join(","),
        describe_triggers(dc)
    )
}

fn describe_triggers(dc: &DeploymentConfig) -> String {
    let triggers = dc.image_triggers();
    if triggers.is_empty() {
        return "none".into();
    }
    triggers
        .iter()
        .map(|t| format!("{} ({})", t.from.name, t.container_names.join(",")))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What the deployer and hook pods of a stuck or failed rollout say.
fn rollout_diagnostics(ctx: &Ctx, runner: &Runner, rc_name: &str) -> String {
    let selector = format!("openshift.io/deployer-pod-for.name={rc_name}");
    let Ok(pods) = runner.json::<List<Pod>>(&ctx.oc.pods_labelled(&selector)) else {
        return String::new();
    };
    let mut text = String::new();
    for pod in &pods.items {
        let state = pod.problem().unwrap_or_else(|| pod.status.phase.clone());
        text.push_str(&format!("\n  pod/{} {state}", pod.name()));
        if pod.name().contains("-hook-") {
            if let Ok(out) = runner.run(&ctx.oc.logs_tail(pod.name(), 10)) {
                for line in out.stdout.trim_end().lines() {
                    text.push_str(&format!("\n    | {line}"));
                }
            }
            text.push_str(
                "\n    (a lifecycle hook with failurePolicy Retry is retried until it succeeds: system-app's pre-hook runs the database migrations)",
            );
        }
    }
    if text.is_empty() {
        text
    } else {
        format!("pods of rollout {rc_name}:{text}")
    }
}

/// Waits until the DC's latest rollout completed. `after_version`: the rollout must be newer than this
/// one. `want_image`: the containers must run this image first (the trigger fired).
fn wait_rollout(
    ctx: &Ctx,
    runner: &Runner,
    name: &str,
    containers: &[String],
    new_istag: &str,
    after_version: Option<i64>,
    want_image: Option<&str>,
) -> anyhow::Result<DeploymentConfig> {
    let mut checked = false;
    let mut started_rc: Option<String> = None;
    let result = poll(
        runner.reporter(),
        &format!("dc/{name} to roll out"),
        ctx.cfg.timeout,
        // 1 s, not the 2 s of the other waits: this one runs once per DC, one DC after another, so the time
        // between the rollout completing and the next poll adds up (fixtures/bench.sh, docs/performance.md).
        Duration::from_secs(1),
        true,
        || {
            let dc = read_dc(ctx, runner, name)?;
            if !checked {
                check_new_trigger(&dc, new_istag, containers)?;
                checked = true;
            }
            let latest = dc.status.latest_version;
            if let Some(v) = after_version {
                if latest <= v {
                    return Ok(Poll::Pending(format!(
                        "dc/{name} has not started a new rollout yet (latestVersion still {latest})"
                    )));
                }
            }
            if let Some(image) = want_image {
                if !dc.runs_image(containers, image) {
                    return Ok(Poll::Pending(format!(
                        "dc/{name}: the image change trigger has not fired yet (containers not on {image})"
                    )));
                }
            }
            let rc_name = dc.latest_rc_name();
            started_rc = Some(rc_name.clone());
            let rc = read_rc(ctx, runner, &rc_name)?;
            match dc.rollout(rc.as_ref()) {
                Rollout::Complete => Ok(Poll::Ready(dc)),
                Rollout::Failed(why) => anyhow::bail!(
                    "dc/{name}: {why}. Inspect it with `oc describe dc/{name} -n {ns}` and `oc logs dc/{name} -n {ns}`; \
                     retry it with `oc rollout retry dc/{name} -n {ns}` or switch it back (below)",
                    ns = ctx.cfg.target.namespace
                ),
                Rollout::Progressing(what) => Ok(Poll::Pending(format!("dc/{name}: {what}"))),
            }
        },
    );
    result.map_err(|err| match &started_rc {
        Some(rc) if !signals::interrupted() => {
            let diagnostics = rollout_diagnostics(ctx, runner, rc);
            if diagnostics.is_empty() {
                err
            } else {
                anyhow::anyhow!("{err:#}\n{diagnostics}")
            }
        }
        _ => err,
    })
}

fn result(
    component: &ComponentPlan,
    plan: &DcPlan,
    outcome: DcOutcome,
    image_before: String,
    revision_before: i64,
    after: Option<&DeploymentConfig>,
    started: Instant,
) -> DcResult {
    let from_trigger = match outcome {
        DcOutcome::RolledOut | DcOutcome::NoRolloutNeeded => component.old_istag(),
        DcOutcome::Continued | DcOutcome::AlreadyDone => component.new_istag(),
    };
    DcResult {
        component: component.stream.clone(),
        dc: plan.name.clone(),
        from_trigger,
        to_trigger: component.new_istag(),
        image_after: after
            .map(|d| d.images_of(&plan.containers))
            .unwrap_or_else(|| image_before.clone()),
        image_before,
        revision_before,
        revision_after: after
            .map(|d| d.status.latest_version)
            .unwrap_or(revision_before),
        outcome,
        seconds: match outcome {
            DcOutcome::AlreadyDone => 0.0,
            _ => (started.elapsed().as_secs_f64() * 1000.0).round() / 1000.0,
        },
    }
}

/// What a DC needs, judged from its ImageChange triggers now (the preflight's plan may be stale: another
/// run or a person may have moved it since). `None`: a state this tool does not repair.
fn replan(froms: &[&str], old: &str, new: &str) -> Option<DcAction> {
    let mut sorted = froms.to_vec();
    sorted.sort_unstable();
    let mut both = [old, new];
    both.sort_unstable();
    match froms {
        [] => Some(DcAction::AddNew),
        [f] if *f == new => Some(DcAction::Await),
        [f] if *f == old => Some(DcAction::Switch),
        [_, _] if sorted == both => Some(DcAction::DropOld),
        _ => None,
    }
}

/// One DC, as the preflight planned it.
fn process(
    ctx: &mut Ctx,
    runner: &Runner,
    component: &ComponentPlan,
    plan: &DcPlan,
) -> anyhow::Result<DcResult> {
    let started = Instant::now();
    let name = plan.name.as_str();
    let (old, new) = (component.old_istag(), component.new_istag());
    let mut action = plan.action;
    let mut current = None;
    if action.writes_trigger() {
        // Fresh: the DCs before this one took time, and latestVersion must be recorded right before.
        let dc = read_dc(ctx, runner, name)?;
        let froms: Vec<&str> = dc
            .image_triggers()
            .iter()
            .map(|t| t.from.name.as_str())
            .collect();
        action = replan(&froms, &old, &new).ok_or_else(|| {
            anyhow::anyhow!(
                "dc/{name}'s ImageChange triggers changed since the preflight: now {}; expected {old} (to switch) \
                 or {new} (switched)",
                describe_triggers(&dc)
            )
        })?;
        if action == DcAction::Await {
            ctx.note_switched(Switched {
                dc: name.to_string(),
                old_istag: old.clone(),
                new_istag: new.clone(),
                containers: plan.containers.clone(),
                stage: SwitchStage::NewAdded,
                by_this_run: false,
                rollout_unfinished: true,
                trigger_index: crate::ops::oc_triggers::trigger_index(&dc, &new),
            });
        }
        current = Some(dc);
    }
    match action {
        DcAction::Done => Ok(result(
            component,
            plan,
            DcOutcome::AlreadyDone,
            plan.image.clone(),
            plan.latest_version,
            None,
            started,
        )),
        DcAction::Await => await_rollout(ctx, runner, component, plan, started),
        _ => {
            let dc = current.expect("read above");
            write_new_trigger(ctx, runner, component, plan, action, dc, started)
        }
    }
}

/// Waits for the latest rollout of a DC that is already on the new trigger.
fn await_rollout(
    ctx: &mut Ctx,
    runner: &Runner,
    component: &ComponentPlan,
    plan: &DcPlan,
    started: Instant,
) -> anyhow::Result<DcResult> {
    let (name, new) = (plan.name.as_str(), component.new_istag());
    let want_image = ctx.resolved.get(&new).cloned();
    runner
        .reporter()
        .step_progress(&format!("dc/{name} is on {new}: waiting for its rollout"));
    let done = wait_rollout(
        ctx,
        runner,
        name,
        &plan.containers,
        &new,
        None,
        want_image.as_deref(),
    )?;
    ctx.set_rollout_unfinished(name, false);
    Ok(result(
        component,
        plan,
        DcOutcome::Continued,
        plan.image.clone(),
        plan.latest_version,
        Some(&done),
        started,
    ))
}

/// The one guarded write that puts the DC on the new trigger: a switch of the old one, or (repairing a
/// state an earlier run left) an add of the missing one or a drop of the leftover old one. The plan builds
/// it from the triggers the preflight read, the run from the ones it reads right before writing: the same
/// command when nothing changed in between.
fn trigger_write(
    oc: &crate::ops::oc::Oc,
    name: &str,
    triggers: &serde_json::Value,
    action: DcAction,
    component: &ComponentPlan,
    containers: &[String],
) -> Option<Cmd> {
    let write = match action {
        DcAction::Switch => TriggerWrite::Switch,
        DcAction::AddNew => TriggerWrite::AddNew,
        DcAction::DropOld => TriggerWrite::DropOld,
        DcAction::Await | DcAction::Done => return None,
    };
    let (old, new) = (component.old_istag(), component.new_istag());
    oc.trigger_write(name, triggers, write, &old, &new, containers)
}

fn write_new_trigger(
    ctx: &mut Ctx,
    runner: &Runner,
    component: &ComponentPlan,
    plan: &DcPlan,
    action: DcAction,
    dc: DeploymentConfig,
    started: Instant,
) -> anyhow::Result<DcResult> {
    let name = plan.name.as_str();
    let containers = &plan.containers;
    let (old, new) = (component.old_istag(), component.new_istag());
    let want_image = ctx.resolved.get(&new).cloned();
    let reporter = runner.reporter().clone();
    let before = dc.status.latest_version;
    let image_before = dc.images_of(containers);
    let write = trigger_write(
        &ctx.oc,
        name,
        &raw_triggers(&dc),
        action,
        component,
        containers,
    )
    .ok_or_else(|| {
        anyhow::anyhow!(
            "dc/{name} has no ImageChange trigger on {old}: {}",
            describe_triggers(&dc)
        )
    })?;
    reporter.step_progress(&format!("dc/{name}: {} {new}", action.verb()));
    runner.run(&write).map_err(|e| {
        if e.stderr.contains("test failed") || e.stderr.contains("testing value") {
            anyhow::anyhow!(
                "dc/{name} changed while this run was switching it: its trigger was no longer what the run \
                 read, so the guarded write changed nothing. Run this again: it continues from the DC's \
                 state now.\n--- stderr\n{}",
                e.stderr_trimmed()
            )
        } else {
            e.into()
        }
    })?;
    let now = read_dc(ctx, runner, name)?;
    ctx.note_switched(Switched {
        dc: name.to_string(),
        old_istag: old.clone(),
        new_istag: new.clone(),
        containers: containers.clone(),
        stage: SwitchStage::NewAdded,
        by_this_run: true,
        rollout_unfinished: true,
        trigger_index: crate::ops::oc_triggers::trigger_index(&now, &new),
    });
    ctx.update_restore_hint();
    check_new_trigger(&now, &new, containers)?;
    let same_image = want_image
        .as_deref()
        .is_some_and(|img| dc.runs_image(containers, img));
    if same_image && now.status.latest_version == before {
        ctx.set_rollout_unfinished(name, false);
        reporter.info(&format!(
            "dc/{name}: {old} -> {new}; {new} resolves to the image it already runs, so no rollout is due"
        ));
        return Ok(result(
            component,
            plan,
            DcOutcome::NoRolloutNeeded,
            image_before,
            before,
            Some(&now),
            started,
        ));
    }
    // A dropped leftover trigger starts no rollout of its own: the new trigger's is the one to wait for.
    let since = (action != DcAction::DropOld).then_some(before);
    reporter.step_progress(&format!(
        "dc/{name}: waiting for its rollout on {new} to complete"
    ));
    let done = wait_rollout(ctx, runner, name, containers, &new, since, None)?;
    ctx.set_rollout_unfinished(name, false);
    if let Some(img) = &want_image {
        if !done.runs_image(containers, img) {
            reporter.warn(&format!(
                "dc/{name} rolled out, but its containers run {} rather than {img} ({new})",
                done.images_of(containers)
            ));
        }
    }
    Ok(result(
        component,
        plan,
        DcOutcome::RolledOut,
        image_before,
        before,
        Some(&done),
        started,
    ))
}

impl Step<Ctx> for SwitchComponent {
    fn title(&self, ctx: &Ctx) -> String {
        let stream = self.stream;
        let Some(c) = ctx.component(stream) else {
            if ctx.absent.iter().any(|a| a == stream) {
                return format!("{stream}: no DeploymentConfig in the project, skipped");
            }
            return format!("{stream}: switching triggers");
        };
        let count = |a: DcAction| c.dcs.iter().filter(|d| d.action == a).count();
        let (switch, wait, done) = (
            count(DcAction::Switch) + count(DcAction::AddNew) + count(DcAction::DropOld),
            count(DcAction::Await),
            count(DcAction::Done),
        );
        let mut parts = Vec::new();
        if switch > 0 {
            parts.push(format!("switching {switch} DC(s) to {}", c.new_istag()));
        }
        if wait > 0 {
            parts.push(format!(
                "waiting for {wait} DC(s) already on {}",
                c.new_istag()
            ));
        }
        if parts.is_empty() {
            parts.push(format!("{done} DC(s) already on {}", c.new_istag()));
        }
        format!("{stream}: {}", parts.join(", "))
    }

    fn effect(&self) -> Effect {
        Effect::Mutate
    }

    fn preview(&self, ctx: &Ctx) -> Vec<Cmd> {
        let Some(c) = ctx.component(self.stream) else {
            return Vec::new();
        };
        let oc = &ctx.oc;
        let (old, new) = (c.old_istag(), c.new_istag());
        let want = ctx.resolved.get(&new);
        let mut cmds = Vec::new();
        for d in &c.dcs {
            let n = d.latest_version;
            let name = d.name.as_str();
            match d.action {
                DcAction::Done => {}
                DcAction::Await => cmds.push(oc.get_dc(name).note(format!(
                    "already on {new}: repeated until its latest rollout completed on the new image (bounded by --timeout)"
                ))),
                DcAction::AddNew | DcAction::DropOld => {
                    cmds.push(oc.get_dc(name).note(format!(
                        "records status.latestVersion (now {n}); an earlier run left it {}",
                        if d.action == DcAction::AddNew { "with no ImageChange trigger" } else { "with both triggers" }
                    )));
                    cmds.extend(trigger_write(oc, name, &d.triggers, d.action, c, &d.containers).map(|w| w.note(
                        "one guarded write: fails, changing nothing, if the triggers are no longer as read",
                    )));
                    cmds.push(oc.get_dc(name).note(format!(
                        "repeated until its rollout on {new} completed (bounded by --timeout)"
                    )));
                }
                DcAction::Switch => {
                    cmds.push(oc.get_dc(name).note(format!(
                        "records status.latestVersion (now {n}), the trigger's place in spec.triggers, and checks it is still on {old}"
                    )));
                    cmds.extend(trigger_write(oc, name, &d.triggers, d.action, c, &d.containers).map(|w| w.note(
                        "one guarded write: the test fails, changing nothing, if the trigger is no longer on the old tag",
                    )));
                    match want {
                        Some(img) if *img == d.image => cmds.push(oc.get_dc(name).note(format!(
                            "{new} resolves to the image it already runs ({img}): checks that no rollout is due"
                        ))),
                        None if c.same_source => cmds.push(oc.get_dc(name).note(format!(
                            "{new} imports the same source as {old}: if it resolves to the image dc/{name} already runs, \
                             no rollout is due (checked); otherwise repeated until status.latestVersion > {n} and that rollout completed"
                        ))),
                        _ => {
                            cmds.push(oc.get_dc(name).note(format!(
                                "repeated until status.latestVersion > {n} (bounded by --timeout)"
                            )));
                            cmds.push(oc.get_rc_optional(&format!("{name}-{}", n + 1)).note(
                                "repeated with the DC until that rollout is Complete and the old pods are gone",
                            ));
                        }
                    }
                }
            }
        }
        cmds
    }

    fn run(&self, ctx: &mut Ctx, runner: &Runner) -> anyhow::Result<Flow> {
        let Some(component) = ctx.component(self.stream).cloned() else {
            return Ok(Flow::Continue(
                if ctx.absent.iter().any(|a| a == self.stream) {
                    "not installed (external)".into()
                } else {
                    "not selected".into()
                },
            ));
        };
        let mut lines = Vec::new();
        for plan in &component.dcs {
            if signals::interrupted() {
                return Err(ctx.mid_change(anyhow::anyhow!("interrupted before dc/{}", plan.name)));
            }
            let res = process(ctx, runner, &component, plan).map_err(|e| ctx.mid_change(e))?;
            let line = match res.outcome {
                DcOutcome::RolledOut => format!(
                    "{} rolled out revision {} in {}",
                    res.dc,
                    res.revision_after,
                    format_elapsed(Duration::from_secs_f64(res.seconds))
                ),
                DcOutcome::NoRolloutNeeded => {
                    format!("{} switched, same image: no rollout", res.dc)
                }
                DcOutcome::Continued => format!(
                    "{} (switched earlier) rolled out revision {} after {}",
                    res.dc,
                    res.revision_after,
                    format_elapsed(Duration::from_secs_f64(res.seconds))
                ),
                DcOutcome::AlreadyDone => format!("{} already done", res.dc),
            };
            if res.outcome == DcOutcome::RolledOut || res.outcome == DcOutcome::Continued {
                runner.reporter().info(&format!(
                    "dc/{}: {} -> {}, {line}",
                    res.dc, res.from_trigger, res.to_trigger
                ));
            }
            lines.push(line);
            ctx.results.push(res);
        }
        Ok(Flow::Continue(lines.join("; ")))
    }
}
