//! A control-plane blip does not end the Exastro 2.6 -> 2.7 upgrade, the procedure with maintenance mode
//! (helm 3; the API blips of the other procedures on both helms are in `api_blips_exastro.rs`).

mod common;

use common::blips::{client_writes, exastro_case, step_starts, sweep};
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
        exastro_case(fresh, n, &writes[n - 1], "1.7.5")?;
        Ok(())
    });
}
