//! The owned syntax tree: what the parser saw, with byte spans, comments and recovery nodes.
//!
//! The tree knows nothing of pest or salsa. Every list element carries its [`Trivia`] (the comments
//! around it) so that the formatter can keep them, and every broken piece of text is an `Error` node
//! rather than a hole, so that the checker and the language server still see the rest of the file.

mod definitions;
mod expr;
mod items;

pub use definitions::*;
pub use expr::*;
pub use items::*;

/// A half-open byte range `[start, end)` in one source file.
///
/// Spans live only in the syntax tree and in diagnostics; the checked model that the runtime reads
/// has none, so that an edit which only moves text leaves the model equal (see `check`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    /// First byte of the range.
    pub start: usize,
    /// One past the last byte of the range.
    pub end: usize,
}

impl Span {
    /// Builds a span; callers keep `start <= end`.
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    /// The smallest span that covers both, for a node built from two children.
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }

    /// The length in bytes, for choosing the tightest label.
    pub fn len(self) -> usize {
        self.end - self.start
    }

    /// True for the zero-width spans that mark a missing token.
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }
}

/// A name as written, with where it was written: diagnostics point at names more than anything.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Ident {
    /// The name's text.
    pub text: String,
    /// Where it stands in the source.
    pub span: Span,
}

/// A comment kept in the tree, because the formatter must not lose it and hovers show doc comments.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Comment {
    /// The text after `//` or `///`, without the line break.
    pub text: String,
    /// `///` comments document the item below them.
    pub doc: bool,
    /// Where the comment stands, including its slashes.
    pub span: Span,
    /// True when an empty line separates the comment from what comes before it.
    pub blank_line_before: bool,
}

/// The comments that belong to one list element.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Trivia {
    /// Whole-line comments above the element (after the previous element).
    pub leading: Vec<Comment>,
    /// A comment on the element's own last line, after it.
    pub trailing: Option<Comment>,
    /// True when an empty line separates the element from what comes before it; the formatter keeps
    /// one blank line there.
    pub blank_line_before: bool,
}

impl Trivia {
    /// The `///` lines above an element, joined, for hovers and generated docs.
    pub fn doc(&self) -> Option<String> {
        let lines: Vec<&str> = self.leading.iter().filter(|c| c.doc).map(|c| c.text.trim()).collect();
        (!lines.is_empty()).then(|| lines.join("\n"))
    }
}

/// The comments in the line break of a clause continued after a comma:
///
/// ```text
/// earn commission = base_rate of bookings ytd,   // after_comma
///   // leading
///   capped at 3 × rep.target_incentive per year
/// ```
///
/// Blank lines in the break are not kept: a continued item is one item.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Continuation {
    /// A comment after the comma, on the comma's own line.
    pub after_comma: Option<Comment>,
    /// Whole-line comments between the comma's line and the clause, in order.
    pub leading: Vec<Comment>,
}

impl Continuation {
    /// True when the break holds no comment, as it does for every clause written on the line of
    /// the clause before it.
    pub fn is_empty(&self) -> bool {
        self.after_comma.is_none() && self.leading.is_empty()
    }
}

/// A clause or list element that follows a comma (an earning's modifier, a draw option, a quota
/// weight, a function argument, `prorated by …`), with the comments of the line break before it so
/// that the formatter can keep them. The first element of a list has no comma and no comments.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Continued<T> {
    /// The clause itself.
    pub kind: T,
    /// The comments between the comma before it and it.
    pub comments: Continuation,
}

/// One element of a list (an item in a file or block, a row in a table) with its span and comments.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Node<T> {
    /// The element itself.
    pub kind: T,
    /// The element's text, without its comments.
    pub span: Span,
    /// The comments around it.
    pub trivia: Trivia,
}

/// A piece of text the parser could not read, kept so that the file still lowers and checks.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ErrorNode {
    /// The first word of the broken text, when it looks like a keyword or a misspelling of one.
    pub keyword: Option<Ident>,
    /// The name the broken item would have defined (`tabel rates {` → `rates`), so that uses of it do
    /// not each report an unknown name.
    pub defines: Option<Ident>,
}
