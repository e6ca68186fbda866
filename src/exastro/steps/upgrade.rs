//! Step 5: `helm upgrade`. helm's three-way merge resets the replica count of every Deployment the chart
//! renders, so with `--stop backyard` the stopped objects are stopped again right after, and stay down
//! while the migrations run.

use anyhow::Context as _;

use crate::exastro::config::StopScope;
use crate::exastro::context::Ctx;
use crate::exastro::journal::{self, Phase};
use crate::ops::helm::ReleaseRow;
use crate::process::{Cmd, Effect, Runner};
use crate::runbook::{Flow, Step};

pub struct Upgrade;

fn upgrade_cmd(ctx: &Ctx) -> Cmd {
    ctx.helm.upgrade(
        &ctx.cfg.release,
        &ctx.cfg.chart,
        &ctx.cfg.values_display(),
        ctx.target_version(),
        ctx.cfg.timeout,
    )
}

/// With `--stop all` nothing is stopped again: the database is in the set and the migrations need it.
fn hold_cmd(ctx: &Ctx) -> Option<Cmd> {
    (ctx.cfg.stop == StopScope::Backyard).then(|| {
        let refs: Vec<String> = ctx.stop_set.iter().map(|r| r.reference()).collect();
        ctx.kubectl
            .scale(&refs, 0)
            .note("helm reset these to the chart's counts; keep them stopped while migrations run")
    })
}

impl Step<Ctx> for Upgrade {
    fn title(&self, ctx: &Ctx) -> String {
        format!(
            "Upgrading {}: chart {} -> {}",
            ctx.cfg.release,
            ctx.installed_version,
            ctx.target_version()
        )
    }

    fn effect(&self) -> Effect {
        Effect::Mutate
    }

    fn preview(&self, ctx: &Ctx) -> Vec<Cmd> {
        let mut cmds = vec![upgrade_cmd(ctx)];
        cmds.extend(hold_cmd(ctx));
        cmds.push(
            ctx.helm
                .list_release(&ctx.cfg.release)
                .note("confirms the release is deployed at the target chart"),
        );
        cmds
    }

    fn run(&self, ctx: &mut Ctx, runner: &Runner) -> anyhow::Result<Flow> {
        if let Some(j) = ctx.journal.as_mut() {
            journal::set_phase(
                runner,
                &ctx.kubectl,
                &ctx.cfg,
                j,
                Phase::Upgrading,
                &ctx.lease,
            )?;
        }
        runner.run(&upgrade_cmd(ctx))?;
        if let Some(hold) = hold_cmd(ctx) {
            runner.run(&hold)?;
        }
        // Trust the release store, not helm's exit status alone.
        let rows: Vec<ReleaseRow> = runner.json(&ctx.helm.list_release(&ctx.cfg.release))?;
        let row = rows
            .into_iter()
            .find(|r| r.name == ctx.cfg.release)
            .with_context(|| {
                format!(
                    "release {} disappeared during helm upgrade",
                    ctx.cfg.release
                )
            })?;
        let expected = format!("{}-{}", ctx.cfg.chart_name(), ctx.target_version());
        if row.status != "deployed" || row.chart != expected {
            anyhow::bail!(
                "helm upgrade exited 0 but release {} is {} at {} (expected deployed at {expected})",
                ctx.cfg.release,
                row.status,
                row.chart
            );
        }
        if let Some(j) = ctx.journal.as_mut() {
            journal::set_phase(
                runner,
                &ctx.kubectl,
                &ctx.cfg,
                j,
                Phase::Migrating,
                &ctx.lease,
            )?;
        }
        Ok(Flow::Continue(format!(
            "release {} is deployed at {} (revision {})",
            ctx.cfg.release, row.chart, row.revision
        )))
    }
}
