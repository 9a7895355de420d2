//! The ledger as a chain, attacked: records deleted, downgraded, reordered and edited are refused by
//! `run --ledger`, `close` and `ledger verify` at the file and line that show it; records written
//! before the chain are sealed by its first record; two closes at once take turns.

use super::{bundled, close};
use crate::support::{compplan, root, scratch, stderr, stdout};
use std::path::Path;
use std::process::Output;

/// `run --ledger` of April for every rep, as CSV.
fn run_april(ledger: &Path) -> Output {
    compplan(&[
        "run",
        "plans",
        "--data",
        "plans/data",
        "--period",
        "2026-04",
        "--format",
        "csv",
        "--ledger",
        ledger.to_str().unwrap(),
    ])
}

/// `compplan ledger verify --format json`: the exit code and the answer.
fn verify(ledger: &Path) -> (Option<i32>, serde_json::Value) {
    let out = compplan(&["ledger", "verify", "--ledger", ledger.to_str().unwrap(), "--format", "json"]);
    (out.status.code(), serde_json::from_str(&stdout(&out)).expect("JSON on stdout"))
}

/// A ledger with January, February and March closed, one close each.
fn three_months(name: &str) -> crate::support::Scratch {
    let ledger = scratch(name);
    for month in ["2026-01", "2026-02", "2026-03"] {
        assert_eq!(close(&bundled(), &ledger, month), Some(0));
    }
    ledger
}

/// Rewrites a record's JSON (the record's own digest covers its content, not its layout).
fn edit(path: &Path, change: impl FnOnce(&mut serde_json::Map<String, serde_json::Value>)) {
    let mut value: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    change(value.as_object_mut().unwrap());
    std::fs::write(path, serde_json::to_string_pretty(&value).unwrap()).unwrap();
}

/// `file:line:column` of the first line of a record that holds a field, as diagnostics show it.
fn at(path: &Path, field: &str) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let (line, column) = text
        .lines()
        .enumerate()
        .find_map(|(i, l)| l.find(&format!("\"{field}\"")).map(|c| (i + 1, c + 1)))
        .expect("the field is in the file");
    format!("{}:{line}:{column}", path.display())
}

/// Asserts that `run --ledger`, `close` of the next month and `ledger verify` all refuse the ledger
/// with `expected` (and `close` writes nothing).
fn refused_everywhere(ledger: &Path, expected: &str) {
    let run = run_april(ledger);
    assert_eq!(run.status.code(), Some(1), "{}", stderr(&run));
    assert!(stderr(&run).contains(expected), "run --ledger:\n{}", stderr(&run));
    assert_eq!(stdout(&run), "", "nothing is paid");
    let closed = compplan(&[
        "close",
        "plans",
        "--data",
        "plans/data",
        "--ledger",
        ledger.to_str().unwrap(),
        "--period",
        "2026-04",
    ]);
    assert_eq!(closed.status.code(), Some(1));
    assert!(
        stderr(&closed).contains(expected) && stderr(&closed).contains("nothing was closed"),
        "{}",
        stderr(&closed)
    );
    assert!(!ledger.join("2026-04.json").exists());
    let text = compplan(&["ledger", "verify", "--ledger", ledger.to_str().unwrap()]);
    assert_eq!(text.status.code(), Some(1));
    assert!(stderr(&text).contains(expected), "ledger verify:\n{}", stderr(&text));
}

#[test]
fn a_record_deleted_from_the_middle_is_refused_at_the_record_after_it() {
    let ledger = three_months("chain-deleted");
    let (code, before) = verify(&ledger);
    assert_eq!((code, &before["holds"]), (Some(0), &serde_json::json!(true)));
    let february = std::fs::read(ledger.join("2026-02.json")).unwrap();
    std::fs::remove_file(ledger.join("2026-02.json")).unwrap();

    let march = ledger.join("2026-03.json");
    refused_everywhere(
        &ledger,
        &format!("error[E0905]: {} is record 3 of the chain and was closed after 2026-02.json, but record 2 of the chain is not in the folder: it was deleted", march.display()),
    );
    let run = stderr(&run_april(&ledger));
    assert!(run.contains(&format!("┌─ {}", at(&march, "previous"))), "at the link: {run}");
    assert!(run.contains("help: restore 2026-02.json from version control"), "{run}");
    let (code, answer) = verify(&ledger);
    assert_eq!((code, &answer["holds"]), (Some(1), &serde_json::json!(false)));
    assert_eq!(answer["diagnostics"][0]["code"], "E0905");
    assert_eq!(answer["diagnostics"][0]["file"], march.display().to_string());

    // Put back, the ledger holds again.
    std::fs::write(ledger.join("2026-02.json"), february).unwrap();
    assert_eq!(verify(&ledger).0, Some(0));

    // What the chain cannot show: the newest record deleted leaves the ledger of the day before,
    // which holds. Only the newest digest kept from an earlier `ledger verify` (or version control)
    // tells the difference.
    std::fs::remove_file(&march).unwrap();
    let (code, after) = verify(&ledger);
    assert_eq!(code, Some(0));
    assert_eq!(after["newest"]["file"], "2026-02.json");
    assert_ne!(after["newest"], before["newest"], "the digest an auditor kept no longer matches");
}

#[test]
fn a_downgraded_record_is_refused() {
    // The attack of issue 11: February's record set to format 1, without its digest (nor its place
    // in the chain), and alice's earnings raised by 10,000.00. Before the chain it was trusted, and
    // April paid alice an adjustment of 4,400.00 − 14,400.00 = −10,000.00.
    let ledger = three_months("chain-downgraded");
    let february = ledger.join("2026-02.json");
    let original = std::fs::read(&february).unwrap();
    edit(&february, |record| {
        record.insert("format".into(), 1.into());
        record.remove("record_sha256");
        record.remove("chain");
        let alice = record["groups"].as_array_mut().unwrap().iter_mut().find(|g| g["rep"] == "alice").unwrap();
        assert_eq!(alice["earned"], "4400.00", "alice earned 4,400.00 in February (the worked example's table)");
        alice["earned"] = "14400.00".into();
    });
    let expected = format!(
        "error[E0905]: {} is a format-1 record, without a place in the chain, but the chain began with 2026-01.json, which does not seal it: every record closed since then is format 3, so this one was downgraded or added by hand",
        february.display()
    );
    refused_everywhere(&ledger, &expected);
    assert!(stderr(&run_april(&ledger)).contains(&format!("┌─ {}", at(&february, "format"))));

    // Downgraded but keeping its place in the chain: a format-1 record has none.
    std::fs::write(&february, &original).unwrap();
    edit(&february, |record| {
        record.insert("format".into(), 1.into());
        record.remove("record_sha256");
    });
    let run = stderr(&run_april(&ledger));
    assert!(run.contains("error[E0900]") && run.contains("is a format-1 record with a `chain`"), "{run}");

    // The newest record downgraded: its place is still after the chain began.
    std::fs::write(&february, &original).unwrap();
    edit(&ledger.join("2026-03.json"), |record| {
        record.insert("format".into(), 1.into());
        record.remove("record_sha256");
        record.remove("chain");
    });
    assert!(stderr(&run_april(&ledger)).contains("2026-03.json is a format-1 record, without a place in the chain"));
}

#[test]
fn reordered_records_are_refused() {
    // Two records swap files: each names its own period.
    let ledger = three_months("chain-swapped");
    let (february, march) = (ledger.join("2026-02.json"), ledger.join("2026-03.json"));
    let (feb, mar) = (std::fs::read(&february).unwrap(), std::fs::read(&march).unwrap());
    std::fs::write(&february, &mar).unwrap();
    std::fs::write(&march, &feb).unwrap();
    let run = stderr(&run_april(&ledger));
    assert!(run.contains("2026-02.json records the period 2026-03, but its name says 2026-02"), "{run}");

    // A record moved to another place in the chain by editing its sequence: its digest no longer holds.
    std::fs::write(&february, &feb).unwrap();
    std::fs::write(&march, &mar).unwrap();
    edit(&march, |record| record["chain"]["sequence"] = 2.into());
    let run = stderr(&run_april(&ledger));
    assert!(run.contains("2026-03.json was changed after it was closed"), "{run}");

    // Two records of one name (plans whose quarters end in different months) swap files: both
    // still name their period, but the chain's link names the file it followed.
    let dir = scratch("chain-quarters");
    let plan = |name: &str, fiscal: &str, from: &str, to: &str| {
        format!("plan {name} \"Quarters from {fiscal}\" version 1 {{\n  effective {from} to {to}\n  currency USD\n  pay quarterly\n  fiscal year starts {fiscal}\n  eligible when rep.role is \"AE\"\n  measure bookings = sum of credit.amount\n  earn commission = 10% of bookings period\n}}\n")
    };
    std::fs::write(
        dir.join("q.plan"),
        plan("q_jan", "January", "2026-01-01", "2026-12-31") + &plan("q_feb", "February", "2026-02-01", "2027-01-31"),
    )
    .unwrap();
    std::fs::create_dir(dir.join("data")).unwrap();
    std::fs::write(
        dir.join("data/reps.csv"),
        "id,name,role,region,manager,hired,terminated,target_incentive\nv,Vera,AE,EMEA,,2025-01-05,,50000\n",
    )
    .unwrap();
    std::fs::write(dir.join("data/deals.csv"), "id,owner,amount,currency,closed,product,region,kind,new_logo,cancelled,paid\nA,v,10000,USD,2026-02-10,Platform,EMEA,new,false,,\n").unwrap();
    let (quarters, data) = (dir.join("ledger"), dir.join("data"));
    for month in ["2026-03", "2026-04"] {
        let plans = [dir.join("q.plan"), root().join("plans/schema.plan"), root().join("plans/crediting.plan")];
        let mut args: Vec<&str> = vec!["close"];
        args.extend(plans.iter().map(|p| p.to_str().unwrap()));
        args.extend(["--data", data.to_str().unwrap(), "--ledger", quarters.to_str().unwrap(), "--period", month]);
        let out = compplan(&args);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    }
    let (first, second) = (quarters.join("2026-Q1.json"), quarters.join("2026-Q1.2.json"));
    assert!(std::fs::read_to_string(&second).unwrap().contains("\"q_feb\""), "q_feb's quarter ends in April");
    assert_eq!(verify(&quarters).0, Some(0));
    let (a, b) = (std::fs::read(&first).unwrap(), std::fs::read(&second).unwrap());
    std::fs::write(&first, &b).unwrap();
    std::fs::write(&second, &a).unwrap();
    let (code, answer) = verify(&quarters);
    assert_eq!(code, Some(1));
    let message = answer["diagnostics"][0]["message"].as_str().unwrap();
    assert!(message.ends_with("2026-Q1.json says it was closed after 2026-Q1.json, but record 1 of the chain is 2026-Q1.2.json: records were renamed or moved"), "{message}");
}

#[test]
fn an_edited_record_is_refused_even_with_a_fresh_digest() {
    let ledger = three_months("chain-edited");
    let february = ledger.join("2026-02.json");
    let text = std::fs::read_to_string(&february).unwrap();
    std::fs::write(&february, text.replace("\"4400.00\"", "\"14400.00\"")).unwrap();
    let run = stderr(&run_april(&ledger));
    assert!(run.contains("error[E0900]") && run.contains("2026-02.json was changed after it was closed"), "{run}");

    // Rewritten by someone who recomputes the record's own digest (here with compplan's own code):
    // the record reads, but March's link names the record that was closed.
    let stored = compplan::ledger::Stored::from_json(&text).expect("reads");
    let mut groups = stored.record.groups.clone();
    let alice = groups.iter_mut().find(|g| g.rep == "alice").unwrap();
    alice.earned = alice.earned.checked_add(rust_decimal::Decimal::new(1_000_000, 2)).unwrap();
    let forged =
        compplan::ledger::Closed::new(stored.record.period, stored.record.plans, stored.record.sources, groups);
    std::fs::write(&february, forged.to_json(stored.chain.as_ref().unwrap()).text).unwrap();
    refused_everywhere(
        &ledger,
        &format!("error[E0905]: {} is not the record 2026-03.json was closed after: its SHA-256 is not the one 2026-03.json links to", february.display()),
    );
    assert!(stderr(&run_april(&ledger)).contains(&format!("┌─ {}", at(&february, "record_sha256"))));
}

#[test]
fn records_written_before_the_chain_are_sealed_by_its_first_record() {
    // January as the first compplan with a ledger wrote it (format 1: no digest, no `held`), and
    // February as the last one before the chain did (format 2: a digest, no chain).
    let ledger = scratch("chain-sealed");
    for file in ["2026-01.json", "2026-02.json"] {
        std::fs::copy(root().join("tests/ledger/before_the_chain").join(file), ledger.join(file)).unwrap();
    }
    let text = stdout(&compplan(&["ledger", "verify", "--ledger", ledger.to_str().unwrap()]));
    assert!(text.contains("2 records written before the chain (record formats 1 and 2), not linked yet"), "{text}");
    // They are paid against as before: March with them is March recomputed (nothing changed).
    let march = |ledger: Option<&Path>| {
        let mut args = vec!["run", "plans", "--data", "plans/data", "--period", "2026-03", "--format", "csv"];
        if let Some(l) = ledger {
            args.extend(["--ledger", l.to_str().unwrap()]);
        }
        stdout(&compplan(&args))
    };
    assert_eq!(march(Some(&ledger)), march(None));

    // The first close of this version begins the chain and seals both, with their digests.
    assert_eq!(close(&bundled(), &ledger, "2026-03"), Some(0));
    let first: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(ledger.join("2026-03.json")).unwrap()).unwrap();
    assert_eq!(first["chain"]["sequence"], 1);
    assert_eq!(first["chain"]["previous"], serde_json::Value::Null);
    let sealed = first["chain"]["sealed"].as_array().unwrap();
    assert_eq!(
        sealed.iter().map(|l| l["file"].as_str().unwrap()).collect::<Vec<_>>(),
        ["2026-01.json", "2026-02.json"]
    );
    let february: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(ledger.join("2026-02.json")).unwrap()).unwrap();
    assert_eq!(sealed[1]["record_sha256"], february["record_sha256"], "a format-2 record is sealed by its own digest");
    let text = stdout(&compplan(&["ledger", "verify", "--ledger", ledger.to_str().unwrap()]));
    assert!(
        text.contains(
            "1 record chained, unbroken, after 2 records written before the chain and sealed by its first record"
        ),
        "{text}"
    );
    assert_eq!(close(&bundled(), &ledger, "2026-04"), Some(0));

    // From now on the old records are as tamper-evident as the new ones. January, format 1 without
    // a digest, edited: before the chain this was trusted.
    let january = ledger.join("2026-01.json");
    let original = std::fs::read_to_string(&january).unwrap();
    std::fs::write(&january, original.replace("\"3200.00\"", "\"13200.00\"")).unwrap();
    let run = stderr(&run_april(&ledger));
    assert!(
        run.contains(&format!(
            "error[E0905]: {} was changed after the chain's first record, 2026-03.json, sealed it",
            january.display()
        )),
        "{run}"
    );
    // February downgraded to format 1 (its digest deleted): its content is no longer what was sealed.
    std::fs::write(&january, &original).unwrap();
    edit(&ledger.join("2026-02.json"), |record| {
        record.insert("format".into(), 1.into());
        record.remove("record_sha256");
    });
    assert!(stderr(&run_april(&ledger)).contains("2026-02.json was changed after the chain's first record"));
    // January deleted: the seal names it.
    std::fs::remove_file(&january).unwrap();
    assert!(stderr(&run_april(&ledger)).contains("2026-03.json seals 2026-01.json, a record closed before the chain began, which is not in the folder: it was deleted"));
}

#[test]
fn a_close_stopped_between_two_of_its_records_counts_for_nothing_until_the_next_close() {
    // A close of the first quarter writes January, February, March and the partner plan's 2026-Q1;
    // stopped after linking January.
    let ledger = scratch("chain-unfinished");
    let killed = std::process::Command::new(env!("CARGO_BIN_EXE_compplan"))
        .args(["close", "plans", "--data", "plans/data", "--ledger", ledger.to_str().unwrap(), "--period", "2026-Q1"])
        .current_dir(root())
        .env("COMPPLAN_CRASH_AT", "close-link:2")
        .output()
        .expect("runs");
    assert_eq!(killed.status.code(), Some(134), "{}", stderr(&killed));
    assert!(ledger.join("2026-01.json").exists() && !ledger.join("2026-02.json").exists());

    let (code, answer) = verify(&ledger);
    assert_eq!(code, Some(0), "{answer}");
    assert_eq!(
        (answer["records"].as_array().unwrap().len(), &answer["unfinished"]),
        (0, &serde_json::json!(["2026-01.json"]))
    );
    assert_eq!(answer["diagnostics"][0]["code"], "W0906");
    // January is not closed: run with the ledger pays it as if nothing were recorded, and says why.
    let args = ["run", "plans", "--data", "plans/data", "--period", "2026-01", "--format", "csv"];
    let with = compplan(&[&args[..], &["--ledger", ledger.to_str().unwrap()]].concat());
    assert_eq!(stdout(&with), stdout(&compplan(&args)));
    assert!(
        stderr(&with).contains("warning[W0906]: 2026-01.json in ")
            && stderr(&with).contains("is the first record of a close that did not finish: not counted"),
        "{}",
        stderr(&with)
    );

    // The next close removes it and records the whole quarter.
    let again = compplan(&[
        "close",
        "plans",
        "--data",
        "plans/data",
        "--ledger",
        ledger.to_str().unwrap(),
        "--period",
        "2026-Q1",
    ]);
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    assert!(stderr(&again).contains("note: removed 2026-01.json from"), "{}", stderr(&again));
    let (code, answer) = verify(&ledger);
    assert_eq!(
        (code, answer["records"].as_array().unwrap().len()),
        (Some(0), 4),
        "three months and the partner plan's quarter"
    );
    assert_eq!(answer["records"][3]["sequence"], 4);
}

/// Starts `close` of a period, without waiting for it.
fn spawn_close(ledger: &Path, period: &str) -> std::process::Child {
    std::process::Command::new(env!("CARGO_BIN_EXE_compplan"))
        .args(["close", "plans", "--data", "plans/data", "--ledger", ledger.to_str().unwrap(), "--period", period])
        .current_dir(root())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("runs")
}

fn records(ledger: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(ledger)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    names.sort();
    names
}

#[test]
fn two_closes_at_once_take_turns() {
    // February and March closed at once on an empty ledger: one at a time, either February then
    // March (both recorded, March linked after February), or March first, and then February is out
    // of order (E0903). Before the lock, both were recorded every time, in any order.
    let root_dir = scratch("chain-race");
    let mut outcomes = [0; 2];
    for i in 0..20 {
        let ledger = root_dir.join(format!("ledger-{i}"));
        let (feb, mar) = (spawn_close(&ledger, "2026-02"), spawn_close(&ledger, "2026-03"));
        let (feb, mar) = (feb.wait_with_output().unwrap(), mar.wait_with_output().unwrap());
        match (feb.status.code(), mar.status.code()) {
            (Some(0), Some(0)) => {
                assert_eq!(records(&ledger), ["2026-02.json", "2026-03.json"]);
                let march: serde_json::Value =
                    serde_json::from_str(&std::fs::read_to_string(ledger.join("2026-03.json")).unwrap()).unwrap();
                assert_eq!(march["chain"]["previous"]["file"], "2026-02.json", "March is chained after February");
                outcomes[0] += 1;
            }
            (Some(1), Some(0)) => {
                assert!(stderr(&feb).contains("error[E0903]: 2026-02 cannot be closed for `enterprise_ae`: 2026-03, which comes after it, is already closed"), "{}", stderr(&feb));
                assert_eq!(records(&ledger), ["2026-03.json"]);
                outcomes[1] += 1;
            }
            other => panic!("{other:?}\nFebruary: {}\nMarch: {}", stderr(&feb), stderr(&mar)),
        }
        assert_eq!(verify(&ledger).0, Some(0));
    }
    eprintln!("February then March: {}, March alone: {}", outcomes[0], outcomes[1]);

    // The same period twice at once: one records it, the other finds it closed.
    for i in 0..10 {
        let ledger = root_dir.join(format!("same-{i}"));
        let (a, b) = (spawn_close(&ledger, "2026-03"), spawn_close(&ledger, "2026-03"));
        let outputs = [a.wait_with_output().unwrap(), b.wait_with_output().unwrap()];
        let codes: Vec<Option<i32>> = outputs.iter().map(|o| o.status.code()).collect();
        assert!(codes == [Some(0), Some(1)] || codes == [Some(1), Some(0)], "{codes:?}");
        let refused = outputs.iter().find(|o| o.status.code() == Some(1)).unwrap();
        assert!(stderr(refused).contains("error[E0901]: 2026-03 is already closed"), "{}", stderr(refused));
        assert_eq!(records(&ledger), ["2026-03.json"]);
    }
}

#[test]
fn ledger_verify_prints_a_summary_or_json_and_exits_0_or_1() {
    let ledger = scratch("chain-verify");
    assert_eq!(close(&bundled(), &ledger, "2026-01"), Some(0));
    assert_eq!(close(&bundled(), &ledger, "2026-02"), Some(0));
    let digest = |file: &str| -> String {
        let record: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(ledger.join(file)).unwrap()).unwrap();
        record["record_sha256"].as_str().unwrap().to_string()
    };
    let out = compplan(&["ledger", "verify", "--ledger", ledger.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        stdout(&out),
        format!(
            "{}: 2 records chained, unbroken\nnewest: 2026-02.json (record 2 of the chain), record_sha256 {}\nnote: a chain cannot show that records newer than its newest were deleted: keep this digest, or the folder in version control, to compare\n",
            ledger.display(),
            digest("2026-02.json")
        )
    );
    let (code, answer) = verify(&ledger);
    assert_eq!(code, Some(0));
    assert_eq!(answer["version"], 1);
    assert_eq!(answer["holds"], true);
    assert_eq!(
        answer["records"][0],
        serde_json::json!({"file": "2026-01.json", "period": "2026-01", "format": 3, "sequence": 1, "record_sha256": digest("2026-01.json")})
    );
    assert_eq!(answer["newest"], serde_json::json!({"file": "2026-02.json", "record_sha256": digest("2026-02.json")}));
    assert_eq!(answer["diagnostics"], serde_json::json!([]));

    let (code, answer) = verify(&ledger.join("no-such-folder"));
    assert_eq!((code, &answer["diagnostics"][0]["code"]), (Some(1), &serde_json::json!("E0902")));
    let empty = scratch("chain-verify-empty");
    assert!(
        stdout(&compplan(&["ledger", "verify", "--ledger", empty.to_str().unwrap()])).ends_with(": no records yet\n")
    );
    assert_eq!(compplan(&["ledger"]).status.code(), Some(64), "a verb is required");
    assert_eq!(compplan(&["ledger", "verify"]).status.code(), Some(64), "--ledger is required");
}
