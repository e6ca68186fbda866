//! What the steps of one run share: the configuration, the tools, and what earlier steps found.

use std::collections::{BTreeMap, BTreeSet};

use super::config::Config;
use super::journal::Journal;
use super::lease::LeaseSlot;
use super::stop_set::{HeldCronJob, Recorded};
use crate::ops::helm::{Helm, ReleaseRow, SearchHit};
use crate::ops::kubectl::Kubectl;
use crate::values::Drift;

pub(crate) struct Ctx {
    pub(crate) cfg: Config,
    pub(crate) kubectl: Kubectl,
    pub(crate) helm: Helm,
    pub(crate) context_name: String,
    pub(crate) tool_versions: BTreeMap<String, String>,
    pub(crate) release: Option<ReleaseRow>,
    pub(crate) installed_version: String,
    pub(crate) installed_app: String,
    pub(crate) target_chart: Option<SearchHit>,
    pub(crate) user_values: serde_yaml::Mapping,
    pub(crate) drift: Drift,
    /// platform-auth (if in scope) first, then the rest in name order.
    pub(crate) stop_set: Vec<Recorded>,
    /// The release's backyard CronJobs, suspended with the stop set.
    pub(crate) cronjobs: Vec<HeldCronJob>,
    /// Objects outside the stop set whose count helm's three-way merge will change.
    pub(crate) helm_resets: Vec<super::helm_resets::HelmReset>,
    /// Pods of the stop set when they were recorded: the stop waits until these are gone.
    pub(crate) stop_pods: Vec<String>,
    /// Every pod name before the upgrade: migration pods not in here were created by it.
    pub(crate) pods_before: BTreeSet<String>,
    /// Job name → uid before the upgrade (old charts run migrations as Job `ita-setup`).
    pub(crate) jobs_before: BTreeMap<String, String>,
    pub(crate) journal: Option<Journal>,
    /// helm's version (preflight): helm 4 may apply server-side.
    pub(crate) helm_version: Option<crate::ops::helm4::HelmVersion>,
    /// How helm last applied the release (helm 4's `applyMethod`).
    pub(crate) apply_method: crate::ops::helm4::ApplyMethod,
    /// On a server-side release: what the upgrade does about field conflicts, and why.
    pub(crate) conflicts: Option<super::field_conflicts::ConflictDecision>,
    /// The backup the record step read, written by the stop step once the changes begin.
    pub(crate) pending_backup: Option<super::backup_data::Pending>,
    /// Settings the release has now that the values file does not set (dotted keys).
    pub(crate) dropped_values: Vec<String>,
    /// The cluster user (`kubectl auth whoami`), for the lease's holder identity.
    pub(crate) cluster_user: Option<String>,
    /// The run's lease, renewed in the background while the journal exists.
    pub(crate) lease: LeaseSlot,
    /// StatefulSets helm cannot patch (the mongo trap): deleted with --cascade=orphan before the upgrade.
    pub(crate) recreated: Vec<super::statefulset_trap::Recreated>,
    /// The vendor's procedure this run follows (preflight), and why.
    pub(crate) choice: Option<super::procedure::Choice>,
    /// Maintenance mode, when the procedure has it: the API and the setting before the run.
    pub(crate) maintenance: Option<super::maintenance::Maintenance>,
    /// Jobs that were running when backyard execution stopped (and were let finish).
    pub(crate) drained_jobs: Option<u64>,
    pub(crate) migrations: Vec<String>,
    pub(crate) restored: Vec<Recorded>,
    pub(crate) skipped: Vec<String>,
}

impl Ctx {
    pub(crate) fn new(cfg: Config) -> Self {
        Ctx {
            kubectl: Kubectl::new("kubectl", cfg.target.clone()),
            helm: Helm::new(cfg.target.clone()),
            cfg,
            context_name: String::new(),
            tool_versions: BTreeMap::new(),
            release: None,
            installed_version: String::new(),
            installed_app: String::new(),
            target_chart: None,
            pending_backup: None,
            helm_version: None,
            apply_method: crate::ops::helm4::ApplyMethod::ClientSide,
            conflicts: None,
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
            recreated: Vec::new(),
            choice: None,
            maintenance: None,
            drained_jobs: None,
            migrations: Vec::new(),
            restored: Vec::new(),
            skipped: Vec::new(),
        }
    }

    pub(crate) fn target_version(&self) -> &str {
        self.target_chart
            .as_ref()
            .map(|t| t.version.as_str())
            .unwrap_or("<target>")
    }

    pub(crate) fn target_app(&self) -> &str {
        self.target_chart
            .as_ref()
            .map(|t| t.app_version.as_str())
            .unwrap_or("")
    }

    /// Every count the run puts back: the stop set, plus helm's resets with `--restore-helm-resets`.
    pub(crate) fn put_back_set(&self) -> Vec<Recorded> {
        let mut set = self.stop_set.clone();
        if self.cfg.restore_helm_resets {
            set.extend(self.helm_resets.iter().map(|r| r.recorded()));
        }
        set
    }

    pub(crate) fn backyard_count(&self) -> usize {
        self.stop_set
            .iter()
            .filter(|r| !r.is_platform_auth())
            .count()
    }
}
