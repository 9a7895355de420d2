//! The checked model: what the runtime evaluates, fully resolved and free of spans.
//!
//! Every name is resolved to an index, every type was checked, every percentage is a fraction and
//! every default is filled in. Because the model holds no source positions, an edit that only moves
//! text (a comment on line 1) produces an equal model and salsa reuses everything downstream.

mod expr;
mod ids;
pub mod limits;
mod payments;
mod plan;

/// The plan's rounding is a number's rounding: one type, kept with the numbers.
pub use crate::num::{Rounding, RoundingMode};
pub use expr::*;
pub(crate) use ids::index_type;
pub use ids::{AttainmentId, EarningId, IdVec, Idx, MeasureId, QuotaId, RateTableId, RowIdx, TableId, TerritoryId};
pub use payments::*;
pub use plan::*;

/// A column: its table and its position in the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ColumnId {
    /// The table.
    pub table: TableId,
    /// The column's position in the table's declaration.
    pub column: usize,
}

/// Everything a payroll run needs: the shared schema and crediting rules, and the plans.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Workspace {
    /// The input tables.
    pub schema: Schema,
    /// The crediting rules (absent only in a workspace without a `credit` block, already reported
    /// if a plan needs it).
    pub crediting: Option<Crediting>,
    /// Named deal predicates, for territory credit.
    pub territories: IdVec<TerritoryId, Territory>,
    /// The plans, sorted by name then version.
    pub plans: Vec<Plan>,
}

/// The input tables and their typed columns.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Schema {
    /// The tables, in the order declared across the workspace's files (files in path order).
    pub tables: IdVec<TableId, Table>,
}

impl Schema {
    /// The table of a name.
    pub fn table(&self, name: &str) -> Option<TableId> {
        self.tables.position(|t| t.name == name)
    }

    /// The column of an id.
    pub fn column(&self, id: ColumnId) -> &Column {
        &self.tables[id.table].columns[id.column]
    }
}

/// One input table, read from `<name>.csv`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table {
    /// The table's name.
    pub name: String,
    /// The name a row of it has in expressions (`deals` → `deal`).
    pub row_name: String,
    /// Its columns.
    pub columns: Vec<Column>,
    /// The `key` column, whose values are unique.
    pub key: Option<usize>,
}

impl Table {
    /// The position of a column.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }
}

/// A typed column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Column {
    /// The column's name: its CSV header.
    pub name: String,
    /// Its type, which every value is validated against on load.
    pub ty: ColumnType,
    /// Whether a value may be empty.
    pub optional: bool,
}

/// The type of a column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ColumnType {
    /// Free text.
    Text,
    /// An ISO date.
    Date,
    /// An exact decimal.
    Decimal,
    /// A whole number.
    Integer,
    /// A percentage written as a number (`50` means 50%).
    Percent,
    /// `true` or `false`.
    Bool,
    /// A plan year.
    Year,
    /// An ISO 4217 code.
    Currency,
    /// Money in a fixed currency.
    Money(String),
    /// Money in the currency named by another column of the row.
    MoneyIn(usize),
    /// A key of another table.
    Ref(TableId),
}

/// The crediting rules, resolved to columns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Crediting {
    /// The credited table (deals).
    pub deals: TableId,
    /// The table of reps (the owner column's target).
    pub reps: TableId,
    /// The deal column naming the rep credited.
    pub owner: ColumnId,
    /// The deal column dating the credit.
    pub date: ColumnId,
    /// The deal's amount column.
    pub amount: ColumnId,
    /// Conversion into the credit currency, when deals may be in other currencies.
    pub convert: Option<Convert>,
    /// The currency credit is kept in.
    pub currency: Option<String>,
    /// Split shares that replace the owner's credit.
    pub splits: Option<Splits>,
    /// Territory credit, to every rep whose territory matches the deal.
    pub territory: Option<ColumnId>,
    /// The rep column naming each rep's manager, when credit rolls up.
    pub rollup: Option<ColumnId>,
    /// Reversal of cancelled deals.
    pub clawback: Option<Clawback>,
    /// Employment dates of reps (without them reps are always employed).
    pub employed: Option<Employment>,
}

/// `convert deal.amount to USD using fx on deal.closed`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Convert {
    /// The table of rates.
    pub rates: TableId,
    /// Its currency column.
    pub rate_currency: ColumnId,
    /// Its date column (a rate is effective from that date).
    pub rate_date: ColumnId,
    /// Its rate column: plan-currency units per unit.
    pub rate: ColumnId,
    /// The deal date whose rate applies.
    pub date: ColumnId,
    /// The deal column holding each deal's currency.
    pub deal_currency: ColumnId,
}

/// `deal by splits [overlay | up to P%]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Splits {
    /// The table of shares.
    pub table: TableId,
    /// Its deal column.
    pub deal: ColumnId,
    /// Its rep column.
    pub rep: ColumnId,
    /// Its share column (a percent).
    pub share: ColumnId,
    /// Whether shares may exceed 100% on top of the owner's credit.
    pub overlay: bool,
    /// `up to P%`: the most a deal's shares may sum to (a fraction above 1) when they replace the
    /// owner's credit; without it, they sum to exactly 1.
    pub up_to: Option<rust_decimal::Decimal>,
}

/// `clawback [P%] when deal.cancelled [within N days of deal.closed]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Clawback {
    /// The cancellation date column.
    pub cancelled: ColumnId,
    /// The window a cancellation must fall in to reverse credit; without one, every cancellation
    /// does.
    pub window: Option<ClawbackWindow>,
    /// The part of each credit a reversal takes back, a fraction above 0 and at most 1 (1 when the
    /// rule names none), so that a partial clawback is exact arithmetic on each credit row.
    pub part: rust_decimal::Decimal,
}

/// `within N days of deal.closed`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClawbackWindow {
    /// The window in days, day N included.
    pub days: u32,
    /// The date the window counts from.
    pub from: ColumnId,
}

/// `employed from rep.hired to rep.terminated`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Employment {
    /// The hire date column.
    pub hired: ColumnId,
    /// The termination date column.
    pub terminated: ColumnId,
}

/// `territory NAME when CONDITION`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Territory {
    /// The name reps' assignment column holds.
    pub name: String,
    /// Which deals belong to it.
    pub condition: Expr,
}
