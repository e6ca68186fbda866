//! `oc_complete-3scale_upgrade` through the plugin completion protocol directly (there is no real `oc`
//! here; oc runs `oc_complete-<plugin>` exactly as kubectl runs `kubectl_complete-<plugin>`).

mod common;

use std::time::Duration;

use common::{complete_without_cluster, Cluster, Completed, COMPLETE_THREESCALE_HELPER as HELPER};

const DEFAULT: u32 = 0;
const NO_FILE: u32 = 4;

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
    for sub in ["patch-images", "plan", "status", "completion"] {
        assert!(done.values().contains(&sub), "{sub} missing: {done:?}");
    }
    assert!(
        done.description("patch-images")
            .unwrap()
            .contains("image stream tags"),
        "{done:?}"
    );
    assert_eq!(done.directive, NO_FILE);
    assert_eq!(offline(&["pa"]).values(), ["patch-images"]);
}

#[test]
fn flags_long_and_short_with_help_text() {
    let done = offline(&["patch-images", "--comp"]);
    assert_eq!(done.values(), ["--component"]);
    assert!(done
        .description("--component")
        .unwrap()
        .starts_with("Only these components"));
    let all = offline(&["patch-images", "-"]);
    for flag in [
        "-n",
        "--namespace",
        "--context",
        "--kubeconfig",
        "--db",
        "--from",
        "--to",
        "--component",
        "--registry",
        "--timeout",
        "-y",
        "--yes",
        "--dry-run",
    ] {
        assert!(all.values().contains(&flag), "{flag} missing: {all:?}");
    }
    let status = offline(&["status", "--"]);
    assert!(
        !status.values().contains(&"--db"),
        "status has no --db: {status:?}"
    );
    // --component repeats, so it is offered again; --db does not.
    let again = offline(&["plan", "--component", "amp-system", "--db", "mysql", "--"]);
    assert!(
        again.values().contains(&"--component") && !again.values().contains(&"--db"),
        "{again:?}"
    );
}

#[test]
fn flag_values_from_clap_and_the_release_data() {
    assert_eq!(
        offline(&["plan", "--db", ""]).values(),
        ["oracle", "mysql", "postgresql"]
    );
    assert_eq!(offline(&["plan", "--db=p"]).values(), ["--db=postgresql"]);
    assert_eq!(offline(&["status", "-o", ""]).values(), ["text", "json"]);

    let components = offline(&["patch-images", "--component", ""]);
    for name in upgrade_plugins::threescale::component_names() {
        assert!(
            components.values().contains(&name),
            "{name} missing: {components:?}"
        );
    }
    assert_eq!(
        components.description("amp-system"),
        Some("AMP system 2.10")
    );
    // The guide's section names too, described by the image streams they cover.
    assert_eq!(
        components.description("system"),
        Some("image stream amp-system")
    );
    assert_eq!(
        components.description("redis"),
        Some("image stream backend-redis, system-redis")
    );
    // Comma-separated: the ones already listed stay, and are not offered again.
    let more = offline(&["plan", "--component", "amp-system,amp-"]);
    assert!(more.values().contains(&"amp-system,amp-zync"), "{more:?}");
    assert!(
        !more.values().contains(&"amp-system,amp-system"),
        "{more:?}"
    );

    let pairs = upgrade_plugins::threescale::supported_versions();
    let from = offline(&["plan", "--from", ""]);
    let to = offline(&["plan", "--to="]);
    for (f, t) in pairs {
        assert!(from.values().contains(&f), "{from:?}");
        assert!(
            to.values().contains(&format!("--to={t}").as_str()),
            "{to:?}"
        );
    }
}

#[test]
fn no_files_except_the_kubeconfig() {
    for words in [
        &["plan", ""][..],
        &["plan", "--registry", ""],
        &["plan", "--timeout", ""],
        &["status", "x", ""],
    ] {
        let done = offline(words);
        assert!(done.values().is_empty(), "{words:?}: {done:?}");
        assert_eq!(done.directive, NO_FILE, "{words:?}");
    }
    let kubeconfig = offline(&["status", "--kubeconfig", ""]);
    assert!(kubeconfig.values().is_empty());
    assert_eq!(kubeconfig.directive, DEFAULT, "file names for --kubeconfig");
}

#[test]
fn projects_and_contexts_from_the_cluster_with_the_line_s_flags() {
    let cluster = Cluster::init("3scale", &[]);
    let projects = cluster.complete(HELPER, &["patch-images", "-n", ""]);
    assert!(projects.values().contains(&"3scale"), "{projects:?}");
    assert_eq!(
        cluster
            .complete(HELPER, &["status", "--namespace=3s"])
            .values(),
        ["--namespace=3scale"]
    );
    let contexts = cluster.complete(HELPER, &["status", "--context", ""]);
    assert!(!contexts.values().is_empty(), "{contexts:?}");

    let context = contexts.values()[0].to_string();
    // another kubeconfig file with the same contexts: the real kubectl behind oc must be given it
    let other = cluster.path().join("other-kubeconfig");
    std::fs::copy(cluster.kubeconfig(), &other).unwrap();
    let other = other.to_str().unwrap().to_string();
    cluster.clear_calls();
    cluster.complete(
        HELPER,
        &[
            "plan",
            "--context",
            &context,
            "--kubeconfig",
            &other,
            "-n",
            "",
        ],
    );
    let lines: Vec<String> = cluster.calls().iter().map(|c| c.line()).collect();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].starts_with("oc get projects -o name"), "{lines:?}");
    assert!(
        lines[0].contains(&format!("--context={context}"))
            && lines[0].contains(&format!("--kubeconfig={other}")),
        "{lines:?}"
    );
}

#[test]
fn namespaces_when_projects_are_not_available() {
    let cluster = Cluster::init("3scale", &[]);
    cluster.fault(serde_json::json!({
        "tool": "oc", "args_contain": ["projects"], "action": "fail",
        "stderr": "error: the server doesn't have a resource type \"projects\""
    }));
    let done = cluster.complete(HELPER, &["status", "-n", ""]);
    assert!(done.values().contains(&"3scale"), "{done:?}");
    assert!(done.stderr.is_empty(), "{done:?}");
}

#[test]
fn no_cluster_hanging_cluster_or_no_tools_gives_only_the_directive() {
    let cluster = Cluster::init("3scale", &[]);
    let fake_tools_only = cluster.bin_dir().display().to_string();
    for path in [fake_tools_only.as_str(), ""] {
        for words in [&["status", "-n", ""][..], &["plan", "--context", ""]] {
            let done = complete_without_cluster(HELPER, words, path);
            assert_eq!(
                (done.code, done.candidates.len(), done.directive),
                (0, 0, NO_FILE),
                "{words:?}: {done:?}"
            );
            assert!(done.stderr.is_empty(), "{done:?}");
            assert!(
                done.elapsed < Duration::from_secs(1),
                "{words:?} took {:?}",
                done.elapsed
            );
        }
    }
    // A cluster that does not answer: cut off by the look-up timeout (1.5 s), and not asked again for
    // namespaces after projects timed out.
    cluster.fault(serde_json::json!({"tool": "oc", "args_contain": ["get"], "action": "hang"}));
    let done = cluster.complete(HELPER, &["status", "-n", ""]);
    assert_eq!(
        (done.code, done.candidates.len(), done.directive),
        (0, 0, NO_FILE),
        "{done:?}"
    );
    assert!(
        done.elapsed < Duration::from_millis(2500),
        "took {:?}",
        done.elapsed
    );
}
