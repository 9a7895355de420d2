//! Problems of the input tables a workspace declares (`schema.rs`): tables and columns declared
//! twice, keys, and column types.

use super::{help_if, suggestion};
use crate::ast::{Ident, Span};
use crate::diagnostics::{codes, Diagnostic};
use crate::model::ColumnType;
use crate::source::SourceFile;

/// A table declared a second time (the first declaration is in `first_file`, at `first`).
pub(crate) fn table_declared_twice(name: &Ident, first_file: SourceFile, first: Span) -> Diagnostic {
    Diagnostic::new(&codes::DUPLICATE_DEFINITION, format!("the table `{}` is declared twice", name.text))
        .primary(name.span, "declared again here")
        .secondary_in(first_file, first, "first declared here")
        .help("declare each table once; add columns to the first declaration")
}

/// A column declared a second time in one table.
pub(crate) fn column_declared_twice(column: &Ident, table: &Ident, first: Span) -> Diagnostic {
    Diagnostic::new(
        &codes::DUPLICATE_DEFINITION,
        format!("the column `{}` is declared twice in `{}`", column.text, table.text),
    )
    .primary(column.span, "declared again here")
    .secondary(first, "first declared here")
}

/// A table without columns.
pub(crate) fn table_without_columns(name: &Ident) -> Diagnostic {
    Diagnostic::new(&codes::BAD_SCHEMA, format!("the table `{}` has no columns", name.text))
        .primary(name.span, "empty table")
}

/// A key column declared `optional` (`flag` is its `key`).
pub(crate) fn optional_key(column: &Ident, flag: Span) -> Diagnostic {
    Diagnostic::new(&codes::BAD_SCHEMA, format!("the key `{}` cannot be optional", column.text))
        .primary(flag, "a key identifies every row")
}

/// A key column of a type that cannot be a key (`flag` is its `key`): a number with decimals, a
/// boolean or a reference.
pub(crate) fn key_of_unkeyable_type(column: &Ident, ty: &ColumnType, flag: Span) -> Diagnostic {
    let (what, help) = match ty {
        ColumnType::Bool => ("`true` or `false`", "a key identifies each row: give the table an id column"),
        ColumnType::Ref(_) => (
            "a reference",
            "a reference names a row of another table: drop `key` (the table needs none unless another table refers to it), or give the table an id column of its own",
        ),
        _ => (
            "a number with decimals",
            "declare the key `integer` for whole numbers, or `text` (1.5 and 1.50 are one number written two ways, and a reference could name it either way)",
        ),
    };
    Diagnostic::new(&codes::BAD_SCHEMA, format!("the key `{}` cannot be {what}", column.text))
        .primary(flag, "a key is text, a whole number, a date, a year or a currency code")
        .help(help)
}

/// A second key column in a table (`flag` is its `key`, `first` the first key's name).
pub(crate) fn second_key(table: &Ident, flag: Span, first: Span) -> Diagnostic {
    Diagnostic::new(&codes::BAD_SCHEMA, format!("`{}` has two key columns", table.text))
        .primary(flag, "second key")
        .secondary(first, "first key")
        .help("a table has one key column")
}

/// `money` without a currency.
pub(crate) fn money_without_currency(span: Span) -> Diagnostic {
    Diagnostic::new(&codes::BAD_SCHEMA, "`money` needs a currency")
        .primary(span, "in which currency?")
        .help("write `money USD` for a fixed currency, or `money in COLUMN` when a column gives each row's currency")
}

/// A table name no `schema` declares (`tables` are the names declared).
pub(crate) fn unknown_table<'a>(name: &Ident, tables: impl IntoIterator<Item = &'a str>) -> Diagnostic {
    let d = Diagnostic::new(&codes::UNKNOWN_TABLE, format!("no table is called `{}`", name.text))
        .primary(name.span, "not declared by any `schema`");
    help_if(d, suggestion(&name.text, tables))
}

/// A column type that is not a type (`hint`: the type it most likely means).
pub(crate) fn unknown_column_type(name: &Ident, hint: Option<&str>) -> Diagnostic {
    let d = Diagnostic::new(&codes::UNKNOWN_TYPE, format!("unknown column type `{}`", name.text))
        .primary(name.span, "not a type")
        .note("types are text, date, decimal, integer, percent, bool, year, currency, money CUR, money in COLUMN and ref TABLE");
    help_if(d, hint.map(|hint| format!("write `{hint}`")))
}

/// `money in COLUMN` where COLUMN is not a `currency` column of the table (`is_column`: it is a
/// column, of another type).
pub(crate) fn money_in_not_a_currency_column(currency: &str, is_column: bool, table: &str, span: Span) -> Diagnostic {
    let why = if is_column { "is not a `currency` column" } else { "is not a column of this table" };
    Diagnostic::new(&codes::BAD_SCHEMA, format!("`money in {currency}`: `{currency}` {why}"))
        .primary(span, "each row's currency must come from a `currency` column of the same table")
        .help(format!("declare `{currency}: currency` in `{table}`"))
}

/// `ref TABLE` where TABLE has no key for the reference to name.
pub(crate) fn ref_to_a_table_without_key(target: &str, span: Span) -> Diagnostic {
    Diagnostic::new(&codes::BAD_SCHEMA, format!("`ref {target}`: the table `{target}` has no key"))
        .primary(span, "a reference needs a key to point at")
        .help(format!("mark the column that identifies a row of `{target}` with `key`"))
}
