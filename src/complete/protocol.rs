//! The kubectl/oc plugin completion protocol (Cobra's `__complete` output): one candidate per line,
//! optionally followed by a TAB and a description, then a last line `:<directive>`.

use std::fmt::Write as _;

/// Cobra's `ShellCompDirective` bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Directive(pub u8);

impl Directive {
    /// Complete files when there are no candidates.
    pub(crate) const DEFAULT: Directive = Directive(0);
    pub(crate) const ERROR: Directive = Directive(1);
    pub(crate) const NO_FILE: Directive = Directive(4);
    /// The candidates are file extensions (without the dot) to filter file names by.
    pub(crate) const FILTER_FILE_EXT: Directive = Directive(8);
    /// Complete directory names only.
    pub(crate) const FILTER_DIRS: Directive = Directive(16);
    /// Show the candidates in the given order, not sorted by the shell.
    pub(crate) const KEEP_ORDER: Directive = Directive(32);

    #[must_use]
    pub(crate) fn with(self, other: Directive) -> Directive {
        Directive(self.0 | other.0)
    }
}

/// One completion: the text to insert and what it means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Candidate {
    pub(crate) value: String,
    pub(crate) description: Option<String>,
}

impl Candidate {
    pub(crate) fn new(value: impl Into<String>) -> Self {
        Candidate {
            value: value.into(),
            description: None,
        }
    }

    pub(crate) fn described(value: impl Into<String>, description: Option<String>) -> Self {
        Candidate {
            value: value.into(),
            description: description.filter(|d| !d.trim().is_empty()),
        }
    }
}

/// The whole answer of a completion helper.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Reply {
    pub(crate) candidates: Vec<Candidate>,
    pub(crate) directive: Directive,
}

impl Reply {
    /// No candidates and no file names either: the silent fallback.
    pub(crate) fn nothing() -> Self {
        Reply {
            candidates: Vec::new(),
            directive: Directive::NO_FILE,
        }
    }

    pub(crate) fn new(candidates: Vec<Candidate>, directive: Directive) -> Self {
        Reply {
            candidates,
            directive,
        }
    }

    /// The text the helper prints on stdout.
    pub(crate) fn render(&self) -> String {
        let mut out = String::new();
        for candidate in &self.candidates {
            out.push_str(&one_line(&candidate.value));
            if let Some(description) = &candidate.description {
                out.push('\t');
                out.push_str(&one_line(description));
            }
            out.push('\n');
        }
        let _ = writeln!(out, ":{}", self.directive.0);
        out
    }
}

/// Only the first line, with TABs turned into spaces: the protocol is line- and TAB-separated.
fn one_line(text: &str) -> String {
    text.lines()
        .next()
        .unwrap_or_default()
        .trim()
        .replace('\t', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_candidates_descriptions_and_the_directive_last() {
        let reply = Reply::new(
            vec![
                Candidate::described("--namespace", Some("Namespace of the release".into())),
                Candidate::new("plain"),
                Candidate::described("x", Some("two\nlines\tand tab".into())),
            ],
            Directive::NO_FILE.with(Directive::KEEP_ORDER),
        );
        assert_eq!(
            reply.render(),
            "--namespace\tNamespace of the release\nplain\nx\ttwo\n:36\n"
        );
        assert_eq!(Reply::nothing().render(), ":4\n");
    }
}
