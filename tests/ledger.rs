//! The ledger of closed periods: `close` records a period once, `run --ledger` pays closed periods
//! as recorded and late changes as adjustments. Amounts are computed by hand in the comments.

mod chain;
mod crash;

use crate::support::{compplan, data_with, root, scratch, stderr, stdout};

/// `close` of a period on a data folder into a ledger folder; its exit code.
fn close(data: &std::path::Path, ledger: &std::path::Path, period: &str) -> Option<i32> {
    let out = compplan(&[
        "close",
        "plans",
        "--data",
        data.to_str().unwrap(),
        "--ledger",
        ledger.to_str().unwrap(),
        "--period",
        period,
    ]);
    assert!(out.status.code() != Some(0) || stderr(&out).contains(&format!("closed {period}")), "{}", stderr(&out));
    out.status.code()
}

/// `run` of one period for one rep, as CSV (with the ledger when given).
fn run(data: &std::path::Path, period: &str, rep: &str, ledger: Option<&std::path::Path>) -> String {
    let mut args =
        vec!["run", "plans", "--data", data.to_str().unwrap(), "--period", period, "--rep", rep, "--format", "csv"];
    if let Some(ledger) = ledger {
        args.extend(["--ledger", ledger.to_str().unwrap()]);
    }
    let out = compplan(&args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    stdout(&out)
}

fn bundled() -> std::path::PathBuf {
    root().join("plans/data")
}

#[test]
fn a_period_is_closed_once_and_its_record_never_rewritten() {
    let ledger = scratch("ledger-once");
    assert_eq!(close(&bundled(), &ledger, "2026-03"), Some(0));
    let record = std::fs::read_to_string(ledger.join("2026-03.json")).expect("the record is written");
    assert!(record.contains("\"period\": \"2026-03\"") && record.contains("\"amount\": \"12900.00\""), "{record}");
    let hash = record.split("\"plans_sha256\": \"").nth(1).and_then(|r| r.get(..64)).unwrap_or_default();
    assert!(hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit()), "a SHA-256 of the plans: {record}");

    // Again, alone or inside a quarter: refused, nothing written, the record untouched.
    for period in ["2026-03", "2026-Q1"] {
        let out = compplan(&[
            "close",
            "plans",
            "--data",
            "plans/data",
            "--ledger",
            ledger.to_str().unwrap(),
            "--period",
            period,
        ]);
        assert_eq!(out.status.code(), Some(1));
        assert!(stderr(&out).contains("error[E0901]: 2026-03 is already closed"), "{}", stderr(&out));
    }
    assert!(!ledger.join("2026-01.json").exists(), "a refused close writes nothing");
    assert_eq!(std::fs::read_to_string(ledger.join("2026-03.json")).unwrap(), record);
}

#[test]
fn with_nothing_changed_the_ledger_changes_nothing() {
    let ledger = scratch("ledger-same");
    assert_eq!(close(&bundled(), &ledger, "2026-03"), Some(0));
    for rep in ["alice", "bob", "maria"] {
        assert_eq!(run(&bundled(), "2026-04", rep, Some(&ledger)), run(&bundled(), "2026-04", rep, None), "{rep}");
    }
}

#[test]
fn a_late_change_to_a_closed_period_is_paid_as_an_adjustment() {
    let ledger = scratch("ledger-late");
    assert_eq!(close(&bundled(), &ledger, "2026-03"), Some(0));
    // After March is closed, A4 (closed 2026-03-05) turns out to be 160,000, not 150,000.
    let data = data_with("ledger-late-data", "deals.csv", |t| t.replace("A4,alice,150000,", "A4,alice,160000,"));

    // March as recorded, not as recomputed: alice was paid 7,400.00 of commission.
    let march = run(&data, "2026-03", "alice", Some(&ledger));
    assert!(
        march.contains("2026-03,alice,enterprise_ae,commission,7400.00,USD\n") && march.contains(",total,12900.00,"),
        "{march}"
    );

    // Alice's year-to-date quota in March is 1,200,000 × 3/12 = 300,000. Recomputed, her March
    // bookings are 310,000: the extra 10,000 falls in the 100–150% band at 10%, so March earned
    // 1,000.00 more than recorded. In April (quota 400,000, bookings 310,000, 77.5%) the year to
    // date is 200,000 × 4% + 110,000 × 6% = 14,600, against 16,000 recomputed through March:
    // commission −1,400.00. E = −1,400 + 1,000 = −400: deferred 400.00, owed 400.00.
    let expected = "\
period,rep,plan,component,amount,currency
2026-04,alice,enterprise_ae,commission,-1400.00,USD
2026-04,alice,enterprise_ae,quarter_bonus,0.00,USD
2026-04,alice,enterprise_ae,new_logo,0.00,USD
2026-04,alice,enterprise_ae,deferred,400.00,USD
2026-04,alice,enterprise_ae,adjustment,1000.00,USD
2026-04,alice,enterprise_ae,total,0.00,USD
2026-04,alice,enterprise_ae,balance,-400.00,USD
";
    assert_eq!(run(&data, "2026-04", "alice", Some(&ledger)), expected);
    // Without the ledger the same data recomputes March as if 8,400.00 had been paid: no
    // adjustment, and April defers the whole 1,400.00.
    let recomputed = run(&data, "2026-04", "alice", None);
    assert!(recomputed.contains(",deferred,1400.00,") && !recomputed.contains("adjustment"), "{recomputed}");
}

#[test]
fn a_closed_draw_balance_carries_into_the_next_period() {
    let ledger = scratch("ledger-draw");
    assert_eq!(close(&bundled(), &ledger, "2026-04"), Some(0));
    // Bob was hired 2026-04-01: April paid commission 400.00 (10,000 at 4%) and a recoverable
    // draw of 1,600.00 up to the 2,000.00 floor; the ledger records 1,600.00 owed for the draw.
    let record = compplan::ledger::Closed::from_json(&std::fs::read_to_string(ledger.join("2026-04.json")).unwrap())
        .expect("reads");
    let bob = record.group("bob", "enterprise_ae").expect("bob was paid in April");
    assert_eq!(bob.owed, vec![("draw".to_string(), rust_decimal::Decimal::new(160000, 2))]);
    // After the close, B1 turns out to be 20,000: April recomputes to 800.00 (20,000 at 4% of a
    // 100,000 quota), 400.00 more than recorded. In May the year to date is 170,000 of 200,000
    // (85%): 100,000 × 4% + 70,000 × 6% = 8,200, so commission 8,200 − 800 = 7,400.00.
    // E = 7,400 + 400 = 7,800; the floor is 2,000; recovery = −min(1,600, 7,800 − 2,000) =
    // −1,600.00 (the recorded balance); total 7,800 − 1,600 = 6,200.00, nothing owed.
    let data = data_with("ledger-draw-data", "deals.csv", |t| t.replace("B1,bob,10000,", "B1,bob,20000,"));
    let expected = "\
period,rep,plan,component,amount,currency
2026-05,bob,enterprise_ae,commission,7400.00,USD
2026-05,bob,enterprise_ae,quarter_bonus,0.00,USD
2026-05,bob,enterprise_ae,new_logo,0.00,USD
2026-05,bob,enterprise_ae,recovery,-1600.00,USD
2026-05,bob,enterprise_ae,adjustment,400.00,USD
2026-05,bob,enterprise_ae,total,6200.00,USD
2026-05,bob,enterprise_ae,balance,0.00,USD
";
    assert_eq!(run(&data, "2026-05", "bob", Some(&ledger)), expected);
}

#[test]
fn plans_with_another_fiscal_year_close_their_own_quarters() {
    // The partner plan pays by quarters of a plan year starting in February: its 2026-Q1 ends in
    // April, so closing April closes it (and the monthly plans' April), under separate names.
    let ledger = scratch("ledger-fiscal");
    assert_eq!(close(&bundled(), &ledger, "2026-04"), Some(0));
    let quarter = std::fs::read_to_string(ledger.join("2026-Q1.json")).expect("the partner plan's quarter");
    assert!(quarter.contains("\"plans\": [\n    \"partner\"\n  ]"), "{quarter}");
    let april = std::fs::read_to_string(ledger.join("2026-04.json")).expect("the monthly plans' April");
    assert!(april.contains("\"enterprise_ae\"") && !april.contains("\"partner\""), "{april}");
}

#[test]
fn broken_and_unfinished_records() {
    let ledger = scratch("ledger-broken");
    assert_eq!(close(&bundled(), &ledger, "2026-03"), Some(0));
    // A close killed midway leaves a hidden temporary file: readers ignore it, and April closes.
    std::fs::write(ledger.join(".2026-04.json.4242.tmp"), "{\"format\": 1, \"peri").unwrap();
    assert_eq!(close(&bundled(), &ledger, "2026-04"), Some(0));
    assert!(
        run(&bundled(), "2026-05", "bob", Some(&ledger)).contains(",total,5600.00,"),
        "Bob's May, as plans/enterprise_ae.plan's test has it"
    );

    // A record edited by hand is refused, with the file named.
    let record = std::fs::read_to_string(ledger.join("2026-03.json")).unwrap();
    std::fs::write(ledger.join("2026-03.json"), record.replace("12900.00", "12,900.00")).unwrap();
    let out = compplan(&[
        "run",
        "plans",
        "--data",
        "plans/data",
        "--period",
        "2026-05",
        "--ledger",
        ledger.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("error[E0900]")
            && stderr(&out).contains("2026-03.json")
            && stderr(&out).contains("`12,900.00` is not an amount"),
        "{}",
        stderr(&out)
    );

    // A ledger folder that does not exist is an error for `run` (a typo would pay history again).
    let out = compplan(&["run", "plans", "--data", "plans/data", "--period", "2026-05", "--ledger", "no-such-ledger"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("error[E0902]"), "{}", stderr(&out));
}

#[test]
fn a_close_killed_before_its_record_is_linked_leaves_no_record() {
    // The process is stopped dead (no cleanup runs) after the record is written and synced under its
    // temporary name, and before it is linked to `2026-03.json`. (Every other point of a close is
    // tested in `ledger::crash`.)
    let ledger = scratch("ledger-killed");
    let killed = std::process::Command::new(env!("CARGO_BIN_EXE_compplan"))
        .args(["close", "plans", "--data", "plans/data", "--ledger", ledger.to_str().unwrap(), "--period", "2026-03"])
        .current_dir(root())
        .env("COMPPLAN_CRASH_AT", "close-link")
        .output()
        .expect("the binary runs");
    assert_eq!(killed.status.code(), Some(134), "stopped at the crash point: {}", stderr(&killed));
    assert!(stderr(&killed).contains("close-link"), "{}", stderr(&killed));
    let mut names: Vec<String> =
        std::fs::read_dir(&*ledger).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    assert_eq!(names.len(), 2, "{names:?}");
    assert_eq!(names[0], ".2026-03.json.".to_string() + &names[0][".2026-03.json.".len()..]);
    assert!(names[0].ends_with(".tmp") && names[1] == ".close.lock", "the temporary file and the lock: {names:?}");

    // The period is not closed: run with the ledger pays March as if nothing were recorded.
    assert_eq!(run(&bundled(), "2026-03", "alice", Some(&ledger)), run(&bundled(), "2026-03", "alice", None));
    // Closing again succeeds, writes the whole record and removes the temporary file.
    assert_eq!(close(&bundled(), &ledger, "2026-03"), Some(0));
    let record = std::fs::read_to_string(ledger.join("2026-03.json")).expect("the record");
    assert!(record.contains("\"amount\": \"12900.00\"") && record.trim_end().ends_with('}'), "{record}");
    let left: Vec<String> =
        std::fs::read_dir(&*ledger).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert!(!left.iter().any(|n| n.ends_with(".tmp")), "{left:?}");
}

#[test]
fn held_money_is_carried_through_closed_periods() {
    // The hold case of tests/eval: half of each month's commission is released two periods later.
    // Close the first quarter, then run the second against the ledger: April and May must still
    // release what January to March held (50.00 and 100.00), read from the records.
    let case = "tests/eval/hold_released_two_periods_later";
    let ledger = scratch("ledger-holds");
    let out = compplan(&[
        "close",
        case,
        "tests/eval/shared",
        "--data",
        &format!("{case}/data"),
        "--ledger",
        ledger.to_str().unwrap(),
        "--period",
        "2026-Q1",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    for month in ["2026-01", "2026-02", "2026-03"] {
        assert!(ledger.join(format!("{month}.json")).exists(), "{month} is closed");
    }
    let quarter = |ledger: Option<&std::path::Path>| {
        let mut args = vec![
            "run",
            case,
            "tests/eval/shared",
            "--data",
            "tests/eval/hold_released_two_periods_later/data",
            "--period",
            "2026-Q2",
            "--format",
            "csv",
        ];
        if let Some(l) = ledger {
            args.extend(["--ledger", l.to_str().unwrap()]);
        }
        stdout(&compplan(&args))
    };
    let with_ledger = quarter(Some(&ledger));
    assert!(
        with_ledger.contains("2026-04,h,holdback,release,50.00,USD\n")
            && with_ledger.contains("2026-05,h,holdback,release,100.00,USD\n"),
        "{with_ledger}"
    );
    assert_eq!(with_ledger, quarter(None));
}

#[test]
fn money_held_until_an_invoice_is_paid_is_recorded_by_deal() {
    // The invoice case of tests/eval: after closing the first quarter, D3's 50.01 (paid 04-02) and
    // D4's 50.00 (never paid) are still held; the records name them by deal, and April releases D3's
    // part from the record.
    let case = "tests/eval/hold_until_invoice_paid";
    let data = format!("{case}/data");
    let ledger = scratch("ledger-invoice-holds");
    let out = compplan(&[
        "close",
        case,
        "tests/eval/shared",
        "--data",
        &data,
        "--ledger",
        ledger.to_str().unwrap(),
        "--period",
        "2026-Q1",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let march = std::fs::read_to_string(ledger.join("2026-03.json")).expect("March's record");
    assert!(march.contains("\"name\": \"D3 until deal.paid\",\n          \"amount\": \"50.01\""), "{march}");
    assert!(march.contains("\"name\": \"D4 until deal.paid\",\n          \"amount\": \"50.00\""), "{march}");
    let april = |ledger: &std::path::Path| {
        stdout(&compplan(&[
            "run",
            case,
            "tests/eval/shared",
            "--data",
            &data,
            "--period",
            "2026-04",
            "--format",
            "csv",
            "--ledger",
            ledger.to_str().unwrap(),
        ]))
    };
    assert!(april(&ledger).contains("2026-04,v,invoice_hold,release,50.01,USD\n"), "{}", april(&ledger));

    // A record holding money for a deal the data no longer has cannot be paid against.
    let without_d4 = scratch("ledger-invoice-holds-data");
    for file in ["reps.csv", "deals.csv"] {
        let text = std::fs::read_to_string(root().join(&data).join(file)).unwrap();
        let text: String = text.lines().filter(|l| !l.starts_with("D4,")).map(|l| format!("{l}\n")).collect();
        std::fs::write(without_d4.join(file), text).unwrap();
    }
    let out = compplan(&[
        "run",
        case,
        "tests/eval/shared",
        "--data",
        without_d4.to_str().unwrap(),
        "--period",
        "2026-04",
        "--ledger",
        ledger.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("error[E0900]") && stderr(&out).contains("money held until `D4 until deal.paid`"),
        "{}",
        stderr(&out)
    );

    // A record edited by hand (here, the amount held for D4) is refused: it no longer matches its own digest.
    std::fs::write(ledger.join("2026-03.json"), march.replace("\"amount\": \"50.00\"", "\"amount\": \"5.00\""))
        .unwrap();
    let out = compplan(&[
        "run",
        case,
        "tests/eval/shared",
        "--data",
        &data,
        "--period",
        "2026-04",
        "--ledger",
        ledger.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("error[E0900]") && stderr(&out).contains("2026-03.json was changed after it was closed"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn periods_close_in_order() {
    // May closed before April: April can no longer be closed (its record would not be what May
    // started from); it counts as paid outside the ledger.
    let ledger = scratch("ledger-order");
    assert_eq!(close(&bundled(), &ledger, "2026-05"), Some(0));
    let out = compplan(&[
        "close",
        "plans",
        "--data",
        "plans/data",
        "--ledger",
        ledger.to_str().unwrap(),
        "--period",
        "2026-04",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("error[E0903]: 2026-04 cannot be closed for `enterprise_ae`: 2026-05, which comes after it, is already closed"), "{err}");
    assert!(err.contains("help: 2026-04 counts as paid outside the ledger: `compplan run --ledger` recomputes it as history and never pays it"), "{err}");
    assert!(!ledger.join("2026-04.json").exists(), "nothing written");
    // Another plan's later period does not stand in the way: the partner plan's quarters are its own.
    assert_eq!(close(&bundled(), &ledger, "2026-06"), Some(0));
}

#[test]
fn a_period_is_not_skipped_once_a_plan_has_a_closed_one() {
    // January closed, then March: February would never be paid (recomputed as history, no
    // adjustment), so March is refused for each monthly plan until February is closed.
    let ledger = scratch("ledger-gap");
    assert_eq!(close(&bundled(), &ledger, "2026-01"), Some(0));
    let out = compplan(&[
        "close",
        "plans",
        "--data",
        "plans/data",
        "--ledger",
        ledger.to_str().unwrap(),
        "--period",
        "2026-03",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    for plan in ["enterprise_ae", "sales_manager", "sdr"] {
        let expected = format!("error[E0904]: 2026-03 cannot be closed for `{plan}`: 2026-02, the pay period before it, is not closed (the last closed is 2026-01)");
        assert!(err.contains(&expected), "{err}");
    }
    assert!(err.contains("help: close 2026-02 first (`compplan close … --period 2026-02`), then 2026-03"), "{err}");
    assert!(!ledger.join("2026-03.json").exists(), "nothing written");
    // Two periods missing: both named, the first to close given.
    let out = compplan(&[
        "close",
        "plans",
        "--data",
        "plans/data",
        "--ledger",
        ledger.to_str().unwrap(),
        "--period",
        "2026-04",
    ]);
    assert!(stderr(&out).contains("error[E0904]: 2026-04 cannot be closed for `enterprise_ae`: 2026-02, 2026-03, the pay periods before it, are not closed"), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(
            "help: close 2026-02, 2026-03 first, in order from `compplan close … --period 2026-02`, then 2026-04"
        ),
        "{}",
        stderr(&out)
    );
    // February and March in one request: March's period before is part of it.
    assert_eq!(close(&bundled(), &ledger, "2026-02"), Some(0));
    assert_eq!(close(&bundled(), &ledger, "2026-03"), Some(0));
    // April closes the monthly plans' April and the partner plan's 2026-Q1 (February to April).
    assert_eq!(close(&bundled(), &ledger, "2026-04"), Some(0));
    assert!(ledger.join("2026-Q1.json").exists());
    // A plan's first close may start at any period: those before count as paid outside the ledger.
    let fresh = scratch("ledger-gap-fresh");
    assert_eq!(close(&bundled(), &fresh, "2026-05"), Some(0));
}

#[test]
fn a_refused_close_reports_each_period_once_and_lists_what_is_still_open() {
    let ledger = scratch("ledger-refused");
    assert_eq!(close(&bundled(), &ledger, "2026-03"), Some(0));
    let out = compplan(&[
        "close",
        "plans",
        "--data",
        "plans/data",
        "--ledger",
        ledger.to_str().unwrap(),
        "--period",
        "2026-Q1",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    // March is already closed (E0901), never also out of order; January and February are (E0903),
    // once for each monthly plan.
    assert_eq!(err.matches("error[E0901]").count(), 1, "{err}");
    assert!(err.contains("error[E0901]: 2026-03 is already closed"), "{err}");
    assert!(!err.contains("2026-03 cannot be closed"), "{err}");
    assert_eq!(err.matches("error[E0903]").count(), 6, "{err}");
    // The partner plan's 2026-Q1 (February to April) is still open, and closes with April.
    assert!(
        err.contains("note: still open in 2026-Q1: 2026-Q1 (`partner` ends it in 2026-04); close it with a `--period` that ends with its last month (`--period 2026-04` for `partner`'s 2026-Q1)"),
        "{err}"
    );
    assert_eq!(close(&bundled(), &ledger, "2026-04"), Some(0));
    assert!(std::fs::read_to_string(ledger.join("2026-Q1.json")).unwrap().contains("\"partner\""));
}

#[test]
fn a_plan_that_moves_from_quarters_to_months_closes_july_after_its_second_quarter() {
    // Version 1 pays quarters from January to June, version 2 months from July: "2026-07" sorts
    // before "2026-Q2" as text, but July comes after the quarter that ends in June.
    let dir = scratch("ledger-quarters-then-months");
    let plan = |version: u32, from: &str, to: &str, pay: &str| {
        format!(
            "plan ih \"plain\" version {version} {{\n  effective {from} to {to}\n  currency USD\n  pay {pay}\n  eligible when rep.role is \"AE\"\n  measure bookings = sum of credit.amount\n  earn commission = 10% of bookings period\n}}\n"
        )
    };
    std::fs::write(
        dir.join("ih.plan"),
        plan(1, "2026-01-01", "2026-06-30", "quarterly") + &plan(2, "2026-07-01", "2026-12-31", "monthly"),
    )
    .unwrap();
    let data = dir.join("data");
    std::fs::create_dir(&data).unwrap();
    std::fs::write(
        data.join("reps.csv"),
        "id,name,role,region,manager,hired,terminated,target_incentive\nv,Vera,AE,EMEA,,2025-01-05,,50000\n",
    )
    .unwrap();
    std::fs::write(
        data.join("deals.csv"),
        "id,owner,amount,currency,closed,product,region,kind,new_logo,cancelled,paid\nA,v,10000,USD,2026-05-10,Platform,EMEA,new,false,,\nB,v,20000,USD,2026-07-05,Platform,EMEA,new,false,,\n",
    )
    .unwrap();
    let ledger = dir.join("ledger");
    let plan_file = dir.join("ih.plan");
    let close = |period: &str| {
        let args = [
            "close",
            plan_file.to_str().unwrap(),
            "plans/schema.plan",
            "plans/crediting.plan",
            "--data",
            data.to_str().unwrap(),
        ];
        compplan(&[&args[..], &["--ledger", ledger.to_str().unwrap(), "--period", period]].concat())
    };
    let out = close("2026-06");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(ledger.join("2026-Q2.json").exists());
    let out = close("2026-07");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("closed 2026-07 for ih: 1 payment recorded"), "{}", stderr(&out));
    // And the other way: the first quarter, before both, is out of order; August is not (July is closed).
    let out = close("2026-03");
    assert!(
        stderr(&out).contains(
            "error[E0903]: 2026-Q1 cannot be closed for `ih`: 2026-07, which comes after it, is already closed"
        ),
        "{}",
        stderr(&out)
    );
    assert_eq!(close("2026-08").status.code(), Some(0));
}

#[test]
fn records_written_by_earlier_versions_are_still_paid_against() {
    // Close March, then rewrite its record as the first compplan with a ledger wrote it: format 1,
    // no `record_sha256`, and no `held` (there were no holds yet; the bundled plans hold nothing in
    // March). Such a record is trusted as recorded: April with it is April with a fresh record.
    let ledger = scratch("ledger-legacy");
    assert_eq!(close(&bundled(), &ledger, "2026-03"), Some(0));
    let path = ledger.join("2026-03.json");
    let mut record: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(record["format"], 3);
    let object = record.as_object_mut().unwrap();
    object.insert("format".into(), 1.into());
    object.remove("record_sha256").expect("a format-3 record carries its digest");
    object.remove("chain").expect("a format-3 record carries its place in the chain");
    for group in object["groups"].as_array_mut().unwrap() {
        assert_eq!(group["held"], serde_json::json!([]), "nothing held in March");
        group.as_object_mut().unwrap().remove("held");
    }
    std::fs::write(&path, serde_json::to_string_pretty(&record).unwrap()).unwrap();
    for rep in ["alice", "bob", "maria"] {
        assert_eq!(run(&bundled(), "2026-04", rep, Some(&ledger)), run(&bundled(), "2026-04", rep, None), "{rep}");
    }

    // The same record as format 2 is refused: from format 2 on, every record carries its digest.
    let text = std::fs::read_to_string(&path).unwrap().replace("\"format\": 1", "\"format\": 2");
    std::fs::write(&path, text).unwrap();
    let out = compplan(&[
        "run",
        "plans",
        "--data",
        "plans/data",
        "--period",
        "2026-04",
        "--ledger",
        ledger.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("error[E0900]") && stderr(&out).contains("2026-03.json has no `held` for"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_ledger_that_is_a_file_is_named_as_one() {
    let scratch = crate::support::scratch("ledger_is_a_file");
    let file = scratch.join("ledger.json");
    std::fs::write(&file, "{}").expect("write");
    let ledger = file.to_string_lossy().to_string();
    let data = bundled();
    let out = crate::support::compplan(&[
        "run",
        "plans",
        "--data",
        &data.to_string_lossy(),
        "--period",
        "2026-03",
        "--ledger",
        &ledger,
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = crate::support::stderr(&out);
    assert!(err.contains(&format!("the ledger folder {ledger} is a file, not a folder")), "{err}");
}

/// Closes `periods` of a case of tests/eval into a fresh ledger, then runs `next` with and without
/// it: the two must agree (the records carry what is still to be paid); the run with it is returned.
fn close_case_then_run(case: &str, periods: &[&str], next: &str) -> (crate::support::Scratch, String) {
    let ledger = scratch(&format!("ledger-{}", case.rsplit('/').next().unwrap_or(case)));
    let data = format!("{case}/data");
    for period in periods {
        let args = [
            "close",
            case,
            "tests/eval/shared",
            "--data",
            &data,
            "--ledger",
            ledger.to_str().unwrap(),
            "--period",
            period,
        ];
        let out = compplan(&args);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    }
    let run = |ledger: Option<&std::path::Path>| {
        let mut args = vec!["run", case, "tests/eval/shared", "--data", &data, "--period", next, "--format", "csv"];
        if let Some(l) = ledger {
            args.extend(["--ledger", l.to_str().unwrap()]);
        }
        stdout(&compplan(&args))
    };
    let with_ledger = run(Some(&ledger));
    assert_eq!(with_ledger, run(None));
    (ledger, with_ledger)
}

#[test]
fn instalments_still_to_pay_are_recorded_and_paid_from_the_record() {
    // January's commission of 600.00 is paid 200.00 a month; February's 100.00 as 33.33, 33.33 and
    // 33.34. Closed through February, the record of February holds what is still to come: 200.00
    // and 33.33 due in March (and 3.33 of February's SPIFF), 33.34 in April.
    let case = "tests/eval/instalments_a_third_each_month";
    let (ledger, march) = close_case_then_run(case, &["2026-01", "2026-02"], "2026-03");
    let record = std::fs::read_to_string(ledger.join("2026-02.json")).unwrap_or_default();
    assert!(record.contains("2026-03") && record.contains("2026-04") && record.contains("33.34"), "{record}");
    // 200.00 + 33.33 + 3.33 = 236.66 released in March, 33.34 still held.
    assert!(march.contains("2026-03,t,thirds,release,236.66,USD\n"), "{march}");
    assert!(march.contains("2026-03,t,thirds,held,33.34,USD\n"), "{march}");
}

#[test]
fn money_retained_on_the_year_to_date_is_recorded_and_released_from_the_record() {
    // Q1 keeps back 50% of 2,000 = 1,000; Q2 30% of 5,000 = 1,500. Closed through Q2, Q3 keeps
    // 10% of 7,000 = 700 and releases 1,500 − 700 = 800.00, read from Q2's record.
    let case = "tests/eval/retention_on_the_year_to_date";
    let (ledger, q3) = close_case_then_run(case, &["2026-Q1", "2026-Q2"], "2026-Q3");
    let record = std::fs::read_to_string(ledger.join("2026-Q2.json")).unwrap_or_default();
    assert!(record.contains("retained 2026 commission") && record.contains("1500.00"), "{record}");
    assert!(q3.contains("2026-Q3,r,retention,release,800.00,USD\n"), "{q3}");
    assert!(q3.contains("2026-Q3,r,retention,held,700.00,USD\n"), "{q3}");
}

#[test]
fn what_each_draw_leaves_owed_is_recorded_by_draw_and_recovered_from_its_month() {
    // Nadia's ramp leaves 1,800 owed after March, recovered only from April (month 4): the record
    // of March names the draw, and April recovers it from the record (commission 2,500 − 1,800 =
    // 700.00).
    let case = "tests/eval/several_draws_advances_and_late_recovery";
    let (ledger, april) = close_case_then_run(case, &["2026-01", "2026-02", "2026-03"], "2026-04");
    let record = std::fs::read_to_string(ledger.join("2026-03.json")).unwrap_or_default();
    assert!(record.contains("\"draw ramp\"") && record.contains("1800.00"), "{record}");
    assert!(april.contains("2026-04,n,ramped,recovery,-1800.00,USD\n"), "{april}");
    assert!(april.contains("2026-04,n,ramped,total,700.00,USD\n"), "{april}");
}

#[test]
fn half_month_periods_close_by_their_last_day_and_are_paid_from_their_records() {
    // The semi-monthly case: closing January records its two pay periods, named by their last
    // days; February then runs the same with the ledger as without it.
    let case = "tests/eval/pay_semi_monthly_quota_split_in_24";
    let (ledger, february) = close_case_then_run(case, &["2026-01"], "2026-02");
    for name in ["2026-01-15", "2026-01-31"] {
        assert!(ledger.join(format!("{name}.json")).exists(), "{name} is closed");
    }
    assert!(february.contains("2026-02-15,s,semi,commission,250.00,USD\n"), "{february}");
}
