//! The symbol index of a file: every name written in it, as the checker resolved it, as a salsa query.
//!
//! Hover, go to definition, find references and completion all start by asking "what is at this
//! offset?"; the index answers from a sorted list of occurrences. It reads the source maps the
//! checker records (see `check::source_map`): the occurrences of the file's plans, and of its
//! schema, credit and territory items. There is no second resolver here, so the index and the
//! checker cannot disagree on what a name means. An edit re-indexes its own file, and every file
//! when an edit moves the text of the schema, credit block or territories.

use crate::ast::Span;
use crate::check::{check_plan_item, crediting_checked, file_plans, schema_checked, territories_checked};
use crate::source::{SourceFile, Workspace};
use crate::Db;

pub use crate::check::{Occurrence, Symbol};

/// A plan of the file and the text it covers, for "which plan is the cursor in".
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PlanScope {
    /// The plan's position among the plans of its file.
    pub ordinal: usize,
    /// From `plan` to its closing brace.
    pub span: Span,
    /// The names the plan defines, in the order written.
    pub definitions: Vec<String>,
}

/// The index of one file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct FileIndex {
    /// Every resolved name, sorted by position.
    pub occurrences: Vec<Occurrence>,
    /// The file's plans.
    pub plans: Vec<PlanScope>,
    /// The spans of the file's `schema` items, where completion offers column types.
    pub schemas: Vec<Span>,
    /// The spans of the file's `credit` blocks, where completion offers the crediting words.
    pub credits: Vec<Span>,
    /// The insides of the tests' `data TABLE { … }` blocks: CSV, where completion offers nothing.
    pub data_blocks: Vec<Span>,
}

impl FileIndex {
    /// The occurrence under a cursor: the innermost name that contains the offset, counting the
    /// offset just after a name as on it (where a cursor sits after typing it).
    pub fn at(&self, offset: usize) -> Option<&Occurrence> {
        self.occurrences
            .iter()
            .filter(|o| o.span.start <= offset && offset <= o.span.end)
            .min_by_key(|o| (o.span.len(), o.span.end == offset))
    }

    /// The plan that contains an offset.
    pub fn plan_at(&self, offset: usize) -> Option<&PlanScope> {
        self.plans.iter().find(|p| p.span.start <= offset && offset <= p.span.end)
    }
}

/// The symbol index of a file.
#[salsa::tracked(returns(ref))]
pub fn file_index(db: &dyn Db, ws: Workspace, file: SourceFile) -> FileIndex {
    let mut index = FileIndex::default();
    let mut occurrences: Vec<&Occurrence> = Vec::new();
    for &item in file_plans(db, ws, file) {
        let map = check_plan_item(db, item).sources.map(db);
        occurrences.extend(&map.occurrences);
        let definitions = map.definitions.iter().map(|d| d.name.clone()).collect();
        index.plans.push(PlanScope { ordinal: map.ordinal, span: map.span, definitions });
        index.data_blocks.extend(&map.data_blocks);
    }
    for table in schema_checked(db, ws).sources.tables.iter().filter(|t| t.file == file) {
        occurrences.extend(&table.occurrences);
        index.schemas.push(table.span);
    }
    for block in crediting_checked(db, ws).sources.blocks.iter().filter(|b| b.file == file) {
        occurrences.extend(&block.occurrences);
        index.credits.push(Span::new(block.keyword.end.max(block.span.start), block.span.end));
    }
    for territory in territories_checked(db, ws).sources.territories.iter().filter(|t| t.file == file) {
        occurrences.extend(&territory.occurrences);
    }
    // Sorted by position, and each occurrence once, however often the checker read the name.
    occurrences.sort_by_key(|o| (o.span.start, o.span.end));
    let mut seen = std::collections::HashSet::new();
    index.occurrences = occurrences.into_iter().filter(|o| seen.insert(*o)).cloned().collect();
    index
}

/// Every occurrence of a symbol across the workspace, with its file, in file order.
pub fn occurrences_of(db: &dyn Db, ws: Workspace, symbol: &Symbol) -> Vec<(SourceFile, Occurrence)> {
    let files: Vec<SourceFile> = match symbol {
        // A plan's definitions are only named inside that plan.
        Symbol::Definition { file, .. } => vec![*file],
        _ => ws.files(db).clone(),
    };
    files
        .into_iter()
        .flat_map(|file| {
            file_index(db, ws, file).occurrences.iter().filter(|o| o.symbol == *symbol).map(move |o| (file, o.clone()))
        })
        .collect()
}
