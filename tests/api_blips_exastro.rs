//! A control-plane blip does not end an Exastro upgrade: one 500 on any single write, a 500 on a write the
//! server stored anyway, an outage of a few seconds at any step — each run ends upgraded, every recorded
//! count back, the retries shown. An outage longer than `--timeout` ends with exit 3, the journal kept and
//! the command that puts things back, which works once the server is back. (`api_blips_3scale.rs`: the same
//! for the 3scale run; `api_blips_exastro_helm4.rs`: this file against helm 4.)

mod common;

use common::blips::{
    client_writes, end_outages, exastro_case, exastro_upgraded, outage, outage_kind, shows_outage,
    step_starts, store_then_fail_write, sweep, tail,
};
use common::runs::{restore_elsewhere, JOURNAL, NS};
use common::Cluster;

/// What a clean Exastro run writes, and the cluster's counts before it.
fn exastro_writes() -> Vec<String> {
    let cluster = Cluster::exastro(&["--replicas-mix"]);
    cluster.exastro_upgrade().args(&["run", "--yes"]).expect(0);
    client_writes(&cluster)
}

#[test]
fn one_500_on_any_write_of_an_exastro_run_is_ridden_out() {
    let writes = exastro_writes();
    assert!(writes.len() > 20, "{writes:#?}");
    sweep(1..=writes.len(), |n| {
        let make = || Cluster::exastro(&["--replicas-mix"]);
        let Some((_cluster, out, hit)) = exastro_case(make, n, &writes[n - 1], "1.0.1")? else {
            return Ok(());
        };
        // helm records the previous revision `superseded` with a write whose failure it only logs
        // (`recordRelease`): nothing failed, nothing to retry
        if hit.ends_with("/secrets/sh.helm.release.v1.exastro.v1") {
            return Ok(());
        }
        let report = out.json();
        let retried = report["retries"].as_array().cloned().unwrap_or_default();
        if retried.is_empty() || !out.stderr.contains("retrying") {
            return Err(format!("{hit}: no retry shown\n{}", tail(&out.stderr)));
        }
        Ok(())
    });
}

#[test]
fn a_six_second_outage_at_any_step_of_an_exastro_run_is_waited_out() {
    let writes = exastro_writes();
    let starts = step_starts(&writes);
    assert!(starts.len() >= 6, "{starts:?} of {writes:#?}");
    sweep(starts, |n| {
        let cluster = Cluster::exastro(&["--replicas-mix"]);
        let before = cluster.replicas(NS);
        let (mode, cause) = outage_kind(n);
        outage(&cluster, n, 6000, mode);
        let out = cluster
            .exastro_upgrade()
            .args(&["run", "--yes", "-o", "json"])
            .run();
        let at = format!("{mode} from {}", writes[n - 1]);
        exastro_upgraded(&cluster, &out, &before, "1.0.1").map_err(|e| format!("{at} ({e})"))?;
        if !shows_outage(&out, cause) {
            return Err(format!(
                "{at}: the outage is not shown\n{}",
                tail(&out.stderr)
            ));
        }
        Ok(())
    });
}

#[test]
fn a_lock_the_server_stored_despite_its_500_is_this_runs() {
    let writes = exastro_writes();
    assert!(
        writes[0].starts_with("POST /api/v1/namespaces/exastro/configmaps"),
        "{writes:?}"
    );
    let cluster = Cluster::exastro(&["--replicas-mix"]);
    let before = cluster.replicas(NS);
    store_then_fail_write(&cluster, 1);
    let out = cluster
        .exastro_upgrade()
        .args(&["run", "--yes", "-o", "json"])
        .run();
    exastro_upgraded(&cluster, &out, &before, "1.0.1").unwrap();
    let retries = out.json()["retries"].clone();
    assert_eq!(retries[0]["outcome"], "landed", "{retries:#}");
    assert!(
        !out.stderr.contains("locked by another upgrade run"),
        "{out:?}"
    );
}

#[test]
fn an_outage_longer_than_the_timeout_ends_with_exit_3_and_a_restore_that_works() {
    let cluster = Cluster::exastro(&["--replicas-mix"]);
    let before = cluster.replicas(NS);
    // from the 3rd write on (the stop has begun) the server is away for much longer than --timeout
    outage(&cluster, 3, 120_000, "refuse");
    let out = cluster
        .exastro_upgrade()
        .args(&["run", "--yes", "--timeout", "4s"])
        .run();
    assert_eq!(out.code, 3, "{out:?}");
    assert!(
        out.stderr
            .contains("retrying while the API server is unavailable (up to 4s)"),
        "{out:?}"
    );
    assert!(
        out.stderr
            .contains("kubectl exastro-upgrade restore -n exastro --yes"),
        "{out:?}"
    );
    end_outages(&cluster);
    assert!(cluster.configmap_exists(NS, JOURNAL), "the journal is kept");
    let restored = restore_elsewhere(&cluster).expect(0);
    assert!(
        restored.stdout.contains("the lock is released"),
        "{restored:?}"
    );
    assert_eq!(cluster.replicas(NS), before);
    assert!(!cluster.configmap_exists(NS, JOURNAL));
}
