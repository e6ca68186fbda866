//! `kubectl exastro-upgrade run` end to end, through the built binary, against the fake cluster.

mod common;

use common::{Call, Cluster};
use serde_json::{json, Value};

const NS: &str = "exastro";

fn backyards(cluster: &Cluster) -> Vec<String> {
    cluster
        .replicas(NS)
        .into_keys()
        .filter(|n| n.starts_with("ita-by-"))
        .collect()
}

fn scale_calls(calls: &[Call]) -> Vec<&Call> {
    calls
        .iter()
        .filter(|c| c.tool == "kubectl" && c.args.first().map(String::as_str) == Some("scale"))
        .collect()
}

fn replicas_arg(call: &Call) -> i64 {
    call.args
        .iter()
        .find_map(|a| a.strip_prefix("--replicas="))
        .expect("scale call has --replicas")
        .parse()
        .unwrap()
}

fn current_revision(cluster: &Cluster) -> Value {
    cluster.release_history("exastro").last().unwrap().clone()
}

fn edit_chart_version(cluster: &Cluster, version: &str, edit: impl FnOnce(&mut Value)) {
    let mut state = cluster.state();
    for repo in state["repos"].as_array_mut().unwrap() {
        for chart in repo["charts"].as_array_mut().unwrap() {
            if chart["name"] == "exastro" && chart["version"] == version {
                edit(chart);
                cluster.write_state(&state);
                return;
            }
        }
    }
    panic!("chart exastro {version} not in the fake repo");
}

fn remove_object(cluster: &Cluster, kind: &str, name: &str) {
    let mut state = cluster.state();
    let objects = state["objects"].as_array_mut().unwrap();
    let before = objects.len();
    objects.retain(|o| !(o["kind"] == kind && o["metadata"]["name"] == name));
    assert!(
        objects.len() < before,
        "{kind} {name} not in the fake state"
    );
    cluster.write_state(&state);
}

fn assert_no_mutation(cluster: &Cluster) {
    let mutating = cluster.mutating_calls();
    assert!(
        mutating.is_empty(),
        "expected zero mutating calls, got {mutating:#?}"
    );
}

#[test]
fn happy_path_on_the_seed_layout() {
    let cluster = Cluster::exastro(&[]);
    let before = cluster.replicas(NS);
    cluster.clear_calls();
    let out = cluster.exastro_upgrade().args(&["run", "--yes"]).expect(0);

    assert!(out.stdout.contains("chart 1.0.0 -> 1.0.1"), "{out:?}");
    assert!(out.stdout.contains("app   2.0.3 -> 2.1.0"), "{out:?}");
    // Every step shows in plain (non-terminal) progress lines.
    for step in [
        "[1/8] Preflight checks",
        "[4/8] Stopping platform-auth and 5 backyard(s) (6 deployments",
        "[8/8] Verifying",
    ] {
        assert!(
            out.stderr.contains(step),
            "missing {step:?} in\n{}",
            out.stderr
        );
    }
    assert_eq!(cluster.replicas(NS), before, "every count is back");
    let rev = current_revision(&cluster);
    assert_eq!(rev["status"], "deployed");
    assert_eq!(rev["chart_version"], "1.0.1");
    assert!(
        !cluster.configmap_exists(NS, "exastro-upgrade-journal"),
        "lock released"
    );
    assert_eq!(backyards(&cluster).len(), 5);
    // The upgrade used the resolved version and the values file, with helm's spelling of the flags.
    let calls = cluster.calls();
    let upgrade = calls
        .iter()
        .find(|c| c.is_helm_upgrade())
        .expect("helm upgrade ran");
    let mut expected = vec![
        "upgrade",
        "exastro",
        "exastro/exastro",
        "-f",
        "exastro.yaml",
        "--version",
        "1.0.1",
        "--timeout",
        "10m0s",
    ];
    // helm 4 applies the release server-side: the stop's scale makes replica conflicts that helm takes back
    if common::helm_major() == 4 {
        expected.push("--force-conflicts");
    }
    expected.extend(["-n", "exastro"]);
    assert_eq!(upgrade.args, expected);
    // The new key the seed's diff shows is reported before the confirmation.
    assert!(
        out.stderr
            .contains("exastro-platform.platform-auth.extraEnv.EXTERNAL_URL"),
        "{}",
        out.stderr
    );
}

#[test]
fn ordering_platform_auth_first_and_last_nothing_restored_before_migrations() {
    let cluster = Cluster::exastro(&[]);
    cluster.set_config(|c| c["durations"]["migration_ms"] = json!(800));
    cluster.exastro_upgrade().args(&["run", "--yes"]).expect(0);
    let calls = cluster.calls();
    let scales = scale_calls(&calls);
    // First scale: platform-auth alone, to 0.
    assert_eq!(scales[0].args[1], "deployment/platform-auth");
    assert_eq!(scales[0].args.len(), 5, "{:?}", scales[0].args);
    assert_eq!(replicas_arg(scales[0]), 0);
    // helm brought platform-auth back at the chart's count (users are in): its recorded count is set in the
    // put-back's one stage, with the backyards, after the migrations.
    let auth_up = scales
        .iter()
        .rposition(|c| c.args[1] == "deployment/platform-auth")
        .unwrap();
    assert!(replicas_arg(scales[auth_up]) > 0);
    let put_back_start = scales.iter().rposition(|c| replicas_arg(c) == 0).unwrap() + 1;
    assert!(auth_up >= put_back_start, "{calls:#?}");
    // Nothing is scaled up before the last migration poll, which must come after the upgrade.
    let upgrade_at = calls.iter().position(|c| c.is_helm_upgrade()).unwrap();
    let first_up = calls
        .iter()
        .position(|c| c.args[0] == "scale" && replicas_arg(c) > 0)
        .unwrap();
    let last_migration_poll = calls
        .iter()
        .rposition(|c| {
            c.tool == "kubectl" && c.args.get(1).map(String::as_str) == Some("pods,jobs")
        })
        .expect("migration polls");
    assert!(
        upgrade_at < last_migration_poll && last_migration_poll < first_up,
        "{calls:#?}"
    );
}

#[test]
fn platform_auth_still_down_after_helm_comes_back_last_alone() {
    let cluster = Cluster::exastro(&[]);
    // The new chart renders no replica count for platform-auth (autoscaling): helm leaves it at 0.
    edit_chart_version(&cluster, "1.0.1", |chart| {
        for d in chart["manifest"]["deployments"].as_array_mut().unwrap() {
            if d["name"] == "platform-auth" {
                d["replicas"] = Value::Null;
            }
        }
    });
    cluster.exastro_upgrade().args(&["run", "--yes"]).expect(0);
    let calls = cluster.calls();
    let scales = scale_calls(&calls);
    let last = scales.last().unwrap();
    assert_eq!(last.args[1], "deployment/platform-auth", "{calls:#?}");
    assert_eq!(last.args.len(), 5, "alone: {:?}", last.args);
    assert!(replicas_arg(last) > 0);
    // Every backyard was back before it started: users come back to a running system.
    let last_at = calls.iter().rposition(|c| std::ptr::eq(c, *last)).unwrap();
    let backyard_ups: Vec<&Call> = calls
        .iter()
        .filter(|c| {
            c.args[0] == "scale" && replicas_arg(c) > 0 && c.args[1] != "deployment/platform-auth"
        })
        .collect();
    assert!(!backyard_ups.is_empty());
    assert!(
        backyard_ups
            .iter()
            .all(|c| c.t_ms + c.ms <= calls[last_at].t_ms),
        "{calls:#?}"
    );
}

#[test]
fn eighteen_backyards_are_all_discovered_and_scaled_in_concurrent_batches_of_five() {
    let cluster = Cluster::exastro(&["--backyards", "18"]);
    let before = cluster.replicas(NS);
    cluster.clear_calls();
    cluster.exastro_upgrade().args(&["run", "--yes"]).expect(0);
    assert_eq!(cluster.replicas(NS), before);
    let calls = cluster.calls();
    let scales = scale_calls(&calls);
    // Stop: platform-auth alone, then the 18 in batches of at most 5 (kubectl handles named objects one by
    // one, within a burst of 10 requests: 5 objects = 10 requests).
    assert_eq!(scales[0].args[1], "deployment/platform-auth");
    let stop_batches: Vec<&&Call> = scales[1..]
        .iter()
        .take_while(|c| c.args.iter().any(|a| a == "--replicas=0"))
        .take(4)
        .collect();
    let objects = |c: &Call| {
        c.args
            .iter()
            .filter(|a| a.starts_with("deployment/"))
            .count()
    };
    assert!(
        stop_batches.iter().all(|c| objects(c) <= 5),
        "{stop_batches:#?}"
    );
    let stopped: std::collections::BTreeSet<&String> = stop_batches
        .iter()
        .flat_map(|c| {
            c.args
                .iter()
                .filter(|a| a.starts_with("deployment/ita-by-"))
        })
        .collect();
    assert_eq!(stopped.len(), 18, "{stop_batches:#?}");
    // The batches run side by side: their time spans overlap.
    let log = std::fs::read_to_string(cluster.path().join("calls.log")).unwrap();
    let spans: Vec<(i64, i64)> = log
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|v| v["args"][0] == "scale" && v["args"].to_string().contains("--replicas=0"))
        .skip(1)
        .take(4)
        .map(|v| {
            let t = v["t_ms"].as_i64().unwrap();
            (t, t + v["ms"].as_i64().unwrap())
        })
        .collect();
    let latest_start = spans.iter().map(|s| s.0).max().unwrap();
    let earliest_end = spans.iter().map(|s| s.1).min().unwrap();
    assert!(
        latest_start < earliest_end,
        "the stop batches did not overlap: {spans:?}"
    );
    // The other release's deployment is never touched.
    assert!(calls
        .iter()
        .all(|c| !c.args.iter().any(|a| a.contains("ita-ag-oase"))));
}

#[test]
fn replica_mix_survives_helm_resetting_counts() {
    let cluster = Cluster::exastro(&["--replicas-mix"]);
    let before = cluster.replicas(NS);
    assert!(
        before.values().any(|&r| r == 0) && before.values().any(|&r| r >= 2),
        "{before:?}"
    );
    cluster.clear_calls();
    cluster.exastro_upgrade().args(&["run", "--yes"]).expect(0);
    // One recorded at 0 ends at 0 although helm reset it to the chart's 1.
    assert_eq!(cluster.replicas(NS), before);
}

#[test]
fn helm_upgrade_failure_puts_counts_back_and_exits_1() {
    let cluster = Cluster::exastro(&["--replicas-mix"]);
    let before = cluster.replicas(NS);
    cluster.fault(json!({
        "tool": "helm", "args_contain": ["upgrade", "--timeout"], "action": "fail", "exit": 1,
        "stderr": "Error: UPGRADE FAILED: cannot patch \"mongo\" with kind StatefulSet: StatefulSet.apps \"mongo\" is invalid: spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"
    }));
    cluster.clear_calls();
    let out = cluster.exastro_upgrade().args(&["run", "--yes"]).expect(1);
    assert!(
        out.stderr
            .contains("UPGRADE FAILED: cannot patch \"mongo\""),
        "helm's own message: {out:?}"
    );
    assert!(
        out.stderr
            .contains("Every recorded replica count was put back"),
        "{out:?}"
    );
    assert_eq!(cluster.replicas(NS), before);
    assert!(!cluster.configmap_exists(NS, "exastro-upgrade-journal"));
}

#[test]
fn failed_migration_shows_logs_and_puts_counts_back() {
    let cluster = Cluster::exastro(&[]);
    edit_chart_version(&cluster, "1.0.1", |c| c["migration_fails"] = json!(true));
    let before = cluster.replicas(NS);
    cluster.clear_calls();
    let out = cluster
        .exastro_upgrade()
        .args(&["run", "--yes", "--timeout", "30s"])
        .expect(1);
    assert!(out.stderr.contains("migration pod(s) failed"), "{out:?}");
    assert!(out.stderr.contains("--- last log lines of pod"), "{out:?}");
    assert_eq!(cluster.replicas(NS), before);
}

#[test]
fn already_at_target_is_nothing_to_do() {
    let cluster = Cluster::exastro(&["--installed", "1.0.1"]);
    let out = cluster.exastro_upgrade().args(&["run", "--yes"]).expect(0);
    assert!(out.stdout.contains("already at chart 1.0.1"), "{out:?}");
    assert_no_mutation(&cluster);
}

#[test]
fn no_terminal_without_yes_changes_nothing() {
    let cluster = Cluster::exastro(&[]);
    let out = cluster.exastro_upgrade().args(&["run"]).expect(2);
    assert!(out.stderr.contains("re-run with --yes"), "{out:?}");
    assert!(
        out.stderr.contains("About to upgrade release exastro"),
        "{out:?}"
    );
    assert_no_mutation(&cluster);
}

#[test]
fn dry_run_and_plan_change_nothing_and_show_real_counts() {
    let cluster = Cluster::exastro(&["--replicas-mix"]);
    for args in [&["run", "--dry-run"][..], &["plan"][..]] {
        cluster.clear_calls();
        let out = cluster.exastro_upgrade().args(args).expect(0);
        assert_no_mutation(&cluster);
        assert!(
            out.stdout
                .contains("kubectl scale deployment/platform-auth --replicas=0 -n exastro"),
            "{out:?}"
        );
        let forced = if common::helm_major() == 4 {
            " --force-conflicts"
        } else {
            ""
        };
        assert!(out.stdout.contains(&format!("helm upgrade exastro exastro/exastro -f exastro.yaml --version 1.0.1 --timeout 10m0s{forced} -n exastro")), "{out:?}");
        if common::helm_major() == 4 {
            // the plan says which helm, how it applies the release and why it forces
            assert!(
                out.stdout.contains("helm v4.2.4")
                    && out
                        .stdout
                        .contains("the release is applied server-side (field manager helm)")
                    && out.stdout.contains(
                        "helm upgrade --force-conflicts: every conflict is a replica count"
                    ),
                "{out:?}"
            );
        }
        // The journal's values are made when the run starts: the plan shows placeholders, not a run id
        // or a lease that would look copy-pastable.
        assert!(
            out.stdout.contains("'--from-literal=journal.json=<made at run time: run id, start time, phase, 6 recorded count(s), 2 CronJob(s)>'"),
            "{out:?}"
        );
        assert!(!out.stdout.contains("run_id"), "{out:?}");
        assert!(!out.stdout.contains("renewTime"), "{out:?}");
        // The put-back groups use the recorded counts (the mix has 0, 1, 2 and 3).
        for n in 0..=3 {
            assert!(
                out.stdout.contains(&format!("--replicas={n} -n exastro")),
                "count {n} missing:\n{}",
                out.stdout
            );
        }
    }
    let out = cluster
        .exastro_upgrade()
        .args(&["plan", "-o", "json"])
        .expect(0);
    let plan = out.json();
    assert_eq!(plan["status"], "planned");
    assert_eq!(plan["steps"].as_array().unwrap().len(), 8);
    assert_eq!(plan["steps"][3]["state"], "previewed");
}

#[test]
fn bad_values_yaml_is_refused() {
    let cluster = Cluster::exastro(&[]);
    std::fs::write(
        cluster.path().join("bad.yaml"),
        "global:\n  itaGlobalDefinition: [1, 2\n",
    )
    .unwrap();
    let out = cluster
        .exastro_upgrade()
        .args(&["run", "--yes", "-f", "bad.yaml"])
        .expect(2);
    assert!(out.stderr.contains("bad.yaml is not valid YAML"), "{out:?}");
    assert!(out.stderr.contains("nothing was changed"), "{out:?}");
    assert_no_mutation(&cluster);
    std::fs::write(cluster.path().join("list.yaml"), "- a\n- b\n").unwrap();
    let out = cluster
        .exastro_upgrade()
        .args(&["run", "--yes", "-f", "list.yaml"])
        .expect(2);
    assert!(out.stderr.contains("must be a YAML mapping"), "{out:?}");
    assert_no_mutation(&cluster);
}

#[test]
fn missing_values_file_is_refused() {
    let cluster = Cluster::exastro(&[]);
    let out = cluster
        .exastro_upgrade()
        .args(&["run", "--yes", "-f", "nope.yaml"])
        .expect(2);
    assert!(
        out.stderr.contains("cannot read the values file nope.yaml"),
        "{out:?}"
    );
    assert_no_mutation(&cluster);
}

#[test]
fn missing_namespace_and_release_are_refused_together_with_other_problems() {
    let cluster = Cluster::exastro(&[]);
    let out = cluster
        .exastro_upgrade()
        .args(&["run", "--yes", "-n", "nowhere", "-f", "nope.yaml"])
        .expect(2);
    assert!(
        out.stderr.contains("namespace \"nowhere\" not found"),
        "{out:?}"
    );
    assert!(
        out.stderr.contains("cannot read the values file"),
        "every problem at once: {out:?}"
    );
    assert_no_mutation(&cluster);
    let out = cluster
        .exastro_upgrade()
        .args(&["run", "--yes", "--release", "other"])
        .expect(2);
    assert!(
        out.stderr
            .contains("helm release \"other\" not found in namespace \"exastro\""),
        "{out:?}"
    );
    assert_no_mutation(&cluster);
}

#[test]
fn pending_release_is_explained_with_the_rollback_command() {
    let cluster = Cluster::exastro(&[]);
    // A second revision left pending by an interrupted helm.
    cluster.leave_release_pending("exastro");
    let out = cluster.exastro_upgrade().args(&["run", "--yes"]).expect(2);
    assert!(out.stderr.contains("is pending-upgrade"), "{out:?}");
    assert!(
        out.stderr.contains("helm rollback exastro 1 -n exastro"),
        "{out:?}"
    );
    assert_no_mutation(&cluster);
}

#[test]
fn encrypt_key_guard_refuses_when_a_secret_is_missing_and_values_do_not_set_it() {
    let cluster = Cluster::exastro(&[]);
    remove_object(&cluster, "Secret", "ita-secret-ita-global");
    let out = cluster.exastro_upgrade().args(&["run", "--yes"]).expect(2);
    assert!(
        out.stderr
            .contains("ENCRYPT_KEY guard: secret ita-secret-ita-global does not exist"),
        "{out:?}"
    );
    assert!(
        !out.stderr
            .contains("platform-secret-pf-global does not exist"),
        "{out:?}"
    );
    assert_no_mutation(&cluster);
    // Setting the key in the values file satisfies the guard, and the key never shows up in output.
    let values = std::fs::read_to_string(cluster.path().join("exastro.yaml")).unwrap();
    let mut doc: serde_yaml::Value = serde_yaml::from_str(&values).unwrap();
    doc["global"]["itaGlobalDefinition"]["secret"]["ENCRYPT_KEY"] =
        serde_yaml::Value::String("c2VjcmV0LWtleS1mcm9tLWJhY2t1cA==".into());
    std::fs::write(
        cluster.path().join("with-key.yaml"),
        serde_yaml::to_string(&doc).unwrap(),
    )
    .unwrap();
    let out = cluster
        .exastro_upgrade()
        .args(&["run", "--yes", "-v", "-f", "with-key.yaml", "-o", "json"])
        .expect(0);
    assert!(
        !out.stdout.contains("c2VjcmV0") && !out.stderr.contains("c2VjcmV0"),
        "secret leaked: {out:?}"
    );
}

#[test]
fn reinstall_guard_refuses() {
    let cluster = Cluster::exastro(&[]);
    let values = std::fs::read_to_string(cluster.path().join("exastro.yaml")).unwrap();
    let mut doc: serde_yaml::Value = serde_yaml::from_str(&values).unwrap();
    doc["exastro-platform"]["mariadb"]["persistence"]["reinstall"] = serde_yaml::Value::Bool(true);
    std::fs::write(
        cluster.path().join("reinstall.yaml"),
        serde_yaml::to_string(&doc).unwrap(),
    )
    .unwrap();
    let out = cluster
        .exastro_upgrade()
        .args(&["run", "--yes", "-f", "reinstall.yaml"])
        .expect(2);
    assert!(
        out.stderr
            .contains("exastro-platform.mariadb.persistence.reinstall is true"),
        "{out:?}"
    );
    assert_no_mutation(&cluster);
}

#[test]
fn verbose_shows_every_command_shell_quoted() {
    let cluster = Cluster::exastro(&[]);
    let out = cluster.exastro_upgrade().args(&["plan", "-v"]).expect(0);
    assert!(
        out.stderr
            .contains("+ helm list -a -o json --filter '^exastro$' -n exastro"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains(
            "+ kubectl get deployments,statefulsets,pods,jobs,cronjobs -o json -n exastro"
        ),
        "{}",
        out.stderr
    );
}

/// A run's log read as CI shows it: every line timestamped, `-v` lines short enough to read (payloads such
/// as the journal shown by their size).
#[test]
fn a_verbose_log_is_timestamped_and_its_payloads_are_shortened() {
    let cluster = Cluster::exastro(&[]);
    let out = cluster
        .exastro_upgrade()
        .args(&["run", "--yes", "-v"])
        .expect(0);
    // 2026-12-04T19:20:02Z ...
    let stamped =
        |l: &str| l.len() > 21 && &l[4..5] == "-" && &l[10..11] == "T" && &l[19..21] == "Z ";
    for line in out.stderr.lines().filter(|l| !l.trim().is_empty()) {
        assert!(stamped(line), "no timestamp: {line:?}");
        assert!(
            line.len() < 400,
            "a -v line of {} characters: {line}",
            line.len()
        );
    }
    assert!(
        out.stderr
            .contains("--from-literal=journal.json=<journal.json: ")
            && out.stderr.contains("-p <data.journal.json: "),
        "{}",
        out.stderr
    );
}

#[test]
fn json_output_of_a_run() {
    let cluster = Cluster::exastro(&[]);
    let out = cluster
        .exastro_upgrade()
        .args(&["run", "--yes", "-o", "json"])
        .expect(0);
    let v = out.json();
    assert_eq!(v["status"], "upgraded");
    assert_eq!(v["from"]["chart"], "1.0.0");
    assert_eq!(v["to"]["chart"], "1.0.1");
    assert_eq!(v["restored"].as_array().unwrap().len(), 6);
    assert_eq!(v["exit_code"], 0);
    let helm = v["tools"]["helm"].as_str().unwrap();
    assert!(
        helm.starts_with(&format!("v{}.", common::helm_major())),
        "{v}"
    );
    assert_eq!(v["helm"]["major"], common::helm_major(), "{v}");
    let method = if common::helm_major() == 4 {
        "server-side"
    } else {
        "client-side"
    };
    assert_eq!(v["helm"]["apply_method"], method, "{v}");
    assert!(
        v["tools"]["kubectl"].as_str().unwrap().starts_with("v1.32"),
        "{v}"
    );
    assert!(
        out.stderr.contains(&format!("helm {helm}, kubectl v1.32")),
        "{}",
        out.stderr
    );
}

#[test]
fn values_diff_and_status() {
    let cluster = Cluster::exastro(&[]);
    let out = cluster.exastro_upgrade().args(&["values-diff"]).expect(0);
    assert!(
        out.stdout
            .contains("+ exastro-platform.platform-auth.extraEnv.EXTERNAL_URL"),
        "{out:?}"
    );
    let v = cluster
        .exastro_upgrade()
        .args(&["values-diff", "-o", "json"])
        .expect(0)
        .json();
    assert!(v["drift"]["added"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["path"] == "exastro-platform.platform-auth.extraEnv.EXTERNAL_URL"));
    let out = cluster.exastro_upgrade().args(&["status"]).expect(0);
    assert!(
        out.stdout.contains("release exastro in exastro: deployed"),
        "{out:?}"
    );
    assert!(out.stdout.contains("platform-auth"), "{out:?}");
    assert!(out.stdout.contains("no unfinished run"), "{out:?}");
    assert_no_mutation(&cluster);
}

#[test]
fn stop_all_stops_every_workload_of_the_namespace_and_puts_them_back() {
    let cluster = Cluster::exastro(&["--replicas-mix"]);
    let before = cluster.replicas(NS);
    cluster.clear_calls();
    let out = cluster
        .exastro_upgrade()
        .args(&["run", "--yes", "--stop", "all"])
        .expect(0);
    assert!(
        out.stderr.contains(&format!(
            "[4/8] Stopping every workload ({} objects)",
            before.len()
        )),
        "{}",
        out.stderr
    );
    assert_eq!(cluster.replicas(NS), before);
    let calls = cluster.calls();
    // The 2.4+ runbook stops everything, the other release's deployment and the database included
    // (in batches of at most five objects, before helm)...
    let upgrade_at = calls.iter().position(|c| c.is_helm_upgrade()).unwrap();
    let stopped: Vec<&String> = calls[..upgrade_at]
        .iter()
        .filter(|c| c.args[0] == "scale" && c.args.iter().any(|a| a == "--replicas=0"))
        .flat_map(|c| c.args.iter())
        .collect();
    for name in [
        "deployment/mariadb",
        "deployment/ita-ag-oase",
        "deployment/keycloak",
    ] {
        assert!(
            stopped.iter().any(|a| *a == name),
            "{name} not stopped: {stopped:?}"
        );
    }
    // ...and does not stop them again after helm: the migrations need the database.
    assert_eq!(before["mariadb"], 1);
    let database_stopped_after_helm = calls[upgrade_at..].iter().any(|c| {
        c.args[0] == "scale"
            && replicas_arg(c) == 0
            && c.args.iter().any(|a| a == "deployment/mariadb")
    });
    assert!(!database_stopped_after_helm, "{calls:#?}");
}

#[test]
fn context_and_kubeconfig_reach_kubectl_and_helm_in_their_spelling() {
    let cluster = Cluster::exastro(&[]);
    // a second kubeconfig file (the real kubectl reads it: it must name the context and the server)
    let kubeconfig = cluster.path().join("other-kubeconfig");
    std::fs::copy(cluster.kubeconfig(), &kubeconfig).unwrap();
    let kc = kubeconfig.to_str().unwrap();
    cluster
        .exastro_upgrade()
        .args(&[
            "plan",
            "--context",
            "kubernetes-admin@kubernetes",
            "--kubeconfig",
            kc,
        ])
        .expect(0);
    let calls = cluster.calls();
    for call in calls
        .iter()
        .filter(|c| c.tool == "kubectl" && c.args[0] != "version")
    {
        assert!(
            call.args
                .iter()
                .any(|a| a == "--context=kubernetes-admin@kubernetes"),
            "{call:?}"
        );
        assert!(
            call.args.iter().any(|a| a == &format!("--kubeconfig={kc}")),
            "{call:?}"
        );
    }
    let helm_list = calls
        .iter()
        .find(|c| c.tool == "helm" && c.args[0] == "list")
        .unwrap();
    assert!(
        helm_list
            .args
            .iter()
            .any(|a| a == "--kube-context=kubernetes-admin@kubernetes"),
        "{helm_list:?}"
    );
    assert!(
        helm_list
            .args
            .iter()
            .any(|a| a == &format!("--kubeconfig={kc}")),
        "{helm_list:?}"
    );

    let out = cluster
        .exastro_upgrade()
        .args(&["run", "--yes", "--context", "nope"])
        .expect(2);
    assert!(
        out.stderr
            .contains("context \"nope\" is not in the kubeconfig: check --context"),
        "{out:?}"
    );
    cluster.assert_nothing_changed();
}

#[test]
fn a_stale_repo_index_is_updated_before_the_target_is_resolved() {
    // 1.0.1 is published but not in the local index until `helm repo update`.
    let cluster = Cluster::exastro(&["--stale-index"]);
    let out = cluster.exastro_upgrade().args(&["plan"]).expect(0);
    assert!(out.stdout.contains("--version 1.0.1"), "{out:?}");
    let calls = cluster.calls();
    let update = calls
        .iter()
        .position(|c| c.tool == "helm" && c.args[..2] == ["repo", "update"])
        .unwrap();
    let search = calls
        .iter()
        .position(|c| c.tool == "helm" && c.args[..2] == ["search", "repo"])
        .unwrap();
    assert!(update < search);
}

#[test]
fn version_constraint_picks_the_matching_chart_and_rejects_an_unknown_one() {
    let cluster = Cluster::exastro(&[]);
    let out = cluster
        .exastro_upgrade()
        .args(&["plan", "--version", "~1.0.0", "-o", "json"])
        .expect(0);
    assert_eq!(out.json()["to"]["chart"], "1.0.1");
    let out = cluster
        .exastro_upgrade()
        .args(&["plan", "--version", "9.9.9"])
        .expect(2);
    assert!(
        out.stderr
            .contains("no version of exastro/exastro matches --version \"9.9.9\""),
        "{out:?}"
    );
}

#[test]
fn after_helm_the_backyards_stay_stopped_for_the_migrations_but_platform_auth_comes_back() {
    let cluster = Cluster::exastro(&[]);
    cluster.clear_calls();
    cluster.exastro_upgrade().args(&["run", "--yes"]).expect(0);
    let calls = cluster.calls();
    let upgrade_at = calls.iter().position(|c| c.is_helm_upgrade()).unwrap();
    let held: Vec<&String> = calls[upgrade_at..]
        .iter()
        .filter(|c| c.args[0] == "scale" && c.args.iter().any(|a| a == "--replicas=0"))
        .flat_map(|c| c.args.iter().filter(|a| a.starts_with("deployment/")))
        .collect();
    // helm reset them all to the chart's count: the backyards (database writers) are stopped again...
    assert_eq!(
        held.iter()
            .filter(|a| a.starts_with("deployment/ita-by-"))
            .count(),
        5,
        "{held:?}"
    );
    // ...platform-auth (users' access) is not: it is back with helm, as in the vendor's runbook.
    assert!(
        !held.iter().any(|a| *a == "deployment/platform-auth"),
        "{held:?}"
    );
}

#[test]
fn bad_namespace_and_release_names_are_argument_errors_before_any_call() {
    let cluster = Cluster::exastro(&[]);
    let long = "a".repeat(300);
    for (flag, value, why) in [
        ("-n", "", "it is empty"),
        ("-n", "a;b", "';' is not allowed"),
        ("-n", long.as_str(), "it is 300 characters long"),
        ("--release", "Exastro", "'E' is not allowed"),
    ] {
        cluster.clear_calls();
        let out = cluster
            .exastro_upgrade()
            .args(&["run", "--yes", flag, value])
            .expect(2);
        assert!(out.stderr.contains(why), "{flag} {value:?}: {out:?}");
        assert!(
            cluster.calls().is_empty(),
            "{flag} {value:?}: no call at all"
        );
    }
}

fn cronjob_suspended(cluster: &Cluster, name: &str) -> bool {
    let cj = cluster.kubectl_json(&["get", "cronjob", name, "-n", NS]);
    cj["spec"]["suspend"].as_bool().unwrap_or(false)
}

#[test]
fn the_backyard_cronjobs_are_suspended_during_the_upgrade_and_put_back_to_their_own_setting() {
    let cluster = Cluster::exastro(&[]);
    // One was already suspended by the operator: it stays so.
    cluster.tool(
        "kubectl",
        &[
            "patch",
            "cronjob/ita-by-file-autoclean",
            "-n",
            NS,
            "--type=merge",
            "-p",
            r#"{"spec":{"suspend":true}}"#,
        ],
    );
    cluster.clear_calls();
    let out = cluster.exastro_upgrade().args(&["run", "--yes"]).expect(0);
    assert!(
        !cronjob_suspended(&cluster, "ita-by-execinstance-dataautoclean"),
        "{out:?}"
    );
    assert!(
        cronjob_suspended(&cluster, "ita-by-file-autoclean"),
        "{out:?}"
    );
    let lines: Vec<String> = cluster.mutating_calls();
    let suspend = lines
        .iter()
        .position(|l| {
            l.contains("cronjob/ita-by-execinstance-dataautoclean")
                && l.contains(r#""suspend":true"#)
        })
        .expect("suspended");
    let upgrade = lines
        .iter()
        .position(|l| l.starts_with("helm upgrade"))
        .unwrap();
    let resume = lines
        .iter()
        .position(|l| {
            l.contains("cronjob/ita-by-execinstance-dataautoclean")
                && l.contains(r#""suspend":false"#)
        })
        .expect("resumed");
    assert!(suspend < upgrade && upgrade < resume, "{lines:#?}");
    assert!(
        !lines
            .iter()
            .any(|l| l.contains("cronjob/ita-by-file-autoclean")),
        "the one already suspended is not touched: {lines:#?}"
    );
}

#[test]
fn helms_resets_outside_the_stop_set_are_planned_reported_and_put_back_on_request() {
    let cluster = Cluster::exastro(&[]);
    cluster.scale(NS, "ita-api-admin", 3);
    let plan = cluster.exastro_upgrade().args(&["plan"]).expect(0);
    assert!(
        plan.stdout
            .contains("helm's three-way merge will reset these to the chart's count")
            && plan.stdout.contains("Deployment ita-api-admin: 3 -> 1"),
        "{plan:?}"
    );
    // Without the flag: reset by helm, and said so (text and JSON).
    let out = cluster
        .exastro_upgrade()
        .args(&["run", "--yes", "-o", "json"])
        .expect(0);
    let json = out.json();
    assert_eq!(json["helm_resets"][0]["name"], "ita-api-admin", "{json}");
    assert_eq!(json["helm_resets"][0]["live"], 3, "{json}");
    assert_eq!(json["helm_resets"][0]["chart"], 1, "{json}");
    assert_eq!(cluster.replicas(NS)["ita-api-admin"], 1);
}

#[test]
fn restore_helm_resets_puts_hand_scaled_counts_back_after_the_upgrade() {
    let cluster = Cluster::exastro(&[]);
    cluster.scale(NS, "ita-api-admin", 3);
    let before = cluster.replicas(NS);
    let text = cluster
        .exastro_upgrade()
        .args(&["run", "--yes", "--restore-helm-resets"])
        .expect(0);
    assert!(text.stdout.contains("ita-api-admin=3"), "{text:?}");
    assert_eq!(
        cluster.replicas(NS),
        before,
        "every count as before, the hand-set one included"
    );
}

#[test]
fn without_the_flag_the_text_summary_names_what_helm_reset() {
    let cluster = Cluster::exastro(&[]);
    cluster.scale(NS, "ita-api-admin", 3);
    let out = cluster.exastro_upgrade().args(&["run", "--yes"]).expect(0);
    assert!(
        out.stdout
            .contains("reset by helm to the chart's count (not put back): ita-api-admin 3 -> 1"),
        "{out:?}"
    );
}
