//! Completion as a person gets it: an interactive bash in tmux, with bash-completion and kubectl's own
//! completion loaded, pressing TAB after `kubectl exastro-upgrade ...`. Skipped, saying so, when tmux,
//! bash-completion or kubectl is missing (.ci/run installs them).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use common::completion_install_dir;

const BASH_COMPLETION: &str = "/usr/share/bash-completion/bash_completion";

fn missing_tools() -> Option<String> {
    let mut missing = Vec::new();
    for tool in ["tmux", "bash", "kubectl"] {
        if which::which(tool).is_err() {
            missing.push(tool.to_string());
        }
    }
    if !Path::new(BASH_COMPLETION).exists() {
        missing.push("bash-completion".into());
    }
    (!missing.is_empty()).then(|| missing.join(", "))
}

/// A private tmux server (own socket name) running one bash; killed on drop.
struct Tmux {
    socket: String,
    _home: tempfile::TempDir,
    _bin: tempfile::TempDir,
    work: tempfile::TempDir,
}

impl Tmux {
    /// bash with a clean HOME, PATH = the installed plugin + kubectl + the system, and completion loaded.
    fn bash() -> Tmux {
        let home = tempfile::tempdir().unwrap();
        let bin = completion_install_dir();
        let work = tempfile::tempdir().unwrap();
        let kubectl_dir: PathBuf = which::which("kubectl")
            .unwrap()
            .parent()
            .unwrap()
            .to_path_buf();
        let path = format!(
            "{}:{}:/usr/bin:/bin",
            bin.path().display(),
            kubectl_dir.display()
        );
        let socket = format!(
            "upgrade-plugins-completion-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        )
        .replace(['(', ')'], "");
        let tmux = Tmux {
            socket,
            _home: home,
            _bin: bin,
            work,
        };
        let shell = format!(
            "env -i HOME={} PATH={path} TERM=xterm-256color LANG=C.UTF-8 bash --noprofile --norc",
            tmux._home.path().display()
        );
        tmux.tmux(&[
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-x",
            "200",
            "-y",
            "50",
            "-c",
        ])
        .arg(tmux.work.path())
        .arg(shell)
        .status()
        .unwrap();
        tmux.keys(&[
            &format!(
                "PS1='READY$ '; source {BASH_COMPLETION}; source <(kubectl completion bash); clear"
            ),
            "Enter",
        ]);
        tmux.wait_for(
            |screen| screen.trim() == "READY$",
            "the prompt after loading completion",
        );
        tmux
    }

    fn tmux(&self, args: &[&str]) -> Command {
        let mut command = Command::new("tmux");
        command.args(["-L", &self.socket]).args(args);
        command
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "0"];
        args.extend_from_slice(keys);
        let status = self.tmux(&args).status().unwrap();
        assert!(status.success());
    }

    fn screen(&self) -> String {
        let out = self
            .tmux(&["capture-pane", "-p", "-t", "0"])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Polls the screen until `ok` (at most 5 s), then returns it; fails with the screen otherwise.
    fn wait_for(&self, ok: impl Fn(&str) -> bool, what: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let screen = self.screen();
            if ok(&screen) {
                return screen;
            }
            if Instant::now() > deadline {
                panic!("waited 5s for {what}; the screen shows:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn fresh_line(&self) {
        self.keys(&["C-e", "C-u", "clear", "Enter"]);
        self.wait_for(|s| s.trim() == "READY$", "a clear screen");
    }

    /// Types `text`, presses TAB once, then types `|`: the line must read `line|` (tmux trims trailing
    /// blanks from the screen, the marker shows the space the completion added).
    fn tab_once(&self, text: &str, line: &str) {
        self.fresh_line();
        self.keys(&["-l", text]);
        self.keys(&["Tab"]);
        // Give the completion time to land before the marker is typed.
        let settle = Instant::now();
        self.wait_for(
            |s| {
                s.trim() != format!("READY$ {text}").trim()
                    || settle.elapsed() > Duration::from_secs(2)
            },
            "the completion",
        );
        self.keys(&["-l", "|"]);
        let expected = format!("READY$ {line}|");
        self.wait_for(
            |s| s.lines().any(|l| l.trim_end() == expected),
            &format!("{expected:?} after `{text}` + TAB"),
        );
    }

    /// Types `text`, presses TAB twice (bash lists the candidates), returns the screen once it shows
    /// `expected`.
    fn tab_twice(&self, text: &str, expected: &str) -> String {
        self.fresh_line();
        self.keys(&["-l", text]);
        self.keys(&["Tab"]);
        std::thread::sleep(Duration::from_millis(300));
        self.keys(&["Tab"]);
        self.wait_for(
            |s| s.contains(expected),
            &format!("{expected:?} after `{text}` + TAB TAB"),
        )
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.tmux(&["kill-server"]).status();
    }
}

macro_rules! need_tools {
    () => {
        if let Some(missing) = missing_tools() {
            eprintln!("SKIPPED: {missing} not installed (apt-get install tmux bash-completion, and kubectl 1.26+)");
            return;
        }
    };
}

#[test]
fn tab_completes_a_subcommand() {
    need_tools!();
    let tmux = Tmux::bash();
    tmux.tab_once("kubectl exastro-upgrade ru", "kubectl exastro-upgrade run ");
    let screen = tmux.tab_twice("kubectl exastro-upgrade ", "values-diff");
    assert!(
        screen.contains("restore") && screen.contains("status"),
        "{screen}"
    );
}

#[test]
fn tab_completes_flags_and_their_values() {
    need_tools!();
    let tmux = Tmux::bash();
    tmux.tab_once(
        "kubectl exastro-upgrade run --na",
        "kubectl exastro-upgrade run --namespace ",
    );
    tmux.tab_once(
        "kubectl exastro-upgrade run --stop b",
        "kubectl exastro-upgrade run --stop backyard ",
    );
    let screen = tmux.tab_twice("kubectl exastro-upgrade run --stop ", "backyard");
    assert!(screen.contains("all"), "{screen}");
    assert!(
        screen.contains("platform-auth and every ita-by-*"),
        "descriptions are shown:\n{screen}"
    );
}

#[test]
fn tab_offers_only_yaml_files_for_values() {
    need_tools!();
    let tmux = Tmux::bash();
    for file in ["exastro.yaml", "other.yml", "notes.txt", "run.sh"] {
        std::fs::write(tmux.work.path().join(file), "").unwrap();
    }
    std::fs::create_dir(tmux.work.path().join("configs")).unwrap();
    let screen = tmux.tab_twice("kubectl exastro-upgrade run -f ", "exastro.yaml");
    assert!(
        screen.contains("other.yml") && screen.contains("configs/"),
        "{screen}"
    );
    assert!(
        !screen.contains("notes.txt") && !screen.contains("run.sh"),
        "{screen}"
    );
    // A single match is completed in place.
    tmux.tab_once(
        "kubectl exastro-upgrade run --values ex",
        "kubectl exastro-upgrade run --values exastro.yaml ",
    );
}
