//! What a person sees when the cluster cannot be used or the input is wrong: one line that names the
//! cause and what to fix, exit 2, nothing changed, and no retry storm first. Both plugins, through the
//! real kubectl and the fake API server.

mod common;

use common::Cluster;
use serde_json::json;

/// A kubeconfig like the cluster's but pointing at a closed port: connection refused.
fn dead_kubeconfig(cluster: &Cluster) -> std::path::PathBuf {
    let text = std::fs::read_to_string(cluster.kubeconfig()).unwrap();
    let start = text.find("http://127.0.0.1:").unwrap() + "http://127.0.0.1:".len();
    let end = start + text[start..].find(|c: char| !c.is_ascii_digit()).unwrap();
    let dead = format!("{}9{}", &text[..start], &text[end..]);
    let path = cluster.path().join("kubeconfig-dead");
    std::fs::write(&path, dead).unwrap();
    path
}

/// The error lines of stderr (the preflight prints its problems as "  - ...").
fn problem_lines(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| l.starts_with("error:") || l.starts_with("  - "))
        .collect()
}

#[test]
fn an_unreachable_cluster_is_one_line_without_retries_for_run_and_status() {
    let cluster = Cluster::exastro(&[]);
    let dead = dead_kubeconfig(&cluster);
    for args in [&["run", "--yes"][..], &["status"], &["plan"]] {
        let out = cluster
            .exastro_upgrade()
            .args(args)
            .env("KUBECONFIG", &dead)
            .expect(2);
        assert!(
            out.stderr.contains(
                "cannot reach the cluster at http://127.0.0.1:9: connection refused; check that the API server is up"
            ),
            "{args:?}: {out:?}"
        );
        assert!(!out.stderr.contains("retrying"), "{args:?}: {out:?}");
        assert!(!out.stderr.contains("--- stderr"), "{args:?}: {out:?}");
        assert_eq!(
            out.stderr.matches(" was changed").count(),
            usize::from(args[0] != "status"),
            "said once: {args:?}: {out:?}"
        );
    }
    // a machine reading the failure learns which context it was about, from the kubeconfig
    let json = cluster
        .exastro_upgrade()
        .args(&["run", "--yes", "-o", "json"])
        .env("KUBECONFIG", &dead)
        .expect(2)
        .json();
    assert_eq!(json["context"], "kubernetes-admin@kubernetes", "{json}");
    cluster.assert_nothing_changed();
}

#[test]
fn a_missing_kubeconfig_is_known_before_any_call() {
    let cluster = Cluster::exastro(&[]);
    let missing = cluster.path().join("no-such-kubeconfig");
    let out = cluster
        .exastro_upgrade()
        .args(&["run", "--yes"])
        .env("KUBECONFIG", &missing)
        .expect(2);
    let line = format!(
        "no kubeconfig: KUBECONFIG={} names no existing file; log in to the cluster first",
        missing.display()
    );
    assert!(out.stderr.contains(&line), "{out:?}");
    assert!(!out.stderr.contains("no kube context"), "{out:?}");
    let kubectl_calls: Vec<_> = cluster
        .calls()
        .into_iter()
        .filter(|c| c.tool == "kubectl" && !c.args.contains(&"version".to_string()))
        .collect();
    assert!(kubectl_calls.is_empty(), "{kubectl_calls:#?}");

    // Without KUBECONFIG, kubectl's default place is named (a home without ~/.kube).
    let empty_home = cluster.path().join("empty-home");
    std::fs::create_dir_all(&empty_home).unwrap();
    let out = cluster
        .exastro_upgrade()
        .args(&["status"])
        .env_remove("KUBECONFIG")
        .env("HOME", &empty_home)
        .expect(2);
    assert!(
        out.stderr
            .contains("no kubeconfig: KUBECONFIG is not set and")
            && out.stderr.contains(".kube/config does not exist"),
        "{out:?}"
    );

    // The same for the 3scale plugin.
    let threescale = Cluster::init("3scale", &[]);
    let out = threescale
        .threescale_upgrade()
        .args(&["status"])
        .env("KUBECONFIG", &missing)
        .expect(2);
    assert!(out.stderr.contains("no kubeconfig: KUBECONFIG="), "{out:?}");
}

#[test]
fn an_unreadable_kubeconfig_is_named() {
    let cluster = Cluster::exastro(&[]);
    let broken = cluster.path().join("kubeconfig-broken");
    std::fs::write(&broken, "{ not: [yaml").unwrap();
    let out = cluster
        .exastro_upgrade()
        .args(&["status"])
        .env("KUBECONFIG", &broken)
        .expect(2);
    assert!(
        out.stderr
            .starts_with("error: the kubeconfig cannot be read: error: error loading config file"),
        "{out:?}"
    );
}

#[test]
fn an_unknown_context_and_a_wrong_namespace_name_the_flag_to_fix() {
    let cluster = Cluster::exastro(&[]);
    let out = cluster
        .exastro_upgrade()
        .args(&["run", "--yes", "--context", "nosuch"])
        .expect(2);
    assert_eq!(
        problem_lines(&out.stderr)[1],
        "  - context \"nosuch\" is not in the kubeconfig: check --context (`kubectl config get-contexts` lists them)",
        "{out:?}"
    );

    let out = cluster
        .exastro_upgrade()
        .args(&["status", "-n", "nosuch"])
        .expect(2);
    assert!(
        out.stderr
            .starts_with("error: namespace \"nosuch\" not found in context"),
        "{out:?}"
    );
    assert!(out.stdout.is_empty(), "{out:?}");
    let out = cluster
        .exastro_upgrade()
        .args(&["status", "-n", "default", "-o", "json"])
        .expect(2);
    assert!(
        out.stderr.contains(
            "helm release \"exastro\" not found in namespace \"default\": check --release and -n"
        ),
        "{out:?}"
    );
    assert!(
        out.stdout.is_empty(),
        "no JSON document for a release that is not there: {out:?}"
    );
}

#[test]
fn a_silent_api_server_is_named_after_the_probe_timeout() {
    let cluster = Cluster::exastro(&[]);
    cluster.api_fault(
        json!({"method": "GET", "path_contains": "/api/v1/namespaces/exastro", "hang_ms": 60000}),
    );
    let out = cluster.exastro_upgrade().args(&["status"]).expect(2);
    assert!(
        out.stderr
            .contains("did not answer within 5s; check the network"),
        "{out:?}"
    );
    assert_eq!(problem_lines(&out.stderr).len(), 1, "{out:?}");
}

#[test]
fn a_timeout_shorter_than_a_call_is_refused_as_an_argument() {
    let cluster = Cluster::exastro(&[]);
    let out = cluster
        .exastro_upgrade()
        .args(&["run", "--yes", "--timeout", "1ms"])
        .expect(2);
    assert!(
        out.stderr.contains("invalid value '1ms' for '--timeout <DURATION>': 1ms is shorter than one call to the cluster takes"),
        "{out:?}"
    );
    assert!(!out.stderr.contains("kube context"), "{out:?}");
    assert!(!out.stderr.contains("helm repo add"), "{out:?}");
    assert!(cluster.calls().is_empty(), "{:#?}", cluster.calls());
}

#[test]
fn a_project_without_3scale_is_said_once_by_status_plan_and_patch_images() {
    let cluster = Cluster::init("3scale", &[]);
    for args in [
        &["status", "-n", "default"][..],
        &["plan", "-n", "default"],
        &["patch-images", "--yes", "-n", "default"],
    ] {
        let out = cluster.threescale_upgrade().args(args).expect(2);
        let problems = problem_lines(&out.stderr);
        assert!(
            out.stderr
                .contains("no 3scale installation in project \"default\""),
            "{args:?}: {out:?}"
        );
        assert!(
            !out.stderr.contains("not found in project"),
            "{args:?}: {out:?}"
        );
        assert!(problems.len() <= 2, "{args:?}: {out:?}");
    }
    let out = cluster
        .threescale_upgrade()
        .args(&["status", "-n", "nosuch"])
        .expect(2);
    assert!(
        out.stderr
            .starts_with("error: project \"nosuch\" not found or not visible in context"),
        "{out:?}"
    );
    cluster.assert_nothing_changed();
}

#[test]
fn a_wrong_db_is_one_problem_not_a_cascade() {
    let cluster = Cluster::init("3scale", &[]);
    let out = cluster
        .threescale_upgrade()
        .args(&["plan", "--db", "oracle"])
        .expect(2);
    let problems = problem_lines(&out.stderr);
    assert_eq!(problems.len(), 2, "{out:?}");
    assert!(
        problems[1].starts_with("  - --db oracle contradicts the project: the database is mysql"),
        "{out:?}"
    );
}

#[test]
fn an_unreachable_openshift_cluster_is_one_line_too() {
    let cluster = Cluster::init("3scale", &[]);
    let dead = dead_kubeconfig(&cluster);
    let out = cluster
        .threescale_upgrade()
        .args(&["patch-images", "--yes", "-n", "3scale"])
        .env("KUBECONFIG", &dead)
        .expect(2);
    assert!(
        out.stderr.starts_with(
            "error: cannot reach the cluster at http://127.0.0.1:9: connection refused"
        ),
        "{out:?}"
    );
    assert_eq!(out.stderr.lines().count(), 1, "{out:?}");
}

#[test]
fn a_failed_release_gets_the_rollback_command_not_a_history_dump() {
    let cluster = Cluster::exastro(&[]);
    // Revision 2 failed (helm upgrade failed on its own); revision 1 was deployed.
    cluster.leave_release_in("exastro", "failed");
    let out = cluster.exastro_upgrade().args(&["run", "--yes"]).expect(2);
    let problems = problem_lines(&out.stderr);
    assert!(
        problems[1].starts_with(
            "  - release \"exastro\" is failed (revision 2): the last helm operation on it failed"
        ),
        "{out:?}"
    );
    assert!(
        out.stderr
            .contains("\n    helm rollback exastro 1 -n exastro\n"),
        "{out:?}"
    );
    assert!(!out.stderr.contains("-o json"), "{out:?}");
    cluster.assert_nothing_changed();
}

#[test]
fn help_shows_only_what_applies_to_each_command() {
    let cluster = Cluster::exastro(&[]);
    let out = cluster
        .exastro_upgrade()
        .args(&["values-diff", "--help"])
        .expect(0);
    for flag in ["--values", "--version", "--chart", "--release"] {
        assert!(out.stdout.contains(flag), "{flag}: {out:?}");
    }
    for flag in [
        "--stop",
        "--timeout",
        "--backup-dir",
        "--accept-dropped-values",
        "--yes",
    ] {
        assert!(
            !out.stdout.contains(flag),
            "values-diff does nothing with {flag}: {out:?}"
        );
    }
    // The exit codes, one per line, including the bug code.
    let out = cluster.exastro_upgrade().args(&["--help"]).expect(0);
    for code in ["0 ", "1 ", "2 ", "3 ", "4 ", "130 "] {
        assert!(
            out.stdout.contains(&format!("\n  {code}")),
            "exit code {code}: {out:?}"
        );
    }
    // The OpenShift plugin runs no helm: its help does not mention it.
    let threescale = Cluster::init("3scale", &[]);
    for args in [
        &["--help"][..],
        &["patch-images", "--help"],
        &["status", "--help"],
    ] {
        let out = threescale.threescale_upgrade().args(args).expect(0);
        assert!(!out.stdout.contains("helm"), "{args:?}: {out:?}");
        if args.len() > 1 {
            assert!(out.stdout.contains("--context"), "{args:?}: {out:?}");
        }
    }
}
