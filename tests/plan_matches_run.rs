//! A plan cannot drift from the run: the mutating commands `plan -o json` lists are the mutating commands the
//! run then executes (as the recorder saw the real kubectl, the fake helm and oc run), for both plugins.
//! Only what is made at run time differs: the journal's content (shown as placeholders) and the journal's own
//! bookkeeping (phase updates and lease renewals, which a plan cannot count in advance).

mod common;

use common::{planned_mutations, Cluster};

/// Keeps the journal's create and delete (their place in the run matters) and drops its bookkeeping; the
/// create's values are compared up to the `=` of each key (the plan shows placeholders there).
fn comparable(argv: &[String]) -> Option<Vec<String>> {
    let on_journal = argv.iter().any(|a| a.contains("exastro-upgrade-journal"));
    let verb = argv.get(1).map(String::as_str);
    if on_journal && verb == Some("patch") {
        return None;
    }
    Some(
        argv.iter()
            .map(|a| match a.strip_prefix("--from-literal=") {
                Some(kv) if on_journal => {
                    format!("--from-literal={}=", kv.split('=').next().unwrap())
                }
                _ => a.clone(),
            })
            .collect(),
    )
}

fn sorted(list: impl IntoIterator<Item = Vec<String>>) -> Vec<Vec<String>> {
    let mut list: Vec<_> = list.into_iter().filter_map(|a| comparable(&a)).collect();
    list.sort();
    list
}

fn executed_mutations(cluster: &Cluster) -> Vec<Vec<String>> {
    cluster
        .calls()
        .into_iter()
        .filter(|c| c.is_mutating())
        .map(|c| std::iter::once(c.tool.clone()).chain(c.args).collect())
        .collect()
}

#[test]
fn exastro_run_executes_exactly_the_mutations_its_plan_shows() {
    let cluster = Cluster::exastro(&["--replicas-mix"]);
    let plan = cluster
        .exastro_upgrade()
        .args(&["plan", "-o", "json"])
        .expect(0)
        .json();
    let planned = sorted(planned_mutations(&plan));
    assert!(planned.len() >= 8, "{planned:#?}");
    cluster.clear_calls();
    cluster.exastro_upgrade().args(&["run", "--yes"]).expect(0);
    let executed = sorted(executed_mutations(&cluster));
    assert_eq!(planned, executed, "plan and run differ");
}

#[test]
fn threescale_patch_images_executes_exactly_the_mutations_its_plan_shows() {
    let cluster = Cluster::init("3scale", &[]);
    let plan = cluster
        .threescale_upgrade()
        .args(&["plan", "-n", "3scale", "-o", "json"])
        .expect(0)
        .json();
    let planned = sorted(planned_mutations(&plan));
    assert!(planned.len() >= 10, "{planned:#?}");
    cluster.clear_calls();
    cluster
        .threescale_upgrade()
        .args(&["patch-images", "-n", "3scale", "--yes"])
        .expect(0);
    let executed = sorted(executed_mutations(&cluster));
    assert_eq!(planned, executed, "plan and run differ");
}
