//! Man pages (roff) from the clap definitions plus each plugin's `Manual` (steps, examples, files,
//! environment): one page for the executable and one per subcommand (`kubectl-exastro_upgrade-run.1`,
//! ...). Generated here, by the test that keeps `man/` up to date, so the plugins carry no generator.

use std::io::Write;

use upgrade_plugins::manual::{exit_status, Manual};

/// `(file name, contents)` of every page, sorted by file name.
pub fn pages(command: clap::Command, manual: &Manual) -> Vec<(String, Vec<u8>)> {
    let mut command = command.disable_help_subcommand(true);
    command.build();
    // Every page names the executable and its version (subcommands have no version of their own).
    let source = format!(
        "{} {}",
        command.get_name(),
        command.get_version().unwrap_or_default()
    );
    let mut pages = vec![render(&command, "", &source, manual)];
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        pages.push(render(sub, sub.get_name(), &source, manual));
    }
    pages.sort_by(|a, b| a.0.cmp(&b.0));
    pages
}

fn render(command: &clap::Command, name: &str, source: &str, manual: &Manual) -> (String, Vec<u8>) {
    let man = clap_mangen::Man::new(command.clone()).source(source);
    let page = manual
        .page(name)
        .unwrap_or_else(|| panic!("no manual page for {name:?}: add it to the plugin's MANUAL"));
    let mut out = Vec::new();
    let io = "rendering into memory cannot fail";
    man.render_title(&mut out).expect(io);
    man.render_name_section(&mut out).expect(io);
    man.render_synopsis_section(&mut out).expect(io);
    section(&mut out, "DESCRIPTION");
    let about = command
        .get_long_about()
        .or(command.get_about())
        .map(|a| a.to_string())
        .unwrap_or_default();
    for paragraph in std::iter::once(about.as_str()).chain(page.description.iter().copied()) {
        paragraph_text(&mut out, paragraph);
    }
    man.render_options_section(&mut out).expect(io);
    if command.get_subcommands().next().is_some() {
        man.render_subcommands_section(&mut out).expect(io);
    }
    section(&mut out, "EXIT STATUS");
    for (code, meaning) in exit_status() {
        tagged(&mut out, &code.to_string(), meaning);
    }
    section(&mut out, "FILES");
    for (path, what) in manual.files {
        tagged(&mut out, path, what);
    }
    section(&mut out, "ENVIRONMENT");
    for (var, what) in manual.environment {
        tagged(&mut out, var, what);
    }
    section(&mut out, "EXAMPLES");
    for (what, lines) in page.examples {
        paragraph_text(&mut out, what);
        writeln!(out, ".PP\n.nf\n.RS 4").unwrap();
        for line in lines.lines() {
            writeln!(out, "{}", escape(line)).unwrap();
        }
        writeln!(out, ".RE\n.fi").unwrap();
    }
    section(&mut out, "SEE ALSO");
    writeln!(out, "{}", escape(&manual.see_also.join(", "))).unwrap();
    if command.get_version().is_some() {
        man.render_version_section(&mut out).expect(io);
    }
    (man.get_filename(), out)
}

fn section(out: &mut Vec<u8>, title: &str) {
    writeln!(out, ".SH \"{title}\"").unwrap();
}

fn paragraph_text(out: &mut Vec<u8>, text: &str) {
    if !text.is_empty() {
        writeln!(out, ".PP\n{}", escape(text)).unwrap();
    }
}

fn tagged(out: &mut Vec<u8>, tag: &str, text: &str) {
    writeln!(out, ".TP\n\\fB{}\\fR\n{}", escape(tag), escape(text)).unwrap();
}

/// Text as roff reads it literally: backslashes doubled, hyphens as minus signs where a reader would
/// copy them, and no line starting with a control character.
fn escape(text: &str) -> String {
    let text = text.replace('\\', "\\e").replace('-', "\\-");
    if text.starts_with('.') || text.starts_with('\'') {
        format!("\\&{text}")
    } else {
        text
    }
}
