//! The system administrator's credentials for platform-auth's administrator API: `EXASTRO_ADMIN_USER` /
//! `EXASTRO_ADMIN_PASSWORD` when set (the password may have been changed in Keycloak since the install),
//! else the chart's Secret `platform-secret-keycloak`. Never printed, never on an argv, never in a journal.

use std::fmt;

use crate::base64;
use crate::ops::kubectl::Kubectl;
use crate::process::{Cmd, Runner};

pub(crate) const SECRET: &str = "platform-secret-keycloak";
pub(crate) const USER_ENV: &str = "EXASTRO_ADMIN_USER";
pub(crate) const PASSWORD_ENV: &str = "EXASTRO_ADMIN_PASSWORD";

pub(crate) struct Credentials {
    user: String,
    password: String,
    /// Where they came from, for messages: "EXASTRO_ADMIN_USER/EXASTRO_ADMIN_PASSWORD" or the Secret.
    pub(crate) source: String,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Credentials(<redacted>, from {})", self.source)
    }
}

/// The read that finds them in the cluster (shown in plans; its output is never printed).
pub(crate) fn secret_read(kubectl: &Kubectl) -> Cmd {
    kubectl
        .get_optional("secret", SECRET)
        .note("the system administrator's user and password (never printed) unless EXASTRO_ADMIN_USER/EXASTRO_ADMIN_PASSWORD are set")
}

impl Credentials {
    /// From the environment, or else from the Secret; a problem says what to fix.
    pub(crate) fn find(runner: &Runner, kubectl: &Kubectl) -> Result<Credentials, String> {
        let env = |name| std::env::var(name).ok().filter(|v: &String| !v.is_empty());
        let creds = match (env(USER_ENV), env(PASSWORD_ENV)) {
            (Some(user), Some(password)) => Credentials {
                user,
                password,
                source: format!("{USER_ENV}/{PASSWORD_ENV}"),
            },
            (Some(_), None) | (None, Some(_)) => {
                return Err(format!("set both {USER_ENV} and {PASSWORD_ENV}, or neither (the Secret {SECRET} is read then)"))
            }
            (None, None) => from_secret(runner, kubectl)?,
        };
        creds.check()?;
        Ok(creds)
    }

    fn check(&self) -> Result<(), String> {
        if self.user.contains(':') {
            return Err(format!("the administrator user from {} contains ':', which HTTP basic authentication cannot carry; use a user without it", self.source));
        }
        if self.password.contains(':') {
            return Err(format!(
                "the administrator password from {} contains ':', which platform-auth's basic authentication \
                 cannot pass (it splits user and password on ':'); change it in Keycloak (master realm) and set \
                 {PASSWORD_ENV}",
                self.source
            ));
        }
        Ok(())
    }

    /// The `Authorization` header's value.
    pub(crate) fn header(&self) -> String {
        let pair = format!("{}:{}", self.user, self.password);
        format!("Basic {}", base64::encode(pair.as_bytes()))
    }
}

fn from_secret(runner: &Runner, kubectl: &Kubectl) -> Result<Credentials, String> {
    let missing = || {
        format!(
            "the administrator credentials for maintenance mode were not found: Secret {SECRET} in namespace \
             {} has no SYSTEM_ADMIN/SYSTEM_ADMIN_PASSWORD; set {USER_ENV} and {PASSWORD_ENV}",
            kubectl.target.namespace
        )
    };
    let out = runner
        .run(&secret_read(kubectl))
        .map_err(|e| format!("could not read Secret {SECRET}: {}", e.summary()))?;
    if out.stdout.trim().is_empty() {
        return Err(missing());
    }
    let secret: serde_json::Value = serde_json::from_str(&out.stdout)
        .map_err(|e| format!("could not parse Secret {SECRET}: {e}"))?;
    let data = &secret["data"];
    let field = |key: &str| -> Option<String> {
        let raw = base64::decode(data[key].as_str()?).ok()?;
        String::from_utf8(raw).ok().filter(|v| !v.is_empty())
    };
    match (field("SYSTEM_ADMIN"), field("SYSTEM_ADMIN_PASSWORD")) {
        (Some(user), Some(password)) => Ok(Credentials {
            user,
            password,
            source: format!("Secret {SECRET}"),
        }),
        _ => Err(missing()),
    }
}

#[cfg(test)]
mod tests {
    use super::Credentials;

    fn creds(user: &str, password: &str) -> Credentials {
        Credentials {
            user: user.into(),
            password: password.into(),
            source: "test".into(),
        }
    }

    #[test]
    fn a_colon_in_the_password_is_refused_with_the_reason_and_nothing_is_shown() {
        let why = creds("admin", "pa:ss").check().unwrap_err();
        assert!(
            why.contains("contains ':'") && !why.contains("pa:ss"),
            "{why}"
        );
        assert!(creds("admin", "Ch@ngeMe").check().is_ok());
        assert!(!format!("{:?}", creds("admin", "secret")).contains("secret"));
        assert_eq!(creds("admin", "pw").header(), "Basic YWRtaW46cHc=");
    }
}
