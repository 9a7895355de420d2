//! `compplan diff`: evaluate the base plans and the working plans on the same data and period, and
//! print what changes in pay. Exits 0 when no payout changes, 2 when payouts change, 1 on an error.

use super::run::{self, print_eval_errors, Timings};
use super::{base, files, DiffArgs, DiffFormat, EXIT_CHANGED};
use crate::data::Dataset;
use crate::eval::{Report, Request};
use crate::report::diff::{self, render, Rows};
use crate::source::Workspace;
use crate::{check, CompDb};
use std::io::Write as _;
use std::path::Path;

/// One side of the comparison, checked.
struct Side {
    /// `base` or `working`, for messages.
    name: &'static str,
    db: CompDb,
    ws: Workspace,
}

impl Side {
    fn model(&self) -> &crate::model::Workspace {
        check::workspace_model(&self.db, self.ws)
    }
}

pub(crate) fn run(args: &DiffArgs) -> u8 {
    let mut timings = Timings::new();
    let paths = &args.inputs.paths;
    let base = match base::read(&args.base, paths) {
        Ok(base) => base,
        Err(message) => {
            eprintln!("error: in the base plans: {message}");
            return 1;
        }
    };
    let working = match files::read_plans(paths) {
        Ok(sources) => sources,
        Err(message) => {
            eprintln!("error: in the working plans: {message}");
            return 1;
        }
    };
    // Both sides are checked before either fails, so that one run shows every error.
    let base_side = checked("base", base.sources);
    let working_side = checked("working", working);
    let (Some(base_side), Some(working_side)) = (base_side, working_side) else { return 1 };
    timings.phase("check");
    let dir = &args.inputs.data;
    let (base_model, working_model) = (base_side.model(), working_side.model());
    // The data set depends only on the schema and the crediting rules: when both sides have the
    // same, it is loaded once.
    let same_data = base_model.schema == working_model.schema && base_model.crediting == working_model.crediting;
    let working_data = match load(&working_side, dir, !same_data) {
        Ok(d) => d,
        Err(code) => return code,
    };
    let base_data = if same_data {
        None
    } else {
        match load(&base_side, dir, true) {
            Ok(d) => Some(d),
            Err(code) => return code,
        }
    };
    timings.phase("load");
    let request = Request { period: args.inputs.period, rep: None, ledger: None };
    let Some(base_report) = evaluate(&base_side, base_data.as_ref().unwrap_or(&working_data), dir, &request) else {
        return 1;
    };
    let Some(working_report) = evaluate(&working_side, &working_data, dir, &request) else { return 1 };
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
        EXIT_CHANGED
    } else {
        0
    }
}

/// Checks one side's sources; prints its errors, naming the side, and returns `None` on any.
fn checked(name: &'static str, sources: Vec<(String, String)>) -> Option<Side> {
    match run::checked(sources) {
        Ok((db, ws)) => Some(Side { name, db, ws }),
        Err(errors) => {
            eprintln!(
                "error: in the {name} plans: {errors} error{}; nothing was compared (see `compplan check`)",
                plural(errors)
            );
            None
        }
    }
}

/// Loads the data against one side's schema; when the sides' schemas differ, a problem says which
/// side's schema the data was read against.
fn load(side: &Side, dir: &Path, name_the_side: bool) -> Result<Dataset, u8> {
    run::load(side.model(), dir).inspect_err(|_| {
        if name_the_side && dir.is_dir() {
            eprintln!("error: in the {} plans: the data does not fit their schema", side.name);
        }
    })
}

/// Evaluates one side; prints its failures, naming the side, and returns `None` on any.
fn evaluate(side: &Side, data: &Dataset, dir: &Path, request: &Request<'_>) -> Option<Report> {
    let Ok(report) = run::report(side.model(), data, dir, request) else {
        eprintln!("error: in the {} plans: the period could not be evaluated; nothing was compared", side.name);
        return None;
    };
    if !report.errors.is_empty() {
        print_eval_errors(&side.db, side.ws, &report.errors);
        let n = report.errors.len();
        eprintln!(
            "error: in the {} plans: {n} rep{} could not be evaluated; nothing was compared",
            side.name,
            plural(n)
        );
        return None;
    }
    Some(report)
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
