//! Checking what a plan measures: measures (the rows they count, their `by` and `on`) and
//! attainments (quotas are in `quotas`).

use super::expr::{Checker, Rows};
use super::problems;
use crate::ast::{self, ExprKind, Span};
use crate::model::{self, AttainmentId, ColumnId, ColumnType, MeasureId, TableId};
use crate::types::{Currency, Ty};

/// The clauses of a measure that name a column of the table it reads: `by` the rep's, `on` the
/// date's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum MeasureClause {
    /// `by ROW.COLUMN`: whose the row is.
    By,
    /// `on ROW.COLUMN`: when the row counts.
    On,
    /// `to ROW.COLUMN` of `active from … to …`: the last day the row counts.
    Until,
}

impl MeasureClause {
    /// The clause's keyword.
    pub(crate) fn keyword(self) -> &'static str {
        match self {
            MeasureClause::By => "by",
            MeasureClause::On => "on",
            MeasureClause::Until => "to",
        }
    }
}

/// Strips parentheses, which do not change meaning.
pub(super) fn unparen(e: &ast::Expr) -> &ast::Expr {
    match &e.kind {
        ExprKind::Paren(inner) => unparen(inner),
        _ => e,
    }
}

impl Checker<'_> {
    /// Checks a measure, the `index`-th of its plan, and puts it in the model when it is complete.
    pub(crate) fn check_measure(&mut self, measure: &ast::Measure, id: MeasureId) -> Ty {
        let (source, rows) = self.measure_source(measure);
        let (aggregate, ty) = match &measure.aggregate {
            ast::Aggregate::Count(_) => (model::Aggregate::Count, Ty::Number),
            ast::Aggregate::Sum(e) => self.summed(e, rows),
        };
        let filter = measure.filter.as_ref().map(|f| self.condition(f, rows));
        let each = measure.each.as_ref().and_then(|each| self.each_group(each, &ty, rows));
        if let (Some(source), Some(plan)) = (source, self.plan.as_mut()) {
            let (name, money) = (measure.name.text.clone(), !matches!(ty, Ty::Number));
            plan.measures[id] = Some(model::Measure { name, aggregate, source, filter, each, money });
        }
        ty
    }

    /// `each PATH floored at X capped at Y`: the column is a text, reference, key or date column of
    /// the rows measured, and the limits are amounts of the measure's own kind, the same for
    /// every row (read on the rep).
    fn each_group(&mut self, each: &ast::Each, ty: &Ty, rows: Rows) -> Option<model::Each> {
        let (group, group_ty) = self.path(&each.group, None, rows);
        let column = matches!(group, model::Expr::Row(_) | model::Expr::Rep(_));
        if !column || !matches!(group_ty, Ty::Text | Ty::Date | Ty::Error | Ty::Number) {
            self.report(problems::group_not_a_column(each.group_span));
            return None;
        }
        let limit = |this: &mut Self, e: &Option<ast::Expr>| -> Option<Option<model::Expr>> {
            let Some(e) = e else { return Some(None) };
            let (lowered, lt) = this.expr(e, Rows::Rep);
            if lt != *ty && !lt.is_error() && !ty.is_error() {
                this.report(problems::group_limit_of_another_kind(ty, &lt, e.span));
                return None;
            }
            Some(Some(lowered))
        };
        let floor = limit(self, &each.floor)?;
        let cap = limit(self, &each.cap)?;
        Some(model::Each { group, floor, cap })
    }

    /// `sum of e`: amounts in one currency, or numbers.
    fn summed(&mut self, e: &ast::Expr, rows: Rows) -> (model::Aggregate, Ty) {
        let (expr, ty) = self.expr(e, rows);
        let ty = match &ty {
            Ty::Money(Currency::PerRow(column)) => {
                self.report(problems::sum_of_unconverted_amounts(column, e.span));
                Ty::Error
            }
            Ty::Money(_) | Ty::Number | Ty::Error => ty.clone(),
            other => {
                self.report(problems::sum_of_a_non_amount(other, e.span));
                Ty::Error
            }
        };
        (model::Aggregate::Sum(expr), ty)
    }

    /// Which rows a measure reads: credit, unless it counts or reads another table.
    fn measure_source(&mut self, measure: &ast::Measure) -> (Option<model::MeasureSource>, Rows) {
        let Ok(named) = self.measured_table(measure) else { return (None, Rows::Credit) };
        let Some((table, span)) = named else { return self.credit_source(measure) };
        // `count of deals` is the rep's credit rows; with `by` or `on` it reads the deals table itself.
        if Some(table) == self.deals_table() && measure.by.is_none() && measure.on.is_none() {
            return (Some(model::MeasureSource::Credit), Rows::Credit);
        }
        let rep = self.measure_column(table, span, measure.by.as_ref(), MeasureClause::By);
        let date = self.measure_column(table, span, measure.on.as_ref(), MeasureClause::On);
        let until = match &measure.until {
            Some(path) => self.measure_column(table, span, Some(path), MeasureClause::Until).map(Some),
            None => Some(None),
        };
        match (rep, date, until) {
            (Some(rep), Some(date), Some(until)) => {
                (Some(model::MeasureSource::Table { table, rep, date, until }), Rows::Table(table))
            }
            _ => (None, Rows::Table(table)),
        }
    }

    /// The table whose rows a measure reads and where it is named, when it is not credit
    /// (`Ok(None)`); an error (reported) when the table counted is unknown, or a `by` or `on`
    /// cannot apply to credit rows.
    fn measured_table(&mut self, measure: &ast::Measure) -> Result<Option<(TableId, Span)>, ()> {
        let named = match &measure.aggregate {
            ast::Aggregate::Count(table) if table.text == "credit" => None,
            ast::Aggregate::Count(table) => match self.schema.table(&table.text) {
                Some(t) => {
                    self.record_table(table, t);
                    Some((t, table.span))
                }
                None => {
                    let schema = self.schema;
                    let tables = schema.tables.iter().map(|t| t.name.as_str()).chain(["credit"]);
                    self.report(problems::unknown_counted_table(table, tables));
                    return Err(());
                }
            },
            ast::Aggregate::Sum(e) => {
                self.other_table(e).or_else(|| measure.filter.as_ref().and_then(|f| self.other_table(f)))
            }
        };
        match named {
            // `by`/`on` on a measure of credit: they name the deals table's own columns, and the
            // measure then reads deals row by row; credit rows are given to reps and dated by the
            // crediting rules, so anything else is refused rather than ignored.
            None => self.clause_on_credit(measure),
            named => Ok(named),
        }
    }

    /// A measure of credit rows, which needs crediting rules (a broken credit block is reported
    /// already).
    fn credit_source(&mut self, measure: &ast::Measure) -> (Option<model::MeasureSource>, Rows) {
        if self.crediting.is_none() && !self.credit_declared {
            self.report(problems::measure_of_credit_without_crediting_rules(measure.name.span));
        }
        (self.crediting.is_some().then_some(model::MeasureSource::Credit), Rows::Credit)
    }

    /// The column of a measured table (named at `span`) that a `by` or `on` clause names, or without
    /// the clause the table's one column of that kind: the rep's (a `ref` to the reps table) or the
    /// date's.
    fn measure_column(
        &mut self,
        table: TableId,
        span: Span,
        given: Option<&ast::Path>,
        clause: MeasureClause,
    ) -> Option<ColumnId> {
        let reps = self.reps_table();
        let fits = |ty: &ColumnType| match clause {
            MeasureClause::By => reps.is_some_and(|r| *ty == ColumnType::Ref(r)),
            MeasureClause::On | MeasureClause::Until => *ty == ColumnType::Date,
        };
        if let Some(path) = given {
            return self.named_measure_column(table, path, clause, fits);
        }
        let schema = self.schema;
        let t = &schema.tables[table];
        let found: Vec<usize> = t.columns.iter().enumerate().filter(|(_, c)| fits(&c.ty)).map(|(i, _)| i).collect();
        match found.as_slice() {
            [one] => Some(ColumnId { table, column: *one }),
            _ => {
                self.report(problems::measure_column_unclear(t, clause, found.len(), span));
                None
            }
        }
    }

    /// The column a measure's `by` or `on` names: a column of the measured table's row, of the
    /// type the clause needs.
    fn named_measure_column(
        &mut self,
        table: TableId,
        path: &ast::Path,
        clause: MeasureClause,
        fits: impl Fn(&ColumnType) -> bool,
    ) -> Option<ColumnId> {
        let schema = self.schema;
        let t = &schema.tables[table];
        let of_table = path.head.text == t.row_name;
        if of_table {
            self.record_table(&path.head, table);
            if let Some(field) = &path.field {
                self.record_column_named(field, table);
            }
        }
        match path.field.as_ref().and_then(|f| t.column(&f.text)) {
            Some(c) if of_table && fits(&t.columns[c].ty) => Some(ColumnId { table, column: c }),
            _ => {
                self.report(problems::not_a_measure_column(path, t, clause));
                None
            }
        }
    }

    /// The rows of a measure that reads credit but names `by` or `on`: the deals table, when the
    /// clauses name its columns (`sum of deal.points by deal.owner on deal.cancelled`); `Ok(None)`
    /// without either clause; an error (reported) when they cannot apply to credit rows.
    fn clause_on_credit(&mut self, measure: &ast::Measure) -> Result<Option<(TableId, Span)>, ()> {
        let (clause, path) = match (&measure.by, &measure.on) {
            (Some(by), _) => (MeasureClause::By, by),
            (None, Some(on)) => (MeasureClause::On, on),
            (None, None) => return Ok(None),
        };
        let schema = self.schema;
        let deals = self.deals_table();
        let deal_row = deals.map_or("deal", |t| schema.tables[t].row_name.as_str());
        let counts_credit = matches!(&measure.aggregate, ast::Aggregate::Count(t) if t.text == "credit");
        if let (Some(deals), false) = (deals, counts_credit) {
            if path.head.text == deal_row {
                return Ok(Some((deals, path.span())));
            }
        }
        let table = deals.map_or("deals", |t| schema.tables[t].name.as_str());
        self.report(problems::clause_on_credit_rows(clause, table, deal_row, path.span()));
        Err(())
    }

    /// The first table other than deals and reps whose rows an expression reads.
    fn other_table(&self, e: &ast::Expr) -> Option<(TableId, Span)> {
        let mut found = None;
        walk(e, &mut |e| {
            if let ExprKind::Path(ast::Path { head, field: Some(_) }) = &e.kind {
                if found.is_none() && head.text != "credit" {
                    if let Some(t) = self.schema.tables.position(|t| t.row_name == head.text) {
                        if Some(t) != self.deals_table() && Some(t) != self.reps_table() {
                            found = Some((t, head.span));
                        }
                    }
                }
            }
        });
        found
    }

    /// Checks an attainment, the `index`-th of its plan: a measure in a scope divided by a quota in
    /// a scope, both of money in one currency or both numbers.
    pub(crate) fn check_attainment(&mut self, attainment: &ast::Attainment, id: AttainmentId) -> Ty {
        let Some((measure, quota)) = ratio(&attainment.value) else {
            // `bookings ytd / annual`: a ratio of two names, one without its scope, which checking
            // the expression reports (E0208) with the scopes to write; saying it again is noise.
            if !names_divided(&attainment.value) {
                self.report(problems::attainment_not_a_ratio(&attainment.name, attainment.value.span));
            }
            // Still check the expression, for its own errors.
            self.expr(&attainment.value, Rows::Rep);
            return Ty::Error;
        };
        let (m, mt) = self.expr(&measure.expr(), Rows::Rep);
        let (q, qt) = self.expr(&quota.expr(), Rows::Rep);
        let (model::Expr::Measure { id: measure_id, .. }, model::Expr::Quota { id: quota_id, .. }) = (&m, &q) else {
            if !mt.is_error() && !qt.is_error() {
                self.report(problems::attainment_not_measure_over_quota(attainment.value.span));
            }
            return Ty::Error;
        };
        if !self.attainment_units_agree(&mt, &qt, attainment.value.span) {
            return Ty::Error;
        }
        if let Some(plan) = self.plan.as_mut() {
            plan.attainments[id] = Some(model::Attainment {
                name: attainment.name.text.clone(),
                measure: *measure_id,
                measure_scope: measure.scope,
                quota: *quota_id,
                quota_scope: quota.scope,
            });
        }
        Ty::Percent
    }

    /// Whether a measure and a quota of these types make an attainment: money in one currency, or
    /// numbers (reported if not).
    fn attainment_units_agree(&mut self, measure: &Ty, quota: &Ty, span: Span) -> bool {
        match (measure, quota) {
            (Ty::Money(a), Ty::Money(b)) if a != b => {
                self.report(problems::attainment_currencies_differ(measure, quota, span));
                false
            }
            (Ty::Money(_), Ty::Money(_)) | (Ty::Number, Ty::Number) => true,
            (Ty::Error, _) | (_, Ty::Error) => false,
            _ => {
                self.report(problems::attainment_units_differ(measure, quota, span));
                false
            }
        }
    }
}

/// A name read in a scope, as one side of an attainment is written (`bookings ytd`).
struct ScopedName {
    name: ast::Ident,
    scope: ast::Scope,
    /// The whole side, name and scope.
    span: Span,
}

impl ScopedName {
    /// The side as an expression, to check and lower.
    fn expr(&self) -> ast::Expr {
        let path = ast::Expr {
            kind: ExprKind::Path(ast::Path { head: self.name.clone(), field: None }),
            span: self.name.span,
        };
        let kind = ExprKind::Scoped { expr: Box::new(path), scope: self.scope, scope_span: self.span };
        ast::Expr { kind, span: self.span }
    }
}

/// The two sides of an attainment written `NAME SCOPE / NAME SCOPE`, if it is.
fn ratio(value: &ast::Expr) -> Option<(ScopedName, ScopedName)> {
    let ExprKind::Chain { head: lhs, links } = &unparen(value).kind else { return None };
    let [ast::Link { op: ast::BinaryOp::Div, operand: rhs, .. }] = links.as_slice() else { return None };
    let scoped = |e: &ast::Expr| match &unparen(e).kind {
        ExprKind::Scoped { expr, scope, .. } => match &expr.kind {
            ExprKind::Path(p) if p.field.is_none() => {
                Some(ScopedName { name: p.head.clone(), scope: *scope, span: e.span })
            }
            _ => None,
        },
        _ => None,
    };
    Some((scoped(lhs)?, scoped(rhs)?))
}

/// Whether an expression is one name divided by another, each with or without a scope.
fn names_divided(value: &ast::Expr) -> bool {
    let ExprKind::Chain { head, links } = &unparen(value).kind else { return false };
    let [ast::Link { op: ast::BinaryOp::Div, operand, .. }] = links.as_slice() else { return false };
    let name = |e: &ast::Expr| {
        let e = match &unparen(e).kind {
            ExprKind::Scoped { expr, .. } => expr.as_ref(),
            _ => e,
        };
        matches!(&e.kind, ExprKind::Path(p) if p.field.is_none())
    };
    name(head) && name(operand)
}

/// Calls `visit` on an expression and all its sub-expressions.
pub(crate) fn walk<'e>(e: &'e ast::Expr, visit: &mut impl FnMut(&'e ast::Expr)) {
    visit(e);
    match &e.kind {
        ExprKind::Scoped { expr, .. }
        | ExprKind::Team { expr, .. }
        | ExprKind::Unary { operand: expr, .. }
        | ExprKind::Paren(expr)
        | ExprKind::IsEmpty { value: expr, .. }
        | ExprKind::MonthsSince(expr) => walk(expr, visit),
        ExprKind::Chain { head, links } => {
            walk(head, visit);
            links.iter().for_each(|link| walk(&link.operand, visit));
        }
        ExprKind::Compare { lhs, rhs, .. } => {
            walk(lhs, visit);
            walk(rhs, visit);
        }
        ExprKind::Range { value, from, to } => {
            walk(value, visit);
            walk(from, visit);
            walk(to, visit);
        }
        ExprKind::Of { rate, base, .. } => {
            walk(rate, visit);
            walk(base, visit);
        }
        ExprKind::Call { args, .. } => args.iter().for_each(|a| walk(&a.kind, visit)),
        ExprKind::In { value, set, .. } => {
            walk(value, visit);
            set.iter().for_each(|a| walk(&a.kind, visit));
        }
        ExprKind::Choice { first, arms } => {
            walk(first, visit);
            for arm in arms {
                walk(&arm.condition, visit);
                walk(&arm.value.kind, visit);
            }
        }
        ExprKind::Literal(_) | ExprKind::Path(_) => {}
    }
}
