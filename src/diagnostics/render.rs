//! Rendering diagnostics for people (codespan, like rustc), for machines (JSON) and for GitHub
//! workflow annotations.
//!
//! Renderers write into strings or writers handed to them; deciding on colour and printing is the
//! CLI's job.

use super::{Diagnostic, Severity};
use crate::source::{line_starts, LineIndex, SourceFile};
use crate::Db;
use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term::{self, termcolor::WriteColor};
use std::ops::Range;

/// codespan's view of the database's files: no second copy of the sources, and the line table is
/// the memoized [`line_starts`] query.
pub struct DbFiles<'db>(pub &'db dyn Db);

impl<'a> Files<'a> for DbFiles<'_> {
    type FileId = SourceFile;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: SourceFile) -> Result<&'a str, FilesError> {
        Ok(id.path(self.0).as_str())
    }

    fn source(&'a self, id: SourceFile) -> Result<&'a str, FilesError> {
        Ok(id.text(self.0))
    }

    fn line_index(&'a self, id: SourceFile, byte: usize) -> Result<usize, FilesError> {
        Ok(line_starts(self.0, id).binary_search(&byte).unwrap_or_else(|next| next - 1))
    }

    fn line_range(&'a self, id: SourceFile, line: usize) -> Result<Range<usize>, FilesError> {
        let starts = line_starts(self.0, id);
        let start = *starts.get(line).ok_or(FilesError::LineTooLarge { given: line, max: starts.len() - 1 })?;
        let end = starts.get(line + 1).copied().unwrap_or(id.text(self.0).len());
        Ok(start..end)
    }
}

/// The codespan form of a diagnostic: labels become codespan labels, notes and help become `= …`
/// lines.
pub fn to_codespan(diagnostic: &Diagnostic) -> cs::Diagnostic<SourceFile> {
    let severity = match diagnostic.severity() {
        Severity::Error => cs::Severity::Error,
        Severity::Warning => cs::Severity::Warning,
        Severity::Note => cs::Severity::Note,
    };
    let labels = diagnostic
        .labels
        .iter()
        .filter_map(|l| {
            let file = l.file?;
            let style = if l.primary { cs::LabelStyle::Primary } else { cs::LabelStyle::Secondary };
            Some(cs::Label::new(style, file, l.span.start..l.span.end).with_message(l.message.clone()))
        })
        .collect();
    let mut notes: Vec<String> = diagnostic.notes.iter().map(|n| format!("note: {n}")).collect();
    if let Some(help) = &diagnostic.help {
        notes.push(format!("help: {help}"));
    }
    cs::Diagnostic::new(severity)
        .with_code(diagnostic.code.id)
        .with_message(diagnostic.message.clone())
        .with_labels(labels)
        .with_notes(notes)
}

/// The longest line, in bytes, that a snippet shows: a label on a longer line (a file that is not a
/// plan, all on one line) is shown as its place instead, so that the text of many diagnostics on
/// one such line does not grow with the square of its length.
pub const LONGEST_SHOWN_LINE: usize = 1000;

/// [`to_codespan`], with each label on a line longer than [`LONGEST_SHOWN_LINE`] turned into a note
/// giving its place.
fn shown(db: &dyn Db, diagnostic: &Diagnostic) -> cs::Diagnostic<SourceFile> {
    let length = |file: SourceFile, at: usize| {
        let starts = line_starts(db, file);
        let line = starts.binary_search(&at).unwrap_or_else(|next| next.saturating_sub(1));
        let end = starts.get(line + 1).copied().unwrap_or(file.text(db).len());
        end.saturating_sub(starts.get(line).copied().unwrap_or(0))
    };
    let too_long = |l: &super::Label| l.file.is_some_and(|f| length(f, l.span.start) > LONGEST_SHOWN_LINE);
    if !diagnostic.labels.iter().any(too_long) {
        return to_codespan(diagnostic);
    }
    let mut shorter = diagnostic.clone();
    let mut places = Vec::new();
    shorter.labels.retain(|l| {
        let Some(file) = l.file.filter(|_| too_long(l)) else { return true };
        let index = LineIndex::from_starts(line_starts(db, file).clone());
        let at = index.line_col(file.text(db), l.span.start);
        places.push(format!(
            "at {}:{}:{}: {} (a line of {} bytes, too long to show)",
            file.path(db),
            at.line,
            at.column,
            l.message,
            length(file, l.span.start)
        ));
        false
    });
    shorter.notes.splice(0..0, places);
    to_codespan(&shorter)
}

/// Writes diagnostics as rustc-style text, in colour if the writer supports it.
pub fn text(db: &dyn Db, diagnostics: &[Diagnostic], out: &mut dyn WriteColor) -> std::io::Result<()> {
    let files = DbFiles(db);
    let config = term::Config::default();
    for diagnostic in diagnostics {
        term::emit_to_write_style(out, &config, &files, &shown(db, diagnostic)).map_err(std::io::Error::other)?;
    }
    Ok(())
}

/// The text rendering without colour, for snapshots and logs.
pub fn plain(db: &dyn Db, diagnostics: &[Diagnostic]) -> String {
    let files = DbFiles(db);
    let config = term::Config::default();
    let mut out = String::new();
    for diagnostic in diagnostics {
        if let Ok(rendered) = term::emit_into_string(&config, &files, &shown(db, diagnostic)) {
            out.push_str(&rendered);
        }
    }
    out
}

/// Where a diagnostic is, as a JSON object and a GitHub annotation need it.
struct Location {
    path: String,
    start: crate::source::LineCol,
    end: crate::source::LineCol,
    range: (usize, usize),
}

fn locate(db: &dyn Db, diagnostic: &Diagnostic) -> Option<Location> {
    let label = diagnostic.primary_label()?;
    let file = label.file?;
    let text = file.text(db);
    let index = LineIndex::from_starts(line_starts(db, file).clone());
    let (start, end) = index.range(text, label.span);
    Some(Location { path: file.path(db).clone(), start, end, range: (label.span.start, label.span.end) })
}

/// The version of the JSON shape; bumped only when a field changes meaning or disappears.
pub const JSON_VERSION: u32 = 1;

/// Diagnostics as one JSON document: a version, counts by severity, and each diagnostic's code,
/// severity, message, file, line, column, byte range, labels, notes and help.
pub fn json(db: &dyn Db, diagnostics: &[Diagnostic]) -> serde_json::Value {
    let count = |s: Severity| diagnostics.iter().filter(|d| d.severity() == s).count();
    let items: Vec<serde_json::Value> = diagnostics
        .iter()
        .map(|d| {
            let location = locate(db, d);
            let labels: Vec<serde_json::Value> = d
                .labels
                .iter()
                .filter_map(|l| {
                    let file = l.file?;
                    let index = LineIndex::from_starts(line_starts(db, file).clone());
                    let at = index.line_col(file.text(db), l.span.start);
                    Some(serde_json::json!({
                        "file": file.path(db),
                        "line": at.line,
                        "column": at.column,
                        "range": { "start": l.span.start, "end": l.span.end },
                        "message": l.message,
                        "primary": l.primary,
                    }))
                })
                .collect();
            serde_json::json!({
                "code": d.code.id,
                "name": d.code.name,
                "severity": d.severity(),
                "message": d.message,
                "file": location.as_ref().map(|l| l.path.clone()),
                "line": location.as_ref().map(|l| l.start.line),
                "column": location.as_ref().map(|l| l.start.column),
                "end_line": location.as_ref().map(|l| l.end.line),
                "end_column": location.as_ref().map(|l| l.end.column),
                "range": location.as_ref().map(|l| serde_json::json!({ "start": l.range.0, "end": l.range.1 })),
                "labels": labels,
                "notes": d.notes,
                "help": d.help,
            })
        })
        .collect();
    serde_json::json!({
        "version": JSON_VERSION,
        "counts": {
            "errors": count(Severity::Error),
            "warnings": count(Severity::Warning),
            "notes": count(Severity::Note),
        },
        "diagnostics": items,
    })
}

/// GitHub Actions workflow commands, one line per diagnostic:
/// `::error file=plans/ae.plan,line=3,col=8,endLine=3,endColumn=12,title=E0101::message`.
pub fn github(db: &dyn Db, diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let command = match d.severity() {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "notice",
        };
        let mut message = d.message.clone();
        if let Some(help) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        let title = format!("{} {}", d.code.id, d.code.name);
        match locate(db, d) {
            Some(l) => out.push_str(&format!(
                "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
                escape_property(&l.path),
                l.start.line,
                l.start.column,
                l.end.line,
                l.end.column,
                escape_property(&title),
                escape_data(&message),
            )),
            None => {
                out.push_str(&format!("::{command} title={}::{}\n", escape_property(&title), escape_data(&message)))
            }
        }
    }
    out
}

fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}
