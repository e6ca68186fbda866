//! What a step does, as data: an ordered list of actions, each with the commands it runs. `run` executes
//! the list; `plan` and `--dry-run` render the same list. A step never writes its plan a second time:
//! where a command needs what an earlier one printed, the action shows it with a placeholder made by the
//! same builder, and its code runs the real thing.

use super::Flow;
use crate::process::{Cmd, Runner};

/// What an action's code reports, for the step's summary line.
pub(crate) enum Said {
    Nothing,
    /// A part of the summary (the parts are joined with `; `).
    Part(String),
    /// Nothing more to do: the run ends successfully here (e.g. "already at 1.0.1").
    Finish(String),
}

type Code<C> = Box<dyn FnOnce(&mut C, &Runner) -> anyhow::Result<Said>>;

pub(crate) enum Does<C> {
    /// Runs the one stage shown, its commands side by side.
    RunAll,
    /// Code that runs the commands shown, reading what they print (polls, read-backs, decisions).
    Code(Code<C>),
}

pub(crate) struct Action<C> {
    /// What a plan shows, in stages the run starts in this order; the commands of one stage run side by
    /// side, in any order.
    pub(crate) shows: Vec<Vec<Cmd>>,
    pub(crate) does: Does<C>,
}

impl<C> Action<C> {
    /// One stage of commands that run side by side.
    pub(crate) fn stage(cmds: Vec<Cmd>) -> Self {
        Action {
            shows: vec![cmds],
            does: Does::RunAll,
        }
    }

    /// Code that runs the commands `shows` lists, one after the other.
    pub(crate) fn code(
        shows: Vec<Cmd>,
        code: impl FnOnce(&mut C, &Runner) -> anyhow::Result<Said> + 'static,
    ) -> Self {
        Self::staged(shows.into_iter().map(|c| vec![c]).collect(), code)
    }

    /// Code that runs the commands `stages` lists, each stage's side by side.
    pub(crate) fn staged(
        stages: Vec<Vec<Cmd>>,
        code: impl FnOnce(&mut C, &Runner) -> anyhow::Result<Said> + 'static,
    ) -> Self {
        Action {
            shows: stages.into_iter().filter(|s| !s.is_empty()).collect(),
            does: Does::Code(Box::new(code)),
        }
    }

    /// Code that runs no command of its own (a summary, a decision on what earlier actions found), or that
    /// of a step before the first change, which runs in plans too and so is never shown.
    pub(crate) fn look(
        code: impl FnOnce(&mut C, &Runner) -> anyhow::Result<Said> + 'static,
    ) -> Self {
        Self::code(Vec::new(), code)
    }
}

/// Runs the actions in order; the first failure ends the step.
pub(crate) fn perform<C>(
    actions: Vec<Action<C>>,
    ctx: &mut C,
    runner: &Runner,
) -> anyhow::Result<Flow> {
    let mut parts: Vec<String> = Vec::new();
    for action in actions {
        match action.does {
            Does::RunAll => {
                for stage in &action.shows {
                    runner.run_all(stage)?;
                }
            }
            Does::Code(code) => match code(ctx, runner)? {
                Said::Nothing => {}
                Said::Part(part) => parts.push(part),
                Said::Finish(summary) => return Ok(Flow::Finish(summary)),
            },
        }
    }
    parts.retain(|p| !p.is_empty());
    Ok(Flow::Continue(parts.join("; ")))
}

/// Every stage the actions show, in order.
pub(crate) fn shown<C>(actions: &[Action<C>]) -> impl Iterator<Item = &Vec<Cmd>> {
    actions.iter().flat_map(|a| a.shows.iter())
}

impl From<Flow> for Said {
    fn from(flow: Flow) -> Self {
        match flow {
            Flow::Continue(summary) => Said::Part(summary),
            Flow::Finish(summary) => Said::Finish(summary),
        }
    }
}
