//! Step 4: take the lock (the journal), stop platform-auth first (cuts off users), then the rest in one
//! call, and wait until their pods are gone: a terminating backyard pod can still write to the database.

use crate::exastro::context::Ctx;
use crate::exastro::journal::{self, Journal};
use crate::exastro::lease::{Holder, Lease};
use crate::process::{Cmd, Effect, Runner};
use crate::runbook::{Flow, Step};
use crate::signals;

pub struct Stop;

fn draft_journal(ctx: &Ctx, holder: &Holder) -> Journal {
    Journal::new(
        &ctx.cfg,
        holder,
        &ctx.context_name,
        &ctx.installed_version,
        ctx.target_version(),
        ctx.stop_set.clone(),
    )
}

/// The scale calls that stop the set: platform-auth alone first, then every other running object at once.
pub fn stop_commands(ctx: &Ctx) -> Vec<Cmd> {
    let running = |first: bool| -> Vec<String> {
        ctx.stop_set
            .iter()
            .filter(|r| r.replicas > 0 && r.is_platform_auth() == first)
            .map(|r| r.reference())
            .collect()
    };
    [running(true), running(false)]
        .into_iter()
        .filter(|refs| !refs.is_empty())
        .map(|refs| ctx.kubectl.scale(&refs, 0))
        .collect()
}

fn wait_command(ctx: &Ctx) -> Option<Cmd> {
    (!ctx.stop_pods.is_empty()).then(|| ctx.kubectl.wait_deleted(&ctx.stop_pods, ctx.cfg.timeout))
}

impl Step<Ctx> for Stop {
    fn title(&self, ctx: &Ctx) -> String {
        let backyards = ctx.backyard_count();
        match ctx.cfg.stop {
            crate::exastro::config::StopScope::Backyard => {
                format!("Stopping platform-auth and backyard ({backyards} deployments)")
            }
            crate::exastro::config::StopScope::All => {
                format!("Stopping every workload ({} objects)", ctx.stop_set.len())
            }
        }
    }

    fn effect(&self) -> Effect {
        Effect::Mutate
    }

    fn preview(&self, ctx: &Ctx) -> Vec<Cmd> {
        let holder = Holder::current(ctx.cluster_user.clone());
        let mut cmds = vec![draft_journal(ctx, &holder)
            .create_cmd(&ctx.kubectl, &Lease::new(holder))
            .note("the journal and lock: fails if another run holds the namespace")];
        cmds.extend(stop_commands(ctx));
        cmds.extend(wait_command(ctx));
        cmds
    }

    fn run(&self, ctx: &mut Ctx, runner: &Runner) -> anyhow::Result<Flow> {
        let holder = Holder::current(ctx.cluster_user.clone());
        let journal = draft_journal(ctx, &holder);
        let lease = Lease::new(holder);
        journal::acquire(runner, &ctx.kubectl, &ctx.cfg, &journal, &lease)?;
        ctx.lease.hold(lease);
        ctx.journal = Some(journal);
        signals::set_restore_hint(Some(ctx.cfg.restore_command()));
        for cmd in stop_commands(ctx) {
            runner.run(&cmd)?;
        }
        if let Some(wait) = wait_command(ctx) {
            runner.reporter().step_progress(&format!(
                "waiting for {} pod(s) to terminate",
                ctx.stop_pods.len()
            ));
            runner.run(&wait).map_err(|e| {
                anyhow::anyhow!(e).context(format!(
                    "the stopped pods were not gone within {}",
                    humantime::format_duration(ctx.cfg.timeout)
                ))
            })?;
        }
        Ok(Flow::Continue(format!(
            "{} object(s) at 0, {} pod(s) gone",
            ctx.stop_set.len(),
            ctx.stop_pods.len()
        )))
    }
}
