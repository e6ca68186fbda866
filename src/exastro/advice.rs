//! Which ways out a message may offer, by who holds the namespace. One place decides, so that no message
//! hands the operator a `helm rollback`, a `restore` or a `--force` to paste under a live upgrade.

/// Who holds the namespace's lock (the journal ConfigMap), as far as advice is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Holder {
    /// No run holds it.
    Free,
    /// A run holds it and keeps renewing its lease: it is working; anything pasted now races with it.
    LiveRun,
    /// A run holds it and is known to be dead: its recorded counts are waiting to be put back. Its helm
    /// may still be running (helm survives the tool), so a rollback is not for now: `restore` waits for helm.
    DeadRun,
    /// A dead run whose release stayed `pending-*` for the whole `--timeout` of a `restore`: only now may
    /// a rollback be offered, with the forced restore after it.
    StuckHelm,
}

/// A way out a message can print.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum WayOut {
    /// Wait for the run in progress (`status` shows where it is).
    Wait,
    /// `kubectl exastro-upgrade restore`: put a dead run's counts back.
    Restore,
    /// `restore --force`: put counts back without waiting for helm or a lease.
    RestoreForce,
    /// `helm rollback`: bring a pending or failed release back to its last deployed revision.
    Rollback,
}

impl Holder {
    /// The ways out allowed in this state.
    pub(crate) fn ways_out(self) -> &'static [WayOut] {
        match self {
            Holder::Free => &[WayOut::Rollback],
            Holder::LiveRun => &[WayOut::Wait],
            // the restore comes first: it waits for helm, and says when a rollback is needed
            Holder::DeadRun => &[WayOut::Restore],
            Holder::StuckHelm => &[WayOut::Rollback, WayOut::RestoreForce],
        }
    }

    pub(crate) fn allows(self, way: WayOut) -> bool {
        self.ways_out().contains(&way)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_live_run_allows_nothing_but_waiting() {
        for way in [WayOut::Restore, WayOut::RestoreForce, WayOut::Rollback] {
            assert!(!Holder::LiveRun.allows(way), "{way:?}");
        }
        assert!(Holder::LiveRun.allows(WayOut::Wait));
    }

    #[test]
    fn every_state_offers_a_way_out_and_only_a_dead_run_a_restore() {
        for holder in [
            Holder::Free,
            Holder::LiveRun,
            Holder::DeadRun,
            Holder::StuckHelm,
        ] {
            assert!(!holder.ways_out().is_empty(), "{holder:?}");
            assert_eq!(
                holder.allows(WayOut::Restore),
                holder == Holder::DeadRun,
                "{holder:?}"
            );
        }
        assert!(!Holder::Free.allows(WayOut::Wait));
        // helm may outlive a dead run: no rollback until a restore saw it stay pending
        assert!(!Holder::DeadRun.allows(WayOut::Rollback));
        assert!(Holder::StuckHelm.allows(WayOut::Rollback));
    }
}
