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
    cluster
        .exastro_upgrade()
        .args(&["backup", "--dir", dir.to_str().unwrap()])
        .expect(2);
    assert!(!dir.exists(), "nothing written without the confirmation");
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
