//! Shell completion: the kubectl/oc plugin completion helpers (Cobra's protocol, answered from the clap
//! definitions plus short cluster look-ups), the static completion scripts and the man pages.

pub mod candidates;
pub mod helper;
pub mod line;
pub mod lookups;
pub mod man;
pub mod plugins;
pub mod protocol;
pub mod scripts;
pub mod sources;
#[cfg(test)]
mod tests;

/// Entry point of `kubectl_complete-exastro_upgrade`.
pub fn exastro_helper_main() -> i32 {
    helper::run(&plugins::exastro(), std::env::args().skip(1).collect())
}

/// Entry point of `oc_complete-3scale_upgrade`.
pub fn threescale_helper_main() -> i32 {
    helper::run(&plugins::threescale(), std::env::args().skip(1).collect())
}

/// `completion SHELL`: prints the static completion script of a plugin executable.
pub fn print_script(shell: clap_complete::Shell, command: clap::Command, bin_name: &str) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(&scripts::render(shell, command, bin_name));
    let _ = stdout.flush();
}
