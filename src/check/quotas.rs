//! Checking a plan's quotas: the annual amount (a column of a table of quotas, or an expression over
//! the rep), how it is split into months or quarters, and how partial employment prorates it.

use super::expr::{fraction, Checker, Rows};
use super::measures::unparen;
use super::names::column_type;
use super::problems;
use crate::ast::{self, ExprKind, Ident, LiteralValue, Span};
use crate::model::{self, ColumnId, ColumnType, QuotaId, TableId};
use crate::types::{Currency, Ty};
use rust_decimal::Decimal;

/// What a column of a table of quotas holds, for each row: whose quota, for which year, how much.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum QuotaColumn {
    /// The rep (a `ref` to the reps table).
    Rep,
    /// The plan year.
    Year,
    /// The annual amount.
    Amount,
}

impl Checker<'_> {
    /// Checks a quota, the `index`-th of its plan, and puts it in the model when it is complete.
    pub(crate) fn check_quota(&mut self, quota: &ast::Quota, id: QuotaId) -> Ty {
        let (source, ty) = self.quota_source(&quota.value);
        let source = source.filter(|source| self.quota_not_negative(source, &ty, quota.value.span));
        let split = self.quota_split(quota.split.as_ref());
        let proration = self.proration(quota.prorate.as_ref().map(|p| &p.kind));
        let money = matches!(ty, Ty::Money(_));
        let rounded = quota.rounded.as_ref().map(|r| self.published(&r.kind, money));
        if let (Some(source), Some(split), Some(proration), Some(plan)) = (source, split, proration, self.plan.as_mut())
        {
            let name = quota.name.text.clone();
            plan.quotas[id] = Some(model::Quota { name, source, split, proration, money, rounded });
        }
        ty
    }

    /// `rounded MODE [to PRECISION]`: the rounding of a quota's published figures, read as a header's
    /// `rounding` line is (`half up`, `to whole units`); without a precision, the currency's minor
    /// unit for money, whole units for a count.
    fn published(&mut self, words: &ast::Words, money: bool) -> model::Rounding {
        let at = words.words.iter().position(|w| w.text == "to").unwrap_or(words.words.len());
        let part = |w: &[Ident]| ast::Words {
            span: match (w.first(), w.last()) {
                (Some(a), Some(b)) => Span::new(a.span.start, b.span.end),
                _ => words.span,
            },
            words: w.to_vec(),
        };
        let (mode, precision) = words.words.split_at(at);
        let precision = (!precision.is_empty()).then(|| part(precision));
        let mut rounding = self.rounding(&part(mode), precision.as_ref());
        if rounding.decimals == u32::MAX {
            rounding.decimals = if money { self.currency.as_deref().map_or(2, super::header::minor_unit) } else { 0 };
        }
        rounding
    }

    /// A quota's annual amount: a column of a table of quotas, or an expression over the rep.
    fn quota_source(&mut self, value: &ast::Expr) -> (Option<model::QuotaSource>, Ty) {
        if let ExprKind::Path(ast::Path { head, field: Some(field) }) = &unparen(value).kind {
            if let Some(table) = self.schema.table(&head.text) {
                return self.quota_table(table, head, field, value.span);
            }
        }
        let (expr, ty) = self.expr(value, Rows::Rep);
        match &ty {
            Ty::Error => (None, Ty::Error),
            Ty::Money(Currency::Code(_)) | Ty::Number => (Some(model::QuotaSource::Expr(expr)), ty),
            other => {
                self.report(problems::quota_not_an_amount(other, value.span));
                (None, Ty::Error)
            }
        }
    }

    /// A quota read from the column `field` of a table of quotas (`head`, written at `span`): one
    /// row for each rep and plan year, none of its columns optional.
    fn quota_table(
        &mut self,
        table: TableId,
        head: &Ident,
        field: &Ident,
        span: Span,
    ) -> (Option<model::QuotaSource>, Ty) {
        self.record_table(head, table);
        self.record_column_named(field, table);
        let schema = self.schema;
        let t = &schema.tables[table];
        let Some(amount) = t.column(&field.text) else {
            self.report(problems::unknown_quota_column(t, head, field));
            return (None, Ty::Error);
        };
        let reps = self.reps_table();
        let rep = t.columns.iter().position(|c| reps.is_some_and(|r| c.ty == ColumnType::Ref(r)));
        let year = t.columns.iter().position(|c| c.ty == ColumnType::Year);
        let ty = column_type(schema, ColumnId { table, column: amount });
        let (Some(rep), Some(year)) = (rep, year) else {
            self.report(problems::not_a_quota_table(t, head));
            return (None, Ty::Error);
        };
        if !matches!(ty, Ty::Money(Currency::Code(_)) | Ty::Number) {
            self.report(problems::quota_column_not_an_amount(head, field, &ty, span));
            return (None, Ty::Error);
        }
        // A row without its rep or its year was no one's quota, and one without its amount a
        // quota of 0: a rep with no quota has no row.
        for (column, role) in [(rep, QuotaColumn::Rep), (year, QuotaColumn::Year), (amount, QuotaColumn::Amount)] {
            if t.columns[column].optional {
                self.report(problems::optional_quota_column(t, column, role, span));
            }
        }
        let column = |column| ColumnId { table, column };
        (Some(model::QuotaSource::Data { table, amount: column(amount), rep: column(rep), year: column(year) }), ty)
    }

    /// Whether a quota is at least zero, when it is the same for every rep and so known here
    /// (reported if not): below zero, every sale would lower attainment. A quota computed from the
    /// rep's columns is checked for each rep at run time.
    fn quota_not_negative(&mut self, source: &model::QuotaSource, ty: &Ty, span: Span) -> bool {
        match constant_quota(source).filter(|a| *a < Decimal::ZERO) {
            Some(amount) => {
                self.report(problems::negative_quota(amount, ty, span));
                false
            }
            None => true,
        }
    }

    /// How the annual quota is split: evenly by month (without a clause), evenly by month or
    /// quarter, or by weights that sum to 100%.
    fn quota_split(&mut self, split: Option<&ast::QuotaSplit>) -> Option<model::QuotaSplit> {
        match split {
            None => Some(model::QuotaSplit::EvenlyByMonth),
            Some(ast::QuotaSplit::Evenly { unit }) => match self.split_unit(unit)? {
                12 => Some(model::QuotaSplit::EvenlyByMonth),
                _ => Some(model::QuotaSplit::EvenlyByQuarter),
            },
            Some(ast::QuotaSplit::Weights { unit, weights, span }) => self.split_weights(unit, weights, *span),
        }
    }

    /// The number of periods a quota is split into: 12 months or 4 quarters.
    fn split_unit(&mut self, unit: &Ident) -> Option<usize> {
        match unit.text.as_str() {
            "month" | "months" => Some(12),
            "quarter" | "quarters" => Some(4),
            _ => {
                self.report(problems::unknown_split_unit(unit));
                None
            }
        }
    }

    /// `split by UNIT WEIGHTS`: one percentage for each period, summing to exactly 100%.
    fn split_weights(
        &mut self,
        unit: &Ident,
        weights: &[ast::Continued<ast::Expr>],
        span: Span,
    ) -> Option<model::QuotaSplit> {
        let count = self.split_unit(unit);
        let values: Vec<Option<Decimal>> = weights.iter().map(|w| self.weight(&w.kind)).collect();
        let (count, values) = (count?, values.into_iter().collect::<Option<Vec<_>>>()?);
        if values.len() != count {
            self.report(problems::weights_do_not_match_periods(values.len(), count, span));
            return None;
        }
        let total = values.iter().try_fold(Decimal::ZERO, |sum, w| sum.checked_add(*w));
        if total != Some(Decimal::ONE) {
            self.report(problems::weights_do_not_sum_to_100(total, span));
            return None;
        }
        Some(if count == 12 {
            model::QuotaSplit::MonthWeights(values)
        } else {
            model::QuotaSplit::QuarterWeights(values)
        })
    }

    /// One weight of a split, as a fraction: a percentage of 0% or more.
    fn weight(&mut self, weight: &ast::Expr) -> Option<Decimal> {
        match &unparen(weight).kind {
            ExprKind::Literal(ast::Literal { value: LiteralValue::Percent(p), .. }) => fraction(*p),
            // Weights that net out (50%, 60%, −10%, 0%) sum to 100% and still give a window a
            // negative quota.
            ExprKind::Unary { op: ast::UnaryOp::Neg, .. } => {
                self.report(problems::negative_weight(weight.span));
                None
            }
            _ => {
                self.report(problems::weight_not_a_percentage(weight.span));
                None
            }
        }
    }

    /// `prorated by months|days employed`, which needs the employment dates of the crediting rules.
    fn proration(&mut self, prorate: Option<&Ident>) -> Option<model::Proration> {
        let Some(unit) = prorate else { return Some(model::Proration::None) };
        // Without employment dates every rep is employed every day, and the clause would change
        // nothing.
        if self.crediting.is_some_and(|c| c.employed.is_none()) {
            self.report(problems::proration_without_employment_dates(unit.span));
            return None;
        }
        match unit.text.as_str() {
            "months" | "month" => Some(model::Proration::Months),
            "days" | "day" => Some(model::Proration::Days),
            _ => {
                self.report(problems::unknown_proration(unit));
                None
            }
        }
    }
}

/// The value of a quota written as a constant (`-240000 USD`, `100000 USD - 340000 USD`): the same
/// for every rep. `None` when it reads anything else, or leaves exact arithmetic.
fn constant_quota(source: &model::QuotaSource) -> Option<Decimal> {
    fn value(e: &model::Expr) -> Option<Decimal> {
        use model::{BinaryOp, Const, Expr};
        match e {
            Expr::Const(Const::Money(d) | Const::Number(d) | Const::Percent(d)) => Some(*d),
            Expr::Neg(inner) => Decimal::ZERO.checked_sub(value(inner)?),
            Expr::Binary { op, lhs, rhs } => {
                let (a, b) = (value(lhs)?, value(rhs)?);
                match op {
                    BinaryOp::Add => a.checked_add(b),
                    BinaryOp::Sub => a.checked_sub(b),
                    BinaryOp::Mul => a.checked_mul(b),
                    BinaryOp::Div => a.checked_div(b),
                    BinaryOp::And | BinaryOp::Or => None,
                }
            }
            Expr::Min(args) => args.iter().map(value).collect::<Option<Vec<_>>>()?.into_iter().min(),
            Expr::Max(args) => args.iter().map(value).collect::<Option<Vec<_>>>()?.into_iter().max(),
            _ => None,
        }
    }
    match source {
        model::QuotaSource::Expr(e) => value(e),
        model::QuotaSource::Data { .. } => None,
    }
}
