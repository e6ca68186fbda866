//! The command line (clap). Nothing here outlives parsing: it becomes a [`Config`].

use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

use super::config::{Config, Db};
use crate::cli_args::{parse_duration, parse_namespace, ApplyArgs, CommonArgs};
use crate::exit::exit_codes_help;
use crate::ops::target::KubeTarget;

#[derive(Debug, Parser)]
#[command(
    name = "oc-3scale_upgrade",
    bin_name = "oc 3scale-upgrade",
    version,
    about = "Upgrade the images of a template-based 3scale install (2.9 -> 2.10) safely: add the image stream tags, \
             switch each DeploymentConfig's ImageChange trigger and wait for every rollout",
    long_about = None,
    after_help = exit_codes_help(),
    propagate_version = true
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Add the new image stream tags and move every DeploymentConfig to them, one rollout at a time (asks first)
    #[command(name = "patch-images")]
    PatchImages(PatchArgs),
    /// Show every step and the exact oc commands, changing nothing
    Plan(UpgradeArgs),
    /// Show the image stream tags and imports, each DeploymentConfig's trigger and rollout, and AMP_RELEASE
    Status(StatusArgs),
    /// Oracle: build amp-system:<to>-oracle (the guide's first step) from the templates' amp/system-oracle directory
    #[command(name = "build-oracle-image")]
    BuildOracleImage(BuildArgs),
    /// Print a completion script for the oc-3scale_upgrade executable (bash, zsh, fish, powershell, elvish)
    Completion {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, Clone, Args)]
pub(crate) struct Selectors {
    /// Project (namespace) of the 3scale install; default: the current project (`oc project -q`)
    #[arg(short = 'n', long, global = true, value_name = "NS", value_parser = parse_namespace)]
    pub(crate) namespace: Option<String>,
    #[command(flatten)]
    pub(crate) common: CommonArgs,
}

#[derive(Debug, Clone, Args)]
pub(crate) struct UpgradeArgs {
    #[command(flatten)]
    pub(crate) selectors: Selectors,
    /// The system database; default: detected (-oracle trigger tags, or a system-mysql/system-postgresql DC)
    #[arg(long, value_enum)]
    pub(crate) db: Option<DbArg>,
    /// The installed 3scale version
    #[arg(long, default_value = "2.9", value_name = "VERSION")]
    pub(crate) from: String,
    /// The 3scale version to move to
    #[arg(long, default_value = "2.10", value_name = "VERSION")]
    pub(crate) to: String,
    /// Only these components: the guide's names (system, apicast, backend, zync, memcached, zync-database, redis, mysql, postgresql) or image streams (e.g. amp-system); repeatable or comma-separated; default: all
    #[arg(long = "component", value_name = "NAME", value_delimiter = ',')]
    pub(crate) components: Vec<String>,
    /// Replace registry.redhat.io in the new tags' sources (mirrored or disconnected clusters)
    #[arg(long, value_name = "HOST[/PATH]")]
    pub(crate) registry: Option<String>,
    /// Bound for each wait: the image imports, and each DeploymentConfig's rollout (e.g. 20m, 90s)
    #[arg(long, default_value = "20m", value_parser = parse_duration, value_name = "DURATION")]
    pub(crate) timeout: Duration,
    /// Oracle: build amp-system:<to>-oracle first from this directory (the templates' amp/system-oracle with oracle-client-files/ filled), when it is not built yet
    #[arg(long, value_name = "DIR", value_hint = clap::ValueHint::DirPath)]
    pub(crate) oracle_build_dir: Option<std::path::PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub(crate) struct PatchArgs {
    #[command(flatten)]
    pub(crate) upgrade: UpgradeArgs,
    #[command(flatten)]
    pub(crate) apply: ApplyArgs,
}

#[derive(Debug, Clone, Args)]
pub(crate) struct BuildArgs {
    #[command(flatten)]
    pub(crate) selectors: Selectors,
    /// The templates' amp/system-oracle directory with oracle-client-files/ filled (the three Instant Client zips)
    #[arg(long, value_name = "DIR", value_hint = clap::ValueHint::DirPath)]
    pub(crate) from_dir: std::path::PathBuf,
    /// Replace registry.redhat.io in the image the build starts from (mirrored or disconnected clusters)
    #[arg(long, value_name = "HOST[/PATH]")]
    pub(crate) registry: Option<String>,
    /// Bound for the build (e.g. 30m)
    #[arg(long, default_value = "20m", value_parser = parse_duration, value_name = "DURATION")]
    pub(crate) timeout: Duration,
    #[command(flatten)]
    pub(crate) apply: ApplyArgs,
}

impl BuildArgs {
    pub(crate) fn config(&self) -> Config {
        Config {
            db: Some(Db::Oracle),
            components: vec!["system".into()],
            registry: self.registry.as_ref().map(|r| r.trim().to_string()),
            oracle_build_dir: Some(self.from_dir.clone()),
            build_only: true,
            timeout: self.timeout,
            yes: self.apply.yes,
            dry_run: self.apply.dry_run,
            ..self.selectors.base_config()
        }
    }
}

#[derive(Debug, Clone, Args)]
pub(crate) struct StatusArgs {
    #[command(flatten)]
    pub(crate) selectors: Selectors,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum DbArg {
    Oracle,
    Mysql,
    Postgresql,
}

impl From<DbArg> for Db {
    fn from(arg: DbArg) -> Self {
        match arg {
            DbArg::Oracle => Db::Oracle,
            DbArg::Mysql => Db::Mysql,
            DbArg::Postgresql => Db::Postgresql,
        }
    }
}

impl Selectors {
    fn base_config(&self) -> Config {
        Config {
            target: KubeTarget {
                namespace: self.namespace.clone().unwrap_or_default(),
                context: self.common.context.clone(),
                kubeconfig: self.common.kubeconfig.clone(),
            },
            from: "2.9".into(),
            to: "2.10".into(),
            db: None,
            components: Vec::new(),
            registry: None,
            oracle_build_dir: None,
            build_only: false,
            timeout: Duration::from_secs(20 * 60),
            yes: false,
            dry_run: false,
            verbose: self.common.verbose,
            output: self.common.output.into(),
        }
    }
}

impl UpgradeArgs {
    pub(crate) fn config(&self) -> Config {
        Config {
            from: self.from.clone(),
            to: self.to.clone(),
            db: self.db.map(Db::from),
            components: self.components.clone(),
            registry: self.registry.as_ref().map(|r| r.trim().to_string()),
            oracle_build_dir: self.oracle_build_dir.clone(),
            timeout: self.timeout,
            ..self.selectors.base_config()
        }
    }
}

impl PatchArgs {
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
        self.selectors.base_config()
    }
}
