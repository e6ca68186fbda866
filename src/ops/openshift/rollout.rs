//! Where the latest rollout of a DeploymentConfig stands, from its status and its ReplicationController.

use serde::Deserialize;

use super::DeploymentConfig;
use crate::ops::k8s::{Condition, ObjectMeta};

/// Where the latest rollout of a DC stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Rollout {
    Complete,
    /// Still going; the text says what is missing.
    Progressing(String),
    Failed(String),
}

pub(crate) const NEW_RC_AVAILABLE: &str = "NewReplicationControllerAvailable";
pub(crate) const PHASE_ANNOTATION: &str = "openshift.io/deployment.phase";

impl DeploymentConfig {
    /// The state of the latest rollout, from the DC's status and, when known, its ReplicationController
    /// (`openshift.io/deployment.phase`). Like `oc rollout status`, and additionally requires the old pods
    /// to be gone.
    pub(crate) fn rollout(&self, rc: Option<&ReplicationController>) -> Rollout {
        let latest = self.status.latest_version;
        if latest == 0 {
            return Rollout::Progressing("never rolled out (waiting on an image)".into());
        }
        let rc_name = self.latest_rc_name();
        let quoted = format!("\"{rc_name}\"");
        let progressing = self
            .status
            .conditions
            .iter()
            .find(|c| c.kind == "Progressing");
        let about_latest =
            |c: &&Condition| c.message.as_deref().is_some_and(|m| m.contains(&quoted));
        let phase = rc
            .filter(|r| r.metadata.name == rc_name)
            .map(|r| r.phase().to_string());
        if phase.as_deref() == Some("Failed") {
            let reason = rc
                .and_then(|r| {
                    r.metadata
                        .annotations
                        .get("openshift.io/deployment.status-reason")
                })
                .map(|r| format!(" ({r})"))
                .unwrap_or_default();
            return Rollout::Failed(format!("rollout {rc_name} failed{reason}"));
        }
        if let Some(cond) = progressing.filter(about_latest) {
            let reason = cond.reason.as_deref().unwrap_or("");
            if reason == "ProgressDeadlineExceeded" || reason == "RolloutCancelled" {
                return Rollout::Failed(
                    cond.message
                        .clone()
                        .unwrap_or_else(|| format!("rollout {rc_name}: {reason}")),
                );
            }
        }
        let controller_done = progressing
            .filter(about_latest)
            .is_some_and(|c| c.reason.as_deref() == Some(NEW_RC_AVAILABLE));
        let rc_done = phase.as_deref() == Some("Complete");
        let s = &self.status;
        let want = self.spec.replicas;
        let observed = s.observed_generation >= self.metadata.generation.unwrap_or(0);
        if controller_done || rc_done {
            if !observed {
                return Rollout::Progressing(
                    "waiting for the controller to observe the latest spec".into(),
                );
            }
            if s.updated_replicas < want {
                return Rollout::Progressing(format!(
                    "{}/{want} new pods updated",
                    s.updated_replicas
                ));
            }
            if s.replicas > s.updated_replicas {
                return Rollout::Progressing(format!(
                    "{} old pod(s) pending termination",
                    s.replicas - s.updated_replicas
                ));
            }
            if s.available_replicas < want {
                return Rollout::Progressing(format!(
                    "{}/{want} new pods available",
                    s.available_replicas
                ));
            }
            return Rollout::Complete;
        }
        let phase_text = phase
            .map(|p| format!(" is {p}"))
            .unwrap_or_else(|| " is in progress".into());
        Rollout::Progressing(format!(
            "rollout {rc_name}{phase_text} ({}/{want} new pods updated, {} available)",
            s.updated_replicas, s.available_replicas
        ))
    }
}

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct ReplicationController {
    pub(crate) metadata: ObjectMeta,
}

impl ReplicationController {
    /// New, Pending, Running, Complete or Failed (empty when the annotation is missing).
    pub(crate) fn phase(&self) -> &str {
        self.metadata
            .annotations
            .get(PHASE_ANNOTATION)
            .map(String::as_str)
            .unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dc(status: &str) -> DeploymentConfig {
        serde_json::from_str(&format!(
            r#"{{"metadata":{{"name":"system-app","generation":4}},
                "spec":{{"replicas":1,"triggers":[{{"type":"ConfigChange"}},{{"type":"ImageChange","imageChangeParams":{{"automatic":true,"containerNames":["system-master"],"from":{{"kind":"ImageStreamTag","name":"amp-system:2.9"}}}}}}],
                        "template":{{"spec":{{"containers":[{{"name":"system-master","image":"r/s@sha256:1"}}],"initContainers":null}}}}}},
                "status":{status}}}"#
        ))
        .unwrap()
    }

    #[test]
    fn rollout_needs_the_latest_rc_and_old_pods_gone() {
        let done = dc(
            r#"{"latestVersion":2,"observedGeneration":4,"replicas":1,"updatedReplicas":1,"availableReplicas":1,
                "conditions":[{"type":"Progressing","status":"True","reason":"NewReplicationControllerAvailable","message":"replication controller \"system-app-2\" successfully rolled out"}]}"#,
        );
        assert_eq!(done.rollout(None), Rollout::Complete);
        assert_eq!(done.image_triggers().len(), 1);
        assert!(done.runs_image(&["system-master".into()], "r/s@sha256:1"));
        // The condition still describes the previous rollout: not complete.
        let stale = dc(
            r#"{"latestVersion":3,"observedGeneration":4,"replicas":2,"updatedReplicas":1,"availableReplicas":1,
                "conditions":[{"type":"Progressing","status":"True","reason":"NewReplicationControllerAvailable","message":"replication controller \"system-app-2\" successfully rolled out"}]}"#,
        );
        assert!(matches!(stale.rollout(None), Rollout::Progressing(_)));
        let old_pods = dc(
            r#"{"latestVersion":3,"observedGeneration":4,"replicas":2,"updatedReplicas":1,"availableReplicas":2,
                "conditions":[{"type":"Progressing","status":"True","reason":"NewReplicationControllerAvailable","message":"replication controller \"system-app-3\" successfully rolled out"}]}"#,
        );
        assert_eq!(
            old_pods.rollout(None),
            Rollout::Progressing("1 old pod(s) pending termination".into())
        );
        let rc: ReplicationController = serde_json::from_str(
            r#"{"metadata":{"name":"system-app-3","annotations":{"openshift.io/deployment.phase":"Failed"}}}"#,
        )
        .unwrap();
        assert!(matches!(stale.rollout(Some(&rc)), Rollout::Failed(_)));
        let deadline = dc(r#"{"latestVersion":3,"observedGeneration":4,
                "conditions":[{"type":"Progressing","status":"False","reason":"ProgressDeadlineExceeded","message":"replication controller \"system-app-3\" has failed progressing"}]}"#);
        assert!(matches!(deadline.rollout(None), Rollout::Failed(_)));
    }
}
