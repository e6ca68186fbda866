//! The runner's side of retrying: how long the API server has been away (shared by every call of a
//! command), the pause before one call's next attempt, and the record of every retried call that the
//! reports show (`retries` in `-o json`).

use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::retry::{jittered, Cause, Transience, BLIP_PAUSES, OUTAGE_PAUSE};
use super::{FailureKind, ProcessError};
use crate::output::Reporter;

/// One call that needed more than one attempt.
#[derive(Debug, Clone, serde::Serialize)]
pub(crate) struct RetriedCall {
    pub(crate) command: String,
    pub(crate) cause: Cause,
    /// The last line of the first failure's stderr.
    pub(crate) first_error: String,
    pub(crate) attempts: u32,
    /// How it ended: `succeeded`, `landed` (an ambiguous write read back as done) or `failed`.
    pub(crate) outcome: &'static str,
}

/// State shared by the calls of one command.
pub(crate) struct Attempts {
    /// How long an outage is waited out: the command's `--timeout`.
    patience: Duration,
    /// Since when calls have found the API server away (cleared by any answer).
    away_since: Mutex<Option<Instant>>,
    log: Mutex<Vec<RetriedCall>>,
}

/// One call's attempts so far.
#[derive(Default)]
pub(crate) struct CallTries {
    blips: usize,
    /// Index into the log once this call has been retried.
    logged: Option<usize>,
}

impl Attempts {
    pub(crate) fn new(patience: Duration) -> Self {
        Attempts {
            patience,
            away_since: Mutex::new(None),
            log: Mutex::new(Vec::new()),
        }
    }

    pub(crate) fn log(&self) -> Vec<RetriedCall> {
        self.log.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub(crate) fn push(&self, call: RetriedCall) {
        self.log
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(call);
    }

    /// A call got an answer: the API server is back.
    pub(crate) fn answered(&self, tries: &CallTries, outcome: &'static str) {
        *self.away_since.lock().unwrap_or_else(|e| e.into_inner()) = None;
        self.finish(tries, outcome);
    }

    pub(crate) fn finish(&self, tries: &CallTries, outcome: &'static str) {
        if let Some(i) = tries.logged {
            self.log.lock().unwrap_or_else(|e| e.into_inner())[i].outcome = outcome;
        }
    }

    /// The pause before the next attempt of a call that failed with `err`, or `None` to report it.
    /// `guarded`: a write that is read back before it is tried again (`Runner::run_checked`): a call that
    /// ran past its own time limit may have landed, so it counts as a blip, and a Conflict is information.
    /// On an absolute write (a scale, a merge patch) a Conflict is a blip like any other.
    pub(crate) fn pause(
        &self,
        reporter: &Reporter,
        program: &str,
        err: &ProcessError,
        tries: &mut CallTries,
        guarded: bool,
    ) -> Option<Duration> {
        let cause = match err.kind {
            FailureKind::Exit(_) => Cause::of(&err.stderr),
            FailureKind::TimedOut(_) if guarded => Cause::ServerError,
            _ => return None,
        };
        let transience = match cause {
            Cause::Conflict if !guarded => Transience::Blip,
            _ => cause.transience(),
        };
        let pause = match transience {
            Transience::Never => None,
            Transience::Blip => {
                let pause = BLIP_PAUSES.get(tries.blips).copied().map(jittered);
                tries.blips += 1;
                pause
            }
            Transience::Outage => self.outage_pause(reporter),
        };
        let Some(pause) = pause else {
            self.finish(tries, "failed");
            return None;
        };
        self.note(reporter, program, err, (cause, transience), tries);
        Some(pause)
    }

    fn outage_pause(&self, reporter: &Reporter) -> Option<Duration> {
        let mut away = self.away_since.lock().unwrap_or_else(|e| e.into_inner());
        let since = *away.get_or_insert_with(Instant::now);
        let waited = since.elapsed();
        if waited >= self.patience {
            return None;
        }
        reporter.waiting(&format!(
            "API server unavailable, retrying ({}s)",
            waited.as_secs()
        ));
        Some(jittered(OUTAGE_PAUSE).min(self.patience - waited))
    }

    /// Logs the retry; the first retry of a call is one warning line.
    fn note(
        &self,
        reporter: &Reporter,
        program: &str,
        err: &ProcessError,
        (cause, transience): (Cause, Transience),
        tries: &mut CallTries,
    ) {
        let mut log = self.log.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(i) = tries.logged {
            log[i].attempts += 1;
            return;
        }
        let first_error = err.last_line();
        let while_away = match transience {
            Transience::Outage => format!(
                " while the API server is unavailable (up to {})",
                humantime::format_duration(self.patience)
            ),
            _ => String::new(),
        };
        reporter.warn(&format!(
            "transient error from `{program}`, retrying{while_away}: {first_error} (`{}`)",
            err.command
        ));
        tries.logged = Some(log.len());
        log.push(RetriedCall {
            command: err.command.clone(),
            cause,
            first_error,
            attempts: 2,
            outcome: "failed",
        });
    }
}
