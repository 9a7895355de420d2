//! Input data: one CSV file per schema table, loaded into typed columns and validated.
//!
//! Nothing about the tables is hard-coded: the plan's schema says which columns to read and how to
//! type them. Values are parsed straight from the text (money as exact decimals, never through a
//! float); rows get integer ids, references are resolved to row numbers, and text is interned.
//! Every problem becomes a [`Diagnostic`] naming the file, the line and the column, and all of them
//! are reported together. A problem found while reading a row is placed then; one found across
//! rows after loading (a duplicate key, an unknown reference, split shares, a cycle, a missing
//! exchange rate) names its row ([`crate::diagnostics::Location::Row`]), and [`place`] reads just
//! that row's line back, from the checkpoint before it ([`Table::checkpoints`]).

mod keys;
mod parse;
mod read;
mod records;
mod rows;
mod validate;
mod values;

use crate::diagnostics::{codes, Diagnostic, Severity};
use crate::model::{self, ColumnType, IdVec, RowIdx, TableId};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use rustc_hash::FxHashMap;
use std::collections::HashMap;
use std::num::NonZeroU32;

pub use keys::{KeyColumn, KeyIndex};
pub use read::{Input, TableReader};
pub use rows::{DealIdx, RepIdx};

/// An interned text value: equal texts have equal symbols, so comparisons are integer comparisons.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Sym(NonZeroU32);

impl Sym {
    /// The symbol's position in its interner (0 for the first text).
    pub fn index(self) -> usize {
        self.0.get() as usize - 1
    }
}

/// The texts of a data set, each stored once.
#[derive(Debug, Default)]
pub struct Interner {
    ids: FxHashMap<Box<str>, Sym>,
    texts: Vec<Box<str>>,
}

impl Interner {
    /// The symbol of a text, adding it if new.
    pub fn intern(&mut self, text: &str) -> Sym {
        if let Some(&sym) = self.ids.get(text) {
            return sym;
        }
        self.texts.push(text.into());
        let sym = Sym(NonZeroU32::new(self.texts.len() as u32).unwrap_or(NonZeroU32::MIN));
        self.ids.insert(text.into(), sym);
        sym
    }

    /// The symbol of a text, if any row holds it.
    pub fn get(&self, text: &str) -> Option<Sym> {
        self.ids.get(text).copied()
    }

    /// Every text, in symbol order.
    pub fn texts(&self) -> impl Iterator<Item = &str> {
        self.texts.iter().map(|t| &**t)
    }

    /// The text of a symbol.
    pub fn text(&self, sym: Sym) -> &str {
        self.texts.get(sym.0.get() as usize - 1).map_or("", |t| t)
    }
}

/// One column's values, typed; `None` is an empty optional value.
#[derive(Debug)]
pub enum Column {
    /// Text and currency codes, interned.
    Text(Vec<Option<Sym>>),
    /// A key column: unique values, kept in one arena.
    Key(KeyColumn),
    /// Money, decimals, integers and percentages (as fractions: `50` is stored as `0.5`).
    Number(Vec<Option<Decimal>>),
    /// Dates.
    Date(Vec<Option<NaiveDate>>),
    /// Booleans.
    Bool(Vec<Option<bool>>),
    /// Plan years.
    Year(Vec<Option<i32>>),
    /// References: the referenced row of the table referred to.
    Ref(Vec<Option<RowIdx>>),
}

/// One loaded table.
#[derive(Debug)]
pub struct Table {
    /// The file it was read from (empty for an absent optional table).
    pub path: String,
    /// Number of rows.
    pub rows: usize,
    /// Columns in schema order.
    pub columns: Vec<Column>,
    /// The CSV line of each row (for messages).
    pub lines: Vec<u32>,
    /// The byte offset in the file of every 64th row's record (and of the first row of each block
    /// read), as `(row, offset)` in row order: a row's line is read back from the checkpoint
    /// before it, at most 63 records on (see [`place`]).
    pub checkpoints: Vec<(RowIdx, u64)>,
    /// Row number of each key value, for keyed tables.
    pub keys: KeyIndex,
    /// False when rows were skipped or columns were missing: references into the table are then not
    /// reported as unknown (the cause is already reported).
    pub complete: bool,
}

/// Every table of the schema, loaded.
#[derive(Debug)]
pub struct Dataset {
    /// Tables in schema order.
    pub tables: IdVec<TableId, Table>,
    /// The texts.
    pub strings: Interner,
    /// For each `ref` column, the table it points into and that table's key column.
    pub ref_targets: HashMap<model::ColumnId, (TableId, usize)>,
    /// How each table's key (and every reference to it) is read in expressions, in schema order.
    pub key_types: IdVec<TableId, KeyType>,
    /// Warnings about the data, placed at their cells: values used as written that may not mean
    /// what their writer meant (an owner credited twice under an overlay).
    pub warnings: Vec<Diagnostic>,
}

/// How a key is read in expressions. Keys are kept as written, for indexes, references and
/// outputs; an expression reads one as the type the schema declares (`rep.id > 100` compares
/// numbers), and so does a reference to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyType {
    /// Text, and currency codes.
    Text,
    /// A whole number.
    Integer,
    /// A day.
    Date,
    /// A plan year.
    Year,
}

impl KeyType {
    /// The key type of a table: its key column's (text for a table without a key).
    fn of(table: &model::Table) -> KeyType {
        match table.key.map(|k| &table.columns[k].ty) {
            Some(ColumnType::Integer) => KeyType::Integer,
            Some(ColumnType::Date) => KeyType::Date,
            Some(ColumnType::Year) => KeyType::Year,
            _ => KeyType::Text,
        }
    }
}

/// A key's value as expressions read it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyValue<'a> {
    /// A text key, as written.
    Text(&'a str),
    /// A whole-number key.
    Number(Decimal),
    /// A date key.
    Date(NaiveDate),
    /// A plan-year key.
    Year(i32),
}

impl Table {
    /// The rows of the table, in order.
    pub fn row_ids(&self) -> impl DoubleEndedIterator<Item = RowIdx> + Clone {
        RowIdx::all(self.rows)
    }

    /// The CSV line of a row.
    pub fn line(&self, row: RowIdx) -> Option<u32> {
        self.lines.get(row.index()).copied()
    }
}

/// A row of any table read from a cell of a column: the position in the column's values.
#[inline]
fn at<T: Copy>(values: &[Option<T>], row: impl Into<RowIdx>) -> Option<T> {
    values.get(row.into().index()).copied().flatten()
}

impl Dataset {
    /// The text of a text cell.
    pub fn text(&self, table: TableId, column: usize, row: impl Into<RowIdx>) -> Option<&str> {
        match &self.tables[table].columns[column] {
            Column::Text(values) => at(values, row).map(|s| self.strings.text(s)),
            Column::Key(keys) => keys.get(row.into()).filter(|k| !k.is_empty()),
            _ => None,
        }
    }

    /// The value of a key of `table` written `text`, as its declared type (checked when it was
    /// read, so `None` only for a text that is not a key of that type).
    pub fn key_value<'t>(&self, table: TableId, text: &'t str) -> Option<KeyValue<'t>> {
        Some(match self.key_types.get(table).copied().unwrap_or(KeyType::Text) {
            KeyType::Text => KeyValue::Text(text),
            KeyType::Integer => KeyValue::Number(values::whole(text).ok()?),
            KeyType::Date => KeyValue::Date(values::date(text).ok()?),
            KeyType::Year => KeyValue::Year(values::year(text).ok()?),
        })
    }

    /// The key text of a row, for ids in outputs and messages.
    pub fn key_text(&self, schema: &model::Schema, table: TableId, row: impl Into<RowIdx>) -> String {
        let row = row.into();
        match schema.tables[table].key {
            Some(key) => self.text(table, key, row).unwrap_or_default().to_string(),
            None => format!("row {}", row.index() + 1),
        }
    }

    /// The key text of a row of a keyed table, if it has one.
    pub fn key_text_of(&self, table: TableId, row: impl Into<RowIdx>) -> Option<&str> {
        let row = row.into();
        self.tables[table].columns.iter().find_map(|c| match c {
            Column::Key(keys) => keys.get(row),
            _ => None,
        })
    }

    /// The row of a key, by its text.
    pub fn row_of_key(&self, table: TableId, key: &str) -> Option<RowIdx> {
        let t = &self.tables[table];
        t.columns.iter().find_map(|c| match c {
            Column::Key(keys) => t.keys.get(keys, key),
            _ => None,
        })
    }

    /// A date cell.
    #[inline]
    pub fn date(&self, column: model::ColumnId, row: impl Into<RowIdx>) -> Option<NaiveDate> {
        match &self.tables[column.table].columns[column.column] {
            Column::Date(values) => at(values, row),
            _ => None,
        }
    }

    /// A reference cell: the row it refers to, in the table its column refers to.
    #[inline]
    pub fn reference(&self, column: model::ColumnId, row: impl Into<RowIdx>) -> Option<RowIdx> {
        match &self.tables[column.table].columns[column.column] {
            Column::Ref(values) => at(values, row),
            _ => None,
        }
    }

    /// A numeric cell.
    #[inline]
    pub fn number(&self, column: model::ColumnId, row: impl Into<RowIdx>) -> Option<Decimal> {
        match &self.tables[column.table].columns[column.column] {
            Column::Number(values) => at(values, row),
            _ => None,
        }
    }

    /// A text cell's symbol.
    #[inline]
    pub fn sym(&self, column: model::ColumnId, row: impl Into<RowIdx>) -> Option<Sym> {
        match &self.tables[column.table].columns[column.column] {
            Column::Text(values) => at(values, row),
            _ => None,
        }
    }

    /// A year cell.
    #[inline]
    pub fn year(&self, column: model::ColumnId, row: impl Into<RowIdx>) -> Option<i32> {
        match &self.tables[column.table].columns[column.column] {
            Column::Year(values) => at(values, row),
            _ => None,
        }
    }
}

/// Loads every table of a workspace's schema. `open` returns a table's file, or `None` when it does
/// not exist. The plans are read too: a column a plan reads as a quota must not be negative.
///
/// The reps and deals tables must exist; other tables may be absent and are then empty. All problems
/// are returned together, and a data set is returned only when there are none.
pub fn load(
    workspace: &model::Workspace,
    mut open: impl FnMut(&str) -> Result<Option<Input>, String>,
) -> Result<Dataset, Vec<Diagnostic>> {
    let schema = &workspace.schema;
    let mut strings = Interner::default();
    let mut errors = Vec::new();
    let required = required_tables(workspace);
    let mut tables: IdVec<TableId, Table> = IdVec::new();
    // Problems about rows, found after reading them: placed at the end, all together.
    let mut pending = Vec::new();
    for (id, table) in schema.tables.iter_enumerated() {
        let file = format!("{}.csv", table.name);
        match open(&table.name) {
            Ok(Some(input)) => {
                let (loaded, repeated) = read::table(schema, id, input, &tables, &mut strings, &mut errors);
                tables.push(loaded);
                pending.extend(repeated);
            }
            Ok(None) => {
                if required.contains(&id) {
                    errors.push(
                        Diagnostic::new(&codes::MISSING_FILE, format!("the data folder has no `{file}`"))
                            .note(format!("the table `{}` is required: every payroll run reads it", table.name))
                            .help(format!("add `{file}` with the columns `schema {}` declares", table.name)),
                    );
                }
                let mut empty = read::empty(schema, id);
                // A missing required table is reported once, not again at every reference into it.
                empty.complete = !required.contains(&id);
                tables.push(empty);
            }
            Err(message) => {
                errors.push(Diagnostic::new(&codes::MISSING_FILE, message));
                let mut empty = read::empty(schema, id);
                empty.complete = false;
                tables.push(empty);
            }
        }
    }
    let key_types = schema.tables.iter().map(KeyType::of).collect();
    let mut data = Dataset { tables, strings, ref_targets: ref_targets(schema), key_types, warnings: Vec::new() };
    let checked = errors.is_empty() && pending.is_empty();
    pending.extend(across_rows(workspace, &mut data, checked));
    let placed = read::place(schema, &data, pending, &mut open);
    let (warnings, placed): (Vec<Diagnostic>, Vec<Diagnostic>) =
        placed.into_iter().partition(|d| d.severity() == Severity::Warning);
    errors.extend(placed);
    if errors.is_empty() {
        data.warnings = warnings;
        Ok(data)
    } else {
        errors.extend(warnings);
        Err(errors)
    }
}

/// The tables every run reads: the reps and deals tables.
fn required_tables(workspace: &model::Workspace) -> Vec<TableId> {
    match &workspace.crediting {
        Some(c) => vec![c.reps, c.deals],
        None => workspace
            .schema
            .tables
            .iter_enumerated()
            .filter(|(_, t)| t.name == "reps" || t.name == "deals")
            .map(|(i, _)| i)
            .collect(),
    }
}

/// For each `ref` column, the table it points into and that table's key column.
fn ref_targets(schema: &model::Schema) -> HashMap<model::ColumnId, (TableId, usize)> {
    let mut targets = HashMap::new();
    for (t, table) in schema.tables.iter_enumerated() {
        for (c, column) in table.columns.iter().enumerate() {
            if let ColumnType::Ref(target) = column.ty {
                if let Some(key) = schema.tables[target].key {
                    targets.insert(model::ColumnId { table: t, column: c }, (target, key));
                }
            }
        }
    }
    targets
}

/// The problems found across rows once the tables are read, each about a row: values refused on
/// their own (quotas below zero, split shares), and, when every table was read without a problem
/// (`read_cleanly`), references, split sums, the hierarchy, keys of two columns, dates in order and
/// exchange rates. Resolves the references read before the tables they point into.
fn across_rows(workspace: &model::Workspace, data: &mut Dataset, read_cleanly: bool) -> Vec<Diagnostic> {
    let (schema, crediting) = (&workspace.schema, workspace.crediting.as_ref());
    // Values refused on their own, whatever else is wrong: they do not hold back the checks across
    // rows, except that shares are summed only when each of them is acceptable.
    let mut refused = Vec::new();
    validate::quotas(workspace, data, &mut refused);
    let quota_problems = refused.len();
    if let Some(crediting) = crediting {
        validate::shares(crediting, data, &mut refused);
    }
    let shares_refused = refused.len() > quota_problems;
    let mut pending = Vec::new();
    if read_cleanly {
        validate::references(schema, data, &mut pending);
        if pending.is_empty() {
            if let Some(crediting) = crediting {
                if !shares_refused {
                    validate::splits(schema, crediting, data, &mut pending);
                }
                validate::hierarchy(schema, crediting, data, &mut pending);
                validate::composite_keys(schema, crediting, data, &mut pending);
                validate::date_order(crediting, data, &mut pending);
                validate::owners_in_overlay(schema, crediting, data, &mut pending);
                validate::rates(crediting, data, &mut pending);
            }
        }
    }
    pending.append(&mut refused);
    pending
}

/// Places problems about cells of the data set ([`crate::diagnostics::Location::Row`]), reading
/// each row's line back through `open` from the checkpoint before it: each becomes a
/// [`crate::diagnostics::Location::Cell`] with the line, the column and the line's text. They come
/// back ordered by table, row and column (other diagnostics last, in their order).
pub fn place(
    schema: &model::Schema,
    data: &Dataset,
    pending: Vec<Diagnostic>,
    mut open: impl FnMut(&str) -> Result<Option<Input>, String>,
) -> Vec<Diagnostic> {
    read::place(schema, data, pending, &mut open)
}

/// What a column type holds, as a noun for messages (`an amount`).
pub(crate) fn expected(ty: &ColumnType) -> &'static str {
    match ty {
        ColumnType::Text | ColumnType::Ref(_) => "text",
        ColumnType::Date => "a date",
        ColumnType::Decimal => "a decimal number",
        ColumnType::Integer => "a whole number",
        ColumnType::Percent => "a percentage",
        ColumnType::Bool => "`true` or `false`",
        ColumnType::Year => "a year",
        ColumnType::Currency => "a currency code",
        ColumnType::Money(_) | ColumnType::MoneyIn(_) => "an amount",
    }
}

/// How a value of a type is written, for the help line.
pub(crate) fn how_to_write(ty: &ColumnType) -> &'static str {
    match ty {
        ColumnType::Text | ColumnType::Ref(_) => "write the text as it is",
        ColumnType::Date => "write dates as YYYY-MM-DD, such as `2026-03-31`, with a day that exists",
        ColumnType::Decimal | ColumnType::Money(_) | ColumnType::MoneyIn(_) => {
            "write a plain decimal such as `1234.56`: no thousands separators, no currency sign, no exponent"
        }
        ColumnType::Integer => "write a whole number such as `12`",
        ColumnType::Percent => "write the percentage as a number: `50` for 50%",
        ColumnType::Bool => "write `true` or `false` (lower case)",
        ColumnType::Year => "write the plan year with four digits, such as `2026`",
        ColumnType::Currency => "write a three-letter ISO code in capitals, such as `USD`",
    }
}
