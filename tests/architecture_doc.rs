//! docs/ARCHITECTURE.md kept true: every path it names exists (relative to `src/`, or to the repository), and
//! every module of `src/` is in its module map; every module starts with a header saying what it is for.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn doc() -> String {
    std::fs::read_to_string(root().join("docs/ARCHITECTURE.md")).expect("docs/ARCHITECTURE.md")
}

/// The words between backticks that look like paths: `exastro/journal.rs`, `ops/`, `tests/common/mod.rs`.
fn named_paths(doc: &str) -> Vec<String> {
    doc.split('`')
        .skip(1)
        .step_by(2)
        .filter(|w| {
            !w.is_empty()
                && !w.contains('*')
                && w.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "_./-".contains(c))
                && (w.ends_with('/') || [".rs", ".md", ".sh"].iter().any(|e| w.ends_with(e)))
        })
        .map(str::to_string)
        .collect()
}

fn modules(dir: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            modules(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let rel = path.strip_prefix(root().join("src")).unwrap();
            if !rel.starts_with("bin") {
                out.push(rel.to_string_lossy().into_owned());
            }
        }
    }
}

#[test]
fn every_path_the_architecture_names_exists() {
    let missing: Vec<String> = named_paths(&doc())
        .into_iter()
        .filter(|p| !root().join("src").join(p).exists() && !root().join(p).exists())
        .collect();
    assert!(
        missing.is_empty(),
        "docs/ARCHITECTURE.md names paths that do not exist (relative to src/ or the repository): {missing:?}"
    );
}

#[test]
fn every_module_is_in_the_module_map() {
    let doc = doc();
    let map = &doc[doc
        .find("## Module map")
        .expect("a `## Module map` section")..];
    let mut all = Vec::new();
    modules(&root().join("src"), &mut all);
    all.sort();
    let unnamed: Vec<&String> = all
        .iter()
        .filter(|m| !map.contains(&format!("`{m}`")))
        .collect();
    assert!(
        unnamed.is_empty(),
        "add these to the module map of docs/ARCHITECTURE.md: {unnamed:?}"
    );
    let gone: Vec<String> = named_paths(map)
        .into_iter()
        .filter(|p| p.ends_with(".rs") && !all.contains(p))
        .collect();
    assert!(
        gone.is_empty(),
        "the module map names modules that are gone: {gone:?}"
    );
}

#[test]
fn every_module_says_what_it_is_for() {
    let mut all = Vec::new();
    modules(&root().join("src"), &mut all);
    let headless: Vec<&String> = all
        .iter()
        .filter(|m| {
            let text = std::fs::read_to_string(root().join("src").join(m)).unwrap();
            !text.starts_with("//!")
        })
        .collect();
    assert!(
        headless.is_empty(),
        "these modules have no `//!` header: {headless:?}"
    );
}
