//! The nesting limit: how deep an expression may nest, and the error for text that goes deeper.
//!
//! Everything that reads an expression after the parser (the checker, the formatter, the editor's
//! analyses, the runtime) walks it recursively, and so does pest itself inside parentheses. A plan
//! never needs more than a handful of levels, so the parser refuses more than [`MAX_NESTING`],
//! before anything recursive sees the text: the grammar stops parentheses at that depth (its `nest`
//! rule), and the lowering counts the levels that the grammar reads as repetitions (runs of `not`,
//! of signs, and of `of`). A long chain of operators at one level (`a + b + … + z`) is not nesting:
//! it is read, kept and walked flat. The checker applies the same limit through the names of
//! definitions (`check::depth`), which the runtime evaluates where they are used.

use crate::ast::Span;
use crate::diagnostics::{codes, Diagnostic};

/// How many levels an expression may nest: each parenthesis (a call's too), each `not`, each minus
/// sign and each `of` opens one. The grammar's `nest` rule counts to the same number.
pub const MAX_NESTING: usize = 64;

/// The error for the level that opens beyond the limit, at `at`.
pub(crate) fn too_deep(at: Span) -> Diagnostic {
    Diagnostic::new(&codes::NESTING_TOO_DEEP, format!("this expression nests more than {MAX_NESTING} levels deep"))
        .primary(at, format!("level {} opens here", MAX_NESTING + 1))
        .help("define the inner part on its own line (a `measure`, an `attainment`, an `earn`) and use its name, or remove parentheses and signs that change nothing")
}

/// The offset of the first `(` in a broken item's text that opens a level beyond the limit, outside
/// quoted text and comments: the grammar stopped there, so that is the item's real mistake.
pub(crate) fn first_too_deep_paren(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let (mut depth, mut i) = (0usize, 0usize);
    while let Some(&b) = bytes.get(i) {
        match b {
            b'"' => i = skip_quoted(bytes, i),
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                i = bytes[i..].iter().position(|&c| c == b'\n' || c == b'\r').map_or(bytes.len(), |n| i + n)
            }
            b'(' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(i);
                }
            }
            b')' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    None
}

/// The offset of the closing quote of the quoted text that opens at `open` (or of the line end where
/// it stops unclosed, as the grammar's `text` does).
fn skip_quoted(bytes: &[u8], open: usize) -> usize {
    let mut i = open + 1;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\\' => i += 1,
            b'"' | b'\n' | b'\r' => return i,
            _ => {}
        }
        i += 1;
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::{first_too_deep_paren, MAX_NESTING};

    #[test]
    fn the_grammar_counts_to_the_same_limit() {
        let grammar = include_str!("../../grammar/plan.pest");
        let peek = format!("PEEK[{}..{}]", MAX_NESTING - 1, MAX_NESTING);
        assert!(
            grammar.contains(&format!("nest = _{{ !{peek} ~ PUSH(\"\") }}")),
            "grammar's nest rule must use {peek}"
        );
    }

    #[test]
    fn the_first_parenthesis_beyond_the_limit_is_found_outside_quotes_and_comments() {
        let deep = format!("{}x{}", "(".repeat(MAX_NESTING + 2), ")".repeat(MAX_NESTING + 2));
        assert_eq!(first_too_deep_paren(&deep), Some(MAX_NESTING));
        let shallow = format!("{}x{}", "(".repeat(MAX_NESTING), ")".repeat(MAX_NESTING));
        assert_eq!(first_too_deep_paren(&shallow), None);
        let hidden = format!("\"{}\" // {}\n(a)", "(".repeat(100), "(".repeat(100));
        assert_eq!(first_too_deep_paren(&hidden), None);
        let escaped = format!("\"\\\"{}\" (", "(".repeat(100));
        assert_eq!(first_too_deep_paren(&escaped), None);
    }
}
