//! Reading a DC back, checking its trigger after a write, and waiting until its latest rollout completed
//! (with what the deployer and hook pods say when it does not).

use std::time::{Duration, Instant};

use crate::ops::k8s::{List, Pod};
use crate::ops::openshift::{DeploymentConfig, ReplicationController, Rollout};
use crate::process::Runner;
use crate::signals;
use crate::threescale::context::Ctx;
use crate::wait::{poll, OnInterrupt, Poll};

pub(super) fn read_dc(ctx: &Ctx, runner: &Runner, name: &str) -> anyhow::Result<DeploymentConfig> {
    runner.json(&ctx.oc.get_dc(name))
}

fn read_rc(
    ctx: &Ctx,
    runner: &Runner,
    name: &str,
) -> anyhow::Result<Option<ReplicationController>> {
    let cmd = ctx.oc.get_rc_optional(name);
    let out = runner.run(&cmd)?;
    if out.stdout.trim().is_empty() {
        return Ok(None);
    }
    crate::process::parse_json(&cmd, &out.stdout).map(Some)
}

/// The DC and the RC of its rollout `rc_name` (None while it does not exist), one process per poll.
fn read_dc_and_rc(
    ctx: &Ctx,
    runner: &Runner,
    name: &str,
    rc_name: &str,
) -> anyhow::Result<(DeploymentConfig, Option<ReplicationController>)> {
    let cmd = ctx.oc.get_dc_and_rc(name, rc_name);
    let out = runner.run(&cmd)?;
    // with --ignore-not-found, nothing found prints nothing
    let list: List<serde_json::Value> = if out.stdout.trim().is_empty() {
        List { items: Vec::new() }
    } else {
        crate::process::parse_json(&cmd, &out.stdout)?
    };
    let (mut dc, mut rc) = (None, None);
    for item in list.items {
        match item.get("kind").and_then(|k| k.as_str()) {
            Some("DeploymentConfig") => dc = Some(serde_json::from_value(item)?),
            Some("ReplicationController") => rc = Some(serde_json::from_value(item)?),
            _ => {}
        }
    }
    let dc =
        dc.ok_or_else(|| anyhow::anyhow!("dc/{name} is gone (deleted during the rollout?)"))?;
    Ok((dc, rc))
}

/// The DC must now have exactly one ImageChange trigger: on the new tag, covering the containers.
pub(super) fn check_new_trigger(
    dc: &DeploymentConfig,
    new_istag: &str,
    containers: &[String],
) -> anyhow::Result<()> {
    let triggers = dc.image_triggers();
    let ok = matches!(triggers.as_slice(), [t] if t.from.name == new_istag
        && containers.iter().all(|c| t.container_names.contains(c)));
    if ok {
        return Ok(());
    }
    anyhow::bail!(
        "after the trigger change, dc/{} should have exactly one ImageChange trigger, on {new_istag} covering {}; it has: {}",
        dc.name(),
        containers.join(","),
        describe_triggers(dc)
    )
}

pub(super) fn describe_triggers(dc: &DeploymentConfig) -> String {
    let triggers = dc.image_triggers();
    if triggers.is_empty() {
        return "none".into();
    }
    triggers
        .iter()
        .map(|t| format!("{} ({})", t.from.name, t.container_names.join(",")))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What the deployer and hook pods of a stuck or failed rollout say.
fn rollout_diagnostics(ctx: &Ctx, runner: &Runner, rc_name: &str) -> String {
    let selector = format!("openshift.io/deployer-pod-for.name={rc_name}");
    let Ok(pods) = runner.json::<List<Pod>>(&ctx.oc.pods_labelled(&selector)) else {
        return String::new();
    };
    let mut text = String::new();
    for pod in &pods.items {
        let state = pod
            .problem()
            .unwrap_or_else(|| pod.status.phase.to_string());
        text.push_str(&format!("\n  pod/{} {state}", pod.name()));
        if pod.name().contains("-hook-") {
            if let Ok(out) = runner.run(&ctx.oc.logs_tail(pod.name(), 10)) {
                for line in out.stdout.trim_end().lines() {
                    text.push_str(&format!("\n    | {line}"));
                }
            }
            text.push_str(
                "\n    (a lifecycle hook with failurePolicy Retry is retried until it succeeds: system-app's pre-hook runs the database migrations)",
            );
        }
    }
    if text.is_empty() {
        text
    } else {
        format!("pods of rollout {rc_name}:{text}")
    }
}

/// Why the awaited rollout has not started yet (no newer version than `after_version`, or the containers
/// not on `want_image`: the trigger has not fired), or None once it has.
fn not_started(
    dc: &DeploymentConfig,
    containers: &[String],
    after_version: Option<i64>,
    want_image: Option<&str>,
) -> Option<String> {
    let (name, latest) = (dc.name(), dc.status.latest_version);
    if after_version.is_some_and(|v| latest <= v) {
        return Some(format!(
            "dc/{name} has not started a new rollout yet (latestVersion still {latest})"
        ));
    }
    match want_image {
        Some(image) if !dc.runs_image(containers, image) => Some(format!(
            "dc/{name}: the image change trigger has not fired yet (containers not on {image})"
        )),
        _ => None,
    }
}

/// Where the rollout stands: complete (the DC), still progressing (what is missing), or failed (an error
/// saying what to do).
fn verdict(
    ctx: &Ctx,
    dc: DeploymentConfig,
    rc: Option<&ReplicationController>,
) -> anyhow::Result<Poll<DeploymentConfig>> {
    let name = dc.name().to_string();
    match dc.rollout(rc) {
        Rollout::Complete => Ok(Poll::Ready(dc)),
        Rollout::Failed(why) => anyhow::bail!(
            "dc/{name}: {why}. Inspect it with `oc describe dc/{name} -n {ns}` and `oc logs dc/{name} -n {ns}`; \
             retry it with `oc rollout retry dc/{name} -n {ns}` or switch it back (below)",
            ns = ctx.cfg.target.namespace
        ),
        Rollout::Progressing(what) => Ok(Poll::Pending(format!("dc/{name}: {what}"))),
    }
}

/// oc's own status viewer watches the rollout to its end (at once if it has ended), so no poll lands late.
/// Only a wait: the caller reads the verdict back, with the old pods' check oc does not make. A Ctrl-C
/// stops it (Err); any other failure (an oc without `--revision`, a forbidden watch) leaves the polls to it.
fn watch(
    ctx: &Ctx,
    runner: &Runner,
    name: &str,
    revision: i64,
    left: Duration,
) -> anyhow::Result<()> {
    match runner.run(
        &ctx.oc
            .rollout_status(name, revision, left.max(Duration::from_secs(1))),
    ) {
        Err(e) if e.is_interrupted() => Err(e.into()),
        Err(e) => {
            runner.reporter().warn(&format!(
                "could not watch the rollout, polling it instead: {}",
                e.summary()
            ));
            Ok(())
        }
        Ok(_) => Ok(()),
    }
}

/// Waits until the DC's latest rollout completed. `after_version`: the rollout must be newer than this
/// one. `want_image`: the containers must run this image first (the trigger fired).
pub(super) fn wait_rollout(
    ctx: &Ctx,
    runner: &Runner,
    name: &str,
    containers: &[String],
    new_istag: &str,
    after_version: Option<i64>,
    want_image: Option<&str>,
) -> anyhow::Result<DeploymentConfig> {
    let mut checked = false;
    let mut watched = false;
    let deadline = Instant::now() + ctx.cfg.timeout;
    let mut started_rc: Option<String> = None;
    let result = poll(
        runner.reporter(),
        &format!("dc/{name} to roll out"),
        ctx.cfg.timeout,
        // Half a second, not the 2 s of the other waits: this one runs once per DC, one DC after another,
        // so the time between the rollout completing and the next poll adds up (docs/performance.md).
        Duration::from_millis(500),
        OnInterrupt::Stop,
        || {
            // Once the rollout is known, the DC and its RC come in one call.
            let (dc, rc_read) = match &started_rc {
                Some(rc_name) => {
                    let (dc, rc) = read_dc_and_rc(ctx, runner, name, rc_name)?;
                    (dc, Some((rc_name.clone(), rc)))
                }
                None => (read_dc(ctx, runner, name)?, None),
            };
            if !checked {
                check_new_trigger(&dc, new_istag, containers)?;
                checked = true;
            }
            if let Some(not_yet) = not_started(&dc, containers, after_version, want_image) {
                return Ok(Poll::Pending(not_yet));
            }
            let latest = dc.status.latest_version;
            let rc_name = dc.latest_rc_name();
            started_rc = Some(rc_name.clone());
            let rc = match rc_read {
                Some((read, rc)) if read == rc_name => rc,
                _ if watched => read_rc(ctx, runner, &rc_name)?,
                _ => {
                    watched = true;
                    watch(
                        ctx,
                        runner,
                        name,
                        latest,
                        deadline.saturating_duration_since(Instant::now()),
                    )?;
                    let (dc, rc) = read_dc_and_rc(ctx, runner, name, &rc_name)?;
                    return verdict(ctx, dc, rc.as_ref());
                }
            };
            verdict(ctx, dc, rc.as_ref())
        },
    );
    result.map_err(|err| match &started_rc {
        Some(rc) if !signals::interrupted() => {
            let diagnostics = rollout_diagnostics(ctx, runner, rc);
            if diagnostics.is_empty() {
                err
            } else {
                anyhow::anyhow!("{err:#}\n{diagnostics}")
            }
        }
        _ => err,
    })
}
