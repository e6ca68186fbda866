//! `restore`: put back what an unfinished run recorded, from the journal in the cluster.

use std::time::Duration;

use serde::Serialize;

use super::{connect, runner_for};
use crate::exastro::advice::{Holder, WayOut};
use crate::exastro::config::Config;
use crate::exastro::context::Ctx;
use crate::exastro::journal::{self, Journal};
use crate::exastro::lease::Liveness;
use crate::exastro::maintenance;
use crate::exastro::put_back::{
    put_back, put_back_shown, triage, wait_restored, wait_restored_shown, PutBackMode, Until,
    LISTING,
};
use crate::exastro::statefulset_trap;
use crate::exastro::stop_set::Recorded;
use crate::exit::{coded, Exit};
use crate::ops::helm::ReleaseRow;
use crate::ops::k8s::{List, Workload};
use crate::output::{confirm_or_refuse, emit, Document, Guarded};
use crate::process::{Cmd, Runner};
use crate::wait::{poll, OnInterrupt, Poll};

/// Restoring while helm still applies the upgrade would race with helm's own reset of the counts: wait
/// (bounded by --timeout) until the release is no longer `pending-*`.
fn wait_for_helm(runner: &Runner, ctx: &Ctx, journal: &Journal) -> anyhow::Result<()> {
    let cfg = &ctx.cfg;
    let pending = || -> anyhow::Result<Option<ReleaseRow>> {
        let rows = runner.json::<Vec<ReleaseRow>>(&ctx.helm.list_release(&journal.release))?;
        Ok(rows
            .into_iter()
            .find(|r| r.name == journal.release && r.status.is_pending()))
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
            first.status.operation(),
            first.name
        ),
        cfg.timeout,
        Duration::from_secs(2),
        OnInterrupt::Stop,
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
        debug_assert!(Holder::StuckHelm.allows(WayOut::Rollback));
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

/// What `restore` prints: `-o json` as is, text for people.
#[derive(Serialize)]
#[serde(tag = "status", rename_all = "kebab-case")]
enum RestoreResult {
    NothingToRestore {
        namespace: String,
        restored: Vec<Recorded>,
        gone: Vec<String>,
    },
    Planned {
        namespace: String,
        journal: Journal,
        commands: Vec<String>,
    },
    Restored {
        namespace: String,
        restored: Vec<Recorded>,
        gone: Vec<String>,
        rollout_unfinished: Option<String>,
        #[serde(skip)]
        summary: String,
    },
}

impl Document for RestoreResult {
    fn text(&self) -> String {
        match self {
            RestoreResult::NothingToRestore { namespace, .. } => {
                format!("nothing to restore: no unfinished upgrade run in namespace {namespace}\n")
            }
            RestoreResult::Planned { commands, .. } => {
                commands.iter().map(|c| format!("{c}\n")).collect()
            }
            RestoreResult::Restored { summary, .. } => {
                format!("put back: {summary}; the lock is released\n")
            }
        }
    }
}

/// `restore`: put back what an unfinished run recorded, from the journal in the cluster. Refuses while the
/// run that wrote it is alive (its lease keeps being renewed), and waits for a helm operation that is
/// still pending before touching any count.
pub(crate) fn restore(cfg: Config) -> anyhow::Result<Exit> {
    let runner = runner_for(&cfg, cfg.dry_run);
    let ctx = Ctx::new(cfg.clone());
    connect(&runner, &ctx)?;
    let namespace = cfg.target.namespace.clone();
    let Some((journal, lease)) = journal::fetch_with_lease(&runner, &ctx.kubectl)? else {
        let nothing = RestoreResult::NothingToRestore {
            namespace,
            restored: Vec::new(),
            gone: Vec::new(),
        };
        emit(cfg.output, &nothing)?;
        return Ok(Exit::Ok);
    };
    judge_holder(&runner, &ctx, &journal, lease)?;
    if !cfg.force {
        wait_for_helm(&runner, &ctx, &journal)?;
    }
    let reporter = runner.reporter().clone();
    reporter.info(&format!(
        "unfinished run in namespace {namespace}: {}",
        journal.describe()
    ));
    if cfg.dry_run {
        let commands = planned_commands(&runner, &ctx, &journal)?;
        let planned = RestoreResult::Planned {
            namespace,
            journal,
            commands,
        };
        emit(cfg.output, &planned)?;
        return Ok(Exit::Ok);
    }
    reporter.info(&format!("will put back: {}", recorded_counts(&journal)));
    confirm_or_refuse(
        &reporter,
        cfg.yes,
        "Put these replica counts back?",
        Guarded::ClusterChange { alternative: "" },
    )?;
    reporter.step_start(
        1,
        1,
        &format!(
            "Putting back recorded replicas ({} objects)",
            journal.objects.len()
        ),
    );
    // from here a failure has changed something: it ends with this command to run again
    crate::signals::set_restore_hint(Some(cfg.restore_command()));
    let result = put_back(
        &runner,
        &ctx.kubectl,
        &cfg,
        &journal,
        &ctx.helm,
        PutBackMode {
            force: cfg.force,
            wait_rollout: true,
            lease: None,
        },
        |_| {},
    );
    reporter.step_end(result.is_ok(), "");
    let mut outcome = result?;
    after_put_back(&runner, &ctx, &journal, &mut outcome)?;
    let restored = RestoreResult::Restored {
        namespace,
        summary: outcome.summary(),
        restored: outcome.restored,
        gone: outcome.gone,
        rollout_unfinished: outcome.rollout_unfinished,
    };
    emit(cfg.output, &restored)?;
    Ok(Exit::Ok)
}

/// What the counts' put-back leaves to do: maintenance mode back, then the rollouts.
fn after_put_back(
    runner: &Runner,
    ctx: &Ctx,
    journal: &Journal,
    outcome: &mut crate::exastro::put_back::PutBackOutcome,
) -> anyhow::Result<()> {
    let cfg = &ctx.cfg;
    if let Some(before) = journal.maintenance_before {
        let reporter = runner.reporter();
        reporter.step_start(
            1,
            1,
            &format!("Putting maintenance mode back ({})", before.describe()),
        );
        let released =
            maintenance::release_and_unlock(runner, &ctx.kubectl, cfg, journal, None, None);
        reporter.step_end(released.is_ok(), "");
        if let Err(e) = released {
            return Err(coded(
                Exit::NotRestored,
                format!(
                    "every recorded count is back, but maintenance mode is not: {e:#}. The journal is kept; fix \
                     that and run again:\n  {}",
                    cfg.restore_command()
                ),
            ));
        }
        if let Err(e) = wait_restored(
            runner,
            &ctx.kubectl,
            &outcome.restored,
            cfg.timeout,
            Until::RolledOut,
        ) {
            outcome.rollout_unfinished = Some(format!("{e:#}"));
        }
    }
    Ok(())
}

/// What `restore --dry-run` prints, decided as the restore decides, on a listing read now: the re-creation
/// of StatefulSets helm never re-created, the put-back calls of what is still as the run left it (all with
/// `--force`), maintenance mode's, the lock's release.
fn planned_commands(runner: &Runner, ctx: &Ctx, journal: &Journal) -> anyhow::Result<Vec<String>> {
    let current: List<Workload> = runner.json(&ctx.kubectl.list(LISTING))?;
    let outcome = triage(journal, &current.items, ctx.cfg.force);
    let recreate = statefulset_trap::recreate_shown(
        &ctx.helm,
        &ctx.kubectl,
        &journal.release,
        &statefulset_trap::to_recreate(journal, &outcome.gone),
    );
    let maintenance = journal.maintenance_before;
    let mut commands: Vec<Cmd> = put_back_shown(
        &ctx.kubectl,
        (&outcome.restored, &journal.cronjobs),
        recreate,
        true,
        maintenance.is_some(),
        true,
    )
    .into_iter()
    .flatten()
    .collect();
    if let Some(before) = maintenance {
        commands.extend(maintenance::release_and_unlock_shown(
            &ctx.cfg,
            &ctx.kubectl,
            before,
        ));
        commands.push(wait_restored_shown(&ctx.kubectl, Until::RolledOut));
    }
    Ok(commands.iter().map(|c| c.plan_display()).collect())
}

fn recorded_counts(journal: &Journal) -> String {
    journal
        .objects
        .iter()
        .map(|o| format!("{}={}", o.name, o.replicas))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A live run is refused (unless --force, which says what it overrides); a dead one is named.
fn judge_holder(
    runner: &Runner,
    ctx: &Ctx,
    journal: &Journal,
    lease: Option<crate::exastro::lease::Lease>,
) -> anyhow::Result<()> {
    match journal::liveness(runner, &ctx.kubectl, lease)? {
        live @ Liveness::Live { .. } if !ctx.cfg.force => {
            return Err(journal::live_holder_refusal(&ctx.cfg, journal, &live))
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
    Ok(())
}
