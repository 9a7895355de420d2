//! Where a diagnostic points: bytes of a plan file, a cell of a data file, or a part of the data set
//! or of a checked plan named by ids, which the pipeline places before the diagnostic is shown.
//!
//! The layers below the pipeline know different things: the checker knows spans, the data loader
//! knows lines of files, the runtime knows only the model's ids and the rows of the data set (it
//! never sees a span). Each records what it knows; [`crate::data::place`] turns rows into cells
//! (reading the rows' lines back) and the pipeline turns model ids into spans through the checker's
//! source map, so that renderers only ever meet spans and cells.

use crate::ast::Span;
use crate::model::{ColumnId, DefinitionId, RowIdx};
use crate::source::SourceFile;

/// Where a label points.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Location {
    /// Bytes of a plan file.
    Span {
        /// The file, or `None` for "the file this diagnostic was reported in" (the syntax layer
        /// does not know its file; the query that wraps it fills it in).
        file: Option<SourceFile>,
        /// The bytes.
        span: Span,
    },
    /// A place in a data file as its reader found it: a cell of a CSV file, or a field of a
    /// ledger record.
    Cell(Box<Cell>),
    /// A cell of a loaded table, by its row and column: [`crate::data::place`] reads the row's line
    /// back and makes it a [`Location::Cell`].
    Row {
        /// The cell's column.
        column: ColumnId,
        /// The cell's row.
        row: RowIdx,
    },
    /// A part of a checked plan, by the model's ids: the pipeline finds it in the checker's source
    /// map and makes it a [`Location::Span`].
    Model(Box<ModelPlace>),
}

impl Location {
    /// Bytes of the file the diagnostic is reported in.
    pub fn span(span: Span) -> Location {
        Location::Span { file: None, span }
    }
}

impl From<Cell> for Location {
    fn from(cell: Cell) -> Location {
        Location::Cell(Box::new(cell))
    }
}

impl From<ModelPlace> for Location {
    fn from(place: ModelPlace) -> Location {
        Location::Model(Box::new(place))
    }
}

/// A place in a data file: path, line and column from 1, and the line's text (data files can be
/// far too large to keep as sources, so the diagnostic carries the one line it is about).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Cell {
    /// The file's path as given.
    pub path: String,
    /// Line from 1 (the header is line 1).
    pub line: usize,
    /// Column in characters from 1.
    pub column: usize,
    /// Width of the underlined text, in characters (at least 1).
    pub width: usize,
    /// The text of the line, for the snippet.
    pub text: String,
}

/// A part of one version of a plan, by the model's ids.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ModelPlace {
    /// The plan's name.
    pub plan: String,
    /// The plan's version.
    pub version: u32,
    /// Which part.
    pub part: PlanPart,
}

/// The parts of a plan a diagnostic can name without a span.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum PlanPart {
    /// A named definition (where its name is written).
    Definition(DefinitionId),
    /// An expectation of a test, by the test's index in `Plan::tests` and the expectation's in
    /// `TestCase::expectations`.
    Expectation {
        /// The test.
        test: usize,
        /// The expectation.
        index: usize,
    },
    /// A test's data as a whole: its first `data from` line, or its name when it has none.
    TestData {
        /// The test.
        test: usize,
    },
    /// A cell of a test's inline table (`data reps { … }`), by the table's index in
    /// `TestCase::tables`, its line there (0 is the header) and the cell's column and width in
    /// characters.
    TestCell {
        /// The test.
        test: usize,
        /// The inline table.
        table: usize,
        /// The line of the table, from 0.
        line: usize,
        /// The cell's first character on that line, from 1.
        column: usize,
        /// The cell's width in characters.
        width: usize,
    },
}
