//! The names people use for 3scale components besides the image streams: the guide's section names and the
//! `threescale_component` labels of the install (`system`, `apicast`, `backend`, `zync`, `memcached`,
//! `zync-database`, `redis`, `mysql`, `postgresql`). Each maps to the image streams it covers.

/// Alias → image streams, in the table's order.
pub(crate) const ALIASES: &[(&str, &[&str])] = &[
    ("system", &["amp-system"]),
    ("apicast", &["amp-apicast"]),
    ("backend", &["amp-backend"]),
    ("zync", &["amp-zync"]),
    ("memcached", &["system-memcached"]),
    ("zync-database", &["zync-database-postgresql"]),
    ("redis", &["backend-redis", "system-redis"]),
    ("mysql", &["system-mysql"]),
    ("postgresql", &["system-postgresql"]),
];

/// The image streams a `--component` name stands for (a stream name stands for itself), or the closest
/// known name when it stands for nothing.
pub(crate) fn resolve(
    name: &str,
    streams: &[&'static str],
) -> Result<Vec<&'static str>, Option<&'static str>> {
    if let Some(stream) = streams.iter().find(|s| **s == name) {
        return Ok(vec![stream]);
    }
    if let Some((_, covered)) = ALIASES.iter().find(|(alias, _)| *alias == name) {
        let present: Vec<&'static str> = covered
            .iter()
            .filter_map(|c| streams.iter().find(|s| *s == c).copied())
            .collect();
        if !present.is_empty() {
            return Ok(present);
        }
    }
    Err(closest(name, streams))
}

/// Every accepted name: aliases first (shorter, what the guide says), then the image streams.
pub(crate) fn all_names(streams: &[&'static str]) -> Vec<&'static str> {
    let mut names: Vec<&'static str> = ALIASES.iter().map(|(a, _)| *a).collect();
    names.extend(streams.iter().copied());
    names
}

fn closest(name: &str, streams: &[&'static str]) -> Option<&'static str> {
    let name = name.to_ascii_lowercase();
    all_names(streams)
        .into_iter()
        .map(|candidate| (distance(&name, candidate), candidate))
        .filter(|(d, candidate)| *d <= (candidate.len() / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Levenshtein distance (edits to turn `a` into `b`).
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous + usize::from(ca != *cb);
            previous = row[j + 1];
            row[j + 1] = substitute.min(row[j] + 1).min(previous + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    const STREAMS: &[&str] = &[
        "amp-system",
        "amp-apicast",
        "backend-redis",
        "system-redis",
        "system-mysql",
    ];

    #[test]
    fn guide_names_and_labels_map_to_streams() {
        assert_eq!(resolve("system", STREAMS), Ok(vec!["amp-system"]));
        assert_eq!(
            resolve("redis", STREAMS),
            Ok(vec!["backend-redis", "system-redis"])
        );
        assert_eq!(resolve("amp-apicast", STREAMS), Ok(vec!["amp-apicast"]));
    }

    #[test]
    fn an_unknown_name_suggests_the_closest() {
        assert_eq!(resolve("sytem", STREAMS), Err(Some("system")));
        assert_eq!(resolve("apicats", STREAMS), Err(Some("apicast")));
        assert_eq!(resolve("amp-sistem", STREAMS), Err(Some("amp-system")));
        assert_eq!(resolve("kafka", STREAMS), Err(None));
    }
}
