//! oc-only command builders (projects, image streams, DeploymentConfig triggers). The verbs oc shares
//! with kubectl (get, list, logs, patch --type=merge) come from [`Kubectl`] with program "oc"; the object
//! shapes `oc get -o json` prints are in [`super::openshift`].

use std::time::Duration;

use super::kubectl::Kubectl;
use super::target::KubeTarget;
use crate::process::Cmd;

// The object shapes lived here before; their old paths keep working for the modules that use them.
pub(crate) use super::openshift::{
    DeploymentConfig, ImageStream, ImportState, Rollout, TagReference,
};

/// Builds `oc` commands for one project.
#[derive(Debug, Clone)]
pub(crate) struct Oc {
    pub(crate) kubectl: Kubectl,
}

impl Oc {
    pub(crate) fn new(target: KubeTarget) -> Self {
        Oc {
            kubectl: Kubectl::new("oc", target),
        }
    }

    pub(crate) fn target(&self) -> &KubeTarget {
        &self.kubectl.target
    }

    pub(crate) fn namespace(&self) -> &str {
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
    pub(crate) fn version(&self) -> Cmd {
        self.kubectl.version()
    }

    /// The current project, used when no `-n` is given.
    pub(crate) fn current_project(target: &KubeTarget) -> Cmd {
        Cmd::read("oc", ["project".to_string(), "-q".into()]).args(target.kubectl_flags())
    }

    /// Fails when not logged in.
    pub(crate) fn whoami(&self) -> Cmd {
        Cmd::read("oc", ["whoami"]).args(self.target().kubectl_flags())
    }

    /// Whether the project exists and is visible to the user (namespaces may be forbidden to list).
    pub(crate) fn get_project(&self) -> Cmd {
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
    pub(crate) fn list_imagestreams(&self) -> Cmd {
        self.scoped(true, &["get", "imagestreams"], ["-o", "json"])
    }

    /// Every DeploymentConfig of the project, one call.
    pub(crate) fn list_dcs(&self) -> Cmd {
        self.scoped(true, &["get", "dc"], ["-o", "json"])
    }

    pub(crate) fn get_dc(&self, name: &str) -> Cmd {
        self.scoped(true, &["get", &format!("dc/{name}")], ["-o", "json"])
    }

    /// A DC and the ReplicationController of one of its rollouts in one call (a List; the RC is left out
    /// while it does not exist): a rollout wait reads both on every poll.
    pub(crate) fn get_dc_and_rc(&self, dc: &str, rc: &str) -> Cmd {
        self.scoped(
            true,
            &["get", &format!("dc/{dc}"), &format!("rc/{rc}")],
            ["-o", "json", "--ignore-not-found"],
        )
    }

    /// The ReplicationController of one rollout (`<dc>-<N>`), or empty output while it does not exist.
    pub(crate) fn get_rc_optional(&self, name: &str) -> Cmd {
        self.kubectl.get_optional("rc", name)
    }

    pub(crate) fn get_configmap_optional(&self, name: &str) -> Cmd {
        self.kubectl.get_optional("configmap", name)
    }

    /// Pods selected by a label, e.g. the deployer and hook pods of one rollout.
    pub(crate) fn pods_labelled(&self, selector: &str) -> Cmd {
        self.scoped(true, &["get", "pods"], ["-l", selector, "-o", "json"])
    }

    pub(crate) fn logs_tail(&self, pod: &str, lines: usize) -> Cmd {
        self.kubectl.logs_tail(pod, lines)
    }

    /// Appends one spec tag with a JSON patch. The patch is built from data, never pasted together.
    /// Not retried: a repeated `add` to `/spec/tags/-` would append again. One object: a rejected patch
    /// changed nothing.
    pub(crate) fn add_tag(&self, stream: &str, tag: &TagReference) -> Cmd {
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
    pub(crate) fn delete_tag(&self, stream: &str, tag: &str) -> Cmd {
        self.scoped(
            false,
            &["tag", "-d", &format!("{stream}:{tag}")],
            Vec::<String>::new(),
        )
    }

    /// Re-imports one tag (shown after a failed import; never run by the tool).
    pub(crate) fn import_image(&self, stream: &str, tag: &str) -> Cmd {
        self.scoped(
            false,
            &["import-image", &format!("{stream}:{tag}")],
            Vec::<String>::new(),
        )
    }

    /// `oc set triggers dc/X --from-image=IS:TAG --containers=a,b`: adds (or updates in place) an
    /// automatic ImageChange trigger. Setting the same trigger again is harmless, so it may be retried; one
    /// object, so a rejected call changed nothing.
    pub(crate) fn set_image_trigger(&self, dc: &str, istag: &str, containers: &[String]) -> Cmd {
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
    pub(crate) fn remove_image_trigger(&self, dc: &str, istag: &str, containers: &[String]) -> Cmd {
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

    /// oc's own status viewer for one rollout: watches until rollout `revision` of the DC ends (exit 0 when
    /// complete, 1 when failed or after `timeout`). Only run once `status.latestVersion` reads `revision`:
    /// without `--revision`, right after a trigger change it reports the previous rollout as done.
    pub(crate) fn rollout_status(&self, dc: &str, revision: i64, timeout: Duration) -> Cmd {
        self.scoped(
            true,
            &["rollout", "status", &format!("dc/{dc}")],
            [
                format!("--revision={revision}"),
                format!("--timeout={}", crate::ops::helm::go_duration(timeout)),
            ],
        )
        // oc ends it at `timeout`; the runner's own limit (2 minutes by default) must not come first
        .timeout(timeout + Duration::from_secs(10))
        .stops_on_interrupt()
    }

    /// Stops a stuck rollout (shown after a timeout; never run by the tool).
    pub(crate) fn rollout_cancel(&self, dc: &str) -> Cmd {
        self.scoped(
            false,
            &["rollout", "cancel", &format!("dc/{dc}")],
            Vec::<String>::new(),
        )
    }

    /// Starts a build (shown for the Oracle system image; never run by the tool).
    pub(crate) fn start_build(&self, build_config: &str) -> Cmd {
        self.scoped(
            false,
            &["start-build", build_config],
            ["--wait", "--follow"],
        )
    }

    /// `oc patch configmap/NAME --type=merge -p '{"data":{KEY:VALUE}}'`.
    pub(crate) fn patch_configmap_data(&self, name: &str, key: &str, value: &str) -> Cmd {
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
}
