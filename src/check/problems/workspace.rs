//! Problems across the workspace (`workspace.rs`): territories, and the versions of a plan.

use crate::ast::{Ident, Span};
use crate::diagnostics::{codes, Diagnostic};
use crate::source::SourceFile;
use chrono::NaiveDate;

/// A territory defined a second time (first in `first_file`, at `first`).
pub(crate) fn territory_defined_twice(name: &Ident, first_file: SourceFile, first: Span) -> Diagnostic {
    Diagnostic::new(&codes::DUPLICATE_DEFINITION, format!("the territory `{}` is defined twice", name.text))
        .primary(name.span, "defined again here")
        .secondary_in(first_file, first, "first defined here")
}

/// A territory in a workspace whose crediting rules assign no territories to reps.
pub(crate) fn territory_assigned_to_no_rep(name: &Ident) -> Diagnostic {
    Diagnostic::new(&codes::BAD_CREDIT_RULES, format!("the territory `{}` is assigned to no rep", name.text))
        .primary(name.span, "no crediting rule reads territories")
        .help(
            "add `deal by territory rep.COLUMN` to the credit block, naming the reps' column that holds the territory",
        )
}

/// A plan's version declared a second time (first in `first_file`, at `first`).
pub(crate) fn version_declared_twice(
    name: &Ident,
    version: (u32, Span),
    first_file: SourceFile,
    first: Span,
) -> Diagnostic {
    Diagnostic::new(&codes::DUPLICATE_VERSION, format!("plan `{}` version {} is declared twice", name.text, version.0))
        .primary(version.1, "declared again here")
        .secondary_in(first_file, first, "first declared here")
        .help(format!("give the new text its own number: `version {}`", version.0.saturating_add(1)))
}

/// Two versions of a plan in effect on the same days, `from` to `to`: the later `version` (its
/// `effective` line at `span`) is reported against the earlier one (its number, file and line).
pub(crate) fn versions_overlap(
    name: &Ident,
    (version, span): (u32, Span),
    (earlier, earlier_file, earlier_span): (u32, SourceFile, Span),
    (from, to): (NaiveDate, NaiveDate),
) -> Diagnostic {
    Diagnostic::new(
        &codes::OVERLAPPING_VERSIONS,
        format!("versions {earlier} and {version} of plan `{}` are both in effect from {from} to {to}", name.text),
    )
    .primary(span, format!("version {version} is in effect here"))
    .secondary_in(earlier_file, earlier_span, format!("version {earlier} is in effect here"))
    .help("end the earlier version the day before the later one starts")
}

/// Two versions of a plan on calendars that do not follow each other: one pays semi-monthly or
/// biweekly (`pay`, as written, at its span) and the earlier version (its number, file and `pay`
/// line) pays another way.
pub(crate) fn versions_on_other_calendars(
    name: &Ident,
    (pay, span): &(String, Span),
    (earlier, earlier_file, (earlier_pay, earlier_span)): (u32, SourceFile, &(String, Span)),
) -> Diagnostic {
    Diagnostic::new(
        &codes::INVALID_HEADER,
        format!("versions of plan `{}` pay {earlier_pay} and {pay}: their pay periods cannot follow each other", name.text),
    )
    .primary(*span, format!("pays {pay}"))
    .secondary_in(earlier_file, *earlier_span, format!("version {earlier} pays {earlier_pay}"))
    .help("give every version of a plan paid semi-monthly or biweekly the same `pay` line (the same first day for biweekly), or make the new calendar a plan of its own")
}
