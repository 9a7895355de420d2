//! Salsa inputs: the source files of a workspace, and positions within them.

use crate::ast::Span;

pub use inputs::{SourceFile, Workspace};

/// The salsa inputs, in a module of their own: salsa generates their constructors and accessors
/// without documentation (the fields' own comments describe them).
mod inputs {
    #![allow(missing_docs)]

    /// One `.plan` file: its path (as the user named it, for messages) and its text.
    ///
    /// The text is the only thing an edit changes; every query downstream is recomputed from it.
    #[salsa::input(debug)]
    pub struct SourceFile {
        /// The path as given on the command line or by the editor, used in every message.
        #[returns(ref)]
        pub path: String,
        /// The file's text.
        #[returns(deref)]
        pub text: String,
    }

    /// The set of files checked together: schema and crediting rules are shared across them.
    #[salsa::input(debug)]
    pub struct Workspace {
        /// The files, in path order, so that results never depend on directory order.
        #[returns(ref)]
        pub files: Vec<SourceFile>,
    }
}

/// Byte offsets of the start of every line, memoized per file text.
#[salsa::tracked(returns(ref))]
pub fn line_starts(db: &dyn crate::Db, file: SourceFile) -> Vec<usize> {
    LineIndex::new(file.text(db)).starts
}

/// Line starts of one text, for turning byte offsets into lines and columns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineIndex {
    starts: Vec<usize>,
}

/// A position as people count it: line and column from 1, the column in characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct LineCol {
    /// Line number, from 1.
    pub line: usize,
    /// Column in Unicode scalar values, from 1.
    pub column: usize,
}

impl LineIndex {
    /// Indexes a text. A line ends at `\n`, `\r\n` or a lone `\r`, as the grammar's `NEWLINE` does, so
    /// a file saved with old Mac line endings is not one long line.
    pub fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        for (i, &b) in bytes.iter().enumerate() {
            let ends = b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
            if ends {
                starts.push(i + 1);
            }
        }
        LineIndex { starts }
    }

    /// Wraps line starts computed elsewhere (the salsa query).
    pub fn from_starts(starts: Vec<usize>) -> LineIndex {
        LineIndex { starts }
    }

    /// The line (from 0) that holds a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts.binary_search(&offset).unwrap_or_else(|next| next - 1)
    }

    /// The byte offset where a line (from 0) starts.
    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.starts.get(line).copied()
    }

    /// How many lines the text has.
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// Line and column (from 1, column in characters) of a byte offset.
    pub fn line_col(&self, text: &str, offset: usize) -> LineCol {
        let offset = offset.min(text.len());
        let line = self.line_of(offset);
        let start = self.starts[line];
        let column = text.get(start..offset).map_or(offset - start, |s| s.chars().count()) + 1;
        LineCol { line: line + 1, column }
    }

    /// Start and end positions of a span.
    pub fn range(&self, text: &str, span: Span) -> (LineCol, LineCol) {
        (self.line_col(text, span.start), self.line_col(text, span.end))
    }
}

#[cfg(test)]
mod tests {
    use super::LineIndex;

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "a\n€b\n";
        let index = LineIndex::new(text);
        let at_b = text.find('b').unwrap();
        assert_eq!(index.line_col(text, at_b).line, 2);
        assert_eq!(index.line_col(text, at_b).column, 2);
    }

    #[test]
    fn lines_end_at_lf_crlf_and_a_lone_cr() {
        let text = "a\nb\r\nc\rd\r\re";
        let index = LineIndex::new(text);
        assert_eq!(index.line_count(), 6);
        for (c, line) in [('a', 1), ('b', 2), ('c', 3), ('d', 4), ('e', 6)] {
            let at = text.find(c).unwrap();
            assert_eq!(index.line_col(text, at), super::LineCol { line, column: 1 }, "{c}");
        }
    }
}
