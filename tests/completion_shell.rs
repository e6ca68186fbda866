//! Completion as a person gets it: an interactive shell in tmux with kubectl's own completion loaded
//! (bash also with bash-completion), pressing TAB after `kubectl exastro-upgrade ...` and reading the
//! screen; fish through its `complete -C`. Each test is skipped, saying so, when tmux, the shell,
//! bash-completion or kubectl is missing (.ci/run installs them).
//!
//! The static scripts in completions/ (for `kubectl-exastro_upgrade ...` typed directly) are driven the
//! same way: bash by calling the registered function with COMP_WORDS/COMP_CWORD/COMP_LINE/COMP_POINT set
//! (and in tmux), zsh in tmux with the `_NAME` files on fpath, fish through `complete -C`.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use common::completion_install_dir;

const BASH_COMPLETION: &str = "/usr/share/bash-completion/bash_completion";
const PROMPT: &str = "READY$";
/// How long the screen may take to show what a test waits for (the machine may be busy).
const DEADLINE: Duration = Duration::from_secs(20);

#[derive(Clone, Copy, PartialEq)]
enum Shell {
    Bash,
    Zsh,
}

fn missing_tools(shell: &str) -> Option<String> {
    if shell == "bash" {
        missing(&["tmux", "bash", "bash-completion", "kubectl"])
    } else {
        missing(&["tmux", shell, "kubectl"])
    }
}

/// The tools (and, for `bash-completion`, the package) of `needed` that are not installed.
fn missing(needed: &[&str]) -> Option<String> {
    let mut missing = Vec::new();
    for &tool in needed {
        let present = match tool {
            "bash-completion" => Path::new(BASH_COMPLETION).exists(),
            _ => which::which(tool).is_ok(),
        };
        if !present {
            missing.push(tool.to_string());
        }
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

/// PATH for the shells: the installed plugin and helpers, kubectl (when installed), the system.
fn shell_path(bin: &Path) -> String {
    match which::which("kubectl") {
        Ok(kubectl) => format!(
            "{}:{}:/usr/bin:/bin",
            bin.display(),
            kubectl.parent().unwrap().display()
        ),
        Err(_) => format!("{}:/usr/bin:/bin", bin.display()),
    }
}

/// A private tmux server (its own socket, in a temp dir) running one shell; killed on drop.
struct Tmux {
    socket: PathBuf,
    home: tempfile::TempDir,
    _bin: tempfile::TempDir,
    work: tempfile::TempDir,
    /// How many fresh lines were asked for: each one's marker is new, so a stale screen never passes.
    fresh: std::cell::Cell<u32>,
}

impl Tmux {
    /// The shell with a clean HOME and PATH, no rc files, and kubectl's completion loaded.
    fn start(shell: Shell) -> Tmux {
        Tmux::start_with(
            shell,
            match shell {
                Shell::Bash => {
                    format!("source {BASH_COMPLETION}; source <(kubectl completion bash)")
                }
                Shell::Zsh => {
                    "autoload -Uz compinit && compinit -u; source <(kubectl completion zsh)".into()
                }
            },
        )
    }

    /// The shell with a clean HOME and PATH and no rc files, after running `setup`.
    fn start_with(shell: Shell, setup: String) -> Tmux {
        let home = tempfile::tempdir().unwrap();
        let tmux = Tmux {
            socket: home.path().join("tmux.sock"),
            home,
            _bin: completion_install_dir(),
            work: tempfile::tempdir().unwrap(),
            fresh: std::cell::Cell::new(0),
        };
        let program = match shell {
            Shell::Bash => "bash --noprofile --norc",
            Shell::Zsh => "zsh -f",
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

    /// Polls the screen until `ok` (at most [`DEADLINE`]), then returns it; fails showing the screen
    /// otherwise.
    fn wait_for(&self, ok: impl Fn(&str) -> bool, what: &str) -> String {
        let deadline = Instant::now() + DEADLINE;
        loop {
            let screen = self.screen();
            if ok(&screen) {
                return screen;
            }
            if Instant::now() > deadline {
                panic!("waited {DEADLINE:?} for {what}; the screen shows:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// A cleared screen and a prompt that waits for input. The screen must show this call's own marker
    /// above the prompt: the previous prompt looks the same, and text typed before the shell is back
    /// would be echoed in front of the next prompt.
    fn fresh_line(&self) {
        let n = self.fresh.get() + 1;
        self.fresh.set(n);
        let marker = format!("FRESH-{n}");
        self.keys(&["C-e", "C-u"]);
        self.keys(&["-l", &format!("clear; echo {marker}")]);
        self.keys(&["Enter"]);
        self.wait_for(
            |s| {
                let lines: Vec<&str> = s
                    .lines()
                    .map(str::trim_end)
                    .filter(|l| !l.is_empty())
                    .collect();
                lines == [marker.as_str(), PROMPT]
            },
            &format!("a fresh prompt under {marker}"),
        );
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
            |s| {
                !s.lines().any(|l| l.trim_end() == typed.trim_end())
                    || started.elapsed() > Duration::from_secs(2)
            },
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
        self.press_tab_to_list(shell, text);
        self.wait_for(
            |s| s.contains(expected),
            &format!("{expected:?} after `{text}` + TAB"),
        )
    }

    /// Like [`Tmux::tab_list`], waiting until every one of `words` is a word on the screen.
    fn tab_list_words(&self, shell: Shell, text: &str, words: &[String]) -> String {
        self.press_tab_to_list(shell, text);
        self.wait_for(
            |s| {
                words
                    .iter()
                    .all(|w| s.split_whitespace().any(|on_screen| on_screen == w))
            },
            &format!("the words {words:?} after `{text}` + TAB"),
        )
    }

    fn press_tab_to_list(&self, shell: Shell, text: &str) {
        self.fresh_line();
        self.keys(&["-l", text]);
        self.keys(&["Tab"]);
        if shell == Shell::Bash {
            std::thread::sleep(Duration::from_millis(300));
            self.keys(&["Tab"]);
        }
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

// The static scripts in completions/, for the executables typed directly (`kubectl-exastro_upgrade run
// --st<TAB>`). Every case is after a subcommand or at the top: clap_complete's bash script once completed
// nothing after a subcommand of a hyphenated bin name (clap-rs/clap#6421), while only loading fine.

fn completions_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("completions")
}

/// What completing one executable's static script must offer, read from its clap definition.
struct Expected {
    bin: &'static str,
    subcommand: &'static str,
    /// A prefix of some options of `subcommand` (`--st`) ...
    typed: &'static str,
    /// ... and the options it completes to.
    options: Vec<String>,
    /// An option with possible values ...
    option: &'static str,
    /// ... and those values.
    values: Vec<String>,
    /// The subcommands at the top (clap's own `help` included).
    subcommands: Vec<String>,
}

fn expected() -> Vec<Expected> {
    [
        ("kubectl-exastro_upgrade", "run", "--st", "--stop"),
        ("oc-3scale_upgrade", "patch-images", "--d", "--db"),
    ]
    .into_iter()
    .map(|(bin, subcommand, typed, option)| {
        let plugin = upgrade_plugins::plugins::all()
            .into_iter()
            .find(|p| p.name == bin)
            .unwrap_or_else(|| panic!("no plugin {bin}"));
        let mut command = (plugin.command)();
        command.build();
        let sub = command
            .find_subcommand(subcommand)
            .unwrap_or_else(|| panic!("{bin} has no subcommand {subcommand}"));
        let longs: Vec<String> = sub
            .get_arguments()
            .filter(|a| !a.is_hide_set())
            .flat_map(|a| a.get_long_and_visible_aliases().unwrap_or_default())
            .map(|long| format!("--{long}"))
            .collect();
        let options: Vec<String> = longs
            .iter()
            .filter(|long| long.starts_with(typed))
            .cloned()
            .collect();
        let values: Vec<String> = sub
            .get_arguments()
            .find(|a| a.get_long() == option.strip_prefix("--"))
            .unwrap_or_else(|| panic!("{bin} {subcommand} has no {option}"))
            .get_possible_values()
            .iter()
            .filter(|v| !v.is_hide_set())
            .map(|v| v.get_name().to_string())
            .collect();
        let subcommands: Vec<String> = command
            .get_subcommands()
            .filter(|s| !s.is_hide_set())
            .map(|s| s.get_name().to_string())
            .collect();
        assert!(options.contains(&option.to_string()), "{options:?}");
        assert!(!values.is_empty(), "{bin} {subcommand} {option}: no values");
        assert!(subcommands.len() > 2, "{subcommands:?}");
        Expected {
            bin,
            subcommand,
            typed,
            options,
            option,
            values,
            subcommands,
        }
    })
    .collect()
}

fn sorted(mut words: Vec<String>) -> Vec<String> {
    words.sort();
    words.dedup();
    words
}

/// Sources bash-completion (when installed, as a user's shell does) and the script, finds the function
/// `complete -p` registered for the command, calls it as readline does for LINE with the cursor at its
/// end, and prints COMPREPLY one per line.
const BASH_DRIVER: &str = r#"
script=$1 line=$2
if [[ -f /usr/share/bash-completion/bash_completion ]]; then
    source /usr/share/bash-completion/bash_completion
fi
source "$script" || exit 91
read -ra COMP_WORDS <<<"$line"
[[ $line == *' ' ]] && COMP_WORDS+=('')
COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
COMP_LINE=$line
COMP_POINT=${#line}
spec=$(complete -p "${COMP_WORDS[0]}") || exit 92
[[ $spec =~ -F\ ([^ ]+) ]] || exit 93
"${BASH_REMATCH[1]}" "${COMP_WORDS[0]}" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
printf '%s\n' "${COMPREPLY[@]}"
"#;

#[test]
fn static_bash_script_completes_after_a_subcommand() {
    if let Some(missing) = missing(&["bash"]) {
        eprintln!("SKIPPED: {missing} not installed (apt-get install bash bash-completion)");
        return;
    }
    let bin = completion_install_dir();
    let cwd = tempfile::tempdir().unwrap();
    for e in expected() {
        let script = completions_dir().join(format!("{}.bash", e.bin));
        let complete = |line: &str| {
            let out = Command::new("bash")
                .args(["--noprofile", "--norc", "-c", BASH_DRIVER, "bash"])
                .arg(&script)
                .arg(line)
                .env_clear()
                .env("HOME", cwd.path())
                .env("PATH", shell_path(bin.path()))
                .current_dir(cwd.path())
                .output()
                .unwrap();
            assert!(out.status.success(), "completing `{line}`: {out:?}");
            let words = String::from_utf8_lossy(&out.stdout)
                .lines()
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect();
            sorted(words)
        };
        let line = format!("{} {} {}", e.bin, e.subcommand, e.typed);
        assert_eq!(complete(&line), sorted(e.options.clone()), "`{line}`");
        let line = format!("{} {} {} ", e.bin, e.subcommand, e.option);
        assert_eq!(complete(&line), sorted(e.values.clone()), "`{line}`");
        let line = format!("{} ", e.bin);
        let top: Vec<String> = complete(&line)
            .into_iter()
            .filter(|w| !w.starts_with('-'))
            .collect();
        assert_eq!(top, sorted(e.subcommands.clone()), "`{line}`");
    }
}

/// Types each case in the shell in tmux and presses TAB: one option completes in place, several (and
/// values, subcommands) are listed.
fn static_script_completes_in_tmux(shell: Shell, tmux: &Tmux) {
    for e in expected() {
        let text = format!("{} {} {}", e.bin, e.subcommand, e.typed);
        if let [option] = &e.options[..] {
            // bash adds a space, zsh an `=` (the value may follow either way).
            let done = format!("{PROMPT} {} {} {option}", e.bin, e.subcommand);
            tmux.fresh_line();
            tmux.keys(&["-l", &text]);
            tmux.keys(&["Tab"]);
            tmux.wait_for(
                |s| s.lines().any(|l| l.trim_end().starts_with(&done)),
                &format!("{done:?} after `{text}` + TAB"),
            );
        } else {
            tmux.tab_list_words(shell, &text, &e.options);
        }
        let text = format!("{} {} {} ", e.bin, e.subcommand, e.option);
        tmux.tab_list_words(shell, &text, &e.values);
        tmux.tab_list_words(shell, &format!("{} ", e.bin), &e.subcommands);
    }
}

#[test]
fn static_bash_script_tab_completes_after_a_subcommand() {
    if let Some(missing) = missing(&["tmux", "bash", "bash-completion"]) {
        eprintln!("SKIPPED: {missing} not installed (apt-get install tmux bash-completion)");
        return;
    }
    let dir = completions_dir();
    let tmux = Tmux::start_with(
        Shell::Bash,
        format!(
            "source {BASH_COMPLETION}; source '{}'; source '{}'",
            dir.join("kubectl-exastro_upgrade.bash").display(),
            dir.join("oc-3scale_upgrade.bash").display()
        ),
    );
    static_script_completes_in_tmux(Shell::Bash, &tmux);
}

#[test]
fn static_zsh_script_tab_completes_after_a_subcommand() {
    if let Some(missing) = missing(&["tmux", "zsh"]) {
        eprintln!("SKIPPED: {missing} not installed (apt-get install tmux zsh)");
        return;
    }
    // The `_NAME` files alone on fpath, as installed (completions/ also holds `_NAME.ps1`).
    let fpath = tempfile::tempdir().unwrap();
    for e in expected() {
        let file = format!("_{}", e.bin);
        std::fs::copy(completions_dir().join(&file), fpath.path().join(&file)).unwrap();
    }
    let tmux = Tmux::start_with(
        Shell::Zsh,
        format!(
            "fpath=('{}' $fpath); autoload -Uz compinit && compinit -u",
            fpath.path().display()
        ),
    );
    static_script_completes_in_tmux(Shell::Zsh, &tmux);
}

#[test]
fn static_fish_script_completes_after_a_subcommand() {
    if which::which("fish").is_err() {
        eprintln!("SKIPPED: fish not installed (apt-get install fish)");
        return;
    }
    let bin = completion_install_dir();
    let home = tempfile::tempdir().unwrap();
    for e in expected() {
        let script = completions_dir().join(format!("{}.fish", e.bin));
        let complete = |line: &str| {
            let out = Command::new("fish")
                .args([
                    "--no-config",
                    "-c",
                    "source $argv[1]; and complete -C $argv[2]",
                ])
                .arg(&script)
                .arg(line)
                .env_clear()
                .env("HOME", home.path())
                .env("PATH", shell_path(bin.path()))
                .current_dir(home.path())
                .output()
                .unwrap();
            assert!(out.status.success(), "completing `{line}`: {out:?}");
            let words = String::from_utf8_lossy(&out.stdout)
                .lines()
                .map(|l| l.split('\t').next().unwrap_or_default().to_string())
                .filter(|w| !w.is_empty())
                .collect();
            sorted(words)
        };
        let line = format!("{} {} {}", e.bin, e.subcommand, e.typed);
        assert_eq!(complete(&line), sorted(e.options.clone()), "`{line}`");
        let line = format!("{} {} {} ", e.bin, e.subcommand, e.option);
        assert_eq!(complete(&line), sorted(e.values.clone()), "`{line}`");
        let line = format!("{} ", e.bin);
        assert_eq!(complete(&line), sorted(e.subcommands.clone()), "`{line}`");
    }
}
