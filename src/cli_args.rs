//! Command-line pieces shared by both plugins (clap types stay at the edge: they become config structs).

use std::time::Duration;

use clap::{Args, ValueEnum};

use crate::output::OutputFormat;

/// Flags every subcommand of both plugins takes, anywhere on the line.
#[derive(Debug, Clone, Args)]
pub struct CommonArgs {
    /// Kube context to use (passed to kubectl/oc as --context, to helm as --kube-context)
    #[arg(long, global = true)]
    pub context: Option<String>,
    /// Path to the kubeconfig file
    #[arg(long, global = true)]
    pub kubeconfig: Option<String>,
    /// Print every command, shell-quoted, before it runs
    #[arg(short = 'v', long, global = true)]
    pub verbose: bool,
    /// Output format of the result on stdout
    #[arg(short = 'o', long, value_enum, default_value_t = OutputArg::Text, global = true)]
    pub output: OutputArg,
}

/// The two flags of every command that changes the cluster.
#[derive(Debug, Clone, Args)]
pub struct ApplyArgs {
    /// Do not ask for confirmation
    #[arg(short = 'y', long)]
    pub yes: bool,
    /// Run only the read-only steps and print the commands the others would run
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputArg {
    Text,
    Json,
}

impl From<OutputArg> for OutputFormat {
    fn from(arg: OutputArg) -> Self {
        match arg {
            OutputArg::Text => OutputFormat::Text,
            OutputArg::Json => OutputFormat::Json,
        }
    }
}

/// `10m`, `90s`, `1h30m`: a positive duration.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let d = humantime::parse_duration(text)
        .map_err(|e| format!("{e} (use a duration such as 10m, 90s or 1h30m)"))?;
    if d.is_zero() {
        return Err("must be longer than zero (e.g. 10m)".into());
    }
    Ok(d)
}
