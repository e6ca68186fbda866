//! The record step's check for helm 4 server-side releases (`exastro::field_conflicts`): the API server's
//! answer to a dry-run apply of helm's rendering, decided before any change; a refusal is exit 2.

use crate::exastro::context::Ctx;
use crate::exastro::field_conflicts;
use crate::exastro::helm_resets;
use crate::exastro::statefulset_trap;
use crate::exit::bad_input;
use crate::ops::helm4::ApplyMethod;
use crate::process::{FailureKind, Output, ProcessError, Runner};

/// `deployment.apps/NAME` of each stopped object whose count the chart renders: the stop's `kubectl scale`
/// will own its `.spec.replicas` by the time helm applies.
fn replicas_from_the_stop(ctx: &Ctx, rendered: &[(String, String, i64)]) -> Vec<String> {
    ctx.stop_set
        .iter()
        .filter(|r| {
            rendered
                .iter()
                .any(|(k, n, _)| *k == r.kind && *n == r.name)
        })
        .map(|r| format!("{}.apps/{}", r.kind.to_lowercase(), r.name))
        .collect()
}

/// On a server-side release: asks the API server which fields helm's apply would conflict on, and decides.
pub(crate) fn check(
    ctx: &mut Ctx,
    runner: &Runner,
    rendered: &Result<Output, ProcessError>,
) -> anyhow::Result<()> {
    if ctx.apply_method != ApplyMethod::ServerSide {
        return Ok(());
    }
    let output = rendered.as_ref().map_err(|e| {
        bad_input(format!(
            "helm could not render the upgrade, so its server-side apply cannot be checked for conflicts: {}",
            e.summary()
        ))
    })?;
    let manifest = statefulset_trap::without(
        helm_resets::manifest_section(&output.stdout),
        &ctx.recreated,
    );
    let manifest = manifest.as_str();
    let conflicts = match runner.run(&field_conflicts::probe(&ctx.kubectl, manifest)) {
        Ok(_) => Vec::new(),
        Err(e)
            if matches!(e.kind, FailureKind::Exit(_)) && e.stderr.contains("Apply failed with") =>
        {
            field_conflicts::parse(&field_conflicts::manifest_objects(manifest), &e)
        }
        Err(e) => return Err(e.into()),
    };
    let by_the_stop = replicas_from_the_stop(ctx, &helm_resets::rendered_counts(&output.stdout));
    match field_conflicts::decide(conflicts, by_the_stop, ctx.cfg.force_conflicts) {
        Ok(decision) => {
            ctx.conflicts = Some(decision);
            Ok(())
        }
        Err(lines) => Err(refusal(ctx, &lines)),
    }
}

fn refusal(ctx: &Ctx, lines: &[String]) -> anyhow::Error {
    let listed: Vec<String> = lines.iter().map(|l| format!("    {l}")).collect();
    bad_input(format!(
        "helm 4 applies release {} server-side, and {} field(s) it sets are owned by another manager with another \
         value (helm's apply would fail on them and leave a failed revision):\n{}\n  Either hand them back to the \
         chart (undo the change, or stop the controller that makes it), or run again with --force-conflicts to let \
         helm take them over. Nothing was changed.",
        ctx.cfg.release,
        lines.len(),
        listed.join("\n")
    ))
}
