//! Step 3: record the replicas of everything the run will stop, from one listing, before touching anything.

use std::path::PathBuf;

use crate::exastro::backup::{self, Backup, Pending};
use crate::exastro::context::Ctx;
use crate::exastro::helm_resets;
use crate::exastro::statefulset_trap;
use crate::exastro::stop_set::{select_stop_set, HeldCronJob};
use crate::exit::bad_input;
use crate::ops::k8s::Workload;
use crate::ops::k8s::{List, Mixed};
use crate::process::{Cmd, Effect, Output, ProcessError, Runner};
use crate::runbook::{Action, Flow, Step};

pub(crate) struct Record;

pub(crate) const LISTING: &str = "deployments,statefulsets,pods,jobs,cronjobs";

impl Step<Ctx> for Record {
    fn title(&self, _: &Ctx) -> String {
        "Recording replicas".into()
    }

    fn effect(&self) -> Effect {
        Effect::Read
    }

    fn actions(&self, _: &Ctx) -> Vec<Action<Ctx>> {
        vec![Action::look(|ctx, runner| {
            Ok(Record.run(ctx, runner)?.into())
        })]
    }
}

impl Record {
    fn run(&self, ctx: &mut Ctx, runner: &Runner) -> anyhow::Result<Flow> {
        let backup_dir = (!runner.dry_run()).then(|| backup_dir(ctx)).transpose()?;
        let managed = ctx.cfg.backup_dir.is_none();
        let (mixed, rendered, backup) = read_side_by_side(ctx, runner)?;
        ctx.stop_set = select_stop_set(&mixed.workloads, ctx.cfg.stop, &ctx.cfg.release);
        ctx.cronjobs = HeldCronJob::select(&mixed.cronjobs, &ctx.cfg.release);
        ctx.recreated = find_recreated(ctx, runner, &rendered)?;
        super::conflicts::check(ctx, runner, &rendered)?;
        record_helm_resets(ctx, runner, rendered, &mixed.workloads);
        // written by the stop step, after the confirmation: a declined run leaves no keys behind
        ctx.pending_backup = match (backup, backup_dir) {
            (Some(backup), Some(dir)) => Some(Pending {
                backup,
                dir,
                managed,
            }),
            _ => None,
        };
        if ctx.stop_set.is_empty() {
            return Err(bad_input(format!(
                "found nothing to stop: no platform-auth or ita-by-* Deployment of release {:?} in namespace {:?} \
                 (check --release, or use --stop all)",
                ctx.cfg.release, ctx.cfg.target.namespace
            )));
        }
        let stopped: Vec<_> = mixed
            .workloads
            .iter()
            .filter(|w| {
                ctx.stop_set
                    .iter()
                    .any(|r| r.kind == w.kind && r.name == w.metadata.name)
            })
            .collect();
        ctx.stop_pods = mixed
            .pods
            .iter()
            .filter(|p| stopped.iter().any(|w| w.selects(p)))
            .map(|p| format!("pod/{}", p.name()))
            .collect();
        ctx.pods_before = mixed.pods.iter().map(|p| p.name().to_string()).collect();
        ctx.jobs_before = mixed
            .jobs
            .iter()
            .map(|j| {
                (
                    j.metadata.name.clone(),
                    j.metadata.uid.clone().unwrap_or_default(),
                )
            })
            .collect();
        let at_zero = ctx.stop_set.iter().filter(|r| r.replicas == 0).count();
        let listed = ctx
            .stop_set
            .iter()
            .map(|r| format!("{}={}", r.name, r.replicas))
            .collect::<Vec<_>>()
            .join(", ");
        Ok(Flow::Continue(format!(
            "{} object(s), {at_zero} already at 0: {listed}",
            ctx.stop_set.len()
        )))
    }
}

/// What the StatefulSet trap is judged on: the live StatefulSets and the claims their pods use.
pub(crate) const TRAP_LISTING: &str = "statefulsets,persistentvolumeclaims,pods";

/// The StatefulSets helm's upgrade cannot patch (`statefulset_trap`), from its rendering and one listing.
fn find_recreated(
    ctx: &Ctx,
    runner: &Runner,
    rendered: &Result<Output, ProcessError>,
) -> anyhow::Result<Vec<statefulset_trap::Recreated>> {
    let Ok(out) = rendered else {
        return Ok(Vec::new());
    };
    if !helm_resets::manifest_section(&out.stdout).contains("kind: StatefulSet") {
        return Ok(Vec::new());
    }
    let live: List<serde_json::Value> = runner.json(&ctx.kubectl.list(TRAP_LISTING))?;
    Ok(statefulset_trap::find(&out.stdout, &live.items))
}

fn dry_run_cmd(ctx: &Ctx) -> Cmd {
    ctx.helm.upgrade_dry_run(
        &ctx.cfg.release,
        &ctx.cfg.chart,
        &ctx.cfg.values_display(),
        ctx.target_version(),
    )
}

/// The listing, helm's rendering of the upgrade and the backup's reads (with a plan: none), side by side:
/// none needs another, and the backup keeps the counts of this same listing.
fn read_side_by_side(
    ctx: &Ctx,
    runner: &Runner,
) -> anyhow::Result<(Mixed, Result<Output, ProcessError>, Option<Backup>)> {
    let dry_run = dry_run_cmd(ctx);
    let listing = || -> anyhow::Result<(Vec<Workload>, Mixed)> {
        let list: List<serde_json::Value> = runner.json(&ctx.kubectl.list(LISTING))?;
        let mixed = Mixed::parse(list)?;
        Ok((mixed.workloads.clone(), mixed))
    };
    std::thread::scope(|s| {
        let rendered = s.spawn(|| runner.run(&dry_run));
        let (backup, mixed) = if runner.dry_run() {
            (None, listing()?.1)
        } else {
            let (taken, mixed) = backup::collect(runner, ctx, listing)?;
            (Some(taken), mixed)
        };
        Ok((
            mixed,
            rendered.join().expect("dry-run thread panicked"),
            backup,
        ))
    })
}

/// The seed's first instruction: a backup before upgrading, into `--backup-dir` or the state directory.
fn backup_dir(ctx: &Ctx) -> anyhow::Result<PathBuf> {
    ctx.cfg
        .backup_dir
        .clone()
        .or_else(|| backup::default_dir(ctx))
        .ok_or_else(|| {
            bad_input("no state directory for the backup (set HOME or pass --backup-dir DIR)")
        })
}

/// Records in the context the counts helm's rendering resets (a failure to render is not a reason to stop:
/// the upgrade itself would report it; the resets are then unknown and said so).
fn record_helm_resets(
    ctx: &mut Ctx,
    runner: &Runner,
    rendered: Result<Output, ProcessError>,
    live: &[Workload],
) {
    match rendered {
        Ok(out) => {
            ctx.helm_resets = helm_resets::find(&helm_resets::rendered_counts(&out.stdout), live, &ctx.stop_set);
        }
        Err(e) => runner.reporter().warn(&format!(
            "could not ask helm which replica counts the upgrade resets ({}); objects scaled by hand may come \
             back at the chart's count",
            e.summary()
        )),
    }
}
