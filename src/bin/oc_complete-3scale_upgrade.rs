fn main() {
    std::process::exit(upgrade_plugins::complete::threescale_helper_main());
}
