//! The rows of one (period, rep, plan) — its payout and attainment rows — and what a ledger records
//! of it; with the names the rows carry, made once per run.

use super::error::Fault;
use super::hold::Moves;
use super::pay::{Owed, Settlement};
use super::period::{Month, PayPeriod};
use super::rep_plan::{self, RepPlan};
use super::{AttainmentRow, Component, Name, PayoutRow};
use crate::ledger::Recorded;
use crate::model::{self, AttainmentId, EarningId, IdVec};
use crate::num::Ratio;
use rust_decimal::Decimal;

/// The names a plan's rows carry, made once per run.
pub(super) struct PlanNames {
    plan: Name,
    currency: Name,
    /// Each earning's component.
    earnings: IdVec<EarningId, Component>,
    /// Each draw's line, in the plan's order.
    draws: Vec<Component>,
    attainments: IdVec<AttainmentId, Name>,
    /// The name of each attainment's measure.
    attainment_measures: IdVec<AttainmentId, Name>,
}

/// The shared names of a run's rows.
pub(super) struct Naming<'n> {
    plans: &'n [model::Plan],
    names: Vec<PlanNames>,
}

impl<'n> Naming<'n> {
    /// The names of every plan's rows.
    pub(super) fn new(plans: &'n [model::Plan]) -> Naming<'n> {
        let names = plans
            .iter()
            .map(|p| PlanNames {
                plan: p.name.as_str().into(),
                currency: p.currency.as_str().into(),
                earnings: p.earnings.iter().map(|e| Component::Earning(e.name.as_str().into())).collect(),
                draws: p.draws.iter().map(|d| Component::Draw(d.name.as_deref().map(Name::from))).collect(),
                attainments: p.attainments.iter().map(|a| a.name.as_str().into()).collect(),
                attainment_measures: p
                    .attainments
                    .iter()
                    .map(|a| p.measures.get(a.measure).map_or("", |m| m.name.as_str()).into())
                    .collect(),
            })
            .collect();
        Naming { plans, names }
    }

    /// The names of a plan's rows.
    pub(super) fn of(&self, plan: &model::Plan) -> &PlanNames {
        let index = self.plans.iter().position(|p| std::ptr::eq(p, plan)).unwrap_or(0);
        &self.names[index]
    }
}

/// The rows of one (period, rep, plan), and what a ledger records of it.
#[derive(Clone, Debug)]
pub(super) struct Group {
    pub(super) period: Name,
    pub(super) payouts: Vec<PayoutRow>,
    pub(super) attainment: Vec<AttainmentRow>,
    /// The earnings (the earning lines and any adjustment; holds and releases apart).
    pub(super) earned: Decimal,
    /// The balance owed at the end of the period, oldest first.
    pub(super) owed: Vec<(Owed, Decimal)>,
    /// What is held at the end of the period: when it falls due, as the ledger names it (`2026-05`,
    /// `A4 until deal.paid`), and the amount.
    pub(super) held: Vec<(String, Decimal)>,
}

/// How an open period was paid, after its earnings' lines: what its rows and `explain` show.
pub(super) struct Paid {
    /// What recomputed closed periods earned beyond their record, paid now.
    pub(super) adjustment: Decimal,
    /// The earnings: the earnings' lines and the adjustment.
    pub(super) earned: Decimal,
    /// What the period held and released.
    pub(super) moves: Moves,
    /// The balance owed before the period.
    pub(super) owed_before: Decimal,
    /// How the period was settled: draw, recovery, deferral, total, balance owed after.
    pub(super) settlement: Settlement,
    /// The money held for the rep before the period and after it.
    pub(super) held: (Decimal, Decimal),
}

impl PlanNames {
    /// The payout rows of an open period: each earning's line, the runtime lines that moved money,
    /// the total, and the balance owed while there is one, at the plan's precision.
    pub(super) fn payouts(
        &self,
        period: &Name,
        id: &Name,
        decimals: u32,
        lines: &IdVec<EarningId, Decimal>,
        paid: &Paid,
    ) -> Vec<PayoutRow> {
        let row = |component: Component, amount: Decimal| PayoutRow {
            period: period.clone(),
            rep: id.clone(),
            plan: self.plan.clone(),
            component,
            amount: at_precision(amount, decimals),
            currency: self.currency.clone(),
        };
        let mut payouts: Vec<PayoutRow> = self.earnings.iter().zip(lines).map(|(e, l)| row(e.clone(), *l)).collect();
        let settlement = &paid.settlement;
        for (component, amount) in self.draws.iter().zip(&settlement.draws) {
            if !amount.is_zero() {
                payouts.push(row(component.clone(), *amount));
            }
        }
        for (component, amount) in [
            (Component::Recovery, settlement.recovery),
            (Component::Deferred, settlement.deferred),
            (Component::Hold, paid.moves.hold),
            (Component::Release, paid.moves.release),
            (Component::Adjustment, paid.adjustment),
        ] {
            if !amount.is_zero() {
                payouts.push(row(component, amount));
            }
        }
        payouts.push(row(Component::Total, settlement.total));
        // The balance owed is shown while there is one, and as 0.00 in the period that clears it.
        if !settlement.owed.is_zero() || !paid.owed_before.is_zero() {
            payouts.push(row(Component::Balance, -settlement.owed));
        }
        // So is the money held for the rep, as a positive figure: 0.00 in the period that pays the last of it.
        if !paid.held.0.is_zero() || !paid.held.1.is_zero() {
            payouts.push(row(Component::Held, paid.held.1));
        }
        payouts
    }

    /// The attainment rows of a period: each attainment's measure, quota and percent.
    pub(super) fn attainment(&self, cx: &RepPlan<'_>, period: &Name, id: &Name) -> Result<Vec<AttainmentRow>, Fault> {
        self.attainment_rows(cx, period, id, |i| cx.attainment_parts(i))
    }

    /// The attainment rows of a window of months wider than a pay period (a quarter or a plan
    /// year asked for): each attainment's measure over the window against its quota over the window,
    /// whatever scope the attainment reads them in for a pay period.
    pub(super) fn window_attainment(
        &self,
        cx: &RepPlan<'_>,
        window: (Month, Month),
        period: &Name,
        id: &Name,
    ) -> Result<Vec<AttainmentRow>, Fault> {
        self.attainment_rows(cx, period, id, |i| {
            let a = &cx.plan.attainments[i];
            Ok((cx.measure_in(a.measure, window)?, cx.quota_in(a.quota, window)?))
        })
    }

    /// Each attainment's row, from its measure's value and its quota as `parts` gives them.
    fn attainment_rows(
        &self,
        cx: &RepPlan<'_>,
        period: &Name,
        id: &Name,
        parts: impl Fn(AttainmentId) -> Result<(Ratio, Ratio), Fault>,
    ) -> Result<Vec<AttainmentRow>, Fault> {
        let plan = cx.plan;
        let mut rows = Vec::with_capacity(plan.attainments.len());
        for i in plan.attainments.ids() {
            let (m, q) = parts(i)?;
            let ratio = m.checked_div(q)?.ok_or_else(|| rep_plan::zero_quota(plan, i))?;
            let percent = ratio
                .checked_mul(Ratio::int(100))
                .and_then(|r| r.round(model::Rounding { mode: plan.rounding.mode, decimals: 2 }))?;
            rows.push(AttainmentRow {
                period: period.clone(),
                rep: id.clone(),
                plan: self.plan.clone(),
                attainment: self.attainments[i].clone(),
                measure: self.attainment_measures[i].clone(),
                value: m.round(plan.rounding)?,
                quota: q.round(plan.rounding)?,
                percent,
            });
        }
        Ok(rows)
    }

    /// A closed period's rows, as the ledger recorded them (the record is of payments: no
    /// attainment).
    pub(super) fn recorded(&self, period: &PayPeriod, id: &Name, recorded: &Recorded) -> Group {
        let period_name: Name = period.name().as_str().into();
        let currency: Name = recorded.currency.as_str().into();
        let payouts = recorded
            .rows
            .iter()
            .map(|(component, amount)| PayoutRow {
                period: period_name.clone(),
                rep: id.clone(),
                plan: self.plan.clone(),
                // A named draw's line is the draw's, not an earning's (the name alone cannot tell).
                component: self
                    .draws
                    .iter()
                    .find(|d| d.name() == component.as_str())
                    .cloned()
                    .unwrap_or_else(|| Component::named(component)),
                amount: *amount,
                currency: currency.clone(),
            })
            .collect();
        Group {
            period: period_name,
            payouts,
            attainment: Vec::new(),
            earned: recorded.earned,
            owed: Vec::new(),
            held: Vec::new(),
        }
    }
}

/// An amount with exactly the plan's number of decimals (`7400.00`, `-1000.00`, never `-0.00`).
fn at_precision(amount: Decimal, decimals: u32) -> Decimal {
    let mut d = if amount.is_zero() { Decimal::ZERO } else { amount };
    d.rescale(decimals);
    d
}
