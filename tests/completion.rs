//! `kubectl_complete-exastro_upgrade`, spoken to through kubectl's plugin completion protocol the way
//! kubectl calls it: the words after the plugin name, the last one being the word under the cursor.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::time::Duration;

use common::{complete_without_cluster, Cluster, Completed, COMPLETE_EXASTRO_HELPER as HELPER};

const NO_FILE: u32 = 4;
const FILTER_EXT: u32 = 8;
const KEEP_ORDER: u32 = 32;

/// Completion that needs no look-up: run with an empty PATH so nothing could be looked up anyway.
fn offline(words: &[&str]) -> Completed {
    let done = complete_without_cluster(HELPER, words, "");
    assert_eq!(done.code, 0, "{done:?}");
    assert!(
        done.stderr.is_empty(),
        "the helper must not write to stderr: {done:?}"
    );
    done
}

#[test]
fn subcommands_with_descriptions() {
    let done = offline(&[""]);
    for sub in [
        "run",
        "plan",
        "values-diff",
        "status",
        "restore",
        "completion",
    ] {
        assert!(done.values().contains(&sub), "{sub} missing: {done:?}");
    }
    assert_eq!(
        done.description("run"),
        Some("Run the whole upgrade runbook (asks before changing anything)")
    );
    assert_eq!(done.directive, NO_FILE);
    assert_eq!(offline(&["va"]).values(), ["values-diff"]);
    assert_eq!(offline(&["help", "st"]).values(), ["status"]);
}

#[test]
fn flags_long_and_short_with_help_text() {
    let done = offline(&["run", "--na"]);
    assert_eq!(done.values(), ["--namespace"]);
    assert_eq!(
        done.description("--namespace"),
        Some("Namespace of the release")
    );
    assert_eq!(done.directive, NO_FILE);

    let all = offline(&["run", "-"]);
    for flag in [
        "-n",
        "--namespace",
        "--release",
        "--context",
        "--kubeconfig",
        "-f",
        "--values",
        "--version",
        "--chart",
        "--stop",
        "--timeout",
        "-y",
        "--yes",
        "--dry-run",
        "-o",
        "--output",
        "-h",
        "--help",
    ] {
        assert!(all.values().contains(&flag), "{flag} missing: {all:?}");
    }
    assert!(offline(&["run", "--"])
        .values()
        .iter()
        .all(|f| f.starts_with("--")));
    // Given once, not offered again.
    let again = offline(&["run", "--stop", "all", "--st"]);
    assert!(again.values().is_empty(), "{again:?}");
    // Only the options of that subcommand.
    let status = offline(&["status", "-"]);
    assert!(!status.values().contains(&"--values") && status.values().contains(&"--chart"));
}

#[test]
fn flag_values_from_the_clap_definition() {
    let done = offline(&["run", "--stop", ""]);
    assert_eq!(done.values(), ["backyard", "all"]);
    assert!(done.description("all").unwrap().contains("StatefulSet"));
    assert_eq!(offline(&["run", "--stop", "b"]).values(), ["backyard"]);
    assert_eq!(
        offline(&["plan", "--stop="]).values(),
        ["--stop=backyard", "--stop=all"]
    );
    assert_eq!(offline(&["status", "-o", "j"]).values(), ["json"]);
    assert_eq!(
        offline(&["completion", ""]).values(),
        ["bash", "elvish", "fish", "powershell", "zsh"]
    );
}

#[test]
fn yaml_files_only_for_values_and_no_files_elsewhere() {
    for words in [
        &["run", "-f", ""][..],
        &["plan", "--values", "ex"],
        &["values-diff", "--values="],
    ] {
        let done = offline(words);
        assert_eq!(done.values(), ["yaml", "yml"], "{words:?}");
        assert_eq!(done.directive, FILTER_EXT, "{words:?}");
    }
    for words in [
        &["run", ""][..],
        &["run", "--timeout", ""],
        &["completion", "bash", ""],
        &["nope", ""],
    ] {
        let done = offline(words);
        assert!(done.values().is_empty(), "{words:?}: {done:?}");
        assert_eq!(done.directive, NO_FILE, "{words:?}");
    }
}

#[test]
fn namespaces_releases_versions_and_contexts_from_the_cluster() {
    let cluster = Cluster::exastro(&[]);
    let ns = cluster.complete(HELPER, &["run", "-n", ""]);
    assert!(
        ns.values().contains(&"exastro") && ns.values().contains(&"default"),
        "{ns:?}"
    );
    assert_eq!(ns.directive, NO_FILE);
    assert_eq!(
        cluster
            .complete(HELPER, &["status", "--namespace=exa"])
            .values(),
        ["--namespace=exastro"]
    );

    let releases = cluster.complete(HELPER, &["run", "--release", ""]);
    assert!(releases.values().contains(&"exastro"), "{releases:?}");
    // The -n already typed is honoured: no release lives in `default`.
    let none = cluster.complete(HELPER, &["run", "-n", "default", "--release", ""]);
    assert!(none.values().is_empty(), "{none:?}");

    let versions = cluster.complete(HELPER, &["run", "--version", ""]);
    assert_eq!(
        versions.values(),
        ["1.0.1", "1.0.0"],
        "newest first: {versions:?}"
    );
    assert_eq!(versions.directive, NO_FILE | KEEP_ORDER);
    assert!(
        versions.description("1.0.1").unwrap().starts_with("app "),
        "{versions:?}"
    );
    assert_eq!(
        cluster
            .complete(HELPER, &["plan", "--version=1.0.0"])
            .values(),
        ["--version=1.0.0"]
    );

    let charts = cluster.complete(HELPER, &["run", "--chart", "exastro/exa"]);
    assert!(charts.values().contains(&"exastro/exastro"), "{charts:?}");

    let contexts = cluster.complete(HELPER, &["run", "--context", ""]);
    assert!(!contexts.values().is_empty(), "{contexts:?}");
}

#[test]
fn chart_versions_honour_the_chart_on_the_line() {
    let cluster = Cluster::exastro(&[]);
    cluster.clear_calls();
    let default_chart = cluster.complete(HELPER, &["run", "--version", ""]);
    let other = cluster.complete(
        HELPER,
        &[
            "run",
            "--chart",
            "exastro/exastro-platform",
            "--version",
            "",
        ],
    );
    let searched: Vec<String> = cluster
        .calls()
        .into_iter()
        .filter(|c| c.tool == "helm" && c.args.first().map(String::as_str) == Some("search"))
        .map(|c| c.args[2].clone())
        .collect();
    assert_eq!(searched, ["exastro/exastro", "exastro/exastro-platform"]);
    assert_ne!(default_chart.values(), other.values(), "{other:?}");
    let unknown = cluster.complete(HELPER, &["run", "--chart", "nosuch/chart", "--version", ""]);
    assert!(unknown.values().is_empty(), "{unknown:?}");
}

#[test]
fn context_kubeconfig_and_namespace_on_the_line_reach_the_look_ups() {
    let cluster = Cluster::exastro(&[]);
    let contexts = cluster.complete(HELPER, &["run", "--context", ""]);
    let context = contexts.values()[0].to_string();
    cluster.clear_calls();
    cluster.complete(
        HELPER,
        &[
            "run",
            "--context",
            &context,
            "-n",
            "exastro",
            "--release",
            "",
        ],
    );
    cluster.complete(
        HELPER,
        &[
            "run",
            "--context",
            &context,
            "--kubeconfig=/nowhere",
            "-n",
            "",
        ],
    );
    cluster.complete(
        HELPER,
        &["run", "--kubeconfig", "/nowhere", "--context", ""],
    );
    let lines: Vec<String> = cluster.calls().iter().map(|c| c.line()).collect();
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert!(lines[0].starts_with("helm list -q -n exastro"), "{lines:?}");
    assert!(
        lines[0].contains(&format!("--kube-context={context}")),
        "{lines:?}"
    );
    assert!(
        lines[1].starts_with("kubectl get namespaces -o name"),
        "{lines:?}"
    );
    assert!(
        lines[1].contains(&format!("--context={context}"))
            && lines[1].contains("--kubeconfig=/nowhere"),
        "{lines:?}"
    );
    assert!(
        lines[2].starts_with("kubectl config get-contexts -o name --kubeconfig=/nowhere"),
        "{lines:?}"
    );
    // Completion never changes anything.
    cluster.assert_nothing_changed();
}

/// With no cluster (fake tools on PATH but no FAKE_CLUSTER_DIR) or no tools at all (empty PATH), every
/// dynamic value is silently empty: only the directive, exit 0, nothing on stderr, and fast.
#[test]
fn no_cluster_or_no_tools_gives_only_the_directive_quickly() {
    let cluster = Cluster::exastro(&[]);
    let fake_tools_only = cluster.bin_dir().display().to_string();
    let cases: [&[&str]; 6] = [
        &["run", "-n", ""],
        &["run", "--release", ""],
        &["run", "--version", ""],
        &["run", "--chart", ""],
        &["run", "--context", ""],
        &["status", "--namespace=", ""],
    ];
    for path in [fake_tools_only.as_str(), ""] {
        for words in cases {
            let done = complete_without_cluster(HELPER, words, path);
            assert_eq!(done.code, 0, "{words:?} PATH={path:?}: {done:?}");
            assert!(
                done.candidates.is_empty(),
                "{words:?} PATH={path:?}: {done:?}"
            );
            assert_eq!(done.directive, NO_FILE, "{words:?}");
            assert!(done.stderr.is_empty(), "{words:?}: {done:?}");
            assert!(
                done.elapsed < Duration::from_secs(1),
                "{words:?} PATH={path:?} took {:?}",
                done.elapsed
            );
        }
    }
}

/// A hanging tool is cut off by the look-up timeout: the user waits at most ~1.5 s, then gets nothing.
#[test]
fn a_hanging_cluster_is_cut_off() {
    let dir = tempfile::tempdir().unwrap();
    let kubectl = dir.path().join("kubectl");
    std::fs::write(&kubectl, "#!/bin/sh\nexec sleep 30\n").unwrap();
    std::fs::set_permissions(&kubectl, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!("{}:/usr/bin:/bin", dir.path().display());
    let done = complete_without_cluster(HELPER, &["run", "-n", ""], &path);
    assert!(done.candidates.is_empty(), "{done:?}");
    assert_eq!(done.code, 0);
    assert!(
        done.elapsed < Duration::from_secs(3),
        "took {:?}",
        done.elapsed
    );
}
