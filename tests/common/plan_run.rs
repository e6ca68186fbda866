//! Plan against run, in order: the mutations `plan -o json` lists, stage by stage, are the mutations the
//! run then executes (the recorder's calls of the real kubectl and the fake helm and oc, and the PATCHes
//! of the Exastro administrator API), in the same stages. Inside a stage the commands run side by side, so
//! their order among themselves is free; across stages it is checked. The journal's create and phase
//! updates are in both, compared up to their keys (their values are made at run time); only the lease's
//! renewals are left out: they come every few seconds, as long as the run lasts.

use serde_json::Value;

use super::Cluster;

/// One mutation as comparable words: argv for tools, `[METHOD, path, body]` for the administrator API.
pub type Words = Vec<String>;

const JOURNAL: &str = "exastro-upgrade-journal";

fn path_of(url: &str) -> String {
    url.split_once("://")
        .and_then(|(_, rest)| rest.find('/').map(|i| rest[i..].to_string()))
        .unwrap_or_else(|| url.to_string())
}

/// A journal patch's keys with `<value>` for each value: `{"data":{"journal.json":"<value>"}}`.
fn journal_patch_keys(patch: &str) -> Option<String> {
    let value: Value = serde_json::from_str(patch).ok()?;
    let keys: serde_json::Map<String, Value> = value["data"]
        .as_object()?
        .keys()
        .map(|k| (k.clone(), Value::from("<value>")))
        .collect();
    Some(serde_json::json!({ "data": keys }).to_string())
}

/// `None` for a lease renewal; the words with run-time values blanked otherwise.
pub fn comparable(words: Words) -> Option<Words> {
    if words[0] == "PATCH" {
        return Some(vec![words[0].clone(), path_of(&words[1]), words[2].clone()]);
    }
    if !words.iter().any(|a| a.contains(JOURNAL)) {
        return Some(words);
    }
    let mut out = Vec::new();
    let mut patch_next = false;
    for word in &words {
        if patch_next {
            let keys = journal_patch_keys(word).expect("a journal patch is JSON");
            if keys == r#"{"data":{"lease.json":"<value>"}}"# {
                return None;
            }
            out.push(keys);
            patch_next = false;
            continue;
        }
        patch_next = word == "-p";
        match word.strip_prefix("--from-literal=") {
            Some(kv) => out.push(format!("--from-literal={}=", kv.split('=').next().unwrap())),
            None => out.push(word.clone()),
        }
    }
    Some(out)
}

/// The plan's mutations, stage by stage (a stage without a mutation is left out).
pub fn planned_stages(plan: &Value) -> Vec<Vec<Words>> {
    let mut stages: Vec<Vec<Words>> = Vec::new();
    for step in plan["steps"].as_array().expect("steps") {
        let mut last = None;
        for cmd in step["commands"].as_array().cloned().unwrap_or_default() {
            if cmd["effect"] != "mutate" {
                continue;
            }
            let words = shlex::split(cmd["command"].as_str().unwrap())
                .expect("a plan's command is shell-quoted");
            let Some(words) = comparable(words) else {
                continue;
            };
            let stage = cmd["stage"]
                .as_u64()
                .expect("every planned command has a stage");
            if last != Some(stage) {
                stages.push(Vec::new());
                last = Some(stage);
            }
            stages.last_mut().unwrap().push(words);
        }
    }
    stages
}

/// The mutations `restore --dry-run -o json` lists, in order: the tools' calls that change something and the
/// administrator API's PATCHes.
pub fn dry_run_mutations(planned: &Value) -> Vec<Words> {
    planned["commands"]
        .as_array()
        .expect("a dry run lists its commands")
        .iter()
        .map(|c| shlex::split(c.as_str().unwrap()).expect("a command is shell-quoted"))
        .filter(|w| w[0] == "PATCH" || super::Call::of(w).is_mutating())
        .filter_map(comparable)
        .collect()
}

/// The run's mutations on one timeline: the tools' (calls.log) and the administrator API's (platform.log).
pub fn executed(cluster: &Cluster) -> Vec<Words> {
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
    timeline
        .into_iter()
        .filter_map(|(_, words)| comparable(words))
        .collect()
}

/// The executed mutations must be the planned stages, in order; inside a stage, in any order.
pub fn assert_run_is_plan(planned: &[Vec<Words>], executed: &[Words]) {
    let render = |list: &[Words]| {
        list.iter()
            .map(|w| format!("  {}", w.join(" ")))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let flat: Vec<Words> = planned.iter().flatten().cloned().collect();
    assert_eq!(
        flat.len(),
        executed.len(),
        "plan and run differ in number of mutations\n--- planned\n{}\n--- executed\n{}",
        render(&flat),
        render(executed)
    );
    let mut at = 0;
    for (i, stage) in planned.iter().enumerate() {
        let mut want = stage.clone();
        let mut got = executed[at..at + stage.len()].to_vec();
        want.sort();
        got.sort();
        assert_eq!(
            want,
            got,
            "stage {} of the plan is not what the run did there\n--- planned\n{}\n--- executed\n{}",
            i + 1,
            render(&flat),
            render(executed)
        );
        at += stage.len();
    }
}

/// Plans with `plan_args`, runs with `run_args` on the same cluster, and checks the run did the plan.
/// Returns the planned stages, for the callers' own checks of what they must hold.
pub fn plan_then_run(
    cluster: &Cluster,
    plugin: Plugin,
    plan_args: &[&str],
    run_args: &[&str],
) -> Vec<Vec<Words>> {
    let plan = plugin.run(cluster, plan_args).expect(0).json();
    let planned = planned_stages(&plan);
    cluster.clear_calls();
    let _ = std::fs::remove_file(cluster.path().join("platform.log"));
    plugin.run(cluster, run_args).expect(0);
    assert_run_is_plan(&planned, &executed(cluster));
    planned
}

#[derive(Clone, Copy)]
pub enum Plugin {
    Exastro,
    ThreeScale,
}

impl Plugin {
    fn run<'a>(self, cluster: &'a Cluster, args: &[&str]) -> super::Run<'a> {
        match self {
            Plugin::Exastro => cluster.exastro_upgrade().args(args),
            Plugin::ThreeScale => cluster.threescale_upgrade().args(args),
        }
    }
}

/// How many planned mutations start with `first` and hold `containing`.
pub fn count(planned: &[Vec<Words>], first: &str, containing: &str) -> usize {
    planned
        .iter()
        .flatten()
        .filter(|w| w[0] == first && w.iter().any(|a| a.contains(containing)))
        .count()
}

/// Where the order of a list of mutations is known only up to the calls that run side by side (a
/// command's `--dry-run` lists words, not stages): each run of `kubectl scale` and CronJob patches sorted.
pub fn side_by_side_sorted(list: &[Words]) -> Vec<Words> {
    let side_by_side = |w: &Words| {
        let verb = w.get(1).map(String::as_str);
        w[0] == "kubectl"
            && (verb == Some("scale")
                || (verb == Some("patch") && w.iter().any(|a| a.starts_with("cronjob/"))))
    };
    let mut out: Vec<Words> = Vec::new();
    let mut group: Vec<Words> = Vec::new();
    for words in list {
        if side_by_side(words) {
            group.push(words.clone());
            continue;
        }
        group.sort();
        out.append(&mut group);
        out.push(words.clone());
    }
    group.sort();
    out.append(&mut group);
    out
}
