//! Dynamic look-ups through the one subprocess [`Runner`]: short timeouts, no retries, no progress
//! output, and any failure (no cluster, tool not on PATH, timeout, unexpected output) is an empty list.

use std::time::Duration;

use crate::ops::helm::{Helm, SearchHit};
use crate::ops::target::KubeTarget;
use crate::output::Reporter;
use crate::process::{Cmd, FailureKind, Runner};

use super::protocol::Candidate;
use super::sources::{Dynamic, Lookup, Query};

/// Bound for each look-up: a completion that hangs is worse than none.
pub(crate) const LOOKUP_TIMEOUT: Duration = Duration::from_millis(1500);

/// The Kubernetes client a plugin is run through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KubeTool {
    Kubectl,
    /// `oc`: namespaces are listed as projects (what the user may see), namespaces as a fallback.
    Oc,
}

impl KubeTool {
    pub(crate) fn program(self) -> &'static str {
        match self {
            KubeTool::Kubectl => "kubectl",
            KubeTool::Oc => "oc",
        }
    }
}

pub(crate) struct ClusterLookup {
    runner: Runner,
    tool: KubeTool,
}

impl ClusterLookup {
    pub(crate) fn new(tool: KubeTool) -> Self {
        ClusterLookup {
            runner: Runner::new(Reporter::new(false, true), false, LOOKUP_TIMEOUT),
            tool,
        }
    }

    fn lines(&self, cmd: Cmd) -> Result<Vec<String>, FailureKind> {
        let cmd = cmd.timeout(LOOKUP_TIMEOUT).no_retry();
        let out = self.runner.run(&cmd).map_err(|e| e.kind)?;
        Ok(out
            .stdout
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect())
    }

    fn target(query: &Query) -> KubeTarget {
        KubeTarget {
            namespace: query.namespace.clone().unwrap_or_default(),
            context: query.context.clone(),
            kubeconfig: query.kubeconfig.clone(),
        }
    }

    /// `-o name` prints `namespace/x` or `project.project.openshift.io/x`.
    fn names(&self, kind: &str, query: &Query) -> Result<Vec<Candidate>, FailureKind> {
        let cmd = Cmd::read(self.tool.program(), ["get", kind, "-o", "name"])
            .args(Self::target(query).kubectl_flags());
        let names = self.lines(cmd)?;
        Ok(names
            .iter()
            .map(|l| Candidate::new(l.rsplit('/').next().unwrap_or(l)))
            .collect())
    }

    fn namespaces(&self, query: &Query) -> Vec<Candidate> {
        let found = match self.tool {
            KubeTool::Kubectl => self.names("namespaces", query),
            // Not OpenShift (no projects resource): namespaces. A cluster that did not answer in time
            // is not asked a second time.
            KubeTool::Oc => match self.names("projects", query) {
                Err(FailureKind::Exit(_)) => self.names("namespaces", query),
                other => other,
            },
        };
        found.unwrap_or_default()
    }

    fn releases(&self, query: &Query) -> Vec<Candidate> {
        let target = Self::target(query);
        let mut cmd = Cmd::read("helm", ["list", "-q"]);
        if let Some(ns) = &query.namespace {
            cmd = cmd.args(["-n", ns.as_str()]);
        }
        let cmd = cmd.args(target.helm_flags());
        let description = query
            .namespace
            .as_ref()
            .map(|ns| format!("release in {ns}"));
        self.lines(cmd)
            .unwrap_or_default()
            .into_iter()
            .map(|name| Candidate::described(name, description.clone()))
            .collect()
    }

    fn search(&self, cmd: Cmd) -> Vec<SearchHit> {
        let cmd = cmd.timeout(LOOKUP_TIMEOUT).no_retry();
        let Ok(out) = self.runner.run(&cmd) else {
            return Vec::new();
        };
        serde_json::from_str(&out.stdout).unwrap_or_default()
    }

    fn chart_versions(&self, query: &Query) -> Vec<Candidate> {
        let Some(chart) = &query.chart else {
            return Vec::new();
        };
        self.search(Helm::search_versions(chart, None))
            .into_iter()
            .filter(|hit| hit.name.eq_ignore_ascii_case(chart))
            .map(|hit| {
                let app = (!hit.app_version.is_empty()).then(|| format!("app {}", hit.app_version));
                Candidate::described(hit.version, app)
            })
            .collect()
    }

    fn charts(&self) -> Vec<Candidate> {
        let mut hits = self.search(Cmd::read("helm", ["search", "repo", "-o", "json"]));
        hits.dedup_by(|a, b| a.name == b.name);
        hits.into_iter()
            .map(|hit| Candidate::described(hit.name, Some(hit.description)))
            .collect()
    }

    fn contexts(&self, query: &Query) -> Vec<Candidate> {
        let mut cmd = Cmd::read(
            self.tool.program(),
            ["config", "get-contexts", "-o", "name"],
        );
        if let Some(path) = &query.kubeconfig {
            cmd = cmd.arg(format!("--kubeconfig={path}"));
        }
        self.lines(cmd)
            .unwrap_or_default()
            .into_iter()
            .map(Candidate::new)
            .collect()
    }
}

impl Lookup for ClusterLookup {
    fn fetch(&self, what: Dynamic, query: &Query) -> Vec<Candidate> {
        match what {
            Dynamic::Namespaces => self.namespaces(query),
            Dynamic::Releases => self.releases(query),
            Dynamic::ChartVersions => self.chart_versions(query),
            Dynamic::Charts => self.charts(),
            Dynamic::Contexts => self.contexts(query),
        }
    }
}
