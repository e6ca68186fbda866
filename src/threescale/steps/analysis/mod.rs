//! The preflight's analysis: from the two listings alone (no calls, so unit-testable), every problem and,
//! component by component and DC by DC, what the run will do.

mod database;
mod dc;

use std::collections::BTreeMap;

use crate::ops::oc::Oc;
use crate::ops::openshift::{DeploymentConfig, ImageStream, ImportState};
use crate::threescale::config::{Config, Db};
use crate::threescale::context::{ComponentPlan, Switched, TagPlan, TagState};
use crate::threescale::release::{ComponentSpec, Presence, Upgrade, REDHAT_REGISTRY};

/// The preflight's findings, from the listings alone (no calls: unit-testable).
#[derive(Debug, Default)]
pub(crate) struct Analysis {
    pub(crate) problems: Vec<String>,
    pub(crate) db: Option<Db>,
    pub(crate) db_reason: String,
    pub(crate) plan: Vec<ComponentPlan>,
    pub(crate) absent: Vec<String>,
    pub(crate) resolved: BTreeMap<String, String>,
    /// DCs already on their new trigger (switched by an earlier run).
    pub(crate) on_target: Vec<Switched>,
}

/// What every check reads: the release, the flags and the project's two listings.
struct Project<'a> {
    upgrade: &'static Upgrade,
    cfg: &'a Config,
    oc: &'a Oc,
    streams: &'a [ImageStream],
    dcs: &'a [DeploymentConfig],
    oracle: bool,
}

impl Project<'_> {
    fn ns(&self) -> &str {
        &self.cfg.target.namespace
    }

    fn dc(&self, name: &str) -> Option<&DeploymentConfig> {
        self.dcs.iter().find(|d| d.name() == name)
    }
}

/// Plans the run from the two listings; problems are collected, never returned early.
pub(crate) fn analyze(
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
    let (db, db_reason) = database::decide_db(upgrade, cfg, dcs, &mut a.problems);
    a.db = db;
    a.db_reason = db_reason;
    if !a.problems.is_empty() {
        // Every tag and trigger check depends on the database: with it wrong, they would only repeat it.
        return a;
    }
    let project = Project {
        upgrade,
        cfg,
        oc,
        streams,
        dcs,
        oracle: db == Some(Db::Oracle),
    };
    for spec in upgrade.components.iter().filter(|c| cfg.selects(c.stream)) {
        let present = match spec.presence {
            Presence::Required => true,
            Presence::IfDcExists => spec.dcs.iter().any(|d| project.dc(d.name).is_some()),
        };
        if !present {
            a.absent.push(spec.stream.to_string());
            continue;
        }
        let component = plan_component(&project, &mut a, spec);
        a.plan.push(component);
    }
    a
}

/// One component: its stream and new tag, then its DCs.
fn plan_component(p: &Project, a: &mut Analysis, spec: &'static ComponentSpec) -> ComponentPlan {
    let (upgrade, ns) = (p.upgrade, p.ns());
    let stream = p.streams.iter().find(|s| s.name() == spec.stream);
    if stream.is_none() {
        a.problems.push(format!(
            "image stream {} not found in project {ns} (`oc get imagestreams -n {ns}` lists them)",
            spec.stream
        ));
    }
    let mut component = ComponentPlan {
        spec,
        stream: spec.stream.to_string(),
        from_tag: spec.trigger_tag(upgrade.from, p.oracle),
        to_tag: spec.trigger_tag(upgrade.to, p.oracle),
        tag: TagPlan {
            name: upgrade.to.to_string(),
            source: spec.image_from(p.cfg.registry.as_deref()),
            display_name: spec.display_name.to_string(),
            state: TagState::Add,
        },
        same_source: false,
        dcs: Vec::new(),
    };
    if let Some(is) = stream {
        check_stream(p, a, &mut component, is);
    }
    for dc_spec in spec.dcs {
        if let Some(plan) = dc::plan_dc(p, a, &component, dc_spec) {
            component.dcs.push(plan);
        }
    }
    component
}

/// The stream's tags: the new one (add, reuse or refuse), the Oracle build, and what each tag resolves to.
fn check_stream(p: &Project, a: &mut Analysis, component: &mut ComponentPlan, is: &ImageStream) {
    let source = component.tag.source.clone();
    component.same_source = is
        .spec_tag(&component.from_tag)
        .and_then(|t| t.from.as_ref())
        .is_some_and(|f| f.kind == "DockerImage" && f.name == source);
    check_new_tag(p, a, component, is);
    check_oracle_build(p, a, component, is);
    for (istag, tag) in [
        (component.old_istag(), &component.from_tag),
        (component.new_istag(), &component.to_tag),
        (component.new_tag().to_string(), &component.tag.name),
    ] {
        if let Some(image) = is.resolved(tag) {
            a.resolved.insert(istag, image);
        }
    }
}

/// The new tag: add it, reuse it, or stop when it points elsewhere.
fn check_new_tag(p: &Project, a: &mut Analysis, component: &mut ComponentPlan, is: &ImageStream) {
    let (spec, to, oc) = (component.spec, p.upgrade.to, p.oc);
    let source = &component.tag.source;
    let Some(existing) = is.spec_tag(to) else {
        return;
    };
    let same = existing
        .from
        .as_ref()
        .is_some_and(|f| f.kind == "DockerImage" && f.name == *source);
    if same {
        component.tag.state = TagState::Present;
        if let ImportState::Failed(message) = is.import_state(to) {
            a.problems.push(format!(
                "image stream tag {}:{} exists but its import failed: {message}\n    \
                 fix the source or the registry credentials, then re-import it with `{}`",
                spec.stream,
                to,
                oc.import_image(spec.stream, to).display()
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
            to,
            existing.source(),
            oc.delete_tag(spec.stream, to).display()
        ));
    }
}

/// With Oracle, the system image is built in the project: its new tag must exist before triggers move.
fn check_oracle_build(p: &Project, a: &mut Analysis, component: &ComponentPlan, is: &ImageStream) {
    let (spec, upgrade) = (component.spec, p.upgrade);
    // with --oracle-build-dir the build step makes it before any tag or trigger
    let builds_first = p.cfg.oracle_build_dir.is_some();
    if p.oracle && spec.oracle_tags && !builds_first && is.resolved(&component.to_tag).is_none() {
        a.problems.push(format!(
            "image stream tag {new_istag} does not exist or has no image yet. With an Oracle database the \
             system DCs run the system-oracle image, which must be built before their triggers move \
             (or they would never roll out): update BuildConfig {bc} to {to} as the guide's \
             \"Upgrading 3scale 2.9 to 2.10 with Oracle 19c\" section describes (its output is \
             {stream}:${{AMP_RELEASE}}-oracle), build it with `{build}`, then re-run",
            new_istag = component.new_istag(),
            bc = upgrade.oracle_build.build_config,
            to = upgrade.to,
            stream = spec.stream,
            build = p.oc.start_build(upgrade.oracle_build.build_config).display()
        ));
    }
}

/// A `--registry` that would turn `ours` into `theirs`, if one would.
fn registry_guess(ours: &str, theirs: &str) -> Option<String> {
    let path = ours.strip_prefix(REDHAT_REGISTRY)?;
    let host = theirs.strip_suffix(path)?;
    (!host.is_empty() && host != REDHAT_REGISTRY).then(|| host.to_string())
}

#[cfg(test)]
mod tests;
