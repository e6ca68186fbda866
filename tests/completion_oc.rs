//! `oc_complete-3scale_upgrade` through the plugin completion protocol directly (oc runs
//! `oc_complete-<plugin>` exactly as kubectl runs `kubectl_complete-<plugin>`), then the plugin through
//! the fake oc (fixtures/fakecluster/src/oc_plugins.rs: the real oc's plugin dispatch and completion), by
//! hand and in an interactive bash with `source <(oc completion bash)`.

mod common;

use std::ffi::OsString;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::COMPLETE_THREESCALE_HELPER as HELPER;
use common::{complete_without_cluster, completion_install_dir, real_kubectl, Cluster, Completed};

const DEFAULT: u32 = 0;
const NO_FILE: u32 = 4;

fn offline(words: &[&str]) -> Completed {
    let done = complete_without_cluster(HELPER, words, "");
    assert_eq!(done.code, 0, "{done:?}");
    assert!(
        done.stderr.is_empty(),
        "the helper must not write to stderr: {done:?}"
    );
    done
}

#[test]
fn subcommands_with_descriptions() {
    let done = offline(&[""]);
    for sub in ["patch-images", "plan", "status", "completion"] {
        assert!(done.values().contains(&sub), "{sub} missing: {done:?}");
    }
    assert!(
        done.description("patch-images")
            .unwrap()
            .contains("image stream tags"),
        "{done:?}"
    );
    assert_eq!(done.directive, NO_FILE);
    assert_eq!(offline(&["pa"]).values(), ["patch-images"]);
}

#[test]
fn flags_long_and_short_with_help_text() {
    let done = offline(&["patch-images", "--comp"]);
    assert_eq!(done.values(), ["--component"]);
    assert!(done
        .description("--component")
        .unwrap()
        .starts_with("Only these components"));
    let all = offline(&["patch-images", "-"]);
    for flag in [
        "-n",
        "--namespace",
        "--context",
        "--kubeconfig",
        "--db",
        "--from",
        "--to",
        "--component",
        "--registry",
        "--timeout",
        "-y",
        "--yes",
        "--dry-run",
    ] {
        assert!(all.values().contains(&flag), "{flag} missing: {all:?}");
    }
    let status = offline(&["status", "--"]);
    assert!(
        !status.values().contains(&"--db"),
        "status has no --db: {status:?}"
    );
    // --component repeats, so it is offered again; --db does not.
    let again = offline(&["plan", "--component", "amp-system", "--db", "mysql", "--"]);
    assert!(
        again.values().contains(&"--component") && !again.values().contains(&"--db"),
        "{again:?}"
    );
}

#[test]
fn flag_values_from_clap_and_the_release_data() {
    assert_eq!(
        offline(&["plan", "--db", ""]).values(),
        ["oracle", "mysql", "postgresql"]
    );
    assert_eq!(offline(&["plan", "--db=p"]).values(), ["--db=postgresql"]);
    assert_eq!(offline(&["status", "-o", ""]).values(), ["text", "json"]);

    let components = offline(&["patch-images", "--component", ""]);
    for name in upgrade_plugins::threescale::component_names() {
        assert!(
            components.values().contains(&name),
            "{name} missing: {components:?}"
        );
    }
    assert_eq!(
        components.description("amp-system"),
        Some("AMP system 2.10")
    );
    // The guide's section names too, described by the image streams they cover.
    assert_eq!(
        components.description("system"),
        Some("image stream amp-system")
    );
    assert_eq!(
        components.description("redis"),
        Some("image stream backend-redis, system-redis")
    );
    // Comma-separated: the ones already listed stay, and are not offered again.
    let more = offline(&["plan", "--component", "amp-system,amp-"]);
    assert!(more.values().contains(&"amp-system,amp-zync"), "{more:?}");
    assert!(
        !more.values().contains(&"amp-system,amp-system"),
        "{more:?}"
    );

    let pairs = upgrade_plugins::threescale::supported_versions();
    let from = offline(&["plan", "--from", ""]);
    let to = offline(&["plan", "--to="]);
    for (f, t) in pairs {
        assert!(from.values().contains(&f), "{from:?}");
        assert!(
            to.values().contains(&format!("--to={t}").as_str()),
            "{to:?}"
        );
    }
}

#[test]
fn no_files_except_the_kubeconfig() {
    for words in [
        &["plan", ""][..],
        &["plan", "--registry", ""],
        &["plan", "--timeout", ""],
        &["status", "x", ""],
    ] {
        let done = offline(words);
        assert!(done.values().is_empty(), "{words:?}: {done:?}");
        assert_eq!(done.directive, NO_FILE, "{words:?}");
    }
    let kubeconfig = offline(&["status", "--kubeconfig", ""]);
    assert!(kubeconfig.values().is_empty());
    assert_eq!(kubeconfig.directive, DEFAULT, "file names for --kubeconfig");
}

#[test]
fn projects_and_contexts_from_the_cluster_with_the_line_s_flags() {
    let cluster = Cluster::init("3scale", &[]);
    let projects = cluster.complete(HELPER, &["patch-images", "-n", ""]);
    assert!(projects.values().contains(&"3scale"), "{projects:?}");
    assert_eq!(
        cluster
            .complete(HELPER, &["status", "--namespace=3s"])
            .values(),
        ["--namespace=3scale"]
    );
    let contexts = cluster.complete(HELPER, &["status", "--context", ""]);
    assert!(!contexts.values().is_empty(), "{contexts:?}");

    let context = contexts.values()[0].to_string();
    // another kubeconfig file with the same contexts: the real kubectl behind oc must be given it
    let other = cluster.path().join("other-kubeconfig");
    std::fs::copy(cluster.kubeconfig(), &other).unwrap();
    let other = other.to_str().unwrap().to_string();
    cluster.clear_calls();
    cluster.complete(
        HELPER,
        &[
            "plan",
            "--context",
            &context,
            "--kubeconfig",
            &other,
            "-n",
            "",
        ],
    );
    let lines: Vec<String> = cluster.calls().iter().map(|c| c.line()).collect();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].starts_with("oc get projects -o name"), "{lines:?}");
    assert!(
        lines[0].contains(&format!("--context={context}"))
            && lines[0].contains(&format!("--kubeconfig={other}")),
        "{lines:?}"
    );
}

#[test]
fn namespaces_when_projects_are_not_available() {
    let cluster = Cluster::init("3scale", &[]);
    cluster.fault(serde_json::json!({
        "tool": "oc", "args_contain": ["projects"], "action": "fail",
        "stderr": "error: the server doesn't have a resource type \"projects\""
    }));
    let done = cluster.complete(HELPER, &["status", "-n", ""]);
    assert!(done.values().contains(&"3scale"), "{done:?}");
    assert!(done.stderr.is_empty(), "{done:?}");
}

#[test]
fn no_cluster_hanging_cluster_or_no_tools_gives_only_the_directive() {
    let cluster = Cluster::init("3scale", &[]);
    let fake_tools_only = cluster.bin_dir().display().to_string();
    for path in [fake_tools_only.as_str(), ""] {
        for words in [&["status", "-n", ""][..], &["plan", "--context", ""]] {
            let done = complete_without_cluster(HELPER, words, path);
            assert_eq!(
                (done.code, done.candidates.len(), done.directive),
                (0, 0, NO_FILE),
                "{words:?}: {done:?}"
            );
            assert!(done.stderr.is_empty(), "{done:?}");
            assert!(
                done.elapsed < Duration::from_secs(1),
                "{words:?} took {:?}",
                done.elapsed
            );
        }
    }
    // A cluster that does not answer: cut off by the look-up timeout (1.5 s), and not asked again for
    // namespaces after projects timed out.
    cluster.fault(serde_json::json!({"tool": "oc", "args_contain": ["get"], "action": "hang"}));
    let done = cluster.complete(HELPER, &["status", "-n", ""]);
    assert_eq!(
        (done.code, done.candidates.len(), done.directive),
        (0, 0, NO_FILE),
        "{done:?}"
    );
    assert!(
        done.elapsed < Duration::from_millis(2500),
        "took {:?}",
        done.elapsed
    );
}

/// What a person running oc has: the installed plugins, the fake tools and the real kubectl on PATH.
fn oc_env(cluster: &Cluster, plugins: &Path) -> Vec<(&'static str, OsString)> {
    let (bin, kubectl) = (cluster.bin_dir(), real_kubectl());
    let dirs = [plugins, &bin, kubectl.parent().unwrap()].map(|d| d.display().to_string());
    vec![
        ("PATH", format!("{}:/usr/bin:/bin", dirs.join(":")).into()),
        ("HOME", cluster.home().into()),
        ("FAKE_CLUSTER_DIR", cluster.path().into()),
        ("KUBECONFIG", cluster.kubeconfig().into()),
        ("FAKE_REAL_KUBECTL", kubectl.into()),
    ]
}

/// `oc ARGS` (the fake oc): exit code, stdout, stderr.
fn oc(cluster: &Cluster, plugins: &Path, args: &[&str]) -> (i32, String, String) {
    let mut command = Command::new(cluster.bin_dir().join("oc"));
    command.args(args).envs(oc_env(cluster, plugins));
    let out = command.stdin(Stdio::null()).output().unwrap();
    let text = |b: Vec<u8>| String::from_utf8(b).unwrap();
    let code = out.status.code().unwrap_or(-1);
    (code, text(out.stdout), text(out.stderr))
}

#[test]
fn oc_runs_the_longest_plugin_name_oc_before_kubectl_with_the_rest() {
    let cluster = Cluster::init("3scale", &[]);
    let plugins = completion_install_dir();
    let p = plugins.path();
    let help = cluster.threescale_upgrade().args(&["--help"]).expect(0);
    let through_oc = oc(&cluster, p, &["3scale-upgrade", "--help"]);
    assert_eq!(through_oc, (0, help.stdout, help.stderr));
    let (code, status, _) = oc(&cluster, p, &["3scale-upgrade", "status"]);
    assert!(code == 0 && status.contains("AMP_RELEASE (ConfigMap system-environment): 2.9"));
    let usage = oc(&cluster, p, &["3scale-upgrade", "--no-such-flag"]);
    assert_eq!(usage.0, 2, "the plugin's exit code: {usage:?}");
    // kubectl's HandlePluginCommand with oc's prefixes
    let dir = tempfile::tempdir().unwrap();
    for name in ["oc-foo_bar", "kubectl-foo_bar", "kubectl-foo_bar-baz"] {
        let script = dir.path().join(name);
        std::fs::write(&script, format!("#!/bin/sh\necho {name} \"$@\"\n")).unwrap();
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let longest = oc(&cluster, dir.path(), &["foo-bar", "baz", "-x", "y"]);
    assert_eq!(longest.1, "kubectl-foo_bar-baz -x y\n", "{longest:?}");
    let own_first = oc(&cluster, dir.path(), &["foo-bar", "qux"]);
    assert_eq!(own_first.1, "oc-foo_bar qux\n", "{own_first:?}");
}

#[test]
fn no_plugin_is_oc_s_unknown_command() {
    let cluster = Cluster::init("3scale", &[]);
    let plugins = completion_install_dir();
    let error = |args: &[&str]| oc(&cluster, plugins.path(), args);
    let unknown = "error: unknown command \"nosuch-upgrade\" for \"oc\"\n";
    assert_eq!(error(&["nosuch-upgrade"]), (1, "".into(), unknown.into()));
    let typo = "error: unknown command \"creat\" for \"oc\"\n\nDid you mean this?\n\tcreate\n";
    assert_eq!(error(&["creat"]), (1, "".into(), typo.into()));
    let flag_first = "Error: flags cannot be placed before plugin name: -n\n";
    let args = ["-n", "3scale", "3scale-upgrade", "status"];
    assert_eq!(error(&args), (1, "".into(), flag_first.into()));
}

const BASH_COMPLETION: &str = "/usr/share/bash-completion/bash_completion";
const PROMPT: &str = "READY$";

/// An interactive bash in a private tmux server, oc's completion loaded; killed on drop.
struct Tmux {
    socket: PathBuf,
    plugins: tempfile::TempDir,
}

impl Tmux {
    fn start(cluster: &Cluster) -> Tmux {
        let (socket, plugins) = (cluster.path().join("tmux.sock"), completion_install_dir());
        let tmux = Tmux { socket, plugins };
        let mut shell = "env -i TERM=xterm-256color".to_string();
        for (key, value) in oc_env(cluster, tmux.plugins.path()) {
            shell += &format!(" {key}={}", value.to_string_lossy());
        }
        shell += " bash --noprofile --norc";
        let new: Vec<&str> = "-f /dev/null new-session -d -x 200 -y 50"
            .split(' ')
            .collect();
        assert!(tmux.tmux(&new).arg(shell).status().unwrap().success());
        let setup =
            format!("PS1='{PROMPT} '; source {BASH_COMPLETION}; source <(oc completion bash)");
        tmux.keys(&[&format!("{setup}; clear"), "Enter"]);
        tmux.wait_for(|s| s.trim() == PROMPT, "the prompt, oc's completion loaded");
        tmux
    }

    fn tmux(&self, args: &[&str]) -> Command {
        let mut command = Command::new("tmux");
        command.arg("-S").arg(&self.socket).args(args);
        command
    }

    fn keys(&self, keys: &[&str]) {
        let mut command = self.tmux(&["send-keys", "-t", "0"]);
        assert!(command.args(keys).status().unwrap().success());
    }

    /// Polls the screen until `ok` (20 s: the machine may be loaded).
    fn wait_for(&self, ok: impl Fn(&str) -> bool, what: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let out = self.tmux(&["capture-pane", "-p", "-t", "0"]).output();
            let screen = String::from_utf8_lossy(&out.unwrap().stdout).into_owned();
            if ok(&screen) {
                return screen;
            }
            assert!(Instant::now() < deadline, "no {what} in 20 s:\n{screen}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// On a clear screen, types `text`, `tabs` TABs and a marker `X` (bash reads them in order, each
    /// after the completion before it): the screen must show `expected`.
    fn type_tabs(&self, text: &str, tabs: usize, expected: &str) -> String {
        self.keys(&["C-e", "C-u", "clear", "Enter"]);
        self.wait_for(|s| s.trim() == PROMPT, "clear screen");
        self.keys(&["-l", text]);
        (0..tabs).for_each(|_| self.keys(&["Tab"]));
        self.keys(&["-l", "X"]);
        let what = format!("{expected:?} after `{text}`+TAB");
        self.wait_for(|s| s.contains(expected), &what)
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.tmux(&["kill-server"]).status();
    }
}

#[test]
fn bash_completes_the_plugin_through_oc() {
    if which::which("tmux").is_err() || !Path::new(BASH_COMPLETION).exists() {
        eprintln!("SKIPPED: tmux or bash-completion not installed");
        return;
    }
    let cluster = Cluster::init("3scale", &[]);
    let tmux = Tmux::start(&cluster);
    tmux.type_tabs("oc 3sc", 1, &format!("{PROMPT} oc 3scale-upgrade X"));
    let subs = tmux.type_tabs("oc 3scale-upgrade ", 2, "patch-images");
    assert!(subs.contains("plan") && subs.contains("status"), "{subs}");
    tmux.type_tabs("oc 3scale-upgrade pa", 1, "3scale-upgrade patch-images X");
    let patch = "oc 3scale-upgrade patch-images";
    let flags = tmux.type_tabs(&format!("{patch} --d"), 2, "--db");
    assert!(flags.contains("--dry-run") && flags.contains("system database"));
    tmux.type_tabs(&format!("{patch} --db p"), 1, "--db postgresql X");
    // the helper asks the cluster through the fake oc and the real kubectl
    tmux.type_tabs("oc 3scale-upgrade status -n 3s", 1, "status -n 3scale X");
}
