//! Shell quoting for display only: commands are never run through a shell, but every command we show
//! must be copy-pastable into one.

/// Joins words into one POSIX-shell command line, quoting where needed.
pub(crate) fn shell_join<S: AsRef<str>>(words: &[S]) -> String {
    words
        .iter()
        .map(|w| quote(w.as_ref()))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Quotes one word: bare when it has only safe characters, single-quoted otherwise.
pub(crate) fn quote(word: &str) -> String {
    let safe = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:,@%+".contains(c));
    if safe {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_only_when_needed() {
        assert_eq!(
            shell_join(&["kubectl", "scale", "deployment/a", "--replicas=0"]),
            "kubectl scale deployment/a --replicas=0"
        );
        assert_eq!(quote(""), "''");
        assert_eq!(quote("a b"), "'a b'");
        assert_eq!(quote(r#"{"a":"it's"}"#), r#"'{"a":"it'\''s"}'"#);
        assert_eq!(quote("^exastro$"), "'^exastro$'");
    }
}
