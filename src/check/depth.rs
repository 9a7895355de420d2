//! How deep evaluating a definition or an earning goes: the nesting of its own text (each
//! parenthesis, call, sign, `not` and `of`, as in `syntax::nesting`) and, where it names a
//! definition, one level more plus that definition's own depth.
//!
//! The runtime evaluates a name by evaluating its definition, recursively: a measure filtered on a
//! measure filtered on a measure… goes one level deeper each time. The parser bounds the nesting of
//! one text; this bounds it through the definitions, with the same limit and the same error
//! (E0008), so that no plan the checker accepts runs out of stack when it is run.

use super::expr::Checker;
use super::problems;
use crate::ast::{self, Entry, ExprKind, Ident};
use crate::syntax::MAX_NESTING;

impl Checker<'_> {
    /// The depth of a definition's or earning's expressions; beyond the limit, an error at `name`.
    /// `None` when it is too deep (reported here, or for a definition it uses), so that what uses
    /// it is neither reported again nor counted from zero.
    pub(crate) fn depth_within_limit(&mut self, exprs: &[&ast::Expr], name: &Ident) -> Option<usize> {
        let plan = self.plan.as_ref()?;
        let depth_of = |n: &str| match plan.by_name(n) {
            Some(id) => Known::from(&plan.depths[id]),
            None => Known::NotADefinition,
        };
        let depth = exprs.iter().map(|e| deepest(e, 0, &depth_of)).try_fold(0, |max, d| Some(max.max(d?)))?;
        if depth <= MAX_NESTING {
            return Some(depth);
        }
        self.report(problems::nests_too_deep(name, depth));
        None
    }
}

/// What the depth of a name is known to be.
enum Known {
    /// Not a definition of the plan (a column, a row name).
    NotADefinition,
    /// A definition not checked yet (on a cycle, which is reported as one).
    Unchecked,
    /// A checked definition's depth.
    Depth(usize),
    /// A definition too deep, already reported.
    TooDeep,
}

impl From<&super::plan::Depth> for Known {
    fn from(depth: &super::plan::Depth) -> Known {
        match depth {
            super::plan::Depth::Unchecked => Known::Unchecked,
            super::plan::Depth::Known(d) => Known::Depth(*d),
            super::plan::Depth::TooDeep => Known::TooDeep,
        }
    }
}

/// The expressions of a definition's text.
pub(crate) fn definition_exprs(entry: &Entry) -> Vec<&ast::Expr> {
    let mut exprs: Vec<&ast::Expr> = Vec::new();
    match entry {
        Entry::Quota(q) => {
            exprs.push(&q.value);
            if let Some(ast::QuotaSplit::Weights { weights, .. }) = &q.split {
                exprs.extend(weights.iter().map(|w| &w.kind));
            }
        }
        Entry::Measure(m) => {
            if let ast::Aggregate::Sum(e) = &m.aggregate {
                exprs.push(e);
            }
            exprs.extend(&m.filter);
        }
        Entry::Attainment(a) => exprs.push(&a.value),
        Entry::Table(t) => exprs.push(&t.key),
        _ => {}
    }
    exprs
}

/// The expressions of an earning: its amount, its condition or filter, its caps, floors and gates.
pub(crate) fn earning_exprs(earn: &ast::Earn) -> Vec<&ast::Expr> {
    let mut exprs = vec![&earn.value];
    match &earn.form {
        ast::EarnForm::Once { when, .. } => exprs.extend(when),
        ast::EarnForm::PerDeal { filter, .. } => exprs.extend(filter),
        ast::EarnForm::Plain => {}
    }
    for m in &earn.modifiers {
        match &m.kind {
            ast::Modifier::Cap { limit, .. } | ast::Modifier::Floor { limit, .. } => exprs.push(limit),
            ast::Modifier::Gate { condition, .. } => exprs.push(condition),
            _ => {}
        }
    }
    exprs
}

/// The deepest level under `e`, which stands `above` levels deep; a name adds one level and its
/// definition's depth. `None` when it uses a definition already reported as too deep. Recursive:
/// the parser bounded the nesting.
fn deepest(e: &ast::Expr, above: usize, depth_of: &impl Fn(&str) -> Known) -> Option<usize> {
    let opens = matches!(
        e.kind,
        ExprKind::Paren(_) | ExprKind::Call { .. } | ExprKind::Unary { .. } | ExprKind::Of { .. } | ExprKind::In { .. }
    );
    let here = above + usize::from(opens);
    let down = |e: &ast::Expr| deepest(e, here, depth_of);
    let max = |a: Option<usize>, b: Option<usize>| Some(a?.max(b?));
    match &e.kind {
        ExprKind::Literal(_) | ExprKind::Path(ast::Path { field: Some(_), .. }) => Some(here),
        ExprKind::Path(p) => match depth_of(&p.head.text) {
            Known::NotADefinition | Known::Unchecked => Some(here),
            Known::Depth(d) => Some(here + 1 + d),
            Known::TooDeep => None,
        },
        // An earning of the reps below is another plan's: it adds no level here.
        ExprKind::Team { .. } => Some(here),
        ExprKind::Scoped { expr, .. } | ExprKind::Unary { operand: expr, .. } | ExprKind::Paren(expr) => down(expr),
        ExprKind::IsEmpty { value, .. } | ExprKind::MonthsSince(value) => down(value),
        ExprKind::Call { args, .. } => args.iter().map(|a| down(&a.kind)).fold(Some(here), max),
        ExprKind::In { value, set, .. } => set.iter().map(|a| down(&a.kind)).fold(down(value), max),
        ExprKind::Chain { head, links } => links.iter().map(|l| down(&l.operand)).fold(down(head), max),
        ExprKind::Compare { lhs, rhs, .. } | ExprKind::Of { rate: lhs, base: rhs, .. } => max(down(lhs), down(rhs)),
        ExprKind::Range { value, from, to } => max(max(down(value), down(from)), down(to)),
        ExprKind::Choice { first, arms } => {
            arms.iter().map(|a| max(down(&a.condition), down(&a.value.kind))).fold(down(first), max)
        }
    }
}
