//! The values guard: `helm upgrade -f FILE` replaces every value the release was given, so a values file
//! that lacks any of them (empty, comments only, another product's, one key short) is refused before
//! anything changes, with the command that recovers the file; `--accept-dropped-values` is the override.

mod common;

use common::Cluster;
use serde_json::Value;

const NS: &str = "exastro";

fn release_values(cluster: &Cluster) -> Value {
    serde_json::from_str(&cluster.tool(
        "helm",
        &["get", "values", "exastro", "-n", NS, "-o", "json"],
    ))
    .unwrap()
}

fn refused_with(file_text: &str) -> common::Outcome {
    let cluster = Cluster::exastro(&[]);
    let before = cluster.replicas(NS);
    std::fs::write(cluster.path().join("other.yaml"), file_text).unwrap();
    cluster.clear_calls();
    let out = cluster
        .exastro_upgrade()
        .args(&["run", "--yes", "-f", "other.yaml"])
        .expect(2);
    assert!(out.stderr.contains("not in other.yaml"), "{out:?}");
    assert!(
        out.stderr.contains(
            "helm get values exastro -n exastro -o yaml > exastro-from-release.yaml\n    \
             diff -u other.yaml exastro-from-release.yaml"
        ),
        "the recovery command writes a new file, never the user's: {out:?}"
    );
    assert!(!out.stderr.contains("> other.yaml"), "{out:?}");
    assert!(out.stderr.contains("--accept-dropped-values"), "{out:?}");
    cluster.assert_nothing_changed();
    assert_eq!(cluster.replicas(NS), before);
    assert!(
        release_values(&cluster).is_object(),
        "the release keeps its values"
    );
    out
}

#[test]
fn an_empty_values_file_is_refused() {
    refused_with("");
}

#[test]
fn a_comment_only_values_file_is_refused() {
    refused_with("# exastro values\n# (nothing set yet)\n");
}

#[test]
fn another_products_values_file_is_refused() {
    refused_with("foo: bar\n");
}

#[test]
fn a_file_one_key_short_is_refused_naming_that_key() {
    let cluster = Cluster::exastro(&[]);
    let file = cluster.path().join("exastro.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    let mut values: serde_yaml::Mapping = serde_yaml::from_str(&text).unwrap();
    // Drop one leaf the release has: the first top-level key's first leaf.
    let current = release_values(&cluster);
    let (top, inner) = current.as_object().unwrap().iter().next().unwrap();
    let dropped = match inner.as_object().and_then(|m| m.keys().next()) {
        Some(child) => {
            values
                .get_mut(serde_yaml::Value::String(top.clone()))
                .and_then(serde_yaml::Value::as_mapping_mut)
                .unwrap()
                .remove(serde_yaml::Value::String(child.clone()));
            format!("{top}.{child}")
        }
        None => {
            values.remove(serde_yaml::Value::String(top.clone()));
            top.clone()
        }
    };
    std::fs::write(&file, serde_yaml::to_string(&values).unwrap()).unwrap();
    cluster.clear_calls();
    let out = cluster.exastro_upgrade().args(&["run", "--yes"]).expect(2);
    cluster.assert_nothing_changed();
    // values-diff shows the same comparison; JSON for machines: exactly the leaves under what was removed.
    let json = cluster
        .exastro_upgrade()
        .args(&["values-diff", "-o", "json"])
        .expect(0)
        .json();
    let keys: Vec<&str> = json["dropped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_str().unwrap())
        .collect();
    assert!(!keys.is_empty(), "{json}");
    assert!(
        keys.iter()
            .all(|k| *k == dropped || k.starts_with(&format!("{dropped}."))),
        "{dropped}: {keys:?}"
    );
    assert!(
        out.stderr.contains(keys[0]),
        "the refusal names {}: {out:?}",
        keys[0]
    );
    let diff = cluster.exastro_upgrade().args(&["values-diff"]).expect(0);
    assert!(
        diff.stdout.contains(&format!("  - {}", keys[0])),
        "{diff:?}"
    );
}

#[test]
fn the_printed_recovery_command_gives_a_file_that_passes() {
    let cluster = Cluster::exastro(&[]);
    std::fs::write(cluster.path().join("exastro.yaml"), "").unwrap();
    let refused = cluster.exastro_upgrade().args(&["plan"]).expect(2);
    // The printed command, run as printed: `helm get values ... > exastro-from-release.yaml`
    let line = refused
        .stderr
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with("helm get values"))
        .unwrap_or_else(|| panic!("no recovery command: {refused:?}"));
    let (command, file) = line.split_once(" > ").unwrap();
    assert_eq!(file, "exastro-from-release.yaml", "{refused:?}");
    let words = shlex::split(command).unwrap();
    let recovered = cluster.tool(
        "helm",
        &words[1..].iter().map(String::as_str).collect::<Vec<_>>(),
    );
    std::fs::write(cluster.path().join(file), recovered).unwrap();
    assert_eq!(
        std::fs::read_to_string(cluster.path().join("exastro.yaml")).unwrap(),
        "",
        "the user's file is untouched"
    );
    let plan = cluster
        .exastro_upgrade()
        .args(&["plan", "-f", file])
        .expect(0);
    assert!(
        plan.stdout.contains(&format!(
            "Every setting the release has now is also in {file}"
        )),
        "{plan:?}"
    );
}

#[test]
fn accept_dropped_values_is_the_explicit_override() {
    let cluster = Cluster::exastro(&[]);
    std::fs::write(cluster.path().join("empty.yaml"), "").unwrap();
    let out = cluster
        .exastro_upgrade()
        .args(&[
            "run",
            "--yes",
            "-f",
            "empty.yaml",
            "--accept-dropped-values",
        ])
        .expect(0);
    assert!(
        out.stderr.contains("--accept-dropped-values: ")
            && out.stderr.contains("they go back to the chart's defaults"),
        "{out:?}"
    );
}
