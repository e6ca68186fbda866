//! Which of the vendor's procedures the run follows (from the installed and target app versions), and
//! with maintenance mode, the administrator API checked before any change: credentials (one
//! authenticated GET), the setting to put back, and a job count that is a number.

use crate::exastro::context::Ctx;
use crate::exastro::{maintenance, procedure};
use crate::process::Runner;
use crate::semver;

/// The problems that stop the run here (none when the versions are not known: other checks said why).
pub(super) fn procedure_problems(ctx: &mut Ctx, runner: &Runner) -> Vec<String> {
    let Some(target) = ctx.target_chart.clone() else {
        return Vec::new();
    };
    let upgrading = !ctx.installed_app.is_empty()
        && semver::compare(&target.version, &ctx.installed_version).is_gt();
    if !upgrading {
        return Vec::new();
    }
    let stop_flag = ctx.cfg.stop_given.then_some(ctx.cfg.stop);
    let choice = match procedure::choose(
        &ctx.installed_app,
        &target.app_version,
        stop_flag,
        ctx.cfg.maintenance,
    ) {
        Ok(choice) => choice,
        Err(why) => return vec![why],
    };
    ctx.cfg.stop = choice.stop;
    let wants_maintenance = choice.maintenance;
    ctx.choice = Some(choice);
    if !wants_maintenance {
        return Vec::new();
    }
    match maintenance::check(runner, &ctx.kubectl, &ctx.cfg.admin) {
        Ok(m) => {
            ctx.maintenance = Some(m);
            Vec::new()
        }
        Err(problem) => vec![format!("maintenance mode: {problem}")],
    }
}
