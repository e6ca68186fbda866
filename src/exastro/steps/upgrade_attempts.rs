//! `helm upgrade` run again after a transient API error, while the stop is held. helm gives up on the
//! first server error of a write and leaves the release `failed`, the normal starting point of the next
//! upgrade; or, when it could not even record that (the API server away) or only its last write (the
//! record) failed, `pending-upgrade`: `helm rollback` to that very revision applies the same chart and
//! values again and records them deployed (the Exastro charts have no hooks to run twice). Never again
//! after a rollout that timed out, a hook that failed, a field conflict or a release another operation
//! holds.

use crate::exastro::context::Ctx;
use crate::ops::helm::{ReleaseRow, ReleaseStatus};
use crate::process::retry::{Cause, Transience};
use crate::process::{Cmd, FailureKind, ProcessError, RetriedCall, Runner};

/// `helm upgrade` runs at most this many times: the first and two more.
pub(super) const HELM_UPGRADE_RUNS: u32 = 3;

/// helm's messages for failures that another run would meet again.
const LASTING: &[&str] = &[
    "hooks failed",
    "timed out waiting for the condition",
    "context deadline exceeded",
    "conflict",
    "another operation (install/upgrade/rollback) is in progress",
];

fn worth_running_again(err: &ProcessError) -> bool {
    matches!(err.kind, FailureKind::Exit(_))
        && Cause::of(&err.stderr).transience() != Transience::Never
        && !LASTING.iter().any(|m| err.stderr.contains(m))
}

/// The release's revision left `pending-upgrade` at the target chart by this run's own helm (which has
/// exited, so nothing is working on it).
fn pending_by_this_run(ctx: &Ctx, runner: &Runner) -> anyhow::Result<Option<i64>> {
    let rows: Vec<ReleaseRow> = runner.json(&ctx.helm.list_release(&ctx.cfg.release))?;
    let before = ctx.release.as_ref().map(|r| r.revision.clone());
    let expected = format!("{}-{}", ctx.cfg.chart_name(), ctx.target_version());
    Ok(rows
        .into_iter()
        .find(|r| r.name == ctx.cfg.release)
        .filter(|r| {
            r.status == ReleaseStatus::PendingUpgrade
                && r.chart == expected
                && Some(&r.revision) != before.as_ref()
        })
        .and_then(|r| r.revision.parse().ok()))
}

/// Runs `upgrade` until it succeeds, at most [`HELM_UPGRADE_RUNS`] times; how many helm calls it took
/// (the recording rollback included).
pub(super) fn upgrade(ctx: &Ctx, runner: &Runner, upgrade: &Cmd) -> anyhow::Result<u32> {
    let mut first: Option<ProcessError> = None;
    let mut run = 1;
    let mut attempts = 1;
    loop {
        let err = match runner.run(upgrade) {
            Ok(_) => break,
            Err(err) => err,
        };
        if !worth_running_again(&err) || run == HELM_UPGRADE_RUNS {
            return Err(match first {
                Some(first) => anyhow::Error::new(err).context(format!(
                    "`helm upgrade` failed {run} times; the first error was: {}",
                    first.last_line()
                )),
                None => err.into(),
            });
        }
        runner.reporter().warn(&format!(
            "`helm upgrade` failed on a transient API error ({}); reading the release, then retrying",
            err.last_line()
        ));
        // Read after the failure (this read waits out an API server that is away).
        if let Some(revision) = pending_by_this_run(ctx, runner)? {
            runner.reporter().warn(&format!(
                "helm left revision {revision} pending-upgrade: completing it with `helm rollback` to \
                 revision {revision} itself, which applies the same chart and values again and records \
                 them deployed"
            ));
            runner.run(&ctx.helm.rollback(&ctx.cfg.release, revision))?;
            first.get_or_insert(err);
            attempts += 1;
            break;
        }
        runner.reporter().info(&format!(
            "release {} is not pending: running `helm upgrade` again ({} of at most {HELM_UPGRADE_RUNS})",
            ctx.cfg.release,
            run + 1
        ));
        first.get_or_insert(err);
        run += 1;
        attempts += 1;
    }
    if let Some(first) = first {
        runner.log_retry(RetriedCall {
            command: upgrade.display(),
            cause: Cause::of(&first.stderr),
            first_error: first.last_line(),
            attempts,
            outcome: "succeeded",
        });
    }
    Ok(attempts)
}
