//! Problems of a plan's tables: their keys, values and rows (`tables.rs`) and the lints on their
//! values (`table_lints.rs`); applying one where a plan uses it is `table_apply.rs`'s.

use crate::ast::{self, Ident, Span, TableMode};
use crate::check::tables::Unit;
use crate::diagnostics::{codes, Diagnostic};
use crate::model;
use crate::types::Ty;
use rust_decimal::Decimal;

/// A unit as a sentence names it: "a percentage", "an amount in USD", "a number".
fn describe(unit: &Unit) -> String {
    match unit {
        Unit::Percent => "a percentage".to_string(),
        Unit::Money(c) => format!("an amount in {c}"),
        Unit::Number => "a number".to_string(),
    }
}

/// A table with no rows.
pub(crate) fn table_without_rows(name: &Ident) -> Diagnostic {
    Diagnostic::new(&codes::EMPTY_TABLE, format!("the table `{}` has no rows", name.text))
        .primary(name.span, "empty table")
}

/// A value of another unit than the table's first value. `mixes` when the table is a lookup keyed
/// on a column of the row at hand, which may pay rates on some rows and amounts on others.
pub(crate) fn mixed_values(unit: &Unit, span: Span, first: &Unit, first_span: Span, mixes: bool) -> Diagnostic {
    let help = if mixes {
        "a lookup keyed on a column of the deal may pay a rate on some rows and an amount on others \
         (`\"Services\" : 15%`, `\"Hardware\" : 20 USD`), but not plain numbers"
    } else {
        "a table pays rates or amounts, not both; only a lookup keyed on a column of the deal \
         (`lookup on deal.product`) may pay a rate on some rows and an amount on others"
    };
    Diagnostic::new(
        &codes::MIXED_TABLE_VALUES,
        format!("this value is {}, but the table's first value is {}", describe(unit), describe(first)),
    )
    .primary(span, describe(unit))
    .secondary(first_span, describe(first))
    .help(help)
}

/// A table paying amounts in another currency than the plan pays in.
pub(crate) fn table_in_another_currency(currency: &str, plan_currency: &str, span: Span) -> Diagnostic {
    Diagnostic::new(
        &codes::CURRENCY_MISMATCH,
        format!("the table pays {currency}, but the plan pays in {plan_currency}"),
    )
    .primary(span, format!("money ({currency})"))
}

/// A table keyed on something that is neither an attainment, a measure, one credit's amount nor
/// text: an amount or a number computed from the rep's columns, a date, a condition.
pub(crate) fn unkeyable(ty: &Ty, span: Span) -> Diagnostic {
    let help = match ty {
        Ty::Money(_) => {
            "an amount keys a tier table when it is a measure (`on bookings ytd`) or one credit's amount \
             (`on credit.amount`, used in a per-deal earning); `deal.amount` is in the deal's own currency, \
             `credit.amount` is what was credited"
        }
        _ => {
            "key tier tables on an attainment (`on att`), a measure (`on bookings ytd`) or one credit's amount \
              (`on credit.amount`), lookup tables on a column of text, a condition or a number (`on deal.product`, \
              `on deal.new_logo`, `on rep.level`)"
        }
    };
    Diagnostic::new(&codes::TABLE_KEY, "a table is keyed on an attainment, a measure, one credit's amount or text")
        .primary(span, format!("this key is {ty}, and none of these"))
        .help(help)
}

/// A lookup table keyed on an amount, or a tier or curve table keyed on text.
pub(crate) fn key_does_not_suit_mode(mode: (TableMode, Span), ty: &Ty, key: Span) -> Diagnostic {
    let message = if mode.0 == TableMode::Lookup {
        "a lookup table is keyed on a column of text, a condition or a number, not an amount or a measure"
    } else {
        "a tier or curve table is keyed on an attainment, a measure or one credit's amount"
    };
    Diagnostic::new(&codes::TABLE_KEY, message)
        .primary(key, format!("this key is {ty}"))
        .secondary(mode.1, format!("`{}` table", mode.0.keyword()))
}

/// The bounds of a table's bands or points that are in another unit than its key, reported once
/// for the table: the first where it is, the others beside it.
pub(crate) fn bounds_of_another_unit(table: &Ident, key: &Unit, bounds: &[(Unit, Span)]) -> Diagnostic {
    let help = match key {
        Unit::Percent => "bounds of a table keyed on an attainment are percentages: `from 0% to 50%`".to_string(),
        Unit::Money(c) => format!("bounds of a table keyed on an amount are amounts: `from 0 {c} to 10000 {c}`"),
        Unit::Number => "bounds of a table keyed on a count are numbers".to_string(),
    };
    let Some(((first_unit, first), rest)) = bounds.split_first() else {
        return Diagnostic::new(&codes::MIXED_TABLE_VALUES, "a bound is not in the unit of the key").help(help);
    };
    let plural = |unit: &Unit| match unit {
        Unit::Percent => "percentages".to_string(),
        Unit::Money(c) => format!("amounts in {c}"),
        Unit::Number => "numbers".to_string(),
    };
    let message = if rest.is_empty() {
        format!("this bound of `{}` is {}, but its key is {}", table.text, describe(first_unit), describe(key))
    } else if rest.iter().all(|(unit, _)| unit == first_unit) {
        let n = rest.len().saturating_add(1);
        format!("{n} bounds of `{}` are {}, but its key is {}", table.text, plural(first_unit), describe(key))
    } else {
        let n = rest.len().saturating_add(1);
        format!("{n} bounds of `{}` are not {}, the unit of its key", table.text, plural(key))
    };
    let mut d = Diagnostic::new(&codes::MIXED_TABLE_VALUES, message)
        .primary(*first, format!("{}: wrong kind of bound", describe(first_unit)));
    for (unit, span) in rest {
        d = d.secondary(*span, describe(unit));
    }
    d.help(help)
}

/// A row of another form than the table's mode has (a point in a tier table, say).
pub(crate) fn row_of_another_form(mode: (TableMode, Span), span: Span) -> Diagnostic {
    let expected = match mode.0 {
        TableMode::Marginal | TableMode::Retroactive => "bands (`from A to B : RATE`, `A and above : RATE`)",
        TableMode::Linear => "points (`at A : VALUE`)",
        TableMode::Lookup => "keys (`\"Platform\" : 8%`, `otherwise : 5%`)",
    };
    let mode_word = mode.0.keyword();
    Diagnostic::new(&codes::ROW_FORM_MISMATCH, format!("a {mode_word} table has {expected}"))
        .primary(span, "this row has another form")
        .secondary(mode.1, format!("the table is `{mode_word}`"))
}

/// A band that ends where it starts, or before.
pub(crate) fn empty_band(span: Span) -> Diagnostic {
    Diagnostic::new(&codes::BANDS_OUT_OF_ORDER, "this band ends where it starts, or before")
        .primary(span, "an empty band")
}

/// A band that starts below the band before it.
pub(crate) fn bands_out_of_order(span: Span, previous: Span) -> Diagnostic {
    Diagnostic::new(&codes::BANDS_OUT_OF_ORDER, "the bands are out of order")
        .primary(span, "this band starts below the band before it")
        .secondary(previous, "previous band")
        .help("list the bands from the lowest to the highest")
}

/// A first band that starts above zero (`key` is the unit of the table's key).
pub(crate) fn first_band_not_zero(key: Option<&Unit>, span: Span) -> Diagnostic {
    let zero = match key {
        Some(Unit::Money(c)) => format!("0 {c}"),
        Some(Unit::Number) => "0".to_string(),
        _ => "0%".to_string(),
    };
    Diagnostic::new(&codes::FIRST_BAND_NOT_ZERO, "the first band does not start at zero")
        .primary(span, "values below this have no rate")
        .help(format!("start the table at {zero}; add a band at a 0% rate if nothing is paid below this bound"))
}

/// A band after the open top band (`… and above`), which is never reached.
pub(crate) fn band_after_the_open_top(span: Span, previous: Span) -> Diagnostic {
    Diagnostic::new(&codes::BANDS_OUT_OF_ORDER, "a band follows the open top band")
        .primary(span, "never reached")
        .secondary(previous, "this band already covers everything above its start")
        .help("the band `… and above` must be the last")
}

/// A band that starts above where the previous one ends; `counted` when the key is a count and
/// the gap is one unit, as "1–100, 101–300" writes it.
pub(crate) fn band_gap(from: Span, previous: Span, counted: bool) -> Diagnostic {
    let d = Diagnostic::new(&codes::BAND_GAP, "there is a gap between these bands")
        .primary(from, "this band starts above where the previous one ends")
        .secondary(previous, "previous band")
        .help("start each band where the previous one ends");
    if counted {
        return d.note(
            "on a count, \"1–100, 101–300\" is written `from 0 to 100`, `from 100 to 300` in a table declared \
             `including upper bounds`: each band is `(A, B]`, so 100 falls in the first and 101 in the second",
        );
    }
    d
}

/// The open top band written `above A` in a table whose bands exclude their upper bound: A itself
/// would be in no band.
pub(crate) fn above_without_upper_bounds(span: Span) -> Diagnostic {
    Diagnostic::new(&codes::BAND_GAP, "`above` leaves the bound itself without a band")
        .primary(span, "this band excludes its start, and the band before excludes its end")
        .help(
            "write `A and above`, or declare the table `including upper bounds` so that each band \
             includes its end (`table … on … including upper bounds {`)",
        )
}

/// The open top band written `A and above` after a band that includes its upper bound A.
pub(crate) fn and_above_with_upper_bounds(span: Span, previous: Span) -> Diagnostic {
    Diagnostic::new(&codes::BAND_OVERLAP, "these bands overlap")
        .primary(span, "this band includes its start")
        .secondary(previous, "which this band includes as its upper bound")
        .help("in a table `including upper bounds`, the top band is written `above A : VALUE`")
}

/// A band that starts below where the previous one ends (`upper_included`: the table's bands
/// are `(from, to]`).
pub(crate) fn band_overlap(from: Span, previous: Span, upper_included: bool) -> Diagnostic {
    let bands = if upper_included { "(from, to]" } else { "[from, to)" };
    Diagnostic::new(&codes::BAND_OVERLAP, "these bands overlap")
        .primary(from, "this band starts below where the previous one ends")
        .secondary(previous, "previous band")
        .help(format!("start each band where the previous one ends: bands are `{bands}`"))
}

/// A last band that is closed, leaving the values above it without a rate.
pub(crate) fn no_open_top_band(span: Span) -> Diagnostic {
    Diagnostic::new(&codes::NO_OPEN_TOP_BAND, "the last band is closed: values above it have no rate")
        .primary(span, "the top band ends here")
        .help(
            "make the last band open (`150% and above : 12%`), or, when nothing is paid above it, \
             declare the table `closed` (`table … on … closed {`)",
        )
}

/// A table declaring a word its rows cannot honour (`word`), with the reason (`why`).
pub(crate) fn flag_does_not_apply(word: &str, span: Span, why: &str, help: &str) -> Diagnostic {
    Diagnostic::new(&codes::TABLE_FLAG, format!("`{word}` does not apply to this table"))
        .primary(span, why.to_string())
        .help(help.to_string())
}

/// A point of a linear table that is not above the point before it.
pub(crate) fn points_not_increasing(at: Span, previous: Span) -> Diagnostic {
    Diagnostic::new(&codes::BANDS_OUT_OF_ORDER, "the points of a linear table must increase")
        .primary(at, "not above the point before it")
        .secondary(previous, "previous point")
}

/// A linear table with fewer than two points (`count`).
pub(crate) fn too_few_points(name: &Ident, count: usize) -> Diagnostic {
    Diagnostic::new(&codes::TOO_FEW_POINTS, format!("the linear table `{}` has {count} point", name.text))
        .primary(name.span, "a curve needs two points")
        .help("add a second point, e.g. `at 150% : 10000 USD`")
}

/// A key listed twice in a lookup table.
pub(crate) fn key_listed_twice(key: &model::LookupKey, span: Span, first: Span) -> Diagnostic {
    Diagnostic::new(&codes::LOOKUP_DUPLICATE_KEY, format!("{key} is listed twice"))
        .primary(span, "listed again here")
        .secondary(first, "first listed here")
        .help("list each key once, with its one rate")
}

/// A lookup table with two `otherwise` rows.
pub(crate) fn two_otherwise_rows(span: Span, first: Span) -> Diagnostic {
    Diagnostic::new(&codes::LOOKUP_DUPLICATE_KEY, "two `otherwise` rows")
        .primary(span, "second `otherwise`")
        .secondary(first, "first `otherwise`")
}

/// A lookup row's key that is not of the kind of the table's key: it could never be matched.
pub(crate) fn lookup_key_of_another_kind(written: &ast::Value, key_ty: &Ty, key: Span) -> Diagnostic {
    let example = match key_ty {
        Ty::Bool => "`true : 10%` and `false : 5%`",
        Ty::Number | Ty::Year => "numbers, as `3 : 5%`",
        _ => "text in quotes, as `\"Platform\" : 8%`",
    };
    Diagnostic::new(&codes::MIXED_TABLE_VALUES, format!("the key {} is not {key_ty}", written.literal.raw))
        .primary(written.span, "a key no row of the data can hold")
        .secondary(key, format!("the table is keyed on {key_ty}"))
        .help(format!("the keys of this table are {example}"))
}

/// A lookup table declared `closed` that also has an `otherwise` row: one says every key is
/// listed, the other pays the keys that are not.
pub(crate) fn closed_lookup_with_otherwise(name: &Ident, closed: Span, otherwise: Span) -> Diagnostic {
    Diagnostic::new(
        &codes::LOOKUP_DUPLICATE_KEY,
        format!("the lookup table `{}` is `closed` and has an `otherwise` row", name.text),
    )
    .primary(otherwise, "pays the keys not listed")
    .secondary(closed, "says every key is listed")
    .help("keep one: `closed` (a key not listed stops the payroll run) or `otherwise : RATE`")
}

/// A lookup table without an `otherwise` row.
pub(crate) fn lookup_without_otherwise(name: &Ident) -> Diagnostic {
    Diagnostic::new(&codes::LOOKUP_NO_OTHERWISE, format!("the lookup table `{}` has no `otherwise` row", name.text))
        .primary(name.span, "a key it does not list stops the payroll run")
        .help("add `otherwise : RATE` for keys not listed, or declare the table `closed` when it lists every key the data holds")
}

/// A rate above 100%.
pub(crate) fn rate_above_100(value: &ast::Value) -> Diagnostic {
    Diagnostic::new(&codes::RATE_ABOVE_100, format!("a rate of {} pays more than the base", value.literal.raw))
        .primary(value.span, "above 100%")
        .help(
            "check the rate: 120% is often a typo for 12%; a table of multipliers (120% of a target) says so: \
             `table … on … multiplier {`",
        )
}

/// A row whose rate is lower than the row before, in a table not declared `decelerating`.
pub(crate) fn rates_go_down(table: &ast::Table, span: Span, previous: Span) -> Diagnostic {
    Diagnostic::new(&codes::RATES_GO_DOWN, format!("the rates of `{}` go down", table.name.text))
        .primary(span, "lower than the row before")
        .secondary(previous, "previous row")
        .help(format!(
            "if a decelerator is intended, declare it: `table {} {} on … decelerating {{`",
            table.name.text,
            table.mode.0.keyword()
        ))
}

/// An amount of the retroactive-cliff note: rounded to cents, half to even, grouped, with its currency.
fn money(amount: Decimal, currency: &str) -> String {
    let mut rounded = amount.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointNearestEven);
    rounded.rescale(2);
    format!("{} {currency}", crate::num::grouped(rounded))
}

/// A band of a retroactive table whose payout on the sample quota overflows exact arithmetic.
pub(crate) fn band_payout_overflows(name: &Ident, span: Span, quota: Decimal, currency: &str) -> Diagnostic {
    Diagnostic::new(&codes::OVERFLOW, format!("this band of `{}` is too large for exact arithmetic", name.text))
        .primary(span, format!("its payout on a quota of {} overflows", money(quota, currency)))
        .help("check the band's bound and rate: a rate is a percentage such as `8%`")
}

/// The jump of a retroactive table's payout where a band starts, priced on a sample quota.
pub(crate) struct Jump {
    /// Where the band starts, as a percentage of the quota.
    pub(crate) percent: Decimal,
    /// The payout base at that point.
    pub(crate) base: Decimal,
    /// The payout there at the rate of the band below.
    pub(crate) below: Decimal,
    /// The payout there at the rate of the band that starts.
    pub(crate) above: Decimal,
    /// `above - below`.
    pub(crate) jump: Decimal,
}

/// The note that a retroactive table keyed on an attainment pays the reached rate on the whole
/// base, with the jump at each boundary priced on a sample quota.
pub(crate) fn retroactive_cliff(
    name: &Ident,
    mode: Span,
    quota: Decimal,
    currency: &str,
    jumps: &[Jump],
    upper_included: bool,
) -> Diagnostic {
    let mut d = Diagnostic::new(
        &codes::RETROACTIVE_CLIFF,
        format!("`{}` pays the reached rate on the whole base: the payout jumps at each boundary", name.text),
    )
    .primary(mode, format!("priced below on a sample quota of {} (not this plan's)", money(quota, currency)));
    for j in jumps {
        d = d.note(format!(
            "{} {}% the payout on {} goes from {} to {} ({}{})",
            if upper_included { "just above" } else { "at" },
            j.percent.normalize(),
            money(j.base, currency),
            money(j.below, currency),
            money(j.above, currency),
            if j.above >= j.below { "+" } else { "" },
            money(j.jump, currency)
        ));
    }
    d.help("use `marginal` for a payout without jumps, or keep `retroactive` if the jumps are intended")
}
