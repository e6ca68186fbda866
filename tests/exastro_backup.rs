//! `kubectl exastro-upgrade backup` and the backup every `run` takes first: both ENCRYPT_KEYs decoded, the
//! release's values, manifest and history, the replica counts; a private directory; no secret on the terminal.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

use common::Cluster;

const NS: &str = "exastro";

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

fn decoded_key(cluster: &Cluster, secret: &str) -> String {
    let encoded = cluster.tool(
        "kubectl",
        &[
            "get",
            "secret",
            secret,
            "-n",
            NS,
            "-o",
            "jsonpath={.data.ENCRYPT_KEY}",
        ],
    );
    let out = Command::new("base64")
        .arg("-d")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(encoded.as_bytes())?;
            child.wait_with_output()
        })
        .unwrap();
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn backup_writes_private_files_and_prints_no_secret() {
    let cluster = Cluster::exastro(&[]);
    let dir = cluster.path().join("backup-here");
    let out = cluster
        .exastro_upgrade()
        .args(&["backup", "--yes", "--dir", dir.to_str().unwrap()])
        .expect(0);
    assert_eq!(mode(&dir), 0o700);
    for file in [
        "values.yaml",
        "manifest.yaml",
        "history.json",
        "replicas.json",
        "ita-secret-ita-global.ENCRYPT_KEY",
        "platform-secret-pf-global.ENCRYPT_KEY",
    ] {
        assert_eq!(mode(&dir.join(file)), 0o600, "{file}");
        assert!(out.stdout.contains(file), "{file}: {out:?}");
    }
    for secret in ["ita-secret-ita-global", "platform-secret-pf-global"] {
        let key = decoded_key(&cluster, secret);
        assert!(!key.is_empty());
        let saved = std::fs::read_to_string(dir.join(format!("{secret}.ENCRYPT_KEY"))).unwrap();
        assert_eq!(saved, key, "the decoded key of {secret}");
        assert!(
            !out.stdout.contains(&key) && !out.stderr.contains(&key),
            "a key on the terminal: {out:?}"
        );
    }
    let values = std::fs::read_to_string(dir.join("values.yaml")).unwrap();
    let current = cluster.tool(
        "helm",
        &["get", "values", "exastro", "-n", NS, "-o", "yaml"],
    );
    assert_eq!(values, current);
    let counts: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("replicas.json")).unwrap()).unwrap();
    assert!(counts
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["name"] == "platform-auth"));
}

#[test]
fn backup_speaks_json_and_needs_yes_without_a_terminal() {
    let cluster = Cluster::exastro(&[]);
    let dir = cluster.path().join("b");
    let refused = cluster
        .exastro_upgrade()
        .args(&["backup", "--dir", dir.to_str().unwrap()])
        .expect(2);
    assert!(!dir.exists(), "nothing written without the confirmation");
    // a backup changes nothing in the cluster: the refusal says what it did not do
    assert!(
        refused
            .stderr
            .contains("refusing to write the release's values and both ENCRYPT_KEYs")
            && refused.stderr.contains("Nothing was written")
            && !refused.stderr.contains("change the cluster"),
        "{refused:?}"
    );
    let json = cluster
        .exastro_upgrade()
        .args(&[
            "backup",
            "--yes",
            "-o",
            "json",
            "--dir",
            dir.to_str().unwrap(),
        ])
        .expect(0)
        .json();
    assert_eq!(json["status"], "backed-up");
    assert_eq!(json["files"].as_array().unwrap().len(), 6, "{json}");
}

#[test]
fn run_takes_a_backup_first_and_says_where() {
    let cluster = Cluster::exastro(&[]);
    let dir = cluster.path().join("before-upgrade");
    let out = cluster
        .exastro_upgrade()
        .args(&["run", "--yes", "--backup-dir", dir.to_str().unwrap()])
        .expect(0);
    assert!(
        out.stderr
            .contains(&format!("written to {}", dir.display())),
        "{out:?}"
    );
    assert!(dir.join("ita-secret-ita-global.ENCRYPT_KEY").exists());
    // By default, under the state directory of the user running it.
    let other = Cluster::exastro(&[]);
    let out = other.exastro_upgrade().args(&["run", "--yes"]).expect(0);
    let backups = other.home().join(".local/state/upgrade-plugins/backups");
    let taken: Vec<_> = std::fs::read_dir(&backups)
        .unwrap_or_else(|e| panic!("{}: {e}\n{out:?}", backups.display()))
        .collect();
    assert_eq!(taken.len(), 1, "{out:?}");
    assert!(
        out.stderr.contains(&backups.display().to_string()),
        "{out:?}"
    );
}

fn backups_in(cluster: &Cluster) -> Vec<String> {
    let root = cluster.home().join(".local/state/upgrade-plugins/backups");
    let mut names: Vec<String> = std::fs::read_dir(&root)
        .map(|entries| {
            entries
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn declined_and_refused_runs_write_no_backup() {
    let cluster = Cluster::exastro(&[]);
    // no terminal and no --yes: declined before any change
    cluster.exastro_upgrade().args(&["run"]).expect(2);
    // refused by the preflight (a values file that drops the release's settings)
    std::fs::write(cluster.path().join("empty.yaml"), "").unwrap();
    cluster
        .exastro_upgrade()
        .args(&["run", "--yes", "-f", "empty.yaml"])
        .expect(2);
    // a plan and a dry run change nothing either
    cluster.exastro_upgrade().args(&["plan"]).expect(0);
    cluster
        .exastro_upgrade()
        .args(&["run", "--dry-run"])
        .expect(0);
    assert_eq!(backups_in(&cluster), Vec::<String>::new());
}

#[test]
fn old_backups_are_pruned_per_namespace_and_release_and_the_removal_is_said() {
    let cluster = Cluster::exastro(&[]);
    // another release's backup in the same directory is never touched
    let root = cluster.home().join(".local/state/upgrade-plugins/backups");
    std::fs::create_dir_all(root.join("exastro__other__2020-01-01T000000.000Z")).unwrap();
    for _ in 0..4 {
        cluster
            .exastro_upgrade()
            .args(&["backup", "--yes", "--keep-backups", "2"])
            .expect(0);
    }
    let left = backups_in(&cluster);
    assert_eq!(left.len(), 3, "{left:?}");
    assert!(left.contains(&"exastro__other__2020-01-01T000000.000Z".to_string()));
    let before = backups_in(&cluster);
    let out = cluster
        .exastro_upgrade()
        .args(&["backup", "--yes", "--keep-backups", "2"])
        .expect(0);
    let after = backups_in(&cluster);
    let oldest = before
        .iter()
        .find(|n| n.starts_with("exastro__exastro__"))
        .unwrap();
    assert!(!after.contains(oldest), "the oldest went: {after:?}");
    assert!(
        out.stderr
            .contains("removed 1 older backup(s) of exastro/exastro (--keep-backups 2)")
            && out.stderr.contains(oldest.as_str()),
        "{out:?}"
    );
    // the default keeps 5
    let run = cluster.exastro_upgrade().args(&["run", "--yes"]).expect(0);
    assert_eq!(backups_in(&cluster).len(), 4, "{run:?}");
    let zero = cluster
        .exastro_upgrade()
        .args(&["backup", "--yes", "--keep-backups", "0"])
        .expect(2);
    assert!(zero.stderr.contains("--keep-backups"), "{zero:?}");
}
