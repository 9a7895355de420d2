//! Problems of a plan's definitions as a whole (`plan.rs`, `depth.rs`): a name defined twice, a
//! definition that depends on itself, one nothing uses, one that nests too deep.

use crate::ast::{Ident, Span};
use crate::check::source_map::DefKind;
use crate::diagnostics::{codes, Diagnostic};
use crate::model;
use crate::syntax::MAX_NESTING;

/// A name defined twice in a plan (`first` is its first definition).
pub(crate) fn defined_twice(name: &Ident, kind: DefKind, first: &Ident, first_kind: DefKind) -> Diagnostic {
    Diagnostic::new(&codes::DUPLICATE_DEFINITION, format!("`{}` is defined twice", name.text))
        .primary(name.span, format!("defined again here, as {}", kind.with_article()))
        .secondary(first.span, format!("first defined here, as {}", first_kind.with_article()))
        .help("give each definition its own name")
}

/// An earning named like a line the runtime adds to every payout (`total`, `draw`…): its row and
/// that line would be one component to every reader of `payouts.csv`, the ledger and the tests.
pub(crate) fn earning_named_like_a_payout_line(name: &Ident) -> Diagnostic {
    Diagnostic::new(&codes::DUPLICATE_DEFINITION, format!("`{}` is a line every payout has", name.text))
        .primary(name.span, "an earning cannot take this name")
        .note(format!("the runtime adds these lines after the earnings: {}", model::PAYOUT_LINES.join(", ")))
        .help(format!("give the earning a name of its own, such as `{}_bonus`", name.text))
}

/// A definition that depends on itself: `name` is where it is defined, `at` where the name that
/// closes the cycle is written, `cycle` the names from the definition back to itself.
pub(crate) fn depends_on_itself(name: &Ident, at: Span, cycle: &[&str]) -> Diagnostic {
    let text = &name.text;
    Diagnostic::new(&codes::CYCLE, format!("`{text}` depends on itself"))
        .primary(at, format!("this makes `{text}` depend on itself"))
        .secondary(name.span, format!("`{text}` is defined here"))
        .note(format!("the cycle is {}", cycle.join(" → ")))
        .help("break the cycle: a measure cannot depend on a table keyed on an attainment of the same measure")
}

/// An earning that reads itself, directly or through the earnings it reads: `name` is where it is
/// defined, `at` where the read that closes the cycle is written, `cycle` the earnings from it back
/// to itself.
pub(crate) fn earning_reads_itself(name: &Ident, at: Span, cycle: &[&str]) -> Diagnostic {
    let text = &name.text;
    Diagnostic::new(&codes::CYCLE, format!("the earning `{text}` reads itself"))
        .primary(at, format!("this makes `{text}` read its own lines"))
        .secondary(name.span, format!("`{text}` is defined here"))
        .note(format!("the cycle is {}", cycle.join(" → ")))
        .help("an earning is paid on another earning's lines, which must be known first: pay one of them on the measure it is built on instead")
}

/// A definition no earning uses, directly or through other definitions.
pub(crate) fn unused(kind: DefKind, name: &str, span: Span) -> Diagnostic {
    Diagnostic::new(&codes::UNUSED, format!("the {} `{name}` is never used", kind.word()))
        .primary(span, "defined here")
        .help("use it in an earning, or remove it")
}

/// A definition or earning whose evaluation, counting the definitions it uses, nests `depth` levels.
pub(crate) fn nests_too_deep(name: &Ident, depth: usize) -> Diagnostic {
    Diagnostic::new(
        &codes::NESTING_TOO_DEEP,
        format!("`{}` nests more than {MAX_NESTING} levels deep, counting the definitions it uses", name.text),
    )
    .primary(name.span, format!("{depth} levels deep"))
    .help("each definition a name stands for counts as a level, with the levels of its own text: define fewer levels of definitions on definitions")
}
