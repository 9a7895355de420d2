//! Applying a table where a plan uses it: `T` alone is its value at its key; `T of base` applies its
//! rate to a base, which must be the measure a marginal table's attainment is made of.

use super::expr::{placeholder, Checker, Rows};
use super::plan::{DefKind, TableInfo};
use super::problems::{self, AmountsHelp, BaseMismatch, KeyedOn};
use crate::ast::{self, Ident, Scope, TableMode};
use crate::model::{self, MeasureId, RateTableId, ValueKind};
use crate::types::{Currency, Ty};

impl Checker<'_> {
    /// Applies a table: `T` alone is its value at its key; `T of base` applies its rate to a base.
    pub(crate) fn apply_table(
        &mut self,
        table: RateTableId,
        path: &ast::Path,
        base: Option<&ast::Expr>,
        rows: Rows,
    ) -> (model::Expr, Ty) {
        let plan = self.plan.as_mut();
        let Some((plan, id)) = plan.and_then(|p| {
            p.defs.iter().position(|d| d.kind == DefKind::Table && d.index == table.index()).map(|id| (p, id))
        }) else {
            return (placeholder(), Ty::Error);
        };
        plan.used[id] = true;
        let ty = self.ensure(id, path.head.span);
        let info = self.plan.as_ref().and_then(|p| p.tables[table].as_ref().map(|(_, info)| info.clone()));
        let Some(info) = info else {
            // A table whose checks failed is reported already; its base is still checked, for its
            // own errors.
            if let Some(b) = base {
                self.expr(b, rows);
            }
            return (placeholder(), Ty::Error);
        };
        let name = &path.head;
        if let model::TableKey::Earning { id: owner, .. } = info.key {
            if !self.per_deal || self.earning != Some(owner) {
                let owner = self.plan.as_ref().map_or(String::new(), |p| p.earnings_named(owner));
                return self.refuse(problems::own_total_elsewhere(name, &owner));
            }
        }
        if info.key == model::TableKey::CreditAmount && !self.per_deal {
            return self
                .refuse(problems::per_deal_table_outside_a_per_deal_earning(name, info.values == ValueKind::Rate));
        }
        if let Some(needed) = info.needs_row.filter(|needed| *needed != rows) {
            let key_reads_no_row = matches!(info.key, model::TableKey::Attainment(_) | model::TableKey::Measure { .. });
            if let (Some(lookup), true) = (&info.band_lookup, key_reads_no_row) {
                return self.refuse(problems::band_rate_without_a_deal(name, lookup));
            }
            return self.refuse(problems::keyed_on_a_row_not_at_hand(name, needed, self.schema));
        }
        match base {
            None => self.table_alone(table, name, &info, ty),
            Some(base) => self.table_of_base(table, name, &info, base, rows, ty),
        }
    }

    /// `T` alone: the table's value at its key, which needs a scope of its own; a marginal table
    /// pays slices of a base, so it is never alone.
    fn table_alone(&mut self, table: RateTableId, name: &Ident, info: &TableInfo, ty: Ty) -> (model::Expr, Ty) {
        if info.values == ValueKind::RatesAndAmounts {
            return self.refuse(problems::rates_and_amounts_alone(name));
        }
        if info.mode == TableMode::Marginal {
            let count = self.count_key_text(info);
            return self.refuse(problems::marginal_without_a_base(name, amounts_help(info), count.as_deref()));
        }
        if let model::TableKey::Measure { scope: None, .. } = info.key {
            return self.refuse(problems::unscoped_key_alone(name));
        }
        (model::Expr::Table { id: table, base: None }, ty)
    }

    /// `T of base`: a table of rates applied to an amount, or a table of amounts per unit applied
    /// to a count; a marginal table to the measure its key is made of.
    fn table_of_base(
        &mut self,
        table: RateTableId,
        name: &Ident,
        info: &TableInfo,
        base: &ast::Expr,
        rows: Rows,
        table_ty: Ty,
    ) -> (model::Expr, Ty) {
        let (lowered, base_ty) = self.expr(base, rows);
        if base_ty.is_error() {
            return (placeholder(), Ty::Error);
        }
        // A key without a scope is read in the scope of the base: a base that is not a measure read
        // in a scope gives it none, and the key's window would be a silent guess.
        if matches!(info.key, model::TableKey::Measure { scope: None, .. })
            && !matches!(lowered, model::Expr::Measure { .. })
        {
            return self.refuse(problems::unscoped_key_on_a_computed_base(name));
        }
        // A marginal or retroactive table of amounts keyed on a count pays its amounts per unit of
        // a count: 0.40 USD per order for the first 50 orders.
        let per_unit = amounts_help(info) == AmountsHelp::PerUnit;
        // A lookup of rates and amounts: its rate rows are a rate of the base and its amount rows
        // amounts in the plan currency, so the base must be an amount in that currency too.
        if info.values == ValueKind::RatesAndAmounts {
            let plan_money = self.currency.as_deref().map(Ty::money);
            if plan_money.as_ref() != Some(&base_ty) {
                return self.refuse(problems::rates_and_amounts_of_another_base(name, &base_ty, base.span, plan_money));
            }
            return (model::Expr::Table { id: table, base: Some(Box::new(lowered)) }, base_ty);
        }
        if info.values != ValueKind::Rate && !(per_unit && base_ty == Ty::Number) {
            let count = self.count_key_text(info);
            return self.refuse(problems::amounts_applied_to_a_base(
                name,
                amounts_help(info),
                base.span,
                count.as_deref(),
            ));
        }
        let ty = if per_unit { table_ty } else { base_ty.clone() };
        if !matches!(ty, Ty::Money(Currency::Code(_)) | Ty::Number) {
            return self.refuse(problems::table_rate_of_a_non_amount(&base_ty, base.span));
        }
        // A table on the earning's own total is laid on any base of the deal (room ÷ rate).
        if matches!(info.key, model::TableKey::Earning { .. }) {
            return (model::Expr::Table { id: table, base: Some(Box::new(lowered)) }, ty);
        }
        if info.mode == TableMode::Marginal && info.key == model::TableKey::CreditAmount {
            if lowered != model::Expr::Credit(model::CreditField::Amount) {
                return self.refuse(problems::marginal_deal_base_mismatch(name, base.span));
            }
            return (model::Expr::Table { id: table, base: Some(Box::new(lowered)) }, ty);
        }
        if info.mode == TableMode::Marginal && lowered == model::Expr::Credit(model::CreditField::Amount) {
            if let Some((measure, _)) = self.key_measure_id(info) {
                return self.in_order(table, name, measure, base.span, lowered, ty);
            }
        }
        if info.mode == TableMode::Marginal && !self.slices_its_key(info, &lowered) {
            let expected = self.key_measure(info);
            let expected = expected.as_ref().map(|(measure, scope)| (measure.as_str(), *scope));
            let window = match (&lowered, self.key_measure_id(info)) {
                (model::Expr::Measure { id, .. }, Some((key_id, _))) if *id == key_id => BaseMismatch::OtherWindow,
                _ => BaseMismatch::OtherMeasure,
            };
            let keyed_on =
                if matches!(info.key, model::TableKey::Attainment(_)) { KeyedOn::Attainment } else { KeyedOn::Measure };
            return self.refuse(problems::marginal_base_mismatch(name, base.span, expected, window, keyed_on));
        }
        (model::Expr::Table { id: table, base: Some(Box::new(lowered)) }, ty)
    }

    /// `T of credit.amount` in a per-deal earning, `T` marginal on a measure or an attainment: the
    /// deals are paid in order, each the slices its amount fills of the running total the key's
    /// measure makes, which must be a sum of `credit.amount` over credit rows.
    fn in_order(
        &mut self,
        table: RateTableId,
        name: &Ident,
        measure: MeasureId,
        span: ast::Span,
        lowered: model::Expr,
        ty: Ty,
    ) -> (model::Expr, Ty) {
        if !self.per_deal {
            return self.refuse(problems::in_order_outside_a_per_deal_earning(name, span));
        }
        let m = self.plan.as_ref().and_then(|p| p.measures[measure].as_ref());
        let what = match m {
            None => None,
            Some(m) if m.each.is_some() => Some("summed per value of a column (`each`)"),
            Some(m) if m.source != model::MeasureSource::Credit => Some("a measure of another table's rows"),
            Some(m) => match &m.aggregate {
                model::Aggregate::Count => Some("a count"),
                model::Aggregate::Sum(e) if *e != lowered => Some("a sum of another value"),
                model::Aggregate::Sum(_) => None,
            },
        };
        if let (Some(what), Some(m)) = (what, m) {
            let measure = m.name.clone();
            return self.refuse(problems::running_total_not_credit(name, span, &measure, what));
        }
        (model::Expr::Table { id: table, base: Some(Box::new(lowered)) }, ty)
    }

    /// The measure a table's key is made of (an attainment's measure, or the measure it is keyed
    /// on), with the scope the key reads it in when it has one.
    fn key_measure_id(&self, info: &TableInfo) -> Option<(MeasureId, Option<Scope>)> {
        match &info.key {
            model::TableKey::Attainment(a) => {
                self.plan.as_ref().and_then(|p| p.attainments[*a].as_ref()).map(|a| (a.measure, Some(a.measure_scope)))
            }
            model::TableKey::Measure { id, scope } => Some((*id, *scope)),
            model::TableKey::CreditAmount | model::TableKey::Lookup(_) | model::TableKey::Earning { .. } => None,
        }
    }

    /// Whether a base is the measure a marginal table's key is made of, in the key's scope: the
    /// bands slice it between multiples of the quota.
    fn slices_its_key(&self, info: &TableInfo, base: &model::Expr) -> bool {
        match (base, self.key_measure_id(info)) {
            (model::Expr::Measure { id, scope }, Some((m, s))) => *id == m && s.is_none_or(|s| s == *scope),
            _ => false,
        }
    }

    /// The count a table is keyed on, as a base is written (`orders period`, the key's scope or
    /// `period`), for a help that shows it.
    fn count_key_text(&self, info: &TableInfo) -> Option<String> {
        let (measure, scope) = self.key_measure(info)?;
        Some(format!("{measure} {}", scope.map_or("period", |s| s.keyword())))
    }

    /// The name of the measure a table's key is made of, and its scope, for the help of a base
    /// that is not it.
    fn key_measure(&self, info: &TableInfo) -> Option<(String, Option<Scope>)> {
        let (m, scope) = self.key_measure_id(info)?;
        let name = self.plan.as_ref().and_then(|p| p.measures[m].as_ref()).map_or(String::new(), |m| m.name.clone());
        Some((name, scope))
    }
}

/// What a table pays, for the help of one used the wrong way: rates, amounts per unit of the count
/// it is keyed on (a marginal or retroactive table), amounts a marginal table has no units for, or
/// amounts used as they are.
fn amounts_help(info: &TableInfo) -> AmountsHelp {
    match (info.values, info.mode) {
        (ValueKind::Rate, _) => AmountsHelp::Rates,
        (ValueKind::Money, TableMode::Marginal | TableMode::Retroactive) if info.count_key => AmountsHelp::PerUnit,
        (ValueKind::Money | ValueKind::Number, TableMode::Marginal) => AmountsHelp::NoUnits,
        (ValueKind::RatesAndAmounts, _) => AmountsHelp::Rates,
        _ => AmountsHelp::Alone,
    }
}
