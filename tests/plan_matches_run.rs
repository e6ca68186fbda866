//! A plan cannot drift from the run: what `plan -o json` lists is what the run then executes, stage by
//! stage, in order (`common::plan_run` says how they are compared), for both plugins: the happy paths,
//! `--stop all`, every way a run continues what an earlier one left (a half-switched 3scale project, a DC
//! left without a trigger or with both, a run killed midway and then `restore`), and the Oracle build.

mod common;

use common::plan_run::{
    count, dry_run_mutations, plan_then_run, side_by_side_sorted, Plugin, Words,
};
use common::runs::{
    finish_held, mongo_claim_uid, restore_elsewhere, signal, slow_cluster_at, wait_for_call,
};
use common::Cluster;
use serde_json::json;

fn exastro(plan: &[&str], run: &[&str]) -> Vec<Vec<Words>> {
    let cluster = Cluster::exastro(&["--replicas-mix"]);
    let mut plan_args = vec!["plan", "-o", "json"];
    plan_args.extend(plan);
    let mut run_args = vec!["run", "--yes"];
    run_args.extend(run);
    plan_then_run(&cluster, Plugin::Exastro, &plan_args, &run_args)
}

#[test]
fn exastro_run_executes_its_plan_in_order_journal_writes_included() {
    let planned = exastro(&[], &[]);
    assert!(planned.len() >= 6, "{planned:#?}");
    assert_eq!(
        count(&planned, "kubectl", "exastro-upgrade-journal"),
        4,
        "the journal's create, its two phases and its delete: {planned:#?}"
    );
    assert_eq!(count(&planned, "helm", "upgrade"), 1, "{planned:#?}");
}

#[test]
fn exastro_run_with_stop_all_executes_its_plan_in_order() {
    let planned = exastro(&["--stop", "all"], &["--stop", "all"]);
    assert_eq!(
        count(&planned, "kubectl", "deployment/ita-api-admin"),
        2,
        "--stop all stops (and puts back) what is not a backyard too: {planned:#?}"
    );
}

/// The `restore` after a run killed during its stop: `--dry-run` lists what the restore then does.
#[test]
fn restore_after_a_killed_run_executes_its_dry_run_in_order() {
    let (cluster, before, trigger) = slow_cluster_at("stop");
    let mut child = cluster.exastro_upgrade().args(&["run", "--yes"]).spawn();
    wait_for_call(&cluster, &mut child, "stop", trigger);
    signal(&child, "-KILL");
    finish_held(&cluster, child);
    let planned = restore_executes_its_dry_run(&cluster);
    assert!(planned.len() >= 3, "{planned:#?}");
    assert_eq!(cluster.replicas("exastro"), before);
}

/// `restore --dry-run`, then `restore` (both from another machine): the writes the restore makes are the
/// ones its dry run listed, in order. Returns them.
fn restore_executes_its_dry_run(cluster: &Cluster) -> Vec<Words> {
    let planned = restore_elsewhere(cluster)
        .args(&["--dry-run", "-o", "json"])
        .expect(0)
        .json();
    let planned = dry_run_mutations(&planned);
    cluster.clear_calls();
    restore_elsewhere(cluster).expect(0);
    let executed = common::plan_run::executed(cluster);
    assert_eq!(
        side_by_side_sorted(&planned),
        side_by_side_sorted(&executed),
        "restore --dry-run and restore differ (in order)"
    );
    planned
}

/// The `restore` after a 2.6 → 2.7 run killed between its orphaning delete of the mongo StatefulSet and
/// helm's upgrade (helm held, then failing having done nothing): `--dry-run` shows the re-creation from the
/// release's manifest, which the restore then runs, on the same claim.
#[test]
fn restore_after_a_run_killed_before_helm_recreates_mongo_as_its_dry_run_shows() {
    let cluster = Cluster::exastro(&["--installed", "1.6.8", "--available", "1.7.5"]);
    let (before, claim) = (cluster.replicas("exastro"), mongo_claim_uid(&cluster));
    cluster.close_gate("helm-held");
    cluster.fault(
        json!({"tool": "helm", "args_contain": ["upgrade", "--timeout"], "action": "fail",
        "gate": "helm-held", "times": 1, "stderr": "Error: never began"}),
    );
    let mut child = cluster.exastro_upgrade().args(&["run", "--yes"]).spawn();
    wait_for_call(&cluster, &mut child, "the orphaning delete", |c| {
        c.args.iter().any(|a| a == "statefulset/mongo") && c.args[0] == "delete"
    });
    signal(&child, "-KILL");
    finish_held(&cluster, child);
    let planned = restore_executes_its_dry_run(&cluster);
    assert_eq!(
        planned
            .iter()
            .filter(|w| w[..2] == ["kubectl", "create"])
            .count(),
        1,
        "the dry run shows mongo's re-creation: {planned:#?}"
    );
    assert_eq!(cluster.replicas("exastro"), before);
    assert_eq!(
        mongo_claim_uid(&cluster),
        claim,
        "the same claim serves mongo"
    );
}

fn three(args: &[&str]) -> Cluster {
    Cluster::init("3scale", args)
}

fn threescale(cluster: &Cluster, extra: &[&str]) -> Vec<Vec<Words>> {
    let mut plan_args = vec!["plan", "-n", "3scale", "-o", "json"];
    plan_args.extend(extra);
    let mut run_args = vec!["patch-images", "-n", "3scale", "--yes"];
    run_args.extend(extra);
    plan_then_run(cluster, Plugin::ThreeScale, &plan_args, &run_args)
}

#[test]
fn threescale_patch_images_executes_its_plan_in_order() {
    let planned = threescale(&three(&[]), &[]);
    assert!(planned.len() >= 10, "{planned:#?}");
}

#[test]
fn threescale_half_switched_project_run_again_executes_its_plan_in_order() {
    let (cluster, _) = common::runs::threescale_half_switched();
    cluster.set_config(|c| c["durations"]["rollout_ms"] = json!(200));
    let planned = threescale(&cluster, &["--component", "amp-system"]);
    assert!(
        !planned.is_empty(),
        "the DCs still on the old trigger are switched"
    );
}

fn set_triggers(cluster: &Cluster, dc: &str, triggers: impl Fn(&mut serde_json::Value)) {
    let mut state = cluster.state();
    for o in state["objects"].as_array_mut().unwrap() {
        if o["kind"] == "DeploymentConfig" && o["metadata"]["name"] == dc {
            triggers(&mut o["spec"]["triggers"]);
        }
    }
    cluster.write_state(&state);
}

#[test]
fn threescale_repairs_of_what_an_earlier_run_left_execute_their_plan_in_order() {
    let cluster = three(&["--db", "oracle"]);
    // both triggers (the guide's Oracle trap), and none at all (a run killed between remove and add)
    set_triggers(&cluster, "system-sidekiq", |t| {
        t.as_array_mut()
            .unwrap()
            .push(json!({"type": "ImageChange", "imageChangeParams": {
            "automatic": true, "containerNames": ["system-sidekiq", "check-svc"],
            "from": {"kind": "ImageStreamTag", "name": "amp-system:2.10-oracle"}}}))
    });
    set_triggers(&cluster, "system-app", |t| {
        *t = json!([{"type": "ConfigChange"}])
    });
    let planned = threescale(&cluster, &["--component", "amp-system"]);
    assert!(
        planned
            .iter()
            .flatten()
            .any(|w| w.iter().any(|a| a.contains("\"remove\""))),
        "{planned:#?}"
    );
}

#[test]
fn threescale_run_again_after_success_plans_and_does_nothing() {
    let cluster = three(&[]);
    threescale(&cluster, &[]);
    let planned = threescale(&cluster, &[]);
    assert!(planned.is_empty(), "{planned:#?}");
}

#[test]
fn threescale_oracle_build_then_switch_executes_its_plan_in_order() {
    let cluster = three(&["--db", "oracle", "--oracle-tag-ready", "false"]);
    let out = std::process::Command::new(common::fakecluster_bin())
        .args(["config", "--dir"])
        .arg(cluster.path())
        .args(["--build-ms", "300"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/system-oracle");
    let dir = dir.to_str().unwrap();
    let planned = threescale(&cluster, &["--db", "oracle", "--oracle-build-dir", dir]);
    assert_eq!(count(&planned, "oc", "start-build"), 1, "{planned:#?}");
}
