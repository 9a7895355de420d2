//! Diagnostics grouped by file, in the shape editors show: the primary label's place, one message
//! (the same first line as `compplan check`, then its notes and help), and the secondary labels as
//! related places.

use super::FileSpan;
use crate::ast::Span;
use crate::check;
use crate::diagnostics::Severity;
use crate::source::{SourceFile, Workspace};
use crate::Db;

/// One diagnostic, placed in one file.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Problem {
    /// Where the primary label points.
    pub span: Span,
    /// Error, warning or note.
    pub severity: Severity,
    /// The stable code (`E0102`).
    pub code: &'static str,
    /// The message, then `note: …` and `help: …` lines.
    pub message: String,
    /// The secondary labels: other places involved, with what they say.
    pub related: Vec<(FileSpan, String)>,
}

/// Every file of the workspace with its problems (an empty list for a clean file, so that an editor
/// clears what it showed before), in file order.
pub fn diagnostics_by_file(db: &dyn Db, ws: Workspace) -> Vec<(SourceFile, Vec<Problem>)> {
    let mut out: Vec<(SourceFile, Vec<Problem>)> = ws.files(db).iter().map(|&f| (f, Vec::new())).collect();
    for diagnostic in check::diagnostics(db, ws) {
        let Some(primary) = diagnostic.primary_label() else { continue };
        let (Some(file), Some(span)) = (primary.file(), primary.span()) else { continue };
        let mut message = diagnostic.message.clone();
        for note in &diagnostic.notes {
            message.push_str(&format!("\nnote: {note}"));
        }
        if let Some(help) = &diagnostic.help {
            message.push_str(&format!("\nhelp: {help}"));
        }
        let related = diagnostic
            .labels
            .iter()
            .filter(|l| !std::ptr::eq(*l, primary))
            .filter_map(|l| Some((FileSpan { file: l.file()?, span: l.span()? }, l.message.clone())))
            .collect();
        let problem = Problem { span, severity: diagnostic.severity(), code: diagnostic.code.id, message, related };
        match out.iter_mut().find(|(f, _)| *f == file) {
            Some((_, problems)) => problems.push(problem),
            None => out.push((file, vec![problem])),
        }
    }
    out
}
