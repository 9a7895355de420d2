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
//! - [`explain`] derives the tree of one rep's payout from the runtime's own values; [`testing`]
//!   runs the `test` blocks written inside plans against their own data.
//! - [`num`] holds the exact numbers everything computes with, the rounding a plan names, and how
//!   numbers read for people.
//! - [`pipeline`] runs those steps for a command (check plan sources, load the data, evaluate a
//!   request) and places every problem for the renderers; the CLI, [`testing`] and the tests call it.
//! - [`diagnostics`] holds the one diagnostic type (its labels have a location: plan text, a data
//!   cell, or ids placed by the pipeline), the registry of codes and the renderers.
//! - [`analysis`] answers an editor's questions (hover, definition, references, completion, symbols,
//!   diagnostics by file) from the same queries; [`lsp`] serves them over the Language Server
//!   Protocol and is the only module that knows it.
//! - [`cli`] is the command line.
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
//!    [`ledger`]; [`eval`]; [`explain`] and [`report`]; [`pipeline`]; [`testing`]; [`analysis`];
//!    [`lsp`]; [`cli`].
//!    A module uses only modules below it (`tests/tidy.rs` lists each module's allowed imports and
//!    fails on any other); `explain` sees the runtime only through [`eval::derivation`].

pub mod analysis;
pub mod ast;
pub mod check;
pub mod cli;
pub mod data;
pub mod db;
pub mod diagnostics;
pub mod eval;
pub mod explain;
pub mod fmt;
pub mod gen;
pub mod ledger;
pub mod lsp;
pub mod model;
pub mod num;
pub mod pipeline;
pub mod report;
pub mod source;
pub mod syntax;
pub mod testing;
pub mod types;

pub use db::{CompDb, Db};
