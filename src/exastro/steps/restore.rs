//! Step 7 (and the recovery after any failure): put every recorded count back, backyard first,
//! platform-auth last. The recovery waits for the rollouts; the run leaves that to its verification.

use crate::exastro::context::Ctx;
use crate::exastro::put_back::{put_back, put_back_shown, PutBackMode};
use crate::process::{Effect, Runner};
use crate::runbook::{Action, Said, Step};

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

    fn actions(&self, ctx: &Ctx) -> Vec<Action<Ctx>> {
        // In the run, after helm upgrade, platform-auth runs again at the chart's count (helm resets it):
        // its recorded count is set with the rest. A recovery may come before helm, with it still at 0:
        // then it comes last, alone (`put_back` decides on what it lists).
        let auth_last = self.wait_rollout;
        // A plan is made before the run deletes a StatefulSet for helm: none is missing to re-create.
        let shows = put_back_shown(
            &ctx.kubectl,
            (&ctx.put_back_set(), &ctx.cronjobs),
            Vec::new(),
            auth_last,
            ctx.maintenance.is_some(),
            self.wait_rollout,
        );
        let wait_rollout = self.wait_rollout;
        vec![Action::staged(shows, move |ctx, runner| {
            restore(ctx, runner, wait_rollout)
        })]
    }
}

fn restore(ctx: &mut Ctx, runner: &Runner, wait_rollout: bool) -> anyhow::Result<Said> {
    let Some(journal) = ctx.journal.clone() else {
        return Ok(Said::Part("nothing was stopped".into()));
    };
    if !ctx.restored.is_empty() {
        // Recovery after a failed rollout wait: the counts are already back.
        return Ok(Said::Part("already put back".into()));
    }
    let outcome = put_back(
        runner,
        &ctx.kubectl,
        &ctx.cfg,
        &journal,
        &ctx.helm,
        PutBackMode {
            force: false,
            wait_rollout,
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
    Ok(Said::Part(outcome.summary()))
}
