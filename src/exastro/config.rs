//! Plain configuration, built from the command line at the edge (`exastro/cli.rs`).

use std::path::PathBuf;
use std::time::Duration;

use crate::ops::target::KubeTarget;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum StopScope {
    /// platform-auth and every `ita-by-*` Deployment of the release (the 2.0 - 2.3 runbooks).
    Backyard,
    /// Every Deployment and StatefulSet of the namespace (the 2.4+ runbook).
    All,
}

impl StopScope {
    /// The `--stop` value that asks for it.
    pub(crate) fn flag_value(self) -> &'static str {
        match self {
            StopScope::Backyard => "backyard",
            StopScope::All => "all",
        }
    }
}

/// `--maintenance-mode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, Default)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum MaintenanceMode {
    /// On when the vendor's procedure for the target includes it (2.6+).
    #[default]
    Auto,
    /// On for any upgrade from 2.4 (the first version that has it).
    On,
    /// Never: the stop kills running jobs.
    Off,
}

pub(crate) use crate::output::OutputFormat;

/// How to reach platform-auth's administrator listener (maintenance mode).
#[derive(Debug, Clone, Default)]
pub(crate) struct AdminAccess {
    /// `--admin-url`: the administrator site itself; None: `kubectl port-forward` to svc/platform-auth:8001.
    pub(crate) url: Option<String>,
    /// `--admin-ca`: a private CA for an https administrator site.
    pub(crate) ca: Option<PathBuf>,
}

#[derive(Debug, Clone)]
pub(crate) struct Config {
    pub(crate) target: KubeTarget,
    pub(crate) release: String,
    /// `REPO/CHART`.
    pub(crate) chart: String,
    pub(crate) values_file: PathBuf,
    pub(crate) version: Option<String>,
    pub(crate) stop: StopScope,
    /// `--stop` was given: it overrides the procedure's own stop.
    pub(crate) stop_given: bool,
    pub(crate) maintenance: MaintenanceMode,
    /// Bound for the drain of running jobs once backyard execution is stopped.
    pub(crate) drain_timeout: Duration,
    /// Go on at the drain's bound although jobs still run (they are killed by the stop).
    pub(crate) no_drain: bool,
    pub(crate) admin: AdminAccess,
    pub(crate) timeout: Duration,
    pub(crate) yes: bool,
    pub(crate) dry_run: bool,
    pub(crate) verbose: bool,
    pub(crate) output: OutputFormat,
    /// restore: also put back objects whose replicas somebody changed by hand.
    pub(crate) force: bool,
    /// run: go on although the values file drops settings the release has now.
    pub(crate) accept_dropped_values: bool,
    /// run: put objects helm's three-way merge resets back to their count from before the upgrade.
    pub(crate) restore_helm_resets: bool,
    /// run: where the backup goes (default: under the state directory).
    pub(crate) backup_dir: Option<PathBuf>,
    /// run: `helm upgrade --force-conflicts` (helm 4): take over fields other managers own.
    pub(crate) force_conflicts: bool,
    /// run, backup: how many backups of this namespace and release the state directory keeps.
    pub(crate) keep_backups: usize,
}

impl Config {
    pub(crate) fn repo(&self) -> &str {
        self.chart
            .split_once('/')
            .map(|(repo, _)| repo)
            .unwrap_or(&self.chart)
    }

    pub(crate) fn chart_name(&self) -> &str {
        self.chart
            .split_once('/')
            .map(|(_, name)| name)
            .unwrap_or(&self.chart)
    }

    pub(crate) fn values_display(&self) -> String {
        self.values_file.display().to_string()
    }

    /// The restore command for this namespace, copy-pastable.
    pub(crate) fn restore_command(&self) -> String {
        let mut words = vec![
            "kubectl".to_string(),
            "exastro-upgrade".into(),
            "restore".into(),
        ];
        words.extend(["-n".to_string(), self.target.namespace.clone()]);
        if let Some(ctx) = &self.target.context {
            words.push(format!("--context={ctx}"));
        }
        if let Some(path) = &self.target.kubeconfig {
            words.push(format!("--kubeconfig={path}"));
        }
        words.push("--yes".into());
        crate::quote::shell_join(&words)
    }
}
