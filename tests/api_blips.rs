//! A control-plane blip does not end an upgrade: one 500 on any single write of an Exastro run or a 3scale
//! run, a 500 on a write the server stored anyway, an outage of a few seconds at any step — each run ends
//! upgraded, every recorded count back, the retries shown. An outage longer than `--timeout` ends with
//! exit 3, the journal kept and the command that puts things back, which works once the server is back.

mod common;

use common::blips::{client_writes, end_outages, fail_write, outage, store_then_fail_write, sweep};
use common::runs::{restore_elsewhere, JOURNAL, NS};
use common::{Cluster, Outcome};

/// What a clean Exastro run writes, and the cluster's counts before it.
fn exastro_writes() -> Vec<String> {
    let cluster = Cluster::exastro(&["--replicas-mix"]);
    cluster.exastro_upgrade().args(&["run", "--yes"]).expect(0);
    client_writes(&cluster)
}

/// The last lines of a run's stderr (where the error is).
fn tail(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(14)..].join("\n")
}

/// The end state of a run that must have gone through: exit 0, upgraded, counts back, lock released.
fn exastro_upgraded(
    cluster: &Cluster,
    out: &Outcome,
    before: &std::collections::BTreeMap<String, i64>,
) -> Result<(), String> {
    if out.code != 0 {
        return Err(format!("exit {}\n{}", out.code, tail(&out.stderr)));
    }
    let rev = cluster
        .release_history("exastro")
        .last()
        .cloned()
        .unwrap_or_default();
    if rev["status"] != "deployed" || rev["chart_version"] != "1.0.1" {
        return Err(format!(
            "release is {} at {}",
            rev["status"], rev["chart_version"]
        ));
    }
    if cluster.replicas(NS) != *before {
        return Err(format!(
            "counts {:?}, recorded {before:?}",
            cluster.replicas(NS)
        ));
    }
    if cluster.configmap_exists(NS, JOURNAL) {
        return Err("the lock is still there".into());
    }
    Ok(())
}

#[test]
fn one_500_on_any_write_of_an_exastro_run_is_ridden_out() {
    let writes = exastro_writes();
    assert!(writes.len() > 20, "{writes:#?}");
    sweep(writes.len(), |n| {
        let cluster = Cluster::exastro(&["--replicas-mix"]);
        let before = cluster.replicas(NS);
        fail_write(&cluster, n);
        let out = cluster
            .exastro_upgrade()
            .args(&["run", "--yes", "-o", "json"])
            .run();
        exastro_upgraded(&cluster, &out, &before)
            .map_err(|e| format!("{} ({e})", writes[n - 1]))?;
        // helm records the previous revision `superseded` with a write whose failure it only logs
        // (`recordRelease`): nothing failed, nothing to retry
        if writes[n - 1].ends_with("/secrets/sh.helm.release.v1.exastro.v1") {
            return Ok(());
        }
        let report = out.json();
        let retried = report["retries"].as_array().cloned().unwrap_or_default();
        if retried.is_empty() || !out.stderr.contains("retrying") {
            return Err(format!("{}: no retry shown\n{}", writes[n - 1], out.stderr));
        }
        Ok(())
    });
}
