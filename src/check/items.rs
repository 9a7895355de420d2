//! Per-item queries: a file's top-level items split by kind, so that an edit re-checks only what it
//! touched.
//!
//! The workspace-wide queries (schema, crediting rules, territories, version rules) read the items of
//! their kind through [`file_schemas`], [`file_credits`], [`file_territories`] and
//! [`file_plan_headers`]. These re-run on every edit of their file, but they are cheap projections
//! of the syntax tree: when the edit was inside a plan body, their results compare equal and salsa
//! does not re-run the workspace queries above them. Each plan is a [`PlanItem`], checked on its own
//! by [`check_plan_item`], so an edit to one plan of a file leaves the file's other plans alone.

use super::source_map::{PlanSourceMap, PlanSources};
use super::{assemble, credit_currency, credit_declared, crediting_model, schema_model};
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
        /// The plan's position among the plans of its file, which names its definitions' symbols.
        #[returns(copy)]
        pub ordinal: usize,
        /// The plan's syntax tree, with its span and the comments above it.
        #[tracked]
        #[returns(ref)]
        pub ast: ast::Node<ast::Plan>,
    }
}

/// The plans of a file, in source order.
#[salsa::tracked(returns(ref))]
pub fn file_plans(db: &dyn Db, ws: Workspace, file: SourceFile) -> Vec<PlanItem<'_>> {
    let plans = items_of(db, file, |item| match &item.kind {
        Item::Plan(plan) => Some(ast::Node { kind: plan.clone(), span: item.span, trivia: item.trivia.clone() }),
        _ => None,
    });
    plans
        .into_iter()
        .enumerate()
        .map(|(ordinal, plan)| {
            let name = plan.kind.name.as_ref().map(|n| n.text.clone()).unwrap_or_default();
            PlanItem::new(db, ws, file, name, ordinal, plan)
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

/// What checking one plan produced: the span-free model, the types of its definitions, and the
/// entity whose tracked field is the plan's source map.
///
/// An edit that only moves the plan's text gives an equal result: the model and types hold no
/// spans, and the entity keeps its id while its field changes. So salsa reuses everything that
/// reads the model, and re-runs only what reads the map.
#[derive(Clone, Debug, PartialEq, Eq, salsa::SalsaValue)]
pub struct PlanCheck<'db> {
    /// The checked plan, or `None` when it has errors (its diagnostics say why).
    pub model: Option<model::Plan>,
    /// The type of every named definition, in the order written.
    pub types: Vec<DefinitionType>,
    /// Where the plan's parts are written, and the names the checker resolved in it.
    pub sources: PlanSources<'db>,
}

/// Checks one plan against the workspace's schema and crediting rules; its diagnostics are
/// accumulated in its file.
#[salsa::tracked(returns(ref))]
pub fn check_plan_item<'db>(db: &'db dyn Db, item: PlanItem<'db>) -> PlanCheck<'db> {
    let ws = item.ws(db);
    let schema = schema_model(db, ws);
    let crediting = crediting_model(db, ws);
    let currency = credit_currency(db, ws).clone();
    let file = item.file(db);
    let node = item.ast(db);
    let place = PlanSourceMap { span: node.span, doc: node.trivia.doc(), ..PlanSourceMap::new(file, item.ordinal(db)) };
    let declared = credit_declared(db, ws);
    // Only a plan that reads the team's earnings depends on the other plans' earnings.
    let team = super::team::reads_the_team(&node.kind).then(|| super::team::workspace_earnings(db, ws));
    let checked = assemble::check_plan(&node.kind, place, schema, crediting.as_ref(), currency, declared, team);
    let has_errors = checked.diagnostics.iter().any(|d| d.severity() == Severity::Error);
    for d in checked.diagnostics {
        salsa::Accumulator::accumulate(Diag(d.in_file(file)), db);
    }
    PlanCheck {
        model: checked.model.filter(|_| !has_errors),
        types: checked.types,
        sources: PlanSources::new(db, checked.sources),
    }
}

/// The `schema` items of a file, each with its span and comments.
#[salsa::tracked(returns(ref))]
pub fn file_schemas(db: &dyn Db, file: SourceFile) -> Vec<ast::Node<ast::Schema>> {
    items_of(db, file, |item| match &item.kind {
        Item::Schema(s) => Some(node(item, s)),
        _ => None,
    })
}

/// The `credit` blocks of a file (a workspace has one; a second is reported).
#[salsa::tracked(returns(ref))]
pub fn file_credits(db: &dyn Db, file: SourceFile) -> Vec<ast::Node<ast::Credit>> {
    items_of(db, file, |item| match &item.kind {
        Item::Credit(c) => Some(node(item, c)),
        _ => None,
    })
}

/// The `territory` items of a file.
#[salsa::tracked(returns(ref))]
pub fn file_territories(db: &dyn Db, file: SourceFile) -> Vec<ast::Node<ast::Territory>> {
    items_of(db, file, |item| match &item.kind {
        Item::Territory(t) => Some(node(item, t)),
        _ => None,
    })
}

/// An item of one kind with its item's span and comments.
fn node<T: Clone>(item: &ast::Node<Item>, kind: &T) -> ast::Node<T> {
    ast::Node { kind: kind.clone(), span: item.span, trivia: item.trivia.clone() }
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
    /// The first `pay` line's frequency as written (`biweekly from 2026-01-02`), and its span:
    /// versions on calendars shorter than a month must share it.
    pub pay: Option<(String, Span)>,
}

/// The headers of a file's plans: an edit inside a plan body leaves them equal.
#[salsa::tracked(returns(ref))]
pub fn file_plan_headers(db: &dyn Db, file: SourceFile) -> Vec<PlanHeader> {
    items_of(db, file, |item| match &item.kind {
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
            pay: plan.entries.iter().find_map(|e| match &e.kind {
                Entry::Pay { word, from } => {
                    let from = from.as_ref().and_then(|d| d.date).map(|d| format!(" from {d}")).unwrap_or_default();
                    Some((format!("{}{from}", word.text), e.span))
                }
                _ => None,
            }),
        }),
        _ => None,
    })
}

fn items_of<T>(db: &dyn Db, file: SourceFile, pick: impl Fn(&ast::Node<Item>) -> Option<T>) -> Vec<T> {
    parse_file(db, file).items.iter().filter_map(pick).collect()
}
