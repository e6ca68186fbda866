//! Helm values files: loading with clear errors, dotted-path flattening, the drift between a user's values
//! file and two chart versions' defaults, and the guards against data-destroying settings. Values of keys
//! that look secret are never printed.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;
use serde_yaml::{Mapping, Value};

use crate::exit::bad_input;

/// Reads a values file the way helm would accept it: a YAML mapping (an empty file counts as `{}`).
pub(crate) fn load_values_file(path: &Path) -> anyhow::Result<Mapping> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        bad_input(format!(
            "cannot read the values file {}: {e}; pass the values file the release was installed with (-f/--values FILE)",
            path.display()
        ))
    })?;
    parse_values(&text)
        .map_err(|why| bad_input(format!("the values file {} {why}", path.display())))
}

pub(crate) fn parse_values(text: &str) -> Result<Mapping, String> {
    let value: Value = serde_yaml::from_str(text).map_err(|e| format!("is not valid YAML: {e}"))?;
    match value {
        Value::Mapping(m) => Ok(m),
        Value::Null => Ok(Mapping::new()),
        other => Err(format!(
            "must be a YAML mapping of chart values, but its top level is a {}",
            kind_name(&other)
        )),
    }
}

fn kind_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Sequence(_) => "list",
        Value::Mapping(_) => "mapping",
        Value::Tagged(_) => "tagged value",
    }
}

fn key_text(k: &Value) -> String {
    match k {
        Value::String(s) => s.clone(),
        other => serde_yaml::to_string(other)
            .unwrap_or_default()
            .trim()
            .to_string(),
    }
}

/// Every leaf as `a.b.c` → value. Lists and empty mappings are leaves.
pub(crate) fn flatten(map: &Mapping) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    walk(map, "", &mut out);
    out
}

fn walk(map: &Mapping, prefix: &str, out: &mut BTreeMap<String, Value>) {
    for (k, v) in map {
        let path = if prefix.is_empty() {
            key_text(k)
        } else {
            format!("{prefix}.{}", key_text(k))
        };
        match v {
            Value::Mapping(inner) if !inner.is_empty() => walk(inner, &path, out),
            _ => {
                out.insert(path, v.clone());
            }
        }
    }
}

/// The settings the release has now (its user-supplied values, `helm get values`) that upgrading with
/// this values file would drop: `helm upgrade -f FILE` replaces ALL user-supplied values with the file's, so
/// every leaf of the release that the file does not set (absent, or null) goes back to the chart's
/// default. Dotted keys, sorted; never the values (they may be secrets).
pub(crate) fn dropped_settings(release: &Mapping, file: &Mapping) -> Vec<String> {
    flatten(release)
        .into_iter()
        .filter(|(_, value)| !value.is_null())
        .filter(|(path, _)| lookup(file, path).is_none_or(Value::is_null))
        .map(|(path, _)| path)
        .collect()
}

/// The release's user-supplied values from `helm get values -o json` (`null` when there are none).
pub(crate) fn release_values(json: &str) -> anyhow::Result<Mapping> {
    let value: Value = serde_json::from_str(json)?;
    Ok(match value {
        Value::Mapping(map) => map,
        _ => Mapping::new(),
    })
}

/// The value at a dotted path, if every segment exists.
pub(crate) fn lookup<'a>(map: &'a Mapping, path: &str) -> Option<&'a Value> {
    let mut segments = path.split('.');
    let mut node = map.get(Value::String(segments.next()?.to_string()))?;
    for segment in segments {
        node = node.as_mapping()?.get(Value::String(segment.to_string()))?;
    }
    Some(node)
}

/// True for keys whose values must never be printed.
pub(crate) fn is_secret_key(path: &str) -> bool {
    let last = path.rsplit('.').next().unwrap_or(path).to_ascii_lowercase();
    last.ends_with("key")
        || ["password", "passwd", "secret", "token", "credential"]
            .iter()
            .any(|word| last.contains(word))
}

/// A value for display, redacted when its key looks secret.
pub(crate) fn show(path: &str, value: &Value) -> String {
    if is_secret_key(path) {
        return "<redacted>".to_string();
    }
    match value {
        Value::String(s) => format!("{s:?}"),
        Value::Null => "null".to_string(),
        other => serde_json::to_string(other).unwrap_or_else(|_| "?".to_string()),
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct Drift {
    /// New in the target chart's defaults and not set in the values file.
    pub(crate) added: Vec<AddedKey>,
    /// Set in the values file but unknown to the target chart.
    pub(crate) unknown: Vec<String>,
    /// Defaults that changed between the installed and the target chart.
    pub(crate) changed: Vec<ChangedDefault>,
    /// Set when the installed chart's defaults could not be read (then `added`/`changed` are empty).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct AddedKey {
    pub(crate) path: String,
    pub(crate) default: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct ChangedDefault {
    pub(crate) path: String,
    pub(crate) old: String,
    pub(crate) new: String,
    /// The values file sets this key, so the new default does not apply.
    pub(crate) overridden: bool,
}

impl Drift {
    pub(crate) fn is_empty(&self) -> bool {
        self.added.is_empty() && self.unknown.is_empty() && self.changed.is_empty()
    }

    pub(crate) fn summary(&self) -> String {
        format!(
            "{} new key(s) not in your values, {} key(s) the new chart does not know, {} changed default(s)",
            self.added.len(),
            self.unknown.len(),
            self.changed.len()
        )
    }

    pub(crate) fn render(&self, values_file: &str) -> String {
        let mut text = String::new();
        if let Some(note) = &self.note {
            text.push_str(&format!("note: {note}\n"));
        }
        if self.is_empty() {
            text.push_str(&format!(
                "{values_file}: no drift against the target chart\n"
            ));
            return text;
        }
        if !self.added.is_empty() {
            text.push_str(&format!("New in the target chart, not set in {values_file} (add them if you need other than the default):\n"));
            for key in &self.added {
                text.push_str(&format!("  + {} (default {})\n", key.path, key.default));
            }
        }
        if !self.unknown.is_empty() {
            text.push_str(&format!(
                "Set in {values_file} but unknown to the target chart (renamed or removed?):\n"
            ));
            for path in &self.unknown {
                text.push_str(&format!("  ? {path}\n"));
            }
        }
        if !self.changed.is_empty() {
            text.push_str("Defaults changed between the installed and the target chart:\n");
            for c in &self.changed {
                let tail = if c.overridden {
                    " (your values file sets this key)"
                } else {
                    ""
                };
                text.push_str(&format!("  ~ {}: {} -> {}{tail}\n", c.path, c.old, c.new));
            }
        }
        text
    }
}

/// Compares a values file with the installed and the target chart's default values.
pub(crate) fn drift(
    user: &Mapping,
    installed_defaults: Option<&Mapping>,
    target_defaults: &Mapping,
) -> Drift {
    let user_flat = flatten(user);
    let target_flat = flatten(target_defaults);
    let mut drift = Drift::default();

    for path in user_flat.keys() {
        if !accepted_by(target_defaults, path) {
            drift.unknown.push(path.clone());
        }
    }

    let Some(installed) = installed_defaults else {
        drift.note = Some(
            "the installed chart version's defaults could not be read; only unknown keys are shown"
                .into(),
        );
        return drift;
    };
    let installed_flat = flatten(installed);
    let user_sets = |path: &str| lookup(user, path).is_some() || has_leaf_prefix(&user_flat, path);
    for (path, value) in &target_flat {
        match installed_flat.get(path) {
            None if !user_sets(path) && !has_leaf_prefix(&installed_flat, path) => {
                drift.added.push(AddedKey {
                    path: path.clone(),
                    default: show(path, value),
                })
            }
            Some(old) if old != value => drift.changed.push(ChangedDefault {
                path: path.clone(),
                old: show(path, old),
                new: show(path, value),
                overridden: user_sets(path),
            }),
            _ => {}
        }
    }
    drift
}

/// Whether some proper prefix of `path` is itself a leaf (e.g. the user set `a.b: {}` or a list).
fn has_leaf_prefix(flat: &BTreeMap<String, Value>, path: &str) -> bool {
    let mut prefix = String::new();
    for segment in path.split('.') {
        if !prefix.is_empty() {
            if flat.contains_key(&prefix) {
                return true;
            }
            prefix.push('.');
        }
        prefix.push_str(segment);
    }
    false
}

/// A user path is accepted when it exists in the defaults, or descends into a free-form spot there
/// (an empty mapping such as `extraEnv: {}`, a null, or a scalar the user replaced with a mapping).
fn accepted_by(defaults: &Mapping, path: &str) -> bool {
    let mut current = defaults;
    for segment in path.split('.') {
        match current.get(Value::String(segment.to_string())) {
            Some(Value::Mapping(inner)) => {
                if inner.is_empty() {
                    return true;
                }
                current = inner;
            }
            Some(_) => return true,
            None => return current.is_empty(),
        }
    }
    true
}

/// Dotted paths of every `persistence.reinstall: true` in a values file (wipes the data on start).
pub(crate) fn reinstall_paths(user: &Mapping) -> Vec<String> {
    flatten(user)
        .into_iter()
        .filter(|(path, v)| path.ends_with("persistence.reinstall") && is_truthy(v))
        .map(|(path, _)| path)
        .collect()
}

fn is_truthy(v: &Value) -> bool {
    match v {
        Value::Bool(b) => *b,
        Value::String(s) => s.eq_ignore_ascii_case("true"),
        _ => false,
    }
}

/// A non-empty string at `path`.
pub(crate) fn is_set(user: &Mapping, path: &str) -> bool {
    match lookup(user, path) {
        Some(Value::String(s)) => !s.trim().is_empty(),
        Some(Value::Null) | None => false,
        Some(_) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(text: &str) -> Mapping {
        parse_values(text).unwrap()
    }

    #[test]
    fn seed_extra_env_case_is_reported_as_new() {
        let installed = yaml("exastro-platform:\n  platform-auth:\n    image:\n      tag: \"\"\n");
        let target = yaml(
            "exastro-platform:\n  platform-auth:\n    image:\n      tag: \"\"\n    extraEnv:\n      # Please set the URL to access\n      EXTERNAL_URL: \"\"\n",
        );
        let user = yaml("exastro-platform:\n  platform-auth:\n    image:\n      tag: \"\"\n");
        let d = drift(&user, Some(&installed), &target);
        assert_eq!(d.added.len(), 1);
        assert_eq!(
            d.added[0].path,
            "exastro-platform.platform-auth.extraEnv.EXTERNAL_URL"
        );
        assert!(d.unknown.is_empty() && d.changed.is_empty());
        // Once the user adds it, nothing is reported.
        let user = yaml(
            "exastro-platform:\n  platform-auth:\n    extraEnv:\n      EXTERNAL_URL: https://x\n",
        );
        assert!(drift(&user, Some(&installed), &target).added.is_empty());
    }

    #[test]
    fn unknown_keys_and_changed_defaults() {
        let installed = yaml("a:\n  replicas: 1\n  podAnnotations: {}\nold: 1\n");
        let target = yaml("a:\n  replicas: 2\n  podAnnotations: {}\n");
        let user = yaml("a:\n  podAnnotations:\n    x: y\nold: 3\ntypo:\n  k: v\n");
        let d = drift(&user, Some(&installed), &target);
        assert_eq!(d.unknown, vec!["old".to_string(), "typo.k".to_string()]);
        assert_eq!(d.changed.len(), 1);
        assert_eq!(d.changed[0].path, "a.replicas");
        assert!(!d.changed[0].overridden);
    }

    #[test]
    fn secrets_are_redacted_and_reinstall_is_found() {
        assert_eq!(
            show(
                "global.itaGlobalDefinition.secret.ENCRYPT_KEY",
                &Value::String("abc".into())
            ),
            "<redacted>"
        );
        assert_eq!(
            show("mariadb.rootPassword", &Value::String("abc".into())),
            "<redacted>"
        );
        assert_eq!(show("keycloak.image", &Value::String("x".into())), "\"x\"");
        let user = yaml("exastro-platform:\n  mariadb:\n    persistence:\n      reinstall: true\nglobal:\n  x:\n    persistence:\n      reinstall: false\n");
        assert_eq!(
            reinstall_paths(&user),
            vec!["exastro-platform.mariadb.persistence.reinstall".to_string()]
        );
    }

    #[test]
    fn bad_files_say_what_is_wrong() {
        assert!(parse_values("a: [1, 2")
            .unwrap_err()
            .contains("not valid YAML"));
        assert!(parse_values("- a\n- b\n")
            .unwrap_err()
            .contains("top level is a list"));
        assert!(parse_values("").unwrap().is_empty());
    }
}
