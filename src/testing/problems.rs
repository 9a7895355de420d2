//! The diagnostics of a failed test: expectations not met, data that cannot be read, each named by
//! its place in the model (an expectation, the test's data, a cell of an inline table) for the
//! pipeline to place at its line.

use super::{inline_path, Unit};
use crate::data::Input;
use crate::diagnostics::{codes, did_you_mean, Diagnostic, Location, ModelPlace, PlanPart};
use crate::model::{self, Expectation, TestCase};
use rust_decimal::Decimal;

/// The required tables (reps and deals) that a test has neither inline nor in its fixture folder:
/// one error each, at the test's data, before reading anything (rather than one at every
/// reference into them).
pub(super) fn missing_tables(
    alone: &model::Workspace,
    test: &TestCase,
    open: &mut impl FnMut(&str) -> Result<Option<Input>, String>,
    whole: ModelPlace,
) -> Vec<Diagnostic> {
    let mut missing = Vec::new();
    let Some(crediting) = &alone.crediting else { return missing };
    for table in [crediting.reps, crediting.deals].iter().filter_map(|&t| alone.schema.tables.get(t)) {
        if test.tables.iter().any(|(name, _)| *name == table.name) {
            continue;
        }
        let name = &table.name;
        let d = match &test.fixture {
            None => Diagnostic::new(&codes::TEST_DATA, format!("the test \"{}\" has no `{name}` data", test.name))
                .at(whole.clone(), format!("no `{name}` data"))
                .help(format!("add `data {name} {{ … }}` with a header line and rows, or `data from \"FOLDER\"`")),
            Some(folder) => {
                let label = format!("this folder has no `{name}.csv`");
                match open(name) {
                    Ok(Some(_)) => continue,
                    Ok(None) => Diagnostic::new(
                        &codes::TEST_DATA,
                        format!(
                            "the test \"{}\" has no `{name}` data: its fixture folder \"{folder}\" has no `{name}.csv`",
                            test.name
                        ),
                    )
                    .at(whole.clone(), label)
                    .help(format!("add `{name}.csv` to \"{folder}\", or `data {name} {{ … }}` to the test")),
                    Err(message) => Diagnostic::new(&codes::TEST_DATA, message).at(whole.clone(), label),
                }
            }
        };
        missing.push(d);
    }
    missing
}

/// The test's data problems, named in the plan where they are in it: a cell of an inline table
/// becomes a [`PlanPart::TestCell`]; a cell of a fixture file stays at its cell.
pub(super) fn in_test(
    errors: Vec<Diagnostic>,
    test: &TestCase,
    at: impl Fn(PlanPart) -> ModelPlace,
    index: usize,
) -> Vec<Diagnostic> {
    errors
        .into_iter()
        .map(|mut d| {
            for label in &mut d.labels {
                let Location::Cell(cell) = &label.location else { continue };
                let Some(table) = test.tables.iter().rposition(|(table, _)| inline_path(table) == cell.path) else {
                    continue;
                };
                let Some(line) = cell.line.checked_sub(1) else { continue };
                let part = PlanPart::TestCell { test: index, table, line, column: cell.column, width: cell.width };
                label.location = at(part).into();
                if label.message.is_empty() {
                    label.message = "in this test's data".to_string();
                }
            }
            d
        })
        .collect()
}

/// An expectation whose value differs from the computed one.
pub(super) fn not_met(
    place: ModelPlace,
    e: &Expectation,
    period: &str,
    computed: Decimal,
    unit: &Unit,
    note: Option<String>,
) -> Diagnostic {
    let message = format!(
        "`{}` {} in {period}: expected {}, computed {}",
        e.rep,
        e.name,
        unit.show(e.value),
        unit.show(computed)
    );
    let mut d = Diagnostic::new(&codes::EXPECTATION_NOT_MET, message)
        .at(place, format!("computed {}", unit.show(computed)))
        .note(format!("difference (computed − expected): {}", unit.show(computed - e.value)));
    d.notes.extend(note);
    d.help(format!("if the plan is right, expect `{}`; otherwise the change moved this payout", unit.show(computed)))
}

/// An expectation whose pay period is ambiguous or not evaluated (`evaluated`: the pay periods the
/// test evaluates).
pub(super) fn period(place: ModelPlace, message: String, evaluated: &[String]) -> Diagnostic {
    let mut d = Diagnostic::new(&codes::EXPECTATION_PERIOD, message).at(place, "which pay period?");
    if !evaluated.is_empty() {
        d.notes.push(format!("the test evaluates {}", evaluated.join(", ")));
        d.help = evaluated.last().map(|p| format!("name the pay period: `expect {p} …`"));
    }
    d
}

/// An expectation about a rep the test's `reps` data does not have: it would compare with zero
/// whatever the plan computes (`known`: the rep ids the data has, in id order).
pub(super) fn unknown_rep(place: ModelPlace, rep: &str, known: &[String]) -> Diagnostic {
    let message = format!("the test's `reps` data has no rep `{rep}`");
    let d = Diagnostic::new(&codes::EXPECTATION_UNKNOWN_REP, message).at(place, "no such rep in the test's data").note(
        match known {
            [] => "the test's `reps` data has no rows".to_string(),
            few if few.len() <= 10 => format!("the test's reps: {}", few.join(", ")),
            many => format!("the test's reps: {}, … ({} in all)", many[..10].join(", "), many.len()),
        },
    );
    d.help(match did_you_mean(rep, known.iter().map(String::as_str)) {
        Some(near) => format!("did you mean `{near}`?"),
        None => format!("add a row for `{rep}` to the test's `reps` data, or expect a rep it has"),
    })
}
