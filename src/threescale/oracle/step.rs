//! The guide's Oracle first step, before any tag or trigger: build `amp-system:<to>-oracle` from the
//! operator's directory. The BuildConfig is brought to the target version in one guarded write, one
//! `oc start-build --from-dir` uploads the directory, the build is followed to its end (its phase and last
//! log line under the progress), and its pushed image must be what the output tag resolves to. A build
//! already running is waited for, never doubled; one already done is not redone.

use std::time::Duration;

use super::{found_reads, read_found, target};
use crate::ops::openshift::Build;
use crate::process::{Cmd, Effect, Runner};
use crate::runbook::{Action, Said, Step};
use crate::threescale::context::Ctx;
use crate::threescale::oracle_plan::{build_config_write, BuildAction, Found, Target};
use crate::wait::{poll, OnInterrupt, Poll};

pub(crate) struct OracleImage;

fn start_build(ctx: &Ctx, target: &Target) -> Cmd {
    let dir = target.dir.display().to_string();
    ctx.oc
        .scoped(
            false,
            &["start-build", target.build_config],
            ["--from-dir".to_string(), dir, "-o".into(), "name".into()],
        )
        .timeout(ctx.cfg.timeout)
        .note("uploads the directory as the build's binary input; returns once the build runs")
}

fn get_build(ctx: &Ctx, build: &str) -> Cmd {
    ctx.oc
        .scoped(true, &["get", "build", build], ["-o", "json"])
}

fn log_tail(ctx: &Ctx, build: &str, lines: usize) -> Cmd {
    let reference = format!("build/{build}");
    ctx.oc
        .scoped(true, &["logs", &reference], [format!("--tail={lines}")])
}

impl Step<Ctx> for OracleImage {
    fn title(&self, ctx: &Ctx) -> String {
        format!("Building the system-oracle image ({})", target(ctx).output)
    }

    fn effect(&self) -> Effect {
        Effect::Mutate
    }

    fn actions(&self, ctx: &Ctx) -> Vec<Action<Ctx>> {
        let target = target(ctx);
        let found = ctx.oracle.clone().unwrap_or_default();
        let mut reads = found_reads(&ctx.oc, &target).to_vec();
        reads[0] = reads[0].clone().note(
            "these four side by side, right before: a build another run started is followed, not doubled",
        );
        let placeholder = "<the build started>";
        let stages = vec![
            reads,
            build_config_write(&ctx.oc, &found, &target)
                .into_iter()
                .collect(),
            vec![start_build(ctx, &target)],
            vec![get_build(ctx, placeholder)
                .note("repeated until the build is Complete, Failed, Error or Cancelled")],
            vec![log_tail(ctx, placeholder, 1).note(
                "while it runs: its last log line, under the progress (20 lines if it fails)",
            )],
            vec![super::stream_read(&ctx.oc).note(format!(
                "{} must resolve to the image the build pushed",
                target.output
            ))],
        ];
        vec![Action::staged(stages, build)]
    }
}

fn build(ctx: &mut Ctx, runner: &Runner) -> anyhow::Result<Said> {
    let target = target(ctx);
    let found = read_found(ctx, runner, &target)?;
    let build = match found.action(&target) {
        BuildAction::Done { build } => {
            return Ok(Said::Part(format!(
                "{} already built by {build}: nothing to build",
                target.output
            )));
        }
        BuildAction::WaitFor { build } => {
            runner.reporter().info(&format!(
                "build {build} of {} is running: waiting for it",
                target.build_config
            ));
            build
        }
        BuildAction::Build => start(ctx, runner, &found, &target)?,
    };
    let done = follow(ctx, runner, &build)?;
    let image = verify(ctx, runner, &target, &done)?;
    ctx.resolved.insert(target.output.clone(), image.clone());
    Ok(Said::Part(format!(
        "{build} complete: {} is {image}",
        target.output
    )))
}

/// Brings the BuildConfig to the target and starts the build; the build's name. Both writes may land
/// although their call failed: after such a failure the BuildConfig and its builds are read again, and a
/// build that started is followed, never doubled.
fn start(ctx: &Ctx, runner: &Runner, found: &Found, target: &Target) -> anyhow::Result<String> {
    if let Some(write) = build_config_write(&ctx.oc, found, target) {
        runner.run_checked(&write, || {
            let now = read_found(ctx, runner, target)?;
            Ok(build_config_write(&ctx.oc, &now, target).is_none())
        })?;
    }
    let started = runner.run_checked(&start_build(ctx, target), || {
        Ok(!matches!(
            read_found(ctx, runner, target)?.action(target),
            BuildAction::Build
        ))
    })?;
    if let Some(started) = started {
        return Ok(started
            .stdout
            .trim()
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_string());
    }
    match read_found(ctx, runner, target)?.action(target) {
        BuildAction::WaitFor { build } | BuildAction::Done { build } => Ok(build),
        BuildAction::Build => anyhow::bail!(
            "the build of {} started, then vanished",
            target.build_config
        ),
    }
}

/// Follows the build to its end; a failure carries the tail of its log, a Ctrl-C says how to follow or
/// cancel it (the build goes on in the cluster).
fn follow(ctx: &Ctx, runner: &Runner, build: &str) -> anyhow::Result<Build> {
    let waited = poll(
        runner.reporter(),
        &format!("build {build}"),
        ctx.cfg.timeout,
        Duration::from_secs(2),
        OnInterrupt::Stop,
        || {
            let current: Build = runner.json(&get_build(ctx, build))?;
            if current.is_running() {
                let last = runner
                    .run(&log_tail(ctx, build, 1))
                    .map(|o| o.stdout.trim().to_string())
                    .unwrap_or_default();
                return Ok(Poll::Pending(format!(
                    "{build} {}: {last}",
                    current.status.phase
                )));
            }
            Ok(Poll::Ready(current))
        },
    );
    let current = waited.map_err(|e| {
        let ns = ctx.oc.namespace();
        anyhow::anyhow!(
            "{e:#}\n  the build goes on in the cluster: follow it with `oc logs -f build/{build} -n {ns}`, cancel it \
             with `oc cancel-build {build} -n {ns}`; running this command again waits for it"
        )
    })?;
    if current.status.phase == "Complete" {
        return Ok(current);
    }
    let tail = runner
        .run(&log_tail(ctx, build, 20))
        .map(|o| o.stdout)
        .unwrap_or_default();
    anyhow::bail!(
        "build {build} ended {}{}: no trigger was switched. The last lines of its log:\n{}",
        current.status.phase,
        if current.status.message.is_empty() {
            String::new()
        } else {
            format!(" ({})", current.status.message)
        },
        tail.trim_end()
    )
}

/// The output tag must now resolve to the image the build pushed.
fn verify(ctx: &Ctx, runner: &Runner, target: &Target, build: &Build) -> anyhow::Result<String> {
    let digest = build.pushed_digest().unwrap_or_default().to_string();
    match super::resolved_now(ctx, runner, target)? {
        Some(image) if !digest.is_empty() && image.ends_with(&digest) => Ok(image),
        other => anyhow::bail!(
            "build {} is Complete but {} resolves to {} instead of its image {digest}: check `oc describe istag {} -n {}`",
            build.name(),
            target.output,
            other.as_deref().unwrap_or("nothing"),
            target.output,
            ctx.oc.namespace()
        ),
    }
}
