//! The README's demo as a newcomer uses it: `fixtures/demo.sh --keep`, then the printed lines pasted into a
//! shell (the first command to try works), then the printed stop command (the server gone, nothing left).
//! The demo runs the test's own binaries (DEMO_BIN) and writes nothing outside its temp directory.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

fn bin_dir() -> PathBuf {
    common::fakecluster_bin().parent().unwrap().to_path_buf()
}

struct Kept {
    output: String,
    paste: String,
    first: String,
    stop: String,
}

/// Runs the demo with `--keep` (DEMO=`which`) in its own TMPDIR and HOME; returns the printed lines.
fn demo_keep(which: &str, tmp: &Path, home: &Path) -> Kept {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo.sh");
    let out = Command::new("bash")
        .arg(&script)
        .arg("--keep")
        .env("DEMO", which)
        .env("DEMO_BIN", bin_dir())
        .env("TMPDIR", tmp)
        .env("HOME", home)
        .env_remove("XDG_STATE_HOME")
        .output()
        .unwrap();
    let output = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "the demo failed:\n{output}");
    let lines: Vec<&str> = output.lines().collect();
    let at = |prefix: &str| {
        let i = lines
            .iter()
            .position(|l| l.starts_with(prefix))
            .unwrap_or_else(|| panic!("no line {prefix:?}:\n{output}"));
        lines[i + 1].trim().to_string()
    };
    Kept {
        paste: at("The demo cluster keeps running. To explore it, paste:"),
        first: lines[lines
            .iter()
            .position(|l| l.trim_start().starts_with("export KUBECONFIG="))
            .unwrap()
            + 1]
        .trim()
        .to_string(),
        stop: at("When done, stop it with:"),
        output,
    }
}

/// The pasted lines and a command, in a fresh bash (as a second terminal would run them).
fn pasted(kept: &Kept, command: &str) -> std::process::Output {
    Command::new("bash")
        .arg("--norc")
        .arg("-c")
        .arg(format!("{}\n{command}", kept.paste))
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap())
        .output()
        .unwrap()
}

fn explore_then_stop(which: &str, expect_in_status: &str) {
    let tmp = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    let kept = demo_keep(which, tmp.path(), home.path());
    let status = pasted(&kept, &kept.first);
    let stdout = String::from_utf8_lossy(&status.stdout);
    assert!(
        status.status.success() && stdout.contains(expect_in_status),
        "`{}` as printed:\n{stdout}{}\n--- demo:\n{}",
        kept.first,
        String::from_utf8_lossy(&status.stderr),
        kept.output
    );
    let stopped = pasted(&kept, &kept.stop);
    assert!(stopped.status.success(), "{stopped:?}");
    let left: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
    assert!(left.is_empty(), "the stop command leaves nothing: {left:?}");
    let home_left: Vec<_> = std::fs::read_dir(home.path()).unwrap().collect();
    assert!(
        home_left.is_empty(),
        "the demo wrote into HOME: {home_left:?}"
    );
}

#[test]
fn the_exastro_demo_kept_running_is_explored_with_the_printed_lines() {
    explore_then_stop("exastro", "deployed (revision 2), chart exastro-1.0.1");
}

#[test]
fn the_3scale_demo_on_oracle_kept_running_is_explored_with_the_printed_lines() {
    explore_then_stop("3scale", "2.10-oracle");
}

#[test]
fn the_exastro_2_7_demo_upgrades_through_maintenance_mode_and_status_shows_it_released() {
    explore_then_stop(
        "exastro-2.7",
        "maintenance mode: backyard execution stop off, data update stop off",
    );
}
