//! `compplan diff`: evaluate the base plans and the working plans on the same data and period, and
//! print what changes in pay. Exits 0 when no payout changes, 2 when payouts change, 1 on an error.

use super::inputs::{self, Timings};
use super::problems::Problems;
use super::{base, files, DiffArgs, DiffFormat, ExitStatus};
use crate::data::Dataset;
use crate::eval::{Report, Request};
use crate::pipeline::{self, Plans};
use crate::report::diff::{self, render, Rows};
use std::io::Write as _;
use std::path::Path;

/// One side of the comparison, checked.
struct Side {
    /// `base` or `working`, for messages.
    name: &'static str,
    plans: Plans,
}

pub(crate) fn run(args: &DiffArgs) -> ExitStatus {
    let format = super::error_format(args.error_format, args.format == DiffFormat::Json);
    let mut problems = Problems::new(format);
    let status = compare(args, &mut problems);
    problems.finish();
    status
}

/// Checks, loads and evaluates both sides, and prints the comparison; the exit status.
fn compare(args: &DiffArgs, problems: &mut Problems) -> ExitStatus {
    let mut timings = Timings::new();
    let paths = &args.inputs.paths;
    let base = match base::read(&args.base, paths) {
        Ok(base) => base,
        Err(message) => {
            eprintln!("error: in the base plans: {message}");
            return ExitStatus::Failed;
        }
    };
    let working = match files::read_plans(paths) {
        Ok(sources) => sources,
        Err(message) => {
            eprintln!("error: in the working plans: {message}");
            return ExitStatus::Failed;
        }
    };
    // Both sides are checked before either fails, so that one run shows every error.
    let base_side = checked("base", base.sources, problems);
    let working_side = checked("working", working, problems);
    let (Some(base_side), Some(working_side)) = (base_side, working_side) else { return ExitStatus::Failed };
    timings.phase("check");
    let dir = &args.inputs.data;
    let (base_model, working_model) = (base_side.plans.model(), working_side.plans.model());
    // The data set depends only on the schema and the crediting rules: when both sides have the
    // same, it is loaded once.
    let same_data = base_model.schema == working_model.schema && base_model.crediting == working_model.crediting;
    let working_data = match load(&working_side, dir, !same_data, problems) {
        Ok(d) => d,
        Err(status) => return status,
    };
    let base_data = if same_data {
        None
    } else {
        match load(&base_side, dir, true, problems) {
            Ok(d) => Some(d),
            Err(status) => return status,
        }
    };
    timings.phase("load");
    let request = Request { period: args.inputs.period, rep: None, ledger: None };
    let base_on = base_data.as_ref().unwrap_or(&working_data);
    let Some(base_report) = evaluate(&base_side, base_on, dir, &request, problems) else { return ExitStatus::Failed };
    let Some(working_report) = evaluate(&working_side, &working_data, dir, &request, problems) else {
        return ExitStatus::Failed;
    };
    timings.phase("evaluate");
    let compared = diff::compare(&Rows::of(&base_report), &Rows::of(&working_report));
    let period = args.inputs.period.to_string();
    let what = render::Compared { base: &base.label, commit: base.commit.as_deref(), period: &period };
    let text = match args.format {
        DiffFormat::Text => render::text(&compared, &what),
        DiffFormat::Json => render::json(&compared, &what),
        DiffFormat::Markdown => render::markdown(&compared, &what),
    };
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    timings.phase("compare");
    // As `run` does: the process ends here, so the operating system reclaims the rows at once.
    std::mem::forget((base_report, working_report, base_data, working_data));
    if compared.changed() {
        ExitStatus::Changed
    } else {
        ExitStatus::Ok
    }
}

/// Checks one side's sources; prints its errors, naming the side, and returns `None` on any.
fn checked(name: &'static str, sources: Vec<(String, String)>, problems: &mut Problems) -> Option<Side> {
    match Plans::check(sources) {
        Ok(plans) => Some(Side { name, plans }),
        Err(failed) => {
            let errors = failed.diagnostics().len();
            problems.show(failed.plans.db(), failed.diagnostics());
            eprintln!(
                "error: in the {name} plans: {errors} error{}; nothing was compared (see `compplan check`)",
                inputs::plural(errors)
            );
            None
        }
    }
}

/// Loads the data against one side's schema; when the sides' schemas differ, a problem says which
/// side's schema the data was read against.
fn load(side: &Side, dir: &Path, name_the_side: bool, problems: &mut Problems) -> Result<Dataset, ExitStatus> {
    inputs::load(&side.plans, side.plans.model(), dir, problems).inspect_err(|_| {
        if name_the_side && dir.is_dir() {
            eprintln!("error: in the {} plans: the data does not fit their schema", side.name);
        }
    })
}

/// Evaluates one side; prints its failures, naming the side, and returns `None` on any.
fn evaluate(side: &Side, data: &Dataset, dir: &Path, request: &Request<'_>, problems: &mut Problems) -> Option<Report> {
    let model = side.plans.model();
    let report = match pipeline::evaluate(model, data, request, &mut inputs::open_in(dir)) {
        Ok(report) => report,
        Err(stop) => {
            inputs::stopped(&side.plans, &stop, dir, problems);
            eprintln!("error: in the {} plans: the period could not be evaluated; nothing was compared", side.name);
            return None;
        }
    };
    if !report.errors.is_empty() {
        inputs::rep_errors(&side.plans, &report, problems);
        let n = report.errors.len();
        eprintln!(
            "error: in the {} plans: {n} rep{} could not be evaluated; nothing was compared",
            side.name,
            inputs::plural(n)
        );
        return None;
    }
    Some(report)
}
