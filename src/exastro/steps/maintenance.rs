//! The 2.6+ procedure's maintenance mode, around the stop: `EnterMaintenance` takes the lock, stops backyard
//! execution, lets running jobs drain and stops data updates; `ReleaseMaintenance`, once the counts are
//! back and their pods run, puts the setting back to what it was and releases the lock. Neither applies
//! when the procedure has no maintenance mode.

use crate::exastro::context::Ctx;
use crate::exastro::maintenance;
use crate::exastro::put_back::{wait_restored, wait_restored_shown, Until};
use crate::exastro::steps::stop::begin_changes_action;
use crate::process::{Effect, Runner};
use crate::runbook::{Action, Said, Step};

pub(crate) struct EnterMaintenance;

impl Step<Ctx> for EnterMaintenance {
    fn title(&self, ctx: &Ctx) -> String {
        match ctx.maintenance.as_ref().map(|m| m.jobs_at_start) {
            Some(jobs @ 1..) => {
                format!("Entering maintenance mode ({jobs} running job(s) drain first)")
            }
            _ => "Entering maintenance mode".into(),
        }
    }

    fn effect(&self) -> Effect {
        Effect::Mutate
    }

    fn applies(&self, ctx: &Ctx) -> bool {
        ctx.maintenance.is_some()
    }

    fn actions(&self, ctx: &Ctx) -> Vec<Action<Ctx>> {
        vec![
            begin_changes_action(ctx),
            Action::code(
                maintenance::enter_preview(&ctx.cfg),
                |ctx: &mut Ctx, runner: &Runner| {
                    let m = ctx
                        .maintenance
                        .as_ref()
                        .expect("applies only with maintenance");
                    let drained = maintenance::enter(runner, &m.api, &ctx.cfg)?;
                    ctx.drained_jobs = Some(drained);
                    Ok(Said::Part(format!(
                    "backyard execution and data updates stopped; {drained} running job(s) finished first"
                )))
                },
            ),
        ]
    }
}

pub(crate) struct ReleaseMaintenance {
    /// The recovery waits for the rollouts itself; the run leaves that to its verification.
    pub(crate) wait_rollout: bool,
}

impl Step<Ctx> for ReleaseMaintenance {
    fn title(&self, ctx: &Ctx) -> String {
        match &ctx.maintenance {
            Some(m) if m.before.is_on() => {
                format!("Putting maintenance mode back ({})", m.before.describe())
            }
            _ => "Releasing maintenance mode".into(),
        }
    }

    fn effect(&self) -> Effect {
        Effect::Mutate
    }

    fn applies(&self, ctx: &Ctx) -> bool {
        ctx.maintenance.is_some()
    }

    fn actions(&self, ctx: &Ctx) -> Vec<Action<Ctx>> {
        let Some(m) = &ctx.maintenance else {
            return Vec::new();
        };
        let mut shows = maintenance::release_and_unlock_shown(&ctx.cfg, &ctx.kubectl, m.before);
        if self.wait_rollout {
            shows.push(wait_restored_shown(&ctx.kubectl, Until::RolledOut));
        }
        let wait_rollout = self.wait_rollout;
        vec![Action::code(shows, move |ctx, runner| {
            release(ctx, runner, wait_rollout)
        })]
    }
}

/// Maintenance mode back, the lock released, and (in the recovery) the rollouts waited for.
fn release(ctx: &mut Ctx, runner: &Runner, wait_rollout: bool) -> anyhow::Result<Said> {
    let (Some(m), Some(journal)) = (&ctx.maintenance, ctx.journal.clone()) else {
        return Ok(Said::Part("nothing to release".into()));
    };
    if !ctx.skipped.is_empty() {
        anyhow::bail!("objects changed by hand were left alone; maintenance mode stays on until `restore --force`");
    }
    maintenance::release_and_unlock(
        runner,
        &ctx.kubectl,
        &ctx.cfg,
        &journal,
        Some(&m.api),
        Some(&ctx.lease),
    )?;
    ctx.journal = None;
    if wait_rollout {
        wait_restored(
            runner,
            &ctx.kubectl,
            &ctx.restored,
            ctx.cfg.timeout,
            Until::RolledOut,
        )?;
    }
    Ok(Said::Part(format!(
        "maintenance mode back to {}",
        m.before.describe()
    )))
}
