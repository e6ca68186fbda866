//! The guide's Oracle path end to end: the system-oracle image built from the operator's directory
//! (`fixtures/system-oracle`, placeholder Instant Client zips) before any tag or trigger, then every DC on
//! its 2.10 tag. The fake OpenShift evaluates the uploaded directory against its Dockerfile, as a build would.

mod common;

use std::path::{Path, PathBuf};

use common::runs::{finish, signal, wait_until};
use common::Cluster;
use serde_json::Value;

const NS: &str = "3scale";
const BC: &str = "3scale-amp-system-oracle";

fn build_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/system-oracle")
}

/// An Oracle 2.9 install with nothing built for 2.10 (the BuildConfig still on 2.9), builds of `build_ms`.
fn oracle_cluster(extra: &[&str], build_ms: u64) -> Cluster {
    let mut args = vec!["--db", "oracle", "--oracle-tag-ready", "false"];
    args.extend(extra);
    let cluster = Cluster::init("3scale", &args);
    let out = std::process::Command::new(common::fakecluster_bin())
        .args(["config", "--dir"])
        .arg(cluster.path())
        .args(["--build-ms", &build_ms.to_string()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    cluster.clear_calls();
    cluster
}

fn builds(cluster: &Cluster) -> Vec<Value> {
    let list = cluster.kubectl_json(&["get", "builds", "-n", NS]);
    list["items"].as_array().cloned().unwrap_or_default()
}

fn system_app_trigger(cluster: &Cluster) -> String {
    let dc = cluster.kubectl_json(&["get", "dc", "system-app", "-n", NS]);
    dc["spec"]["triggers"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|t| t["imageChangeParams"]["from"]["name"].as_str())
        .unwrap()
        .to_string()
}

fn patch_images<'a>(cluster: &'a Cluster, dir: &Path) -> common::Run<'a> {
    cluster.threescale_upgrade().args(&[
        "patch-images",
        "-n",
        NS,
        "--db",
        "oracle",
        "--oracle-build-dir",
        dir.to_str().unwrap(),
        "--yes",
    ])
}

#[test]
fn from_nothing_built_to_every_dc_on_2_10_oracle_then_nothing_to_do() {
    let cluster = oracle_cluster(&[], 800);
    let out = patch_images(&cluster, &build_dir()).expect(0);
    assert!(
        out.stdout
            .contains("Building the system-oracle image (amp-system:2.10-oracle)"),
        "{out:?}"
    );
    assert_eq!(system_app_trigger(&cluster), "amp-system:2.10-oracle");
    // the BuildConfig was brought to 2.10 in one guarded write, then one build
    let writes = cluster.mutating_calls();
    let patch = writes
        .iter()
        .find(|c| c.starts_with(&format!("oc patch bc/{BC}")))
        .expect("the BuildConfig's patch");
    assert!(
        patch.contains(r#""op":"test""#) && patch.contains("system-rhel7:3scale2.10"),
        "{patch}"
    );
    assert_eq!(builds(&cluster).len(), 2, "one new build");
    let again = patch_images(&cluster, &build_dir()).expect(0);
    assert!(again.stdout.contains("Nothing to do"), "{again:?}");
    let only = cluster
        .threescale_upgrade()
        .args(&[
            "build-oracle-image",
            "-n",
            NS,
            "--from-dir",
            build_dir().to_str().unwrap(),
            "--yes",
        ])
        .expect(0);
    assert!(
        only.stdout
            .contains("already built by 3scale-amp-system-oracle-2: nothing to build"),
        "{only:?}"
    );
    assert_eq!(builds(&cluster).len(), 2, "not rebuilt");
    let status = cluster
        .threescale_upgrade()
        .args(&["status", "-n", NS])
        .expect(0);
    assert!(
        status.stdout.contains(
            "BuildConfig 3scale-amp-system-oracle: from registry.redhat.io/3scale-amp2/system-rhel7:3scale2.10, \
             output amp-system:2.10-oracle; last build 3scale-amp-system-oracle-2 Complete"
        ),
        "{status:?}"
    );
}

#[test]
fn a_missing_zip_is_one_line_before_any_change() {
    let cluster = oracle_cluster(&[], 800);
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("oracle-client-files")).unwrap();
    for entry in std::fs::read_dir(build_dir().join("oracle-client-files")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !name.contains("odbc") {
            std::fs::copy(&path, dir.path().join("oracle-client-files").join(&name)).unwrap();
        }
    }
    std::fs::copy(
        build_dir().join("Dockerfile"),
        dir.path().join("Dockerfile"),
    )
    .unwrap();
    let out = patch_images(&cluster, dir.path()).expect(2);
    let lines: Vec<&str> = out
        .stderr
        .lines()
        .filter(|l| l.contains("Instant Client"))
        .collect();
    assert_eq!(lines.len(), 1, "{out:?}");
    assert!(
        lines[0].contains("instantclient-odbc-linux.x64*.zip"),
        "{out:?}"
    );
    cluster.assert_nothing_changed();
}

#[test]
fn a_build_that_fails_in_the_cluster_stops_before_any_trigger_with_its_log() {
    let cluster = oracle_cluster(&[], 400);
    // a mirror the cluster's registry does not know: the build cannot pull its base image
    let out = cluster
        .threescale_upgrade()
        .args(&[
            "patch-images",
            "-n",
            NS,
            "--db",
            "oracle",
            "--registry",
            "mirror.invalid",
            "--oracle-build-dir",
            build_dir().to_str().unwrap(),
            "--yes",
            "--timeout",
            "2m",
        ])
        .expect(1);
    assert!(
        out.stderr
            .contains("build 3scale-amp-system-oracle-2 ended Failed")
            && out.stderr.contains("no trigger was switched")
            && out.stderr.contains("The last lines of its log"),
        "{out:?}"
    );
    assert_eq!(system_app_trigger(&cluster), "amp-system:2.9-oracle");
    assert!(
        !cluster
            .mutating_calls()
            .iter()
            .any(|c| c.starts_with("oc patch is/") || c.starts_with("oc patch dc/")),
        "{:#?}",
        cluster.mutating_calls()
    );
}

#[test]
fn a_kill_during_the_build_then_the_same_command_waits_for_that_build() {
    let cluster = oracle_cluster(&[], 6000);
    let mut run = patch_images(&cluster, &build_dir()).spawn();
    wait_until(&cluster, &mut run, "the build running", |c| {
        builds(c).iter().any(|b| b["status"]["phase"] == "Running")
    });
    signal(&run, "-KILL");
    finish(run);
    let out = patch_images(&cluster, &build_dir()).expect(0);
    assert!(
        out.stderr.contains("build 3scale-amp-system-oracle-2 of 3scale-amp-system-oracle is running: waiting for it"),
        "{out:?}"
    );
    assert_eq!(builds(&cluster).len(), 2, "never doubled");
    assert_eq!(system_app_trigger(&cluster), "amp-system:2.10-oracle");
}

#[test]
fn an_absent_build_config_is_created_from_the_template_and_the_plan_shows_it() {
    let cluster = oracle_cluster(&["--oracle-build", "absent"], 400);
    let plan = cluster
        .threescale_upgrade()
        .args(&[
            "plan",
            "-n",
            NS,
            "--db",
            "oracle",
            "--oracle-build-dir",
            build_dir().to_str().unwrap(),
        ])
        .expect(0);
    assert!(plan.stdout.contains("oc create -n 3scale -f -"), "{plan:?}");
    assert!(
        plan.stdout
            .contains("oc start-build 3scale-amp-system-oracle -n 3scale --from-dir"),
        "{plan:?}"
    );
    cluster.assert_nothing_changed();
    patch_images(&cluster, &build_dir()).expect(0);
    assert_eq!(system_app_trigger(&cluster), "amp-system:2.10-oracle");
}

#[test]
fn ctrl_c_while_following_the_build_stops_following_not_the_build() {
    let cluster = oracle_cluster(&[], 8000);
    let mut run = patch_images(&cluster, &build_dir()).spawn();
    wait_until(&cluster, &mut run, "the build running", |c| {
        builds(c).iter().any(|b| b["status"]["phase"] == "Running")
    });
    // the plugin follows it now: its polls of the build are in the call log
    wait_until(&cluster, &mut run, "the plugin following the build", |c| {
        c.calls()
            .iter()
            .any(|call| call.args.len() > 2 && call.args[0] == "get" && call.args[1] == "build")
    });
    signal(&run, "-INT");
    let out = finish(run);
    assert_eq!(out.code, 130, "{out:?}");
    assert!(
        out.stderr.contains("the build goes on in the cluster: follow it with `oc logs -f build/3scale-amp-system-oracle-2 -n 3scale`, cancel it with `oc cancel-build 3scale-amp-system-oracle-2 -n 3scale`"),
        "{out:?}"
    );
    let build = builds(&cluster)
        .into_iter()
        .find(|b| b["metadata"]["name"] == "3scale-amp-system-oracle-2")
        .unwrap();
    assert_ne!(
        build["status"]["phase"], "Cancelled",
        "nothing in the cluster was cancelled"
    );
    assert_eq!(system_app_trigger(&cluster), "amp-system:2.9-oracle");
}

/// A BuildConfig set up by hand to build from an image stream (a mirror of the base image): whether a tag of
/// it is the guide's base cannot be told, so the preflight refuses, changing nothing, and prints the patch
/// that points it at the image. Run as printed, that patch lets the same command build and switch. (The fake
/// OpenShift resolves an ImageStreamTag `from` as the build generator does: a patched-in registry name
/// would not resolve.)
#[test]
fn a_build_config_from_an_image_stream_is_refused_with_the_patch_that_fixes_it() {
    let cluster = oracle_cluster(&[], 400);
    let mirror = r#"[{"op":"replace","path":"/spec/strategy/dockerStrategy/from",
        "value":{"kind":"ImageStreamTag","name":"system-rhel7-mirror:3scale2.9"}}]"#;
    let bc = format!("bc/{BC}");
    cluster.tool("oc", &["patch", &bc, "-n", NS, "--type=json", "-p", mirror]);
    cluster.clear_calls();
    let out = patch_images(&cluster, &build_dir()).expect(2);
    assert!(
        out.stderr
            .contains(r#"builds from the ImageStreamTag "system-rhel7-mirror:3scale2.9""#),
        "{out:?}"
    );
    cluster.assert_nothing_changed();
    let fix = out
        .stderr
        .lines()
        .find(|l| l.trim_start().starts_with(&format!("oc patch {bc}")))
        .unwrap_or_else(|| panic!("no patch printed: {out:?}"));
    let words = shlex::split(fix.trim()).expect("a shell-quoted command");
    let args: Vec<&str> = words[1..].iter().map(String::as_str).collect();
    cluster.tool("oc", &args);
    patch_images(&cluster, &build_dir()).expect(0);
    assert_eq!(system_app_trigger(&cluster), "amp-system:2.10-oracle");
}
