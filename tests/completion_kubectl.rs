//! Through the real kubectl (1.26+ runs `kubectl_complete-<plugin>` for `kubectl __complete <plugin> ...`):
//! plugin discovery, running the plugin, and completion, with the executables installed as
//! `cargo install` would (see `completion_install_dir`). Skipped, saying so, when there is no kubectl.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{completion_install_dir, parse_completion};

fn real_kubectl() -> Option<PathBuf> {
    match which::which("kubectl") {
        Ok(path) => Some(path),
        Err(_) => {
            eprintln!("SKIPPED: no kubectl on PATH; install kubectl 1.26+ to run the kubectl plugin completion tests");
            None
        }
    }
}

/// kubectl with PATH = the install dir only (plus kubectl itself), a clean HOME and no kubeconfig.
fn kubectl(kubectl: &Path, bin_dir: &Path, args: &[&str]) -> Output {
    let home = tempfile::tempdir().unwrap();
    let tools = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(kubectl, tools.path().join("kubectl")).unwrap();
    Command::new(kubectl)
        .args(args)
        .env(
            "PATH",
            format!("{}:{}", bin_dir.display(), tools.path().display()),
        )
        .env("HOME", home.path())
        .env_remove("KUBECONFIG")
        .current_dir(home.path())
        .output()
        .expect("run kubectl")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn plugin_list_shows_the_plugin_without_warnings() {
    let Some(kubectl_bin) = real_kubectl() else {
        return;
    };
    let bin = completion_install_dir();
    let out = kubectl(&kubectl_bin, bin.path(), &["plugin", "list"]);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(
        out.status.success(),
        "kubectl plugin list failed:\n{stdout}\n{stderr}"
    );
    assert!(
        stdout.contains(&format!("{}/kubectl-exastro_upgrade", bin.path().display())),
        "{stdout}"
    );
    assert!(
        !stderr.contains("warning") && !stdout.contains("warning"),
        "{stdout}\n{stderr}"
    );
    // The helper is not a plugin of its own (kubectl_ with an underscore is not kubectl-).
    assert!(!stdout.contains("kubectl_complete"), "{stdout}");
}

#[test]
fn kubectl_runs_the_plugin() {
    let Some(kubectl_bin) = real_kubectl() else {
        return;
    };
    let bin = completion_install_dir();
    let out = kubectl(&kubectl_bin, bin.path(), &["exastro-upgrade", "--help"]);
    assert!(out.status.success(), "{out:?}");
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("Usage: kubectl exastro-upgrade"),
        "{stdout}"
    );
    for sub in ["run", "plan", "status", "restore", "completion"] {
        assert!(stdout.contains(sub), "{sub} missing from --help:\n{stdout}");
    }
}

fn complete(
    kubectl_bin: &Path,
    bin: &Path,
    words: &[&str],
) -> (Vec<(String, Option<String>)>, u32) {
    let mut args = vec!["__complete", "exastro-upgrade"];
    args.extend_from_slice(words);
    let out = kubectl(kubectl_bin, bin, &args);
    assert!(out.status.success(), "{out:?}");
    let stderr = text(&out.stderr);
    // kubectl logs (on stderr) which helper it ran.
    assert!(
        stderr.contains("kubectl_complete-exastro_upgrade"),
        "helper not called:\n{stderr}"
    );
    parse_completion(&text(&out.stdout))
}

fn values(candidates: &[(String, Option<String>)]) -> Vec<&str> {
    candidates.iter().map(|(v, _)| v.as_str()).collect()
}

#[test]
fn kubectl_completes_subcommands_flags_and_values_through_the_helper() {
    let Some(kubectl_bin) = real_kubectl() else {
        return;
    };
    let bin = completion_install_dir();
    let bin = bin.path();

    let (subs, directive) = complete(&kubectl_bin, bin, &[""]);
    for sub in [
        "run",
        "plan",
        "values-diff",
        "status",
        "restore",
        "completion",
    ] {
        assert!(values(&subs).contains(&sub), "{sub} missing: {subs:?}");
    }
    assert_eq!(directive, 4, "no file completion for subcommands");

    let (flags, _) = complete(&kubectl_bin, bin, &["run", "--na"]);
    assert_eq!(values(&flags), ["--namespace"]);
    assert_eq!(flags[0].1.as_deref(), Some("Namespace of the release"));

    let (stops, _) = complete(&kubectl_bin, bin, &["run", "--stop", ""]);
    assert_eq!(values(&stops), ["backyard", "all"]);

    // -f wants YAML: the extensions, with Cobra's "filter file extensions" directive.
    let (files, directive) = complete(&kubectl_bin, bin, &["run", "-f", ""]);
    assert_eq!(values(&files), ["yaml", "yml"]);
    assert_eq!(directive, 8);
}

#[test]
fn without_the_helper_kubectl_falls_back_to_files() {
    let Some(kubectl_bin) = real_kubectl() else {
        return;
    };
    // Only the plugin, no helper: kubectl completes nothing plugin-specific (the default directive).
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(common::EXASTRO, dir.path().join("kubectl-exastro_upgrade"))
        .unwrap();
    let out = kubectl(
        &kubectl_bin,
        dir.path(),
        &["__complete", "exastro-upgrade", ""],
    );
    let (candidates, directive) = parse_completion(&text(&out.stdout));
    assert!(candidates.is_empty(), "{candidates:?}");
    assert_eq!(directive, 0);
}
