//! DeploymentConfigs: their ImageChange triggers, containers and images.

use serde::Deserialize;

use super::{null_default, ObjectReference};
use crate::ops::k8s::{Condition, ObjectMeta};

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
}
