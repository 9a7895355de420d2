//! `compplan statement`: one HTML page per rep, plan and pay period ending within the period asked
//! for, and an `index.html` of them all, written together into `--out` (each page under a temporary
//! name first, renamed into place when all are written, the index last) — or nothing.

use super::durable::{self, temp_path};
use super::inputs::{self, Timings};
use super::problems::Problems;
use super::{ExitStatus, StatementArgs};
use crate::eval::period::{Calendar, Month, Requested};
use crate::eval::{self, Report, Request};
use crate::model;
use crate::pipeline;
use crate::statement::{self, Reading, Statement};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;

pub(crate) fn run(args: &StatementArgs) -> ExitStatus {
    let mut problems = Problems::new(args.error_format);
    let status = statements(args, &mut problems);
    problems.finish();
    status
}

/// The months of the period asked for under each plan version's calendar, by plan and version.
type Ranges = HashMap<(String, u32), (Month, Month)>;

fn statements(args: &StatementArgs, problems: &mut Problems) -> ExitStatus {
    let ledger = match &args.ledger {
        Some(dir) => match super::ledger::read(dir, problems) {
            Ok(ledger) => Some(ledger),
            Err(status) => return status,
        },
        None => None,
    };
    let (dir, paths, period) = (&args.inputs.data, &args.inputs.paths, args.inputs.period);
    let mut timings = Timings::new();
    let (plans, data) = match inputs::inputs(paths, dir, &mut timings, problems) {
        Ok(inputs) => inputs,
        Err(status) => return status,
    };
    // The payroll of the period: which reps are paid, and that every rep can be evaluated.
    let request = Request { period, rep: args.rep.clone(), ledger: ledger.as_ref() };
    let payroll = match pipeline::evaluate(plans.model(), &data, &request, &mut inputs::open_in(dir)) {
        Ok(report) => report,
        Err(stop) => return inputs::stopped(&plans, &stop, dir, problems),
    };
    if !payroll.errors.is_empty() {
        inputs::rep_errors(&plans, &payroll, problems);
        eprintln!("error: {} rep(s) could not be evaluated; nothing was written", payroll.errors.len());
        return ExitStatus::Failed;
    }
    timings.evaluated(&payroll);
    let (ranges, years) = ranges(plans.model(), period);
    let mut reps: Vec<&str> = payroll.payouts().map(|p| &*p.rep).collect();
    reps.sort_unstable();
    reps.dedup();
    let model = plans.model();
    let traced = traced(model, &data, &reps, &years, &ranges, ledger.as_ref(), dir);
    timings.phase("read");
    let mut all: Vec<Statement> = Vec::new();
    for rep in traced {
        match rep {
            Ok(statements) => all.extend(statements),
            Err(Traced::Errors(report)) => {
                inputs::rep_errors(&plans, &report, problems);
                eprintln!("error: a rep's year could not be evaluated; nothing was written");
                return ExitStatus::Failed;
            }
            Err(Traced::Stop(stop)) => return inputs::stopped(&plans, &stop, dir, problems),
            Err(Traced::Fault(message)) => {
                eprintln!("error: the statement could not read a value again: {message}");
                return ExitStatus::Failed;
            }
        }
    }
    all.sort_by(|a, b| (&a.period, &a.rep, &a.plan).cmp(&(&b.period, &b.rep, &b.plan)));
    let status = write(&args.out, &period.to_string(), &all);
    timings.phase("write");
    status
}

/// The months of the period under each plan version's calendar, and the plan years they fall in
/// (the years traced, so that each statement can show its year so far).
fn ranges(ws: &model::Workspace, period: Requested) -> (Ranges, BTreeSet<i32>) {
    let mut ranges = Ranges::new();
    let mut years = BTreeSet::new();
    for plan in &ws.plans {
        let cal = Calendar { fiscal_start: plan.fiscal_start, pay: plan.pay };
        let (from, to) = cal.requested_range(period);
        years.insert(cal.plan_year(from));
        years.insert(cal.plan_year(to));
        ranges.insert((plan.name.clone(), plan.version), (from, to));
    }
    (ranges, years)
}

/// Why a rep's statements could not be read.
enum Traced {
    /// Its evaluation failed in a period of the year (its report, with the errors).
    Errors(Report),
    /// The data or the rep stopped the evaluation.
    Stop(pipeline::Stop),
    /// A value could not be read again.
    Fault(String),
}

/// Each rep's statements, reps in parallel (each evaluated through its plan years, as `explain`
/// evaluates a rep), in the order of `reps`.
fn traced(
    ws: &model::Workspace,
    data: &crate::data::Dataset,
    reps: &[&str],
    years: &BTreeSet<i32>,
    ranges: &Ranges,
    ledger: Option<&crate::ledger::Ledger>,
    dir: &Path,
) -> Vec<Result<Vec<Statement>, Traced>> {
    use rayon::prelude::*;
    let in_period = |r: &Reading| {
        ranges.get(&(r.plan.clone(), r.version)).is_some_and(|(from, to)| r.last >= *from && r.last <= *to)
    };
    let each = |tracer: Option<&eval::Tracer<'_, '_>>| -> Vec<Result<Vec<Statement>, Traced>> {
        reps.par_iter().map(|rep| rep_statements(ws, data, tracer, rep, years, &in_period, ledger, dir)).collect()
    };
    match pipeline::with_tracer(ws, data, &mut inputs::open_in(dir), each) {
        Ok(all) => all,
        Err(stop) => vec![Err(Traced::Stop(stop))],
    }
}

/// One rep's statements through the plan years asked for: traced against the credit computed once
/// when there is a tracer, else rep by rep.
#[allow(clippy::too_many_arguments)]
fn rep_statements(
    ws: &model::Workspace,
    data: &crate::data::Dataset,
    tracer: Option<&eval::Tracer<'_, '_>>,
    rep: &str,
    years: &BTreeSet<i32>,
    in_period: &(dyn Fn(&Reading) -> bool + Sync),
    ledger: Option<&crate::ledger::Ledger>,
    dir: &Path,
) -> Result<Vec<Statement>, Traced> {
    let mut out = Vec::new();
    for year in years {
        let request = Request { period: Requested::Year(*year), rep: Some(rep.to_string()), ledger };
        let mut readings: Vec<Reading> = Vec::new();
        let mut faults = Vec::new();
        let mut watch = |seen: &eval::derivation::Seen<'_, '_>| match statement::read(seen, rep, &in_period) {
            Ok(r) => readings.push(r),
            Err(fault) => faults.push(fault.message),
        };
        let report = pipeline::trace(ws, data, tracer, (&request, rep), &mut watch, &mut inputs::open_in(dir))
            .map_err(Traced::Stop)?;
        if !report.errors.is_empty() {
            return Err(Traced::Errors(report));
        }
        if let Some(message) = faults.into_iter().next() {
            return Err(Traced::Fault(message));
        }
        out.extend(statement::statements(&report, &readings, &in_period));
    }
    Ok(out)
}

/// Writes every page and the index into `out`, all or nothing.
fn write(out: &Path, period: &str, all: &[Statement]) -> ExitStatus {
    let mut used: HashSet<String> = HashSet::new();
    let mut pages: Vec<(String, String)> = Vec::new();
    let mut listed = Vec::new();
    for s in all {
        let file = file_name(s, &mut used);
        match statement::statement_html(s) {
            Ok(html) => pages.push((file.clone(), html)),
            Err(e) => {
                eprintln!("error: cannot render the statement of {} for {}: {e}", s.rep, s.period);
                return ExitStatus::Failed;
            }
        }
        listed.push(statement::Listed { statement: s, file });
    }
    match statement::index_html(period, &listed) {
        Ok(html) => pages.push(("index.html".to_string(), html)),
        Err(e) => {
            eprintln!("error: cannot render the index: {e}");
            return ExitStatus::Failed;
        }
    }
    if let Err(e) = place(out, &pages) {
        eprintln!("error: cannot write to {}: {e}", out.display());
        return ExitStatus::Failed;
    }
    if all.is_empty() {
        eprintln!("note: no rep is paid in {period}: index.html lists no statement");
    }
    eprintln!("wrote {} statements and index.html to {}", all.len(), out.display());
    ExitStatus::Ok
}

/// A page's file name: the period, the rep and the plan, each character that is not a letter, a
/// digit, `-`, `_` or `.` written `_` (a rep id may hold anything), made unique.
fn file_name(s: &Statement, used: &mut HashSet<String>) -> String {
    let safe = |t: &str| -> String {
        t.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') { c } else { '_' }).collect()
    };
    let stem = format!("{}-{}-{}", safe(&s.period), safe(&s.rep), safe(&s.plan));
    let mut name = format!("{stem}.html");
    let mut n = 2;
    while !used.insert(name.clone()) || name == "index.html" {
        name = format!("{stem}-{n}.html");
        n += 1;
    }
    name
}

/// The list of the pages the last run wrote into a folder, one name a line: the next run removes
/// those it does not write again, and never any other file.
const MANIFEST: &str = ".statements";

/// Removes the pages an earlier run wrote into `out` that this run did not write (a rep no longer
/// paid, another period): a page left there would still open, and disagree with the index. Then
/// records this run's pages. A file compplan did not write is never removed.
fn remove_stale(out: &Path, pages: &[(String, String)]) -> std::io::Result<()> {
    let written: HashSet<&str> = pages.iter().map(|(name, _)| name.as_str()).collect();
    let earlier = std::fs::read_to_string(out.join(MANIFEST)).unwrap_or_default();
    for name in earlier.lines().filter(|n| !written.contains(n)) {
        // Only a plain page name of this folder (the manifest is a file anyone can edit).
        if name.ends_with(".html") && !name.contains(['/', '\\']) && !name.starts_with('.') {
            match std::fs::remove_file(out.join(name)) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
                _ => {}
            }
        }
    }
    let mut names: Vec<&str> = written.into_iter().collect();
    names.sort_unstable();
    let list = names.iter().map(|n| format!("{n}\n")).collect::<String>();
    let temp = temp_path(out, MANIFEST);
    drop(durable::write_temp(&temp, list.as_bytes(), "statement")?);
    std::fs::rename(&temp, out.join(MANIFEST))
}

/// Writes each page under a temporary name and syncs it (in parallel, so that the syncs overlap),
/// then renames them all into place (the index last) and syncs the folder; on an error, the
/// temporary files are removed.
fn place(out: &Path, pages: &[(String, String)]) -> std::io::Result<()> {
    use rayon::prelude::*;
    durable::create_dir(out, "statement")?;
    durable::clean_temps(out, |name| name.ends_with(".html") || name == MANIFEST, "statement-clean")?;
    let temps: Vec<std::path::PathBuf> = pages.iter().map(|(name, _)| temp_path(out, name)).collect();
    // The files stay open (and locked) until renamed, so that no other run takes them for a killed
    // run's leftovers.
    let written: Vec<std::io::Result<std::fs::File>> = pages
        .par_iter()
        .zip(&temps)
        .map(|((_, html), temp)| durable::write_temp(temp, html.as_bytes(), "statement"))
        .collect();
    let result = (|| {
        let mut open = Vec::with_capacity(written.len());
        for file in written {
            open.push(file?);
        }
        for ((name, _), temp) in pages.iter().zip(&temps) {
            std::fs::rename(temp, out.join(name))?;
        }
        remove_stale(out, pages)?;
        durable::sync_dir(out, "statement-sync-folder")
    })();
    if result.is_err() {
        for temp in &temps {
            let _ = std::fs::remove_file(temp);
        }
    }
    result
}
