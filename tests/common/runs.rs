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

/// Waits (30 s at most) until `done` holds for the cluster, failing if the run ends first.
pub fn wait_until(
    cluster: &Cluster,
    child: &mut Child,
    what: &str,
    done: impl Fn(&Cluster) -> bool,
) {
    let deadline = Instant::now() + Duration::from_secs(30);
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

/// A slow cluster, and the call after which the tool is inside `step`.
pub fn slow_cluster_at(step: &str) -> (Cluster, BTreeMap<String, i64>, Trigger) {
    let cluster = Cluster::exastro(&["--replicas-mix"]);
    set_exastro_durations(&cluster, 1500);
    let before = cluster.replicas(NS);
    cluster.clear_calls();
    let trigger: Trigger = match step {
        "preflight" => Box::new(|c: &Call| c.tool == "helm" && c.args[0] == "version"),
        "stop" => Box::new(|c: &Call| is(c, "create", "configmap")),
        // the phase update (not a lease renewal, which patches only lease.json)
        "upgrade" => Box::new(|c: &Call| {
            is(c, "patch", JOURNAL) && c.args.iter().any(|a| a.contains("journal.json"))
        }),
        // exactly the migration wait's listing (the record step lists "deployments,statefulsets,pods,jobs,cronjobs")
        "migrations" => {
            Box::new(|c: &Call| c.args[0] == "get" && c.args.iter().any(|a| a == "pods,jobs"))
        }
        "restore" => {
            // Putting back is quick once it starts: the journal's deletion (the lock's release) is held
            // back so that a second terminal meets the run inside this step, whatever the machine's load.
            cluster.api_fault(serde_json::json!({"method": "DELETE",
                "path_contains": "configmaps/exastro-upgrade-journal", "latency_ms": 4000}));
            Box::new(|c: &Call| c.args[0] == "scale" && c.args.iter().any(|a| a == "--replicas=1"))
        }
        other => panic!("no trigger for {other}"),
    };
    (cluster, before, trigger)
}
