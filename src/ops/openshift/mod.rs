//! The OpenShift object shapes `oc get -o json` prints: ImageStream, DeploymentConfig and the
//! ReplicationController of a rollout, with the helpers that read them.

mod build;
mod deployment_config;
mod image_stream;
mod rollout;

pub(crate) use build::{Build, BuildConfig};
pub(crate) use deployment_config::{DeploymentConfig, ImageChangeParams};
pub(crate) use image_stream::{ImageStream, ImportState, IsTag, TagReference};
pub(crate) use rollout::{ReplicationController, Rollout};

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
pub(crate) struct ObjectReference {
    pub(crate) kind: String,
    pub(crate) name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) namespace: Option<String>,
}
