//! The pest parser generated from `grammar/plan.pest`; only the `syntax` module sees it.

/// The generated parser. `Rule` names are the grammar's rule names.
#[derive(pest_derive::Parser)]
#[grammar = "grammar/plan.pest"]
pub(crate) struct PlanParser;
