//! One command line, not yet run: what every `ops/` wrapper builds and every plan shows.

use std::fmt;
use std::time::Duration;

use crate::quote::shell_join;

/// Whether a command changes anything in the cluster (or in helm's release store).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Effect {
    Read,
    Mutate,
}

/// One command line, not yet run. Built by the typed wrappers in `ops/`.
#[derive(Debug, Clone)]
pub(crate) struct Cmd {
    pub(crate) program: &'static str,
    pub(crate) args: Vec<String>,
    pub(crate) stdin: Option<Vec<u8>>,
    pub(crate) effect: Effect,
    /// Safe to run again after a transient failure (every read; writes that set an absolute state).
    pub(crate) retry_safe: bool,
    pub(crate) timeout: Option<Duration>,
    /// Shown after the command in plans, e.g. "repeated until the pods are gone".
    pub(crate) note: Option<String>,
    /// A failure (non-zero exit) of this command is known to change nothing, e.g. `kubectl create` of one
    /// object. Other mutating commands count as a change as soon as they start.
    pub(crate) atomic: bool,
    /// How plans show the arguments when some are made at run time (an id, a time, a lease): the same
    /// command with `<placeholders>`, so a plan never shows a value that only looks copy-pastable.
    pub(crate) plan_args: Option<Vec<String>>,
    /// A read-only wait (a watch) that a Ctrl-C stops: it runs in its own process group, so the terminal's
    /// signal does not reach it, and waiting for it to end would ignore the user.
    pub(crate) stops_on_interrupt: bool,
}

impl Cmd {
    pub(crate) fn read(
        program: &'static str,
        args: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        Cmd {
            program,
            args: args.into_iter().map(Into::into).collect(),
            stdin: None,
            effect: Effect::Read,
            retry_safe: true,
            timeout: None,
            note: None,
            atomic: false,
            plan_args: None,
            stops_on_interrupt: false,
        }
    }

    pub(crate) fn mutate(
        program: &'static str,
        args: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        Cmd {
            effect: Effect::Mutate,
            retry_safe: false,
            ..Cmd::read(program, args)
        }
    }

    #[must_use]
    pub(crate) fn arg(mut self, arg: impl Into<String>) -> Self {
        self.args.push(arg.into());
        self
    }

    #[must_use]
    pub(crate) fn args(mut self, args: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    #[must_use]
    pub(crate) fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Mark a read-only wait that a Ctrl-C stops (see `stops_on_interrupt`).
    #[must_use]
    pub(crate) fn stops_on_interrupt(mut self) -> Self {
        debug_assert!(!self.is_mutating(), "only a read may be abandoned halfway");
        self.stops_on_interrupt = true;
        self
    }

    /// Mark a mutating command whose repetition is harmless (it sets an absolute state).
    #[must_use]
    pub(crate) fn retry_safe(mut self) -> Self {
        self.retry_safe = true;
        self
    }

    #[must_use]
    pub(crate) fn no_retry(mut self) -> Self {
        self.retry_safe = false;
        self
    }

    #[must_use]
    pub(crate) fn atomic(mut self) -> Self {
        self.atomic = true;
        self
    }

    #[must_use]
    pub(crate) fn note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }

    /// Plans show `shown`'s arguments instead of this command's (see [`Cmd::plan_args`]).
    #[must_use]
    pub(crate) fn shown_in_plans_as(mut self, shown: &Cmd) -> Self {
        self.plan_args = Some(shown.args.clone());
        self
    }

    /// The command line as a plan shows it: placeholders for values made at run time.
    pub(crate) fn plan_display(&self) -> String {
        let mut words = vec![self.program.to_string()];
        words.extend(
            self.plan_args
                .as_ref()
                .unwrap_or(&self.args)
                .iter()
                .cloned(),
        );
        shell_join(&words)
    }

    pub(crate) fn is_mutating(&self) -> bool {
        self.effect == Effect::Mutate
    }

    /// The command line as a user would paste it into a POSIX shell.
    pub(crate) fn display(&self) -> String {
        let mut words = vec![self.program.to_string()];
        words.extend(self.args.iter().cloned());
        shell_join(&words)
    }
}

impl fmt::Display for Cmd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display())
    }
}
