//! The 2.6+ procedure's maintenance mode, around the stop: `EnterMaintenance` takes the lock, stops backyard
//! execution, lets running jobs drain and stops data updates; `ReleaseMaintenance`, once the counts are
//! back and their pods run, puts the setting back to what it was and releases the lock. Neither applies
//! when the procedure has no maintenance mode.

use crate::exastro::context::Ctx;
use crate::exastro::maintenance;
use crate::exastro::put_back::{wait_restored, Until};
use crate::exastro::steps::stop::{begin_changes, journal_preview};
use crate::process::{Cmd, Effect, Runner};
use crate::runbook::{Flow, Step};

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

    fn preview(&self, ctx: &Ctx) -> Vec<Cmd> {
        let mut cmds = vec![journal_preview(ctx)];
        cmds.extend(maintenance::enter_preview(&ctx.cfg));
        cmds
    }

    fn run(&self, ctx: &mut Ctx, runner: &Runner) -> anyhow::Result<Flow> {
        begin_changes(ctx, runner)?;
        let m = ctx
            .maintenance
            .as_ref()
            .expect("applies only with maintenance");
        let drained = maintenance::enter(runner, &m.api, &ctx.cfg)?;
        ctx.drained_jobs = Some(drained);
        Ok(Flow::Continue(format!(
            "backyard execution and data updates stopped; {drained} running job(s) finished first"
        )))
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

    fn preview(&self, ctx: &Ctx) -> Vec<Cmd> {
        let Some(m) = &ctx.maintenance else {
            return Vec::new();
        };
        vec![
            ctx.kubectl.list("deployments,statefulsets,pods").note(
                "repeated until the restored objects' pods run (Ready comes after the release)",
            ),
            maintenance::release_preview(&ctx.cfg, m.before),
            crate::exastro::journal::release_cmd(&ctx.kubectl)
                .note("releases the lock once the counts and maintenance mode are back"),
        ]
    }

    fn run(&self, ctx: &mut Ctx, runner: &Runner) -> anyhow::Result<Flow> {
        let (Some(m), Some(journal)) = (&ctx.maintenance, ctx.journal.clone()) else {
            return Ok(Flow::Continue("nothing to release".into()));
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
        if self.wait_rollout {
            wait_restored(
                runner,
                &ctx.kubectl,
                &ctx.restored,
                ctx.cfg.timeout,
                Until::RolledOut,
            )?;
        }
        Ok(Flow::Continue(format!(
            "maintenance mode back to {}",
            m.before.describe()
        )))
    }
}
