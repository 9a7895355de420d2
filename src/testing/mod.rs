//! Plan tests: runs a `test` block written inside a plan — the plan alone, on the test's own data, for
//! the test's period — and compares every expectation with what the runtime computes.
//!
//! A test evaluates only the plan that contains it — every version of that plan, because the runtime
//! trues up across versions (what version 1 paid is deducted from version 2's year to date) — with the
//! workspace's schema and crediting rules, so that a component name in an expectation means that
//! plan's line and the amounts are those `compplan run` pays on the same data. It compares the pay
//! periods of its own version only (those whose last day the version is in effect on). Its data is
//! the fixture folder it names (read by the caller, which alone does file I/O) with the inline tables
//! laid over it, table by table. Expectations compare exactly: amounts at the plan's precision as they
//! would appear in `payouts.csv`, attainment in percent with two decimals as in `attainment.csv`. A
//! component with no row (a draw that was not paid) counts as zero.

pub mod junit;
mod problems;

use crate::data::Input;
use crate::diagnostics::{codes, Diagnostic, ModelPlace, PlanPart};
use crate::eval::{self, Request};
use crate::model::{self, Expectation, TestCase};
use crate::pipeline::{self, Stop};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// What an expectation compares: an amount in a currency, or an attainment in percent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unit {
    /// A payout line in the plan's currency.
    Money(String),
    /// An attainment, in percent.
    Percent,
}

impl Unit {
    /// Writes a value in this unit, as a comp admin would read it (`7400.00 USD`, `100.00%`).
    pub fn show(&self, value: Decimal) -> String {
        match self {
            Unit::Money(currency) => format!("{value} {currency}"),
            Unit::Percent => format!("{value}%"),
        }
    }
}

/// The result of one test: passed when nothing went wrong.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// The number of expectations compared.
    pub checked: usize,
    /// What went wrong: problems that kept the test from comparing (its data, a rep the plan
    /// cannot pay) and expectations not met, each named by its place in the model
    /// ([`PlanPart::Expectation`], [`PlanPart::TestData`], [`PlanPart::TestCell`], a definition) or
    /// at a cell of a fixture file, for [`pipeline::Plans::place`] to place.
    pub problems: Vec<Diagnostic>,
}

impl Outcome {
    /// Whether the test passed.
    pub fn passed(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Whether a problem is an expectation that was not met (a JUnit failure), rather than one that
/// kept the test from comparing (a JUnit error).
pub fn is_failed_expectation(problem: &Diagnostic) -> bool {
    [codes::EXPECTATION_NOT_MET.id, codes::EXPECTATION_PERIOD.id, codes::EXPECTATION_UNKNOWN_REP.id]
        .contains(&problem.code.id)
}

/// The path given to an inline table's rows, so that a data problem in the plan text can be told
/// from one in a fixture file.
pub fn inline_path(table: &str) -> String {
    format!("<test data {table}>")
}

/// Opens a table for a test: its inline rows when it has them, otherwise what `fixture` opens (the
/// fixture folder's file, or nothing).
pub fn open_tables<'t>(
    test: &'t TestCase,
    mut fixture: impl FnMut(&str) -> Result<Option<Input>, String> + 't,
) -> impl FnMut(&str) -> Result<Option<Input>, String> + 't {
    move |table: &str| match test.tables.iter().rev().find(|(name, _)| name == table) {
        Some((_, lines)) => {
            let mut text = lines.join("\n");
            text.push('\n');
            let size = text.len() as u64;
            Ok(Some(Input {
                path: inline_path(table),
                reader: Box::new(std::io::Cursor::new(text.into_bytes())),
                size: Some(size),
            }))
        }
        None => fixture(table),
    }
}

/// Runs test `test` of `ws.plans[plan]`, reading its tables through `open` (see [`open_tables`]).
pub fn run(
    ws: &model::Workspace,
    plan: usize,
    test: usize,
    mut open: impl FnMut(&str) -> Result<Option<Input>, String>,
) -> Outcome {
    let fail = |problems| Outcome { checked: 0, problems };
    let Some((the_plan, case)) = ws.plans.get(plan).and_then(|p| Some((p, p.tests.get(test)?))) else {
        return fail(Vec::new());
    };
    let at = |part| ModelPlace { plan: the_plan.name.clone(), version: the_plan.version, part };
    let alone = alone(ws, the_plan);
    let missing = problems::missing_tables(&alone, case, &mut open, at(PlanPart::TestData { test }));
    if !missing.is_empty() {
        return fail(missing);
    }
    let in_test = |errors: Vec<Diagnostic>| problems::in_test(errors, case, at, test);
    let dataset = match pipeline::load(&alone, &mut open) {
        Ok(d) => d,
        Err(errors) => return fail(in_test(errors)),
    };
    let period = match case.period.parse() {
        Ok(p) => p,
        // The checker accepts only valid periods; this is a defence, reported as data.
        Err(message) => {
            let whole = at(PlanPart::TestData { test });
            return fail(vec![Diagnostic::new(&codes::TEST_DATA, message).at(whole, "in this test's data")]);
        }
    };
    let request = Request { period, rep: None, ledger: None };
    let report = match pipeline::evaluate(&alone, &dataset, &request, &mut open) {
        Ok(r) => r,
        Err(Stop::Data(errors)) => return fail(in_test(errors)),
        Err(_) => return fail(Vec::new()),
    };
    let mut problems: Vec<Diagnostic> = report.errors.iter().map(|e| e.diagnostic.clone()).collect();
    let computed = Computed::from(&report);
    // The pay periods the test's own version pays: earlier versions are evaluated as history only,
    // so that a version's tests do not change when a later version is added.
    let versions: Vec<&model::Plan> = alone.plans.iter().collect();
    let evaluated = eval::version_periods(&versions, the_plan.version, period);
    let attainments: Vec<&str> = the_plan.attainments.iter().map(|a| a.name.as_str()).collect();
    let reps = alone.crediting.as_ref().map(|c| c.reps);
    for e in &case.expectations {
        let place = at(PlanPart::Expectation { test, index: e.index });
        if let Some(table) = reps.filter(|&t| dataset.row_of_key(t, &e.rep).is_none()) {
            let mut known: Vec<String> =
                dataset.tables[table].row_ids().map(|r| dataset.key_text(&alone.schema, table, r)).collect();
            known.sort();
            problems.push(problems::unknown_rep(place, &e.rep, &known));
            continue;
        }
        problems.extend(compare(e, &evaluated, &attainments, the_plan, &computed, place));
    }
    Outcome { checked: case.expectations.len(), problems }
}

/// The plan alone, with the workspace's schema, crediting rules and territories: every version of
/// the plan, and no other plan (a later version trues up against what the earlier ones paid, as
/// `compplan run` does).
fn alone(ws: &model::Workspace, plan: &model::Plan) -> model::Workspace {
    model::Workspace {
        schema: ws.schema.clone(),
        crediting: ws.crediting.clone(),
        territories: ws.territories.clone(),
        plans: ws.plans.iter().filter(|p| p.name == plan.name).cloned().collect(),
    }
}

/// The rows of a report, by (period, rep, name).
struct Computed {
    values: BTreeMap<(String, String, String), Decimal>,
    reps: std::collections::BTreeSet<(String, String)>,
}

impl Computed {
    fn from(report: &eval::Report) -> Computed {
        let mut values = BTreeMap::new();
        let mut reps = std::collections::BTreeSet::new();
        for row in report.payouts() {
            values.insert((row.period.to_string(), row.rep.to_string(), row.component.to_string()), row.amount);
            reps.insert((row.period.to_string(), row.rep.to_string()));
        }
        for row in report.attainment() {
            values.insert((row.period.to_string(), row.rep.to_string(), row.attainment.to_string()), row.percent);
        }
        Computed { values, reps }
    }
}

/// An expectation compared with what was computed: `None` when it holds, otherwise why not.
fn compare(
    e: &Expectation,
    evaluated: &[String],
    attainments: &[&str],
    plan: &model::Plan,
    computed: &Computed,
    place: ModelPlace,
) -> Option<Diagnostic> {
    let period = match &e.period {
        Some(p) if evaluated.contains(p) => p.clone(),
        Some(p) => {
            let message = format!("the test does not evaluate the pay period {p}");
            return Some(problems::period(place, message, evaluated));
        }
        None => match evaluated {
            [only] => only.clone(),
            [] => {
                let message = format!("version {} of the plan pays no period in the test's period", plan.version);
                return Some(problems::period(place, message, &[]));
            }
            _ => {
                let message =
                    format!("the test evaluates {} pay periods; the expectation must name one", evaluated.len());
                return Some(problems::period(place, message, evaluated));
            }
        },
    };
    let (unit, decimals) = if attainments.contains(&e.name.as_str()) {
        (Unit::Percent, 2)
    } else {
        (Unit::Money(plan.currency.clone()), plan.rounding.decimals)
    };
    let key = (period.clone(), e.rep.clone(), e.name.clone());
    let value = computed.values.get(&key).copied();
    if value == Some(e.value) || (value.is_none() && e.value.is_zero()) {
        return None;
    }
    let note = match value {
        Some(_) => None,
        None if !computed.reps.contains(&(period.clone(), e.rep.clone())) => {
            Some(format!("`{}` has no payout in {period}: not eligible for the plan, or not employed", e.rep))
        }
        None => Some(format!("no `{}` line was paid to `{}` in {period}; it counts as zero", e.name, e.rep)),
    };
    let computed = value.unwrap_or(Decimal::new(0, decimals));
    Some(problems::not_met(place, e, &period, computed, &unit, note))
}
