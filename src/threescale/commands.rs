//! The subcommands: patch-images / plan (the runbook); status is in `status.rs`.

use super::config::Config;
use super::context::Ctx;
use super::report;
use super::steps;
use crate::exit::{bad_input, Exit};
use crate::ops::access;
use crate::ops::kubectl::Kubectl;
use crate::ops::oc::Oc;
use crate::plugin_run::{drive, Confirmation};
use crate::process::Runner;

pub(super) fn runner_for(cfg: &Config, preview: bool) -> Runner {
    Runner::for_command(cfg.verbose, preview, cfg.timeout)
}

/// Before anything else: oc is installed, the kubeconfig names a context, the project is known (without
/// `-n`, the current one) and the cluster answers for it. Each failure is one line, exit 2. Returns the
/// kube context in use.
pub(super) fn connect(cfg: &mut Config, runner: &Runner) -> anyhow::Result<String> {
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
        .map_err(|p| bad_input(p.to_string()))?;
    Ok(cfg.target.context.clone().unwrap_or(access.context))
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
pub(crate) fn run(mut cfg: Config, preview: bool) -> anyhow::Result<Exit> {
    let upgrade = cfg.validate()?;
    let runner = runner_for(&cfg, preview);
    let context = connect(&mut cfg, &runner)?;
    let mut ctx = Ctx::new(cfg.clone(), upgrade);
    ctx.context_name = context;
    let runbook = steps::runbook(&cfg, upgrade);
    let confirmation = Confirmation {
        yes: cfg.yes,
        question: "Proceed?",
        alternative: ", or preview it with `oc 3scale-upgrade plan`",
        summary: report::confirmation_text,
    };
    let outcome = drive(&runbook, &mut ctx, &runner, preview, &confirmation);
    Ok(report::finish(&ctx, &outcome, preview))
}
