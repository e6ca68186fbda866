//! A plan cannot drift from the run in the procedures of Exastro 2.4 - 2.7 either: the mutations `plan -o json`
//! lists (tool commands and the maintenance-mode PATCHes of the platform's administrator API) are the ones the
//! run executes, IN ORDER. Only calls that run side by side (the batches of one stage: `kubectl scale` and the
//! CronJob patches) may come in any order among themselves, and the journal's own bookkeeping (phase updates,
//! lease renewals) is not in a plan. URLs are compared by path: the port-forward's local port is made at run
//! time.

mod common;

use common::{planned_mutations, Cluster};

/// One mutation as comparable words: argv for tools, `[METHOD, path, body]` for the administrator API.
type Words = Vec<String>;

fn path_of(url: &str) -> String {
    url.split_once("://")
        .and_then(|(_, rest)| rest.find('/').map(|i| rest[i..].to_string()))
        .unwrap_or_else(|| url.to_string())
}

/// Journal bookkeeping is dropped; the journal's create is compared up to each key's `=`.
fn comparable(words: Words) -> Option<Words> {
    let on_journal = words.iter().any(|a| a.contains("exastro-upgrade-journal"));
    if on_journal && words.get(1).map(String::as_str) == Some("patch") {
        return None;
    }
    if words[0] == "PATCH" {
        return Some(vec![words[0].clone(), path_of(&words[1]), words[2].clone()]);
    }
    Some(
        words
            .iter()
            .map(|a| match a.strip_prefix("--from-literal=") {
                Some(kv) if on_journal => {
                    format!("--from-literal={}=", kv.split('=').next().unwrap())
                }
                _ => a.clone(),
            })
            .collect(),
    )
}

/// Calls that run side by side in one stage: their order among themselves is free.
fn side_by_side(words: &Words) -> bool {
    let verb = words.get(1).map(String::as_str);
    words[0] == "kubectl"
        && (verb == Some("scale")
            || (verb == Some("patch") && words.iter().any(|w| w.starts_with("cronjob/"))))
}

/// The sequence with each run of side-by-side calls sorted.
fn normalized(list: impl IntoIterator<Item = Words>) -> Vec<Words> {
    let mut out: Vec<Words> = Vec::new();
    let mut group: Vec<Words> = Vec::new();
    for words in list.into_iter().filter_map(comparable) {
        if side_by_side(&words) {
            group.push(words);
            continue;
        }
        group.sort();
        out.append(&mut group);
        out.push(words);
    }
    group.sort();
    out.append(&mut group);
    out
}

/// The run's mutations on one timeline: the tools' (calls.log) and the administrator API's (platform.log).
fn executed(cluster: &Cluster) -> Vec<Words> {
    let mut timeline: Vec<(u64, Words)> = cluster
        .calls()
        .into_iter()
        .filter(|c| c.is_mutating())
        .map(|c| {
            (
                c.t_ms,
                std::iter::once(c.tool.clone()).chain(c.args).collect(),
            )
        })
        .collect();
    timeline.extend(
        cluster
            .admin_calls()
            .into_iter()
            .filter(|(_, method, ..)| method == "PATCH")
            .map(|(t, method, path, body)| (t, vec![method, path, body])),
    );
    timeline.sort_by_key(|(t, _)| *t);
    timeline.into_iter().map(|(_, words)| words).collect()
}

/// Returns what the plan listed, for the callers' own checks of what it must hold.
fn plan_then_run(installed: &str, available: &str, extra: &[&str]) -> Vec<Words> {
    let cluster = Cluster::exastro(&["--installed", installed, "--available", available]);
    cluster.platform(&["set", "--jobs", "1", "--job-seconds", "1"]);
    let mut plan_args = vec!["plan", "-o", "json"];
    plan_args.extend(extra);
    let plan = cluster.exastro_upgrade().args(&plan_args).expect(0).json();
    let planned = normalized(planned_mutations(&plan));
    assert!(planned.len() >= 10, "{planned:#?}");
    cluster.clear_calls();
    let _ = std::fs::remove_file(cluster.path().join("platform.log"));
    let mut run_args = vec!["run", "--yes"];
    run_args.extend(extra);
    cluster.exastro_upgrade().args(&run_args).expect(0);
    let executed = normalized(executed(&cluster));
    assert_eq!(planned, executed, "plan and run differ (in order)");
    planned
}

fn count(planned: &[Words], first: &str, containing: &str) -> usize {
    planned
        .iter()
        .filter(|w| w[0] == first && w.iter().any(|a| a.contains(containing)))
        .count()
}

#[test]
fn from_2_6_to_2_7_the_run_executes_its_plan_in_order_maintenance_calls_and_the_mongo_delete_included(
) {
    let planned = plan_then_run("1.6.8", "1.7.5", &[]);
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
    let planned = plan_then_run("1.4.12", "1.6.8", &[]);
    assert_eq!(
        count(&planned, "PATCH", "maintenance-mode-setting"),
        3,
        "{planned:#?}"
    );
}

#[test]
fn with_maintenance_mode_off_and_the_backyard_stop_the_run_executes_its_plan_in_order() {
    plan_then_run(
        "1.6.8",
        "1.7.5",
        &["--maintenance-mode", "off", "--stop", "backyard"],
    );
}
