//! Diagnostics about places outside plan files: a cell of a CSV file, or a rep in a period.
//!
//! Data files can be far too large to keep as sources for codespan, so a data diagnostic carries
//! the one line it is about, and is rendered here in the same shape as plan diagnostics.

use super::{Code, Severity};
use std::fmt::Write as _;

/// A place in a data file: path, line and column from 1, and the line's text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    /// The file's path as given.
    pub path: String,
    /// Line from 1 (the header is line 1).
    pub line: usize,
    /// Column in characters from 1.
    pub column: usize,
    /// Width of the underlined text, in characters (at least 1).
    pub width: usize,
    /// The text of the line, for the snippet.
    pub text: String,
}

/// A diagnostic with an optional place in a data file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LocatedDiagnostic {
    /// The stable code.
    pub code: &'static Code,
    /// One line saying what is wrong.
    pub message: String,
    /// Where, when it is about a file.
    pub place: Option<Place>,
    /// What the underline says.
    pub label: String,
    /// Extra facts.
    pub notes: Vec<String>,
    /// A concrete fix.
    pub help: Option<String>,
}

impl LocatedDiagnostic {
    /// A diagnostic without a place yet.
    pub fn new(code: &'static Code, message: impl Into<String>) -> LocatedDiagnostic {
        LocatedDiagnostic {
            code,
            message: message.into(),
            place: None,
            label: String::new(),
            notes: Vec::new(),
            help: None,
        }
    }

    /// Sets the place and what its underline says.
    pub fn at(mut self, place: Place, label: impl Into<String>) -> LocatedDiagnostic {
        self.place = Some(place);
        self.label = label.into();
        self
    }

    /// Adds a note.
    pub fn note(mut self, note: impl Into<String>) -> LocatedDiagnostic {
        self.notes.push(note.into());
        self
    }

    /// Sets the help line.
    pub fn help(mut self, help: impl Into<String>) -> LocatedDiagnostic {
        self.help = Some(help.into());
        self
    }

    /// The rustc-style text rendering, without colour.
    pub fn render(&self) -> String {
        let mut out = format!("{}[{}]: {}\n", self.code.severity.word(), self.code.id, self.message);
        if let Some(place) = &self.place {
            let number = place.line.to_string();
            let pad = " ".repeat(number.len());
            let _ = writeln!(out, "{pad} ┌─ {}:{}:{}", place.path, place.line, place.column);
            let _ = writeln!(out, "{pad} │");
            let _ = writeln!(out, "{number} │ {}", place.text);
            let underline = format!("{}{}", " ".repeat(place.column.saturating_sub(1)), "^".repeat(place.width.max(1)));
            let _ = writeln!(out, "{pad} │ {underline} {}", self.label);
            if !self.notes.is_empty() || self.help.is_some() {
                let _ = writeln!(out, "{pad} │");
            }
            for note in &self.notes {
                let _ = writeln!(out, "{pad} = note: {note}");
            }
            if let Some(help) = &self.help {
                let _ = writeln!(out, "{pad} = help: {help}");
            }
        } else {
            for note in &self.notes {
                let _ = writeln!(out, "  = note: {note}");
            }
            if let Some(help) = &self.help {
                let _ = writeln!(out, "  = help: {help}");
            }
        }
        out.push('\n');
        out
    }

    /// The JSON object, with the same fields as plan diagnostics.
    pub fn json(&self) -> serde_json::Value {
        serde_json::json!({
            "code": self.code.id,
            "name": self.code.name,
            "severity": self.code.severity,
            "message": self.message,
            "file": self.place.as_ref().map(|p| p.path.clone()),
            "line": self.place.as_ref().map(|p| p.line),
            "column": self.place.as_ref().map(|p| p.column),
            "end_line": self.place.as_ref().map(|p| p.line),
            "end_column": self.place.as_ref().map(|p| p.column + p.width),
            "labels": [],
            "notes": self.notes,
            "help": self.help,
        })
    }

    /// The severity, fixed by the code.
    pub fn severity(&self) -> Severity {
        self.code.severity
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::codes;

    #[test]
    fn renders_like_a_plan_diagnostic() {
        let d = LocatedDiagnostic::new(&codes::BAD_VALUE, "`abc` is not an amount")
            .at(
                Place { path: "data/deals.csv".into(), line: 3, column: 10, width: 3, text: "A2,alice,abc,USD".into() },
                "the column `amount` holds money",
            )
            .help("write a plain decimal such as `1234.56`");
        let text = d.render();
        assert!(text.starts_with("error[E0702]: `abc` is not an amount\n"), "{text}");
        assert!(text.contains("\n  ┌─ data/deals.csv:3:10\n"), "{text}");
        assert!(text.contains("3 │ A2,alice,abc,USD\n  │          ^^^ the column"), "{text}");
    }
}
