//! The runner: resolves, shows, bounds, retries and refuses commands (see the module above).

use std::collections::HashMap;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::attempts::{Attempts, CallTries, RetriedCall};
use super::{Cmd, FailureKind, Output, ProcessError};
use crate::output::Reporter;

/// How many tool processes `run_all` keeps in flight: enough that kubectl's per-process client-side
/// throttling (5 requests/s, burst 10) stops mattering, few enough for a laptop. 12 calls of 5 objects
/// cover 50 backyards with platform-auth and the CronJobs in one wave: on 2 CPUs, 55 objects took 1.28 s
/// with 11 processes at once, 1.79 s with 8 (two waves) and 1.37 s with 16 (docs/performance.md).
pub(crate) const FAN_OUT: usize = 12;

/// Runs commands. Shared by every step of a runbook; cheap to pass by reference across threads.
pub(crate) struct Runner {
    reporter: Reporter,
    dry_run: bool,
    default_timeout: Duration,
    resolved: Mutex<HashMap<&'static str, PathBuf>>,
    mutated: AtomicBool,
    /// Retries of transient failures (`process/retry.rs` says which).
    attempts: Attempts,
}

/// Bound for a single call that carries no timeout of its own (waits and helm upgrade do).
pub(crate) const CALL_TIMEOUT: Duration = Duration::from_secs(120);

impl Runner {
    /// The runner of one plugin command: each call bounded by [`CALL_TIMEOUT`] and never longer than
    /// the command's `--timeout`, so a hung API call ends within the bound the user chose; an API server
    /// that is away is waited for up to `--timeout` too.
    pub(crate) fn for_command(verbose: bool, preview: bool, timeout: Duration) -> Self {
        Runner::new(
            Reporter::new(verbose, false),
            preview,
            CALL_TIMEOUT.min(timeout),
        )
        .waiting_out_outages_for(timeout)
    }

    pub(crate) fn new(reporter: Reporter, dry_run: bool, default_timeout: Duration) -> Self {
        Runner {
            reporter,
            dry_run,
            default_timeout,
            resolved: Mutex::new(HashMap::new()),
            mutated: AtomicBool::new(false),
            attempts: Attempts::new(default_timeout),
        }
    }

    #[must_use]
    pub(crate) fn waiting_out_outages_for(mut self, patience: Duration) -> Self {
        self.attempts = Attempts::new(patience);
        self
    }

    /// Notes a call that a step tried again itself (`helm upgrade`).
    pub(crate) fn log_retry(&self, call: RetriedCall) {
        self.attempts.push(call);
    }

    /// Every call that needed more than one attempt, for the report.
    pub(crate) fn retried_calls(&self) -> Vec<RetriedCall> {
        self.attempts.log()
    }

    pub(crate) fn reporter(&self) -> &Reporter {
        &self.reporter
    }

    pub(crate) fn dry_run(&self) -> bool {
        self.dry_run
    }

    /// True once any mutating command was started: from then on a failure must put things back.
    pub(crate) fn has_mutated(&self) -> bool {
        self.mutated.load(Ordering::SeqCst)
    }

    /// Finds a tool on PATH once; later calls reuse the answer.
    pub(crate) fn resolve(&self, program: &'static str) -> Result<PathBuf, String> {
        let mut cache = self.resolved.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(path) = cache.get(program) {
            return Ok(path.clone());
        }
        let path = which::which(program).map_err(|_| {
            format!("`{program}` was not found on PATH; install it or add its directory to PATH")
        })?;
        cache.insert(program, path.clone());
        Ok(path)
    }

    /// Starts a read that runs beside the steps (`kubectl port-forward`), shown like any command; it stops
    /// when the returned handle is dropped.
    pub(crate) fn start(&self, cmd: &Cmd) -> Result<super::Background, ProcessError> {
        let path = self.resolve(cmd.program).map_err(|why| ProcessError {
            command: cmd.display(),
            kind: FailureKind::NotFound(why),
            stderr: String::new(),
            stdout: String::new(),
        })?;
        self.reporter.command(&cmd.display());
        super::Background::spawn(cmd, &path)
    }

    /// An action that is not a subprocess (a call of a vendor's HTTP API), described by `shown` (method,
    /// URL, body): shown with `-v`, refused in a dry run when it changes something, and counted as a change
    /// from the moment it starts, like a command.
    pub(crate) fn announce(&self, shown: &Cmd) -> Result<(), ProcessError> {
        if shown.is_mutating() && self.dry_run {
            return Err(ProcessError {
                command: shown.display(),
                kind: FailureKind::DryRun,
                stderr: String::new(),
                stdout: String::new(),
            });
        }
        self.reporter.command(&shown.display());
        if shown.is_mutating() {
            self.mutated.store(true, Ordering::SeqCst);
        }
        Ok(())
    }

    /// Runs a command to completion; a non-zero exit is an error carrying stderr. A call that is safe to
    /// repeat (`Cmd::retry_safe`) is tried again after a transient failure (`process/retry.rs`).
    pub(crate) fn run(&self, cmd: &Cmd) -> Result<Output, ProcessError> {
        let mut tries = CallTries::default();
        loop {
            let result = self.run_once(cmd);
            match &result {
                Ok(_) => self.attempts.answered(&tries, "succeeded"),
                Err(err) if cmd.retry_safe => {
                    if let Some(pause) =
                        self.attempts
                            .pause(&self.reporter, cmd.program, err, &mut tries, false)
                    {
                        std::thread::sleep(pause);
                        continue;
                    }
                }
                Err(_) => {}
            }
            return result;
        }
    }

    /// A write that may have landed although its call failed (a create, an append to a list, a guarded
    /// patch): after a transient failure or no answer in time, `landed` reads the object back. `Ok(None)`:
    /// it had landed; otherwise (not landed, or the read failed too) the write is tried again, as a safe
    /// call would be, and its last failure is returned for the caller to read (AlreadyExists, Conflict).
    pub(crate) fn run_checked(
        &self,
        cmd: &Cmd,
        landed: impl Fn() -> anyhow::Result<bool>,
    ) -> Result<Option<Output>, ProcessError> {
        let mut tries = CallTries::default();
        loop {
            let err = match self.run_once(cmd) {
                Ok(out) => {
                    self.attempts.answered(&tries, "succeeded");
                    return Ok(Some(out));
                }
                Err(err) => err,
            };
            let Some(pause) =
                self.attempts
                    .pause(&self.reporter, cmd.program, &err, &mut tries, true)
            else {
                return Err(err);
            };
            std::thread::sleep(pause);
            if landed().unwrap_or(false) {
                if cmd.is_mutating() {
                    self.mutated.store(true, Ordering::SeqCst);
                }
                self.attempts.answered(&tries, "landed");
                return Ok(None);
            }
        }
    }

    fn run_once(&self, cmd: &Cmd) -> Result<Output, ProcessError> {
        let display = cmd.display();
        let fail = |kind: FailureKind, stderr: String| ProcessError {
            command: display.clone(),
            kind,
            stderr,
            stdout: String::new(),
        };
        if cmd.is_mutating() && self.dry_run {
            return Err(fail(FailureKind::DryRun, String::new()));
        }
        let path = self
            .resolve(cmd.program)
            .map_err(|why| fail(FailureKind::NotFound(why), String::new()))?;
        self.reporter.command(&display);
        if cmd.is_mutating() && !cmd.atomic {
            self.mutated.store(true, Ordering::SeqCst);
        }
        let mut expression = duct::cmd(path, &cmd.args)
            .stdout_capture()
            .stderr_capture()
            .unchecked()
            // Own process group: the terminal's Ctrl-C reaches only us, and we decide what to stop.
            .before_spawn(|command| {
                command.process_group(0);
                Ok(())
            });
        expression = match &cmd.stdin {
            Some(bytes) => expression.stdin_bytes(bytes.clone()),
            None => expression.stdin_null(),
        };
        let limit = cmd.timeout.unwrap_or(self.default_timeout);
        let spawn_failed =
            |e: std::io::Error| fail(FailureKind::Spawn(e.to_string()), String::new());
        let handle = expression.start().map_err(spawn_failed)?;
        let deadline = Instant::now() + limit;
        loop {
            // A wait that stops on Ctrl-C looks at the signal ten times a second; others wait to the end.
            let until = if cmd.stops_on_interrupt {
                deadline.min(Instant::now() + Duration::from_millis(100))
            } else {
                deadline
            };
            if handle.wait_deadline(until).map_err(spawn_failed)?.is_some() {
                break;
            }
            if Instant::now() >= deadline {
                let stderr = kill_group(handle);
                return Err(fail(FailureKind::TimedOut(limit), stderr));
            }
            if crate::signals::interrupted() {
                let stderr = kill_group(handle);
                return Err(fail(FailureKind::Interrupted, stderr));
            }
        }
        let output = handle.into_output().map_err(spawn_failed)?;
        if output.status.success() {
            if cmd.is_mutating() {
                self.mutated.store(true, Ordering::SeqCst);
            }
            Ok(Output {
                stdout: lossy(&output.stdout),
            })
        } else {
            Err(ProcessError {
                stdout: lossy(&output.stdout),
                ..fail(
                    super::error::failure_of(output.status),
                    lossy(&output.stderr),
                )
            })
        }
    }

    /// Runs independent commands concurrently, at most `FAN_OUT` at a time, each to its end (none is
    /// abandoned halfway); the first failure in command order is returned once all have finished.
    pub(crate) fn run_all(&self, cmds: &[Cmd]) -> Result<Vec<Output>, ProcessError> {
        if cmds.len() <= 1 {
            return cmds.iter().map(|c| self.run(c)).collect();
        }
        let next = std::sync::atomic::AtomicUsize::new(0);
        let results: Vec<Mutex<Option<Result<Output, ProcessError>>>> =
            cmds.iter().map(|_| Mutex::new(None)).collect();
        std::thread::scope(|s| {
            for _ in 0..FAN_OUT.min(cmds.len()) {
                s.spawn(|| loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(cmd) = cmds.get(i) else { break };
                    let result = self.run(cmd);
                    *results[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(result);
                });
            }
        });
        results
            .into_iter()
            .map(|slot| {
                slot.into_inner()
                    .unwrap_or_else(|e| e.into_inner())
                    .expect("every command ran")
            })
            .collect()
    }

    /// Runs a read command and parses its stdout as JSON into `T`.
    pub(crate) fn json<T: serde::de::DeserializeOwned>(&self, cmd: &Cmd) -> anyhow::Result<T> {
        let output = self.run(cmd)?;
        parse_json(cmd, &output.stdout)
    }
}

pub(crate) fn parse_json<T: serde::de::DeserializeOwned>(
    cmd: &Cmd,
    stdout: &str,
) -> anyhow::Result<T> {
    serde_json::from_str(stdout).map_err(|e| {
        let excerpt: String = stdout.chars().take(200).collect();
        anyhow::anyhow!(
            "`{}` printed output that is not the expected JSON ({e}); it began with: {:?}",
            cmd.display(),
            excerpt
        )
    })
}

/// The parsed JSON of a read that has already run, or one problem line (for preflights that report every
/// problem at once).
pub(crate) fn parsed<T: serde::de::DeserializeOwned>(
    cmd: &Cmd,
    result: &Result<Output, ProcessError>,
) -> Result<T, String> {
    match result {
        Ok(out) => parse_json(cmd, &out.stdout).map_err(|e| format!("{e:#}")),
        Err(e) => Err(e.summary()),
    }
}

/// Ends a command past its time: the child leads its own process group, so the whole group goes (a
/// grandchild such as a wrapper script or a credential plugin cannot keep our pipes open). Returns what it
/// had printed on stderr.
fn kill_group(handle: duct::Handle) -> String {
    for pid in handle.pids() {
        // SAFETY: kill(2) with a negative pid signals that process group; no memory is touched.
        unsafe {
            libc::kill(-(pid as libc::pid_t), libc::SIGKILL);
        }
    }
    let _ = handle.kill();
    handle
        .into_output()
        .ok()
        .map(|o| lossy(&o.stderr))
        .unwrap_or_default()
}

fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}
