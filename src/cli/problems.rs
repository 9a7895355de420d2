//! Showing diagnostics at the command line's edge, in the format asked for: rustc-style text on
//! stderr, one JSON document on stdout, or GitHub workflow annotations on stdout.

use super::ErrorFormat;
use crate::diagnostics::{render, Diagnostic, Severity};
use crate::Db;
use codespan_reporting::term::termcolor::BufferedStandardStream;

/// Where a command's diagnostics go. Text and annotations are printed as they are shown, between
/// the command's own `error: …` lines; JSON is collected and printed as one document when the
/// command ends ([`Problems::finish`]).
pub(crate) struct Problems {
    format: ErrorFormat,
    /// In JSON: each diagnostic shown, with its severity.
    json: Vec<(Severity, serde_json::Value)>,
}

impl Problems {
    pub(crate) fn new(format: ErrorFormat) -> Problems {
        Problems { format, json: Vec::new() }
    }

    /// The format asked for.
    pub(crate) fn format(&self) -> ErrorFormat {
        self.format
    }

    /// Shows diagnostics, placed (their plan text read from `db`).
    pub(crate) fn show(&mut self, db: &dyn Db, diagnostics: &[Diagnostic]) {
        match self.format {
            ErrorFormat::Text => {
                // Buffered: the renderer writes a character at a time.
                let mut stderr = BufferedStandardStream::stderr(super::stderr_colour());
                let _ = render::text(db, diagnostics, &mut stderr);
                let _ = std::io::Write::flush(&mut stderr);
            }
            ErrorFormat::Github => super::out(&render::github(db, diagnostics)),
            ErrorFormat::Json => {
                self.json.extend(diagnostics.iter().map(|d| (d.severity(), render::json_diagnostic(db, d))));
            }
        }
    }

    /// Whether diagnostics were collected for JSON (warnings, on a run that goes on).
    pub(crate) fn has_json(&self) -> bool {
        !self.json.is_empty()
    }

    /// The diagnostics collected for JSON, each as its object, taken out (for a command that puts
    /// them in a document of its own).
    pub(crate) fn take_json(&mut self) -> Vec<serde_json::Value> {
        self.json.drain(..).map(|(_, value)| value).collect()
    }

    /// Prints the JSON document of the diagnostics collected, if there are any.
    pub(crate) fn finish(self) {
        if !self.json.is_empty() {
            let document = render::json_document(self.json);
            super::out(&format!("{}\n", serde_json::to_string_pretty(&document).unwrap_or_default()));
        }
    }
}
