//! All terminal output goes through the [`Reporter`]: progress and diagnostics on stderr (an indicatif
//! spinner on a terminal, plain timestamped lines otherwise, so CI logs still show each step), results on
//! stdout.

use std::io::{IsTerminal, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use indicatif::{ProgressBar, ProgressStyle};

mod document;
pub(crate) use document::{emit, Document, Rendered};

/// How results are printed on stdout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OutputFormat {
    Text,
    Json,
}

#[derive(Clone)]
pub(crate) struct Reporter {
    inner: Arc<Inner>,
}

struct Inner {
    verbose: bool,
    quiet_progress: bool,
    fancy: bool,
    state: Mutex<StepState>,
    /// Warnings printed lately: concurrent calls hitting the same error warn once, not once each.
    recent_warnings: Mutex<Vec<(String, Instant)>>,
    /// When the last line of a wait was printed (plain output).
    last_wait_line: Mutex<Option<Instant>>,
}

/// How often a wait prints a line in plain output.
const WAIT_LINE_EVERY: Duration = Duration::from_secs(5);

/// How long an identical warning stays silent after it was printed.
const WARNING_REPEAT_AFTER: Duration = Duration::from_secs(10);

#[derive(Default)]
struct StepState {
    bar: Option<ProgressBar>,
    label: String,
    started: Option<Instant>,
}

impl Reporter {
    /// `quiet_progress` hides step lines (used for machine-readable output and completion helpers).
    pub(crate) fn new(verbose: bool, quiet_progress: bool) -> Self {
        let fancy = std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
        Reporter {
            inner: Arc::new(Inner {
                verbose,
                quiet_progress,
                fancy,
                state: Mutex::new(StepState::default()),
                recent_warnings: Mutex::new(Vec::new()),
                last_wait_line: Mutex::new(None),
            }),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, StepState> {
        self.inner.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Prints a line on stderr without tearing the spinner.
    /// A line under the progress: as is on a terminal, each line timestamped in a log.
    fn line(&self, text: &str) {
        let text = if self.inner.fancy {
            text.to_string()
        } else {
            text.lines()
                .map(|l| self.stamped(l))
                .collect::<Vec<_>>()
                .join("\n")
        };
        let state = self.state();
        match &state.bar {
            Some(bar) => bar.suspend(|| stderr_line(&text)),
            None => stderr_line(&text),
        }
    }

    fn stamped(&self, text: &str) -> String {
        if self.inner.fancy {
            text.to_string()
        } else {
            format!(
                "{} {text}",
                humantime::format_rfc3339_seconds(SystemTime::now())
            )
        }
    }

    pub(crate) fn step_start(&self, index: usize, total: usize, title: &str) {
        let label = format!("[{index}/{total}] {title}");
        let mut state = self.state();
        state.started = Some(Instant::now());
        state.label = label.clone();
        if self.inner.quiet_progress {
            return;
        }
        if self.inner.fancy {
            let bar = ProgressBar::new_spinner();
            bar.set_style(
                ProgressStyle::with_template("{spinner:.cyan} {msg} {elapsed:.dim}")
                    .expect("static template"),
            );
            bar.set_message(label);
            bar.enable_steady_tick(Duration::from_millis(100));
            state.bar = Some(bar);
        } else {
            stderr_line(&self.stamped(&label));
        }
    }

    /// Updates the running step's label, e.g. with what a wait is waiting for.
    pub(crate) fn step_progress(&self, detail: &str) {
        let state = self.state();
        if let Some(bar) = &state.bar {
            bar.set_message(format!("{} - {detail}", state.label));
        }
    }

    /// A wait the user should see progress on (the API server away): the running step's label on a
    /// terminal; in a log, a line at most every [`WAIT_LINE_EVERY`].
    pub(crate) fn waiting(&self, detail: &str) {
        if self.inner.fancy {
            return self.step_progress(detail);
        }
        if self.inner.quiet_progress {
            return;
        }
        let mut last = self
            .inner
            .last_wait_line
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if last.is_some_and(|at| at.elapsed() < WAIT_LINE_EVERY) {
            return;
        }
        *last = Some(Instant::now());
        drop(last);
        self.line(detail);
    }

    /// Ends the running step; returns how long it took.
    pub(crate) fn step_end(&self, ok: bool, summary: &str) -> Duration {
        let mut state = self.state();
        let elapsed = state
            .started
            .take()
            .map(|s| s.elapsed())
            .unwrap_or_default();
        let bar = state.bar.take();
        let label = std::mem::take(&mut state.label);
        drop(state);
        if self.inner.quiet_progress {
            return elapsed;
        }
        let mark = if ok { "done" } else { "FAILED" };
        let tail = if summary.is_empty() {
            String::new()
        } else {
            format!(": {summary}")
        };
        let text = format!("{label} {mark} in {}{tail}", format_elapsed(elapsed));
        if let Some(bar) = bar {
            bar.finish_and_clear();
        }
        if self.inner.fancy {
            let sign = if ok { "✓" } else { "✗" };
            stderr_line(&format!("{sign} {text}"));
        } else {
            stderr_line(&self.stamped(&text));
        }
        elapsed
    }

    /// `-v`: every command, shell-quoted, before it runs.
    pub(crate) fn command(&self, display: &str) {
        if self.inner.verbose {
            self.line(&format!("+ {}", shorten_payloads(display)));
        }
    }

    pub(crate) fn info(&self, text: &str) {
        self.line(text);
    }

    pub(crate) fn warn(&self, text: &str) {
        if self.seen_lately(text) {
            return;
        }
        self.line(&format!("warning: {text}"));
    }

    fn seen_lately(&self, text: &str) -> bool {
        let mut recent = self
            .inner
            .recent_warnings
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        recent.retain(|(_, at)| now.duration_since(*at) < WARNING_REPEAT_AFTER);
        if recent.iter().any(|(seen, _)| seen == text) {
            return true;
        }
        recent.push((text.to_string(), now));
        false
    }

    /// Asks y/N on the terminal. Returns Ok(false) on anything but yes.
    pub(crate) fn confirm(&self, question: &str) -> std::io::Result<bool> {
        let state = self.state();
        if let Some(bar) = &state.bar {
            bar.suspend(|| {});
        }
        let mut err = std::io::stderr().lock();
        write!(err, "{question} [y/N] ")?;
        err.flush()?;
        drop(err);
        let mut answer = String::new();
        std::io::stdin().read_line(&mut answer)?;
        let answer = answer.trim().to_ascii_lowercase();
        Ok(answer == "y" || answer == "yes")
    }
}

/// One line on stderr; like [`stdout_line`], never panics on a closed pipe.
pub(crate) fn stderr_line(text: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{text}");
}

/// A word of a `-v` line longer than this is a payload (a journal, a patch): shown by its size.
const PAYLOAD_SHOWN_UP_TO: usize = 160;

/// `-v` lines stay readable: each shell word longer than [`PAYLOAD_SHOWN_UP_TO`] becomes
/// `<journal.json: 1.2 kB>` (named after its `KEY=` or its first JSON keys). `plan` shows them whole.
fn shorten_payloads(display: &str) -> String {
    let Some(words) = shlex::split(display) else {
        return display.to_string();
    };
    if words.iter().all(|w| w.len() <= PAYLOAD_SHOWN_UP_TO) {
        return display.to_string();
    }
    let shown: Vec<String> = words
        .iter()
        .map(|w| {
            if w.len() <= PAYLOAD_SHOWN_UP_TO {
                return crate::quote::shell_join(&[w]);
            }
            // `--from-literal=journal.json={...}`: the flag and key stay, the value goes
            let value_at = w.find(['{', '[']).unwrap_or(0);
            let (prefix, value) = w.split_at(value_at);
            let size = format!("{:.1} kB", value.len() as f64 / 1000.0);
            match prefix.strip_suffix('=') {
                Some(keyed) => {
                    let label = keyed.rsplit('=').next().unwrap_or(keyed);
                    format!("{}=<{label}: {size}>", crate::quote::shell_join(&[keyed]))
                }
                None if prefix.is_empty() => format!("<{}: {size}>", json_keys(value)),
                None => format!(
                    "{}<{}: {size}>",
                    crate::quote::shell_join(&[prefix]),
                    json_keys(value)
                ),
            }
        })
        .collect();
    shown.join(" ")
}

/// The first keys of a JSON payload, dotted (`data.journal.json`), or `payload`.
fn json_keys(text: &str) -> String {
    let mut keys = Vec::new();
    let mut rest = text;
    while keys.len() < 3 {
        let Some(open) = rest.strip_prefix('{').and_then(|r| r.strip_prefix('"')) else {
            break;
        };
        let Some((key, after)) = open.split_once("\":") else {
            break;
        };
        keys.push(key.to_string());
        rest = after;
    }
    if keys.is_empty() {
        "payload".into()
    } else {
        keys.join(".")
    }
}

pub(crate) fn format_elapsed(d: Duration) -> String {
    let secs = d.as_secs_f64();
    if secs < 10.0 {
        format!("{secs:.1}s")
    } else if secs < 120.0 {
        format!("{secs:.0}s")
    } else {
        format!("{}m{:02}s", d.as_secs() / 60, d.as_secs() % 60)
    }
}

/// True when stdin is an interactive terminal (a question can be asked).
pub(crate) fn can_ask() -> bool {
    std::io::stdin().is_terminal()
}

/// The confirmation gate before the first change: `--yes` skips it; without a terminal it refuses
/// (exit 2, nothing changed); otherwise it asks y/N.
/// What a confirmation guards: the refusal on no terminal says what was not done.
pub(crate) enum Guarded<'a> {
    /// A change to the cluster (`alternative`: another way to proceed, appended to `--yes`).
    ClusterChange { alternative: &'a str },
    /// Secrets written to a local directory (a backup changes nothing in the cluster).
    LocalSecrets { dir: &'a std::path::Path },
}

pub(crate) fn confirm_or_refuse(
    reporter: &Reporter,
    yes: bool,
    question: &str,
    guarded: Guarded<'_>,
) -> anyhow::Result<()> {
    if yes {
        return Ok(());
    }
    if !can_ask() {
        return Err(crate::exit::bad_input(match guarded {
            Guarded::ClusterChange { alternative } => format!(
                "refusing to change the cluster without confirmation, and there is no terminal to ask on: \
                 re-run with --yes to proceed{alternative}. Nothing was changed."
            ),
            Guarded::LocalSecrets { dir } => format!(
                "refusing to write the release's values and both ENCRYPT_KEYs (decoded) to {} without \
                 confirmation, and there is no terminal to ask on: re-run with --yes to proceed. Nothing was \
                 written (a backup never changes the cluster).",
                dir.display()
            ),
        }));
    }
    if reporter.confirm(question)? {
        Ok(())
    } else {
        Err(anyhow::Error::new(crate::exit::Declined))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_payloads_are_shown_by_their_size() {
        let journal = format!("{{\"format\":1,\"objects\":\"{}\"}}", "x".repeat(1200));
        let create = crate::quote::shell_join(&[
            "kubectl".to_string(),
            "create".into(),
            "configmap".into(),
            format!("--from-literal=journal.json={journal}"),
        ]);
        assert_eq!(
            shorten_payloads(&create),
            "kubectl create configmap --from-literal=journal.json=<journal.json: 1.2 kB>"
        );
        let patch = serde_json::json!({"data": {"journal.json": journal}}).to_string();
        let patch_line = crate::quote::shell_join(&["kubectl", "patch", "-p", &patch]);
        assert_eq!(
            shorten_payloads(&patch_line),
            "kubectl patch -p <data.journal.json: 1.3 kB>"
        );
        let short = "kubectl scale deployment/a --replicas=0 -n 'x y'";
        assert_eq!(shorten_payloads(short), short);
    }

    #[test]
    fn the_same_warning_from_concurrent_calls_is_printed_once() {
        let reporter = Reporter::new(false, true);
        assert!(!reporter.seen_lately("transient error from `kubectl`, retrying in 500ms"));
        assert!(reporter.seen_lately("transient error from `kubectl`, retrying in 500ms"));
        assert!(!reporter.seen_lately("transient error from `kubectl`, retrying in 1s"));
    }
}
