//! Results on stdout: one document, rendered as text or as JSON (`-o json`).

use std::io::Write;

use super::OutputFormat;

/// A result a command prints: all of it as JSON with `-o json` (the serde form), or as text for people.
/// Results reach stdout through [`emit`].
pub(crate) trait Document: serde::Serialize {
    fn text(&self) -> String;
}

/// A result whose JSON is assembled as a value (a run's report, whose fields depend on how it ended) and
/// whose text is written for people: still printed only through [`emit`].
pub(crate) struct Rendered {
    pub(crate) json: serde_json::Value,
    pub(crate) text: String,
}

impl serde::Serialize for Rendered {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.json.serialize(serializer)
    }
}

impl Document for Rendered {
    fn text(&self) -> String {
        self.text.clone()
    }
}

/// Prints a command's result in the chosen format.
pub(crate) fn emit(format: OutputFormat, document: &impl Document) -> anyhow::Result<()> {
    match format {
        OutputFormat::Json => stdout_line(&serde_json::to_string_pretty(document)?),
        OutputFormat::Text => stdout_text(&document.text()),
    }
    Ok(())
}

/// One line on stdout. A closed pipe (`... | head`) is not an error worth a panic: the reader has what
/// it wanted, and the run must still finish (and put things back) rather than die mid-write.
fn stdout_line(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{text}");
    let _ = out.flush();
}

/// Text on stdout as is (it carries its own line ends); never panics on a closed pipe.
fn stdout_text(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = write!(out, "{text}");
    let _ = out.flush();
}
