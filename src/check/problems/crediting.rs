//! Problems of the crediting rules (`crediting.rs`), and of the columns they read for every row,
//! which cannot be optional (`filled.rs`).

use super::{help_if, suggestion};
use crate::ast::{self, Ident, Span};
use crate::check::filled::ReadAs;
use crate::diagnostics::{codes, Diagnostic};
use crate::model;
use crate::source::SourceFile;

/// A rule naming something other than `ROW.COLUMN` of the table it reads.
pub(crate) fn expected_a_column_of(table: &model::Table, path: &ast::Path) -> Diagnostic {
    Diagnostic::new(&codes::BAD_CREDIT_RULES, format!("expected a column of `{}` here", table.name))
        .primary(path.span(), format!("write `{}.COLUMN`", table.row_name))
}

/// A rule naming a column its table does not have.
pub(crate) fn unknown_rule_column(table: &model::Table, field: &Ident) -> Diagnostic {
    let d = Diagnostic::new(&codes::UNKNOWN_COLUMN, format!("`{}` has no column `{}`", table.name, field.text))
        .primary(field.span, "unknown column");
    help_if(d, suggestion(&field.text, table.columns.iter().map(|c| c.name.as_str())))
}

/// A rule naming a column that is not `want` (`a date`, `text`…).
pub(crate) fn rule_column_not_of_type(path: &ast::Path, want: &str) -> Diagnostic {
    Diagnostic::new(&codes::BAD_CREDIT_RULES, format!("`{}` is not {want}", path.text()))
        .primary(path.span(), format!("expected {want}"))
}

/// A rule naming rows no table has (`rows` are the row names there are).
pub(crate) fn unknown_row_name<'a>(row: &Ident, rows: impl IntoIterator<Item = &'a str>) -> Diagnostic {
    let d = Diagnostic::new(&codes::UNKNOWN_TABLE, format!("no table has rows called `{}`", row.text))
        .primary(row.span, "unknown row name")
        .note("a row of the table `deals` is called `deal`");
    help_if(d, suggestion(&row.text, rows))
}

/// A rule written for rows other than the credited ones (`deal_row`).
pub(crate) fn not_the_credited_rows(deal_row: &str, row: &Ident) -> Diagnostic {
    Diagnostic::new(&codes::BAD_CREDIT_RULES, format!("the credited rows are `{deal_row}`, not `{}`", row.text))
        .primary(row.span, format!("expected `{deal_row}`"))
        .help("every crediting rule is about the deals the owner rule credits")
}

/// A plan (`name`) paying in another currency (`code`) than the first plan of a workspace that
/// credits deals in their own currency, unconverted (`first`, in `first_file`, of `first_name`).
pub(crate) fn plans_disagree_on_the_credit_currency(
    name: Option<&Ident>,
    code: &Ident,
    first_file: SourceFile,
    first: &Ident,
    first_name: Option<&Ident>,
) -> Diagnostic {
    let first_name = first_name.map_or("the first plan".to_string(), |n| format!("plan `{}`", n.text));
    let name = name.map_or("this plan".to_string(), |n| format!("plan `{}`", n.text));
    let first_code = &first.text;
    Diagnostic::new(
        &codes::BAD_CREDIT_RULES,
        format!("{name} pays in {}, but credit is kept in {first_code}, the currency of {first_name}", code.text),
    )
    .primary(code.span, "a second plan currency")
    .secondary_in(first_file, first.span, format!("credit is kept in {first_code}"))
    .note("deals are credited in their own currency, unconverted: every plan must pay in that one currency")
    .help(format!(
        "convert credit (`convert deal.amount to {first_code} using fx on deal.closed`) and pay every plan in it, or pay this plan in {first_code}"
    ))
}

/// A second credit block (`first` is the first block's keyword, in `first_file`).
pub(crate) fn two_credit_blocks(second: Span, first_file: SourceFile, first: Span) -> Diagnostic {
    Diagnostic::new(&codes::BAD_CREDIT_RULES, "the workspace has two credit blocks")
        .primary(second, "second credit block")
        .secondary_in(first_file, first, "first credit block")
        .help("crediting rules are shared by every plan: keep them in one `credit { … }` block")
}

/// A second crediting rule of one form (`first` is the first).
pub(crate) fn credit_rule_twice(span: Span, first: Span) -> Diagnostic {
    Diagnostic::new(&codes::BAD_CREDIT_RULES, "this kind of crediting rule is given twice")
        .primary(span, "second rule")
        .secondary(first, "first rule")
}

/// A credit block (at its `keyword`) without the rule that says who is credited for a deal.
pub(crate) fn no_owner_rule(keyword: Span) -> Diagnostic {
    Diagnostic::new(&codes::BAD_CREDIT_RULES, "the credit block has no owner rule")
        .primary(keyword, "who is credited for a deal?")
        .help("add `deal to deal.owner on deal.closed`")
}

/// A credited table with no money column, or several (the positions in `money`), and no rule to
/// say which is the amount credited; `rates` is a table a `convert` rule could read, if the schema
/// has one. The help names the rule that fits: `credit ROW.COLUMN` for an amount credited as it is,
/// `convert …` only for an amount in each deal's own currency when there are rates to convert it.
pub(crate) fn which_amount_column(
    table: &model::Table,
    keyword: Span,
    money: &[usize],
    rates: Option<&str>,
) -> Diagnostic {
    let row = &table.row_name;
    let title = format!("which column of `{}` is the amount credited?", table.name);
    let Some(&first) = money.first() else {
        let d = Diagnostic::new(&codes::BAD_CREDIT_RULES, title).primary(keyword, "the table has no money column");
        let money_help =
            format!("declare the amount credited as money in the schema of `{}`: `amount: money USD`", table.name);
        let units =
            table.columns.iter().find(|c| matches!(c.ty, model::ColumnType::Decimal | model::ColumnType::Integer));
        return match units {
            Some(c) => d.help(format!("to credit units (a number, not money), name the column: `credit {row}.{}`; to credit money, {money_help}", c.name)),
            None => d.help(money_help),
        };
    };
    let names: Vec<String> = money.iter().map(|&i| format!("`{}`", table.columns[i].name)).collect();
    let d = Diagnostic::new(&codes::BAD_CREDIT_RULES, title)
        .primary(keyword, format!("the table has several money columns: {}", names.join(", ")));
    let in_own_currency = money.iter().copied().find(|&i| matches!(table.columns[i].ty, model::ColumnType::MoneyIn(_)));
    match (in_own_currency, rates) {
        (Some(column), Some(rates)) => {
            let date = table.columns.iter().find(|c| c.ty == model::ColumnType::Date).map_or("closed", |c| &c.name);
            d.help(format!(
                "name it in the credit block: `convert {row}.{} to USD using {rates} on {row}.{date}` converts each deal's own currency; `credit {row}.{}` credits it as it is",
                table.columns[column].name, table.columns[column].name
            ))
        }
        _ => d.help(format!("name the one credited in the credit block: `credit {row}.{}`", table.columns[first].name)),
    }
}

/// `credit ROW.COLUMN` (`span`) beside a `convert` rule (`convert`), which names the amount already.
pub(crate) fn amount_named_twice(span: Span, convert: Span) -> Diagnostic {
    Diagnostic::new(&codes::BAD_CREDIT_RULES, "the credited amount is named twice")
        .primary(span, "names the amount credited")
        .secondary(convert, "the conversion names it too")
        .help("keep the `convert` rule when deals are in their own currencies, else `credit …` alone")
}

/// `clawback P% when …` with a part that is not above 0% and at most 100% (`span`).
pub(crate) fn clawback_part_out_of_range(span: Span) -> Diagnostic {
    Diagnostic::new(&codes::BAD_CREDIT_RULES, "a clawback reverses a part of each credit above 0% and at most 100%")
        .primary(span, "not a part of the credit")
        .help("write the part reversed as a percentage, `clawback 50% when …`, or leave it out to reverse all of it")
}

/// `deal by splits up to P%` with a P that is not above 100% (`span`).
pub(crate) fn split_maximum_not_above_100(span: Span) -> Diagnostic {
    Diagnostic::new(&codes::BAD_CREDIT_RULES, "`up to` declares shares that sum to more than 100%")
        .primary(span, "not above 100%")
        .help("without `up to`, the shares of a deal sum to exactly 100%: write `deal by splits`, or `up to 200%` when each rep on a deal may be credited in full")
}

/// `convert` of an amount declared in a fixed currency.
pub(crate) fn nothing_to_convert(amount: &ast::Path) -> Diagnostic {
    Diagnostic::new(
        &codes::BAD_CREDIT_RULES,
        format!("`{}` has a fixed currency: there is nothing to convert", amount.text()),
    )
    .primary(amount.span(), "declared `money CUR`")
    .help("declare it `money in COLUMN` to convert each deal from its own currency")
}

/// `convert … using TABLE` where TABLE is not a table of rates (`span` is the target currency).
pub(crate) fn not_a_rates_table(table: &str, span: Span) -> Diagnostic {
    Diagnostic::new(&codes::BAD_CREDIT_RULES, format!("`{table}` is not a table of rates"))
        .primary(span, "conversion needs a table with a `currency`, a `date` and a `decimal` column")
}

/// `deal by splits TABLE` where TABLE is not a table of split shares.
pub(crate) fn not_a_splits_table(table: &Ident) -> Diagnostic {
    Diagnostic::new(&codes::BAD_CREDIT_RULES, format!("`{}` is not a table of split shares", table.text))
        .primary(table.span, "needs a `ref` to the deals table, a `ref` to the reps table and a `percent` column")
}

/// A column the crediting rules read for every row of `read_for` (as `read_as`), declared
/// `optional` (at `flag`) in its schema; `rule` (in `rule_file`) is the rule that reads it.
pub(crate) fn column_cannot_be_optional(
    column: &str,
    read_as: ReadAs,
    flag: Span,
    rule_file: SourceFile,
    rule: Span,
    read_for: &str,
) -> Diagnostic {
    let (why, help) = match read_as {
        ReadAs::Amount => (
            "it is the amount each deal is credited",
            "remove `optional`: every deal is credited its amount (leave out of the file the deals that have none yet)",
        ),
        ReadAs::Currency => (
            "it says which currency each deal's amount is in",
            "remove `optional`: every deal's amount is in a currency",
        ),
        ReadAs::Split => (
            "every split row credits a rep a share of a deal",
            "remove `optional`: a rep without a share of a deal has no split row",
        ),
        ReadAs::Rate => (
            "every row of the rates table is the rate of a currency from a date",
            "remove `optional`: a rate needs its currency, its date and its value",
        ),
        ReadAs::Hired => (
            "each rep's employment starts on it",
            "remove `optional` and give every rep the day they start (without the `employed` rule, every rep counts as employed every day)",
        ),
    };
    Diagnostic::new(&codes::BAD_CREDIT_RULES, format!("`{column}` cannot be `optional`: {why}"))
        .primary(flag, "an empty cell would have no meaning")
        .secondary_in(rule_file, rule, format!("read for every row of `{read_for}`"))
        .help(help)
}
