//! Test harness: a fake cluster in a temp dir (the `fakecluster` binary behind symlinks named helm,
//! kubectl and oc, first on PATH), and a `#[must_use]` builder that runs a plugin binary against it.
#![allow(dead_code)]

pub mod blips;
/// openssl-made certificates (a CA, a site for 127.0.0.1), shared with the fixture's own tests.
#[path = "../../fixtures/fakecluster/tests/platform_support/pki.rs"]
pub mod pki;
pub mod plan_run;
pub mod runs;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

pub const EXASTRO: &str = env!("CARGO_BIN_EXE_kubectl-exastro_upgrade");

/// The fake tools' binary, built by `cargo test` (it is a default workspace member with integration tests).
/// The helm the fake impersonates for this test binary: 4 for the matrix's `*_helm4` binaries (a file that
/// includes a suite with `#[path]`), 3 otherwise. The binary's name decides, so one suite runs against both.
pub fn helm_major() -> u8 {
    let exe = std::env::current_exe().unwrap_or_default();
    let name = exe.file_name().unwrap_or_default().to_string_lossy();
    if name.contains("_helm4-") || name.ends_with("_helm4") {
        4
    } else {
        3
    }
}

/// A log the fakes append to while a run goes on, up to its last complete line: a line being written at
/// the moment of reading (no newline yet) is left for the next read, not parsed half-written.
fn complete_lines(path: &Path) -> String {
    let mut text = std::fs::read_to_string(path).unwrap_or_default();
    text.truncate(text.rfind('\n').map_or(0, |end| end + 1));
    text
}

pub fn fakecluster_bin() -> PathBuf {
    let dir = Path::new(EXASTRO).parent().expect("bin dir");
    let bin = dir.join("fakecluster");
    assert!(
        bin.exists(),
        "{} is missing: run the tests from the workspace root with plain `cargo test` (or `cargo build -p fakecluster`)",
        bin.display()
    );
    bin
}

/// The real kubectl (1.32 on these machines and in CI): every end-to-end test drives it against the
/// fake API server. Missing, the test fails with this message rather than skipping.
pub fn real_kubectl() -> PathBuf {
    which_on_path("kubectl").unwrap_or_else(|| {
        panic!("the real kubectl (1.32) must be on PATH: the end-to-end tests run it against fixtures/fakecluster's API server")
    })
}

fn which_on_path(name: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

pub struct Cluster {
    pub dir: tempfile::TempDir,
    server: Option<std::process::Child>,
}

impl Drop for Cluster {
    fn drop(&mut self) {
        if let Some(mut server) = self.server.take() {
            let _ = server.kill();
            let _ = server.wait();
        }
    }
}

#[derive(Debug, Clone)]
pub struct Call {
    pub tool: String,
    pub args: Vec<String>,
    pub exit: i64,
    /// When it started (ms since the epoch) and how long it ran: calls.log is written as calls end.
    pub t_ms: u64,
    pub ms: u64,
}

impl Call {
    /// A call as the recorder would log it, from its words (`kubectl scale ...`).
    pub fn of(words: &[String]) -> Call {
        Call {
            tool: words[0].clone(),
            args: words[1..].to_vec(),
            exit: 0,
            t_ms: 0,
            ms: 0,
        }
    }

    pub fn line(&self) -> String {
        format!("{} {}", self.tool, self.args.join(" "))
    }

    /// `helm upgrade` itself, not its `--dry-run` rendering.
    pub fn is_helm_upgrade(&self) -> bool {
        self.tool == "helm"
            && self.args.first().map(String::as_str) == Some("upgrade")
            && !self.is_dry_run()
    }

    fn is_dry_run(&self) -> bool {
        self.args
            .iter()
            .any(|a| a.starts_with("--dry-run") && a != "--dry-run=none" && a != "--dry-run=false")
    }

    /// Whether the call changes the cluster (or helm's release store), by the real tools' verbs.
    pub fn is_mutating(&self) -> bool {
        let verb = self.args.first().map(String::as_str).unwrap_or("");
        match self.tool.as_str() {
            "helm" => {
                matches!(
                    verb,
                    "upgrade" | "install" | "rollback" | "uninstall" | "delete"
                ) && !self.is_dry_run()
            }
            "kubectl" | "oc" => {
                matches!(
                    verb,
                    "scale"
                        | "create"
                        | "patch"
                        | "delete"
                        | "annotate"
                        | "label"
                        | "apply"
                        | "set"
                        | "replace"
                        | "edit"
                        | "tag"
                        | "import-image"
                        | "start-build"
                ) && !self.is_dry_run()
                    || (verb == "rollout"
                        && self
                            .args
                            .get(1)
                            .is_some_and(|a| a != "status" && a != "history"))
            }
            _ => false,
        }
    }
}

impl Cluster {
    /// `fakecluster init <kind> ARGS` in a fresh temp dir.
    pub fn init(kind: &str, args: &[&str]) -> Cluster {
        let dir = tempfile::tempdir().expect("tempdir");
        let bin_dir = dir.path().join("bin");
        std::fs::create_dir_all(&bin_dir).unwrap();
        for tool in ["helm", "kubectl", "oc"] {
            std::os::unix::fs::symlink(fakecluster_bin(), bin_dir.join(tool)).unwrap();
        }
        std::fs::create_dir_all(dir.path().join("home")).unwrap();
        let mut cluster = Cluster { dir, server: None };
        let out = Command::new(fakecluster_bin())
            .args(["init", kind])
            .args(args)
            .env("FAKE_CLUSTER_DIR", cluster.path())
            .current_dir(cluster.path())
            .output()
            .expect("run fakecluster init");
        assert!(
            out.status.success(),
            "fakecluster init failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        // Fast defaults for tests; individual tests raise them.
        cluster.set_config(|c| {
            let d = &mut c["durations"];
            for (key, ms) in [
                ("helm_upgrade_ms", 100),
                ("migration_ms", 150),
                ("rollout_ms", 100),
                ("terminate_ms", 100),
                ("import_ms", 100),
                ("dc_trigger_ms", 100),
            ] {
                d[key] = ms.into();
            }
        });
        cluster.start_server();
        cluster.clear_calls();
        cluster
    }

    /// Starts `fakecluster serve` on a random loopback port; it writes `kubeconfig` into the cluster dir
    /// and exits with this test process.
    fn start_server(&mut self) {
        let child = Command::new(fakecluster_bin())
            .args(["serve", "--dir"])
            .arg(self.path())
            .args(["--parent", &std::process::id().to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start fakecluster serve");
        self.server = Some(child);
        let started = std::time::Instant::now();
        while !self.path().join("api.addr").exists() {
            assert!(
                started.elapsed() < std::time::Duration::from_secs(10),
                "fakecluster serve did not start"
            );
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        // helm, oc and kubectl read ~/.kube/config when KUBECONFIG is not set (a shell started with
        // `env -i HOME=...`): the home's kubeconfig is the server's
        let kube = self.home().join(".kube");
        std::fs::create_dir_all(&kube).unwrap();
        let _ = std::fs::remove_file(kube.join("config"));
        std::os::unix::fs::symlink(self.kubeconfig(), kube.join("config")).unwrap();
    }

    pub fn kubeconfig(&self) -> PathBuf {
        self.path().join("kubeconfig")
    }

    /// Requests the fake API server answered (`api.log`): `(method, path, query, user agent)`.
    pub fn api_requests(&self) -> Vec<(String, String, String, String)> {
        let text = complete_lines(&self.path().join("api.log"));
        text.lines()
            .filter_map(|l| serde_json::from_str::<Value>(l).ok())
            .map(|v| {
                let s = |k: &str| v[k].as_str().unwrap_or_default().to_string();
                (s("method"), s("path"), s("query"), s("user_agent"))
            })
            .collect()
    }

    /// How many requests came from the real kubectl (its user agent).
    pub fn real_kubectl_requests(&self) -> usize {
        self.api_requests()
            .iter()
            .filter(|r| r.3.starts_with("kubectl/"))
            .count()
    }

    /// An Exastro cluster, its release installed by the helm personality of this test binary
    /// ([`helm_major`]): the same tests run against helm 3 and helm 4.
    pub fn exastro(args: &[&str]) -> Cluster {
        if helm_major() == 4 && !args.contains(&"--helm") {
            let mut with_helm: Vec<&str> = args.to_vec();
            with_helm.extend(["--helm", "4"]);
            return Cluster::init("exastro", &with_helm);
        }
        Cluster::init("exastro", args)
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Holds the test bed at gate `name` (fakecluster's `gates.rs`) until `open_gates`: a test that needs a
    /// run to stay inside a step holds it there instead of racing the clock.
    pub fn close_gate(&self, name: &str) {
        std::fs::create_dir_all(self.path().join("gates")).unwrap();
        std::fs::write(self.path().join("gates").join(name), b"").unwrap();
    }

    /// Lets everything held at a gate go on.
    pub fn open_gates(&self) {
        let _ = std::fs::remove_dir_all(self.path().join("gates"));
    }

    pub fn bin_dir(&self) -> PathBuf {
        self.path().join("bin")
    }

    pub fn home(&self) -> PathBuf {
        self.path().join("home")
    }

    pub fn state(&self) -> Value {
        let text = std::fs::read_to_string(self.path().join("state.json")).expect("state.json");
        serde_json::from_str(&text).expect("state.json is JSON")
    }

    pub fn write_state(&self, state: &Value) {
        let lock = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(self.path().join("state.lock"))
            .unwrap();
        lock.lock().unwrap();
        let tmp = self.path().join(".state.json.test.tmp");
        std::fs::write(&tmp, serde_json::to_string_pretty(state).unwrap()).unwrap();
        std::fs::rename(&tmp, self.path().join("state.json")).unwrap();
        drop(lock);
        if self.path().join("api.addr").exists() {
            // the contexts may have changed: the kubeconfig follows the state, as a login would
            let out = Command::new(fakecluster_bin())
                .args(["kubeconfig", "--dir"])
                .arg(self.path())
                .output()
                .expect("fakecluster kubeconfig");
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }

    /// Edits the `config` object of state.json (latency, durations, faults).
    pub fn set_config(&self, edit: impl FnOnce(&mut Value)) {
        let mut state = self.state();
        if state.get("config").is_none() {
            state["config"] = serde_json::json!({});
        }
        if state["config"].get("durations").is_none() {
            state["config"]["durations"] = serde_json::json!({});
        }
        edit(&mut state["config"]);
        self.write_state(&state);
    }

    /// Adds a fault: `{"tool":..,"args_contain":[..],"action":..}` plus any extra fields.
    pub fn fault(&self, fault: Value) {
        self.set_config(|c| {
            if c.get("faults").and_then(Value::as_array).is_none() {
                c["faults"] = serde_json::json!([]);
            }
            c["faults"].as_array_mut().unwrap().push(fault);
        });
    }

    /// Adds a fault of the API server: `{"command": "kubectl scale", "method": "PATCH", "path_contains":
    /// "/scale", "status": 403, "message": ..}` plus `times`, `after`, `per_invocation`, `hang_ms`, ...
    pub fn api_fault(&self, fault: Value) {
        self.set_config(|c| {
            if c.get("api_faults").and_then(Value::as_array).is_none() {
                c["api_faults"] = serde_json::json!([]);
            }
            c["api_faults"].as_array_mut().unwrap().push(fault);
        });
    }

    /// Forgets every call so far: the tools' (calls.log) and the administrator API's (platform.log).
    pub fn clear_calls(&self) {
        for log in ["calls.log", "platform.log"] {
            let _ = std::fs::remove_file(self.path().join(log));
        }
    }

    pub fn calls(&self) -> Vec<Call> {
        let text = complete_lines(&self.path().join("calls.log"));
        text.lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                let v: Value = serde_json::from_str(l).expect("calls.log line is JSON");
                Call {
                    tool: v["tool"].as_str().unwrap_or_default().to_string(),
                    args: v["args"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|a| a.as_str().unwrap().to_string())
                        .collect(),
                    exit: v["exit"].as_i64().unwrap_or(-1),
                    t_ms: v["t_ms"].as_u64().unwrap_or_default(),
                    ms: v["ms"].as_u64().unwrap_or_default(),
                }
            })
            .collect()
    }

    pub fn mutating_calls(&self) -> Vec<String> {
        self.calls()
            .into_iter()
            .filter(Call::is_mutating)
            .map(|c| c.line())
            .collect()
    }

    /// Fails, listing them, when any call changed the cluster (or helm's release store).
    #[track_caller]
    pub fn assert_nothing_changed(&self) {
        let changed = self.mutating_calls();
        assert!(
            changed.is_empty(),
            "nothing should have changed: {changed:#?}"
        );
    }

    /// `fakecluster platform ARGS` (the fake Exastro platform): JSON for `show`, Null otherwise.
    pub fn platform(&self, args: &[&str]) -> Value {
        let out = Command::new(fakecluster_bin())
            .arg("platform")
            .args(args)
            .env("FAKE_CLUSTER_DIR", self.path())
            .output()
            .expect("run fakecluster platform");
        assert!(
            out.status.success(),
            "fakecluster platform {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap_or(Value::Null)
    }

    /// The calls of the platform's administrator API (`platform.log`): `(t_ms, method, path, body)`.
    pub fn admin_calls(&self) -> Vec<(u64, String, String, String)> {
        complete_lines(&self.path().join("platform.log"))
            .lines()
            .filter_map(|l| serde_json::from_str::<Value>(l).ok())
            .map(|v| {
                let s = |k: &str| v[k].as_str().unwrap_or_default().to_string();
                (
                    v["t_ms"].as_u64().unwrap_or_default(),
                    s("method"),
                    s("path"),
                    s("body"),
                )
            })
            .collect()
    }

    /// Runs one of the fake tools directly (for assertions and setup), returning stdout.
    pub fn tool(&self, tool: &str, args: &[&str]) -> String {
        let out = Command::new(self.bin_dir().join(tool))
            .args(args)
            .env("FAKE_CLUSTER_DIR", self.path())
            .env("FAKE_NO_LOG", "1")
            .env("FAKE_REAL_KUBECTL", real_kubectl())
            // the observer's identity: no latency, no faults, not in api.log
            .env("KUBECONFIG", self.path().join("kubeconfig-observer"))
            .env("HOME", self.home())
            .output()
            .expect("run fake tool");
        assert!(
            out.status.success(),
            "{tool} {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// The namespace of helm release `release` (where its `sh.helm.release.v1.*` Secrets are).
    fn release_namespace(&self, release: &str) -> String {
        self.state()["objects"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| {
                o["kind"] == "Secret"
                    && o["metadata"]["labels"]["owner"] == "helm"
                    && o["metadata"]["labels"]["name"] == release
            })
            .and_then(|o| o["metadata"]["namespace"].as_str())
            .unwrap_or("default")
            .to_string()
    }

    /// helm's revisions of `release`, oldest first (`helm history -o json`, read through the API with
    /// the observer's kubeconfig), each with its `revision`, `status`, `chart`, `chart_version`.
    pub fn release_history(&self, release: &str) -> Vec<Value> {
        let ns = self.release_namespace(release);
        let out = self.tool("helm", &["history", release, "-n", &ns, "-o", "json"]);
        let mut list: Vec<Value> = serde_json::from_str(&out).expect("helm history JSON");
        for r in list.iter_mut() {
            let chart = r["chart"].as_str().unwrap_or_default().to_string();
            if let Some((_, version)) = chart.rsplit_once('-') {
                r["chart_version"] = Value::String(version.to_string());
            }
        }
        list
    }

    /// Leaves `release` as an interrupted `helm upgrade` does: its current revision `superseded` and a
    /// next revision `pending-upgrade`, as helm's release Secrets (payload not gzipped: helm reads both).
    pub fn leave_release_pending(&self, release: &str) {
        self.leave_release_in(release, "pending-upgrade");
    }

    /// Adds a next revision of `release` in `status` (e.g. `failed`), the current one `superseded`.
    pub fn leave_release_in(&self, release: &str, next_status: &str) {
        let ns = self.release_namespace(release);
        let current: Value =
            serde_json::from_str(&self.tool("helm", &["status", release, "-n", &ns, "-o", "json"]))
                .expect("helm status JSON");
        let version = current["version"].as_u64().unwrap();
        let mut state = self.state();
        let mut seq = state["seq"].as_u64().unwrap_or(0);
        let objects = state["objects"].as_array_mut().unwrap();
        let old_name = format!("sh.helm.release.v1.{release}.v{version}");
        objects.retain(|o| !(o["kind"] == "Secret" && o["metadata"]["name"] == old_name.as_str()));
        for (v, status) in [(version, "superseded"), (version + 1, next_status)] {
            let mut rel = current.clone();
            rel["version"] = v.into();
            rel["info"]["status"] = status.into();
            seq += 1;
            let payload =
                base64(base64(serde_json::to_string(&rel).unwrap().as_bytes()).as_bytes());
            objects.push(serde_json::json!({"apiVersion": "v1", "kind": "Secret",
                "metadata": {"name": format!("sh.helm.release.v1.{release}.v{v}"), "namespace": ns,
                    "uid": format!("test-release-{release}-{v}"), "resourceVersion": seq.to_string(),
                    "creationTimestamp": "2024-01-01T00:00:00Z",
                    "labels": {"name": release, "owner": "helm", "status": status, "version": v.to_string()}},
                "type": "helm.sh/release.v1", "data": {"release": payload}}));
        }
        state["seq"] = seq.into();
        self.write_state(&state);
    }

    pub fn kubectl_json(&self, args: &[&str]) -> Value {
        let mut all = args.to_vec();
        all.extend(["-o", "json"]);
        serde_json::from_str(&self.tool("kubectl", &all)).expect("kubectl json")
    }

    /// spec.replicas of every Deployment and StatefulSet in the namespace.
    pub fn replicas(&self, namespace: &str) -> BTreeMap<String, i64> {
        let list = self.kubectl_json(&["get", "deployments,statefulsets", "-n", namespace]);
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                (
                    d["metadata"]["name"].as_str().unwrap().to_string(),
                    d["spec"]["replicas"].as_i64().unwrap_or(1),
                )
            })
            .collect()
    }

    /// Sets spec.replicas of a deployment directly in the fake (setup, not under test).
    pub fn scale(&self, namespace: &str, name: &str, replicas: i64) {
        self.tool(
            "kubectl",
            &[
                "scale",
                &format!("deployment/{name}"),
                "-n",
                namespace,
                &format!("--replicas={replicas}"),
            ],
        );
    }

    pub fn configmap_exists(&self, namespace: &str, name: &str) -> bool {
        !self
            .tool(
                "kubectl",
                &[
                    "get",
                    "configmap",
                    name,
                    "-n",
                    namespace,
                    "-o",
                    "name",
                    "--ignore-not-found",
                ],
            )
            .trim()
            .is_empty()
    }

    pub fn exastro_upgrade(&self) -> Run<'_> {
        Run::new(self, EXASTRO)
    }

    /// `oc-3scale_upgrade` against this cluster.
    pub fn threescale_upgrade(&self) -> Run<'_> {
        Run::new(self, env!("CARGO_BIN_EXE_oc-3scale_upgrade"))
    }
}

/// The mutating commands of a `plan -o json`, each as its argv (plans print them shell-quoted).
pub fn planned_mutations(plan: &Value) -> Vec<Vec<String>> {
    plan["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .flat_map(|step| step["commands"].as_array().cloned().unwrap_or_default())
        .filter(|cmd| cmd["effect"] == "mutate")
        .map(|cmd| {
            shlex::split(cmd["command"].as_str().unwrap())
                .expect("a plan's command is shell-quoted")
        })
        .collect()
}

/// A plugin invocation against a fake cluster.
#[must_use]
pub struct Run<'a> {
    cluster: &'a Cluster,
    command: Command,
}

pub struct Outcome {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Outcome {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
                self.stdout, self.stderr
            )
        })
    }
}

impl std::fmt::Debug for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit {}\n--- stdout\n{}\n--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

impl<'a> Run<'a> {
    fn new(cluster: &'a Cluster, bin: &str) -> Self {
        let mut command = Command::new(bin);
        let path = format!(
            "{}:{}",
            cluster.bin_dir().display(),
            std::env::var("PATH").unwrap_or_default()
        );
        command
            .env("PATH", path)
            .env("FAKE_CLUSTER_DIR", cluster.path())
            .env("HOME", cluster.home())
            .env_remove("XDG_STATE_HOME")
            .env("KUBECONFIG", cluster.kubeconfig())
            .env("FAKE_REAL_KUBECTL", real_kubectl())
            .env("CI", "true")
            .current_dir(cluster.path())
            .stdin(Stdio::null());
        Run { cluster, command }
    }

    pub fn args(mut self, args: &[&str]) -> Self {
        self.command.args(args);
        self
    }

    pub fn env(mut self, key: &str, value: impl AsRef<std::ffi::OsStr>) -> Self {
        self.command.env(key, value);
        self
    }

    pub fn env_remove(mut self, key: &str) -> Self {
        self.command.env_remove(key);
        self
    }

    pub fn run(mut self) -> Outcome {
        let _ = self.cluster;
        let out = self.command.output().expect("run plugin");
        Outcome {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Runs and asserts the exit code, printing everything on mismatch.
    pub fn expect(self, code: i32) -> Outcome {
        let outcome = self.run();
        assert_eq!(outcome.code, code, "unexpected exit code:\n{outcome:?}");
        outcome
    }

    pub fn spawn(mut self) -> std::process::Child {
        self.command.stdout(Stdio::piped()).stderr(Stdio::piped());
        self.command.spawn().expect("spawn plugin")
    }
}

// ---- Completion helpers (tests/completion*.rs) ----

pub const COMPLETE_EXASTRO_HELPER: &str = env!("CARGO_BIN_EXE_kubectl_complete-exastro_upgrade");
pub const COMPLETE_THREESCALE_BIN: &str = env!("CARGO_BIN_EXE_oc-3scale_upgrade");
pub const COMPLETE_THREESCALE_HELPER: &str = env!("CARGO_BIN_EXE_oc_complete-3scale_upgrade");

/// What a completion helper answered, read strictly by kubectl's plugin completion protocol.
#[derive(Debug)]
pub struct Completed {
    /// `(value, description)` per candidate line.
    pub candidates: Vec<(String, Option<String>)>,
    pub directive: u32,
    pub code: i32,
    pub stderr: String,
    pub elapsed: std::time::Duration,
}

impl Completed {
    pub fn values(&self) -> Vec<&str> {
        self.candidates.iter().map(|(v, _)| v.as_str()).collect()
    }

    pub fn description(&self, value: &str) -> Option<&str> {
        self.candidates
            .iter()
            .find(|(v, _)| v == value)
            .and_then(|(_, d)| d.as_deref())
    }
}

/// Splits protocol output: candidate lines (`value[\tdescription]`), then exactly one last line `:N`.
pub fn parse_completion(stdout: &str) -> (Vec<(String, Option<String>)>, u32) {
    let lines: Vec<&str> = stdout.lines().collect();
    let (last, candidates) = lines
        .split_last()
        .unwrap_or_else(|| panic!("no output at all"));
    let directive = last
        .strip_prefix(':')
        .and_then(|d| d.parse::<u32>().ok())
        .unwrap_or_else(|| panic!("last line is not `:<directive>`: {stdout:?}"));
    let candidates = candidates
        .iter()
        .map(|line| {
            assert!(
                !line.starts_with(':') && !line.is_empty(),
                "bad candidate line {line:?} in {stdout:?}"
            );
            match line.split_once('\t') {
                Some((v, d)) => (v.to_string(), Some(d.to_string())),
                None => (line.to_string(), None),
            }
        })
        .collect();
    (candidates, directive)
}

fn completion_run(mut command: Command) -> Completed {
    let started = std::time::Instant::now();
    let out = command
        .stdin(Stdio::null())
        .output()
        .expect("run completion helper");
    let elapsed = started.elapsed();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let (candidates, directive) = parse_completion(&stdout);
    Completed {
        candidates,
        directive,
        code: out.status.code().unwrap_or(-1),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        elapsed,
    }
}

impl Cluster {
    /// Runs a completion helper with `words` (the last one is the word under the cursor) against this
    /// fake cluster: its helm/kubectl/oc first on PATH.
    pub fn complete(&self, helper: &str, words: &[&str]) -> Completed {
        let mut command = Command::new(helper);
        let path = format!(
            "{}:{}",
            self.bin_dir().display(),
            std::env::var("PATH").unwrap_or_default()
        );
        command
            .args(words)
            .env("PATH", path)
            .env("FAKE_CLUSTER_DIR", self.path())
            .env("HOME", self.home())
            .env("KUBECONFIG", self.kubeconfig())
            .env("FAKE_REAL_KUBECTL", real_kubectl())
            .current_dir(self.path());
        completion_run(command)
    }
}

/// Runs a completion helper with no cluster: PATH as given (e.g. "" or only the fake tools' dir) and
/// FAKE_CLUSTER_DIR unset, so every look-up fails.
pub fn complete_without_cluster(helper: &str, words: &[&str], path: &str) -> Completed {
    let home = tempfile::tempdir().expect("tempdir");
    let mut command = Command::new(helper);
    command
        .args(words)
        .env("PATH", path)
        .env("HOME", home.path())
        .env_remove("FAKE_CLUSTER_DIR")
        .env_remove("KUBECONFIG")
        .current_dir(home.path());
    completion_run(command)
}

/// A directory laid out like `cargo install` leaves ~/.cargo/bin: the plugin executables and their
/// completion helpers (as symlinks), nothing else. The cargo target dir itself cannot stand in for it on
/// PATH: it also holds `kubectl-exastro_upgrade.d` (a dep-info file), which `kubectl plugin list` flags
/// as "identified as a kubectl plugin, but it is not executable".
pub fn completion_install_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let target = Path::new(EXASTRO).parent().expect("bin dir");
    for bin in [
        "kubectl-exastro_upgrade",
        "kubectl_complete-exastro_upgrade",
        "oc-3scale_upgrade",
        "oc_complete-3scale_upgrade",
    ] {
        std::os::unix::fs::symlink(target.join(bin), dir.path().join(bin)).expect("symlink");
    }
    dir
}

/// Standard base64 (for helm release payloads written by tests).
fn base64(data: &[u8]) -> String {
    const T: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for c in data.chunks(3) {
        let n = (c[0] as u32) << 16
            | (*c.get(1).unwrap_or(&0) as u32) << 8
            | *c.get(2).unwrap_or(&0) as u32;
        for k in 0..4 {
            if k <= c.len() {
                out.push(T[(n >> (18 - 6 * k)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}
