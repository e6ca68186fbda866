//! Putting recorded replica counts back, shared by the run (step 7 and its recovery) and the `restore`
//! command. Like kube-downscaler, it only touches objects whose count is still what the tool set, unless
//! forced; it releases the lock and removes the journal only when every count is back.

use std::time::Duration;

use anyhow::Context as _;

use super::config::Config;
use super::journal::{self, Journal};
use super::lease::LeaseSlot;
use super::statefulset_trap;
use super::stop_set::{by_count, HeldCronJob, Recorded};
use crate::exit::{coded, Exit};
use crate::ops::helm::Helm;
use crate::ops::k8s::{List, Mixed, PodPhase, Workload};
use crate::ops::kubectl::Kubectl;
use crate::process::{Cmd, Runner};
use crate::wait::{poll, OnInterrupt, Poll};

/// What a put-back lists to decide on (and reads back).
pub(crate) const LISTING: &str = "deployments,statefulsets";

#[derive(Debug, Default)]
pub(crate) struct PutBackOutcome {
    pub(crate) restored: Vec<Recorded>,
    /// Objects changed by hand since the tool stopped them (kept as they are).
    pub(crate) skipped: Vec<String>,
    /// Objects that no longer exist (e.g. the new chart removed them).
    pub(crate) gone: Vec<String>,
    /// Counts back and lock released, but the rollout did not finish in time (why).
    pub(crate) rollout_unfinished: Option<String>,
    /// The counts are back but the lock is kept: maintenance mode is put back next (its release unlocks).
    pub(crate) lock_kept_for_maintenance: bool,
}

impl PutBackOutcome {
    pub(crate) fn summary(&self) -> String {
        let mut text = self
            .restored
            .iter()
            .map(|r| format!("{}={}", r.name, r.replicas))
            .collect::<Vec<_>>()
            .join(", ");
        if !self.gone.is_empty() {
            text.push_str(&format!("; no longer exist: {}", self.gone.join(", ")));
        }
        if self.rollout_unfinished.is_some() {
            text.push_str("; counts set, rollout not finished");
        }
        text
    }
}

/// The calls that put things back, in stages: everything else (grouped by count, in batches that run side by
/// side) with the CronJobs the run suspended resumed, then platform-auth alone, last: users come back once
/// the rest is. With `auth_last` false (platform-auth already runs: helm brought it back at the chart's
/// count, users are in anyway) its recorded count is set in the same stage.
pub(crate) fn put_back_stages(
    kubectl: &Kubectl,
    objects: &[Recorded],
    cronjobs: &[HeldCronJob],
    auth_last: bool,
) -> Vec<Vec<Cmd>> {
    let stages = [false, true]
        .into_iter()
        .map(|auth| {
            let mut stage: Vec<Cmd> =
                by_count(objects.iter().filter(|r| r.is_platform_auth() == auth))
                    .into_iter()
                    .flat_map(|(count, refs)| kubectl.scale_batches(&refs, count))
                    .collect();
            if !auth {
                stage.extend(
                    cronjobs
                        .iter()
                        .filter(|c| !c.was_suspended)
                        .map(|c| kubectl.suspend_cronjob(&c.name, false)),
                );
            }
            stage
        })
        .filter(|stage| !stage.is_empty());
    if auth_last {
        stages.collect()
    } else {
        let one: Vec<Cmd> = stages.flatten().collect();
        if one.is_empty() {
            Vec::new()
        } else {
            vec![one]
        }
    }
}

/// The put-back calls alone, in order (what a person runs by hand).
pub(crate) fn put_back_commands(
    kubectl: &Kubectl,
    objects: &[Recorded],
    cronjobs: &[HeldCronJob],
) -> Vec<Cmd> {
    put_back_stages(kubectl, objects, cronjobs, true)
        .into_iter()
        .flatten()
        .collect()
}

/// What [`put_back`] runs, in stages, as plans show it: the listing it decides from, the re-creation of
/// the StatefulSets a run deleted for helm that helm never re-created (`recreate`, from
/// [`statefulset_trap::recreate_shown`]; empty when none is missing), the put-back stages,
/// the read-back, the lock's release (unless maintenance mode's release takes it) and, when asked, the wait
/// for the rollouts. Whether platform-auth comes last, alone, is decided on that listing (`auth_last`:
/// what the plan expects).
pub(crate) fn put_back_shown(
    kubectl: &Kubectl,
    (objects, cronjobs): (&[Recorded], &[HeldCronJob]),
    recreate: Vec<Vec<Cmd>>,
    auth_last: bool,
    lock_kept_for_maintenance: bool,
    wait_rollout: bool,
) -> Vec<Vec<Cmd>> {
    let mut stages = vec![vec![kubectl.list(LISTING).note(
        "only counts still as the run left them are put back (a hand change is kept)",
    )]];
    stages.extend(recreate);
    stages.extend(put_back_stages(kubectl, objects, cronjobs, auth_last));
    stages.push(vec![kubectl
        .list(LISTING)
        .note("reads every count back before the lock goes")]);
    if lock_kept_for_maintenance {
        return stages;
    }
    stages.push(vec![
        journal::release_cmd(kubectl).note("releases the lock once every count is back")
    ]);
    if wait_rollout {
        stages.push(vec![wait_restored_shown(kubectl, Until::RolledOut)]);
    }
    stages
}

/// Decides, object by object, what may be put back.
pub(crate) fn triage(journal: &Journal, current: &[Workload], force: bool) -> PutBackOutcome {
    let mut outcome = PutBackOutcome::default();
    for rec in &journal.objects {
        let Some(live) = current
            .iter()
            .find(|w| w.kind == rec.kind && w.metadata.name == rec.name)
        else {
            outcome.gone.push(rec.reference());
            continue;
        };
        let now = live.replicas();
        let ours = now == 0 || now == rec.replicas || journal.phase.helm_may_have_reset();
        if ours || force {
            outcome.restored.push(rec.clone());
        } else {
            outcome.skipped.push(format!(
                "{} is at {now}, not the 0 the upgrade set: it was changed by hand since, so it was left alone (recorded count: {})",
                rec.reference(),
                rec.replicas
            ));
        }
    }
    outcome
}

/// How a put-back ends.
#[derive(Clone, Copy)]
pub(crate) struct PutBackMode<'a> {
    /// Put back objects whose count was changed by hand since they were stopped, too.
    pub(crate) force: bool,
    /// Wait until the restored objects rolled out. The run does not: its verification that follows waits
    /// for every workload, and a second wait for a subset would only cost a poll.
    pub(crate) wait_rollout: bool,
    /// The run's lease, stopped before the lock goes (`restore` has none of its own).
    pub(crate) lease: Option<&'a LeaseSlot>,
}

/// Puts counts back and, per `mode`, waits for the rollouts. `on_scaled` sees the objects once their counts
/// are set.
pub(crate) fn put_back(
    runner: &Runner,
    kubectl: &Kubectl,
    cfg: &Config,
    journal: &Journal,
    helm: &Helm,
    mode: PutBackMode,
    on_scaled: impl FnOnce(&[Recorded]),
) -> anyhow::Result<PutBackOutcome> {
    let current: List<Workload> = runner.json(&kubectl.list(LISTING))?;
    let mut outcome = triage(journal, &current.items, mode.force);
    let recreated =
        statefulset_trap::recreate_missing(runner, helm, kubectl, journal, &mut outcome.gone)?;
    for warning in &outcome.skipped {
        runner.reporter().warn(warning);
    }
    for gone in &outcome.gone {
        runner
            .reporter()
            .warn(&format!("{gone} no longer exists; nothing to put back"));
    }
    let auth_last = !platform_auth_running(&outcome.restored, &current.items);
    for stage in put_back_stages(kubectl, &outcome.restored, &journal.cronjobs, auth_last) {
        runner
            .run_all(&stage)
            .context("could not put a recorded replica count back")?;
    }
    outcome.restored.extend(recreated);
    // Trust the API, not the exit status: every count must read back as recorded before the lock goes.
    read_back(runner, kubectl, &outcome.restored)?;
    on_scaled(&outcome.restored);
    if !outcome.skipped.is_empty() {
        return Err(coded(
            Exit::NotRestored,
            format!(
                "{} object(s) were changed by hand and left alone; the journal and lock are kept. \
                 To put the recorded counts back anyway run:\n  {} --force",
                outcome.skipped.len(),
                cfg.restore_command()
            ),
        ));
    }
    if journal.maintenance_before.is_some() {
        // The lock stays until maintenance mode is put back too (exastro/maintenance.rs), and with
        // maintenance on some backyards are never Ready: that wait comes after the release.
        outcome.lock_kept_for_maintenance = true;
        return Ok(outcome);
    }
    unlock(
        runner,
        kubectl,
        cfg,
        journal,
        mode.lease,
        "every count is back",
    )?;
    if !mode.wait_rollout {
        return Ok(outcome);
    }
    // The counts are set and read back and the lock is gone: a rollout that does not finish (a stuck
    // image pull, a frozen controller) is reported, not turned into "could not put back".
    if let Err(e) = wait_restored(
        runner,
        kubectl,
        &outcome.restored,
        cfg.timeout,
        Until::RolledOut,
    ) {
        runner.reporter().warn(&format!(
            "every recorded replica count is set again and the lock is released, but {e:#}; \
             check them with `kubectl get deployments,statefulsets -n {}`",
            cfg.target.namespace
        ));
        outcome.rollout_unfinished = Some(format!("{e:#}"));
    }
    Ok(outcome)
}

/// Releases the lock once everything the journal holds is back: the lease stops, the ConfigMap goes.
pub(crate) fn unlock(
    runner: &Runner,
    kubectl: &Kubectl,
    cfg: &Config,
    journal: &Journal,
    lease: Option<&LeaseSlot>,
    done: &str,
) -> anyhow::Result<()> {
    if let Some(slot) = lease {
        // stop renewing before the journal goes, or the renewal would find it gone and cry "lost"
        slot.release();
    }
    runner
        .run(&journal::release_cmd(kubectl))
        .with_context(|| {
            format!("{done}, but the journal ConfigMap (the lock) could not be deleted")
        })?;
    journal::remove_local(cfg, journal);
    crate::signals::set_restore_hint(None);
    Ok(())
}

/// Whether platform-auth (when it is put back) runs already: users are in, whatever comes back first.
fn platform_auth_running(restored: &[Recorded], current: &[Workload]) -> bool {
    restored.iter().filter(|r| r.is_platform_auth()).any(|r| {
        current
            .iter()
            .any(|w| w.kind == r.kind && w.metadata.name == r.name && w.replicas() > 0)
    })
}

/// Fails unless every put-back object reads back at its recorded count.
fn read_back(runner: &Runner, kubectl: &Kubectl, restored: &[Recorded]) -> anyhow::Result<()> {
    let after: List<Workload> = runner.json(&kubectl.list(LISTING))?;
    let not_applied: Vec<String> = restored
        .iter()
        .filter_map(|r| {
            let live = after
                .items
                .iter()
                .find(|w| w.kind == r.kind && w.metadata.name == r.name)?;
            (live.replicas() != r.replicas).then(|| {
                format!(
                    "{} is at {}, not {}",
                    r.reference(),
                    live.replicas(),
                    r.replicas
                )
            })
        })
        .collect();
    if !not_applied.is_empty() {
        anyhow::bail!(
            "the scale calls succeeded but these counts did not change: {}",
            not_applied.join(", ")
        );
    }
    Ok(())
}

/// How far the put-back objects must come before a wait ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Until {
    /// Their recorded count of pods Running (not Ready: with maintenance mode on, backyards such as
    /// ita-by-conductor-regularly stay unready by design until it is released).
    Running,
    /// Their recorded count, updated and ready (what `kubectl rollout status` waits for).
    RolledOut,
}

impl Until {
    fn is_reached(self, r: &Recorded, w: &Workload, pods: &[crate::ops::k8s::Pod]) -> bool {
        match self {
            Until::RolledOut => w.replicas() == r.replicas && w.rolled_out(),
            Until::Running => {
                let running = pods
                    .iter()
                    .filter(|p| w.selects(p) && p.status.phase == PodPhase::Running)
                    .filter(|p| p.metadata.deletion_timestamp.is_none())
                    .count() as i64;
                running >= r.replicas
            }
        }
    }
}

/// What [`wait_restored`] repeats, as plans show it.
pub(crate) fn wait_restored_shown(kubectl: &Kubectl, until: Until) -> Cmd {
    kubectl.list(RESTORED_LISTING).note(match until {
        Until::Running => {
            "repeated until the restored objects' pods run (Ready comes after the release)"
        }
        Until::RolledOut => "repeated until every restored object has rolled out",
    })
}

const RESTORED_LISTING: &str = "deployments,statefulsets,pods";

/// Waits until every put-back object (that still exists) has come as far as `until`, one listing per poll.
pub(crate) fn wait_restored(
    runner: &Runner,
    kubectl: &Kubectl,
    objects: &[Recorded],
    timeout: Duration,
    until: Until,
) -> anyhow::Result<()> {
    let listing = kubectl.list(RESTORED_LISTING);
    let (what, word) = match until {
        Until::Running => ("the restored pods to run", "running"),
        Until::RolledOut => ("the restored objects to roll out", "rolled out"),
    };
    poll(
        runner.reporter(),
        what,
        timeout,
        // Rollouts of a few objects end within seconds: a tighter cap ends the run sooner, one call per poll.
        Duration::from_secs(1),
        // Not interruptible: after a first Ctrl-C this wait is part of putting things back.
        OnInterrupt::Finish,
        || {
            let mixed = Mixed::parse(runner.json::<List<serde_json::Value>>(&listing)?)?;
            let pending: Vec<&str> = objects
                .iter()
                .filter(|r| {
                    mixed
                        .workloads
                        .iter()
                        .find(|w| w.kind == r.kind && w.metadata.name == r.name)
                        .is_some_and(|w| !until.is_reached(r, w, &mixed.pods))
                })
                .map(|r| r.name.as_str())
                .collect();
            Ok(if pending.is_empty() {
                Poll::Ready(())
            } else {
                Poll::Pending(format!("not yet {word}: {}", pending.join(", ")))
            })
        },
    )
}
