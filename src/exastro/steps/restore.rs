//! Step 7 (and the recovery after any failure): put every recorded count back, backyard first,
//! platform-auth last. The recovery waits for the rollouts; the run leaves that to its verification.

use crate::exastro::context::Ctx;
use crate::exastro::put_back::{put_back, put_back_commands, PutBackMode};
use crate::process::{Cmd, Effect, Runner};
use crate::runbook::{Flow, Step};

pub(crate) struct Restore {
    /// False when the verification follows (it waits for every workload, these included).
    pub(crate) wait_rollout: bool,
}

impl Step<Ctx> for Restore {
    fn title(&self, ctx: &Ctx) -> String {
        format!(
            "Putting back recorded replicas ({} objects)",
            ctx.stop_set.len()
        )
    }

    fn effect(&self) -> Effect {
        Effect::Mutate
    }

    fn preview(&self, ctx: &Ctx) -> Vec<Cmd> {
        let mut cmds = put_back_commands(&ctx.kubectl, &ctx.put_back_set(), &ctx.cronjobs);
        if ctx.maintenance.is_some() {
            // the lock is released with maintenance mode (next step); rollouts are waited for after it
            return cmds;
        }
        cmds.push(
            crate::exastro::journal::release_cmd(&ctx.kubectl)
                .note("releases the lock once every count is back"),
        );
        if self.wait_rollout {
            cmds.push(
                ctx.kubectl
                    .list("deployments,statefulsets")
                    .note("repeated until every restored object has rolled out"),
            );
        }
        cmds
    }

    fn run(&self, ctx: &mut Ctx, runner: &Runner) -> anyhow::Result<Flow> {
        let Some(journal) = ctx.journal.clone() else {
            return Ok(Flow::Continue("nothing was stopped".into()));
        };
        if !ctx.restored.is_empty() {
            // Recovery after a failed rollout wait: the counts are already back.
            return Ok(Flow::Continue("already put back".into()));
        }
        let outcome = put_back(
            runner,
            &ctx.kubectl,
            &ctx.cfg,
            &journal,
            &ctx.helm,
            PutBackMode {
                force: false,
                wait_rollout: self.wait_rollout,
                lease: Some(&ctx.lease),
            },
            |restored| {
                ctx.restored = restored.to_vec();
            },
        )?;
        ctx.skipped = outcome.skipped.clone();
        if ctx.skipped.is_empty() && !outcome.lock_kept_for_maintenance {
            ctx.journal = None;
        }
        Ok(Flow::Continue(outcome.summary()))
    }
}
