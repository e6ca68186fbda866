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
    /// Value sources by clap argument id; an option not listed is completed from clap alone (possible
    /// values, value hint).
    pub sources: &'static [(&'static str, Source)],
}

impl Plugin {
    pub fn source(&self, id: &str) -> Option<Source> {
        self.sources
            .iter()
            .find(|(name, _)| *name == id)
            .map(|(_, source)| *source)
    }
}

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

pub fn exastro() -> Plugin {
    Plugin {
        name: "kubectl-exastro_upgrade",
        command: crate::exastro::cli::Cli::command,
        tool: KubeTool::Kubectl,
        sources: EXASTRO_SOURCES,
    }
}

/// Every plugin executable: the static scripts, man pages and helpers are made for each.
pub fn all() -> Vec<Plugin> {
    vec![exastro()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(command: &clap::Command, out: &mut Vec<String>) {
        out.extend(command.get_arguments().map(|a| a.get_id().to_string()));
        for sub in command.get_subcommands() {
            ids(sub, out);
        }
    }

    /// A renamed option would silently lose its look-up: every mapped id must exist in the clap tree.
    #[test]
    fn every_mapped_option_exists_in_the_cli() {
        for plugin in all() {
            let mut found = Vec::new();
            ids(&(plugin.command)(), &mut found);
            for (id, _) in plugin.sources {
                assert!(
                    found.iter().any(|f| f == id),
                    "{}: no option with id {id:?} (renamed?)",
                    plugin.name
                );
            }
        }
    }
}
