fn main() {
    std::process::exit(upgrade_plugins::exastro::main());
}
