//! A command that runs beside the steps (`kubectl port-forward`): started by the runner (shown with `-v`,
//! refused in nothing: it must be a read), its stdout read line by line, and stopped when dropped.

use std::io::{BufRead, BufReader, Read};
use std::os::unix::process::CommandExt;
use std::process::{Child, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::{Cmd, FailureKind, ProcessError};

/// A running background command; dropping it stops it (and waits for it, leaving no zombie).
pub(crate) struct Background {
    child: Child,
    display: String,
    lines: Receiver<String>,
    stderr: Arc<Mutex<String>>,
}

impl Background {
    pub(crate) fn spawn(cmd: &Cmd, path: &std::path::Path) -> Result<Background, ProcessError> {
        debug_assert!(!cmd.is_mutating(), "only a read runs in the background");
        let display = cmd.display();
        let mut command = std::process::Command::new(path);
        command
            .args(&cmd.args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            // Its own process group: the terminal's Ctrl-C is ours to handle, and we stop it ourselves.
            .process_group(0);
        // SAFETY: prctl is async-signal-safe; it only asks the kernel to SIGTERM the child when the thread
        // that spawned it dies, so a killed plugin leaves no port-forward behind.
        unsafe {
            command.pre_exec(|| {
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGTERM);
                Ok(())
            });
        }
        let mut child = command.spawn().map_err(|e| ProcessError {
            command: display.clone(),
            kind: FailureKind::Spawn(e.to_string()),
            stderr: String::new(),
            stdout: String::new(),
        })?;
        let (send, lines) = mpsc::channel();
        let stdout = child.stdout.take().expect("stdout is piped");
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if send.send(line).is_err() {
                    break;
                }
            }
        });
        let stderr = Arc::new(Mutex::new(String::new()));
        let mut pipe = child.stderr.take().expect("stderr is piped");
        let sink = Arc::clone(&stderr);
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n @ 1..) = pipe.read(&mut buf) {
                let text = String::from_utf8_lossy(&buf[..n]).into_owned();
                sink.lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push_str(&text);
            }
        });
        Ok(Background {
            child,
            display,
            lines,
            stderr,
        })
    }

    /// Waits for the first stdout line `pick` accepts; fails with stderr when the command ends first or
    /// nothing comes within `limit`.
    pub(crate) fn wait_for<T>(
        &mut self,
        limit: Duration,
        mut pick: impl FnMut(&str) -> Option<T>,
    ) -> Result<T, ProcessError> {
        let deadline = Instant::now() + limit;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self
                .lines
                .recv_timeout(left.min(Duration::from_millis(100)))
            {
                Ok(line) => {
                    if let Some(found) = pick(&line) {
                        return Ok(found);
                    }
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    let kind = match self.child.wait() {
                        Ok(status) => super::error::failure_of(status),
                        Err(_) => FailureKind::Exit(None),
                    };
                    // let the stderr reader drain what the command printed last
                    std::thread::sleep(Duration::from_millis(50));
                    return Err(self.failure(kind));
                }
                Err(mpsc::RecvTimeoutError::Timeout) if Instant::now() >= deadline => {
                    return Err(self.failure(FailureKind::TimedOut(limit)));
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {}
            }
        }
    }

    /// Still running (a port-forward ends when its pod goes away).
    pub(crate) fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    pub(crate) fn stderr(&self) -> String {
        self.stderr
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn failure(&self, kind: FailureKind) -> ProcessError {
        ProcessError {
            command: self.display.clone(),
            kind,
            stderr: self.stderr(),
            stdout: String::new(),
        }
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        if self.is_running() {
            // SAFETY: signalling our own child's process group (it was started with process_group(0)).
            unsafe {
                libc::kill(-(self.child.id() as i32), libc::SIGTERM);
            }
        }
        let _ = self.child.wait();
    }
}
