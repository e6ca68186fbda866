//! The subcommands: run/plan (the runbook), values-diff, status, restore.

use std::time::Duration;

use anyhow::Context as _;
use serde_json::json;

use super::config::{Config, OutputFormat};
use super::context::Ctx;
use super::journal;
use super::lease::Liveness;
use super::report;
use super::restore::{put_back, put_back_commands};
use super::steps;
use super::stop_set::select_stop_set;
use crate::exit::{bad_input, coded, Exit};
use crate::ops::access;
use crate::ops::helm::{Helm, ReleaseRow, SearchHit};
use crate::ops::k8s::{List, Workload};
use crate::output::confirm_or_refuse;
use crate::process::Runner;
use crate::runbook::{execute, Mode};
use crate::values;
use crate::wait::{poll, Poll};

fn runner_for(cfg: &Config, preview: bool) -> Runner {
    Runner::for_command(cfg.verbose, preview, cfg.timeout)
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
    let slot = ctx.lease.clone();
    let kubectl = ctx.kubectl.clone();
    let outcome = std::thread::scope(|s| {
        // Renews the lease while the journal exists, so others can tell this run is alive.
        s.spawn(|| journal::keep_renewing(&runner, &kubectl, &slot));
        // Stops the renewal even when a step panics: the scope would otherwise wait for it forever.
        let _stop = slot.stop_on_drop();
        let outcome = execute(&runbook, &mut ctx, &runner, mode, |ctx| {
            runner.reporter().info(&report::confirmation_text(ctx));
            confirm_or_refuse(
                runner.reporter(),
                cfg.yes,
                "Proceed with the upgrade?",
                ", or preview it with `kubectl exastro-upgrade plan`",
            )
        });
        outcome
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
    if release.is_some() {
        steps::values_guard::compare(&mut ctx, &runner)?;
    }
    match cfg.output {
        OutputFormat::Json => crate::output::stdout_line(
            &serde_json::to_string_pretty(&json!({
                "values_file": cfg.values_display(),
                "installed": ctx.installed_version,
                "target": ctx.target_version(),
                "drift": ctx.drift,
                "dropped": ctx.dropped_values,
            }))?
            .to_string(),
        ),
        OutputFormat::Text => {
            crate::output::stdout_line(&format!(
                "{} {} -> {} against {}:",
                cfg.chart,
                if ctx.installed_version.is_empty() {
                    "(not installed)"
                } else {
                    &ctx.installed_version
                },
                ctx.target_version(),
                cfg.values_display()
            ));
            crate::output::stdout_text(&ctx.drift.render(&cfg.values_display()));
            if release.is_some() {
                crate::output::stdout_text(&steps::values_guard::render(&ctx));
            }
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
    access::check(&runner, &ctx.kubectl, ctx.kubectl.get_namespace())
        .map_err(|p| bad_input(p.to_string()))?;
    let (versions, workloads, unfinished) = std::thread::scope(|s| {
        let versions = s.spawn(|| installed_and_available(&runner, &ctx, false));
        let workloads = s
            .spawn(|| runner.json::<List<Workload>>(&ctx.kubectl.list("deployments,statefulsets")));
        let unfinished = s.spawn(|| {
            let Some((journal, lease)) = journal::fetch_with_lease(&runner, &ctx.kubectl)? else {
                return Ok(None);
            };
            let live = journal::liveness(&runner, &ctx.kubectl, lease.clone())?;
            anyhow::Ok(Some((journal, lease, live)))
        });
        (
            versions.join().expect("thread"),
            workloads.join().expect("thread"),
            unfinished.join().expect("thread"),
        )
    });
    let (release, available) = versions?;
    let workloads = workloads?.items;
    let unfinished = unfinished?;
    if release.is_none() && unfinished.is_none() {
        return Err(bad_input(format!(
            "helm release {:?} not found in namespace {:?}: check --release and -n (`helm list -n {}` lists the releases there)",
            cfg.release, cfg.target.namespace, cfg.target.namespace
        )));
    }
    let stop_set = select_stop_set(&workloads, cfg.stop, &cfg.release);
    let ready = |name: &str, kind: &str| {
        workloads
            .iter()
            .find(|w| w.metadata.name == name && w.kind == kind)
            .map(|w| w.status.ready_replicas)
            .unwrap_or(0)
    };
    match cfg.output {
        OutputFormat::Json => crate::output::stdout_line(&serde_json::to_string_pretty(&json!({
                "namespace": cfg.target.namespace,
                "release": release,
                "available": available,
                "stop_set": stop_set.iter().map(|r| json!({"kind": r.kind, "name": r.name, "replicas": r.replicas, "ready": ready(&r.name, &r.kind)})).collect::<Vec<_>>(),
                "unfinished_run": unfinished.as_ref().map(|(j, _, _)| j),
                "unfinished_run_lease": unfinished.as_ref().and_then(|(_, l, _)| l.clone()),
                "unfinished_run_live": unfinished.as_ref().map(|(_, _, live)| matches!(live, Liveness::Live { .. })),
            }))?.to_string()),
        OutputFormat::Text => {
            match &release {
                Some(r) => crate::output::stdout_line(&format!(
                    "release {} in {}: {} (revision {}), chart {}, app {}",
                    r.name, r.namespace, r.status, r.revision, r.chart, r.app_version
                )),
                None => crate::output::stdout_line(&format!(
                    "release {} not found in namespace {}",
                    cfg.release, cfg.target.namespace
                )),
            }
            match &available {
                Some(a) => crate::output::stdout_line(&format!("available: {} {} (app {}) (from the local repository cache; `helm repo update` refreshes it)", a.name, a.version, a.app_version)),
                None => crate::output::stdout_line(&format!("available: {} not in the local repository cache", cfg.chart)),
            }
            crate::output::stdout_line(&format!(
                "objects a run stops (--stop {}):",
                if cfg.stop == super::config::StopScope::All {
                    "all"
                } else {
                    "backyard"
                }
            ));
            for r in &stop_set {
                crate::output::stdout_line(&format!(
                    "  {:<12} {:<45} replicas {} ready {}",
                    r.kind,
                    r.name,
                    r.replicas,
                    ready(&r.name, &r.kind)
                ));
            }
            match &unfinished {
                Some((j, _, live @ Liveness::Live { .. })) => {
                    crate::output::stdout_line(&format!("RUN IN PROGRESS: {}", j.describe()));
                    let Liveness::Live {
                        holder,
                        renewed_ago,
                    } = live
                    else {
                        unreachable!()
                    };
                    crate::output::stdout_line(&format!(
                        "  held {}, lease renewed {}s ago: wait for it to finish (do not run restore)",
                        holder.describe(),
                        renewed_ago.as_secs()
                    ));
                }
                Some((j, _, Liveness::Dead(why))) => {
                    crate::output::stdout_line(&format!("UNFINISHED RUN: {}", j.describe()));
                    crate::output::stdout_line(&format!("  its run is not running: {why}"));
                    crate::output::stdout_line(&format!(
                        "  recorded: {}",
                        j.objects
                            .iter()
                            .map(|o| format!("{}={}", o.name, o.replicas))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ));
                    crate::output::stdout_line(&format!(
                        "  put them back with: {}",
                        cfg.restore_command()
                    ));
                }
                None => crate::output::stdout_line("no unfinished run"),
            }
        }
    }
    Ok(Exit::Ok)
}

/// Restoring while helm still applies the upgrade would race with helm's own reset of the counts: wait
/// (bounded by --timeout) until the release is no longer `pending-*`.
fn wait_for_helm(runner: &Runner, ctx: &Ctx, journal: &journal::Journal) -> anyhow::Result<()> {
    let cfg = &ctx.cfg;
    let pending = || -> anyhow::Result<Option<ReleaseRow>> {
        let rows = runner.json::<Vec<ReleaseRow>>(&ctx.helm.list_release(&journal.release))?;
        Ok(rows
            .into_iter()
            .find(|r| r.name == journal.release && r.status.starts_with("pending-")))
    };
    let Some(first) = pending()? else {
        return Ok(());
    };
    runner.reporter().step_start(
        1,
        1,
        &format!("Waiting for helm to finish on release {}", first.name),
    );
    let mut last = first.clone();
    let waited = poll(
        runner.reporter(),
        &format!(
            "helm to finish the {} of release {}",
            first.status.trim_start_matches("pending-"),
            first.name
        ),
        cfg.timeout,
        Duration::from_secs(2),
        true,
        || match pending()? {
            Some(row) => {
                let text = format!(
                    "release {} is {} (revision {})",
                    row.name, row.status, row.revision
                );
                last = row;
                Ok(Poll::Pending(text))
            }
            None => Ok(Poll::Ready(())),
        },
    );
    runner.reporter().step_end(waited.is_ok(), "");
    waited.map_err(|_| {
        let previous = last.revision.parse::<u32>().ok().filter(|r| *r > 1).map(|r| r - 1);
        coded(
            Exit::NotRestored,
            format!(
                "release {} is still {} after {}: a helm process may still be working on it, and putting counts \
                 back now would race with it. Nothing was changed. If no helm process is running any more, roll \
                 the release back and put the counts back with:\n  helm rollback {} {}-n {}\n  {} --force",
                last.name,
                last.status,
                humantime::format_duration(cfg.timeout),
                last.name,
                previous.map(|r| format!("{r} ")).unwrap_or_default(),
                cfg.target.namespace,
                cfg.restore_command()
            ),
        )
    })
}

/// `restore`: put back what an unfinished run recorded, from the journal in the cluster. Refuses while the
/// run that wrote it is alive (its lease keeps being renewed), and waits for a helm operation that is
/// still pending before touching any count.
pub fn restore(cfg: Config) -> anyhow::Result<Exit> {
    let runner = runner_for(&cfg, cfg.dry_run);
    let ctx = Ctx::new(cfg.clone());
    let Some((journal, lease)) = journal::fetch_with_lease(&runner, &ctx.kubectl)? else {
        match cfg.output {
            OutputFormat::Json => crate::output::stdout_line(
                &serde_json::to_string_pretty(&json!({"status": "nothing-to-restore",
                    "namespace": cfg.target.namespace, "restored": [], "gone": []}))?
                .to_string(),
            ),
            OutputFormat::Text => crate::output::stdout_line(&format!(
                "nothing to restore: no unfinished upgrade run in namespace {}",
                cfg.target.namespace
            )),
        }
        return Ok(Exit::Ok);
    };
    match journal::liveness(&runner, &ctx.kubectl, lease)? {
        live @ Liveness::Live { .. } if !cfg.force => {
            return Err(journal::live_holder_refusal(&cfg, &journal, &live))
        }
        Liveness::Live {
            holder,
            renewed_ago,
        } => runner.reporter().warn(&format!(
            "--force: overriding the live lease of the run {} (renewed {}s ago, phase {}): it is still running; \
             its next journal update will fail and it will stop",
            holder.describe(),
            renewed_ago.as_secs(),
            journal.phase.name()
        )),
        Liveness::Dead(why) => runner
            .reporter()
            .info(&format!("the run that wrote the journal is not running: {why}")),
    }
    if !cfg.force {
        wait_for_helm(&runner, &ctx, &journal)?;
    }
    let reporter = runner.reporter().clone();
    reporter.info(&format!(
        "unfinished run in namespace {}: {}",
        cfg.target.namespace,
        journal.describe()
    ));
    let commands = put_back_commands(&ctx.kubectl, &journal.objects, &journal.cronjobs);
    if cfg.dry_run {
        let mut lines: Vec<String> = commands.iter().map(|c| c.display()).collect();
        lines.push(journal::release_cmd(&ctx.kubectl).display());
        match cfg.output {
            OutputFormat::Json => crate::output::stdout_line(
                &serde_json::to_string_pretty(&json!({"status": "planned",
                    "namespace": cfg.target.namespace, "journal": journal, "commands": lines}))?
                .to_string(),
            ),
            OutputFormat::Text => lines.iter().for_each(|l| crate::output::stdout_line(l)),
        }
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
    let result = put_back(
        &runner,
        &ctx.kubectl,
        &cfg,
        &journal,
        cfg.force,
        None,
        |_| {},
    );
    reporter.step_end(result.is_ok(), "");
    let outcome = result?;
    match cfg.output {
        OutputFormat::Json => crate::output::stdout_line(
            &serde_json::to_string_pretty(&json!({"status": "restored",
                "namespace": cfg.target.namespace, "restored": outcome.restored,
                "gone": outcome.gone, "rollout_unfinished": outcome.rollout_unfinished}))?
            .to_string(),
        ),
        OutputFormat::Text => crate::output::stdout_line(&format!(
            "put back: {}; the lock is released",
            outcome.summary()
        )),
    }
    Ok(Exit::Ok)
}

/// `backup`: the private copy of what an upgrade could lose, into `dir` (or under the state directory).
pub fn backup(cfg: Config, dir: Option<std::path::PathBuf>) -> anyhow::Result<Exit> {
    let runner = runner_for(&cfg, true);
    let ctx = Ctx::new(cfg.clone());
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
        "",
    )?;
    let taken = super::backup::collect(&runner, &ctx, None)?;
    super::backup::write(&dir, &taken)?;
    let files = super::backup::names(&taken);
    match cfg.output {
        OutputFormat::Json => crate::output::stdout_line(
            &serde_json::to_string_pretty(&json!({"status": "backed-up", "dir": dir,
                "revision": taken.revision, "files": files}))?
            .to_string(),
        ),
        OutputFormat::Text => crate::output::stdout_line(&format!(
            "backup of release {} (revision {}) written to {} (mode 0700, files 0600): {}",
            cfg.release,
            taken.revision,
            dir.display(),
            files.join(", ")
        )),
    }
    Ok(Exit::Ok)
}
