//! `compplan test`: runs the `test` blocks written inside plans and reports each failed expectation at
//! its line, with the expected value, the computed one and the difference; optionally as JUnit XML.

use super::{run as runcmd, TestArgs};
use crate::ast::{self, Span};
use crate::diagnostics::{codes, render, Diagnostic, LocatedDiagnostic};
use crate::source::{line_starts, SourceFile, Workspace};
use crate::testing::{self, junit, Problem};
use crate::{check, model, CompDb};
use std::io::Write as _;
use std::path::Path;

pub(crate) fn run(args: &TestArgs) -> u8 {
    let Some((db, ws)) = runcmd::checked_workspace(&args.paths) else { return 1 };
    let model = check::workspace_model(&db, ws);
    let mut cases = Vec::new();
    let mut out = std::io::stdout().lock();
    let (mut passed, mut failed, mut expectations) = (0, 0, 0);
    for (index, plan) in model.plans.iter().enumerate() {
        let versions = model.plans.iter().filter(|p| p.name == plan.name).count();
        let suite = if versions > 1 { format!("{} v{}", plan.name, plan.version) } else { plan.name.clone() };
        let Some((file, blocks)) = test_blocks(&db, ws, plan) else { continue };
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
                let message = format!("the test's fixture folder {} does not exist", folder.display());
                let d = Diagnostic::new(&codes::TEST_DATA, message.clone()).primary(fixture_span(block), "no such folder").in_file(file);
                let detail = show(&db, &[d], &[]);
                cases.push(case(&db, &suite, test, file, block, vec![message], detail));
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
                cases.push(case(&db, &suite, test, file, block, Vec::new(), String::new()));
                continue;
            }
            failed += 1;
            let _ = writeln!(out, "test {full} ... FAILED");
            let (located, plain, summaries) = diagnose(&db, ws, file, block, test, &outcome.problems);
            let detail = show(&db, &located, &plain);
            cases.push(case(&db, &suite, test, file, block, summaries, detail));
        }
    }
    let failures: Vec<&junit::Case> = cases.iter().filter(|c| !c.failures.is_empty()).collect();
    if !failures.is_empty() {
        let _ = writeln!(out, "\nfailures:");
        let _ = out.flush();
        for case in &failures {
            eprintln!("\n---- {} › {} ({}:{}) ----", case.suite, case.name, case.file, case.line);
            eprint!("{}", case.detail);
        }
    }
    let verdict = if failed == 0 { "ok" } else { "FAILED" };
    let _ = writeln!(out, "\ntest result: {verdict}. {passed} passed; {failed} failed; {expectations} expectations checked");
    if let Some(path) = &args.junit {
        if let Err(e) = std::fs::write(path, junit::write(&cases)) {
            eprintln!("error: cannot write {}: {e}", path.display());
            return 1;
        }
    }
    u8::from(failed > 0)
}

/// The file of a plan and its `test` blocks, in the order the checker collected them.
fn test_blocks<'db>(db: &'db CompDb, ws: Workspace, plan: &model::Plan) -> Option<(SourceFile, Vec<&'db ast::Node<ast::Entry>>)> {
    for &file in ws.files(db) {
        for item in &crate::syntax::parse_file(db, file).items {
            let ast::Item::Plan(p) = &item.kind else { continue };
            let same_name = p.name.as_ref().is_some_and(|n| n.text == plan.name);
            if same_name && p.version.as_ref().is_some_and(|(v, _)| *v == plan.version) {
                let blocks = p.entries.iter().filter(|e| matches!(e.kind, ast::Entry::Test(_))).collect();
                return Some((file, blocks));
            }
        }
    }
    None
}

fn test_of(block: &ast::Node<ast::Entry>) -> Option<&ast::Test> {
    match &block.kind {
        ast::Entry::Test(t) => Some(t),
        _ => None,
    }
}

fn case(db: &CompDb, suite: &str, test: &model::TestCase, file: SourceFile, block: &ast::Node<ast::Entry>, failures: Vec<String>, detail: String) -> junit::Case {
    let line = line_starts(db, file).partition_point(|&start| start <= block.span.start);
    junit::Case { suite: suite.to_string(), name: test.name.clone(), file: file.path(db).clone(), line, failures, detail }
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
    block: &ast::Node<ast::Entry>,
    test: &model::TestCase,
    problems: &[Problem],
) -> (Vec<Diagnostic>, Vec<LocatedDiagnostic>, Vec<String>) {
    let (mut located, mut plain, mut summaries) = (Vec::new(), Vec::new(), Vec::new());
    let expects: Vec<Span> = test_of(block)
        .map(|t| t.stmts.iter().filter(|s| matches!(s.kind, ast::TestStmt::Expect { .. })).map(|s| s.span).collect())
        .unwrap_or_default();
    let at = |index: usize| expects.get(index).copied().unwrap_or(block.span);
    for problem in problems {
        match problem {
            Problem::NotMet { index, period, expected, computed, unit, note } => {
                let e = &test.expectations[(*index).min(test.expectations.len().saturating_sub(1))];
                let difference = computed - expected;
                let message = format!("`{}` {} in {period}: expected {}, computed {}", e.rep, e.name, unit.show(*expected), unit.show(*computed));
                let mut d = Diagnostic::new(&codes::EXPECTATION_NOT_MET, message.clone())
                    .primary(at(*index), format!("computed {}", unit.show(*computed)))
                    .in_file(file);
                d.notes.push(format!("difference (computed − expected): {}", unit.show(difference)));
                d.notes.extend(note.clone());
                d.help = Some(format!("if the plan is right, expect `{}`; otherwise the change moved this payout", unit.show(*computed)));
                summaries.push(message);
                located.push(d);
            }
            Problem::Period { index, message, evaluated } => {
                let mut d = Diagnostic::new(&codes::EXPECTATION_PERIOD, message.clone()).primary(at(*index), "which pay period?").in_file(file);
                if !evaluated.is_empty() {
                    d.notes.push(format!("the test evaluates {}", evaluated.join(", ")));
                    d.help = evaluated.last().map(|p| format!("name the pay period: `expect {p} …`"));
                }
                summaries.push(message.clone());
                located.push(d);
            }
            Problem::Data(errors) => {
                for error in errors {
                    summaries.push(error.message.clone());
                    match inline_place(test_of(block), error) {
                        Some(span) => {
                            let mut d = Diagnostic::new(error.code, error.message.clone()).primary(span, error.label.clone()).in_file(file);
                            d.notes = error.notes.clone();
                            d.help = error.help.clone();
                            located.push(d);
                        }
                        None => plain.push(error.clone()),
                    }
                }
            }
            Problem::Eval(error) => {
                summaries.push(error.message.clone());
                let (at_definition, elsewhere) = runcmd::eval_diagnostics(db, ws, std::slice::from_ref(error));
                located.extend(at_definition);
                plain.extend(elsewhere);
            }
        }
    }
    (located, plain, summaries)
}

/// Where a problem in an inline table is in the plan text: the cell's column of the CSV line.
fn inline_place(test: Option<&ast::Test>, error: &LocatedDiagnostic) -> Option<Span> {
    let place = error.place.as_ref()?;
    let lines = test?.stmts.iter().rev().find_map(|s| match &s.kind {
        ast::TestStmt::Table { table, lines } if testing::inline_path(&table.text) == place.path => Some(lines),
        _ => None,
    })?;
    let (text, span) = lines.get(place.line.checked_sub(1)?)?;
    let byte = |chars: usize| text.char_indices().nth(chars).map_or(text.len(), |(i, _)| i);
    let start = byte(place.column.saturating_sub(1));
    let end = byte(place.column.saturating_sub(1) + place.width.max(1)).max(start + 1).min(text.len().max(start));
    Some(Span { start: span.start + start, end: span.start + end.max(start) })
}

fn fixture_span(block: &ast::Node<ast::Entry>) -> Span {
    test_of(block)
        .and_then(|t| t.stmts.iter().find(|s| matches!(s.kind, ast::TestStmt::Fixture(_))))
        .map_or(block.span, |s| s.span)
}
