//! The build directory the operator prepared: the templates' `amp/system-oracle` with the Oracle Instant
//! Client zips in `oracle-client-files/`. The Dockerfile COPYs all three; a missing one fails the build in the
//! cluster minutes later, so it is one line of the preflight instead.

use std::path::Path;

/// What the Dockerfile copies: (what it is, the file name pattern, a matcher).
const ZIPS: [(&str, &str, &str); 3] = [
    (
        "basic (or basic-lite)",
        "instantclient-basic*-linux.x64*.zip",
        "instantclient-basic",
    ),
    (
        "SDK",
        "instantclient-sdk-linux.x64*.zip",
        "instantclient-sdk-linux.x64",
    ),
    (
        "ODBC",
        "instantclient-odbc-linux.x64*.zip",
        "instantclient-odbc-linux.x64",
    ),
];

fn matches(name: &str, prefix: &str) -> bool {
    name.starts_with(prefix) && name.contains("linux.x64") && name.ends_with(".zip")
}

/// Every problem with the directory, one line each (nothing read from the cluster).
pub(crate) fn problems(dir: &Path) -> Vec<String> {
    if !dir.is_dir() {
        return vec![format!(
            "--oracle-build-dir {}: not a directory; give the templates' amp/system-oracle directory with \
             oracle-client-files/ filled",
            dir.display()
        )];
    }
    let mut problems = Vec::new();
    if !dir.join("Dockerfile").is_file() {
        problems.push(format!(
            "{}: no Dockerfile; give the templates' amp/system-oracle directory (3scale-amp-openshift-templates)",
            dir.display()
        ));
    }
    let files: Vec<String> = std::fs::read_dir(dir.join("oracle-client-files"))
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    for (what, pattern, prefix) in ZIPS {
        if !files.iter().any(|f| matches(f, prefix)) {
            problems.push(format!(
                "{}/oracle-client-files/ has no Oracle Instant Client {what} zip ({pattern}, 19.x from oracle.com)",
                dir.display()
            ));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    #[test]
    fn each_missing_zip_is_one_line_naming_its_pattern() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("oracle-client-files")).unwrap();
        std::fs::write(
            dir.path()
                .join("oracle-client-files/instantclient-basiclite-linux.x64-19.8.0.0.0dbru.zip"),
            "",
        )
        .unwrap();
        let problems = super::problems(dir.path());
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(problems[0].contains("no Dockerfile"));
        assert!(problems[1].contains("instantclient-sdk-linux.x64*.zip"));
        assert!(problems[2].contains("instantclient-odbc-linux.x64*.zip"));
    }
}
