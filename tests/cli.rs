//! The command line as CI sees it: exit codes, the JSON shape and GitHub annotations.

mod errors;
mod outputs;

use crate::support::{compplan, data_with, root, scratch, stderr, stdout};

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
fn data_naming_a_file_says_it_is_not_a_folder() {
    let file = compplan(&["run", "plans", "--data", "plans/data/deals.csv", "--period", "2026-03"]);
    assert_eq!(file.status.code(), Some(1));
    assert_eq!(
        stderr(&file),
        "error: the data folder plans/data/deals.csv is a file, not a folder: --data names the folder that holds one CSV file per table (reps.csv, deals.csv, …)\n"
    );
    let missing = compplan(&["run", "plans", "--data", "plans/no-such-data", "--period", "2026-03"]);
    assert_eq!(missing.status.code(), Some(1));
    assert_eq!(stderr(&missing), "error: the data folder plans/no-such-data does not exist\n");
}

/// A `.plan` symbolic link whose file is gone is an error naming it, as an unreadable plan is: the
/// plans are not checked, run or formatted without it, and nothing is written.
#[cfg(unix)]
#[test]
fn a_plan_link_to_a_missing_file_is_an_error() {
    let dir = scratch("dangling-plan-link");
    crate::support::copy_dir(&root().join("plans"), &dir.join("plans"));
    let link = dir.join("plans/bonus.plan");
    std::os::unix::fs::symlink("../elsewhere/bonus.plan", &link).expect("a link to a file that does not exist");
    let expected = format!(
        "error: cannot read {}: it is a symbolic link to ../elsewhere/bonus.plan, which does not exist (restore the file or remove the link)\n",
        link.display()
    );
    let plans = dir.join("plans").display().to_string();
    let out = dir.join("out");
    std::fs::create_dir_all(&out).expect("out folder");
    let run =
        ["run", &plans, "--data", &format!("{plans}/data"), "--period", "2026-03", "--out", out.to_str().unwrap()];
    for args in [&["check", &plans][..], &["fmt", "--check", &plans][..], &run[..]] {
        let result = compplan(args);
        assert_eq!(result.status.code(), Some(1), "{args:?}");
        assert_eq!(stderr(&result), expected, "{args:?}");
    }
    assert_eq!(std::fs::read_dir(&out).expect("out").count(), 0, "nothing is written");
    // Named on the command line, the link says the same.
    assert_eq!(stderr(&compplan(&["check", link.to_str().unwrap()])), expected);
}

/// A period nobody is paid in: each CSV is its header line, ending in a newline like every row.
#[test]
fn an_empty_report_is_its_header_lines_each_ending_in_a_newline() {
    let out = scratch("empty-report");
    let args =
        ["run", "plans", "--data", "plans/data", "--period", "2025-03", "--out", out.to_str().unwrap(), "--keep-going"];
    let result = compplan(&args);
    assert_eq!(result.status.code(), Some(0), "{}", stderr(&result));
    for (file, header) in [
        ("payouts.csv", "period,rep,plan,component,amount,currency\n"),
        ("attainment.csv", "period,rep,plan,attainment,measure,value,quota,percent\n"),
        ("errors.csv", "period,rep,plan,code,message\n"),
    ] {
        assert_eq!(std::fs::read_to_string(out.join(file)).expect("written"), header, "{file}");
    }
    let csv = compplan(&["run", "plans", "--data", "plans/data", "--period", "2025-03", "--format", "csv"]);
    assert_eq!(stdout(&csv), "period,rep,plan,component,amount,currency\n");
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
    // The summary is for people, on stderr: stdout is the JSON document alone.
    assert_eq!(stderr(&out).trim(), "checked 3 files: 2 errors, 0 warnings, 0 notes");
}

#[test]
fn github_format_writes_one_annotation_per_diagnostic() {
    let out =
        compplan(&["check", "tests/check/E0102_unknown_column.plan", "tests/check/prelude", "--format", "github"]);
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
    let committed =
        std::fs::read_to_string(crate::support::root().join("docs/errors.md")).expect("docs/errors.md exists");
    let generated = stdout(&compplan(&["explain-error", "--catalogue"]));
    assert!(
        committed == generated,
        "docs/errors.md is stale: run `compplan explain-error --catalogue > docs/errors.md`"
    );
}

#[test]
fn run_writes_the_outputs_and_reruns_are_byte_identical() {
    let (a, b) = (scratch("run-a"), scratch("run-b"));
    for out in [&a, &b] {
        let result =
            compplan(&["run", "plans", "--data", "plans/data", "--period", "2026", "--out", out.to_str().unwrap()]);
        assert_eq!(result.status.code(), Some(0), "{}", stderr(&result));
    }
    for file in ["payouts.csv", "attainment.csv"] {
        let first = std::fs::read(a.join(file)).expect("written");
        assert_eq!(first, std::fs::read(b.join(file)).expect("written"), "{file} differs between two runs");
        assert!(!first.is_empty());
    }
    let payouts = std::fs::read_to_string(a.join("payouts.csv")).unwrap();
    assert!(payouts.starts_with("period,rep,plan,component,amount,currency\n"));
    assert!(payouts.contains("2026-03,alice,enterprise_ae,total,12900.00,USD\n"), "{payouts}");
    assert!(
        std::fs::read_dir(&*a).unwrap().all(|e| !e.unwrap().file_name().to_string_lossy().starts_with('.')),
        "no temporary file is left"
    );
}

#[test]
fn a_bad_amount_fails_with_its_place_and_writes_nothing() {
    let data = data_with("bad-amount", "deals.csv", |t| t.replace("A2,alice,30000,", "A2,alice,abc,"));
    let out = scratch("bad-amount-out");
    let result = compplan(&[
        "run",
        "plans",
        "--data",
        data.to_str().unwrap(),
        "--period",
        "2026-03",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(result.status.code(), Some(1));
    let err = stderr(&result);
    assert!(err.contains("error[E0702]: `abc` is not an amount"), "{err}");
    assert!(err.contains("deals.csv:3:10"), "the file, the line and the column: {err}");
    assert_eq!(std::fs::read_dir(&*out).unwrap().count(), 0, "nothing is written");
}

/// Runs the bundled plans for 2026-Q1 on `data` with `--out`: the exit code, stderr, and what the
/// output folder holds afterwards.
fn run_into_fresh_folder(data: &std::path::Path, name: &str) -> (Option<i32>, String, usize) {
    let out = scratch(name);
    let result = compplan(&[
        "run",
        "plans",
        "--data",
        data.to_str().unwrap(),
        "--period",
        "2026-Q1",
        "--out",
        out.to_str().unwrap(),
    ]);
    (result.status.code(), stderr(&result), std::fs::read_dir(&*out).unwrap().count())
}

#[test]
fn a_negative_quota_fails_the_run_at_its_cell_and_writes_nothing() {
    // Before, alice's 2026-03 line was paid against -100% attainment: 24,800.00 instead of 7,400.00.
    let data = data_with("negative-quota", "quotas.csv", |t| t.replace("alice,2026,1200000", "alice,2026,-1200000"));
    let (code, err, written) = run_into_fresh_folder(&data, "negative-quota-out");
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("error[E0713]: the quota amount -1200000 is below zero"), "{err}");
    assert!(err.contains("quotas.csv:2:12"), "the file, the line and the column: {err}");
    assert_eq!(written, 0, "nothing is written");
}

#[test]
fn a_negative_split_share_fails_the_run_at_its_cell_and_writes_nothing() {
    // 90 + 30 - 20 = 100: the sum alone does not catch it (before, pia was credited 90,000 of P5).
    let data =
        data_with("negative-share", "splits.csv", |_| "deal,rep,share\nP5,pia,90\nP5,raj,30\nP5,sam,-20\n".into());
    let (code, err, written) = run_into_fresh_folder(&data, "negative-share-out");
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("error[E0714]: the split share -20% is below zero"), "{err}");
    assert!(err.contains("splits.csv:4:8"), "the file, the line and the column: {err}");
    assert_eq!(written, 0, "nothing is written");
}

#[test]
fn a_zero_quota_fails_the_run_or_leaves_the_rep_out_with_keep_going() {
    let data = data_with("zero-quota", "quotas.csv", |t| t.replace("bob,2026,1200000", "bob,2026,0"));
    let out = scratch("zero-quota-out");
    let args =
        ["run", "plans", "--data", data.to_str().unwrap(), "--period", "2026-04", "--out", out.to_str().unwrap()];
    let failed = compplan(&args);
    assert_eq!(failed.status.code(), Some(1));
    let err = stderr(&failed);
    assert!(err.contains("error[E0800]") && err.contains("rep `bob`"), "names the rep: {err}");
    assert!(err.contains("enterprise_ae.plan"), "points at the attainment in the plan: {err}");
    assert_eq!(std::fs::read_dir(&*out).unwrap().count(), 0, "nothing is written");

    let partial = compplan(&[&args[..], &["--keep-going"]].concat());
    assert_eq!(partial.status.code(), Some(3), "{}", stderr(&partial));
    let payouts = std::fs::read_to_string(out.join("payouts.csv")).expect("payouts written");
    assert!(payouts.contains(",alice,") && !payouts.contains(",bob,"), "{payouts}");
    let errors = std::fs::read_to_string(out.join("errors.csv")).expect("errors written");
    assert!(
        errors.starts_with("period,rep,plan,code,message\n") && errors.contains(",bob,enterprise_ae,E0800,"),
        "{errors}"
    );
}

#[test]
fn run_usage_errors_exit_64() {
    assert_eq!(compplan(&["run", "plans", "--data", "plans/data", "--period", "2026-13"]).status.code(), Some(64));
    assert_eq!(compplan(&["run", "plans", "--period", "2026-03"]).status.code(), Some(64), "--data is required");
    let unknown = compplan(&["run", "plans", "--data", "plans/data", "--period", "2026-03", "--rep", "nobody"]);
    assert_eq!(unknown.status.code(), Some(1));
}

#[test]
fn run_prints_csv_and_json_on_stdout() {
    let csv =
        compplan(&["run", "plans", "--data", "plans/data", "--period", "2026-03", "--rep", "alice", "--format", "csv"]);
    assert_eq!(stdout(&csv), "period,rep,plan,component,amount,currency\n2026-03,alice,enterprise_ae,commission,7400.00,USD\n2026-03,alice,enterprise_ae,quarter_bonus,5000.00,USD\n2026-03,alice,enterprise_ae,new_logo,500.00,USD\n2026-03,alice,enterprise_ae,total,12900.00,USD\n");
    let json: serde_json::Value = serde_json::from_str(&stdout(&compplan(&[
        "run",
        "plans",
        "--data",
        "plans/data",
        "--period",
        "2026-03",
        "--rep",
        "alice",
        "--format",
        "json",
    ])))
    .expect("JSON");
    assert_eq!(json["payouts"][3]["component"], "total");
    assert_eq!(json["payouts"][3]["amount"], "12900.00", "amounts are strings");
    assert_eq!(json["attainment"][0]["attainment"], "att");
    assert_eq!(json["attainment"][0]["measure"], "bookings");
    assert_eq!(json["attainment"][0]["percent"], "100.00");
}

#[test]
fn generated_data_runs_cleanly_under_the_benchmark_plans() {
    let data = scratch("gen");
    let generated =
        compplan(&["gen", "--reps", "90", "--deals", "3000", "--seed", "5", "--out", data.to_str().unwrap()]);
    assert_eq!(generated.status.code(), Some(0), "{}", stderr(&generated));
    let run =
        compplan(&["run", "bench/plans", "--data", data.to_str().unwrap(), "--period", "2026", "--format", "csv"]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let payouts = stdout(&run);
    for component in ["commission", "quarter_bonus", "new_logo", "override", "draw"] {
        assert!(payouts.contains(&format!(",{component},")), "the data reaches `{component}`");
    }
}

#[test]
fn plain_and_quoted_csv_are_read_alike() {
    // The same deals three ways: as bundled; with Windows line ends, blank lines and no final
    // newline (the fast reader); and with one quoted field besides (the csv crate's reader).
    let windows = |t: String| t.replace('\n', "\r\n\r\n").trim_end().to_string();
    let quoted = |t: String| windows(t).replacen("A1,alice,", "\"A1\",alice,", 1);
    let run = |data: &std::path::Path| {
        stdout(&compplan(&["run", "plans", "--data", data.to_str().unwrap(), "--period", "2026", "--format", "csv"]))
    };
    let bundled = run(&crate::support::root().join("plans/data"));
    assert!(bundled.contains(",total,"));
    assert_eq!(run(&data_with("plain-reader", "deals.csv", windows)), bundled);
    assert_eq!(run(&data_with("quoted-reader", "deals.csv", quoted)), bundled);

    // A bad cell is placed at the same line and column by both readers.
    let bad = |t: String| t.replace("A2,alice,30000,", "A2,alice,abc,");
    let place = |edit: &dyn Fn(String) -> String, name: &str| {
        let data = data_with(name, "deals.csv", |t| edit(bad(t)));
        stderr(&compplan(&["run", "plans", "--data", data.to_str().unwrap(), "--period", "2026-03"]))
    };
    let plain = place(&windows, "plain-bad");
    assert!(plain.contains("deals.csv:5:10"), "line 3 of the file became line 5 with the blank lines: {plain}");
    assert_eq!(
        plain.replace("plain-bad", "X"),
        place(&quoted, "quoted-bad").replace("quoted-bad", "X").replace("\"A1\"", "A1")
    );
}

#[test]
fn a_bad_cell_beyond_the_first_block_is_placed_on_its_line() {
    // Files are read in blocks of 8 MB: a file of about 9 MB puts its last rows in a second block,
    // whose line numbers must continue those of the first (the header is line 1).
    let filler: usize = 200_000;
    let data = data_with("second-block", "deals.csv", |t| {
        let mut text = t;
        for i in 0..filler {
            text.push_str(&format!("X{i:07},alice,100,USD,2026-01-12,Platform,EMEA,new,false,,\n"));
        }
        text.push_str("BAD1,alice,1oo,USD,2026-01-12,Platform,EMEA,new,false,,\n");
        text
    });
    let bundled_lines =
        std::fs::read_to_string(crate::support::root().join("plans/data/deals.csv")).unwrap().lines().count();
    assert!(std::fs::metadata(data.join("deals.csv")).unwrap().len() > 8 << 20, "the file spans two blocks");
    let result = compplan(&["run", "plans", "--data", data.to_str().unwrap(), "--period", "2026-03"]);
    assert_eq!(result.status.code(), Some(1));
    let line = bundled_lines + filler + 1;
    assert!(stderr(&result).contains(&format!("deals.csv:{line}:12")), "expected line {line}: {}", stderr(&result));
}

#[test]
fn the_ci_recipe_names_only_verbs_and_flags_that_exist() {
    // docs/ci.md is copied into other repositories: every `compplan VERB --flag` it shows must be real.
    let recipe = std::fs::read_to_string(root().join("docs/ci.md")).expect("docs/ci.md");
    let mut checked = 0;
    for line in recipe.lines() {
        if line.contains("cargo install") {
            continue;
        }
        let Some(rest) = line.split("compplan ").nth(1) else { continue };
        let mut words = rest.split_whitespace();
        let Some(verb) = words.next().filter(|v| v.chars().all(|c| c.is_ascii_lowercase() || c == '-')) else {
            continue;
        };
        let help = compplan(&[verb, "--help"]);
        assert_eq!(help.status.code(), Some(0), "`compplan {verb}` in docs/ci.md is not a verb");
        let help = stdout(&help);
        for flag in words.filter(|w| w.starts_with("--")) {
            let flag = flag.trim_end_matches(['`', ')', ',']);
            assert!(help.contains(flag), "`compplan {verb} {flag}` in docs/ci.md is not a flag of {verb}");
            checked += 1;
        }
    }
    assert!(checked >= 10, "only {checked} flags found in docs/ci.md");
}

/// A symbolic link to a folder is not walked: a link back up the tree (`plans/self -> .`) neither
/// hangs `check` nor loads the plans once per level, and `fmt --check` sees each file once.
#[cfg(unix)]
#[test]
fn check_does_not_follow_links_to_folders() {
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};
    let dir = scratch("symlink-loop");
    let sources = crate::support::plan_sources(&root().join("plans"), root());
    std::fs::create_dir_all(dir.join("plans")).expect("plans folder");
    for (path, text) in &sources {
        std::fs::write(dir.join(path), text).expect("copy");
    }
    std::os::unix::fs::symlink(".", dir.join("plans/self")).expect("a link to its own folder");
    std::os::unix::fs::symlink("..", dir.join("plans/up")).expect("a link to the parent");
    for verb in [&["check"][..], &["fmt", "--check"][..]] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_compplan"))
            .args(verb)
            .arg(dir.join("plans"))
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary runs");
        let start = Instant::now();
        while child.try_wait().expect("wait").is_none() {
            if start.elapsed() > Duration::from_secs(30) {
                let _ = child.kill();
                panic!("`compplan {verb:?}` did not finish within 30 s on a symlink loop");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let out = child.wait_with_output().expect("output");
        assert_eq!(out.status.code(), Some(0), "{verb:?}: {}", stderr(&out));
        if verb[0] == "check" {
            assert!(stderr(&out).contains(&format!("checked {} files: 0 errors", sources.len())), "{}", stderr(&out));
        }
    }
}

/// A plan file with one byte that is not UTF-8 (a Latin-1 `ü`) used to stop `check` before any
/// diagnostic ("stream did not contain valid UTF-8", nothing on stdout, no other file checked). Its
/// place is now an error in every format, the other files are still checked, and `fmt` formats
/// the other files but leaves that one's bytes alone.
#[test]
fn a_file_that_is_not_utf8_is_reported_at_its_byte_and_the_others_are_checked() {
    let dir = scratch("not-utf8");
    for name in ["schema.plan", "crediting.plan"] {
        std::fs::copy(root().join("plans").join(name), dir.join(name)).expect("copy");
    }
    let header = "  effective 2026-01-01 to 2026-12-31\n  currency USD\n  pay monthly\n";
    let latin1 = [
        format!("plan zurich \"Z\u{fc}rich\" version 1 {{\n{header}").into_bytes(),
        b"  eligible when rep.region is \"Z\xfcrich\"\n}\n".to_vec(),
    ]
    .concat();
    std::fs::write(dir.join("zurich.plan"), &latin1).expect("write");
    let messy = format!("plan other version 1 {{\n{header}  earn e = 1 USD + 5%\n}}\n");
    std::fs::write(dir.join("other.plan"), &messy).expect("write");
    std::fs::write(dir.join("tidy.plan"), format!("plan   tidy version 1 {{\n{header}}}\n")).expect("write");
    let path = dir.to_str().expect("utf-8 path");
    let zurich = format!("{path}/zurich.plan");

    let out = compplan(&["check", path, "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("valid JSON on stdout");
    let found: Vec<(String, String, u64, u64)> = json["diagnostics"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|d| {
            let file = d["file"].as_str().unwrap_or_default().rsplit('/').next().unwrap_or_default().to_string();
            (
                d["code"].as_str().unwrap_or_default().to_string(),
                file,
                d["line"].as_u64().unwrap_or(0),
                d["column"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    // Line 5, after `  eligible when rep.region is "Z` (32 characters); the title's `ü` is UTF-8.
    assert_eq!(found, [("E0200".into(), "other.plan".into(), 5, 18), ("E0010".into(), "zurich.plan".into(), 5, 33)]);

    let github = stdout(&compplan(&["check", path, "--format", "github"]));
    assert!(github.contains(&format!("::error file={zurich},line=5,col=33,")), "{github}");
    let text = stderr(&compplan(&["check", path]));
    assert!(text.contains("error[E0010]") && text.contains("zurich.plan:5:33"), "{text}");

    let fmt = compplan(&["fmt", path]);
    assert_eq!(fmt.status.code(), Some(1), "{}", stderr(&fmt));
    assert!(stderr(&fmt).contains("zurich.plan: not formatted: has syntax errors"), "{}", stderr(&fmt));
    assert_eq!(std::fs::read(dir.join("zurich.plan")).expect("read"), latin1, "the file's bytes are untouched");
    let tidy = std::fs::read_to_string(dir.join("tidy.plan")).expect("read");
    assert!(tidy.starts_with("plan tidy version 1 {"), "the other files are formatted: {tidy}");
}
