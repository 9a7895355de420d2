//! `compplan run`: check the plans, load the data, evaluate the period, and write the outputs
//! together (see [`super::outputs`]) — or nothing at all when anything is wrong.

use super::outputs::{self, Writer};
use super::{files, RunArgs, RunFormat};
use crate::data::{self, Input};
use crate::diagnostics::{codes, render, Diagnostic, Label, LocatedDiagnostic};
use crate::eval::{self, error::EvalError, Failure, Request};
use crate::source::Workspace;
use crate::{check, report, CompDb};
use codespan_reporting::term::termcolor::{BufferedStandardStream, StandardStream};
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Exit code of a partial run (`--keep-going` left reps out).
const EXIT_PARTIAL: u8 = 3;

/// Prints how long each phase took when `COMPPLAN_TIMINGS` is set (for the benchmark): wall time,
/// and the processor time of all threads, whose ratio says how well the phase used the cores.
pub(crate) struct Timings {
    on: bool,
    start: std::time::Instant,
    last: std::time::Instant,
    last_cpu: u64,
}

/// Processor time of the whole process so far in milliseconds (user and system, all threads), read
/// from Linux's `/proc/self/stat`; 0 elsewhere.
fn cpu_millis() -> u64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else { return 0 };
    // Fields after the command name (which may hold spaces) start after its closing parenthesis;
    // utime and stime are fields 14 and 15, in clock ticks of 1/100 s on Linux.
    let fields: Vec<&str> = stat.rsplit_once(')').map_or("", |(_, rest)| rest).split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<u64>().ok()).unwrap_or(0);
    (ticks(11) + ticks(12)) * 10
}

impl Timings {
    pub(crate) fn new() -> Timings {
        let now = std::time::Instant::now();
        let on = std::env::var_os("COMPPLAN_TIMINGS").is_some();
        Timings { on, start: now, last: now, last_cpu: if on { cpu_millis() } else { 0 } }
    }

    pub(crate) fn phase(&mut self, name: &str) {
        if self.on {
            let (now, cpu) = (std::time::Instant::now(), cpu_millis());
            let wall = (now - self.last).as_millis();
            eprintln!(
                "timing: {name:<10} {wall:>7} ms, cpu {:>7} ms (total {} ms)",
                cpu - self.last_cpu,
                (now - self.start).as_millis()
            );
            (self.last, self.last_cpu) = (now, cpu);
        }
    }
}

pub(crate) fn run(args: &RunArgs) -> u8 {
    let mut timings = Timings::new();
    let ledger = match &args.ledger {
        Some(dir) => match super::ledger::read(dir) {
            Ok(ledger) => Some(ledger),
            Err(code) => return code,
        },
        None => None,
    };
    let request = Request { period: args.inputs.period, rep: args.rep.clone(), ledger: ledger.as_ref() };
    evaluate(&args.inputs.paths, &args.inputs.data, &request, &mut timings, |db, ws, report, timings| {
        if !report.errors.is_empty() && !args.keep_going {
            print_eval_errors(db, ws, &report.errors);
            eprintln!(
                "error: {} rep{} could not be evaluated; nothing was written (use --keep-going to pay the others)",
                report.errors.len(),
                if report.errors.len() == 1 { "" } else { "s" }
            );
            return 1;
        }
        if let Some(out) = &args.out {
            let mut files: Vec<(&str, Writer<'_>)> = vec![
                ("payouts.csv", Box::new(|w| report::write_payouts(report.payouts(), w))),
                ("attainment.csv", Box::new(|w| report::write_attainment(report.attainment(), w))),
            ];
            if args.keep_going {
                files.push(("errors.csv", Box::new(|w| report::write_errors(&report.errors, w))));
            }
            if let Err(e) = outputs::write(out, &files) {
                eprintln!("error: cannot write to {}: {e}", out.display());
                return 1;
            }
            eprintln!(
                "wrote {} payout rows and {} attainment rows to {}",
                report.payouts().count(),
                report.attainment().count(),
                out.display()
            );
            timings.phase("write");
        }
        if args.out.is_none() || args.format.is_some() {
            let text = match args.format.unwrap_or(RunFormat::Text) {
                RunFormat::Text => report::text(report),
                RunFormat::Csv => report::payouts_csv(report.payouts()),
                RunFormat::Json => report::json(report),
            };
            let mut stdout = std::io::stdout().lock();
            let _ = stdout.write_all(text.as_bytes());
        }
        if report.errors.is_empty() {
            0
        } else {
            print_eval_errors(db, ws, &report.errors);
            EXIT_PARTIAL
        }
    })
}

/// Checks the plans and loads the data, printing any problem (and returning the exit code) when one
/// of them fails; otherwise `then` gets the checked model and the data set and chooses the code.
pub(crate) fn with_inputs(
    paths: &[PathBuf],
    dir: &Path,
    timings: &mut Timings,
    then: impl FnOnce(&CompDb, Workspace, &crate::model::Workspace, data::Dataset, &mut Timings) -> u8,
) -> u8 {
    let Some((db, ws)) = checked_workspace(paths) else { return 1 };
    timings.phase("check");
    let model = check::workspace_model(&db, ws);
    let dataset = match load(model, dir) {
        Ok(d) => d,
        Err(code) => return code,
    };
    timings.phase("load");
    then(&db, ws, model, dataset, timings)
}

/// Prints why an evaluation produced nothing (data problems found while crediting, an unknown rep)
/// and returns the exit code.
pub(crate) fn eval_failure(
    model: &crate::model::Workspace,
    dataset: &data::Dataset,
    dir: &Path,
    failure: Failure,
) -> u8 {
    match failure {
        Failure::Data(pending) => data_errors(&data::place(&model.schema, dataset, pending, open_in(dir))),
        Failure::UnknownRep(id) => {
            eprintln!("error: no rep has the id `{id}` in {}", dir.join("reps.csv").display());
            1
        }
    }
}

/// Checks the plans, loads the data and evaluates a request, printing any problem (and returning
/// the exit code) when one of them fails; otherwise `then` gets the results and chooses the code.
pub(crate) fn evaluate(
    paths: &[PathBuf],
    dir: &Path,
    request: &Request<'_>,
    timings: &mut Timings,
    then: impl FnOnce(&CompDb, Workspace, &eval::Report, &mut Timings) -> u8,
) -> u8 {
    with_inputs(paths, dir, timings, |db, ws, model, dataset, timings| {
        let report = match report(model, &dataset, dir, request) {
            Ok(r) => r,
            Err(code) => return code,
        };
        if timings.on {
            for (name, took) in &report.phases {
                eprintln!("timing:   {name:<8} {:>7} ms", took.as_millis());
            }
        }
        timings.phase("evaluate");
        let code = then(db, ws, &report, timings);
        // The process ends after this: let the operating system reclaim the data set and the report
        // at once, rather than freeing millions of rows one by one.
        std::mem::forget(report);
        std::mem::forget(dataset);
        code
    })
}

/// Loads the data folder against a workspace's schema; prints the problems and returns exit code 1
/// when there are any.
pub(crate) fn load(model: &crate::model::Workspace, dir: &Path) -> Result<data::Dataset, u8> {
    if let Some(problem) = super::files::data_folder_problem(dir) {
        eprintln!("error: {problem}");
        return Err(1);
    }
    data::load(model, open_in(dir)).map_err(|errors| data_errors(&errors))
}

/// Evaluates a request on loaded data; prints a failure (a data problem found while crediting, an
/// unknown rep) and returns exit code 1. Reps that fail are in the report's `errors`.
pub(crate) fn report(
    model: &crate::model::Workspace,
    dataset: &data::Dataset,
    dir: &Path,
    request: &Request<'_>,
) -> Result<eval::Report, u8> {
    eval::run(model, dataset, request).map_err(|failure| eval_failure(model, dataset, dir, failure))
}

/// Reads and checks the plans; prints the diagnostics and returns `None` when there are errors.
pub(crate) fn checked_workspace(paths: &[PathBuf]) -> Option<(CompDb, Workspace)> {
    let sources = match files::read_plans(paths) {
        Ok(s) => s,
        Err(message) => {
            eprintln!("error: {message}");
            return None;
        }
    };
    match checked(sources) {
        Ok(checked) => Some(checked),
        Err(errors) => {
            eprintln!(
                "error: the plans have {errors} error{}; nothing was evaluated (see `compplan check`)",
                if errors == 1 { "" } else { "s" }
            );
            None
        }
    }
}

/// Checks plan sources (path and text); prints the errors and returns how many there are, if any.
pub(crate) fn checked(sources: Vec<(String, String)>) -> Result<(CompDb, Workspace), usize> {
    checked_showing(sources).map_err(|(errors, _)| errors)
}

/// [`checked`], also returning the errors rendered as plain text (for a report file).
pub(crate) fn checked_showing(sources: Vec<(String, String)>) -> Result<(CompDb, Workspace), (usize, String)> {
    let db = CompDb::default();
    let ws = db.workspace(sources);
    let diagnostics = check::diagnostics(&db, ws);
    if check::has_errors(&diagnostics) {
        // The errors, and the note that says how many more a file has when not all are shown.
        let errors: Vec<Diagnostic> = diagnostics
            .into_iter()
            .filter(|d| d.severity() == crate::diagnostics::Severity::Error || d.code == &codes::NOT_SHOWN)
            .collect();
        // Buffered, as in `check`: the renderer writes a character at a time.
        let mut stderr = BufferedStandardStream::stderr(super::stderr_colour());
        let _ = render::text(&db, &errors, &mut stderr);
        let _ = std::io::Write::flush(&mut stderr);
        let count = errors.iter().filter(|d| d.severity() == crate::diagnostics::Severity::Error).count();
        return Err((count, render::plain(&db, &errors)));
    }
    Ok((db, ws))
}

/// Opens `<dir>/<table>.csv`, or reports that it does not exist.
pub(crate) fn open_in(dir: &Path) -> impl FnMut(&str) -> Result<Option<Input>, String> + '_ {
    move |table: &str| {
        let path = dir.join(format!("{table}.csv"));
        if !path.exists() {
            return Ok(None);
        }
        let file = std::fs::File::open(&path).map_err(|e| format!("cannot open {}: {e}", path.display()))?;
        let shown = path.to_string_lossy().replace('\\', "/");
        let size = file.metadata().ok().map(|m| m.len());
        Ok(Some(Input { path: shown.trim_start_matches("./").to_string(), reader: Box::new(file), size }))
    }
}

/// Prints diagnostics about places in data files (or about no place) on stderr.
pub(crate) fn print_located(errors: &[LocatedDiagnostic]) {
    let mut stderr = std::io::stderr().lock();
    for e in errors {
        let _ = stderr.write_all(e.render().as_bytes());
    }
}

pub(crate) fn data_errors(errors: &[LocatedDiagnostic]) -> u8 {
    print_located(errors);
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(
        stderr,
        "error: the data has {} problem{}; nothing was evaluated",
        errors.len(),
        if errors.len() == 1 { "" } else { "s" }
    );
    1
}

/// Prints evaluation errors, pointing at the definition involved when there is one.
pub(crate) fn print_eval_errors(db: &CompDb, ws: Workspace, errors: &[EvalError]) {
    let (located, plain) = eval_diagnostics(db, ws, errors);
    let stderr = StandardStream::stderr(super::stderr_colour());
    let _ = render::text(db, &located, &mut stderr.lock());
    let mut out = std::io::stderr().lock();
    for d in plain {
        let _ = out.write_all(d.render().as_bytes());
    }
}

/// Evaluation errors as diagnostics: at the definition involved when there is one, otherwise
/// without a place.
pub(crate) fn eval_diagnostics(
    db: &CompDb,
    ws: Workspace,
    errors: &[EvalError],
) -> (Vec<Diagnostic>, Vec<LocatedDiagnostic>) {
    let mut plain = Vec::new();
    let mut located = Vec::new();
    for e in errors {
        match definition_span(db, ws, &e.plan, e.definition.as_deref()) {
            Some((file, span)) => {
                let mut d = Diagnostic::new(e.code, e.message.clone());
                d.labels.push(Label {
                    file: Some(file),
                    span,
                    message: format!("for rep `{}` in {}", e.rep, e.period),
                    primary: true,
                });
                d.help = e.help.clone();
                located.push(d);
            }
            None => {
                let mut d = LocatedDiagnostic::new(e.code, e.message.clone());
                d.help = e.help.clone();
                plain.push(d);
            }
        }
    }
    (located, plain)
}

/// Where a plan defines a name, to point an evaluation error at it.
fn definition_span(
    db: &CompDb,
    ws: Workspace,
    plan: &str,
    name: Option<&str>,
) -> Option<(crate::source::SourceFile, crate::ast::Span)> {
    let name = name?;
    for &file in ws.files(db) {
        for item in &crate::syntax::parse_file(db, file).items {
            let crate::ast::Item::Plan(p) = &item.kind else { continue };
            if p.name.as_ref().is_none_or(|n| n.text != plan) {
                continue;
            }
            if let Some(ident) = p.entries.iter().find_map(|e| e.kind.defined_name().filter(|i| i.text == name)) {
                return Some((file, ident.span));
            }
        }
    }
    None
}
