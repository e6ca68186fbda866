//! Step 5: `helm upgrade`. helm's three-way merge resets the replica count of every Deployment the chart
//! renders, so with `--stop backyard` the stopped objects are stopped again right after, and stay down
//! while the migrations run.

use anyhow::Context as _;

use crate::exastro::config::StopScope;
use crate::exastro::context::Ctx;
use crate::exastro::journal::{self, Phase};
use crate::exastro::steps::stop::{phase_action, phase_shown};
use crate::ops::helm::{ReleaseRow, ReleaseStatus};
use crate::process::{Cmd, Effect, Runner};
use crate::runbook::{Action, Said, Step};

pub(crate) struct Upgrade;

fn upgrade_cmd(ctx: &Ctx) -> Cmd {
    ctx.helm
        .upgrade(
            &ctx.cfg.release,
            &ctx.cfg.chart,
            &ctx.cfg.values_display(),
            ctx.target_version(),
            ctx.cfg.timeout,
            ctx.conflicts.as_ref().is_some_and(|d| d.force_conflicts),
        )
        .note(format!(
            "run again (at most {} runs in all) after a transient API error",
            super::upgrade_attempts::HELM_UPGRADE_RUNS
        ))
}

/// helm's three-way merge puts every stopped Deployment back to the chart's count. The backyards, which
/// write to the database, are stopped again until the migrations are done. platform-auth is not: it comes
/// back with helm, as in the vendor's runbooks (the outage users see ends when helm is done), and gets its
/// recorded count with the others. With `--stop all` nothing is stopped again: the database is in the set
/// and the migrations need it.
fn hold_cmds(ctx: &Ctx) -> Vec<Cmd> {
    if ctx.cfg.stop != StopScope::Backyard {
        return Vec::new();
    }
    let refs: Vec<String> = ctx
        .stop_set
        .iter()
        .filter(|r| !r.is_platform_auth())
        .map(|r| r.reference())
        .collect();
    ctx.kubectl
        .scale_batches(&refs, 0)
        .into_iter()
        .map(|c| {
            c.note("helm reset these to the chart's counts; keep them stopped while migrations run")
        })
        .collect()
}

/// The mongo trap's answer: each StatefulSet helm cannot patch is deleted first, its pods and claims kept.
fn orphaning_deletes(ctx: &Ctx) -> Vec<Cmd> {
    ctx.recreated
        .iter()
        .map(|r| {
            ctx.kubectl
                .delete_orphaning(&format!("statefulset/{}", r.name))
                .note(format!(
                    "helm cannot patch it ({}); pods and claims stay, helm re-creates it",
                    r.why
                ))
        })
        .collect()
}

/// After helm: every re-created StatefulSet exists and kept its claims (same objects, same data).
fn verify_recreated(ctx: &Ctx, runner: &Runner, listing: &Cmd) -> anyhow::Result<String> {
    let live: crate::ops::k8s::List<serde_json::Value> = runner.json(listing)?;
    let mut lines = Vec::new();
    for r in &ctx.recreated {
        lines.push(
            crate::exastro::statefulset_trap::verify(r, &live.items).map_err(anyhow::Error::msg)?,
        );
    }
    Ok(lines.join("; "))
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

    fn actions(&self, ctx: &Ctx) -> Vec<Action<Ctx>> {
        let mut actions = vec![phase_action(ctx, Phase::Upgrading)];
        actions.extend(
            orphaning_deletes(ctx)
                .into_iter()
                .map(|delete| Action::stage(vec![delete])),
        );
        // helm, then what follows it side by side; the summary says how many helm runs it took
        let (upgrade, hold, read) = (upgrade_cmd(ctx), hold_cmds(ctx), read_release_cmd(ctx));
        let mut after = hold.clone();
        after.push(phase_shown(ctx, Phase::Migrating));
        after.push(read.clone());
        actions.push(Action::staged(
            vec![vec![upgrade.clone()], after],
            move |ctx: &mut Ctx, runner: &Runner| {
                let helm_calls = super::upgrade_attempts::upgrade(ctx, runner, &upgrade)?;
                after_helm(ctx, runner, helm_calls, (&hold, &read))
            },
        ));
        if !ctx.recreated.is_empty() {
            let listing = ctx.kubectl.list(super::record::TRAP_LISTING).note(
                "every re-created StatefulSet exists and kept its claims (same objects, same data)",
            );
            actions.push(Action::code(vec![listing.clone()], move |ctx, runner| {
                Ok(Said::Part(verify_recreated(ctx, runner, &listing)?))
            }));
        }
        actions
    }
}

fn read_release_cmd(ctx: &Ctx) -> Cmd {
    ctx.helm
        .list_release(&ctx.cfg.release)
        .note("confirms the release is deployed at the target chart")
}

/// Stopping the backyards again, reading the release back and noting the phase are independent: side by
/// side (the phase changes nothing a restore does: helm may have reset counts either way).
fn after_helm(
    ctx: &mut Ctx,
    runner: &Runner,
    helm_calls: u32,
    (hold, read): (&[Cmd], &Cmd),
) -> anyhow::Result<Said> {
    let mut journal = ctx.journal.take();
    let (held, rows, noted) = std::thread::scope(|s| {
        let ctx = &*ctx;
        let held = s.spawn(|| runner.run_all(hold));
        let noted = s.spawn(|| match journal.as_mut() {
            Some(j) => journal::set_phase(
                runner,
                &ctx.kubectl,
                &ctx.cfg,
                j,
                Phase::Migrating,
                &ctx.lease,
            ),
            None => Ok(()),
        });
        // Trust the release store, not helm's exit status alone.
        let rows = runner.json::<Vec<ReleaseRow>>(read);
        (
            held.join().expect("hold thread panicked"),
            rows,
            noted.join().expect("journal thread panicked"),
        )
    });
    ctx.journal = journal;
    held?;
    // the release store's verdict first: it says more than a failed journal write
    let row = rows?
        .into_iter()
        .find(|r| r.name == ctx.cfg.release)
        .with_context(|| {
            format!(
                "release {} disappeared during helm upgrade",
                ctx.cfg.release
            )
        })?;
    let expected = format!("{}-{}", ctx.cfg.chart_name(), ctx.target_version());
    if row.status != ReleaseStatus::Deployed || row.chart != expected {
        anyhow::bail!(
            "helm upgrade exited 0 but release {} is {} at {} (expected deployed at {expected})",
            ctx.cfg.release,
            row.status,
            row.chart
        );
    }
    noted?;
    let again = if helm_calls > 1 {
        format!(" after {helm_calls} helm calls (transient API errors)")
    } else {
        String::new()
    };
    Ok(Said::Part(format!(
        "release {} is deployed at {} (revision {}){again}",
        ctx.cfg.release, row.chart, row.revision
    )))
}
