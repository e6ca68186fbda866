//! The OpenShift object shapes `oc get -o json` prints: ImageStream, DeploymentConfig and the
//! ReplicationController of a rollout, with the helpers that read them.

mod deployment_config;
mod image_stream;
mod rollout;

pub use deployment_config::{
    Container, DcSpec, DcStatus, DcTrigger, DeploymentConfig, ImageChangeParams, PodSpec,
    PodTemplate,
};
pub use image_stream::{
    ImageStream, ImageStreamSpec, ImageStreamStatus, ImportState, NamedTagEventList, TagEvent,
    TagEventCondition, TagReference, TagReferencePolicy,
};
pub use rollout::{ReplicationController, Rollout, NEW_RC_AVAILABLE, PHASE_ANNOTATION};

use serde::{Deserialize, Deserializer, Serialize};

/// `null` in the API's JSON means the same as an absent field: the default.
fn null_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Eq)]
pub struct ObjectReference {
    pub kind: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
}
