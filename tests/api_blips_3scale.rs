//! A control-plane blip does not end the 3scale image upgrade: one 500 on any single write and an outage of
//! a few seconds at any step — each run ends with every DeploymentConfig on its new tag, the retries shown.

mod common;

use common::blips::{
    client_writes, fail_write, outage, outage_kind, shows_outage, step_starts, struck, sweep, tail,
};
use common::{Cluster, Outcome};

/// Every DeploymentConfig of the 3scale project on its 2.10 tag: one ImageChange trigger, from `*:2.10`.
fn threescale_switched(cluster: &Cluster, out: &Outcome) -> Result<(), String> {
    if out.code != 0 {
        return Err(format!("exit {}\n{}", out.code, tail(&out.stderr)));
    }
    let dcs = cluster.kubectl_json(&["get", "dc", "-n", "3scale", "-o", "json"]);
    for dc in dcs["items"].as_array().cloned().unwrap_or_default() {
        let froms: Vec<String> = dc["spec"]["triggers"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .iter()
            .filter(|t| t["type"] == "ImageChange")
            .map(|t| {
                t["imageChangeParams"]["from"]["name"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string()
            })
            .collect();
        if froms.len() != 1 || !froms[0].ends_with(":2.10") {
            return Err(format!("dc/{} triggers {froms:?}", dc["metadata"]["name"]));
        }
    }
    Ok(())
}

/// What a clean run writes.
fn threescale_writes() -> Vec<String> {
    let clean = Cluster::init("3scale", &[]);
    clean
        .threescale_upgrade()
        .args(&["patch-images", "--yes"])
        .expect(0);
    client_writes(&clean)
}

#[test]
fn one_500_on_any_write_of_a_3scale_run_is_ridden_out() {
    let writes = threescale_writes();
    assert!(writes.len() > 10, "{writes:#?}");
    sweep(1..=writes.len(), |n| {
        let cluster = Cluster::init("3scale", &[]);
        fail_write(&cluster, n);
        let out = cluster
            .threescale_upgrade()
            .args(&["patch-images", "--yes", "-o", "json"])
            .run();
        let Some(_) = struck(&cluster) else {
            return Err(format!("{} was not struck", writes[n - 1]));
        };
        threescale_switched(&cluster, &out).map_err(|e| format!("{} ({e})", writes[n - 1]))?;
        if out.json()["retries"]
            .as_array()
            .is_none_or(|r| r.is_empty())
            || !out.stderr.contains("retrying")
        {
            return Err(format!(
                "{}: no retry shown\n{}",
                writes[n - 1],
                tail(&out.stderr)
            ));
        }
        Ok(())
    });
}

#[test]
fn a_six_second_outage_at_any_step_of_a_3scale_run_is_waited_out() {
    let writes = threescale_writes();
    // the tags, the first switch, and a switch while an earlier DC's rollout is watched
    let mut cases = step_starts(&writes);
    cases.push(writes.len() / 2 + 3);
    assert!(cases.len() >= 3, "{cases:?} of {writes:#?}");
    sweep(cases, |n| {
        let cluster = Cluster::init("3scale", &[]);
        let (mode, cause) = outage_kind(n);
        outage(&cluster, n, 6000, mode);
        let out = cluster
            .threescale_upgrade()
            .args(&["patch-images", "--yes", "-o", "json"])
            .run();
        let at = format!("{mode} from {}", writes[n - 1]);
        threescale_switched(&cluster, &out).map_err(|e| format!("{at} ({e})"))?;
        if !shows_outage(&out, cause) {
            return Err(format!(
                "{at}: the outage is not shown\n{}",
                tail(&out.stderr)
            ));
        }
        Ok(())
    });
}
