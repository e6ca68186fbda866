//! Completion as a person gets it: an interactive shell in tmux with kubectl's own completion loaded
//! (bash also with bash-completion), pressing TAB after `kubectl exastro-upgrade ...` and reading the
//! screen; fish through its `complete -C`. Each test is skipped, saying so, when tmux, the shell,
//! bash-completion or kubectl is missing (.ci/run installs them).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use common::completion_install_dir;

const BASH_COMPLETION: &str = "/usr/share/bash-completion/bash_completion";
const PROMPT: &str = "READY$";

#[derive(Clone, Copy, PartialEq)]
enum Shell {
    Bash,
    Zsh,
}

fn missing_tools(shell: &str) -> Option<String> {
    let mut missing = Vec::new();
    for tool in ["tmux", shell, "kubectl"] {
        if which::which(tool).is_err() {
            missing.push(tool.to_string());
        }
    }
    if shell == "bash" && !Path::new(BASH_COMPLETION).exists() {
        missing.push("bash-completion".into());
    }
    (!missing.is_empty()).then(|| missing.join(", "))
}

macro_rules! need_tools {
    ($shell:expr) => {
        if let Some(missing) = missing_tools($shell) {
            eprintln!("SKIPPED: {missing} not installed (apt-get install tmux bash-completion zsh fish; kubectl 1.26+)");
            return;
        }
    };
}

/// PATH for the shells: the installed plugin and helpers, kubectl, the system.
fn shell_path(bin: &Path) -> String {
    let kubectl = which::which("kubectl").unwrap();
    format!(
        "{}:{}:/usr/bin:/bin",
        bin.display(),
        kubectl.parent().unwrap().display()
    )
}

/// A private tmux server (its own socket, in a temp dir) running one shell; killed on drop.
struct Tmux {
    socket: PathBuf,
    home: tempfile::TempDir,
    _bin: tempfile::TempDir,
    work: tempfile::TempDir,
}

impl Tmux {
    /// The shell with a clean HOME and PATH, no rc files, and kubectl's completion loaded.
    fn start(shell: Shell) -> Tmux {
        let home = tempfile::tempdir().unwrap();
        let tmux = Tmux {
            socket: home.path().join("tmux.sock"),
            home,
            _bin: completion_install_dir(),
            work: tempfile::tempdir().unwrap(),
        };
        let (program, setup) = match shell {
            Shell::Bash => (
                "bash --noprofile --norc",
                format!("source {BASH_COMPLETION}; source <(kubectl completion bash)"),
            ),
            Shell::Zsh => (
                "zsh -f",
                "autoload -Uz compinit && compinit -u; source <(kubectl completion zsh)"
                    .to_string(),
            ),
        };
        let command = format!(
            "env -i HOME={} PATH={} TERM=xterm-256color LANG=C.UTF-8 {program}",
            tmux.home.path().display(),
            shell_path(tmux._bin.path())
        );
        let status = tmux
            .tmux(&[
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
            .arg(command)
            .status()
            .unwrap();
        assert!(status.success(), "tmux new-session failed");
        tmux.keys(&[&format!("PS1='{PROMPT} '; {setup}; clear"), "Enter"]);
        tmux.wait_for(
            |screen| screen.trim() == PROMPT,
            "the prompt after loading completion",
        );
        tmux
    }

    fn tmux(&self, args: &[&str]) -> Command {
        let mut command = Command::new("tmux");
        command.arg("-S").arg(&self.socket).args(args);
        command
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "0"];
        args.extend_from_slice(keys);
        assert!(self.tmux(&args).status().unwrap().success());
    }

    fn screen(&self) -> String {
        let out = self
            .tmux(&["capture-pane", "-p", "-t", "0"])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Polls the screen until `ok` (at most 5 s), then returns it; fails showing the screen otherwise.
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
        self.wait_for(|s| s.trim() == PROMPT, "a clear screen");
    }

    /// Types `text`, presses TAB once, then types a marker `X`: the line must read `lineX` (tmux trims
    /// trailing blanks from the screen; the marker shows the space the completion added).
    fn tab_once(&self, text: &str, line: &str) {
        self.fresh_line();
        self.keys(&["-l", text]);
        self.keys(&["Tab"]);
        let typed = format!("{PROMPT} {text}");
        let started = Instant::now();
        self.wait_for(
            |s| s.trim() != typed.trim() || started.elapsed() > Duration::from_secs(2),
            "the completion",
        );
        self.keys(&["-l", "X"]);
        let expected = format!("{PROMPT} {line}X");
        self.wait_for(
            |s| s.lines().any(|l| l.trim_end() == expected),
            &format!("{expected:?} after `{text}` + TAB"),
        );
    }

    /// Types `text`, presses TAB twice (bash lists the candidates on the second; zsh on the first and
    /// then cycles, which does not change the list), returns the screen once it shows `expected`.
    fn tab_list(&self, shell: Shell, text: &str, expected: &str) -> String {
        self.fresh_line();
        self.keys(&["-l", text]);
        self.keys(&["Tab"]);
        if shell == Shell::Bash {
            std::thread::sleep(Duration::from_millis(300));
            self.keys(&["Tab"]);
        }
        self.wait_for(
            |s| s.contains(expected),
            &format!("{expected:?} after `{text}` + TAB"),
        )
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.tmux(&["kill-server"]).status();
    }
}

fn subcommand_is_completed(shell: Shell) {
    let tmux = Tmux::start(shell);
    tmux.tab_once("kubectl exastro-upgrade ru", "kubectl exastro-upgrade run ");
    let screen = tmux.tab_list(shell, "kubectl exastro-upgrade ", "values-diff");
    assert!(
        screen.contains("restore") && screen.contains("status"),
        "{screen}"
    );
}

fn flags_and_values_are_completed(shell: Shell) {
    let tmux = Tmux::start(shell);
    tmux.tab_once(
        "kubectl exastro-upgrade run --na",
        "kubectl exastro-upgrade run --namespace ",
    );
    tmux.tab_once(
        "kubectl exastro-upgrade run --stop b",
        "kubectl exastro-upgrade run --stop backyard ",
    );
    let screen = tmux.tab_list(shell, "kubectl exastro-upgrade run --stop ", "backyard");
    assert!(screen.contains("all"), "{screen}");
    assert!(
        screen.contains("platform-auth and every ita-by-*"),
        "descriptions are shown:\n{screen}"
    );
}

fn only_yaml_files_for_values(shell: Shell) {
    let tmux = Tmux::start(shell);
    for file in ["exastro.yaml", "other.yml", "notes.txt", "run.sh"] {
        std::fs::write(tmux.work.path().join(file), "").unwrap();
    }
    std::fs::create_dir(tmux.work.path().join("configs")).unwrap();
    let screen = tmux.tab_list(shell, "kubectl exastro-upgrade run -f ", "exastro.yaml");
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

#[test]
fn bash_tab_completes_a_subcommand() {
    need_tools!("bash");
    subcommand_is_completed(Shell::Bash);
}

#[test]
fn bash_tab_completes_flags_and_their_values() {
    need_tools!("bash");
    flags_and_values_are_completed(Shell::Bash);
}

#[test]
fn bash_tab_offers_only_yaml_files_for_values() {
    need_tools!("bash");
    only_yaml_files_for_values(Shell::Bash);
}

#[test]
fn zsh_tab_completes_a_subcommand() {
    need_tools!("zsh");
    subcommand_is_completed(Shell::Zsh);
}

#[test]
fn zsh_tab_completes_flags_and_their_values() {
    need_tools!("zsh");
    flags_and_values_are_completed(Shell::Zsh);
}

#[test]
fn zsh_tab_offers_only_yaml_files_for_values() {
    need_tools!("zsh");
    only_yaml_files_for_values(Shell::Zsh);
}

/// fish answers `complete -C LINE` without a terminal. (Cobra's fish script does not filter by file
/// extension, so `-f` is not checked here.)
#[test]
fn fish_completes_subcommands_and_values() {
    if which::which("fish").is_err() || which::which("kubectl").is_err() {
        eprintln!("SKIPPED: fish or kubectl not installed (apt-get install fish; kubectl 1.26+)");
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let bin = completion_install_dir();
    let fish = |line: &str| {
        let out = Command::new("fish")
            .arg("--no-config")
            .arg("-c")
            .arg(format!(
                "kubectl completion fish | source; complete -C '{line}'"
            ))
            .env_clear()
            .env("HOME", home.path())
            .env("PATH", shell_path(bin.path()))
            .current_dir(home.path())
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let subs = fish("kubectl exastro-upgrade ru");
    assert!(
        subs.starts_with("run\tRun the whole upgrade runbook"),
        "{subs}"
    );
    let stops = fish("kubectl exastro-upgrade run --stop ");
    assert!(
        stops.contains("backyard\t") && stops.contains("all\t"),
        "{stops}"
    );
    let flags = fish("kubectl exastro-upgrade run --na");
    assert!(
        flags.starts_with("--namespace\tNamespace of the release"),
        "{flags}"
    );
}
