//! The run driver both plugins share: a runbook executed (or previewed), with the confirmation before the
//! first change: the plan's summary on stderr, then `--yes`, a y/N question, or a refusal without a terminal.

use crate::output::{confirm_or_refuse, Guarded};
use crate::process::Runner;
use crate::runbook::{execute, Mode, RunOutcome, Runbook};

/// How a plugin asks before its first change.
pub(crate) struct Confirmation<'a, C> {
    /// `--yes`.
    pub(crate) yes: bool,
    pub(crate) question: &'a str,
    /// Said when there is no terminal to ask on, e.g. ", or preview it with `oc 3scale-upgrade plan`".
    pub(crate) alternative: &'a str,
    /// What the run is about to do, printed before the question.
    pub(crate) summary: fn(&C) -> String,
}

/// Runs (`preview` false) or previews the runbook.
pub(crate) fn drive<C>(
    runbook: &Runbook<C>,
    ctx: &mut C,
    runner: &Runner,
    preview: bool,
    confirmation: &Confirmation<'_, C>,
) -> RunOutcome {
    let mode = if preview {
        Mode::Preview
    } else {
        Mode::Execute
    };
    execute(runbook, ctx, runner, mode, |ctx| {
        runner.reporter().info(&(confirmation.summary)(ctx));
        confirm_or_refuse(
            runner.reporter(),
            confirmation.yes,
            confirmation.question,
            Guarded::ClusterChange {
                alternative: confirmation.alternative,
            },
        )
    })
}
