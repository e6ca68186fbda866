//! Shell completion: kubectl/oc plugin completion helpers and static scripts. (Being built: issue 5.)

/// Entry point of `kubectl_complete-exastro_upgrade`.
pub fn exastro_helper_main() -> i32 {
    0
}

/// Entry point of `oc_complete-3scale_upgrade`.
pub fn threescale_helper_main() -> i32 {
    0
}

/// `completion SHELL`: prints the static completion script of a plugin executable.
pub fn print_script(shell: clap_complete::Shell, mut command: clap::Command, bin_name: &str) -> i32 {
    clap_complete::generate(shell, &mut command, bin_name, &mut std::io::stdout());
    0
}
