//! The run's lease kept alive: a renewal of its key in the journal ConfigMap every few seconds, in the
//! background, for as long as the run holds the lock (`exastro/lease.rs` says when a lease is live).

use super::journal::JOURNAL_NAME;
use super::lease::{self, Lease, LeaseSlot};
use crate::ops::kubectl::Kubectl;
use crate::process::retry::Cause;
use crate::process::{Cmd, ProcessError, RetriedCall, Runner};

/// One renewal of the lease: a merge patch of its key alone (never the journal's), tried once, briefly.
pub(crate) fn renew_cmd(kubectl: &Kubectl, lease: &Lease) -> Cmd {
    kubectl
        .patch_merge(
            &format!("configmap/{JOURNAL_NAME}"),
            &serde_json::json!({ "data": { lease::LEASE_KEY: lease.to_json() } }),
        )
        .no_retry()
        .timeout(lease::RENEW_EVERY + std::time::Duration::from_secs(2))
}

/// Renews the run's lease in the background until the slot is stopped (see `LeaseSlot::renew_loop`).
/// A renewal that fails is tried again at the next tick (the lease outlasts several): the first failure
/// of a streak is shown and reported like a retried call.
pub(crate) fn keep_renewing(runner: &Runner, kubectl: &Kubectl, slot: &LeaseSlot) {
    let mut failing = false;
    slot.renew_loop(|lease| match runner.run(&renew_cmd(kubectl, lease)) {
        Ok(_) => {
            failing = false;
            Ok(true)
        }
        Err(err) if err.stderr.contains("NotFound") || err.stderr.contains("not found") => {
            Ok(false)
        }
        Err(err) => {
            if !std::mem::replace(&mut failing, true) {
                note_failed_renewal(runner, &err);
            }
            Err(err.into())
        }
    });
}

fn note_failed_renewal(runner: &Runner, err: &ProcessError) {
    let first_error = err.last_line();
    runner.reporter().warn(&format!(
        "could not renew this run's lease ({first_error}); retrying at the next renewal in {}s",
        lease::RENEW_EVERY.as_secs()
    ));
    runner.log_retry(RetriedCall {
        command: err.command.clone(),
        cause: Cause::of(&err.stderr),
        first_error,
        attempts: 1,
        outcome: "retried at the next renewal",
    });
}
