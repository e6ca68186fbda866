fn main() {
    std::process::exit(upgrade_plugins::complete::exastro_helper_main());
}
