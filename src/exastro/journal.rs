//! The run's journal and lock: one ConfigMap in the release's namespace, created atomically before the
//! first change (`kubectl create` fails with AlreadyExists when another run holds it), holding the recorded
//! replica counts and the run's identity. It survives `kill -9` of the tool and the loss of the machine it
//! ran on; `restore` works from it alone. A private local copy (mode 0600) is kept under the XDG state
//! directory. It holds names and counts only, never values or secrets.

use std::path::PathBuf;
use std::time::SystemTime;

use anyhow::Context as _;
use serde::{Deserialize, Serialize};

use super::advice::Holder;
use super::config::Config;
use super::lease::{self, Lease, LeaseSlot, Liveness};
use super::stop_set::{HeldCronJob, Recorded};
use crate::exit::bad_input;
use crate::ops::k8s::ConfigMap;
use crate::ops::kubectl::Kubectl;
use crate::process::{Cmd, Runner};
use crate::state_dir;

pub(crate) const JOURNAL_NAME: &str = "exastro-upgrade-journal";
pub(crate) const JOURNAL_KEY: &str = "journal.json";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Phase {
    /// Maintenance mode on, running jobs draining; nothing stopped yet (the 2.6+ procedure).
    Draining,
    /// Stopping the recorded objects; helm has not run: every recorded object should be at 0.
    Stopping,
    /// helm upgrade started: helm may have reset replica counts to the chart's.
    Upgrading,
    /// Waiting for migrations.
    Migrating,
    /// Putting the recorded counts back.
    Restoring,
}

impl Phase {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Phase::Draining => "draining",
            Phase::Stopping => "stopping",
            Phase::Upgrading => "upgrading",
            Phase::Migrating => "migrating",
            Phase::Restoring => "restoring",
        }
    }

    /// After helm started, the counts on the objects are helm's, not a hand change.
    pub(crate) fn helm_may_have_reset(self) -> bool {
        !matches!(self, Phase::Draining | Phase::Stopping)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Journal {
    pub(crate) format: u32,
    pub(crate) run_id: String,
    pub(crate) holder: String,
    pub(crate) started: String,
    pub(crate) namespace: String,
    pub(crate) release: String,
    pub(crate) context: String,
    pub(crate) from_version: String,
    pub(crate) to_version: String,
    pub(crate) phase: Phase,
    pub(crate) objects: Vec<Recorded>,
    /// The CronJobs the run suspended, with their own setting before (journals of older versions: none).
    #[serde(default)]
    pub(crate) cronjobs: Vec<HeldCronJob>,
    /// The maintenance-mode setting before the run, when the run turns it on: what is put back (a mode
    /// that was already on stays on). Absent: the run does not touch maintenance mode.
    /// StatefulSets deleted with `--cascade=orphan` before helm's upgrade (pods and claims kept), for helm
    /// to re-create: a restore after a failed upgrade names any that is still missing.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) recreated_statefulsets: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) maintenance_before: Option<crate::ops::exastro_admin::Setting>,
}

impl Journal {
    pub(crate) fn new(
        cfg: &Config,
        holder: &lease::Holder,
        context: &str,
        from: &str,
        to: &str,
        objects: Vec<Recorded>,
        cronjobs: Vec<HeldCronJob>,
    ) -> Self {
        let started = humantime::format_rfc3339_seconds(SystemTime::now()).to_string();
        Journal {
            format: 1,
            run_id: format!("{}-{}", started, std::process::id()),
            holder: format!("{}@{}", holder.user, holder.host),
            started,
            namespace: cfg.target.namespace.clone(),
            release: cfg.release.clone(),
            context: context.to_string(),
            from_version: from.to_string(),
            to_version: to.to_string(),
            phase: Phase::Stopping,
            objects,
            cronjobs,
            recreated_statefulsets: Vec::new(),
            maintenance_before: None,
        }
    }

    fn json(&self) -> String {
        serde_json::to_string(self).expect("journal serializes")
    }

    /// Creating the ConfigMap is the lock: atomic, fails with AlreadyExists when held. It carries the
    /// lease that tells others the run is alive.
    pub(crate) fn create_cmd(&self, kubectl: &Kubectl, lease: &Lease) -> Cmd {
        let made_at_run_time = kubectl.create_configmap(
            JOURNAL_NAME,
            &[
                (
                    JOURNAL_KEY,
                    format!(
                        "<made at run time: run id, start time, phase, {} recorded count(s), {} CronJob(s)>",
                        self.objects.len(),
                        self.cronjobs.len()
                    ),
                ),
                (lease::LEASE_KEY, "<made at run time: holder, pid, renewal time>".into()),
                ("holder", self.holder.clone()),
                ("started", "<made at run time: start time>".into()),
            ],
        );
        kubectl
            .create_configmap(
                JOURNAL_NAME,
                &[
                    (JOURNAL_KEY, self.json()),
                    (lease::LEASE_KEY, lease.to_json()),
                    ("holder", self.holder.clone()),
                    ("started", self.started.clone()),
                ],
            )
            .shown_in_plans_as(&made_at_run_time)
    }

    pub(crate) fn phase_cmd(&self, kubectl: &Kubectl, phase: Phase) -> Cmd {
        let mut next = self.clone();
        next.phase = phase;
        let patch = |text: String| {
            kubectl.patch_merge(
                &format!("configmap/{JOURNAL_NAME}"),
                &serde_json::json!({ "data": { JOURNAL_KEY: text } }),
            )
        };
        patch(next.json())
            .shown_in_plans_as(&patch(format!(
                "<made at run time: the journal, phase {}>",
                phase.name()
            )))
            .note(format!("the journal notes phase {}", phase.name()))
    }

    pub(crate) fn describe(&self) -> String {
        format!(
            "started by {} at {} (chart {} -> {}, phase {:?}, {} object(s) recorded)",
            self.holder,
            self.started,
            self.from_version,
            self.to_version,
            self.phase,
            self.objects.len()
        )
    }
}

pub(crate) fn release_cmd(kubectl: &Kubectl) -> Cmd {
    kubectl.delete_configmap(JOURNAL_NAME)
}

/// Whether the run that holds this journal is alive (watching its lease if it has to).
pub(crate) fn liveness(
    runner: &Runner,
    kubectl: &Kubectl,
    held: Option<Lease>,
) -> anyhow::Result<Liveness> {
    lease::assess(held, runner.reporter(), || {
        Ok(fetch_with_lease(runner, kubectl)?.map(|(_, lease)| lease))
    })
}

/// The refusal for a live holder: it is running, so nobody should put anything back under it.
pub(crate) fn live_holder_refusal(
    cfg: &Config,
    journal: &Journal,
    live: &Liveness,
) -> anyhow::Error {
    bad_input(format!(
        "{} Nothing was changed.",
        live_holder_text(cfg, journal, live)
    ))
}

/// Where a live run stands and that the only thing to do is wait (never `restore`).
pub(crate) fn live_holder_text(cfg: &Config, journal: &Journal, live: &Liveness) -> String {
    let Liveness::Live {
        holder,
        renewed_ago,
    } = live
    else {
        unreachable!("only a live holder is refused");
    };
    format!(
        "an upgrade run is in progress in namespace {} {}, renewed {}s ago (phase {}, chart {} -> {}): \
         wait for it. `kubectl exastro-upgrade status -n {}` shows where it is.",
        cfg.target.namespace,
        holder.describe(),
        renewed_ago.as_secs(),
        journal.phase.name(),
        journal.from_version,
        journal.to_version,
        cfg.target.namespace
    )
}

/// Takes the lock by creating the journal. Another run's journal → exit 2: "wait for it" while that run
/// lives, the restore command once it is known to be dead.
pub(crate) fn acquire(
    runner: &Runner,
    kubectl: &Kubectl,
    cfg: &Config,
    journal: &Journal,
    lease: &Lease,
) -> anyhow::Result<()> {
    save_local(cfg, journal)?;
    // A create the server stored although its answer was lost is this run's: the journal names its run.
    let ours = || -> anyhow::Result<bool> {
        Ok(fetch_with_lease(runner, kubectl)?.is_some_and(|(j, _)| j.run_id == journal.run_id))
    };
    match runner.run_checked(&journal.create_cmd(kubectl, lease), ours) {
        Ok(_) => Ok(()),
        Err(err) if err.stderr.contains("already exists") && ours()? => Ok(()),
        Err(err) if err.stderr.contains("already exists") => {
            remove_local(cfg, journal);
            let Some((other, other_lease)) = fetch_with_lease(runner, kubectl).ok().flatten()
            else {
                return Err(bad_input(format!(
                    "namespace {} is locked by another upgrade run that just ended or is starting. \
                     Nothing was changed. Run this again in a moment.",
                    cfg.target.namespace
                )));
            };
            let live = liveness(runner, kubectl, other_lease)?;
            if matches!(live, Liveness::Live { .. }) {
                return Err(live_holder_refusal(cfg, &other, &live));
            }
            let Liveness::Dead(why) = live else {
                unreachable!()
            };
            Err(bad_input(format!(
                "namespace {} is locked by another upgrade run, {}, and that run is dead: {why}. \
                 Nothing was changed. Put its recorded replicas back and release the lock with:\n  {}",
                cfg.target.namespace,
                other.describe(),
                cfg.restore_command()
            )))
        }
        Err(err) => {
            remove_local(cfg, journal);
            Err(err).context(
                "could not write the journal (the lock) into the namespace; nothing was changed",
            )
        }
    }
}

pub(crate) fn set_phase(
    runner: &Runner,
    kubectl: &Kubectl,
    cfg: &Config,
    journal: &mut Journal,
    phase: Phase,
    slot: &LeaseSlot,
) -> anyhow::Result<()> {
    if let Some(why) = slot.lost() {
        anyhow::bail!(
            "this run lost its lock: {why} (was `restore --force` run from another terminal?)"
        );
    }
    runner
        .run(&journal.phase_cmd(kubectl, phase))
        .with_context(|| format!("could not update the journal ConfigMap {JOURNAL_NAME}"))?;
    journal.phase = phase;
    save_local(cfg, journal)
}

/// The journal and its holder's lease (`None` for a journal written without one).
pub(crate) fn fetch_with_lease(
    runner: &Runner,
    kubectl: &Kubectl,
) -> anyhow::Result<Option<(Journal, Option<Lease>)>> {
    let output = runner.run(&kubectl.get_optional("configmap", JOURNAL_NAME))?;
    parse_with_lease(&output.stdout)
}

/// The journal and lease in `kubectl get configmap -o json` output (empty: no journal).
pub(crate) fn parse_with_lease(stdout: &str) -> anyhow::Result<Option<(Journal, Option<Lease>)>> {
    let Some(journal) = parse_configmap(stdout)? else {
        return Ok(None);
    };
    let cm: ConfigMap = serde_json::from_str(stdout)?;
    let lease = cm
        .data
        .get(lease::LEASE_KEY)
        .and_then(|text| serde_json::from_str(text).ok());
    Ok(Some((journal, lease)))
}

/// The preflight problem an existing journal makes: "wait for it" while its run lives, the restore
/// command once it is known to be dead.
pub(crate) fn unfinished_problem(
    runner: &Runner,
    kubectl: &Kubectl,
    cfg: &Config,
    journal: &Journal,
    lease: Option<Lease>,
) -> anyhow::Result<(String, Holder)> {
    Ok(match liveness(runner, kubectl, lease)? {
        live @ Liveness::Live { .. } => (live_holder_text(cfg, journal, &live), Holder::LiveRun),
        Liveness::Dead(why) => (
            format!(
                "an unfinished upgrade run holds namespace {}, {}, and it is not running: {why}. \
                 Put its recorded replicas back first:\n    {}",
                cfg.target.namespace,
                journal.describe(),
                cfg.restore_command()
            ),
            Holder::DeadRun,
        ),
    })
}

pub(crate) fn parse_configmap(stdout: &str) -> anyhow::Result<Option<Journal>> {
    if stdout.trim().is_empty() {
        return Ok(None);
    }
    let cm: ConfigMap =
        serde_json::from_str(stdout).context("the journal ConfigMap is not valid JSON")?;
    let text = cm
        .data
        .get(JOURNAL_KEY)
        .with_context(|| format!("ConfigMap {JOURNAL_NAME} has no {JOURNAL_KEY} key"))?;
    let journal = serde_json::from_str(text)
        .with_context(|| format!("ConfigMap {JOURNAL_NAME} holds an unreadable journal"))?;
    Ok(Some(journal))
}

pub(crate) fn local_path(cfg: &Config, context: &str) -> Option<PathBuf> {
    let key = state_dir::file_key(&[context, &cfg.target.namespace]);
    state_dir::state_dir().map(|d| d.join(format!("exastro-{key}.json")))
}

pub(crate) fn save_local(cfg: &Config, journal: &Journal) -> anyhow::Result<()> {
    if let Some(path) = local_path(cfg, &journal.context) {
        let text = serde_json::to_string_pretty(journal)?;
        state_dir::write_private(&path, &text)?;
    }
    Ok(())
}

pub(crate) fn remove_local(cfg: &Config, journal: &Journal) {
    if let Some(path) = local_path(cfg, &journal.context) {
        let _ = std::fs::remove_file(path);
    }
}
