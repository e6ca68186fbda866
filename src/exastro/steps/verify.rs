//! Step 8: every Deployment and StatefulSet rolled out, every pod Running or Succeeded; offenders named.

use std::time::Duration;

use crate::exastro::context::Ctx;
use crate::ops::k8s::{List, Mixed, PodPhase};
use crate::process::{Cmd, Effect, Runner};
use crate::runbook::{Action, Flow, Step};
use crate::wait::{poll, OnInterrupt, Poll};

pub(crate) struct Verify;

const LISTING: &str = "deployments,statefulsets,pods";

impl Step<Ctx> for Verify {
    fn title(&self, _: &Ctx) -> String {
        "Verifying".into()
    }

    fn effect(&self) -> Effect {
        Effect::Read
    }

    fn actions(&self, ctx: &Ctx) -> Vec<Action<Ctx>> {
        let list = ctx
            .kubectl
            .list(LISTING)
            .note("repeated until every workload is ready and every pod is Running or Succeeded");
        vec![Action::code(vec![list.clone()], move |ctx, runner| {
            Ok(Verify.run(ctx, runner, &list)?.into())
        })]
    }
}

impl Verify {
    fn run(&self, ctx: &mut Ctx, runner: &Runner, list: &Cmd) -> anyhow::Result<Flow> {
        let pods_before = ctx.pods_before.clone();
        let counts = poll(
            runner.reporter(),
            "every workload to be ready",
            ctx.cfg.timeout,
            Duration::from_secs(1),
            OnInterrupt::Stop,
            || {
                let list: List<serde_json::Value> = runner.json(list)?;
                let mixed = Mixed::parse(list)?;
                let mut offenders: Vec<String> = mixed
                    .workloads
                    .iter()
                    .filter(|w| !w.rolled_out())
                    .map(|w| {
                        format!(
                            "{} {}/{} ready",
                            w.reference(),
                            w.status.ready_replicas,
                            w.replicas()
                        )
                    })
                    .collect();
                offenders.extend(mixed.pods.iter().filter_map(|p| {
                    // A pod that failed before this run is not this run's doing.
                    if p.status.phase == PodPhase::Failed && pods_before.contains(p.name()) {
                        return None;
                    }
                    p.problem().map(|why| format!("pod/{} {why}", p.name()))
                }));
                if offenders.is_empty() {
                    Ok(Poll::Ready((mixed.workloads.len(), mixed.pods.len())))
                } else {
                    Ok(Poll::Pending(offenders.join(", ")))
                }
            },
        )?;
        Ok(Flow::Continue(format!(
            "{} workloads ready, {} pods Running or Succeeded",
            counts.0, counts.1
        )))
    }
}
