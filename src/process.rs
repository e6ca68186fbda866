//! The one runner for every subprocess (helm, kubectl, oc).
//!
//! It resolves each executable once with `which`, shows the shell-quoted command line (`-v`), captures
//! stdout and stderr, puts the command line, exit status and stderr into every failure, bounds every call
//! with a timeout, retries idempotent calls on transient API errors, refuses mutating calls in dry-run mode
//! and starts children in their own process group so a terminal Ctrl-C cannot kill `helm upgrade` halfway.
//! No shell is ever involved: argv only.

use std::collections::HashMap;
use std::fmt;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::output::Reporter;
use crate::quote::shell_join;

/// Whether a command changes anything in the cluster (or in helm's release store).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Effect {
    Read,
    Mutate,
}

/// One command line, not yet run. Built by the typed wrappers in `ops/`.
#[derive(Debug, Clone)]
pub struct Cmd {
    pub program: &'static str,
    pub args: Vec<String>,
    pub stdin: Option<Vec<u8>>,
    pub effect: Effect,
    /// Safe to run again after a transient failure (every read; writes that set an absolute state).
    pub retry_safe: bool,
    pub timeout: Option<Duration>,
    /// Shown after the command in plans, e.g. "repeated until the pods are gone".
    pub note: Option<String>,
    /// A failure (non-zero exit) of this command is known to change nothing, e.g. `kubectl create` of one
    /// object. Other mutating commands count as a change as soon as they start.
    pub atomic: bool,
    /// How plans show the arguments when some are made at run time (an id, a time, a lease): the same
    /// command with `<placeholders>`, so a plan never shows a value that only looks copy-pastable.
    pub plan_args: Option<Vec<String>>,
}

impl Cmd {
    pub fn read(program: &'static str, args: impl IntoIterator<Item = impl Into<String>>) -> Self {
        Cmd {
            program,
            args: args.into_iter().map(Into::into).collect(),
            stdin: None,
            effect: Effect::Read,
            retry_safe: true,
            timeout: None,
            note: None,
            atomic: false,
            plan_args: None,
        }
    }

    pub fn mutate(
        program: &'static str,
        args: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        Cmd {
            effect: Effect::Mutate,
            retry_safe: false,
            ..Cmd::read(program, args)
        }
    }

    #[must_use]
    pub fn arg(mut self, arg: impl Into<String>) -> Self {
        self.args.push(arg.into());
        self
    }

    #[must_use]
    pub fn args(mut self, args: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Mark a mutating command whose repetition is harmless (it sets an absolute state).
    #[must_use]
    pub fn retry_safe(mut self) -> Self {
        self.retry_safe = true;
        self
    }

    #[must_use]
    pub fn no_retry(mut self) -> Self {
        self.retry_safe = false;
        self
    }

    #[must_use]
    pub fn atomic(mut self) -> Self {
        self.atomic = true;
        self
    }

    #[must_use]
    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }

    /// Plans show `shown`'s arguments instead of this command's (see [`Cmd::plan_args`]).
    #[must_use]
    pub fn shown_in_plans_as(mut self, shown: &Cmd) -> Self {
        self.plan_args = Some(shown.args.clone());
        self
    }

    /// The command line as a plan shows it: placeholders for values made at run time.
    pub fn plan_display(&self) -> String {
        let mut words = vec![self.program.to_string()];
        words.extend(
            self.plan_args
                .as_ref()
                .unwrap_or(&self.args)
                .iter()
                .cloned(),
        );
        shell_join(&words)
    }

    pub fn is_mutating(&self) -> bool {
        self.effect == Effect::Mutate
    }

    /// The command line as a user would paste it into a POSIX shell.
    pub fn display(&self) -> String {
        let mut words = vec![self.program.to_string()];
        words.extend(self.args.iter().cloned());
        shell_join(&words)
    }
}

impl fmt::Display for Cmd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display())
    }
}

/// What a finished command printed.
#[derive(Debug, Clone, Default)]
pub struct Output {
    pub stdout: String,
    pub stderr: String,
}

/// A command that could not be run or did not succeed.
#[derive(Debug)]
pub struct ProcessError {
    pub command: String,
    pub kind: FailureKind,
    pub stderr: String,
    pub stdout: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FailureKind {
    NotFound(String),
    Spawn(String),
    Exit(Option<i32>),
    TimedOut(Duration),
    DryRun,
}

impl ProcessError {
    /// The stderr text without the trailing newline, for matching on messages like `AlreadyExists`.
    pub fn stderr_trimmed(&self) -> &str {
        self.stderr.trim_end()
    }

    /// One line for a list of problems: the command and the last line of its stderr.
    pub fn summary(&self) -> String {
        let stderr = self.stderr_trimmed();
        match stderr.lines().last() {
            Some(last) => format!("`{}`: {last}", self.command),
            None => self.to_string(),
        }
    }

    /// The executable is not installed (or not on PATH).
    pub fn is_missing_tool(&self) -> bool {
        matches!(self.kind, FailureKind::NotFound(_))
    }
}

impl fmt::Display for ProcessError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            FailureKind::NotFound(why) => write!(f, "could not run `{}`: {why}", self.command)?,
            FailureKind::Spawn(why) => write!(f, "could not start `{}`: {why}", self.command)?,
            FailureKind::Exit(Some(code)) => {
                write!(f, "`{}` failed (exit status: {code})", self.command)?
            }
            FailureKind::Exit(None) => write!(f, "`{}` was killed by a signal", self.command)?,
            FailureKind::TimedOut(limit) => write!(
                f,
                "`{}` did not finish within {} and was stopped",
                self.command,
                humantime::format_duration(*limit)
            )?,
            FailureKind::DryRun => write!(
                f,
                "refused to run the mutating command `{}` in dry-run mode",
                self.command
            )?,
        }
        let stderr = self.stderr.trim_end();
        if !stderr.is_empty() {
            write!(f, "\n--- stderr\n{stderr}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ProcessError {}

/// API errors worth another try on an idempotent call.
const TRANSIENT_MARKERS: &[&str] = &[
    "connection refused",
    "was refused - did you specify the right host or port?",
    "connection reset by peer",
    "i/o timeout",
    "TLS handshake timeout",
    "the object has been modified",
    "etcdserver: request timed out",
    "etcdserver: leader changed",
    "Internal error occurred",
    "the server is currently unable to handle the request",
    "the server was unable to return a response in the time allotted",
    "Too Many Requests",
    "http2: client connection lost",
    "(ServiceUnavailable)",
    "(InternalError)",
    "(Timeout)",
    "unexpected EOF",
];

/// How many tool processes `run_all` keeps in flight: enough that kubectl's per-process client-side
/// throttling (5 requests/s, burst 10) stops mattering for a few dozen objects, few enough for a laptop.
pub const FAN_OUT: usize = 8;

pub fn is_transient(stderr: &str) -> bool {
    TRANSIENT_MARKERS
        .iter()
        .any(|marker| stderr.contains(marker))
        || stderr.contains("status code 50")
}

/// Runs commands. Shared by every step of a runbook; cheap to pass by reference across threads.
pub struct Runner {
    reporter: Reporter,
    dry_run: bool,
    default_timeout: Duration,
    resolved: Mutex<HashMap<&'static str, PathBuf>>,
    mutated: AtomicBool,
    /// Pauses between retries of transient failures.
    backoff: Vec<Duration>,
}

/// Bound for a single call that carries no timeout of its own (waits and helm upgrade do).
pub const CALL_TIMEOUT: Duration = Duration::from_secs(120);

impl Runner {
    /// The runner of one plugin command: each call bounded by [`CALL_TIMEOUT`] and never longer than
    /// the command's `--timeout`, so a hung API call ends within the bound the user chose.
    pub fn for_command(verbose: bool, preview: bool, timeout: Duration) -> Self {
        Runner::new(
            Reporter::new(verbose, false),
            preview,
            CALL_TIMEOUT.min(timeout),
        )
    }

    pub fn new(reporter: Reporter, dry_run: bool, default_timeout: Duration) -> Self {
        Runner {
            reporter,
            dry_run,
            default_timeout,
            resolved: Mutex::new(HashMap::new()),
            mutated: AtomicBool::new(false),
            backoff: vec![
                Duration::from_millis(500),
                Duration::from_secs(1),
                Duration::from_secs(2),
                Duration::from_secs(4),
            ],
        }
    }

    pub fn reporter(&self) -> &Reporter {
        &self.reporter
    }

    pub fn dry_run(&self) -> bool {
        self.dry_run
    }

    /// True once any mutating command was started: from then on a failure must put things back.
    pub fn has_mutated(&self) -> bool {
        self.mutated.load(Ordering::SeqCst)
    }

    /// Finds a tool on PATH once; later calls reuse the answer.
    pub fn resolve(&self, program: &'static str) -> Result<PathBuf, String> {
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

    /// Runs a command to completion; a non-zero exit is an error carrying stderr.
    pub fn run(&self, cmd: &Cmd) -> Result<Output, ProcessError> {
        let mut attempt = 0;
        loop {
            let result = self.run_once(cmd);
            match &result {
                Err(err)
                    if cmd.retry_safe
                        && matches!(err.kind, FailureKind::Exit(_))
                        && is_transient(&err.stderr)
                        && attempt < self.backoff.len() =>
                {
                    let pause = self.backoff[attempt];
                    attempt += 1;
                    self.reporter.warn(&format!(
                        "transient error from `{}`, retrying in {} (attempt {}/{}): {}",
                        cmd.program,
                        humantime::format_duration(pause),
                        attempt + 1,
                        self.backoff.len() + 1,
                        err.stderr_trimmed().lines().last().unwrap_or_default()
                    ));
                    std::thread::sleep(pause);
                }
                _ => return result,
            }
        }
    }

    fn run_once(&self, cmd: &Cmd) -> Result<Output, ProcessError> {
        let display = cmd.display();
        let fail = |kind: FailureKind, stdout: String, stderr: String| ProcessError {
            command: display.clone(),
            kind,
            stdout,
            stderr,
        };
        if cmd.is_mutating() && self.dry_run {
            return Err(fail(FailureKind::DryRun, String::new(), String::new()));
        }
        let path = self
            .resolve(cmd.program)
            .map_err(|why| fail(FailureKind::NotFound(why), String::new(), String::new()))?;
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
        let handle = expression.start().map_err(|e| {
            fail(
                FailureKind::Spawn(e.to_string()),
                String::new(),
                String::new(),
            )
        })?;
        let deadline = Instant::now() + limit;
        let finished = handle.wait_deadline(deadline).map_err(|e| {
            fail(
                FailureKind::Spawn(e.to_string()),
                String::new(),
                String::new(),
            )
        })?;
        if finished.is_none() {
            // The child leads its own process group: end the whole group, so a grandchild (a wrapper
            // script, a credential plugin) cannot keep our pipes open past the timeout.
            for pid in handle.pids() {
                // SAFETY: kill(2) with a negative pid signals that process group; no memory is touched.
                unsafe {
                    libc::kill(-(pid as libc::pid_t), libc::SIGKILL);
                }
            }
            let _ = handle.kill();
            let output = handle.into_output().ok();
            let (stdout, stderr) = output
                .map(|o| (lossy(&o.stdout), lossy(&o.stderr)))
                .unwrap_or_default();
            return Err(fail(FailureKind::TimedOut(limit), stdout, stderr));
        }
        let output = handle.into_output().map_err(|e| {
            fail(
                FailureKind::Spawn(e.to_string()),
                String::new(),
                String::new(),
            )
        })?;
        let stdout = lossy(&output.stdout);
        let stderr = lossy(&output.stderr);
        if output.status.success() {
            if cmd.is_mutating() {
                self.mutated.store(true, Ordering::SeqCst);
            }
            Ok(Output { stdout, stderr })
        } else {
            Err(fail(
                FailureKind::Exit(output.status.code()),
                stdout,
                stderr,
            ))
        }
    }

    /// Runs independent commands concurrently, at most `FAN_OUT` at a time, each to its end (none is
    /// abandoned halfway); the first failure in command order is returned once all have finished.
    pub fn run_all(&self, cmds: &[Cmd]) -> Result<Vec<Output>, ProcessError> {
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
    pub fn json<T: serde::de::DeserializeOwned>(&self, cmd: &Cmd) -> anyhow::Result<T> {
        let output = self.run(cmd)?;
        parse_json(cmd, &output.stdout)
    }
}

pub fn parse_json<T: serde::de::DeserializeOwned>(cmd: &Cmd, stdout: &str) -> anyhow::Result<T> {
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
pub fn parsed<T: serde::de::DeserializeOwned>(
    cmd: &Cmd,
    result: &Result<Output, ProcessError>,
) -> Result<T, String> {
    match result {
        Ok(out) => parse_json(cmd, &out.stdout).map_err(|e| format!("{e:#}")),
        Err(e) => Err(e.summary()),
    }
}

fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transient_markers_match_real_messages() {
        assert!(is_transient(
            "Error from server (Conflict): Operation cannot be fulfilled on deployments.apps \"x\": the object has been modified; please apply your changes to the latest version and try again"
        ));
        assert!(is_transient(
            "The connection to the server 127.0.0.1:6443 was refused - did you specify the right host or port?\nconnection refused"
        ));
        assert!(!is_transient(
            "Error from server (NotFound): deployments.apps \"x\" not found"
        ));
    }

    #[test]
    fn process_error_names_command_status_and_stderr() {
        let err = ProcessError {
            command: "kubectl scale deployment/a --replicas=0".into(),
            kind: FailureKind::Exit(Some(1)),
            stdout: String::new(),
            stderr: "Error from server (NotFound): deployments.apps \"a\" not found\n".into(),
        };
        assert_eq!(
            err.to_string(),
            "`kubectl scale deployment/a --replicas=0` failed (exit status: 1)\n--- stderr\nError from server (NotFound): deployments.apps \"a\" not found"
        );
    }
}
