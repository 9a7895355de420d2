//! `compplan check`: report every diagnostic of a workspace.

use super::{files, CheckArgs, DiagnosticFormat, ExitStatus};
use crate::diagnostics::{render, Severity};
use crate::{check, CompDb};
use codespan_reporting::term::termcolor::BufferedStandardStream;
use std::io::Write as _;

pub(crate) fn run(args: &CheckArgs) -> ExitStatus {
    let sources = match files::read_plans(&args.paths) {
        Ok(sources) => sources,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitStatus::Failed;
        }
    };
    let file_count = sources.len();
    let db = CompDb::default();
    let ws = db.workspace(sources);
    let diagnostics = check::diagnostics(&db, ws);
    let count = |s: Severity| diagnostics.iter().filter(|d| d.severity() == s).count();
    let (errors, warnings, notes) = (count(Severity::Error), count(Severity::Warning), count(Severity::Note));
    let summary = format!(
        "checked {file_count} file{}: {errors} error{}, {warnings} warning{}, {notes} note{}",
        plural(file_count),
        plural(errors),
        plural(warnings),
        plural(notes)
    );
    // The summary is for people: it goes to stderr, so that stdout carries only the JSON document or
    // the annotations a machine reads.
    match args.format {
        DiagnosticFormat::Text => {
            // Buffered: the renderer writes a character at a time, one system call each unbuffered,
            // which made printing 10,000 diagnostics take longer than finding them.
            let mut out = BufferedStandardStream::stderr(super::stderr_colour());
            let _ = render::text(&db, &diagnostics, &mut out);
            let _ = writeln!(out, "{summary}");
            let _ = out.flush();
        }
        DiagnosticFormat::Json => {
            let json = render::json(&db, &diagnostics);
            super::out(&format!("{}\n", serde_json::to_string_pretty(&json).unwrap_or_default()));
            eprintln!("{summary}");
        }
        DiagnosticFormat::Github => {
            super::out(&render::github(&db, &diagnostics));
            eprintln!("{summary}");
        }
    }
    ExitStatus::failed_if(errors > 0 || (args.deny_warnings && warnings > 0))
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
