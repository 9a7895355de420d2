//! `compplan run`: check the plans, load the data, evaluate the period, and write the outputs
//! together (see [`super::outputs`]) — or nothing at all when anything is wrong.

use super::inputs::{self, Timings};
use super::outputs::{self, Writer};
use super::problems::Problems;
use super::{ErrorFormat, ExitStatus, RunArgs, RunFormat};
use crate::eval::{Report, Request};
use crate::pipeline::{self, Plans};
use crate::report;
use std::io::Write as _;

pub(crate) fn run(args: &RunArgs) -> ExitStatus {
    let format = super::error_format(args.error_format, args.format == Some(RunFormat::Json));
    let mut problems = Problems::new(format);
    let status = evaluate(args, &mut problems);
    problems.finish();
    status
}

/// Evaluates the period and writes or prints the outputs; the exit status.
fn evaluate(args: &RunArgs, problems: &mut Problems) -> ExitStatus {
    let mut timings = Timings::new();
    let ledger = match &args.ledger {
        Some(dir) => match super::ledger::read(dir, problems) {
            Ok(ledger) => Some(ledger),
            Err(status) => return status,
        },
        None => None,
    };
    let request = Request { period: args.inputs.period, rep: args.rep.clone(), ledger: ledger.as_ref() };
    let (dir, paths) = (&args.inputs.data, &args.inputs.paths);
    let (plans, data) = match inputs::inputs(paths, dir, &mut timings, problems) {
        Ok(inputs) => inputs,
        Err(status) => return status,
    };
    if problems.format() == ErrorFormat::Json {
        problems.show(plans.db(), &data.warnings);
    }
    let report = match pipeline::evaluate(plans.model(), &data, &request, &mut inputs::open_in(dir)) {
        Ok(report) => report,
        Err(stop) => return inputs::stopped(&plans, &stop, dir, problems),
    };
    timings.evaluated(&report);
    let status = output(args, &plans, &report, &mut timings, problems);
    // The process ends after this: let the operating system reclaim the data set and the report
    // at once, rather than freeing millions of rows one by one.
    std::mem::forget(report);
    std::mem::forget(data);
    status
}

/// Writes the outputs (`--out`) and prints them (`--format`), unless reps failed without
/// `--keep-going`.
fn output(
    args: &RunArgs,
    plans: &Plans,
    report: &Report,
    timings: &mut Timings,
    problems: &mut Problems,
) -> ExitStatus {
    let failed = report.errors.len();
    if failed > 0 && !args.keep_going {
        inputs::rep_errors(plans, report, problems);
        eprintln!(
            "error: {failed} rep{} could not be evaluated; nothing was written (use --keep-going to pay the others)",
            inputs::plural(failed)
        );
        return ExitStatus::Failed;
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
            return ExitStatus::Failed;
        }
        eprintln!(
            "wrote {} payout rows and {} attainment rows to {}",
            report.payouts().count(),
            report.attainment().count(),
            out.display()
        );
        timings.phase("write");
    }
    // The reps left out: in the JSON document printed below when both are JSON, else shown now.
    let json = args.format == Some(RunFormat::Json);
    // Warnings about the data, collected for JSON, go into the same document.
    let embedded = json && (failed > 0 || problems.has_json()) && problems.format() == ErrorFormat::Json;
    if args.out.is_none() || args.format.is_some() {
        let text = match args.format.unwrap_or(RunFormat::Text) {
            RunFormat::Text => report::text(report),
            RunFormat::Csv => report::payouts_csv(report.payouts()),
            RunFormat::Json if embedded => {
                inputs::rep_errors(plans, report, problems);
                report::json_with_diagnostics(report, problems.take_json())
            }
            RunFormat::Json => report::json(report),
        };
        let _ = std::io::stdout().lock().write_all(text.as_bytes());
    }
    if failed == 0 {
        ExitStatus::Ok
    } else {
        if !embedded {
            inputs::rep_errors(plans, report, problems);
        }
        ExitStatus::Partial
    }
}
