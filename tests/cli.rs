//! The command line as CI sees it: exit codes, the JSON shape and GitHub annotations.

use std::process::{Command, Output};

fn compplan(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_compplan"))
        .args(args)
        .current_dir(crate::support::root())
        .env_remove("NO_COLOR")
        .output()
        .expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn check_of_the_example_plans_exits_0() {
    let out = compplan(&["check", "plans"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("0 errors"), "a summary line ends the report: {}", stderr(&out));
    assert!(!stderr(&out).contains('\u{1b}'), "no colour when stderr is not a terminal");
}

#[test]
fn check_with_errors_exits_1() {
    let out = compplan(&["check", "tests/check/E0201_currency_mismatch.plan", "tests/check/prelude"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("error[E0201]"), "{}", stderr(&out));
}

#[test]
fn warnings_fail_only_when_denied() {
    let args = ["check", "tests/check/W0600_unused.plan", "tests/check/prelude"];
    assert_eq!(compplan(&args).status.code(), Some(0));
    let denied = compplan(&[&args[..], &["--deny-warnings"]].concat());
    assert_eq!(denied.status.code(), Some(1));
}

#[test]
fn usage_errors_exit_64_never_2() {
    assert_eq!(compplan(&["check", "--no-such-flag"]).status.code(), Some(64));
    assert_eq!(compplan(&["no-such-verb"]).status.code(), Some(64));
    assert_eq!(compplan(&["check", "--format", "xml"]).status.code(), Some(64));
    assert_eq!(compplan(&["--help"]).status.code(), Some(0));
}

#[test]
fn a_missing_path_is_an_error_not_a_crash() {
    let out = compplan(&["check", "no/such/folder"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("no such file or folder"), "{}", stderr(&out));
}

#[test]
fn json_output_has_a_version_counts_and_located_diagnostics() {
    let out = compplan(&["check", "tests/check/E0102_unknown_column.plan", "tests/check/prelude", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("valid JSON on stdout");
    assert_eq!(json["version"], 1);
    assert_eq!(json["counts"]["errors"], 2);
    assert_eq!(json["counts"]["warnings"], 0);
    let first = &json["diagnostics"][0];
    assert_eq!(first["code"], "E0102");
    assert_eq!(first["severity"], "error");
    assert_eq!(first["file"], "tests/check/E0102_unknown_column.plan");
    assert_eq!(first["line"], 5);
    assert_eq!(first["column"], 21);
    assert_eq!(first["end_column"], 27);
    let range = &first["range"];
    assert_eq!(range["end"].as_u64().unwrap() - range["start"].as_u64().unwrap(), "regoin".len() as u64);
    assert_eq!(first["help"], "did you mean `rep.region`?");
}

#[test]
fn github_format_writes_one_annotation_per_diagnostic() {
    let out = compplan(&["check", "tests/check/E0102_unknown_column.plan", "tests/check/prelude", "--format", "github"]);
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(lines[0].starts_with("::error file=tests/check/E0102_unknown_column.plan,line=5,col=21,"), "{}", lines[0]);
    assert!(lines[0].contains("title=E0102 unknown-column::"), "{}", lines[0]);
}

#[test]
fn explain_error_prints_the_long_form() {
    let out = compplan(&["explain-error", "E0101"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(text.starts_with("E0101 duplicate-definition (error)"), "{text}");
    assert!(text.contains("How to fix it"), "{text}");
    let unknown = compplan(&["explain-error", "E9999"]);
    assert_eq!(unknown.status.code(), Some(1));
}

#[test]
fn the_error_catalogue_in_docs_is_generated_from_the_code() {
    let committed = std::fs::read_to_string(crate::support::root().join("docs/errors.md")).expect("docs/errors.md exists");
    let generated = stdout(&compplan(&["explain-error", "--catalogue"]));
    assert!(committed == generated, "docs/errors.md is stale: run `compplan explain-error --catalogue > docs/errors.md`");
}
