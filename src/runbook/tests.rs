//! The engine on its own: fake steps whose commands are `sh -c` scripts, through the real runner.

use std::time::Duration;

use super::*;
use crate::output::Reporter;
use crate::process::FailureKind;

/// A step that runs one `sh -c` script, read-only or mutating, and logs its title into the context.
struct Sh {
    title: &'static str,
    effect: Effect,
    script: String,
    finish: bool,
}

fn read(title: &'static str, script: &str) -> Box<dyn Step<Vec<String>>> {
    Box::new(Sh {
        title,
        effect: Effect::Read,
        script: script.into(),
        finish: false,
    })
}

fn write(title: &'static str, script: &str) -> Box<dyn Step<Vec<String>>> {
    Box::new(Sh {
        title,
        effect: Effect::Mutate,
        script: script.into(),
        finish: false,
    })
}

impl Sh {
    fn cmd(&self) -> Cmd {
        match self.effect {
            Effect::Read => Cmd::read("sh", ["-c", self.script.as_str()]),
            Effect::Mutate => Cmd::mutate("sh", ["-c", self.script.as_str()]),
        }
    }
}

impl Step<Vec<String>> for Sh {
    fn title(&self, _: &Vec<String>) -> String {
        self.title.into()
    }
    fn effect(&self) -> Effect {
        self.effect
    }
    fn actions(&self, _: &Vec<String>) -> Vec<Action<Vec<String>>> {
        let (title, cmd, finish) = (self.title, self.cmd(), self.finish);
        vec![Action::code(
            vec![cmd.clone()],
            move |ran: &mut Vec<String>, runner: &Runner| {
                ran.push(title.into());
                runner.run(&cmd)?;
                Ok(if finish {
                    Said::Finish("nothing more to do".into())
                } else {
                    Said::Nothing
                })
            },
        )]
    }
}

fn runner(dry_run: bool) -> Runner {
    Runner::new(Reporter::new(false, true), dry_run, Duration::from_secs(10))
}

fn states(outcome: &RunOutcome) -> Vec<StepState> {
    outcome.records.iter().map(|r| r.state).collect()
}

#[test]
fn the_gate_is_asked_once_before_the_first_change_and_a_refusal_changes_nothing() {
    let book = Runbook {
        steps: vec![
            read("look", "true"),
            write("change", "true"),
            write("more", "true"),
        ],
        recovery: vec![write("put back", "true")],
    };
    let mut ran = Vec::new();
    let mut asked = 0;
    let outcome = execute(&book, &mut ran, &runner(false), Mode::Execute, |ran| {
        asked += 1;
        assert_eq!(ran, &["look"], "the gate comes after the reads");
        anyhow::bail!("declined")
    });
    assert_eq!(asked, 1);
    assert_eq!(ran, ["look"]);
    assert_eq!(
        states(&outcome),
        [
            StepState::Done,
            StepState::NotReached,
            StepState::NotReached
        ]
    );
    assert!(!outcome.failure.as_ref().unwrap().changed);
    assert!(
        outcome.recovery_records.is_empty(),
        "nothing changed: no recovery"
    );
}

#[test]
fn a_finished_step_ends_the_run_successfully() {
    let done = Sh {
        title: "already there",
        effect: Effect::Read,
        script: "true".into(),
        finish: true,
    };
    let book = Runbook {
        steps: vec![
            Box::new(done) as Box<dyn Step<Vec<String>>>,
            write("change", "true"),
        ],
        recovery: Vec::new(),
    };
    let mut ran = Vec::new();
    let outcome = execute(&book, &mut ran, &runner(false), Mode::Execute, |_| Ok(()));
    assert_eq!(ran, ["already there"]);
    assert_eq!(outcome.exit(), Exit::Ok);
    assert_eq!(
        outcome.finished_early.as_deref(),
        Some("nothing more to do")
    );
    assert_eq!(states(&outcome), [StepState::Done, StepState::NotReached]);
}

#[test]
fn the_recovery_runs_only_after_a_change() {
    let failing_read = Runbook {
        steps: vec![read("look", "exit 1"), write("change", "true")],
        recovery: vec![write("put back", "true")],
    };
    let mut ran = Vec::new();
    let outcome = execute(
        &failing_read,
        &mut ran,
        &runner(false),
        Mode::Execute,
        |_| Ok(()),
    );
    assert_eq!(outcome.exit(), Exit::BadInput, "nothing was changed");
    assert_eq!(ran, ["look"]);

    let failing_after_change = Runbook {
        steps: vec![write("change", "true"), write("break", "exit 1")],
        recovery: vec![write("put back", "true")],
    };
    let mut ran = Vec::new();
    let outcome = execute(
        &failing_after_change,
        &mut ran,
        &runner(false),
        Mode::Execute,
        |_| Ok(()),
    );
    assert_eq!(ran, ["change", "break", "put back"]);
    assert_eq!(outcome.exit(), Exit::FailedRestored);

    let failing_recovery = Runbook {
        steps: vec![write("change", "true"), write("break", "exit 1")],
        recovery: vec![write("put back", "exit 1")],
    };
    let outcome = execute(
        &failing_recovery,
        &mut Vec::new(),
        &runner(false),
        Mode::Execute,
        |_| Ok(()),
    );
    assert_eq!(outcome.exit(), Exit::NotRestored);
}

#[test]
fn a_preview_runs_the_reads_and_shows_the_rest() {
    let book = Runbook {
        steps: vec![
            read("look", "true"),
            write("change", "echo changed"),
            read("after", "true"),
        ],
        recovery: vec![write("put back", "true")],
    };
    let mut ran = Vec::new();
    let runner = runner(true);
    let outcome = execute(&book, &mut ran, &runner, Mode::Preview, |_| {
        panic!("a preview asks nothing")
    });
    assert_eq!(
        ran,
        ["look"],
        "from the first change on, every step is only shown"
    );
    assert_eq!(
        states(&outcome),
        [StepState::Done, StepState::Previewed, StepState::Previewed]
    );
    assert_eq!(
        outcome.records[1].commands[0].command,
        "sh -c 'echo changed'"
    );
    let refused = runner.run(&Cmd::mutate("sh", ["-c", "true"])).unwrap_err();
    assert_eq!(refused.kind, FailureKind::DryRun);
    assert!(!runner.has_mutated());
}

#[test]
fn a_transient_failure_of_a_safe_call_is_retried_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let marker = dir.path().join("seen");
    // fails once with the API server's InternalError, then succeeds
    let script = format!(
        "if [ -e {m} ]; then echo ok; else touch {m}; echo 'Error from server (InternalError): Internal error occurred: etcd' >&2; exit 1; fi",
        m = marker.display()
    );
    let runner = runner(false);
    let out = runner
        .run(&Cmd::read("sh", ["-c", script.as_str()]))
        .unwrap();
    assert_eq!(out.stdout.trim(), "ok");
    let retried = runner.retried_calls();
    assert_eq!(retried.len(), 1);
    assert_eq!(retried[0].attempts, 2);
    assert_eq!(retried[0].outcome, "succeeded");
    // a lasting error is reported at once: not retried, not logged
    let err = runner
        .run(&Cmd::read(
            "sh",
            ["-c", "echo 'Error from server (NotFound): x' >&2; exit 1"],
        ))
        .unwrap_err();
    assert_eq!(err.kind, FailureKind::Exit(Some(1)));
    assert_eq!(runner.retried_calls().len(), 1, "only the blip above");
}

#[test]
fn a_call_past_its_time_is_stopped_with_its_whole_process_group() {
    let dir = tempfile::tempdir().unwrap();
    let pid_file = dir.path().join("child.pid");
    let script = format!("sleep 30 & echo $! > {}; wait", pid_file.display());
    let runner = runner(false);
    let err = runner
        .run(&Cmd::read("sh", ["-c", script.as_str()]).timeout(Duration::from_secs(2)))
        .unwrap_err();
    assert!(matches!(err.kind, FailureKind::TimedOut(_)), "{err}");
    let pid: i32 = std::fs::read_to_string(&pid_file)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    // the grandchild went with the group: gone, or a zombie its new parent has not reaped yet
    let gone = (0..50).any(|_| {
        std::thread::sleep(Duration::from_millis(20));
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        stat.is_empty()
            || stat
                .rsplit(')')
                .next()
                .is_some_and(|s| s.trim_start().starts_with('Z'))
    });
    assert!(
        gone,
        "the background `sleep` of the timed-out call still runs"
    );
}

#[test]
fn a_signal_death_is_named() {
    let err = runner(false)
        .run(&Cmd::read("sh", ["-c", "kill -9 $$"]))
        .unwrap_err();
    assert_eq!(err.kind, FailureKind::Signal(9));
    assert!(err.to_string().contains("(signal: 9, SIGKILL)"), "{err}");
}

/// A step of three actions: one stage of two writes side by side, then code that may end the run early,
/// then one more write. `touched` lists what ran.
struct Staged {
    finish: bool,
}

impl Step<Vec<String>> for Staged {
    fn title(&self, _: &Vec<String>) -> String {
        "staged".into()
    }
    fn effect(&self) -> Effect {
        Effect::Mutate
    }
    fn actions(&self, _: &Vec<String>) -> Vec<Action<Vec<String>>> {
        let finish = self.finish;
        vec![
            Action::stage(vec![
                Cmd::mutate("sh", ["-c", "true"]).note("a"),
                Cmd::mutate("sh", ["-c", "true"]).note("b"),
            ]),
            Action::code(
                vec![Cmd::read("sh", ["-c", "true"])],
                move |ran: &mut Vec<String>, _: &Runner| {
                    ran.push("decided".into());
                    Ok(if finish {
                        Said::Finish("nothing more".into())
                    } else {
                        Said::Part("went on".into())
                    })
                },
            ),
            Action::code(
                vec![Cmd::mutate("sh", ["-c", "true"])],
                |ran: &mut Vec<String>, _: &Runner| {
                    ran.push("last".into());
                    Ok(Said::Nothing)
                },
            ),
        ]
    }
}

#[test]
fn a_plan_renders_the_stages_the_run_executes_and_an_early_finish_skips_the_rest() {
    let book = |finish| Runbook {
        steps: vec![Box::new(Staged { finish }) as Box<dyn Step<Vec<String>>>],
        recovery: Vec::new(),
    };
    let planned = execute(
        &book(false),
        &mut Vec::new(),
        &runner(true),
        Mode::Preview,
        |_| Ok(()),
    );
    let stages: Vec<usize> = planned.records[0]
        .commands
        .iter()
        .map(|c| c.stage)
        .collect();
    assert_eq!(
        stages,
        [1, 1, 2, 3],
        "the stage's two writes share a number"
    );
    let mut ran = Vec::new();
    let outcome = execute(
        &book(false),
        &mut ran,
        &runner(false),
        Mode::Execute,
        |_| Ok(()),
    );
    assert_eq!(ran, ["decided", "last"]);
    assert_eq!(outcome.records[0].summary, "went on");
    let mut ran = Vec::new();
    let outcome = execute(&book(true), &mut ran, &runner(false), Mode::Execute, |_| {
        Ok(())
    });
    assert_eq!(ran, ["decided"], "Finish ends the step and the run there");
    assert_eq!(outcome.finished_early.as_deref(), Some("nothing more"));
}
