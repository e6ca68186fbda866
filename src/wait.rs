//! Bounded waits. Every wait has a deadline; a wait either ends because its condition holds, because the
//! condition says it never will (an error), or because the deadline passed (an error naming what was
//! still missing).

use std::time::{Duration, Instant};

use crate::output::Reporter;
use crate::signals;

/// A wait that reached its deadline: a typed error, so callers tell it from a failure by its kind.
#[derive(Debug)]
pub(crate) struct WaitTimedOut {
    pub(crate) what: String,
    pub(crate) after: Duration,
    pub(crate) missing: String,
}

impl std::fmt::Display for WaitTimedOut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "timed out after {} waiting for {}: {}",
            humantime::format_duration(self.after),
            self.what,
            self.missing
        )
    }
}

impl std::error::Error for WaitTimedOut {}

/// True when the error (anywhere in its chain) is a wait that reached its deadline.
pub(crate) fn timed_out(err: &anyhow::Error) -> bool {
    err.chain().any(|e| e.is::<WaitTimedOut>())
}

/// What a first Ctrl-C does to a wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OnInterrupt {
    /// The wait ends at once with an error; what follows puts things back.
    Stop,
    /// The wait runs to its end: what it waits for must be over before anything is put back (the stop's
    /// pods gone, the migrations done), or it is itself part of putting things back.
    Finish,
}

pub(crate) enum Poll<T> {
    Ready(T),
    /// Not yet; the text says what is still missing.
    Pending(String),
}

/// Polls `check` until it is ready, fails, or `timeout` passes. The interval starts at 100 ms and grows by half
/// each time up to `max_interval`: short waits end close to when the cluster is done, long waits cost few calls.
/// `on_interrupt` says what a first Ctrl-C does to the wait.
pub(crate) fn poll<T>(
    reporter: &Reporter,
    what: &str,
    timeout: Duration,
    max_interval: Duration,
    on_interrupt: OnInterrupt,
    mut check: impl FnMut() -> anyhow::Result<Poll<T>>,
) -> anyhow::Result<T> {
    let deadline = Instant::now() + timeout;
    let mut interval = Duration::from_millis(100).min(max_interval);
    loop {
        let missing = match check()? {
            Poll::Ready(value) => return Ok(value),
            Poll::Pending(missing) => missing,
        };
        reporter.step_progress(&missing);
        if Instant::now() >= deadline {
            return Err(WaitTimedOut {
                what: what.to_string(),
                after: timeout,
                missing,
            }
            .into());
        }
        if on_interrupt == OnInterrupt::Stop && signals::interrupted() {
            anyhow::bail!("interrupted while waiting for {what}");
        }
        let pause = interval.min(deadline.saturating_duration_since(Instant::now()));
        std::thread::sleep(pause);
        interval = (interval * 3 / 2).min(max_interval);
    }
}
