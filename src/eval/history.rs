//! A rep's history under one plan: every pay period from the plan's start, in order, so that
//! year-to-date true-ups, bonuses paid once per window and balances owed carry forward; rows are
//! kept for the periods asked for.
//!
//! With a ledger, a closed period is paid as recorded: it is still recomputed (the next true-up
//! needs it), the balance owed continues from the record, and whatever the recomputed earnings
//! differ from the recorded ones (a late deal, a changed plan) is paid in the next open period as
//! an `adjustment` line, which the pay rule then treats like any earning.

use super::earn::{self, or_overflow};
use super::error::{EvalError, Fault};
use super::hold::{self, Due, Held};
use super::interp::{eval, truth, Row};
use super::pay::{self, Balance};
use super::period::{self, Calendar, PayPeriod, Requested};
use super::rep_plan::{self, RepPlan, Shared};
use super::{AttainmentRow, Component, Name, PayoutRow, Request};
use crate::ledger::Recorded;
use crate::model;
use crate::num::Ratio;
use rust_decimal::Decimal;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

/// The names a plan's rows carry, made once per run.
struct PlanNames {
    plan: Name,
    currency: Name,
    /// Each earning's component, by index.
    earnings: Vec<Component>,
    attainments: Vec<Name>,
    /// The name of each attainment's measure.
    attainment_measures: Vec<Name>,
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

    fn of(&self, plan: &model::Plan) -> &PlanNames {
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
    pub(super) owed: Vec<(pay::Owed, Decimal)>,
    /// What is held at the end of the period: when it falls due, as the ledger names it (`2026-05`,
    /// `A4 until deal.paid`), and the amount.
    pub(super) held: Vec<(String, Decimal)>,
}

/// The versions of each plan name, in version order.
pub(super) fn by_name(plans: &[model::Plan]) -> Vec<Vec<&model::Plan>> {
    let mut out: Vec<Vec<&model::Plan>> = Vec::new();
    for plan in plans {
        match out.last_mut() {
            Some(versions) if versions[0].name == plan.name => versions.push(plan),
            _ => out.push(vec![plan]),
        }
    }
    out
}

fn calendar(plan: &model::Plan) -> Calendar {
    Calendar { fiscal_start: plan.fiscal_start, pay: plan.pay }
}

/// The pay periods of a plan (all versions) from its start through the end of the request, each with
/// the version in effect on its last day and whether it was asked for.
fn schedule<'a>(versions: &[&'a model::Plan], requested: Requested) -> Vec<(PayPeriod, &'a model::Plan, bool)> {
    let mut out: Vec<(PayPeriod, &'a model::Plan, bool)> = Vec::new();
    for &plan in versions {
        let cal = calendar(plan);
        let (from, to) = cal.requested_range(requested);
        for p in cal.periods_in_effect(plan.effective, to) {
            let wanted = p.last >= from && p.last <= to;
            match out.iter_mut().find(|(q, _, _)| (q.first, q.last) == (p.first, p.last)) {
                Some(slot) => {
                    // Two versions touch this period: the one in effect on its last day wins.
                    if plan.effective.0 <= p.end() {
                        *slot = (p, plan, wanted);
                    }
                }
                None => out.push((p, plan, wanted)),
            }
        }
    }
    out.sort_by_key(|(p, _, _)| (p.last, p.first));
    out
}

/// The pay periods asked for, by name, each with the plans that have it: what `close` records.
pub(super) fn asked(
    plans: &[Vec<&model::Plan>],
    requested: Requested,
) -> std::collections::BTreeMap<String, Vec<String>> {
    let mut out: std::collections::BTreeMap<String, Vec<String>> = std::collections::BTreeMap::new();
    for versions in plans {
        for (period, plan, wanted) in schedule(versions, requested) {
            let names = out.entry(period.name()).or_default();
            if wanted && !names.contains(&plan.name) {
                names.push(plan.name.clone());
            }
        }
    }
    out.retain(|_, plans| !plans.is_empty());
    out
}

/// The pay periods asked for in which `version` of the plan is in effect (on the period's last day),
/// by name, in order: what a test written inside that version compares.
pub fn version_periods(versions: &[&model::Plan], version: u32, requested: Requested) -> Vec<String> {
    schedule(versions, requested)
        .into_iter()
        .filter(|(_, plan, wanted)| *wanted && plan.version == version)
        .map(|(p, _, _)| p.name())
        .collect()
}

/// One evaluated pay period of a rep under a plan, as `explain` sees it: the context in the state the
/// period was computed in, so that every intermediate value can be read again through the same code.
pub struct Snapshot<'s, 'a> {
    /// The rep, the plan version and the period.
    pub cx: &'s RepPlan<'a>,
    /// Each earning's line and the values it came from, in declaration order.
    pub lines: &'s [earn::Line],
    /// The pay periods (by first month) evaluated so far under this plan: a reversal takes back a
    /// per-deal earning only if its deal's period was paid.
    pub evaluated: &'s HashSet<period::Month>,
    /// What recomputed closed periods earned beyond their record, paid now.
    pub adjustment: Decimal,
    /// What the period held and released.
    pub holds: &'s hold::Moves,
    /// The balance owed before the period.
    pub owed_before: Decimal,
    /// How the period was settled.
    pub settlement: &'s pay::Settlement,
}

/// A pay period asked for, as `explain` sees it.
pub enum Seen<'s, 'a> {
    /// A period computed and paid now.
    Open(Snapshot<'s, 'a>),
    /// A closed period, paid as the ledger records it.
    Closed {
        /// The rep, the plan version and the period, as recomputed.
        cx: &'s RepPlan<'a>,
        /// What the ledger records.
        recorded: &'s Recorded,
        /// What the period earns when recomputed now (0 when the rep is no longer eligible): the
        /// difference from the record is paid later as an adjustment.
        earned_now: Decimal,
    },
}

/// Called with each pay period asked for (see [`Seen`]).
pub type Watch<'w> = &'w mut dyn FnMut(&Seen<'_, '_>);

/// Evaluates one rep under one plan (all its versions) through the requested periods.
pub(super) fn simulate(
    shared: &Shared<'_>,
    naming: &Naming<'_>,
    versions: &[&model::Plan],
    rep: u32,
    id: &Name,
    request: &Request,
) -> Result<Vec<Group>, EvalError> {
    simulate_watched(shared, naming, versions, rep, id, request, None)
}

/// [`simulate`], showing each period asked for to `watch`.
pub(super) fn simulate_watched(
    shared: &Shared<'_>,
    naming: &Naming<'_>,
    versions: &[&model::Plan],
    rep: u32,
    id: &Name,
    request: &Request,
    mut watch: Option<Watch<'_>>,
) -> Result<Vec<Group>, EvalError> {
    let mut contexts: HashMap<u32, RepPlan<'_>> = HashMap::default();
    let mut earnings: HashMap<String, earn::EarningState> = HashMap::default();
    let mut evaluated: HashSet<period::Month> = HashSet::default();
    let mut balance = Balance::default();
    // Held money not yet released.
    let mut held: Vec<Held> = Vec::new();
    // What recomputed closed periods earned beyond their record, not yet paid.
    let mut adjustment = Decimal::ZERO;
    let mut groups = Vec::new();
    // Every pay period of the plan through its end, to know when a rep is paid for the last time
    // (holds are released then) and for the last time in a window (a bonus without a condition is
    // paid then, a floor tops the window up). Only plans with either look ahead.
    let look_ahead = versions.iter().any(|v| !v.holds.is_empty() || v.earnings.iter().any(earn::acts_at_window_end));
    let horizon = match versions.iter().map(|v| v.effective.1).max() {
        Some(end) if look_ahead => schedule(versions, Requested::Month(period::month_of(end) + 2)),
        _ => Vec::new(),
    };
    for (period, plan, wanted) in schedule(versions, request.period) {
        let fail = |f: Fault| {
            let mut e = f.at(id, &plan.name, &period.name());
            if !wanted {
                e.message.push_str(&format!(", recomputed as history for {}", request.period));
            }
            e
        };
        let closed = request.ledger.and_then(|l| l.closed(&period.name(), &plan.name));
        let recorded = closed.and_then(|c| c.group(id, &plan.name));
        let restore = |balance: &mut Balance, held: &mut Vec<Held>, recorded: &Recorded| -> Result<(), EvalError> {
            let unknown = |what: &str| {
                fail(Fault::new(&crate::diagnostics::codes::LEDGER_UNREADABLE, format!("the ledger records {what}")))
            };
            *balance = Balance::recorded(&recorded.owed)
                .ok_or_else(|| unknown("a balance owed for a reason it does not know"))?;
            let mut restored = Vec::with_capacity(recorded.held.len());
            for (due, amount) in &recorded.held {
                let due = Due::parse(due, shared).ok_or_else(|| {
                    unknown(&format!(
                        "money held until `{due}`: a month it cannot read, or a deal the data no longer has"
                    ))
                })?;
                restored.push(Held { due, amount: *amount });
            }
            *held = restored;
            Ok(())
        };
        // The rep's next pay period under this plan: the first later period of any version, through
        // the plan's end, that finds the rep employed and eligible. Without one, this is the last
        // period the rep is paid under the plan: holds are released then, never carried past it.
        let next = match look_ahead {
            true => next_evaluated(shared, &horizon, &mut contexts, rep, &period).map_err(fail)?,
            false => None,
        };
        let last = look_ahead && next.is_none();
        let employed = shared.employed_in(rep, &period);
        let cx =
            contexts.entry(plan.version).or_insert_with(|| RepPlan::new(shared, plan, calendar(plan), rep, period));
        cx.period = period;
        let eligible = employed
            && match &plan.eligible {
                Some(condition) => truth(eval(&*cx, condition, Row::None).map_err(fail)?).map_err(fail)?,
                None => true,
            };
        if !eligible {
            // Not paid now. If the period was closed with a payment, that payment stands, and what
            // it earned is taken back in the next open period.
            if let Some(recorded) = recorded {
                adjustment = or_overflow(adjustment.checked_sub(recorded.earned)).map_err(fail)?;
                restore(&mut balance, &mut held, recorded)?;
                if wanted {
                    groups.push(recorded_group(naming, plan, &period, id, recorded));
                    if let Some(watch) = watch.as_mut() {
                        watch(&Seen::Closed { cx, recorded, earned_now: Decimal::ZERO });
                    }
                }
            }
            continue;
        }
        evaluated.insert(period.first);
        let mut lines = Vec::with_capacity(plan.earnings.len());
        let mut work = Vec::new();
        for (index, earning) in plan.earnings.iter().enumerate() {
            let state = earnings.entry(earning.name.clone()).or_default();
            let line = earn::line(cx, index, state, &evaluated, next).map_err(fail)?;
            lines.push(line.line);
            if watch.is_some() {
                work.push(line);
            }
        }
        let earned = or_overflow(lines.iter().try_fold(Decimal::ZERO, |sum, l| sum.checked_add(*l))).map_err(fail)?;
        if closed.is_some() {
            let paid_for = recorded.map_or(Decimal::ZERO, |r| r.earned);
            adjustment =
                or_overflow(adjustment.checked_add(earned).and_then(|a| a.checked_sub(paid_for))).map_err(fail)?;
            if let Some(recorded) = recorded {
                restore(&mut balance, &mut held, recorded)?;
                if wanted {
                    if let Some(watch) = watch.as_mut() {
                        watch(&Seen::Closed { cx, recorded, earned_now: earned });
                    }
                    // Attainment is information, not payment: it is shown as recomputed.
                    let mut group = recorded_group(naming, plan, &period, id, recorded);
                    group.attainment = attainment_rows(cx, plan, naming.of(plan), &group.period, id).map_err(fail)?;
                    groups.push(group);
                }
            }
            continue;
        }
        let adjusted = std::mem::take(&mut adjustment);
        let earned = or_overflow(earned.checked_add(adjusted)).map_err(fail)?;
        let moves = hold::settle(cx, &lines, &mut held, last).map_err(fail)?;
        let (hold, release) = (moves.hold, moves.release);
        let shift = or_overflow(hold.checked_add(release)).map_err(fail)?;
        let owed_before = balance.owed().map_err(fail)?;
        let settlement = pay::settle(cx, earned, shift, &mut balance).map_err(fail)?;
        if !wanted {
            continue;
        }
        if let Some(watch) = watch.as_mut() {
            watch(&Seen::Open(Snapshot {
                cx,
                lines: &work,
                evaluated: &evaluated,
                adjustment: adjusted,
                holds: &moves,
                owed_before,
                settlement: &settlement,
            }));
        }
        let names = naming.of(plan);
        let period_name: Name = period.name().as_str().into();
        let attainment = attainment_rows(cx, plan, names, &period_name, id).map_err(fail)?;
        let row = |component: Component, amount: Decimal| PayoutRow {
            period: period_name.clone(),
            rep: id.clone(),
            plan: names.plan.clone(),
            component,
            amount: at_precision(amount, plan.rounding.decimals),
            currency: names.currency.clone(),
        };
        let mut payouts: Vec<PayoutRow> = names.earnings.iter().zip(&lines).map(|(e, l)| row(e.clone(), *l)).collect();
        for (component, amount) in [
            (Component::Draw, settlement.draw),
            (Component::Recovery, settlement.recovery),
            (Component::Deferred, settlement.deferred),
            (Component::Hold, hold),
            (Component::Release, release),
            (Component::Adjustment, adjusted),
        ] {
            if !amount.is_zero() {
                payouts.push(row(component, amount));
            }
        }
        payouts.push(row(Component::Total, settlement.total));
        // The balance owed is shown while there is one, and as 0.00 in the period that clears it.
        if !settlement.owed.is_zero() || !owed_before.is_zero() {
            payouts.push(row(Component::Balance, -settlement.owed));
        }
        let still_held = held.iter().map(|h| (h.due.name(shared), h.amount)).collect();
        groups.push(Group {
            period: period_name,
            payouts,
            attainment,
            earned,
            owed: balance.entries().collect(),
            held: still_held,
        });
    }
    Ok(groups)
}

/// The first pay period after `period` in `horizon` (the plan's schedule through its end) in which
/// the rep is employed and eligible, with the version in effect then; `None` when there is none.
fn next_evaluated<'a>(
    shared: &'a Shared<'a>,
    horizon: &[(PayPeriod, &'a model::Plan, bool)],
    contexts: &mut HashMap<u32, RepPlan<'a>>,
    rep: u32,
    period: &PayPeriod,
) -> Result<Option<(PayPeriod, &'a model::Plan)>, Fault> {
    for &(p, v, _) in horizon.iter().filter(|(p, _, _)| p.last > period.last) {
        if !shared.employed_in(rep, &p) {
            continue;
        }
        let eligible = match &v.eligible {
            None => true,
            Some(condition) => {
                let c = contexts.entry(v.version).or_insert_with(|| RepPlan::new(shared, v, calendar(v), rep, p));
                let at = std::mem::replace(&mut c.period, p);
                let eligible = eval(&*c, condition, Row::None).and_then(truth);
                c.period = at;
                eligible?
            }
        };
        if eligible {
            return Ok(Some((p, v)));
        }
    }
    Ok(None)
}

/// The attainment rows of a period: each attainment's measure, quota and percent.
fn attainment_rows(
    cx: &RepPlan<'_>,
    plan: &model::Plan,
    names: &PlanNames,
    period: &Name,
    id: &Name,
) -> Result<Vec<AttainmentRow>, Fault> {
    let mut rows = Vec::with_capacity(plan.attainments.len());
    for i in 0..plan.attainments.len() {
        let (m, q) = cx.attainment_parts(i)?;
        let ratio = m.checked_div(q)?.ok_or_else(|| rep_plan::zero_quota(plan, i))?;
        let percent = ratio
            .checked_mul(Ratio::int(100))
            .and_then(|r| r.round(model::Rounding { mode: plan.rounding.mode, decimals: 2 }))?;
        rows.push(AttainmentRow {
            period: period.clone(),
            rep: id.clone(),
            plan: names.plan.clone(),
            attainment: names.attainments[i].clone(),
            measure: names.attainment_measures[i].clone(),
            value: m.round(plan.rounding)?,
            quota: q.round(plan.rounding)?,
            percent,
        });
    }
    Ok(rows)
}

/// A closed period's rows, as the ledger recorded them (the record is of payments: no attainment).
fn recorded_group(
    naming: &Naming<'_>,
    plan: &model::Plan,
    period: &PayPeriod,
    id: &Name,
    recorded: &Recorded,
) -> Group {
    let names = naming.of(plan);
    let period_name: Name = period.name().as_str().into();
    let currency: Name = recorded.currency.as_str().into();
    let payouts = recorded
        .rows
        .iter()
        .map(|(component, amount)| PayoutRow {
            period: period_name.clone(),
            rep: id.clone(),
            plan: names.plan.clone(),
            component: Component::named(component),
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

/// An amount with exactly the plan's number of decimals (`7400.00`, `-1000.00`, never `-0.00`).
fn at_precision(amount: Decimal, decimals: u32) -> Decimal {
    let mut d = if amount.is_zero() { Decimal::ZERO } else { amount };
    d.rescale(decimals);
    d
}
