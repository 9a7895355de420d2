//! Syntax tree to checked model: name resolution, type and unit checking, table analysis, cycles and
//! lints, as salsa queries; and beside the model, the source map of where it was written.
//!
//! Query graph (every step memoized, diagnostics accumulated):
//!
//! ```text
//! parse_file(file) ─┬─► file_schemas / file_credits / file_territories / file_plan_headers (file)
//!                   │      └─► schema_checked(ws) ─► schema_model(ws)
//!                   │          crediting_checked(ws) ─► crediting_model(ws) ─► credit_currency(ws)
//!                   │          territories_checked(ws) ─► territories(ws)
//!                   │          workspace_checks(ws)
//!                   └─► file_plans(ws, file) ─► check_plan_item(plan) ─► check_file(ws, file)
//!                                                 │                       └─► workspace_model(ws)
//!                                                 └─ PlanSources (tracked field: the plan's map)
//! ```
//!
//! Queries are per item (see `items`): an edit inside one plan re-checks that plan, and the
//! workspace-wide queries only when an item of their kind changed. `check_plan_item` returns a
//! span-free plan: an edit that only moves text re-runs the parse and the checks (their diagnostics
//! must point at the new places), but their results compare equal, so salsa keeps `workspace_model`
//! and everything after it. The places go to the [`source_map`]: a plan's map is the tracked field
//! of the entity `check_plan_item` returns, and the workspace's maps come with their models from the
//! `*_checked` queries, whose models alone are `schema_model`, `crediting_model` and `territories`.
//!
//! The checking code reads as logic: it finds a problem and reports it by name
//! (`self.report(problems::band_gap(from, previous))`), and the words of every diagnostic — code,
//! message, labels, notes, help — are built in `problems/`, one file per area named like the
//! checker's module that finds the problem (`problems/tables.rs` for `tables.rs`,
//! `table_lints.rs` and `table_apply.rs`; `problems/measures.rs` for `quotas.rs` and `measures.rs`;
//! the list is in `problems/mod.rs`).

// Amounts and rates are added, multiplied and divided only with checked operations here: an
// overflow is a located error, never a panic (integers are exempt, see `clippy.toml`).
#![deny(clippy::arithmetic_side_effects)]

mod assemble;
mod chain;
mod crediting;
mod depth;
mod draws;
mod earnings;
mod expr;
mod filled;
mod header;
mod holds;
mod items;
mod literals;
mod measures;
mod names;
mod plan;
mod problems;
mod quotas;
mod record;
mod schema;
pub mod source_map;
mod table_apply;
mod table_bands;
mod table_lints;
mod tables;
mod team;
mod test_block;
mod workspace;

use crate::diagnostics::{Diag, Diagnostic};
use crate::model;
use crate::source::{SourceFile, Workspace};
use crate::Db;

pub use crediting::{credit_currency, credit_declared, crediting_checked, crediting_model, CreditingCheck};
pub use items::{
    check_plan_item, file_credits, file_plan_headers, file_plans, file_schemas, file_territories, DefinitionType,
    PlanCheck, PlanHeader, PlanItem,
};
pub use schema::{schema_checked, schema_model, SchemaCheck};
pub use source_map::{Occurrence, PlanSourceMap, Symbol};
pub use team::{file_plan_earnings, PlanEarnings};
pub use workspace::{territories, territories_checked, workspace_checks, TerritoriesCheck};

/// The plans a file defines, checked. Plans with errors are left out (their diagnostics say why).
#[salsa::tracked(returns(ref))]
pub fn check_file(db: &dyn Db, ws: Workspace, file: SourceFile) -> Vec<model::Plan> {
    file_plans(db, ws, file).iter().filter_map(|&item| check_plan_item(db, item).model.clone()).collect()
}

/// The whole checked workspace: what `run`, `test` and `diff` evaluate.
#[salsa::tracked(returns(ref))]
pub fn workspace_model(db: &dyn Db, ws: Workspace) -> model::Workspace {
    workspace_checks(db, ws);
    let mut plans: Vec<model::Plan> =
        ws.files(db).iter().flat_map(|&file| check_file(db, ws, file).iter().cloned()).collect();
    plans.sort_by(|a, b| (&a.name, a.version).cmp(&(&b.name, b.version)));
    let mut crediting = crediting_model(db, ws).clone();
    if let Some(rules) = crediting.as_mut() {
        // The model carries the currency decided once for every plan: the runtime reads it.
        rules.currency = credit_currency(db, ws).clone();
    }
    model::Workspace {
        schema: schema_model(db, ws).clone(),
        crediting,
        territories: territories(db, ws).clone(),
        plans,
    }
}

/// The source maps of every plan of the workspace (checked or not), in file order, then in order
/// within each file.
pub fn plan_sources(db: &dyn Db, ws: Workspace) -> Vec<&PlanSourceMap> {
    ws.files(db)
        .iter()
        .flat_map(|&file| file_plans(db, ws, file).iter().map(move |&item| check_plan_item(db, item).sources.map(db)))
        .collect()
}

/// The source map of the first plan (in file order) of a name and version: where a checked plan of
/// the workspace model is written.
pub fn plan_source<'db>(db: &'db dyn Db, ws: Workspace, name: &str, version: u32) -> Option<&'db PlanSourceMap> {
    plan_sources(db, ws).into_iter().find(|map| map.name.as_deref() == Some(name) && map.version == Some(version))
}

/// Every diagnostic of the workspace, sorted by file, position and code, without duplicates, at
/// most 500 errors and 500 others per file ([`crate::diagnostics::limit`]).
///
/// This is the only place that reads the accumulator, so that the choice of accumulating (rather than
/// returning diagnostics from queries) can be revisited in one place.
pub fn diagnostics(db: &dyn Db, ws: Workspace) -> Vec<Diagnostic> {
    workspace_model(db, ws);
    let mut all: Vec<Diagnostic> =
        workspace_model::accumulated::<Diag>(db, ws).into_iter().map(|d| d.0.clone()).collect();
    all.sort_by_cached_key(|d| {
        let label = d.primary_label();
        let path = label.and_then(|l| l.file()).map(|f| f.path(db).clone()).unwrap_or_default();
        let span = label.and_then(|l| l.span()).map(|s| (s.start, s.end)).unwrap_or_default();
        (path, span, d.code.id, d.message.clone())
    });
    all.dedup();
    crate::diagnostics::limit::at_most_per_file(all)
}

/// True when any diagnostic is an error (warnings and notes do not count).
pub fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(|d| d.severity() == crate::diagnostics::Severity::Error)
}
