//! The layers of docs/ARCHITECTURE.md, checked on the source: a module uses only its own layer and the ones
//! below it, sibling modules never form a cycle, files stay under 400 lines and functions under 80. A new
//! module must be given a layer here.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Top-level modules of src/ by layer, from the bottom.
const LAYERS: &[(&str, &[&str])] = &[
    (
        "engine",
        &[
            "exit",
            "process",
            "runbook",
            "wait",
            "signals",
            "output",
            "quote",
            "state_dir",
            "base64",
            "semver",
        ],
    ),
    (
        "shared",
        &[
            "ops",
            "cli_args",
            "complete",
            "manual",
            "values",
            "plugin_main",
            "plugin_run",
        ],
    ),
    ("plugins", &["exastro", "threescale"]),
    ("all plugins", &["plugins"]),
];

fn layer_of(module: &str) -> usize {
    LAYERS
        .iter()
        .position(|(_, mods)| mods.contains(&module))
        .unwrap_or_else(|| panic!("module {module} has no layer: add it to LAYERS in tests/architecture.rs and docs/ARCHITECTURE.md"))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `src/exastro/steps/stop.rs` -> ["exastro", "steps", "stop"]; `mod.rs` names its directory.
fn module_path(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "mod" || p == "lib") {
        parts.pop();
    }
    parts
}

/// The code outside `#[cfg(test)]` modules (tests may reach anywhere).
fn non_test_code(text: &str) -> &str {
    text.split("#[cfg(test)]").next().unwrap()
}

/// `crate::a::b` and `super::x` paths of a file, resolved to module paths.
fn references(module: &[String], code: &str) -> Vec<Vec<String>> {
    let mut found = Vec::new();
    for (i, _) in code
        .match_indices("crate::")
        .chain(code.match_indices("super::"))
    {
        if i > 0 && code.as_bytes()[i - 1].is_ascii_alphanumeric() {
            continue;
        }
        let tail: String = code[i..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
            .collect();
        let mut segs: Vec<&str> = tail.split("::").filter(|s| !s.is_empty()).collect();
        let mut base: Vec<String> = module.to_vec();
        if segs[0] == "crate" {
            base.clear();
            segs.remove(0);
        } else {
            while segs.first() == Some(&"super") {
                base.pop();
                segs.remove(0);
            }
        }
        base.extend(segs.iter().map(|s| s.to_string()));
        found.push(base);
    }
    found
}

fn sources() -> Vec<(Vec<String>, String, PathBuf)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files
        .into_iter()
        .filter(|f| !f.starts_with(src.join("bin")))
        .map(|f| {
            (
                module_path(&src, &f),
                std::fs::read_to_string(&f).unwrap(),
                f,
            )
        })
        .collect()
}

#[test]
fn layers_point_down_only() {
    let mut wrong = Vec::new();
    for (module, text, file) in sources() {
        let Some(top) = module.first() else { continue };
        let own = layer_of(top);
        for target in references(&module, non_test_code(&text)) {
            let Some(dep) = target.first() else { continue };
            if dep == top || LAYERS.iter().all(|(_, m)| !m.contains(&dep.as_str())) {
                continue;
            }
            if layer_of(dep) > own {
                wrong.push(format!(
                    "{} ({}) uses {}",
                    file.display(),
                    LAYERS[own].0,
                    target.join("::")
                ));
            }
        }
    }
    wrong.dedup();
    assert!(
        wrong.is_empty(),
        "upward references:\n  {}",
        wrong.join("\n  ")
    );
}

#[test]
fn sibling_modules_form_no_cycle() {
    // Edges between siblings: a::b -> a::c when anything in a::b uses a::c.
    let mut edges: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    for (module, text, _) in sources() {
        for target in references(&module, non_test_code(&text)) {
            let common = module
                .iter()
                .zip(&target)
                .take_while(|(a, b)| a == b)
                .count();
            if common < module.len() && common < target.len() {
                let from = module[..=common].to_vec();
                let to = target[..=common].to_vec();
                edges.entry(from).or_default().insert(to);
            }
        }
    }
    for start in edges.keys() {
        let mut stack = vec![(start.clone(), vec![start.join("::")])];
        let mut seen = BTreeSet::new();
        while let Some((node, path)) = stack.pop() {
            for next in edges.get(&node).into_iter().flatten() {
                assert!(
                    next != start,
                    "module cycle: {} -> {}",
                    path.join(" -> "),
                    start.join("::")
                );
                if seen.insert(next.clone()) {
                    let mut longer = path.clone();
                    longer.push(next.join("::"));
                    stack.push((next.clone(), longer));
                }
            }
        }
    }
}
#[test]
fn no_source_file_is_over_400_lines() {
    let long: Vec<String> = sources()
        .into_iter()
        .map(|(_, text, file)| (non_test_code(&text).lines().count(), file))
        .filter(|(n, _)| *n > 400)
        .map(|(n, file)| format!("{} ({n} lines)", file.display()))
        .collect();
    assert!(
        long.is_empty(),
        "split these by concern:\n  {}",
        long.join("\n  ")
    );
}

#[test]
fn no_function_is_over_80_lines() {
    let mut long = Vec::new();
    for (_, text, file) in sources() {
        let lines: Vec<&str> = non_test_code(&text).lines().collect();
        let mut i = 0;
        while i < lines.len() {
            let line = lines[i].trim_start();
            let is_fn = ["fn ", "pub fn ", "pub(crate) fn ", "pub(super) fn "]
                .iter()
                .any(|p| line.starts_with(p))
                && !line.trim_end().ends_with(';');
            if !is_fn {
                i += 1;
                continue;
            }
            let (mut depth, mut started, mut end) = (0i32, false, i);
            for (j, l) in lines.iter().enumerate().skip(i) {
                for c in l.chars() {
                    match c {
                        '{' => {
                            depth += 1;
                            started = true
                        }
                        '}' => depth -= 1,
                        _ => {}
                    }
                }
                if started && depth <= 0 {
                    end = j;
                    break;
                }
            }
            if end + 1 - i > 80 {
                long.push(format!(
                    "{}:{} ({} lines)",
                    file.display(),
                    i + 1,
                    end + 1 - i
                ));
            }
            i += 1;
        }
    }
    assert!(
        long.is_empty(),
        "split these functions:\n  {}",
        long.join("\n  ")
    );
}
