//! OpenShift builds (build.openshift.io/v1): the BuildConfig of the system-oracle image and its Builds.

use serde::Deserialize;

use super::null_default;
use crate::ops::k8s::ObjectMeta;

#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct NamedRef {
    /// `DockerImage`, `ImageStreamTag`, `ImageStreamImage`.
    #[serde(default)]
    pub(crate) kind: String,
    #[serde(default)]
    pub(crate) name: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct DockerStrategy {
    #[serde(default)]
    pub(crate) from: Option<NamedRef>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Strategy {
    #[serde(default)]
    pub(crate) docker_strategy: Option<DockerStrategy>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct Output {
    #[serde(default)]
    pub(crate) to: Option<NamedRef>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct BuildSpec {
    #[serde(default)]
    pub(crate) strategy: Strategy,
    #[serde(default)]
    pub(crate) output: Output,
}

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct BuildConfig {
    #[serde(default)]
    pub(crate) spec: BuildSpec,
}

impl BuildSpec {
    /// The Docker strategy's `from`.
    fn base(&self) -> Option<&NamedRef> {
        self.strategy
            .docker_strategy
            .as_ref()
            .and_then(|d| d.from.as_ref())
    }

    /// The image the Docker strategy builds FROM.
    pub(crate) fn base_image(&self) -> &str {
        self.base().map_or("", |f| f.name.as_str())
    }

    /// What kind of reference the Docker strategy's `from` is (`DockerImage` in the guide's template).
    pub(crate) fn base_kind(&self) -> &str {
        self.base().map_or("", |f| f.kind.as_str())
    }

    /// The ImageStreamTag the build pushes to.
    pub(crate) fn output_tag(&self) -> &str {
        self.output.to.as_ref().map_or("", |t| t.name.as_str())
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct BuildOutputTo {
    #[serde(default)]
    pub(crate) image_digest: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct BuildOutput {
    #[serde(default)]
    pub(crate) to: Option<BuildOutputTo>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct BuildStatus {
    #[serde(default)]
    pub(crate) phase: String,
    #[serde(default)]
    pub(crate) message: String,
    #[serde(default, deserialize_with = "null_default")]
    pub(crate) output: BuildOutput,
}

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Build {
    pub(crate) metadata: ObjectMeta,
    #[serde(default)]
    pub(crate) spec: BuildSpec,
    #[serde(default)]
    pub(crate) status: BuildStatus,
}

impl Build {
    pub(crate) fn name(&self) -> &str {
        &self.metadata.name
    }

    /// New, Pending or Running: it will still change.
    pub(crate) fn is_running(&self) -> bool {
        matches!(self.status.phase.as_str(), "New" | "Pending" | "Running")
    }

    /// The digest of the image a Complete build pushed.
    pub(crate) fn pushed_digest(&self) -> Option<&str> {
        (self.status.phase == "Complete")
            .then(|| {
                self.status
                    .output
                    .to
                    .as_ref()
                    .map(|t| t.image_digest.as_str())
            })
            .flatten()
            .filter(|d| !d.is_empty())
    }

    /// The build number (`NAME-N`), for ordering.
    pub(crate) fn number(&self) -> u64 {
        self.name()
            .rsplit('-')
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    }
}
