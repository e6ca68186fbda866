//! Image streams: the spec tags this tool adds and the import status it reads back.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{null_default, ObjectReference};
use crate::ops::k8s::ObjectMeta;

#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Eq)]
pub(crate) struct TagReferencePolicy {
    #[serde(rename = "type")]
    pub(crate) kind: String,
}

/// One `spec.tags[]` entry. Serialized as the value of the JSON patch that adds a tag.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TagReference {
    pub(crate) name: String,
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "null_default"
    )]
    pub(crate) annotations: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) from: Option<ObjectReference>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) reference_policy: Option<TagReferencePolicy>,
    /// Set by the server; never sent.
    #[serde(default, skip_serializing)]
    pub(crate) generation: Option<i64>,
}

impl TagReference {
    /// A tag importing an external image, as the 3scale guide writes it.
    pub(crate) fn docker_image(name: &str, image: &str, display_name: &str) -> Self {
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
    pub(crate) fn source(&self) -> String {
        match &self.from {
            Some(from) => format!("{} {}", from.kind, from.name),
            None => "(no source)".into(),
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct ImageStreamSpec {
    #[serde(default, deserialize_with = "null_default")]
    pub(crate) tags: Vec<TagReference>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TagEvent {
    #[serde(default)]
    pub(crate) docker_image_reference: String,
    #[serde(default)]
    pub(crate) generation: i64,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct TagEventCondition {
    #[serde(rename = "type")]
    pub(crate) kind: String,
    #[serde(default)]
    pub(crate) status: String,
    #[serde(default)]
    pub(crate) reason: Option<String>,
    #[serde(default)]
    pub(crate) message: Option<String>,
    #[serde(default)]
    pub(crate) generation: i64,
}

/// One `status.tags[]` entry: the import history of a tag, newest first.
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct NamedTagEventList {
    pub(crate) tag: String,
    /// `null` after a failed import.
    #[serde(default, deserialize_with = "null_default")]
    pub(crate) items: Vec<TagEvent>,
    #[serde(default, deserialize_with = "null_default")]
    pub(crate) conditions: Vec<TagEventCondition>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ImageStreamStatus {
    #[serde(default, deserialize_with = "null_default")]
    pub(crate) tags: Vec<NamedTagEventList>,
}

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct ImageStream {
    pub(crate) metadata: ObjectMeta,
    #[serde(default)]
    pub(crate) spec: ImageStreamSpec,
    #[serde(default)]
    pub(crate) status: ImageStreamStatus,
}

/// Where the import of one tag stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ImportState {
    /// Resolved to this image reference (`registry/repo@sha256:...`).
    Imported(String),
    /// `ImportSuccess=False`, with the server's message.
    Failed(String),
    /// Not imported yet.
    Pending,
}

impl ImageStream {
    pub(crate) fn name(&self) -> &str {
        &self.metadata.name
    }

    pub(crate) fn spec_tag(&self, tag: &str) -> Option<&TagReference> {
        self.spec.tags.iter().find(|t| t.name == tag)
    }

    pub(crate) fn status_tag(&self, tag: &str) -> Option<&NamedTagEventList> {
        self.status.tags.iter().find(|t| t.tag == tag)
    }

    /// The import state of a tag. A failure newer than the last good import wins; a spec tag changed
    /// after its last import (higher generation) is pending again.
    pub(crate) fn import_state(&self, tag: &str) -> ImportState {
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
    pub(crate) fn resolved(&self, tag: &str) -> Option<String> {
        self.status_tag(tag)
            .and_then(|t| t.items.first())
            .map(|item| item.docker_image_reference.clone())
            .filter(|r| !r.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}

/// An image stream tag as oc names it, `STREAM:TAG`, kept as its two parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct IsTag {
    pub(crate) stream: String,
    pub(crate) tag: String,
}

impl std::fmt::Display for IsTag {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.stream, self.tag)
    }
}

/// Serialized as oc spells it (`amp-system:2.10`), as the JSON reports always did.
impl Serialize for IsTag {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}
