//! A control-plane blip does not end the Exastro 2.6 -> 2.7 upgrade, the procedure with maintenance mode
//! (helm 3; the API blips of the other procedures on both helms are in `api_blips_exastro.rs`).

mod common;

use common::blips::{client_writes, fail_write, step_starts, struck, sweep, tail};
use common::runs::{JOURNAL, NS};
use common::Cluster;

/// The 2.6 -> 2.7 procedure (maintenance mode through a port-forward, the mongo StatefulSet's orphaning
/// delete and re-creation by helm): one 500 on the first write of each kind of work (a full sweep of its
/// writes takes 11 minutes: `BLIPS_FULL_SWEEP=1` runs it), the same end state.
#[test]
fn one_500_on_each_kind_of_write_of_a_maintenance_mode_run_is_ridden_out() {
    let fresh = || {
        let cluster = Cluster::exastro(&["--installed", "1.6.8", "--available", "1.7.5"]);
        common::runs::set_exastro_durations(&cluster, 300);
        cluster
    };
    let clean = fresh();
    clean.exastro_upgrade().args(&["run", "--yes"]).expect(0);
    let writes = client_writes(&clean);
    assert!(writes.len() > 20, "{writes:#?}");
    let cases: Vec<usize> = if std::env::var_os("BLIPS_FULL_SWEEP").is_some() {
        (1..=writes.len()).collect()
    } else {
        step_starts(&writes)
    };
    sweep(cases, |n| {
        let cluster = fresh();
        let before = cluster.replicas(NS);
        fail_write(&cluster, n);
        let out = cluster
            .exastro_upgrade()
            .args(&["run", "--yes", "-o", "json"])
            .run();
        let Some(hit) = struck(&cluster) else {
            return match client_writes(&cluster).len() {
                had if had >= n => Err(format!("{} was not struck", writes[n - 1])),
                _ => Ok(()),
            };
        };
        if out.code != 0 {
            return Err(format!("{hit}: exit {}\n{}", out.code, tail(&out.stderr)));
        }
        let rev = cluster
            .release_history("exastro")
            .last()
            .cloned()
            .unwrap_or_default();
        if rev["status"] != "deployed" || rev["chart_version"] != "1.7.5" {
            return Err(format!(
                "{hit}: release is {} at {}",
                rev["status"], rev["chart_version"]
            ));
        }
        if cluster.replicas(NS) != before || cluster.configmap_exists(NS, JOURNAL) {
            return Err(format!(
                "{hit}: counts {:?} (recorded {before:?}) or the lock left",
                cluster.replicas(NS)
            ));
        }
        Ok(())
    });
}
