//! A plugin as the completion helpers, the static scripts and the man pages see it: its clap definition,
//! its Kubernetes client, which options take values from a look-up (by clap argument id), and its manual.
//! Each plugin describes itself (`exastro::completion`, `threescale::completion`): this module knows none.

use super::lookups::KubeTool;
use super::sources::Source;
use crate::manual::Manual;

pub struct Plugin {
    /// The plugin executable (also the name its static scripts and man pages are generated for).
    pub name: &'static str,
    /// Its clap definition.
    pub command: fn() -> clap::Command,
    pub(crate) tool: KubeTool,
    /// Value sources by clap argument id; an option not listed is completed from clap alone (possible
    /// values, value hint).
    pub(crate) sources: &'static [(&'static str, Source)],
    /// What the man pages say beyond clap.
    pub manual: &'static Manual,
}

impl Plugin {
    pub(crate) fn source(&self, id: &str) -> Option<Source> {
        self.sources
            .iter()
            .find(|(name, _)| *name == id)
            .map(|(_, source)| *source)
    }
}
