//! What a run stops and records: the stop set (platform-auth and the backyards, or everything), each
//! object with the count it had, and the CronJobs it holds suspended. Plain data, shared by the steps, the
//! journal and `restore`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::config::StopScope;
use crate::ops::k8s::Workload;

/// The reverse proxy: stopped first (cuts off users), put back last.
pub(crate) const PLATFORM_AUTH: &str = "platform-auth";
pub(crate) const BACKYARD_PREFIX: &str = "ita-by-";

/// A CronJob of the release that writes to the database (`ita-by-*`), held suspended during the upgrade,
/// with the setting it had before (one already suspended stays so).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct HeldCronJob {
    pub(crate) name: String,
    pub(crate) was_suspended: bool,
}

impl HeldCronJob {
    /// The release's `ita-by-*` CronJobs (by the instance label or helm's release annotation).
    pub(crate) fn select(cronjobs: &[crate::ops::k8s::CronJob], release: &str) -> Vec<HeldCronJob> {
        let mut held: Vec<HeldCronJob> = cronjobs
            .iter()
            .filter(|c| c.metadata.name.starts_with(BACKYARD_PREFIX))
            .filter(|c| c.metadata.belongs_to_release(release))
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
pub(crate) struct Recorded {
    pub(crate) kind: String,
    pub(crate) name: String,
    pub(crate) replicas: i64,
}

impl Recorded {
    pub(crate) fn reference(&self) -> String {
        format!("{}/{}", self.kind.to_ascii_lowercase(), self.name)
    }

    pub(crate) fn is_platform_auth(&self) -> bool {
        self.kind == "Deployment" && self.name == PLATFORM_AUTH
    }
}

/// Chooses what a run stops, from one listing of the namespace's Deployments and StatefulSets.
pub(crate) fn select_stop_set(
    workloads: &[Workload],
    scope: StopScope,
    release: &str,
) -> Vec<Recorded> {
    let mut chosen: Vec<Recorded> = workloads
        .iter()
        .filter(|w| match scope {
            StopScope::All => w.kind == "Deployment" || w.kind == "StatefulSet",
            StopScope::Backyard => {
                w.kind == "Deployment"
                    && (w.metadata.name == PLATFORM_AUTH
                        || w.metadata.name.starts_with(BACKYARD_PREFIX))
                    && w.metadata.belongs_to_release(release)
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
pub(crate) fn by_count<'a>(
    objects: impl IntoIterator<Item = &'a Recorded>,
) -> BTreeMap<i64, Vec<String>> {
    let mut groups: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    for r in objects {
        groups.entry(r.replicas).or_default().push(r.reference());
    }
    groups
}
