//! The committed static completion scripts (completions/) and man pages (man/) must be what the clap
//! definitions generate now. Regenerate both with:
//!     UPDATE_COMPLETIONS=1 cargo test -p upgrade-plugins --test completion_files

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use upgrade_plugins::complete::scripts;
use upgrade_plugins::plugins;

#[path = "common/man.rs"]
mod man;

const REGENERATE: &str =
    "UPDATE_COMPLETIONS=1 cargo test -p upgrade-plugins --test completion_files";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn updating() -> bool {
    std::env::var_os("UPDATE_COMPLETIONS").is_some_and(|v| !v.is_empty() && v != "0")
}

/// Compares (or, when updating, rewrites) every generated file of `dir`; files there that nothing
/// generates any more are stale too.
fn check_dir(dir: &Path, expected: BTreeMap<String, Vec<u8>>) {
    if updating() {
        std::fs::create_dir_all(dir).unwrap();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if !expected.contains_key(&name) {
                std::fs::remove_file(&path).unwrap();
            }
        }
        for (name, contents) in &expected {
            std::fs::write(dir.join(name), contents).unwrap();
        }
        eprintln!("regenerated {} files in {}", expected.len(), dir.display());
        return;
    }
    let mut problems = Vec::new();
    for (name, contents) in &expected {
        match std::fs::read(dir.join(name)) {
            Ok(committed) if &committed == contents => {}
            Ok(_) => problems.push(format!(
                "{name} differs from what the clap definitions generate"
            )),
            Err(_) => problems.push(format!("{name} is missing")),
        }
    }
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            if !expected.contains_key(&name) {
                problems.push(format!("{name} is not generated any more"));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} is stale:\n  {}\nRegenerate with: {REGENERATE}\n(and commit the result)",
        dir.display(),
        problems.join("\n  ")
    );
}

#[test]
fn committed_completion_scripts_are_up_to_date() {
    let mut expected = BTreeMap::new();
    for plugin in plugins::all() {
        for (name, contents) in scripts::all(&(plugin.command)(), plugin.name) {
            assert!(!contents.is_empty(), "{name} is empty");
            expected.insert(name, contents);
        }
    }
    assert_eq!(expected.len(), plugins::all().len() * scripts::SHELLS.len());
    check_dir(&root().join("completions"), expected);
}

#[test]
fn committed_man_pages_are_up_to_date() {
    let mut expected = BTreeMap::new();
    for plugin in plugins::all() {
        let pages = man::pages((plugin.command)(), plugin.manual);
        let command = (plugin.command)();
        // One page for the executable and one per subcommand.
        assert_eq!(
            pages.len(),
            1 + command.get_subcommands().count(),
            "{pages:?}"
        );
        assert!(pages
            .iter()
            .any(|(name, _)| name == &format!("{}.1", plugin.name)));
        for sub in command.get_subcommands() {
            let page = format!("{}-{}.1", plugin.name, sub.get_name());
            assert!(pages.iter().any(|(name, _)| name == &page), "no {page}");
        }
        // Every page is a whole manual page, not only the options.
        for (name, page) in &pages {
            let text = String::from_utf8_lossy(page);
            for section in [
                ".SH NAME",
                ".SH SYNOPSIS",
                ".SH \"DESCRIPTION\"",
                ".SH OPTIONS",
                ".SH \"EXIT STATUS\"",
                ".SH \"FILES\"",
                ".SH \"ENVIRONMENT\"",
                ".SH \"EXAMPLES\"",
                ".SH \"SEE ALSO\"",
            ] {
                assert!(text.contains(section), "{name} has no {section}");
            }
            for (code, _) in upgrade_plugins::exit::exit_codes() {
                assert!(
                    text.contains(&format!(".TP\n\\fB{code}\\fR\n")),
                    "{name}: exit code {code}"
                );
            }
        }
        expected.extend(pages);
    }
    check_dir(&root().join("man"), expected);
}

/// `completion SHELL` of each executable prints exactly the generated (and so the committed) script.
#[test]
fn completion_subcommand_prints_the_committed_script() {
    let bins = [
        env!("CARGO_BIN_EXE_kubectl-exastro_upgrade"),
        env!("CARGO_BIN_EXE_oc-3scale_upgrade"),
    ];
    for (plugin, bin) in plugins::all().into_iter().zip(bins) {
        assert!(bin.ends_with(plugin.name));
        for shell in scripts::SHELLS {
            let out = Command::new(bin)
                .args(["completion", &shell.to_string()])
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{} completion {shell}: {out:?}",
                plugin.name
            );
            let expected = scripts::render(shell, (plugin.command)(), plugin.name);
            assert!(
                out.stdout == expected,
                "`{} completion {shell}` differs from completions/{}",
                plugin.name,
                scripts::file_name(shell, plugin.name)
            );
        }
    }
}

/// The pages are roff that groff formats without a warning.
#[test]
fn man_pages_format_cleanly() {
    let page = std::fs::read_to_string(root().join("man/kubectl-exastro_upgrade-run.1")).unwrap();
    assert!(page.contains(".TH kubectl-exastro_upgrade-run 1"), "{page}");
    assert!(page.contains("\\-\\-namespace"), "{page}");
    if which::which("groff").is_err() {
        eprintln!("SKIPPED the groff check: groff is not installed");
        return;
    }
    for entry in std::fs::read_dir(root().join("man")).unwrap() {
        let path = entry.unwrap().path();
        let out = Command::new("groff")
            .args(["-man", "-Tutf8", "-ww", "-z"])
            .arg(&path)
            .output()
            .unwrap();
        assert!(
            out.status.success() && out.stderr.is_empty(),
            "{}: {}",
            path.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// In each bash script, every state the loop over the typed words sets (`cmd="..."`) has an arm in
/// `case "${cmd}"`, and every arm is such a state: clap_complete spelled the arms of a hyphenated bin
/// name differently (clap-rs/clap#6421), so nothing after a subcommand completed although the script
/// loaded. (tests/completion_shell.rs drives the shells themselves.)
#[test]
fn bash_scripts_have_an_arm_for_every_state() {
    for plugin in plugins::all() {
        let file = format!("{}.bash", plugin.name);
        let script = std::fs::read_to_string(root().join("completions").join(&file)).unwrap();
        let states: std::collections::BTreeSet<&str> = script
            .lines()
            .filter_map(|l| l.trim().strip_prefix("cmd=\""))
            .filter_map(|l| l.strip_suffix('"'))
            .filter(|state| !state.is_empty())
            .collect();
        let (_, dispatch) = script
            .split_once("    case \"${cmd}\" in\n")
            .unwrap_or_else(|| panic!("{file}: no `case \"${{cmd}}\"`"));
        let arms: std::collections::BTreeSet<&str> = dispatch
            .lines()
            .filter_map(|l| l.strip_prefix("        ")?.strip_suffix(')'))
            .filter(|arm| !arm.starts_with(' '))
            .collect();
        assert!(
            states.len() > 2,
            "{file}: only the states {states:?} were found"
        );
        assert_eq!(
            states, arms,
            "{file}: the states the loop sets and the arms of `case \"${{cmd}}\"` differ"
        );
    }
}

/// The bash script loads and registers completion; the zsh and fish scripts parse (when those shells
/// are installed: .ci/run installs them).
#[test]
fn scripts_load_in_their_shells() {
    for plugin in plugins::all() {
        let script = root()
            .join("completions")
            .join(format!("{}.bash", plugin.name));
        let out = Command::new("bash")
            .arg("-c")
            .arg(format!(
                "source '{}' && complete -p {}",
                script.display(),
                plugin.name
            ))
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        assert!(String::from_utf8_lossy(&out.stdout).contains(plugin.name));
        for (shell, file) in [
            ("zsh", format!("_{}", plugin.name)),
            ("fish", format!("{}.fish", plugin.name)),
        ] {
            if which::which(shell).is_err() {
                eprintln!("SKIPPED the {shell} syntax check: {shell} is not installed");
                continue;
            }
            let out = Command::new(shell)
                .arg("-n")
                .arg(root().join("completions").join(&file))
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{shell} -n completions/{file}: {out:?}"
            );
        }
    }
}

/// The README's exit-code table says what `Exit::meaning` says, row for row.
#[test]
fn readme_exit_codes_are_the_tools() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    for (code, meaning) in upgrade_plugins::exit::exit_codes() {
        let row = format!("| {code} | {meaning} |");
        assert!(readme.contains(&row), "README.md lacks the row {row}");
    }
}
