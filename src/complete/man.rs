//! Man pages (roff) from the same clap definitions: one for the executable and one per subcommand
//! (`kubectl-exastro_upgrade-run.1`, ...), like `clap_mangen::generate_to` but in memory.

/// `(file name, contents)` of every page, sorted by file name.
pub fn pages(command: clap::Command) -> Vec<(String, Vec<u8>)> {
    let mut command = command.disable_help_subcommand(true);
    command.build();
    // Every page names the executable and its version (subcommands have no version of their own).
    let source = format!(
        "{} {}",
        command.get_name(),
        command.get_version().unwrap_or_default()
    );
    let mut pages = Vec::new();
    collect(&command, &source, &mut pages);
    pages.sort_by(|a, b| a.0.cmp(&b.0));
    pages
}

fn collect(command: &clap::Command, source: &str, pages: &mut Vec<(String, Vec<u8>)>) {
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        collect(sub, source, pages);
    }
    let man = clap_mangen::Man::new(command.clone()).source(source);
    let mut page = Vec::new();
    man.render(&mut page)
        .expect("rendering into memory cannot fail");
    pages.push((man.get_filename(), page));
}
