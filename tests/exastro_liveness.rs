//! A second operator at the worst moment: `restore`, `status` and a second `run` from another terminal
//! while a run is alive (its lease keeps being renewed), after it was killed (helm still running), and
//! with a lease held from another machine. The real kubectl against the fake API server throughout.

mod common;

use std::time::{Duration, Instant};

use common::runs::{
    finish, finish_held, restore_elsewhere, signal, slow_cluster_at, wait_for_call, wait_until,
    JOURNAL, NS,
};
use common::Cluster;
use serde_json::{json, Value};

/// `restore --yes` from another terminal while the run is inside `step`: refused (exit 2, "wait for it",
/// no restore advice), nothing disturbed; the run itself then finishes with every count back.
fn restore_refused_while_live(step: &str) {
    let (cluster, before, trigger) = slow_cluster_at(step);
    let mut run = cluster.exastro_upgrade().args(&["run", "--yes"]).spawn();
    wait_for_call(&cluster, &mut run, step, trigger);
    let second = restore_elsewhere(&cluster).expect(2);
    assert!(
        second
            .stderr
            .contains("an upgrade run is in progress in namespace exastro on ")
            && second.stderr.contains("wait for it"),
        "{second:?}"
    );
    for unsafe_advice in ["exastro-upgrade restore", "helm rollback", "--force"] {
        assert!(
            !second.stderr.contains(unsafe_advice),
            "never advise {unsafe_advice} for a live run: {second:?}"
        );
    }
    assert_eq!(
        second.stderr.matches(" was changed").count(),
        1,
        "said once: {second:?}"
    );
    let run = finish_held(&cluster, run);
    assert_eq!(run.code, 0, "the live run is not disturbed:\n{run:?}");
    assert_eq!(cluster.replicas(NS), before);
    assert!(!cluster.configmap_exists(NS, JOURNAL));
}

#[test]
fn restore_from_another_terminal_waits_its_turn_while_stopping() {
    restore_refused_while_live("stop");
}

#[test]
fn restore_from_another_terminal_waits_its_turn_while_helm_upgrades() {
    restore_refused_while_live("upgrade");
}

#[test]
fn restore_from_another_terminal_waits_its_turn_during_migrations() {
    restore_refused_while_live("migrations");
}

#[test]
fn restore_from_another_terminal_waits_its_turn_while_putting_back() {
    restore_refused_while_live("restore");
}

#[test]
fn a_second_run_and_status_see_a_live_run() {
    let (cluster, before, trigger) = slow_cluster_at("upgrade");
    let mut first = cluster.exastro_upgrade().args(&["run", "--yes"]).spawn();
    wait_for_call(
        &cluster,
        &mut first,
        "the first run's helm upgrade",
        trigger,
    );
    let second = cluster.exastro_upgrade().args(&["run", "--yes"]).expect(2);
    assert!(
        second.stderr.contains("an upgrade run is in progress")
            && second.stderr.contains("wait for it"),
        "{second:?}"
    );
    // helm holds the release pending-upgrade right now: a rollback pasted here would race with it
    for unsafe_advice in ["exastro-upgrade restore", "helm rollback", "--force"] {
        assert!(
            !second.stderr.contains(unsafe_advice),
            "{unsafe_advice}: {second:?}"
        );
    }
    assert!(
        second
            .stderr
            .contains("is pending-upgrade (revision 2): the upgrade run above is working on it"),
        "{second:?}"
    );
    assert_eq!(
        second.stderr.matches(" was changed").count(),
        1,
        "said once: {second:?}"
    );
    let status = cluster.exastro_upgrade().args(&["status"]).expect(0);
    assert!(status.stdout.contains("RUN IN PROGRESS"), "{status:?}");
    assert!(status.stdout.contains("do not run restore"), "{status:?}");
    let json = cluster
        .exastro_upgrade()
        .args(&["status", "-o", "json"])
        .expect(0)
        .json();
    assert_eq!(json["unfinished_run_live"], true, "{json}");
    let lease = &json["unfinished_run_lease"];
    assert_eq!(lease["leaseDurationSeconds"], 15, "{json}");
    assert!(lease["holderIdentity"]["pid"].as_u64().is_some(), "{json}");
    let first = finish_held(&cluster, first);
    assert_eq!(first.code, 0, "{first:?}");
    assert_eq!(cluster.replicas(NS), before);
}

#[test]
fn the_lease_is_renewed_while_the_run_lives_and_names_the_cluster_user() {
    let (cluster, _before, trigger) = slow_cluster_at("upgrade");
    let mut run = cluster
        .exastro_upgrade()
        .args(&["run", "--yes"])
        .env_remove("USER")
        .env_remove("LOGNAME")
        .spawn();
    wait_for_call(&cluster, &mut run, "helm upgrade", trigger);
    let lease = |c: &Cluster| -> Value {
        let cm = c.kubectl_json(&["get", "configmap", JOURNAL, "-n", NS]);
        serde_json::from_str(cm["data"]["lease.json"].as_str().unwrap()).unwrap()
    };
    let first = lease(&cluster);
    // kubectl auth whoami against the fake API server: the state's user
    assert_eq!(first["holderIdentity"]["user"], "kubernetes-admin");
    assert_eq!(first["holderIdentity"]["pid"], run.id());
    let cm = cluster.kubectl_json(&["get", "configmap", JOURNAL, "-n", NS]);
    assert!(
        !cm["data"]["holder"]
            .as_str()
            .unwrap()
            .starts_with("unknown@"),
        "{cm}"
    );
    // helm is held at its gate: the run lives until the renewal is seen, however busy the machine
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let now = lease(&cluster);
        if now["renewTime"] != first["renewTime"] {
            assert_eq!(now["acquireTime"], first["acquireTime"]);
            break;
        }
        assert!(Instant::now() < deadline, "the lease was never renewed");
        std::thread::sleep(Duration::from_millis(200));
    }
    let run = finish_held(&cluster, run);
    assert_eq!(run.code, 0, "{run:?}");
}

/// A run killed while its helm holds the release `pending-upgrade` (helm runs in its own process group and
/// survives the kill; the gate keeps it there until the test opens it). The counts from before the run.
fn killed_while_helm_upgrades() -> (Cluster, std::collections::BTreeMap<String, i64>) {
    let (cluster, before, trigger) = slow_cluster_at("upgrade");
    let mut run = cluster.exastro_upgrade().args(&["run", "--yes"]).spawn();
    wait_for_call(&cluster, &mut run, "helm upgrade", trigger);
    wait_until(&cluster, &mut run, "helm's pending record", |c| {
        c.release_history("exastro").last().unwrap()["status"] == "pending-upgrade"
    });
    signal(&run, "-KILL");
    finish(run);
    (cluster, before)
}

#[test]
fn restore_after_a_kill_during_helm_upgrade_waits_for_helm_then_puts_back() {
    let (cluster, before) = killed_while_helm_upgrades();
    // helm is held pending-upgrade until the restore has seen it and waits for it
    cluster.clear_calls();
    let mut restore = restore_elsewhere(&cluster).spawn();
    wait_until(&cluster, &mut restore, "the restore's wait for helm", |c| {
        let lists = |call: &&common::Call| call.tool == "helm" && call.args[0] == "list";
        c.calls().iter().filter(lists).count() >= 3
    });
    let out = finish_held(&cluster, restore);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stderr.contains("is not running: its process")
            && out
                .stderr
                .contains("Waiting for helm to finish on release exastro"),
        "{out:?}"
    );
    assert_eq!(cluster.replicas(NS), before);
    assert!(!cluster.configmap_exists(NS, JOURNAL));
    let status = cluster.tool("helm", &["status", "exastro", "-n", NS, "-o", "json"]);
    let status: Value = serde_json::from_str(&status).unwrap();
    assert_eq!(status["info"]["status"], "deployed", "{status}");
}

#[test]
fn restore_gives_up_on_a_release_helm_never_finishes_naming_rollback_and_force() {
    let (cluster, before, trigger) = slow_cluster_at("upgrade");
    cluster.set_config(|c| c["durations"]["helm_upgrade_ms"] = json!(60_000));
    let mut run = cluster.exastro_upgrade().args(&["run", "--yes"]).spawn();
    wait_for_call(&cluster, &mut run, "helm upgrade", trigger);
    std::thread::sleep(Duration::from_millis(700));
    signal(&run, "-KILL");
    finish_held(&cluster, run);
    let out = cluster
        .exastro_upgrade()
        .args(&["restore", "--yes", "--timeout", "3s"])
        .expect(3);
    assert!(out.stderr.contains("is still pending-upgrade"), "{out:?}");
    assert!(
        out.stderr.contains("helm rollback exastro 1 -n exastro")
            && out
                .stderr
                .contains("kubectl exastro-upgrade restore -n exastro --yes --force"),
        "{out:?}"
    );
    assert!(cluster.configmap_exists(NS, JOURNAL), "journal kept");
    // The printed way out works: --force puts the counts back without waiting for helm.
    cluster
        .exastro_upgrade()
        .args(&["restore", "--yes", "--force"])
        .expect(0);
    assert_eq!(cluster.replicas(NS), before);
}

/// Rewrites the journal's lease as if another machine held it, renewed `age_s` seconds ago.
fn lease_from_elsewhere(cluster: &Cluster, renewed: &str) {
    let cm = cluster.kubectl_json(&["get", "configmap", JOURNAL, "-n", NS]);
    let mut lease: Value =
        serde_json::from_str(cm["data"]["lease.json"].as_str().unwrap()).unwrap();
    lease["holderIdentity"]["host"] = json!("bastion-2");
    lease["holderIdentity"]["pid"] = json!(4242);
    lease["renewTime"] = json!(renewed);
    let patch = json!({"data": {"lease.json": lease.to_string()}});
    cluster.tool(
        "kubectl",
        &[
            "patch",
            "configmap",
            JOURNAL,
            "-n",
            NS,
            "--type=merge",
            "-p",
            &patch.to_string(),
        ],
    );
}

fn rfc3339_now() -> String {
    let out = std::process::Command::new("date")
        .args(["-u", "+%Y-%m-%dT%H:%M:%S.%3NZ"])
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

fn killed_during_stop(cluster: &Cluster) {
    // only the slow cluster: the run goes on to the backyards' scale, where it is killed
    cluster.open_gates();
    let mut run = cluster.exastro_upgrade().args(&["run", "--yes"]).spawn();
    wait_for_call(cluster, &mut run, "the stop", |c| {
        c.args[0] == "scale" && c.args.iter().any(|a| a.starts_with("deployment/ita-by-"))
    });
    signal(&run, "-KILL");
    finish_held(cluster, run);
}

#[test]
fn a_recent_lease_from_another_machine_is_watched_until_it_expires() {
    let (cluster, before, _) = slow_cluster_at("stop");
    killed_during_stop(&cluster);
    lease_from_elsewhere(&cluster, &rfc3339_now());
    let started = Instant::now();
    let out = cluster
        .exastro_upgrade()
        .args(&["restore", "--yes"])
        .expect(0);
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_secs(14),
        "watched the lease for its duration, not refused at once: {waited:?}\n{out:?}"
    );
    assert!(out.stderr.contains("was not renewed during"), "{out:?}");
    assert_eq!(cluster.replicas(NS), before);
}

#[test]
fn a_lease_renewed_from_another_machine_is_live() {
    let (cluster, before, _) = slow_cluster_at("stop");
    killed_during_stop(&cluster);
    lease_from_elsewhere(&cluster, &rfc3339_now());
    let stop = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|s| {
        // the other machine keeps renewing
        s.spawn(|| {
            while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                std::thread::sleep(Duration::from_millis(1500));
                lease_from_elsewhere(&cluster, &rfc3339_now());
            }
        });
        let out = cluster
            .exastro_upgrade()
            .args(&["restore", "--yes"])
            .expect(2);
        stop.store(true, std::sync::atomic::Ordering::SeqCst);
        assert!(
            out.stderr
                .contains("on bastion-2 as kubernetes-admin (pid 4242)")
                && out.stderr.contains("wait for it"),
            "{out:?}"
        );
    });
    // An old lease (its machine stopped renewing long ago) is dead at once.
    lease_from_elsewhere(&cluster, "2026-01-01T00:00:00.000Z");
    let out = cluster
        .exastro_upgrade()
        .args(&["restore", "--yes"])
        .expect(0);
    assert!(
        out.stderr.contains("has not renewed its lease for"),
        "{out:?}"
    );
    assert_eq!(cluster.replicas(NS), before);
}

#[test]
fn restore_force_overrides_a_live_run_and_says_so() {
    let (cluster, before, trigger) = slow_cluster_at("stop");
    let mut run = cluster.exastro_upgrade().args(&["run", "--yes"]).spawn();
    wait_for_call(&cluster, &mut run, "the stop", trigger);
    let forced = cluster
        .exastro_upgrade()
        .args(&["restore", "--yes", "--force"])
        .expect(0);
    assert!(
        forced
            .stderr
            .contains("--force: overriding the live lease of the run on "),
        "{forced:?}"
    );
    let run = finish_held(&cluster, run);
    assert_ne!(run.code, 0, "the overridden run stops: {run:?}");
    assert_eq!(cluster.replicas(NS), before, "{run:?}");
    assert!(!cluster.configmap_exists(NS, JOURNAL));
}

/// kill -9 right after the run's `nth` write (journal, scales, phase updates, helm upgrade, ...), then
/// `restore` from a fresh HOME (another machine): every count back, the lock released, the release deployed.
fn kill_after_write_then_restore(nth: usize) {
    let (cluster, before, _) = slow_cluster_at("stop");
    common::runs::set_exastro_durations(&cluster, 400);
    cluster.open_gates();
    let mut run = cluster.exastro_upgrade().args(&["run", "--yes"]).spawn();
    // renewals of the lease are writes too, but not of the run's own progress: not counted
    wait_until(&cluster, &mut run, &format!("write {nth}"), |c| {
        c.mutating_calls()
            .iter()
            .filter(|call| !call.contains("lease.json"))
            .count()
            >= nth
    });
    signal(&run, "-KILL");
    finish_held(&cluster, run);
    let out = restore_elsewhere(&cluster).expect(0);
    assert_eq!(
        cluster.replicas(NS),
        before,
        "killed after write {nth}: {out:?}"
    );
    assert!(
        !cluster.configmap_exists(NS, JOURNAL),
        "killed after write {nth}"
    );
    let rows: Value =
        serde_json::from_str(&cluster.tool("helm", &["list", "-a", "-n", NS, "-o", "json"]))
            .unwrap();
    assert!(
        rows.as_array()
            .unwrap()
            .iter()
            .all(|r| r["status"] == "deployed"),
        "killed after write {nth}: {rows}"
    );
}

crate::kill_points! {
    killed_after_write_1_the_journal_then_restore: 1,
    killed_after_write_2_then_restore: 2,
    killed_after_write_3_then_restore: 3,
    killed_after_write_4_then_restore: 4,
    killed_after_write_5_then_restore: 5,
    killed_after_write_6_then_restore: 6,
    killed_after_write_7_then_restore: 7,
    killed_after_write_8_then_restore: 8,
    killed_after_write_9_then_restore: 9,
    killed_after_write_10_then_restore: 10,
}

#[test]
fn a_second_run_after_a_kill_during_helm_upgrade_says_restore_and_no_rollback() {
    let (cluster, _before) = killed_while_helm_upgrades();
    // the run is dead, its helm still holds the release (gate closed): restore first, no rollback yet
    let second = cluster.exastro_upgrade().args(&["run", "--yes"]).expect(2);
    assert!(
        second.stderr.contains("it is not running")
            && second
                .stderr
                .contains("kubectl exastro-upgrade restore -n exastro --yes"),
        "{second:?}"
    );
    assert!(!second.stderr.contains("helm rollback"), "{second:?}");
    cluster.open_gates();
    restore_elsewhere(&cluster).expect(0);
}
