//! The subcommands: run/plan (the runbook), values-diff, status, restore.

use std::time::Duration;

use anyhow::Context as _;
use serde_json::json;

use super::config::{Config, OutputFormat};
use super::context::{select_stop_set, Ctx};
use super::journal;
use super::report;
use super::restore::{put_back, put_back_commands};
use super::steps;
use crate::exit::{bad_input, Exit};
use crate::ops::helm::{Helm, ReleaseRow, SearchHit};
use crate::ops::k8s::{List, Workload};
use crate::output::{confirm_or_refuse, Reporter};
use crate::process::Runner;
use crate::runbook::{execute, Mode};
use crate::values;

/// Bound for a single call that carries no timeout of its own (waits and helm upgrade do); never longer
/// than `--timeout`, so a hung API call ends within the bound the user chose.
const CALL_TIMEOUT: Duration = Duration::from_secs(120);

fn runner_for(cfg: &Config, preview: bool) -> Runner {
    let reporter = Reporter::new(cfg.verbose, false);
    Runner::new(reporter, preview, CALL_TIMEOUT.min(cfg.timeout))
}

/// `run` (preview=false), `run --dry-run` and `plan` (preview=true).
pub fn run(cfg: Config, preview: bool) -> anyhow::Result<Exit> {
    let runner = runner_for(&cfg, preview);
    let mut ctx = Ctx::new(cfg.clone());
    let runbook = steps::runbook();
    let mode = if preview {
        Mode::Preview
    } else {
        Mode::Execute
    };
    let outcome = execute(&runbook, &mut ctx, &runner, mode, |ctx| {
        runner.reporter().info(&report::confirmation_text(ctx));
        confirm_or_refuse(
            runner.reporter(),
            cfg.yes,
            "Proceed with the upgrade?",
            ", or preview it with `kubectl exastro-upgrade plan`",
        )
    });
    Ok(report::finish(&cfg, &ctx, &outcome, preview))
}

/// `values-diff`: the drift report alone.
pub fn values_diff(cfg: Config) -> anyhow::Result<Exit> {
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
    ctx.target = Some(target.with_context(|| {
        format!(
            "chart {} has no matching version in the repository index",
            cfg.chart
        )
    })?);
    steps::compute_drift(&mut ctx, &runner)?;
    match cfg.output {
        OutputFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(&json!({
                "values_file": cfg.values_display(),
                "installed": ctx.installed_version,
                "target": ctx.target_version(),
                "drift": ctx.drift,
            }))?
        ),
        OutputFormat::Text => {
            println!(
                "{} {} -> {} against {}:",
                cfg.chart,
                if ctx.installed_version.is_empty() {
                    "(not installed)"
                } else {
                    &ctx.installed_version
                },
                ctx.target_version(),
                cfg.values_display()
            );
            print!("{}", ctx.drift.render(&cfg.values_display()));
        }
    }
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

/// `status`: release, versions, the stop set with replicas, and any unfinished run. Read-only.
pub fn status(cfg: Config) -> anyhow::Result<Exit> {
    let runner = runner_for(&cfg, true);
    let ctx = Ctx::new(cfg.clone());
    let (versions, workloads, unfinished) = std::thread::scope(|s| {
        let versions = s.spawn(|| installed_and_available(&runner, &ctx, false));
        let workloads = s
            .spawn(|| runner.json::<List<Workload>>(&ctx.kubectl.list("deployments,statefulsets")));
        let unfinished = s.spawn(|| journal::fetch(&runner, &ctx.kubectl));
        (
            versions.join().expect("thread"),
            workloads.join().expect("thread"),
            unfinished.join().expect("thread"),
        )
    });
    let (release, available) = versions?;
    let workloads = workloads?.items;
    let unfinished = unfinished?;
    let stop_set = select_stop_set(&workloads, cfg.stop, &cfg.release);
    let ready = |name: &str, kind: &str| {
        workloads
            .iter()
            .find(|w| w.metadata.name == name && w.kind == kind)
            .map(|w| w.status.ready_replicas)
            .unwrap_or(0)
    };
    match cfg.output {
        OutputFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(&json!({
                "namespace": cfg.target.namespace,
                "release": release,
                "available": available,
                "stop_set": stop_set.iter().map(|r| json!({"kind": r.kind, "name": r.name, "replicas": r.replicas, "ready": ready(&r.name, &r.kind)})).collect::<Vec<_>>(),
                "unfinished_run": unfinished,
            }))?
        ),
        OutputFormat::Text => {
            match &release {
                Some(r) => println!(
                    "release {} in {}: {} (revision {}), chart {}, app {}",
                    r.name, r.namespace, r.status, r.revision, r.chart, r.app_version
                ),
                None => println!(
                    "release {} not found in namespace {}",
                    cfg.release, cfg.target.namespace
                ),
            }
            match &available {
                Some(a) => println!("available: {} {} (app {}) (from the local repository cache; `helm repo update` refreshes it)", a.name, a.version, a.app_version),
                None => println!("available: {} not in the local repository cache", cfg.chart),
            }
            println!(
                "objects a run stops (--stop {}):",
                if cfg.stop == super::config::StopScope::All {
                    "all"
                } else {
                    "backyard"
                }
            );
            for r in &stop_set {
                println!(
                    "  {:<12} {:<45} replicas {} ready {}",
                    r.kind,
                    r.name,
                    r.replicas,
                    ready(&r.name, &r.kind)
                );
            }
            match &unfinished {
                Some(j) => {
                    println!("UNFINISHED RUN: {}", j.describe());
                    println!(
                        "  recorded: {}",
                        j.objects
                            .iter()
                            .map(|o| format!("{}={}", o.name, o.replicas))
                            .collect::<Vec<_>>()
                            .join(", ")
                    );
                    println!("  put them back with: {}", cfg.restore_command());
                }
                None => println!("no unfinished run"),
            }
        }
    }
    Ok(Exit::Ok)
}

/// `restore`: put back what an unfinished run recorded, from the journal in the cluster.
pub fn restore(cfg: Config) -> anyhow::Result<Exit> {
    let runner = runner_for(&cfg, cfg.dry_run);
    let ctx = Ctx::new(cfg.clone());
    let Some(journal) = journal::fetch(&runner, &ctx.kubectl)? else {
        println!(
            "nothing to restore: no unfinished upgrade run in namespace {}",
            cfg.target.namespace
        );
        return Ok(Exit::Ok);
    };
    // Restoring while helm still applies the upgrade would race with helm's own reset of the counts.
    if let Ok(rows) = runner.json::<Vec<ReleaseRow>>(&ctx.helm.list_release(&journal.release)) {
        if let Some(row) = rows
            .iter()
            .find(|r| r.name == journal.release && r.status.starts_with("pending-"))
        {
            if !cfg.force {
                return Err(bad_input(format!(
                    "release {} is {}: a helm operation may still be running and would reset the counts again. \
                     Wait until `helm status {} -n {}` is no longer pending, or re-run with --force if that helm process is dead",
                    row.name, row.status, row.name, cfg.target.namespace
                )));
            }
        }
    }
    let reporter = runner.reporter().clone();
    reporter.info(&format!(
        "unfinished run in namespace {}: {}",
        cfg.target.namespace,
        journal.describe()
    ));
    let commands = put_back_commands(&ctx.kubectl, &journal.objects);
    if cfg.dry_run {
        for cmd in &commands {
            println!("{}", cmd.display());
        }
        println!("{}", journal::release_cmd(&ctx.kubectl).display());
        return Ok(Exit::Ok);
    }
    reporter.info(&format!(
        "will put back: {}",
        journal
            .objects
            .iter()
            .map(|o| format!("{}={}", o.name, o.replicas))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    confirm_or_refuse(&reporter, cfg.yes, "Put these replica counts back?", "")?;
    reporter.step_start(
        1,
        1,
        &format!(
            "Putting back recorded replicas ({} objects)",
            journal.objects.len()
        ),
    );
    let result = put_back(&runner, &ctx.kubectl, &cfg, &journal, cfg.force, |_| {});
    reporter.step_end(result.is_ok(), "");
    let outcome = result?;
    match cfg.output {
        OutputFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(
                &json!({"restored": outcome.restored, "gone": outcome.gone})
            )?
        ),
        OutputFormat::Text => println!("put back: {}; the lock is released", outcome.summary()),
    }
    Ok(Exit::Ok)
}
