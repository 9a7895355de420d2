//! The runtime: evaluates checked plans against loaded data — credit, measure, attain, earn, pay —
//! and produces payout and attainment rows.
//!
//! Each rep is evaluated on its own, period after period from the start of each plan, so that
//! year-to-date true-ups, bonuses paid once per window and balances owed carry forward exactly; rows
//! are kept only for the pay periods asked for. The runtime reads the span-free model and never sees
//! source positions.

pub mod credit;
pub mod earn;
pub mod error;
pub mod exact;
pub mod interp;
pub mod pay;
pub mod period;
pub mod rates;
pub mod rep;
pub mod rows;

use crate::data::{Dataset, Pending};
use crate::model::{self, PayFrequency};
use error::{EvalError, Fault};
use exact::Ratio;
use interp::{eval, truth, Row};
use period::{Calendar, PayPeriod, Requested};
use rep::{RepPlan, Shared};
use rust_decimal::Decimal;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::Arc;

/// The names a plan's rows carry, made once per run.
struct PlanNames {
    plan: Name,
    currency: Name,
    earnings: Vec<Name>,
    attainments: Vec<Name>,
}

/// The names of the runtime lines.
struct Lines {
    draw: Name,
    recovery: Name,
    deferred: Name,
    total: Name,
    balance: Name,
}

/// What to evaluate.
#[derive(Clone, Debug)]
pub struct Request {
    /// Every pay period that ends within this period is evaluated.
    pub period: Requested,
    /// Only this rep (by id), if given.
    pub rep: Option<String>,
}

/// Text shared by many rows (a period, a rep id, a plan name): one allocation, cheap to copy.
pub type Name = Arc<str>;

/// One row of `payouts.csv`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct PayoutRow {
    /// `2026-03` or `2026-Q1`.
    pub period: Name,
    /// The rep's id.
    pub rep: Name,
    /// The plan's name.
    pub plan: Name,
    /// An earning, a runtime line (`draw`, `recovery`, `deferred`…), `total` or `balance`.
    pub component: Name,
    /// The amount, at the plan's precision.
    #[serde(serialize_with = "as_string")]
    pub amount: Decimal,
    /// The plan's currency.
    pub currency: Name,
}

/// One row of `attainment.csv`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct AttainmentRow {
    /// The pay period.
    pub period: Name,
    /// The rep's id.
    pub rep: Name,
    /// The plan's name.
    pub plan: Name,
    /// The attainment's name.
    pub measure: Name,
    /// The measure's value, at the plan's precision.
    #[serde(serialize_with = "as_string")]
    pub value: Decimal,
    /// The quota, at the plan's precision.
    #[serde(serialize_with = "as_string")]
    pub quota: Decimal,
    /// The attainment in percent, with two decimals.
    #[serde(serialize_with = "as_string")]
    pub attainment: Decimal,
}

fn as_string<S: serde::Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&d.to_string())
}

/// The result of a run: each rep's groups of rows, read in contract order (period, then rep, then
/// plan) through [`Report::payouts`] and [`Report::attainment`] without copying them.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// Each evaluated rep's groups, reps in id order, each rep's groups by period then plan.
    reps: Vec<Vec<Group>>,
    /// `(rep, group)` positions in contract order.
    order: Vec<(u32, u32)>,
    /// Reps left out because their evaluation failed.
    pub errors: Vec<EvalError>,
    /// How long each phase took (credit, evaluate, sort), for `COMPPLAN_TIMINGS`.
    pub phases: Vec<(&'static str, std::time::Duration)>,
}

/// Why a run produced nothing.
#[derive(Debug)]
pub enum Failure {
    /// Data problems found while crediting (missing exchange rates…), each about one cell.
    Data(Vec<Pending>),
    /// The rep asked for does not exist.
    UnknownRep(String),
}

/// Evaluates every plan for every rep (or the one asked for) in the requested period. Reps whose
/// evaluation fails are left out and listed in [`Report::errors`]; the caller decides whether that
/// fails the run.
pub fn run(ws: &model::Workspace, data: &Dataset, request: &Request) -> Result<Report, Failure> {
    let clock = std::time::Instant::now();
    let plan_currency = ws.plans.first().map(|p| p.currency.as_str());
    let (programs, atoms) = rep::compile(ws, data);
    let credits = credit::compute(ws, data, plan_currency, &atoms).map_err(Failure::Data)?;
    let shared = Shared::new(ws, data, &credits, programs);
    let mut phases = vec![("credit", clock.elapsed())];
    let Some(rules) = &ws.crediting else { return Ok(Report::default()) };
    let mut reps: Vec<(Name, u32)> = match &request.rep {
        Some(id) => vec![(id.as_str().into(), data.row_of_key(rules.reps, id).ok_or_else(|| Failure::UnknownRep(id.clone()))?)],
        None => (0..data.tables[rules.reps].rows as u32).map(|r| (data.key_text(&ws.schema, rules.reps, r).into(), r)).collect(),
    };
    // Rows are grouped by period, then rep id, then plan: evaluate reps in id order, and keep each
    // period's groups in that order.
    reps.sort();
    let plans = by_name(&ws.plans);
    let names: Vec<PlanNames> = ws
        .plans
        .iter()
        .map(|p| PlanNames {
            plan: p.name.as_str().into(),
            currency: p.currency.as_str().into(),
            earnings: p.earnings.iter().map(|e| e.name.as_str().into()).collect(),
            attainments: p.attainments.iter().map(|a| a.name.as_str().into()).collect(),
        })
        .collect();
    let lines = Lines { draw: "draw".into(), recovery: "recovery".into(), deferred: "deferred".into(), total: "total".into(), balance: "balance".into() };
    let naming = Naming { plans: &ws.plans, names: &names, lines: &lines };
    // Reps are independent: evaluate them in parallel, then put the results back in rep order so
    // that the output never depends on scheduling.
    use rayon::prelude::*;
    let results: Vec<Result<Vec<Group>, EvalError>> = reps
        .par_iter()
        .map(|(id, rep)| {
            let mut groups = Vec::new();
            for versions in &plans {
                groups.extend(simulate(&shared, &naming, versions, *rep, id, request)?);
            }
            Ok(groups)
        })
        .collect();
    phases.push(("reps", clock.elapsed() - phases[0].1));
    let mut reps_groups: Vec<Vec<Group>> = Vec::with_capacity(results.len());
    let mut errors = Vec::new();
    for result in results {
        match result {
            Ok(mut groups) => {
                // A rep's groups come plan by plan; order them by period (stable, so plans stay in
                // name order within a period).
                groups.sort_by(|a, b| a.period.cmp(&b.period));
                reps_groups.push(groups);
            }
            Err(e) => errors.push(e),
        }
    }
    let mut periods: Vec<Name> = reps_groups.iter().flatten().map(|g| g.period.clone()).collect();
    periods.sort();
    periods.dedup();
    let mut cursor = vec![0usize; reps_groups.len()];
    let mut order = Vec::new();
    for period in &periods {
        for (rep, groups) in reps_groups.iter().enumerate() {
            while let Some(g) = groups.get(cursor[rep]).filter(|g| g.period == *period) {
                let _ = g;
                order.push((rep as u32, cursor[rep] as u32));
                cursor[rep] += 1;
            }
        }
    }
    let total = clock.elapsed();
    let before: std::time::Duration = phases.iter().map(|(_, d)| *d).sum();
    phases.push(("order", total - before));
    Ok(Report { reps: reps_groups, order, errors, phases })
}

impl Report {
    fn groups(&self) -> impl Iterator<Item = &Group> {
        self.order.iter().map(|&(rep, group)| &self.reps[rep as usize][group as usize])
    }

    /// The payout rows, in contract order.
    pub fn payouts(&self) -> impl Iterator<Item = &PayoutRow> {
        self.groups().flat_map(|g| g.payouts.iter())
    }

    /// The attainment rows, in contract order.
    pub fn attainment(&self) -> impl Iterator<Item = &AttainmentRow> {
        self.groups().flat_map(|g| g.attainment.iter())
    }
}

/// The rows of one (period, rep, plan).
#[derive(Clone, Debug)]
struct Group {
    period: Name,
    payouts: Vec<PayoutRow>,
    attainment: Vec<AttainmentRow>,
}

/// The versions of each plan name, in version order.
fn by_name(plans: &[model::Plan]) -> Vec<Vec<&model::Plan>> {
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
        let start = period::month_of(plan.effective.0);
        let end = to.min(period::month_of(plan.effective.1) + if plan.pay == PayFrequency::Quarterly { 2 } else { 0 });
        for p in cal.periods_ending_in(start, end) {
            if p.end() < plan.effective.0 || p.start() > plan.effective.1 {
                continue;
            }
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

/// The shared names of a run's rows.
struct Naming<'n> {
    plans: &'n [model::Plan],
    names: &'n [PlanNames],
    lines: &'n Lines,
}

impl Naming<'_> {
    fn of(&self, plan: &model::Plan) -> &PlanNames {
        let index = self.plans.iter().position(|p| std::ptr::eq(p, plan)).unwrap_or(0);
        &self.names[index]
    }
}

/// Evaluates one rep under one plan (all its versions) through the requested periods.
fn simulate(shared: &Shared<'_>, naming: &Naming<'_>, versions: &[&model::Plan], rep: u32, id: &Name, request: &Request) -> Result<Vec<Group>, EvalError> {
    let mut contexts: HashMap<u32, RepPlan<'_>> = HashMap::default();
    let mut earnings: HashMap<String, earn::EarningState> = HashMap::default();
    let mut evaluated: HashSet<period::Month> = HashSet::default();
    let mut balance = pay::Balance::default();
    let mut groups = Vec::new();
    for (period, plan, wanted) in schedule(versions, request.period) {
        let fail = |f: Fault| {
            let mut e = f.at(id, &plan.name, &period.name());
            if !wanted {
                e.message.push_str(&format!(", recomputed as history for {}", request.period));
            }
            e
        };
        if !shared.employed_in(rep, &period) {
            continue;
        }
        let cx = contexts.entry(plan.version).or_insert_with(|| RepPlan::new(shared, plan, calendar(plan), rep, period));
        cx.period = period;
        if let Some(eligible) = &plan.eligible {
            if !truth(eval(&*cx, eligible, Row::None).map_err(fail)?).map_err(fail)? {
                continue;
            }
        }
        evaluated.insert(period.first);
        let mut lines = Vec::with_capacity(plan.earnings.len());
        for (index, earning) in plan.earnings.iter().enumerate() {
            let state = earnings.entry(earning.name.clone()).or_default();
            lines.push(earn::line(cx, index, state, &evaluated).map_err(fail)?);
        }
        let earned = lines.iter().try_fold(Decimal::ZERO, |sum, l| sum.checked_add(*l)).ok_or_else(|| fail(Fault::overflow("the period's earnings")))?;
        let settlement = pay::settle(cx, earned, &mut balance).map_err(fail)?;
        if !wanted {
            continue;
        }
        let names = naming.of(plan);
        let period_name: Name = period.name().as_str().into();
        let mut attainment = Vec::new();
        for i in 0..plan.attainments.len() {
            let (m, q) = cx.attainment_parts(i).map_err(fail)?;
            let ratio = m.div(q).map_err(|o| fail(o.into()))?.ok_or_else(|| fail(rep::zero_quota(plan, i)))?;
            let percent = ratio
                .mul(Ratio::int(100))
                .and_then(|r| r.round(model::Rounding { mode: plan.rounding.mode, decimals: 2 }))
                .map_err(|o| fail(o.into()))?;
            let round = |r: Ratio| r.round(plan.rounding).map_err(|o| fail(o.into()));
            attainment.push(AttainmentRow {
                period: period_name.clone(),
                rep: id.clone(),
                plan: names.plan.clone(),
                measure: names.attainments[i].clone(),
                value: round(m)?,
                quota: round(q)?,
                attainment: percent,
            });
        }
        let row = |component: &Name, amount: Decimal| PayoutRow {
            period: period_name.clone(),
            rep: id.clone(),
            plan: names.plan.clone(),
            component: component.clone(),
            amount: at_precision(amount, plan.rounding.decimals),
            currency: names.currency.clone(),
        };
        let mut payouts: Vec<PayoutRow> = names.earnings.iter().zip(&lines).map(|(e, l)| row(e, *l)).collect();
        let runtime = naming.lines;
        for (name, amount) in [(&runtime.draw, settlement.draw), (&runtime.recovery, settlement.recovery), (&runtime.deferred, settlement.deferred)] {
            if !amount.is_zero() {
                payouts.push(row(name, amount));
            }
        }
        payouts.push(row(&runtime.total, settlement.total));
        if !settlement.owed.is_zero() {
            payouts.push(row(&runtime.balance, -settlement.owed));
        }
        groups.push(Group { period: period_name.clone(), payouts, attainment });
    }
    Ok(groups)
}

/// An amount with exactly the plan's number of decimals (`7400.00`, `-1000.00`, never `-0.00`).
fn at_precision(amount: Decimal, decimals: u32) -> Decimal {
    let mut d = if amount.is_zero() { Decimal::ZERO } else { amount };
    d.rescale(decimals);
    d
}
