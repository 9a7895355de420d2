//! Holds, instalments and retention: which part of an earning's line is paid later, and when.

use super::expr::{fraction, Checker, Rows};
use super::problems;
use crate::ast::{self, ExprKind, Ident, LiteralValue, Span};
use crate::model::{self, AttainmentId, EarningId, MeasureId};
use crate::num::Ratio;
use crate::types::Ty;
use rust_decimal::Decimal;

impl Checker<'_> {
    /// Checks a hold: a share of one earning of the plan, released by a date of the deal, after a
    /// number of pay periods, or as a retention schedule on the year to date falls.
    pub(crate) fn check_hold(&mut self, hold: &ast::Hold) -> Option<model::Hold> {
        let share = match hold.fraction {
            Some((fraction, span)) => self.hold_fraction(fraction, span)?,
            None => self.hold_share(&hold.percent)?,
        };
        let earning = self.held_earning(&hold.earning)?;
        let release = match &hold.release {
            ast::HoldRelease::Until(path) => self.release_until(path, earning, &hold.earning)?,
            ast::HoldRelease::For { count, unit } => self.release_after(*count, unit)?,
            ast::HoldRelease::Ytd { first, rest } => self.retention(share, first, rest)?,
        };
        Some(model::Hold { earning, share, release })
    }

    /// Checks `pay NAME in N instalments`: an earning of the plan paid in two parts or more.
    pub(crate) fn check_instalments(&mut self, i: &ast::Instalments) -> Option<model::Hold> {
        if !matches!(i.unit.text.as_str(), "instalments" | "installments") {
            self.report(problems::instalments_of_unknown_unit(&i.unit));
            return None;
        }
        if let Some(pay) = self.pay.filter(|pay| pay.shorter_than_a_month()) {
            self.report(problems::paid_later_on_a_shorter_period(i.count.1, pay, "a line paid in instalments"));
            return None;
        }
        let earning = self.held_earning(&i.earning)?;
        let parts = i.count.0;
        if parts < 2 {
            self.report(problems::instalments_of_one_part(i.count.1, &i.earning.text));
            return None;
        }
        // Every part but the first is paid later: (N − 1) / N of the line.
        let share = Ratio::new(i128::from(parts) - 1, i128::from(parts))?;
        Some(model::Hold { earning, share, release: model::HoldRelease::Instalments(parts) })
    }

    /// The share a hold takes, as a fraction: a percentage above 0% and at most 100%.
    fn hold_share(&mut self, percent: &ast::Value) -> Option<Ratio> {
        match percent.literal.value {
            LiteralValue::Percent(p) if p > Decimal::ZERO && p <= Decimal::ONE_HUNDRED => {
                fraction(p).map(Ratio::from_decimal)
            }
            _ => {
                self.report(problems::hold_share_out_of_range(percent.span));
                None
            }
        }
    }

    /// `1/3`: an exact fraction above 0 and at most 1.
    fn hold_fraction(&mut self, (num, den): (u32, u32), span: Span) -> Option<Ratio> {
        match Ratio::new(i128::from(num), i128::from(den)) {
            Some(share) if num > 0 && num <= den => Some(share),
            _ => {
                self.report(problems::hold_share_out_of_range(span));
                None
            }
        }
    }

    /// `ytd after Q1, 30% after Q2, …`: the share kept back in the pay periods ending in each
    /// quarter of the plan year, quarters in order, from the first named (nothing before it) until
    /// the next; the last quarter keeps nothing back, so each year's money is paid within the year.
    fn retention(&mut self, first: Ratio, quarter: &Ident, rest: &[(ast::Value, Ident)]) -> Option<model::HoldRelease> {
        if let Some(pay) = self.pay.filter(|p| *p == model::PayFrequency::Yearly) {
            self.report(problems::retention_on_a_yearly_plan(quarter.span, pay));
            return None;
        }
        if let Some(pay) = self.pay.filter(|pay| pay.shorter_than_a_month()) {
            self.report(problems::paid_later_on_a_shorter_period(quarter.span, pay, "a retention schedule"));
            return None;
        }
        let mut named: Vec<(usize, Ratio)> = vec![(self.retention_quarter(quarter, None)?, first)];
        for (value, quarter) in rest {
            let after = named.last().map(|(q, _)| *q);
            let q = self.retention_quarter(quarter, after)?;
            let share = match value.literal.value {
                LiteralValue::Percent(p) if p >= Decimal::ZERO && p <= Decimal::ONE_HUNDRED => fraction(p)?,
                _ => {
                    self.report(problems::hold_share_out_of_range(value.span));
                    return None;
                }
            };
            named.push((q, Ratio::from_decimal(share)));
        }
        let mut schedule = [Ratio::ZERO; 4];
        for (i, (q, share)) in named.iter().enumerate() {
            let until = named.get(i + 1).map_or(3, |(next, _)| *next);
            for slot in &mut schedule[*q..until] {
                *slot = *share;
            }
        }
        Some(model::HoldRelease::Ytd(schedule))
    }

    /// The index (0 for `Q1`) of a quarter a retention schedule names: `Q1` to `Q3`, after the one
    /// named before it.
    fn retention_quarter(&mut self, quarter: &Ident, after: Option<usize>) -> Option<usize> {
        let index = match quarter.text.as_str() {
            "Q1" => 0,
            "Q2" => 1,
            "Q3" => 2,
            "Q4" => {
                self.report(problems::retention_after_the_last_quarter(quarter.span));
                return None;
            }
            _ => {
                self.report(problems::retention_of_unknown_quarter(quarter));
                return None;
            }
        };
        if after.is_some_and(|a| index <= a) {
            self.report(problems::retention_quarters_out_of_order(quarter));
            return None;
        }
        Some(index)
    }

    /// The index of the earning a hold names, among the plan's earnings.
    pub(crate) fn held_earning(&mut self, name: &Ident) -> Option<EarningId> {
        let earnings: Vec<String> =
            self.plan.as_ref().map(|p| p.earnings.iter().map(|e| e.name.clone()).collect()).unwrap_or_default();
        let Some(earning) = earnings.iter().position(|e| *e == name.text).map(EarningId::new) else {
            self.report(problems::hold_of_an_unknown_earning(name, earnings.iter().map(String::as_str)));
            return None;
        };
        self.record_definition(name);
        Some(earning)
    }

    /// `until deal.COLUMN`: a date of the deal, for an earning (the `earning`-th, `name`) earned on
    /// deals, each deal's part of it held until its date.
    fn release_until(&mut self, path: &ast::Path, earning: EarningId, name: &Ident) -> Option<model::HoldRelease> {
        let (e, ty) = self.expr(&ast::Expr { kind: ExprKind::Path(path.clone()), span: path.span() }, Rows::Credit);
        match (e, ty) {
            (model::Expr::Row(column), Ty::Date) if Some(column.table) == self.deals_table() => {
                if !self.earned_on_deals(earning) {
                    self.report(problems::hold_until_paid_of_an_earning_not_on_deals(name, path.span()));
                    return None;
                }
                Some(model::HoldRelease::Paid(column))
            }
            (_, Ty::Error) => None,
            _ => {
                self.report(problems::hold_released_by_a_non_date(path.span()));
                None
            }
        }
    }

    /// `for N periods`: at least one pay period. `months` counts pay periods too, so on a quarterly
    /// plan it would hold for quarters, and is refused there.
    fn release_after(&mut self, count: (u32, Span), unit: &Ident) -> Option<model::HoldRelease> {
        if !matches!(unit.text.as_str(), "periods" | "period" | "months" | "month") {
            self.report(problems::hold_for_unknown_unit(unit));
            return None;
        }
        if let Some(pay) = self.pay.filter(|pay| pay.shorter_than_a_month()) {
            self.report(problems::hold_for_periods_on_a_shorter_period(unit.span, pay));
            return None;
        }
        if let Some(pay) = self.pay_longer_than_a_month().filter(|_| unit.text.starts_with("month")) {
            self.report(problems::hold_for_months_on_a_longer_period(count.0, unit.span, pay));
            return None;
        }
        if count.0 == 0 {
            self.report(problems::hold_of_no_periods(count.1));
            return None;
        }
        Some(model::HoldRelease::Periods(count.0))
    }

    /// Whether an earning's line is earned on deals, which a hold until a date of the deal splits
    /// it across: a per-deal earning, or one whose amount reads a measure of credit (or of the deals
    /// table), directly, through an attainment or through a table's key. A bonus of a fixed amount
    /// is not, even when its condition reads a measure.
    fn earned_on_deals(&self, earning: EarningId) -> bool {
        let Some(plan) = self.plan.as_ref() else { return true };
        let Some(e) = plan.earnings.get(earning) else { return true };
        if matches!(e.form, model::EarningForm::PerDeal { .. }) {
            return true;
        }
        let deals = self.deals_table();
        let of_deals = |m: MeasureId| match plan.measures.get(m).and_then(|m| m.as_ref()).map(|m| &m.source) {
            Some(model::MeasureSource::Credit) => true,
            Some(model::MeasureSource::Table { table, .. }) => Some(*table) == deals,
            None => false,
        };
        let of_attainment =
            |a: AttainmentId| plan.attainments.get(a).and_then(|a| a.as_ref()).is_some_and(|a| of_deals(a.measure));
        let mut found = false;
        e.value.walk(&mut |x| {
            found |= match x {
                model::Expr::Measure { id, .. } => of_deals(*id),
                model::Expr::Attainment(a) => of_attainment(*a),
                model::Expr::Table { id, base: None } => {
                    match plan.tables.get(*id).and_then(|t| t.as_ref()).map(|(t, _)| &t.key) {
                        Some(model::TableKey::Attainment(a)) => of_attainment(*a),
                        Some(model::TableKey::Measure { id, .. }) => of_deals(*id),
                        _ => false,
                    }
                }
                _ => false,
            }
        });
        found
    }
}
