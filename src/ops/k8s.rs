//! The parts of Kubernetes objects the plugins read, as `kubectl get -o json` prints them. Zero-valued
//! status fields are omitted by the API server, so every count defaults to 0.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct List<T> {
    #[serde(default = "Vec::new")]
    pub(crate) items: Vec<T>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ObjectMeta {
    pub(crate) name: String,
    #[serde(default)]
    pub(crate) namespace: Option<String>,
    #[serde(default)]
    pub(crate) uid: Option<String>,
    #[serde(default)]
    pub(crate) generation: Option<i64>,
    #[serde(default)]
    pub(crate) creation_timestamp: Option<String>,
    #[serde(default)]
    pub(crate) deletion_timestamp: Option<String>,
    #[serde(default)]
    pub(crate) labels: BTreeMap<String, String>,
    #[serde(default)]
    pub(crate) annotations: BTreeMap<String, String>,
    #[serde(default)]
    pub(crate) owner_references: Vec<OwnerReference>,
}

impl ObjectMeta {
    /// Part of helm release `release`: its instance label or helm's release annotation names it.
    pub(crate) fn belongs_to_release(&self, release: &str) -> bool {
        self.labels
            .get("app.kubernetes.io/instance")
            .map(String::as_str)
            == Some(release)
            || self
                .annotations
                .get("meta.helm.sh/release-name")
                .map(String::as_str)
                == Some(release)
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub(crate) struct OwnerReference {
    pub(crate) kind: String,
    pub(crate) name: String,
}

/// A Deployment or a StatefulSet (the fields both have).
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Workload {
    pub(crate) kind: String,
    pub(crate) metadata: ObjectMeta,
    #[serde(default)]
    pub(crate) spec: WorkloadSpec,
    #[serde(default)]
    pub(crate) status: WorkloadStatus,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct WorkloadSpec {
    /// Omitted means 1 for Deployments and StatefulSets.
    pub(crate) replicas: Option<i64>,
    #[serde(default)]
    pub(crate) selector: Option<LabelSelector>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct LabelSelector {
    #[serde(default)]
    pub(crate) match_labels: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct WorkloadStatus {
    #[serde(default)]
    pub(crate) observed_generation: i64,
    #[serde(default)]
    pub(crate) replicas: i64,
    #[serde(default)]
    pub(crate) ready_replicas: i64,
    #[serde(default)]
    pub(crate) updated_replicas: i64,
    #[serde(default)]
    pub(crate) available_replicas: i64,
}

impl Workload {
    pub(crate) fn replicas(&self) -> i64 {
        self.spec.replicas.unwrap_or(1)
    }

    /// `deployment/name` or `statefulset/name`, as kubectl takes it.
    pub(crate) fn reference(&self) -> String {
        format!("{}/{}", self.kind.to_ascii_lowercase(), self.metadata.name)
    }

    /// What `kubectl rollout status` checks: the controller saw the latest spec and every replica is
    /// updated, ready and available (and no old replica remains).
    pub(crate) fn rolled_out(&self) -> bool {
        let want = self.replicas();
        let observed = self.status.observed_generation >= self.metadata.generation.unwrap_or(0);
        let ready = self.status.ready_replicas >= want && self.status.updated_replicas >= want;
        let no_surplus = self.status.replicas <= want;
        let available = self.kind != "Deployment" || self.status.available_replicas >= want;
        observed && ready && no_surplus && available
    }

    pub(crate) fn selects(&self, pod: &Pod) -> bool {
        match &self.spec.selector {
            Some(sel) if !sel.match_labels.is_empty() => sel
                .match_labels
                .iter()
                .all(|(k, v)| pod.metadata.labels.get(k) == Some(v)),
            _ => false,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Pod {
    pub(crate) metadata: ObjectMeta,
    #[serde(default)]
    pub(crate) status: PodStatus,
}

/// A pod's phase (`status.phase`); an absent or unknown one is `Unknown`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
pub(crate) enum PodPhase {
    Pending,
    Running,
    Succeeded,
    Failed,
    #[default]
    #[serde(other)]
    Unknown,
}

impl std::fmt::Display for PodPhase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self, f)
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PodStatus {
    #[serde(default)]
    pub(crate) phase: PodPhase,
    #[serde(default)]
    pub(crate) reason: Option<String>,
    #[serde(default)]
    pub(crate) container_statuses: Vec<ContainerStatus>,
    #[serde(default)]
    pub(crate) init_container_statuses: Vec<ContainerStatus>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ContainerStatus {
    #[serde(default)]
    pub(crate) ready: bool,
    #[serde(default)]
    pub(crate) state: ContainerState,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct ContainerState {
    #[serde(default)]
    pub(crate) waiting: Option<StateReason>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct StateReason {
    #[serde(default)]
    pub(crate) reason: Option<String>,
}

impl Pod {
    pub(crate) fn name(&self) -> &str {
        &self.metadata.name
    }

    /// Why a pod is not healthy, as `kubectl get po` would show it (CrashLoopBackOff, Pending, ...).
    pub(crate) fn problem(&self) -> Option<String> {
        let waiting = self
            .status
            .init_container_statuses
            .iter()
            .chain(&self.status.container_statuses)
            .find_map(|c| c.state.waiting.as_ref().and_then(|w| w.reason.clone()));
        match self.status.phase {
            PodPhase::Succeeded => None,
            PodPhase::Running => {
                let not_ready = self.status.container_statuses.iter().any(|c| !c.ready);
                match waiting {
                    Some(reason) => Some(reason),
                    None if not_ready && self.metadata.deletion_timestamp.is_none() => {
                        Some("Running, not ready".to_string())
                    }
                    None => None,
                }
            }
            PodPhase::Unknown => Some("Unknown".to_string()),
            phase => Some(waiting.unwrap_or_else(|| {
                self.status
                    .reason
                    .clone()
                    .unwrap_or_else(|| phase.to_string())
            })),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Job {
    pub(crate) metadata: ObjectMeta,
    #[serde(default)]
    pub(crate) status: JobStatus,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct JobStatus {
    #[serde(default)]
    pub(crate) succeeded: i64,
    #[serde(default)]
    pub(crate) conditions: Vec<Condition>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub(crate) struct Condition {
    #[serde(rename = "type")]
    pub(crate) kind: String,
    #[serde(default)]
    pub(crate) status: String,
    #[serde(default)]
    pub(crate) reason: Option<String>,
    #[serde(default)]
    pub(crate) message: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct ConfigMap {
    #[serde(default)]
    pub(crate) data: BTreeMap<String, String>,
}

/// A mixed `kubectl get a,b,c -o json` listing, sorted by kind.
#[derive(Debug, Clone, Default)]
pub(crate) struct Mixed {
    pub(crate) workloads: Vec<Workload>,
    pub(crate) pods: Vec<Pod>,
    pub(crate) jobs: Vec<Job>,
    pub(crate) cronjobs: Vec<CronJob>,
}

/// A CronJob: only whether it is suspended matters here.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct CronJob {
    pub(crate) metadata: ObjectMeta,
    #[serde(default)]
    pub(crate) spec: CronJobSpec,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct CronJobSpec {
    #[serde(default)]
    pub(crate) suspend: Option<bool>,
}

impl Mixed {
    pub(crate) fn parse(list: List<serde_json::Value>) -> anyhow::Result<Self> {
        let mut mixed = Mixed::default();
        for item in list.items {
            match item.get("kind").and_then(|k| k.as_str()) {
                Some("Deployment" | "StatefulSet") => {
                    mixed.workloads.push(serde_json::from_value(item)?)
                }
                Some("Pod") => mixed.pods.push(serde_json::from_value(item)?),
                Some("Job") => mixed.jobs.push(serde_json::from_value(item)?),
                Some("CronJob") => mixed.cronjobs.push(serde_json::from_value(item)?),
                _ => {}
            }
        }
        Ok(mixed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn omitted_status_fields_are_zero_and_missing_replicas_is_one() {
        let w: Workload = serde_json::from_str(
            r#"{"kind":"Deployment","metadata":{"name":"a","generation":2},"spec":{},"status":{"observedGeneration":2}}"#,
        )
        .unwrap();
        assert_eq!(w.replicas(), 1);
        assert_eq!(w.status.ready_replicas, 0);
        assert!(!w.rolled_out());
        let zero: Workload = serde_json::from_str(
            r#"{"kind":"Deployment","metadata":{"name":"a","generation":3},"spec":{"replicas":0},"status":{"observedGeneration":3}}"#,
        )
        .unwrap();
        assert!(zero.rolled_out());
        assert_eq!(zero.reference(), "deployment/a");
    }

    #[test]
    fn pod_problems_read_like_kubectl() {
        let crash: Pod = serde_json::from_str(
            r#"{"metadata":{"name":"p"},"status":{"phase":"Running","containerStatuses":[{"name":"c","ready":false,"state":{"waiting":{"reason":"CrashLoopBackOff"}}}]}}"#,
        )
        .unwrap();
        assert_eq!(crash.problem().as_deref(), Some("CrashLoopBackOff"));
        let done: Pod =
            serde_json::from_str(r#"{"metadata":{"name":"p"},"status":{"phase":"Succeeded"}}"#)
                .unwrap();
        assert_eq!(done.problem(), None);
        let pending: Pod =
            serde_json::from_str(r#"{"metadata":{"name":"p"},"status":{"phase":"Pending"}}"#)
                .unwrap();
        assert_eq!(pending.problem().as_deref(), Some("Pending"));
    }
}
