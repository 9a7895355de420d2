//! Per-item queries: a file's top-level items split by kind, so that an edit re-checks only what it
//! touched.
//!
//! The workspace-wide queries (schema, crediting rules, territories, version rules) read the items of
//! their kind through [`file_schemas`], [`file_credits`], [`file_territories`] and
//! [`file_plan_headers`]. These re-run on every edit of their file, but they are cheap projections
//! of the syntax tree: when the edit was inside a plan body, their results compare equal and salsa
//! does not re-run the workspace queries above them. Each plan is a [`PlanItem`], checked on its own
//! by [`check_plan_item`], so an edit to one plan of a file leaves the file's other plans alone.

use super::{credit_currency, credit_declared, crediting_model, plan, schema_model};
use crate::ast::{self, Entry, Ident, Item, Span};
use crate::diagnostics::{Diag, Severity};
use crate::model;
use crate::source::{SourceFile, Workspace};
use crate::syntax::parse_file;
use crate::types::Ty;
use crate::Db;
use chrono::NaiveDate;

pub use entity::PlanItem;

/// The plan entity, in a module of its own: salsa generates its constructor and accessors without
/// documentation (the fields' own comments describe them).
mod entity {
    #![allow(missing_docs)]
    use crate::ast;
    use crate::source::{SourceFile, Workspace};

    /// One plan of a file, as a salsa entity: its identity is its workspace, file and name, and its
    /// syntax tree is a tracked field, compared on each re-parse, so an unchanged plan keeps its checks.
    #[salsa::tracked(debug)]
    pub struct PlanItem<'db> {
        /// The workspace whose schema and crediting rules the plan is checked against.
        #[returns(copy)]
        pub ws: Workspace,
        /// The file that holds the plan, where its diagnostics are reported.
        #[returns(copy)]
        pub file: SourceFile,
        /// The plan's name (empty for a plan without one), which identifies it across edits.
        #[returns(ref)]
        pub name: String,
        /// The plan's syntax tree.
        #[tracked]
        #[returns(ref)]
        pub ast: ast::Plan,
    }
}

/// The plans of a file, in source order.
#[salsa::tracked(returns(ref))]
pub fn file_plans(db: &dyn Db, ws: Workspace, file: SourceFile) -> Vec<PlanItem<'_>> {
    parse_file(db, file)
        .items
        .iter()
        .filter_map(|item| match &item.kind {
            Item::Plan(plan) => {
                let name = plan.name.as_ref().map(|n| n.text.clone()).unwrap_or_default();
                Some(PlanItem::new(db, ws, file, name, plan.clone()))
            }
            _ => None,
        })
        .collect()
}

/// The type of one named definition of a checked plan, for hovers.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DefinitionType {
    /// The definition's name.
    pub name: String,
    /// Its type with units (`Ty::Error` when it had errors).
    pub ty: Ty,
}

/// What checking one plan produced: the span-free model, and the types of its definitions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanCheck {
    /// The checked plan, or `None` when it has errors (its diagnostics say why).
    pub model: Option<model::Plan>,
    /// The type of every named definition, in the order written.
    pub types: Vec<DefinitionType>,
}

/// Checks one plan against the workspace's schema and crediting rules; its diagnostics are
/// accumulated in its file.
#[salsa::tracked(returns(ref))]
pub fn check_plan_item<'db>(db: &'db dyn Db, item: PlanItem<'db>) -> PlanCheck {
    let ws = item.ws(db);
    let schema = schema_model(db, ws);
    let crediting = crediting_model(db, ws);
    let currency = credit_currency(db, ws).clone();
    let checked = plan::check_plan(item.ast(db), schema, crediting.as_ref(), currency, credit_declared(db, ws));
    let has_errors = checked.diagnostics.iter().any(|d| d.severity() == Severity::Error);
    let file = item.file(db);
    for d in checked.diagnostics {
        salsa::Accumulator::accumulate(Diag(d.in_file(file)), db);
    }
    PlanCheck { model: checked.model.filter(|_| !has_errors), types: checked.types }
}

/// The `schema` items of a file.
#[salsa::tracked(returns(ref))]
pub fn file_schemas(db: &dyn Db, file: SourceFile) -> Vec<ast::Schema> {
    items_of(db, file, |item| match item {
        Item::Schema(s) => Some(s.clone()),
        _ => None,
    })
}

/// The `credit` blocks of a file (a workspace has one; a second is reported).
#[salsa::tracked(returns(ref))]
pub fn file_credits(db: &dyn Db, file: SourceFile) -> Vec<ast::Credit> {
    items_of(db, file, |item| match item {
        Item::Credit(c) => Some(c.clone()),
        _ => None,
    })
}

/// The `territory` items of a file.
#[salsa::tracked(returns(ref))]
pub fn file_territories(db: &dyn Db, file: SourceFile) -> Vec<ast::Territory> {
    items_of(db, file, |item| match item {
        Item::Territory(t) => Some(t.clone()),
        _ => None,
    })
}

/// What the rules across plans read of a plan: its name, version and effective dates.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PlanHeader {
    /// The plan's name.
    pub name: Option<Ident>,
    /// Its version and where it is written.
    pub version: Option<(u32, Span)>,
    /// The first `effective` line with two real dates, and its span.
    pub effective: Option<(NaiveDate, NaiveDate, Span)>,
    /// The first `currency` line: the code and where it is written.
    pub currency: Option<Ident>,
}

/// The headers of a file's plans: an edit inside a plan body leaves them equal.
#[salsa::tracked(returns(ref))]
pub fn file_plan_headers(db: &dyn Db, file: SourceFile) -> Vec<PlanHeader> {
    items_of(db, file, |item| match item {
        Item::Plan(plan) => Some(PlanHeader {
            name: plan.name.clone(),
            version: plan.version,
            effective: plan.entries.iter().find_map(|e| match &e.kind {
                Entry::Effective { from, to } => Some((from.date?, to.date?, e.span)),
                _ => None,
            }),
            currency: plan.entries.iter().find_map(|e| match &e.kind {
                Entry::Currency(code) => Some(code.clone()),
                _ => None,
            }),
        }),
        _ => None,
    })
}

fn items_of<T>(db: &dyn Db, file: SourceFile, pick: impl Fn(&Item) -> Option<T>) -> Vec<T> {
    parse_file(db, file).items.iter().filter_map(|item| pick(&item.kind)).collect()
}
