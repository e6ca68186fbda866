//! `status`: image streams, DeploymentConfigs and AMP_RELEASE, as text or JSON. Read-only.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{json, Value};

use super::commands::{connect, runner_for};
use super::config::Config;
use super::release::{self, ComponentSpec, DcSpec, Presence, Upgrade};
use super::steps::{AMP_RELEASE, ENV_CONFIGMAP};
use crate::exit::{bad_input, Exit};
use crate::ops::k8s::{ConfigMap, List};
use crate::ops::oc::Oc;
use crate::ops::openshift::{DeploymentConfig, ImageStream, ImportState, Rollout};
use crate::output::{emit, Document};
use crate::process::Runner;

/// What `status` prints.
#[derive(Serialize)]
struct StatusDocument {
    namespace: String,
    context: String,
    /// The system-oracle BuildConfig and its last build, when the project has it.
    oracle_build: Option<Value>,
    amp_release: Option<String>,
    image_streams: Vec<Value>,
    deployment_configs: Vec<Value>,
    #[serde(skip)]
    text: String,
}

impl Document for StatusDocument {
    fn text(&self) -> String {
        format!("{}\n", self.text)
    }
}

/// What the project holds, read in one go.
struct Project {
    streams: Vec<ImageStream>,
    dcs: Vec<DeploymentConfig>,
    amp_release: Option<String>,
}

/// The text and the JSON rows, built side by side so both list the same things in the same order.
#[derive(Default)]
struct Listing {
    text: String,
    stream_rows: Vec<Value>,
    dc_rows: Vec<Value>,
}

fn short_image(image: &str) -> &str {
    image.rsplit('/').next().unwrap_or(image)
}

/// `status`: image streams, DeploymentConfigs and AMP_RELEASE. Read-only.
pub(crate) fn status(mut cfg: Config) -> anyhow::Result<Exit> {
    let upgrade: &'static Upgrade = release::UPGRADES.last().expect("at least one upgrade");
    let runner = runner_for(&cfg, true);
    let context = connect(&mut cfg, &runner)?;
    let project = read_project(&cfg, &runner, upgrade)?;
    let mut listing = Listing {
        text: format!("project {} (context {context})\n", cfg.target.namespace),
        ..Listing::default()
    };
    for component in upgrade.components {
        listing.add_component(component, &project);
    }
    let oracle = oracle_build(&cfg, &runner, upgrade);
    if let Some(o) = &oracle {
        listing.text.push_str(&format!(
            "BuildConfig {}: from {}, output {}; last build {}\n",
            upgrade.oracle_build.build_config,
            o["from"].as_str().unwrap_or_default(),
            o["output"].as_str().unwrap_or_default(),
            o["last_build"].as_str().unwrap_or_default()
        ));
    }
    listing.text.push_str(&format!(
        "{AMP_RELEASE} (ConfigMap {ENV_CONFIGMAP}): {}",
        project.amp_release.as_deref().unwrap_or("not set")
    ));
    emit(
        cfg.output,
        &listing.into_document(&cfg, context, project.amp_release, oracle),
    )?;
    Ok(Exit::Ok)
}

/// The system-oracle BuildConfig (`from`, `output`) and its newest build with its phase, if it exists.
fn oracle_build(cfg: &Config, runner: &Runner, upgrade: &'static Upgrade) -> Option<Value> {
    let oc = Oc::new(cfg.target.clone());
    let name = upgrade.oracle_build.build_config;
    let bc = runner
        .run(&oc.kubectl.get_optional("buildconfig", name))
        .ok()?;
    let bc: crate::ops::openshift::BuildConfig = serde_json::from_str(&bc.stdout).ok()?;
    let selector = format!("openshift.io/build-config.name={name}");
    let builds = runner
        .json::<List<crate::ops::openshift::Build>>(&oc.scoped(
            true,
            &["get", "builds"],
            ["-l", &selector, "-o", "json"],
        ))
        .map(|l| l.items)
        .unwrap_or_default();
    let last = builds
        .iter()
        .max_by_key(|b| b.number())
        .map_or("none".to_string(), |b| {
            format!("{} {}", b.name(), b.status.phase)
        });
    Some(
        serde_json::json!({"from": bc.spec.base_image(), "output": bc.spec.output_tag(), "last_build": last}),
    )
}

/// The image streams, the DCs and AMP_RELEASE, read concurrently; exit 2 when 3scale is not installed.
fn read_project(
    cfg: &Config,
    runner: &Runner,
    upgrade: &'static Upgrade,
) -> anyhow::Result<Project> {
    let oc = Oc::new(cfg.target.clone());
    let (streams, dcs, env) = std::thread::scope(|s| {
        let streams = s.spawn(|| runner.json::<List<ImageStream>>(&oc.list_imagestreams()));
        let dcs = s.spawn(|| runner.json::<List<DeploymentConfig>>(&oc.list_dcs()));
        let env = s.spawn(|| runner.run(&oc.get_configmap_optional(ENV_CONFIGMAP)));
        (
            streams.join().expect("thread"),
            dcs.join().expect("thread"),
            env.join().expect("thread"),
        )
    });
    let streams = streams?.items;
    let dcs = dcs?.items;
    if let Some(problem) =
        super::installation::missing_installation(upgrade, &cfg.target.namespace, &streams, &dcs)
    {
        return Err(bad_input(problem));
    }
    let amp_release = match env {
        Ok(out) if !out.stdout.trim().is_empty() => serde_json::from_str::<ConfigMap>(&out.stdout)
            .ok()
            .and_then(|cm| cm.data.get(AMP_RELEASE).cloned()),
        _ => None,
    };
    Ok(Project {
        streams,
        dcs,
        amp_release,
    })
}

/// Every tag of a stream: the spec tags in order, then those only in the status (pushed or built).
fn tag_names(is: &ImageStream) -> Vec<String> {
    let mut names: Vec<String> = is.spec.tags.iter().map(|t| t.name.clone()).collect();
    for t in &is.status.tags {
        if !names.contains(&t.tag) {
            names.push(t.tag.clone());
        }
    }
    names
}

fn rollout_text(dc: &DeploymentConfig) -> String {
    match dc.rollout(None) {
        Rollout::Complete => "complete".to_string(),
        Rollout::Progressing(what) => format!("in progress: {what}"),
        Rollout::Failed(why) => format!("failed: {why}"),
    }
}

impl Listing {
    /// A component's stream and DCs; nothing for an optional component the project does not run.
    fn add_component(&mut self, component: &ComponentSpec, project: &Project) {
        let is = project
            .streams
            .iter()
            .find(|s| s.name() == component.stream);
        let find_dc = |name: &str| project.dcs.iter().find(|d| d.name() == name);
        let present = component.dcs.iter().any(|d| find_dc(d.name).is_some());
        if !present && (is.is_none() || component.presence == Presence::IfDcExists) {
            return;
        }
        match is {
            None => {
                self.text
                    .push_str(&format!("imagestream/{}: NOT FOUND\n", component.stream));
                self.stream_rows
                    .push(json!({"name": component.stream, "found": false}));
            }
            Some(is) => self.add_stream(component.stream, is),
        }
        for spec in component.dcs {
            match find_dc(spec.name) {
                None => {
                    self.text
                        .push_str(&format!("  dc/{}: NOT FOUND\n", spec.name));
                    self.dc_rows.push(
                        json!({"name": spec.name, "component": component.stream, "found": false}),
                    );
                }
                Some(dc) => self.add_dc(component.stream, spec, dc),
            }
        }
    }

    /// One line per tag: its import state and where it imports from.
    fn add_stream(&mut self, stream: &str, is: &ImageStream) {
        self.text.push_str(&format!("imagestream/{stream}\n"));
        let mut tags = Vec::new();
        for name in tag_names(is) {
            let source = is.spec_tag(&name).map(|t| t.source());
            let (state, detail) = match is.import_state(&name) {
                ImportState::Imported(image) => ("imported", image),
                ImportState::Failed(message) => ("failed", message),
                ImportState::Pending => ("pending", String::new()),
            };
            self.text.push_str(&format!(
                "  tag {:<14} {:<9} {}{}\n",
                name,
                state,
                if state == "imported" {
                    short_image(&detail)
                } else {
                    &detail
                },
                source
                    .as_ref()
                    .map(|s| format!("  (from {s})"))
                    .unwrap_or_else(|| "  (no spec tag: pushed or built)".into())
            ));
            tags.push(json!({"name": name, "source": source, "import": state, "detail": detail}));
        }
        self.stream_rows
            .push(json!({"name": stream, "found": true, "tags": tags}));
    }

    /// A DC's image triggers, images, latestVersion and rollout.
    fn add_dc(&mut self, stream: &str, spec: &DcSpec, dc: &DeploymentConfig) {
        let triggers: Vec<_> = dc
            .image_triggers()
            .iter()
            .map(|t| json!({"from": t.from.name, "containers": t.container_names}))
            .collect();
        let trigger_text = dc
            .image_triggers()
            .iter()
            .map(|t| format!("{} ({})", t.from.name, t.container_names.join(",")))
            .collect::<Vec<_>>()
            .join(", ");
        let images: BTreeMap<&str, &str> = spec
            .containers
            .iter()
            .filter_map(|c| dc.container_image(c).map(|i| (*c, i)))
            .collect();
        let rollout = rollout_text(dc);
        let containers: Vec<String> = spec.containers.iter().map(|c| c.to_string()).collect();
        self.text.push_str(&format!(
            "  dc/{:<22} trigger {}\n      image {}  latestVersion {}  rollout {}\n",
            spec.name,
            if trigger_text.is_empty() {
                "NONE".to_string()
            } else {
                trigger_text
            },
            short_image(&dc.images_of(&containers)),
            dc.status.latest_version,
            rollout
        ));
        self.dc_rows.push(json!({
            "name": spec.name,
            "component": stream,
            "found": true,
            "triggers": triggers,
            "images": images,
            "latest_version": dc.status.latest_version,
            "rollout": rollout,
        }));
    }

    /// The document `status` prints: the rows as JSON (`-o json`), the lines as text.
    fn into_document(
        self,
        cfg: &Config,
        context: String,
        amp_release: Option<String>,
        oracle_build: Option<Value>,
    ) -> StatusDocument {
        StatusDocument {
            namespace: cfg.target.namespace.clone(),
            context,
            oracle_build,
            amp_release,
            image_streams: self.stream_rows,
            deployment_configs: self.dc_rows,
            text: self.text,
        }
    }
}
