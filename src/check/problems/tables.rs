//! Problems of a plan's tables: their keys, values and rows (`tables.rs`), the lints on their
//! values (`table_lints.rs`), and applying one where a plan uses it (`table_apply.rs`).

use crate::ast::{self, Ident, Scope, Span, TableMode};
use crate::check::expr::Rows;
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

/// A table keyed on a column of a row (`needed`) used where no such row is at hand.
pub(crate) fn keyed_on_a_row_not_at_hand(name: &Ident, needed: Rows, schema: &model::Schema) -> Diagnostic {
    let what = match needed {
        Rows::Table(t) => format!("a row of `{}`", schema.tables[t].name),
        _ => "a deal".to_string(),
    };
    let name_text = &name.text;
    Diagnostic::new(&codes::WRONG_KIND, format!("the table `{name_text}` is keyed on a column of {what}"))
        .primary(name.span, format!("no {what} is at hand here"))
        .help(format!("use it for each row, in a measure: `measure m = sum of {name_text} …`"))
}

/// What a table of amounts can be made of, for the help of a table used the wrong way.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum AmountsHelp {
    /// A table of rates: applied to an amount, or (retroactive, linear, lookup) used alone.
    Rates,
    /// A marginal or retroactive table of amounts keyed on a count: amounts per unit of it.
    PerUnit,
    /// A marginal table of amounts keyed on something that is not a count: it has no units to pay.
    NoUnits,
    /// A linear or lookup table of amounts: its value is used as it is.
    Alone,
}

/// A marginal table used alone, without the base it pays slices of.
pub(crate) fn marginal_without_a_base(name: &Ident, kind: AmountsHelp, count: Option<&str>) -> Diagnostic {
    let table = &name.text;
    let d = Diagnostic::new(&codes::WRONG_KIND, format!("the marginal table `{table}` pays slices of a base"))
        .primary(name.span, "which base?");
    match (kind, count) {
        (AmountsHelp::PerUnit, Some(count)) => d.help(format!(
            "its values are amounts per unit: apply it to the count it is keyed on, `{table} of {count}`"
        )),
        (AmountsHelp::NoUnits, _) => d.help(
            "a marginal table keyed on an attainment or an amount pays rates on slices of its measure: write its \
             values as rates (`4%`) and apply it (`T of bookings ytd`); amounts per unit need a count as the key \
             (`on orders`, a measure that counts)",
        ),
        _ => d.help(format!("apply it: `{table} of MEASURE SCOPE`")),
    }
}

/// A table keyed on a measure without a scope, used alone: its key has no window.
pub(crate) fn unscoped_key_alone(name: &Ident) -> Diagnostic {
    Diagnostic::new(&codes::SCOPE_MISUSE, format!("the table `{}` is keyed on a measure without a scope", name.text))
        .primary(name.span, "in which window is its key read?")
        .help("give the key a scope (`on bookings ytd`), or apply the table to a base (`T of bookings ytd`)")
}

/// A table keyed on a measure without a scope, applied to a base that is not a measure in a scope.
pub(crate) fn unscoped_key_on_a_computed_base(name: &Ident) -> Diagnostic {
    Diagnostic::new(&codes::SCOPE_MISUSE, format!("the table `{}` is keyed on a measure without a scope", name.text))
        .primary(name.span, "its base is not a measure in a scope: in which window is its key read?")
        .help("give the key a scope: `table … on bookings ytd`")
}

/// A table of amounts applied to a base that is not a count it can pay per unit of.
pub(crate) fn amounts_applied_to_a_base(
    name: &Ident,
    kind: AmountsHelp,
    base: Span,
    count: Option<&str>,
) -> Diagnostic {
    let table = &name.text;
    if kind == AmountsHelp::PerUnit {
        let count = count.unwrap_or("COUNT SCOPE");
        return Diagnostic::new(&codes::WRONG_KIND, format!("the table `{table}` pays amounts per unit of a count"))
            .primary(base, "not a count")
            .help(format!("apply it to the count it is keyed on: `{table} of {count}`"));
    }
    let d = Diagnostic::new(&codes::WRONG_KIND, format!("the table `{table}` pays amounts, not rates"));
    match kind {
        AmountsHelp::NoUnits => d.primary(name.span, "cannot be applied to a base").help(
            "a marginal table keyed on an attainment or an amount pays rates on slices of its measure: write its \
             values as rates (`4%`); amounts per unit need a count as the key (`on orders`, a measure that counts)",
        ),
        _ => d
            .primary(name.span, "cannot be applied to a base")
            .help(format!("use its value directly: `earn … = {table}`")),
    }
}

/// A lookup of rates and amounts used alone: its rate rows need an amount to be a rate of.
pub(crate) fn rates_and_amounts_alone(name: &Ident) -> Diagnostic {
    let table = &name.text;
    Diagnostic::new(&codes::WRONG_KIND, format!("the table `{table}` pays rates on some rows and amounts on others"))
        .primary(name.span, "a rate of what?")
        .help(format!(
            "apply it to the line's amount: `{table} of credit.amount per deal` pays a rate row's rate of the \
             amount and an amount row's amount for the line"
        ))
}

/// A lookup of rates and amounts applied to something that is not an amount in the plan's
/// currency: its amount rows would be added to a base of another kind.
pub(crate) fn rates_and_amounts_of_another_base(
    name: &Ident,
    base_ty: &Ty,
    base: Span,
    plan: Option<Ty>,
) -> Diagnostic {
    let table = &name.text;
    let expected = plan.map_or("an amount in the plan's currency".to_string(), |ty| format!("{ty}"));
    Diagnostic::new(
        &codes::TYPE_MISMATCH,
        format!("the table `{table}` pays rates and amounts, so it applies to {expected}, but this is {base_ty}"),
    )
    .primary(base, format!("expected {expected}"))
    .help("its amount rows are paid in the plan's currency: apply it to an amount in that currency (`credit.amount`)")
}

/// A table's rate applied to something that is not an amount.
pub(crate) fn table_rate_of_a_non_amount(ty: &Ty, span: Span) -> Diagnostic {
    Diagnostic::new(&codes::TYPE_MISMATCH, format!("a table's rate applies to an amount, but this is {ty}"))
        .primary(span, "expected an amount")
}

/// How a marginal table's base differs from the measure its key is made of.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum BaseMismatch {
    /// Another measure, or an expression.
    OtherMeasure,
    /// The same measure, read in another window (`total period` for a key on `total ytd`).
    OtherWindow,
}

/// What a marginal table's key is: an attainment (its bands are slices of its measure between
/// multiples of the quota) or a measure (its bands are slices of the measure itself).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeyedOn {
    /// An attainment.
    Attainment,
    /// A measure.
    Measure,
}

/// A marginal table applied to another base than the measure its key is made of (`expected`: that
/// measure's name, and the scope its key reads it in).
pub(crate) fn marginal_base_mismatch(
    name: &Ident,
    span: Span,
    expected: Option<(&str, Option<Scope>)>,
    mismatch: BaseMismatch,
    keyed_on: KeyedOn,
) -> Diagnostic {
    let label = match mismatch {
        BaseMismatch::OtherMeasure => "not the measure its key is made of",
        BaseMismatch::OtherWindow => "its key's measure, but in another window",
    };
    let d = Diagnostic::new(
        &codes::MARGINAL_BASE_MISMATCH,
        format!("the marginal table `{}` cannot slice this base", name.text),
    )
    .primary(span, label);
    let Some((measure, scope)) = expected else { return d };
    let expected = match scope {
        Some(s) => format!("{measure} {}", s.keyword()),
        None => measure.to_string(),
    };
    let d = d.help(format!("apply it to its key's measure: `{} of {expected}`", name.text));
    match keyed_on {
        KeyedOn::Attainment => d.note(
            "a marginal band [a, b) pays its rate on the slice of the attainment's measure between a × quota and b × quota",
        ),
        KeyedOn::Measure => d.note(format!(
            "a marginal band [a, b) pays its rate on the slice of `{expected}` between a and b: another window has other slices"
        )),
    }
}

/// A table keyed on one credit's amount, used where no single deal is paid: a measure, a plain
/// earning, a bonus, a cap or a gate.
/// `rates` says whether the table pays rates (applied to the amount) or amounts (used alone).
pub(crate) fn per_deal_table_outside_a_per_deal_earning(name: &Ident, rates: bool) -> Diagnostic {
    let table = &name.text;
    let amount = if rates { format!("{table} of credit.amount") } else { table.clone() };
    Diagnostic::new(&codes::PER_DEAL_TABLE, format!("the table `{table}` tiers each deal on its own amount"))
        .primary(name.span, "used outside a per-deal earning")
        .help(format!("use it in the amount of a per-deal earning: `earn commission = {amount} per deal`"))
        .note("a table keyed on `credit.amount` has a value for one deal at a time, paid once and taken back once")
}

/// A marginal table keyed on one credit's amount, applied to another base than that amount.
pub(crate) fn marginal_deal_base_mismatch(name: &Ident, span: Span) -> Diagnostic {
    Diagnostic::new(
        &codes::MARGINAL_BASE_MISMATCH,
        format!("the marginal table `{}` cannot slice this base", name.text),
    )
    .primary(span, "not the credit's amount its key is")
    .help(format!("apply it to the amount it is keyed on: `{} of credit.amount`", name.text))
    .note("a marginal band [a, b) pays its rate on the slice of the deal's amount between a and b")
}

/// A marginal table keyed on a measure or an attainment, applied to one credit's amount where no
/// single deal is paid: deals are paid in order only in a per-deal earning.
pub(crate) fn in_order_outside_a_per_deal_earning(name: &Ident, span: Span) -> Diagnostic {
    let table = &name.text;
    Diagnostic::new(
        &codes::IN_ORDER_OUTSIDE_PER_DEAL,
        format!("the table `{table}` applied to `credit.amount` pays deals in order"),
    )
    .primary(span, "one credit's amount, outside a per-deal earning")
    .help(format!("pay each deal its slices in a per-deal earning: `earn commission = {table} of credit.amount per deal`"))
    .note("each deal fills the slices its amount passes through as the running total the table is keyed on grows, deal by deal in credit-date order")
}

/// Deals paid in order on a table whose key's measure is not a sum of `credit.amount` over credit
/// rows: `measure` names it, `what` says what it is instead.
pub(crate) fn running_total_not_credit(name: &Ident, span: Span, measure: &str, what: &str) -> Diagnostic {
    Diagnostic::new(
        &codes::RUNNING_TOTAL_NOT_CREDIT,
        format!("the table `{}` cannot pay deals in order on `{measure}`", name.text),
    )
    .primary(span, "each deal's amount is laid on the table's running total")
    .help(format!("key the table on a measure that sums `credit.amount` (`measure bookings = sum of credit.amount where …`); `{measure}` is {what}"))
    .note("a deal fills the slices of the running total from where the deals before it left it, so the total must be made of credit amounts")
}

/// A band's value names something that is not a lookup table of rates keyed on a column of the
/// deal or of the rep; `why` says what it is.
pub(crate) fn band_value_not_a_rate_lookup(value: &Ident, table: &Ident, why: &str) -> Diagnostic {
    Diagnostic::new(
        &codes::BAND_VALUE_NOT_A_RATE_LOOKUP,
        format!("a band of `{}` cannot take its rate from `{}`", table.text, value.text),
    )
    .primary(value.span, format!("`{}` is {why}", value.text))
    .help("name a lookup table of rates keyed on a deal column (`table product_rate lookup on deal.product { \"Platform\" : 10%  otherwise : 6% }`), or write the rate")
    .note("a band whose rate differs by deal reads the lookup's row for each deal it pays")
}

/// A table with a band whose rate a lookup reads for each deal, used where no deal is at hand.
pub(crate) fn band_rate_without_a_deal(name: &Ident, lookup: &str) -> Diagnostic {
    let table = &name.text;
    Diagnostic::new(&codes::WRONG_KIND, format!("a band of `{table}` takes its rate from `{lookup}`, for each deal"))
        .primary(name.span, "no deal is at hand here")
        .help(format!("use it in a per-deal earning: `earn commission = {table} of credit.amount per deal`"))
        .note(format!("`{lookup}` is keyed on a column of the deal: its rate exists only for one deal at a time"))
}

/// A table keyed on an earning's own total, used anywhere but in that per-deal earning's amount.
pub(crate) fn own_total_elsewhere(name: &Ident, owner: &str) -> Diagnostic {
    let table = &name.text;
    Diagnostic::new(&codes::OWN_TOTAL_ELSEWHERE, format!("the table `{table}` is keyed on what `{owner}` has paid"))
        .primary(name.span, format!("used outside the amount of `{owner}`"))
        .help(format!("apply it as the whole amount of `{owner}`, paid per deal: `earn {owner} = {table} of credit.amount per deal`"))
        .note(format!("`{owner}` fills the table deal by deal, each deal from where the deals before it left its total: no other definition has that total"))
}

/// The amount of a per-deal earning applies a table keyed on the earning's own total, but is not
/// that application alone.
pub(crate) fn own_total_not_the_whole_amount(table: &str, earning: &str, span: Span) -> Diagnostic {
    Diagnostic::new(&codes::OWN_TOTAL_ELSEWHERE, format!("`{earning}` is tiered on its own total by `{table}`, inside a larger amount"))
        .primary(span, format!("`{table} of …` must be the whole amount"))
        .help(format!("write the amount as `{table} of BASE per deal`, with whatever the deal's base is (`credit.amount`, or an expression of it)"))
        .note("the earning's total is what the table pays, deal by deal: anything added around it would leave the total and the payout apart")
}

/// A table keyed on an earning's own total that is not marginal.
pub(crate) fn own_total_not_marginal(mode: (TableMode, Span), earning: &str, key: Span) -> Diagnostic {
    Diagnostic::new(&codes::TABLE_KEY, format!("a table keyed on what `{earning}` has paid is marginal"))
        .primary(key, "the earning's own total")
        .secondary(mode.1, format!("`{}` table", mode.0.keyword()))
        .help("write `marginal`: each deal fills the room of each band at its rate, from where the deals before it left the total")
}

/// A table keyed on what an earning has paid over the whole plan year (`on company year`): the
/// total is read so far, like a measure.
pub(crate) fn earning_total_per_year(earning: &str, span: Span) -> Diagnostic {
    Diagnostic::new(&codes::SCOPE_MISUSE, format!("what `{earning}` has paid is read `period`, `quarter` or `ytd`"))
        .primary(span, "not a scope a total paid so far is read in")
        .help(format!("`{earning} ytd` is what it has paid from the start of the plan year, deal by deal"))
}
