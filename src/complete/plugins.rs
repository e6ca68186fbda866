//! The two plugins as the completion helpers see them: their clap definition, their Kubernetes client, and
//! which options take values from a look-up (by clap argument id). Everything else comes from clap.

use clap::CommandFactory;

use super::lookups::KubeTool;
use super::protocol::Candidate;
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

/// `--component`: the guide's names (described by the image streams they cover), then every image stream
/// the release data knows, with its new tag's display name.
fn threescale_components() -> Vec<Candidate> {
    use crate::threescale::release::UPGRADES;
    let aliases = crate::threescale::aliases::ALIASES
        .iter()
        .map(|(alias, streams)| {
            Candidate::described(*alias, Some(format!("image stream {}", streams.join(", "))))
        });
    aliases
        .chain(
            crate::threescale::component_names()
                .into_iter()
                .map(|stream| {
                    let display = UPGRADES
                        .iter()
                        .flat_map(|u| u.components)
                        .find(|c| c.stream == stream)
                        .map(|c| c.display_name.to_string());
                    Candidate::described(stream, display)
                }),
        )
        .collect()
}

/// `--from` / `--to`: the versions of the supported upgrades, each described by its counterpart.
fn threescale_versions(from: bool) -> Vec<Candidate> {
    let mut seen: Vec<Candidate> = Vec::new();
    for (f, t) in crate::threescale::supported_versions() {
        let (value, description) = if from {
            (f, format!("upgrade to {t}"))
        } else {
            (t, format!("upgrade from {f}"))
        };
        match seen.iter_mut().find(|c| c.value == value) {
            Some(c) => {
                if let Some(d) = c.description.as_mut() {
                    d.push_str(&format!(", {}", if from { t } else { f }));
                }
            }
            None => seen.push(Candidate::described(value, Some(description))),
        }
    }
    seen
}

const THREESCALE_SOURCES: &[(&str, Source)] = &[
    ("namespace", Source::Dynamic(Dynamic::Namespaces)),
    ("context", Source::Dynamic(Dynamic::Contexts)),
    ("kubeconfig", Source::Kubeconfig),
    ("components", Source::Fixed(threescale_components)),
    ("from", Source::Fixed(|| threescale_versions(true))),
    ("to", Source::Fixed(|| threescale_versions(false))),
];

pub fn threescale() -> Plugin {
    Plugin {
        name: "oc-3scale_upgrade",
        command: crate::threescale::cli::Cli::command,
        tool: KubeTool::Oc,
        sources: THREESCALE_SOURCES,
    }
}

/// Every plugin executable: the static scripts, man pages and helpers are made for each.
pub fn all() -> Vec<Plugin> {
    vec![exastro(), threescale()]
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
