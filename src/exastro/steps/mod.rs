//! The Exastro upgrade runbook, one file per step, in the order they run.

mod conflicts;
mod drift;
mod maintenance;
mod migrations;
pub(crate) mod preflight;
pub(crate) mod record;
mod restore;
pub(crate) mod stop;
mod upgrade;
mod upgrade_attempts;
pub(crate) mod values_guard;
mod verify;

pub(crate) use drift::compute as compute_drift;
pub(crate) use preflight::helm_checks::describe as describe_helm;

use super::context::Ctx;
use crate::runbook::Runbook;

pub(crate) fn runbook() -> Runbook<Ctx> {
    Runbook {
        steps: vec![
            Box::new(preflight::Preflight),
            Box::new(drift::ValuesDrift),
            Box::new(record::Record),
            Box::new(maintenance::EnterMaintenance),
            Box::new(stop::Stop),
            Box::new(upgrade::Upgrade),
            Box::new(migrations::Migrations),
            Box::new(restore::Restore {
                wait_rollout: false,
            }),
            Box::new(maintenance::ReleaseMaintenance {
                wait_rollout: false,
            }),
            Box::new(verify::Verify),
        ],
        recovery: vec![
            Box::new(restore::Restore { wait_rollout: true }),
            Box::new(maintenance::ReleaseMaintenance { wait_rollout: true }),
        ],
    }
}
