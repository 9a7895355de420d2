//! The bad-input corpus (`tests/bad_inputs/`), end to end through the command line: every broken plan
//! and every broken data folder fails `compplan run --out` with exit 1, writes nothing, and reports
//! its error at the file, line and column written beside it.
//!
//! - `plans/CODE_what.plan`: a plan file checked with the example schema and crediting rules (unless
//!   its first line is `// no-prelude`); its header comments say, for each error code it must report
//!   (and no other), where the first one of that code is: `// expect: E0102 7:21`.
//! - `data/CODE_what/`: CSV files that replace the example data's (`reps.csv.absent` removes
//!   `reps.csv`), `.plan` files that replace or join the example plans (for a problem only some
//!   crediting rules or plans meet), and `EXPECTED`: a comment, then for each code, the file and
//!   place of its first report (`E0702 deals.csv 4:10`, `E0802 plans/lookup.plan 9:9`), or `-` for
//!   a problem about a whole file (`E0700 reps.csv -`: the file is missing, and the message names
//!   it).

use crate::support::{root, scratch, Scratch};
use std::path::{Path, PathBuf};
use std::process::Command;

/// What a case must report: each code, with the file of its first report and its line and column
/// (`None` for a problem about a whole file).
type Expected = Vec<(String, String, Option<(usize, usize)>)>;

fn compplan(args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_compplan"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs");
    (out.status.code(), crate::support::stdout(&out), crate::support::stderr(&out))
}

/// Runs `check` on each item on a few threads: the cases are independent processes.
fn each<T: Sync>(items: &[T], check: impl Fn(&T) + Sync) {
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                match items.get(i) {
                    Some(item) => check(item),
                    None => return,
                }
            });
        }
    });
}

/// A folder's entries with an extension, sorted.
fn entries(dir: &Path, keep: impl Fn(&Path) -> bool) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> =
        std::fs::read_dir(dir).expect("readable").map(|e| e.expect("entry").path()).filter(|p| keep(p)).collect();
    out.sort();
    out
}

/// `run --out` into an empty folder must fail and leave it empty, naming each expected code at its
/// place; `shown` turns a place's file into the path the command prints.
fn run_fails_and_writes_nothing(case: &str, args: &[&str], expected: &Expected, shown: impl Fn(&str) -> String) {
    let out = scratch(&format!("bad-out-{case}"));
    let out_arg = out.to_str().expect("utf-8 path");
    let mut all = args.to_vec();
    all.extend(["--out", out_arg]);
    let (code, stdout, stderr) = compplan(&all);
    assert_eq!(code, Some(1), "{case}: run exits 1\n{stdout}{stderr}");
    let left: Vec<PathBuf> = entries(&out, |_| true);
    assert!(left.is_empty(), "{case}: a failed run writes nothing, yet {left:?} are in the output folder");
    for (id, file, place) in expected {
        assert!(stderr.contains(&format!("[{id}]")), "{case}: reports {id}\n{stderr}");
        let at = match place {
            Some((line, column)) => format!("{}:{line}:{column}", shown(file)),
            None => format!("`{file}`"),
        };
        assert!(stderr.contains(&at), "{case}: reports {id} at {at}\n{stderr}");
    }
}

/// The header of a plan case: whether it is checked alone, and what it must report.
fn plan_case(path: &Path) -> (bool, Expected) {
    let text = String::from_utf8_lossy(&std::fs::read(path).expect("readable")).into_owned();
    let alone = text.starts_with("// no-prelude");
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
    let expected = text
        .lines()
        .take_while(|l| l.starts_with("//"))
        .filter_map(|l| l.strip_prefix("// expect: "))
        .map(|rest| {
            let (id, at) = rest.split_once(' ').expect("`CODE LINE:COLUMN`");
            let (line, column) = at.split_once(':').expect("LINE:COLUMN");
            (id.to_string(), name.clone(), Some((line.parse().expect("line"), column.parse().expect("column"))))
        })
        .collect();
    (alone, expected)
}

#[test]
fn every_broken_plan_fails_at_its_place_and_writes_nothing() {
    let cases = entries(&root().join("tests/bad_inputs/plans"), |p| p.extension().is_some_and(|e| e == "plan"));
    assert!(cases.len() >= 75, "{} plan cases", cases.len());
    each(&cases, |path| {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        let (alone, expected) = plan_case(path);
        let code = name.split('_').next().unwrap_or_default();
        assert!(expected.iter().any(|(id, ..)| id == code), "{name}: expects the code its name starts with");
        let dir = scratch(&format!("bad-plan-{name}"));
        std::fs::copy(path, dir.join(name)).expect("copy");
        if !alone {
            for shared in ["schema.plan", "crediting.plan"] {
                std::fs::copy(root().join("plans").join(shared), dir.join(shared)).expect("copy");
            }
        }
        let ws = dir.to_str().expect("utf-8 path");
        // The check reports exactly the expected codes (errors, and the note that some are not
        // shown), the first of each at its place.
        let (status, json, stderr) = compplan(&["check", ws, "--format", "json"]);
        assert_eq!(status, Some(1), "{name}: check exits 1\n{stderr}");
        let report: serde_json::Value = serde_json::from_str(&json).expect("JSON");
        let reported: Vec<&serde_json::Value> = report["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .filter(|d| d["severity"] == "error" || d["code"] == "N0011")
            .collect();
        let mut codes: Vec<&str> = reported.iter().filter_map(|d| d["code"].as_str()).collect();
        codes.sort_unstable();
        codes.dedup();
        let mut wanted: Vec<&str> = expected.iter().map(|(id, ..)| id.as_str()).collect();
        wanted.sort_unstable();
        assert_eq!(codes, wanted, "{name}: the codes reported");
        for (id, file, place) in &expected {
            let first = reported.iter().find(|d| d["code"] == id.as_str()).expect("reported");
            let (line, column) = place.expect("a place");
            let at = (first["file"].as_str().unwrap_or_default(), first["line"].as_u64(), first["column"].as_u64());
            assert!(at.0.ends_with(file.as_str()), "{name}: {id} is in {}", at.0);
            assert_eq!((at.1, at.2), (Some(line as u64), Some(column as u64)), "{name}: {id}'s place");
        }
        let args = ["run", ws, "--data", "plans/data", "--period", "2026-03"];
        run_fails_and_writes_nothing(name, &args, &expected, |file| format!("{ws}/{file}"));
    });
}

/// A data case's `EXPECTED` file.
fn data_case(dir: &Path) -> Expected {
    let text = std::fs::read_to_string(dir.join("EXPECTED")).expect("EXPECTED");
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let parts: Vec<&str> = l.split_whitespace().collect();
            let [id, file, at] = parts.as_slice() else {
                panic!("{}: `CODE FILE LINE:COLUMN` or `CODE FILE -`: {l}", dir.display())
            };
            let place =
                at.split_once(':').map(|(line, column)| (line.parse().expect("line"), column.parse().expect("column")));
            (id.to_string(), file.to_string(), place)
        })
        .collect()
}

#[test]
fn every_broken_data_folder_fails_at_its_place_and_writes_nothing() {
    let cases = entries(&root().join("tests/bad_inputs/data"), |p| p.is_dir());
    assert!(cases.len() >= 45, "{} data cases", cases.len());
    let codes: std::collections::BTreeSet<String> =
        cases.iter().flat_map(|c| data_case(c).into_iter().map(|(id, ..)| id)).collect();
    for code in (700..=717).map(|n| format!("E0{n}")) {
        assert!(codes.contains(&code), "a case for {code}");
    }
    each(&cases, |case| {
        let name = case.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        let expected = data_case(case);
        let data = scratch(&format!("bad-data-{name}"));
        for file in entries(&root().join("plans/data"), |p| p.is_file()) {
            std::fs::copy(&file, data.join(file.file_name().expect("name"))).expect("copy");
        }
        for file in entries(case, |p| p.extension().is_some_and(|e| e == "csv" || e == "absent")) {
            let target = data.join(file.file_name().expect("name"));
            match target.to_str().and_then(|t| t.strip_suffix(".absent")) {
                Some(removed) => std::fs::remove_file(removed).expect("remove"),
                None => drop(std::fs::copy(&file, &target).expect("copy")),
            }
        }
        let (plans, _copy) = plans_of(case, name);
        let dir = data.to_str().expect("utf-8 path");
        for (id, _, place) in &expected {
            assert!(place.is_some() || id == "E0700", "{name}: every problem but a missing file has a place");
        }
        let args = ["run", &plans, "--data", dir, "--period", "2026"];
        run_fails_and_writes_nothing(name, &args, &expected, |file| match file.strip_prefix("plans/") {
            Some(plan) => format!("{plans}/{plan}"),
            None => format!("{dir}/{file}"),
        });
    });
}

/// The plans a data case runs: the example plans, or, when the case has `.plan` files, a copy of
/// them with those files in place.
fn plans_of(case: &Path, name: &str) -> (String, Option<Scratch>) {
    let own = entries(case, |p| p.extension().is_some_and(|e| e == "plan"));
    if own.is_empty() {
        return ("plans".to_string(), None);
    }
    let plans = scratch(&format!("bad-data-plans-{name}"));
    for file in entries(&root().join("plans"), |p| p.extension().is_some_and(|e| e == "plan")).iter().chain(&own) {
        std::fs::copy(file, plans.join(file.file_name().expect("name"))).expect("copy");
    }
    (plans.to_str().expect("utf-8 path").to_string(), Some(plans))
}

/// What the fuzzer checks of every plan, on every broken plan of the corpus (the fuzzer's own
/// findings among them): formatting a file it can format gives a text that formats to itself,
/// with the same checked model and diagnostic codes, and the editor's questions at every tenth
/// offset are answered without a panic.
#[test]
fn every_broken_plan_formats_to_itself_and_keeps_its_meaning() {
    use compplan::{analysis, check, fmt, CompDb};
    let shared = crate::support::plan_sources(&root().join("plans"), root());
    let shared: Vec<(String, String)> =
        shared.into_iter().filter(|(p, _)| p.ends_with("schema.plan") || p.ends_with("crediting.plan")).collect();
    let cases = entries(&root().join("tests/bad_inputs/plans"), |p| p.extension().is_some_and(|e| e == "plan"));
    let checked = |sources: Vec<(String, String)>| {
        let db = CompDb::default();
        let ws = db.workspace(sources);
        let mut codes: Vec<&str> = check::diagnostics(&db, ws).iter().map(|d| d.code.id).collect();
        codes.sort_unstable();
        (codes, check::workspace_model(&db, ws).clone())
    };
    each(&cases, |path| {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
        let text = compplan::syntax::decode(std::fs::read(path).expect("readable"));
        let sources = |text: &str| {
            let mut sources = if text.starts_with("// no-prelude") { Vec::new() } else { shared.clone() };
            sources.push((name.clone(), text.to_string()));
            sources
        };
        let db = CompDb::default();
        let ws = db.workspace(sources(&text));
        let file = *ws.files(&db).iter().find(|f| *f.path(&db) == name).expect("the case");
        for offset in (0..=text.len()).step_by(10).filter(|&o| text.is_char_boundary(o)) {
            let _ = (analysis::hover(&db, ws, file, offset), analysis::completions(&db, ws, file, offset));
            let _ = analysis::references(&db, ws, file, offset, true);
        }
        let Some(once) = fmt::format_text(&text) else { return };
        assert_eq!(
            fmt::format_text(&once).as_deref(),
            Some(once.as_str()),
            "{name}: formatting twice changes the text"
        );
        let (codes, model) = checked(sources(&text));
        let (codes_after, model_after) = checked(sources(&once));
        if !codes.contains(&"N0011") {
            assert_eq!(codes, codes_after, "{name}: the formatted file reports other codes");
        }
        assert!(model == model_after, "{name}: the formatted file checks to another model");
    });
}
