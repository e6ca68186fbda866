//! Shell completion: the kubectl/oc plugin completion helpers (Cobra's protocol, answered from the clap
//! definitions plus short cluster look-ups), and the static completion scripts. It knows
//! no plugin: each describes itself as a [`plugins::Plugin`].

pub(crate) mod candidates;
pub(crate) mod helper;
pub(crate) mod line;
pub(crate) mod lookups;
pub mod plugins;
pub(crate) mod protocol;
pub mod scripts;
pub(crate) mod sources;
#[cfg(test)]
mod tests;

/// `completion SHELL`: prints the static completion script of a plugin executable.
pub(crate) fn print_script(shell: clap_complete::Shell, command: clap::Command, bin_name: &str) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(&scripts::render(shell, command, bin_name));
    let _ = stdout.flush();
}
