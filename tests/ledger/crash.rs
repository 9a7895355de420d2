//! `close` stopped dead (`COMPPLAN_CRASH_AT=N`) or failing (`COMPPLAN_FAIL_AT=N`) at each of its
//! points in turn (every write, fsync, link and removal), until it runs to its end: at every point
//! the ledger is as it was before the close or as it is after, never in between, and the next close
//! succeeds and leaves no temporary file behind.

use crate::support::{copy_dir, root, stderr};
use compplan::ledger::chain::{self, Entry};
use compplan::ledger::Stored;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Output;

const CRASH: &str = "COMPPLAN_CRASH_AT";
const FAIL: &str = "COMPPLAN_FAIL_AT";

/// The records that count in a ledger folder, by file, with their text: what `run --ledger` pays
/// against (read as the command line reads it: every record, checked as a chain, without the
/// records of an unfinished close). A ledger folder that does not exist counts nothing.
fn counted(ledger: &Path) -> BTreeMap<String, String> {
    let Ok(dir) = std::fs::read_dir(ledger) else { return BTreeMap::new() };
    let mut texts = BTreeMap::new();
    let mut entries = Vec::new();
    for entry in dir {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let text = std::fs::read_to_string(ledger.join(&name)).unwrap();
        let stored = Stored::from_json(&text).unwrap_or_else(|e| panic!("{name} {e}"));
        entries.push(Entry { file: name.clone(), stored });
        texts.insert(name, text);
    }
    let verified = chain::verify(entries).unwrap_or_else(|broken| panic!("the chain holds: {broken:?}"));
    verified.counted.iter().map(|e| (e.file.clone(), texts[&e.file].clone())).collect()
}

/// The hidden temporary files in a folder.
fn temporary(ledger: &Path) -> Vec<String> {
    let Ok(dir) = std::fs::read_dir(ledger) else { return Vec::new() };
    dir.map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).filter(|n| n.ends_with(".tmp")).collect()
}

fn close(ledger: &Path, period: &str, fault: Option<(&str, usize)>) -> Output {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_compplan"));
    command
        .args(["close", "plans", "--data", "plans/data", "--ledger", ledger.to_str().unwrap(), "--period", period])
        .current_dir(root());
    if let Some((variable, n)) = fault {
        command.env(variable, n.to_string());
    }
    command.output().expect("runs")
}

/// Closes `period` on copies of the ledger `before` (which may not exist), stopped at each point in
/// turn (`COMPPLAN_CRASH_AT`), then failing at each point in turn (`COMPPLAN_FAIL_AT`), as `faults` asks; returns the names of the points reached. `next` is a
/// period to close after a stop that left the ledger as after.
fn at_every_point(scratch: &Path, before: &Path, period: &str, next: &str, faults: &[&str]) -> BTreeSet<String> {
    let copy = |to: &Path| {
        if before.exists() {
            copy_dir(before, to);
        }
    };
    let after_dir = scratch.join("after");
    copy(&after_dir);
    assert_eq!(close(&after_dir, period, None).status.code(), Some(0));
    let (before_state, after_state) = (counted(before), counted(&after_dir));
    assert!(after_state.len() > before_state.len() + 1, "the close writes several records");
    let mut reached = BTreeSet::new();
    for &variable in faults {
        for n in 1.. {
            let ledger = scratch.join(format!("{variable}-{n}"));
            copy(&ledger);
            let out = close(&ledger, period, Some((variable, n)));
            let said = stderr(&out);
            let Some(point) = said.split(&format!("point {n}, ")).nth(1).and_then(|r| r.split_whitespace().next())
            else {
                // Past the last point: the close ran to its end.
                assert_eq!((out.status.code(), counted(&ledger)), (Some(0), after_state.clone()), "{said}");
                break;
            };
            reached.insert(point.to_string());
            let state = counted(&ledger);
            let stopped = variable == CRASH;
            match out.status.code() {
                Some(134) if stopped => {}
                // A failure undoes the close; only removing its temporary files may fail after it is done.
                Some(1) if !stopped => assert_eq!(state, before_state, "failing at {point}: {said}"),
                Some(0) if !stopped && point == "close-remove-temp" => assert_eq!(state, after_state),
                other => panic!("{variable}={n} ({point}): exit {other:?}\n{said}"),
            }
            assert!(
                state == before_state || state == after_state,
                "{variable}={n} ({point}) left the ledger in between: {:?}",
                state.keys()
            );
            if !stopped {
                assert!(
                    temporary(&ledger).is_empty() || point == "close-remove-temp",
                    "{point}: {:?}",
                    temporary(&ledger)
                );
                continue;
            }
            // The next close finishes the job: the same close if the ledger is as before, the next
            // period's if it is as after; either way no temporary file is left.
            let (again, expected) = if state == before_state { (period, &after_state) } else { (next, &after_state) };
            let healed = close(&ledger, again, None);
            assert_eq!(healed.status.code(), Some(0), "after {point}: {}", stderr(&healed));
            let healed_state = counted(&ledger);
            assert!(expected.iter().all(|(file, text)| healed_state.get(file) == Some(text)), "after {point}");
            assert_eq!(temporary(&ledger), Vec::<String>::new(), "after {point}");
        }
    }
    reached
}

#[test]
fn a_close_stopped_or_failing_anywhere_leaves_the_ledger_as_before_or_after() {
    // A ledger with the first quarter closed, then the second quarter: April, May and June for the
    // monthly plans, and the partner plan's own second quarter: four records.
    let scratch = crate::support::scratch("crash-close");
    let before = scratch.join("before");
    assert_eq!(close(&before, "2026-Q1", None).status.code(), Some(0));
    let reached = at_every_point(&scratch, &before, "2026-Q2", "2026-Q3", &[CRASH, FAIL]);
    let expected = ["close-write", "close-sync", "close-link", "close-sync-folder", "close-remove-temp"];
    assert_eq!(reached, expected.iter().map(|p| p.to_string()).collect(), "every kind of point is reached");
}

#[test]
fn the_first_close_stopped_anywhere_leaves_no_ledger_or_a_whole_one() {
    // The ledger folder does not exist yet: the close creates it, and its first record begins the chain.
    let scratch = crate::support::scratch("crash-first-close");
    let reached = at_every_point(&scratch, &scratch.join("no-ledger"), "2026-Q1", "2026-Q2", &[CRASH]);
    assert!(reached.contains("close-create-folder") && reached.contains("close-link"), "{reached:?}");
}

#[test]
fn a_close_stopped_while_undoing_a_failed_link_leaves_an_unfinished_close() {
    // Linking the third record fails; while the first two are being removed again, the process is
    // stopped. What is left is the first parts of a close: not counted, and removed by the next close.
    let scratch = crate::support::scratch("crash-undo");
    let ledger = scratch.join("ledger");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_compplan"))
        .args(["close", "plans", "--data", "plans/data", "--ledger", ledger.to_str().unwrap(), "--period", "2026-Q1"])
        .current_dir(root())
        .env("COMPPLAN_FAIL_AT", "close-link:3")
        .env("COMPPLAN_CRASH_AT", "close-unlink:2")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(134), "{}", stderr(&out));
    assert!(ledger.join("2026-01.json").exists(), "January is still linked");
    assert_eq!(counted(&ledger), BTreeMap::new(), "an unfinished close counts for nothing");
    assert_eq!(close(&ledger, "2026-Q1", None).status.code(), Some(0));
    assert_eq!(counted(&ledger).len(), 4, "three months and the partner plan's quarter");
    assert_eq!(temporary(&ledger), Vec::<String>::new());
}
