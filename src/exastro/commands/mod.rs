//! The subcommands: run/plan (the runbook), values-diff, status, restore.

use anyhow::Context as _;
use serde_json::json;

use super::config::Config;
use super::context::Ctx;
use super::report;
use super::steps;
use crate::exit::{bad_input, Exit};
use crate::ops::access;
use crate::ops::helm::{Helm, ReleaseRow, SearchHit};
use crate::ops::k8s::{List, Workload};
use crate::output::{confirm_or_refuse, emit, Guarded, Rendered};
use crate::plugin_run::{drive, Confirmation};
use crate::process::Runner;
use crate::values;

mod restore;
mod status;

pub(crate) use restore::restore;
pub(crate) use status::status;

fn runner_for(cfg: &Config, preview: bool) -> Runner {
    Runner::for_command(cfg.verbose, preview, cfg.timeout)
}

/// The cluster can be used at all (kubeconfig, context, the namespace answers): one line, exit 2, otherwise.
fn connect(runner: &Runner, ctx: &Ctx) -> anyhow::Result<()> {
    access::check(runner, &ctx.kubectl, ctx.kubectl.get_namespace())
        .map(|_| ())
        .map_err(|p| bad_input(p.to_string()))
}

/// `run` (preview=false), `run --dry-run` and `plan` (preview=true).
pub(crate) fn run(cfg: Config, preview: bool) -> anyhow::Result<Exit> {
    let runner = runner_for(&cfg, preview);
    let mut ctx = Ctx::new(cfg.clone());
    let runbook = steps::runbook();
    let confirmation = Confirmation {
        yes: cfg.yes,
        question: "Proceed with the upgrade?",
        alternative: ", or preview it with `kubectl exastro-upgrade plan`",
        summary: report::confirmation_text,
    };
    let slot = ctx.lease.clone();
    let kubectl = ctx.kubectl.clone();
    let outcome = std::thread::scope(|s| {
        // Renews the lease while the journal exists, so others can tell this run is alive.
        s.spawn(|| crate::exastro::renewal::keep_renewing(&runner, &kubectl, &slot));
        // Stops the renewal even when a step panics: the scope would otherwise wait for it forever.
        let _stop = slot.stop_on_drop();
        drive(&runbook, &mut ctx, &runner, preview, &confirmation)
    });
    // Where the release ended up, for the last line of a failed or interrupted run.
    let release_after = outcome
        .failure
        .as_ref()
        .filter(|f| f.changed)
        .and_then(|_| {
            runner
                .json::<Vec<ReleaseRow>>(&ctx.helm.list_release(&cfg.release))
                .ok()
        })
        .and_then(|rows| rows.into_iter().find(|r| r.name == cfg.release));
    Ok(report::finish(
        &cfg,
        &ctx,
        &outcome,
        preview,
        release_after.as_ref(),
    ))
}

/// `values-diff`: the drift report alone.
pub(crate) fn values_diff(cfg: Config) -> anyhow::Result<Exit> {
    let runner = runner_for(&cfg, true);
    let mut ctx = Ctx::new(cfg.clone());
    ctx.user_values = values::load_values_file(&cfg.values_file)?;
    let (release, target) = installed_and_available(&runner, &ctx, true)?;
    ctx.installed_version = release
        .as_ref()
        .and_then(|r| {
            r.chart
                .strip_prefix(&format!("{}-", cfg.chart_name()))
                .map(str::to_string)
        })
        .unwrap_or_default();
    ctx.target_chart = Some(target.with_context(|| {
        format!(
            "chart {} has no matching version in the repository index",
            cfg.chart
        )
    })?);
    steps::compute_drift(&mut ctx, &runner)?;
    if release.is_some() {
        steps::values_guard::compare(&mut ctx, &runner)?;
    }
    let mut text = format!(
        "{} {} -> {} against {}:\n",
        cfg.chart,
        if ctx.installed_version.is_empty() {
            "(not installed)"
        } else {
            &ctx.installed_version
        },
        ctx.target_version(),
        cfg.values_display()
    );
    text.push_str(&ctx.drift.render(&cfg.values_display()));
    if release.is_some() {
        text.push_str(&steps::values_guard::render(&ctx));
    }
    let json = json!({
        "values_file": cfg.values_display(),
        "installed": ctx.installed_version,
        "target": ctx.target_version(),
        "drift": ctx.drift,
        "dropped": ctx.dropped_values,
    });
    emit(cfg.output, &Rendered { json, text })?;
    Ok(Exit::Ok)
}

/// The release row (if any) and the newest matching chart in the index.
fn installed_and_available(
    runner: &Runner,
    ctx: &Ctx,
    update: bool,
) -> anyhow::Result<(Option<ReleaseRow>, Option<SearchHit>)> {
    let cfg = &ctx.cfg;
    let (rows, hits) = std::thread::scope(|s| {
        let rows = s.spawn(|| runner.json::<Vec<ReleaseRow>>(&ctx.helm.list_release(&cfg.release)));
        let hits = s.spawn(|| {
            if update {
                runner.run(&Helm::repo_update(cfg.repo()))?;
            }
            runner
                .json::<Vec<SearchHit>>(&Helm::search_versions(&cfg.chart, cfg.version.as_deref()))
        });
        (rows.join().expect("thread"), hits.join().expect("thread"))
    });
    let release = rows?.into_iter().find(|r| r.name == cfg.release);
    let target = hits?
        .into_iter()
        .filter(|h| h.name == cfg.chart)
        .max_by(|a, b| crate::semver::compare(&a.version, &b.version));
    Ok((release, target))
}

/// `backup`: the private copy of what an upgrade could lose, into `dir` (or under the state directory).
pub(crate) fn backup(cfg: Config, dir: Option<std::path::PathBuf>) -> anyhow::Result<Exit> {
    let runner = runner_for(&cfg, true);
    let ctx = Ctx::new(cfg.clone());
    connect(&runner, &ctx)?;
    let managed = dir.is_none();
    let dir = dir
        .or_else(|| super::backup::default_dir(&ctx))
        .ok_or_else(|| {
            bad_input("no --dir given and no state directory (set HOME or XDG_STATE_HOME)")
        })?;
    confirm_or_refuse(
        runner.reporter(),
        cfg.yes,
        &format!(
            "Write the release's values and both ENCRYPT_KEYs (decoded) to {}?",
            dir.display()
        ),
        Guarded::LocalSecrets { dir: &dir },
    )?;
    let (taken, ()) = super::backup::collect(&runner, &ctx, || {
        let list: List<Workload> = runner.json(&ctx.kubectl.list("deployments,statefulsets"))?;
        Ok((list.items, ()))
    })?;
    let files = super::backup::names(&taken);
    let revision = taken.revision.clone();
    let pending = super::backup::Pending {
        backup: taken,
        dir: dir.clone(),
        managed,
    };
    let removed = super::backup::write_pending(&ctx, &pending)?;
    if let Some(note) = super::backup::removal_note(&ctx, &removed) {
        runner.reporter().info(&note);
    }
    let text = format!(
        "backup of release {} (revision {revision}) written to {} (mode 0700, files 0600): {}\n",
        cfg.release,
        dir.display(),
        files.join(", ")
    );
    let json = json!({"status": "backed-up", "dir": dir, "revision": revision, "files": files});
    emit(cfg.output, &Rendered { json, text })?;
    Ok(Exit::Ok)
}
