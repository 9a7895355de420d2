//! What `run`, `explain`, `close` and `diff` share around the library's pipeline: reading the plan
//! files and opening the data files, printing why a step stopped, and timing the steps.

use super::problems::Problems;
use super::{files, ExitStatus};
use crate::data::{Dataset, Input};
use crate::eval::Report;
use crate::model;
use crate::pipeline::{self, Plans, Stop};
use std::path::{Path, PathBuf};

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

    /// Ends a phase: prints its times.
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

    /// Ends the evaluation: prints the runtime's own phases (credit, reps, order), then its times.
    pub(crate) fn evaluated(&mut self, report: &Report) {
        if self.on {
            for (name, took) in &report.phases {
                eprintln!("timing:   {name:<8} {:>7} ms", took.as_millis());
            }
        }
        self.phase("evaluate");
    }
}

/// Reads the plans and checks them; prints what is wrong (`nothing`: what was therefore not done).
pub(crate) fn plans(paths: &[PathBuf], problems: &mut Problems, nothing: &str) -> Result<Plans, ExitStatus> {
    let sources = files::read_plans(paths).map_err(|message| {
        eprintln!("error: {message}");
        ExitStatus::Failed
    })?;
    Plans::check(sources).map_err(|failed| {
        let errors = error_count(failed.diagnostics());
        problems.show(failed.plans.db(), failed.diagnostics());
        eprintln!("error: the plans have {errors} error{}; {nothing} (see `compplan check`)", plural(errors));
        ExitStatus::Failed
    })
}

/// Checks the plans and loads the data folder against their schema, printing what is wrong.
pub(crate) fn inputs(
    paths: &[PathBuf],
    dir: &Path,
    timings: &mut Timings,
    problems: &mut Problems,
) -> Result<(Plans, Dataset), ExitStatus> {
    let plans = self::plans(paths, problems, "nothing was evaluated")?;
    timings.phase("check");
    let data = load(&plans, plans.model(), dir, problems)?;
    timings.phase("load");
    Ok((plans, data))
}

/// Loads the data folder against a model (of `plans`), printing what is wrong.
pub(crate) fn load(
    plans: &Plans,
    model: &model::Workspace,
    dir: &Path,
    problems: &mut Problems,
) -> Result<Dataset, ExitStatus> {
    if let Some(problem) = files::data_folder_problem(dir) {
        eprintln!("error: {problem}");
        return Err(ExitStatus::Failed);
    }
    let data = pipeline::load(model, &mut open_in(dir)).map_err(|errors| data_errors(plans, &errors, problems))?;
    // Warnings about the data do not stop the run: they are shown with its other problems. A JSON
    // document is the command's own output: only `run` embeds them in it (see `run::output`).
    if problems.format() != super::ErrorFormat::Json {
        problems.show(plans.db(), &data.warnings);
    }
    Ok(data)
}

/// Prints why an evaluation produced nothing (data problems found while crediting, an unknown rep).
pub(crate) fn stopped(plans: &Plans, stop: &Stop, dir: &Path, problems: &mut Problems) -> ExitStatus {
    match stop {
        Stop::Plans(errors) => {
            problems.show(plans.db(), errors);
            let n = error_count(errors);
            eprintln!("error: the plans have {n} error{}; nothing was evaluated (see `compplan check`)", plural(n));
            ExitStatus::Failed
        }
        Stop::Data(errors) => data_errors(plans, errors, problems),
        Stop::UnknownRep(id) => {
            eprintln!("error: no rep has the id `{id}` in {}", dir.join("reps.csv").display());
            ExitStatus::Failed
        }
    }
}

/// How many of the diagnostics are errors (a note may say how many more a file has).
fn error_count(diagnostics: &[crate::diagnostics::Diagnostic]) -> usize {
    diagnostics.iter().filter(|d| d.severity() == crate::diagnostics::Severity::Error).count()
}

/// Prints the problems of a data set.
fn data_errors(plans: &Plans, errors: &[crate::diagnostics::Diagnostic], problems: &mut Problems) -> ExitStatus {
    problems.show(plans.db(), errors);
    // Warnings shown beside the errors are not counted: they would not have stopped the run.
    let n = errors.iter().filter(|d| d.severity() != crate::diagnostics::Severity::Warning).count();
    eprintln!("error: the data has {n} problem{}; nothing was evaluated", plural(n));
    ExitStatus::Failed
}

/// Prints the reps a report could not evaluate, at their definitions.
pub(crate) fn rep_errors(plans: &Plans, report: &Report, problems: &mut Problems) {
    problems.show(plans.db(), &plans.rep_errors(&report.errors));
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

pub(crate) fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
