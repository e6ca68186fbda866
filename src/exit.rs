//! Documented exit codes and the error type that carries one.

use std::fmt;

/// Exit codes shared by both plugins. Each knows its meaning ([`Exit::meaning`]): `--help`, the man pages'
/// EXIT STATUS and the README's table all say these words (`tests/completion_files.rs` checks the README).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Ok = 0,
    FailedRestored = 1,
    BadInput = 2,
    NotRestored = 3,
    Bug = 4,
    Interrupted = 130,
}

impl Exit {
    /// Every code, in the order the tables list them.
    pub const ALL: [Exit; 6] = [
        Exit::Ok,
        Exit::FailedRestored,
        Exit::BadInput,
        Exit::NotRestored,
        Exit::Bug,
        Exit::Interrupted,
    ];

    pub const fn meaning(self) -> &'static str {
        match self {
            Exit::Ok => "done, or nothing to do",
            Exit::FailedRestored => "failed after changes began; the recorded state was put back, or the commands that put it back were printed",
            Exit::BadInput => "bad input or failed preflight; nothing was changed",
            Exit::NotRestored => "failed and could not put the recorded state back; the message names the command that does",
            Exit::Bug => "internal error (a bug); the message says whether anything was changed and the command that puts it back",
            Exit::Interrupted => "interrupted (Ctrl-C/SIGTERM): the command in progress finished and things were put back (a second Ctrl-C stops at once and prints the command that does)",
        }
    }
}

/// Every exit code of both plugins with its meaning, as the tables print them.
pub fn exit_codes() -> impl Iterator<Item = (i32, &'static str)> {
    Exit::ALL.iter().map(|e| (*e as i32, e.meaning()))
}

/// Set once this process started a change in the cluster (by the runner): from then on an error is never
/// "nothing was changed".
static CHANGES_BEGAN: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

pub(crate) fn note_change() {
    CHANGES_BEGAN.store(true, std::sync::atomic::Ordering::SeqCst);
}

pub(crate) fn changes_began() -> bool {
    CHANGES_BEGAN.load(std::sync::atomic::Ordering::SeqCst)
}

/// The exit-code table of `--help`: one line per code, wrapped by the terminal, not by hand.
pub(crate) fn exit_codes_help() -> String {
    let mut text = String::from("Exit codes:");
    for (code, meaning) in exit_codes() {
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

/// The exit code of a command that ended with `err`: once it had changed something, never 2 ("nothing was
/// changed") but 3 (not put back; the caller prints the command that does).
pub(crate) fn final_code(err: &anyhow::Error) -> Exit {
    match code_of(err) {
        Exit::BadInput if changes_began() && !is_declined(err) => Exit::NotRestored,
        code => code,
    }
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
