//! The one integration-test crate (one binary links faster than many): each module tests one layer.

mod analysis;
mod bad_inputs;
mod check;
mod clauses;
mod cli;
mod csv_files;
mod curve;
mod data;
mod diff;
mod doc;
mod eval;
mod explain;
mod fmt;
mod hostile;
mod incremental;
mod ledger;
mod lsp;
mod plans;
mod source_map;
mod statement;
mod support;
mod synthetic;
mod test_blocks;
mod tidy;
mod wrong_pay;
