//! Step 1: everything that can be checked before any change, from one listing of the image streams and one
//! of the DeploymentConfigs (read concurrently with the other checks). Every problem is reported together;
//! any problem means exit 2 with nothing changed. It also decides, DC by DC, what the run will do, so a
//! re-run continues where an earlier one stopped.

use std::collections::BTreeMap;

use crate::ops::k8s::{ConfigMap, List};
use crate::ops::oc::{DeploymentConfig, ImageStream, ImportState, Oc, Rollout};
use crate::process::{Cmd, Effect, FailureKind, ProcessError, Runner};
use crate::runbook::{Flow, Step};
use crate::threescale::config::{Config, Db};
use crate::threescale::context::{
    ComponentPlan, Ctx, DcAction, DcPlan, SwitchStage, Switched, TagPlan, TagState,
};
use crate::threescale::release::{Presence, Upgrade, MYSQL_DC, POSTGRESQL_DC, REDHAT_REGISTRY};

pub const ENV_CONFIGMAP: &str = "system-environment";
pub const AMP_RELEASE: &str = "AMP_RELEASE";

pub struct Preflight;

/// The preflight's findings, from the listings alone (no calls: unit-testable).
#[derive(Debug, Default)]
pub struct Analysis {
    pub problems: Vec<String>,
    pub db: Option<Db>,
    pub db_reason: String,
    pub plan: Vec<ComponentPlan>,
    pub absent: Vec<String>,
    pub resolved: BTreeMap<String, String>,
    /// DCs already on their new trigger (switched by an earlier run).
    pub on_target: Vec<Switched>,
}

fn indent_cmds(cmds: &[Cmd]) -> String {
    cmds.iter()
        .map(|c| format!("\n      {}", c.display()))
        .collect()
}

/// Decides which database the run works with, or says why it cannot.
fn decide_db(
    upgrade: &Upgrade,
    cfg: &Config,
    dcs: &[DeploymentConfig],
    problems: &mut Vec<String>,
) -> (Option<Db>, String) {
    let find = |name: &str| dcs.iter().find(|d| d.name() == name);
    // The system DCs' trigger tags: `-oracle` means Oracle.
    let mut votes: Vec<(String, String, bool)> = Vec::new();
    for component in upgrade.components.iter().filter(|c| c.oracle_tags) {
        let prefix = format!("{}:", component.stream);
        for spec in component.dcs {
            if let Some(dc) = find(spec.name) {
                for t in dc.image_triggers() {
                    if let Some(tag) = t.from.name.strip_prefix(&prefix) {
                        votes.push((
                            spec.name.to_string(),
                            t.from.name.clone(),
                            tag.ends_with("-oracle"),
                        ));
                    }
                }
            }
        }
    }
    let oracle_tags = if votes.is_empty() {
        None
    } else if votes.iter().all(|v| v.2) {
        Some(true)
    } else if votes.iter().all(|v| !v.2) {
        Some(false)
    } else {
        problems.push(format!(
            "the system DeploymentConfigs disagree about the database: {}. With Oracle every one of them \
             triggers on an -oracle tag; fix the odd one out before upgrading",
            votes
                .iter()
                .map(|(dc, from, _)| format!("dc/{dc} triggers on {from}"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
        return (cfg.db, "inconsistent".into());
    };
    let in_cluster: Vec<(Db, &str)> = [(Db::Mysql, MYSQL_DC), (Db::Postgresql, POSTGRESQL_DC)]
        .into_iter()
        .filter(|(_, dc)| find(dc).is_some())
        .collect();
    let detected: Option<(Db, String)> = match (oracle_tags, in_cluster.as_slice()) {
        (Some(true), []) => Some((
            Db::Oracle,
            "detected: the system DCs trigger on -oracle tags".into(),
        )),
        (Some(true), [(db, dc), ..]) => {
            problems.push(format!(
                "the system DCs trigger on -oracle tags, but DeploymentConfig {dc} ({db}) exists too: \
                 cannot tell which database 3scale uses"
            ));
            return (cfg.db, "inconsistent".into());
        }
        (_, [(db, dc)]) => Some((*db, format!("detected: DeploymentConfig {dc} exists"))),
        (_, []) => None,
        (_, many) => {
            problems.push(format!(
                "both {} exist: cannot tell which database 3scale uses",
                many.iter()
                    .map(|(_, dc)| format!("DeploymentConfig {dc}"))
                    .collect::<Vec<_>>()
                    .join(" and ")
            ));
            return (cfg.db, "inconsistent".into());
        }
    };
    match (cfg.db, detected) {
        (Some(given), Some((found, why))) if given != found => {
            problems.push(format!(
                "--db {given} contradicts the project: the database is {found} ({why}). \
                 Drop --db to use the detected one"
            ));
            (Some(given), "given with --db".into())
        }
        (Some(given), Some((_, why))) => (Some(given), why),
        (Some(Db::Oracle), None) if oracle_tags == Some(false) => {
            problems.push(
                "--db oracle contradicts the project: the system DCs trigger on tags without -oracle, \
                 so they run the standard system image"
                    .into(),
            );
            (Some(Db::Oracle), "given with --db".into())
        }
        (Some(given), None) => (Some(given), "given with --db".into()),
        (None, Some((found, why))) => (Some(found), why),
        (None, None) => (
            None,
            "no -oracle trigger tags and no system-mysql/system-postgresql DC: an external database"
                .into(),
        ),
    }
}

/// A `--registry` that would turn `ours` into `theirs`, if one would.
fn registry_guess(ours: &str, theirs: &str) -> Option<String> {
    let path = ours.strip_prefix(REDHAT_REGISTRY)?;
    let host = theirs.strip_suffix(path)?;
    (!host.is_empty() && host != REDHAT_REGISTRY).then(|| host.to_string())
}

/// Plans the run from the two listings; problems are collected, never returned early.
pub fn analyze(
    upgrade: &'static Upgrade,
    cfg: &Config,
    oc: &Oc,
    streams: &[ImageStream],
    dcs: &[DeploymentConfig],
) -> Analysis {
    let mut a = Analysis::default();
    let ns = &cfg.target.namespace;
    if let Some(problem) =
        crate::threescale::installation::missing_installation(upgrade, ns, streams, dcs)
    {
        a.problems.push(problem);
        return a;
    }
    let (db, db_reason) = decide_db(upgrade, cfg, dcs, &mut a.problems);
    a.db = db;
    a.db_reason = db_reason;
    if !a.problems.is_empty() {
        // Every tag and trigger check depends on the database: with it wrong, they would only repeat it.
        return a;
    }
    let oracle = db == Some(Db::Oracle);
    let find_dc = |name: &str| dcs.iter().find(|d| d.name() == name);

    for spec in upgrade.components.iter().filter(|c| cfg.selects(c.stream)) {
        let present = match spec.presence {
            Presence::Required => true,
            Presence::IfDcExists => spec.dcs.iter().any(|d| find_dc(d.name).is_some()),
        };
        if !present {
            a.absent.push(spec.stream.to_string());
            continue;
        }
        let stream = streams.iter().find(|s| s.name() == spec.stream);
        if stream.is_none() {
            a.problems.push(format!(
                "image stream {} not found in project {ns} (`oc get imagestreams -n {ns}` lists them)",
                spec.stream
            ));
        }
        let from_tag = spec.trigger_tag(upgrade.from, oracle);
        let to_tag = spec.trigger_tag(upgrade.to, oracle);
        let source = spec.image_from(cfg.registry.as_deref());
        let mut component = ComponentPlan {
            spec,
            stream: spec.stream.to_string(),
            from_tag: from_tag.clone(),
            to_tag: to_tag.clone(),
            tag: TagPlan {
                name: upgrade.to.to_string(),
                source: source.clone(),
                display_name: spec.display_name.to_string(),
                state: TagState::Add,
            },
            same_source: false,
            dcs: Vec::new(),
        };
        let old_istag = component.old_istag();
        let new_istag = component.new_istag();

        if let Some(is) = stream {
            component.same_source = is
                .spec_tag(&from_tag)
                .and_then(|t| t.from.as_ref())
                .is_some_and(|f| f.kind == "DockerImage" && f.name == source);
            // The new tag: add it, reuse it, or stop when it points elsewhere.
            if let Some(existing) = is.spec_tag(upgrade.to) {
                let same = existing
                    .from
                    .as_ref()
                    .is_some_and(|f| f.kind == "DockerImage" && f.name == source);
                if same {
                    component.tag.state = TagState::Present;
                    if let ImportState::Failed(message) = is.import_state(upgrade.to) {
                        a.problems.push(format!(
                            "image stream tag {}:{} exists but its import failed: {message}\n    \
                             fix the source or the registry credentials, then re-import it with `{}`",
                            spec.stream,
                            upgrade.to,
                            oc.import_image(spec.stream, upgrade.to).display()
                        ));
                    }
                } else {
                    let hint = existing
                        .from
                        .as_ref()
                        .and_then(|f| registry_guess(spec.image, &f.name))
                        .map(|r| format!(" If {r} is your mirror, pass --registry {r}."))
                        .unwrap_or_default();
                    a.problems.push(format!(
                        "image stream tag {}:{} already exists with source {}, not DockerImage {source}.{hint} \
                         Otherwise remove it with `{}` and re-run",
                        spec.stream,
                        upgrade.to,
                        existing.source(),
                        oc.delete_tag(spec.stream, upgrade.to).display()
                    ));
                }
            }
            if oracle && spec.oracle_tags && is.resolved(&to_tag).is_none() {
                a.problems.push(format!(
                    "image stream tag {new_istag} does not exist or has no image yet. With an Oracle database the \
                     system DCs run the system-oracle image, which must be built before their triggers move \
                     (or they would never roll out): update BuildConfig {bc} to {to} as the guide's \
                     \"Upgrading 3scale 2.9 to 2.10 with Oracle 19c\" section describes (its output is \
                     {stream}:${{AMP_RELEASE}}-oracle), build it with `{build}`, then re-run",
                    bc = upgrade.oracle_build.build_config,
                    to = upgrade.to,
                    stream = spec.stream,
                    build = oc.start_build(upgrade.oracle_build.build_config).display()
                ));
            }
            for (istag, tag) in [
                (&old_istag, &from_tag),
                (&new_istag, &to_tag),
                (&component.tag_istag(), &component.tag.name),
            ] {
                if let Some(image) = is.resolved(tag) {
                    a.resolved.insert(istag.clone(), image);
                }
            }
        }

        for dc_spec in spec.dcs {
            let containers: Vec<String> =
                dc_spec.containers.iter().map(|c| c.to_string()).collect();
            let Some(dc) = find_dc(dc_spec.name) else {
                a.problems.push(format!(
                    "DeploymentConfig {} (image stream {}) not found in project {ns}",
                    dc_spec.name, spec.stream
                ));
                continue;
            };
            let name = dc_spec.name;
            let before = a.problems.len();
            let missing: Vec<&str> = dc_spec
                .containers
                .iter()
                .copied()
                .filter(|c| !dc.has_container(c))
                .collect();
            if !missing.is_empty() {
                a.problems.push(format!(
                    "dc/{name} has no container(s) {} (the guide names {}); `oc set triggers` would fail with \
                     \"not all container names exist\"",
                    missing.join(","),
                    containers.join(",")
                ));
            }
            if dc.spec.paused {
                a.problems.push(format!(
                    "dc/{name} is paused: its rollout would never start. Resume it with `oc rollout resume dc/{name} -n {ns}`"
                ));
            }
            let triggers = dc.image_triggers();
            let mut on_new = false;
            let mut repair = None;
            match triggers.as_slice() {
                // An earlier run (or a person) stopped between removing the old trigger and adding the new
                // one: this run adds the new one (one guarded write) and waits for the rollout.
                [] => repair = Some(DcAction::AddNew),
                [a_trigger, b_trigger]
                    if {
                        let mut pair = [a_trigger.from.name.as_str(), b_trigger.from.name.as_str()];
                        pair.sort();
                        let mut want = [old_istag.as_str(), new_istag.as_str()];
                        want.sort();
                        pair == want
                            && [a_trigger, b_trigger]
                                .iter()
                                .all(|t| containers.iter().all(|c| t.container_names.contains(c)))
                    } =>
                {
                    repair = Some(DcAction::DropOld)
                }
                [t] => {
                    if t.from.kind != "ImageStreamTag" {
                        a.problems.push(format!(
                            "dc/{name}'s ImageChange trigger is on {} {}, not on an ImageStreamTag of {}",
                            t.from.kind, t.from.name, spec.stream
                        ));
                    } else if t
                        .from
                        .namespace
                        .as_ref()
                        .is_some_and(|n| !n.is_empty() && n != ns)
                    {
                        a.problems.push(format!(
                            "dc/{name} triggers on {} in project {}, not in {ns}",
                            t.from.name,
                            t.from.namespace.clone().unwrap_or_default()
                        ));
                    } else if t.from.name == new_istag {
                        on_new = true;
                    } else if t.from.name != old_istag {
                        a.problems.push(format!(
                            "dc/{name} triggers on {}, expected {old_istag} (to switch) or {new_istag} (already \
                             switched): check --from/--to{}",
                            t.from.name,
                            if spec.oracle_tags { " and --db" } else { "" }
                        ));
                    }
                    let covered: Vec<&str> = containers
                        .iter()
                        .map(String::as_str)
                        .filter(|c| !t.container_names.iter().any(|n| n == c))
                        .collect();
                    let extra: Vec<&str> = t
                        .container_names
                        .iter()
                        .map(String::as_str)
                        .filter(|n| !containers.iter().any(|c| c == n))
                        .collect();
                    if !covered.is_empty() {
                        a.problems.push(format!(
                            "dc/{name}'s trigger on {} does not cover container(s) {} of the guide's list {}",
                            t.from.name,
                            covered.join(","),
                            containers.join(",")
                        ));
                    }
                    if !extra.is_empty() {
                        a.problems.push(format!(
                            "dc/{name}'s trigger on {} also covers {}, which the guide does not list: the new \
                             trigger would leave them on the old image. Check the install against the 2.9 template",
                            t.from.name,
                            extra.join(",")
                        ));
                    }
                }
                many => {
                    let names: Vec<&str> = many.iter().map(|t| t.from.name.as_str()).collect();
                    let keep = if names.contains(&new_istag.as_str()) {
                        Some(new_istag.as_str())
                    } else if names.contains(&old_istag.as_str()) {
                        Some(old_istag.as_str())
                    } else {
                        None
                    };
                    let removals: Vec<Cmd> = names
                        .iter()
                        .filter(|n| Some(**n) != keep)
                        .map(|n| oc.remove_image_trigger(name, n, &containers))
                        .collect();
                    a.problems.push(format!(
                        "dc/{name} has {} ImageChange triggers ({}); the guide expects exactly one (two triggers on \
                         the same containers is undefined behaviour). Remove the extra one(s):{}",
                        many.len(),
                        names.join(", "),
                        indent_cmds(&removals)
                    ));
                }
            }
            if a.problems.len() > before {
                continue;
            }
            let action = if let Some(repair) = repair {
                repair
            } else if on_new {
                let rolled = dc.rollout(None) == Rollout::Complete;
                let on_image = a
                    .resolved
                    .get(&new_istag)
                    .is_some_and(|img| dc.runs_image(&containers, img));
                if rolled && on_image {
                    DcAction::Done
                } else {
                    DcAction::Await
                }
            } else {
                DcAction::Switch
            };
            if on_new {
                a.on_target.push(Switched {
                    dc: name.to_string(),
                    old_istag: old_istag.clone(),
                    new_istag: new_istag.clone(),
                    containers: containers.clone(),
                    stage: SwitchStage::NewAdded,
                    by_this_run: false,
                    rollout_unfinished: action == DcAction::Await,
                    trigger_index: crate::ops::oc_triggers::trigger_index(dc, &new_istag),
                });
            }
            component.dcs.push(DcPlan {
                name: name.to_string(),
                image: dc.images_of(&containers),
                containers,
                action,
                latest_version: dc.status.latest_version,
                triggers: crate::ops::oc_triggers::raw_triggers(dc),
            });
        }
        a.plan.push(component);
    }
    a
}

impl Step<Ctx> for Preflight {
    fn title(&self, _: &Ctx) -> String {
        "Preflight checks".into()
    }

    fn effect(&self) -> Effect {
        Effect::Read
    }

    fn preview(&self, ctx: &Ctx) -> Vec<Cmd> {
        let oc = &ctx.oc;
        vec![
            oc.version(),
            oc.whoami(),
            oc.get_project(),
            oc.list_imagestreams(),
            oc.list_dcs(),
            oc.get_configmap_optional(ENV_CONFIGMAP),
        ]
    }

    fn run(&self, ctx: &mut Ctx, runner: &Runner) -> anyhow::Result<Flow> {
        let oc = ctx.oc.clone();
        let cfg = ctx.cfg.clone();
        let ns = cfg.target.namespace.clone();
        let (version, whoami, project, streams, dcs, env) = std::thread::scope(|s| {
            let version = s.spawn(|| runner.run(&oc.version()));
            let whoami = s.spawn(|| runner.run(&oc.whoami()));
            let project = s.spawn(|| runner.run(&oc.get_project()));
            let streams = s.spawn(|| runner.run(&oc.list_imagestreams()));
            let dcs = s.spawn(|| runner.run(&oc.list_dcs()));
            let env = s.spawn(|| runner.run(&oc.get_configmap_optional(ENV_CONFIGMAP)));
            let join = |h: std::thread::ScopedJoinHandle<'_, Result<_, ProcessError>>| {
                h.join().expect("preflight thread panicked")
            };
            (
                join(version),
                join(whoami),
                join(project),
                join(streams),
                join(dcs),
                join(env),
            )
        });
        let fail = |problems: Vec<String>| Err(crate::exit::preflight_failed(&problems));

        // Without oc, a login or the project, every other check fails the same way: say it once.
        match &version {
            Err(e) if matches!(e.kind, FailureKind::NotFound(_)) => {
                return fail(vec![
                    "oc was not found on PATH: install the OpenShift CLI (https://docs.openshift.com/container-platform/latest/cli_reference/openshift_cli/getting-started-cli.html) or add it to PATH".into(),
                ]);
            }
            // Only a missing oc matters here; login and project problems are reported below.
            Err(_) => ctx.oc_version = "unknown".into(),
            Ok(out) => {
                let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap_or_default();
                ctx.oc_version = v["clientVersion"]["gitVersion"]
                    .as_str()
                    .unwrap_or("unknown")
                    .to_string();
            }
        }
        match &whoami {
            Ok(out) => ctx.user = out.stdout.trim().to_string(),
            Err(e) => {
                return fail(vec![format!(
                    "not logged in to the cluster ({}): log in with `oc login`{}",
                    e.stderr_trimmed()
                        .lines()
                        .last()
                        .unwrap_or("oc whoami failed"),
                    cfg.target
                        .context
                        .as_ref()
                        .map(|c| format!(" (context {c})"))
                        .unwrap_or_default()
                )]);
            }
        }
        if let Err(e) = &project {
            return fail(vec![format!(
                "project {ns:?} not found or not visible to {} ({}): check -n (`oc projects` lists yours)",
                ctx.user,
                e.stderr_trimmed().lines().last().unwrap_or_default()
            )]);
        }

        let mut problems = Vec::new();
        let streams: Vec<ImageStream> =
            crate::process::parsed::<List<ImageStream>>(&oc.list_imagestreams(), &streams)
                .map(|list| list.items)
                .unwrap_or_else(|problem| {
                    problems.push(problem);
                    Vec::new()
                });
        let dcs: Vec<DeploymentConfig> =
            crate::process::parsed::<List<DeploymentConfig>>(&oc.list_dcs(), &dcs)
                .map(|list| list.items)
                .unwrap_or_else(|problem| {
                    problems.push(problem);
                    Vec::new()
                });
        match &env {
            Ok(out) if out.stdout.trim().is_empty() => ctx.warnings.push(format!(
                "ConfigMap {ENV_CONFIGMAP} not found in project {ns}: is this a template-based 3scale install?"
            )),
            Ok(out) => match serde_json::from_str::<ConfigMap>(&out.stdout) {
                Ok(cm) => ctx.amp_release = cm.data.get(AMP_RELEASE).cloned(),
                Err(e) => ctx
                    .warnings
                    .push(format!("ConfigMap {ENV_CONFIGMAP} is not readable JSON: {e}")),
            },
            Err(e) => ctx.warnings.push(e.summary()),
        }
        if problems.is_empty() {
            let analysis = analyze(ctx.upgrade, &cfg, &oc, &streams, &dcs);
            problems.extend(analysis.problems);
            ctx.db = analysis.db;
            ctx.db_reason = analysis.db_reason;
            ctx.plan = analysis.plan;
            ctx.absent = analysis.absent;
            ctx.resolved = analysis.resolved;
            for s in analysis.on_target {
                ctx.note_switched(s);
            }
        }
        if !problems.is_empty() {
            return fail(problems);
        }

        let target = ctx.upgrade.amp_release;
        match ctx.amp_release.as_deref() {
            Some(v) if v == target => {}
            current => ctx.warnings.push(format!(
                "{AMP_RELEASE} in ConfigMap {ENV_CONFIGMAP} is {}, not {target}: the guide sets it before patching \
                 the images. This tool does not change it; set it with:\n  {}",
                current.map(|v| format!("{v:?}")).unwrap_or_else(|| "not set".into()),
                oc.patch_configmap_data(ENV_CONFIGMAP, AMP_RELEASE, target).display()
            )),
        }
        for warning in &ctx.warnings {
            runner.reporter().warn(warning);
        }

        let count = |action: DcAction| {
            ctx.plan
                .iter()
                .flat_map(|c| &c.dcs)
                .filter(|d| d.action == action)
                .count()
        };
        let (switch, wait, done) = (
            count(DcAction::Switch) + count(DcAction::AddNew) + count(DcAction::DropOld),
            count(DcAction::Await),
            count(DcAction::Done),
        );
        let add = ctx
            .plan
            .iter()
            .filter(|c| c.tag.state == TagState::Add)
            .count();
        if switch + wait == 0 && add == 0 {
            let what = if ctx.plan.is_empty() {
                format!(
                    "none of the selected components ({}) has a DeploymentConfig in project {ns}",
                    ctx.absent.join(", ")
                )
            } else {
                format!(
                    "every selected DeploymentConfig ({done}) is on its {} trigger and rolled out, and every tag exists",
                    ctx.upgrade.to
                )
            };
            return Ok(Flow::Finish(format!(
                "3scale in project {ns} is already at {}: {what}. Nothing to do",
                ctx.upgrade.to
            )));
        }
        Ok(Flow::Continue(format!(
            "user {}, database {}; {add} tag(s) to add, {switch} DC(s) to switch, {wait} to wait for, {done} already done",
            ctx.user,
            ctx.db_text()
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::target::KubeTarget;
    use crate::threescale::config::OutputFormat;
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
            .push(crate::ops::oc::TagReference::docker_image(
                "2.10",
                "registry.redhat.io/3scale-amp2/system-rhel7:3scale2.10",
                "AMP system 2.10",
            ));
        streams[1]
            .spec
            .tags
            .push(crate::ops::oc::TagReference::docker_image(
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
}
