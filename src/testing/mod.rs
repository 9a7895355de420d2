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

use crate::data::{self, Input};
use crate::diagnostics::LocatedDiagnostic;
use crate::eval::{self, error::EvalError, Failure, Request};
use crate::model::{self, Expectation, TestCase};
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

/// Why a test failed.
#[derive(Clone, Debug)]
pub enum Problem {
    /// An expectation whose value differs from the computed one.
    NotMet {
        /// Which expectation (its index in [`TestCase::expectations`]).
        index: usize,
        /// The pay period compared.
        period: String,
        /// What the test expects.
        expected: Decimal,
        /// What the plan computes.
        computed: Decimal,
        /// The unit of both.
        unit: Unit,
        /// Why the computed value may surprise (the rep is missing, for instance).
        note: Option<String>,
    },
    /// An expectation whose pay period is ambiguous or not evaluated.
    Period {
        /// Which expectation.
        index: usize,
        /// What is wrong with it.
        message: String,
        /// The pay periods the test evaluates.
        evaluated: Vec<String>,
    },
    /// An expectation about a rep the test's `reps` data does not have: it would compare with zero
    /// whatever the plan computes.
    UnknownRep {
        /// Which expectation.
        index: usize,
        /// The rep id it names.
        rep: String,
        /// The rep ids the test's data has, in id order.
        known: Vec<String>,
    },
    /// The test's data cannot be loaded: each problem about a cell, a file or a missing table.
    Data(Vec<LocatedDiagnostic>),
    /// A rep's payout cannot be computed from the test's data.
    Eval(EvalError),
}

/// The result of one test: passed when nothing went wrong.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// The number of expectations compared.
    pub checked: usize,
    /// What went wrong, in the order of the test's expectations.
    pub problems: Vec<Problem>,
}

impl Outcome {
    /// Whether the test passed.
    pub fn passed(&self) -> bool {
        self.problems.is_empty()
    }
}

/// The path given to an inline table's rows, so that the caller can tell data problems in the plan
/// text from problems in a fixture file.
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

/// Runs one test of `ws.plans[plan]`, reading its tables through `open` (see [`open_tables`]).
pub fn run(
    ws: &model::Workspace,
    plan: usize,
    test: &TestCase,
    mut open: impl FnMut(&str) -> Result<Option<Input>, String>,
) -> Outcome {
    let fail = |problems| Outcome { checked: 0, problems };
    let Some(the_plan) = ws.plans.get(plan) else { return fail(Vec::new()) };
    let alone = model::Workspace {
        schema: ws.schema.clone(),
        crediting: ws.crediting.clone(),
        territories: ws.territories.clone(),
        // Every version of the plan, and no other plan: a later version trues up against what the
        // earlier ones paid, as `compplan run` does.
        plans: ws.plans.iter().filter(|p| p.name == the_plan.name).cloned().collect(),
    };
    if let Some(crediting) = &alone.crediting {
        // The required tables, neither inline nor in the fixture folder: one error each, before
        // reading anything, rather than one at every reference into them.
        let mut missing = Vec::new();
        for table in [crediting.reps, crediting.deals].iter().filter_map(|&t| alone.schema.tables.get(t)) {
            if test.tables.iter().any(|(name, _)| *name == table.name) {
                continue;
            }
            let name = &table.name;
            let d = match &test.fixture {
                None => LocatedDiagnostic::new(
                    &crate::diagnostics::codes::TEST_DATA,
                    format!("the test \"{}\" has no `{name}` data", test.name),
                )
                .help(format!("add `data {name} {{ … }}` with a header line and rows, or `data from \"FOLDER\"`")),
                Some(folder) => match open(name) {
                    Ok(Some(_)) => continue,
                    Ok(None) => LocatedDiagnostic::new(
                        &crate::diagnostics::codes::TEST_DATA,
                        format!(
                            "the test \"{}\" has no `{name}` data: its fixture folder \"{folder}\" has no `{name}.csv`",
                            test.name
                        ),
                    )
                    .help(format!("add `{name}.csv` to \"{folder}\", or `data {name} {{ … }}` to the test")),
                    Err(message) => LocatedDiagnostic::new(&crate::diagnostics::codes::TEST_DATA, message),
                },
            };
            let mut d = d;
            d.label = match &test.fixture {
                Some(_) => format!("this folder has no `{name}.csv`"),
                None => format!("no `{name}` data"),
            };
            missing.push(d);
        }
        if !missing.is_empty() {
            return fail(vec![Problem::Data(missing)]);
        }
    }
    let dataset = match data::load(&alone, &mut open) {
        Ok(d) => d,
        Err(errors) => return fail(vec![Problem::Data(errors)]),
    };
    let period = match test.period.parse() {
        Ok(p) => p,
        // The checker accepts only valid periods; this is a defence, reported as data.
        Err(message) => {
            return fail(vec![Problem::Data(vec![LocatedDiagnostic::new(
                &crate::diagnostics::codes::TEST_DATA,
                message,
            )])])
        }
    };
    let report = match eval::run(&alone, &dataset, &Request { period, rep: None, ledger: None }) {
        Ok(r) => r,
        Err(Failure::Data(pending)) => {
            return fail(vec![Problem::Data(data::place(&alone.schema, &dataset, pending, &mut open))])
        }
        Err(Failure::UnknownRep(_)) => return fail(Vec::new()),
    };
    let mut problems: Vec<Problem> = report.errors.iter().cloned().map(Problem::Eval).collect();
    let computed = Computed::from(&report);
    // The pay periods the test's own version pays: earlier versions are evaluated as history only,
    // so that a version's tests do not change when a later version is added.
    let versions: Vec<&model::Plan> = alone.plans.iter().collect();
    let evaluated = eval::version_periods(&versions, the_plan.version, period);
    let attainments: Vec<&str> = the_plan.attainments.iter().map(|a| a.name.as_str()).collect();
    let reps = alone.crediting.as_ref().map(|c| c.reps);
    for e in &test.expectations {
        if let Some(table) = reps.filter(|&t| dataset.row_of_key(t, &e.rep).is_none()) {
            let mut known: Vec<String> =
                (0..dataset.tables[table].rows as u32).map(|r| dataset.key_text(&alone.schema, table, r)).collect();
            known.sort();
            problems.push(Problem::UnknownRep { index: e.index, rep: e.rep.clone(), known });
            continue;
        }
        problems.extend(compare(e, &evaluated, &attainments, the_plan, &computed));
    }
    Outcome { checked: test.expectations.len(), problems }
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

fn compare(
    e: &Expectation,
    evaluated: &[String],
    attainments: &[&str],
    plan: &model::Plan,
    computed: &Computed,
) -> Option<Problem> {
    let period = match &e.period {
        Some(p) if evaluated.contains(p) => p.clone(),
        Some(p) => {
            let message = format!("the test does not evaluate the pay period {p}");
            return Some(Problem::Period { index: e.index, message, evaluated: evaluated.to_vec() });
        }
        None => match evaluated {
            [only] => only.clone(),
            [] => {
                let message = format!("version {} of the plan pays no period in the test's period", plan.version);
                return Some(Problem::Period { index: e.index, message, evaluated: Vec::new() });
            }
            _ => {
                let message =
                    format!("the test evaluates {} pay periods; the expectation must name one", evaluated.len());
                return Some(Problem::Period { index: e.index, message, evaluated: evaluated.to_vec() });
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
    Some(Problem::NotMet {
        index: e.index,
        period,
        expected: e.value,
        computed: value.unwrap_or(Decimal::new(0, decimals)),
        unit,
        note,
    })
}
