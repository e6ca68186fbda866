//! Oracle: the system DCs run `amp-system:<version>-oracle`, an image built in the project from the Oracle
//! Instant Client files (the guide's first step). `files` checks the operator's directory, `oracle_plan` (beside
//! the context, which keeps what it read) decides from the BuildConfig and its builds, `step` builds.

pub(crate) mod files;
pub(crate) mod step;

use crate::threescale::oracle_plan::{Found, Target, PULL_SECRET};

use crate::ops::oc::Oc;
use crate::ops::openshift::{Build, BuildConfig, ImageStream};
use crate::process::{Cmd, Runner};
use crate::threescale::context::Ctx;
use crate::threescale::release::rewrite_registry;

/// The system image the build starts FROM (the template's `system-rhel7:3scale${AMP_RELEASE}`).
const SYSTEM_IMAGE: &str = "registry.redhat.io/3scale-amp2/system-rhel7:3scale";
const SYSTEM_STREAM: &str = "amp-system";

pub(crate) fn target(ctx: &Ctx) -> Target {
    let to = ctx.upgrade.to;
    Target {
        build_config: ctx.upgrade.oracle_build.build_config,
        from_image: rewrite_registry(&format!("{SYSTEM_IMAGE}{to}"), ctx.cfg.registry.as_deref()),
        output: format!("{SYSTEM_STREAM}:{to}-oracle"),
        dir: ctx.cfg.oracle_build_dir.clone().unwrap_or_default(),
    }
}

/// The reads [`read_found`] makes, side by side: the BuildConfig, its builds, the pull secret, the stream.
pub(crate) fn found_reads(oc: &Oc, target: &Target) -> [Cmd; 4] {
    let selector = format!("openshift.io/build-config.name={}", target.build_config);
    [
        oc.kubectl.get_optional("buildconfig", target.build_config),
        oc.scoped(true, &["get", "builds"], ["-l", &selector, "-o", "json"]),
        oc.kubectl.existing_names("secret", &[PULL_SECRET]),
        stream_read(oc),
    ]
}

/// The BuildConfig, its builds, the pull secret and what the output tag resolves to, side by side.
pub(crate) fn read_found(ctx: &Ctx, runner: &Runner, target: &Target) -> anyhow::Result<Found> {
    let tag = target.output.split_once(':').map_or("", |(_, t)| t);
    let [bc, builds, secret, stream] = found_reads(&ctx.oc, target);
    let (bc, builds, secret, stream) = std::thread::scope(|s| {
        let bc = s.spawn(|| runner.run(&bc));
        let builds = s.spawn(|| runner.run(&builds));
        let secret = s.spawn(|| runner.run(&secret));
        let stream = s.spawn(|| runner.run(&stream));
        let join = |h: std::thread::ScopedJoinHandle<'_, _>| h.join().expect("oracle read thread");
        (join(bc), join(builds), join(secret), join(stream))
    });
    let bc = bc?.stdout;
    let builds: crate::ops::k8s::List<Build> = serde_json::from_str(&builds?.stdout)?;
    let stream = stream?.stdout;
    Ok(Found {
        build_config: if bc.trim().is_empty() {
            None
        } else {
            Some(serde_json::from_str::<BuildConfig>(&bc)?)
        },
        builds: builds.items,
        secret: !secret?.stdout.trim().is_empty(),
        resolved: resolved_in(&stream, tag)?,
    })
}

/// What `tag` of the system image stream resolves to, from `oc get is amp-system -o json` (empty: none).
fn resolved_in(stream_json: &str, tag: &str) -> anyhow::Result<Option<String>> {
    if stream_json.trim().is_empty() {
        return Ok(None);
    }
    Ok(serde_json::from_str::<ImageStream>(stream_json)?.resolved(tag))
}

/// What the build's output tag resolves to now: one read of the image stream.
pub(crate) fn resolved_now(
    ctx: &Ctx,
    runner: &Runner,
    target: &Target,
) -> anyhow::Result<Option<String>> {
    let tag = target.output.split_once(':').map_or("", |(_, t)| t);
    let stream = runner.run(&stream_read(&ctx.oc))?;
    resolved_in(&stream.stdout, tag)
}

/// The system image stream, whose tags say what the build's output resolves to.
pub(crate) fn stream_read(oc: &Oc) -> Cmd {
    oc.kubectl.get_optional("imagestream", SYSTEM_STREAM)
}

/// `BuildConfig NAME: absent | for 2.9 (…) | already for 2.10`, for the preflight's output.
fn state_line(found: &Found, target: &Target) -> String {
    let state = match &found.build_config {
        None => "absent: created from the template before the build".to_string(),
        Some(bc)
            if bc.spec.base_image() == target.from_image
                && bc.spec.output_tag() == target.output =>
        {
            format!("already for {}", target.output)
        }
        Some(bc) => format!(
            "from {}, output {}: brought to {} and {} before the build",
            bc.spec.base_image(),
            bc.spec.output_tag(),
            target.from_image,
            target.output
        ),
    };
    format!("BuildConfig {}: {state}", target.build_config)
}

/// The preflight's Oracle part: the directory, then the cluster (every problem at once).
pub(crate) fn preflight_problems(ctx: &mut Ctx, runner: &Runner) -> Vec<String> {
    let target = target(ctx);
    let mut problems = files::problems(&target.dir);
    match read_found(ctx, runner, &target) {
        Ok(found) => {
            problems.extend(found.problems(&ctx.oc, &target));
            runner.reporter().info(&state_line(&found, &target));
            ctx.oracle = Some(found);
        }
        Err(e) => problems.push(format!("{e:#}")),
    }
    problems
}
