//! Step 4: take the lock (the journal) unless maintenance mode took it, stop platform-auth first (cuts off
//! users), then the rest in batches side by side, and wait until their pods are gone: a terminating
//! backyard pod can still write to the database.

use crate::exastro::backup;
use crate::exastro::context::Ctx;
use crate::exastro::journal::{self, Journal, Phase};
use crate::exastro::lease::{Holder, Lease};
use crate::process::{Cmd, Effect, Runner};
use crate::runbook::{Action, Said, Step};
use crate::signals;
use crate::wait::{poll, OnInterrupt, Poll};
use std::time::Duration;

pub(crate) struct Stop;

fn draft_journal(ctx: &Ctx, holder: &Holder) -> Journal {
    let mut journal = Journal::new(
        &ctx.cfg,
        holder,
        &ctx.context_name,
        &ctx.installed_version,
        ctx.target_version(),
        ctx.put_back_set(),
        ctx.cronjobs.clone(),
    );
    journal.recreated_statefulsets = ctx.recreated.iter().map(|r| r.name.clone()).collect();
    if let Some(m) = &ctx.maintenance {
        journal.maintenance_before = Some(m.before);
        journal.phase = journal::Phase::Draining;
    }
    journal
}

/// The journal's phase update, as plans show it (the journal itself is made at run time).
pub(crate) fn phase_shown(ctx: &Ctx, phase: Phase) -> Cmd {
    match &ctx.journal {
        Some(journal) => journal.phase_cmd(&ctx.kubectl, phase),
        None => draft_journal(ctx, &Holder::current(ctx.cluster_user.clone()))
            .phase_cmd(&ctx.kubectl, phase),
    }
}

/// Where the changes begin, as an action: shown as the journal's create (its values are made at run time).
pub(crate) fn begin_changes_action(ctx: &Ctx) -> Action<Ctx> {
    let holder = Holder::current(ctx.cluster_user.clone());
    let create = draft_journal(ctx, &holder)
        .create_cmd(&ctx.kubectl, &Lease::new(holder))
        .note("the journal and lock, written when the run starts (its values are made then); fails if another run holds the namespace");
    Action::code(vec![create], |ctx, runner| {
        begin_changes(ctx, runner)?;
        Ok(Said::Nothing)
    })
}

/// The journal's phase, noted when the run enters it (what a `restore` must expect of the counts).
pub(crate) fn phase_action(ctx: &Ctx, phase: Phase) -> Action<Ctx> {
    Action::code(
        vec![phase_shown(ctx, phase)],
        move |ctx: &mut Ctx, runner: &Runner| {
            if let Some(journal) = ctx.journal.as_mut() {
                journal::set_phase(runner, &ctx.kubectl, &ctx.cfg, journal, phase, &ctx.lease)?;
            }
            Ok(Said::Nothing)
        },
    )
}

/// Where the changes begin (the first mutating step, after the confirmation): the backup is written, then
/// the lock is taken with the journal. Does nothing when an earlier step began them.
pub(crate) fn begin_changes(ctx: &mut Ctx, runner: &Runner) -> anyhow::Result<()> {
    if ctx.journal.is_some() {
        return Ok(());
    }
    // the seed's first instruction, now that the changes begin (after the confirmation)
    if let Some(pending) = ctx.pending_backup.take() {
        let removed = backup::write_pending(ctx, &pending)
            .map_err(|e| crate::exit::bad_input(format!("{e:#}")))?;
        runner.reporter().info(&format!(
            "backup (values, manifest, history, counts, ENCRYPT_KEYs) written to {}",
            pending.dir.display()
        ));
        if let Some(note) = backup::removal_note(ctx, &removed) {
            runner.reporter().info(&note);
        }
    }
    let holder = Holder::current(ctx.cluster_user.clone());
    let journal = draft_journal(ctx, &holder);
    let lease = Lease::new(holder);
    journal::acquire(runner, &ctx.kubectl, &ctx.cfg, &journal, &lease)?;
    ctx.lease.hold(lease);
    ctx.journal = Some(journal);
    signals::set_restore_hint(Some(ctx.cfg.restore_command()));
    Ok(())
}

/// The scale calls that stop the set, in stages: platform-auth alone first (it cuts off users), then every
/// other running object in batches, with the CronJobs suspended, side by side.
pub(crate) fn stop_stages(ctx: &Ctx) -> Vec<Vec<Cmd>> {
    let running = |first: bool| -> Vec<String> {
        ctx.stop_set
            .iter()
            .filter(|r| r.replicas > 0 && r.is_platform_auth() == first)
            .map(|r| r.reference())
            .collect()
    };
    let auth = ctx.kubectl.scale_batches(&running(true), 0);
    let mut rest = ctx.kubectl.scale_batches(&running(false), 0);
    rest.extend(suspend_commands(ctx));
    [auth, rest]
        .into_iter()
        .filter(|stage| !stage.is_empty())
        .collect()
}

/// The release's backyard CronJobs write to the database too: suspended with the backyards (one already
/// suspended is left as it is), so an upgrade across their schedule runs none during the migrations.
fn suspend_commands(ctx: &Ctx) -> Vec<Cmd> {
    ctx.cronjobs
        .iter()
        .filter(|c| !c.was_suspended)
        .map(|c| ctx.kubectl.suspend_cronjob(&c.name, true))
        .collect()
}

/// One LIST per poll, however many pods are waited for (never `kubectl wait pod/a pod/b ...`, which
/// handles them one by one).
fn wait_command(ctx: &Ctx) -> Option<Cmd> {
    (!ctx.stop_pods.is_empty()).then(|| {
        ctx.kubectl.pod_names().note(format!(
            "repeated until the {} pod(s) of the stopped objects are gone (bounded by --timeout)",
            ctx.stop_pods.len()
        ))
    })
}

/// Polls until none of the recorded pods of the stop set is listed any more.
fn wait_gone(ctx: &Ctx, runner: &Runner, list: &Cmd) -> anyhow::Result<()> {
    poll(
        runner.reporter(),
        "the stopped pods to be gone",
        ctx.cfg.timeout,
        Duration::from_millis(500),
        // Not interruptible: a Ctrl-C lets the stop finish, then everything is put back.
        OnInterrupt::Finish,
        || {
            let listed = runner.run(list)?.stdout;
            let alive: Vec<&str> = ctx
                .stop_pods
                .iter()
                .map(String::as_str)
                // stop_pods are `pod/NAME`, as `-o name` prints them
                .filter(|p| listed.lines().any(|l| l.trim() == *p))
                .collect();
            Ok(if alive.is_empty() {
                Poll::Ready(())
            } else {
                Poll::Pending(terminating_line(ctx.stop_pods.len(), &alive))
            })
        },
    )
}

/// `, 2 CronJobs suspended` when the stop suspends any.
fn cronjobs_note(ctx: &Ctx) -> String {
    match ctx.cronjobs.len() {
        0 => String::new(),
        n => format!(", {n} CronJob(s) suspended"),
    }
}

/// Pods pending NAMED: the first few, then how many more (one line on an 80-column terminal).
const NAMED: usize = 2;

/// `14 of 18 pod(s) gone; terminating: pod/a, pod/b and 2 more`
fn terminating_line(total: usize, alive: &[&str]) -> String {
    let mut named = alive[..alive.len().min(NAMED)].join(", ");
    if alive.len() > NAMED {
        named.push_str(&format!(" and {} more", alive.len() - NAMED));
    }
    format!(
        "{} of {total} pod(s) gone; terminating: {named}",
        total - alive.len()
    )
}

impl Step<Ctx> for Stop {
    fn title(&self, ctx: &Ctx) -> String {
        let backyards = ctx.backyard_count();
        let others = ctx.stop_set.len() - backyards;
        match ctx.cfg.stop {
            crate::exastro::config::StopScope::Backyard if others == 1 => format!(
                "Stopping platform-auth and {backyards} backyard(s) ({} deployments{})",
                ctx.stop_set.len(),
                cronjobs_note(ctx)
            ),
            crate::exastro::config::StopScope::Backyard => {
                format!("Stopping {backyards} backyard(s){}", cronjobs_note(ctx))
            }
            crate::exastro::config::StopScope::All => {
                format!("Stopping every workload ({} objects)", ctx.stop_set.len())
            }
        }
    }

    fn effect(&self) -> Effect {
        Effect::Mutate
    }

    fn actions(&self, ctx: &Ctx) -> Vec<Action<Ctx>> {
        let mut actions = Vec::new();
        if ctx.journal.is_none() && ctx.maintenance.is_none() {
            actions.push(begin_changes_action(ctx));
        }
        // the journal made by maintenance mode says "draining" until here
        if ctx.maintenance.is_some() {
            actions.push(phase_action(ctx, Phase::Stopping));
        }
        actions.extend(stop_stages(ctx).into_iter().map(Action::stage));
        if let Some(list) = wait_command(ctx) {
            actions.push(Action::code(
                vec![list.clone()],
                move |ctx: &mut Ctx, runner: &Runner| {
                    runner.reporter().step_progress(&format!(
                        "waiting for {} pod(s) to terminate",
                        ctx.stop_pods.len()
                    ));
                    wait_gone(ctx, runner, &list)?;
                    Ok(Said::Nothing)
                },
            ));
        }
        actions.push(Action::look(|ctx: &mut Ctx, _: &Runner| {
            Ok(Said::Part(format!(
                "{} object(s) at 0, {} pod(s) gone",
                ctx.stop_set.len(),
                ctx.stop_pods.len()
            )))
        }));
        actions
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_wait_counts_and_names_only_the_first_pods() {
        let alive = ["pod/a", "pod/b", "pod/c", "pod/d"];
        assert_eq!(
            super::terminating_line(18, &alive),
            "14 of 18 pod(s) gone; terminating: pod/a, pod/b and 2 more"
        );
        assert_eq!(
            super::terminating_line(6, &alive[..1]),
            "5 of 6 pod(s) gone; terminating: pod/a"
        );
    }
}
