//! A rep's statements put together from the payroll's rows (the rep's report) and what was read of
//! each period ([`super::Reading`]): the lines with a sentence each, the deals with each line's
//! part, the holds, the attainments and the year so far. Amounts are formatted here, once.

use super::{Allocation, Reading};
use crate::eval::{AttainmentRow, Component, PayoutRow, Report};
use crate::num::{grouped, show_percent, Ratio};
use rust_decimal::Decimal;

/// One statement: a rep's pay period under a plan, every value ready to print.
#[derive(Clone, Debug)]
pub struct Statement {
    /// The rep's id.
    pub rep: String,
    /// The rep's name, or the id when the data has none.
    pub name: String,
    /// The plan's name, title and version.
    pub plan: String,
    /// The plan's title.
    pub title: String,
    /// The version in effect.
    pub version: u32,
    /// The period's name.
    pub period: String,
    /// Its first and last days, ISO.
    pub dates: (String, String),
    /// The plan's currency.
    pub currency: String,
    /// Whether the period was paid as the ledger records it.
    pub closed: bool,
    /// The payout lines, as `payouts.csv` has them, in its order.
    pub lines: Vec<LineView>,
    /// The `total` row's amount (exact, for the index's payroll total).
    pub total: Decimal,
    /// The same, grouped with its currency.
    pub total_text: String,
    /// The deals credited in the period.
    pub deals: Vec<DealView>,
    /// Whether a deal of the period was converted from another currency (the column is shown).
    pub converted: bool,
    /// The lines split across deals: name, how, and their sum (the line), in the columns' order.
    pub split: Vec<(String, &'static str, String)>,
    /// Parts held this period and released: when, and how much.
    pub held: Vec<(String, String)>,
    /// Parts released this period.
    pub released: Vec<(String, String)>,
    /// Each attainment of the period.
    pub attainments: Vec<AttainmentView>,
    /// The plan year so far, period by period up to this one.
    pub year: Vec<YearRow>,
    /// The plan's payout curves, with the rep's position.
    pub curves: Vec<super::PayoutCurve>,
}

/// A payout line with what it is.
#[derive(Clone, Debug)]
pub struct LineView {
    /// The component, as `payouts.csv` names it.
    pub component: String,
    /// The amount with its currency, grouped (`12,900.00 USD`).
    pub amount: String,
    /// What the line is, in one sentence.
    pub sentence: String,
    /// Whether this is the `total` row.
    pub total: bool,
}

/// A deal of the period with its part of each split line.
#[derive(Clone, Debug)]
pub struct DealView {
    /// The deal's id, and `reversed` for a reversal.
    pub id: String,
    /// The day it is credited on.
    pub date: String,
    /// The credited amount in the plan currency.
    pub amount: String,
    /// For a converted deal: its own amount and the rate.
    pub original: String,
    /// How the rep is credited.
    pub kind: String,
    /// The rep's share.
    pub share: String,
    /// Its part of each split line, in the order of [`Statement::split`] (empty when none).
    pub parts: Vec<String>,
}

/// An attainment of the period.
#[derive(Clone, Debug)]
pub struct AttainmentView {
    /// The attainment's name.
    pub name: String,
    /// The measure it divides.
    pub measure: String,
    /// The measure's value.
    pub value: String,
    /// The quota.
    pub quota: String,
    /// The attainment in percent, as `attainment.csv` has it (`100.00%`).
    pub percent: String,
    /// The percent as a number (for the gauge).
    pub exact: Decimal,
    /// How much more of the measure reaches the next band of the plan's tables
    /// (`150,000.00 USD more bookings reach 150%`), when there is one above.
    pub next: Option<String>,
}

/// A period of the plan year so far.
#[derive(Clone, Debug)]
pub struct YearRow {
    /// The period's name.
    pub period: String,
    /// What it paid (its `total` row).
    pub paid: Decimal,
    /// What its earnings' lines add up to.
    pub earned: Decimal,
    /// Its first attainment in percent, if it has one.
    pub attainment: Option<Decimal>,
    /// What it paid, what it earned and its attainment, as the page shows them.
    pub shown: (String, String, String),
}

/// The statements of one rep: one per reading marked to be shown (`shown`), from the rows of the
/// rep's report (every period of the plan year read, so that the year so far can be drawn).
pub fn statements(report: &Report, readings: &[Reading], shown: &dyn Fn(&Reading) -> bool) -> Vec<Statement> {
    let payouts: Vec<&PayoutRow> = report.payouts().collect();
    let attainment: Vec<&AttainmentRow> = report.attainment().collect();
    let mut out = Vec::new();
    for r in readings.iter().filter(|r| shown(r)) {
        let rows: Vec<&PayoutRow> = payouts.iter().copied().filter(|p| same(p, r)).collect();
        if rows.is_empty() {
            continue;
        }
        let att: Vec<&AttainmentRow> =
            attainment.iter().copied().filter(|a| *a.period == *r.period && *a.plan == *r.plan).collect();
        out.push(statement(r, &rows, &att, year_so_far(r, readings, &payouts, &attainment)));
    }
    out
}

fn same(p: &PayoutRow, r: &Reading) -> bool {
    *p.period == *r.period && *p.plan == *r.plan
}

fn statement(r: &Reading, rows: &[&PayoutRow], att: &[&AttainmentRow], year: Vec<YearRow>) -> Statement {
    let money = |d: Decimal| format!("{} {}", grouped(d), r.currency);
    let lines = rows
        .iter()
        .map(|p| LineView {
            component: p.component.to_string(),
            amount: format!("{} {}", grouped(p.amount), p.currency),
            sentence: sentence(&p.component, p.amount, r),
            total: p.component == Component::Total,
        })
        .collect();
    let total = rows.iter().find(|p| p.component == Component::Total).map_or(Decimal::ZERO, |p| p.amount);
    // A line is a column of the deals table when it has parts (a per-deal line of no deal has none).
    let split: Vec<&super::Parts> =
        r.parts.iter().filter(|p| p.how != Allocation::None && !p.parts.is_empty()).collect();
    let deals = r
        .deals
        .iter()
        .enumerate()
        .map(|(i, d)| DealView {
            id: if d.reversal { format!("{} reversed", d.id) } else { d.id.clone() },
            date: d.date.to_string(),
            amount: money(padded(d.amount, r.decimals)),
            original: original(d, &r.currency, r.decimals),
            kind: d.kind.clone(),
            share: show_percent(Ratio::from_decimal(d.share)),
            parts: split
                .iter()
                .map(|p| p.parts.iter().find(|(at, _)| *at == i).map_or_else(String::new, |(_, a)| money(*a)))
                .collect(),
        })
        .collect();
    let line_of = |name: &str| rows.iter().find(|p| p.component.name() == name).map_or(Decimal::ZERO, |p| p.amount);
    Statement {
        rep: r.rep.clone(),
        name: r.rep_name.clone().unwrap_or_else(|| r.rep.clone()),
        plan: r.plan.clone(),
        title: r.title.clone(),
        version: r.version,
        period: r.period.clone(),
        dates: (r.start.to_string(), r.end.to_string()),
        currency: r.currency.clone(),
        closed: r.closed,
        lines,
        total,
        total_text: money(total),
        converted: r.deals.iter().any(|d| d.original.is_some()),
        deals,
        split: split.iter().map(|p| (p.earning.clone(), how(p.how), money(line_of(&p.earning)))).collect(),
        held: r.held.iter().map(|m| (m.due.clone(), money(m.amount))).collect(),
        released: r.released.iter().map(|m| (m.due.clone(), money(m.amount))).collect(),
        attainments: att.iter().map(|a| attainment_view(a, r, &money)).collect(),
        year,
        curves: r.curves.clone(),
    }
}

/// An amount of the data shown with at least the plan's decimals (`-30000` as `-30,000.00`).
fn padded(d: Decimal, decimals: u32) -> Decimal {
    let mut out = d;
    if out.scale() < decimals {
        out.rescale(decimals);
    }
    out
}

fn how(how: Allocation) -> &'static str {
    match how {
        Allocation::PerDeal => "paid deal by deal",
        Allocation::ByCredit => "shared by credited amount",
        Allocation::None => "",
    }
}

/// A converted deal's own amount and the rate it was converted at, to 4 places (`10,000.00 EUR at
/// 1.085 USD/EUR (2026-03-05)`); the rate is the credited amount over the deal's own share of it, as shown.
fn original(d: &super::Deal, currency: &str, decimals: u32) -> String {
    let Some((raw, own, day)) = &d.original else { return String::new() };
    let rate = raw
        .checked_mul(d.share)
        .filter(|base| !base.is_zero())
        .and_then(|base| d.amount.checked_div(base))
        .map(|r| r.abs().round_dp_with_strategy(4, rust_decimal::RoundingStrategy::MidpointAwayFromZero));
    match rate {
        Some(rate) => {
            format!("{} {own} at {} {currency}/{own} ({day})", grouped(padded(*raw, decimals)), rate.normalize())
        }
        None => format!("{} {own} ({day})", grouped(padded(*raw, decimals))),
    }
}

fn attainment_view(a: &AttainmentRow, r: &Reading, money: &dyn Fn(Decimal) -> String) -> AttainmentView {
    // A count (meetings) is a number, not money: shown as `attainment.csv` has it, without a currency.
    let (value_money, quota_money) =
        r.money.iter().find(|(name, ..)| **name == *a.attainment).map_or((true, true), |(_, v, q)| (*v, *q));
    let number = |d: Decimal| grouped(d);
    let shown = |d: Decimal, is_money: bool| if is_money { money(d) } else { number(d) };
    AttainmentView {
        name: a.attainment.to_string(),
        measure: a.measure.to_string(),
        value: shown(a.value, value_money),
        quota: shown(a.quota, quota_money),
        percent: format!("{}%", a.percent),
        exact: a.percent,
        next: next_band(a, r).map(|(more, at)| {
            let at = at.checked_mul(Decimal::ONE_HUNDRED).unwrap_or(at).normalize();
            format!("{} more {} reach {at}%", shown(more, value_money), a.measure)
        }),
    }
}

/// The next band above the attainment (its value and quota as `attainment.csv` has them) and how much more of the
/// measure reaches it: the band's start times the quota, less the value, rounded up to the plan's
/// decimals (so that it is enough).
fn next_band(a: &AttainmentRow, r: &Reading) -> Option<(Decimal, Decimal)> {
    let (_, bands) = r.bands.iter().find(|(name, _)| **name == *a.attainment)?;
    // Where the attainment is, from the value and the quota rather than the percent rounded to two
    // places (99.996% is not yet 100%).
    let now = a.value.checked_div(a.quota)?;
    let next = *bands.iter().find(|b| **b > now)?;
    let more = next.checked_mul(a.quota)?.checked_sub(a.value)?;
    let more = more.round_dp_with_strategy(r.decimals, rust_decimal::RoundingStrategy::ToPositiveInfinity);
    (more.is_sign_positive() && !more.is_zero()).then_some((padded(more, r.decimals), next))
}

/// The periods of the reading's plan year up to its own, each with what it paid and earned.
fn year_so_far(r: &Reading, readings: &[Reading], payouts: &[&PayoutRow], att: &[&AttainmentRow]) -> Vec<YearRow> {
    let mut periods: Vec<&Reading> =
        readings.iter().filter(|o| o.plan == r.plan && o.year == r.year && o.last <= r.last).collect();
    periods.sort_by_key(|o| o.last);
    periods
        .iter()
        .map(|o| {
            let rows = payouts.iter().filter(|p| same(p, o));
            let mut paid = Decimal::ZERO;
            let mut earned = Decimal::ZERO;
            for p in rows {
                match p.component {
                    Component::Total => paid = p.amount,
                    Component::Earning(_) => earned = earned.checked_add(p.amount).unwrap_or(earned),
                    _ => {}
                }
            }
            let attainment = att.iter().find(|a| *a.period == *o.period && *a.plan == *o.plan).map(|a| a.percent);
            let shown = (
                format!("{} {}", grouped(paid), r.currency),
                format!("{} {}", grouped(earned), r.currency),
                attainment.map_or_else(|| "–".to_string(), |a| format!("{a}%")),
            );
            YearRow { period: o.period.clone(), paid, earned, attainment, shown }
        })
        .collect()
}

/// What a payout line is, in one sentence.
fn sentence(c: &Component, amount: Decimal, r: &Reading) -> String {
    match c {
        Component::Earning(name) => match r.bound.iter().find(|(b, _)| **b == **name) {
            Some((_, limit)) => {
                format!("What the plan's earning “{name}” pays this period, limited by {limit} of the plan.")
            }
            None => format!("What the plan's earning “{name}” pays this period."),
        },
        Component::Draw(_) if r.advances.iter().any(|a| a == c.name()) => {
            "An advance paid on top of your earnings.".into()
        }
        Component::Draw(_) => "Paid on top of your earnings to bring this period up to the plan's guaranteed amount.".into(),
        Component::Recovery => "Taken back from your earnings against the balance you owe (earlier draws).".into(),
        Component::Deferred => {
            "A negative result is not taken from your pay now: it is owed, and recovered from later earnings.".into()
        }
        Component::Hold => "Part of your earnings held back; it is paid when it falls due (see below).".into(),
        Component::Release => "Earnings held in an earlier period that fall due now.".into(),
        Component::Adjustment => {
            "A correction to a closed period: what it earns now minus what was recorded as earned.".into()
        }
        Component::Total => "What this period pays you.".into(),
        Component::Balance if amount.is_zero() => {
            "Your balance owed is cleared: you owe nothing after this period.".into()
        }
        Component::Balance => "What you still owe after this period, recovered from later earnings.".into(),
        Component::Held if amount.is_zero() => "Nothing is held for you any more: everything held has been paid.".into(),
        Component::Held => {
            "Money you have earned that is held for you after this period: it is paid when it falls due, and is not part of this period's total.".into()
        }
    }
}
