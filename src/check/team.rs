//! Overrides on the team's earnings (`4% of commission period of every rep below`): which plans of
//! the workspace have which earnings, and the checking of an earning of the reps below.

use super::expr::{Checker, Rows};
use super::problems;
use super::source_map::{DefKind, Symbol};
use crate::ast::{self, Entry, ExprKind, Item, Reach, Span};
use crate::db::Db;
use crate::model;
use crate::source::{SourceFile, Workspace};
use crate::types::Ty;

/// A plan of the workspace (one version) as an override reads it: its name, its currency and the
/// names of its earnings.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PlanEarnings {
    /// The plan's name.
    pub plan: String,
    /// Its currency, as written.
    pub currency: Option<String>,
    /// Its earnings' names, in the order written.
    pub earnings: Vec<String>,
    /// The file it is written in, and its position among the plans of the file: what names its
    /// earnings' symbols, for go to definition on an override.
    pub file: SourceFile,
    /// Its position among the plans of its file.
    pub ordinal: usize,
}

/// The earnings of a file's plans: an edit that changes no plan's name, currency or earning names
/// leaves them equal, so the plans with overrides are not checked again.
#[salsa::tracked(returns(ref))]
pub fn file_plan_earnings(db: &dyn Db, file: SourceFile) -> Vec<PlanEarnings> {
    crate::syntax::parse_file(db, file)
        .items
        .iter()
        .filter_map(|item| match &item.kind {
            Item::Plan(plan) => Some(plan),
            _ => None,
        })
        .enumerate()
        .map(|(ordinal, plan)| PlanEarnings {
            plan: plan.name.as_ref().map(|n| n.text.clone()).unwrap_or_default(),
            currency: plan.entries.iter().find_map(|e| match &e.kind {
                Entry::Currency(code) => Some(code.text.clone()),
                _ => None,
            }),
            earnings: plan
                .entries
                .iter()
                .filter_map(|e| match &e.kind {
                    Entry::Earn(earn) => Some(earn.name.text.clone()),
                    _ => None,
                })
                .collect(),
            file,
            ordinal,
        })
        .collect()
}

/// Every plan of the workspace with its earnings.
pub(crate) fn workspace_earnings(db: &dyn Db, ws: Workspace) -> Vec<PlanEarnings> {
    super::workspace::all(db, ws, file_plan_earnings).into_iter().map(|(_, p)| p.clone()).collect()
}

/// Whether a plan reads an earning of the reps below in one of its earnings.
pub(crate) fn reads_the_team(plan: &ast::Plan) -> bool {
    plan.entries.iter().any(|e| match &e.kind {
        Entry::Earn(earn) => super::depth::earning_exprs(earn).into_iter().any(|x| {
            let mut found = false;
            super::measures::walk(x, &mut |x| found |= matches!(x.kind, ExprKind::Team { .. }));
            found
        }),
        _ => false,
    })
}

impl Checker<'_> {
    /// An earning of the reps below, in a scope (`commission period of every rep below`,
    /// `enterprise_ae.commission ytd of direct reports`): only in an earning's amount, condition,
    /// gate or limits, like an earning of the rep's own; the earning must be one a plan of the
    /// workspace has, in the plan's currency.
    pub(crate) fn team_earning(
        &mut self,
        read: &ast::Expr,
        reach: Reach,
        reach_span: Span,
        rows: Rows,
    ) -> (model::Expr, Ty) {
        let (path, scope) = match &read.kind {
            ExprKind::Scoped { expr, scope, scope_span } => match &expr.kind {
                ExprKind::Path(path) => (path, Some((*scope, *scope_span))),
                _ => return self.refuse(problems::team_read_not_an_earning(read.span)),
            },
            ExprKind::Path(path) => (path, None),
            _ => return self.refuse(problems::team_read_not_an_earning(read.span)),
        };
        let (plan, earning) = match &path.field {
            Some(field) => (Some(&path.head), field),
            None => (None, &path.head),
        };
        if self.earning.is_none() || rows != Rows::Rep || self.per_deal {
            return self.refuse(problems::earning_used_as_a_value(earning, self.per_deal));
        }
        let Some((scope, scope_span)) = scope else {
            return self.refuse(problems::missing_scope(earning, DefKind::Earning));
        };
        if scope == ast::Scope::Year {
            return self.refuse(problems::earning_read_per_year(scope_span));
        }
        // Who reports to whom is the crediting rules' `rollup to rep.manager`.
        if self.crediting.is_some_and(|c| c.rollup.is_none()) {
            return self.refuse(problems::team_earning_without_a_hierarchy(reach_span));
        }
        if let Some(plans) = self.team_plans.as_ref() {
            let having: Vec<PlanEarnings> = plans
                .iter()
                .filter(|p| plan.is_none_or(|name| name.text == p.plan) && p.earnings.contains(&earning.text))
                .cloned()
                .collect();
            let span = Span::new(path.head.span.start, earning.span.end);
            if having.is_empty() {
                let named = plan.map(|p| p.text.as_str());
                return self.refuse(problems::team_earning_no_plan_has(span, named, &earning.text, reach_span));
            }
            // The earning's name (and the plan's, when written) lead to their declarations.
            if let Some(first) = having.first() {
                let symbol = Symbol::Definition { file: first.file, plan: first.ordinal, name: earning.text.clone() };
                self.record(earning, symbol, false);
            }
            if let Some(plan) = plan {
                self.record(plan, Symbol::Plan(plan.text.clone()), false);
            }
            let own = self.currency.clone();
            if let Some(other) = having.iter().find(|p| p.currency.is_some() && p.currency != own) {
                let (theirs, ours) = (other.currency.clone().unwrap_or_default(), own.unwrap_or_default());
                return self.refuse(problems::team_earning_in_another_currency(span, &other.plan, &theirs, &ours));
            }
        }
        let expr = model::Expr::TeamEarning {
            plan: plan.map(|p| p.text.clone()),
            earning: earning.text.clone(),
            reach,
            scope,
        };
        (expr, self.currency.as_deref().map_or(Ty::Error, Ty::money))
    }
}
