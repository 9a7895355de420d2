//! compplan: a compiler and runtime for sales compensation plans written as text.
//!
//! # Pipeline
//!
//! ```text
//! plan text ─► syntax (pest → ast) ─► check (names, types, units, tables, cycles) ─► model
//!                                     every step a salsa query; diagnostics accumulated
//! ```
//!
//! - [`syntax`] parses a file into an [`ast::File`]; it never fails (broken items become `Error`
//!   nodes with diagnostics).
//! - [`check`] resolves names, checks types with units, analyses tables and finds cycles, producing
//!   the span-free [`model`] that the runtime evaluates.
//! - [`data`] loads CSV files into typed columns; [`eval`] credits deals and evaluates each rep's
//!   plans period by period (credit → measure → attain → earn → pay); [`report`] writes the rows
//!   and compares two runs' rows (`compplan diff`).
//! - [`fmt`] prints a file's tree back in the canonical layout (`compplan fmt`, editor formatting).
//! - [`ledger`] is the record of closed periods that later runs pay against.
//! - [`statement`] renders each rep's statement of a period as a self-contained HTML page, from the
//!   payroll's rows and what the runtime shows `explain`.
//! - [`doc`] writes each plan's document (`compplan doc`), said from the checked model, with the
//!   payout curve and worked examples the runtime computes.
//! - [`explain`] derives the tree of one rep's payout from the runtime's own values; [`testing`]
//!   runs the `test` blocks written inside plans against their own data.
//! - [`num`] holds the exact numbers everything computes with, the rounding a plan names, and how
//!   numbers read for people.
//! - [`pipeline`] runs those steps for a command (check plan sources, load the data, evaluate a
//!   request) and places every problem for the renderers; the CLI, [`testing`] and the tests call it.
//! - [`diagnostics`] holds the one diagnostic type (its labels have a location: plan text, a data
//!   cell, or ids placed by the pipeline), the registry of codes and the renderers.
//! - [`analysis`] answers an editor's questions (hover, definition, references, completion, symbols,
//!   diagnostics by file) from the same queries; the private `lsp` module serves them over the
//!   Language Server Protocol and is the only module that knows it.
//! - The private `cli` module is the command line, reached through [`run_cli`]; the private
//!   `synthetic` module writes the data of `compplan gen` (its public part: [`synthetic_data`] and
//!   [`Random`]).
//!
//! `docs/dev/architecture.md` is the map of the code for a developer: entry points, where each
//! thing lives, the invariants, and the route of adding a clause to the language.
//!
//! # Layer rules (checked by `tests/tidy.rs`)
//!
//! 1. Only `syntax/` knows pest; everything else sees the crate's own [`ast`].
//! 2. Only the CLI (and the language server) do file I/O or end the process; the compiler, the
//!    runtime and the [`pipeline`] take text and data as values (plan sources as `(path, text)`,
//!    data files through the caller's `open` callback) and return values: results whose errors are
//!    diagnostics, which the CLI prints and maps to an exit status.
//! 3. The runtime never sees spans: it reads the span-free [`model`], so an edit that only moves
//!    text (a comment) leaves the model equal and salsa reuses everything after it.
//! 4. Errors are data: every problem is a [`diagnostics::Diagnostic`] with a stable code; no
//!    `unwrap()` on anything a user wrote, no panic on any input.
//! 5. Money is `rust_decimal::Decimal`, never a float; rounding happens only at payout lines, with
//!    the strategy the plan names. Arithmetic on it in [`num`], [`syntax`], [`check`] and [`eval`]
//!    is checked (clippy's `arithmetic_side_effects` is denied there).
//! 6. Modules form layers, bottom up: [`num`], [`ast`] and [`types`]; the salsa database ([`db`],
//!    [`source`]); [`model`]; [`diagnostics`]; [`syntax`]; [`check`] and [`fmt`]; [`data`] and
//!    [`ledger`]; [`eval`]; [`explain`], [`report`] and [`statement`]; [`doc`]; [`pipeline`]; [`testing`]; [`analysis`];
//!    `lsp`; `cli`. `synthetic` stands apart: it uses no other module.
//!    A module uses only modules below it (`tests/tidy.rs` lists each module's allowed imports and
//!    fails on any other); `explain` sees the runtime only through [`eval::derivation`].

pub mod analysis;
pub mod ast;
pub mod check;
mod cli;
pub mod data;
pub mod db;
pub mod diagnostics;
pub mod doc;
pub mod eval;
pub mod explain;
pub mod fmt;
pub mod ledger;
mod lsp;
pub mod model;
pub mod num;
pub mod pipeline;
pub mod report;
pub mod source;
pub mod statement;
pub mod syntax;
mod synthetic;
pub mod testing;
pub mod types;

pub use db::{CompDb, Db};

/// The `compplan` command line, whole: parses `args` (the program's name first, as
/// [`std::env::args_os`] gives them), runs the verb (`lsp` included) and returns the exit status of
/// the contract (0, 1, 2, 3 or 64). The binary's only call; the command line and the language
/// server stay private, so that the library's public surface is the compiler, the runtime and the
/// pipeline.
pub fn run_cli<I, T>(args: I) -> std::process::ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    cli::main(args)
}

/// The synthetic data behind `compplan gen`, public for the tests of its proportions and for the
/// fuzzer, which draws its mutations from the same fixed [`Random`] sequence: a data set is written
/// by [`synthetic_data`] from a [`SyntheticSpec`] into [`SyntheticOutputs`], the same bytes for the
/// same seed.
pub use synthetic::{data as synthetic_data, Outputs as SyntheticOutputs, Random, Spec as SyntheticSpec};
