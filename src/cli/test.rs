//! `compplan test`: runs the `test` blocks written inside plans and reports each failed expectation at
//! its line, with the expected value, the computed one and the difference; optionally as JUnit XML
//! and as GitHub annotations.

use super::inputs::{open_in, plural};
use super::{ExitStatus, TestArgs, TestErrorFormat};
use crate::check::source_map::TestSource;
use crate::diagnostics::{codes, render, Diagnostic};
use crate::pipeline::Plans;
use crate::source::{line_starts, SourceFile};
use crate::testing::{self, junit};
use codespan_reporting::term::termcolor::BufferedStandardStream;
use std::io::Write as _;
use std::path::Path;

/// What the tests came to: the JUnit cases, and the counts for the last line.
#[derive(Default)]
struct Results {
    cases: Vec<junit::Case>,
    passed: usize,
    failed: usize,
    expectations: usize,
}

pub(crate) fn run(args: &TestArgs) -> ExitStatus {
    let plans = match checked(&args.paths) {
        Ok(plans) => plans,
        Err((message, detail)) => {
            eprintln!("error: {message}");
            // CI uploads the report even when the step fails: say why there are no test results.
            return write_junit(args, &[whole_run_error(args, "the plans check", message, detail)])
                .unwrap_or(ExitStatus::Failed);
        }
    };
    let mut results = Results::default();
    let mut out = std::io::stdout().lock();
    let model = plans.model();
    for (index, plan) in model.plans.iter().enumerate() {
        let versions = model.plans.iter().filter(|p| p.name == plan.name).count();
        let suite = if versions > 1 { format!("{} v{}", plan.name, plan.version) } else { plan.name.clone() };
        // Where the plan's tests are written, by their index in the model's tests.
        let Some(map) = crate::check::plan_source(plans.db(), plans.workspace(), &plan.name, plan.version) else {
            continue;
        };
        for (test, block) in map.tests.iter().enumerate().take(plan.tests.len()) {
            let full = format!("{suite} › {}", plan.tests[test].name);
            if args.filter.as_ref().is_some_and(|f| !full.contains(f.as_str())) {
                continue;
            }
            let one = Test { plans: &plans, plan: index, test, file: map.file, block };
            let (checked, problems) = one.run();
            results.expectations += checked;
            if problems.is_empty() {
                results.passed += 1;
                let _ = writeln!(out, "test {full} ... ok");
            } else {
                results.failed += 1;
                let _ = writeln!(out, "test {full} ... FAILED");
                if args.error_format == TestErrorFormat::Github {
                    let _ = out.write_all(render::github(plans.db(), &problems).as_bytes());
                }
            }
            results.cases.push(one.case(&suite, &problems));
        }
    }
    if let Some(filter) = args.filter.as_ref().filter(|_| results.cases.is_empty()) {
        // A mistyped filter must not pass in CI.
        let message = format!("no test matches `{filter}`");
        eprintln!("error: {message}");
        return write_junit(args, &[whole_run_error(args, "the filter matches a test", message, String::new())])
            .unwrap_or(ExitStatus::Failed);
    }
    report(&mut out, &results);
    write_junit(args, &results.cases).unwrap_or(ExitStatus::failed_if(results.failed > 0))
}

/// Prints the failures' details on stderr and the last line on stdout.
fn report(out: &mut impl std::io::Write, results: &Results) {
    let failures: Vec<&junit::Case> =
        results.cases.iter().filter(|c| !c.failures.is_empty() || !c.errors.is_empty()).collect();
    if !failures.is_empty() {
        let _ = writeln!(out, "\nfailures:");
        let _ = out.flush();
        for case in &failures {
            let line = case.line.map(|l| format!(":{l}")).unwrap_or_default();
            eprintln!("\n---- {} › {} ({}{line}) ----", case.suite, case.name, case.file);
            eprint!("{}", case.detail);
        }
    }
    let verdict = if results.failed == 0 { "ok" } else { "FAILED" };
    let (passed, failed, expectations) = (results.passed, results.failed, results.expectations);
    let _ = writeln!(
        out,
        "\ntest result: {verdict}. {passed} passed; {failed} failed; {expectations} expectations checked"
    );
}

/// One test block of a checked plan.
struct Test<'a> {
    plans: &'a Plans,
    /// The plan's index in the model.
    plan: usize,
    /// The test's index in the plan's tests.
    test: usize,
    /// Where the test is written.
    file: SourceFile,
    block: &'a TestSource,
}

impl Test<'_> {
    fn test_case(&self) -> &crate::model::TestCase {
        &self.plans.model().plans[self.plan].tests[self.test]
    }

    /// Runs the test on its data: the expectations compared, and the problems placed in the plans
    /// and the fixture files.
    fn run(&self) -> (usize, Vec<Diagnostic>) {
        let case = self.test_case();
        let dir = Path::new(self.file.path(self.plans.db())).parent().unwrap_or(Path::new(""));
        let fixture = case.fixture.as_ref().map(|f| dir.join(f));
        if let Some(folder) = fixture.as_ref().filter(|f| !f.is_dir()) {
            return (0, vec![self.no_fixture(folder)]);
        }
        let mut in_fixture = fixture.as_deref().map(open_in);
        let from_fixture = move |table: &str| match in_fixture.as_mut() {
            Some(open) => open(table),
            None => Ok(None),
        };
        let model = self.plans.model();
        let outcome = testing::run(model, self.plan, self.test, testing::open_tables(case, from_fixture));
        (outcome.checked, self.plans.place(outcome.problems))
    }

    /// A `data from` folder that is not one.
    fn no_fixture(&self, folder: &Path) -> Diagnostic {
        let (message, label) = if folder.exists() {
            (format!("the test's fixture {} is not a folder", folder.display()), "not a folder")
        } else {
            (format!("the test's fixture folder {} does not exist", folder.display()), "no such folder")
        };
        Diagnostic::new(&codes::TEST_DATA, message)
            .primary(self.block.fixture.unwrap_or(self.block.span), label)
            .in_file(self.file)
            .help("`data from` names a folder of CSV files (`reps.csv`, `deals.csv`…), relative to the plan file")
    }

    /// The test as a JUnit case: each problem's message, as a failure (an expectation not met) or
    /// an error (a problem that kept the test from comparing), and their text.
    fn case(&self, suite: &str, problems: &[Diagnostic]) -> junit::Case {
        let db = self.plans.db();
        let line = line_starts(db, self.file).partition_point(|&start| start <= self.block.span.start);
        let (failures, errors): (Vec<&Diagnostic>, Vec<&Diagnostic>) =
            problems.iter().partition(|d| testing::is_failed_expectation(d));
        let messages = |list: Vec<&Diagnostic>| list.into_iter().map(|d| d.message.clone()).collect();
        junit::Case {
            suite: suite.to_string(),
            name: self.test_case().name.clone(),
            file: self.file.path(db).clone(),
            line: Some(line),
            failures: messages(failures),
            errors: messages(errors),
            detail: render::plain(db, problems),
        }
    }
}

/// Reads and checks the plans; on failure, the message and the rendered errors (also printed).
fn checked(paths: &[std::path::PathBuf]) -> Result<Plans, (String, String)> {
    let sources = super::files::read_plans(paths).map_err(|message| (message, String::new()))?;
    Plans::check(sources).map_err(|failed| {
        let errors = failed.diagnostics();
        let mut stderr = BufferedStandardStream::stderr(super::stderr_colour());
        let _ = render::text(failed.plans.db(), errors, &mut stderr);
        let _ = stderr.flush();
        let n = errors.len();
        let message = format!("the plans have {n} error{}; no test was run (see `compplan check`)", plural(n));
        (message, render::plain(failed.plans.db(), errors))
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

/// Writes the JUnit report when asked; `Some(Failed)` when it cannot be written.
fn write_junit(args: &TestArgs, cases: &[junit::Case]) -> Option<ExitStatus> {
    let path = args.junit.as_ref()?;
    match std::fs::write(path, junit::write(cases)) {
        Ok(()) => None,
        Err(e) => {
            eprintln!("error: cannot write {}: {e}", path.display());
            Some(ExitStatus::Failed)
        }
    }
}
