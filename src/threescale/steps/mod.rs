//! The 3scale image upgrade runbook: one file per step (preflight, tags, triggers, verify), in the order
//! they run, and the modules they share (analysis of the listings, one DC's switch, rollout waits).

mod analysis;
mod preflight;
mod rollout_wait;
mod switch_dc;
mod tags;
mod triggers;
mod verify;

pub(crate) use preflight::{AMP_RELEASE, ENV_CONFIGMAP};

use super::config::Config;
use super::context::Ctx;
use super::release::Upgrade;
use crate::runbook::{Runbook, Step};

/// Preflight, the tags, one step per selected component (in the table's order), verification.
/// Nothing is switched back automatically after a failure: a rollout back to the old images could meet a
/// database the new system image already migrated, so the report prints the commands instead.
pub(crate) fn runbook(cfg: &Config, upgrade: &'static Upgrade) -> Runbook<Ctx> {
    let mut steps: Vec<Box<dyn Step<Ctx>>> = vec![Box::new(preflight::Preflight)];
    if cfg.oracle_build_dir.is_some() {
        steps.push(Box::new(crate::threescale::oracle::step::OracleImage));
    }
    if cfg.build_only {
        return Runbook {
            steps,
            recovery: Vec::new(),
        };
    }
    steps.push(Box::new(tags::Tags));
    for component in upgrade.components.iter().filter(|c| cfg.selects(c.stream)) {
        steps.push(Box::new(triggers::SwitchComponent {
            stream: component.stream,
        }));
    }
    steps.push(Box::new(verify::Verify));
    Runbook {
        steps,
        recovery: Vec::new(),
    }
}
