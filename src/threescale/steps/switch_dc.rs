//! One DC of a component: re-read it, replan from its triggers now, then the one guarded trigger write
//! and the wait for its rollout — or only the wait, or nothing when it is done.

use std::time::Instant;

use super::rollout_wait::{check_new_trigger, describe_triggers, read_dc, wait_rollout};
use crate::ops::oc::Oc;
use crate::ops::oc_triggers::{raw_triggers, trigger_index, TriggerWrite};
use crate::ops::openshift::DeploymentConfig;
use crate::process::{Cmd, Runner};
use crate::threescale::context::{
    ComponentPlan, Ctx, DcAction, DcOutcome, DcPlan, DcResult, SwitchStage, Switched,
};

fn result(
    component: &ComponentPlan,
    plan: &DcPlan,
    outcome: DcOutcome,
    image_before: String,
    revision_before: i64,
    after: Option<&DeploymentConfig>,
    started: Instant,
) -> DcResult {
    let from_trigger = match outcome {
        DcOutcome::RolledOut | DcOutcome::NoRolloutNeeded => component.old_istag(),
        DcOutcome::Continued | DcOutcome::AlreadyDone => component.new_istag(),
    };
    DcResult {
        component: component.stream.clone(),
        dc: plan.name.clone(),
        from_trigger,
        to_trigger: component.new_istag(),
        image_after: after
            .map(|d| d.images_of(&plan.containers))
            .unwrap_or_else(|| image_before.clone()),
        image_before,
        revision_before,
        revision_after: after
            .map(|d| d.status.latest_version)
            .unwrap_or(revision_before),
        outcome,
        seconds: match outcome {
            DcOutcome::AlreadyDone => 0.0,
            _ => (started.elapsed().as_secs_f64() * 1000.0).round() / 1000.0,
        },
    }
}

/// One DC, as the preflight planned it.
pub(super) fn switch_one(
    ctx: &mut Ctx,
    runner: &Runner,
    component: &ComponentPlan,
    plan: &DcPlan,
) -> anyhow::Result<DcResult> {
    let started = Instant::now();
    let name = plan.name.as_str();
    let (old, new) = (component.old_istag(), component.new_istag());
    let mut action = plan.action;
    let mut current = None;
    if action.writes_trigger() {
        // Fresh: the DCs before this one took time, and latestVersion must be recorded right before.
        let dc = read_dc(ctx, runner, name)?;
        let froms: Vec<&str> = dc
            .image_triggers()
            .iter()
            .map(|t| t.from.name.as_str())
            .collect();
        action = DcAction::route(&froms, &old, &new).ok_or_else(|| {
            anyhow::anyhow!(
                "dc/{name}'s ImageChange triggers changed since the preflight: now {}; expected {old} (to switch) \
                 or {new} (switched)",
                describe_triggers(&dc)
            )
        })?;
        if action == DcAction::Await {
            ctx.note_switched(Switched {
                dc: name.to_string(),
                old_istag: old.clone(),
                new_istag: new.clone(),
                containers: plan.containers.clone(),
                stage: SwitchStage::NewAdded,
                by_this_run: false,
                rollout_unfinished: true,
                trigger_index: trigger_index(&dc, &new),
            });
        }
        current = Some(dc);
    }
    match action {
        DcAction::Done => Ok(result(
            component,
            plan,
            DcOutcome::AlreadyDone,
            plan.image.clone(),
            plan.latest_version,
            None,
            started,
        )),
        DcAction::Await => await_rollout(ctx, runner, component, plan, started),
        _ => {
            let dc = current.expect("read above");
            write_new_trigger(ctx, runner, component, plan, action, dc, started)
        }
    }
}

/// Waits for the latest rollout of a DC that is already on the new trigger.
fn await_rollout(
    ctx: &mut Ctx,
    runner: &Runner,
    component: &ComponentPlan,
    plan: &DcPlan,
    started: Instant,
) -> anyhow::Result<DcResult> {
    let (name, new) = (plan.name.as_str(), component.new_istag());
    let want_image = ctx.resolved.get(&new).cloned();
    runner
        .reporter()
        .step_progress(&format!("dc/{name} is on {new}: waiting for its rollout"));
    let done = wait_rollout(
        ctx,
        runner,
        name,
        &plan.containers,
        &new,
        None,
        want_image.as_deref(),
    )?;
    ctx.set_rollout_unfinished(name, false);
    Ok(result(
        component,
        plan,
        DcOutcome::Continued,
        plan.image.clone(),
        plan.latest_version,
        Some(&done),
        started,
    ))
}

/// The one guarded write that puts the DC on the new trigger: a switch of the old one, or (repairing a
/// state an earlier run left) an add of the missing one or a drop of the leftover old one. The plan builds
/// it from the triggers the preflight read, the run from the ones it reads right before writing: the same
/// command when nothing changed in between.
pub(super) fn trigger_write(
    oc: &Oc,
    name: &str,
    triggers: &serde_json::Value,
    action: DcAction,
    component: &ComponentPlan,
    containers: &[String],
) -> Option<Cmd> {
    let write = match action {
        DcAction::Switch => TriggerWrite::Switch,
        DcAction::AddNew => TriggerWrite::AddNew,
        DcAction::DropOld => TriggerWrite::DropOld,
        DcAction::Await | DcAction::Done => return None,
    };
    let (old, new) = (component.old_istag(), component.new_istag());
    oc.trigger_write(name, triggers, write, &old, &new, containers)
}

/// Switches the DC with the one guarded write, then waits for the rollout that starts — or establishes
/// that none is due because the containers already run the new tag's image.
fn write_new_trigger(
    ctx: &mut Ctx,
    runner: &Runner,
    component: &ComponentPlan,
    plan: &DcPlan,
    action: DcAction,
    dc: DeploymentConfig,
    started: Instant,
) -> anyhow::Result<DcResult> {
    let name = plan.name.as_str();
    let containers = &plan.containers;
    let (old, new) = (component.old_istag(), component.new_istag());
    let want_image = ctx.resolved.get(&new).cloned();
    let reporter = runner.reporter().clone();
    let before = dc.status.latest_version;
    let image_before = dc.images_of(containers);
    run_guarded_write(ctx, runner, component, plan, action, &dc)?;
    let now = read_back_switched(ctx, runner, component, plan)?;
    let same_image = want_image
        .as_deref()
        .is_some_and(|img| dc.runs_image(containers, img));
    if same_image && now.status.latest_version == before {
        ctx.set_rollout_unfinished(name, false);
        reporter.info(&format!(
            "dc/{name}: {old} -> {new}; {new} resolves to the image it already runs, so no rollout is due"
        ));
        return Ok(result(
            component,
            plan,
            DcOutcome::NoRolloutNeeded,
            image_before,
            before,
            Some(&now),
            started,
        ));
    }
    // A dropped leftover trigger starts no rollout of its own: the new trigger's is the one to wait for.
    let since = (action != DcAction::DropOld).then_some(before);
    reporter.step_progress(&format!(
        "dc/{name}: waiting for its rollout on {new} to complete"
    ));
    let done = wait_rollout(ctx, runner, name, containers, &new, since, None)?;
    ctx.set_rollout_unfinished(name, false);
    if let Some(img) = &want_image {
        if !done.runs_image(containers, img) {
            reporter.warn(&format!(
                "dc/{name} rolled out, but its containers run {} rather than {img} ({new})",
                done.images_of(containers)
            ));
        }
    }
    Ok(result(
        component,
        plan,
        DcOutcome::RolledOut,
        image_before,
        before,
        Some(&done),
        started,
    ))
}

/// Builds the guarded write from the triggers just read and runs it. A failed test in the patch means
/// the DC changed after it was read: nothing was written, and a re-run continues from its new state.
fn run_guarded_write(
    ctx: &Ctx,
    runner: &Runner,
    component: &ComponentPlan,
    plan: &DcPlan,
    action: DcAction,
    dc: &DeploymentConfig,
) -> anyhow::Result<()> {
    let name = plan.name.as_str();
    let (old, new) = (component.old_istag(), component.new_istag());
    let write = trigger_write(
        &ctx.oc,
        name,
        &raw_triggers(dc),
        action,
        component,
        &plan.containers,
    )
    .ok_or_else(|| {
        anyhow::anyhow!(
            "dc/{name} has no ImageChange trigger on {old}: {}",
            describe_triggers(dc)
        )
    })?;
    runner
        .reporter()
        .step_progress(&format!("dc/{name}: {} {new}", action.verb()));
    // After a failure that may have landed, the DC is read: on the new trigger alone, the write is done.
    let landed = || -> anyhow::Result<bool> {
        let now = read_dc(ctx, runner, name)?;
        let froms: Vec<&str> = now
            .image_triggers()
            .iter()
            .map(|t| t.from.name.as_str())
            .collect();
        Ok(DcAction::route(&froms, &old, &new) == Some(DcAction::Await))
    };
    runner.run_checked(&write, landed).map_err(|e| {
        if e.stderr.contains("test failed") || e.stderr.contains("testing value") {
            anyhow::anyhow!(
                "dc/{name} changed while this run was switching it: its trigger was no longer what the run \
                 read, so the guarded write changed nothing. Run this again: it continues from the DC's \
                 state now.\n--- stderr\n{}",
                e.stderr_trimmed()
            )
        } else {
            e.into()
        }
    })?;
    Ok(())
}

/// Reads the DC back after the write and records the switch before checking it, so that even a failed
/// check leaves the way back (the restore hint) on record.
fn read_back_switched(
    ctx: &mut Ctx,
    runner: &Runner,
    component: &ComponentPlan,
    plan: &DcPlan,
) -> anyhow::Result<DeploymentConfig> {
    let (old, new) = (component.old_istag(), component.new_istag());
    let now = read_dc(ctx, runner, &plan.name)?;
    ctx.note_switched(Switched {
        dc: plan.name.clone(),
        old_istag: old,
        new_istag: new.clone(),
        containers: plan.containers.clone(),
        stage: SwitchStage::NewAdded,
        by_this_run: true,
        rollout_unfinished: true,
        trigger_index: trigger_index(&now, &new),
    });
    ctx.update_restore_hint();
    check_new_trigger(&now, &new, &plan.containers)?;
    Ok(now)
}
