//! The preflight's checks, each turning what a call found into problems (one line each, what to fix).

use super::Ran;
use crate::exastro::advice::{Holder, WayOut};
use crate::exastro::chart::{ITA_KEY_PATH, ITA_SECRET, PF_KEY_PATH, PF_SECRET};
use crate::exastro::context::Ctx;
use crate::exastro::journal;
use crate::ops::helm::{Helm, HistoryRow, ReleaseRow, ReleaseStatus, SearchHit};
use crate::process::{FailureKind, Output, ProcessError, Runner};
use crate::runbook::Flow;
use crate::semver;
use crate::values;

/// Checks that need no cluster: the chart reference and the values file. Also says whether the values
/// file could be read (the values guard needs it).
pub(super) fn local_problems(ctx: &mut Ctx) -> (Vec<String>, bool) {
    let mut problems = Vec::new();
    let cfg = &ctx.cfg;
    if !cfg.chart.contains('/') || cfg.chart.starts_with("oci://") {
        problems.push(format!(
            "--chart {} must be REPO/CHART from a helm repository (e.g. exastro/exastro)",
            cfg.chart
        ));
    }
    let values_loaded = match values::load_values_file(&cfg.values_file) {
        Ok(map) => {
            ctx.user_values = map;
            true
        }
        Err(e) => {
            problems.push(e.to_string());
            false
        }
    };
    for path in values::reinstall_paths(&ctx.user_values) {
        problems.push(format!(
            "{path} is true in {}: the chart's init containers would delete that data on start. Set it to false before upgrading",
            ctx.cfg.values_display()
        ));
    }
    (problems, values_loaded)
}

/// The ENCRYPT_KEY guard: a missing secret whose key the values do not set would make the chart generate
/// a new key, and the encrypted data unreadable.
pub(super) fn secret_problems(ctx: &Ctx, secrets: &Ran) -> Vec<String> {
    let out = match secrets {
        Ok(out) => out,
        Err(e) => return vec![e.summary()],
    };
    [(ITA_SECRET, ITA_KEY_PATH), (PF_SECRET, PF_KEY_PATH)]
        .into_iter()
        .filter(|(secret, path)| {
            let exists = out
                .stdout
                .lines()
                .any(|l| l.trim() == format!("secret/{secret}"));
            !exists && !values::is_set(&ctx.user_values, path)
        })
        .map(|(secret, path)| {
            format!(
                "ENCRYPT_KEY guard: secret {secret} does not exist and {} does not set {path}: \
                 the chart would generate a NEW key and the encrypted data would become unreadable. \
                 Put the ENCRYPT_KEY from your backup into {path}",
                ctx.cfg.values_display()
            )
        })
        .collect()
}

/// An unfinished run (its journal ConfigMap exists): live (wait) or dead (restore first), and who holds
/// the namespace (what later advice may offer).
pub(super) fn unfinished_problems(
    ctx: &Ctx,
    runner: &Runner,
    unfinished: &Ran,
) -> (Vec<String>, Holder) {
    let cfg = &ctx.cfg;
    let out = match unfinished {
        Ok(out) => out,
        Err(e) => return (vec![e.summary()], Holder::Free),
    };
    match journal::parse_with_lease(&out.stdout) {
        Ok(Some((j, lease))) => match journal::unfinished_problem(runner, &ctx.kubectl, cfg, &j, lease) {
            Ok((problem, holder)) => (vec![problem], holder),
            Err(e) => (vec![format!("{e:#}")], Holder::LiveRun),
        },
        Ok(None) => (Vec::new(), Holder::Free),
        // unreadable: nobody can tell whether a run is alive; advise nothing that could race with one
        Err(e) => (
            vec![format!(
                "ConfigMap {} exists but is unreadable ({e:#}); inspect it with `kubectl get configmap {} -n {} -o yaml`",
                journal::JOURNAL_NAME,
                journal::JOURNAL_NAME,
                cfg.target.namespace
            )],
            Holder::LiveRun,
        ),
    }
}

/// The release exists, is deployed, runs the chart asked for, and the values file keeps its settings.
pub(super) fn release_problems(
    ctx: &mut Ctx,
    runner: &Runner,
    release: &Ran,
    values_loaded: bool,
    holder: Holder,
) -> Vec<String> {
    let cfg = ctx.cfg.clone();
    let rows = match crate::process::parsed::<Vec<ReleaseRow>>(
        &ctx.helm.list_release(&cfg.release),
        release,
    ) {
        Ok(rows) => rows,
        Err(problem) => return vec![problem],
    };
    let Some(row) = rows.into_iter().find(|r| r.name == cfg.release) else {
        return vec![format!(
            "helm release {:?} not found in namespace {:?}: check --release and -n (`helm list -A` lists every release)",
            cfg.release, cfg.target.namespace
        )];
    };
    let mut problems = Vec::new();
    if row.status != ReleaseStatus::Deployed {
        problems.push(release_status_problem(runner, ctx, &row, holder));
    }
    match row.chart.strip_prefix(&format!("{}-", cfg.chart_name())) {
        Some(v) => ctx.installed_version = v.to_string(),
        None => problems.push(format!(
            "release {:?} runs chart {}, not {}: check --chart",
            cfg.release, row.chart, cfg.chart
        )),
    }
    ctx.installed_app = row.app_version.clone();
    ctx.release = Some(row);
    if values_loaded {
        problems.extend(crate::exastro::steps::values_guard::check(ctx, runner));
    }
    problems
}

/// The newest chart version that matches --version, from the refreshed repository index.
pub(super) fn target_problems(ctx: &mut Ctx, search: &Ran) -> Vec<String> {
    let cfg = &ctx.cfg;
    let out = match search {
        Ok(out) => out,
        Err(e) if e.command.contains("repo update") && matches!(e.kind, FailureKind::Exit(_)) => {
            return vec![format!(
                "{}\n    add the repository first, e.g. `helm repo add exastro https://exastro-suite.github.io/exastro-helm/`",
                e.summary()
            )]
        }
        Err(e) => return vec![e.summary()],
    };
    let search_cmd = Helm::search_versions(&cfg.chart, cfg.version.as_deref());
    let hits = match crate::process::parse_json::<Vec<SearchHit>>(&search_cmd, &out.stdout) {
        Ok(hits) => hits,
        Err(e) => return vec![format!("{e:#}")],
    };
    let newest = hits
        .into_iter()
        .filter(|h| h.name == cfg.chart)
        .max_by(|a, b| semver::compare(&a.version, &b.version));
    match newest {
        Some(hit) => {
            ctx.target_chart = Some(hit);
            Vec::new()
        }
        None => vec![match &cfg.version {
            Some(c) => format!(
                "no version of {} matches --version {c:?} in the repository index (`helm search repo {} --versions` lists them)",
                cfg.chart, cfg.chart
            ),
            None => format!(
                "chart {} is not in the repository index: check --chart (`helm search repo {}` lists charts)",
                cfg.chart,
                cfg.repo()
            ),
        }],
    }
}

/// With no problem: nothing to do (already there, or newer), or the summary line of the run ahead.
pub(super) fn verdict(ctx: &Ctx) -> Flow {
    let cfg = &ctx.cfg;
    let Some(target) = &ctx.target_chart else {
        return Flow::Finish("no target chart version: nothing to do".into());
    };
    if target.version == ctx.installed_version {
        return Flow::Finish(format!(
            "{} is already at chart {} (app {}): nothing to do",
            cfg.release, target.version, target.app_version
        ));
    }
    if cfg.version.is_none() && semver::compare(&target.version, &ctx.installed_version).is_lt() {
        return Flow::Finish(format!(
            "installed chart {} is newer than the newest in the repository ({}): nothing to do",
            ctx.installed_version, target.version
        ));
    }
    let tools = ctx
        .tool_versions
        .iter()
        .map(|(tool, version)| format!("{tool} {version}"))
        .collect::<Vec<_>>()
        .join(", ");
    Flow::Continue(format!(
        "{tools}; context {}, chart {} (app {}) -> chart {} (app {})",
        ctx.context_name,
        ctx.installed_version,
        ctx.installed_app,
        target.version,
        target.app_version
    ))
}

/// Explains a release that is not `deployed` and how to get it back there: the rollback to the last
/// revision that was deployed, as a command to paste, when the namespace's holder allows one.
fn release_status_problem(runner: &Runner, ctx: &Ctx, row: &ReleaseRow, holder: Holder) -> String {
    let release = &ctx.cfg.release;
    if !holder.allows(WayOut::Rollback) {
        return format!(
            "release {release:?} is {} (revision {}): the upgrade run above is working on it",
            row.status, row.revision
        );
    }
    let last_deployed = runner
        .json::<Vec<HistoryRow>>(&ctx.helm.history(release))
        .ok()
        .and_then(|rows| {
            rows.into_iter()
                .filter(|r| r.status.was_deployed())
                .map(|r| r.revision)
                .max()
        });
    let rollback = match last_deployed {
        Some(rev) => ctx.helm.rollback(release, rev).display(),
        None => format!(
            "{} # find the revision with: {}",
            ctx.helm.rollback(release, 0).display(),
            ctx.helm.history_table(release).display()
        ),
    };
    let why = if row.status.is_pending() {
        "an earlier helm operation did not finish (helm was interrupted or lost the API). \
         Make sure no other helm command is running on it, then roll back to the last deployed revision"
    } else if row.status == ReleaseStatus::Failed {
        "the last helm operation on it failed. Roll back to the last deployed revision (or fix the cause and \
         upgrade it by hand)"
    } else {
        "not deployed. Roll back to the last deployed revision"
    };
    format!(
        "release {release:?} is {} (revision {}): {why}, then run the upgrade again:\n    {rollback}",
        row.status, row.revision
    )
}

/// helm and kubectl must be installed; their versions go into the run's summary.
pub(super) fn tool_problems(
    ctx: &mut Ctx,
    helm_v: &Result<Output, ProcessError>,
    kubectl_v: &Result<Output, ProcessError>,
) -> Vec<String> {
    let mut problems = Vec::new();
    match helm_v {
        Ok(out) => {
            ctx.tool_versions.insert("helm".into(), out.stdout.trim().to_string());
            problems.extend(super::helm_checks::version_problem(ctx, &out.stdout));
        }
        Err(e) if e.is_missing_tool() => problems.push(format!(
            "helm was not found on PATH: install {} (https://helm.sh/docs/intro/install/) or add it to PATH",
            crate::ops::helm4::SUPPORTED
        )),
        Err(e) => problems.push(e.summary()),
    }
    match kubectl_v {
        Ok(out) => {
            let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap_or_default();
            let git = v["clientVersion"]["gitVersion"].as_str().unwrap_or("unknown");
            ctx.tool_versions.insert("kubectl".into(), git.to_string());
        }
        Err(e) if e.is_missing_tool() => problems.push(
            "kubectl was not found on PATH: install kubectl (https://kubernetes.io/docs/tasks/tools/) or add it to PATH".into(),
        ),
        Err(e) => problems.push(e.summary()),
    }
    problems
}
