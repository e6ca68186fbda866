//! helm's silent resets: its three-way merge sets every Deployment/StatefulSet the chart renders back to the
//! chart's `replicas`, so an object someone scaled by hand (ita-api-admin at 3) comes out of the upgrade at
//! the chart's count. Found before the upgrade from helm's own rendering (`helm upgrade --dry-run=server`),
//! listed by `plan`, reported after the run, and put back with `--restore-helm-resets`.

use serde::{Deserialize, Serialize};

use super::stop_set::Recorded;
use crate::ops::k8s::Workload;

/// An object whose live count differs from the count the new manifest sets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct HelmReset {
    pub(crate) kind: String,
    pub(crate) name: String,
    /// Its count now (what `--restore-helm-resets` puts back).
    pub(crate) live: i64,
    /// The count helm will set.
    pub(crate) chart: i64,
}

impl HelmReset {
    pub(crate) fn recorded(&self) -> Recorded {
        Recorded {
            kind: self.kind.clone(),
            name: self.name.clone(),
            replicas: self.live,
        }
    }
}

/// The MANIFEST section of helm's dry-run output (empty when there is none).
pub(crate) fn manifest_section(dry_run_output: &str) -> &str {
    let Some((_, manifest)) = dry_run_output.split_once("MANIFEST:\n") else {
        return "";
    };
    manifest.split("\nNOTES:").next().unwrap_or(manifest)
}

/// `(kind, name, replicas)` of every Deployment/StatefulSet in the MANIFEST section of helm's dry-run
/// output whose `spec.replicas` is rendered (an omitted count is not reset by helm).
pub(crate) fn rendered_counts(dry_run_output: &str) -> Vec<(String, String, i64)> {
    serde_yaml::Deserializer::from_str(manifest_section(dry_run_output))
        .filter_map(|doc| serde_yaml::Value::deserialize(doc).ok())
        .filter_map(|doc| {
            let kind = doc.get("kind")?.as_str()?.to_string();
            if kind != "Deployment" && kind != "StatefulSet" {
                return None;
            }
            let name = doc.get("metadata")?.get("name")?.as_str()?.to_string();
            let replicas = doc.get("spec")?.get("replicas")?.as_i64()?;
            Some((kind, name, replicas))
        })
        .collect()
}

/// The objects outside the stop set whose live count helm will change.
pub(crate) fn find(
    rendered: &[(String, String, i64)],
    live: &[Workload],
    stop_set: &[Recorded],
) -> Vec<HelmReset> {
    rendered
        .iter()
        .filter(|(kind, name, _)| !stop_set.iter().any(|r| &r.kind == kind && &r.name == name))
        .filter_map(|(kind, name, chart)| {
            let w = live
                .iter()
                .find(|w| &w.kind == kind && &w.metadata.name == name)?;
            (w.replicas() != *chart).then(|| HelmReset {
                kind: kind.clone(),
                name: name.clone(),
                live: w.replicas(),
                chart: *chart,
            })
        })
        .collect()
}

/// `ita-api-admin 3 -> 1, ...` for messages.
pub(crate) fn describe(resets: &[HelmReset]) -> String {
    resets
        .iter()
        .map(|r| format!("{} {} -> {}", r.name, r.live, r.chart))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_come_from_the_manifest_section_only() {
        let out = "Release \"exastro\" has been upgraded. Happy Helming!\nNAME: exastro\nHOOKS:\nMANIFEST:\n---\n\
                   apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ita-api-admin\nspec:\n  replicas: 1\n---\n\
                   apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: auto\nspec:\n  template: {}\n---\n\
                   apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n\nNOTES:\nkind: Deployment\n";
        assert_eq!(
            rendered_counts(out),
            vec![("Deployment".to_string(), "ita-api-admin".to_string(), 1)]
        );
    }
}
