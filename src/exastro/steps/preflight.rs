//! Step 1: everything that can be checked before any change, all at once, with independent calls run
//! concurrently. Every problem is reported together; any problem means exit 2 with nothing changed.

use crate::exastro::chart::{ITA_KEY_PATH, ITA_SECRET, PF_KEY_PATH, PF_SECRET};
use crate::exastro::context::Ctx;
use crate::exastro::journal;
use crate::exit::preflight_failed;
use crate::ops::access;
use crate::ops::helm::{Helm, HistoryRow, ReleaseRow, SearchHit};
use crate::process::{Cmd, Effect, FailureKind, Output, ProcessError, Runner};
use crate::runbook::{Flow, Step};
use crate::semver;
use crate::values;

pub struct Preflight;

impl Step<Ctx> for Preflight {
    fn title(&self, _: &Ctx) -> String {
        "Preflight checks".into()
    }

    fn effect(&self) -> Effect {
        Effect::Read
    }

    fn preview(&self, ctx: &Ctx) -> Vec<Cmd> {
        vec![
            Helm::version(),
            ctx.kubectl.version(),
            ctx.kubectl.current_context(),
            ctx.kubectl.auth_whoami(),
            ctx.kubectl.get_namespace(),
            ctx.helm.list_release(&ctx.cfg.release),
            ctx.helm
                .get_values(&ctx.cfg.release)
                .note("the release's values: the values file must not drop any of them"),
            ctx.kubectl
                .existing_names("secret", &[ITA_SECRET, PF_SECRET]),
            ctx.kubectl.get_optional("configmap", journal::JOURNAL_NAME),
            Helm::repo_update(ctx.cfg.repo()),
            Helm::search_versions(&ctx.cfg.chart, ctx.cfg.version.as_deref()),
        ]
    }

    fn run(&self, ctx: &mut Ctx, runner: &Runner) -> anyhow::Result<Flow> {
        let mut problems: Vec<String> = Vec::new();
        let cfg = ctx.cfg.clone();

        // Local checks first: they need no cluster.
        if !cfg.chart.contains('/') || cfg.chart.starts_with("oci://") {
            problems.push(format!(
                "--chart {} must be REPO/CHART from a helm repository (e.g. exastro/exastro)",
                cfg.chart
            ));
        }
        let values_loaded = match values::load_values_file(&cfg.values_file) {
            Ok(map) => {
                ctx.user_values = map;
                true
            }
            Err(e) => {
                problems.push(e.to_string());
                false
            }
        };
        for path in values::reinstall_paths(&ctx.user_values) {
            problems.push(format!(
                "{path} is true in {}: the chart's init containers would delete that data on start. Set it to false before upgrading",
                cfg.values_display()
            ));
        }

        let (kubectl, helm) = (&ctx.kubectl.clone(), &ctx.helm.clone());
        // Tools and cluster access first: when the cluster cannot be used, that one line is the answer,
        // not every later call retrying the same connection error.
        let (helm_v, kubectl_v, access, search) = std::thread::scope(|s| {
            let helm_v = s.spawn(|| runner.run(&Helm::version()));
            let kubectl_v = s.spawn(|| runner.run(&kubectl.version()));
            let access = s.spawn(|| access::check(runner, kubectl, kubectl.get_namespace()));
            let search = s.spawn(|| {
                runner.run(&Helm::repo_update(cfg.repo()))?;
                runner.run(&Helm::search_versions(&cfg.chart, cfg.version.as_deref()))
            });
            (
                helm_v.join().expect("preflight thread panicked"),
                kubectl_v.join().expect("preflight thread panicked"),
                access.join().expect("preflight thread panicked"),
                search.join().expect("preflight thread panicked"),
            )
        });
        let helm_found = !matches!(&helm_v, Err(e) if e.is_missing_tool());
        let kubectl_found = !matches!(&kubectl_v, Err(e) if e.is_missing_tool());
        problems.extend(tool_problems(ctx, &helm_v, &kubectl_v));
        let namespace_ok = kubectl_found
            && match access {
                Ok(access) => {
                    ctx.context_name = cfg.target.context.clone().unwrap_or(access.context);
                    true
                }
                Err(problem) => {
                    problems.push(problem.to_string());
                    false
                }
            };
        let (cluster_user, release, secrets, unfinished) = if namespace_ok {
            std::thread::scope(|s| {
                let whoami = s.spawn(|| runner.run(&kubectl.auth_whoami()).ok());
                let release = s.spawn(|| runner.run(&helm.list_release(&cfg.release)));
                let secrets = s.spawn(|| {
                    runner.run(&kubectl.existing_names("secret", &[ITA_SECRET, PF_SECRET]))
                });
                let unfinished = s.spawn(|| {
                    runner.run(&kubectl.get_optional("configmap", journal::JOURNAL_NAME))
                });
                // Only the lease's holder identity: a cluster without SelfSubjectReview is not a problem.
                let cluster_user = whoami
                    .join()
                    .ok()
                    .flatten()
                    .map(|o| o.stdout.trim().to_string());
                (
                    cluster_user,
                    Some(release.join().expect("preflight thread panicked")),
                    Some(secrets.join().expect("preflight thread panicked")),
                    Some(unfinished.join().expect("preflight thread panicked")),
                )
            })
        } else {
            (None, None, None, None)
        };
        ctx.cluster_user = cluster_user;

        if let (Some(secrets), Some(unfinished)) = (&secrets, &unfinished) {
            match secrets {
                Ok(out) => {
                    for (secret, path) in [(ITA_SECRET, ITA_KEY_PATH), (PF_SECRET, PF_KEY_PATH)] {
                        let exists = out
                            .stdout
                            .lines()
                            .any(|l| l.trim() == format!("secret/{secret}"));
                        if !exists && !values::is_set(&ctx.user_values, path) {
                            problems.push(format!(
                                "ENCRYPT_KEY guard: secret {secret} does not exist and {} does not set {path}: \
                                 the chart would generate a NEW key and the encrypted data would become unreadable. \
                                 Put the ENCRYPT_KEY from your backup into {path}",
                                cfg.values_display()
                            ));
                        }
                    }
                }
                Err(e) => problems.push(e.summary()),
            }
            match unfinished {
                Ok(out) => match journal::parse_with_lease(&out.stdout) {
                    Ok(Some((j, lease))) => problems.push(
                        journal::unfinished_problem(runner, kubectl, &cfg, &j, lease)
                            .unwrap_or_else(|e| format!("{e:#}")),
                    ),
                    Ok(None) => {}
                    Err(e) => problems.push(format!(
                        "ConfigMap {} exists but is unreadable ({e:#}); inspect it with `kubectl get configmap {} -n {} -o yaml`",
                        journal::JOURNAL_NAME,
                        journal::JOURNAL_NAME,
                        cfg.target.namespace
                    )),
                },
                Err(e) => problems.push(e.summary()),
            }
        }

        if let (true, Some(release)) = (helm_found, &release) {
            match crate::process::parsed::<Vec<ReleaseRow>>(&helm.list_release(&cfg.release), release) {
                Ok(rows) => match rows.into_iter().find(|r| r.name == cfg.release) {
                    None => problems.push(format!(
                        "helm release {:?} not found in namespace {:?}: check --release and -n (`helm list -A` lists every release)",
                        cfg.release, cfg.target.namespace
                    )),
                    Some(row) => {
                        if row.status != "deployed" {
                            problems.push(release_status_problem(runner, ctx, &row));
                        }
                        match row.chart.strip_prefix(&format!("{}-", cfg.chart_name())) {
                            Some(v) => ctx.installed_version = v.to_string(),
                            None => problems.push(format!(
                                "release {:?} runs chart {}, not {}: check --chart",
                                cfg.release, row.chart, cfg.chart
                            )),
                        }
                        ctx.installed_app = row.app_version.clone();
                        ctx.release = Some(row);
                        if values_loaded {
                            problems.extend(super::values_guard::check(ctx, runner));
                        }
                    }
                },
                Err(problem) => problems.push(problem),
            }
        }

        if helm_found {
            match search {
                Ok(out) => match crate::process::parse_json::<Vec<SearchHit>>(&Helm::search_versions(&cfg.chart, cfg.version.as_deref()), &out.stdout) {
                    Ok(hits) => {
                        let newest = hits
                            .into_iter()
                            .filter(|h| h.name == cfg.chart)
                            .max_by(|a, b| semver::compare(&a.version, &b.version));
                        match newest {
                            Some(hit) => ctx.target = Some(hit),
                            None => problems.push(match &cfg.version {
                                Some(c) => format!(
                                    "no version of {} matches --version {c:?} in the repository index (`helm search repo {} --versions` lists them)",
                                    cfg.chart, cfg.chart
                                ),
                                None => format!(
                                    "chart {} is not in the repository index: check --chart (`helm search repo {}` lists charts)",
                                    cfg.chart,
                                    cfg.repo()
                                ),
                            }),
                        }
                    }
                    Err(e) => problems.push(format!("{e:#}")),
                },
                Err(e) if e.command.contains("repo update") && matches!(e.kind, FailureKind::Exit(_)) => problems.push(format!(
                    "{}\n    add the repository first, e.g. `helm repo add exastro https://exastro-suite.github.io/exastro-helm/`",
                    e.summary()
                )),
                Err(e) => problems.push(e.summary()),
            }
        }

        if !problems.is_empty() {
            return Err(preflight_failed(&problems));
        }

        let target = ctx
            .target
            .clone()
            .expect("target resolved when there are no problems");
        let from = format!(
            "chart {} (app {})",
            ctx.installed_version, ctx.installed_app
        );
        if target.version == ctx.installed_version {
            return Ok(Flow::Finish(format!(
                "{} is already at chart {} (app {}): nothing to do",
                cfg.release, target.version, target.app_version
            )));
        }
        if cfg.version.is_none() && semver::compare(&target.version, &ctx.installed_version).is_lt()
        {
            return Ok(Flow::Finish(format!(
                "installed chart {} is newer than the newest in the repository ({}): nothing to do",
                ctx.installed_version, target.version
            )));
        }
        let tools = ctx
            .tool_versions
            .iter()
            .map(|(tool, version)| format!("{tool} {version}"))
            .collect::<Vec<_>>()
            .join(", ");
        Ok(Flow::Continue(format!(
            "{tools}; context {}, {from} -> chart {} (app {})",
            ctx.context_name, target.version, target.app_version
        )))
    }
}

/// Explains a release that is not `deployed` and how to get it back there: the rollback to the last
/// revision that was deployed, as a command to paste.
fn release_status_problem(runner: &Runner, ctx: &Ctx, row: &ReleaseRow) -> String {
    let release = &ctx.cfg.release;
    let last_deployed = runner
        .json::<Vec<HistoryRow>>(&ctx.helm.history(release))
        .ok()
        .and_then(|rows| {
            rows.into_iter()
                .filter(|r| r.status == "deployed" || r.status == "superseded")
                .map(|r| r.revision)
                .max()
        });
    let rollback = match last_deployed {
        Some(rev) => ctx.helm.rollback(release, rev).display(),
        None => format!(
            "{} # find the revision with: {}",
            ctx.helm.rollback(release, 0).display(),
            ctx.helm.history_table(release).display()
        ),
    };
    let why = if row.status.starts_with("pending-") {
        "an earlier helm operation did not finish (helm was interrupted or lost the API). \
         Make sure no other helm command is running on it, then roll back to the last deployed revision"
    } else if row.status == "failed" {
        "the last helm operation on it failed. Roll back to the last deployed revision (or fix the cause and \
         upgrade it by hand)"
    } else {
        "not deployed. Roll back to the last deployed revision"
    };
    format!(
        "release {release:?} is {} (revision {}): {why}, then run the upgrade again:\n    {rollback}",
        row.status, row.revision
    )
}

/// helm and kubectl must be installed; their versions go into the run's summary.
fn tool_problems(
    ctx: &mut Ctx,
    helm_v: &Result<Output, ProcessError>,
    kubectl_v: &Result<Output, ProcessError>,
) -> Vec<String> {
    let mut problems = Vec::new();
    match helm_v {
        Ok(out) => {
            ctx.tool_versions.insert("helm".into(), out.stdout.trim().to_string());
        }
        Err(e) if e.is_missing_tool() => problems.push(
            "helm was not found on PATH: install helm 3 (https://helm.sh/docs/intro/install/) or add it to PATH".into(),
        ),
        Err(e) => problems.push(e.summary()),
    }
    match kubectl_v {
        Ok(out) => {
            let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap_or_default();
            let git = v["clientVersion"]["gitVersion"].as_str().unwrap_or("unknown");
            ctx.tool_versions.insert("kubectl".into(), git.to_string());
        }
        Err(e) if e.is_missing_tool() => problems.push(
            "kubectl was not found on PATH: install kubectl (https://kubernetes.io/docs/tasks/tools/) or add it to PATH".into(),
        ),
        Err(e) => problems.push(e.summary()),
    }
    problems
}
