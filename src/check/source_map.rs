//! The source map: where each part of the checked model is written, recorded by the checker while
//! it builds the model.
//!
//! The model ([`crate::model`]) holds no spans, so that an edit which only moves text leaves it
//! equal and salsa reuses everything after it. Whatever must find its way back to the text — the
//! language server's hovers and references, `explain`'s `file:line`, `test`'s failures at their
//! lines, `run`'s evaluation errors at their definitions — reads this map instead, the way
//! rust-analyzer pairs a body with its `BodySourceMap`.
//!
//! # Invariants
//!
//! - **Recorded by the checker, never by a second walk.** The entries are pushed where the checker
//!   reads the syntax or makes the model's part, so the two cannot disagree on numbering or on
//!   name resolution.
//! - **Keyed by the model's own ids.** A definition carries its index among the model's definitions
//!   of its kind ([`DefinitionSource::id`]); a table row its table's id and the index the model
//!   gives the row ([`RowSource`]: bands and points by position, a lookup's keyed rows apart from
//!   its `otherwise`); a clause its earning's id and its limit's index in
//!   [`crate::model::Earning::limits`]; a test its index in [`crate::model::Plan::tests`], and its
//!   expectations and inline tables their indices in the model's test case. Parts the model leaves
//!   out (a name defined twice, a broken entry) are recorded with no id.
//! - **Occurrences are resolutions.** Every time the checker resolves a name — a definition, a
//!   table by its rows or its name, a column, a credit field, a territory — or reads a declaration,
//!   it records an [`Occurrence`]: the span, the [`Symbol`] it resolved to, and whether it is the
//!   declaration. A name the checker rejects as unknown has none. A clause the checker stops reading
//!   after an error (a draw whose unit is wrong, a measure counting an unknown table) records what
//!   it read up to there.
//! - **Beside the model, not inside it.** A plan's map is the tracked field of a [`PlanSources`]
//!   entity returned with the model by [`super::check_plan_item`]: an edit that only moves text
//!   changes the field, so what reads the map runs again, while the plan's result (model, types and
//!   the entity's id) compares equal and nothing downstream of the model runs again. The workspace's
//!   maps (schema tables and columns, the credit block, territories) come with their models from
//!   [`super::schema_checked`], [`super::crediting_checked`] and [`super::territories_checked`], and
//!   [`super::schema_model`], [`super::crediting_model`] and [`super::territories`] are the models
//!   alone, compared equal after such an edit. (A query of its own for a plan's map would be one
//!   more query run on every edit of the plan; the tracked field is written by the check itself.)
//! - **In the order the checker works.** Definitions are in the order written; occurrences, rows
//!   and clauses in the order the checker met them (definitions are checked when first needed).
//!   Readers look entries up by id or name, or sort them (the editor's index sorts by position).

mod workspace;

use crate::ast::Span;
use crate::model::{AttainmentId, DefinitionId, EarningId, MeasureId, QuotaId, RateTableId};
use crate::source::SourceFile;

pub use workspace::{
    ColumnSource, CreditBlockSource, CreditRuleKind, CreditSourceMap, SchemaSourceMap, TableSource, TerritorySource,
    TerritorySourceMap,
};

pub use entity::PlanSources;

/// The plan's map as a salsa entity, in a module of its own: salsa generates its constructor and
/// accessors without documentation (the field's own comment describes it).
mod entity {
    #![allow(missing_docs)]

    /// The source map of one checked plan, as a tracked field: it changes with every edit that moves
    /// the plan's text, while the entity's id (returned with the model) stays the same.
    #[salsa::tracked(debug)]
    pub struct PlanSources<'db> {
        /// Where the plan's parts are written.
        #[tracked]
        #[returns(ref)]
        pub map: super::PlanSourceMap,
    }
}

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

/// One name written in a file, as the checker resolved it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Occurrence {
    /// Where the name is written.
    pub span: Span,
    /// What it names.
    pub symbol: Symbol,
    /// True where the name is declared (`measure bookings = …`), false where it is used.
    pub declaration: bool,
}

/// The kinds of named definitions a plan has.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DefKind {
    /// A `quota`.
    Quota,
    /// A `measure`.
    Measure,
    /// An `attainment`.
    Attainment,
    /// A rate `table`.
    Table,
    /// An `earn` line.
    Earning,
    /// A broken item that would have defined the name; uses of it are not reported again.
    Broken,
}

impl DefKind {
    /// The kind as messages name it.
    pub fn word(self) -> &'static str {
        match self {
            DefKind::Quota => "quota",
            DefKind::Measure => "measure",
            DefKind::Attainment => "attainment",
            DefKind::Table => "table",
            DefKind::Earning => "earning",
            DefKind::Broken => "definition",
        }
    }

    /// The model's id of the `index`-th definition of this kind (none for a broken item).
    pub fn id(self, index: usize) -> Option<DefinitionId> {
        Some(match self {
            DefKind::Quota => DefinitionId::Quota(QuotaId::new(index)),
            DefKind::Measure => DefinitionId::Measure(MeasureId::new(index)),
            DefKind::Attainment => DefinitionId::Attainment(AttainmentId::new(index)),
            DefKind::Table => DefinitionId::Table(RateTableId::new(index)),
            DefKind::Earning => DefinitionId::Earning(EarningId::new(index)),
            DefKind::Broken => return None,
        })
    }

    /// The kind with its article, as a sentence names one (`an attainment`, `a measure`).
    pub fn with_article(self) -> String {
        let word = self.word();
        let article = if word.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
        format!("{article} {word}")
    }
}

/// One entry of a plan that defines a name.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DefinitionSource {
    /// What it defines.
    pub kind: DefKind,
    /// Its id in the model (its index among the model's definitions of its kind: `Plan::quotas`,
    /// `measures`, `attainments`, `tables`, `earnings`); `None` for a broken entry, and for a name
    /// defined twice whose second definition the model leaves out.
    pub id: Option<DefinitionId>,
    /// The name defined.
    pub name: String,
    /// Where the name is written.
    pub name_span: Span,
    /// The whole entry.
    pub span: Span,
    /// The `///` comment above it.
    pub doc: Option<String>,
    /// Its position among the plan's entries, to read its syntax (a table's bands, for hovers).
    pub entry: usize,
}

/// One row of a rate table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RowSource {
    /// The table's id in the model.
    pub table: RateTableId,
    /// The row's index as the model numbers it: its position among a table's bands or points, or
    /// among a lookup's keyed rows; `None` for a lookup's `otherwise`.
    pub row: Option<usize>,
    /// The row as written.
    pub span: Span,
}

/// A clause of an earning that `explain` shows as its own step.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Clause {
    /// A cap or floor, by its index in the model's `Earning::limits`.
    Limit(usize),
    /// `only when …`.
    Gate,
    /// `once per … when …`: a bonus's condition.
    When,
}

/// Where a clause of an earning is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ClauseSource {
    /// The earning's id in the model.
    pub earning: EarningId,
    /// Which clause.
    pub clause: Clause,
    /// The clause as written (for `when`, from `per` to the end of its condition).
    pub span: Span,
}

/// A line of a plan that has no name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PlanLine {
    /// The `rounding` line the model's rounding was read from.
    Rounding,
    /// A `draw` line.
    Draw,
    /// A `hold` line, with its index in the model's `Plan::holds` when the model kept it.
    Hold(Option<usize>),
    /// The `recover at most …` line.
    Recover,
}

/// A `test` block whose case is in the model.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TestSource {
    /// The whole block.
    pub span: Span,
    /// The test's quoted name.
    pub name: Span,
    /// The `///` comment above the block (plan documents show it with the test).
    pub doc: Option<String>,
    /// The first `data from` line.
    pub fixture: Option<Span>,
    /// Each expectation, by its index in the model's `TestCase::expectations`.
    pub expectations: Vec<Span>,
    /// The CSV lines of each inline table, by the table's index in the model's `TestCase::tables`
    /// (the model holds each line's text).
    pub tables: Vec<Vec<Span>>,
}

/// Where the parts of one plan are written.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PlanSourceMap {
    /// The file that holds the plan.
    pub file: SourceFile,
    /// The plan's position among the plans of its file (what [`Symbol::Definition`] names it by).
    pub ordinal: usize,
    /// The plan's name as written, when it has one.
    pub name: Option<String>,
    /// Its version, when it has one.
    pub version: Option<u32>,
    /// The whole plan, from `plan` to its closing brace.
    pub span: Span,
    /// The header line, from `plan` to `{`.
    pub header: Span,
    /// Where the name is written (the `plan` keyword when it has none).
    pub name_span: Span,
    /// The `///` comment above the plan.
    pub doc: Option<String>,
    /// Every entry that defines a name, in the order written.
    pub definitions: Vec<DefinitionSource>,
    /// The rows of the tables the model holds.
    pub rows: Vec<RowSource>,
    /// The clauses of the earnings.
    pub clauses: Vec<ClauseSource>,
    /// The lines without a name, in the order written.
    pub lines: Vec<(PlanLine, Span)>,
    /// The test blocks, by their index in the model's `Plan::tests`.
    pub tests: Vec<TestSource>,
    /// The insides of every test's `data TABLE { … }` blocks: CSV, not plan text.
    pub data_blocks: Vec<Span>,
    /// Every name the checker resolved in the plan, in the order it resolved them.
    pub occurrences: Vec<Occurrence>,
}

impl PlanSourceMap {
    /// An empty map for the `ordinal`-th plan of a file.
    pub fn new(file: SourceFile, ordinal: usize) -> PlanSourceMap {
        PlanSourceMap {
            file,
            ordinal,
            name: None,
            version: None,
            span: Span::default(),
            header: Span::default(),
            name_span: Span::default(),
            doc: None,
            definitions: Vec::new(),
            rows: Vec::new(),
            clauses: Vec::new(),
            lines: Vec::new(),
            tests: Vec::new(),
            data_blocks: Vec::new(),
            occurrences: Vec::new(),
        }
    }

    /// The symbol of a definition of this plan.
    pub fn symbol(&self, name: &str) -> Symbol {
        Symbol::Definition { file: self.file, plan: self.ordinal, name: name.to_string() }
    }

    /// The declaration of a name (the first, when a mistake defines it twice); broken entries
    /// declare nothing.
    pub fn definition(&self, name: &str) -> Option<&DefinitionSource> {
        self.definitions.iter().find(|d| d.name == name && d.kind != DefKind::Broken)
    }

    /// The definition the model knows by an id.
    pub fn definition_of(&self, id: DefinitionId) -> Option<&DefinitionSource> {
        self.definitions.iter().find(|d| d.id == Some(id))
    }

    /// The first line of a kind.
    pub fn line(&self, line: PlanLine) -> Option<Span> {
        let same = |l: &PlanLine| std::mem::discriminant(l) == std::mem::discriminant(&line);
        self.lines.iter().find(|(l, _)| same(l)).map(|(_, span)| *span)
    }

    /// Where a row of a table (by the table's model id) is written.
    pub fn row(&self, table: RateTableId, row: Option<usize>) -> Option<Span> {
        self.rows.iter().find(|r| r.table == table && r.row == row).map(|r| r.span)
    }

    /// Where a clause of an earning (by the earning's model id) is written (the first, when a
    /// mistake writes two gates).
    pub fn clause(&self, earning: EarningId, clause: Clause) -> Option<Span> {
        self.clauses.iter().find(|c| c.earning == earning && c.clause == clause).map(|c| c.span)
    }
}
