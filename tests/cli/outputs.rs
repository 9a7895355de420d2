//! `run --out DIR` stopped dead (`COMPPLAN_CRASH_AT=N`) or failing (`COMPPLAN_FAIL_AT=N`) at each
//! of its points in turn (every write, fsync, rename and removal), until it runs to its end. At
//! every point the folder holds the outputs of the run before or of this run, with a `SHA256SUMS`
//! that vouches for them, or else a `SHA256SUMS` that does not match (stopped between two renames:
//! a reader who checks it takes nothing); and the next run leaves this run's outputs, vouched for,
//! without a temporary file.

use crate::support::{data_with, root, scratch, stderr};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Output;

const CRASH: &str = "COMPPLAN_CRASH_AT";
const FAIL: &str = "COMPPLAN_FAIL_AT";

/// The files of a folder that are not hidden, with their bytes (none when it does not exist).
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let Ok(entries) = std::fs::read_dir(dir) else { return BTreeMap::new() };
    entries
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| !name.starts_with('.'))
        .map(|name| (name.clone(), std::fs::read(dir.join(&name)).unwrap()))
        .collect()
}

/// Whether `SHA256SUMS` lists every output in the folder with its SHA-256, as `sha256sum -c` checks.
fn vouched(files: &BTreeMap<String, Vec<u8>>) -> bool {
    let Some(sums) = files.get("SHA256SUMS") else { return false };
    let sums = String::from_utf8_lossy(sums);
    let listed: BTreeMap<&str, &str> =
        sums.lines().filter_map(|line| line.split_once("  ")).map(|(digest, name)| (name, digest)).collect();
    let hex = |bytes: &[u8]| Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect::<String>();
    files.keys().all(|name| name == "SHA256SUMS" || listed.contains_key(name.as_str()))
        && listed.iter().all(|(name, digest)| files.get(*name).is_some_and(|bytes| hex(bytes) == *digest))
}

fn run(args: &[&str], out: &Path, fault: Option<(&str, usize)>) -> Output {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_compplan"));
    command.args(args).args(["--out", out.to_str().unwrap()]).current_dir(root());
    if let Some((variable, n)) = fault {
        command.env(variable, n.to_string());
    }
    command.output().expect("runs")
}

/// Runs `action` (exit code `code`) into copies of the folder `before` leaves, stopped at each
/// point in turn (`COMPPLAN_CRASH_AT`), then failing at each (`COMPPLAN_FAIL_AT`), as `faults` asks; returns the points reached, and those (with the file they
/// act on) where the folder was left between the two runs (never vouched for).
fn at_every_point(
    name: &str,
    before: Option<&[&str]>,
    action: &[&str],
    code: i32,
    faults: &[&str],
) -> (Vec<String>, Vec<String>) {
    let dir = scratch(name);
    let fresh = |n: &str| {
        let out = dir.join(n);
        if let Some(args) = before {
            assert!(matches!(run(args, &out, None).status.code(), Some(0 | 3)));
        }
        out
    };
    let before_state = files(&fresh("before"));
    assert!(before.is_none() || vouched(&before_state), "the run before vouches for its outputs");
    let after_dir = fresh("after");
    assert_eq!(run(action, &after_dir, None).status.code(), Some(code));
    let after_state = files(&after_dir);
    assert!(vouched(&after_state) && after_state != before_state);
    let (mut reached, mut between) = (Vec::new(), Vec::new());
    for &variable in faults {
        for n in 1.. {
            let out = fresh(&format!("{variable}-{n}"));
            let result = run(action, &out, Some((variable, n)));
            let said = stderr(&result);
            let Some((point, subject)) = said
                .split(&format!("point {n}, "))
                .nth(1)
                .and_then(|rest| rest.split_once(' '))
                .map(|(point, rest)| (point, rest.split(" (COMPPLAN_").next().unwrap_or_default()))
            else {
                assert_eq!((result.status.code(), files(&out)), (Some(code), after_state.clone()), "{said}");
                break;
            };
            reached.push(point.to_string());
            let subject = Path::new(subject).file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
            let state = files(&out);
            let stopped = variable == CRASH;
            assert_eq!(result.status.code(), Some(if stopped { 134 } else { 1 }), "{variable}={n} ({point}): {said}");
            if state != before_state && state != after_state {
                assert!(
                    !vouched(&state),
                    "{variable}={n} ({point}): outputs of two runs, vouched for: {:?}",
                    state.keys()
                );
                between.push(format!("{point} {subject}"));
            }
            if !stopped {
                let hidden = std::fs::read_dir(&out).map_or(0, |d| d.count()) - state.len();
                assert_eq!(hidden, 0, "a failed run removes its temporary files ({point})");
                continue;
            }
            let healed = run(action, &out, None);
            assert_eq!(healed.status.code(), Some(code), "after {point}: {}", stderr(&healed));
            assert_eq!(files(&out), after_state, "after {point}");
            let left: Vec<_> = std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name()).collect();
            assert_eq!(left.len(), after_state.len(), "no temporary file is left after {point}: {left:?}");
        }
    }
    (reached, between)
}

/// Whether a point (and its file) comes after the first output is renamed into place: another
/// rename, the removal of a stale output, or the writing of `SHA256SUMS`.
fn after_the_first_rename(point: &str) -> bool {
    let (point, file) = point.split_once(' ').unwrap_or_default();
    let first = point == "out-rename" && file == "payouts.csv";
    (point == "out-rename" && !first) || point == "out-remove" || file.starts_with(".SHA256SUMS.")
}

#[test]
fn a_run_stopped_or_failing_anywhere_leaves_one_runs_outputs_or_says_it_did_not() {
    // March's outputs, then April's with --keep-going (bob's zero quota: errors.csv, exit 3).
    let zero = data_with("outputs-zero-quota", "quotas.csv", |t| t.replace("bob,2026,1200000", "bob,2026,0"));
    let march = ["run", "plans", "--data", "plans/data", "--period", "2026-03"];
    let april = ["run", "plans", "--data", zero.to_str().unwrap(), "--period", "2026-04", "--keep-going"];
    let (reached, between) = at_every_point("outputs-keep-going", Some(&march), &april, 3, &[CRASH, FAIL]);
    for point in ["out-write", "out-sync", "out-rename", "out-sync-folder"] {
        assert!(reached.iter().any(|p| p == point), "{point} in {reached:?}");
    }
    // Between the first rename and the rename of `SHA256SUMS`, and only there.
    assert!(!between.is_empty() && between.iter().all(|p| after_the_first_rename(p)), "{between:?}");

    // Back: a run without errors removes the errors.csv of the run before.
    let (reached, _) = at_every_point("outputs-no-errors", Some(&april), &march, 0, &[CRASH]);
    assert!(reached.iter().any(|p| p == "out-remove"), "{reached:?}");

    // Into a folder that does not exist yet.
    let (reached, between) = at_every_point("outputs-new-folder", None, &march, 0, &[CRASH]);
    assert!(reached.iter().any(|p| p == "out-create-folder"), "{reached:?}");
    assert!(between.iter().all(|p| after_the_first_rename(p)), "{between:?}");
}

#[test]
fn outputs_are_vouched_for_by_sha256sums_and_stale_temporary_files_are_removed() {
    let out = scratch("outputs-sums");
    // A temporary file a killed run left (its process is gone, so no one holds its lock), and one of
    // a name compplan does not write, which is not its to remove.
    std::fs::write(out.join(".payouts.csv.999999.tmp"), "period,rep\n").unwrap();
    std::fs::write(out.join(".notes.txt.999999.tmp"), "mine").unwrap();
    let result = run(&["run", "plans", "--data", "plans/data", "--period", "2026-03"], &out, None);
    assert_eq!(result.status.code(), Some(0), "{}", stderr(&result));
    let written = files(&out);
    assert_eq!(written.keys().collect::<Vec<_>>(), ["SHA256SUMS", "attainment.csv", "payouts.csv"]);
    let sums = String::from_utf8(written["SHA256SUMS"].clone()).unwrap();
    let hex = |name: &str| Sha256::digest(&written[name]).iter().map(|b| format!("{b:02x}")).collect::<String>();
    assert_eq!(sums, format!("{}  payouts.csv\n{}  attainment.csv\n", hex("payouts.csv"), hex("attainment.csv")));
    assert!(!out.join(".payouts.csv.999999.tmp").exists(), "the stale temporary file is removed");
    assert!(out.join(".notes.txt.999999.tmp").exists(), "a file compplan does not write is left alone");
}
