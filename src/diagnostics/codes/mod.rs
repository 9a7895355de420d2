//! The registry of diagnostic codes: one place that names every code, fixes its severity and holds its
//! long explanation.
//!
//! `compplan explain-error CODE` prints an entry, and `compplan explain-error --catalogue` writes
//! `docs/errors.md` from the same entries, so the documentation cannot drift from the compiler. Codes
//! are grouped by phase, one file per group, in the order the pipeline meets them.

mod data;
mod ledger;
mod names;
mod plan_tests;
mod plans;
mod runtime;
mod syntax;
mod tables;
mod types;

pub use data::*;
pub use ledger::*;
pub use names::*;
pub use plan_tests::*;
pub use plans::*;
pub use runtime::*;
pub use syntax::*;
pub use tables::*;
pub use types::*;

use super::Severity;

/// A stable diagnostic code and its long explanation, in the style of ruff's rule docs.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct Code {
    /// `E0101`: E for errors, W for warnings, N for notes. Never reused for another meaning.
    pub id: &'static str,
    /// The severity every diagnostic of this code has.
    pub severity: Severity,
    /// A short kebab-case name, easier to remember than the number.
    pub name: &'static str,
    /// What the diagnostic means, in one or two sentences.
    pub summary: &'static str,
    /// Why it matters: what would go wrong in a payroll run.
    pub why: &'static str,
    /// A plan fragment (or data row) that triggers it.
    pub example: &'static str,
    /// The same fragment, fixed.
    pub fix: &'static str,
}

/// Declares codes as statics and collects them into the group's list.
macro_rules! codes {
    ($( $name:ident = $id:literal $sev:ident $kebab:literal {
        summary: $summary:expr, why: $why:expr, example: $example:expr, fix: $fix:expr $(,)?
    } )*) => {
        $(
            #[doc = $summary]
            pub static $name: $crate::diagnostics::Code = $crate::diagnostics::Code {
                id: $id,
                severity: $crate::diagnostics::Severity::$sev,
                name: $kebab,
                summary: $summary,
                why: $why,
                example: $example,
                fix: $fix,
            };
        )*
        /// Every code of this group, in numeric order.
        pub(super) static GROUP: &[&$crate::diagnostics::Code] = &[$(&$name),*];
    };
}
use codes;

/// Every code, in numeric order within each phase.
pub fn all() -> impl Iterator<Item = &'static Code> {
    [
        syntax::GROUP,
        names::GROUP,
        types::GROUP,
        tables::GROUP,
        plans::GROUP,
        data::GROUP,
        runtime::GROUP,
        ledger::GROUP,
        plan_tests::GROUP,
    ]
    .into_iter()
    .flat_map(|group| group.iter().copied())
}

/// The codes that no fixture under `tests/` raises, each with the reason. `tests/tidy.rs` checks
/// that every other code is raised by one (a checker fixture, a bad input, a bad-data case, a
/// snapshot, or the expected output of a test), that none of these is, and that a code reserved
/// here is raised nowhere in the source.
pub static WITHOUT_FIXTURE: &[(&Code, &str)] = &[
    (
        &PARSER_LIMIT,
        "raised only by megabytes of plan text or on a thread with a small stack, which `tests/hostile.rs` \
         generates rather than keeps as a file",
    ),
    (&NOT_YET_SUPPORTED, "reserved: no construct is checked but not paid today, and a code is never reused"),
];

/// Finds a code by its id (`E0101`, case-insensitive) or its name (`duplicate-definition`).
pub fn lookup(query: &str) -> Option<&'static Code> {
    all().find(|c| c.id.eq_ignore_ascii_case(query) || c.name == query)
}

impl Code {
    /// The long form printed by `compplan explain-error`.
    pub fn explain(&self) -> String {
        format!(
            "{id} {name} ({severity})\n\n{summary}\n\nWhy it matters\n\n{why}\n\nExample\n\n{example}\nHow to fix it\n\n{fix}",
            id = self.id,
            name = self.name,
            severity = self.severity.word(),
            summary = self.summary,
            why = self.why,
            example = indent(self.example),
            fix = indent(self.fix),
        )
    }

    /// The Markdown section of `docs/errors.md` for this code.
    pub fn markdown(&self) -> String {
        format!(
            "## {id} `{name}` ({severity})\n\n{summary}\n\n**Why it matters.** {why}\n\n**Example**\n\n```\n{example}\n```\n\n**Fix**\n\n```\n{fix}\n```\n",
            id = self.id,
            name = self.name,
            severity = self.severity.word(),
            summary = self.summary,
            why = self.why,
            example = self.example.trim_end(),
            fix = self.fix.trim_end(),
        )
    }
}

impl Severity {
    /// The word used in rendered output and JSON.
    pub fn word(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

/// The whole error catalogue, as committed in `docs/errors.md`.
pub fn catalogue() -> String {
    let mut out = String::from(
        "# Diagnostic codes\n\nGenerated by `compplan explain-error --catalogue` from `src/diagnostics/codes/`; \
         do not edit by hand. `E` codes are errors, `W` codes warnings (fatal under `--deny-warnings`), \
         `N` codes notes.\n\n",
    );
    for code in all() {
        out.push_str(&code.markdown());
        out.push('\n');
    }
    out
}

fn indent(text: &str) -> String {
    text.trim_end().lines().map(|l| format!("    {l}\n")).collect()
}

#[cfg(test)]
mod tests {
    use super::all;
    use std::collections::HashSet;

    #[test]
    fn codes_are_unique_and_match_their_severity() {
        let mut seen = HashSet::new();
        for code in all() {
            assert!(seen.insert(code.id), "{} is declared twice", code.id);
            assert!(seen.insert(code.name), "{} is declared twice", code.name);
            let prefix = match code.severity {
                super::Severity::Error => 'E',
                super::Severity::Warning => 'W',
                super::Severity::Note => 'N',
            };
            assert!(code.id.starts_with(prefix), "{} has the wrong prefix for its severity", code.id);
            assert!(!code.example.is_empty() && !code.fix.is_empty(), "{} needs an example and a fix", code.id);
        }
    }
}
