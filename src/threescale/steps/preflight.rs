//! Step 1: everything that can be checked before any change, from one listing of the image streams and one
//! of the DeploymentConfigs (read concurrently with the other checks). Every problem is reported together;
//! any problem means exit 2 with nothing changed. It also decides, DC by DC, what the run will do, so a
//! re-run continues where an earlier one stopped.

use serde::de::DeserializeOwned;

use super::analysis::analyze;
use crate::ops::k8s::{ConfigMap, List};
use crate::ops::oc::Oc;
use crate::ops::openshift::{DeploymentConfig, ImageStream};
use crate::process::{Cmd, Effect, FailureKind, Output, ProcessError, Runner};
use crate::runbook::{Action, Flow, Step};
use crate::threescale::context::{Ctx, DcAction, TagState};

pub(crate) const ENV_CONFIGMAP: &str = "system-environment";
pub(crate) const AMP_RELEASE: &str = "AMP_RELEASE";

pub(crate) struct Preflight;

type Read = Result<Output, ProcessError>;

/// The preflight's six reads, run concurrently.
struct Reads {
    version: Read,
    whoami: Read,
    project: Read,
    streams: Read,
    dcs: Read,
    env: Read,
}

impl Step<Ctx> for Preflight {
    fn title(&self, _: &Ctx) -> String {
        "Preflight checks".into()
    }

    fn effect(&self) -> Effect {
        Effect::Read
    }

    fn actions(&self, _: &Ctx) -> Vec<Action<Ctx>> {
        vec![Action::look(|ctx, runner| {
            Ok(Preflight.run(ctx, runner)?.into())
        })]
    }
}

impl Preflight {
    fn run(&self, ctx: &mut Ctx, runner: &Runner) -> anyhow::Result<Flow> {
        let oc = ctx.oc.clone();
        let reads = read_all(&oc, runner);
        if let Err(problem) = check_access(ctx, &reads) {
            return Err(crate::exit::preflight_failed(&[problem]));
        }
        let mut problems = check_project(ctx, &oc, &reads);
        if ctx.cfg.oracle_build_dir.is_some() {
            problems.extend(oracle_problems(ctx, runner));
        }
        if !problems.is_empty() {
            return Err(crate::exit::preflight_failed(&problems));
        }
        warn_amp_release(ctx, &oc);
        for warning in &ctx.warnings {
            runner.reporter().warn(warning);
        }
        Ok(summary(ctx))
    }
}

/// `--oracle-build-dir`: only with Oracle; the directory and the BuildConfig's side.
fn oracle_problems(ctx: &mut Ctx, runner: &Runner) -> Vec<String> {
    if ctx.db != Some(crate::threescale::config::Db::Oracle) {
        return vec![format!(
            "--oracle-build-dir is for an Oracle database, and this install's is {}: drop it",
            ctx.db.map_or("not Oracle".to_string(), |d| d.to_string())
        )];
    }
    crate::threescale::oracle::preflight_problems(ctx, runner)
}

fn read_all(oc: &Oc, runner: &Runner) -> Reads {
    std::thread::scope(|s| {
        let version = s.spawn(|| runner.run(&oc.version()));
        let whoami = s.spawn(|| runner.run(&oc.whoami()));
        let project = s.spawn(|| runner.run(&oc.get_project()));
        let streams = s.spawn(|| runner.run(&oc.list_imagestreams()));
        let dcs = s.spawn(|| runner.run(&oc.list_dcs()));
        let env = s.spawn(|| runner.run(&oc.get_configmap_optional(ENV_CONFIGMAP)));
        let join = |h: std::thread::ScopedJoinHandle<'_, Read>| {
            h.join().expect("preflight thread panicked")
        };
        Reads {
            version: join(version),
            whoami: join(whoami),
            project: join(project),
            streams: join(streams),
            dcs: join(dcs),
            env: join(env),
        }
    })
}

/// oc, the login and the project. Without them every other check fails the same way: say it once.
fn check_access(ctx: &mut Ctx, reads: &Reads) -> Result<(), String> {
    match &reads.version {
        Err(e) if matches!(e.kind, FailureKind::NotFound(_)) => {
            return Err(
                "oc was not found on PATH: install the OpenShift CLI (https://docs.openshift.com/container-platform/latest/cli_reference/openshift_cli/getting-started-cli.html) or add it to PATH".into(),
            );
        }
        // Only a missing oc matters here; login and project problems are reported below.
        Err(_) => ctx.oc_version = "unknown".into(),
        Ok(out) => {
            let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap_or_default();
            ctx.oc_version = v["clientVersion"]["gitVersion"]
                .as_str()
                .unwrap_or("unknown")
                .to_string();
        }
    }
    match &reads.whoami {
        Ok(out) => ctx.user = out.stdout.trim().to_string(),
        Err(e) => {
            return Err(format!(
                "not logged in to the cluster ({}): log in with `oc login`{}",
                e.stderr_trimmed()
                    .lines()
                    .last()
                    .unwrap_or("oc whoami failed"),
                ctx.cfg
                    .target
                    .context
                    .as_ref()
                    .map(|c| format!(" (context {c})"))
                    .unwrap_or_default()
            ));
        }
    }
    if let Err(e) = &reads.project {
        return Err(format!(
            "project {:?} not found or not visible to {} ({}): check -n (`oc projects` lists yours)",
            ctx.cfg.target.namespace,
            ctx.user,
            e.stderr_trimmed().lines().last().unwrap_or_default()
        ));
    }
    Ok(())
}

/// The listings and AMP_RELEASE read into the context, the run planned from them; the problems found.
fn check_project(ctx: &mut Ctx, oc: &Oc, reads: &Reads) -> Vec<String> {
    let mut problems = Vec::new();
    let streams: Vec<ImageStream> = listing(&oc.list_imagestreams(), &reads.streams, &mut problems);
    let dcs: Vec<DeploymentConfig> = listing(&oc.list_dcs(), &reads.dcs, &mut problems);
    read_amp_release(ctx, &reads.env);
    if problems.is_empty() {
        let analysis = analyze(ctx.upgrade, &ctx.cfg, oc, &streams, &dcs);
        problems.extend(analysis.problems);
        ctx.db = analysis.db;
        ctx.db_reason = analysis.db_reason;
        ctx.plan = analysis.plan;
        ctx.absent = analysis.absent;
        ctx.resolved = analysis.resolved;
        for s in analysis.on_target {
            ctx.note_switched(s);
        }
    }
    problems
}

/// A listing's items; when it failed or does not parse, its problem is recorded and it is empty.
fn listing<T>(cmd: &Cmd, read: &Read, problems: &mut Vec<String>) -> Vec<T>
where
    List<T>: DeserializeOwned,
{
    crate::process::parsed::<List<T>>(cmd, read)
        .map(|list| list.items)
        .unwrap_or_else(|problem| {
            problems.push(problem);
            Vec::new()
        })
}

/// AMP_RELEASE from the ConfigMap; a missing or unreadable ConfigMap is only a warning.
fn read_amp_release(ctx: &mut Ctx, env: &Read) {
    let ns = &ctx.cfg.target.namespace;
    match env {
        Ok(out) if out.stdout.trim().is_empty() => ctx.warnings.push(format!(
            "ConfigMap {ENV_CONFIGMAP} not found in project {ns}: is this a template-based 3scale install?"
        )),
        Ok(out) => match serde_json::from_str::<ConfigMap>(&out.stdout) {
            Ok(cm) => ctx.amp_release = cm.data.get(AMP_RELEASE).cloned(),
            Err(e) => ctx
                .warnings
                .push(format!("ConfigMap {ENV_CONFIGMAP} is not readable JSON: {e}")),
        },
        Err(e) => ctx.warnings.push(e.summary()),
    }
}

/// The guide sets AMP_RELEASE before patching the images; this tool only says how.
fn warn_amp_release(ctx: &mut Ctx, oc: &Oc) {
    let target = ctx.upgrade.amp_release;
    match ctx.amp_release.as_deref() {
        Some(v) if v == target => {}
        current => ctx.warnings.push(format!(
            "{AMP_RELEASE} in ConfigMap {ENV_CONFIGMAP} is {}, not {target}: the guide sets it before patching \
             the images. This tool does not change it; set it with:\n  {}",
            current.map(|v| format!("{v:?}")).unwrap_or_else(|| "not set".into()),
            oc.patch_configmap_data(ENV_CONFIGMAP, AMP_RELEASE, target).display()
        )),
    }
}

/// What the run will do, counted; finishes early when there is nothing to do.
fn summary(ctx: &Ctx) -> Flow {
    let ns = &ctx.cfg.target.namespace;
    // build-oracle-image: the build step says whether there is anything to build
    if ctx.cfg.build_only {
        return Flow::Continue(format!(
            "Oracle install in project {ns} ({}); the image the system DCs need is built next",
            ctx.db_reason
        ));
    }
    let count = |action: DcAction| {
        ctx.plan
            .iter()
            .flat_map(|c| &c.dcs)
            .filter(|d| d.action == action)
            .count()
    };
    let (switch, wait, done) = (
        count(DcAction::Switch) + count(DcAction::AddNew) + count(DcAction::DropOld),
        count(DcAction::Await),
        count(DcAction::Done),
    );
    let add = ctx
        .plan
        .iter()
        .filter(|c| c.tag.state == TagState::Add)
        .count();
    if switch + wait == 0 && add == 0 {
        let what = if ctx.plan.is_empty() {
            format!(
                "none of the selected components ({}) has a DeploymentConfig in project {ns}",
                ctx.absent.join(", ")
            )
        } else {
            format!(
                "every selected DeploymentConfig ({done}) is on its {} trigger and rolled out, and every tag exists",
                ctx.upgrade.to
            )
        };
        return Flow::Finish(format!(
            "3scale in project {ns} is already at {}: {what}. Nothing to do",
            ctx.upgrade.to
        ));
    }
    Flow::Continue(format!(
        "user {}, database {}; {add} tag(s) to add, {switch} DC(s) to switch, {wait} to wait for, {done} already done",
        ctx.user,
        ctx.db_text()
    ))
}
