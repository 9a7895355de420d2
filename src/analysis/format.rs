//! Formatting for editors: the same canonical layout as `compplan fmt`, as one edit of the whole file.

use crate::ast::Span;
use crate::source::SourceFile;
use crate::Db;

/// The edit that formats a file: replace all of it (`span`) with the canonical text. `None` when the
/// file is already formatted, or cannot be formatted safely because it has syntax errors (formatting
/// then leaves it alone rather than guess).
pub fn format(db: &dyn Db, file: SourceFile) -> Option<(Span, String)> {
    let text = file.text(db);
    let formatted = crate::fmt::format_file(db, file)?;
    (formatted != text).then(|| (Span::new(0, text.len()), formatted))
}
