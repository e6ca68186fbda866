//! oc-only command builders (projects, image streams, DeploymentConfig triggers) and the OpenShift object
//! shapes `oc get -o json` prints: ImageStream, DeploymentConfig, ReplicationController. The verbs oc
//! shares with kubectl (get, list, logs, patch --type=merge) come from [`Kubectl`] with program "oc".

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize};

use super::k8s::{Condition, ObjectMeta};
use super::kubectl::Kubectl;
use super::target::KubeTarget;
use crate::process::Cmd;

/// Builds `oc` commands for one project.
#[derive(Debug, Clone)]
pub struct Oc {
    pub kubectl: Kubectl,
}

/// `null` in the API's JSON means the same as an absent field: the default.
fn null_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

impl Oc {
    pub fn new(target: KubeTarget) -> Self {
        Oc {
            kubectl: Kubectl::new("oc", target),
        }
    }

    pub fn target(&self) -> &KubeTarget {
        &self.kubectl.target
    }

    pub fn namespace(&self) -> &str {
        &self.kubectl.target.namespace
    }

    /// `oc VERB... OBJECT -n NS [--context/--kubeconfig] REST...`
    pub(crate) fn scoped(
        &self,
        read: bool,
        head: &[&str],
        rest: impl IntoIterator<Item = impl Into<String>>,
    ) -> Cmd {
        let mut args: Vec<String> = head.iter().map(|s| s.to_string()).collect();
        args.extend(["-n".to_string(), self.namespace().to_string()]);
        args.extend(self.target().kubectl_flags());
        args.extend(rest.into_iter().map(Into::into));
        if read {
            Cmd::read("oc", args)
        } else {
            Cmd::mutate("oc", args)
        }
    }

    /// `oc version --client`: is oc installed at all.
    pub fn version(&self) -> Cmd {
        self.kubectl.version()
    }

    /// The current project, used when no `-n` is given.
    pub fn current_project(target: &KubeTarget) -> Cmd {
        Cmd::read("oc", ["project".to_string(), "-q".into()]).args(target.kubectl_flags())
    }

    /// Fails when not logged in.
    pub fn whoami(&self) -> Cmd {
        Cmd::read("oc", ["whoami"]).args(self.target().kubectl_flags())
    }

    /// Whether the project exists and is visible to the user (namespaces may be forbidden to list).
    pub fn get_project(&self) -> Cmd {
        Cmd::read(
            "oc",
            [
                "get".to_string(),
                "project".into(),
                self.namespace().to_string(),
                "-o".into(),
                "name".into(),
            ],
        )
        .args(self.target().kubectl_flags())
    }

    /// Every image stream of the project, one call.
    pub fn list_imagestreams(&self) -> Cmd {
        self.scoped(true, &["get", "imagestreams"], ["-o", "json"])
    }

    /// Every DeploymentConfig of the project, one call.
    pub fn list_dcs(&self) -> Cmd {
        self.scoped(true, &["get", "dc"], ["-o", "json"])
    }

    pub fn get_dc(&self, name: &str) -> Cmd {
        self.scoped(true, &["get", &format!("dc/{name}")], ["-o", "json"])
    }

    /// The ReplicationController of one rollout (`<dc>-<N>`), or empty output while it does not exist.
    pub fn get_rc_optional(&self, name: &str) -> Cmd {
        self.kubectl.get_optional("rc", name)
    }

    pub fn get_configmap_optional(&self, name: &str) -> Cmd {
        self.kubectl.get_optional("configmap", name)
    }

    /// Pods selected by a label, e.g. the deployer and hook pods of one rollout.
    pub fn pods_labelled(&self, selector: &str) -> Cmd {
        self.scoped(true, &["get", "pods"], ["-l", selector, "-o", "json"])
    }

    pub fn logs_tail(&self, pod: &str, lines: usize) -> Cmd {
        self.kubectl.logs_tail(pod, lines)
    }

    /// Appends one spec tag with a JSON patch. The patch is built from data, never pasted together.
    /// Not retried: a repeated `add` to `/spec/tags/-` would append again. One object: a rejected patch
    /// changed nothing.
    pub fn add_tag(&self, stream: &str, tag: &TagReference) -> Cmd {
        let patch = serde_json::json!([{
            "op": "add",
            "path": "/spec/tags/-",
            "value": tag,
        }]);
        self.scoped(
            false,
            &["patch", &format!("imagestream/{stream}")],
            ["--type=json".to_string(), "-p".into(), patch.to_string()],
        )
        .atomic()
    }

    /// Deletes a spec tag (shown to undo added tags; never run by the tool).
    pub fn delete_tag(&self, stream: &str, tag: &str) -> Cmd {
        self.scoped(
            false,
            &["tag", "-d", &format!("{stream}:{tag}")],
            Vec::<String>::new(),
        )
    }

    /// Re-imports one tag (shown after a failed import; never run by the tool).
    pub fn import_image(&self, stream: &str, tag: &str) -> Cmd {
        self.scoped(
            false,
            &["import-image", &format!("{stream}:{tag}")],
            Vec::<String>::new(),
        )
    }

    /// `oc set triggers dc/X --from-image=IS:TAG --containers=a,b`: adds (or updates in place) an
    /// automatic ImageChange trigger. Setting the same trigger again is harmless, so it may be retried; one
    /// object, so a rejected call changed nothing.
    pub fn set_image_trigger(&self, dc: &str, istag: &str, containers: &[String]) -> Cmd {
        self.scoped(
            false,
            &["set", "triggers", &format!("dc/{dc}")],
            [
                format!("--from-image={istag}"),
                format!("--containers={}", containers.join(",")),
            ],
        )
        .retry_safe()
        .atomic()
    }

    /// `... --remove`: removes every image trigger whose `from` is IS:TAG. oc exits 0 even when nothing
    /// matched, so callers must read the DC back.
    pub fn remove_image_trigger(&self, dc: &str, istag: &str, containers: &[String]) -> Cmd {
        self.scoped(
            false,
            &["set", "triggers", &format!("dc/{dc}")],
            [
                format!("--from-image={istag}"),
                format!("--containers={}", containers.join(",")),
                "--remove".into(),
            ],
        )
        .retry_safe()
        .atomic()
    }

    /// Stops a stuck rollout (shown after a timeout; never run by the tool).
    pub fn rollout_cancel(&self, dc: &str) -> Cmd {
        self.scoped(
            false,
            &["rollout", "cancel", &format!("dc/{dc}")],
            Vec::<String>::new(),
        )
    }

    /// Starts a build (shown for the Oracle system image; never run by the tool).
    pub fn start_build(&self, build_config: &str) -> Cmd {
        self.scoped(
            false,
            &["start-build", build_config],
            ["--wait", "--follow"],
        )
    }

    /// `oc patch configmap/NAME --type=merge -p '{"data":{KEY:VALUE}}'`.
    pub fn patch_configmap_data(&self, name: &str, key: &str, value: &str) -> Cmd {
        let mut data = serde_json::Map::new();
        data.insert(
            key.to_string(),
            serde_json::Value::String(value.to_string()),
        );
        self.kubectl.patch_merge(
            &format!("configmap/{name}"),
            &serde_json::json!({ "data": data }),
        )
    }
}

// ------------------------------------------------------------------------------------------ image streams

#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Eq)]
pub struct ObjectReference {
    pub kind: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Eq)]
pub struct TagReferencePolicy {
    #[serde(rename = "type")]
    pub kind: String,
}

/// One `spec.tags[]` entry. Serialized as the value of the JSON patch that adds a tag.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct TagReference {
    pub name: String,
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "null_default"
    )]
    pub annotations: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<ObjectReference>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference_policy: Option<TagReferencePolicy>,
    /// Set by the server; never sent.
    #[serde(default, skip_serializing)]
    pub generation: Option<i64>,
}

impl TagReference {
    /// A tag importing an external image, as the 3scale guide writes it.
    pub fn docker_image(name: &str, image: &str, display_name: &str) -> Self {
        TagReference {
            name: name.to_string(),
            annotations: BTreeMap::from([(
                "openshift.io/display-name".to_string(),
                display_name.to_string(),
            )]),
            from: Some(ObjectReference {
                kind: "DockerImage".into(),
                name: image.to_string(),
                namespace: None,
            }),
            reference_policy: Some(TagReferencePolicy {
                kind: "Source".into(),
            }),
            generation: None,
        }
    }

    /// `DockerImage registry/x:y` or `ImageStreamTag is:tag`.
    pub fn source(&self) -> String {
        match &self.from {
            Some(from) => format!("{} {}", from.kind, from.name),
            None => "(no source)".into(),
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ImageStreamSpec {
    #[serde(default, deserialize_with = "null_default")]
    pub tags: Vec<TagReference>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TagEvent {
    #[serde(default)]
    pub created: String,
    #[serde(default)]
    pub docker_image_reference: String,
    #[serde(default)]
    pub image: String,
    #[serde(default)]
    pub generation: i64,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct TagEventCondition {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub reason: Option<String>,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default)]
    pub generation: i64,
}

/// One `status.tags[]` entry: the import history of a tag, newest first.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct NamedTagEventList {
    pub tag: String,
    /// `null` after a failed import.
    #[serde(default, deserialize_with = "null_default")]
    pub items: Vec<TagEvent>,
    #[serde(default, deserialize_with = "null_default")]
    pub conditions: Vec<TagEventCondition>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImageStreamStatus {
    #[serde(default)]
    pub docker_image_repository: String,
    #[serde(default, deserialize_with = "null_default")]
    pub tags: Vec<NamedTagEventList>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ImageStream {
    pub metadata: ObjectMeta,
    #[serde(default)]
    pub spec: ImageStreamSpec,
    #[serde(default)]
    pub status: ImageStreamStatus,
}

/// Where the import of one tag stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportState {
    /// Resolved to this image reference (`registry/repo@sha256:...`).
    Imported(String),
    /// `ImportSuccess=False`, with the server's message.
    Failed(String),
    /// Not imported yet.
    Pending,
}

impl ImageStream {
    pub fn name(&self) -> &str {
        &self.metadata.name
    }

    pub fn spec_tag(&self, tag: &str) -> Option<&TagReference> {
        self.spec.tags.iter().find(|t| t.name == tag)
    }

    pub fn status_tag(&self, tag: &str) -> Option<&NamedTagEventList> {
        self.status.tags.iter().find(|t| t.tag == tag)
    }

    /// The import state of a tag. A failure newer than the last good import wins; a spec tag changed
    /// after its last import (higher generation) is pending again.
    pub fn import_state(&self, tag: &str) -> ImportState {
        let Some(status) = self.status_tag(tag) else {
            return ImportState::Pending;
        };
        let newest = status.items.first();
        let failure = status
            .conditions
            .iter()
            .find(|c| c.kind == "ImportSuccess" && c.status == "False");
        if let Some(cond) = failure {
            if newest.is_none_or(|item| cond.generation >= item.generation) {
                let message = cond
                    .message
                    .clone()
                    .or_else(|| cond.reason.clone())
                    .unwrap_or_else(|| "import failed".into());
                return ImportState::Failed(message);
            }
        }
        match newest {
            Some(item) => {
                let spec_generation = self.spec_tag(tag).and_then(|t| t.generation);
                if spec_generation.is_some_and(|g| g > item.generation) {
                    ImportState::Pending
                } else {
                    ImportState::Imported(item.docker_image_reference.clone())
                }
            }
            None => ImportState::Pending,
        }
    }

    /// The image a tag resolves to now, if it was imported (or built into the stream).
    pub fn resolved(&self, tag: &str) -> Option<String> {
        self.status_tag(tag)
            .and_then(|t| t.items.first())
            .map(|item| item.docker_image_reference.clone())
            .filter(|r| !r.is_empty())
    }
}

// ------------------------------------------------------------------------------ deployment configs

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImageChangeParams {
    #[serde(default)]
    pub automatic: bool,
    #[serde(default, deserialize_with = "null_default")]
    pub container_names: Vec<String>,
    #[serde(default)]
    pub from: ObjectReference,
    #[serde(default)]
    pub last_triggered_image: String,
}

/// One entry of `spec.triggers`, typed, with the exact JSON it came from (a guarded JSON patch tests
/// against what the server holds, not against the typed view of it).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(from = "serde_json::Value")]
pub struct DcTrigger {
    pub kind: String,
    pub image_change_params: Option<ImageChangeParams>,
    pub raw: serde_json::Value,
}

impl From<serde_json::Value> for DcTrigger {
    fn from(raw: serde_json::Value) -> Self {
        DcTrigger {
            kind: raw["type"].as_str().unwrap_or_default().to_string(),
            image_change_params: serde_json::from_value(raw["imageChangeParams"].clone()).ok(),
            raw,
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Container {
    pub name: String,
    #[serde(default)]
    pub image: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PodSpec {
    #[serde(default, deserialize_with = "null_default")]
    pub containers: Vec<Container>,
    #[serde(default, deserialize_with = "null_default")]
    pub init_containers: Vec<Container>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct PodTemplate {
    #[serde(default)]
    pub spec: PodSpec,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct DcSpec {
    #[serde(default)]
    pub replicas: i64,
    #[serde(default)]
    pub paused: bool,
    #[serde(default, deserialize_with = "null_default")]
    pub triggers: Vec<DcTrigger>,
    #[serde(default)]
    pub template: PodTemplate,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DcStatus {
    #[serde(default)]
    pub latest_version: i64,
    #[serde(default)]
    pub observed_generation: i64,
    #[serde(default)]
    pub replicas: i64,
    #[serde(default)]
    pub updated_replicas: i64,
    #[serde(default)]
    pub available_replicas: i64,
    #[serde(default)]
    pub ready_replicas: i64,
    #[serde(default, deserialize_with = "null_default")]
    pub conditions: Vec<Condition>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct DeploymentConfig {
    pub metadata: ObjectMeta,
    #[serde(default)]
    pub spec: DcSpec,
    #[serde(default)]
    pub status: DcStatus,
}

/// Where the latest rollout of a DC stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rollout {
    Complete,
    /// Still going; the text says what is missing.
    Progressing(String),
    Failed(String),
}

pub const NEW_RC_AVAILABLE: &str = "NewReplicationControllerAvailable";
pub const PHASE_ANNOTATION: &str = "openshift.io/deployment.phase";

impl DeploymentConfig {
    pub fn name(&self) -> &str {
        &self.metadata.name
    }

    /// The ImageChange triggers (any `from` kind).
    pub fn image_triggers(&self) -> Vec<&ImageChangeParams> {
        self.spec
            .triggers
            .iter()
            .filter(|t| t.kind == "ImageChange")
            .filter_map(|t| t.image_change_params.as_ref())
            .collect()
    }

    fn all_containers(&self) -> impl Iterator<Item = &Container> {
        let spec = &self.spec.template.spec;
        spec.containers.iter().chain(&spec.init_containers)
    }

    pub fn has_container(&self, name: &str) -> bool {
        self.all_containers().any(|c| c.name == name)
    }

    pub fn container_image(&self, name: &str) -> Option<&str> {
        self.all_containers()
            .find(|c| c.name == name)
            .map(|c| c.image.as_str())
    }

    /// The distinct images of the named containers, in order, joined for display.
    pub fn images_of(&self, names: &[String]) -> String {
        let mut seen: Vec<&str> = Vec::new();
        for name in names {
            if let Some(image) = self.container_image(name) {
                if !seen.contains(&image) {
                    seen.push(image);
                }
            }
        }
        seen.join(", ")
    }

    /// Whether every named container already runs `image`.
    pub fn runs_image(&self, names: &[String], image: &str) -> bool {
        names.iter().all(|n| self.container_image(n) == Some(image))
    }

    /// `<dc>-<latestVersion>`: the ReplicationController of the latest rollout.
    pub fn latest_rc_name(&self) -> String {
        format!("{}-{}", self.metadata.name, self.status.latest_version)
    }

    /// The state of the latest rollout, from the DC's status and, when known, its ReplicationController
    /// (`openshift.io/deployment.phase`). Like `oc rollout status`, and additionally requires the old pods
    /// to be gone.
    pub fn rollout(&self, rc: Option<&ReplicationController>) -> Rollout {
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

// ------------------------------------------------------------------------- replication controllers

#[derive(Debug, Clone, Deserialize)]
pub struct ReplicationController {
    pub metadata: ObjectMeta,
}

impl ReplicationController {
    /// New, Pending, Running, Complete or Failed (empty when the annotation is missing).
    pub fn phase(&self) -> &str {
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

    fn target() -> KubeTarget {
        KubeTarget {
            namespace: "3scale".into(),
            context: None,
            kubeconfig: None,
        }
    }

    #[test]
    fn tag_patch_is_built_from_data_in_the_guides_shape() {
        let oc = Oc::new(target());
        let tag = TagReference::docker_image(
            "2.10",
            "registry.redhat.io/3scale-amp2/system-rhel7:3scale2.10",
            "AMP system 2.10",
        );
        assert_eq!(
            oc.add_tag("amp-system", &tag).display(),
            r#"oc patch imagestream/amp-system -n 3scale --type=json -p '[{"op":"add","path":"/spec/tags/-","value":{"annotations":{"openshift.io/display-name":"AMP system 2.10"},"from":{"kind":"DockerImage","name":"registry.redhat.io/3scale-amp2/system-rhel7:3scale2.10"},"name":"2.10","referencePolicy":{"type":"Source"}}}]'"#
        );
        let quoted = TagReference::docker_image("x", "r/i:t", "it's \"odd\"");
        let cmd = oc.add_tag("s", &quoted);
        let parsed: serde_json::Value = serde_json::from_str(cmd.args.last().unwrap()).unwrap();
        assert_eq!(
            parsed[0]["value"]["annotations"]["openshift.io/display-name"],
            "it's \"odd\""
        );
    }

    #[test]
    fn trigger_commands_read_like_the_guide() {
        let oc = Oc::new(target());
        let containers = vec!["system-sidekiq".to_string(), "check-svc".to_string()];
        assert_eq!(
            oc.remove_image_trigger("system-sidekiq", "amp-system:2.9", &containers)
                .display(),
            "oc set triggers dc/system-sidekiq -n 3scale --from-image=amp-system:2.9 --containers=system-sidekiq,check-svc --remove"
        );
        assert_eq!(
            oc.set_image_trigger("system-sidekiq", "amp-system:2.10", &containers)
                .display(),
            "oc set triggers dc/system-sidekiq -n 3scale --from-image=amp-system:2.10 --containers=system-sidekiq,check-svc"
        );
    }

    #[test]
    fn import_states() {
        let is: ImageStream = serde_json::from_str(
            r#"{"metadata":{"name":"amp-system"},
                "spec":{"tags":[{"name":"2.9","generation":1},{"name":"2.10","generation":3},{"name":"bad","generation":2}]},
                "status":{"tags":[
                  {"tag":"2.9","items":[{"dockerImageReference":"r/s@sha256:1","generation":1}]},
                  {"tag":"2.10","items":[{"dockerImageReference":"r/s@sha256:2","generation":2}]},
                  {"tag":"bad","items":null,"conditions":[{"type":"ImportSuccess","status":"False","message":"manifest unknown","generation":2}]}
                ]}}"#,
        )
        .unwrap();
        assert_eq!(
            is.import_state("2.9"),
            ImportState::Imported("r/s@sha256:1".into())
        );
        assert_eq!(is.import_state("2.10"), ImportState::Pending);
        assert_eq!(
            is.import_state("bad"),
            ImportState::Failed("manifest unknown".into())
        );
        assert_eq!(is.import_state("none"), ImportState::Pending);
        assert_eq!(is.resolved("2.9").as_deref(), Some("r/s@sha256:1"));
        assert_eq!(is.resolved("bad"), None);
    }

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
