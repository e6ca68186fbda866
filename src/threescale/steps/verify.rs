//! Last step: one listing of the DeploymentConfigs confirms that every selected DC is on its new trigger
//! and its latest rollout completed.

use crate::ops::k8s::List;
use crate::ops::oc::{DeploymentConfig, Rollout};
use crate::process::{Cmd, Effect, Runner};
use crate::runbook::{Action, Flow, Step};
use crate::threescale::context::Ctx;

pub(crate) struct Verify;

impl Step<Ctx> for Verify {
    fn title(&self, _: &Ctx) -> String {
        "Verifying".into()
    }

    fn effect(&self) -> Effect {
        Effect::Read
    }

    fn actions(&self, ctx: &Ctx) -> Vec<Action<Ctx>> {
        let list = ctx
            .oc
            .list_dcs()
            .note("checks every selected DC is on its new trigger and rolled out");
        vec![Action::code(vec![list.clone()], move |ctx, runner| {
            Ok(Verify.run(ctx, runner, &list)?.into())
        })]
    }
}

impl Verify {
    fn run(&self, ctx: &mut Ctx, runner: &Runner, list: &Cmd) -> anyhow::Result<Flow> {
        let list: List<DeploymentConfig> = runner.json(list)?;
        let mut offenders = Vec::new();
        let mut count = 0;
        for component in &ctx.plan {
            let new = component.new_istag();
            for plan in &component.dcs {
                count += 1;
                let Some(dc) = list.items.iter().find(|d| d.name() == plan.name) else {
                    offenders.push(format!("dc/{} no longer exists", plan.name));
                    continue;
                };
                let froms: Vec<&str> = dc
                    .image_triggers()
                    .iter()
                    .map(|t| t.from.name.as_str())
                    .collect();
                if froms != [new.as_str()] {
                    offenders.push(format!(
                        "dc/{} triggers on {} instead of {new}",
                        plan.name,
                        if froms.is_empty() {
                            "nothing".to_string()
                        } else {
                            froms.join(", ")
                        }
                    ));
                }
                match dc.rollout(None) {
                    Rollout::Complete => {}
                    Rollout::Failed(why) => offenders.push(format!("dc/{}: {why}", plan.name)),
                    Rollout::Progressing(what) => {
                        offenders.push(format!("dc/{}: {what}", plan.name))
                    }
                }
            }
        }
        if !offenders.is_empty() {
            return Err(ctx.mid_change(anyhow::anyhow!(
                "after the switch, {} DC(s) are not where they should be:\n  {}",
                offenders.len(),
                offenders.join("\n  ")
            )));
        }
        Ok(Flow::Continue(format!(
            "{count} DC(s) on their {} triggers and rolled out",
            ctx.upgrade.to
        )))
    }
}
