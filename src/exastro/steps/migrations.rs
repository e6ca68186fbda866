//! Step 6: wait until the migration pods this upgrade created (`ita-migration-*`, `platform-migration-*`;
//! Job `ita-setup` on old charts) have Succeeded. Nothing is put back before that. On failure or timeout
//! the tail of their logs is shown.

use std::time::{Duration, Instant};

use crate::exastro::context::Ctx;
use crate::ops::k8s::{Job, List, Mixed, Pod, PodPhase};
use crate::process::{Cmd, Effect, Runner};
use crate::runbook::{Action, Flow, Step};
use crate::wait::{poll, OnInterrupt, Poll};

pub(crate) struct Migrations;

const LISTING: &str = "pods,jobs";
const MIGRATION_PREFIXES: &[&str] = &["ita-migration-", "platform-migration"];
const SETUP_JOB: &str = "ita-setup";
/// helm returns once the objects exist, but give the API a moment before concluding there are none.
const GRACE: Duration = Duration::from_secs(10);

fn is_migration(pod: &Pod) -> bool {
    MIGRATION_PREFIXES.iter().any(|p| pod.name().starts_with(p))
}

fn logs_of(ctx: &Ctx, runner: &Runner, pods: &[String]) -> String {
    pods.iter()
        .map(|pod| {
            let logs = runner
                .run(&ctx.kubectl.logs_tail(pod, 20))
                .map(|o| o.stdout)
                .unwrap_or_else(|e| format!("(logs unavailable: {})", e.stderr_trimmed()));
            format!("--- last log lines of pod {pod}\n{}", logs.trim_end())
        })
        .collect::<Vec<_>>()
        .join("\n")
}

impl Step<Ctx> for Migrations {
    fn title(&self, _: &Ctx) -> String {
        "Waiting for migrations".into()
    }

    fn effect(&self) -> Effect {
        Effect::Read
    }

    fn actions(&self, ctx: &Ctx) -> Vec<Action<Ctx>> {
        let list = ctx.kubectl.list(LISTING).note(
            "repeated until the ita-migration-*/platform-migration-* pods created by the upgrade have Succeeded",
        );
        vec![Action::code(vec![list.clone()], move |ctx, runner| {
            Ok(Migrations.run(ctx, runner, &list)?.into())
        })]
    }

    fn finish_on_interrupt(&self) -> bool {
        true
    }
}

impl Migrations {
    fn run(&self, ctx: &mut Ctx, runner: &Runner, list: &Cmd) -> anyhow::Result<Flow> {
        let started = Instant::now();
        let mut unfinished: Vec<String> = Vec::new();
        // Not interruptible: putting backyards back while migrations run is what this step prevents.
        let result = poll(
            runner.reporter(),
            "the migrations",
            ctx.cfg.timeout,
            Duration::from_secs(2),
            OnInterrupt::Finish,
            || check_migrations(ctx, runner, list, started, &mut unfinished),
        );
        match result {
            Ok(names) => {
                let summary = if names.is_empty() {
                    "this chart version created no migration pods".to_string()
                } else {
                    format!("{} succeeded", names.join(", "))
                };
                ctx.migrations = names;
                Ok(Flow::Continue(summary))
            }
            Err(e) if crate::wait::timed_out(&e) && !unfinished.is_empty() => {
                Err(e.context(logs_of(ctx, runner, &unfinished)))
            }
            Err(e) => Err(e),
        }
    }
}

/// One look at the migrations the upgrade created: failed (with logs), still running, or all done.
/// `unfinished` keeps the names still running, for the logs of a timeout.
fn check_migrations(
    ctx: &Ctx,
    runner: &Runner,
    list: &Cmd,
    started: Instant,
    unfinished: &mut Vec<String>,
) -> anyhow::Result<Poll<Vec<String>>> {
    let list: List<serde_json::Value> = runner.json(list)?;
    let mixed = Mixed::parse(list)?;
    let new_pods: Vec<&Pod> = mixed
        .pods
        .iter()
        .filter(|p| is_migration(p) && !ctx.pods_before.contains(p.name()))
        .collect();
    let failed: Vec<String> = new_pods
        .iter()
        .filter(|p| p.status.phase == PodPhase::Failed)
        .map(|p| p.name().to_string())
        .collect();
    if !failed.is_empty() {
        anyhow::bail!(
            "migration pod(s) failed: {}\n{}",
            failed.join(", "),
            logs_of(ctx, runner, &failed)
        );
    }
    let setup_job = mixed.jobs.iter().find(|j| {
        j.metadata.name == SETUP_JOB && ctx.jobs_before.get(SETUP_JOB) != j.metadata.uid.as_ref()
    });
    if let Some(job) = setup_job {
        check_setup_job(job)?;
    }
    *unfinished = new_pods
        .iter()
        .filter(|p| p.status.phase != PodPhase::Succeeded)
        .map(|p| p.name().to_string())
        .collect();
    let job_pending = setup_job.is_some_and(|j| j.status.succeeded == 0);
    if new_pods.is_empty() && setup_job.is_none() && started.elapsed() < GRACE {
        return Ok(Poll::Pending("no migration pods yet".into()));
    }
    if unfinished.is_empty() && !job_pending {
        let mut names: Vec<String> = new_pods.iter().map(|p| p.name().to_string()).collect();
        names.extend(setup_job.map(|j| format!("job/{}", j.metadata.name)));
        return Ok(Poll::Ready(names));
    }
    let mut waiting = unfinished.clone();
    if job_pending {
        waiting.push(format!("job/{SETUP_JOB}"));
    }
    Ok(Poll::Pending(format!("waiting for {}", waiting.join(", "))))
}

/// The setup Job of older charts: its own failure condition is the message.
fn check_setup_job(job: &Job) -> anyhow::Result<()> {
    let conditions = &job.status.conditions;
    if conditions
        .iter()
        .any(|c| c.kind == "Failed" && c.status == "True")
    {
        anyhow::bail!(
            "Job {SETUP_JOB} failed: {}",
            conditions
                .iter()
                .filter_map(|c| c.message.clone())
                .collect::<Vec<_>>()
                .join("; ")
        );
    }
    Ok(())
}
