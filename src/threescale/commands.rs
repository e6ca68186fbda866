//! The subcommands: patch-images / plan (the runbook) and status.

use std::collections::BTreeMap;

use serde_json::json;

use super::config::{Config, OutputFormat};
use super::context::Ctx;
use super::release::{self, Presence, Upgrade};
use super::report;
use super::steps::{self, AMP_RELEASE, ENV_CONFIGMAP};
use crate::exit::{bad_input, Exit};
use crate::ops::access;
use crate::ops::k8s::{ConfigMap, List};
use crate::ops::kubectl::Kubectl;
use crate::ops::oc::{DeploymentConfig, ImageStream, ImportState, Oc, Rollout};
use crate::output::confirm_or_refuse;
use crate::process::Runner;
use crate::runbook::{execute, Mode};

fn runner_for(cfg: &Config, preview: bool) -> Runner {
    Runner::for_command(cfg.verbose, preview, cfg.timeout)
}

/// Before anything else: oc is installed, the kubeconfig names a context, the project is known (without
/// `-n`, the current one) and the cluster answers for it. Each failure is one line, exit 2.
fn connect(cfg: &mut Config, runner: &Runner) -> anyhow::Result<()> {
    if runner.resolve("oc").is_err() {
        return Err(bad_input(
            "oc was not found on PATH: install the OpenShift CLI (https://docs.openshift.com/container-platform/latest/cli_reference/openshift_cli/getting-started-cli.html) or add it to PATH. Nothing was changed.",
        ));
    }
    let client = Kubectl::new("oc", cfg.target.clone());
    let access = access::local(runner, &client).map_err(|p| bad_input(p.to_string()))?;
    resolve_namespace(cfg, runner)?;
    let oc = Oc::new(cfg.target.clone());
    access::reachable(runner, &oc.kubectl, &access, oc.get_project())
        .map_err(|p| bad_input(p.to_string()))
}

/// Without `-n`, the current project (`oc project -q`).
fn resolve_namespace(cfg: &mut Config, runner: &Runner) -> anyhow::Result<()> {
    if !cfg.target.namespace.is_empty() {
        return Ok(());
    }
    match runner.run(&Oc::current_project(&cfg.target)) {
        Ok(out) if !out.stdout.trim().is_empty() => {
            cfg.target.namespace = out.stdout.trim().to_string();
            Ok(())
        }
        Err(e) => Err(bad_input(format!(
            "no -n/--namespace given and the current project is unknown ({}): pass -n PROJECT or run `oc project PROJECT`",
            e.stderr_trimmed().lines().last().unwrap_or("`oc project -q` failed")
        ))),
        Ok(_) => Err(bad_input(
            "no -n/--namespace given and `oc project -q` printed no project: pass -n PROJECT",
        )),
    }
}

/// `patch-images` (preview=false), `patch-images --dry-run` and `plan` (preview=true).
pub fn run(mut cfg: Config, preview: bool) -> anyhow::Result<Exit> {
    let upgrade = cfg.validate()?;
    let runner = runner_for(&cfg, preview);
    connect(&mut cfg, &runner)?;
    let mut ctx = Ctx::new(cfg.clone(), upgrade);
    let runbook = steps::runbook(&cfg, upgrade);
    let mode = if preview {
        Mode::Preview
    } else {
        Mode::Execute
    };
    let outcome = execute(&runbook, &mut ctx, &runner, mode, |ctx| {
        runner.reporter().info(&report::confirmation_text(ctx));
        confirm_or_refuse(
            runner.reporter(),
            cfg.yes,
            "Proceed?",
            ", or preview it with `oc 3scale-upgrade plan`",
        )
    });
    Ok(report::finish(&ctx, &outcome, preview))
}

fn short_image(image: &str) -> &str {
    image.rsplit('/').next().unwrap_or(image)
}

/// `status`: image streams, DeploymentConfigs and AMP_RELEASE. Read-only.
pub fn status(mut cfg: Config) -> anyhow::Result<Exit> {
    let upgrade: &'static Upgrade = release::UPGRADES.last().expect("at least one upgrade");
    let runner = runner_for(&cfg, true);
    connect(&mut cfg, &runner)?;
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

    let mut stream_rows = Vec::new();
    let mut dc_rows = Vec::new();
    let mut text = format!("project {}\n", cfg.target.namespace);
    for component in upgrade.components {
        let is = streams.iter().find(|s| s.name() == component.stream);
        let present: Vec<&DeploymentConfig> = component
            .dcs
            .iter()
            .filter_map(|d| dcs.iter().find(|x| x.name() == d.name))
            .collect();
        if present.is_empty() && (is.is_none() || component.presence == Presence::IfDcExists) {
            continue;
        }
        match is {
            None => {
                text.push_str(&format!("imagestream/{}: NOT FOUND\n", component.stream));
                stream_rows.push(json!({"name": component.stream, "found": false}));
            }
            Some(is) => {
                text.push_str(&format!("imagestream/{}\n", component.stream));
                let mut names: Vec<String> = is.spec.tags.iter().map(|t| t.name.clone()).collect();
                for t in &is.status.tags {
                    if !names.contains(&t.tag) {
                        names.push(t.tag.clone());
                    }
                }
                let mut tags = Vec::new();
                for name in names {
                    let source = is.spec_tag(&name).map(|t| t.source());
                    let (state, detail) = match is.import_state(&name) {
                        ImportState::Imported(image) => ("imported", image),
                        ImportState::Failed(message) => ("failed", message),
                        ImportState::Pending => ("pending", String::new()),
                    };
                    text.push_str(&format!(
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
                    tags.push(
                        json!({"name": name, "source": source, "import": state, "detail": detail}),
                    );
                }
                stream_rows.push(json!({"name": component.stream, "found": true, "tags": tags}));
            }
        }
        for spec in component.dcs {
            let Some(dc) = dcs.iter().find(|d| d.name() == spec.name) else {
                text.push_str(&format!("  dc/{}: NOT FOUND\n", spec.name));
                dc_rows.push(
                    json!({"name": spec.name, "component": component.stream, "found": false}),
                );
                continue;
            };
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
            let rollout = match dc.rollout(None) {
                Rollout::Complete => "complete".to_string(),
                Rollout::Progressing(what) => format!("in progress: {what}"),
                Rollout::Failed(why) => format!("failed: {why}"),
            };
            let containers: Vec<String> = spec.containers.iter().map(|c| c.to_string()).collect();
            text.push_str(&format!(
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
            dc_rows.push(json!({
                "name": spec.name,
                "component": component.stream,
                "found": true,
                "triggers": triggers,
                "images": images,
                "latest_version": dc.status.latest_version,
                "rollout": rollout,
            }));
        }
    }
    text.push_str(&format!(
        "{AMP_RELEASE} (ConfigMap {ENV_CONFIGMAP}): {}",
        amp_release.as_deref().unwrap_or("not set")
    ));
    match cfg.output {
        OutputFormat::Json => crate::output::stdout_line(
            &serde_json::to_string_pretty(&json!({
                "namespace": cfg.target.namespace,
                "amp_release": amp_release,
                "image_streams": stream_rows,
                "deployment_configs": dc_rows,
            }))?
            .to_string(),
        ),
        OutputFormat::Text => crate::output::stdout_line(&text),
    }
    Ok(Exit::Ok)
}
