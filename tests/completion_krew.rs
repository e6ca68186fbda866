//! krew/exastro-upgrade.yaml follows krew's manifest rules (krew's `validation.ValidatePlugin`, the plugin
//! manifest guide and the naming guide) and names this build's version.

use std::path::PathBuf;

use serde_yaml::{Mapping, Value};

const PLUGIN: &str = "exastro-upgrade";

fn manifest() -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("krew/{PLUGIN}.yaml"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_yaml::from_str(&text)
        .unwrap_or_else(|e| panic!("{} is not valid YAML: {e}", path.display()))
}

fn map<'a>(value: &'a Value, what: &str) -> &'a Mapping {
    value
        .as_mapping()
        .unwrap_or_else(|| panic!("{what} must be a mapping: {value:?}"))
}

fn string<'a>(value: &'a Value, key: &str) -> &'a str {
    value
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("`{key}` must be a string: {value:?}"))
}

fn keys(value: &Value) -> Vec<String> {
    map(value, "object")
        .keys()
        .map(|k| k.as_str().unwrap().to_string())
        .collect()
}

fn only_known_keys(value: &Value, known: &[&str], what: &str) {
    for key in keys(value) {
        assert!(
            known.contains(&key.as_str()),
            "unknown key `{key}` in {what}"
        );
    }
}

/// krew's semver: a `v` prefix, then MAJOR.MINOR.PATCH with an optional -pre and +build.
fn is_krew_semver(version: &str) -> bool {
    let Some(rest) = version.strip_prefix('v') else {
        return false;
    };
    let core = rest.split(['-', '+']).next().unwrap();
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.chars().all(|c| c.is_ascii_digit())
                && (p.len() == 1 || !p.starts_with('0'))
        })
}

#[test]
fn header_and_name_follow_the_rules() {
    let m = manifest();
    only_known_keys(
        &m,
        &["apiVersion", "kind", "metadata", "spec"],
        "the manifest",
    );
    assert_eq!(
        string(&m, "apiVersion"),
        "krew.googlecontainertools.github.com/v1alpha2"
    );
    assert_eq!(string(&m, "kind"), "Plugin");
    let name = string(&m["metadata"], "name");
    // The file is named after the plugin.
    assert_eq!(name, PLUGIN);
    // krew: ^[\w-]+$ and not a reserved Windows name; naming guide: lowercase kebab-case.
    assert!(
        name.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
        "{name}"
    );
    assert!(
        !name.starts_with('-') && !name.ends_with('-') && !name.contains("--"),
        "{name}"
    );
    assert!(!["con", "prn", "aux", "nul"].contains(&name), "{name}");
    // kubectl runs `kubectl exastro-upgrade` as the executable kubectl-exastro_upgrade (dash -> underscore).
    assert_eq!(
        format!("kubectl-{}", name.replace('-', "_")),
        "kubectl-exastro_upgrade"
    );
}

#[test]
fn spec_has_the_required_fields_and_this_version() {
    let m = manifest();
    let spec = &m["spec"];
    only_known_keys(
        spec,
        &[
            "version",
            "homepage",
            "shortDescription",
            "description",
            "caveats",
            "platforms",
        ],
        "spec",
    );
    let version = string(spec, "version");
    assert!(
        is_krew_semver(version),
        "spec.version {version:?} is not a v-prefixed semantic version"
    );
    assert_eq!(
        version,
        format!("v{}", env!("CARGO_PKG_VERSION")),
        "spec.version must match Cargo.toml"
    );
    let short = string(spec, "shortDescription");
    assert!(
        !short.trim().is_empty() && !short.contains(['\r', '\n']),
        "{short:?}"
    );
    assert!(
        short.len() <= 50,
        "keep shortDescription short ({} chars): {short}",
        short.len()
    );
    assert!(string(spec, "description").trim().len() > short.len());
    assert!(string(spec, "homepage").starts_with("https://"));
}

#[test]
fn caveats_tell_how_to_install_the_completion_helper() {
    let m = manifest();
    let caveats = string(&m["spec"], "caveats");
    assert!(
        caveats.contains("kubectl_complete-exastro_upgrade"),
        "{caveats}"
    );
    // krew installs into store/<plugin>/<version>/ and links only `bin` into its bin dir.
    assert!(
        caveats.contains(&format!(
            "store/{PLUGIN}/v{}/kubectl_complete-exastro_upgrade",
            env!("CARGO_PKG_VERSION")
        )),
        "caveats must name this version's store path:\n{caveats}"
    );
    assert!(
        caveats.contains("PATH") && caveats.contains("kubectl completion"),
        "{caveats}"
    );
}

#[test]
fn every_platform_is_complete_and_distinct() {
    let m = manifest();
    let platforms = m["spec"]["platforms"]
        .as_sequence()
        .expect("spec.platforms must be a list");
    assert!(!platforms.is_empty(), "should have a platform specified");
    let mut selectors = Vec::new();
    for p in platforms {
        only_known_keys(
            p,
            &["selector", "uri", "sha256", "bin", "files"],
            "a platform",
        );
        let uri = string(p, "uri");
        assert!(
            uri.starts_with("https://") && (uri.ends_with(".tar.gz") || uri.ends_with(".zip")),
            "{uri}"
        );
        assert!(
            uri.contains(&format!("v{}", env!("CARGO_PKG_VERSION"))),
            "uri of another version: {uri}"
        );
        let sha = string(p, "sha256");
        assert!(
            sha.len() == 64
                && sha
                    .chars()
                    .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c)),
            "sha256 {sha:?}"
        );
        // Exactly one `bin` (a single string, not a list): the plugin executable.
        assert_eq!(string(p, "bin"), "kubectl-exastro_upgrade");
        if let Some(files) = p.get("files") {
            let files = files.as_sequence().expect("files must be a list");
            assert!(
                !files.is_empty(),
                "`files` has to be unspecified or non-empty"
            );
            for f in files {
                assert!(!string(f, "from").is_empty() && !string(f, "to").is_empty());
            }
        }
        let selector = &p["selector"];
        only_known_keys(selector, &["matchLabels", "matchExpressions"], "a selector");
        let mut used = Vec::new();
        if let Some(labels) = selector.get("matchLabels") {
            assert!(
                !map(labels, "matchLabels").is_empty(),
                "`matchLabels` specified but empty"
            );
            used.extend(keys(labels));
        }
        if let Some(exprs) = selector.get("matchExpressions") {
            let exprs = exprs
                .as_sequence()
                .expect("matchExpressions must be a list");
            assert!(!exprs.is_empty(), "`matchExpressions` specified but empty");
            used.extend(exprs.iter().map(|e| string(e, "key").to_string()));
        }
        assert!(!used.is_empty(), "empty selector is not supported");
        assert!(
            used.iter().all(|k| k == "os" || k == "arch"),
            "only os and arch may be selected on: {used:?}"
        );
        selectors.push(serde_yaml::to_string(selector).unwrap());
    }
    let mut unique = selectors.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(
        unique.len(),
        selectors.len(),
        "two platforms have the same selector"
    );
}
