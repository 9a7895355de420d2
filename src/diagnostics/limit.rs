//! A bound on the diagnostics shown for one file, so that a file that is not a plan at all (a
//! minified script, a binary) cannot keep `compplan check`, its renderers or the editor busy for
//! minutes: each diagnostic shows its line, and thousands of them on a line of a megabyte are
//! gigabytes of text.
//!
//! The first [`MAX_PER_FILE`] errors of a file are kept, and the first [`MAX_PER_FILE`] warnings
//! and notes; a note (N0011) at the first one left out says how many more there are. Errors are
//! counted apart so that a file with errors left out always keeps errors: no limit turns a
//! failing check into a passing one.

use super::{codes, Diagnostic, Severity};
use crate::source::SourceFile;
use std::collections::{HashMap, HashSet};

/// The most errors, and the most warnings and notes, shown for one file.
pub const MAX_PER_FILE: usize = 500;

/// The diagnostics (sorted by file and position) with at most [`MAX_PER_FILE`] of each kind per
/// file, and for each file that had more, a note where the first one was left out.
pub fn at_most_per_file(diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let file_of = |d: &Diagnostic| d.primary_label().and_then(|l| l.file());
    let mut counts: HashMap<(Option<SourceFile>, bool), usize> = HashMap::new();
    for d in &diagnostics {
        *counts.entry((file_of(d), d.severity() == Severity::Error)).or_default() += 1;
    }
    if counts.values().all(|&n| n <= MAX_PER_FILE) {
        return diagnostics;
    }
    let mut kept: HashMap<(Option<SourceFile>, bool), usize> = HashMap::new();
    let mut noted: HashSet<Option<SourceFile>> = HashSet::new();
    let mut out = Vec::with_capacity(diagnostics.len().min(4 * MAX_PER_FILE));
    for d in diagnostics {
        let file = file_of(&d);
        let key = (file, d.severity() == Severity::Error);
        let shown = kept.entry(key).or_default();
        if *shown < MAX_PER_FILE {
            *shown += 1;
            out.push(d);
            continue;
        }
        if noted.insert(file) {
            out.push(note(&d, &counts, file));
        }
    }
    out
}

/// The note at the first diagnostic left out of a file.
fn note(
    first: &Diagnostic,
    counts: &HashMap<(Option<SourceFile>, bool), usize>,
    file: Option<SourceFile>,
) -> Diagnostic {
    let more = |error: bool| counts.get(&(file, error)).copied().unwrap_or(0).saturating_sub(MAX_PER_FILE);
    let (errors, others) = (more(true), more(false));
    let plural = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let what = match (errors, others) {
        (0, n) => plural(n, "more warning or note", "more warnings and notes"),
        (n, 0) => plural(n, "more error", "more errors"),
        (e, n) => format!(
            "{} and {}",
            plural(e, "more error", "more errors"),
            plural(n, "warning or note", "warnings and notes")
        ),
    };
    let mut d = Diagnostic::new(&codes::NOT_SHOWN, format!("{what} in this file are not shown"));
    if let Some(label) = first.primary_label() {
        d = d.at(label.location.clone(), "the first problem not shown");
    }
    d.help = Some(format!(
        "fix the problems shown and check again; a file with more than {MAX_PER_FILE} problems is often not a plan at all (only plan files should end in `.plan`)"
    ));
    d
}
