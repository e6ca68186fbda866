//! The two plugins as the completion helpers see them: their clap definition, their Kubernetes client, and
//! which options take values from a look-up (by clap argument id). Everything else comes from clap.

use clap::CommandFactory;

use super::lookups::KubeTool;
use super::sources::{Dynamic, Source};

pub struct Plugin {
    /// The plugin executable (also the name its static scripts and man pages are generated for).
    pub name: &'static str,
    /// Its clap definition.
    pub command: fn() -> clap::Command,
    pub tool: KubeTool,
    /// The value source of an option, by clap id; `None`: clap's possible values / value hint decide.
    pub source: fn(&str) -> Option<Source>,
}

const YAML: &[&str] = &["yaml", "yml"];

/// Options both plugins share the meaning of.
fn kube_source(id: &str) -> Option<Source> {
    Some(match id {
        "namespace" => Source::Dynamic(Dynamic::Namespaces),
        "context" => Source::Dynamic(Dynamic::Contexts),
        "kubeconfig" => Source::Kubeconfig,
        _ => return None,
    })
}

fn exastro_source(id: &str) -> Option<Source> {
    kube_source(id).or(Some(match id {
        "release" => Source::Dynamic(Dynamic::Releases),
        "chart" => Source::Dynamic(Dynamic::Charts),
        "version" => Source::Dynamic(Dynamic::ChartVersions),
        "values" => Source::Files { extensions: YAML },
        _ => return None,
    }))
}

pub fn exastro() -> Plugin {
    Plugin {
        name: "kubectl-exastro_upgrade",
        command: crate::exastro::cli::Cli::command,
        tool: KubeTool::Kubectl,
        source: exastro_source,
    }
}
