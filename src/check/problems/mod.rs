//! Every problem the checker reports, as a constructor named for the problem: the checking code says
//! what is wrong (`self.report(problems::band_gap(from, previous))`), and the words a user reads are
//! here.
//!
//! The constructors are all re-exported here, so a call reads `problems::NAME`. They are written in
//! one module per area of the checker, named like the checker's module that finds the problem:
//! `expressions` (types and units, literals: `expr.rs`, `literals.rs`), `names` (names, columns,
//! rows and scopes: `names.rs`, and a definition read by name in `plan.rs`), `definitions` (defined
//! twice, cycles, unused, too deep: `plan.rs`, `depth.rs`), `header`, `measures` (`quotas.rs`,
//! `measures.rs`), `tables` (`tables.rs`, `table_lints.rs`, `table_apply.rs`), `earnings`
//! (earnings, draws and holds: `earnings.rs`, and holds added up in `assemble.rs`), `test_blocks`,
//! `schema`, `crediting` (`crediting.rs`, `filled.rs`) and `workspace` (territories, versions).
//! Each constructor builds the whole diagnostic — code, message, labels, notes and help — from the
//! facts the checker found; none decides whether there is a problem.

mod crediting;
mod definitions;
mod earnings;
mod expressions;
mod header;
mod measures;
mod names;
mod schema;
mod table_apply;
mod tables;
mod test_blocks;
mod workspace;

pub(super) use crediting::*;
pub(super) use definitions::*;
pub(super) use earnings::*;
pub(super) use expressions::*;
pub(super) use header::*;
pub(super) use measures::*;
pub(super) use names::*;
pub(super) use schema::*;
pub(super) use table_apply::*;
pub(super) use tables::*;
pub(super) use test_blocks::*;
pub(super) use workspace::*;

use crate::diagnostics::{did_you_mean, Diagnostic};

/// Adds the `help:` line when there is one (a "did you mean" that found no candidate has none).
fn help_if(diagnostic: Diagnostic, help: Option<String>) -> Diagnostic {
    match help {
        Some(help) => diagnostic.help(help),
        None => diagnostic,
    }
}

/// "did you mean `NAME`?" for the candidate nearest a misspelled word, if one is near enough.
fn suggestion<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    did_you_mean(word, candidates).map(|s| format!("did you mean `{s}`?"))
}
