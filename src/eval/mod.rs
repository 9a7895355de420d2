//! The runtime: evaluates checked plans against loaded data — credit, measure, attain, earn, pay —
//! and produces payout and attainment rows.
//!
//! Each rep is evaluated on its own, period after period from the start of each plan, so that
//! year-to-date true-ups, bonuses paid once per window and balances owed carry forward exactly; rows
//! are kept only for the pay periods asked for. The runtime reads the span-free model and never sees
//! source positions.

// Amounts and rates are added, multiplied and divided only with checked operations here: an
// overflow is a located error, never a panic (integers are exempt, see `clippy.toml`).
#![deny(clippy::arithmetic_side_effects)]

mod allocate;
mod component;
mod credit;
pub mod curve;
pub mod derivation;
mod earn;
pub mod error;
mod group;
mod history;
mod hold;
mod interp;
mod pay;
pub mod period;
mod rates;
mod rep_plan;
mod row_programs;
mod schedule;
mod team;

pub use component::Component;
pub use history::Watch;
pub use schedule::version_periods;

use crate::data::{Dataset, RepIdx};
use crate::ledger::{Ledger, Recorded};
use crate::model;
use error::EvalError;
use group::Group;
use period::Requested;
use rep_plan::Shared;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::sync::Arc;

/// What to evaluate.
#[derive(Clone, Debug)]
pub struct Request<'l> {
    /// Every pay period that ends within this period is evaluated.
    pub period: Requested,
    /// Only this rep (by id), if given.
    pub rep: Option<String>,
    /// The closed periods, paid as recorded (see [`crate::ledger`]); without one, the history is
    /// recomputed from the same plans and data.
    pub ledger: Option<&'l Ledger>,
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
    pub component: Component,
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
    pub attainment: Name,
    /// The name of the measure it divides (its numerator), so that a reader never has to rename
    /// measures to learn which one a row is about.
    pub measure: Name,
    /// The measure's value, at the plan's precision.
    #[serde(serialize_with = "as_string")]
    pub value: Decimal,
    /// The quota, at the plan's precision.
    #[serde(serialize_with = "as_string")]
    pub quota: Decimal,
    /// The attainment in percent, with two decimals.
    #[serde(serialize_with = "as_string")]
    pub percent: Decimal,
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
    /// The pay periods asked for, by name, with the plans that have them (paid or not).
    pub periods: BTreeMap<String, Vec<String>>,
}

/// Why a run produced nothing.
#[derive(Debug)]
pub enum Failure {
    /// Data problems found while crediting (missing exchange rates…), each about one cell, named by
    /// its row (see [`crate::data::place`]).
    Data(Vec<crate::diagnostics::Diagnostic>),
    /// The rep asked for does not exist.
    UnknownRep(String),
}

/// Evaluates every plan for every rep (or the one asked for) in the requested period. Reps whose
/// evaluation fails are left out and listed in [`Report::errors`]; the caller decides whether that
/// fails the run.
pub fn run(ws: &model::Workspace, data: &Dataset, request: &Request) -> Result<Report, Failure> {
    let clock = std::time::Instant::now();
    let (programs, atoms) = rep_plan::compile(ws, data);
    let credits = credit::compute(ws, data, &atoms).map_err(Failure::Data)?;
    let mut shared = Shared::new(ws, data, &credits, programs);
    let mut phases = vec![("credit", clock.elapsed())];
    let Some(rules) = &ws.crediting else { return Ok(Report::default()) };
    let reps = reps_asked(ws, data, rules, request)?;
    let plans = schedule::by_name(&ws.plans);
    let asked = schedule::asked(&plans, request.period);
    let naming = group::Naming::new(&ws.plans);
    let results = if shared.team_lines_kept {
        by_levels(&mut shared, &naming, &plans, &reps, request)
    } else {
        // Reps are independent: evaluate them in parallel, then put the results back in rep order
        // so that the output never depends on scheduling.
        use rayon::prelude::*;
        reps.par_iter()
            .map(|(id, rep)| evaluate_rep(&shared, &naming, &plans, *rep, id, request).map(|(g, _)| g))
            .collect()
    };
    phases.push(("reps", clock.elapsed().saturating_sub(phases[0].1)));
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
    let order = contract_order(&reps_groups);
    let total = clock.elapsed();
    let before = phases.iter().fold(std::time::Duration::ZERO, |sum, (_, d)| sum.saturating_add(*d));
    phases.push(("order", total.saturating_sub(before)));
    Ok(Report { reps: reps_groups, order, errors, phases, periods: asked })
}

/// One rep under every plan, through the requested periods: their groups of rows, and their exact
/// lines under each plan (kept only when a plan reads the earnings of the reps below).
fn evaluate_rep(
    shared: &Shared<'_>,
    naming: &group::Naming<'_>,
    plans: &[Vec<&model::Plan>],
    rep: RepIdx,
    id: &Name,
    request: &Request,
) -> Result<(Vec<Group>, team::PlansLines), EvalError> {
    let mut groups = Vec::new();
    let mut lines = Vec::new();
    for versions in plans {
        let (g, l) = history::simulate(shared, naming, versions, rep, id, request)?;
        groups.extend(g);
        if shared.team_lines_kept {
            lines.push((versions[0].name.clone(), l));
        }
    }
    Ok((groups, lines))
}

/// Evaluates the reps asked for and every rep below them, from the bottom of the hierarchy up (each
/// level in parallel), keeping each rep's lines for the managers above them: a plan reads the
/// earnings of the reps below. Returns the results of the reps asked for, in their order.
fn by_levels(
    shared: &mut Shared<'_>,
    naming: &group::Naming<'_>,
    plans: &[Vec<&model::Plan>],
    reps: &[(Name, RepIdx)],
    request: &Request,
) -> Vec<Result<Vec<Group>, EvalError>> {
    use rayon::prelude::*;
    let asked: Vec<RepIdx> = reps.iter().map(|(_, r)| *r).collect();
    let mut results: std::collections::HashMap<RepIdx, Result<Vec<Group>, EvalError>> = Default::default();
    for level in team::levels(&shared.credits.below, &asked) {
        let ids: Vec<(Name, RepIdx)> = level.iter().map(|&r| (rep_id(shared, r), r)).collect();
        let done: Vec<_> =
            ids.par_iter().map(|(id, rep)| evaluate_rep(shared, naming, plans, *rep, id, request)).collect();
        for ((id, rep), result) in ids.into_iter().zip(done) {
            match result {
                Ok((groups, lines)) => {
                    shared.team.keep(rep, &id, Ok(lines));
                    results.insert(rep, Ok(groups));
                }
                Err(e) => {
                    shared.team.keep(rep, &id, Err(&e));
                    results.insert(rep, Err(e));
                }
            }
        }
    }
    asked.iter().map(|r| results.remove(r).unwrap_or_else(|| Ok(Vec::new()))).collect()
}

/// A rep's id, as the reps table writes it.
fn rep_id(shared: &Shared<'_>, rep: RepIdx) -> Name {
    match &shared.ws.crediting {
        Some(rules) => shared.data.key_text(&shared.ws.schema, rules.reps, rep).into(),
        None => "".into(),
    }
}

/// The reps to evaluate (the one asked for, or all), by id and row, in id order: rows are grouped
/// by period, then rep id, then plan, so reps are evaluated in id order and each period's groups
/// kept in that order.
fn reps_asked(
    ws: &model::Workspace,
    data: &Dataset,
    rules: &model::Crediting,
    request: &Request,
) -> Result<Vec<(Name, RepIdx)>, Failure> {
    let mut reps: Vec<(Name, RepIdx)> = match &request.rep {
        Some(id) => {
            let row = data.row_of_key(rules.reps, id).ok_or_else(|| Failure::UnknownRep(id.clone()))?;
            vec![(id.as_str().into(), RepIdx::of_row(row))]
        }
        None => RepIdx::all(data.tables[rules.reps].rows)
            .map(|r| (data.key_text(&ws.schema, rules.reps, r).into(), r))
            .collect(),
    };
    reps.sort();
    Ok(reps)
}

/// The `(rep, group)` positions of every rep's groups (each rep's in period order) in contract
/// order: by period, then rep, then plan.
fn contract_order(reps_groups: &[Vec<Group>]) -> Vec<(u32, u32)> {
    let mut periods: Vec<&Name> = reps_groups.iter().flatten().map(|g| &g.period).collect();
    periods.sort();
    periods.dedup();
    let mut cursor = vec![0usize; reps_groups.len()];
    let mut order = Vec::new();
    for period in periods {
        for (rep, groups) in reps_groups.iter().enumerate() {
            while groups.get(cursor[rep]).is_some_and(|g| g.period == *period) {
                order.push((rep as u32, cursor[rep] as u32));
                cursor[rep] += 1;
            }
        }
    }
    order
}

/// Evaluates one rep as [`run`] does and shows `watch` each pay period asked for, in the state it
/// was computed in: what `explain` derives its tree from. Returns the rep's rows (its report).
pub fn trace(
    ws: &model::Workspace,
    data: &Dataset,
    request: &Request,
    rep: &str,
    watch: history::Watch<'_>,
) -> Result<Report, Failure> {
    let (programs, atoms) = rep_plan::compile(ws, data);
    let credits = credit::compute(ws, data, &atoms).map_err(Failure::Data)?;
    let mut shared = Shared::new(ws, data, &credits, programs);
    let Some(rules) = &ws.crediting else { return Ok(Report::default()) };
    let row = data.row_of_key(rules.reps, rep).ok_or_else(|| Failure::UnknownRep(rep.to_string()))?;
    let row = RepIdx::of_row(row);
    let plans = schedule::by_name(&ws.plans);
    let naming = group::Naming::new(&ws.plans);
    if shared.team_lines_kept {
        // The reps below first, whose lines the rep's overrides read.
        let below: Vec<(Name, RepIdx)> =
            shared.credits.below.get(row).into_iter().flatten().map(|&r| (rep_id(&shared, r), r)).collect();
        by_levels(&mut shared, &naming, &plans, &below, request);
    }
    let tracer = Tracer { shared: &shared, plans, naming };
    Ok(tracer.traced(row, rep, request, watch))
}

/// Traces reps one after the other (or in parallel) against credit computed once: what statements
/// for many reps need, where [`trace`] would credit every deal again for each rep.
pub struct Tracer<'s, 'a> {
    shared: &'s Shared<'a>,
    plans: Vec<Vec<&'a model::Plan>>,
    naming: group::Naming<'a>,
}

/// Credits every deal once and gives `body` a [`Tracer`]; `None` when a plan reads the earnings of
/// the reps below a rep (their lines must be computed first, rep by rep: use [`trace`]).
pub fn with_tracer<T>(
    ws: &model::Workspace,
    data: &Dataset,
    body: impl FnOnce(Option<&Tracer<'_, '_>>) -> T,
) -> Result<T, Failure> {
    if team::reads_the_team(ws) {
        return Ok(body(None));
    }
    let (programs, atoms) = rep_plan::compile(ws, data);
    let credits = credit::compute(ws, data, &atoms).map_err(Failure::Data)?;
    let shared = Shared::new(ws, data, &credits, programs);
    let tracer = Tracer { shared: &shared, plans: schedule::by_name(&ws.plans), naming: group::Naming::new(&ws.plans) };
    Ok(body(Some(&tracer)))
}

impl Tracer<'_, '_> {
    /// [`trace`] of one rep, against the credit computed once.
    pub fn trace(&self, request: &Request, rep: &str, watch: history::Watch<'_>) -> Result<Report, Failure> {
        let Some(rules) = &self.shared.ws.crediting else { return Ok(Report::default()) };
        let row = self.shared.data.row_of_key(rules.reps, rep).ok_or_else(|| Failure::UnknownRep(rep.to_string()))?;
        Ok(self.traced(RepIdx::of_row(row), rep, request, watch))
    }

    /// Every plan of the rep, watched, as a report of the rep's rows.
    fn traced(&self, row: RepIdx, rep: &str, request: &Request, watch: history::Watch<'_>) -> Report {
        let id: Name = rep.into();
        let mut groups = Vec::new();
        let mut errors = Vec::new();
        for versions in &self.plans {
            match history::simulate_watched(self.shared, &self.naming, versions, row, &id, request, Some(&mut *watch)) {
                Ok((g, _)) => groups.extend(g),
                Err(e) => errors.push(e),
            }
        }
        groups.sort_by(|a, b| a.period.cmp(&b.period));
        let order = (0..groups.len() as u32).map(|g| (0, g)).collect();
        Report {
            reps: vec![groups],
            order,
            errors,
            phases: Vec::new(),
            periods: schedule::asked(&self.plans, request.period),
        }
    }
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

    /// What a ledger records of each period in the report: each (rep, plan) paid, with its rows,
    /// its earnings as settled and its balance owed, in contract order.
    pub fn records(&self) -> BTreeMap<String, Vec<Recorded>> {
        let mut out: BTreeMap<String, Vec<Recorded>> = BTreeMap::new();
        for g in self.groups() {
            let Some(first) = g.payouts.first() else { continue };
            out.entry(g.period.to_string()).or_default().push(Recorded {
                rep: first.rep.to_string(),
                plan: first.plan.to_string(),
                currency: first.currency.to_string(),
                earned: g.earned,
                rows: g.payouts.iter().map(|r| (r.component.to_string(), r.amount)).collect(),
                owed: g.owed.iter().map(|(why, amount)| (why.name().to_string(), *amount)).collect(),
                held: g.held.clone(),
            });
        }
        out
    }
}
