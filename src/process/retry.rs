//! Which failures of an API call are worth another try, and for how long (README "What is retried").
//!
//! kubectl names the server's `Status` reason (`Error from server (InternalError): ...`); helm and oc print
//! the server's message (`Internal error occurred: ...`) or the transport's error (`dial tcp ...: connect:
//! connection refused`). Both are read into one [`Cause`], and the policy is decided by the cause alone.

use std::time::Duration;

/// Why a call to the API server failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Cause {
    /// No answer: connection refused, reset or cut (EOF), TLS handshake or I/O timeout.
    Unreachable,
    /// 503 ServiceUnavailable: the server (or the load balancer before it) cannot serve now.
    Unavailable,
    /// 500 InternalError, 504 Timeout, etcd's "leader changed" / "request timed out".
    ServerError,
    /// 429 TooManyRequests (client-go has already waited out the server's `Retry-After`).
    Throttled,
    /// 409 Conflict: a guarded write met a changed object. Information, not a blip.
    Conflict,
    /// 409 AlreadyExists: somebody (maybe this run, in an unanswered attempt) created it.
    AlreadyExists,
    /// 404, 403, 401, 400, 422 and every other answer: the next attempt would get the same.
    Refused,
}

/// How the runner treats a cause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Transience {
    /// The API server is away: wait for it, up to the command's `--timeout`.
    Outage,
    /// One bad answer: a few attempts with backoff.
    Blip,
    /// Report it.
    Never,
}

impl Cause {
    pub(crate) fn transience(self) -> Transience {
        match self {
            Cause::Unreachable | Cause::Unavailable => Transience::Outage,
            Cause::ServerError | Cause::Throttled => Transience::Blip,
            Cause::Conflict | Cause::AlreadyExists | Cause::Refused => Transience::Never,
        }
    }

    /// Reads a failed call's stderr. Several errors (one per object of a `kubectl scale`): any that is not
    /// transient decides, since repeating the call would meet it again.
    pub(crate) fn of(stderr: &str) -> Cause {
        let mut causes = stderr.lines().filter_map(cause_of_line).peekable();
        if causes.peek().is_none() {
            return Cause::Refused;
        }
        causes
            .max_by_key(|c| match c.transience() {
                Transience::Never => 2,
                Transience::Blip => 1,
                Transience::Outage => 0,
            })
            .unwrap_or(Cause::Refused)
    }
}

/// kubectl's `Error from server (Reason)`: the reason of the server's `Status`.
fn reason_cause(reason: &str) -> Cause {
    match reason {
        "InternalError" | "Timeout" | "ServerTimeout" => Cause::ServerError,
        "ServiceUnavailable" => Cause::Unavailable,
        "TooManyRequests" => Cause::Throttled,
        "Conflict" => Cause::Conflict,
        "AlreadyExists" => Cause::AlreadyExists,
        _ => Cause::Refused,
    }
}

/// The server's own messages for the transient `Status` reasons (what helm and oc print), and the
/// transport's errors (Go's net and crypto/tls, client-go's).
const MESSAGES: &[(&str, Cause)] = &[
    ("Internal error occurred", Cause::ServerError),
    ("etcdserver: leader changed", Cause::ServerError),
    ("etcdserver: request timed out", Cause::ServerError),
    (
        "the server was unable to return a response in the time allotted",
        Cause::ServerError,
    ),
    (
        "the server is currently unable to handle the request",
        Cause::Unavailable,
    ),
    (
        "the server has received too many requests",
        Cause::Throttled,
    ),
    ("connection refused", Cause::Unreachable),
    (
        "was refused - did you specify the right host or port?",
        Cause::Unreachable,
    ),
    ("connection reset by peer", Cause::Unreachable),
    ("TLS handshake timeout", Cause::Unreachable),
    ("i/o timeout", Cause::Unreachable),
    ("http2: client connection lost", Cause::Unreachable),
    ("unexpected EOF", Cause::Unreachable),
    ("the object has been modified", Cause::Conflict),
    ("already exists", Cause::AlreadyExists),
];

fn cause_of_line(line: &str) -> Option<Cause> {
    if let Some(rest) = line.split("Error from server (").nth(1) {
        if let Some((reason, _)) = rest.split_once(')') {
            return Some(reason_cause(reason));
        }
    }
    if let Some((_, cause)) = MESSAGES.iter().find(|(m, _)| line.contains(m)) {
        return Some(*cause);
    }
    // Go's io.EOF at the end of a transport error: `Get "https://...": EOF`
    if line.ends_with(": EOF") {
        return Some(Cause::Unreachable);
    }
    (line.starts_with("Error from server") || line.starts_with("error:") || line.contains("Error:"))
        .then_some(Cause::Refused)
}

/// Pauses between attempts after a blip: 0.5 s doubling to 4 s, five attempts in all (~7.5 s).
pub(crate) const BLIP_PAUSES: [Duration; 4] = [
    Duration::from_millis(500),
    Duration::from_secs(1),
    Duration::from_secs(2),
    Duration::from_secs(4),
];

/// The pause between attempts while the API server is away.
pub(crate) const OUTAGE_PAUSE: Duration = Duration::from_secs(1);

/// `pause` ± 20%, so that the calls of a fan-out do not come back in lock step.
pub(crate) fn jittered(pause: Duration) -> Duration {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos(),
    );
    let unit = (hasher.finish() % 1000) as f64 / 1000.0; // 0.0 ..= 0.999
    pause.mul_f64(0.8 + 0.4 * unit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kubectl_names_the_reason() {
        for (stderr, cause) in [
            ("Error from server (InternalError): Internal error occurred: etcd", Cause::ServerError),
            ("Error from server (ServiceUnavailable): the server is currently unable to handle the request (get pods)", Cause::Unavailable),
            ("Error from server (Timeout): the server was unable to return a response in the time allotted, but may still be processing the request (patch deployments.apps a)", Cause::ServerError),
            ("Error from server (TooManyRequests): the server has received too many requests and has asked us to try again later", Cause::Throttled),
            ("Error from server (NotFound): deployments.apps \"x\" not found", Cause::Refused),
            ("Error from server (Forbidden): deployments.apps \"x\" is forbidden: User \"u\" cannot patch", Cause::Refused),
            ("Error from server (AlreadyExists): configmaps \"exastro-upgrade-journal\" already exists", Cause::AlreadyExists),
            ("Error from server (Conflict): Operation cannot be fulfilled on deployments.apps \"x\": the object has been modified; please apply your changes to the latest version and try again", Cause::Conflict),
            ("The request is invalid: the server rejected our request due to an error in our request", Cause::Refused),
        ] {
            assert_eq!(Cause::of(stderr), cause, "{stderr}");
        }
    }

    #[test]
    fn transport_errors_are_an_outage() {
        for stderr in [
            "The connection to the server 127.0.0.1:6443 was refused - did you specify the right host or port?",
            "error: failed to patch: Patch \"https://10.0.0.1:6443/api/v1/namespaces/a/configmaps/b\": dial tcp 10.0.0.1:6443: connect: connection refused",
            "Unable to connect to the server: net/http: TLS handshake timeout",
            "Error: UPGRADE FAILED: Kubernetes cluster unreachable: Get \"https://10.0.0.1:6443/version\": EOF",
            "error: read tcp 127.0.0.1:50000->127.0.0.1:6443: read: connection reset by peer",
        ] {
            assert_eq!(Cause::of(stderr).transience(), Transience::Outage, "{stderr}");
        }
    }

    #[test]
    fn helm_prints_the_servers_message() {
        assert_eq!(
            Cause::of("Error: UPGRADE FAILED: failed to create resource: Internal error occurred: injected"),
            Cause::ServerError
        );
        assert_eq!(
            Cause::of("Error: UPGRADE FAILED: cannot patch \"a\" with kind Deployment: etcdserver: leader changed"),
            Cause::ServerError
        );
        assert_eq!(
            Cause::of("Error: UPGRADE FAILED: another operation (install/upgrade/rollback) is in progress"),
            Cause::Refused
        );
    }

    #[test]
    fn one_lasting_error_among_blips_is_reported() {
        let stderr = "Error from server (InternalError): Internal error occurred: x\n\
                      Error from server (NotFound): deployments.apps \"gone\" not found";
        assert_eq!(Cause::of(stderr).transience(), Transience::Never);
    }

    #[test]
    fn jitter_stays_within_a_fifth() {
        for _ in 0..100 {
            let p = jittered(Duration::from_secs(1));
            assert!(
                p >= Duration::from_millis(800) && p < Duration::from_millis(1200),
                "{p:?}"
            );
        }
    }
}
