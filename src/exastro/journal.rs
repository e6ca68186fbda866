//! The run's journal and lock: one ConfigMap in the release's namespace, created atomically before the
//! first change (`kubectl create` fails with AlreadyExists when another run holds it), holding the recorded
//! replica counts and the run's identity. It survives `kill -9` of the tool and the loss of the machine it
//! ran on; `restore` works from it alone. A private local copy (mode 0600) is kept under the XDG state
//! directory. It holds names and counts only, never values or secrets.

use std::path::PathBuf;
use std::time::SystemTime;

use anyhow::Context as _;
use serde::{Deserialize, Serialize};

use super::config::Config;
use super::context::Recorded;
use crate::exit::bad_input;
use crate::ops::k8s::ConfigMap;
use crate::ops::kubectl::Kubectl;
use crate::process::{Cmd, Runner};
use crate::state_dir;

pub const JOURNAL_NAME: &str = "exastro-upgrade-journal";
pub const JOURNAL_KEY: &str = "journal.json";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Phase {
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
    /// After helm started, the counts on the objects are helm's, not a hand change.
    pub fn helm_may_have_reset(self) -> bool {
        !matches!(self, Phase::Stopping)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Journal {
    pub format: u32,
    pub run_id: String,
    pub holder: String,
    pub started: String,
    pub namespace: String,
    pub release: String,
    pub context: String,
    pub from_version: String,
    pub to_version: String,
    pub phase: Phase,
    pub objects: Vec<Recorded>,
}

fn holder() -> String {
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .unwrap_or_else(|_| "unknown".into());
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_else(|_| "unknown-host".into());
    format!("{user}@{host}")
}

impl Journal {
    pub fn new(cfg: &Config, context: &str, from: &str, to: &str, objects: Vec<Recorded>) -> Self {
        let started = humantime::format_rfc3339_seconds(SystemTime::now()).to_string();
        Journal {
            format: 1,
            run_id: format!("{}-{}", started, std::process::id()),
            holder: holder(),
            started,
            namespace: cfg.target.namespace.clone(),
            release: cfg.release.clone(),
            context: context.to_string(),
            from_version: from.to_string(),
            to_version: to.to_string(),
            phase: Phase::Stopping,
            objects,
        }
    }

    fn json(&self) -> String {
        serde_json::to_string(self).expect("journal serializes")
    }

    /// Creating the ConfigMap is the lock: atomic, fails with AlreadyExists when held.
    pub fn create_cmd(&self, kubectl: &Kubectl) -> Cmd {
        kubectl.create_configmap(
            JOURNAL_NAME,
            &[
                (JOURNAL_KEY, self.json()),
                ("holder", self.holder.clone()),
                ("started", self.started.clone()),
            ],
        )
    }

    pub fn phase_cmd(&self, kubectl: &Kubectl, phase: Phase) -> Cmd {
        let mut next = self.clone();
        next.phase = phase;
        kubectl.patch_merge(
            &format!("configmap/{JOURNAL_NAME}"),
            &serde_json::json!({ "data": { JOURNAL_KEY: next.json() } }),
        )
    }

    pub fn describe(&self) -> String {
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

pub fn release_cmd(kubectl: &Kubectl) -> Cmd {
    kubectl.delete_configmap(JOURNAL_NAME)
}

/// Takes the lock by creating the journal. Another run's journal → exit 2 naming its holder.
pub fn acquire(
    runner: &Runner,
    kubectl: &Kubectl,
    cfg: &Config,
    journal: &Journal,
) -> anyhow::Result<()> {
    save_local(cfg, journal)?;
    match runner.run(&journal.create_cmd(kubectl)) {
        Ok(_) => Ok(()),
        Err(err) if err.stderr.contains("already exists") => {
            remove_local(cfg, journal);
            let holder = fetch(runner, kubectl)
                .ok()
                .flatten()
                .map(|j| j.describe())
                .unwrap_or_else(|| "by an unknown run".into());
            Err(bad_input(format!(
                "namespace {} is locked by another upgrade run, {holder}. Nothing was changed. \
                 If that run is no longer running, put its recorded replicas back and release the lock with:\n  {}",
                cfg.target.namespace,
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

pub fn set_phase(
    runner: &Runner,
    kubectl: &Kubectl,
    cfg: &Config,
    journal: &mut Journal,
    phase: Phase,
) -> anyhow::Result<()> {
    runner
        .run(&journal.phase_cmd(kubectl, phase))
        .with_context(|| format!("could not update the journal ConfigMap {JOURNAL_NAME}"))?;
    journal.phase = phase;
    save_local(cfg, journal)
}

/// Reads the journal from the cluster; `None` when there is no unfinished run.
pub fn fetch(runner: &Runner, kubectl: &Kubectl) -> anyhow::Result<Option<Journal>> {
    let output = runner.run(&kubectl.get_optional("configmap", JOURNAL_NAME))?;
    parse_configmap(&output.stdout)
}

pub fn parse_configmap(stdout: &str) -> anyhow::Result<Option<Journal>> {
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

pub fn local_path(cfg: &Config, context: &str) -> Option<PathBuf> {
    let key = state_dir::file_key(&[context, &cfg.target.namespace]);
    state_dir::state_dir().map(|d| d.join(format!("exastro-{key}.json")))
}

pub fn save_local(cfg: &Config, journal: &Journal) -> anyhow::Result<()> {
    if let Some(path) = local_path(cfg, &journal.context) {
        let text = serde_json::to_string_pretty(journal)?;
        state_dir::write_private(&path, &text)?;
    }
    Ok(())
}

pub fn remove_local(cfg: &Config, journal: &Journal) {
    if let Some(path) = local_path(cfg, &journal.context) {
        let _ = std::fs::remove_file(path);
    }
}

pub fn load_local(cfg: &Config, context: &str) -> Option<Journal> {
    let path = local_path(cfg, context)?;
    let text = std::fs::read_to_string(path).ok()?;
    serde_json::from_str(&text).ok()
}
