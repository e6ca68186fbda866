//! How `oc 3scale-upgrade` completes: the options whose values come from the cluster or the release data.

use clap::CommandFactory;

use crate::complete::lookups::KubeTool;
use crate::complete::plugins::Plugin;
use crate::complete::protocol::Candidate;
use crate::complete::sources::{Dynamic, Source};

/// `--component`: the guide's names (described by the image streams they cover), then every image stream
/// the release data knows, with its new tag's display name.
fn threescale_components() -> Vec<Candidate> {
    use super::release::UPGRADES;
    let aliases = super::aliases::ALIASES.iter().map(|(alias, streams)| {
        Candidate::described(*alias, Some(format!("image stream {}", streams.join(", "))))
    });
    aliases
        .chain(super::component_names().into_iter().map(|stream| {
            let display = UPGRADES
                .iter()
                .flat_map(|u| u.components)
                .find(|c| c.stream == stream)
                .map(|c| c.display_name.to_string());
            Candidate::described(stream, display)
        }))
        .collect()
}

/// `--from` / `--to`: the versions of the supported upgrades, each described by its counterpart.
fn threescale_versions(from: bool) -> Vec<Candidate> {
    let mut seen: Vec<Candidate> = Vec::new();
    for (f, t) in super::supported_versions() {
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

pub(crate) fn plugin() -> Plugin {
    Plugin {
        name: "oc-3scale_upgrade",
        command: super::cli::Cli::command,
        tool: KubeTool::Oc,
        sources: THREESCALE_SOURCES,
        manual: &super::manual::MANUAL,
    }
}

/// Entry point of `oc_complete-3scale_upgrade`.
pub fn helper_main() -> i32 {
    crate::complete::helper::run(&plugin(), std::env::args().skip(1).collect())
}
