//! Problems of applying a table where a plan uses it (`check/table_apply.rs`, `check/table_bands.rs`):
//! alone or to a base, per deal, in order on a running total, or on an earning's own total.

use crate::ast::{Ident, Scope, Span, TableMode};
use crate::check::expr::Rows;
use crate::diagnostics::{codes, Diagnostic};
use crate::model;
use crate::types::Ty;

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
