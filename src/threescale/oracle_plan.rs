//! What the Oracle build needs, from the BuildConfig, its builds, the pull secret and the image stream:
//! the preflight's problems, the guarded write that brings the BuildConfig to the target version, and
//! whether to build, wait for a running build, or do nothing.

use std::path::PathBuf;

use crate::ops::oc::Oc;
use crate::ops::openshift::{Build, BuildConfig};
use crate::process::Cmd;

/// The template's pull secret (`PULLSECRET_NAME`'s default).
pub(crate) const PULL_SECRET: &str = "threescale-registry-auth";

/// The BuildConfig as the target version's template makes it.
#[derive(Debug, Clone)]
pub(crate) struct Target {
    pub(crate) build_config: &'static str,
    /// `registry.redhat.io/3scale-amp2/system-rhel7:3scale2.10`, `--registry` applied.
    pub(crate) from_image: String,
    /// `amp-system:2.10-oracle`.
    pub(crate) output: String,
    pub(crate) dir: PathBuf,
}

/// What the cluster holds for it, read by the preflight and again by the build step.
#[derive(Debug, Clone, Default)]
pub(crate) struct Found {
    pub(crate) build_config: Option<BuildConfig>,
    pub(crate) builds: Vec<Build>,
    pub(crate) secret: bool,
    /// The image `output` resolves to now.
    pub(crate) resolved: Option<String>,
}

/// What the build step does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum BuildAction {
    /// The output tag resolves to what a completed build of this BuildConfig pushed.
    Done {
        build: String,
    },
    /// A build of this BuildConfig runs: wait for it, never start a second one.
    WaitFor {
        build: String,
    },
    Build,
}

impl Found {
    /// The newest build first.
    fn newest(&self) -> impl Iterator<Item = &Build> {
        let mut builds: Vec<&Build> = self.builds.iter().collect();
        builds.sort_by_key(|b| std::cmp::Reverse(b.number()));
        builds.into_iter()
    }

    pub(crate) fn action(&self, target: &Target) -> BuildAction {
        if let Some(running) = self.newest().find(|b| b.is_running()) {
            return BuildAction::WaitFor {
                build: running.name().to_string(),
            };
        }
        let done = self.newest().find(|b| {
            b.spec.output_tag() == target.output
                && b.pushed_digest()
                    .is_some_and(|d| self.resolved.as_deref().is_some_and(|r| r.ends_with(d)))
        });
        match done {
            Some(build) => BuildAction::Done {
                build: build.name().to_string(),
            },
            None => BuildAction::Build,
        }
    }

    /// The preflight's problems (nothing is read again here).
    pub(crate) fn problems(&self, oc: &Oc, target: &Target) -> Vec<String> {
        let mut problems = Vec::new();
        if !self.secret {
            problems.push(format!(
                "the pull secret {PULL_SECRET} does not exist in the project: the build pulls {} with it. Create it \
                 from your registry.redhat.io credentials (`oc create secret docker-registry {PULL_SECRET} ...`)",
                target.from_image
            ));
        }
        if let Some(bc) = &self.build_config {
            let output = bc.spec.output_tag();
            if output != target.output && !output.ends_with("-oracle") {
                problems.push(format!(
                    "BuildConfig {} pushes to {output:?}, not an amp-system:<version>-oracle tag of the guide's \
                     template: fix it by hand (or delete it to have it created from the template)",
                    target.build_config
                ));
            }
            problems.extend(self.base_image_problem(oc, target));
        }
        problems
    }

    /// A BuildConfig that builds from an image stream (a mirror set up by hand) when a build is due: which
    /// of its images is the target version's cannot be told, and the guarded write patches only the name.
    fn base_image_problem(&self, oc: &Oc, target: &Target) -> Option<String> {
        let bc = self.build_config.as_ref()?;
        let kind = bc.spec.base_kind();
        if kind.is_empty() || kind == "DockerImage" || self.action(target) != BuildAction::Build {
            return None;
        }
        let patch = serde_json::json!([{"op": "replace", "path": "/spec/strategy/dockerStrategy/from",
            "value": {"kind": "DockerImage", "name": target.from_image}}]);
        let bc_ref = format!("bc/{}", target.build_config);
        let fix = oc.scoped(
            false,
            &["patch", &bc_ref],
            ["--type=json".to_string(), "-p".into(), patch.to_string()],
        );
        Some(format!(
            "BuildConfig {} builds from the {kind} {:?}; the guide's template builds from the DockerImage {}, and \
             whether a tag of that stream is that image cannot be told. Point the BuildConfig at the image (or \
             delete it to have it created from the template), then run again:\n    {fix}",
            target.build_config,
            bc.spec.base_image(),
            target.from_image,
        ))
    }
}

/// The write that brings the BuildConfig to the target: created from the template when absent, one JSON
/// patch guarded by `test`s of its current `from` and output when it is on another version, none when current.
pub(crate) fn build_config_write(oc: &Oc, found: &Found, target: &Target) -> Option<Cmd> {
    let Some(bc) = &found.build_config else {
        let object = template_object(target);
        let mut cmd = oc.scoped(false, &["create"], ["-f", "-"]).atomic();
        cmd.stdin = Some(object.to_string().into_bytes());
        return Some(cmd.note(format!(
            "BuildConfig {} from the {} template: from {}, output {}",
            target.build_config, target.output, target.from_image, target.output
        )));
    };
    let (from, output) = (bc.spec.base_image(), bc.spec.output_tag());
    if from == target.from_image && output == target.output {
        return None;
    }
    let patch = serde_json::json!([
        {"op": "test", "path": "/spec/strategy/dockerStrategy/from/name", "value": from},
        {"op": "replace", "path": "/spec/strategy/dockerStrategy/from/name", "value": target.from_image},
        {"op": "test", "path": "/spec/output/to/name", "value": output},
        {"op": "replace", "path": "/spec/output/to/name", "value": target.output},
    ]);
    let bc_ref = format!("bc/{}", target.build_config);
    Some(
        oc.scoped(
            false,
            &["patch", &bc_ref],
            ["--type=json".to_string(), "-p".into(), patch.to_string()],
        )
        .atomic()
        .note(format!(
            "from {from} -> {}, output {output} -> {}",
            target.from_image, target.output
        )),
    )
}

/// The BuildConfig of the templates' `amp/system-oracle/build.yml`, for the target version.
fn template_object(target: &Target) -> serde_json::Value {
    serde_json::json!({
        "apiVersion": "build.openshift.io/v1",
        "kind": "BuildConfig",
        "metadata": {"name": target.build_config, "labels": {"app": "3scale-api-management", "threescale_component": "system"}},
        "spec": {
            "runPolicy": "Serial",
            "source": {"type": "Binary", "binary": {}},
            "strategy": {"type": "Docker", "dockerStrategy": {
                "from": {"kind": "DockerImage", "name": target.from_image},
                "pullSecret": {"name": PULL_SECRET},
                "forcePull": true}},
            "output": {"to": {"kind": "ImageStreamTag", "name": target.output}}
        }
    })
}
