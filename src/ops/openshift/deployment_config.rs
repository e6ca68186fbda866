//! DeploymentConfigs: their ImageChange triggers, containers and images.

use serde::Deserialize;

use super::{null_default, ObjectReference};
use crate::ops::k8s::{Condition, ObjectMeta};

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ImageChangeParams {
    #[serde(default, deserialize_with = "null_default")]
    pub(crate) container_names: Vec<String>,
    #[serde(default)]
    pub(crate) from: ObjectReference,
}

/// One entry of `spec.triggers`, typed, with the exact JSON it came from (a guarded JSON patch tests
/// against what the server holds, not against the typed view of it).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(from = "serde_json::Value")]
pub(crate) struct DcTrigger {
    pub(crate) kind: String,
    pub(crate) image_change_params: Option<ImageChangeParams>,
    pub(crate) raw: serde_json::Value,
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
pub(crate) struct Container {
    pub(crate) name: String,
    #[serde(default)]
    pub(crate) image: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PodSpec {
    #[serde(default, deserialize_with = "null_default")]
    pub(crate) containers: Vec<Container>,
    #[serde(default, deserialize_with = "null_default")]
    pub(crate) init_containers: Vec<Container>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct PodTemplate {
    #[serde(default)]
    pub(crate) spec: PodSpec,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct DcSpec {
    #[serde(default)]
    pub(crate) replicas: i64,
    #[serde(default)]
    pub(crate) paused: bool,
    #[serde(default, deserialize_with = "null_default")]
    pub(crate) triggers: Vec<DcTrigger>,
    #[serde(default)]
    pub(crate) template: PodTemplate,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct DcStatus {
    #[serde(default)]
    pub(crate) latest_version: i64,
    #[serde(default)]
    pub(crate) observed_generation: i64,
    #[serde(default)]
    pub(crate) replicas: i64,
    #[serde(default)]
    pub(crate) updated_replicas: i64,
    #[serde(default)]
    pub(crate) available_replicas: i64,
    #[serde(default, deserialize_with = "null_default")]
    pub(crate) conditions: Vec<Condition>,
}

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct DeploymentConfig {
    pub(crate) metadata: ObjectMeta,
    #[serde(default)]
    pub(crate) spec: DcSpec,
    #[serde(default)]
    pub(crate) status: DcStatus,
}

impl DeploymentConfig {
    pub(crate) fn name(&self) -> &str {
        &self.metadata.name
    }

    /// The ImageChange triggers (any `from` kind).
    pub(crate) fn image_triggers(&self) -> Vec<&ImageChangeParams> {
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

    pub(crate) fn has_container(&self, name: &str) -> bool {
        self.all_containers().any(|c| c.name == name)
    }

    pub(crate) fn container_image(&self, name: &str) -> Option<&str> {
        self.all_containers()
            .find(|c| c.name == name)
            .map(|c| c.image.as_str())
    }

    /// The distinct images of the named containers, in order, joined for display.
    pub(crate) fn images_of(&self, names: &[String]) -> String {
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
    pub(crate) fn runs_image(&self, names: &[String], image: &str) -> bool {
        names.iter().all(|n| self.container_image(n) == Some(image))
    }

    /// `<dc>-<latestVersion>`: the ReplicationController of the latest rollout.
    pub(crate) fn latest_rc_name(&self) -> String {
        format!("{}-{}", self.metadata.name, self.status.latest_version)
    }
}
