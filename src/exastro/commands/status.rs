//! `status`: the release, the versions, the stop set with its counts, and any unfinished run. Read-only.

use serde::Serialize;

use super::{connect, installed_and_available, runner_for};
use crate::exastro::config::{Config, StopScope};
use crate::exastro::context::Ctx;
use crate::exastro::journal::{self, Journal};
use crate::exastro::lease::{Lease, Liveness};
use crate::exastro::stop_set::select_stop_set;
use crate::exit::{bad_input, Exit};
use crate::ops::helm::{ReleaseRow, SearchHit};
use crate::ops::k8s::{List, Workload};
use crate::output::{emit, Document};
use crate::process::Runner;

/// What `status` prints: `-o json` as is, text for people.
#[derive(Serialize)]
struct Status {
    namespace: String,
    release: Option<ReleaseRow>,
    available: Option<SearchHit>,
    stop_set: Vec<StopSetRow>,
    unfinished_run: Option<Journal>,
    unfinished_run_lease: Option<Lease>,
    unfinished_run_live: Option<bool>,
    /// Exastro 2.4+: the maintenance-mode setting, or why it could not be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    maintenance: Option<MaintenanceView>,
    #[serde(skip)]
    text: Context,
}

#[derive(Serialize)]
#[serde(rename_all = "snake_case")]
enum MaintenanceView {
    Setting(crate::ops::exastro_admin::Setting),
    Unknown(String),
}

/// The setting, on a release whose app has maintenance mode (2.4+), through the same access as `run`.
fn maintenance_view(
    runner: &Runner,
    ctx: &Ctx,
    release: Option<&ReleaseRow>,
) -> Option<MaintenanceView> {
    let app = crate::semver::Version::parse(&release?.app_version)?;
    if app.core < [2, 4, 0] {
        return None;
    }
    let read = crate::exastro::maintenance::connect(runner, &ctx.kubectl, &ctx.cfg.admin)
        .and_then(|api| api.setting(runner).map_err(|e| format!("{e:#}")));
    Some(match read {
        Ok(setting) => MaintenanceView::Setting(setting),
        Err(why) => MaintenanceView::Unknown(why),
    })
}

/// What only the text needs.
#[derive(Default)]
struct Context {
    release_name: String,
    chart: String,
    stop: &'static str,
    liveness: Option<Liveness>,
    restore_command: String,
}

#[derive(Serialize)]
struct StopSetRow {
    kind: String,
    name: String,
    replicas: i64,
    ready: i64,
}

type Unfinished = Option<(Journal, Option<Lease>, Liveness)>;

pub(crate) fn status(cfg: Config) -> anyhow::Result<Exit> {
    let runner = runner_for(&cfg, true);
    let ctx = Ctx::new(cfg.clone());
    connect(&runner, &ctx)?;
    let (versions, workloads, unfinished) = std::thread::scope(|s| {
        let versions = s.spawn(|| installed_and_available(&runner, &ctx, false));
        let workloads = s
            .spawn(|| runner.json::<List<Workload>>(&ctx.kubectl.list("deployments,statefulsets")));
        let unfinished = s.spawn(|| unfinished_run(&runner, &ctx));
        (
            versions.join().expect("thread"),
            workloads.join().expect("thread"),
            unfinished.join().expect("thread"),
        )
    });
    let (release, available) = versions?;
    let workloads = workloads?.items;
    let unfinished = unfinished?;
    if release.is_none() && unfinished.is_none() {
        return Err(bad_input(format!(
            "helm release {:?} not found in namespace {:?}: check --release and -n (`helm list -n {}` lists the releases there)",
            cfg.release, cfg.target.namespace, cfg.target.namespace
        )));
    }
    let stop_set = select_stop_set(&workloads, cfg.stop, &cfg.release)
        .into_iter()
        .map(|r| StopSetRow {
            ready: ready_replicas(&workloads, &r.name, &r.kind),
            kind: r.kind,
            name: r.name,
            replicas: r.replicas,
        })
        .collect();
    let (journal, lease, liveness) = match unfinished {
        Some((j, l, live)) => (Some(j), l, Some(live)),
        None => (None, None, None),
    };
    let maintenance = maintenance_view(&runner, &ctx, release.as_ref());
    let document = Status {
        maintenance,
        namespace: cfg.target.namespace.clone(),
        release,
        available,
        stop_set,
        unfinished_run_live: liveness
            .as_ref()
            .map(|l| matches!(l, Liveness::Live { .. })),
        unfinished_run: journal,
        unfinished_run_lease: lease,
        text: Context {
            release_name: cfg.release.clone(),
            chart: cfg.chart.clone(),
            stop: if cfg.stop == StopScope::All {
                "all"
            } else {
                "backyard"
            },
            liveness,
            restore_command: cfg.restore_command(),
        },
    };
    emit(cfg.output, &document)?;
    Ok(Exit::Ok)
}

/// The journal of an unfinished run, its lease, and whether its run is alive.
fn unfinished_run(runner: &Runner, ctx: &Ctx) -> anyhow::Result<Unfinished> {
    let Some((journal, lease)) = journal::fetch_with_lease(runner, &ctx.kubectl)? else {
        return Ok(None);
    };
    let live = journal::liveness(runner, &ctx.kubectl, lease.clone())?;
    Ok(Some((journal, lease, live)))
}

fn ready_replicas(workloads: &[Workload], name: &str, kind: &str) -> i64 {
    workloads
        .iter()
        .find(|w| w.metadata.name == name && w.kind == kind)
        .map(|w| w.status.ready_replicas)
        .unwrap_or(0)
}

impl Document for Status {
    fn text(&self) -> String {
        let mut lines = Vec::new();
        lines.push(match &self.release {
            Some(r) => format!(
                "release {} in {}: {} (revision {}), chart {}, app {}",
                r.name, r.namespace, r.status, r.revision, r.chart, r.app_version
            ),
            None => format!(
                "release {} not found in namespace {}",
                self.text.release_name, self.namespace
            ),
        });
        lines.push(match &self.available {
            Some(a) => format!("available: {} {} (app {}) (from the local repository cache; `helm repo update` refreshes it)", a.name, a.version, a.app_version),
            None => format!("available: {} not in the local repository cache", self.text.chart),
        });
        match &self.maintenance {
            Some(MaintenanceView::Setting(s)) => {
                lines.push(format!("maintenance mode: {}", s.describe()))
            }
            Some(MaintenanceView::Unknown(why)) => {
                lines.push(format!("maintenance mode: unknown ({why})"))
            }
            None => {}
        }
        lines.push(format!("objects a run stops (--stop {}):", self.text.stop));
        for r in &self.stop_set {
            lines.push(format!(
                "  {:<12} {:<45} replicas {} ready {}",
                r.kind, r.name, r.replicas, r.ready
            ));
        }
        lines.extend(self.unfinished_lines());
        lines.join("\n") + "\n"
    }
}

impl Status {
    fn unfinished_lines(&self) -> Vec<String> {
        let (Some(j), Some(liveness)) = (&self.unfinished_run, &self.text.liveness) else {
            return vec!["no unfinished run".into()];
        };
        match liveness {
            Liveness::Live {
                holder,
                renewed_ago,
            } => vec![
                format!("RUN IN PROGRESS: {}", j.describe()),
                format!(
                    "  held {}, lease renewed {}s ago: wait for it to finish (do not run restore)",
                    holder.describe(),
                    renewed_ago.as_secs()
                ),
            ],
            Liveness::Dead(why) => vec![
                format!("UNFINISHED RUN: {}", j.describe()),
                format!("  its run is not running: {why}"),
                format!(
                    "  recorded: {}",
                    j.objects
                        .iter()
                        .map(|o| format!("{}={}", o.name, o.replicas))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                format!("  put them back with: {}", self.text.restore_command),
            ],
        }
    }
}
