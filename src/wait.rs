//! Bounded waits. Every wait has a deadline; a wait either ends because its condition holds, because the
//! condition says it never will (an error), or because the deadline passed (an error naming what was
//! still missing).

use std::time::{Duration, Instant};

use crate::output::Reporter;
use crate::signals;

pub enum Poll<T> {
    Ready(T),
    /// Not yet; the text says what is still missing.
    Pending(String),
}

/// Polls `check` until it is ready, fails, or `timeout` passes. The interval starts at 100 ms and grows by half
/// each time up to `max_interval`: short waits end close to when the cluster is done, long waits cost few calls.
/// With `interruptible`, a Ctrl-C ends the wait early (with an error), otherwise the wait runs to its end.
pub fn poll<T>(
    reporter: &Reporter,
    what: &str,
    timeout: Duration,
    max_interval: Duration,
    interruptible: bool,
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
            anyhow::bail!(
                "timed out after {} waiting for {what}: {missing}",
                humantime::format_duration(timeout)
            );
        }
        if interruptible && signals::interrupted() {
            anyhow::bail!("interrupted while waiting for {what}");
        }
        let pause = interval.min(deadline.saturating_duration_since(Instant::now()));
        std::thread::sleep(pause);
        interval = (interval * 3 / 2).min(max_interval);
    }
}
