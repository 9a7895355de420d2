//! `compplan test`: runs the `test` blocks written inside plans and reports each failed expectation at
//! its line, with the expected value, the computed one and the difference; optionally as JUnit XML.

use super::{run as runcmd, TestArgs};
use crate::ast::Span;
use crate::check::source_map::TestSource;
use crate::diagnostics::{codes, render, Diagnostic, LocatedDiagnostic};
use crate::source::{line_starts, SourceFile, Workspace};
use crate::testing::{self, junit, Problem};
use crate::{check, model, CompDb};
use std::io::Write as _;
use std::path::Path;

pub(crate) fn run(args: &TestArgs) -> u8 {
    let (db, ws) = match checked(&args.paths) {
        Ok(checked) => checked,
        Err((message, detail)) => {
            eprintln!("error: {message}");
            // CI uploads the report even when the step fails: say why there are no test results.
            return write_junit(args, &[whole_run_error(args, "the plans check", message, detail)]).unwrap_or(1);
        }
    };
    let model = check::workspace_model(&db, ws);
    let mut cases = Vec::new();
    let mut out = std::io::stdout().lock();
    let (mut passed, mut failed, mut expectations) = (0, 0, 0);
    for (index, plan) in model.plans.iter().enumerate() {
        let versions = model.plans.iter().filter(|p| p.name == plan.name).count();
        let suite = if versions > 1 { format!("{} v{}", plan.name, plan.version) } else { plan.name.clone() };
        // Where the plan's tests are written, by their index in the model's tests.
        let Some(map) = check::plan_source(&db, ws, &plan.name, plan.version) else { continue };
        let (file, blocks) = (map.file, &map.tests);
        for (test, block) in plan.tests.iter().zip(blocks) {
            let full = format!("{suite} › {}", test.name);
            if args.filter.as_ref().is_some_and(|f| !full.contains(f.as_str())) {
                continue;
            }
            let dir = Path::new(file.path(&db)).parent().unwrap_or(Path::new(""));
            let fixture = test.fixture.as_ref().map(|f| dir.join(f));
            if let Some(folder) = fixture.as_ref().filter(|f| !f.is_dir()) {
                let _ = writeln!(out, "test {full} ... FAILED");
                failed += 1;
                let (message, label) = if folder.exists() {
                    (format!("the test's fixture {} is not a folder", folder.display()), "not a folder")
                } else {
                    (format!("the test's fixture folder {} does not exist", folder.display()), "no such folder")
                };
                let mut d = Diagnostic::new(&codes::TEST_DATA, message.clone())
                    .primary(block.fixture.unwrap_or(block.span), label)
                    .in_file(file);
                d.help = Some(
                    "`data from` names a folder of CSV files (`reps.csv`, `deals.csv`…), relative to the plan file"
                        .to_string(),
                );
                let detail = show(&db, &[d], &[]);
                cases.push(case(
                    &db,
                    &suite,
                    test,
                    file,
                    block,
                    Summaries { failures: Vec::new(), errors: vec![message] },
                    detail,
                ));
                continue;
            }
            let mut in_fixture = fixture.as_deref().map(runcmd::open_in);
            let from_fixture = move |table: &str| match in_fixture.as_mut() {
                Some(open) => open(table),
                None => Ok(None),
            };
            let outcome = testing::run(model, index, test, testing::open_tables(test, from_fixture));
            expectations += outcome.checked;
            if outcome.passed() {
                passed += 1;
                let _ = writeln!(out, "test {full} ... ok");
                cases.push(case(&db, &suite, test, file, block, Summaries::default(), String::new()));
                continue;
            }
            failed += 1;
            let _ = writeln!(out, "test {full} ... FAILED");
            let (located, plain, summaries) = diagnose(&db, ws, file, block, test, &outcome.problems);
            let detail = show(&db, &located, &plain);
            cases.push(case(&db, &suite, test, file, block, summaries, detail));
        }
    }
    if let Some(filter) = args.filter.as_ref().filter(|_| cases.is_empty()) {
        // A mistyped filter must not pass in CI.
        let message = format!("no test matches `{filter}`");
        eprintln!("error: {message}");
        return write_junit(args, &[whole_run_error(args, "the filter matches a test", message, String::new())])
            .unwrap_or(1);
    }
    let failures: Vec<&junit::Case> = cases.iter().filter(|c| !c.failures.is_empty() || !c.errors.is_empty()).collect();
    if !failures.is_empty() {
        let _ = writeln!(out, "\nfailures:");
        let _ = out.flush();
        for case in &failures {
            let line = case.line.map(|l| format!(":{l}")).unwrap_or_default();
            eprintln!("\n---- {} › {} ({}{line}) ----", case.suite, case.name, case.file);
            eprint!("{}", case.detail);
        }
    }
    let verdict = if failed == 0 { "ok" } else { "FAILED" };
    let _ = writeln!(
        out,
        "\ntest result: {verdict}. {passed} passed; {failed} failed; {expectations} expectations checked"
    );
    write_junit(args, &cases).unwrap_or(u8::from(failed > 0))
}

/// Reads and checks the plans; on failure, the message and the rendered errors (also printed).
fn checked(paths: &[std::path::PathBuf]) -> Result<(CompDb, Workspace), (String, String)> {
    let sources = super::files::read_plans(paths).map_err(|message| (message, String::new()))?;
    runcmd::checked_showing(sources).map_err(|(errors, rendered)| {
        let s = if errors == 1 { "" } else { "s" };
        (format!("the plans have {errors} error{s}; no test was run (see `compplan check`)"), rendered)
    })
}

/// A JUnit case for an error about the whole run (no test block to blame), on the paths given.
fn whole_run_error(args: &TestArgs, name: &str, message: String, detail: String) -> junit::Case {
    let shown: Vec<String> = args.paths.iter().map(|p| p.display().to_string()).collect();
    junit::Case {
        suite: "compplan".to_string(),
        name: name.to_string(),
        file: shown.join(" "),
        line: None,
        failures: Vec::new(),
        errors: vec![message],
        detail,
    }
}

/// Writes the JUnit report when asked; `Some(1)` when it cannot be written.
fn write_junit(args: &TestArgs, cases: &[junit::Case]) -> Option<u8> {
    let path = args.junit.as_ref()?;
    match std::fs::write(path, junit::write(cases)) {
        Ok(()) => None,
        Err(e) => {
            eprintln!("error: cannot write {}: {e}", path.display());
            Some(1)
        }
    }
}

/// The one-line summaries of a test's problems, for JUnit: expectations not met, and errors that
/// kept the test from comparing.
#[derive(Default)]
struct Summaries {
    failures: Vec<String>,
    errors: Vec<String>,
}

fn case(
    db: &CompDb,
    suite: &str,
    test: &model::TestCase,
    file: SourceFile,
    block: &TestSource,
    summaries: Summaries,
    detail: String,
) -> junit::Case {
    let line = line_starts(db, file).partition_point(|&start| start <= block.span.start);
    let Summaries { failures, errors } = summaries;
    junit::Case {
        suite: suite.to_string(),
        name: test.name.clone(),
        file: file.path(db).clone(),
        line: Some(line),
        failures,
        errors,
        detail,
    }
}

/// Renders diagnostics as plain text (for stderr and the JUnit report).
fn show(db: &CompDb, located: &[Diagnostic], plain: &[LocatedDiagnostic]) -> String {
    let mut text = render::plain(db, located);
    for d in plain {
        text.push_str(&d.render());
    }
    text
}

/// Turns a failed test's problems into diagnostics at the lines of the plan they are about, and a
/// one-line summary of each for JUnit.
fn diagnose(
    db: &CompDb,
    ws: Workspace,
    file: SourceFile,
    block: &TestSource,
    test: &model::TestCase,
    problems: &[Problem],
) -> (Vec<Diagnostic>, Vec<LocatedDiagnostic>, Summaries) {
    let (mut located, mut plain, mut summaries) = (Vec::new(), Vec::new(), Summaries::default());
    let at = |index: usize| block.expectations.get(index).copied().unwrap_or(block.span);
    for problem in problems {
        match problem {
            Problem::NotMet { index, period, expected, computed, unit, note } => {
                let e = &test.expectations[(*index).min(test.expectations.len().saturating_sub(1))];
                let difference = computed - expected;
                let message = format!(
                    "`{}` {} in {period}: expected {}, computed {}",
                    e.rep,
                    e.name,
                    unit.show(*expected),
                    unit.show(*computed)
                );
                let mut d = Diagnostic::new(&codes::EXPECTATION_NOT_MET, message.clone())
                    .primary(at(*index), format!("computed {}", unit.show(*computed)))
                    .in_file(file);
                d.notes.push(format!("difference (computed − expected): {}", unit.show(difference)));
                d.notes.extend(note.clone());
                d.help = Some(format!(
                    "if the plan is right, expect `{}`; otherwise the change moved this payout",
                    unit.show(*computed)
                ));
                summaries.failures.push(message);
                located.push(d);
            }
            Problem::Period { index, message, evaluated } => {
                let mut d = Diagnostic::new(&codes::EXPECTATION_PERIOD, message.clone())
                    .primary(at(*index), "which pay period?")
                    .in_file(file);
                if !evaluated.is_empty() {
                    d.notes.push(format!("the test evaluates {}", evaluated.join(", ")));
                    d.help = evaluated.last().map(|p| format!("name the pay period: `expect {p} …`"));
                }
                summaries.failures.push(message.clone());
                located.push(d);
            }
            Problem::UnknownRep { index, rep, known } => {
                let message = format!("the test's `reps` data has no rep `{rep}`");
                let mut d = Diagnostic::new(&codes::EXPECTATION_UNKNOWN_REP, message.clone())
                    .primary(at(*index), "no such rep in the test's data")
                    .in_file(file);
                d.notes.push(match known.as_slice() {
                    [] => "the test's `reps` data has no rows".to_string(),
                    few if few.len() <= 10 => format!("the test's reps: {}", few.join(", ")),
                    many => format!("the test's reps: {}, … ({} in all)", many[..10].join(", "), many.len()),
                });
                d.help = Some(match crate::diagnostics::did_you_mean(rep, known.iter().map(String::as_str)) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => format!("add a row for `{rep}` to the test's `reps` data, or expect a rep it has"),
                });
                summaries.failures.push(message);
                located.push(d);
            }
            Problem::Data(errors) => {
                for error in errors {
                    summaries.errors.push(error.message.clone());
                    // A problem with the test's data as a whole (a required table missing) is
                    // shown at the `data from` line, or at the test's name.
                    let whole = || {
                        let at = block.fixture.unwrap_or(block.name);
                        Some(at).filter(|_| error.place.is_none() && error.code.id == codes::TEST_DATA.id)
                    };
                    match inline_place(test, block, error).or_else(whole) {
                        Some(span) => {
                            let label = if error.label.is_empty() {
                                "in this test's data".to_string()
                            } else {
                                error.label.clone()
                            };
                            let mut d =
                                Diagnostic::new(error.code, error.message.clone()).primary(span, label).in_file(file);
                            d.notes = error.notes.clone();
                            d.help = error.help.clone();
                            located.push(d);
                        }
                        None => plain.push(error.clone()),
                    }
                }
            }
            Problem::Eval(error) => {
                summaries.errors.push(error.message.clone());
                let (at_definition, elsewhere) = runcmd::eval_diagnostics(db, ws, std::slice::from_ref(error));
                located.extend(at_definition);
                plain.extend(elsewhere);
            }
        }
    }
    (located, plain, summaries)
}

/// Where a problem in an inline table is in the plan text: the cell's column of the CSV line (the
/// line's text from the model's test case, its place from the source map).
fn inline_place(test: &model::TestCase, block: &TestSource, error: &LocatedDiagnostic) -> Option<Span> {
    let place = error.place.as_ref()?;
    let table = test.tables.iter().rposition(|(table, _)| testing::inline_path(table) == place.path)?;
    let line = place.line.checked_sub(1)?;
    let text = test.tables[table].1.get(line)?;
    let span = block.tables.get(table)?.get(line)?;
    let byte = |chars: usize| text.char_indices().nth(chars).map_or(text.len(), |(i, _)| i);
    let start = byte(place.column.saturating_sub(1));
    let end = byte(place.column.saturating_sub(1) + place.width.max(1)).max(start + 1).min(text.len().max(start));
    Some(Span { start: span.start + start, end: span.start + end.max(start) })
}
