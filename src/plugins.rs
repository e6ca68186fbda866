//! Both plugins, for what is made for each of them: the static completion scripts, the man pages and the
//! check that every completion look-up names a real option.

use crate::complete::plugins::Plugin;

/// Every plugin executable.
pub fn all() -> Vec<Plugin> {
    vec![
        crate::exastro::completion::plugin(),
        crate::threescale::completion::plugin(),
    ]
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
