//! The committed static completion scripts (completions/) and man pages (man/) must be what the clap
//! definitions generate now. Regenerate both with:
//!     UPDATE_COMPLETIONS=1 cargo test -p upgrade-plugins --test completion_files

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use upgrade_plugins::complete::{man, plugins, scripts};

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
        let pages = man::pages((plugin.command)());
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
        expected.extend(pages);
    }
    check_dir(&root().join("man"), expected);
}

/// `completion SHELL` prints exactly the committed script, and man pages read like man pages.
#[test]
fn completion_subcommand_prints_the_committed_script() {
    let bin = env!("CARGO_BIN_EXE_kubectl-exastro_upgrade");
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = Command::new(bin)
            .args(["completion", shell])
            .output()
            .unwrap();
        assert!(out.status.success(), "{shell}: {out:?}");
        let shell_enum: clap_complete::Shell = shell.parse().unwrap();
        let file = scripts::file_name(shell_enum, "kubectl-exastro_upgrade");
        let committed = std::fs::read(root().join("completions").join(&file))
            .unwrap_or_else(|_| panic!("completions/{file} missing; {REGENERATE}"));
        assert!(
            out.stdout == committed,
            "`completion {shell}` differs from completions/{file}; {REGENERATE}"
        );
    }
    let page = std::fs::read_to_string(root().join("man/kubectl-exastro_upgrade-run.1")).unwrap();
    assert!(page.starts_with(".ie \\n(.g .ds Aq"), "{page}");
    assert!(page.contains(".TH kubectl-exastro_upgrade-run 1"), "{page}");
    assert!(page.contains("\\-\\-namespace"), "{page}");
}

/// The bash script is valid bash, and registers completion for the executable.
#[test]
fn bash_script_loads() {
    let script = root().join("completions/kubectl-exastro_upgrade.bash");
    let out = Command::new("bash")
        .arg("-c")
        .arg(format!(
            "source '{}' && complete -p kubectl-exastro_upgrade",
            script.display()
        ))
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("kubectl-exastro_upgrade"));
}
