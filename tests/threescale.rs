//! End-to-end tests of `oc 3scale-upgrade` through the built binary against the fake cluster
//! (`fakecluster init 3scale`): exact oc call sequences, idempotence, every refusal with nothing changed,
//! failures after changes began with the commands that switch things back.

mod common;

use std::time::{Duration, Instant};

use common::{Call, Cluster};
use serde_json::{json, Value};

const NS: &str = "3scale";

/// One row: image stream, its 2.10 image, DC -> containers.
type Row = (
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
);

/// The guide's table, written out independently of the plugin's release data.
const TABLE: &[Row] = &[
    (
        "amp-system",
        "registry.redhat.io/3scale-amp2/system-rhel7:3scale2.10",
        &[
            (
                "system-app",
                "system-master,system-developer,system-provider",
            ),
            ("system-sidekiq", "system-sidekiq,check-svc"),
            ("system-sphinx", "system-sphinx,system-master-svc"),
        ],
    ),
    (
        "amp-apicast",
        "registry.redhat.io/3scale-amp2/apicast-gateway-rhel8:3scale2.10",
        &[
            ("apicast-staging", "apicast-staging"),
            ("apicast-production", "apicast-production,system-master-svc"),
        ],
    ),
    (
        "amp-backend",
        "registry.redhat.io/3scale-amp2/backend-rhel7:3scale2.10",
        &[
            ("backend-listener", "backend-listener"),
            ("backend-worker", "backend-worker,backend-redis-svc"),
            ("backend-cron", "backend-cron,backend-redis-svc"),
        ],
    ),
    (
        "amp-zync",
        "registry.redhat.io/3scale-amp2/zync-rhel7:3scale2.10",
        &[("zync", "zync,zync-db-svc"), ("zync-que", "que")],
    ),
    (
        "system-memcached",
        "registry.redhat.io/3scale-amp2/memcached-rhel7:3scale2.10",
        &[("system-memcache", "memcache")],
    ),
    (
        "zync-database-postgresql",
        "registry.redhat.io/rhscl/postgresql-10-rhel7",
        &[("zync-database", "postgresql")],
    ),
    (
        "backend-redis",
        "registry.redhat.io/rhscl/redis-32-rhel7:3.2",
        &[("backend-redis", "backend-redis")],
    ),
    (
        "system-redis",
        "registry.redhat.io/rhscl/redis-32-rhel7:3.2",
        &[("system-redis", "system-redis")],
    ),
    (
        "system-mysql",
        "registry.redhat.io/rhscl/mysql-57-rhel7:5.7",
        &[("system-mysql", "system-mysql")],
    ),
    (
        "system-postgresql",
        "registry.redhat.io/rhscl/postgresql-10-rhel7",
        &[("system-postgresql", "system-postgresql")],
    ),
];

const DISPLAY: &[(&str, &str)] = &[
    ("amp-system", "AMP system 2.10"),
    ("amp-apicast", "AMP APIcast 2.10"),
    ("amp-backend", "AMP Backend 2.10"),
    ("amp-zync", "AMP Zync 2.10"),
    ("system-memcached", "System 2.10 Memcached"),
    ("zync-database-postgresql", "Zync 2.10 PostgreSQL"),
    ("backend-redis", "Backend 2.10 Redis"),
    ("system-redis", "System 2.10 Redis"),
    ("system-mysql", "System 2.10 MySQL"),
    ("system-postgresql", "System 2.10 PostgreSQL"),
];

/// Rows whose 2.10 image is the 2.9 one: switching them must not roll them out.
const SAME_IMAGE: &[&str] = &[
    "zync-database-postgresql",
    "backend-redis",
    "system-redis",
    "system-mysql",
    "system-postgresql",
];

fn three(args: &[&str]) -> Cluster {
    Cluster::init("3scale", args)
}

/// The components a `--db` install has, in table order.
fn rows(db: &str) -> Vec<&'static Row> {
    TABLE
        .iter()
        .filter(|(is, _, _)| match *is {
            "system-mysql" => db == "mysql",
            "system-postgresql" => db == "postgresql",
            _ => true,
        })
        .collect()
}

fn tag_patch_line(stream: &str, image: &str) -> String {
    let display = DISPLAY.iter().find(|(s, _)| *s == stream).unwrap().1;
    let patch = json!([{"op": "add", "path": "/spec/tags/-", "value": {
        "annotations": {"openshift.io/display-name": display},
        "from": {"kind": "DockerImage", "name": image},
        "name": "2.10",
        "referencePolicy": {"type": "Source"}}}]);
    format!("oc patch imagestream/{stream} -n {NS} --type=json -p {patch}")
}

/// The one guarded write that switches a DC's ImageChange trigger (index 1, after ConfigChange).
fn trigger_lines(dc: &str, stream: &str, old: &str, new: &str, containers: &str) -> [String; 1] {
    let containers: Vec<&str> = containers.split(',').collect();
    let patch = json!([
        {"op": "test", "path": "/spec/triggers/1/imageChangeParams/from/name", "value": format!("{stream}:{old}")},
        {"op": "replace", "path": "/spec/triggers/1", "value": {"type": "ImageChange", "imageChangeParams": {
            "automatic": true, "containerNames": containers,
            "from": {"kind": "ImageStreamTag", "name": format!("{stream}:{new}")}}}}
    ]);
    [format!("oc patch dc/{dc} -n {NS} --type=json -p {patch}")]
}

/// Every mutating oc call a full run makes, in order.
fn expected_mutations(db: &str, registry: Option<&str>) -> Vec<String> {
    let rows = rows(db);
    let mut lines: Vec<String> = rows
        .iter()
        .map(|(is, image, _)| {
            let image = match registry {
                Some(r) => image.replacen("registry.redhat.io", r, 1),
                None => image.to_string(),
            };
            tag_patch_line(is, &image)
        })
        .collect();
    for (is, _, dcs) in &rows {
        let (old, new) = if *is == "amp-system" && db == "oracle" {
            ("2.9-oracle", "2.10-oracle")
        } else {
            ("2.9", "2.10")
        };
        for (dc, containers) in dcs.iter() {
            lines.extend(trigger_lines(dc, is, old, new, containers));
        }
    }
    lines
}

fn dc_json(cluster: &Cluster, name: &str) -> Value {
    serde_json::from_str(&cluster.tool(
        "oc",
        &["get", &format!("dc/{name}"), "-n", NS, "-o", "json"],
    ))
    .unwrap()
}

fn latest_version(cluster: &Cluster, name: &str) -> i64 {
    dc_json(cluster, name)["status"]["latestVersion"]
        .as_i64()
        .unwrap()
}

/// The `from.name` of every ImageChange trigger of a DC.
fn trigger_froms(cluster: &Cluster, name: &str) -> Vec<String> {
    dc_json(cluster, name)["spec"]["triggers"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["type"] == "ImageChange")
        .map(|t| {
            t["imageChangeParams"]["from"]["name"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

fn latest_versions(cluster: &Cluster) -> std::collections::BTreeMap<String, i64> {
    let list: Value =
        serde_json::from_str(&cluster.tool("oc", &["get", "dc", "-n", NS, "-o", "json"])).unwrap();
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["metadata"]["name"].as_str().unwrap().to_string(),
                d["status"]["latestVersion"].as_i64().unwrap(),
            )
        })
        .collect()
}

/// Checks one DC's calls: fresh read, the one guarded write, read back, then only reads of this DC (and,
/// when a rollout is due, of its new ReplicationController, read last: alone once, then with the DC in one
/// call per poll).
fn assert_dc_sequence(
    calls: &[Call],
    dc: &str,
    stream: &str,
    old: &str,
    new: &str,
    containers: &str,
    rollout_to: Option<i64>,
) {
    let get_dc = format!("oc get dc/{dc} -n {NS} -o json");
    let start = calls
        .iter()
        .position(|c| c.line() == get_dc)
        .unwrap_or_else(|| panic!("no `{get_dc}` in:\n{}", lines(calls).join("\n")));
    let [switch] = trigger_lines(dc, stream, old, new, containers);
    let got: Vec<String> = calls[start..].iter().take(3).map(Call::line).collect();
    assert_eq!(got, vec![get_dc.clone(), switch, get_dc.clone()], "dc/{dc}");
    let rc = rollout_to.map(|v| format!("oc get rc {dc}-{v} -o json --ignore-not-found -n {NS}"));
    let with_rc = rollout_to
        .map(|v| format!("oc get dc/{dc} rc/{dc}-{v} -n {NS} -o json --ignore-not-found"));
    // at most one watch of the new rollout, read back after it
    let watch = rollout_to.map(|v| format!("oc rollout status dc/{dc} -n {NS} --revision={v} "));
    let is_watch = |c: &Call| {
        watch
            .as_ref()
            .is_some_and(|w| c.line().starts_with(w.as_str()))
    };
    let after: Vec<&Call> = calls[start + 3..]
        .iter()
        .take_while(|c| {
            c.line() == get_dc || Some(c.line()) == rc || Some(c.line()) == with_rc || is_watch(c)
        })
        .collect();
    let watches: Vec<&&Call> = after.iter().filter(|c| is_watch(c)).collect();
    assert!(watches.len() <= 1, "dc/{dc}: one watch at most");
    // oc's status viewer ends with the rollout (oc answers DC rollouts itself, `-n` included)
    assert!(
        watches.iter().all(|c| c.exit == 0),
        "dc/{dc}: the watch failed: {watches:?}"
    );
    let after: Vec<&Call> = after.into_iter().filter(|c| !is_watch(c)).collect();
    assert!(after.iter().all(|c| c.exit == 0), "dc/{dc}: a read failed");
    match &rc {
        Some(rc) => {
            assert_eq!(
                after.first().map(|c| c.line()),
                Some(get_dc.clone()),
                "dc/{dc}"
            );
            let last = after.last().map(|c| c.line());
            assert!(
                last.as_ref() == Some(rc) || last == with_rc,
                "dc/{dc}: the wait ends on the new RC, not {last:?}"
            );
            let first_rc = after.iter().position(|c| c.line() != get_dc);
            assert!(
                after[first_rc.unwrap_or(0)..]
                    .iter()
                    .skip(1)
                    .all(|c| Some(c.line()) == with_rc),
                "dc/{dc}: once the RC is known, the DC and the RC are read in one call per poll"
            );
        }
        None => assert!(
            after.is_empty(),
            "dc/{dc}: no rollout due, the read back confirms it: {:?}",
            after.iter().map(|c| c.line()).collect::<Vec<_>>()
        ),
    }
}

fn lines(calls: &[Call]) -> Vec<String> {
    calls.iter().map(Call::line).collect()
}

/// `oc rollout status` reports the previous rollout as done when run before the trigger fired: the tool
/// only uses it as a watch of a known revision (`--revision=N`), never anything else of `oc rollout`.
fn assert_no_rollout_status(cluster: &Cluster) {
    let calls = cluster.calls();
    assert!(
        calls
            .iter()
            .filter(|c| c.args.first().map(String::as_str) == Some("rollout"))
            .all(|c| c.args[1] == "status" && c.args.iter().any(|a| a.starts_with("--revision="))),
        "`oc rollout ...` must not be relied on:\n{}",
        lines(&calls).join("\n")
    );
}

/// A full happy path: exact mutations, per-DC sequences, final state.
fn happy_path(db: &str) {
    let cluster = three(&["--db", db]);
    let before = latest_versions(&cluster);
    let out = cluster
        .threescale_upgrade()
        .args(&["patch-images", "--yes", "-o", "json"])
        .expect(0);
    assert_eq!(
        cluster.mutating_calls(),
        expected_mutations(db, None),
        "{out:?}"
    );
    assert_no_rollout_status(&cluster);
    let calls = cluster.calls();
    let oracle = db == "oracle";
    for &(is, _, dcs) in rows(db) {
        let (old, new) = if is == "amp-system" && oracle {
            ("2.9-oracle", "2.10-oracle")
        } else {
            ("2.9", "2.10")
        };
        let same = SAME_IMAGE.contains(&is);
        for (dc, containers) in dcs.iter() {
            let v = before[*dc];
            assert_dc_sequence(
                &calls,
                dc,
                is,
                old,
                new,
                containers,
                (!same).then_some(v + 1),
            );
            assert_eq!(
                trigger_froms(&cluster, dc),
                vec![format!("{is}:{new}")],
                "dc/{dc}"
            );
            assert_eq!(
                latest_version(&cluster, dc),
                if same { v } else { v + 1 },
                "dc/{dc}"
            );
        }
    }
    // DCs are switched one at a time, in the table's order.
    let order: Vec<String> = calls
        .iter()
        .filter(|c| c.args.len() > 2 && c.args[0] == "patch" && c.args[1].starts_with("dc/"))
        .map(|c| c.args[1].trim_start_matches("dc/").to_string())
        .collect();
    let table_order: Vec<String> = rows(db)
        .iter()
        .flat_map(|(_, _, dcs)| dcs.iter().map(|(d, _)| d.to_string()))
        .collect();
    assert_eq!(order, table_order);

    let report = out.json();
    assert_eq!(report["status"], "upgraded");
    assert_eq!(report["exit_code"], 0);
    assert_eq!(report["database"], db);
    let dcs = report["dcs"].as_array().unwrap();
    assert_eq!(dcs.len(), table_order.len());
    for r in dcs {
        let same = SAME_IMAGE.contains(&r["component"].as_str().unwrap());
        assert_eq!(
            r["outcome"],
            if same {
                "no-rollout-needed"
            } else {
                "rolled-out"
            },
            "{r}"
        );
        assert_ne!(r["image_before"], "", "{r}");
        if same {
            assert_eq!(r["image_before"], r["image_after"], "{r}");
        } else {
            assert_ne!(r["image_before"], r["image_after"], "{r}");
            assert_eq!(
                r["revision_after"].as_i64(),
                r["revision_before"].as_i64().map(|v| v + 1),
                "{r}"
            );
        }
    }
    assert_eq!(report["amp_release"]["current"], "2.9");
    assert!(out.stderr.contains("AMP_RELEASE"), "{out:?}");

    // Again: nothing to do, nothing changed, no question asked (no --yes, no terminal).
    cluster.clear_calls();
    let again = cluster
        .threescale_upgrade()
        .args(&["patch-images"])
        .expect(0);
    assert!(again.stdout.contains("Nothing to do"), "{again:?}");
    assert!(
        cluster.mutating_calls().is_empty(),
        "{:?}",
        cluster.mutating_calls()
    );
}

#[test]
fn oracle_happy_path_moves_the_oracle_tags_in_order() {
    happy_path("oracle");
}

#[test]
fn mysql_happy_path_then_rerun_is_a_no_op() {
    happy_path("mysql");
}

#[test]
fn postgresql_is_detected_and_its_dc_switched_without_rollout() {
    let cluster = three(&["--db", "postgresql"]);
    let before = latest_version(&cluster, "system-postgresql");
    let out = cluster
        .threescale_upgrade()
        .args(&["patch-images", "--yes", "--component", "system-postgresql"])
        .expect(0);
    assert!(out.stdout.contains("database postgresql"), "{out:?}");
    assert_eq!(
        cluster.mutating_calls(),
        vec![
            tag_patch_line(
                "system-postgresql",
                "registry.redhat.io/rhscl/postgresql-10-rhel7"
            ),
            trigger_lines(
                "system-postgresql",
                "system-postgresql",
                "2.9",
                "2.10",
                "system-postgresql"
            )[0]
            .clone(),
        ]
    );
    assert_eq!(latest_version(&cluster, "system-postgresql"), before);
}

#[test]
fn missing_oracle_image_refuses_with_build_hint_and_changes_nothing() {
    let cluster = three(&["--db", "oracle", "--oracle-tag-ready", "false"]);
    let out = cluster
        .threescale_upgrade()
        .args(&["patch-images", "--yes"])
        .expect(2);
    assert!(out.stderr.contains("amp-system:2.10-oracle"), "{out:?}");
    assert!(out.stderr.contains("3scale-amp-system-oracle"), "{out:?}");
    assert!(
        out.stderr
            .contains("oc start-build 3scale-amp-system-oracle"),
        "{out:?}"
    );
    assert!(
        out.stderr.contains("Nothing in the cluster was changed")
            || out.stderr.contains("nothing was changed"),
        "{out:?}"
    );
    assert!(
        cluster.mutating_calls().is_empty(),
        "{:?}",
        cluster.mutating_calls()
    );
}

#[test]
fn failed_import_stops_before_any_trigger() {
    let cluster = three(&["--db", "mysql"]);
    cluster.set_config(|c| c["failing_images"] = json!(["apicast-gateway-rhel8:3scale2.10"]));
    let out = cluster
        .threescale_upgrade()
        .args(&[
            "patch-images",
            "--yes",
            "--component",
            "amp-system,amp-apicast",
        ])
        .expect(1);
    assert_eq!(
        cluster.mutating_calls(),
        vec![
            tag_patch_line("amp-system", TABLE[0].1),
            tag_patch_line("amp-apicast", TABLE[1].1),
        ],
        "{out:?}"
    );
    assert!(out.stderr.contains("amp-apicast:2.10"), "{out:?}");
    assert!(out.stderr.contains("manifest unknown"), "{out:?}");
    assert!(
        out.stderr.contains("No DeploymentConfig was touched"),
        "{out:?}"
    );
    assert!(
        out.stderr
            .contains(&format!("oc tag -d amp-apicast:2.10 -n {NS}")),
        "{out:?}"
    );
    for dc in ["system-app", "apicast-staging"] {
        assert_eq!(trigger_froms(&cluster, dc).len(), 1);
        assert!(trigger_froms(&cluster, dc)[0].ends_with(":2.9"));
    }

    // The failed tag is now a preflight problem: exit 2, nothing more changed.
    cluster.clear_calls();
    let again = cluster
        .threescale_upgrade()
        .args(&["patch-images", "--yes", "--component", "amp-apicast"])
        .expect(2);
    assert!(again.stderr.contains("import failed"), "{again:?}");
    assert!(
        again.stderr.contains("oc import-image amp-apicast:2.10"),
        "{again:?}"
    );
    cluster.assert_nothing_changed();
}

#[test]
fn stuck_pre_hook_times_out_in_bounded_time_with_revert_commands() {
    let cluster = three(&["--db", "mysql", "--stuck-hook"]);
    let started = Instant::now();
    let out = cluster
        .threescale_upgrade()
        .args(&[
            "patch-images",
            "--yes",
            "--component",
            "amp-system",
            "--timeout",
            "2s",
        ])
        .expect(1);
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "took {:?}",
        started.elapsed()
    );
    assert!(out.stderr.contains("timed out after 2s"), "{out:?}");
    assert!(out.stderr.contains("system-app-4-hook-pre"), "{out:?}");
    assert!(
        out.stderr
            .contains("dc/system-app (this run, rollout not finished)"),
        "{out:?}"
    );
    // switching back is one guarded write too: trigger 1 from 2.10 back to 2.9
    let back = &trigger_lines(
        "system-app",
        "amp-system",
        "2.10",
        "2.9",
        "system-master,system-developer,system-provider",
    )[0];
    let back = back.replacen(" -p ", " -p '", 1) + "'";
    let revert = format!("  oc rollout cancel dc/system-app -n {NS}\n  {back}");
    assert!(out.stderr.contains(&revert), "{out:?}");
    // The run stopped at system-app: the other system DCs were not touched.
    assert_eq!(
        cluster.mutating_calls()[1..].to_vec(),
        trigger_lines(
            "system-app",
            "amp-system",
            "2.9",
            "2.10",
            "system-master,system-developer,system-provider"
        )
        .to_vec()
    );
    assert_eq!(
        trigger_froms(&cluster, "system-sidekiq"),
        vec!["amp-system:2.9"]
    );

    // JSON carries the same commands.
    cluster.clear_calls();
    let again = cluster
        .threescale_upgrade()
        .args(&[
            "patch-images",
            "--yes",
            "--component",
            "amp-system",
            "--timeout",
            "1s",
            "-o",
            "json",
        ])
        .expect(1);
    let report = again.json();
    assert_eq!(report["status"], "failed");
    assert_eq!(report["exit_code"], 1);
    let cmds: Vec<&str> = report["revert_commands"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert_eq!(cmds[0], format!("oc rollout cancel dc/system-app -n {NS}"));
    assert!(
        cluster.mutating_calls().is_empty(),
        "a re-run only waits: {:?}",
        cluster.mutating_calls()
    );
}

#[test]
fn half_switched_project_continues_where_it_stopped() {
    let (cluster, first) = common::runs::threescale_half_switched();
    assert!(
        first.stderr.contains(
            "A re-run of `oc 3scale-upgrade patch-images -n 3scale --component=amp-system`"
        ),
        "{first:?}"
    );
    assert_eq!(
        trigger_froms(&cluster, "system-app"),
        vec!["amp-system:2.10"]
    );
    assert_eq!(
        trigger_froms(&cluster, "system-sidekiq"),
        vec!["amp-system:2.9"]
    );

    cluster.clear_calls();
    let second = cluster
        .threescale_upgrade()
        .args(&[
            "patch-images",
            "--yes",
            "--component",
            "amp-system",
            "-o",
            "json",
        ])
        .expect(0);
    let containers = |dc: &str| TABLE[0].2.iter().find(|(d, _)| *d == dc).unwrap().1;
    let mut expected = Vec::new();
    for dc in ["system-sidekiq", "system-sphinx"] {
        expected.extend(trigger_lines(
            dc,
            "amp-system",
            "2.9",
            "2.10",
            containers(dc),
        ));
    }
    assert_eq!(
        cluster.mutating_calls(),
        expected,
        "system-app is not switched twice, the tag not added twice"
    );
    let report = second.json();
    let outcome = |dc: &str| {
        report["dcs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["dc"] == dc)
            .unwrap()["outcome"]
            .clone()
    };
    assert!(
        outcome("system-app") == "continued" || outcome("system-app") == "already-done",
        "{}",
        report["dcs"]
    );
    assert_eq!(outcome("system-sidekiq"), "rolled-out");
    assert_eq!(latest_version(&cluster, "system-app"), 4);
    let tags: Value = serde_json::from_str(&cluster.tool(
        "oc",
        &["get", "imagestream/amp-system", "-n", NS, "-o", "json"],
    ))
    .unwrap();
    let count = tags["spec"]["tags"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["name"] == "2.10")
        .count();
    assert_eq!(count, 1, "no duplicate tag");
}

#[test]
fn db_contradiction_is_refused() {
    let cluster = three(&["--db", "mysql"]);
    let out = cluster
        .threescale_upgrade()
        .args(&["patch-images", "--yes", "--db", "oracle"])
        .expect(2);
    assert!(out.stderr.contains("--db oracle contradicts"), "{out:?}");
    assert!(out.stderr.contains("system-mysql"), "{out:?}");
    let out = cluster
        .threescale_upgrade()
        .args(&["plan", "--db", "postgresql"])
        .expect(2);
    assert!(
        out.stderr.contains("--db postgresql contradicts"),
        "{out:?}"
    );

    let oracle = three(&["--db", "oracle"]);
    let out = oracle
        .threescale_upgrade()
        .args(&["patch-images", "--yes", "--db", "mysql"])
        .expect(2);
    assert!(out.stderr.contains("-oracle tags"), "{out:?}");
    assert!(cluster.mutating_calls().is_empty() && oracle.mutating_calls().is_empty());
}

#[test]
fn registry_rewrites_the_tag_source() {
    let cluster = three(&["--db", "mysql"]);
    cluster
        .threescale_upgrade()
        .args(&[
            "patch-images",
            "--yes",
            "--component",
            "system-memcached",
            "--registry",
            "mirror.example.com:5000/rh",
        ])
        .expect(0);
    let mutations = cluster.mutating_calls();
    assert_eq!(
        mutations[0],
        tag_patch_line(
            "system-memcached",
            "mirror.example.com:5000/rh/3scale-amp2/memcached-rhel7:3scale2.10"
        )
    );
    assert_eq!(mutations.len(), 2, "the tag, then one guarded write");
    assert_eq!(
        trigger_froms(&cluster, "system-memcache"),
        vec!["system-memcached:2.10"]
    );

    // The same tag with the Red Hat source is now a conflict that names the right --registry.
    let out = cluster
        .threescale_upgrade()
        .args(&["plan", "--component", "system-memcached"])
        .expect(2);
    assert!(
        out.stderr
            .contains("already exists with source DockerImage mirror.example.com:5000/rh/"),
        "{out:?}"
    );
    assert!(
        out.stderr
            .contains("pass --registry mirror.example.com:5000/rh"),
        "{out:?}"
    );
}

#[test]
fn component_selection_touches_only_those_streams() {
    let cluster = three(&["--db", "mysql"]);
    let before = latest_versions(&cluster);
    cluster
        .threescale_upgrade()
        .args(&[
            "patch-images",
            "--yes",
            "--component",
            "amp-zync",
            "--component",
            "backend-redis",
        ])
        .expect(0);
    let mut expected = vec![
        tag_patch_line("amp-zync", TABLE[3].1),
        tag_patch_line("backend-redis", TABLE[6].1),
    ];
    expected.extend(trigger_lines(
        "zync",
        "amp-zync",
        "2.9",
        "2.10",
        "zync,zync-db-svc",
    ));
    expected.extend(trigger_lines("zync-que", "amp-zync", "2.9", "2.10", "que"));
    expected.extend(trigger_lines(
        "backend-redis",
        "backend-redis",
        "2.9",
        "2.10",
        "backend-redis",
    ));
    assert_eq!(cluster.mutating_calls(), expected);
    let after = latest_versions(&cluster);
    for (dc, v) in &before {
        let want = if dc == "zync" || dc == "zync-que" {
            v + 1
        } else {
            *v
        };
        assert_eq!(after[dc], want, "dc/{dc}");
    }
}

#[test]
fn plan_and_dry_run_change_nothing_and_show_the_commands() {
    let cluster = three(&["--db", "oracle"]);
    let plan = cluster.threescale_upgrade().args(&["plan"]).expect(0);
    for line in expected_mutations("oracle", None) {
        // Displayed shell-quoted: compare without the quotes around the JSON patch.
        assert!(
            plan.stdout.replace('\'', "").contains(&line),
            "missing `{line}` in:\n{}",
            plan.stdout
        );
    }
    assert!(
        plan.stdout
            .contains("oc patch configmap/system-environment"),
        "{plan:?}"
    );
    let dry = cluster
        .threescale_upgrade()
        .args(&["patch-images", "--dry-run", "-o", "json"])
        .expect(0);
    let report = dry.json();
    assert_eq!(report["status"], "planned");
    let mutating: Vec<String> = report["steps"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["commands"].as_array().cloned().unwrap_or_default())
        .filter(|c| c["effect"] == "mutate")
        .map(|c| c["command"].as_str().unwrap().replace('\'', ""))
        .collect();
    assert_eq!(mutating, expected_mutations("oracle", None));
    assert!(
        cluster.mutating_calls().is_empty(),
        "{:?}",
        cluster.mutating_calls()
    );
}

#[test]
fn bad_arguments_exit_2_before_any_call() {
    let cluster = three(&["--db", "mysql"]);
    let out = cluster
        .threescale_upgrade()
        .args(&["patch-images", "--yes", "--to", "2.11"])
        .expect(2);
    assert!(out.stderr.contains("supported: 2.9 -> 2.10"), "{out:?}");
    let out = cluster
        .threescale_upgrade()
        .args(&["plan", "--component", "system-memcache"])
        .expect(2);
    assert!(out.stderr.contains("system-memcached"), "{out:?}");
    assert!(out.stderr.contains("amp-system, amp-apicast"), "{out:?}");
    let out = cluster
        .threescale_upgrade()
        .args(&["plan", "--registry", "https://mirror"])
        .expect(2);
    assert!(out.stderr.contains("without a scheme"), "{out:?}");
    assert!(cluster.calls().is_empty(), "{:?}", lines(&cluster.calls()));
}

#[test]
fn no_terminal_and_no_yes_refuses_after_preflight() {
    let cluster = three(&["--db", "mysql"]);
    let out = cluster
        .threescale_upgrade()
        .args(&["patch-images", "--component", "amp-zync"])
        .expect(2);
    assert!(out.stderr.contains("re-run with --yes"), "{out:?}");
    assert!(
        out.stderr.contains("About to move the 3scale images"),
        "{out:?}"
    );
    cluster.assert_nothing_changed();
}

#[test]
fn not_logged_in_and_unknown_project_are_preflight_problems() {
    let cluster = three(&["--db", "mysql"]);
    let mut state = cluster.state();
    state["kube"]["logged_in"] = json!(false);
    cluster.write_state(&state);
    let out = cluster
        .threescale_upgrade()
        .args(&["plan", "-n", NS])
        .expect(2);
    assert!(out.stderr.contains("oc login"), "{out:?}");

    let cluster = three(&["--db", "mysql"]);
    let out = cluster
        .threescale_upgrade()
        .args(&["plan", "-n", "nope"])
        .expect(2);
    assert!(out.stderr.contains("project \"nope\" not found"), "{out:?}");
}

fn add_trigger(cluster: &Cluster, dc: &str, istag: &str, containers: &[&str]) {
    let mut state = cluster.state();
    for o in state["objects"].as_array_mut().unwrap() {
        if o["kind"] == "DeploymentConfig" && o["metadata"]["name"] == dc {
            o["spec"]["triggers"].as_array_mut().unwrap().push(
                json!({"type": "ImageChange", "imageChangeParams": {
                "automatic": true, "containerNames": containers,
                "from": {"kind": "ImageStreamTag", "name": istag}}}),
            );
        }
    }
    cluster.write_state(&state);
}

#[test]
fn old_and_new_trigger_side_by_side_are_repaired_by_dropping_the_old_one() {
    let cluster = three(&["--db", "oracle"]);
    // The trap of the guide: removing amp-system:2.9 on Oracle matched nothing, then 2.10-oracle was added.
    add_trigger(
        &cluster,
        "system-sidekiq",
        "amp-system:2.10-oracle",
        &["system-sidekiq", "check-svc"],
    );
    let out = cluster
        .threescale_upgrade()
        .args(&["patch-images", "--yes", "--component", "amp-system"])
        .expect(0);
    let drop = json!([
        {"op": "test", "path": "/spec/triggers/1/imageChangeParams/from/name", "value": "amp-system:2.9-oracle"},
        {"op": "remove", "path": "/spec/triggers/1"}
    ]);
    assert!(
        cluster.mutating_calls().contains(&format!(
            "oc patch dc/system-sidekiq -n {NS} --type=json -p {drop}"
        )),
        "{:#?}\n{out:?}",
        cluster.mutating_calls()
    );
    assert_eq!(
        trigger_froms(&cluster, "system-sidekiq"),
        vec!["amp-system:2.10-oracle"]
    );
}

#[test]
fn doubled_trigger_that_is_not_old_and_new_is_refused_with_the_fix() {
    let cluster = three(&["--db", "mysql"]);
    add_trigger(
        &cluster,
        "system-sidekiq",
        "amp-system:latest",
        &["system-sidekiq", "check-svc"],
    );
    let out = cluster
        .threescale_upgrade()
        .args(&["patch-images", "--yes"])
        .expect(2);
    assert!(
        out.stderr
            .contains("dc/system-sidekiq has 2 ImageChange triggers"),
        "{out:?}"
    );
    assert!(
        out.stderr.contains("oc set triggers dc/system-sidekiq -n 3scale --from-image=amp-system:latest --containers=system-sidekiq,check-svc --remove"),
        "{out:?}"
    );
    cluster.assert_nothing_changed();
}

#[test]
fn a_dc_left_without_an_image_trigger_gets_the_new_one() {
    let cluster = three(&["--db", "mysql"]);
    // What an older version (remove, then add) left when killed in between.
    let mut state = cluster.state();
    for o in state["objects"].as_array_mut().unwrap() {
        if o["kind"] == "DeploymentConfig" && o["metadata"]["name"] == "system-memcache" {
            o["spec"]["triggers"] = json!([{"type": "ConfigChange"}]);
        }
    }
    cluster.write_state(&state);
    let before = latest_version(&cluster, "system-memcache");
    let plan = cluster
        .threescale_upgrade()
        .args(&["plan", "--component", "system-memcached"])
        .expect(0);
    assert!(
        plan.stdout
            .contains("switching 1 DC(s) to system-memcached:2.10")
            && plan
                .stdout
                .contains(r#"{"op":"add","path":"/spec/triggers/-""#),
        "{plan:?}"
    );
    cluster
        .threescale_upgrade()
        .args(&["patch-images", "--yes", "--component", "system-memcached"])
        .expect(0);
    assert_eq!(
        trigger_froms(&cluster, "system-memcache"),
        vec!["system-memcached:2.10"]
    );
    assert_eq!(
        latest_version(&cluster, "system-memcache"),
        before + 1,
        "rolled out to the new image"
    );
}

#[test]
fn a_trigger_changed_by_hand_during_the_write_fails_the_guarded_write_and_is_kept() {
    let cluster = three(&["--db", "mysql"]);
    // The switch of system-memcache is held by the API server; meanwhile a person changes the trigger.
    cluster.api_fault(
        json!({"method": "PATCH", "path_contains": "/deploymentconfigs/system-memcache",
        "latency_ms": 3000, "times": 1}),
    );
    let child = cluster
        .threescale_upgrade()
        .args(&["patch-images", "--yes", "--component", "system-memcached"])
        .spawn();
    let deadline = Instant::now() + Duration::from_secs(30);
    while cluster.state()["config"]["api_faults"][0]["seen"] != 1 {
        assert!(
            Instant::now() < deadline,
            "the switch never reached the server"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let by_hand = json!([{"op": "replace", "path": "/spec/triggers/1/imageChangeParams/from/name",
        "value": "system-memcached:latest"}]);
    cluster.tool(
        "kubectl",
        &[
            "patch",
            "dc/system-memcache",
            "-n",
            NS,
            "--type=json",
            "-p",
            &by_hand.to_string(),
        ],
    );
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("dc/system-memcache changed while this run was switching it"),
        "{stderr}"
    );
    assert_eq!(
        trigger_froms(&cluster, "system-memcache"),
        vec!["system-memcached:latest"],
        "the person's change is kept, not overwritten"
    );
}

#[test]
fn status_shows_tags_triggers_rollouts_and_amp_release() {
    let cluster = three(&["--db", "oracle"]);
    let out = cluster.threescale_upgrade().args(&["status"]).expect(0);
    assert!(out.stdout.contains("project 3scale"), "{out:?}");
    assert!(out.stdout.contains("tag 2.10-oracle"), "{out:?}");
    assert!(
        out.stdout.contains(
            "trigger amp-system:2.9-oracle (system-master,system-developer,system-provider)"
        ),
        "{out:?}"
    );
    assert!(
        out.stdout.contains("latestVersion 3  rollout complete"),
        "{out:?}"
    );
    assert!(
        out.stdout
            .contains("AMP_RELEASE (ConfigMap system-environment): 2.9"),
        "{out:?}"
    );
    assert!(!out.stdout.contains("system-mysql"), "{out:?}");
    let json = cluster
        .threescale_upgrade()
        .args(&["status", "-o", "json"])
        .expect(0)
        .json();
    assert_eq!(json["amp_release"], "2.9");
    let app = json["deployment_configs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "system-app")
        .unwrap();
    assert_eq!(app["latest_version"], 3);
    assert_eq!(app["triggers"][0]["from"], "amp-system:2.9-oracle");
    cluster.assert_nothing_changed();
}

#[test]
fn help_documents_exit_codes_and_completion_works() {
    let cluster = three(&["--db", "mysql"]);
    let help = cluster.threescale_upgrade().args(&["--help"]).expect(0);
    assert!(help.stdout.contains("Exit codes:"), "{help:?}");
    for sub in ["patch-images", "plan", "status", "completion"] {
        assert!(help.stdout.contains(sub), "{sub}: {help:?}");
    }
    let sub = cluster
        .threescale_upgrade()
        .args(&["patch-images", "--help"])
        .expect(0);
    for flag in [
        "--db",
        "--namespace",
        "--from",
        "--to",
        "--component",
        "--registry",
        "--timeout",
        "--yes",
        "--dry-run",
        "--context",
        "--kubeconfig",
        "--verbose",
        "--output",
    ] {
        assert!(sub.stdout.contains(flag), "{flag}: {sub:?}");
    }
    let bash = cluster
        .threescale_upgrade()
        .args(&["completion", "bash"])
        .expect(0);
    assert!(bash.stdout.contains("oc-3scale_upgrade"), "{bash:?}");
}

#[test]
fn verbose_prints_every_command() {
    let cluster = three(&["--db", "mysql"]);
    let out = cluster
        .threescale_upgrade()
        .args(&["plan", "-v", "--component", "amp-zync"])
        .expect(0);
    assert!(
        out.stderr.contains("+ oc get dc -n 3scale -o json"),
        "{out:?}"
    );
    assert!(out.stderr.contains("+ oc project -q"), "{out:?}");
}

#[test]
fn a_rejected_first_patch_changed_nothing() {
    let cluster = three(&["--db", "mysql"]);
    cluster.fault(json!({"tool": "oc", "args_contain": ["patch", "imagestream/system-memcached"], "action": "fail", "exit": 1,
        "stderr": "Error from server (Forbidden): imagestreams.image.openshift.io \"system-memcached\" is forbidden: User \"dev\" cannot patch resource \"imagestreams\" in API group \"image.openshift.io\" in the namespace \"3scale\"\n"}));
    let out = cluster
        .threescale_upgrade()
        .args(&["patch-images", "--yes", "--component", "system-memcached"])
        .expect(2);
    assert!(out.stderr.contains("is forbidden"), "{out:?}");
    assert!(
        out.stderr.contains("Nothing in the cluster was changed."),
        "{out:?}"
    );
}

#[test]
fn killed_after_every_write_a_rerun_finishes_the_switch() {
    // amp-system: one tag write, then one guarded write per DC. Kill -9 right after each, then run again.
    for writes in 1..=4 {
        let cluster = three(&["--db", "mysql"]);
        cluster.set_config(|c| c["durations"]["rollout_ms"] = json!(700));
        let mut child = cluster
            .threescale_upgrade()
            .args(&["patch-images", "--yes", "--component", "amp-system"])
            .spawn();
        let deadline = Instant::now() + Duration::from_secs(30);
        while cluster.mutating_calls().len() < writes {
            assert!(Instant::now() < deadline, "never saw write {writes}");
            assert!(
                child.try_wait().unwrap().is_none(),
                "ended before write {writes}"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
        common::runs::signal(&child, "-KILL");
        let _ = child.wait();
        for (dc, _) in TABLE[0].2 {
            let froms = trigger_froms(&cluster, dc);
            assert_eq!(
                froms.len(),
                1,
                "never without a trigger, never two: {dc} {froms:?}"
            );
        }
        let rerun = cluster
            .threescale_upgrade()
            .args(&["patch-images", "--yes", "--component", "amp-system"])
            .expect(0);
        for (dc, _) in TABLE[0].2 {
            assert_eq!(
                trigger_froms(&cluster, dc),
                vec!["amp-system:2.10"],
                "after a kill at write {writes}: {rerun:?}"
            );
        }
    }
}

#[test]
fn ctrl_c_stops_between_dcs_and_says_where_each_stands() {
    let cluster = three(&["--db", "mysql"]);
    cluster.set_config(|c| c["durations"]["rollout_ms"] = json!(1500));
    let mut child = cluster
        .threescale_upgrade()
        .args(&["patch-images", "--yes", "--component", "amp-system"])
        .spawn();
    common::runs::wait_until(&cluster, &mut child, "the switch of system-app", |c| {
        c.mutating_calls()
            .iter()
            .any(|call| call.starts_with("oc patch dc/system-app"))
    });
    common::runs::signal(&child, "-INT");
    let out = common::runs::finish(child);
    assert_eq!(out.code, 130, "{out:?}");
    assert!(
        out.stderr
            .contains("no further DC is switched and none is switched back"),
        "the interrupt says what happens, not that things are put back: {out:?}"
    );
    let last = out.stderr.trim_end().lines().last().unwrap_or_default();
    assert_eq!(
        last,
        "Where things stand: 1 DC(s) on the 2.10 triggers (1 with a rollout not finished), 2 still on the \
         2.9 ones (system-sidekiq, system-sphinx); nothing was switched back. Next: `oc 3scale-upgrade patch-images -n 3scale \
         --component=amp-system` continues.",
        "{out:?}"
    );
    assert_eq!(
        trigger_froms(&cluster, "system-app"),
        vec!["amp-system:2.10"]
    );
    assert_eq!(
        trigger_froms(&cluster, "system-sidekiq"),
        vec!["amp-system:2.9"]
    );
    cluster
        .threescale_upgrade()
        .args(&["patch-images", "--yes", "--component", "amp-system"])
        .expect(0);
    assert_eq!(
        trigger_froms(&cluster, "system-sphinx"),
        vec!["amp-system:2.10"]
    );
}

#[test]
fn ctrl_c_during_the_watch_of_a_rollout_stops_it_at_once() {
    let cluster = three(&["--db", "mysql"]);
    // A long rollout: the tool is inside `oc rollout status` (its own process group, which the terminal's
    // Ctrl-C does not reach) when the interrupt comes.
    cluster.set_config(|c| {
        c["durations"]["rollout_ms"] = json!(8000);
        c["durations"]["dc_trigger_ms"] = json!(200);
    });
    let mut child = cluster
        .threescale_upgrade()
        .args(&["patch-images", "--yes", "--component", "amp-system", "-v"])
        .spawn();
    common::runs::wait_until(&cluster, &mut child, "the switch of system-app", |c| {
        c.mutating_calls()
            .iter()
            .any(|call| call.starts_with("oc patch dc/system-app"))
    });
    // the trigger fires after 0.2 s; the watch starts at the next poll
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let signalled = std::time::Instant::now();
    common::runs::signal(&child, "-INT");
    let out = common::runs::finish(child);
    assert_eq!(out.code, 130, "{out:?}");
    assert!(
        signalled.elapsed() < std::time::Duration::from_secs(4),
        "the watch must not outlive the interrupt (the rollout takes 8 s): {:?}",
        signalled.elapsed()
    );
    // the watch was running (shown by -v) and was killed: a killed fake oc logs no call
    assert!(
        out.stderr
            .contains("+ oc rollout status dc/system-app -n 3scale --revision="),
        "{out:?}"
    );
    assert!(
        !cluster
            .calls()
            .iter()
            .any(|c| c.args.first().map(String::as_str) == Some("rollout")),
        "the watch did not run to its end"
    );
    assert!(
        out.stderr.contains("1 with a rollout not finished"),
        "where things stand says the rollout goes on: {out:?}"
    );
}

#[test]
fn the_guides_component_names_are_accepted_and_a_typo_gets_a_suggestion() {
    let cluster = three(&["--db", "mysql"]);
    let plan = cluster
        .threescale_upgrade()
        .args(&["plan", "--component", "memcached,redis"])
        .expect(0);
    for stream in ["system-memcached", "backend-redis", "system-redis"] {
        assert!(
            plan.stdout.contains(&format!("{stream}:2.10")),
            "{stream}: {plan:?}"
        );
    }
    assert!(!plan.stdout.contains("amp-system:2.10"), "{plan:?}");
    let typo = cluster
        .threescale_upgrade()
        .args(&["plan", "--component", "sytem"])
        .expect(2);
    assert!(
        typo.stderr
            .contains("unknown --component \"sytem\" (did you mean \"system\"?)"),
        "{typo:?}"
    );
    cluster.assert_nothing_changed();
}

#[test]
fn an_empty_project_is_an_argument_error_not_the_current_project() {
    // `-n "$NS"` with NS unset must not upgrade whatever project happens to be current.
    let cluster = three(&["--db", "mysql"]);
    cluster.clear_calls();
    let out = cluster
        .threescale_upgrade()
        .args(&["patch-images", "--yes", "-n", ""])
        .expect(2);
    assert!(out.stderr.contains("it is empty"), "{out:?}");
    assert!(cluster.calls().is_empty(), "{:?}", cluster.calls());
}
