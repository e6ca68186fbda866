fn main() {
    std::process::exit(upgrade_plugins::threescale::main());
}
