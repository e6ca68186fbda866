//! What differs between the helm versions the tool supports: which versions those are, how a release was
//! last applied (helm 4 applies server-side: `helm get metadata RELEASE -o json` → `applyMethod`), and the
//! flags only helm 4 has (`--force-conflicts`).

use serde::Deserialize;

use crate::process::Cmd;
use crate::semver::Version;

/// The oldest helm 3 the tool runs with (`--dry-run=server`, `helm get metadata` and the JSON it parses).
const OLDEST_HELM_3_MINOR: u64 = 12;

/// The supported versions, as messages say them.
pub(crate) const SUPPORTED: &str = "helm 3.12 or later, or helm 4";

/// helm's major version and the text it printed (`v4.2.4+g…`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HelmVersion {
    pub(crate) major: u64,
    pub(crate) minor: u64,
    pub(crate) text: String,
}

impl HelmVersion {
    /// From `helm version --short` (`v3.16.2+g13654a5`); `None` when it is not a version.
    pub(crate) fn parse(short: &str) -> Option<HelmVersion> {
        let text = short.trim().lines().next()?.trim().to_string();
        let v = Version::parse(&text)?;
        Some(HelmVersion {
            major: v.core[0],
            minor: v.core[1],
            text,
        })
    }

    /// A version the tool does not support, with the reason; `None` when it is supported.
    pub(crate) fn unsupported(&self) -> Option<String> {
        let ok = match self.major {
            3 => self.minor >= OLDEST_HELM_3_MINOR,
            4 => true,
            _ => false,
        };
        (!ok).then(|| {
            format!(
                "helm {} is not supported: this tool supports {SUPPORTED} (install one: https://helm.sh/docs/intro/install/)",
                self.text
            )
        })
    }

    pub(crate) fn has_server_side_apply(&self) -> bool {
        self.major >= 4
    }
}

/// How helm last applied a release: helm 4's `helm upgrade --server-side auto` applies it the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum ApplyMethod {
    /// helm 3's three-way merge (and helm 4 on a release made by helm 3).
    ClientSide,
    /// helm 4's server-side apply, as field manager `helm`.
    ServerSide,
}

impl ApplyMethod {
    pub(crate) fn describe(self) -> &'static str {
        match self {
            ApplyMethod::ClientSide => "client-side (three-way merge)",
            ApplyMethod::ServerSide => "server-side (field manager helm)",
        }
    }
}

/// The part of `helm get metadata -o json` the tool reads.
#[derive(Debug, Deserialize)]
struct Metadata {
    #[serde(rename = "applyMethod", default)]
    apply_method: String,
}

/// `helm get metadata RELEASE -o json` (helm 4): how the release was last applied.
pub(crate) fn get_metadata(helm: &super::helm::Helm, release: &str) -> Cmd {
    helm.scoped_read(["get", "metadata", release, "-o", "json"])
}

/// `applyMethod` `ssa` is server-side; `csa` or none (a release helm 3 made) is client-side.
pub(crate) fn parse_apply_method(metadata_json: &str) -> anyhow::Result<ApplyMethod> {
    let metadata: Metadata = serde_json::from_str(metadata_json.trim())
        .map_err(|e| anyhow::anyhow!("`helm get metadata -o json` printed no metadata ({e})"))?;
    Ok(match metadata.apply_method.as_str() {
        "ssa" => ApplyMethod::ServerSide,
        _ => ApplyMethod::ClientSide,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn supported_versions_are_helm_3_12_on_and_helm_4() {
        let v = |s: &str| HelmVersion::parse(s).unwrap();
        assert_eq!(v("v4.2.4+g1a2b3c4").major, 4);
        assert!(v("v4.2.4+g1a2b3c4").unsupported().is_none());
        assert!(v("v3.16.2+g13654a5").unsupported().is_none());
        assert!(v("v3.12.0+gc9f554d").unsupported().is_none());
        let old = v("v3.11.3+g3236123").unsupported().unwrap();
        assert!(
            old.contains("helm v3.11.3+g3236123 is not supported"),
            "{old}"
        );
        assert!(old.contains(SUPPORTED), "{old}");
        assert!(v("v5.0.0").unsupported().is_some());
        assert!(v("v2.17.0+ga690bad").unsupported().is_some());
        assert_eq!(HelmVersion::parse("garbage"), None);
    }

    #[test]
    fn apply_method_from_helm_4_metadata() {
        let ssa = r#"{"name":"exastro","chart":"exastro","version":"1.0.0","appVersion":"2.0.3","namespace":"exastro","revision":1,"status":"deployed","deployedAt":"2026-12-04T10:00:00Z","applyMethod":"ssa"}"#;
        assert_eq!(parse_apply_method(ssa).unwrap(), ApplyMethod::ServerSide);
        let csa = r#"{"name":"exastro","applyMethod":"csa"}"#;
        assert_eq!(parse_apply_method(csa).unwrap(), ApplyMethod::ClientSide);
        let helm3 = r#"{"name":"exastro","revision":1}"#;
        assert_eq!(parse_apply_method(helm3).unwrap(), ApplyMethod::ClientSide);
        assert!(parse_apply_method("Error").is_err());
    }
}
