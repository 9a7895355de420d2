//! The canonical formatter for plan files (`compplan fmt`, and the language server's formatting).
//!
//! It prints the syntax tree ([`crate::ast`]) again, reading the source only where the tree keeps
//! a span instead of a spelling. The layout it produces:
//!
//! - **Indentation**: two spaces per block level (`plan`, `schema`, `credit`, `table`, `test`,
//!   `data`). A clause the author continued on the next line after a comma (`earn x = …,` ⏎
//!   `capped at …`) stays on its own line, one level deeper than its item; inside parentheses
//!   (quota weights, function arguments) a continued element starts one column after the `(`.
//!   No line is ever broken or joined for its length; blank lines inside a continued item go.
//! - **Lines**: one item per line (`;` between items becomes a line break), except a schema
//!   written on one line, which stays on one line as `schema NAME { a: T; b: T }`.
//! - **Blank lines**: at most one in a row, none at the start of the file, after `{` or before
//!   `}`; elsewhere kept where the author put one.
//! - **Order**: the header lines of a plan come first, in the order `effective`, `currency`,
//!   `pay`, `fiscal`, `rounding`; every other entry keeps its place, each with its comments.
//!   Header lines that had to move are written without blank lines between them.
//! - **Spaces**: one between words and around operators and `=`, none inside parentheses, `, `
//!   after commas, `name: type` in schemas, `-x` for a negation; `5000 USD` with one space.
//! - **Tables**: rows aligned in columns as in `plans/enterprise_ae.plan`: the bounds of
//!   `from A to B` and `at A` padded to the widest, the `:` of every row in one column, the values
//!   left-aligned after it.
//! - **Comments**: kept where they were. Whole-line comments (and `///` doc comments) stay on
//!   their own lines at the indentation of what follows them; a trailing comment stays after its
//!   line, and the trailing comments of consecutive lines start in one column, two spaces after the
//!   longest of those lines. In a clause continued after a comma, a comment after the comma stays
//!   on the comma's line, two spaces after it, and a comment line above the clause is indented like
//!   the clause. Trailing whitespace goes.
//! - **Spelling**: never changed. The formatter only adds or removes whitespace and line breaks and
//!   moves header lines: `×` or `*`, `≥` or `>=`, `is not` or `!=`, the optional words
//!   (`effective from`, `starts in`) and the optional comma before `prorated` stay as written.
//! - **Test data**: the CSV lines (and comments) of a `data NAME { … }` block are kept verbatim and
//!   only re-indented; a closing `}` written after the last row goes to its own line.
//! - **Ends of lines**: `\n`, and one at the end of the file; a byte-order mark is kept.
//!
//! A file with syntax errors is not formatted ([`format_text`] returns `None`): broken text cannot be
//! printed from a tree without risking it. The exceptions are errors whose text the printer copies
//! as written: `=` in a condition (E0003), a literal without a value (E0004) and a plan without a
//! name or version (E0502). As a last safeguard the output is parsed again and must have the same
//! syntax diagnostics as the input; otherwise the file is left alone.

mod blocks;
mod entries;
mod expr;
mod items;
mod layout;
mod text_diff;

use crate::source::SourceFile;

pub use text_diff::unified_diff;

/// Syntax diagnostics that leave the text printable: the printer copies the offending text as
/// written, so formatting neither hides nor fixes them (W0012: a doc comment that documents
/// nothing is kept where it is written).
const PRINTABLE_ERRORS: [&str; 4] = ["E0003", "E0004", "E0502", "W0012"];

/// The canonical text of a file, or `None` when it cannot be formatted safely (it has syntax
/// errors). The language server calls this for `textDocument/formatting`; `compplan fmt` for each
/// file.
pub fn format_file(db: &dyn crate::Db, file: SourceFile) -> Option<String> {
    format_text(file.text(db))
}

/// The canonical text of a plan file's text, or `None` when it has syntax errors; a pure function,
/// for callers without a database.
pub fn format_text(text: &str) -> Option<String> {
    let parsed = crate::syntax::parse(text);
    if parsed.diagnostics.iter().any(|d| !PRINTABLE_ERRORS.contains(&d.code.id)) {
        return None;
    }
    let mut formatted = layout::Printer { src: text }.file(&parsed.file).ok()?;
    if text.starts_with('\u{FEFF}') {
        formatted.insert(0, '\u{FEFF}');
    }
    let again = crate::syntax::parse(&formatted);
    (codes(&again.diagnostics) == codes(&parsed.diagnostics)).then_some(formatted)
}

fn codes(diagnostics: &[crate::diagnostics::Diagnostic]) -> Vec<&'static str> {
    let mut codes: Vec<&'static str> = diagnostics.iter().map(|d| d.code.id).collect();
    codes.sort_unstable();
    codes
}

#[cfg(test)]
mod tests {
    use super::format_text;

    #[test]
    fn a_messy_plan_is_laid_out() {
        let messy = "plan ae \"AE\"   version 1 {\n\n  currency   USD\n effective 2026-01-01 to 2026-12-31;pay monthly\n  earn c = 5%   of bookings  ytd\n\n\n}\n\n\n";
        let expected = "plan ae \"AE\" version 1 {\n  effective 2026-01-01 to 2026-12-31\n  currency USD\n  pay monthly\n  earn c = 5% of bookings ytd\n}\n";
        assert_eq!(format_text(messy).as_deref(), Some(expected));
    }

    #[test]
    fn syntax_errors_are_declined() {
        assert_eq!(format_text("plan ae \"AE\" version 1 {\n  tabel t {\n}\n"), None);
        assert_eq!(format_text("plan ae \"AE\" version 1 {\n  pay monthly\n"), None);
    }

    #[test]
    fn spellings_stay_as_written() {
        let text =
            "territory t when deal.amount * 2 ÷ 3 ≥ 5 USD and deal.amount − 1 USD ≠ −2 USD or deal.kind is not \"x\"\n";
        assert_eq!(format_text(text).as_deref(), Some(text));
        let text =
            "plan p \"P\" version 1 {\n  effective from 2026-01-01 to 2026-12-31\n  fiscal year starts in March\n}\n";
        assert_eq!(format_text(text).as_deref(), Some(text));
    }

    #[test]
    fn windows_line_ends_become_unix_ones_and_a_byte_order_mark_stays() {
        let unix = "// c\nschema s { a: text }\n";
        assert_eq!(format_text("// c\r\nschema s {  a: text }\r\n").as_deref(), Some(unix));
        let marked = format!("\u{FEFF}{unix}");
        assert_eq!(format_text(&marked).as_deref(), Some(marked.as_str()));
    }

    #[test]
    fn a_trailing_comment_after_a_block_stays_after_its_brace() {
        let text = "credit {\n  rollup to rep.manager\n}   // shared\n\n\n// The end.\n";
        assert_eq!(
            format_text(text).as_deref(),
            Some("credit {\n  rollup to rep.manager\n}  // shared\n\n// The end.\n")
        );
    }

    #[test]
    fn empty_text_stays_empty() {
        assert_eq!(format_text("").as_deref(), Some(""));
        assert_eq!(format_text("\n\n").as_deref(), Some(""));
    }
}
