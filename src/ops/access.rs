//! Can the tools reach the cluster at all? Answered once, before any other cluster call, so that a missing
//! kubeconfig, an unknown context, an unreachable or silent API server, rejected credentials and a wrong
//! namespace each get one line that says what to fix, within a few seconds, instead of every concurrent
//! call retrying the same connection error.

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::process::{Cmd, FailureKind, ProcessError, Runner};

use super::kubectl::Kubectl;
use super::target::KubeTarget;

/// How long the probe waits for the API server: a healthy one answers in milliseconds.
pub(crate) const PROBE_TIMEOUT: Duration = Duration::from_secs(5);

/// Where the kube client points, read from the kubeconfig without any network call.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Access {
    pub(crate) context: String,
    pub(crate) server: String,
}

/// Why the cluster cannot be used. Each renders as one line that says what to fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum AccessProblem {
    /// No kubeconfig file exists where kubectl looks.
    NoKubeconfig { looked_at: String },
    /// The kubeconfig exists but kubectl cannot load it.
    Unreadable { detail: String },
    /// The kubeconfig has no current context and none was given.
    NoContext,
    /// `--context` names a context the kubeconfig does not have.
    UnknownContext { name: String },
    /// Nothing accepts connections at the server's address (refused, unknown host, no route).
    Unreachable { server: String, why: String },
    /// The server accepted the connection but did not answer in time.
    NoAnswer { server: String, within: Duration },
    /// The server rejected the credentials.
    Unauthorized { server: String, context: String },
    /// The server's TLS certificate is not one the kubeconfig trusts (unknown CA, other name, expired).
    UntrustedCertificate {
        server: String,
        context: String,
        detail: String,
    },
    /// The namespace (or OpenShift project) does not exist.
    NamespaceNotFound {
        namespace: String,
        context: String,
        program: &'static str,
    },
    /// Our own bound on the call (`--timeout`) ran out.
    TimedOut { command: String, limit: Duration },
    /// Anything else the probe reported.
    Other { server: String, detail: String },
}

impl fmt::Display for AccessProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AccessProblem::NoKubeconfig { looked_at } => write!(
                f,
                "no kubeconfig: {looked_at}; log in to the cluster first (e.g. `oc login`, or your provider's credentials command) or pass --kubeconfig FILE"
            ),
            AccessProblem::Unreadable { detail } => write!(
                f,
                "the kubeconfig cannot be read: {detail}; fix the file or pass --kubeconfig FILE"
            ),
            AccessProblem::NoContext => f.write_str(
                "no kube context is selected: pass --context NAME or run `kubectl config use-context NAME` (`kubectl config get-contexts` lists them)",
            ),
            AccessProblem::UnknownContext { name } => write!(
                f,
                "context {name:?} is not in the kubeconfig: check --context (`kubectl config get-contexts` lists them)"
            ),
            AccessProblem::Unreachable { server, why } => write!(
                f,
                "cannot reach the cluster at {server}: {why}; check that the API server is up and that this machine can reach it (VPN, proxy), then run again"
            ),
            AccessProblem::NoAnswer { server, within } => write!(
                f,
                "the cluster at {server} did not answer within {}; check the network (VPN, proxy) and the API server's health, then run again",
                humantime::format_duration(*within)
            ),
            AccessProblem::UntrustedCertificate {
                server,
                context,
                detail,
            } => write!(
                f,
                "the cluster at {server} presented a TLS certificate that context {context:?} does not trust \
                 ({detail}): either this is not the cluster the kubeconfig means, or its CA changed. Put the \
                 cluster's CA into the kubeconfig (the cluster entry's certificate-authority-data: log in again, \
                 e.g. `oc login`, or rerun your provider's credentials command); skipping TLS verification is \
                 not the fix"
            ),
            AccessProblem::Unauthorized { server, context } => write!(
                f,
                "the cluster at {server} rejected the credentials of context {context:?} (Unauthorized): log in again (`oc login`, or refresh the token)"
            ),
            AccessProblem::NamespaceNotFound {
                namespace,
                context,
                program: "oc",
            } => write!(
                f,
                "project {namespace:?} not found or not visible in context {context:?}: check -n/--namespace (`oc projects` lists yours)"
            ),
            AccessProblem::NamespaceNotFound {
                namespace, context, ..
            } => write!(
                f,
                "namespace {namespace:?} not found in context {context:?}: check -n/--namespace (`kubectl get namespaces` lists them)"
            ),
            AccessProblem::TimedOut { command, limit } => write!(
                f,
                "`{command}` did not finish within {} (--timeout bounds every call): give --timeout minutes, e.g. --timeout 10m",
                humantime::format_duration(*limit)
            ),
            AccessProblem::Other { server, detail } => {
                write!(f, "cannot use the cluster at {server}: {detail}")
            }
        }
    }
}

/// Checks, in order and stopping at the first problem: a kubeconfig exists, a context is selected (both
/// local), and `probe` (a cheap read of the namespace or project) answers. `probe` runs once, without
/// retries and with a short request timeout: nothing has changed yet, so a fast verdict beats a slow one.
pub(crate) fn check(runner: &Runner, client: &Kubectl, read: Cmd) -> Result<Access, AccessProblem> {
    let access = local(runner, client)?;
    reachable(runner, client, &access, read)?;
    Ok(access)
}

/// The local half of [`check`]: a kubeconfig exists and names a context (no network call).
pub(crate) fn local(runner: &Runner, client: &Kubectl) -> Result<Access, AccessProblem> {
    check_kubeconfig_exists(&client.target)?;
    read_access(runner, client)
}

/// The network half of [`check`]: `read` (of the namespace or project) answers.
pub(crate) fn reachable(
    runner: &Runner,
    client: &Kubectl,
    access: &Access,
    read: Cmd,
) -> Result<(), AccessProblem> {
    match runner.run(&probe(read)) {
        Ok(_) => Ok(()),
        Err(e) => match classify(&e, access, client) {
            // A user allowed to read its namespace's objects but not the namespace itself.
            None => Ok(()),
            Some(problem) => Err(problem),
        },
    }
}

/// `read` as the access probe: one attempt, with a request timeout of its own.
pub(crate) fn probe(read: Cmd) -> Cmd {
    read.arg(format!("--request-timeout={}s", PROBE_TIMEOUT.as_secs()))
        .no_retry()
}

/// The kubeconfig files kubectl would read: `--kubeconfig`, else `$KUBECONFIG` (a list), else
/// `~/.kube/config`. Fails when none of them exists.
fn check_kubeconfig_exists(target: &KubeTarget) -> Result<(), AccessProblem> {
    let env = std::env::var("KUBECONFIG").unwrap_or_default();
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let (candidates, looked_at) = kubeconfig_candidates(target, &env, home.as_deref());
    if candidates.iter().any(|p| p.exists()) {
        Ok(())
    } else {
        Err(AccessProblem::NoKubeconfig { looked_at })
    }
}

fn kubeconfig_candidates(
    target: &KubeTarget,
    env: &str,
    home: Option<&Path>,
) -> (Vec<PathBuf>, String) {
    if let Some(path) = &target.kubeconfig {
        return (
            vec![PathBuf::from(path)],
            format!("--kubeconfig {path} does not exist"),
        );
    }
    let listed: Vec<PathBuf> = env
        .split(':')
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .collect();
    if !listed.is_empty() {
        return (listed, format!("KUBECONFIG={env} names no existing file"));
    }
    let default = home
        .map(|h| h.join(".kube/config"))
        .unwrap_or_else(|| PathBuf::from(".kube/config"));
    let looked_at = format!(
        "KUBECONFIG is not set and {} does not exist",
        default.display()
    );
    (vec![default], looked_at)
}

/// The selected context and its server, from `config view --minify` (local, no network).
fn read_access(runner: &Runner, client: &Kubectl) -> Result<Access, AccessProblem> {
    let out = runner.run(&client.config_view()).map_err(|e| {
        let stderr = e.stderr_trimmed();
        if let FailureKind::TimedOut(limit) = e.kind {
            AccessProblem::TimedOut {
                command: e.command.clone(),
                limit,
            }
        } else if stderr.contains("error loading config file") {
            AccessProblem::Unreadable {
                detail: stderr.lines().last().unwrap_or_default().to_string(),
            }
        } else if stderr.contains("current-context must exist") {
            AccessProblem::NoContext
        } else if stderr.contains("cannot locate context")
            || stderr.contains("context was not found")
        {
            AccessProblem::UnknownContext {
                name: client.target.context.clone().unwrap_or_default(),
            }
        } else {
            AccessProblem::Other {
                server: "(unknown)".into(),
                detail: e.summary(),
            }
        }
    })?;
    let view: serde_json::Value = serde_json::from_str(&out.stdout).unwrap_or_default();
    Ok(Access {
        context: view["current-context"].as_str().unwrap_or_default().into(),
        server: view["clusters"][0]["cluster"]["server"]
            .as_str()
            .unwrap_or("(no server in the kubeconfig)")
            .into(),
    })
}

/// What a failed probe means. `None`: the cluster answered and the failure is not about access
/// (e.g. Forbidden on the namespace object itself).
pub(crate) fn classify(
    e: &ProcessError,
    access: &Access,
    client: &Kubectl,
) -> Option<AccessProblem> {
    let server = access.server.clone();
    if let FailureKind::TimedOut(limit) = e.kind {
        return Some(AccessProblem::TimedOut {
            command: e.command.clone(),
            limit,
        });
    }
    let stderr = e.stderr_trimmed();
    let last = stderr.lines().last().unwrap_or_default().to_string();
    let unreachable = |why: &str| {
        Some(AccessProblem::Unreachable {
            server: server.clone(),
            why: why.into(),
        })
    };
    if stderr.contains("was refused") || stderr.contains("connection refused") {
        unreachable("connection refused")
    } else if stderr.contains("no such host") {
        unreachable("the host name does not resolve (DNS)")
    } else if stderr.contains("no route to host") || stderr.contains("network is unreachable") {
        unreachable("no route to the host")
    } else if stderr.contains("deadline exceeded")
        || stderr.contains("Client.Timeout")
        || stderr.contains("i/o timeout")
        || stderr.contains("TLS handshake timeout")
        || stderr.contains("unable to return a response in the time allotted")
    {
        Some(AccessProblem::NoAnswer {
            server,
            within: PROBE_TIMEOUT,
        })
    } else if let Some(at) = stderr.find("x509: ") {
        let detail = stderr[at..].lines().next().unwrap_or_default();
        Some(AccessProblem::UntrustedCertificate {
            server,
            context: access.context.clone(),
            detail: detail.trim_end_matches(['"', ')']).to_string(),
        })
    } else if stderr.contains("Unauthorized") || stderr.contains("must be logged in") {
        Some(AccessProblem::Unauthorized {
            server,
            context: access.context.clone(),
        })
    } else if stderr.contains("(NotFound)") || stderr.contains("not found") {
        Some(AccessProblem::NamespaceNotFound {
            namespace: client.target.namespace.clone(),
            context: access.context.clone(),
            program: client.program,
        })
    } else if stderr.contains("doesn't have a resource type \"project\"") {
        Some(AccessProblem::Other {
            server,
            detail: "it is not OpenShift (it has no project.openshift.io API); check --context"
                .into(),
        })
    } else if stderr.contains("(Forbidden)") {
        None
    } else {
        Some(AccessProblem::Other {
            server,
            detail: if last.is_empty() { e.to_string() } else { last },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failure(stderr: &str) -> ProcessError {
        ProcessError {
            command: "kubectl get namespace exastro -o name".into(),
            kind: FailureKind::Exit(Some(1)),
            stderr: stderr.into(),
            stdout: String::new(),
        }
    }

    fn client() -> Kubectl {
        Kubectl::new(
            "kubectl",
            KubeTarget {
                namespace: "exastro".into(),
                ..KubeTarget::default()
            },
        )
    }

    fn access() -> Access {
        Access {
            context: "admin@prod".into(),
            server: "https://api.prod:6443".into(),
        }
    }

    #[test]
    fn real_client_messages_get_their_own_diagnosis() {
        let cases = [
            ("E1201 memcache.go:265] couldn't get current server API group list\nThe connection to the server 10.0.0.1:6443 was refused - did you specify the right host or port?", "connection refused"),
            ("Unable to connect to the server: dial tcp: lookup api.prod on 10.0.0.53:53: no such host", "does not resolve"),
            ("Unable to connect to the server: context deadline exceeded (Client.Timeout exceeded while awaiting headers)", "did not answer within 5s"),
            ("error: You must be logged in to the server (Unauthorized)", "rejected the credentials of context \"admin@prod\""),
            ("E1204 memcache.go:265] couldn't get current server API group list: Get \"https://api.prod:6443/api?timeout=32s\": tls: failed to verify certificate: x509: certificate signed by unknown authority\nUnable to connect to the server: tls: failed to verify certificate: x509: certificate signed by unknown authority",
             "(x509: certificate signed by unknown authority): either this is not the cluster"),
            ("Unable to connect to the server: tls: failed to verify certificate: x509: certificate is valid for api.old, not api.prod", "certificate-authority-data"),
            ("Error from server (NotFound): namespaces \"nosuch\" not found", "namespace \"exastro\" not found in context \"admin@prod\""),
        ];
        for (stderr, expected) in cases {
            let problem = classify(&failure(stderr), &access(), &client()).expect(stderr);
            let line = problem.to_string();
            assert!(line.contains(expected), "{line}");
            assert!(!line.contains('\n'), "{line}");
        }
    }

    #[test]
    fn forbidden_on_the_namespace_object_is_not_an_access_problem() {
        let e = failure("Error from server (Forbidden): namespaces \"exastro\" is forbidden: User \"dev\" cannot get resource \"namespaces\"");
        assert_eq!(classify(&e, &access(), &client()), None);
    }

    #[test]
    fn our_own_timeout_names_the_flag() {
        let e = ProcessError {
            kind: FailureKind::TimedOut(Duration::from_millis(1)),
            ..failure("")
        };
        let line = classify(&e, &access(), &client()).unwrap().to_string();
        assert!(
            line.contains("within 1ms (--timeout bounds every call)"),
            "{line}"
        );
    }

    #[test]
    fn kubeconfig_candidates_follow_kubectl_precedence() {
        let home = Path::new("/home/op");
        let flag = KubeTarget {
            kubeconfig: Some("/k/flag".into()),
            ..KubeTarget::default()
        };
        assert_eq!(
            kubeconfig_candidates(&flag, "/k/env", Some(home)).0,
            vec![PathBuf::from("/k/flag")]
        );
        let none = KubeTarget::default();
        let (paths, text) = kubeconfig_candidates(&none, "/a:/b", Some(home));
        assert_eq!(paths, vec![PathBuf::from("/a"), PathBuf::from("/b")]);
        assert_eq!(text, "KUBECONFIG=/a:/b names no existing file");
        let (paths, text) = kubeconfig_candidates(&none, "", Some(home));
        assert_eq!(paths, vec![PathBuf::from("/home/op/.kube/config")]);
        assert!(text.contains("KUBECONFIG is not set"), "{text}");
    }
}
