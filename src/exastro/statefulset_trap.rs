//! The mongo trap of charts 1.4 → 1.6 → 1.7: the claim template of the `mongo` StatefulSet carries the
//! subchart version in a label (`helm.sh/chart: mongo-1.0.7`), and the API server forbids changing a
//! StatefulSet's spec outside replicas, ordinals, template, updateStrategy,
//! persistentVolumeClaimRetentionPolicy and minReadySeconds, so helm's patch fails with `Forbidden`. The
//! vendor's answer: delete the StatefulSet with `--cascade=orphan` first; its pods and claims stay, and the
//! StatefulSet helm creates takes them over. Found from helm's rendering before any change.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::helm_resets::manifest_section;
use super::journal::Journal;
use super::stop_set::Recorded;
use crate::ops::helm::Helm;
use crate::ops::kubectl::Kubectl;
use crate::process::{Cmd, Runner};

/// A StatefulSet that helm cannot patch: re-created by helm after an orphaning delete.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Recreated {
    pub(crate) name: String,
    /// What changes in the forbidden part, e.g. `volumeClaimTemplates[volume-mongo-storage] label helm.sh/chart: mongo-1.0.7 -> mongo-1.1.1`.
    pub(crate) why: String,
    /// Its claims before the upgrade (`name`, uid): the same claims must serve the new StatefulSet.
    #[serde(default)]
    pub(crate) claims: Vec<(String, String)>,
}

/// The parts of a StatefulSet's spec the API server lets nobody change, as comparable JSON.
fn fixed_parts(spec: &Value) -> Vec<(String, Value)> {
    let mut parts = vec![
        ("selector".to_string(), spec["selector"].clone()),
        ("serviceName".to_string(), spec["serviceName"].clone()),
    ];
    for claim in spec["volumeClaimTemplates"]
        .as_array()
        .into_iter()
        .flatten()
    {
        let name = claim["metadata"]["name"].as_str().unwrap_or("");
        for (key, value) in claim["metadata"]["labels"]
            .as_object()
            .into_iter()
            .flatten()
        {
            parts.push((
                format!("volumeClaimTemplates[{name}] label {key}"),
                value.clone(),
            ));
        }
        parts.push((
            format!("volumeClaimTemplates[{name}] storage"),
            claim["spec"]["resources"]["requests"]["storage"].clone(),
        ));
    }
    parts
}

/// What differs between the live spec and the rendered one, in the parts that cannot change.
fn forbidden_changes(live: &Value, rendered: &Value) -> Vec<String> {
    let (before, after) = (fixed_parts(live), fixed_parts(rendered));
    let mut changes = Vec::new();
    for (key, new) in &after {
        let old = before.iter().find(|(k, _)| k == key).map(|(_, v)| v);
        // an omitted serviceName/selector in the rendering is not a change helm makes
        if new.is_null() || old == Some(new) {
            continue;
        }
        let shown = |v: Option<&Value>| match v {
            Some(Value::String(s)) => s.clone(),
            Some(v) if !v.is_null() => v.to_string(),
            _ => "(none)".to_string(),
        };
        changes.push(format!("{key}: {} -> {}", shown(old), shown(Some(new))));
    }
    changes
}

/// The rendered StatefulSets (name → spec) from helm's dry-run output.
fn rendered_statefulsets(dry_run_output: &str) -> Vec<(String, Value)> {
    rendered_objects(manifest_section(dry_run_output))
        .into_iter()
        .filter(|doc| doc["kind"] == "StatefulSet")
        .filter_map(|doc| {
            Some((
                doc["metadata"]["name"].as_str()?.to_string(),
                doc["spec"].clone(),
            ))
        })
        .collect()
}

/// The live StatefulSets helm's upgrade cannot patch, with the claims they use now.
/// `live` is `kubectl get statefulsets,persistentvolumeclaims -o json`'s items.
pub(crate) fn find(dry_run_output: &str, live: &[Value]) -> Vec<Recreated> {
    rendered_statefulsets(dry_run_output)
        .into_iter()
        .filter_map(|(name, rendered)| {
            let current = live
                .iter()
                .find(|o| o["kind"] == "StatefulSet" && o["metadata"]["name"] == name.as_str())?;
            let changes = forbidden_changes(&current["spec"], &rendered);
            (!changes.is_empty()).then(|| Recreated {
                claims: claims_of(&name, &current["spec"], live),
                name,
                why: changes.join("; "),
            })
        })
        .collect()
}

/// The claims a StatefulSet's pods use: `<template>-<statefulset>-<ordinal>`.
pub(crate) fn claims_of(name: &str, spec: &Value, live: &[Value]) -> Vec<(String, String)> {
    let templates: Vec<&str> = spec["volumeClaimTemplates"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["metadata"]["name"].as_str())
        .collect();
    live.iter()
        .filter(|o| o["kind"] == "PersistentVolumeClaim")
        .filter_map(|o| {
            let claim = o["metadata"]["name"].as_str()?;
            let ours = templates.iter().any(|t| {
                claim
                    .strip_prefix(&format!("{t}-{name}-"))
                    .is_some_and(|ordinal| ordinal.parse::<u32>().is_ok())
            });
            ours.then(|| {
                (
                    claim.to_string(),
                    o["metadata"]["uid"].as_str().unwrap_or("").to_string(),
                )
            })
        })
        .collect()
}

/// The manifest without the StatefulSets that are re-created (a dry-run apply of them would meet the same
/// Forbidden as helm's patch; they are deleted before helm applies).
pub(crate) fn without(manifest: &str, recreated: &[Recreated]) -> String {
    if recreated.is_empty() {
        return manifest.to_string();
    }
    let mut kept = Vec::new();
    for doc in manifest.split("\n---") {
        let parsed: Option<Value> = serde_yaml::from_str::<serde_yaml::Value>(doc)
            .ok()
            .and_then(|y| serde_json::to_value(y).ok());
        let skip = parsed.is_some_and(|d| {
            d["kind"] == "StatefulSet"
                && recreated
                    .iter()
                    .any(|r| d["metadata"]["name"] == r.name.as_str())
        });
        if !skip {
            kept.push(doc);
        }
    }
    kept.join("\n---")
}

/// The StatefulSets a put-back re-creates: those the run deleted for helm (`--cascade=orphan`) that are
/// `gone` now (helm never ran to create them again).
pub(crate) fn to_recreate<'a>(journal: &'a Journal, gone: &[String]) -> Vec<&'a Recorded> {
    journal
        .objects
        .iter()
        .filter(|r| r.kind == "StatefulSet" && journal.recreated_statefulsets.contains(&r.name))
        .filter(|r| gone.contains(&r.reference()))
        .collect()
}

/// A re-creation: `object` (the release's rendering of the StatefulSet at its recorded count) on stdin.
fn recreate_cmd(kubectl: &Kubectl, object: &str) -> Cmd {
    kubectl.create_from_stdin(object).note(
        "deleted (--cascade=orphan) for helm, which never ran: re-created from the release, on the same claims",
    )
}

/// What [`recreate_missing`] runs for `missing`, as plans show it: the release's manifest, then one create
/// each (its object, read from that manifest, is a placeholder).
pub(crate) fn recreate_shown(
    helm: &Helm,
    kubectl: &Kubectl,
    release: &str,
    missing: &[&Recorded],
) -> Vec<Vec<Cmd>> {
    if missing.is_empty() {
        return Vec::new();
    }
    let mut stages = vec![vec![helm.get_manifest(release)]];
    stages.extend(missing.iter().map(|r| {
        let object = format!(
            "<{} from the release's manifest, at {} replicas>",
            r.reference(),
            r.replicas
        );
        vec![recreate_cmd(kubectl, &object)]
    }));
    stages
}

/// A StatefulSet the run deleted for helm to re-create, when helm never did (the run was killed between
/// the delete and `helm upgrade`): created again from the release's manifest, at its recorded count, so its
/// pods come back on the same claims. Returns the counts so set; `gone` keeps only what is still missing.
pub(crate) fn recreate_missing(
    runner: &Runner,
    helm: &Helm,
    kubectl: &Kubectl,
    journal: &Journal,
    gone: &mut Vec<String>,
) -> anyhow::Result<Vec<Recorded>> {
    let missing = to_recreate(journal, gone);
    if missing.is_empty() {
        return Ok(Vec::new());
    }
    let manifest = runner.run(&helm.get_manifest(&journal.release))?.stdout;
    let rendered = rendered_objects(&manifest);
    for r in &missing {
        let mut object = rendered
            .iter()
            .find(|o| o["kind"] == "StatefulSet" && o["metadata"]["name"] == r.name.as_str())
            .cloned()
            .ok_or_else(|| {
                anyhow::anyhow!(
                    "statefulset/{} is missing and release {} does not render it",
                    r.name,
                    journal.release
                )
            })?;
        object["spec"]["replicas"] = r.replicas.into();
        let create = recreate_cmd(kubectl, &object.to_string());
        // a create that may have landed although its call failed is read back, not repeated blindly
        runner.run_checked(&create, || {
            let out = runner.run(&kubectl.existing_names("statefulset", &[r.name.as_str()]))?;
            Ok(!out.stdout.trim().is_empty())
        })?;
        gone.retain(|g| *g != r.reference());
    }
    Ok(missing.into_iter().cloned().collect())
}

/// Every object of a manifest (`---`-separated YAML), as JSON.
fn rendered_objects(manifest: &str) -> Vec<Value> {
    serde_yaml::Deserializer::from_str(manifest)
        .filter_map(|doc| serde_yaml::Value::deserialize(doc).ok())
        .filter_map(|doc| serde_json::to_value(doc).ok())
        .filter(|doc| doc.is_object())
        .collect()
}

/// After the upgrade: the StatefulSet exists again and every claim it had is still there, the same
/// object (same uid), and used by its pods. Returns what is wrong.
pub(crate) fn verify(recreated: &Recreated, live: &[Value]) -> Result<String, String> {
    let sts = live
        .iter()
        .find(|o| o["kind"] == "StatefulSet" && o["metadata"]["name"] == recreated.name.as_str())
        .ok_or_else(|| format!("statefulset/{} was not re-created by helm", recreated.name))?;
    let now = claims_of(&recreated.name, &sts["spec"], live);
    let mut problems = Vec::new();
    for (claim, uid) in &recreated.claims {
        match now.iter().find(|(c, _)| c == claim) {
            None => problems.push(format!("claim {claim} is gone")),
            Some((_, new_uid)) if new_uid != uid => problems.push(format!(
                "claim {claim} was re-created (its data volume may be new)"
            )),
            Some(_) => {}
        }
    }
    let pods: Vec<&str> = live
        .iter()
        .filter(|o| o["kind"] == "Pod")
        .filter(|p| {
            p["metadata"]["ownerReferences"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|r| r["kind"] == "StatefulSet" && r["uid"] == sts["metadata"]["uid"])
        })
        .filter_map(|p| p["metadata"]["name"].as_str())
        .collect();
    if !problems.is_empty() {
        return Err(format!(
            "statefulset/{}: {}",
            recreated.name,
            problems.join(", ")
        ));
    }
    Ok(format!(
        "statefulset/{} re-created; its pod(s) {} and claim(s) {} kept",
        recreated.name,
        if pods.is_empty() {
            "(none yet)".to_string()
        } else {
            pods.join(", ")
        },
        recreated
            .claims
            .iter()
            .map(|(c, _)| c.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sts(chart: &str) -> Value {
        json!({"kind": "StatefulSet", "metadata": {"name": "mongo", "uid": "u1"}, "spec": {
            "replicas": 1, "serviceName": "mongo", "selector": {"matchLabels": {"name": "mongo"}},
            "volumeClaimTemplates": [{"metadata": {"name": "volume-mongo-storage", "labels": {"helm.sh/chart": chart}},
                "spec": {"resources": {"requests": {"storage": "20Gi"}}, "volumeMode": "Filesystem"}}]}})
    }

    fn rendering(chart: &str) -> String {
        let spec = serde_yaml::to_string(&sts(chart)).unwrap();
        format!("NAME: exastro\nMANIFEST:\n---\n{spec}\nNOTES:\nhello\n")
    }

    #[test]
    fn a_claim_template_label_change_is_found_and_named() {
        let pvc = json!({"kind": "PersistentVolumeClaim", "metadata": {"name": "volume-mongo-storage-mongo-0", "uid": "c1"}});
        let live = [sts("mongo-1.0.7"), pvc];
        let found = find(&rendering("mongo-1.1.1"), &live);
        assert_eq!(found.len(), 1);
        assert!(
            found[0]
                .why
                .contains("label helm.sh/chart: mongo-1.0.7 -> mongo-1.1.1"),
            "{}",
            found[0].why
        );
        assert_eq!(
            found[0].claims,
            vec![("volume-mongo-storage-mongo-0".to_string(), "c1".to_string())]
        );
        assert!(find(&rendering("mongo-1.0.7"), &live).is_empty());
    }

    #[test]
    fn verification_catches_a_recreated_claim() {
        let recreated = Recreated {
            name: "mongo".into(),
            why: String::new(),
            claims: vec![("volume-mongo-storage-mongo-0".into(), "c1".into())],
        };
        let same = json!({"kind": "PersistentVolumeClaim", "metadata": {"name": "volume-mongo-storage-mongo-0", "uid": "c1"}});
        let other = json!({"kind": "PersistentVolumeClaim", "metadata": {"name": "volume-mongo-storage-mongo-0", "uid": "c2"}});
        assert!(verify(&recreated, &[sts("mongo-1.1.1"), same]).is_ok());
        assert!(verify(&recreated, &[sts("mongo-1.1.1"), other])
            .unwrap_err()
            .contains("re-created"));
        assert!(verify(&recreated, &[])
            .unwrap_err()
            .contains("not re-created"));
    }
}
