//! The runbook engine. A runbook is data: ordered steps, each an ordered list of actions with the commands
//! they run (`action.rs`). The same lists drive `run`, `plan`, `--dry-run`, progress output, the
//! confirmation gate and the recovery that puts things back after a failure.

use std::time::Duration;

use serde::Serialize;

use crate::exit::{coded, Exit};
use crate::process::{Cmd, Effect, Runner};
use crate::signals;

mod action;
mod outcome;
#[cfg(test)]
mod tests;
pub(crate) use action::{Action, Said};
pub(crate) use outcome::{Failure, RunOutcome};

/// What a step reports when it finished.
pub(crate) enum Flow {
    /// Go on with the next step; the text is a one-line summary.
    Continue(String),
    /// Nothing more to do (e.g. "already at 1.0.1"); the run ends successfully here.
    Finish(String),
}

pub(crate) trait Step<C> {
    /// Short title for progress lines: "Stopping backyard (18 deployments)".
    fn title(&self, ctx: &C) -> String;
    /// Steps before the first mutating one run in plan/dry-run mode too; from it on, steps are previewed.
    fn effect(&self) -> Effect;
    /// What the step does, in order, given what the earlier steps found: the run executes this list and
    /// a plan renders it.
    fn actions(&self, ctx: &C) -> Vec<Action<C>>;
    /// Runs even after a first Ctrl-C, before the recovery (e.g. waiting for migrations that must end
    /// before anything is put back).
    fn finish_on_interrupt(&self) -> bool {
        false
    }
    /// Whether the step is part of this run at all, given what the earlier steps found (e.g. maintenance
    /// mode only in the procedures that have it). A step that does not apply is neither run nor shown.
    fn applies(&self, _ctx: &C) -> bool {
        true
    }
}

pub(crate) type Steps<C> = Vec<Box<dyn Step<C>>>;

pub(crate) struct Runbook<C> {
    pub(crate) steps: Steps<C>,
    /// Runs after a failure (or interruption) once changes began: puts the recorded state back.
    pub(crate) recovery: Steps<C>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Execute,
    /// `plan` and `--dry-run`: read-only steps run, the rest only print their commands.
    Preview,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum StepState {
    Done,
    Previewed,
    Failed,
    NotReached,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct PlannedCommand {
    pub(crate) command: String,
    pub(crate) effect: Effect,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) note: Option<String>,
    /// The step's stages count from 1; the commands of one stage run side by side, in any order.
    pub(crate) stage: usize,
}

impl PlannedCommand {
    fn new(cmd: &Cmd, stage: usize) -> Self {
        PlannedCommand {
            command: cmd.plan_display(),
            effect: cmd.effect,
            note: cmd.note.clone(),
            stage,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct StepRecord {
    pub(crate) index: usize,
    pub(crate) title: String,
    pub(crate) state: StepState,
    pub(crate) seconds: f64,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub(crate) summary: String,
    /// For previewed steps: what would run.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) commands: Vec<PlannedCommand>,
}

/// Runs a runbook. `gate` is called once, just before the first mutating step (the confirmation).
pub(crate) fn execute<C>(
    runbook: &Runbook<C>,
    ctx: &mut C,
    runner: &Runner,
    mode: Mode,
    mut gate: impl FnMut(&C) -> anyhow::Result<()>,
) -> RunOutcome {
    let mut outcome = RunOutcome {
        records: Vec::new(),
        recovery_records: Vec::new(),
        finished_early: None,
        failure: None,
        retries: Vec::new(),
    };
    let mut gate_passed = false;
    let mut index = 0;
    for (position, step) in runbook.steps.iter().enumerate() {
        if !step.applies(ctx) {
            continue;
        }
        index += 1;
        // what applies is known once the preflight has looked: counted again at every step
        let total = index
            + runbook.steps[position + 1..]
                .iter()
                .filter(|s| s.applies(ctx))
                .count();
        let title = step.title(ctx);
        let not_reached = || {
            record(
                index,
                title.clone(),
                StepState::NotReached,
                Duration::ZERO,
                "",
            )
        };
        if outcome.failure.is_some() || outcome.finished_early.is_some() {
            outcome.records.push(not_reached());
            continue;
        }
        if step.effect() == Effect::Mutate && !gate_passed {
            gate_passed = true;
            if mode == Mode::Execute {
                if let Err(error) = gate(ctx) {
                    outcome.failure = Some(failure_before_changes(&title, error));
                    outcome.records.push(not_reached());
                    continue;
                }
            }
        }
        if mode == Mode::Preview && gate_passed {
            let mut rec = record(index, title, StepState::Previewed, Duration::ZERO, "");
            let actions = step.actions(ctx);
            rec.commands = action::shown(&actions)
                .enumerate()
                .flat_map(|(i, stage)| stage.iter().map(move |c| PlannedCommand::new(c, i + 1)))
                .collect();
            outcome.records.push(rec);
            continue;
        }
        if signals::interrupted() && !(step.finish_on_interrupt() && runner.has_mutated()) {
            outcome.failure = Some(interrupted_failure(&title, runner));
            outcome.records.push(not_reached());
            continue;
        }
        run_step(step.as_ref(), ctx, runner, (index, total), &mut outcome);
    }
    // A first Ctrl-C during the last step still means "put things back".
    if outcome.failure.is_none()
        && outcome.finished_early.is_none()
        && mode == Mode::Execute
        && signals::interrupted()
    {
        outcome.failure = Some(interrupted_failure("after the last step", runner));
    }
    recover(runbook, ctx, runner, &mut outcome);
    outcome.retries = runner.retried_calls();
    outcome
}

/// Runs one step with its progress line and records how it ended.
fn run_step<C>(
    step: &dyn Step<C>,
    ctx: &mut C,
    runner: &Runner,
    (index, total): (usize, usize),
    outcome: &mut RunOutcome,
) {
    let title = step.title(ctx);
    runner.reporter().step_start(index, total, &title);
    match action::perform(step.actions(ctx), ctx, runner) {
        Ok(flow) => {
            let (Flow::Continue(summary) | Flow::Finish(summary)) = &flow;
            let elapsed = runner.reporter().step_end(true, summary);
            outcome
                .records
                .push(record(index, title, StepState::Done, elapsed, summary));
            if let Flow::Finish(summary) = flow {
                outcome.finished_early = Some(summary);
            }
        }
        Err(error) => {
            let elapsed = runner.reporter().step_end(false, "");
            outcome
                .records
                .push(record(index, title.clone(), StepState::Failed, elapsed, ""));
            outcome.failure = Some(Failure {
                step: title,
                error,
                changed: runner.has_mutated(),
                interrupted: signals::interrupted(),
                recovery_error: None,
            });
        }
    }
}

/// After a failure once something changed: the recovery steps, in order, until one fails.
fn recover<C>(runbook: &Runbook<C>, ctx: &mut C, runner: &Runner, outcome: &mut RunOutcome) {
    let Some(failure) = outcome.failure.as_mut().filter(|f| f.changed) else {
        return;
    };
    let steps: Vec<_> = runbook.recovery.iter().filter(|s| s.applies(ctx)).collect();
    let n = steps.len();
    for (i, step) in steps.into_iter().enumerate() {
        let title = step.title(ctx);
        runner
            .reporter()
            .step_start(i + 1, n, &format!("Recovery: {title}"));
        match action::perform(step.actions(ctx), ctx, runner) {
            Ok(Flow::Continue(summary) | Flow::Finish(summary)) => {
                let elapsed = runner.reporter().step_end(true, &summary);
                outcome.recovery_records.push(record(
                    i + 1,
                    title,
                    StepState::Done,
                    elapsed,
                    &summary,
                ));
            }
            Err(error) => {
                let elapsed = runner.reporter().step_end(false, "");
                outcome
                    .recovery_records
                    .push(record(i + 1, title, StepState::Failed, elapsed, ""));
                failure.recovery_error = Some(error);
                break;
            }
        }
    }
}

/// The confirmation refused (or declined): nothing was changed.
fn failure_before_changes(title: &str, error: anyhow::Error) -> Failure {
    Failure {
        step: title.to_string(),
        error,
        changed: false,
        interrupted: false,
        recovery_error: None,
    }
}

fn interrupted_failure(title: &str, runner: &Runner) -> Failure {
    Failure {
        step: title.to_string(),
        error: coded(
            Exit::Interrupted,
            "interrupted by a signal (Ctrl-C or SIGTERM)",
        ),
        changed: runner.has_mutated(),
        interrupted: true,
        recovery_error: None,
    }
}

fn record(
    index: usize,
    title: String,
    state: StepState,
    elapsed: Duration,
    summary: &str,
) -> StepRecord {
    StepRecord {
        index,
        title,
        state,
        seconds: (elapsed.as_secs_f64() * 1000.0).round() / 1000.0,
        summary: summary.to_string(),
        commands: Vec::new(),
    }
}

/// Text rendering of a preview (`plan` / `--dry-run`).
pub(crate) fn render_plan(records: &[StepRecord]) -> String {
    let total = records.len();
    let mut text = String::new();
    for rec in records {
        let marker = match rec.state {
            StepState::Done => "ran (read-only)",
            StepState::Previewed => "would run",
            StepState::Failed => "FAILED",
            StepState::NotReached => "not reached",
        };
        text.push_str(&format!(
            "[{}/{}] {} — {}\n",
            rec.index, total, rec.title, marker
        ));
        if !rec.summary.is_empty() {
            text.push_str(&format!("      {}\n", rec.summary));
        }
        for cmd in &rec.commands {
            text.push_str(&format!("    {}\n", cmd.command));
            if let Some(note) = &cmd.note {
                text.push_str(&format!("      # {note}\n"));
            }
        }
    }
    text
}
