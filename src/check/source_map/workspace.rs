//! The workspace's source maps: where the schema's tables and columns, the credit block and its
//! rules, and the territories are written, with the names resolved in them.

use super::Occurrence;
use crate::ast::Span;
use crate::model::{TableId, TerritoryId};
use crate::source::SourceFile;

/// One `schema` item and its columns.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TableSource {
    /// The file that holds it.
    pub file: SourceFile,
    /// The table's id in the model (`None` for a second declaration of a table, which the model
    /// leaves out).
    pub id: Option<TableId>,
    /// The table's name.
    pub name: String,
    /// Where the name is written.
    pub name_span: Span,
    /// The whole item.
    pub span: Span,
    /// The `///` comment above it.
    pub doc: Option<String>,
    /// Its columns, in the order written.
    pub columns: Vec<ColumnSource>,
    /// The names declared and used in it: the table, its columns, `ref` targets, `money in` columns.
    pub occurrences: Vec<Occurrence>,
}

/// One column of a `schema` item.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ColumnSource {
    /// The column's position in the model's table (`None` when the model leaves it out: a second
    /// column of the same name, or a column of a table declared twice).
    pub id: Option<usize>,
    /// The column's name.
    pub name: String,
    /// Where the name is written.
    pub name_span: Span,
    /// The whole declaration (`amount: money in currency`).
    pub span: Span,
    /// The `///` comment above it.
    pub doc: Option<String>,
}

/// Where the schema is written.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct SchemaSourceMap {
    /// Every `schema` item, in file order.
    pub tables: Vec<TableSource>,
}

impl SchemaSourceMap {
    /// The first declaration of a table.
    pub fn table(&self, name: &str) -> Option<&TableSource> {
        self.tables.iter().find(|t| t.name == name)
    }

    /// The first declaration of a column (in the first `schema` item of the table that has it).
    pub fn column(&self, table: &str, column: &str) -> Option<(&TableSource, &ColumnSource)> {
        self.tables
            .iter()
            .filter(|t| t.name == table)
            .find_map(|t| t.columns.iter().find(|c| c.name == column).map(|c| (t, c)))
    }
}

/// The forms of crediting rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CreditRuleKind {
    /// `credit deal.amount`.
    Amount,
    /// `convert deal.amount to USD using fx on deal.closed`.
    Convert,
    /// `deal to deal.owner on deal.closed`.
    Owner,
    /// `deal by splits`.
    Splits,
    /// `deal by territory rep.territory`.
    Territory,
    /// `rollup to rep.manager`.
    Rollup,
    /// `clawback when … within N days of …`.
    Clawback,
    /// `employed from … to …`.
    Employed,
}

/// One `credit { … }` block.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CreditBlockSource {
    /// The file that holds it.
    pub file: SourceFile,
    /// The `credit` keyword.
    pub keyword: Span,
    /// The whole block.
    pub span: Span,
    /// The names declared and used in it: the credit row (declared by the keyword), and the rows,
    /// tables and columns its rules name (the first block only: the model is made of it).
    pub occurrences: Vec<Occurrence>,
}

/// Where the crediting rules are written.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct CreditSourceMap {
    /// Every `credit` block, in file order; the model is made of the first.
    pub blocks: Vec<CreditBlockSource>,
    /// The rules of the first block, in the order written.
    pub rules: Vec<(CreditRuleKind, Span)>,
}

impl CreditSourceMap {
    /// The file and span of the first rule of a form.
    pub fn rule(&self, form: CreditRuleKind) -> Option<(SourceFile, Span)> {
        let block = self.blocks.first()?;
        self.rules.iter().find(|(kind, _)| *kind == form).map(|(_, span)| (block.file, *span))
    }
}

/// One `territory` item.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TerritorySource {
    /// The file that holds it.
    pub file: SourceFile,
    /// Its id in the model's territories (`None` for a second definition of a name).
    pub id: Option<TerritoryId>,
    /// The territory's name.
    pub name: String,
    /// Where the name is written.
    pub name_span: Span,
    /// Its condition.
    pub condition: Span,
    /// The `///` comment above it.
    pub doc: Option<String>,
    /// The names declared and used in it.
    pub occurrences: Vec<Occurrence>,
}

/// Where the territories are written.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct TerritorySourceMap {
    /// Every `territory` item, in file order.
    pub territories: Vec<TerritorySource>,
}

impl TerritorySourceMap {
    /// The first definition of a territory.
    pub fn territory(&self, name: &str) -> Option<&TerritorySource> {
        self.territories.iter().find(|t| t.name == name)
    }
}
