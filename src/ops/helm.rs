//! helm command builders and the JSON shapes helm prints.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::process::Cmd;

use super::target::KubeTarget;

#[derive(Debug, Clone)]
pub(crate) struct Helm {
    pub(crate) target: KubeTarget,
}

/// `helm search repo -o json` rows.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
pub(crate) struct SearchHit {
    pub(crate) name: String,
    pub(crate) version: String,
    #[serde(default)]
    pub(crate) app_version: String,
    #[serde(default)]
    pub(crate) description: String,
}

/// A release's status as helm stores it (`helm status`, `list`, `history`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum ReleaseStatus {
    Deployed,
    Superseded,
    Failed,
    Uninstalled,
    Uninstalling,
    PendingInstall,
    PendingUpgrade,
    PendingRollback,
    #[serde(other)]
    Unknown,
}

impl ReleaseStatus {
    /// A helm operation started and has not finished (or was interrupted).
    pub(crate) fn is_pending(self) -> bool {
        matches!(
            self,
            ReleaseStatus::PendingInstall
                | ReleaseStatus::PendingUpgrade
                | ReleaseStatus::PendingRollback
        )
    }

    /// Was the release at some point deployed at this revision (a rollback target)?
    pub(crate) fn was_deployed(self) -> bool {
        matches!(self, ReleaseStatus::Deployed | ReleaseStatus::Superseded)
    }

    /// The operation a pending status waits for: "upgrade" for `pending-upgrade`.
    pub(crate) fn operation(self) -> &'static str {
        match self {
            ReleaseStatus::PendingInstall => "install",
            ReleaseStatus::PendingUpgrade => "upgrade",
            ReleaseStatus::PendingRollback => "rollback",
            _ => "operation",
        }
    }
}

impl std::fmt::Display for ReleaseStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ReleaseStatus::Deployed => "deployed",
            ReleaseStatus::Superseded => "superseded",
            ReleaseStatus::Failed => "failed",
            ReleaseStatus::Uninstalled => "uninstalled",
            ReleaseStatus::Uninstalling => "uninstalling",
            ReleaseStatus::PendingInstall => "pending-install",
            ReleaseStatus::PendingUpgrade => "pending-upgrade",
            ReleaseStatus::PendingRollback => "pending-rollback",
            ReleaseStatus::Unknown => "unknown",
        })
    }
}

/// `helm list -o json` rows. `revision` is a string here (an int in `helm history`).
#[derive(Debug, Clone, Deserialize, Serialize)]
pub(crate) struct ReleaseRow {
    pub(crate) name: String,
    pub(crate) namespace: String,
    pub(crate) revision: String,
    #[serde(default)]
    pub(crate) updated: String,
    pub(crate) status: ReleaseStatus,
    pub(crate) chart: String,
    #[serde(default)]
    pub(crate) app_version: String,
}

/// `helm history -o json` rows.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub(crate) struct HistoryRow {
    pub(crate) revision: i64,
    #[serde(default)]
    pub(crate) updated: String,
    pub(crate) status: ReleaseStatus,
    pub(crate) chart: String,
    #[serde(default)]
    pub(crate) app_version: String,
    #[serde(default)]
    pub(crate) description: String,
}

/// Helm's Go duration form: `10m0s`.
pub(crate) fn go_duration(d: Duration) -> String {
    let secs = d.as_secs();
    let (h, m, s) = (secs / 3600, (secs % 3600) / 60, secs % 60);
    if h > 0 {
        format!("{h}h{m}m{s}s")
    } else if m > 0 {
        format!("{m}m{s}s")
    } else {
        format!("{s}s")
    }
}

/// Escapes regex metacharacters for `helm list --filter`.
fn anchored(name: &str) -> String {
    let mut escaped = String::from("^");
    for c in name.chars() {
        if ".+*?()[]{}|^$\\".contains(c) {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped.push('$');
    escaped
}

impl Helm {
    pub(crate) fn new(target: KubeTarget) -> Self {
        Helm { target }
    }

    fn scoped(&self, cmd: Cmd) -> Cmd {
        let ns = self.target.namespace.clone();
        cmd.args(["-n".to_string(), ns])
            .args(self.target.helm_flags())
    }

    /// A read of this release's namespace (and context), e.g. `helm get metadata`.
    pub(crate) fn scoped_read(&self, args: impl IntoIterator<Item = impl Into<String>>) -> Cmd {
        self.scoped(Cmd::read("helm", args))
    }

    pub(crate) fn version() -> Cmd {
        Cmd::read("helm", ["version", "--short"])
    }

    /// Refreshes the local repository cache only: nothing in the cluster changes.
    pub(crate) fn repo_update(repo: &str) -> Cmd {
        Cmd::read("helm", ["repo", "update", repo])
    }

    /// Every version of charts matching `chart` (newest first), optionally within a semver constraint.
    pub(crate) fn search_versions(chart: &str, constraint: Option<&str>) -> Cmd {
        let mut cmd = Cmd::read(
            "helm",
            ["search", "repo", chart, "--versions", "-o", "json"],
        );
        if let Some(c) = constraint {
            cmd = cmd.args(["--version", c]);
        }
        cmd
    }

    /// The release in any status (`-a`), found by exact name.
    pub(crate) fn list_release(&self, release: &str) -> Cmd {
        self.scoped(Cmd::read(
            "helm",
            [
                "list".to_string(),
                "-a".into(),
                "-o".into(),
                "json".into(),
                "--filter".into(),
                anchored(release),
            ],
        ))
    }

    /// The release's user-supplied values as YAML (a values file).
    pub(crate) fn get_values_yaml(&self, release: &str) -> Cmd {
        self.scoped(Cmd::read("helm", ["get", "values", release, "-o", "yaml"]))
    }

    /// The manifest helm applied for the release's current revision.
    pub(crate) fn get_manifest(&self, release: &str) -> Cmd {
        self.scoped(Cmd::read("helm", ["get", "manifest", release]))
    }

    /// The release's user-supplied values (what `helm upgrade -f` would replace).
    pub(crate) fn get_values(&self, release: &str) -> Cmd {
        self.scoped(Cmd::read("helm", ["get", "values", release, "-o", "json"]))
    }

    pub(crate) fn history(&self, release: &str) -> Cmd {
        self.scoped(Cmd::read("helm", ["history", release, "-o", "json"]))
    }

    /// `helm history RELEASE` as a person reads it (a table), for messages.
    pub(crate) fn history_table(&self, release: &str) -> Cmd {
        self.scoped(Cmd::read("helm", ["history", release]))
    }

    pub(crate) fn show_values(chart: &str, version: &str) -> Cmd {
        Cmd::read("helm", ["show", "values", chart, "--version", version])
    }

    /// `upgrade RELEASE CHART -f VALUES --version VERSION`: shared by the upgrade and its dry run, so the
    /// rendering asked for is the upgrade that runs.
    fn upgrade_args(release: &str, chart: &str, values: &str, version: &str) -> Vec<String> {
        [
            "upgrade",
            release,
            chart,
            "-f",
            values,
            "--version",
            version,
        ]
        .map(str::to_string)
        .to_vec()
    }

    /// What `upgrade` would apply, rendered by helm against the cluster (`--dry-run=server`): the manifest
    /// tells which replica counts helm's three-way merge will set. Changes nothing.
    pub(crate) fn upgrade_dry_run(
        &self,
        release: &str,
        chart: &str,
        values: &str,
        version: &str,
    ) -> Cmd {
        let mut args = Self::upgrade_args(release, chart, values, version);
        args.push("--dry-run=server".into());
        self.scoped(Cmd::read("helm", args))
    }

    pub(crate) fn upgrade(
        &self,
        release: &str,
        chart: &str,
        values: &str,
        version: &str,
        timeout: Duration,
        force_conflicts: bool,
    ) -> Cmd {
        let mut args = Self::upgrade_args(release, chart, values, version);
        args.extend(["--timeout".to_string(), go_duration(timeout)]);
        // helm 4 only: take the fields other managers own (`kubectl scale`'s .spec.replicas), as helm 3's
        // three-way merge did
        if force_conflicts {
            args.push("--force-conflicts".into());
        }
        // helm enforces its own --timeout; ours is a backstop in case helm itself hangs.
        self.scoped(Cmd::mutate("helm", args))
            .timeout(timeout + timeout.min(Duration::from_secs(120)))
    }

    pub(crate) fn rollback(&self, release: &str, revision: i64) -> Cmd {
        self.scoped(Cmd::mutate(
            "helm",
            [
                "rollback".to_string(),
                release.to_string(),
                revision.to_string(),
            ],
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_filters_look_like_helm() {
        assert_eq!(go_duration(Duration::from_secs(600)), "10m0s");
        assert_eq!(go_duration(Duration::from_secs(45)), "45s");
        assert_eq!(go_duration(Duration::from_secs(3725)), "1h2m5s");
        assert_eq!(anchored("my.rel"), r"^my\.rel$");
    }

    #[test]
    fn list_rows_have_string_revisions() {
        let rows: Vec<ReleaseRow> = serde_json::from_str(
            r#"[{"name":"exastro","namespace":"exastro","revision":"3","updated":"2024-01-01 10:00:00.1 +0000 UTC","status":"deployed","chart":"exastro-1.0.0","app_version":"2.0.3"}]"#,
        )
        .unwrap();
        assert_eq!(rows[0].revision, "3");
    }
}
