//! Step 2: how the values file drifts from the target chart (the seed's `diff exastro.yaml <(helm show values)`).

use crate::exastro::context::Ctx;
use crate::ops::helm::Helm;
use crate::process::{Effect, Runner};
use crate::runbook::{Action, Flow, Step};
use crate::values;

pub(crate) struct ValuesDrift;

pub(crate) fn compute(ctx: &mut Ctx, runner: &Runner) -> anyhow::Result<()> {
    let chart = ctx.cfg.chart.clone();
    let target = ctx.target_version().to_string();
    let installed = ctx.installed_version.clone();
    let (target_text, installed_text) = std::thread::scope(|s| {
        let t = s.spawn(|| runner.run(&Helm::show_values(&chart, &target)));
        let i = s.spawn(|| runner.run(&Helm::show_values(&chart, &installed)));
        (t.join().expect("thread"), i.join().expect("thread"))
    });
    let target_defaults = values::parse_values(&target_text?.stdout)
        .map_err(|why| anyhow::anyhow!("the default values of {chart} {target} {why}"))?;
    // An installed version that left the index only limits the report.
    let installed_defaults = installed_text
        .ok()
        .and_then(|o| values::parse_values(&o.stdout).ok());
    ctx.drift = values::drift(
        &ctx.user_values,
        installed_defaults.as_ref(),
        &target_defaults,
    );
    Ok(())
}

impl Step<Ctx> for ValuesDrift {
    fn title(&self, _: &Ctx) -> String {
        "Checking values drift".into()
    }

    fn effect(&self) -> Effect {
        Effect::Read
    }

    fn actions(&self, _: &Ctx) -> Vec<Action<Ctx>> {
        vec![Action::look(|ctx, runner| {
            Ok(ValuesDrift.run(ctx, runner)?.into())
        })]
    }
}

impl ValuesDrift {
    fn run(&self, ctx: &mut Ctx, runner: &Runner) -> anyhow::Result<Flow> {
        compute(ctx, runner)?;
        Ok(Flow::Continue(ctx.drift.summary()))
    }
}
