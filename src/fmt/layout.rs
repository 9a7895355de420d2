//! Layout shared by every block: comments, blank lines and aligned trailing comments, plus the
//! small text helpers the printers use.

use crate::ast::{Comment, Continuation, Node, Span};

/// Why a text was not formatted: a construct the printer cannot reproduce faithfully.
#[derive(Debug)]
pub(super) struct Decline;

/// The result of printing one piece of a file.
pub(super) type Out<T> = Result<T, Decline>;

/// One line of a block before the block is laid out: a comment line, or an element (which may
/// span several lines, e.g. a table inside a plan).
pub(super) struct Piece {
    /// Whether one blank line separates it from what comes before.
    pub(super) blank_before: bool,
    /// Its text, indentation included, without the final line break.
    pub(super) text: String,
    /// A comment after its last line, with its slashes.
    pub(super) trailing: Option<String>,
}

/// The printer: the source text, read where the tree keeps only spans (spellings, literals).
pub(super) struct Printer<'s> {
    pub(super) src: &'s str,
}

impl<'s> Printer<'s> {
    /// The source text of a span; a missing or broken span declines the file.
    pub(super) fn slice(&self, span: Span) -> Out<&'s str> {
        if span.is_empty() {
            return Err(Decline);
        }
        self.src.get(span.start..span.end).ok_or(Decline)
    }

    /// The source text of a span with every run of whitespace made one space (`5000  USD`).
    pub(super) fn words(&self, span: Span) -> Out<String> {
        Ok(collapse(self.slice(span)?))
    }

    /// True when the author broke the line before the element at `at` (after a comma).
    pub(super) fn broken_before(&self, at: usize) -> bool {
        let before = self.src.get(..at).unwrap_or("");
        let kept = before.trim_end_matches([' ', '\t', '\r', '\n']);
        before[kept.len()..].contains('\n')
    }

    /// Writes the separator before a continued clause of an item (`, capped at …`): `, ` or, where
    /// the author broke the line, a line break and the item's indentation plus one level.
    pub(super) fn separator(&self, out: &mut String, at: usize, comments: &Continuation, indent: usize) {
        self.comma(out, at, comments, indent + 2);
    }

    /// Writes the comma before the clause or list element at `at`: `, ` on one line, or, where the
    /// author broke the line (always so when comments stand in the break), the comma, its comment
    /// two spaces after it, a line break, the whole-line comments and the clause, each at `column`.
    pub(super) fn comma(&self, out: &mut String, at: usize, comments: &Continuation, column: usize) {
        if !self.broken_before(at) && comments.is_empty() {
            out.push_str(", ");
            return;
        }
        out.push(',');
        if let Some(comment) = &comments.after_comma {
            out.push_str("  ");
            out.push_str(&comment_text(comment));
        }
        out.push('\n');
        for comment in &comments.leading {
            out.push_str(&spaces(column));
            out.push_str(&comment_text(comment));
            out.push('\n');
        }
        out.push_str(&spaces(column));
    }
}

/// A comment as printed: its slashes, its text, no trailing whitespace.
pub(super) fn comment_text(comment: &Comment) -> String {
    format!("{}{}", if comment.doc { "///" } else { "//" }, comment.text.trim_end())
}

/// Adds an element and the comments above it to a block's pieces.
pub(super) fn push_node<T>(pieces: &mut Vec<Piece>, node: &Node<T>, indent: usize, text: String) {
    push_comments(pieces, &node.trivia.leading, indent);
    pieces.push(Piece {
        blank_before: node.trivia.blank_line_before,
        text,
        trailing: node.trivia.trailing.as_ref().map(comment_text),
    });
}

/// Adds whole-line comments (above an element, or before a closing brace) to a block's pieces.
pub(super) fn push_comments(pieces: &mut Vec<Piece>, comments: &[Comment], indent: usize) {
    for comment in comments {
        pieces.push(Piece {
            blank_before: comment.blank_line_before,
            text: format!("{}{}", spaces(indent), comment_text(comment)),
            trailing: None,
        });
    }
}

/// Writes a block's pieces, one per line: at most one blank line in a row and none before the
/// first; trailing comments of consecutive one-line pieces start in one column, two spaces after
/// the longest of those lines.
pub(super) fn lay_out(pieces: &[Piece], out: &mut String) {
    let columns = trailing_columns(pieces);
    for (i, (piece, column)) in pieces.iter().zip(columns).enumerate() {
        if piece.blank_before && i > 0 {
            out.push('\n');
        }
        out.push_str(&piece.text);
        if let Some(comment) = &piece.trailing {
            let width = last_line_width(&piece.text);
            out.push_str(&spaces(column.saturating_sub(width).max(2)));
            out.push_str(comment);
        }
        out.push('\n');
    }
}

/// The width each piece's trailing comment is padded to: runs of one-line pieces with trailing
/// comments, unbroken by a blank line, share the widest.
fn trailing_columns(pieces: &[Piece]) -> Vec<usize> {
    let mut columns = vec![0; pieces.len()];
    let mut i = 0;
    while i < pieces.len() {
        if !aligned(&pieces[i]) {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < pieces.len() && aligned(&pieces[j]) && !pieces[j].blank_before {
            j += 1;
        }
        let widest = pieces[i..j].iter().map(|p| width(&p.text)).max().unwrap_or(0);
        for column in &mut columns[i..j] {
            *column = widest + 2;
        }
        i = j;
    }
    columns
}

fn aligned(piece: &Piece) -> bool {
    piece.trailing.is_some() && !piece.text.contains('\n')
}

/// The width of a text in characters (plan text is mostly ASCII; `×` and `≥` count one).
pub(super) fn width(text: &str) -> usize {
    text.chars().count()
}

fn last_line_width(text: &str) -> usize {
    width(text.rsplit('\n').next().unwrap_or(""))
}

/// The column the next character of `out` is written in.
pub(super) fn column(out: &str) -> usize {
    last_line_width(out)
}

/// `n` spaces.
pub(super) fn spaces(n: usize) -> String {
    " ".repeat(n)
}

/// A text with every run of whitespace made one space.
pub(super) fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A text padded with spaces to a width.
pub(super) fn pad(text: &str, to: usize) -> String {
    format!("{text}{}", spaces(to.saturating_sub(width(text))))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn piece(text: &str, trailing: Option<&str>, blank_before: bool) -> Piece {
        Piece { blank_before, text: text.to_string(), trailing: trailing.map(str::to_string) }
    }

    #[test]
    fn trailing_comments_of_consecutive_lines_share_a_column() {
        let pieces = [
            piece("  a", Some("// one"), false),
            piece("  longer", Some("// two"), false),
            piece("  b", None, false),
            piece("  c", Some("// three"), true),
        ];
        let mut out = String::new();
        lay_out(&pieces, &mut out);
        assert_eq!(out, "  a       // one\n  longer  // two\n  b\n\n  c  // three\n");
    }

    #[test]
    fn no_blank_line_before_the_first_piece() {
        let mut out = String::new();
        lay_out(&[piece("x", None, true), piece("y", None, true)], &mut out);
        assert_eq!(out, "x\n\ny\n");
    }
}
