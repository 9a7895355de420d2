//! The ledger folder on disk: reading its records and checking them as a chain (`run --ledger`,
//! `explain --ledger`, `ledger verify`), and `compplan close`, which adds a close's records under the
//! folder's lock, all or none, never over an existing one.
//!
//! `close` holds an exclusive advisory lock on `.close.lock` in the ledger folder from reading the
//! ledger to linking its last record, so closes take turns: each reads what the one before it
//! wrote, and the order rules see every closed period. Readers hold the lock shared, so they never
//! see a close half done. The operating system releases a lock when its process ends, however it
//! ends: a killed close leaves no stale lock (the empty file stays, and may be kept or ignored).

use super::close_order;
use super::durable::{self, FolderLock};
use super::faults;
use super::inputs::{self, Timings};
use super::problems::Problems;
use super::{CloseArgs, ErrorFormat, ExitStatus, LedgerFormat, LedgerVerifyArgs};
use crate::diagnostics::{codes, render, Diagnostic};
use crate::eval::Request;
use crate::ledger::chain::{Entry, Tip, Verified};
use crate::ledger::folder::{self, unreadable, RecordFile};
use crate::ledger::{Closed, Fingerprint, Ledger, Link, Sources};
use crate::pipeline::{self, Plans};
use crate::CompDb;
use std::io::Read as _;
use std::path::{Path, PathBuf};

/// The lock file of a ledger folder.
const LOCK: &str = ".close.lock";

/// Reads the ledger for `run --ledger` and `explain --ledger`: every record, checked as a chain.
/// Shows the problems and fails on any.
pub(crate) fn read(dir: &Path, problems: &mut Problems) -> Result<Ledger, ExitStatus> {
    if !dir.is_dir() {
        return Err(fail(problems, &[no_ledger(dir)]));
    }
    let _lock = FolderLock::shared(&dir.join(LOCK), &waiting(dir)).ok().flatten();
    let verified = load(dir).map_err(|found| fail(problems, &found))?;
    if let Some(warning) = unfinished(dir, &verified.unfinished) {
        fail(problems, &[warning]);
    }
    verified.into_ledger().map_err(|message| fail(problems, &[unreadable(&dir.display().to_string(), &message)]))
}

/// Reads every record of a ledger folder (`<period>.json`; hidden files are temporary files and
/// the lock) and checks them as a chain: the problems, located, or the checked records.
fn load(dir: &Path) -> Result<Verified, Vec<Diagnostic>> {
    let files = records_in(dir)
        .into_iter()
        .map(|path| RecordFile {
            name: path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string(),
            text: std::fs::read_to_string(&path).map_err(|e| format!("cannot be read: {e}")),
        })
        .collect();
    folder::check(dir, files)
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
    paths.retain(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(folder::is_record));
    paths.sort();
    paths
}

/// `--ledger` names no folder: nothing there, or a file.
fn no_ledger(dir: &Path) -> Diagnostic {
    let what = if dir.exists() { "is a file, not a folder" } else { "does not exist" };
    Diagnostic::new(&codes::NO_LEDGER, format!("the ledger folder {} {what}", dir.display()))
        .help("give the folder `compplan close` writes to; a new ledger starts with the first `close`")
}

/// The warning about the records of a close that did not finish, if there are any.
fn unfinished(dir: &Path, files: &[String]) -> Option<Diagnostic> {
    let first = files.first()?;
    let (names, verb) = match files.len() {
        1 => (first.clone(), "is the first record"),
        _ => (files.join(", "), "are the first records"),
    };
    Some(
        Diagnostic::new(
            &codes::UNFINISHED_CLOSE,
            format!("{names} in {} {verb} of a close that did not finish: not counted", dir.display()),
        )
        .note("the ledger is as it was before that close")
        .help("the next `compplan close` removes them; close the period again"),
    )
}

/// Shows problems with the ledger (about its files, never about plan text); the exit status.
fn fail(problems: &mut Problems, found: &[Diagnostic]) -> ExitStatus {
    problems.show(&CompDb::default(), found);
    ExitStatus::Failed
}

fn waiting(dir: &Path) -> String {
    format!("waiting for a `compplan close` to finish with {} (it holds {LOCK} there)", dir.display())
}

/// `compplan close`: under the ledger's lock, reads the ledger, evaluates the period against it, and
/// records each of its pay periods.
pub(crate) fn close(args: &CloseArgs) -> ExitStatus {
    let mut problems = Problems::new(args.error_format);
    let status = close_period(args, &mut problems);
    problems.finish();
    status
}

fn close_period(args: &CloseArgs, problems: &mut Problems) -> ExitStatus {
    let dir = &args.ledger;
    let (_lock, tip, ledger) = match open_for_close(dir, problems) {
        Ok(open) => open,
        Err(status) => return status,
    };
    let mut timings = Timings::new();
    let request = Request { period: args.inputs.period, rep: None, ledger: Some(&ledger) };
    let data_dir = &args.inputs.data;
    let (plans, data) = match inputs::inputs(&args.inputs.paths, data_dir, &mut timings, problems) {
        Ok(inputs) => inputs,
        Err(status) => return status,
    };
    let report = match pipeline::evaluate(plans.model(), &data, &request, &mut inputs::open_in(data_dir)) {
        Ok(report) => report,
        Err(stop) => return inputs::stopped(&plans, &stop, data_dir, problems),
    };
    timings.evaluated(&report);
    if !report.errors.is_empty() {
        inputs::rep_errors(&plans, &report, problems);
        let failed = report.errors.len();
        eprintln!("error: {failed} rep{} could not be evaluated; nothing was closed", inputs::plural(failed));
        return ExitStatus::Failed;
    }
    let mut records = report.records();
    if report.periods.is_empty() {
        eprintln!("error: no plan has a pay period ending within {}; nothing was closed", args.inputs.period);
        return ExitStatus::Failed;
    }
    let ledger = &ledger;
    let order = close_order::CloseRequest { dir, ledger, requested: args.inputs.period, periods: &report.periods };
    let model_plans = &plans.model().plans;
    let refused = close_order::refusals(&order, model_plans);
    if !refused.is_empty() {
        fail(problems, &refused);
        eprintln!("error: nothing was closed");
        return ExitStatus::Failed;
    }
    let sources = match fingerprints(&plans, data_dir) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: cannot read the data to fingerprint it: {e}");
            return ExitStatus::Failed;
        }
    };
    let batch: Vec<Closed> = close_order::in_time_order(&report.periods, model_plans)
        .into_iter()
        .map(|period| {
            let groups = records.remove(period).unwrap_or_default();
            Closed::new(period.clone(), report.periods[period].clone(), sources.clone(), groups)
        })
        .collect();
    write_close(dir, ledger, &tip, &batch, problems)
}

/// Takes the ledger's lock (creating the folder if needed), removes what a killed close left (its
/// temporary files, the records of an unfinished close), and reads the ledger. Prints any problem.
fn open_for_close(dir: &Path, problems: &mut Problems) -> Result<(FolderLock, Tip, Ledger), ExitStatus> {
    let failed = |what: &str, e: std::io::Error| {
        eprintln!("error: cannot {what} {}: {e}; nothing was closed", dir.display());
        ExitStatus::Failed
    };
    let lock = durable::create_dir(dir, "close")
        .and_then(|()| FolderLock::exclusive(&dir.join(LOCK), &waiting(dir)))
        .map_err(|e| failed(&format!("lock ({LOCK}) the ledger folder"), e))?;
    // Under the lock no other close is writing: every temporary file is a killed close's.
    durable::clean_temps(dir, |name| name.ends_with(".json"), "close-clean")
        .map_err(|e| failed("remove the temporary files of an earlier close from", e))?;
    let verified = load(dir).map_err(|found| {
        fail(problems, &found);
        eprintln!("error: nothing was closed");
        ExitStatus::Failed
    })?;
    if !verified.unfinished.is_empty() {
        remove_unfinished(dir, &verified.unfinished)
            .map_err(|e| failed("remove the records of an unfinished close from", e))?;
        eprintln!(
            "note: removed {} from {}: the records of a close that did not finish",
            verified.unfinished.join(", "),
            dir.display()
        );
    }
    let tip = verified.tip();
    let ledger = verified.into_ledger().map_err(|m| fail(problems, &[unreadable(&dir.display().to_string(), &m)]))?;
    Ok((lock, tip, ledger))
}

/// Removes the records of a close that did not finish, newest first, so that a removal stopped
/// midway leaves the first parts of that close, still unfinished.
fn remove_unfinished(dir: &Path, files: &[String]) -> std::io::Result<()> {
    for file in files.iter().rev() {
        let path = dir.join(file);
        faults::point("close-remove-unfinished", &path)?;
        std::fs::remove_file(&path)?;
        durable::sync_dir(dir, "close-sync-folder")?;
    }
    Ok(())
}

/// Writes a close's records and reports them; the exit status.
fn write_close(dir: &Path, ledger: &Ledger, tip: &Tip, batch: &[Closed], problems: &mut Problems) -> ExitStatus {
    match write_records(dir, ledger, tip, batch) {
        Ok(paths) => {
            for (record, path) in batch.iter().zip(&paths) {
                let count = record.groups.len();
                eprintln!(
                    "closed {} for {}: {count} payment{} recorded in {}",
                    record.period,
                    record.plans.join(", "),
                    if count == 1 { "" } else { "s" },
                    path.display()
                );
            }
            ExitStatus::Ok
        }
        Err((path, e)) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            let message = format!("{} was written by another close meanwhile; nothing was closed", path.display());
            fail(problems, &[Diagnostic::new(&codes::PERIOD_CLOSED, message)])
        }
        Err((path, e)) => {
            eprintln!("error: cannot write {}: {e}; nothing was closed", path.display());
            ExitStatus::Failed
        }
    }
}

/// A record written under its temporary name, kept open (so its lock is held) until it is linked.
struct Pending {
    temp: PathBuf,
    path: PathBuf,
    _file: std::fs::File,
}

/// Writes the records of a close, each linked to the one before it: all under temporary names
/// first, then linked into place in order, the folder synced after each link (so that the links
/// reach the disk in order). On an error the records already linked are removed; either way the
/// temporary files are. The error names the file it is about.
fn write_records(
    dir: &Path,
    ledger: &Ledger,
    tip: &Tip,
    batch: &[Closed],
) -> Result<Vec<PathBuf>, (PathBuf, std::io::Error)> {
    let mut pending: Vec<Pending> = Vec::new();
    let written = (|| {
        let mut chain = tip.next(batch.len() as u32);
        for record in batch {
            let path = record_path(dir, ledger, &record.period);
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
            let text = record.to_json(&chain);
            let temp = durable::temp_path(dir, &name);
            let file = durable::write_temp(&temp, text.text.as_bytes(), "close").map_err(|e| (path.clone(), e))?;
            pending.push(Pending { temp, path, _file: file });
            chain = chain.after(Link { file: name, record_sha256: text.record_sha256 });
        }
        link_in_order(dir, &pending)
    })();
    for p in &pending {
        // A temporary file that cannot be removed now is removed by the next close.
        let removed = faults::point("close-remove-temp", &p.temp).and_then(|()| std::fs::remove_file(&p.temp));
        if let (Err(e), Ok(_)) = (removed, &written) {
            if e.kind() != std::io::ErrorKind::NotFound {
                eprintln!("warning: cannot remove {}: {e}; the next close removes it", p.temp.display());
            }
        }
    }
    written.map(|()| pending.into_iter().map(|p| p.path).collect())
}

/// Links the records into place in order; on an error, removes those already linked, newest first.
fn link_in_order(dir: &Path, pending: &[Pending]) -> Result<(), (PathBuf, std::io::Error)> {
    let mut linked: Vec<&Path> = Vec::new();
    for p in pending {
        let result = faults::point("close-link", &p.path).and_then(|()| std::fs::hard_link(&p.temp, &p.path));
        let result = result.and_then(|()| {
            linked.push(&p.path);
            durable::sync_dir(dir, "close-sync-folder")
        });
        if let Err(e) = result {
            // Should a removal fail too, the records linked are an unfinished close: readers do not
            // count them, and the next close removes them.
            for path in linked.iter().rev() {
                let _ = faults::point("close-unlink", path).and_then(|()| std::fs::remove_file(path));
            }
            let _ = durable::sync_dir(dir, "close-sync-folder");
            return Err((p.path.clone(), e));
        }
    }
    Ok(())
}

/// SHA-256 fingerprints of the plan files (by path) and of the data files the schema reads.
fn fingerprints(checked: &Plans, data: &Path) -> std::io::Result<Sources> {
    let (db, ws) = (checked.db(), checked.workspace());
    let mut plans = Fingerprint::default();
    let mut files: Vec<(String, &str)> = ws.files(db).iter().map(|f| (f.path(db).to_string(), f.text(db))).collect();
    files.sort();
    for (path, text) in files {
        plans.part(&path, text.len() as u64);
        plans.update(text.as_bytes());
    }
    let mut tables = Fingerprint::default();
    let mut buffer = vec![0u8; 1 << 20];
    for table in &checked.model().schema.tables {
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

/// `compplan ledger verify`: exit 0 when the ledger's records form an unbroken chain, 1 with the
/// first broken link (or the records that cannot be read).
pub(crate) fn verify(args: &LedgerVerifyArgs) -> ExitStatus {
    let dir = &args.ledger;
    let result = if dir.is_dir() {
        let _lock = FolderLock::shared(&dir.join(LOCK), &waiting(dir)).ok().flatten();
        load(dir)
    } else {
        Err(vec![no_ledger(dir)])
    };
    let warning = result.as_ref().ok().and_then(|v| unfinished(dir, &v.unfinished));
    match args.format {
        LedgerFormat::Json => {
            super::out(&verify_json(dir, &result, warning.as_ref()));
            ExitStatus::failed_if(result.is_err())
        }
        LedgerFormat::Text => {
            let mut problems = Problems::new(ErrorFormat::Text);
            match result {
                Ok(verified) => {
                    super::out(&summary(dir, &verified));
                    if let Some(warning) = warning {
                        fail(&mut problems, &[warning]);
                    }
                    ExitStatus::Ok
                }
                Err(found) => {
                    fail(&mut problems, &found);
                    eprintln!("error: the ledger {} does not hold together", dir.display());
                    ExitStatus::Failed
                }
            }
        }
    }
}

/// What `ledger verify` says of a ledger that holds together.
fn summary(dir: &Path, verified: &Verified) -> String {
    let shown = dir.display();
    let Some(newest) = verified.newest() else { return format!("{shown}: no records yet\n") };
    let records = verified.counted.len();
    let chained = records - verified.unchained;
    let plural = |n: usize| if n == 1 { "record" } else { "records" };
    let mut text = match (chained, verified.unchained) {
        (0, before) => format!(
            "{shown}: {before} {} written before the chain (record formats 1 and 2), not linked yet: the next `compplan close` seals them\n",
            plural(before)
        ),
        (chained, 0) => format!("{shown}: {chained} {} chained, unbroken\n", plural(chained)),
        (chained, before) => format!(
            "{shown}: {chained} {} chained, unbroken, after {before} {} written before the chain and sealed by its first record\n",
            plural(chained),
            plural(before)
        ),
    };
    if let Some(chain) = &newest.stored.chain {
        text.push_str(&format!(
            "newest: {} (record {} of the chain), record_sha256 {}\nnote: a chain cannot show that records newer than its newest were deleted: keep this digest, or the folder in version control, to compare\n",
            newest.file, chain.sequence, newest.stored.record_sha256
        ));
    }
    text
}

/// The JSON form of `ledger verify`'s answer: `holds`, the records that count (in chain order),
/// those of an unfinished close, the newest chained record, and the diagnostics.
fn verify_json(dir: &Path, result: &Result<Verified, Vec<Diagnostic>>, warning: Option<&Diagnostic>) -> String {
    let db = CompDb::default();
    let json = |d: &Diagnostic| render::json_diagnostic(&db, d);
    #[derive(serde::Serialize)]
    struct Answer<'v> {
        version: u32,
        ledger: String,
        holds: bool,
        records: Vec<Record<'v>>,
        unfinished: &'v [String],
        newest: Option<Link>,
        diagnostics: Vec<serde_json::Value>,
    }
    #[derive(serde::Serialize)]
    struct Record<'v> {
        file: &'v str,
        period: &'v str,
        format: u32,
        sequence: Option<u64>,
        record_sha256: &'v str,
    }
    fn record(e: &Entry) -> Record<'_> {
        Record {
            file: &e.file,
            period: &e.stored.record.period,
            format: e.stored.format,
            sequence: e.stored.chain.as_ref().map(|c| c.sequence),
            record_sha256: &e.stored.record_sha256,
        }
    }
    let answer = match result {
        Ok(v) => Answer {
            version: 1,
            ledger: dir.display().to_string(),
            holds: true,
            records: v.counted.iter().map(record).collect(),
            unfinished: &v.unfinished,
            newest: v
                .newest()
                .filter(|e| e.stored.chain.is_some())
                .map(|e| Link { file: e.file.clone(), record_sha256: e.stored.record_sha256.clone() }),
            diagnostics: warning.into_iter().map(json).collect(),
        },
        Err(problems) => Answer {
            version: 1,
            ledger: dir.display().to_string(),
            holds: false,
            records: Vec::new(),
            unfinished: &[],
            newest: None,
            diagnostics: problems.iter().map(json).collect(),
        },
    };
    let mut text = serde_json::to_string_pretty(&answer).unwrap_or_default();
    text.push('\n');
    text
}
