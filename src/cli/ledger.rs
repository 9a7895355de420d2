//! The ledger folder on disk: reading the records of closed periods, and `compplan close`, which
//! adds one record per period, atomically and never over an existing one.

use super::close_order;
use super::run::{self, print_eval_errors, Timings};
use super::CloseArgs;
use crate::diagnostics::{codes, LocatedDiagnostic};
use crate::eval::Request;
use crate::ledger::{Closed, Fingerprint, Ledger, Sources};
use crate::source::Workspace;
use crate::{check, CompDb};
use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};

/// Reads every record in a ledger folder (`<period>.json`; names starting with a dot are a close
/// that did not finish, and are ignored). Prints the problems and returns exit code 1 on any.
pub(crate) fn read(dir: &Path) -> Result<Ledger, u8> {
    if !dir.is_dir() {
        let d =
            LocatedDiagnostic::new(&codes::NO_LEDGER, format!("the ledger folder {} does not exist", dir.display()))
                .help("give the folder `compplan close` writes to; a new ledger starts with the first `close`");
        return Err(fail(&[d]));
    }
    let mut problems = Vec::new();
    let mut closed = Vec::new();
    for path in records_in(dir) {
        let shown = path.display().to_string();
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_string();
        let record = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot be read: {e}"))
            .and_then(|text| Closed::from_json(&text));
        match record {
            Ok(record) if named_for(&stem, &record.period) => closed.push(record),
            Ok(record) => problems
                .push(unreadable(&shown, &format!("records the period {}, but its name says {stem}", record.period))),
            Err(message) => problems.push(unreadable(&shown, &message)),
        }
    }
    if problems.is_empty() {
        Ledger::new(closed).map_err(|message| fail(&[unreadable(&dir.display().to_string(), &message)]))
    } else {
        Err(fail(&problems))
    }
}

/// Whether a record's file name fits its period: `2026-03`, or `2026-Q1.2` for the second record
/// of that name (plans with another fiscal year).
fn named_for(stem: &str, period: &str) -> bool {
    match stem.strip_prefix(period) {
        Some("") => true,
        Some(rest) => rest.strip_prefix('.').is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())),
        None => false,
    }
}

/// The file a period's next record goes to.
fn record_path(dir: &Path, ledger: &Ledger, period: &str) -> PathBuf {
    match ledger.records_named(period) {
        0 => dir.join(format!("{period}.json")),
        n => dir.join(format!("{period}.{}.json", n + 1)),
    }
}

/// The record files of a ledger folder, by name.
fn records_in(dir: &Path) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> =
        std::fs::read_dir(dir).map(|entries| entries.flatten().map(|e| e.path()).collect()).unwrap_or_default();
    paths.retain(|p| {
        p.extension().is_some_and(|e| e == "json")
            && !p.file_name().and_then(|n| n.to_str()).unwrap_or(".").starts_with('.')
    });
    paths.sort();
    paths
}

fn unreadable(path: &str, message: &str) -> LocatedDiagnostic {
    LocatedDiagnostic::new(&codes::LEDGER_UNREADABLE, format!("{path} {message}"))
        .help("ledger records are written by `compplan close` and never edited: restore the file from version control")
}

fn fail(problems: &[LocatedDiagnostic]) -> u8 {
    run::print_located(problems);
    1
}

/// `compplan close`: evaluates the period against the ledger, then records each of its pay periods.
pub(crate) fn close(args: &CloseArgs) -> u8 {
    let mut timings = Timings::new();
    let ledger = if args.ledger.exists() {
        match read(&args.ledger) {
            Ok(ledger) => ledger,
            Err(code) => return code,
        }
    } else {
        Ledger::default()
    };
    let request = Request { period: args.inputs.period, rep: None, ledger: Some(&ledger) };
    run::evaluate(&args.inputs.paths, &args.inputs.data, &request, &mut timings, |db, ws, report, _| {
        if !report.errors.is_empty() {
            print_eval_errors(db, ws, &report.errors);
            eprintln!(
                "error: {} rep{} could not be evaluated; nothing was closed",
                report.errors.len(),
                if report.errors.len() == 1 { "" } else { "s" }
            );
            return 1;
        }
        let mut records = report.records();
        if report.periods.is_empty() {
            eprintln!("error: no plan has a pay period ending within {}; nothing was closed", args.inputs.period);
            return 1;
        }
        let ledger = &ledger;
        let order = close_order::CloseRequest {
            dir: &args.ledger,
            ledger,
            requested: args.inputs.period,
            periods: &report.periods,
        };
        let refused = close_order::refusals(&order, &check::workspace_model(db, ws).plans);
        if !refused.is_empty() {
            fail(&refused);
            eprintln!("error: nothing was closed");
            return 1;
        }
        let sources = match fingerprints(db, ws, &args.inputs.data) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("error: cannot read the data to fingerprint it: {e}");
                return 1;
            }
        };
        if let Err(e) = std::fs::create_dir_all(&args.ledger) {
            eprintln!("error: cannot create the ledger folder {}: {e}", args.ledger.display());
            return 1;
        }
        for (period, plans) in &report.periods {
            let groups = records.remove(period).unwrap_or_default();
            let count = groups.len();
            let record = Closed::new(period.clone(), plans.clone(), sources.clone(), groups);
            let path = record_path(&args.ledger, ledger, period);
            match write_new(&path, record.to_json().as_bytes()) {
                Ok(()) => eprintln!(
                    "closed {period} for {}: {count} payment{} recorded in {}",
                    plans.join(", "),
                    if count == 1 { "" } else { "s" },
                    path.display()
                ),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    fail(&[LocatedDiagnostic::new(
                        &codes::PERIOD_CLOSED,
                        format!("{} was written by another close meanwhile", path.display()),
                    )]);
                    return 1;
                }
                Err(e) => {
                    eprintln!("error: cannot write {}: {e}", path.display());
                    return 1;
                }
            }
        }
        0
    })
}

/// SHA-256 fingerprints of the plan files (by path) and of the data files the schema reads.
fn fingerprints(db: &CompDb, ws: Workspace, data: &Path) -> std::io::Result<Sources> {
    let mut plans = Fingerprint::default();
    let mut files: Vec<(String, &str)> = ws.files(db).iter().map(|f| (f.path(db).to_string(), f.text(db))).collect();
    files.sort();
    for (path, text) in files {
        plans.part(&path, text.len() as u64);
        plans.update(text.as_bytes());
    }
    let mut tables = Fingerprint::default();
    let mut buffer = vec![0u8; 1 << 20];
    for table in &check::workspace_model(db, ws).schema.tables {
        let name = format!("{}.csv", table.name);
        let Ok(mut file) = std::fs::File::open(data.join(&name)) else { continue };
        tables.part(&name, file.metadata()?.len());
        loop {
            let read = file.read(&mut buffer)?;
            if read == 0 {
                break;
            }
            tables.update(&buffer[..read]);
        }
    }
    Ok(Sources {
        compplan: env!("CARGO_PKG_VERSION").to_string(),
        plans_sha256: plans.finish(),
        data_sha256: tables.finish(),
    })
}

/// Writes a file that must not exist yet: first under a temporary name (a close killed midway
/// leaves only that, which readers ignore), then linked to its name, which fails if the name is
/// taken — a record is never replaced.
fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("record");
    let temp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    let written = (|| {
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        crash_point("close-before-link");
        std::fs::hard_link(&temp, path)
    })();
    let _ = std::fs::remove_file(&temp);
    written
}

/// Ends the process at once, leaving the files as a power cut or `kill -9` at this point would (no
/// cleanup runs), when the environment variable `COMPPLAN_CRASH_AT` names the point: how the tests
/// prove that a close killed midway leaves no half-written record. Unset, it does nothing. The exit
/// code is 134, what a shell reports for a process killed by SIGABRT (no core file is written).
fn crash_point(name: &str) {
    if std::env::var_os("COMPPLAN_CRASH_AT").is_some_and(|at| at == name) {
        std::process::exit(134);
    }
}
