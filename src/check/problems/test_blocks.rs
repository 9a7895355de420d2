//! Problems of a plan's `test` blocks (`test_block.rs`): periods, data tables and expectations.

use super::{help_if, suggestion};
use crate::ast::{self, Ident, LiteralValue, Span};
use crate::diagnostics::{codes, Diagnostic};

/// A period that is not a month, a quarter or a year.
pub(crate) fn not_a_period(period: &ast::PeriodLit) -> Diagnostic {
    Diagnostic::new(&codes::INVALID_LITERAL, format!("`{}` is not a period", period.text))
        .primary(period.span, "expected `2026-03`, `2026-Q1`, `2026` or a pay period's last day (`2026-01-15`)")
}

/// A test without a `period` line (`name` as written, with its span).
pub(crate) fn test_without_period(name: &(String, Span)) -> Diagnostic {
    Diagnostic::new(&codes::BAD_TEST, format!("the test \"{}\" has no period", name.0))
        .primary(name.1, "which period does it evaluate?")
        .help("add `period 2026-03` (a month, a quarter such as `2026-Q1`, or a plan year)")
}

/// A data table given twice in one test (`first` is where it is first given).
pub(crate) fn test_table_given_twice(table: &Ident, first: Span) -> Diagnostic {
    Diagnostic::new(&codes::BAD_TEST, format!("`{}` is given twice", table.text))
        .primary(table.span, "given again here")
        .secondary(first, "first given here")
        .help(format!("write every row of `{}` in one `data {} {{ … }}` block", table.text, table.text))
}

/// A data table the schema does not declare (`tables` are the ones it does).
pub(crate) fn unknown_test_table<'a>(table: &Ident, tables: impl IntoIterator<Item = &'a str>) -> Diagnostic {
    let d = Diagnostic::new(&codes::BAD_TEST, format!("no table is called `{}`", table.text))
        .primary(table.span, "expected a schema table");
    help_if(d, suggestion(&table.text, tables))
}

/// An expectation naming no line or attainment of the plan (`names` are the ones it has).
pub(crate) fn unknown_expectation<'a>(name: &Ident, names: impl IntoIterator<Item = &'a str>) -> Diagnostic {
    let d = Diagnostic::new(&codes::BAD_TEST, format!("the plan has no component or attainment `{}`", name.text))
        .primary(name.span, "nothing to compare");
    help_if(d, suggestion(&name.text, names))
}

/// An expected amount in another currency than the plan pays in.
pub(crate) fn expected_amount_in_another_currency(currency: &str, plan_currency: &str, span: Span) -> Diagnostic {
    Diagnostic::new(
        &codes::CURRENCY_MISMATCH,
        format!("the expected amount is in {currency}, but the plan pays in {plan_currency}"),
    )
    .primary(span, format!("money ({currency})"))
}

/// An expectation whose value is neither an amount nor a percentage.
pub(crate) fn expectation_not_an_amount(span: Span) -> Diagnostic {
    Diagnostic::new(&codes::BAD_TEST, "an expectation is an amount or a percentage")
        .primary(span, "expected e.g. `7400.00 USD` or `100%`")
}

/// An expectation of an attainment (`attainment`) or a payout line (`name`) whose value is not in
/// its unit: a percentage for an attainment, money in the plan's `currency` for a line.
pub(crate) fn expectation_of_another_unit(
    name: &str,
    attainment: bool,
    value: &ast::Value,
    currency: Option<&str>,
) -> Diagnostic {
    let written = match &value.literal.value {
        LiteralValue::Money { .. } => "an amount of money",
        LiteralValue::Percent(_) => "a percentage",
        _ => "a bare number",
    };
    let (what, wanted, example) = if attainment {
        ("an attainment", "a percentage".to_string(), "100%".to_string())
    } else {
        let wanted = currency.map_or("money".to_string(), |c| format!("money in {c}"));
        ("a payout line", wanted, format!("7400.00 {}", currency.unwrap_or("USD")))
    };
    Diagnostic::new(&codes::BAD_TEST, format!("`{name}` is {what}: expect {wanted}, not {written}"))
        .primary(value.span, format!("expected {wanted}"))
        .help(format!("write e.g. `{example}`"))
}
