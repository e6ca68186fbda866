//! Steps 3..: one step per component, in the table's order; DC by DC inside it
//! (`threescale/steps/switch_dc.rs`). For each DC: re-read it and record `status.latestVersion`, put it on
//! the new tag with ONE JSON patch guarded by a `test` of the trigger it replaces (`ops/oc_triggers.rs`),
//! read it back, then wait until `latestVersion` increased and that rollout completed with the old pods
//! gone — or, when the new tag resolves to the image the containers already run, establish that no rollout
//! is due. `oc rollout status` is only run once `latestVersion` shows the new rollout, pinned to it
//! (`--revision=N`), and only as a wait: right after a trigger change it would report the previous rollout.

use std::time::Duration;

use super::switch_dc::{switch_one, trigger_write};
use crate::output::format_elapsed;
use crate::process::{Cmd, Effect, Runner};
use crate::runbook::{Action, Said, Step};
use crate::signals;
use crate::threescale::context::{ComponentPlan, Ctx, DcAction, DcOutcome, DcPlan};

pub(crate) struct SwitchComponent {
    pub(crate) stream: &'static str,
}
impl Step<Ctx> for SwitchComponent {
    fn title(&self, ctx: &Ctx) -> String {
        let stream = self.stream;
        let Some(c) = ctx.component(stream) else {
            if ctx.absent.iter().any(|a| a == stream) {
                return format!("{stream}: no DeploymentConfig in the project, skipped");
            }
            return format!("{stream}: switching triggers");
        };
        let count = |a: DcAction| c.dcs.iter().filter(|d| d.action == a).count();
        let (switch, wait, done) = (
            count(DcAction::Switch) + count(DcAction::AddNew) + count(DcAction::DropOld),
            count(DcAction::Await),
            count(DcAction::Done),
        );
        let mut parts = Vec::new();
        if switch > 0 {
            parts.push(format!("switching {switch} DC(s) to {}", c.new_istag()));
        }
        if wait > 0 {
            parts.push(format!(
                "waiting for {wait} DC(s) already on {}",
                c.new_istag()
            ));
        }
        if parts.is_empty() {
            parts.push(format!("{done} DC(s) already on {}", c.new_istag()));
        }
        format!("{stream}: {}", parts.join(", "))
    }

    fn effect(&self) -> Effect {
        Effect::Mutate
    }

    fn actions(&self, ctx: &Ctx) -> Vec<Action<Ctx>> {
        let Some(component) = ctx.component(self.stream).cloned() else {
            let why = if ctx.absent.iter().any(|a| a == self.stream) {
                "not installed (external)"
            } else {
                "not selected"
            };
            return vec![Action::look(move |_, _| Ok(Said::Part(why.into())))];
        };
        component
            .dcs
            .iter()
            .map(|plan| {
                let shows = dc_shown(ctx, &component, plan);
                let (component, plan) = (component.clone(), plan.clone());
                Action::code(shows, move |ctx, runner| {
                    switch(ctx, runner, &component, &plan)
                })
            })
            .collect()
    }
}

/// One DC of the component, as the preflight planned it: switched (or repaired, or waited for), its
/// result kept for the report.
fn switch(
    ctx: &mut Ctx,
    runner: &Runner,
    component: &ComponentPlan,
    plan: &DcPlan,
) -> anyhow::Result<Said> {
    if signals::interrupted() {
        return Err(ctx.mid_change(anyhow::anyhow!("interrupted before dc/{}", plan.name)));
    }
    let res = switch_one(ctx, runner, component, plan).map_err(|e| ctx.mid_change(e))?;
    let line = match res.outcome {
        DcOutcome::RolledOut => format!(
            "{} rolled out revision {} in {}",
            res.dc,
            res.revision_after,
            format_elapsed(Duration::from_secs_f64(res.seconds))
        ),
        DcOutcome::NoRolloutNeeded => {
            format!("{} switched, same image: no rollout", res.dc)
        }
        DcOutcome::Continued => format!(
            "{} (switched earlier) rolled out revision {} after {}",
            res.dc,
            res.revision_after,
            format_elapsed(Duration::from_secs_f64(res.seconds))
        ),
        DcOutcome::AlreadyDone => format!("{} already done", res.dc),
    };
    if res.outcome == DcOutcome::RolledOut || res.outcome == DcOutcome::Continued {
        runner.reporter().info(&format!(
            "dc/{}: {} -> {}, {line}",
            res.dc, res.from_trigger, res.to_trigger
        ));
    }
    ctx.results.push(res);
    Ok(Said::Part(line))
}

/// What [`switch_one`] runs for one DC on its planned route, as plans show it.
fn dc_shown(ctx: &Ctx, c: &ComponentPlan, d: &DcPlan) -> Vec<Cmd> {
    let oc = &ctx.oc;
    let (old, new) = (c.old_istag(), c.new_istag());
    let want = ctx.resolved.get(&new);
    let mut cmds = Vec::new();
    let n = d.latest_version;
    let name = d.name.as_str();
    match d.action {
        DcAction::Done => {}
        DcAction::Await => cmds.push(oc.get_dc(name).note(format!(
            "already on {new}: repeated until its latest rollout completed on the new image (bounded by --timeout)"
        ))),
        DcAction::AddNew | DcAction::DropOld => {
            cmds.push(oc.get_dc(name).note(format!(
                "records status.latestVersion (now {n}); an earlier run left it {}",
                if d.action == DcAction::AddNew { "with no ImageChange trigger" } else { "with both triggers" }
            )));
            cmds.extend(trigger_write(oc, name, &d.triggers, d.action, c, &d.containers).map(|w| w.note(
                "one guarded write: fails, changing nothing, if the triggers are no longer as read",
            )));
            cmds.push(oc.get_dc(name).note(format!(
                "repeated until its rollout on {new} completed (bounded by --timeout)"
            )));
        }
        DcAction::Switch => {
            cmds.push(oc.get_dc(name).note(format!(
                "records status.latestVersion (now {n}), the trigger's place in spec.triggers, and checks it is still on {old}"
            )));
            cmds.extend(trigger_write(oc, name, &d.triggers, d.action, c, &d.containers).map(|w| w.note(
                "one guarded write: the test fails, changing nothing, if the trigger is no longer on the old tag",
            )));
            match want {
                Some(img) if *img == d.image => cmds.push(oc.get_dc(name).note(format!(
                    "{new} resolves to the image it already runs ({img}): checks that no rollout is due"
                ))),
                None if c.same_source => cmds.push(oc.get_dc(name).note(format!(
                    "{new} imports the same source as {old}: if it resolves to the image dc/{name} already runs, \
                     no rollout is due (checked); otherwise repeated until status.latestVersion > {n} and that rollout completed"
                ))),
                _ => {
                    cmds.push(oc.get_dc(name).note(format!(
                        "repeated until status.latestVersion > {n} (bounded by --timeout)"
                    )));
                    cmds.push(oc.rollout_status(name, n + 1, ctx.cfg.timeout).note(
                        "once the rollout started: oc's own watch of it, so no poll lands late \
                         (--timeout is what is left of ours)",
                    ));
                    cmds.push(oc.get_dc_and_rc(name, &format!("{name}-{}", n + 1)).note(
                        "reads the verdict back; repeated until that rollout is Complete and the old pods are gone",
                    ));
                }
            }
        }
    }
    cmds
}
