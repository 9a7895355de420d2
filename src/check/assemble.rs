//! Checking one plan from its entries — the header, the definitions, the earnings, the payment
//! lines and the tests — and assembling the checked model, with its source map beside it.

use super::expr::{Checker, Rows};
use super::header::Header;
use super::items::DefinitionType;
use super::plan::{collect_definitions, PlanState};
use super::problems;
use super::source_map::{PlanLine, PlanSourceMap, Symbol};
use crate::ast::{self, Entry, Span};
use crate::diagnostics::Diagnostic;
use crate::model::{self, EarningId, IdVec};
use crate::num::Ratio;

/// What checking one plan gives: the model when the plan is complete, its diagnostics, the types of
/// its definitions, and where its parts are written.
pub(crate) struct CheckedPlan {
    pub(crate) model: Option<model::Plan>,
    pub(crate) diagnostics: Vec<Diagnostic>,
    pub(crate) types: Vec<DefinitionType>,
    pub(crate) sources: PlanSourceMap,
}

/// The lines of a plan that say how it pays, besides its earnings.
#[derive(Default)]
struct Payments {
    draws: Vec<model::Draw>,
    holds: Vec<model::Hold>,
    balance: model::BalancePolicy,
    tests: Vec<model::TestCase>,
}

/// Checks one plan. `sources` is the plan's map with its place in the file filled in (file,
/// ordinal, span, doc); the checker records the rest.
pub(crate) fn check_plan<'a>(
    plan: &'a ast::Plan,
    sources: PlanSourceMap,
    schema: &'a model::Schema,
    crediting: Option<&'a model::Crediting>,
    credit_currency: Option<String>,
    credit_declared: bool,
    team_plans: Option<Vec<super::team::PlanEarnings>>,
) -> CheckedPlan {
    let mut checker = Checker::new(schema, crediting, None);
    checker.team_plans = team_plans;
    checker.credit_declared = credit_declared;
    checker.credit_currency = credit_currency;
    let header = checker.header(plan);
    checker.currency = header.currency.clone();
    checker.pay = header.pay;
    checker.effective = header.effective;
    let (file, ordinal) = (sources.file, sources.ordinal);
    let sources = header_sources(plan, sources, &header);
    if let Some(name) = &plan.name {
        checker.record(name, Symbol::Plan(name.text.clone()), true);
    }
    checker.plan = Some(collect_definitions(plan, sources, &mut checker.diags, &mut checker.occurrences));
    let count = checker.plan.as_ref().map_or(0, |p| p.defs.len());
    for id in 0..count {
        let span = checker.plan.as_ref().map_or(Span::default(), |p| p.defs[id].name.span);
        checker.ensure(id, span);
    }
    let eligible = checker.check_earnings(plan);
    checker.earning_cycles();
    let payments = checker.check_payments(plan);
    checker.lint_unused();
    let diagnostics = checker.take_diagnostics();
    let occurrences = std::mem::take(&mut checker.occurrences);
    let Some(mut state) = checker.plan.take() else {
        let sources = PlanSourceMap { occurrences, ..PlanSourceMap::new(file, ordinal) };
        return CheckedPlan { model: None, diagnostics, types: Vec::new(), sources };
    };
    let mut sources = std::mem::replace(&mut state.sources, PlanSourceMap::new(file, ordinal));
    sources.occurrences = occurrences;
    let types = state.types(header.currency.as_deref());
    let model = assemble(plan, header, state, eligible, payments);
    CheckedPlan { model, diagnostics, types, sources }
}

/// Records the header's places: the plan's name, version and header line, and the rounding line
/// the model's rounding was read from.
fn header_sources(plan: &ast::Plan, mut sources: PlanSourceMap, header: &Header) -> PlanSourceMap {
    sources.name = plan.name.as_ref().map(|n| n.text.clone());
    sources.version = plan.version.map(|(v, _)| v);
    sources.header = plan.header;
    sources.name_span = plan.name.as_ref().map_or(plan.keyword, |n| n.span);
    if let Some(span) = header.rounding_line {
        sources.lines.push((PlanLine::Rounding, span));
    }
    sources
}

/// Whether a hold must be the only line paying its earning later: instalments and retention
/// schedules, which pay the whole line on a schedule of their own.
fn only_line(hold: &model::Hold) -> bool {
    matches!(hold.release, model::HoldRelease::Instalments(_) | model::HoldRelease::Ytd(_))
}

/// The model of a plan whose header and definitions are all complete.
fn assemble(
    plan: &ast::Plan,
    header: Header,
    state: PlanState<'_>,
    eligible: Option<model::Expr>,
    payments: Payments,
) -> Option<model::Plan> {
    let (Some(name), Some((version, _)), Some(effective), Some(currency), Some(pay)) =
        (&plan.name, plan.version, header.effective, header.currency, header.pay)
    else {
        return None;
    };
    let quotas = state.quotas.into_iter().collect::<Option<IdVec<_, _>>>()?;
    let measures = state.measures.into_iter().collect::<Option<IdVec<_, _>>>()?;
    let attainments = state.attainments.into_iter().collect::<Option<IdVec<_, _>>>()?;
    let tables = state.tables.into_iter().map(|t| t.map(|(table, _)| table)).collect::<Option<IdVec<_, _>>>()?;
    Some(model::Plan {
        name: name.text.clone(),
        title: plan.title.as_ref().map_or_else(|| name.text.clone(), |(t, _)| t.clone()),
        version,
        effective,
        currency,
        pay,
        fiscal_start: header.fiscal_start,
        rounding: header.rounding,
        eligible,
        quotas,
        measures,
        attainments,
        tables,
        earnings: state.earnings,
        draws: payments.draws,
        holds: payments.holds,
        balance: payments.balance,
        tests: payments.tests,
    })
}

impl<'a> Checker<'a> {
    /// Checks the earnings, in the order written (their index in the model), and the eligibility.
    fn check_earnings(&mut self, plan: &'a ast::Plan) -> Option<model::Expr> {
        let mut eligible = None;
        for entry in &plan.entries {
            match &entry.kind {
                Entry::Earn(earn) => {
                    let id = EarningId::new(self.plan.as_ref().map_or(0, |p| p.earnings.len()));
                    let earning = self.check_earning(earn, id, entry.span);
                    self.depth_within_limit(&super::depth::earning_exprs(earn), &earn.name);
                    if let Some(state) = self.plan.as_mut() {
                        state.earnings.push(earning);
                    }
                }
                Entry::Eligible(condition) => eligible = Some(self.condition(condition, Rows::Rep)),
                _ => {}
            }
        }
        eligible
    }

    /// Checks the draw, holds, balance policy and tests, recording where each line is.
    fn check_payments(&mut self, plan: &'a ast::Plan) -> Payments {
        let mut payments = Payments::default();
        for entry in &plan.entries {
            let line = match &entry.kind {
                Entry::Draw(d) => {
                    self.add_draw(d, entry.span, &mut payments.draws);
                    PlanLine::Draw
                }
                Entry::Hold(h) => PlanLine::Hold(self.add_hold(h, &mut payments.holds)),
                Entry::Instalments(i) => PlanLine::Hold(self.add_instalments(i, entry.span, &mut payments.holds)),
                Entry::Recover { percent, span } => {
                    payments.balance.recover_at_most = self.recover_limit(percent, *span);
                    PlanLine::Recover
                }
                Entry::WriteOff => {
                    payments.balance.write_off_at_year_end = true;
                    continue;
                }
                Entry::PayNegativeTotals => {
                    payments.balance.pay_negative_totals = true;
                    continue;
                }
                Entry::Test(t) => {
                    payments.tests.extend(self.check_test(t, entry.span, entry.trivia.doc()));
                    continue;
                }
                _ => continue,
            };
            if let Some(sources) = self.sources() {
                sources.lines.push((line, entry.span));
            }
        }
        payments
    }

    /// Checks a hold and adds it to the plan's holds; its index there, when it is kept.
    fn add_hold(&mut self, h: &ast::Hold, holds: &mut Vec<model::Hold>) -> Option<usize> {
        let hold = self.check_hold(h)?;
        let span = h.fraction.map_or(h.percent.span, |(_, span)| span);
        if holds.iter().any(|o| o.earning == hold.earning && (only_line(o) || only_line(&hold))) {
            self.report(problems::instalments_beside_a_hold(&h.earning, span, "held"));
            return None;
        }
        // Holds on one earning add up: more than all of its line cannot be held.
        let total = holds
            .iter()
            .filter(|o| o.earning == hold.earning)
            .try_fold(hold.share, |sum, o| sum.checked_add(o.share).ok());
        if total.is_none_or(|total| total > Ratio::ONE) {
            self.report(problems::holds_over_a_whole_line(&h.earning, span));
            return None;
        }
        holds.push(hold);
        Some(holds.len() - 1)
    }

    /// Checks a draw and adds it to the plan's draws: several draws are named, each name a line of
    /// its own.
    fn add_draw(&mut self, d: &ast::Draw, span: Span, draws: &mut Vec<model::Draw>) {
        let Some(draw) = self.check_draw(d) else { return };
        match &d.name {
            None if !draws.is_empty() => return self.report(problems::draws_without_names(span)),
            Some(name) => {
                let earnings: Vec<String> =
                    self.plan.as_ref().map(|p| p.earnings.iter().map(|e| e.name.clone()).collect()).unwrap_or_default();
                let taken = earnings.contains(&name.text)
                    || model::PAYOUT_LINES.contains(&name.text.as_str())
                    || draws.iter().any(|o| o.name.as_deref() == Some(name.text.as_str()));
                if taken {
                    return self.report(problems::draw_named_like_a_line(name));
                }
            }
            None => {}
        }
        if draws.iter().any(|o| o.name.is_none()) {
            return self.report(problems::draws_without_names(span));
        }
        draws.push(draw);
    }

    /// Checks `pay NAME in N instalments` and adds it to the plan's holds: the only line that pays
    /// its earning later.
    fn add_instalments(&mut self, i: &ast::Instalments, span: Span, holds: &mut Vec<model::Hold>) -> Option<usize> {
        let hold = self.check_instalments(i)?;
        if holds.iter().any(|o| o.earning == hold.earning) {
            self.report(problems::instalments_beside_a_hold(&i.earning, span, "paid in instalments"));
            return None;
        }
        holds.push(hold);
        Some(holds.len() - 1)
    }
}
