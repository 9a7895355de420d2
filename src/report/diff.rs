//! Comparing two payroll runs — the base plans and the working plans on the same data — row by row:
//! what `compplan diff` prints. Pure functions from rows to a [`PayoutDiff`]; the renderers are in
//! [`render`].
//!
//! A payout row is identified by its period, rep, plan, component and currency. A row changes when
//! its amount differs (as a number: `7400.0` equals `7400.00`) or when only one side has it (a rep
//! who becomes eligible, a component a plan adds). A rep's payouts change when any of its rows
//! changes, and only then does the diff report a change.
//!
//! The money that changes is measured on the `total` rows: a total is what the period pays (the
//! earnings, plus draws, minus recoveries and deferrals), so the sum of a rep's `total` rows is
//! exactly what the rep is paid over the period asked for. Summing every component instead would
//! count each earning twice (once on its own row, once in the total) and add the `balance` owed,
//! which is not a payment. The other rows are listed to explain a total's change, the `balance` rows
//! after the rest: a balance carries one change forward period after period.

pub mod render;

use crate::eval::{AttainmentRow, Component, Name, PayoutRow, Report};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};

/// The rows of one side of a comparison, in any order.
#[derive(Clone, Debug, Default)]
pub struct Rows<'r> {
    /// Payout rows.
    pub payouts: Vec<&'r PayoutRow>,
    /// Attainment rows.
    pub attainment: Vec<&'r AttainmentRow>,
}

impl<'r> Rows<'r> {
    /// Every row of a run's report.
    pub fn of(report: &'r Report) -> Rows<'r> {
        Rows { payouts: report.payouts().collect(), attainment: report.attainment().collect() }
    }
}

/// An amount on both sides: `None` where that side has no such row, and the change, counting a
/// missing row as zero.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Amounts {
    /// The currency of the amounts.
    pub currency: Name,
    /// The amount in the base plans.
    #[serde(serialize_with = "optional")]
    pub base: Option<Decimal>,
    /// The amount in the working plans.
    #[serde(serialize_with = "optional")]
    pub working: Option<Decimal>,
    /// `working − base`.
    #[serde(serialize_with = "exact")]
    pub delta: Decimal,
}

impl Amounts {
    fn new(currency: Name, base: Option<Decimal>, working: Option<Decimal>) -> Amounts {
        let mut delta = working.unwrap_or_default() - base.unwrap_or_default();
        // At the amounts' precision: a row of `0.00` on one side changes by `0.00`, not `0`.
        let scale = base.iter().chain(&working).map(Decimal::scale).max().unwrap_or(0);
        if delta.scale() < scale {
            delta.rescale(scale);
        }
        Amounts { currency, base, working, delta }
    }
}

/// One payout row that changed.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct RowChange {
    /// The pay period.
    pub period: Name,
    /// The plan's name.
    pub plan: Name,
    /// The component (an earning, a runtime line such as `draw`, or `balance`).
    pub component: Component,
    /// Its amounts on both sides.
    #[serde(flatten)]
    pub amounts: Amounts,
}

/// A rep whose payouts change.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct RepChange {
    /// The rep's id.
    pub rep: Name,
    /// What the rep is paid over the period on each side (the sum of its `total` rows), one entry
    /// per currency, by currency.
    pub totals: Vec<Amounts>,
    /// Every other row of the rep that changed: earnings and pay lines largest change first, then
    /// the `balance` rows, largest change first.
    pub components: Vec<RowChange>,
}

impl RepChange {
    /// The largest change of the rep's pay, in any currency: what reps are ordered by.
    pub fn largest(&self) -> Decimal {
        self.totals.iter().map(|t| t.delta.abs()).max().unwrap_or_default()
    }
}

/// A measure's attainment on one side.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Attained {
    /// The measure's value.
    #[serde(serialize_with = "exact")]
    pub value: Decimal,
    /// The quota.
    #[serde(serialize_with = "exact")]
    pub quota: Decimal,
    /// The attainment in percent.
    #[serde(serialize_with = "exact")]
    pub attainment: Decimal,
}

/// An attainment row that changed: listed for explanation, it never makes payouts change.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct AttainmentChange {
    /// The pay period.
    pub period: Name,
    /// The rep's id.
    pub rep: Name,
    /// The plan's name.
    pub plan: Name,
    /// The attainment's name.
    pub attainment: Name,
    /// The base plans' attainment, if they have the row.
    pub base: Option<Attained>,
    /// The working plans' attainment, if they have the row.
    pub working: Option<Attained>,
}

/// The result of a comparison.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PayoutDiff {
    /// The reps whose payouts change: the largest change first, ties by rep id.
    pub reps: Vec<RepChange>,
    /// The whole payroll on each side (every rep's `total` rows), one entry per currency.
    pub totals: Vec<Amounts>,
    /// Attainment rows that changed, in `attainment.csv` order (period, rep, plan, measure).
    pub attainment: Vec<AttainmentChange>,
    /// How many reps have payout rows on either side.
    pub reps_compared: usize,
    /// How many distinct payout rows the two sides have.
    pub rows_compared: usize,
}

impl PayoutDiff {
    /// Whether any payout row changes: `compplan diff` then exits 2.
    pub fn changed(&self) -> bool {
        !self.reps.is_empty()
    }
}

/// A payout row's identity, rep first so that each rep's rows are together.
type RowKey = (Name, Name, Name, Component, Name);

/// An amount on each side, `None` where that side has none.
type Sides = (Option<Decimal>, Option<Decimal>);

/// Compares the base side with the working side.
pub fn compare(base: &Rows<'_>, working: &Rows<'_>) -> PayoutDiff {
    let rows = side_by_side(base, working);
    let rows_compared = rows.len();
    let mut reps = Vec::new();
    let mut payroll: BTreeMap<Name, Sides> = BTreeMap::new();
    let mut reps_compared = 0;
    let mut entries = rows.into_iter().peekable();
    while let Some(((rep, ..), _)) = entries.peek() {
        let rep = rep.clone();
        reps_compared += 1;
        let of_rep = std::iter::from_fn(|| entries.next_if(|((r, ..), _)| *r == rep));
        let (totals, change) = rep_change(rep.clone(), of_rep);
        for (currency, (b, w)) in &totals {
            let (pb, pw) = payroll.entry(currency.clone()).or_default();
            sum(pb, *b);
            sum(pw, *w);
        }
        reps.extend(change);
    }
    reps.sort_by(|a, b| b.largest().cmp(&a.largest()).then_with(|| a.rep.cmp(&b.rep)));
    let totals = payroll.into_iter().map(|(currency, (b, w))| Amounts::new(currency, b, w)).collect();
    PayoutDiff {
        reps,
        totals,
        attainment: compare_attainment(&base.attainment, &working.attainment),
        reps_compared,
        rows_compared,
    }
}

/// Every payout row of either side, with its amount on each, by identity (each rep's rows
/// together).
fn side_by_side(base: &Rows<'_>, working: &Rows<'_>) -> BTreeMap<RowKey, Sides> {
    let mut rows: BTreeMap<RowKey, Sides> = BTreeMap::new();
    let key =
        |r: &PayoutRow| (r.rep.clone(), r.period.clone(), r.plan.clone(), r.component.clone(), r.currency.clone());
    // A side has each row once; should it have one twice, the amounts add up, so that nothing is
    // lost silently.
    let add = |slot: &mut Option<Decimal>, amount: Decimal| *slot = Some(slot.map_or(amount, |s| s + amount));
    for r in &base.payouts {
        add(&mut rows.entry(key(r)).or_default().0, r.amount);
    }
    for r in &working.payouts {
        add(&mut rows.entry(key(r)).or_default().1, r.amount);
    }
    rows
}

/// One rep's rows compared: what the rep is paid on each side (the sum of its `total` rows, by
/// currency), and the rep's change when any of its rows changes.
fn rep_change(rep: Name, rows: impl Iterator<Item = (RowKey, Sides)>) -> (BTreeMap<Name, Sides>, Option<RepChange>) {
    let mut totals: BTreeMap<Name, Sides> = BTreeMap::new();
    let mut components = Vec::new();
    let mut changed = false;
    for ((_, period, plan, component, currency), (b, w)) in rows {
        // The `total` row holds what a (period, rep, plan) pays.
        if component == Component::Total {
            let (tb, tw) = totals.entry(currency.clone()).or_default();
            sum(tb, b);
            sum(tw, w);
        }
        if b == w {
            continue;
        }
        changed = true;
        if component != Component::Total {
            components.push(RowChange { period, plan, component, amounts: Amounts::new(currency, b, w) });
        }
    }
    if !changed {
        return (totals, None);
    }
    // The rows that explain a change come first: a `balance` row only carries a change of an
    // earlier period forward, month after month, so balances come after every other row.
    components.sort_by(|x, y| {
        let order = |c: &RowChange| {
            (
                matches!(c.component, Component::Balance | Component::Held),
                std::cmp::Reverse(c.amounts.delta.abs()),
                c.period.clone(),
                c.plan.clone(),
                c.component.clone(),
                c.amounts.currency.clone(),
            )
        };
        order(x).cmp(&order(y))
    });
    let amounts = totals.iter().map(|(currency, &(b, w))| Amounts::new(currency.clone(), b, w)).collect();
    (totals, Some(RepChange { rep, totals: amounts, components }))
}

/// Adds an optional amount to an optional sum: the sum is `None` only while nothing was added.
fn sum(total: &mut Option<Decimal>, amount: Option<Decimal>) {
    if let Some(a) = amount {
        *total = Some(total.map_or(a, |t| t + a));
    }
}

fn compare_attainment(base: &[&AttainmentRow], working: &[&AttainmentRow]) -> Vec<AttainmentChange> {
    type Sides = (Option<Attained>, Option<Attained>);
    let mut rows: BTreeMap<(Name, Name, Name, Name), Sides> = BTreeMap::new();
    let key = |r: &AttainmentRow| (r.period.clone(), r.rep.clone(), r.plan.clone(), r.attainment.clone());
    let attained = |r: &AttainmentRow| Some(Attained { value: r.value, quota: r.quota, attainment: r.percent });
    for r in base {
        rows.entry(key(r)).or_default().0 = attained(r);
    }
    for r in working {
        rows.entry(key(r)).or_default().1 = attained(r);
    }
    rows.into_iter()
        .filter(|(_, (b, w))| b != w)
        .map(|((period, rep, plan, attainment), (base, working))| AttainmentChange {
            period,
            rep,
            plan,
            attainment,
            base,
            working,
        })
        .collect()
}

/// The currencies in which the payroll changes, with the change; when the changes cancel out, the
/// currencies of the changed reps' totals, at zero.
pub fn net_change(diff: &PayoutDiff) -> Vec<(Name, Decimal)> {
    let moved: Vec<(Name, Decimal)> =
        diff.totals.iter().filter(|t| !t.delta.is_zero()).map(|t| (t.currency.clone(), t.delta)).collect();
    if !moved.is_empty() {
        return moved;
    }
    let currencies: BTreeSet<&Name> = diff.reps.iter().flat_map(|r| r.totals.iter().map(|t| &t.currency)).collect();
    diff.totals.iter().filter(|t| currencies.contains(&t.currency)).map(|t| (t.currency.clone(), t.delta)).collect()
}

fn optional<S: serde::Serializer>(d: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.serialize_str(&d.to_string()),
        None => s.serialize_none(),
    }
}

fn exact<S: serde::Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&d.to_string())
}
