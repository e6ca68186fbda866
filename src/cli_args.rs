//! Command-line pieces shared by both plugins (clap types stay at the edge: they become config structs).

use std::time::Duration;

use clap::{Args, ValueEnum};

use crate::output::OutputFormat;

/// Flags every subcommand of both plugins takes, anywhere on the line.
#[derive(Debug, Clone, Args)]
pub(crate) struct CommonArgs {
    /// Kube context to use, as kubectl's --context (every tool the plugin runs gets it)
    #[arg(long, global = true)]
    pub(crate) context: Option<String>,
    /// Path to the kubeconfig file, as kubectl's --kubeconfig (default: $KUBECONFIG, else ~/.kube/config)
    #[arg(long, global = true)]
    pub(crate) kubeconfig: Option<String>,
    /// Print every command, shell-quoted, before it runs
    #[arg(short = 'v', long, global = true)]
    pub(crate) verbose: bool,
    /// Output format of the result on stdout
    #[arg(short = 'o', long, value_enum, default_value_t = OutputArg::Text, global = true)]
    pub(crate) output: OutputArg,
}

/// The two flags of every command that changes the cluster.
#[derive(Debug, Clone, Args)]
pub(crate) struct ApplyArgs {
    /// Do not ask for confirmation
    #[arg(short = 'y', long)]
    pub(crate) yes: bool,
    /// Run only the read-only steps and print the commands the others would run
    #[arg(long)]
    pub(crate) dry_run: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum OutputArg {
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

/// A namespace or project name as Kubernetes accepts it (an RFC 1123 label): checked before any call, so
/// an empty `-n ''` (an unset `$NS` in a script) or a typo is an argument error, never "the current
/// namespace" nor "cannot reach the cluster".
pub(crate) fn parse_namespace(text: &str) -> Result<String, String> {
    dns_label(text, 63).map_err(|why| format!("{why}: a namespace is 1-63 lowercase letters, digits or '-', starting and ending with a letter or digit"))
}

/// A helm release name (helm's limit is 53 characters).
pub(crate) fn parse_release(text: &str) -> Result<String, String> {
    dns_label(text, 53).map_err(|why| format!("{why}: a release name is 1-53 lowercase letters, digits or '-', starting and ending with a letter or digit"))
}

fn dns_label(text: &str, max: usize) -> Result<String, String> {
    if text.is_empty() {
        return Err("it is empty".into());
    }
    if text.len() > max {
        return Err(format!("it is {} characters long", text.len()));
    }
    if let Some(bad) = text
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
    {
        return Err(format!("{bad:?} is not allowed"));
    }
    if text.starts_with('-') || text.ends_with('-') {
        return Err("it starts or ends with '-'".into());
    }
    Ok(text.to_string())
}

/// `10m`, `90s`, `1h30m`: a positive duration.
pub(crate) fn parse_duration(text: &str) -> Result<Duration, String> {
    let d = humantime::parse_duration(text)
        .map_err(|e| format!("{e} (use a duration such as 10m, 90s or 1h30m)"))?;
    if d < Duration::from_secs(1) {
        return Err(format!(
            "{text} is shorter than one call to the cluster takes: it bounds every call and every wait, so give at least 1s (the default is 10m)"
        ));
    }
    Ok(d)
}
