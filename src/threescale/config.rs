//! Plain configuration, built from the command line at the edge (`threescale/cli.rs`), and its validation against
//! the release data.

use std::fmt;
use std::time::Duration;

use serde::Serialize;

use super::release::{self, Upgrade};
use crate::exit::bad_input;
use crate::ops::target::KubeTarget;

/// The system database of the 3scale install.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Db {
    Oracle,
    Mysql,
    Postgresql,
}

impl fmt::Display for Db {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Db::Oracle => "oracle",
            Db::Mysql => "mysql",
            Db::Postgresql => "postgresql",
        })
    }
}

pub(crate) use crate::output::OutputFormat;

#[derive(Debug, Clone)]
pub(crate) struct Config {
    /// An empty namespace means "the current project" (`oc project -q`), resolved before the run.
    pub(crate) target: KubeTarget,
    pub(crate) from: String,
    pub(crate) to: String,
    pub(crate) db: Option<Db>,
    /// Image stream names; empty means every component.
    pub(crate) components: Vec<String>,
    /// `HOST[/PATH]` replacing `registry.redhat.io` in the new tags' sources.
    pub(crate) registry: Option<String>,
    /// Oracle: the templates' amp/system-oracle directory, built into `amp-system:<to>-oracle` first.
    pub(crate) oracle_build_dir: Option<std::path::PathBuf>,
    /// `build-oracle-image`: only the build, no tag or trigger.
    pub(crate) build_only: bool,
    /// Bound for each wait (the imports, each DC's rollout).
    pub(crate) timeout: Duration,
    pub(crate) yes: bool,
    pub(crate) dry_run: bool,
    pub(crate) verbose: bool,
    pub(crate) output: OutputFormat,
}

impl Config {
    /// Checks what needs no cluster: the version pair, the component names and the registry.
    pub(crate) fn validate(&self) -> anyhow::Result<&'static Upgrade> {
        let mut problems = Vec::new();
        let upgrade = release::find(&self.from, &self.to);
        if upgrade.is_none() {
            problems.push(format!(
                "--from {} --to {} is not a supported upgrade; supported: {}",
                self.from,
                self.to,
                release::supported_text()
            ));
        }
        let names = match upgrade {
            Some(u) => u.components.iter().map(|c| c.stream).collect::<Vec<_>>(),
            None => release::component_names(),
        };
        for name in &self.components {
            if let Err(suggestion) = super::aliases::resolve(name, &names) {
                problems.push(format!(
                    "unknown --component {name:?}{}; valid names: {} (the guide's section names), or the image \
                     streams {}",
                    suggestion
                        .map(|s| format!(" (did you mean {s:?}?)"))
                        .unwrap_or_default(),
                    super::aliases::ALIASES
                        .iter()
                        .map(|(a, _)| *a)
                        .collect::<Vec<_>>()
                        .join(", "),
                    names.join(", ")
                ));
            }
        }
        if let Some(registry) = &self.registry {
            if let Some(why) = registry_problem(registry) {
                problems.push(format!("--registry {registry:?} {why}"));
            }
        }
        match upgrade {
            Some(u) if problems.is_empty() => Ok(u),
            _ => Err(bad_input(if problems.len() == 1 {
                problems.remove(0)
            } else {
                format!(
                    "{} problems with the arguments:\n{}",
                    problems.len(),
                    problems
                        .iter()
                        .map(|p| format!("  - {p}"))
                        .collect::<Vec<_>>()
                        .join("\n")
                )
            })),
        }
    }

    /// Whether a component (image stream) was selected, by its name or an alias of it.
    pub(crate) fn selects(&self, stream: &str) -> bool {
        let streams = release::component_names();
        self.components.is_empty()
            || self.components.iter().any(|c| {
                super::aliases::resolve(c, &streams).is_ok_and(|covered| covered.contains(&stream))
            })
    }

    /// `-n NS [--context ..] [--kubeconfig ..]` as a user would type them after `oc 3scale-upgrade SUB`.
    pub(crate) fn selector_words(&self) -> Vec<String> {
        let mut words = vec!["-n".to_string(), self.target.namespace.clone()];
        if let Some(ctx) = &self.target.context {
            words.push(format!("--context={ctx}"));
        }
        if let Some(path) = &self.target.kubeconfig {
            words.push(format!("--kubeconfig={path}"));
        }
        words
    }
}

impl Config {
    /// The command that runs this upgrade again (it continues where a stopped run left off).
    pub(crate) fn rerun_command(&self) -> String {
        let mut words = vec![
            "oc".to_string(),
            "3scale-upgrade".into(),
            "patch-images".into(),
        ];
        words.extend(self.selector_words());
        if self.from != "2.9" || self.to != "2.10" {
            words.extend([
                "--from".to_string(),
                self.from.clone(),
                "--to".into(),
                self.to.clone(),
            ]);
        }
        if let Some(db) = self.db {
            words.push(format!("--db={db}"));
        }
        for c in &self.components {
            words.push(format!("--component={c}"));
        }
        if let Some(r) = &self.registry {
            words.push(format!("--registry={r}"));
        }
        crate::quote::shell_join(&words)
    }
}

/// Why a `--registry` value cannot replace `registry.redhat.io`, if it cannot.
fn registry_problem(registry: &str) -> Option<&'static str> {
    if registry.is_empty() {
        return Some("is empty");
    }
    if registry.contains("://") {
        return Some(
            "must be HOST[:PORT][/PATH] without a scheme (e.g. mirror.example.com:5000/redhat)",
        );
    }
    if registry.ends_with('/') || registry.starts_with('/') || registry.contains("//") {
        return Some("must not start or end with '/' (e.g. mirror.example.com:5000/redhat)");
    }
    if registry
        .chars()
        .any(|c| c.is_whitespace() || c == '@' || c.is_ascii_uppercase())
    {
        return Some(
            "must be a lowercase registry host with an optional path (no spaces, '@' or capitals)",
        );
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg() -> Config {
        Config {
            target: KubeTarget {
                namespace: "3scale".into(),
                ..KubeTarget::default()
            },
            from: "2.9".into(),
            to: "2.10".into(),
            db: None,
            components: vec![],
            registry: None,
            oracle_build_dir: None,
            build_only: false,
            timeout: Duration::from_secs(60),
            yes: false,
            dry_run: false,
            verbose: false,
            output: OutputFormat::Text,
        }
    }

    #[test]
    fn unsupported_pairs_and_unknown_components_list_the_valid_ones() {
        assert!(cfg().validate().is_ok());
        let bad = Config {
            to: "2.11".into(),
            ..cfg()
        };
        let err = bad.validate().unwrap_err();
        assert_eq!(crate::exit::code_of(&err), crate::exit::Exit::BadInput);
        assert!(err.to_string().contains("supported: 2.9 -> 2.10"), "{err}");
        let unknown = Config {
            components: vec!["amp-system".into(), "system-memcache".into()],
            ..cfg()
        };
        let err = unknown.validate().unwrap_err().to_string();
        assert!(err.contains("\"system-memcache\""), "{err}");
        assert!(err.contains("system-memcached"), "{err}");
    }

    #[test]
    fn registry_values() {
        for good in ["mirror.example.com", "mirror.example.com:5000/rh/x"] {
            assert!(registry_problem(good).is_none(), "{good}");
        }
        for bad in ["", "https://m", "m/", "/m", "M", "a b"] {
            assert!(registry_problem(bad).is_some(), "{bad}");
        }
    }
}
