//! The text of a diagnostic about a cell of a data file, or about no place, in the shape codespan
//! gives diagnostics in plan text: the data file is not a source codespan can read (it may be
//! gigabytes), so the diagnostic's own copy of the line is drawn, as written (a tab stays a tab).

use crate::diagnostics::{Diagnostic, Location};
use std::fmt::Write as _;

/// The rustc-style text, without colour.
pub(super) fn text(d: &Diagnostic) -> String {
    let mut out = format!("{}[{}]: {}\n", d.code.severity.word(), d.code.id, d.message);
    let label = d.primary_label();
    match label.map(|l| (&l.location, &l.message)) {
        Some((Location::Cell(cell), label)) => {
            let number = cell.line.to_string();
            let pad = " ".repeat(number.len());
            let _ = writeln!(out, "{pad} ┌─ {}:{}:{}", cell.path, cell.line, cell.column);
            let _ = writeln!(out, "{pad} │");
            let _ = writeln!(out, "{number} │ {}", cell.text);
            let underline = format!("{}{}", " ".repeat(cell.column.saturating_sub(1)), "^".repeat(cell.width.max(1)));
            let _ = writeln!(out, "{pad} │ {underline} {label}");
            if !d.notes.is_empty() || d.help.is_some() {
                let _ = writeln!(out, "{pad} │");
            }
            notes(&mut out, d, &pad);
        }
        _ => notes(&mut out, d, " "),
    }
    out.push('\n');
    out
}

fn notes(out: &mut String, d: &Diagnostic, pad: &str) {
    for note in &d.notes {
        let _ = writeln!(out, "{pad} = note: {note}");
    }
    if let Some(help) = &d.help {
        let _ = writeln!(out, "{pad} = help: {help}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::{codes, Cell};

    #[test]
    fn renders_like_a_plan_diagnostic() {
        let cell =
            Cell { path: "data/deals.csv".into(), line: 3, column: 10, width: 3, text: "A2,alice,abc,USD".into() };
        let d = Diagnostic::new(&codes::BAD_VALUE, "`abc` is not an amount")
            .at(cell, "the column `amount` holds money")
            .help("write a plain decimal such as `1234.56`");
        let text = text(&d);
        assert!(text.starts_with("error[E0702]: `abc` is not an amount\n"), "{text}");
        assert!(text.contains("\n  ┌─ data/deals.csv:3:10\n"), "{text}");
        assert!(text.contains("3 │ A2,alice,abc,USD\n  │          ^^^ the column"), "{text}");
        assert!(text.ends_with("  = help: write a plain decimal such as `1234.56`\n\n"), "{text}");
    }

    #[test]
    fn a_problem_about_no_place_has_its_notes_under_the_message() {
        let d = Diagnostic::new(&codes::MISSING_FILE, "the data folder has no `reps.csv`").note("required");
        assert_eq!(text(&d), "error[E0700]: the data folder has no `reps.csv`\n  = note: required\n\n");
    }
}
