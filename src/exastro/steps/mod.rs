//! The Exastro upgrade runbook, one file per step, in the order they run.

mod drift;
mod migrations;
mod preflight;
mod record;
mod restore;
mod stop;
mod upgrade;
pub(crate) mod values_guard;
mod verify;

pub(crate) use drift::compute as compute_drift;

use super::context::Ctx;
use crate::runbook::Runbook;

pub(crate) fn runbook() -> Runbook<Ctx> {
    Runbook {
        steps: vec![
            Box::new(preflight::Preflight),
            Box::new(drift::ValuesDrift),
            Box::new(record::Record),
            Box::new(stop::Stop),
            Box::new(upgrade::Upgrade),
            Box::new(migrations::Migrations),
            Box::new(restore::Restore {
                wait_rollout: false,
            }),
            Box::new(verify::Verify),
        ],
        recovery: vec![Box::new(restore::Restore { wait_rollout: true })],
    }
}
