//! The symbol index of a file: every name written in it, resolved to what it names, as a salsa query.
//!
//! Hover, go to definition, find references and completion all start by asking "what is at this
//! offset?"; the index answers from a sorted list of occurrences. It is built per file from the syntax
//! tree and the workspace's schema, so an edit re-indexes only its own file (and every file when the
//! schema's tables or columns change).

use super::walk::Collector;
use crate::ast::{Item, Span};
use crate::check::schema_model;
use crate::source::{SourceFile, Workspace};
use crate::syntax::parse_file;
use crate::Db;

/// What a name refers to, across the workspace.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Symbol {
    /// An input table (`schema deals`), also named by its rows (`deal`).
    Table(String),
    /// A column of an input table.
    Column {
        /// The table's name.
        table: String,
        /// The column's name.
        column: String,
    },
    /// The credit row itself (`credit` in `credit.amount`), made by the workspace's `credit` block.
    CreditRow,
    /// A field of a credit row (`credit.amount`): built in, so it has no declaration.
    CreditField(String),
    /// A `territory`.
    Territory(String),
    /// A plan, by name (its versions may live in several files).
    Plan(String),
    /// A named definition of one plan: a quota, measure, attainment, table or earning.
    Definition {
        /// The file of the plan.
        file: SourceFile,
        /// The plan's position among the plans of its file.
        plan: usize,
        /// The definition's name.
        name: String,
    },
}

/// One name written in a file.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Occurrence {
    /// Where the name is written.
    pub span: Span,
    /// What it names.
    pub symbol: Symbol,
    /// True where the name is declared (`measure bookings = …`), false where it is used.
    pub declaration: bool,
}

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
    let schema = schema_model(db, ws);
    let ast = parse_file(db, file);
    let mut index = FileIndex::default();
    let mut ordinal = 0;
    for item in &ast.items {
        let mut collector = Collector::new(schema, file, ordinal);
        match &item.kind {
            Item::Schema(s) => {
                collector.schema(s);
                index.schemas.push(item.span);
            }
            Item::Credit(c) => {
                collector.credit(c);
                index.credits.push(Span::new(c.keyword.end.max(item.span.start), item.span.end));
            }
            Item::Territory(t) => collector.territory(t),
            Item::Plan(p) => {
                collector.plan(p);
                index.plans.push(PlanScope { ordinal, span: item.span, definitions: collector.definitions() });
                index.data_blocks.extend(collector.data_blocks());
                ordinal += 1;
            }
            Item::Error(_) => {}
        }
        index.occurrences.extend(collector.finish());
    }
    index.occurrences.sort_by_key(|o| (o.span.start, o.span.end));
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
