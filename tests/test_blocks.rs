//! `compplan test`: the `test` blocks of the example plans pass, and a changed expectation, an ambiguous
//! period or broken test data each fail at the line that says so.

use crate::support::{compplan, copy_dir, root, scratch, stderr, stdout, Scratch};

/// A copy of the example plans (with their data) where one plan's text is edited.
fn plans_with(name: &str, plan: &str, edit: impl Fn(String) -> String) -> Scratch {
    let dir = scratch(name);
    copy_dir(&root().join("plans"), &dir);
    let path = dir.join(plan);
    if path.is_file() {
        let text = std::fs::read_to_string(&path).expect("text");
        std::fs::write(&path, edit(text)).expect("write");
    }
    dir
}

/// A folder with the example schema, crediting rules and data (in `data/`) and the given plan files.
fn workspace_with(name: &str, plans: &[(&str, &str)]) -> Scratch {
    let dir = plans_with(name, "", |t| t);
    for entry in std::fs::read_dir(&*dir).expect("folder") {
        let path = entry.expect("entry").path();
        let keep = ["schema.plan", "crediting.plan"].iter().any(|k| path.ends_with(k));
        if path.extension().is_some_and(|e| e == "plan") && !keep {
            std::fs::remove_file(&path).expect("remove");
        }
    }
    for (file, text) in plans {
        std::fs::write(dir.join(file), text).expect("write");
    }
    dir
}

/// Runs `compplan test` on a folder; the exit code and both outputs with the folder shown as `<plans>`.
fn test_in(dir: &std::path::Path, extra: &[&str]) -> (Option<i32>, String, String) {
    let path = dir.to_str().expect("utf-8 path");
    let mut args = vec!["test", path];
    args.extend(extra);
    let out = compplan(&args);
    (out.status.code(), stdout(&out).replace(path, "<plans>"), stderr(&out).replace(path, "<plans>"))
}

#[test]
fn the_example_plans_tests_pass_including_both_worked_examples() {
    let out = compplan(&["test", "plans"]);
    assert_eq!(out.status.code(), Some(0), "{}{}", stdout(&out), stderr(&out));
    let text = stdout(&out);
    for name in [
        "enterprise_ae › worked example: Alice in March ... ok",
        "enterprise_ae › worked example: Bob's draw and its recovery ... ok",
        "enterprise_ae › worked example: Alice's negative true-up is deferred ... ok",
        "enterprise_ae › one deal at exactly 100% in January ... ok",
        "partner › worked example: the first quarter of plan year 2026 ... ok",
        "sales_manager › worked example: Maria's override ... ok",
        "sdr › Sofia's first quarter ... ok",
    ] {
        assert!(text.contains(&format!("test {name}")), "{name} missing from:\n{text}");
    }
    assert!(text.ends_with("test result: ok. 7 passed; 0 failed; 40 expectations checked\n"), "{text}");
}

#[test]
fn a_changed_expectation_fails_at_its_line_with_the_difference() {
    // The plan computes 7,400.00 (15,000 YTD − 7,600 paid); the edit expects 7,500.00: −100.00 apart.
    let dir = plans_with("changed-expectation", "enterprise_ae.plan", |t| {
        t.replace("expect alice commission is 7400.00 USD", "expect alice commission is 7500.00 USD")
    });
    let (code, out, err) = test_in(&dir, &[]);
    assert_eq!(code, Some(1), "{out}{err}");
    assert!(out.contains("test enterprise_ae › worked example: Alice in March ... FAILED"), "{out}");
    assert!(out.contains("test result: FAILED. 6 passed; 1 failed; 40 expectations checked"), "{out}");
    insta::assert_snapshot!(err);
}

#[test]
fn filter_selects_tests_by_name_and_junit_reports_each_test() {
    let dir = plans_with("junit", "enterprise_ae.plan", |t| {
        t.replace("expect 2026-05 bob total is 5600.00 USD", "expect 2026-05 bob total is 5000.00 USD")
    });
    let junit = dir.join("report.xml");
    let (code, out, _) = test_in(&dir, &["--filter", "Bob", "--junit", junit.to_str().expect("path")]);
    assert_eq!(code, Some(1));
    assert_eq!(out.lines().filter(|l| l.contains(" ... ")).count(), 1, "only Bob's test runs: {out}");
    let xml = std::fs::read_to_string(&junit)
        .expect("the JUnit report is written")
        .replace(dir.to_str().expect("path"), "<plans>");
    assert!(xml.contains("<testsuites name=\"compplan\" tests=\"1\" failures=\"1\" errors=\"0\">"), "{xml}");
    assert!(
        xml.contains("name=\"worked example: Bob&apos;s draw and its recovery\" file=\"<plans>/enterprise_ae.plan\""),
        "{xml}"
    );
    assert!(xml.contains("message=\"`bob` total in 2026-05: expected 5000.00 USD, computed 5600.00 USD\""), "{xml}");

    let (code, out, _) = test_in(&dir, &["--filter", "Maria"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("test result: ok. 1 passed; 0 failed; 2 expectations checked"), "{out}");
}

#[test]
fn an_expectation_must_name_its_pay_period_when_the_test_has_several() {
    let dir = plans_with("ambiguous-period", "enterprise_ae.plan", |t| {
        t.replace("expect 2026-04 bob draw is", "expect bob draw is")
    });
    let (code, _, err) = test_in(&dir, &["--filter", "Bob"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("error[E1001]: the test evaluates 3 pay periods; the expectation must name one"), "{err}");
    assert!(err.contains("= note: the test evaluates 2026-04, 2026-05, 2026-06"), "{err}");

    let dir = plans_with("unevaluated-period", "enterprise_ae.plan", |t| {
        t.replace("expect 2026-04 bob draw is", "expect 2026-07 bob draw is")
    });
    let (code, _, err) = test_in(&dir, &["--filter", "Bob"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("error[E1001]: the test does not evaluate the pay period 2026-07"), "{err}");
}

#[test]
fn broken_inline_data_is_reported_at_its_cell_in_the_plan() {
    let dir = plans_with("inline-data", "enterprise_ae.plan", |t| t.replace("D1,ada,100000,USD", "D1,ada,100 000,USD"));
    let (code, _, err) = test_in(&dir, &["--filter", "January"]);
    assert_eq!(code, Some(1));
    insta::assert_snapshot!(err);
}

/// Inline rows follow the data files' rule: a space at the end of a row belongs to its last cell,
/// which is refused at its place in the plan (E0717), not dropped without a word. Spaces before a
/// comment or the table's `}` on the same line only separate them from the row.
#[test]
fn a_space_at_the_end_of_an_inline_row_is_refused_at_its_cell() {
    let row = "      ada,Ada Byron,AE,EMEA,,2025-01-01,,60000";
    let dir = plans_with("inline-trailing-space", "enterprise_ae.plan", |t| t.replace(row, &format!("{row} ")));
    let (code, _, err) = test_in(&dir, &["--filter", "January"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("error[E0717]"), "{err}");
    let line = std::fs::read_to_string(dir.join("enterprise_ae.plan"))
        .expect("plan")
        .lines()
        .position(|l| l.starts_with(row))
        .expect("the row")
        + 1;
    assert!(err.contains(&format!("<plans>/enterprise_ae.plan:{line}:")), "at the row's line {line}: {err}");

    let dir = plans_with("inline-space-before-comment", "enterprise_ae.plan", |t| {
        t.replace(row, &format!("{row}   // the rep"))
            .replace("      ada,2026,1200000\n    }\n", "      ada,2026,1200000 \t }\n")
    });
    let (code, out, err) = test_in(&dir, &["--filter", "January"]);
    assert_eq!(code, Some(0), "spaces before a comment are not part of the row: {out}{err}");
}

#[test]
fn a_test_without_reps_or_with_a_missing_fixture_folder_says_so() {
    let dir = plans_with("no-reps", "enterprise_ae.plan", |t| {
        let start = t.find("    data reps {").expect("inline reps");
        let end = start + t[start..].find("    }\n").expect("end of table") + "    }\n".len();
        format!("{}{}", &t[..start], &t[end..])
    });
    let (code, _, err) = test_in(&dir, &["--filter", "January"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("error[E1002]: the test \"one deal at exactly 100% in January\" has no `reps` data"), "{err}");

    let dir =
        plans_with("no-fixture", "sales_manager.plan", |t| t.replace("data from \"data\"", "data from \"missing\""));
    let (code, _, err) = test_in(&dir, &["--filter", "Maria"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("error[E1002]: the test's fixture folder <plans>/missing does not exist"), "{err}");
}

/// Two versions of one plan, on the example data: version 1 (January to March) pays 5% below 100%,
/// version 2 (April on) 6%; commission is year to date, trued up against what was paid.
const TWO_VERSIONS: &str = r#"plan ae "AE" version 1 {
  effective 2026-01-01 to 2026-03-31
  currency USD
  pay monthly
  eligible when rep.role is "AE"
  quota q = quotas.amount split evenly by month, prorated by months employed
  measure bookings = sum of credit.amount
  attainment att = bookings ytd / q ytd
  table r marginal on att {
    from 0% to 100% : 5%
    100% and above  : 10%
  }
  earn commission = r of bookings ytd
V1_TESTS}

plan ae "AE" version 2 {
  effective 2026-04-01 to 2026-12-31
  currency USD
  pay monthly
  eligible when rep.role is "AE"
  quota q = quotas.amount split evenly by month, prorated by months employed
  measure bookings = sum of credit.amount
  attainment att = bookings ytd / q ytd
  table r marginal on att {
    from 0% to 100% : 6%
    100% and above  : 10%
  }
  earn commission = r of bookings ytd

  test "april under version 2" {
    data from "data"
    period 2026-04
    EXPECTATIONS
  }
}
"#;

#[test]
fn a_test_in_a_later_version_trues_up_against_what_the_earlier_version_paid() {
    // Alice's bookings to April: A1 40,000 + A2 30,000 + A3 90,000 + A4 150,000 + A5 20,000, less A2
    // cancelled within 90 days (−30,000) = 300,000; all by the end of March. Her quota is 1,200,000 a
    // year, 100,000 a month.
    // Version 1 in March: att = 300,000 / 300,000 = 100%, all in the 5% band: 5% × 300,000 = 15,000
    // paid by the end of March. Version 2 in April: att = 300,000 / 400,000 = 75%; 6% × 300,000 =
    // 18,000 to date, less the 15,000 version 1 paid = 3,000.00 in April.
    let expectations =
        "expect alice commission is 3000.00 USD\n    expect alice total is 3000.00 USD\n    expect alice att is 75%";
    let dir = workspace_with(
        "two-versions",
        &[("ae.plan", &TWO_VERSIONS.replace("V1_TESTS", "").replace("EXPECTATIONS", expectations))],
    );
    let (code, out, err) = test_in(&dir, &[]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(out.contains("test ae v2 › april under version 2 ... ok"), "{out}");
    assert!(out.contains("test result: ok. 1 passed; 0 failed; 3 expectations checked"), "{out}");
    let run = compplan(&[
        "run",
        dir.to_str().expect("path"),
        "--data",
        dir.join("data").to_str().expect("path"),
        "--period",
        "2026-04",
        "--rep",
        "alice",
    ]);
    assert!(stdout(&run).contains("commission  3,000.00"), "run pays the same: {}", stdout(&run));
}

#[test]
fn a_test_compares_the_pay_periods_of_its_own_version_only() {
    // Version 1 pays January to March. Alice through January: 70,000 of 100,000 = 70%, 5% × 70,000
    // = 3,500; through February 160,000 of 200,000 = 80%, 5% × 160,000 = 8,000 (4,500 in February);
    // through March 300,000 of 300,000 = 100%, 5% × 300,000 = 15,000 (7,000 in March).
    let v1 = r#"
  test "the year, as version 1 pays it" {
    data from "data"
    period 2026
    expect 2026-03 alice commission is 7000.00 USD
    expect alice commission is 7000.00 USD
  }
"#;
    let v2 = "expect 2026-03 alice commission is 7000.00 USD";
    let dir = workspace_with(
        "own-version",
        &[("ae.plan", &TWO_VERSIONS.replace("V1_TESTS", v1).replace("EXPECTATIONS", v2))],
    );
    let (code, out, err) = test_in(&dir, &[]);
    assert_eq!(code, Some(1), "{out}{err}");
    // The year holds twelve pay periods of the plan, three of them version 1's: the expectation that
    // names none is ambiguous among those three, and the one naming March compares.
    assert!(err.contains("error[E1001]: the test evaluates 3 pay periods; the expectation must name one"), "{err}");
    assert!(err.contains("= note: the test evaluates 2026-01, 2026-02, 2026-03"), "{err}");
    assert!(!err.contains("E1000"), "March under version 1 pays 7,000.00: {err}");
    // March is version 1's: a test in version 2 does not compare it, and its April has no March.
    assert!(err.contains("error[E1001]: the test does not evaluate the pay period 2026-03"), "{err}");
    assert!(err.contains("= note: the test evaluates 2026-04"), "{err}");

    let v2_q1 = TWO_VERSIONS
        .replace("V1_TESTS", "")
        .replace("period 2026-04", "period 2026-Q1")
        .replace("EXPECTATIONS", "expect alice total is 0.00 USD");
    let dir = workspace_with("version-without-periods", &[("ae.plan", &v2_q1)]);
    let (code, _, err) = test_in(&dir, &[]);
    assert_eq!(code, Some(1));
    assert!(err.contains("error[E1001]: version 2 of the plan pays no period in the test's period"), "{err}");
}

/// A plan whose inline tables have braces and `//` in quoted cells, trailing comments, a `}` inside an
/// unquoted cell, and a last row that ends with the table's closing brace.
const BRACES_AND_COMMENTS: &str = r#"plan ae "AE" version 1 {
  effective 2026-01-01 to 2026-12-31
  currency USD
  pay monthly
  measure bookings = sum of credit.amount
  earn commission = 4% of bookings period

  test "braces and comments" {
    data reps {
      id,name,role,region,manager,hired,terminated,target_incentive  // the header
      ada,"Ada {the} Byron",AE,EMEA,,2025-01-01,,60000
      // a comment line
      bob,"Bob // Chen",AE,EMEA,,2025-01-01,,60000  // a trailing comment
    }
    data deals {
      id,owner,amount,currency,closed,product,region,kind,new_logo,cancelled,paid
      D1,ada,100000,USD,2026-01-15,Plat}form,EMEA,new,false,,
      D2,bob,50000,USD,2026-01-20,"}",EMEA,new,false,, }
    period 2026-01
    expect ada commission is 4000.00 USD  // 4% × 100,000
    expect bob commission is 2000.00 USD  // 4% × 50,000
  }
}
"#;

#[test]
fn inline_rows_may_quote_braces_and_end_with_the_closing_brace_and_comments_are_not_cells() {
    let parsed = compplan::syntax::parse(BRACES_AND_COMMENTS);
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    let compplan::ast::Item::Plan(plan) = &parsed.file.items[0].kind else { panic!("a plan") };
    let tables: Vec<(String, Vec<String>)> = plan
        .entries
        .iter()
        .filter_map(|e| match &e.kind {
            compplan::ast::Entry::Test(t) => Some(t),
            _ => None,
        })
        .flat_map(|t| &t.stmts)
        .filter_map(|s| match &s.kind {
            compplan::ast::TestStmt::Table { table, lines } => {
                Some((table.text.clone(), lines.iter().map(|(l, _)| l.clone()).collect()))
            }
            _ => None,
        })
        .collect();
    assert_eq!(
        tables,
        vec![
            (
                "reps".to_string(),
                vec![
                    "id,name,role,region,manager,hired,terminated,target_incentive".to_string(),
                    "ada,\"Ada {the} Byron\",AE,EMEA,,2025-01-01,,60000".to_string(),
                    "bob,\"Bob // Chen\",AE,EMEA,,2025-01-01,,60000".to_string(),
                ]
            ),
            (
                "deals".to_string(),
                vec![
                    "id,owner,amount,currency,closed,product,region,kind,new_logo,cancelled,paid".to_string(),
                    "D1,ada,100000,USD,2026-01-15,Plat}form,EMEA,new,false,,".to_string(),
                    "D2,bob,50000,USD,2026-01-20,\"}\",EMEA,new,false,,".to_string(),
                ]
            ),
        ]
    );

    let dir = workspace_with("braces", &[("ae.plan", BRACES_AND_COMMENTS)]);
    let (code, out, err) = test_in(&dir, &[]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(out.contains("test result: ok. 1 passed; 0 failed; 2 expectations checked"), "{out}");
    // The formatter puts the closing brace on its own line.
    let fmt = compplan(&["fmt", dir.to_str().expect("path")]);
    assert_eq!(fmt.status.code(), Some(0), "{}", stderr(&fmt));
    let text = std::fs::read_to_string(dir.join("ae.plan")).expect("text");
    assert!(
        text.contains("      D2,bob,50000,USD,2026-01-20,\"}\",EMEA,new,false,,\n    }\n    period 2026-01"),
        "{text}"
    );
}

#[test]
fn an_expectation_about_a_rep_the_test_data_lacks_fails_instead_of_comparing_with_zero() {
    // `nobody` is not in the January test's inline reps (only `ada` is): expecting zero must not pass.
    let dir = plans_with("unknown-rep", "enterprise_ae.plan", |t| {
        t.replace(
            "expect ada att is 100%",
            "expect ada att is 100%\n    expect nobody commission is 0.00 USD\n    expect adda total is 0.00 USD",
        )
    });
    let (code, out, err) = test_in(&dir, &["--filter", "January"]);
    assert_eq!(code, Some(1), "{out}{err}");
    assert!(out.contains("test enterprise_ae › one deal at exactly 100% in January ... FAILED"), "{out}");
    assert!(err.contains("error[E1003]: the test's `reps` data has no rep `nobody`"), "{err}");
    assert!(err.contains("expect nobody commission is 0.00 USD\n   │     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ no such rep in the test's data"), "{err}");
    assert!(err.contains("= note: the test's reps: ada"), "{err}");
    assert!(err.contains("error[E1003]: the test's `reps` data has no rep `adda`"), "{err}");
    assert!(err.contains("= help: did you mean `ada`?"), "{err}");
    // The expectations about `ada` still pass: only the two about absent reps are reported.
    assert_eq!(err.matches("error[").count(), 2, "{err}");
}

#[test]
fn a_filter_that_matches_no_test_fails_and_says_so_in_the_junit_report() {
    let dir = plans_with("no-match", "", |t| t);
    let junit = dir.join("report.xml");
    let (code, out, err) = test_in(&dir, &["--filter", "nomatch", "--junit", junit.to_str().expect("path")]);
    assert_eq!(code, Some(1), "{out}{err}");
    assert_eq!(err, "error: no test matches `nomatch`\n");
    let xml = std::fs::read_to_string(&junit)
        .expect("the JUnit report is written")
        .replace(dir.to_str().expect("path"), "<plans>");
    assert!(xml.contains("<testsuites name=\"compplan\" tests=\"1\" failures=\"0\" errors=\"1\">"), "{xml}");
    assert!(
        xml.contains("<testcase classname=\"compplan\" name=\"the filter matches a test\" file=\"<plans>\">\n      <error message=\"no test matches `nomatch`\" type=\"error\">"),
        "{xml}"
    );
}

#[test]
fn junit_reports_data_problems_as_errors_and_plans_that_do_not_check_as_one_errored_case() {
    let dir = plans_with("junit-errors", "enterprise_ae.plan", |t| {
        t.replace("D1,ada,100000,USD", "D1,ada,100 000,USD")
            .replace("expect 2026-05 bob total is 5600.00 USD", "expect 2026-05 bob total is 5000.00 USD")
    });
    let junit = dir.join("report.xml");
    let (code, _, _) = test_in(&dir, &["--filter", "enterprise_ae", "--junit", junit.to_str().expect("path")]);
    assert_eq!(code, Some(1));
    let xml = std::fs::read_to_string(&junit).expect("the JUnit report is written");
    // Four tests: the January one cannot read its data (an error), Bob's misses 5,000 (a failure).
    assert!(xml.contains("<testsuites name=\"compplan\" tests=\"4\" failures=\"1\" errors=\"1\">"), "{xml}");
    assert!(xml.contains("<error message=\"`100 000` is not an amount"), "{xml}");
    assert!(xml.contains("<failure message=\"`bob` total in 2026-05: expected 5000.00 USD, computed 5600.00 USD\" type=\"expectation\">"), "{xml}");

    let dir = plans_with("junit-unchecked", "enterprise_ae.plan", |t| {
        t.replace("earn new_logo = 500 USD", "earn new_logo = 500 EUR")
    });
    let junit = dir.join("report.xml");
    let (code, out, err) = test_in(&dir, &["--junit", junit.to_str().expect("path")]);
    assert_eq!(code, Some(1), "{out}{err}");
    assert!(err.contains("error: the plans have 1 error; no test was run (see `compplan check`)"), "{err}");
    let xml = std::fs::read_to_string(&junit).expect("the JUnit report is written even when the plans do not check");
    assert!(xml.contains("<testsuites name=\"compplan\" tests=\"1\" failures=\"0\" errors=\"1\">"), "{xml}");
    assert!(xml.contains("name=\"the plans check\""), "{xml}");
    assert!(xml.contains("<error message=\"the plans have 1 error; no test was run (see `compplan check`)\" type=\"error\">error[E0201]"), "{xml}");
}

#[test]
fn a_fixture_that_is_a_file_or_lacks_reps_csv_is_reported_once_naming_it() {
    let dir = plans_with("fixture-file", "sales_manager.plan", |t| {
        t.replace("data from \"data\"", "data from \"schema.plan\"")
    });
    let (code, _, err) = test_in(&dir, &["--filter", "Maria"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("error[E1002]: the test's fixture <plans>/schema.plan is not a folder"), "{err}");
    assert!(err.contains("^^^^^^^^^^^^^^^^^^^^^^^ not a folder"), "{err}");

    let dir = plans_with("fixture-without-reps", "", |t| t);
    std::fs::remove_file(dir.join("data/reps.csv")).expect("remove reps.csv");
    let (code, _, err) = test_in(&dir, &["--filter", "Maria"]);
    assert_eq!(code, Some(1));
    assert!(
        err.contains("error[E1002]: the test \"worked example: Maria's override\" has no `reps` data: its fixture folder \"data\" has no `reps.csv`"),
        "{err}"
    );
    assert!(err.contains("^^^^^^^^^^^^^^^^ this folder has no `reps.csv`"), "{err}");
    assert_eq!(err.matches("error[").count(), 1, "one error, not one per reference to a rep: {err}");
}
