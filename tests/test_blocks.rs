//! `compplan test`: the `test` blocks of the example plans pass, and a changed expectation, an ambiguous
//! period or broken test data each fail at the line that says so.

use crate::support::{compplan, root, scratch, stderr, stdout, Scratch};

/// A copy of the example plans (with their data) where one plan's text is edited.
fn plans_with(name: &str, plan: &str, edit: impl Fn(String) -> String) -> Scratch {
    let dir = scratch(name);
    std::fs::create_dir_all(dir.join("data")).expect("data folder");
    for folder in ["plans", "plans/data"] {
        for entry in std::fs::read_dir(root().join(folder)).expect("folder") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                continue;
            }
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
            let text = std::fs::read_to_string(&path).expect("text");
            let text = if name == plan { edit(text) } else { text };
            let to = if folder == "plans" { dir.join(&name) } else { dir.join("data").join(&name) };
            std::fs::write(to, text).expect("write");
        }
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
    ] {
        assert!(text.contains(&format!("test {name}")), "{name} missing from:\n{text}");
    }
    assert!(text.ends_with("test result: ok. 6 passed; 0 failed; 32 expectations checked\n"), "{text}");
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
    assert!(out.contains("test result: FAILED. 5 passed; 1 failed; 32 expectations checked"), "{out}");
    insta::assert_snapshot!(err);
}

#[test]
fn filter_selects_tests_by_name_and_junit_reports_each_test() {
    let dir = plans_with("junit", "enterprise_ae.plan", |t| t.replace("expect 2026-05 bob total is 5600.00 USD", "expect 2026-05 bob total is 5000.00 USD"));
    let junit = dir.join("report.xml");
    let (code, out, _) = test_in(&dir, &["--filter", "Bob", "--junit", junit.to_str().expect("path")]);
    assert_eq!(code, Some(1));
    assert_eq!(out.lines().filter(|l| l.contains(" ... ")).count(), 1, "only Bob's test runs: {out}");
    let xml = std::fs::read_to_string(&junit).expect("the JUnit report is written").replace(dir.to_str().expect("path"), "<plans>");
    assert!(xml.contains("<testsuites name=\"compplan\" tests=\"1\" failures=\"1\" errors=\"0\">"), "{xml}");
    assert!(xml.contains("name=\"worked example: Bob&apos;s draw and its recovery\" file=\"<plans>/enterprise_ae.plan\""), "{xml}");
    assert!(xml.contains("message=\"`bob` total in 2026-05: expected 5000.00 USD, computed 5600.00 USD\""), "{xml}");

    let (code, out, _) = test_in(&dir, &["--filter", "Maria"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("test result: ok. 1 passed; 0 failed; 2 expectations checked"), "{out}");
}

#[test]
fn an_expectation_must_name_its_pay_period_when_the_test_has_several() {
    let dir = plans_with("ambiguous-period", "enterprise_ae.plan", |t| t.replace("expect 2026-04 bob draw is", "expect bob draw is"));
    let (code, _, err) = test_in(&dir, &["--filter", "Bob"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("error[E1001]: the test evaluates 3 pay periods; the expectation must name one"), "{err}");
    assert!(err.contains("= note: the test evaluates 2026-04, 2026-05, 2026-06"), "{err}");

    let dir = plans_with("unevaluated-period", "enterprise_ae.plan", |t| t.replace("expect 2026-04 bob draw is", "expect 2026-07 bob draw is"));
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

    let dir = plans_with("no-fixture", "sales_manager.plan", |t| t.replace("data from \"data\"", "data from \"missing\""));
    let (code, _, err) = test_in(&dir, &["--filter", "Maria"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("error[E1002]: the test's fixture folder <plans>/missing does not exist"), "{err}");
}
