//! Driving a run from "another terminal": spawn it, wait until it is inside a step (by the calls it
//! made), signal it, collect its output.

use std::collections::BTreeMap;
use std::process::Child;
use std::time::{Duration, Instant};

use serde_json::json;

use super::{Call, Cluster, Outcome};

pub const NS: &str = "exastro";
pub const JOURNAL: &str = "exastro-upgrade-journal";

pub fn wait_for_call(
    cluster: &Cluster,
    child: &mut Child,
    what: &str,
    pred: impl Fn(&Call) -> bool,
) {
    wait_until(cluster, child, what, |c| c.calls().iter().any(&pred));
}

/// `restore --yes` as from another machine: a fresh HOME (inside the cluster's dir, removed with it), so
/// no local copy of the journal.
pub fn restore_elsewhere(cluster: &Cluster) -> super::Run<'_> {
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let home = cluster.path().join(format!("home-elsewhere-{n}"));
    std::fs::create_dir_all(&home).unwrap();
    cluster
        .exastro_upgrade()
        .env("HOME", home)
        .args(&["restore", "--yes"])
}

/// Waits (60 s at most: the machine may be busy) until `done` holds for the cluster, failing if the run ends first.
pub fn wait_until(
    cluster: &Cluster,
    child: &mut Child,
    what: &str,
    done: impl Fn(&Cluster) -> bool,
) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if done(cluster) {
            return;
        }
        if let Some(status) = child.try_wait().unwrap() {
            panic!(
                "the run ended ({status}) before {what}: {:#?}",
                cluster.calls().iter().map(Call::line).collect::<Vec<_>>()
            );
        }
        assert!(Instant::now() < deadline, "never saw {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

pub fn signal(child: &Child, sig: &str) {
    let status = std::process::Command::new("kill")
        .args([sig, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

/// Lets the run held by `slow_cluster_at` go on (its gates opened), then collects it.
pub fn finish_held(cluster: &Cluster, child: Child) -> Outcome {
    cluster.open_gates();
    finish(child)
}

pub fn finish(child: Child) -> Outcome {
    let out = child.wait_with_output().unwrap();
    Outcome {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

pub fn is(call: &Call, verb: &str, contains: &str) -> bool {
    call.args.first().map(String::as_str) == Some(verb)
        && call.args.iter().any(|a| a.contains(contains))
}

pub type Trigger = Box<dyn Fn(&Call) -> bool>;

/// helm upgrade, migrations, rollouts and pod termination all take `ms`.
pub fn set_exastro_durations(cluster: &Cluster, ms: u64) {
    cluster.set_config(|c| {
        for key in [
            "helm_upgrade_ms",
            "migration_ms",
            "rollout_ms",
            "terminate_ms",
        ] {
            c["durations"][key] = json!(ms);
        }
    });
}

/// A slow cluster, and the call after which the tool is inside `step`. The run is HELD inside that step
/// (a gate, not a duration: a busy machine cannot let it slip past) until `finish_held` opens the gates,
/// so a second terminal always meets it live there, whatever the load.
pub fn slow_cluster_at(step: &str) -> (Cluster, BTreeMap<String, i64>, Trigger) {
    let cluster = Cluster::exastro(&["--replicas-mix"]);
    set_exastro_durations(&cluster, 1500);
    let before = cluster.replicas(NS);
    cluster.clear_calls();
    let trigger: Trigger = match step {
        "preflight" => {
            cluster.close_gate("preflight");
            cluster.fault(json!({"tool": "helm", "args_contain": ["repo", "update"],
                "action": "hold", "gate": "preflight", "times": 1}));
            Box::new(|c: &Call| c.tool == "helm" && c.args[0] == "version")
        }
        "stop" => {
            // the first scale (platform-auth) waits: the lock is taken, the stop has begun
            cluster.close_gate("stop");
            cluster.api_fault(json!({"method": "PATCH", "path_contains": "/scale",
                "hold": "stop", "times": 1}));
            Box::new(|c: &Call| is(c, "create", "configmap"))
        }
        // the phase update (not a lease renewal, which patches only lease.json); helm is held pending-upgrade
        "upgrade" => {
            cluster.close_gate("helm-upgrade");
            Box::new(|c: &Call| {
                is(c, "patch", JOURNAL) && c.args.iter().any(|a| a.contains("journal.json"))
            })
        }
        // exactly the migration wait's listing (the record step lists "deployments,statefulsets,pods,jobs,cronjobs");
        // the migration pods run until the test lets them finish
        "migrations" => {
            cluster.close_gate("migrations");
            Box::new(|c: &Call| c.args[0] == "get" && c.args.iter().any(|a| a == "pods,jobs"))
        }
        "restore" => {
            // putting back is quick once it starts: the lock's release (the journal's deletion) waits
            cluster.close_gate("release-lock");
            cluster.api_fault(json!({"method": "DELETE", "times": 1,
                "path_contains": "configmaps/exastro-upgrade-journal", "hold": "release-lock"}));
            Box::new(|c: &Call| c.args[0] == "scale" && c.args.iter().any(|a| a == "--replicas=1"))
        }
        other => panic!("no trigger for {other}"),
    };
    (cluster, before, trigger)
}

/// One test per kill point: `kill_points! { name: N, ... }` calls the test file's own
/// `kill_after_write_then_restore(N)` (kill -9 after the run's Nth write, then `restore` elsewhere).
#[macro_export]
macro_rules! kill_points {
    ($($name:ident: $nth:expr,)*) => {$(
        #[test]
        fn $name() {
            kill_after_write_then_restore($nth);
        }
    )*};
}

/// A 3scale (MySQL) project a run left half-switched: amp-system's first DC on its new trigger with its
/// rollout unfinished (the run timed out at 1 s on a 2.5-s rollout), the others still on the old one.
/// Returns the cluster (rollouts still 2.5 s) and that first run.
pub fn threescale_half_switched() -> (Cluster, Outcome) {
    let cluster = Cluster::init("3scale", &["--db", "mysql"]);
    cluster.set_config(|c| c["durations"]["rollout_ms"] = json!(2500));
    let first = cluster
        .threescale_upgrade()
        .args(&[
            "patch-images",
            "--yes",
            "--component",
            "amp-system",
            "--timeout",
            "1s",
        ])
        .expect(1);
    (cluster, first)
}

/// The uid of the mongo StatefulSet's data claim (Exastro 2.6+): the same uid after an upgrade or a restore
/// means the data was kept.
pub fn mongo_claim_uid(cluster: &Cluster) -> String {
    let pvc = cluster.kubectl_json(&[
        "get",
        "pvc",
        "volume-mongo-storage-mongo-0",
        "-n",
        NS,
        "-o",
        "json",
    ]);
    pvc["metadata"]["uid"]
        .as_str()
        .expect("the mongo claim exists")
        .to_string()
}
