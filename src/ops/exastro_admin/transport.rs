//! How the calls reach platform-auth's administrator listener: a `kubectl port-forward` to
//! svc/platform-auth port 8001 on a free local port (started again when its pod went away: the stop and
//! the upgrade replace that pod), or the administrator site given with `--admin-url`.

use std::sync::Mutex;
use std::time::Duration;

use crate::ops::kubectl::Kubectl;
use crate::process::{Background, Cmd, Runner};

/// The administrator listener's port on the platform-auth Service (`http-pf-mng`).
pub(crate) const FORWARDED_PORT: u16 = 8001;
const SERVICE: &str = "svc/platform-auth";
/// How long kubectl may take to say where it listens.
const FORWARD_START: Duration = Duration::from_secs(30);
const CALL_TIMEOUT: Duration = Duration::from_secs(30);

pub(crate) struct Transport {
    agent: ureq::Agent,
    route: Route,
}

enum Route {
    Site(String),
    Forward {
        kubectl: Kubectl,
        /// The running port-forward and its base URL.
        live: Mutex<Option<(Background, String)>>,
        /// The base URL of the last port-forward (plans show a placeholder instead).
        base: String,
    },
}

/// The command that opens the tunnel (also what plans show).
pub(crate) fn port_forward(kubectl: &Kubectl) -> Cmd {
    kubectl
        .port_forward(SERVICE, &format!(":{FORWARDED_PORT}"))
        .note("runs beside the steps, on a free local port, until the run ends")
}

/// How plans show the base URL through the tunnel.
pub(crate) const FORWARD_BASE_SHOWN: &str = "http://127.0.0.1:<local port of the port-forward>";

impl Transport {
    /// The administrator site itself (`--admin-url`, with `--admin-ca` for a private CA).
    pub(crate) fn site(url: &str, ca: Option<&std::path::Path>) -> Result<Transport, String> {
        let mut config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            // the platform's Apache closes idle connections after 5 s: a new one for every call
            .max_idle_connections(0)
            .timeout_global(Some(CALL_TIMEOUT));
        if let Some(path) = ca {
            let pem =
                std::fs::read(path).map_err(|e| format!("--admin-ca {}: {e}", path.display()))?;
            let cert = ureq::tls::Certificate::from_pem(&pem).map_err(|e| {
                format!("--admin-ca {}: not a PEM certificate ({e})", path.display())
            })?;
            config = config.tls_config(
                ureq::tls::TlsConfig::builder()
                    .root_certs(ureq::tls::RootCerts::new_with_certs(&[cert]))
                    .build(),
            );
        }
        Ok(Transport {
            agent: config.build().into(),
            route: Route::Site(url.trim_end_matches('/').to_string()),
        })
    }

    /// A port-forward through the user's kubeconfig, started now (so a problem shows before any change).
    pub(crate) fn forward(runner: &Runner, kubectl: &Kubectl) -> Result<Transport, String> {
        let (background, base) = start_forward(runner, kubectl)?;
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_idle_connections(0)
            .timeout_global(Some(CALL_TIMEOUT))
            // a proxy from the environment must not see a call to our own tunnel
            .proxy(None)
            .build()
            .into();
        Ok(Transport {
            agent,
            route: Route::Forward {
                kubectl: kubectl.clone(),
                base: base.clone(),
                live: Mutex::new(Some((background, base))),
            },
        })
    }

    /// Where the calls go now (through the tunnel: its current local port).
    pub(crate) fn base(&self) -> String {
        match &self.route {
            Route::Site(url) => url.clone(),
            Route::Forward { live, base, .. } => live
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .as_ref()
                .map_or_else(|| base.clone(), |(_, current)| current.clone()),
        }
    }

    /// Sends one request; returns the HTTP status and the body. Through the tunnel, a connection that
    /// fails because the forwarded pod went away is tried once more on a new port-forward.
    pub(crate) fn send(
        &self,
        runner: &Runner,
        method: &str,
        path: &str,
        body: Option<&str>,
        authorization: &str,
    ) -> anyhow::Result<(u16, String)> {
        match &self.route {
            Route::Site(url) => self.once(&format!("{url}{path}"), method, body, authorization),
            Route::Forward { kubectl, live, .. } => {
                let mut live = live.lock().unwrap_or_else(|e| e.into_inner());
                // The stop and the upgrade replace platform-auth's pod, and the tunnel ends or fails with
                // it: a tunnel found ended, or a call that failed on it, gets one new tunnel and one more try.
                let mut failed = None;
                for retry in [false, true] {
                    if retry || !live.as_mut().is_some_and(|(bg, _)| bg.is_running()) {
                        *live = None; // the old one is stopped first
                        *live = Some(start_forward(runner, kubectl).map_err(anyhow::Error::msg)?);
                    }
                    let base = &live.as_ref().expect("started above").1;
                    match self.once(&format!("{base}{path}"), method, body, authorization) {
                        Ok(answer) => return Ok(answer),
                        Err(e) => failed = Some(e),
                    }
                }
                let stderr = live.as_ref().map(|(bg, _)| bg.stderr()).unwrap_or_default();
                let said = stderr
                    .lines()
                    .last()
                    .map(|l| format!(" (kubectl: {l})"))
                    .unwrap_or_default();
                Err(failed
                    .expect("both tries failed")
                    .context(format!("through `kubectl port-forward {SERVICE}`{said}")))
            }
        }
    }

    fn once(
        &self,
        url: &str,
        method: &str,
        body: Option<&str>,
        authorization: &str,
    ) -> anyhow::Result<(u16, String)> {
        let result = match (method, body) {
            ("PATCH", Some(body)) => self
                .agent
                .patch(url)
                .header("Authorization", authorization)
                .content_type("application/json")
                .send(body),
            _ => self
                .agent
                .get(url)
                .header("Authorization", authorization)
                .call(),
        };
        let mut response = result.map_err(|e| {
            // a site behind a private CA is the usual case on premises: say what fixes it
            // (rustls' refusal reaches ureq wrapped in an io error: told by its text)
            let hint = if e.to_string().contains("certificate") {
                "; if the site's certificate comes from a private CA, give it with --admin-ca FILE"
            } else {
                ""
            };
            anyhow::anyhow!("{method} {url}: {e}{hint}")
        })?;
        let status = response.status().as_u16();
        let text = response
            .body_mut()
            .read_to_string()
            .map_err(|e| anyhow::anyhow!("{method} {url}: reading the answer: {e}"))?;
        Ok((status, text))
    }
}

/// Starts `kubectl port-forward` and reads the local port from its "Forwarding from" line.
fn start_forward(runner: &Runner, kubectl: &Kubectl) -> Result<(Background, String), String> {
    let cmd = port_forward(kubectl);
    let mut background = runner.start(&cmd).map_err(|e| e.to_string())?;
    let port = background
        .wait_for(FORWARD_START, local_port)
        .map_err(|e| {
            let why = e
                .stderr_trimmed()
                .lines()
                .last()
                .unwrap_or("it ended without saying")
                .to_string();
            format!(
                "`{}` could not reach platform-auth's administrator port: {why}",
                cmd.display()
            )
        })?;
    Ok((background, format!("http://127.0.0.1:{port}")))
}

/// `Forwarding from 127.0.0.1:41235 -> 8001` → 41235 (kubectl prints the IPv6 line too; either will do).
fn local_port(line: &str) -> Option<u16> {
    let rest = line.strip_prefix("Forwarding from 127.0.0.1:")?;
    rest.split_whitespace().next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_local_port_is_read_from_kubectls_line() {
        assert_eq!(
            super::local_port("Forwarding from 127.0.0.1:41235 -> 8001"),
            Some(41235)
        );
        assert_eq!(
            super::local_port("Forwarding from [::1]:41235 -> 8001"),
            None
        );
        assert_eq!(super::local_port("Handling connection for 41235"), None);
    }
}
