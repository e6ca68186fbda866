fn main() {
    std::process::exit(upgrade_plugins::threescale::completion::helper_main());
}
