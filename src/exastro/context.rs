//! What the steps of one run share: the configuration, the tools, and what earlier steps found.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::config::{Config, StopScope};
use super::journal::Journal;
use super::lease::LeaseSlot;
use crate::ops::helm::{Helm, ReleaseRow, SearchHit};
use crate::ops::k8s::Workload;
use crate::ops::kubectl::Kubectl;
use crate::values::Drift;

/// The reverse proxy: stopped first (cuts off users), put back last.
pub const PLATFORM_AUTH: &str = "platform-auth";
pub const BACKYARD_PREFIX: &str = "ita-by-";

/// A CronJob of the release that writes to the database (`ita-by-*`), held suspended during the upgrade,
/// with the setting it had before (one already suspended stays so).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeldCronJob {
    pub name: String,
    pub was_suspended: bool,
}

impl HeldCronJob {
    /// The release's `ita-by-*` CronJobs (by the instance label or helm's release annotation).
    pub fn select(cronjobs: &[crate::ops::k8s::CronJob], release: &str) -> Vec<HeldCronJob> {
        let mut held: Vec<HeldCronJob> = cronjobs
            .iter()
            .filter(|c| c.metadata.name.starts_with(BACKYARD_PREFIX))
            .filter(|c| {
                c.metadata
                    .labels
                    .get("app.kubernetes.io/instance")
                    .map(String::as_str)
                    == Some(release)
                    || c.metadata
                        .annotations
                        .get("meta.helm.sh/release-name")
                        .map(String::as_str)
                        == Some(release)
            })
            .map(|c| HeldCronJob {
                name: c.metadata.name.clone(),
                was_suspended: c.spec.suspend.unwrap_or(false),
            })
            .collect();
        held.sort_by(|a, b| a.name.cmp(&b.name));
        held
    }
}

/// One object a run stops, with the replica count it had before.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recorded {
    pub kind: String,
    pub name: String,
    pub replicas: i64,
}

impl Recorded {
    pub fn reference(&self) -> String {
        format!("{}/{}", self.kind.to_ascii_lowercase(), self.name)
    }

    pub fn is_platform_auth(&self) -> bool {
        self.kind == "Deployment" && self.name == PLATFORM_AUTH
    }
}

pub struct Ctx {
    pub cfg: Config,
    pub kubectl: Kubectl,
    pub helm: Helm,
    pub context_name: String,
    pub tool_versions: BTreeMap<String, String>,
    pub release: Option<ReleaseRow>,
    pub installed_version: String,
    pub installed_app: String,
    pub target: Option<SearchHit>,
    pub user_values: serde_yaml::Mapping,
    pub drift: Drift,
    /// platform-auth (if in scope) first, then the rest in name order.
    pub stop_set: Vec<Recorded>,
    /// The release's backyard CronJobs, suspended with the stop set.
    pub cronjobs: Vec<HeldCronJob>,
    /// Objects outside the stop set whose count helm's three-way merge will change.
    pub helm_resets: Vec<super::helm_resets::HelmReset>,
    /// Pods of the stop set when they were recorded: the stop waits until these are gone.
    pub stop_pods: Vec<String>,
    /// Every pod name before the upgrade: migration pods not in here were created by it.
    pub pods_before: BTreeSet<String>,
    /// Job name → uid before the upgrade (old charts run migrations as Job `ita-setup`).
    pub jobs_before: BTreeMap<String, String>,
    pub journal: Option<Journal>,
    /// Settings the release has now that the values file does not set (dotted keys).
    pub dropped_values: Vec<String>,
    /// The cluster user (`kubectl auth whoami`), for the lease's holder identity.
    pub cluster_user: Option<String>,
    /// The run's lease, renewed in the background while the journal exists.
    pub lease: LeaseSlot,
    pub migrations: Vec<String>,
    pub restored: Vec<Recorded>,
    pub skipped: Vec<String>,
}

impl Ctx {
    pub fn new(cfg: Config) -> Self {
        Ctx {
            kubectl: Kubectl::new("kubectl", cfg.target.clone()),
            helm: Helm::new(cfg.target.clone()),
            cfg,
            context_name: String::new(),
            tool_versions: BTreeMap::new(),
            release: None,
            installed_version: String::new(),
            installed_app: String::new(),
            target: None,
            user_values: serde_yaml::Mapping::new(),
            drift: Drift::default(),
            stop_set: Vec::new(),
            cronjobs: Vec::new(),
            helm_resets: Vec::new(),
            stop_pods: Vec::new(),
            pods_before: BTreeSet::new(),
            jobs_before: BTreeMap::new(),
            journal: None,
            dropped_values: Vec::new(),
            cluster_user: None,
            lease: LeaseSlot::default(),
            migrations: Vec::new(),
            restored: Vec::new(),
            skipped: Vec::new(),
        }
    }

    pub fn target_version(&self) -> &str {
        self.target
            .as_ref()
            .map(|t| t.version.as_str())
            .unwrap_or("<target>")
    }

    pub fn target_app(&self) -> &str {
        self.target
            .as_ref()
            .map(|t| t.app_version.as_str())
            .unwrap_or("")
    }

    /// Every count the run puts back: the stop set, plus helm's resets with `--restore-helm-resets`.
    pub fn put_back_set(&self) -> Vec<Recorded> {
        let mut set = self.stop_set.clone();
        if self.cfg.restore_helm_resets {
            set.extend(self.helm_resets.iter().map(|r| r.recorded()));
        }
        set
    }

    pub fn backyard_count(&self) -> usize {
        self.stop_set
            .iter()
            .filter(|r| !r.is_platform_auth())
            .count()
    }
}

/// Chooses what a run stops, from one listing of the namespace's Deployments and StatefulSets.
pub fn select_stop_set(workloads: &[Workload], scope: StopScope, release: &str) -> Vec<Recorded> {
    let of_release = |w: &Workload| {
        w.metadata
            .labels
            .get("app.kubernetes.io/instance")
            .map(String::as_str)
            == Some(release)
            || w.metadata
                .annotations
                .get("meta.helm.sh/release-name")
                .map(String::as_str)
                == Some(release)
    };
    let mut chosen: Vec<Recorded> = workloads
        .iter()
        .filter(|w| match scope {
            StopScope::All => w.kind == "Deployment" || w.kind == "StatefulSet",
            StopScope::Backyard => {
                w.kind == "Deployment"
                    && (w.metadata.name == PLATFORM_AUTH
                        || w.metadata.name.starts_with(BACKYARD_PREFIX))
                    && of_release(w)
            }
        })
        .map(|w| Recorded {
            kind: w.kind.clone(),
            name: w.metadata.name.clone(),
            replicas: w.replicas(),
        })
        .collect();
    chosen.sort_by(|a, b| {
        b.is_platform_auth()
            .cmp(&a.is_platform_auth())
            .then_with(|| a.kind.cmp(&b.kind))
            .then_with(|| a.name.cmp(&b.name))
    });
    chosen
}

/// Groups references by target count, so each distinct count is one `kubectl scale` call.
pub fn by_count<'a>(objects: impl IntoIterator<Item = &'a Recorded>) -> BTreeMap<i64, Vec<String>> {
    let mut groups: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    for r in objects {
        groups.entry(r.replicas).or_default().push(r.reference());
    }
    groups
}
