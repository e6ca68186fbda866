//! The command line (clap). Nothing here outlives parsing: it becomes a [`Config`].

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

use super::config::{AdminAccess, Config, MaintenanceMode, StopScope};
use crate::cli_args::{parse_duration, parse_namespace, parse_release, ApplyArgs, CommonArgs};
use crate::exit::exit_codes_help;
use crate::ops::target::KubeTarget;

/// Backups of one namespace and release kept in the state directory unless `--keep-backups` says otherwise.
const DEFAULT_KEEP_BACKUPS: u32 = 5;

#[derive(Debug, Parser)]
#[command(
    name = "kubectl-exastro_upgrade",
    bin_name = "kubectl exastro-upgrade",
    version,
    about = "Upgrade Exastro (IT Automation + Platform) with helm, safely: stop, upgrade, migrate, put every replica count back (helm 3.12+ or helm 4)",
    long_about = None,
    after_help = exit_codes_help()
)]
// No `propagate_version`: `run`/`plan`/`values-diff` have their own `--version` (the chart version, as in
// helm), and a propagated `--version` flag would clash with it (clap panics building those subcommands).
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Run the whole upgrade runbook (asks before changing anything)
    Run(RunArgs),
    /// Show every step and the exact commands, changing nothing
    Plan(UpgradeArgs),
    /// Show how the values file drifts from the target chart's defaults
    #[command(name = "values-diff")]
    ValuesDiff(ValuesDiffArgs),
    /// Show the release, versions, the objects a run would stop and any unfinished run
    Status(StatusArgs),
    /// Put back the replica counts an unfinished run recorded (from the journal in the cluster)
    Restore(RestoreArgs),
    /// Save both ENCRYPT_KEYs, the release's values, manifest and history, and the replica counts (private files)
    Backup(BackupArgs),
    /// Print a completion script for the kubectl-exastro_upgrade executable (bash, zsh, fish, powershell, elvish)
    Completion {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, Clone, Args)]
pub(crate) struct Selectors {
    /// Namespace of the release
    #[arg(short = 'n', long, default_value = "exastro", global = true, value_parser = parse_namespace)]
    pub(crate) namespace: String,
    /// Helm release name
    #[arg(long, default_value = "exastro", global = true, value_parser = parse_release)]
    pub(crate) release: String,
    #[command(flatten)]
    pub(crate) common: CommonArgs,
}

/// The chart, the values file and the version: what `values-diff` compares and `run` installs.
#[derive(Debug, Clone, Args)]
pub(crate) struct ChartArgs {
    /// Chart to upgrade to, as REPO/CHART
    #[arg(long, default_value = "exastro/exastro")]
    pub(crate) chart: String,
    /// Values file the release was installed with
    #[arg(
        short = 'f',
        long = "values",
        default_value = "exastro.yaml",
        value_name = "FILE"
    )]
    pub(crate) values: PathBuf,
    /// Chart version constraint (e.g. 1.0.1, "~1.0"); default: the newest
    #[arg(long, value_name = "CONSTRAINT")]
    pub(crate) version: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub(crate) struct ValuesDiffArgs {
    #[command(flatten)]
    pub(crate) selectors: Selectors,
    #[command(flatten)]
    pub(crate) chart: ChartArgs,
}

#[derive(Debug, Clone, Args)]
pub(crate) struct UpgradeArgs {
    #[command(flatten)]
    pub(crate) selectors: Selectors,
    #[command(flatten)]
    pub(crate) chart: ChartArgs,
    /// What to stop during the upgrade (default: what the vendor's procedure for the target stops)
    #[arg(long, value_enum)]
    pub(crate) stop: Option<StopArg>,
    /// Maintenance mode around the stop (auto: when the vendor's procedure for the target has it, 2.6+)
    #[arg(long, value_enum, default_value_t = MaintenanceArg::Auto, value_name = "WHEN")]
    pub(crate) maintenance_mode: MaintenanceArg,
    /// Bound for running jobs to finish once backyard execution is stopped (maintenance mode)
    #[arg(long, default_value = "30m", value_parser = parse_duration, value_name = "DURATION")]
    pub(crate) drain_timeout: Duration,
    /// At the drain's bound, go on although jobs still run (the stop kills them)
    #[arg(long)]
    pub(crate) no_drain: bool,
    #[command(flatten)]
    pub(crate) admin: AdminArgs,
    /// Upgrade although the values file drops settings the release has now (helm -f replaces them all)
    #[arg(long)]
    pub(crate) accept_dropped_values: bool,
    /// Also put back objects outside the stop set that helm resets to the chart's count (e.g. scaled by hand)
    #[arg(long)]
    pub(crate) restore_helm_resets: bool,
    /// Where `run` saves its backup first (default: under ~/.local/state/upgrade-plugins/backups)
    #[arg(long, value_name = "DIR")]
    pub(crate) backup_dir: Option<PathBuf>,
    /// Backups of this namespace and release kept in the state directory (the oldest are removed)
    #[arg(long, value_name = "N", default_value_t = DEFAULT_KEEP_BACKUPS, value_parser = clap::value_parser!(u32).range(1..))]
    pub(crate) keep_backups: u32,
    /// Bound for every wait and for helm upgrade (e.g. 10m, 90s)
    #[arg(long, default_value = "10m", value_parser = parse_duration, value_name = "DURATION")]
    pub(crate) timeout: Duration,
    /// helm 4, server-side release: let helm take over fields other managers own (replica counts are taken over without it)
    #[arg(long)]
    pub(crate) force_conflicts: bool,
}

#[derive(Debug, Clone, Args)]
pub(crate) struct RunArgs {
    #[command(flatten)]
    pub(crate) upgrade: UpgradeArgs,
    #[command(flatten)]
    pub(crate) apply: ApplyArgs,
}

#[derive(Debug, Clone, Args)]
pub(crate) struct StatusArgs {
    #[command(flatten)]
    pub(crate) selectors: Selectors,
    /// Chart, as REPO/CHART (for the available version)
    #[arg(long, default_value = "exastro/exastro")]
    pub(crate) chart: String,
    /// What a run would stop
    #[arg(long, value_enum, default_value_t = StopArg::Backyard)]
    pub(crate) stop: StopArg,
    #[command(flatten)]
    pub(crate) admin: AdminArgs,
}

#[derive(Debug, Clone, Args)]
pub(crate) struct RestoreArgs {
    #[command(flatten)]
    pub(crate) selectors: Selectors,
    /// Do not ask for confirmation
    #[arg(short = 'y', long)]
    pub(crate) yes: bool,
    /// Also put back objects whose replicas were changed by hand since the run stopped them
    #[arg(long)]
    pub(crate) force: bool,
    /// Print what would be put back, changing nothing
    #[arg(long)]
    pub(crate) dry_run: bool,
    /// Bound for the rollout wait
    #[arg(long, default_value = "10m", value_parser = parse_duration, value_name = "DURATION")]
    pub(crate) timeout: Duration,
    #[command(flatten)]
    pub(crate) admin: AdminArgs,
}

#[derive(Debug, Clone, Args)]
pub(crate) struct BackupArgs {
    #[command(flatten)]
    pub(crate) selectors: Selectors,
    /// Directory to write (created with mode 0700; files 0600); default: under the state directory
    #[arg(long, value_name = "DIR")]
    pub(crate) dir: Option<PathBuf>,
    /// Do not ask for confirmation
    #[arg(short = 'y', long)]
    pub(crate) yes: bool,
    /// Backups of this namespace and release kept in the state directory (the oldest are removed)
    #[arg(long, value_name = "N", default_value_t = DEFAULT_KEEP_BACKUPS, value_parser = clap::value_parser!(u32).range(1..))]
    pub(crate) keep_backups: u32,
}

impl BackupArgs {
    pub(crate) fn config(&self) -> Config {
        Config {
            yes: self.yes,
            keep_backups: self.keep_backups as usize,
            ..self.selectors.base_config()
        }
    }
}

/// Where the maintenance-mode calls go (platform-auth's administrator listener).
#[derive(Debug, Clone, Args)]
pub(crate) struct AdminArgs {
    /// The administrator site (http or https); default: `kubectl port-forward` to svc/platform-auth port 8001
    #[arg(long, value_name = "URL", value_parser = parse_admin_url)]
    pub(crate) admin_url: Option<String>,
    /// CA certificate (PEM) of an https administrator site with a private CA
    #[arg(long, value_name = "FILE", requires = "admin_url")]
    pub(crate) admin_ca: Option<PathBuf>,
}

impl AdminArgs {
    fn access(&self) -> AdminAccess {
        AdminAccess {
            url: self.admin_url.clone(),
            ca: self.admin_ca.clone(),
        }
    }
}

fn parse_admin_url(text: &str) -> Result<String, String> {
    let rest = text
        .strip_prefix("http://")
        .or_else(|| text.strip_prefix("https://"))
        .ok_or("give an http:// or https:// URL, e.g. https://exastro-suite-mng.example.com")?;
    if rest.trim_end_matches('/').is_empty() || rest.contains('@') {
        return Err("give the site's address without credentials, e.g. https://exastro-suite-mng.example.com (the credentials come from EXASTRO_ADMIN_USER/EXASTRO_ADMIN_PASSWORD or the cluster)".into());
    }
    Ok(text.trim_end_matches('/').to_string())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum MaintenanceArg {
    /// when the vendor's procedure for the target includes it (2.6 and later)
    Auto,
    /// on any upgrade from 2.4 (the first version that has it)
    On,
    /// never (running jobs are killed by the stop)
    Off,
}

impl From<MaintenanceArg> for MaintenanceMode {
    fn from(arg: MaintenanceArg) -> Self {
        match arg {
            MaintenanceArg::Auto => MaintenanceMode::Auto,
            MaintenanceArg::On => MaintenanceMode::On,
            MaintenanceArg::Off => MaintenanceMode::Off,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum StopArg {
    /// platform-auth and every ita-by-* Deployment of the release
    Backyard,
    /// every Deployment and StatefulSet of the namespace
    All,
}

impl Selectors {
    fn base_config(&self) -> Config {
        Config {
            target: KubeTarget {
                namespace: self.namespace.clone(),
                context: self.common.context.clone(),
                kubeconfig: self.common.kubeconfig.clone(),
            },
            release: self.release.clone(),
            chart: "exastro/exastro".into(),
            values_file: PathBuf::from("exastro.yaml"),
            version: None,
            stop: StopScope::Backyard,
            stop_given: false,
            maintenance: MaintenanceMode::Auto,
            drain_timeout: Duration::from_secs(1800),
            no_drain: false,
            admin: AdminAccess::default(),
            timeout: Duration::from_secs(600),
            yes: false,
            dry_run: false,
            verbose: self.common.verbose,
            output: self.common.output.into(),
            force: false,
            accept_dropped_values: false,
            restore_helm_resets: false,
            backup_dir: None,
            keep_backups: DEFAULT_KEEP_BACKUPS as usize,
            force_conflicts: false,
        }
    }
}

impl From<StopArg> for StopScope {
    fn from(arg: StopArg) -> Self {
        match arg {
            StopArg::Backyard => StopScope::Backyard,
            StopArg::All => StopScope::All,
        }
    }
}

impl ChartArgs {
    fn apply(&self, base: Config) -> Config {
        Config {
            chart: self.chart.clone(),
            values_file: self.values.clone(),
            version: self.version.clone(),
            ..base
        }
    }
}

impl ValuesDiffArgs {
    pub(crate) fn config(&self) -> Config {
        self.chart.apply(self.selectors.base_config())
    }
}

impl UpgradeArgs {
    pub(crate) fn config(&self) -> Config {
        let base = self.chart.apply(self.selectors.base_config());
        Config {
            stop: self.stop.map_or(StopScope::Backyard, Into::into),
            stop_given: self.stop.is_some(),
            maintenance: self.maintenance_mode.into(),
            drain_timeout: self.drain_timeout,
            no_drain: self.no_drain,
            admin: self.admin.access(),
            timeout: self.timeout,
            accept_dropped_values: self.accept_dropped_values,
            restore_helm_resets: self.restore_helm_resets,
            backup_dir: self.backup_dir.clone(),
            keep_backups: self.keep_backups as usize,
            force_conflicts: self.force_conflicts,
            ..base
        }
    }
}

impl RunArgs {
    pub(crate) fn config(&self) -> Config {
        Config {
            yes: self.apply.yes,
            dry_run: self.apply.dry_run,
            ..self.upgrade.config()
        }
    }
}

impl StatusArgs {
    pub(crate) fn config(&self) -> Config {
        Config {
            chart: self.chart.clone(),
            stop: self.stop.into(),
            admin: self.admin.access(),
            ..self.selectors.base_config()
        }
    }
}

impl RestoreArgs {
    pub(crate) fn config(&self) -> Config {
        Config {
            yes: self.yes,
            force: self.force,
            dry_run: self.dry_run,
            timeout: self.timeout,
            admin: self.admin.access(),
            ..self.selectors.base_config()
        }
    }
}
