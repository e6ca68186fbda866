//! How `kubectl exastro-upgrade` completes: the options whose values come from the cluster or helm.

use clap::CommandFactory;

use crate::complete::lookups::KubeTool;
use crate::complete::plugins::Plugin;
use crate::complete::sources::{Dynamic, Source};

const YAML: &[&str] = &["yaml", "yml"];

const EXASTRO_SOURCES: &[(&str, Source)] = &[
    ("namespace", Source::Dynamic(Dynamic::Namespaces)),
    ("context", Source::Dynamic(Dynamic::Contexts)),
    ("kubeconfig", Source::Kubeconfig),
    ("release", Source::Dynamic(Dynamic::Releases)),
    ("chart", Source::Dynamic(Dynamic::Charts)),
    ("version", Source::Dynamic(Dynamic::ChartVersions)),
    ("values", Source::Files { extensions: YAML }),
];

pub(crate) fn plugin() -> Plugin {
    Plugin {
        name: "kubectl-exastro_upgrade",
        command: super::cli::Cli::command,
        tool: KubeTool::Kubectl,
        sources: EXASTRO_SOURCES,
        manual: &super::manual::MANUAL,
    }
}

/// Entry point of `kubectl_complete-exastro_upgrade`.
pub fn helper_main() -> i32 {
    crate::complete::helper::run(&plugin(), std::env::args().skip(1).collect())
}
