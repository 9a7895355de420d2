//! Formatting for editors: the same canonical layout as `compplan fmt`, as one edit of the whole file.

use crate::ast::Span;
use crate::source::SourceFile;
use crate::Db;

/// What formatting a file gives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Formatting {
    /// Replace all of the file (`span`) with the canonical text.
    Edit {
        /// The whole file.
        span: Span,
        /// The canonical text.
        text: String,
    },
    /// The file is already laid out canonically.
    Unchanged,
    /// The file has syntax errors, so it cannot be formatted safely: it is left alone rather than
    /// guessed at, and the editor should say so.
    SyntaxErrors,
}

/// Formats a file with `compplan fmt`'s code.
pub fn format(db: &dyn Db, file: SourceFile) -> Formatting {
    let text = file.text(db);
    match crate::fmt::format_file(db, file) {
        None => Formatting::SyntaxErrors,
        Some(formatted) if formatted == text => Formatting::Unchanged,
        Some(formatted) => Formatting::Edit { span: Span::new(0, text.len()), text: formatted },
    }
}
