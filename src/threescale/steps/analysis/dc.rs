//! One DeploymentConfig in the preflight: its containers and ImageChange triggers, and from them what the
//! run does with it — including the states an earlier run left behind, which it repairs.

use super::{Analysis, Project};
use crate::ops::oc_triggers::{raw_triggers, trigger_index};
use crate::ops::openshift::{DeploymentConfig, ImageChangeParams, Rollout};
use crate::process::Cmd;
use crate::threescale::context::{ComponentPlan, DcAction, DcPlan, SwitchStage, Switched};
use crate::threescale::release::DcSpec;

/// What the triggers say about a DC that has no problem.
#[derive(Default)]
struct TriggerState {
    /// A state an earlier run left, and the action that repairs it.
    repair: Option<DcAction>,
    /// Already on the new trigger.
    on_new: bool,
}

fn indent_cmds(cmds: &[Cmd]) -> String {
    cmds.iter()
        .map(|c| format!("\n      {}", c.display()))
        .collect()
}

/// The DC's plan, or `None` when it is missing or has a problem (recorded in `a.problems`).
pub(super) fn plan_dc(
    p: &Project,
    a: &mut Analysis,
    component: &ComponentPlan,
    dc_spec: &DcSpec,
) -> Option<DcPlan> {
    let containers: Vec<String> = dc_spec.containers.iter().map(|c| c.to_string()).collect();
    let Some(dc) = p.dc(dc_spec.name) else {
        a.problems.push(format!(
            "DeploymentConfig {} (image stream {}) not found in project {}",
            dc_spec.name,
            component.stream,
            p.ns()
        ));
        return None;
    };
    let before = a.problems.len();
    check_containers(p, a, dc_spec, &containers, dc);
    let state = check_triggers(p, a, component, dc, &containers);
    if a.problems.len() > before {
        return None;
    }
    let new_istag = component.new_istag();
    let action = if let Some(repair) = state.repair {
        repair
    } else if state.on_new {
        let rolled = dc.rollout(None) == Rollout::Complete;
        let on_image = a
            .resolved
            .get(&new_istag)
            .is_some_and(|img| dc.runs_image(&containers, img));
        if rolled && on_image {
            DcAction::Done
        } else {
            DcAction::Await
        }
    } else {
        DcAction::Switch
    };
    if state.on_new {
        a.on_target.push(Switched {
            dc: dc_spec.name.to_string(),
            old_istag: component.old_istag(),
            new_istag: new_istag.clone(),
            containers: containers.clone(),
            stage: SwitchStage::NewAdded,
            by_this_run: false,
            rollout_unfinished: action == DcAction::Await,
            trigger_index: trigger_index(dc, &new_istag),
        });
    }
    Some(DcPlan {
        name: dc_spec.name.to_string(),
        image: dc.images_of(&containers),
        containers,
        action,
        latest_version: dc.status.latest_version,
        triggers: raw_triggers(dc),
    })
}

/// The guide's containers exist, and the DC is not paused.
fn check_containers(
    p: &Project,
    a: &mut Analysis,
    dc_spec: &DcSpec,
    containers: &[String],
    dc: &DeploymentConfig,
) {
    let (name, ns) = (dc_spec.name, p.ns());
    let missing: Vec<&str> = dc_spec
        .containers
        .iter()
        .copied()
        .filter(|c| !dc.has_container(c))
        .collect();
    if !missing.is_empty() {
        a.problems.push(format!(
            "dc/{name} has no container(s) {} (the guide names {}); `oc set triggers` would fail with \
             \"not all container names exist\"",
            missing.join(","),
            containers.join(",")
        ));
    }
    if dc.spec.paused {
        a.problems.push(format!(
            "dc/{name} is paused: its rollout would never start. Resume it with `oc rollout resume dc/{name} -n {ns}`"
        ));
    }
}

/// The DC's ImageChange triggers: one on the old or new tag, or a state an earlier run left.
fn check_triggers(
    p: &Project,
    a: &mut Analysis,
    component: &ComponentPlan,
    dc: &DeploymentConfig,
    containers: &[String],
) -> TriggerState {
    let (old_istag, new_istag) = (component.old_istag(), component.new_istag());
    let triggers = dc.image_triggers();
    let froms: Vec<&str> = triggers.iter().map(|t| t.from.name.as_str()).collect();
    let on_every_container = triggers
        .iter()
        .all(|t| containers.iter().all(|c| t.container_names.contains(c)));
    match (
        DcAction::route(&froms, &old_istag, &new_istag),
        triggers.as_slice(),
    ) {
        // An earlier run (or a person) stopped between removing the old trigger and adding the new
        // one: this run adds the new one (one guarded write) and waits for the rollout.
        (Some(DcAction::AddNew), _) => TriggerState {
            repair: Some(DcAction::AddNew),
            on_new: false,
        },
        // Both triggers: the old one is dropped (one guarded write).
        (Some(DcAction::DropOld), _) if on_every_container => TriggerState {
            repair: Some(DcAction::DropOld),
            on_new: false,
        },
        (_, [t]) => {
            let on_new = check_trigger_source(p, a, component, dc.name(), t);
            check_trigger_containers(a, dc.name(), t, containers);
            TriggerState {
                repair: None,
                on_new,
            }
        }
        (_, many) => {
            report_extra_triggers(p, a, component, dc.name(), many, containers);
            TriggerState::default()
        }
    }
}

/// The one trigger is on the old or the new ImageStreamTag of this project; `true`: on the new one.
fn check_trigger_source(
    p: &Project,
    a: &mut Analysis,
    component: &ComponentPlan,
    name: &str,
    t: &ImageChangeParams,
) -> bool {
    let (old_istag, new_istag, ns) = (component.old_istag(), component.new_istag(), p.ns());
    if t.from.kind != "ImageStreamTag" {
        a.problems.push(format!(
            "dc/{name}'s ImageChange trigger is on {} {}, not on an ImageStreamTag of {}",
            t.from.kind, t.from.name, component.stream
        ));
    } else if t
        .from
        .namespace
        .as_ref()
        .is_some_and(|n| !n.is_empty() && n != ns)
    {
        a.problems.push(format!(
            "dc/{name} triggers on {} in project {}, not in {ns}",
            t.from.name,
            t.from.namespace.clone().unwrap_or_default()
        ));
    } else if t.from.name == new_istag {
        return true;
    } else if t.from.name != old_istag {
        a.problems.push(format!(
            "dc/{name} triggers on {}, expected {old_istag} (to switch) or {new_istag} (already \
             switched): check --from/--to{}",
            t.from.name,
            if component.spec.oracle_tags {
                " and --db"
            } else {
                ""
            }
        ));
    }
    false
}

/// The trigger covers exactly the guide's containers: none missing, none extra.
fn check_trigger_containers(
    a: &mut Analysis,
    name: &str,
    t: &ImageChangeParams,
    containers: &[String],
) {
    let covered: Vec<&str> = containers
        .iter()
        .map(String::as_str)
        .filter(|c| !t.container_names.iter().any(|n| n == c))
        .collect();
    let extra: Vec<&str> = t
        .container_names
        .iter()
        .map(String::as_str)
        .filter(|n| !containers.iter().any(|c| c == n))
        .collect();
    if !covered.is_empty() {
        a.problems.push(format!(
            "dc/{name}'s trigger on {} does not cover container(s) {} of the guide's list {}",
            t.from.name,
            covered.join(","),
            containers.join(",")
        ));
    }
    if !extra.is_empty() {
        a.problems.push(format!(
            "dc/{name}'s trigger on {} also covers {}, which the guide does not list: the new \
             trigger would leave them on the old image. Check the install against the 2.9 template",
            t.from.name,
            extra.join(",")
        ));
    }
}

/// More triggers than a repairable pair: a problem, with the commands that remove the extra ones.
fn report_extra_triggers(
    p: &Project,
    a: &mut Analysis,
    component: &ComponentPlan,
    name: &str,
    many: &[&ImageChangeParams],
    containers: &[String],
) {
    let (old_istag, new_istag) = (component.old_istag(), component.new_istag());
    let names: Vec<&str> = many.iter().map(|t| t.from.name.as_str()).collect();
    let keep = if names.contains(&new_istag.as_str()) {
        Some(new_istag.as_str())
    } else if names.contains(&old_istag.as_str()) {
        Some(old_istag.as_str())
    } else {
        None
    };
    let removals: Vec<Cmd> = names
        .iter()
        .filter(|n| Some(**n) != keep)
        .map(|n| p.oc.remove_image_trigger(name, n, containers))
        .collect();
    a.problems.push(format!(
        "dc/{name} has {} ImageChange triggers ({}); the guide expects exactly one (two triggers on \
         the same containers is undefined behaviour). Remove the extra one(s):{}",
        many.len(),
        names.join(", "),
        indent_cmds(&removals)
    ));
}
