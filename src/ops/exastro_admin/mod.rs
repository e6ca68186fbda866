//! Exastro's platform administrator API, as the vendor's tools drive it: maintenance mode and the count of
//! running jobs, on platform-auth's administrator listener (Service `platform-auth`, port 8001). Reached
//! through `kubectl port-forward` (the user's kubeconfig alone) or the administrator site (`--admin-url`);
//! never through the API server's service proxy, which strips `Authorization`.
//! Every call is shown like a command (method, URL, body), refused in a dry run when it changes something.

pub(crate) mod credentials;
mod transport;

use serde::{Deserialize, Serialize};
use serde_json::Value;

pub(crate) use credentials::Credentials;
pub(crate) use transport::{Transport, FORWARD_BASE_SHOWN};

use crate::process::{Cmd, Runner};

pub(crate) const SETTING_PATH: &str = "/api/platform/maintenance-mode-setting";
pub(crate) const EXECUTE_CHECK_PATH: &str = "/api/ita/backyard-execute-check/";

/// The two switches of maintenance mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub(crate) struct Setting {
    pub(crate) backyard_execute_stop: bool,
    pub(crate) data_update_stop: bool,
}

impl Setting {
    pub(crate) fn describe(self) -> String {
        let word = |on: bool| if on { "on" } else { "off" };
        format!(
            "backyard execution stop {}, data update stop {}",
            word(self.backyard_execute_stop),
            word(self.data_update_stop)
        )
    }

    pub(crate) fn is_on(self) -> bool {
        self.backyard_execute_stop || self.data_update_stop
    }
}

/// A PATCH body: either switch alone, or both (string values, as the API takes them).
pub(crate) fn patch_body(backyard: Option<bool>, data: Option<bool>) -> String {
    let flag = |on: bool| if on { "1" } else { "0" };
    let mut body = serde_json::Map::new();
    if let Some(on) = backyard {
        body.insert("backyard_execute_stop".into(), flag(on).into());
    }
    if let Some(on) = data {
        body.insert("data_update_stop".into(), flag(on).into());
    }
    Value::Object(body).to_string()
}

/// One call, as `-v` and plans show it.
pub(crate) fn shown(method: &'static str, base: &str, path: &str, body: Option<&str>) -> Cmd {
    let url = format!("{base}{path}");
    match body {
        Some(body) => Cmd::mutate(method, [url, body.to_string()]),
        None => Cmd::read(method, [url]),
    }
}

/// The API on one transport, with the administrator's credentials.
pub(crate) struct AdminApi {
    transport: Transport,
    credentials: Credentials,
}

impl AdminApi {
    pub(crate) fn new(transport: Transport, credentials: Credentials) -> AdminApi {
        AdminApi {
            transport,
            credentials,
        }
    }

    pub(crate) fn base(&self) -> String {
        self.transport.base()
    }

    pub(crate) fn setting(&self, runner: &Runner) -> anyhow::Result<Setting> {
        let data = self.call(runner, "GET", SETTING_PATH, None)?;
        let flag = |key: &str| match data[key].as_str() {
            Some("1") => Ok(true),
            Some("0") => Ok(false),
            _ => anyhow::bail!(
                "GET {SETTING_PATH} answered {key}={} (not \"0\" or \"1\")",
                data[key]
            ),
        };
        Ok(Setting {
            backyard_execute_stop: flag("backyard_execute_stop")?,
            data_update_stop: flag("data_update_stop")?,
        })
    }

    pub(crate) fn set(
        &self,
        runner: &Runner,
        backyard: Option<bool>,
        data: Option<bool>,
    ) -> anyhow::Result<()> {
        let body = patch_body(backyard, data);
        self.call(runner, "PATCH", SETTING_PATH, Some(&body))
            .map(drop)
    }

    /// Jobs being prepared or running, in the whole system (Conductor not counted). An answer without an integer count is an error,
    /// never 0: the platform answers an internal error with HTTP 200 and a list.
    pub(crate) fn execute_count(&self, runner: &Runner) -> anyhow::Result<u64> {
        let data = self.call(runner, "GET", EXECUTE_CHECK_PATH, None)?;
        data["execute_count"].as_u64().ok_or_else(|| {
            anyhow::anyhow!(
                "GET {EXECUTE_CHECK_PATH} answered without a job count (data: {}); the platform may be \
                 failing: check `kubectl logs deploy/platform-api` and `deploy/ita-api-admin`",
                shorten(&data.to_string())
            )
        })
    }

    /// One call: shown, refused in a dry run when it writes, and judged on the platform's result code.
    fn call(
        &self,
        runner: &Runner,
        method: &'static str,
        path: &str,
        body: Option<&str>,
    ) -> anyhow::Result<Value> {
        runner.announce(&shown(method, &self.base(), path, body))?;
        let (status, text) =
            self.transport
                .send(runner, method, path, body, &self.credentials.header())?;
        let answer: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        let result = answer["result"].as_str().unwrap_or("");
        if status == 401 {
            anyhow::bail!(
                "platform-auth refused the administrator credentials from {} ({method} {path}: HTTP 401 {result}); \
                 set {} and {} to the system administrator's current user and password (Keycloak master realm)",
                self.credentials.source,
                credentials::USER_ENV,
                credentials::PASSWORD_ENV
            );
        }
        if !(200..300).contains(&status) || result != "000-00000" {
            anyhow::bail!(
                "{method} {path} answered HTTP {status}: {}",
                shorten(if answer.is_null() {
                    &text
                } else {
                    answer["message"].as_str().unwrap_or(&text)
                })
            );
        }
        Ok(answer["data"].clone())
    }
}

fn shorten(text: &str) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match one_line.char_indices().nth(160) {
        Some((cut, _)) => format!("{}...", &one_line[..cut]),
        None => one_line,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn bodies_carry_strings_and_only_the_switches_given() {
        assert_eq!(
            super::patch_body(Some(true), None),
            r#"{"backyard_execute_stop":"1"}"#
        );
        assert_eq!(
            super::patch_body(Some(false), Some(false)),
            r#"{"backyard_execute_stop":"0","data_update_stop":"0"}"#
        );
    }
}
