//! A plan cannot drift from the run in the procedures of Exastro 2.4 - 2.7 either: the mutations
//! `plan -o json` lists (tool commands, the journal's writes and the maintenance-mode PATCHes of the
//! platform's administrator API) are the ones the run executes, stage by stage, in order
//! (`common::plan_run`). URLs are compared by path: the port-forward's local port is made at run time.

mod common;

use common::plan_run::{count, plan_then_run, Plugin, Words};
use common::Cluster;

fn plan_and_run(installed: &str, available: &str, extra: &[&str]) -> Vec<Vec<Words>> {
    let cluster = Cluster::exastro(&["--installed", installed, "--available", available]);
    cluster.platform(&["set", "--jobs", "1", "--job-seconds", "1"]);
    let mut plan_args = vec!["plan", "-o", "json"];
    plan_args.extend(extra);
    let mut run_args = vec!["run", "--yes"];
    run_args.extend(extra);
    let planned = plan_then_run(&cluster, Plugin::Exastro, &plan_args, &run_args);
    assert!(planned.len() >= 8, "{planned:#?}");
    planned
}

#[test]
fn from_2_6_to_2_7_the_run_executes_its_plan_in_order_maintenance_calls_and_the_mongo_delete_included(
) {
    let planned = plan_and_run("1.6.8", "1.7.5", &[]);
    assert_eq!(
        count(&planned, "PATCH", "maintenance-mode-setting"),
        3,
        "{planned:#?}"
    );
    assert_eq!(
        count(&planned, "kubectl", "--cascade=orphan"),
        1,
        "{planned:#?}"
    );
}

#[test]
fn from_2_4_to_2_6_the_run_executes_its_plan_in_order() {
    let planned = plan_and_run("1.4.12", "1.6.8", &[]);
    assert_eq!(
        count(&planned, "PATCH", "maintenance-mode-setting"),
        3,
        "{planned:#?}"
    );
}

#[test]
fn with_maintenance_mode_off_and_the_backyard_stop_the_run_executes_its_plan_in_order() {
    plan_and_run(
        "1.6.8",
        "1.7.5",
        &["--maintenance-mode", "off", "--stop", "backyard"],
    );
}

#[test]
fn from_2_6_to_2_7_with_stop_all_the_run_executes_its_plan_in_order() {
    plan_and_run("1.6.8", "1.7.5", &["--stop", "all"]);
}
