//! Chart and app versions (helm charts must use SemVer 2), parsed and ordered by the `semver` crate; a
//! leading `v` (helm's `v3.16.2`) is accepted, build metadata does not take part in the order.

use std::cmp::Ordering;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Version {
    /// major, minor, patch
    pub(crate) core: [u64; 3],
    full: semver::Version,
}

impl Version {
    pub(crate) fn parse(text: &str) -> Option<Version> {
        let full = semver::Version::parse(text.trim().trim_start_matches('v')).ok()?;
        Some(Version {
            core: [full.major, full.minor, full.patch],
            full,
        })
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        self.full.cmp_precedence(&other.full)
    }
}

/// Compares two version strings; unparsable ones compare as text.
pub(crate) fn compare(a: &str, b: &str) -> Ordering {
    match (Version::parse(a), Version::parse(b)) {
        (Some(x), Some(y)) => x.cmp(&y),
        _ => a.cmp(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_like_semver() {
        assert_eq!(compare("1.0.1", "1.0.0"), Ordering::Greater);
        assert_eq!(compare("1.10.0", "1.9.9"), Ordering::Greater);
        assert_eq!(compare("2.0.0-rc.1", "2.0.0"), Ordering::Less);
        assert_eq!(compare("2.0.0-rc.2", "2.0.0-rc.10"), Ordering::Less);
        assert_eq!(compare("v1.2.3", "1.2.3"), Ordering::Equal);
    }
}
