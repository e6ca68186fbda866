//! Tests of `exastro/field_conflicts.rs`: the helm 4 field-conflict diagnosis against the API server's messages.

use super::*;
use crate::process::FailureKind;

const MANIFEST: &str = "---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: ita-secret-ita-global\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: platform-auth\nspec:\n  replicas: 1\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ita-api-admin\n";

fn failed(stdout: &str, stderr: &str) -> ProcessError {
    ProcessError {
        command: "kubectl apply --server-side --dry-run=server --field-manager=helm -f - -o name"
            .into(),
        kind: FailureKind::Exit(Some(1)),
        stderr: stderr.into(),
        stdout: stdout.into(),
    }
}

#[test]
fn objects_are_named_as_kubectl_names_them() {
    assert_eq!(
        manifest_objects(MANIFEST),
        [
            "secret/ita-secret-ita-global",
            "deployment.apps/platform-auth",
            "deployment.apps/ita-api-admin"
        ]
    );
}

#[test]
fn each_error_belongs_to_the_next_object_not_applied() {
    let objects = manifest_objects(MANIFEST);
    let stderr = "error: Apply failed with 1 conflict: conflict with \"kubectl\" with subresource \"scale\" using apps/v1: .spec.replicas\nPlease review the fields above--they currently have other managers. Here\nare the ways you can resolve this warning:\n* If you intend to manage all of these fields, please re-run the apply\n  command with the `--force-conflicts` flag.\nerror: Apply failed with 2 conflicts: conflicts with \"operator\" using apps/v1:\n- .spec.template.spec.containers[name=\"ita-api-admin\"].image\n- .metadata.labels.team\n";
    let found = parse(
        &objects,
        &failed(
            "secret/ita-secret-ita-global serverside-applied (server dry run)\n",
            stderr,
        ),
    );
    assert_eq!(found.len(), 3, "{found:?}");
    assert_eq!(found[0].object, "deployment.apps/platform-auth");
    assert_eq!(found[0].field, ".spec.replicas");
    assert_eq!(
        found[0].manager,
        "\"kubectl\" with subresource \"scale\" using apps/v1"
    );
    assert_eq!(found[1].object, "deployment.apps/ita-api-admin");
    assert_eq!(found[1].manager, "\"operator\" using apps/v1");
    assert_eq!(found[2].field, ".metadata.labels.team");
}

fn replicas(object: &str) -> FieldConflict {
    FieldConflict {
        object: object.into(),
        field: ".spec.replicas".into(),
        manager: "\"kube-controller-manager\" using apps/v1".into(),
    }
}

#[test]
fn replica_counts_are_forced_anything_else_refused_unless_the_user_forces() {
    let stop = vec!["deployment.apps/platform-auth".to_string()];
    let forced = decide(vec![replicas("deployment.apps/x")], stop.clone(), false).unwrap();
    assert!(forced.force_conflicts && forced.reason.contains("replica count"));
    // the stop's own scale alone is reason enough
    assert!(
        decide(Vec::new(), stop.clone(), false)
            .unwrap()
            .force_conflicts
    );
    assert!(
        !decide(Vec::new(), Vec::new(), false)
            .unwrap()
            .force_conflicts
    );
    let foreign = FieldConflict {
        field: ".metadata.labels.team".into(),
        ..replicas("deployment.apps/y")
    };
    let refused = decide(vec![foreign.clone()], stop.clone(), false).unwrap_err();
    assert_eq!(
        refused,
        ["deployment.apps/y .metadata.labels.team (owned by \"kube-controller-manager\" using apps/v1)"]
    );
    let user = decide(vec![foreign], stop, true).unwrap();
    assert!(user.force_conflicts && user.reason.starts_with("--force-conflicts given"));
    assert_eq!(user.taken_over.len(), 1);
}
