//! Errors in every format: `run --format json` reports problems in the plans, the data and the
//! evaluation as one JSON document; `--error-format github` annotates them; `explain`, `diff`,
//! `close` and `test` do the same; a runtime error is shown at the definition of the version that
//! failed.

use crate::support::{compplan, copy_dir, data_with, root, scratch, stderr, stdout};
use std::path::Path;

fn json(out: &std::process::Output) -> serde_json::Value {
    serde_json::from_str(&stdout(out)).unwrap_or_else(|e| panic!("one JSON document on stdout ({e}): {}", stdout(out)))
}

/// The bundled plans in a scratch folder, `file` edited.
fn plans_with(name: &str, file: &str, edit: impl Fn(String) -> String) -> crate::support::Scratch {
    let dir = scratch(name);
    copy_dir(&root().join("plans"), &dir);
    let path = dir.join(file);
    std::fs::write(&path, edit(std::fs::read_to_string(&path).expect("plan"))).expect("write");
    dir
}

fn arg(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 path")
}

#[test]
fn run_in_json_reports_a_data_problem_as_one_document_at_its_cell() {
    // A5 (line 6 of deals.csv) takes A4's id: A4 is on line 5.
    let data = data_with("json-duplicate", "deals.csv", |t| t.replace("A5,alice,20000", "A4,alice,20000"));
    let out = compplan(&["run", "plans", "--data", arg(&data), "--period", "2026-03", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stderr(&out), "error: the data has 1 problem; nothing was evaluated\n", "no text diagnostics");
    let doc = json(&out);
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["counts"], serde_json::json!({ "errors": 1, "warnings": 0, "notes": 0 }));
    let d = &doc["diagnostics"][0];
    assert_eq!(d["code"], "E0703");
    assert_eq!(d["message"], "`A4` appears twice as the key of `deals`");
    assert_eq!(d["file"], format!("{}/deals.csv", arg(&data)));
    // `A4` is the first two characters of line 6.
    assert_eq!(
        (&d["line"], &d["column"], &d["end_line"], &d["end_column"]),
        (&6.into(), &1.into(), &6.into(), &3.into())
    );
    assert_eq!(d["range"], serde_json::Value::Null, "no byte range in a data file");
    assert_eq!(d["labels"][0]["message"], "already used on line 5");
    assert_eq!(d["labels"][0]["primary"], true);
}

#[test]
fn run_in_json_reports_plan_errors_at_their_spans() {
    let plans = plans_with("json-plan-error", "enterprise_ae.plan", |t| {
        t.replace("earn commission = base_rate", "earn commission = zzz + base_rate")
    });
    let out = compplan(&["run", arg(&plans), "--data", "plans/data", "--period", "2026-03", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stderr(&out), "error: the plans have 1 error; nothing was evaluated (see `compplan check`)\n");
    let d = &json(&out)["diagnostics"][0];
    assert_eq!(d["code"], "E0100");
    assert_eq!(d["file"], format!("{}/enterprise_ae.plan", arg(&plans)));
    // `  earn commission = zzz`: `zzz` starts at column 21 of line 23.
    assert_eq!((&d["line"], &d["column"], &d["end_column"]), (&23.into(), &21.into(), &24.into()));
    assert_eq!(d["range"]["end"].as_u64().unwrap() - d["range"]["start"].as_u64().unwrap(), 3);
}

#[test]
fn run_keep_going_in_json_lists_the_reps_left_out_in_its_document() {
    let data = data_with("json-zero-quota", "quotas.csv", |t| t.replace("bob,2026,1200000", "bob,2026,0"));
    let args = ["run", "plans", "--data", arg(&data), "--period", "2026-04", "--format", "json"];
    let partial = compplan(&[&args[..], &["--keep-going"]].concat());
    assert_eq!(partial.status.code(), Some(3), "{}", stderr(&partial));
    assert!(!stderr(&partial).contains("error["), "no text diagnostics: {}", stderr(&partial));
    let doc = json(&partial);
    assert!(doc["payouts"].as_array().unwrap().iter().all(|r| r["rep"] != "bob"), "bob is left out");
    assert!(doc["payouts"].as_array().unwrap().iter().any(|r| r["rep"] == "alice"), "alice is paid");
    let d = &doc["diagnostics"][0];
    assert_eq!(d["code"], "E0800");
    assert!(d["message"].as_str().unwrap().ends_with("(rep `bob`, plan `enterprise_ae`, period 2026-04)"), "{d}");
    // `  attainment att = …`: the attainment's name, line 13, columns 14 to 16.
    assert_eq!((&d["file"], &d["line"], &d["column"]), (&"plans/enterprise_ae.plan".into(), &13.into(), &14.into()));
    assert_eq!(d["labels"][0]["message"], "for rep `bob` in 2026-04");

    // Without --keep-going nothing is paid, and the document is the diagnostics alone.
    let failed = compplan(&args);
    assert_eq!(failed.status.code(), Some(1));
    let doc = json(&failed);
    assert_eq!(doc["counts"]["errors"], 1);
    assert_eq!(doc["diagnostics"][0]["code"], "E0800");
    assert!(doc.get("payouts").is_none(), "{doc}");
}

#[test]
fn error_format_github_annotates_cells_and_definitions() {
    let data = data_with("github-bad-amount", "deals.csv", |t| t.replace("A2,alice,30000,", "A2,alice,abc,"));
    let out = compplan(&["run", "plans", "--data", arg(&data), "--period", "2026-03", "--error-format", "github"]);
    assert_eq!(out.status.code(), Some(1));
    // `abc` is columns 10 to 12 of line 3.
    let expected = format!(
        "::error file={}/deals.csv,line=3,col=10,endLine=3,endColumn=13,title=E0702 bad-value::`abc` is not an amount",
        arg(&data)
    );
    assert!(stdout(&out).starts_with(&expected), "{}", stdout(&out));
    assert_eq!(stdout(&out).lines().count(), 1, "one annotation: {}", stdout(&out));

    let data = data_with("github-zero-quota", "quotas.csv", |t| t.replace("bob,2026,1200000", "bob,2026,0"));
    let out = compplan(&["run", "plans", "--data", arg(&data), "--period", "2026-04", "--error-format", "github"]);
    assert_eq!(out.status.code(), Some(1));
    let expected = "::error file=plans/enterprise_ae.plan,line=13,col=14,endLine=13,endColumn=17,title=E0800 undefined-attainment::the attainment `att` is undefined";
    assert!(stdout(&out).starts_with(expected), "{}", stdout(&out));
}

#[test]
fn explain_and_diff_in_json_report_their_errors_as_json() {
    let data = data_with("json-explain", "quotas.csv", |t| t.replace("bob,2026,1200000", "bob,2026,0"));
    let explain = compplan(&[
        "explain",
        "plans",
        "--data",
        arg(&data),
        "--period",
        "2026-04",
        "--rep",
        "bob",
        "--format",
        "json",
    ]);
    assert_eq!(explain.status.code(), Some(1));
    assert_eq!(json(&explain)["diagnostics"][0]["code"], "E0800");

    let base = plans_with("json-diff-base", "enterprise_ae.plan", |t| {
        t.replace("earn commission = base_rate", "earn commission = zzz + base_rate")
    });
    let diff = compplan(&[
        "diff",
        "--base",
        arg(&base),
        "plans",
        "--data",
        "plans/data",
        "--period",
        "2026-03",
        "--format",
        "json",
    ]);
    assert_eq!(diff.status.code(), Some(1));
    let d = &json(&diff)["diagnostics"][0];
    assert_eq!((&d["code"], &d["file"]), (&"E0100".into(), &format!("{}/enterprise_ae.plan", arg(&base)).into()));
    assert!(stderr(&diff).contains("error: in the base plans: 1 error"), "{}", stderr(&diff));
}

#[test]
fn close_reports_a_period_already_closed_in_json() {
    let ledger = scratch("json-close");
    let args = ["close", "plans", "--data", "plans/data", "--period", "2026-03", "--ledger", arg(&ledger)];
    assert_eq!(compplan(&args).status.code(), Some(0));
    let again = compplan(&[&args[..], &["--error-format", "json"]].concat());
    assert_eq!(again.status.code(), Some(1));
    let d = &json(&again)["diagnostics"][0];
    assert_eq!(d["code"], "E0901");
    assert_eq!(d["file"], serde_json::Value::Null, "about the ledger, at no place in a file");
}

#[test]
fn test_error_format_github_annotates_each_failed_expectation() {
    let plans = plans_with("github-test", "enterprise_ae.plan", |t| {
        t.replace("expect alice commission is 7400.00 USD", "expect alice commission is 7500.00 USD")
    });
    let out = compplan(&["test", arg(&plans), "--error-format", "github"]);
    assert_eq!(out.status.code(), Some(1));
    // The expectation is line 33, from column 5: `expect alice commission is 7500.00 USD`, 38 characters.
    let annotation = format!(
        "test enterprise_ae › worked example: Alice in March ... FAILED\n::error file={}/enterprise_ae.plan,line=33,col=5,endLine=33,endColumn=43,title=E1000 expectation-not-met::`alice` commission in 2026-03: expected 7500.00 USD, computed 7400.00 USD%0Ahelp: ",
        arg(&plans)
    );
    assert!(stdout(&out).contains(&annotation), "{}", stdout(&out));
    assert!(stderr(&out).contains("error[E1000]"), "the report on stderr is kept: {}", stderr(&out));
}

/// A runtime error names its definition by the model's id in the version evaluated: it is shown at
/// that version's line, not at the first plan of the same name that defines the name.
#[test]
fn a_runtime_error_is_shown_at_the_definition_of_the_version_that_failed() {
    let plans = scratch("two-versions");
    for file in ["schema.plan", "crediting.plan"] {
        std::fs::copy(root().join("plans").join(file), plans.join(file)).expect("copy");
    }
    let version = |n: u32, from: &str, to: &str| {
        format!(
            "plan ae \"AE\" version {n} {{\n  effective {from} to {to}\n  currency USD\n  pay monthly\n  eligible when rep.role is \"AE\"\n  quota q = quotas.amount split evenly by month\n  measure b = sum of credit.amount\n  attainment att = b ytd / q ytd\n  earn c = 1% of b period\n}}\n"
        )
    };
    // Version 1 is lines 1 to 10, a blank line, then version 2 from line 12: its attainment is on
    // line 19 (version 1's on line 8).
    let text = format!("{}\n{}", version(1, "2026-01-01", "2026-03-31"), version(2, "2026-04-01", "2026-12-31"));
    std::fs::write(plans.join("ae.plan"), text).expect("write");
    let data = data_with("two-versions-data", "quotas.csv", |t| t.replace("bob,2026,1200000", "bob,2026,0"));
    let out = compplan(&["run", arg(&plans), "--data", arg(&data), "--period", "2026-04", "--rep", "bob"]);
    assert_eq!(out.status.code(), Some(1));
    let at = format!("┌─ {}/ae.plan:19:14", arg(&plans));
    assert!(stderr(&out).contains(&at), "{}", stderr(&out));
}
