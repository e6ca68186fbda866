//! What a run prints on stdout when it ends: a summary for people, or JSON for machines.

use serde_json::json;

use super::config::Config;
use super::context::Ctx;
use crate::exit::Exit;
use crate::ops::helm::{ReleaseRow, ReleaseStatus};
use crate::output::{emit, Rendered};
use crate::runbook::{render_plan, RunOutcome};

pub(crate) fn confirmation_text(ctx: &Ctx) -> String {
    let cfg = &ctx.cfg;
    let mut text = format!(
        "About to upgrade release {} in namespace {} (context {}):\n  chart {} {} (app {}) -> {} (app {})\n  values file {}\n",
        cfg.release,
        cfg.target.namespace,
        ctx.context_name,
        cfg.chart,
        ctx.installed_version,
        ctx.installed_app,
        ctx.target_version(),
        ctx.target_app(),
        cfg.values_display()
    );
    text.push_str(&procedure_text(ctx));
    text.push_str(&helm_text(ctx));
    text.push_str(&format!("  values drift: {}\n", ctx.drift.summary()));
    for line in ctx.drift.render(&cfg.values_display()).lines() {
        text.push_str(&format!("    {line}\n"));
    }
    text.push_str(&format!(
        "  will stop {} object(s) and put back these counts afterwards:\n",
        ctx.stop_set.len()
    ));
    for r in &ctx.stop_set {
        text.push_str(&format!(
            "    {} {} (replicas {})\n",
            r.kind, r.name, r.replicas
        ));
    }
    text
}

fn base_json(ctx: &Ctx, outcome: &RunOutcome, status: &str) -> serde_json::Value {
    json!({
        "status": status,
        "release": ctx.cfg.release,
        "namespace": ctx.cfg.target.namespace,
        "context": ctx.context_name,
        "tools": ctx.tool_versions,
        "from": {"chart": ctx.installed_version, "app": ctx.installed_app},
        "to": {"chart": ctx.target_chart.as_ref().map(|t| t.version.clone()), "app": ctx.target_chart.as_ref().map(|t| t.app_version.clone())},
        "drift": ctx.drift,
        "stop_set": ctx.stop_set,
        "restored": ctx.restored,
        "migrations": ctx.migrations,
        "dropped_values": ctx.dropped_values,
        "helm": {
            "version": ctx.helm_version.as_ref().map(|v| v.text.clone()),
            "major": ctx.helm_version.as_ref().map(|v| v.major),
            "apply_method": ctx.apply_method,
            "conflicts": ctx.conflicts,
        },
        "procedure": ctx.choice,
        "maintenance": ctx.maintenance.as_ref().map(|m| json!({
            "before": m.before,
            "jobs_at_start": m.jobs_at_start,
            "drained_jobs": ctx.drained_jobs,
            "via": m.api.base(),
        })),
        "helm_resets": ctx.helm_resets,
        "helm_resets_put_back": ctx.cfg.restore_helm_resets,
        "steps": outcome.records,
        "recovery": outcome.recovery_records,
    })
}

/// Prints the end of a run or plan; returns the exit code.
pub(crate) fn finish(
    cfg: &Config,
    ctx: &Ctx,
    outcome: &RunOutcome,
    preview: bool,
    release_after: Option<&ReleaseRow>,
) -> Exit {
    let exit = outcome.exit();
    let status = outcome.status_word(preview);
    let reporter_error = outcome
        .failure
        .as_ref()
        .map(|f| failure_text(cfg, ctx, f, release_after));
    if let Some(text) = &reporter_error {
        crate::output::stderr_line(text);
    }
    let text = if let Some(reason) = &outcome.finished_early {
        format!("{reason}\n")
    } else if preview && outcome.failure.is_none() {
        let mut text = render_plan(&outcome.records);
        text.push('\n');
        text.push_str(&ctx.drift.render(&cfg.values_display()));
        if ctx.release.is_some() {
            text.push_str(&super::steps::values_guard::render(ctx));
        }
        text.push_str(&helm_resets_text(ctx));
        text.push_str(procedure_text(ctx).trim_start());
        text.push_str(helm_text(ctx).trim_start());
        text
    } else if outcome.failure.is_none() {
        format!("{}\n{}", success_text(ctx, outcome), outcome.retries_text())
    } else {
        String::new()
    };
    let json = outcome.json_result(base_json(ctx, outcome, status), reporter_error.as_deref());
    if let Err(e) = emit(cfg.output, &Rendered { json, text }) {
        crate::output::stderr_line(&format!("error: {e:#}"));
    }
    exit
}

/// Which of the vendor's procedures the run follows and why, what an override risks, and maintenance mode.
fn procedure_text(ctx: &Ctx) -> String {
    let Some(choice) = &ctx.choice else {
        return String::new();
    };
    let mut text = String::new();
    for note in &choice.notes {
        text.push_str(&format!("  {note}\n"));
    }
    if let Some(risk) = &choice.risk {
        text.push_str(&format!("  risk: {risk}\n"));
    }
    if let Some(m) = &ctx.maintenance {
        text.push_str(&format!(
            "  maintenance mode (via {}): before the run {}; {} job(s) running at the start{}\n",
            m.api.base(),
            m.before.describe(),
            m.jobs_at_start,
            ctx.drained_jobs
                .map(|n| format!(", {n} let finish before the stop"))
                .unwrap_or_default()
        ));
    }
    text
}

/// Which helm, how it applies the release and, on a server-side release, what the upgrade does about
/// fields other managers own (the summary, the plan and the report).
fn helm_text(ctx: &Ctx) -> String {
    let Some(helm) = super::steps::describe_helm(ctx) else {
        return String::new();
    };
    let mut text = format!(
        "  {helm}
"
    );
    if let Some(decision) = &ctx.conflicts {
        let flag = if decision.force_conflicts {
            "helm upgrade --force-conflicts"
        } else {
            "no --force-conflicts needed"
        };
        text.push_str(&format!(
            "    {flag}: {}
",
            decision.reason
        ));
        for line in decision
            .taken_over
            .iter()
            .map(super::field_conflicts::FieldConflict::line)
        {
            text.push_str(&format!(
                "    takes over: {line}
"
            ));
        }
        if !decision.replicas_from_the_stop.is_empty() {
            text.push_str(&format!(
                "    and .spec.replicas of the {} object(s) the stop scales (kubectl's after the stop)\n",
                decision.replicas_from_the_stop.len()
            ));
        }
    }
    text
}

/// The plan's section on helm's three-way merge.
fn helm_resets_text(ctx: &Ctx) -> String {
    if ctx.helm_resets.is_empty() {
        return "helm's three-way merge changes no count outside the stop set.\n".into();
    }
    let mut text = format!(
        "helm's three-way merge will reset these to the chart's count ({}):\n",
        if ctx.cfg.restore_helm_resets {
            "--restore-helm-resets puts them back afterwards"
        } else {
            "pass --restore-helm-resets to put them back afterwards"
        }
    );
    for r in &ctx.helm_resets {
        text.push_str(&format!(
            "  {} {}: {} -> {}\n",
            r.kind, r.name, r.live, r.chart
        ));
    }
    text
}

fn success_text(ctx: &Ctx, outcome: &RunOutcome) -> String {
    let mut text = format!(
        "Upgraded {} in namespace {} (context {}):\n  chart {} -> {}\n  app   {} -> {}\n",
        ctx.cfg.release,
        ctx.cfg.target.namespace,
        ctx.context_name,
        ctx.installed_version,
        ctx.target_version(),
        ctx.installed_app,
        ctx.target_app()
    );
    text.push_str(&procedure_text(ctx));
    text.push_str(&helm_text(ctx));
    text.push_str(&format!("  put back ({}):", ctx.restored.len()));
    for r in &ctx.restored {
        text.push_str(&format!(" {}={}", r.name, r.replicas));
    }
    text.push('\n');
    if !ctx.helm_resets.is_empty() && !ctx.cfg.restore_helm_resets {
        text.push_str(&format!(
            "  reset by helm to the chart's count (not put back): {}; --restore-helm-resets keeps such counts\n",
            super::helm_resets::describe(&ctx.helm_resets)
        ));
    }
    if !ctx.migrations.is_empty() {
        text.push_str(&format!("  migrations: {}\n", ctx.migrations.join(", ")));
    }
    text.push_str(&outcome.time_per_step(55));
    text.trim_end().to_string()
}

/// One line: where the release and the recorded counts ended up, and the one command to run next.
fn where_things_stand(
    cfg: &Config,
    ctx: &Ctx,
    failure: &crate::runbook::Failure,
    release: Option<&ReleaseRow>,
) -> String {
    let ns = &cfg.target.namespace;
    let counts_back = failure.recovery_error.is_none() && ctx.skipped.is_empty();
    let counts = if counts_back {
        "every recorded replica count is back".to_string()
    } else {
        format!(
            "recorded replica counts are NOT all back (journal kept: `{}`)",
            cfg.restore_command()
        )
    };
    let Some(rel) = release else {
        return format!(
            "Where things stand: release {} could not be read; {counts}.",
            cfg.release
        );
    };
    let target_chart = format!("{}-{}", cfg.chart_name(), ctx.target_version());
    let previous = rel
        .revision
        .parse::<u32>()
        .ok()
        .filter(|r| *r > 1)
        .map(|r| r - 1);
    let next = match rel.status {
        s if s.is_pending() => format!(
            "helm is still working on it: wait, then check with `kubectl exastro-upgrade status -n {ns}`"
        ),
        ReleaseStatus::Failed => format!(
            "inspect `helm history {} -n {ns}`, then roll back with `helm rollback {} {}-n {ns}` or fix the cause and run the upgrade again",
            rel.name,
            rel.name,
            previous.map(|r| format!("{r} ")).unwrap_or_default()
        ),
        ReleaseStatus::Deployed if rel.chart == target_chart => format!(
            "the chart upgrade itself completed; check the workloads with `kubectl exastro-upgrade status -n {ns}`"
        ),
        _ if !counts_back => format!("put the counts back with `{}`", cfg.restore_command()),
        _ => "the release is as it was: run the upgrade again when ready".to_string(),
    };
    format!(
        "Where things stand: release {} is {} at revision {} (chart {}); {counts}. Next: {next}.",
        rel.name, rel.status, rel.revision, rel.chart
    )
}

fn failure_text(
    cfg: &Config,
    ctx: &Ctx,
    failure: &crate::runbook::Failure,
    release: Option<&ReleaseRow>,
) -> String {
    let text = format!("{}\n", failure.headline());
    if !failure.changed {
        return crate::exit::with_nothing_changed(text);
    }
    let stand = where_things_stand(cfg, ctx, failure, release);
    let text = failure_details(cfg, ctx, failure, text);
    format!("{text}\n{stand}")
}

fn failure_details(
    cfg: &Config,
    ctx: &Ctx,
    failure: &crate::runbook::Failure,
    mut text: String,
) -> String {
    match &failure.recovery_error {
        None if ctx.skipped.is_empty() => {
            text.push_str("Every recorded replica count was put back:");
            for r in &ctx.restored {
                text.push_str(&format!(" {}={}", r.name, r.replicas));
            }
        }
        None => {}
        Some(err) => {
            text.push_str(&format!(
                "\n{}\nThe recorded replica counts could NOT all be put back. The journal is kept in ConfigMap {} of namespace {}. Put them back with:\n  {}\nor by hand:\n",
                crate::exit::render_error(err),
                super::journal::JOURNAL_NAME,
                cfg.target.namespace,
                cfg.restore_command()
            ));
            for cmd in
                super::put_back::put_back_commands(&ctx.kubectl, &ctx.stop_set, &ctx.cronjobs)
            {
                text.push_str(&format!("  {}\n", cmd.display()));
            }
        }
    }
    text.trim_end().to_string()
}
