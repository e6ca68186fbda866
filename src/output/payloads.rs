//! `-v` lines stay readable: a long payload (a journal, a patch) is shown by its name and size.

/// A word of a `-v` line longer than this is a payload (a journal, a patch): shown by its size.
const PAYLOAD_SHOWN_UP_TO: usize = 160;

/// `-v` lines stay readable: each shell word longer than [`PAYLOAD_SHOWN_UP_TO`] becomes
/// `<journal.json: 1.2 kB>` (named after its `KEY=` or its first JSON keys). `plan` shows them whole.
pub(super) fn shorten_payloads(display: &str) -> String {
    let Some(words) = shlex::split(display) else {
        return display.to_string();
    };
    if words.iter().all(|w| w.len() <= PAYLOAD_SHOWN_UP_TO) {
        return display.to_string();
    }
    let shown: Vec<String> = words
        .iter()
        .map(|w| {
            if w.len() <= PAYLOAD_SHOWN_UP_TO {
                return crate::quote::shell_join(&[w]);
            }
            // `--from-literal=journal.json={...}`: the flag and key stay, the value goes
            let value_at = w.find(['{', '[']).unwrap_or(0);
            let (prefix, value) = w.split_at(value_at);
            let size = format!("{:.1} kB", value.len() as f64 / 1000.0);
            match prefix.strip_suffix('=') {
                Some(keyed) => {
                    let label = keyed.rsplit('=').next().unwrap_or(keyed);
                    format!("{}=<{label}: {size}>", crate::quote::shell_join(&[keyed]))
                }
                None if prefix.is_empty() => format!("<{}: {size}>", json_keys(value)),
                None => format!(
                    "{}<{}: {size}>",
                    crate::quote::shell_join(&[prefix]),
                    json_keys(value)
                ),
            }
        })
        .collect();
    shown.join(" ")
}

/// The first keys of a JSON payload, dotted (`data.journal.json`), or `payload`.
fn json_keys(text: &str) -> String {
    let mut keys = Vec::new();
    let mut rest = text;
    while keys.len() < 3 {
        let Some(open) = rest.strip_prefix('{').and_then(|r| r.strip_prefix('"')) else {
            break;
        };
        let Some((key, after)) = open.split_once("\":") else {
            break;
        };
        keys.push(key.to_string());
        rest = after;
    }
    if keys.is_empty() {
        "payload".into()
    } else {
        keys.join(".")
    }
}
