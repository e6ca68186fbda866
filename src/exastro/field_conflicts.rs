//! helm 4 applies a release server-side when it was installed that way, and then the runbook's own
//! `kubectl scale` (manager `kubectl`, subresource `scale`) owns `.spec.replicas` of every object it stops:
//! the next `helm upgrade` fails on that conflict and leaves a `failed` revision. helm's own dry run does not
//! show conflicts, the API server does: a server-side dry-run apply of the manifest helm rendered, as
//! manager `helm`, meets exactly the conflicts helm's apply will meet (before the stop adds its own).
//! Replica counts are what helm 3's three-way merge took back anyway: the upgrade then runs with
//! `--force-conflicts`. Any other field another manager owns is refused before any change, unless the user
//! passed `--force-conflicts` themselves.

use serde::Serialize;

use crate::process::{Cmd, ProcessError};

/// helm's field manager: its executable's base name.
pub(crate) const HELM_MANAGER: &str = "helm";

/// One field another manager owns with a value helm's apply would change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct FieldConflict {
    /// `deployment.apps/platform-auth`, as `kubectl -o name` prints it (or `an object` when unknown).
    pub(crate) object: String,
    pub(crate) field: String,
    /// As the API server names it: `"kubectl" with subresource "scale" using apps/v1`.
    pub(crate) manager: String,
}

impl FieldConflict {
    fn is_replicas(&self) -> bool {
        self.field == ".spec.replicas"
    }

    pub(crate) fn line(&self) -> String {
        format!("{} {} (owned by {})", self.object, self.field, self.manager)
    }
}

/// What the upgrade does about conflicts, and why (the plan and the report say it).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ConflictDecision {
    /// `helm upgrade --force-conflicts`.
    pub(crate) force_conflicts: bool,
    pub(crate) reason: String,
    /// Fields other managers own now that helm takes over.
    pub(crate) taken_over: Vec<FieldConflict>,
    /// Objects whose `.spec.replicas` the stop will give to `kubectl` before the upgrade.
    pub(crate) replicas_from_the_stop: Vec<String>,
}

/// The probe: `kubectl apply --server-side --dry-run=server --field-manager=helm -f - -o name`, the manifest
/// on stdin. Changes nothing.
pub(crate) fn probe(kubectl: &crate::ops::kubectl::Kubectl, manifest: &str) -> Cmd {
    kubectl
        .server_side_dry_run_apply(HELM_MANAGER, manifest)
        .note("the manifest helm rendered, applied as helm in a server-side dry run: the conflicts helm 4 will meet")
}

/// `(resource.group/name)` of each object of a manifest, in order, as `kubectl -o name` prints them.
pub(crate) fn manifest_objects(manifest: &str) -> Vec<String> {
    use serde::Deserialize as _;
    serde_yaml::Deserializer::from_str(manifest)
        .filter_map(|doc| serde_yaml::Value::deserialize(doc).ok())
        .filter_map(|doc| {
            let kind = doc.get("kind")?.as_str()?.to_lowercase();
            let name = doc.get("metadata")?.get("name")?.as_str()?.to_string();
            let api = doc.get("apiVersion")?.as_str()?;
            Some(match api.split_once('/') {
                Some((group, _)) => format!("{kind}.{group}/{name}"),
                None => format!("{kind}/{name}"),
            })
        })
        .collect()
}

/// The conflicts in a failed probe: each `Apply failed with N conflict(s)` error belongs to the next object
/// of the manifest that kubectl did not print as applied (kubectl applies them in order).
pub(crate) fn parse(objects: &[String], failure: &ProcessError) -> Vec<FieldConflict> {
    // `-o name` prints `kind.group/name`; without it a suffix follows (`serverside-applied (server dry run)`)
    let applied: Vec<&str> = failure
        .stdout
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    let mut failed = objects.iter().filter(|o| !applied.iter().any(|a| a == o));
    let mut object = String::from("an object");
    let mut manager = String::new();
    let mut found = Vec::new();
    for line in failure.stderr.lines() {
        let line = line.trim();
        let rest = match line.find("Apply failed with ") {
            Some(at) => {
                object = failed.next().cloned().unwrap_or_else(|| "an object".into());
                match line[at..].split_once(": ") {
                    Some((_, rest)) => rest,
                    None => continue,
                }
            }
            None => line,
        };
        if let Some(path) = rest.strip_prefix("- ") {
            found.push(conflict(&object, &manager, path));
        } else if let Some(who) = rest.strip_prefix("conflicts with ") {
            manager = who.trim_end_matches(':').to_string();
        } else if let Some(who) = rest.strip_prefix("conflict with ") {
            if let Some((who, path)) = who.rsplit_once(": ") {
                found.push(conflict(&object, who, path));
            }
        }
    }
    found
}

fn conflict(object: &str, manager: &str, path: &str) -> FieldConflict {
    FieldConflict {
        object: object.to_string(),
        field: path.trim().to_string(),
        manager: manager.to_string(),
    }
}

/// Replica counts (now, or from the stop to come) are forced, as helm 3 did; anything else only when the
/// user asked (`--force-conflicts`); otherwise the lines of the refusal.
pub(crate) fn decide(
    conflicts: Vec<FieldConflict>,
    replicas_from_the_stop: Vec<String>,
    user_forced: bool,
) -> Result<ConflictDecision, Vec<String>> {
    let foreign: Vec<&FieldConflict> = conflicts.iter().filter(|c| !c.is_replicas()).collect();
    if !foreign.is_empty() && !user_forced {
        return Err(foreign.iter().map(|c| c.line()).collect());
    }
    let reason = if !foreign.is_empty() {
        "--force-conflicts given: helm takes over the fields other managers own".to_string()
    } else if conflicts.is_empty() && replicas_from_the_stop.is_empty() {
        return Ok(ConflictDecision {
            force_conflicts: user_forced,
            reason: "no field of the release is owned by another manager".into(),
            taken_over: Vec::new(),
            replicas_from_the_stop,
        });
    } else {
        "every conflict is a replica count (the stop's own `kubectl scale`, or another manager's): helm takes back \
         the counts it renders, as helm 3's three-way merge did, and the put-back sets the recorded ones"
            .to_string()
    };
    Ok(ConflictDecision {
        force_conflicts: true,
        reason,
        taken_over: conflicts,
        replicas_from_the_stop,
    })
}

#[cfg(test)]
#[path = "field_conflicts_tests.rs"]
mod tests;
