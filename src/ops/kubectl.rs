//! kubectl (and oc, which takes the same verbs) command builders.

use crate::process::Cmd;

use super::target::KubeTarget;

/// Builds kubectl-style commands for one namespace. `program` is "kubectl" or "oc".
#[derive(Debug, Clone)]
pub(crate) struct Kubectl {
    pub(crate) program: &'static str,
    pub(crate) target: KubeTarget,
}

/// Named objects per kubectl call: two requests each, within kubectl's burst of 10.
pub(crate) const OBJECTS_PER_CALL: usize = 5;

impl Kubectl {
    pub(crate) fn new(program: &'static str, target: KubeTarget) -> Self {
        Kubectl { program, target }
    }

    fn scoped(&self, cmd: Cmd) -> Cmd {
        let ns = self.target.namespace.clone();
        cmd.args(["-n".to_string(), ns])
            .args(self.target.kubectl_flags())
    }

    fn global(&self, cmd: Cmd) -> Cmd {
        cmd.args(self.target.kubectl_flags())
    }

    pub(crate) fn version(&self) -> Cmd {
        Cmd::read(self.program, ["version", "--client", "-o", "json"])
    }

    /// The cluster user the credentials authenticate as (`kubectl auth whoami`, Kubernetes 1.28+).
    pub(crate) fn auth_whoami(&self) -> Cmd {
        self.global(Cmd::read(
            self.program,
            [
                "auth",
                "whoami",
                "-o",
                "jsonpath={.status.userInfo.username}",
            ],
        ))
    }

    /// The selected context and its cluster, read from the kubeconfig only (no network call).
    pub(crate) fn config_view(&self) -> Cmd {
        self.global(Cmd::read(
            self.program,
            ["config", "view", "--minify", "-o", "json"],
        ))
    }

    pub(crate) fn get_namespace(&self) -> Cmd {
        let ns = self.target.namespace.clone();
        self.global(Cmd::read(
            self.program,
            [
                "get".to_string(),
                "namespace".into(),
                ns,
                "-o".into(),
                "name".into(),
            ],
        ))
    }

    /// `get KINDS -o json` in the namespace: always a `List`.
    pub(crate) fn list(&self, kinds: &str) -> Cmd {
        self.scoped(Cmd::read(self.program, ["get", kinds, "-o", "json"]))
    }

    /// A server-side dry-run apply of `manifest` (on stdin) as field manager `manager`: the server answers
    /// every conflict that apply would meet, and changes nothing. Prints the applied objects' names.
    pub(crate) fn server_side_dry_run_apply(&self, manager: &str, manifest: &str) -> Cmd {
        let mut cmd = self.scoped(Cmd::read(
            self.program,
            [
                "apply".to_string(),
                "--server-side".into(),
                "--dry-run=server".into(),
                format!("--field-manager={manager}"),
                "-f".into(),
                "-".into(),
                "-o".into(),
                "name".into(),
            ],
        ));
        cmd.stdin = Some(manifest.as_bytes().to_vec());
        cmd
    }

    /// `get KIND NAME... -o name --ignore-not-found`: which of these exist, without reading their data.
    pub(crate) fn existing_names(&self, kind: &str, names: &[&str]) -> Cmd {
        let mut args = vec!["get".to_string(), kind.to_string()];
        args.extend(names.iter().map(|n| n.to_string()));
        args.extend(["-o".into(), "name".into(), "--ignore-not-found".into()]);
        self.scoped(Cmd::read(self.program, args))
    }

    /// Named objects as one JSON `List` (empty output when none exists): one call for several objects.
    pub(crate) fn get_named(&self, kind: &str, names: &[&str]) -> Cmd {
        let mut args = vec!["get".to_string(), kind.to_string()];
        args.extend(names.iter().map(|n| n.to_string()));
        args.extend(["-o".into(), "json".into(), "--ignore-not-found".into()]);
        self.scoped(Cmd::read(self.program, args))
    }

    /// `kubectl create -f -` of one object given as JSON on stdin.
    pub(crate) fn create_from_stdin(&self, object: &str) -> Cmd {
        let mut cmd = self.scoped(Cmd::mutate(
            self.program,
            ["create", "-f", "-", "-o", "name"],
        ));
        cmd.stdin = Some(object.as_bytes().to_vec());
        cmd.atomic()
    }

    /// Deletes an object but not what it owns (`--cascade=orphan`): a StatefulSet's pods and claims stay.
    /// Harmless to repeat: a delete that landed although its call failed finds nothing the second time.
    pub(crate) fn delete_orphaning(&self, reference: &str) -> Cmd {
        self.scoped(Cmd::mutate(
            self.program,
            [
                "delete",
                reference,
                "--cascade=orphan",
                "--wait=true",
                "--ignore-not-found",
            ],
        ))
        .retry_safe()
    }

    /// `kubectl port-forward OBJECT PORTS`: runs until stopped; prints "Forwarding from ..." lines.
    pub(crate) fn port_forward(&self, object: &str, ports: &str) -> Cmd {
        self.scoped(Cmd::read(self.program, ["port-forward", object, ports]))
    }

    /// One named object as JSON, or empty output when it does not exist.
    pub(crate) fn get_optional(&self, kind: &str, name: &str) -> Cmd {
        self.scoped(Cmd::read(
            self.program,
            ["get", kind, name, "-o", "json", "--ignore-not-found"],
        ))
    }

    /// Scale calls for every object that goes to the same count, at most `OBJECTS_PER_CALL` objects each:
    /// kubectl sends a GET and a PATCH per named object, one after another, and throttles each process to
    /// 5 requests/s after a burst of 10, so one call for 55 objects takes ~18 s while 11 calls run side by
    /// side (`Runner::run_all`) stay within their bursts. Order is kept: platform-auth stays alone.
    pub(crate) fn scale_batches(&self, references: &[String], replicas: i64) -> Vec<Cmd> {
        references
            .chunks(OBJECTS_PER_CALL)
            .map(|chunk| self.scale(chunk, replicas))
            .collect()
    }

    /// `get pods -o name`: one LIST, whatever the number of pods waited for.
    pub(crate) fn pod_names(&self) -> Cmd {
        self.scoped(Cmd::read(self.program, ["get", "pods", "-o", "name"]))
    }

    /// One scale call for every object that goes to the same count. Setting an absolute count is harmless
    /// to repeat, so it may be retried.
    pub(crate) fn scale(&self, references: &[String], replicas: i64) -> Cmd {
        let mut args = vec!["scale".to_string()];
        args.extend(references.iter().cloned());
        args.push(format!("--replicas={replicas}"));
        self.scoped(Cmd::mutate(self.program, args)).retry_safe()
    }

    pub(crate) fn logs_tail(&self, pod: &str, lines: usize) -> Cmd {
        self.scoped(Cmd::read(
            self.program,
            [
                "logs".to_string(),
                pod.to_string(),
                "--all-containers=true".into(),
                format!("--tail={lines}"),
            ],
        ))
    }

    /// Creating is atomic: AlreadyExists means somebody else holds the name. Never retried blindly.
    pub(crate) fn create_configmap(&self, name: &str, data: &[(&str, String)]) -> Cmd {
        let mut args = vec![
            "create".to_string(),
            "configmap".to_string(),
            name.to_string(),
        ];
        for (key, value) in data {
            args.push(format!("--from-literal={key}={value}"));
        }
        self.scoped(Cmd::mutate(self.program, args)).atomic()
    }

    pub(crate) fn patch_merge(&self, reference: &str, patch: &serde_json::Value) -> Cmd {
        self.scoped(Cmd::mutate(
            self.program,
            [
                "patch".to_string(),
                reference.to_string(),
                "--type=merge".into(),
                "-p".into(),
                patch.to_string(),
            ],
        ))
        .retry_safe()
    }

    /// Sets a CronJob's `spec.suspend` (an absolute state: harmless to repeat).
    pub(crate) fn suspend_cronjob(&self, name: &str, suspend: bool) -> Cmd {
        self.patch_merge(
            &format!("cronjob/{name}"),
            &serde_json::json!({ "spec": { "suspend": suspend } }),
        )
    }

    pub(crate) fn delete_configmap(&self, name: &str) -> Cmd {
        self.scoped(Cmd::mutate(
            self.program,
            ["delete", "configmap", name, "--ignore-not-found"],
        ))
        .retry_safe()
    }
}
