//! Problems of what a plan measures (`quotas.rs`, `measures.rs`): a quota's amount, split and
//! proration, the rows a measure reads and the columns it reads them by, and attainments.

use super::{help_if, suggestion};
use crate::ast::{self, Ident, Span};
use crate::check::measures::MeasureClause;
use crate::check::quotas::QuotaColumn;
use crate::diagnostics::{codes, did_you_mean, Diagnostic};
use crate::model;
use crate::types::{Currency, Ty};
use rust_decimal::Decimal;

/// A quota the same for every rep, below zero.
pub(crate) fn negative_quota(amount: Decimal, ty: &Ty, span: Span) -> Diagnostic {
    let unit = match ty {
        Ty::Money(Currency::Code(code)) => format!(" {code}"),
        _ => String::new(),
    };
    Diagnostic::new(&codes::BAD_QUOTA, format!("the quota is below zero: {}{unit}", amount.normalize()))
        .primary(span, "a negative quota")
        .help("write the annual quota as a positive amount: against a negative quota every sale lowers attainment")
}

/// A weight of a quota's split below zero (weights that net out still sum to 100%).
pub(crate) fn negative_weight(span: Span) -> Diagnostic {
    Diagnostic::new(&codes::BAD_QUOTA, "a weight is below zero")
        .primary(span, "every weight is 0% or more")
        .help("give each period its part of the annual quota: a negative part makes every sale of that period lower attainment")
}

/// A weight of a quota's split that is not a percentage.
pub(crate) fn weight_not_a_percentage(span: Span) -> Diagnostic {
    Diagnostic::new(&codes::BAD_QUOTA, "a weight is a percentage").primary(span, "expected a percentage such as `25%`")
}

/// `given` weights for a split into `periods` months or quarters.
pub(crate) fn weights_do_not_match_periods(given: usize, periods: usize, span: Span) -> Diagnostic {
    let unit = if periods == 12 { "month" } else { "quarter" };
    Diagnostic::new(&codes::BAD_QUOTA, format!("{given} weights for {periods} {unit}s"))
        .primary(span, format!("expected one weight per {unit}"))
}

/// Weights that sum to `total` (as a fraction; `None` when the sum leaves exact arithmetic), not 1.
pub(crate) fn weights_do_not_sum_to_100(total: Option<Decimal>, span: Span) -> Diagnostic {
    let percent = total.and_then(|t| t.checked_mul(Decimal::ONE_HUNDRED));
    let sum = percent.map_or("more than can be added".to_string(), |p| format!("{}%", p.normalize()));
    Diagnostic::new(&codes::BAD_QUOTA, format!("the weights sum to {sum}, not 100%"))
        .primary(span, "weights must sum to exactly 100%")
        .help("adjust the weights so that the whole annual quota is split")
}

/// `prorated by …` in a workspace whose crediting rules have no employment dates.
pub(crate) fn proration_without_employment_dates(span: Span) -> Diagnostic {
    Diagnostic::new(&codes::BAD_QUOTA, "the workspace has no employment dates: proration would change nothing")
        .primary(span, "every rep counts as employed every day")
        .help("add `employed from rep.hired to rep.terminated` to the credit block")
}

/// `prorated by UNIT employed` where UNIT is neither `months` nor `days`.
pub(crate) fn unknown_proration(unit: &Ident) -> Diagnostic {
    let d = Diagnostic::new(&codes::BAD_QUOTA, format!("unknown proration `{}`", unit.text))
        .primary(unit.span, "expected `months` or `days`");
    help_if(
        d,
        did_you_mean(&unit.text, ["months", "days"]).map(|s| format!("did you mean `prorated by {s} employed`?")),
    )
}

/// `split … by UNIT` where UNIT is neither `month` nor `quarter`.
pub(crate) fn unknown_split_unit(unit: &Ident) -> Diagnostic {
    let d =
        Diagnostic::new(&codes::BAD_QUOTA, format!("a quota is split by `month` or `quarter`, not `{}`", unit.text))
            .primary(unit.span, "unknown unit");
    help_if(d, suggestion(&unit.text, ["month", "quarter"]))
}

/// `TABLE.FIELD` as a quota, where the table of quotas has no column `FIELD`.
pub(crate) fn unknown_quota_column(table: &model::Table, head: &Ident, field: &Ident) -> Diagnostic {
    let d = Diagnostic::new(&codes::UNKNOWN_COLUMN, format!("`{}` has no column `{}`", table.name, field.text))
        .primary(field.span, "unknown column");
    let near = did_you_mean(&field.text, table.columns.iter().map(|c| c.name.as_str()));
    help_if(d, near.map(|s| format!("did you mean `{}.{s}`?", head.text)))
}

/// A quota read from a table without a rep column and a year column.
pub(crate) fn not_a_quota_table(table: &model::Table, head: &Ident) -> Diagnostic {
    Diagnostic::new(&codes::BAD_QUOTA, format!("`{}` cannot hold quotas", table.name))
        .primary(head.span, "a table of quotas needs a `ref reps` column and a `year` column")
        .help(format!("declare e.g. `schema {} {{ rep: ref reps; year: year; amount: money USD }}`", table.name))
}

/// A quota read from a column that is not an amount (`head.field`, of type `ty`).
pub(crate) fn quota_column_not_an_amount(head: &Ident, field: &Ident, ty: &Ty, span: Span) -> Diagnostic {
    Diagnostic::new(
        &codes::WRONG_RESULT_TYPE,
        format!("a quota is an amount, but `{}.{}` is {ty}", head.text, field.text),
    )
    .primary(span, "expected money or a number")
}

/// A column of a table of quotas, the `column`-th, declared `optional` (`role` is what it holds).
pub(crate) fn optional_quota_column(table: &model::Table, column: usize, role: QuotaColumn, span: Span) -> Diagnostic {
    let without = match role {
        QuotaColumn::Rep => "no rep's quota",
        QuotaColumn::Year => "no year's quota",
        QuotaColumn::Amount => "no quota",
    };
    let name = &table.columns[column].name;
    Diagnostic::new(
        &codes::BAD_QUOTA,
        format!("`{}.{name}` is declared `optional`: a quota row without it is {without}", table.name),
    )
    .primary(span, "read from an optional column")
    .help(format!(
        "remove `optional` from `{name}` in `schema {}`: a rep without a quota for a plan year has no row",
        table.name
    ))
}

/// A quota computed from the rep that is not an amount.
pub(crate) fn quota_not_an_amount(ty: &Ty, span: Span) -> Diagnostic {
    Diagnostic::new(&codes::WRONG_RESULT_TYPE, format!("a quota is an amount, but this is {ty}"))
        .primary(span, "expected money or a number")
}

/// A measure summing amounts in each row's own currency.
pub(crate) fn sum_of_unconverted_amounts(column: &str, span: Span) -> Diagnostic {
    Diagnostic::new(&codes::UNCONVERTED_MONEY, "this amount is in each row's own currency")
        .primary(span, format!("the currency varies with `{column}`"))
        .help("sum `credit.amount`, which is converted into the credit currency")
}

/// A measure summing something that is neither an amount nor a number.
pub(crate) fn sum_of_a_non_amount(ty: &Ty, span: Span) -> Diagnostic {
    Diagnostic::new(&codes::WRONG_RESULT_TYPE, format!("only amounts and numbers can be summed, but this is {ty}"))
        .primary(span, "expected money or a number")
}

/// `count of TABLE` where no table is called TABLE (`tables` are the names there are).
pub(crate) fn unknown_counted_table<'a>(table: &Ident, tables: impl IntoIterator<Item = &'a str>) -> Diagnostic {
    let d = Diagnostic::new(&codes::UNKNOWN_TABLE, format!("no table is called `{}`", table.text))
        .primary(table.span, "expected `credit` or a schema table");
    help_if(d, suggestion(&table.text, tables))
}

/// A measure of credit in a workspace without crediting rules.
pub(crate) fn measure_of_credit_without_crediting_rules(span: Span) -> Diagnostic {
    Diagnostic::new(&codes::MISSING_SHARED, "measures of credit need crediting rules")
        .primary(span, "no `credit { … }` block in the workspace")
        .help("add a `credit { deal to deal.owner on deal.closed }` block to the workspace")
}

/// A measure's `by` or `on` naming something other than a column of the right type of its table.
pub(crate) fn not_a_measure_column(path: &ast::Path, table: &model::Table, clause: MeasureClause) -> Diagnostic {
    let what = column_kind(clause);
    Diagnostic::new(&codes::AMBIGUOUS_ROWS, format!("`{}` is not a {what} of `{}`", path.text(), table.name))
        .primary(path.span(), format!("expected a {what}"))
}

/// A measured table with `found` columns (none, or several) that a `by` or `on` clause could name,
/// and no clause to say which (`span` is where the table is named).
pub(crate) fn measure_column_unclear(
    table: &model::Table,
    clause: MeasureClause,
    found: usize,
    span: Span,
) -> Diagnostic {
    let what = column_kind(clause);
    let (count, plural) = if found == 0 { ("no", "") } else { ("several", "s") };
    Diagnostic::new(&codes::AMBIGUOUS_ROWS, format!("`{}` has {count} {what}{plural}", table.name))
        .primary(span, format!("which is the {what}?"))
        .help(format!("name it: `{} {}.COLUMN`", clause.keyword(), table.row_name))
}

/// `by` or `on` on a measure of credit rows, which the crediting rules give to reps and date.
pub(crate) fn clause_on_credit_rows(clause: MeasureClause, deals: &str, deal_row: &str, span: Span) -> Diagnostic {
    Diagnostic::new(&codes::AMBIGUOUS_ROWS, format!("`{}` does not apply to credit rows", clause.keyword()))
        .primary(span, "credit rows are given to reps and dated by the crediting rules")
        .help(format!(
            "remove it, or measure the deals themselves: `count of {deals} by {deal_row}.owner on {deal_row}.cancelled`"
        ))
}

/// An attainment that is not written `MEASURE SCOPE / QUOTA SCOPE`.
pub(crate) fn attainment_not_a_ratio(name: &Ident, span: Span) -> Diagnostic {
    Diagnostic::new(&codes::BAD_ATTAINMENT, "an attainment is a measure divided by a quota")
        .primary(span, "expected `MEASURE SCOPE / QUOTA SCOPE`")
        .help(format!("write e.g. `attainment {} = bookings ytd / bookings_quota ytd`", name.text))
}

/// An attainment of the right shape whose names are not a measure over a quota.
pub(crate) fn attainment_not_measure_over_quota(span: Span) -> Diagnostic {
    Diagnostic::new(&codes::BAD_ATTAINMENT, "an attainment is a measure divided by a quota")
        .primary(span, "expected `MEASURE SCOPE / QUOTA SCOPE`")
        .help("the numerator is a `measure`, the denominator a `quota`")
}

/// An attainment of a measure and a quota in different currencies.
pub(crate) fn attainment_currencies_differ(measure: &Ty, quota: &Ty, span: Span) -> Diagnostic {
    Diagnostic::new(&codes::CURRENCY_MISMATCH, format!("the measure is {measure} but the quota is {quota}"))
        .primary(span, "different currencies")
}

/// An attainment of a measure and a quota of different kinds (money and numbers).
pub(crate) fn attainment_units_differ(measure: &Ty, quota: &Ty, span: Span) -> Diagnostic {
    Diagnostic::new(&codes::BAD_ATTAINMENT, format!("the measure is {measure} but the quota is {quota}"))
        .primary(span, "a measure of money needs a quota of money, a count a quota of numbers")
}

/// What the column a `by` or `on` clause names holds.
fn column_kind(clause: MeasureClause) -> &'static str {
    match clause {
        MeasureClause::By => "rep column",
        MeasureClause::On | MeasureClause::Until => "date column",
    }
}

/// `each X` on something that is not a column of the rows measured.
pub(crate) fn group_not_a_column(span: Span) -> Diagnostic {
    Diagnostic::new(
        &codes::TYPE_MISMATCH,
        "`each` groups the rows by a column of text, a reference, a number or a date",
    )
    .primary(span, "expected a column of the rows measured")
    .help("group by a column of the deal (or of the table measured): `each deal.product floored at 0 USD`")
}

/// A limit of `each` of another kind than the measure's sums.
pub(crate) fn group_limit_of_another_kind(measure: &Ty, limit: &Ty, span: Span) -> Diagnostic {
    Diagnostic::new(&codes::TYPE_MISMATCH, format!("each group's sum is {measure}, but this limit is {limit}"))
        .primary(span, format!("expected {measure}"))
        .help("limit each group's sum with a value of its own kind: `floored at 0 USD` for amounts")
}
