//! The analysis against listings built in the tests: detection, planning, repairs and refusals.

use super::*;
use crate::ops::target::KubeTarget;
use crate::threescale::config::OutputFormat;
use crate::threescale::context::DcAction;
use crate::threescale::release;
use serde_json::json;

fn cfg(db: Option<Db>) -> Config {
    Config {
        target: KubeTarget {
            namespace: "3scale".into(),
            ..KubeTarget::default()
        },
        from: "2.9".into(),
        to: "2.10".into(),
        db,
        components: vec![],
        registry: None,
        oracle_build_dir: None,
        build_only: false,
        timeout: std::time::Duration::from_secs(60),
        yes: false,
        dry_run: false,
        verbose: false,
        output: OutputFormat::Text,
    }
}

/// A project with every required component on `tag_suffix` triggers, plus the given optional DCs.
fn project(system_tag: &str, optional: &[&str]) -> (Vec<ImageStream>, Vec<DeploymentConfig>) {
    let upgrade = release::find("2.9", "2.10").unwrap();
    let mut streams = Vec::new();
    let mut dcs = Vec::new();
    for c in upgrade.components {
        if c.presence == Presence::IfDcExists && !optional.contains(&c.stream) {
            continue;
        }
        streams.push(
            serde_json::from_value(json!({
                "metadata": {"name": c.stream},
                "spec": {"tags": [{"name": "2.9", "from": {"kind": "DockerImage", "name": "old"}}]},
                "status": {"tags": [
                    {"tag": "2.9", "items": [{"dockerImageReference": format!("{}@sha256:9", c.stream), "generation": 1}]},
                    {"tag": "2.9-oracle", "items": [{"dockerImageReference": "oracle@sha256:9", "generation": 1}]}
                ]}
            }))
            .unwrap(),
        );
        let tag = if c.oracle_tags { system_tag } else { "2.9" };
        for d in c.dcs {
            let containers: Vec<_> = d
                .containers
                .iter()
                .map(|n| json!({"name": n, "image": format!("{}@sha256:9", c.stream)}))
                .collect();
            dcs.push(
                serde_json::from_value(json!({
                    "metadata": {"name": d.name},
                    "spec": {"replicas": 1, "triggers": [
                        {"type": "ConfigChange"},
                        {"type": "ImageChange", "imageChangeParams": {"automatic": true, "containerNames": d.containers,
                          "from": {"kind": "ImageStreamTag", "name": format!("{}:{tag}", c.stream)}}}],
                      "template": {"spec": {"containers": containers}}},
                    "status": {"latestVersion": 1}
                }))
                .unwrap(),
            );
        }
    }
    (streams, dcs)
}

fn run(db: Option<Db>, streams: &[ImageStream], dcs: &[DeploymentConfig]) -> Analysis {
    let c = cfg(db);
    analyze(
        release::find("2.9", "2.10").unwrap(),
        &c,
        &Oc::new(c.target.clone()),
        streams,
        dcs,
    )
}

#[test]
fn mysql_project_is_detected_and_planned() {
    let (streams, dcs) = project("2.9", &["system-mysql", "backend-redis", "system-redis"]);
    let a = run(None, &streams, &dcs);
    assert!(a.problems.is_empty(), "{:?}", a.problems);
    assert_eq!(a.db, Some(Db::Mysql));
    assert_eq!(a.absent, vec!["system-postgresql"]);
    assert_eq!(a.plan.len(), 9);
    assert!(a.plan.iter().all(|c| c.tag.state == TagState::Add));
    assert!(a
        .plan
        .iter()
        .flat_map(|c| &c.dcs)
        .all(|d| d.action == DcAction::Switch));
    assert_eq!(a.plan[0].new_istag(), "amp-system:2.10");
    // --db contradicting the detected one is a problem.
    let a = run(Some(Db::Postgresql), &streams, &dcs);
    assert_eq!(a.problems.len(), 1, "{:?}", a.problems);
    assert!(a.problems[0].contains("--db postgresql contradicts"));
}

#[test]
fn oracle_needs_the_built_tag() {
    let (streams, dcs) = project("2.9-oracle", &["backend-redis"]);
    let a = run(None, &streams, &dcs);
    assert_eq!(a.db, Some(Db::Oracle));
    assert_eq!(a.problems.len(), 1, "{:?}", a.problems);
    assert!(a.problems[0].contains("amp-system:2.10-oracle"));
    assert!(a.problems[0].contains("3scale-amp-system-oracle"));
    assert_eq!(a.plan[0].old_istag(), "amp-system:2.9-oracle");
    // Other streams keep plain tags.
    assert_eq!(a.plan[1].new_istag(), "amp-apicast:2.10");
    let a = run(Some(Db::Mysql), &streams, &dcs);
    assert!(a
        .problems
        .iter()
        .any(|p| p.contains("--db mysql contradicts")));
}

#[test]
fn states_an_earlier_run_left_are_repaired_others_reported_with_fixes() {
    let (streams, mut dcs) = project("2.9", &[]);
    // Old and new side by side (the Oracle trap), and no image trigger at all (killed in between).
    let mut doubled = dcs[0].spec.triggers[1].clone();
    doubled.image_change_params.as_mut().unwrap().from.name = "amp-system:2.10".into();
    dcs[0].spec.triggers.push(doubled);
    dcs[1].spec.triggers.retain(|t| t.kind != "ImageChange");
    // Two triggers that are not old + new: not repaired.
    let mut odd = dcs[2].spec.triggers[1].clone();
    odd.image_change_params.as_mut().unwrap().from.name = "amp-system:latest".into();
    dcs[2].spec.triggers.push(odd);
    let a = run(Some(Db::Postgresql), &streams, &dcs);
    assert_eq!(a.problems.len(), 1, "{:?}", a.problems);
    assert!(a.problems[0].contains("dc/system-sphinx has 2 ImageChange triggers"));
    assert!(a.problems[0].contains(
        "oc set triggers dc/system-sphinx -n 3scale --from-image=amp-system:latest --containers=system-sphinx,system-master-svc --remove"
    ));
    let action = |dc: &str| {
        a.plan
            .iter()
            .flat_map(|c| &c.dcs)
            .find(|d| d.name == dc)
            .map(|d| d.action)
    };
    assert_eq!(action("system-app"), Some(DcAction::DropOld));
    assert_eq!(action("system-sidekiq"), Some(DcAction::AddNew));
}

#[test]
fn existing_tags_are_reused_or_refused() {
    let (mut streams, dcs) = project("2.9", &[]);
    streams[0]
        .spec
        .tags
        .push(crate::ops::openshift::TagReference::docker_image(
            "2.10",
            "registry.redhat.io/3scale-amp2/system-rhel7:3scale2.10",
            "AMP system 2.10",
        ));
    streams[1]
        .spec
        .tags
        .push(crate::ops::openshift::TagReference::docker_image(
            "2.10",
            "mirror.local/3scale-amp2/apicast-gateway-rhel8:3scale2.10",
            "AMP APIcast 2.10",
        ));
    let a = run(None, &streams, &dcs);
    assert_eq!(a.plan[0].tag.state, TagState::Present);
    assert_eq!(a.problems.len(), 1, "{:?}", a.problems);
    assert!(
        a.problems[0].contains("pass --registry mirror.local"),
        "{}",
        a.problems[0]
    );
}
