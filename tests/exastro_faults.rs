//! Crash safety of `kubectl exastro-upgrade run`: a fault-injection matrix over every step
//! (command fails / hangs past the timeout / prints garbage / SIGINT / SIGKILL then `restore` from a fresh
//! HOME), plus concurrent runs, a hand-changed object, transient errors and the second Ctrl-C.
//! Each case asserts the exit code, the final replica counts and the lock (journal ConfigMap) state.

mod common;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use common::runs::{
    finish_held, restore_elsewhere, signal, slow_cluster_at, wait_for_call, JOURNAL, NS,
};
use common::Cluster;
use serde_json::json;

/// The command each step of `run` starts with, as the fault matcher sees it.
fn step_command(step: &str) -> (&'static str, Vec<&'static str>, Option<u64>) {
    match step {
        "preflight" => ("helm", vec!["list"], None),
        "drift" => ("helm", vec!["show", "values"], None),
        "record" => (
            "kubectl",
            vec!["deployments,statefulsets,pods,jobs,cronjobs"],
            None,
        ),
        "stop" => ("kubectl", vec!["scale"], None),
        // the upgrade itself, not the record step's `helm upgrade --dry-run=server` rendering
        "upgrade" => ("helm", vec!["upgrade", "--timeout"], None),
        "migrations" => ("kubectl", vec!["pods,jobs"], None),
        // The 4th scale: after stop platform-auth, stop the rest, and hold them after helm.
        "restore" => ("kubectl", vec!["scale"], Some(3)),
        "verify" => ("kubectl", vec!["deployments,statefulsets,pods"], None),
        other => panic!("unknown step {other}"),
    }
}

struct Expect {
    code: i32,
    /// Whether the counts end as recorded (false: exit 3, the journal is kept for `restore`).
    restored: bool,
}

/// The matrix: steps × {fail, hang, garbage} → outcome. (README.md shows the same table.)
fn expected(step: &str, fault: &str) -> Expect {
    let before_changes = matches!(step, "preflight" | "drift" | "record");
    match (step, fault) {
        _ if before_changes => Expect {
            code: 2,
            restored: true,
        },
        // The fake's "garbage" prints junk, exits 0 and does nothing: a stop that did not stop is caught by
        // the wait for the pods, a put-back that did not apply by reading the counts back.
        // The recovery needs the same command that keeps failing.
        ("restore", _) => Expect {
            code: 3,
            restored: false,
        },
        _ => Expect {
            code: 1,
            restored: true,
        },
    }
}

/// A failing kubectl step as the API server answers it (403 Forbidden to the step's requests, picked by
/// the `Kubectl-Command` header kubectl sends). `verify` has no request of its own to pick (its listing
/// is the record's and the read-back's too): it keeps the process-level fault.
fn api_failure(step: &str) -> Option<serde_json::Value> {
    let forbidden = json!({"status": 403, "message": "injected failure for this test"});
    let mut fault = match step {
        // the record step is the first to list statefulsets
        "record" => {
            json!({"command": "kubectl get", "method": "GET", "path_contains": "/statefulsets"})
        }
        // the first scale request: platform-auth
        "stop" => {
            json!({"command": "kubectl scale", "method": "PATCH", "path_contains": "/scale", "times": 1})
        }
        // every jobs listing after the record's: the migration waits
        "migrations" => {
            json!({"command": "kubectl get", "method": "GET", "path_contains": "/jobs", "after": 1})
        }
        // the 4th `kubectl scale` on: after stop platform-auth, stop the rest, hold them after helm
        "restore" => {
            json!({"command": "kubectl scale", "method": "PATCH", "path_contains": "/scale",
            "per_invocation": true, "after": 3})
        }
        _ => return None,
    };
    fault["status"] = forbidden["status"].clone();
    fault["message"] = forbidden["message"].clone();
    Some(fault)
}

fn run_fault_case(step: &str, fault: &str) {
    let cluster = Cluster::exastro(&["--replicas-mix"]);
    let before = cluster.replicas(NS);
    let (tool, args, after) = step_command(step);
    if let Some(api_fault) = api_failure(step).filter(|_| fault == "fail") {
        cluster.api_fault(api_fault);
        return check_fault_case(&cluster, step, fault, &before);
    }
    let mut spec = json!({"tool": tool, "args_contain": args, "action": fault});
    if fault == "fail" {
        // Not a transient error: no retry hides it.
        spec["stderr"] = json!("Error from server (Forbidden): injected failure for this test");
    }
    if let Some(after) = after {
        spec["after"] = json!(after);
    }
    // Stop faults strike once, so the recovery's own scale calls can succeed.
    if step == "stop" {
        spec["times"] = json!(1);
    }
    cluster.fault(spec);
    check_fault_case(&cluster, step, fault, &before);
}

fn check_fault_case(cluster: &Cluster, step: &str, fault: &str, before: &BTreeMap<String, i64>) {
    let before = before.clone();
    cluster.clear_calls();
    let started = Instant::now();
    let out = cluster
        .exastro_upgrade()
        .args(&["run", "--yes", "--timeout", "3s"])
        .run();
    let want = expected(step, fault);
    assert_eq!(out.code, want.code, "{step} × {fault}:\n{out:?}");
    // Bounded: a hang ends by the timeout (3 s per call/wait, plus helm's backstop), never indefinitely.
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "{step} × {fault} took {:?}",
        started.elapsed()
    );
    if want.code == 2 {
        assert!(
            cluster.mutating_calls().is_empty(),
            "{step} × {fault}: {:#?}",
            cluster.mutating_calls()
        );
        assert!(
            out.stderr.contains("Nothing in the cluster was changed")
                || out.stderr.contains("nothing was changed"),
            "{out:?}"
        );
    }
    if want.restored {
        assert_eq!(
            cluster.replicas(NS),
            before,
            "{step} × {fault}: counts must be back\n{out:?}"
        );
        assert!(
            !cluster.configmap_exists(NS, JOURNAL),
            "{step} × {fault}: lock must be released"
        );
    } else {
        // Exit 3: the message names the exact command, the journal is kept, and that command works.
        assert!(
            out.stderr
                .contains("kubectl exastro-upgrade restore -n exastro --yes"),
            "{out:?}"
        );
        assert!(
            cluster.configmap_exists(NS, JOURNAL),
            "journal kept for restore"
        );
        clear_faults(cluster);
        let out = restore_elsewhere(cluster).expect(0);
        assert!(out.stdout.contains("the lock is released"), "{out:?}");
        assert_eq!(cluster.replicas(NS), before);
        assert!(!cluster.configmap_exists(NS, JOURNAL));
    }
}

fn clear_faults(cluster: &Cluster) {
    cluster.set_config(|c| {
        c["faults"] = json!([]);
        c["api_faults"] = json!([]);
    });
}

macro_rules! matrix {
    ($($name:ident: $step:literal x $fault:literal;)*) => {
        $( #[test] fn $name() { run_fault_case($step, $fault); } )*
    };
}

matrix! {
    preflight_fails: "preflight" x "fail";
    preflight_hangs: "preflight" x "hang";
    preflight_garbage: "preflight" x "garbage";
    drift_fails: "drift" x "fail";
    drift_hangs: "drift" x "hang";
    drift_garbage: "drift" x "garbage";
    record_fails: "record" x "fail";
    record_hangs: "record" x "hang";
    record_garbage: "record" x "garbage";
    stop_fails: "stop" x "fail";
    stop_hangs: "stop" x "hang";
    stop_garbage: "stop" x "garbage";
    upgrade_fails: "upgrade" x "fail";
    upgrade_hangs: "upgrade" x "hang";
    upgrade_garbage: "upgrade" x "garbage";
    migrations_fail: "migrations" x "fail";
    migrations_hang: "migrations" x "hang";
    migrations_garbage: "migrations" x "garbage";
    restore_fails: "restore" x "fail";
    restore_hangs: "restore" x "hang";
    restore_garbage: "restore" x "garbage";
    verify_fails: "verify" x "fail";
    verify_hangs: "verify" x "hang";
    verify_garbage: "verify" x "garbage";
}

// ---- signals and kill -9 -------------------------------------------------------------------------

/// Waits until the call log shows a call matching `pred` (the tool is then inside the next command).
fn sigint_case(step: &str) {
    let (cluster, before, trigger) = slow_cluster_at(step);
    let mut child = cluster.exastro_upgrade().args(&["run", "--yes"]).spawn();
    wait_for_call(&cluster, &mut child, step, trigger);
    signal(&child, "-INT");
    let out = finish_held(&cluster, child);
    assert_eq!(out.code, 130, "SIGINT during {step}:\n{out:?}");
    assert_eq!(
        cluster.replicas(NS),
        before,
        "SIGINT during {step}: counts back\n{out:?}"
    );
    assert!(
        !cluster.configmap_exists(NS, JOURNAL),
        "SIGINT during {step}: lock released"
    );
    // helm was never killed halfway: the release is not left pending.
    let status = cluster.release_history("exastro").last().unwrap()["status"].clone();
    assert_eq!(status, "deployed", "SIGINT during {step}");
    // The last line says where things stand: release revision and status, counts, what to run next.
    if step != "preflight" {
        let last = out.stderr.trim_end().lines().last().unwrap_or_default();
        let at = if step == "stop" {
            "revision 1 (chart exastro-1.0.0)"
        } else {
            "revision 2 (chart exastro-1.0.1)"
        };
        assert!(
            last.starts_with("Where things stand: release exastro is deployed at ")
                && last.contains(at)
                && last.contains("every recorded replica count is back"),
            "SIGINT during {step}: {out:?}"
        );
    }
}

#[test]
fn sigint_during_preflight() {
    sigint_case("preflight");
}
#[test]
fn sigint_during_stop() {
    sigint_case("stop");
}
#[test]
fn sigint_during_upgrade_lets_helm_finish() {
    sigint_case("upgrade");
}
#[test]
fn sigint_during_migrations_waits_for_them_first() {
    sigint_case("migrations");
}
#[test]
fn sigint_during_restore() {
    sigint_case("restore");
}

#[test]
fn sigterm_is_treated_like_ctrl_c() {
    let (cluster, before, trigger) = slow_cluster_at("stop");
    let mut child = cluster.exastro_upgrade().args(&["run", "--yes"]).spawn();
    wait_for_call(&cluster, &mut child, "stop", trigger);
    signal(&child, "-TERM");
    let out = finish_held(&cluster, child);
    assert_eq!(out.code, 130, "{out:?}");
    assert_eq!(cluster.replicas(NS), before);
}

#[test]
fn second_ctrl_c_stops_at_once_and_keeps_the_journal() {
    let (cluster, before, trigger) = slow_cluster_at("upgrade");
    let mut child = cluster.exastro_upgrade().args(&["run", "--yes"]).spawn();
    wait_for_call(&cluster, &mut child, "upgrade", trigger);
    signal(&child, "-INT");
    std::thread::sleep(Duration::from_millis(100));
    signal(&child, "-INT");
    let out = finish_held(&cluster, child);
    assert_eq!(out.code, 130, "{out:?}");
    assert!(
        out.stderr
            .contains("kubectl exastro-upgrade restore -n exastro --yes"),
        "{out:?}"
    );
    assert!(cluster.configmap_exists(NS, JOURNAL), "journal kept");
    cluster
        .exastro_upgrade()
        .args(&["restore", "--yes"])
        .expect(0);
    assert_eq!(cluster.replicas(NS), before);
}

fn sigkill_then_restore(step: &str) {
    let (cluster, before, trigger) = slow_cluster_at(step);
    let mut child = cluster.exastro_upgrade().args(&["run", "--yes"]).spawn();
    wait_for_call(&cluster, &mut child, step, trigger);
    signal(&child, "-KILL");
    finish_held(&cluster, child);
    let fresh_home = tempfile::tempdir().unwrap();
    let restore = || {
        cluster
            .exastro_upgrade()
            .env("HOME", fresh_home.path())
            .args(&["restore", "--yes"])
            .run()
    };
    // helm runs in its own process group and outlives the tool: restore waits for it, then puts back.
    let out = restore();
    assert_eq!(out.code, 0, "restore after kill -9 during {step}:\n{out:?}");
    assert_eq!(cluster.replicas(NS), before, "kill -9 during {step}");
    assert!(!cluster.configmap_exists(NS, JOURNAL));
    // Idempotent: a second restore is harmless.
    let again = cluster
        .exastro_upgrade()
        .env("HOME", fresh_home.path())
        .args(&["restore", "--yes"])
        .expect(0);
    assert!(again.stdout.contains("nothing to restore"), "{again:?}");
}

#[test]
fn sigkill_during_preflight_then_restore() {
    sigkill_then_restore("preflight");
}
#[test]
fn sigkill_during_stop_then_restore() {
    sigkill_then_restore("stop");
}
#[test]
fn sigkill_during_upgrade_then_restore() {
    sigkill_then_restore("upgrade");
}
#[test]
fn sigkill_during_migrations_then_restore() {
    sigkill_then_restore("migrations");
}
#[test]
fn sigkill_during_restore_then_restore() {
    sigkill_then_restore("restore");
}

// ---- lock, hand changes, transient errors -------------------------------------------------------

#[test]
fn a_second_run_is_refused_naming_the_holder() {
    let (cluster, before, trigger) = slow_cluster_at("upgrade");
    let mut first = cluster.exastro_upgrade().args(&["run", "--yes"]).spawn();
    wait_for_call(&cluster, &mut first, "the first run's lock", trigger);
    let second = cluster.exastro_upgrade().args(&["run", "--yes"]).expect(2);
    // the first run is alive: wait for it (never "restore" while it runs)
    assert!(
        second
            .stderr
            .contains("an upgrade run is in progress in namespace exastro on "),
        "{second:?}"
    );
    assert!(second.stderr.contains("phase upgrading"), "{second:?}");
    let first = finish_held(&cluster, first);
    assert_eq!(first.code, 0, "{first:?}");
    assert_eq!(cluster.replicas(NS), before);
}

#[test]
fn the_lock_itself_is_atomic() {
    // A journal created between the second run's preflight and its first change: `kubectl create` fails.
    let cluster = Cluster::exastro(&[]);
    cluster.api_fault(json!({"command": "kubectl create configmap", "method": "POST", "status": 409,
        "reason": "AlreadyExists", "message": "configmaps \"exastro-upgrade-journal\" already exists"}));
    let out = cluster.exastro_upgrade().args(&["run", "--yes"]).expect(2);
    assert!(
        out.stderr.contains("is locked by another upgrade run"),
        "{out:?}"
    );
    assert!(out.stderr.contains("Nothing was changed"), "{out:?}");
    let mutating: Vec<String> = cluster
        .mutating_calls()
        .into_iter()
        .filter(|c| !c.starts_with("kubectl create configmap"))
        .collect();
    assert!(mutating.is_empty(), "{mutating:#?}");
}

#[test]
fn restore_skips_an_object_changed_by_hand_unless_forced() {
    let (cluster, before, trigger) = slow_cluster_at("stop");
    cluster.open_gates();
    let mut child = cluster.exastro_upgrade().args(&["run", "--yes"]).spawn();
    wait_for_call(&cluster, &mut child, "the stop", |c| {
        c.args[0] == "scale" && c.args.iter().any(|a| a.starts_with("deployment/ita-by-"))
    });
    let _ = trigger;
    signal(&child, "-KILL");
    finish_held(&cluster, child);
    // Somebody brings one backyard back by hand while the run is dead.
    let victim = before
        .keys()
        .find(|n| n.starts_with("ita-by-") && before[*n] != 3)
        .unwrap()
        .clone();
    cluster.scale(NS, &victim, 3);
    let out = cluster
        .exastro_upgrade()
        .args(&["restore", "--yes"])
        .expect(3);
    assert!(
        out.stderr.contains(&format!(
            "deployment/{victim} is at 3, not the 0 the upgrade set"
        )),
        "{out:?}"
    );
    assert!(out.stderr.contains("--force"), "{out:?}");
    assert!(
        cluster.configmap_exists(NS, JOURNAL),
        "journal kept while something is not back"
    );
    assert_eq!(cluster.replicas(NS)[&victim], 3, "left alone");
    for (name, count) in &before {
        if name != &victim {
            assert_eq!(cluster.replicas(NS)[name], *count, "{name} put back");
        }
    }
    cluster
        .exastro_upgrade()
        .args(&["restore", "--yes", "--force"])
        .expect(0);
    assert_eq!(cluster.replicas(NS), before);
    assert!(!cluster.configmap_exists(NS, JOURNAL));
}

#[test]
fn transient_errors_are_retried() {
    let cluster = Cluster::exastro(&[]);
    let before = cluster.replicas(NS);
    // The API server is briefly unavailable for the record's listing, then a scale meets a conflict.
    cluster.api_fault(json!({"command": "kubectl get", "method": "GET", "path_contains": "/statefulsets",
        "status": 503, "message": "the server is currently unable to handle the request", "times": 2}));
    cluster.api_fault(json!({"command": "kubectl scale", "method": "PATCH", "path_contains": "/scale",
        "status": 409, "times": 1, "message": "Operation cannot be fulfilled on deployments.apps \"platform-auth\": the object has been modified; please apply your changes to the latest version and try again"}));
    let out = cluster.exastro_upgrade().args(&["run", "--yes"]).expect(0);
    assert!(
        out.stderr
            .contains("transient error from `kubectl`, retrying"),
        "{out:?}"
    );
    assert_eq!(cluster.replicas(NS), before);
}

#[test]
fn the_journal_holds_counts_and_identity_but_no_values() {
    let (cluster, _before, trigger) = slow_cluster_at("upgrade");
    let mut child = cluster.exastro_upgrade().args(&["run", "--yes"]).spawn();
    wait_for_call(&cluster, &mut child, "upgrade", trigger);
    let cm = cluster.kubectl_json(&["get", "configmap", JOURNAL, "-n", NS]);
    let journal: serde_json::Value =
        serde_json::from_str(cm["data"]["journal.json"].as_str().unwrap()).unwrap();
    assert_eq!(journal["phase"], "upgrading");
    assert_eq!(journal["from_version"], "1.0.0");
    assert_eq!(journal["to_version"], "1.0.1");
    assert!(journal["holder"].as_str().unwrap().contains('@'));
    assert!(journal["objects"]
        .as_array()
        .unwrap()
        .iter()
        .any(|o| o["name"] == "platform-auth"));
    let text = cm.to_string();
    assert!(
        !text.contains("ENCRYPT_KEY") && !text.to_lowercase().contains("password"),
        "{text}"
    );
    // The local copy is private.
    let home = cluster.home();
    let dir = home.join(".local/state/upgrade-plugins");
    // (beside the backups directory the run also wrote)
    let file = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "json"))
        .expect("the local copy of the journal");
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert_eq!(finish_held(&cluster, child).code, 0);
}

#[test]
fn status_shows_an_unfinished_run_and_how_to_put_it_back() {
    let (cluster, _before, trigger) = slow_cluster_at("upgrade");
    let mut child = cluster.exastro_upgrade().args(&["run", "--yes"]).spawn();
    wait_for_call(&cluster, &mut child, "upgrade", trigger);
    signal(&child, "-KILL");
    finish_held(&cluster, child);
    let out = cluster.exastro_upgrade().args(&["status"]).expect(0);
    assert!(out.stdout.contains("UNFINISHED RUN: started by"), "{out:?}");
    assert!(
        out.stdout
            .contains("put them back with: kubectl exastro-upgrade restore -n exastro --yes"),
        "{out:?}"
    );
    let json = cluster
        .exastro_upgrade()
        .args(&["status", "-o", "json"])
        .expect(0)
        .json();
    assert_eq!(json["unfinished_run"]["phase"], "upgrading");
    cluster
        .exastro_upgrade()
        .args(&["restore", "--yes"])
        .expect(0);
}

#[test]
fn a_frozen_controller_ends_the_stop_wait_in_bounded_time_and_counts_go_back() {
    // The API answers but no controller acts: the stopped pods never go away.
    let cluster = Cluster::exastro(&[]);
    let before = cluster.replicas(NS);
    cluster.set_config(|c| c["frozen_controller"] = json!(true));
    let started = Instant::now();
    let out = cluster
        .exastro_upgrade()
        .args(&["run", "--yes", "--timeout", "3s"])
        .run();
    assert!(started.elapsed() < Duration::from_secs(60), "{out:?}");
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stderr
            .contains("timed out after 3s waiting for the stopped pods to be gone"),
        "{out:?}"
    );
    assert_eq!(
        cluster.replicas(NS),
        before,
        "recorded counts back: {out:?}"
    );
    assert!(!cluster.configmap_exists(NS, JOURNAL));
}

#[test]
fn restore_speaks_json_when_asked_in_every_case() {
    let cluster = Cluster::exastro(&[]);
    let nothing = cluster
        .exastro_upgrade()
        .args(&["restore", "--yes", "-o", "json"])
        .expect(0)
        .json();
    assert_eq!(nothing["status"], "nothing-to-restore", "{nothing}");
    // A dead run's journal: --dry-run lists the commands, then the restore itself.
    let (cluster, before, trigger) = slow_cluster_at("stop");
    let mut child = cluster.exastro_upgrade().args(&["run", "--yes"]).spawn();
    wait_for_call(&cluster, &mut child, "stop", trigger);
    signal(&child, "-KILL");
    finish_held(&cluster, child);
    let planned = cluster
        .exastro_upgrade()
        .args(&["restore", "--dry-run", "-o", "json"])
        .expect(0)
        .json();
    assert_eq!(planned["status"], "planned", "{planned}");
    let commands: Vec<&str> = planned["commands"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert!(
        commands[0].starts_with("kubectl get deployments,statefulsets ")
            && commands[1].starts_with("kubectl scale "),
        "what is there now is read, then the counts are put back: {planned}"
    );
    let done = restore_elsewhere(&cluster)
        .args(&["-o", "json"])
        .expect(0)
        .json();
    assert_eq!(done["status"], "restored", "{done}");
    assert_eq!(cluster.replicas(NS), before);
}
