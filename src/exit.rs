//! Documented exit codes and the error type that carries one.

use std::fmt;

/// Exit codes shared by both plugins (documented in `--help` and README).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Exit {
    /// Done, or nothing to do.
    Ok = 0,
    /// Failed after changes began; the recorded state was put back.
    FailedRestored = 1,
    /// Bad input or failed preflight; nothing was changed.
    BadInput = 2,
    /// Failed and could not put things back; the message names the command that does.
    NotRestored = 3,
    /// A bug (a panic): the message says whether anything was changed and how to put it back.
    Bug = 4,
    /// Interrupted (Ctrl-C / SIGTERM); the recorded state was put back.
    Interrupted = 130,
}

/// Every exit code of both plugins with its meaning: `--help`, the man pages and the README say these.
pub const EXIT_CODES: &[(i32, &str)] = &[
    (0, "done, or nothing to do"),
    (1, "failed after changes began; the recorded state was put back, or the commands that put it back were printed"),
    (2, "bad input or failed preflight; nothing was changed"),
    (3, "failed and could not put the recorded state back; the message names the command that does"),
    (4, "internal error (a bug); the message says whether anything was changed and the command that puts it back"),
    (130, "interrupted (Ctrl-C/SIGTERM): the command in progress finished and things were put back (a second Ctrl-C stops at once and prints the command that does)"),
];

/// The exit-code table of `--help`: one line per code, wrapped by the terminal, not by hand.
pub(crate) fn exit_codes_help() -> String {
    let mut text = String::from("Exit codes:");
    for (code, meaning) in EXIT_CODES {
        text.push_str(&format!("\n  {code:<4} {meaning}"));
    }
    text
}

/// An error that decides the process exit code. Anywhere in an anyhow chain.
#[derive(Debug)]
pub(crate) struct Coded {
    pub(crate) code: Exit,
    pub(crate) message: String,
}

impl fmt::Display for Coded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Coded {}

/// Bad input: exit 2, nothing changed.
pub(crate) fn bad_input(message: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(Coded {
        code: Exit::BadInput,
        message: message.into(),
    })
}

pub(crate) fn coded(code: Exit, message: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(Coded {
        code,
        message: message.into(),
    })
}

/// Every preflight problem in one error: exit 2, nothing changed.
pub(crate) fn preflight_failed(problems: &[String]) -> anyhow::Error {
    let list = problems
        .iter()
        .map(|p| format!("  - {p}"))
        .collect::<Vec<_>>()
        .join("\n");
    bad_input(format!(
        "preflight found {} problem(s); nothing was changed:\n{list}",
        problems.len()
    ))
}

/// Appends "Nothing in the cluster was changed." unless the message already says so: said once.
pub(crate) fn with_nothing_changed(mut text: String) -> String {
    if !text.to_lowercase().contains("nothing was changed") {
        text.push_str("Nothing in the cluster was changed.");
    }
    text.trim_end().to_string()
}

/// The operator answered no at the confirmation: nothing was changed (exit 2), and nothing failed.
#[derive(Debug)]
pub(crate) struct Declined;

impl fmt::Display for Declined {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("cancelled at the confirmation")
    }
}

impl std::error::Error for Declined {}

pub(crate) fn is_declined(err: &anyhow::Error) -> bool {
    err.chain().any(|e| e.is::<Declined>())
}

/// The exit code an error asks for; errors that name none mean "nothing was changed" (2).
pub(crate) fn code_of(err: &anyhow::Error) -> Exit {
    err.chain()
        .find_map(|e| e.downcast_ref::<Coded>().map(|c| c.code))
        .unwrap_or(Exit::BadInput)
}

/// Prints an error chain the way cargo does: the message, then each cause.
pub(crate) fn render_error(err: &anyhow::Error) -> String {
    let mut text = format!("error: {err}");
    for cause in err.chain().skip(1) {
        let cause = cause.to_string();
        if !text.contains(&cause) {
            text.push_str(&format!(
                "\n\nCaused by:\n  {}",
                cause.replace('\n', "\n  ")
            ));
        }
    }
    text
}
