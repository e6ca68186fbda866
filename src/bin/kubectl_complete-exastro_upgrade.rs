fn main() {
    std::process::exit(upgrade_plugins::exastro::completion::helper_main());
}
