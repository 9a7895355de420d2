//! Rendering diagnostics for people (codespan, like rustc), for machines (JSON) and for GitHub
//! workflow annotations: one set of renderers for every [`Location`].
//!
//! A diagnostic in plan text is drawn by codespan from the database's sources. A diagnostic about a
//! cell of a data file carries the one line it is about (data files can be far too large to keep as
//! sources) and is drawn in the same shape by the `cell` module, as is a diagnostic about no place. Locations
//! still named by ids (a row of the data set, a part of a plan) are placed by the pipeline first; a
//! renderer shows one it meets as no place. Renderers write into strings or writers handed to them;
//! deciding on colour and printing is the CLI's job.

mod cell;

use super::{Diagnostic, Location, Severity};
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

/// The codespan form of a diagnostic: labels in plan text become codespan labels, notes and help
/// become `= …` lines.
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
            let (file, span) = (l.file()?, l.span()?);
            let style = if l.primary { cs::LabelStyle::Primary } else { cs::LabelStyle::Secondary };
            Some(cs::Label::new(style, file, span.start..span.end).with_message(l.message.clone()))
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

/// Whether codespan draws a diagnostic: its primary label is in a plan file.
fn in_plan_text(diagnostic: &Diagnostic) -> bool {
    diagnostic.primary_label().and_then(|l| l.file()).is_some()
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
    let too_long =
        |l: &super::Label| l.file().zip(l.span()).is_some_and(|(f, s)| length(f, s.start) > LONGEST_SHOWN_LINE);
    if !diagnostic.labels.iter().any(too_long) {
        return to_codespan(diagnostic);
    }
    let mut shorter = diagnostic.clone();
    let mut places = Vec::new();
    shorter.labels.retain(|l| {
        let (Some(file), Some(span)) = (l.file(), l.span()) else { return true };
        if !too_long(l) {
            return true;
        }
        let index = LineIndex::from_starts(line_starts(db, file).clone());
        let at = index.line_col(file.text(db), span.start);
        places.push(format!(
            "at {}:{}:{}: {} (a line of {} bytes, too long to show)",
            file.path(db),
            at.line,
            at.column,
            l.message,
            length(file, span.start)
        ));
        false
    });
    shorter.notes.splice(0..0, places);
    to_codespan(&shorter)
}

/// Writes diagnostics as rustc-style text, those in plan text in colour if the writer supports it.
pub fn text(db: &dyn Db, diagnostics: &[Diagnostic], out: &mut dyn WriteColor) -> std::io::Result<()> {
    let files = DbFiles(db);
    let config = term::Config::default();
    for diagnostic in diagnostics {
        if in_plan_text(diagnostic) {
            term::emit_to_write_style(out, &config, &files, &shown(db, diagnostic)).map_err(std::io::Error::other)?;
        } else {
            out.write_all(cell::text(diagnostic).as_bytes())?;
        }
    }
    Ok(())
}

/// The text rendering without colour, for snapshots, logs and reports.
pub fn plain(db: &dyn Db, diagnostics: &[Diagnostic]) -> String {
    let files = DbFiles(db);
    let config = term::Config::default();
    let mut out = String::new();
    for diagnostic in diagnostics {
        if !in_plan_text(diagnostic) {
            out.push_str(&cell::text(diagnostic));
        } else if let Ok(rendered) = term::emit_into_string(&config, &files, &shown(db, diagnostic)) {
            out.push_str(&rendered);
        }
    }
    out
}

/// Where a diagnostic is, as a JSON object and a GitHub annotation need it.
struct Place {
    path: String,
    start: crate::source::LineCol,
    end: crate::source::LineCol,
    /// The byte range, known in plan text only.
    range: Option<(usize, usize)>,
}

fn locate(db: &dyn Db, diagnostic: &Diagnostic) -> Option<Place> {
    match &diagnostic.primary_label()?.location {
        Location::Span { file: Some(file), span } => {
            let text = file.text(db);
            let index = LineIndex::from_starts(line_starts(db, *file).clone());
            let (start, end) = index.range(text, *span);
            Some(Place { path: file.path(db).clone(), start, end, range: Some((span.start, span.end)) })
        }
        Location::Cell(cell) => {
            let at = |column| crate::source::LineCol { line: cell.line, column };
            Some(Place {
                path: cell.path.clone(),
                start: at(cell.column),
                end: at(cell.column + cell.width),
                range: None,
            })
        }
        _ => None,
    }
}

/// The version of the JSON shape; bumped only when a field changes meaning or disappears.
pub const JSON_VERSION: u32 = 1;

/// Diagnostics as one JSON document: a version, counts by severity, and each diagnostic (see
/// [`json_diagnostic`]).
pub fn json(db: &dyn Db, diagnostics: &[Diagnostic]) -> serde_json::Value {
    json_document(diagnostics.iter().map(|d| (d.severity(), json_diagnostic(db, d))))
}

/// The JSON document of diagnostics already made objects ([`json_diagnostic`]), with their
/// severities: what every command prints for `--format json` or `--error-format json`.
pub fn json_document(items: impl IntoIterator<Item = (Severity, serde_json::Value)>) -> serde_json::Value {
    let (mut errors, mut warnings, mut notes) = (0, 0, 0);
    let mut diagnostics = Vec::new();
    for (severity, item) in items {
        match severity {
            Severity::Error => errors += 1,
            Severity::Warning => warnings += 1,
            Severity::Note => notes += 1,
        }
        diagnostics.push(item);
    }
    serde_json::json!({
        "version": JSON_VERSION,
        "counts": { "errors": errors, "warnings": warnings, "notes": notes },
        "diagnostics": diagnostics,
    })
}

/// One diagnostic as a JSON object: its code, name, severity, message, file, line, column, end,
/// byte range (in plan text; `null` in a data file), labels (each with its file, line, column, byte
/// range, message and whether it is the primary one), notes and help.
/// A diagnostic about no place has `null` for each field of its place.
pub fn json_diagnostic(db: &dyn Db, d: &Diagnostic) -> serde_json::Value {
    let location = locate(db, d);
    let labels: Vec<serde_json::Value> = d.labels.iter().filter_map(|l| json_label(db, l)).collect();
    let range = location.as_ref().and_then(|l| l.range);
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
        "range": range.map(|(start, end)| serde_json::json!({ "start": start, "end": end })),
        "labels": labels,
        "notes": d.notes,
        "help": d.help,
    })
}

/// A label as a JSON object: its file, line, column, byte range (in plan text; `null` in a data
/// file), message, and whether it is the primary one. A label not placed yet is left out.
fn json_label(db: &dyn Db, label: &super::Label) -> Option<serde_json::Value> {
    let (file, line, column, range) = match &label.location {
        Location::Span { file: Some(file), span } => {
            let index = LineIndex::from_starts(line_starts(db, *file).clone());
            let at = index.line_col(file.text(db), span.start);
            let range = serde_json::json!({ "start": span.start, "end": span.end });
            (file.path(db).clone(), at.line, at.column, range)
        }
        Location::Cell(cell) => (cell.path.clone(), cell.line, cell.column, serde_json::Value::Null),
        _ => return None,
    };
    Some(serde_json::json!({
        "file": file,
        "line": line,
        "column": column,
        "range": range,
        "message": label.message,
        "primary": label.primary,
    }))
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
