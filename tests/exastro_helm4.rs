//! helm 4 specifics, on the real kubectl against the fake API server's server-side apply: a field another
//! manager owns is refused before any change (the manager named), `--force-conflicts` takes it over and
//! says so, replica counts are taken back without being asked; helm versions outside 3.12+/4 are refused.
//! (Every other Exastro end-to-end suite also runs against helm 4: `tests/*_helm4.rs`.)

mod common;

use common::Cluster;
use serde_json::json;

const NS: &str = "exastro";

/// A person's `kubectl label` on a label the chart sets: manager `kubectl-label`, another value.
fn hand_labelled(cluster: &Cluster) {
    cluster.tool(
        "kubectl",
        &[
            "label",
            "deployment",
            "ita-api-admin",
            "app.kubernetes.io/managed-by=operator",
            "--overwrite",
            "-n",
            NS,
        ],
    );
}

#[test]
fn a_field_another_manager_owns_is_refused_before_any_change_naming_the_manager() {
    let cluster = Cluster::exastro(&["--helm", "4"]);
    hand_labelled(&cluster);
    let before = cluster.replicas(NS);
    cluster.clear_calls();
    let out = cluster.exastro_upgrade().args(&["run", "--yes"]).expect(2);
    assert!(
        out.stderr.contains(
            "deployment.apps/ita-api-admin .metadata.labels.app.kubernetes.io/managed-by (owned by \"kubectl-label\" using apps/v1)"
        ) && out.stderr.contains("run again with --force-conflicts"),
        "{out:?}"
    );
    cluster.assert_nothing_changed();
    assert_eq!(cluster.replicas(NS), before);
    assert_eq!(cluster.release_history("exastro").len(), 1, "no revision");
}

#[test]
fn force_conflicts_takes_the_field_over_and_the_report_says_what() {
    let cluster = Cluster::exastro(&["--helm", "4"]);
    hand_labelled(&cluster);
    let before = cluster.replicas(NS);
    let out = cluster
        .exastro_upgrade()
        .args(&["run", "--yes", "--force-conflicts", "-o", "json"])
        .expect(0);
    let v = out.json();
    assert_eq!(v["status"], "upgraded", "{v}");
    let conflicts = &v["helm"]["conflicts"];
    assert_eq!(conflicts["force_conflicts"], true, "{v}");
    assert!(
        conflicts["taken_over"].as_array().unwrap().contains(
            &json!({"object": "deployment.apps/ita-api-admin",
                "field": ".metadata.labels.app.kubernetes.io/managed-by",
                "manager": "\"kubectl-label\" using apps/v1"})
        ),
        "{v}"
    );
    assert_eq!(cluster.replicas(NS), before, "every count back");
    let label = cluster.tool(
        "kubectl",
        &[
            "get",
            "deployment",
            "ita-api-admin",
            "-n",
            NS,
            "-o",
            "jsonpath={.metadata.labels.app\\.kubernetes\\.io/managed-by}",
        ],
    );
    assert_eq!(label, "Helm", "helm took the label back");
}

#[test]
fn a_count_scaled_by_hand_is_taken_back_without_asking_and_reported_as_a_reset() {
    let cluster = Cluster::exastro(&["--helm", "4"]);
    // outside the stop set: kubectl (subresource scale) owns its count now, as an HPA would
    cluster.tool(
        "kubectl",
        &[
            "scale",
            "deployment/ita-api-admin",
            "--replicas=3",
            "-n",
            NS,
        ],
    );
    let out = cluster
        .exastro_upgrade()
        .args(&["run", "--yes", "-o", "json"])
        .expect(0);
    let v = out.json();
    assert_eq!(v["helm"]["conflicts"]["force_conflicts"], true, "{v}");
    assert!(
        v["helm_resets"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["name"] == "ita-api-admin" && r["live"] == 3 && r["chart"] == 1),
        "{v}"
    );
}

#[test]
fn helm_versions_outside_3_12_and_4_are_refused_naming_the_supported_ones() {
    for printed in ["v3.11.3+g3236123", "v5.0.0+g0000000"] {
        let cluster = Cluster::exastro(&[]);
        cluster.fault(
            json!({"tool": "helm", "args_contain": ["version"], "action": "garbage",
            "stdout": format!("{printed}\n")}),
        );
        let out = cluster.exastro_upgrade().args(&["run", "--yes"]).expect(2);
        assert!(
            out.stderr.contains(&format!(
                "helm {printed} is not supported: this tool supports helm 3.12 or later, or helm 4"
            )),
            "{out:?}"
        );
        cluster.assert_nothing_changed();
    }
}

#[test]
fn force_conflicts_on_helm_3_is_refused_with_the_reason() {
    let cluster = Cluster::exastro(&["--helm", "3"]);
    let out = cluster
        .exastro_upgrade()
        .args(&["run", "--yes", "--force-conflicts"])
        .expect(2);
    assert!(
        out.stderr
            .contains("--force-conflicts is a helm 4 flag and helm is v3.16.2+g13654a5"),
        "{out:?}"
    );
}

#[test]
fn a_conflict_helm_still_meets_is_recovered_like_any_failed_upgrade() {
    let cluster = Cluster::exastro(&["--helm", "4"]);
    let before = cluster.replicas(NS);
    // someone takes a field between the check and helm's apply: the API server answers helm's apply 409
    cluster.api_fault(json!({"method": "PATCH", "user_agent_contains": "Helm/",
        "path_contains": "deployments/ita-api-admin", "status": 409, "reason": "Conflict", "times": 1,
        "message": "Apply failed with 1 conflict: conflict with \"operator\" using apps/v1: .spec.template.spec.containers[name=\"ita-api-admin\"].image"}));
    let out = cluster.exastro_upgrade().args(&["run", "--yes"]).expect(1);
    assert!(
        out.stderr
            .contains("conflict occurred while applying object exastro/ita-api-admin")
            && out.stderr.contains("helm rollback exastro 1 -n exastro"),
        "{out:?}"
    );
    assert_eq!(cluster.replicas(NS), before, "counts back: {out:?}");
    let last = cluster.release_history("exastro").last().unwrap().clone();
    assert_eq!(last["status"], "failed", "{last}");
}
