//! What a command printed and how it failed.

use std::fmt;
use std::time::Duration;

/// What a finished command printed.
#[derive(Debug, Clone, Default)]
pub(crate) struct Output {
    pub(crate) stdout: String,
}

/// A command that could not be run or did not succeed.
#[derive(Debug)]
pub(crate) struct ProcessError {
    pub(crate) command: String,
    pub(crate) kind: FailureKind,
    pub(crate) stderr: String,
    /// What it printed on stdout before failing (e.g. the objects a partly failed `kubectl apply` applied).
    pub(crate) stdout: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum FailureKind {
    NotFound(String),
    Spawn(String),
    Exit(Option<i32>),
    /// Ended by this signal (no exit status).
    Signal(i32),
    TimedOut(Duration),
    /// A read-only wait stopped at a Ctrl-C (`Cmd::stops_on_interrupt`).
    Interrupted,
    DryRun,
}

impl ProcessError {
    /// The stderr text without the trailing newline, for matching on messages like `AlreadyExists`.
    pub(crate) fn stderr_trimmed(&self) -> &str {
        self.stderr.trim_end()
    }

    /// The last line of stderr (where kubectl and helm put the error), or what happened without one.
    pub(crate) fn last_line(&self) -> String {
        self.stderr_trimmed()
            .lines()
            .last()
            .unwrap_or("no answer in time")
            .to_string()
    }

    /// One line for a list of problems: the command and the last line of its stderr.
    pub(crate) fn summary(&self) -> String {
        let stderr = self.stderr_trimmed();
        match stderr.lines().last() {
            Some(last) => format!("`{}`: {last}", self.command),
            None => self.to_string(),
        }
    }

    /// The executable is not installed (or not on PATH).
    pub(crate) fn is_missing_tool(&self) -> bool {
        matches!(self.kind, FailureKind::NotFound(_))
    }

    /// A wait the user's Ctrl-C stopped (`Cmd::stops_on_interrupt`).
    pub(crate) fn is_interrupted(&self) -> bool {
        matches!(self.kind, FailureKind::Interrupted)
    }
}

impl fmt::Display for ProcessError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            FailureKind::NotFound(why) => write!(f, "could not run `{}`: {why}", self.command)?,
            FailureKind::Spawn(why) => write!(f, "could not start `{}`: {why}", self.command)?,
            FailureKind::Exit(Some(code)) => {
                write!(f, "`{}` failed (exit status: {code})", self.command)?
            }
            FailureKind::Exit(None) => write!(f, "`{}` was killed by a signal", self.command)?,
            FailureKind::Signal(signal) => write!(
                f,
                "`{}` failed (signal: {signal}{})",
                self.command,
                signal_name(*signal)
                    .map(|n| format!(", {n}"))
                    .unwrap_or_default()
            )?,
            FailureKind::TimedOut(limit) => write!(
                f,
                "`{}` did not finish within {} and was stopped",
                self.command,
                humantime::format_duration(*limit)
            )?,
            FailureKind::Interrupted => {
                write!(f, "`{}` was stopped by the interrupt", self.command)?
            }
            FailureKind::DryRun => write!(
                f,
                "refused to run the mutating command `{}` in dry-run mode",
                self.command
            )?,
        }
        let stdout = self.stdout.trim_end();
        if !stdout.is_empty() {
            write!(f, "\n--- stdout\n{stdout}")?;
        }
        let stderr = self.stderr.trim_end();
        if !stderr.is_empty() {
            write!(f, "\n--- stderr\n{stderr}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ProcessError {}

/// The name of a signal that ends processes (as cargo-util's `ProcessError` shows it).
fn signal_name(signal: i32) -> Option<&'static str> {
    Some(match signal {
        libc::SIGHUP => "SIGHUP",
        libc::SIGINT => "SIGINT",
        libc::SIGQUIT => "SIGQUIT",
        libc::SIGABRT => "SIGABRT",
        libc::SIGKILL => "SIGKILL",
        libc::SIGSEGV => "SIGSEGV",
        libc::SIGPIPE => "SIGPIPE",
        libc::SIGTERM => "SIGTERM",
        libc::SIGBUS => "SIGBUS",
        _ => return None,
    })
}

/// How a finished process failed: its exit code, or the signal that ended it.
pub(crate) fn failure_of(status: std::process::ExitStatus) -> FailureKind {
    use std::os::unix::process::ExitStatusExt;
    match (status.code(), status.signal()) {
        (None, Some(signal)) => FailureKind::Signal(signal),
        (code, _) => FailureKind::Exit(code),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signal_is_named() {
        let err = ProcessError {
            command: "helm upgrade x".into(),
            kind: FailureKind::Signal(9),
            stderr: String::new(),
            stdout: "partial\n".into(),
        };
        assert_eq!(
            err.to_string(),
            "`helm upgrade x` failed (signal: 9, SIGKILL)\n--- stdout\npartial"
        );
    }

    #[test]
    fn process_error_names_command_status_and_stderr() {
        let err = ProcessError {
            command: "kubectl scale deployment/a --replicas=0".into(),
            kind: FailureKind::Exit(Some(1)),
            stderr: "Error from server (NotFound): deployments.apps \"a\" not found\n".into(),
            stdout: String::new(),
        };
        assert_eq!(
            err.to_string(),
            "`kubectl scale deployment/a --replicas=0` failed (exit status: 1)\n--- stderr\nError from server (NotFound): deployments.apps \"a\" not found"
        );
    }
}
