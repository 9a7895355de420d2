//! Draws: guarantees and advances, the months they pay in, and when what they leave owed is
//! forgiven or recovered.

use super::expr::{Checker, Rows};
use super::problems;
use crate::ast::{self, DateLit, ExprKind, Ident, Span};
use crate::model;
use crate::types::Ty;
use chrono::{Datelike, NaiveDate};

impl Checker<'_> {
    /// Checks the draw: a monthly amount, for some months from a date of the rep or between two
    /// dates within the plan's, with what happens to its balance.
    pub(crate) fn check_draw(&mut self, draw: &ast::Draw) -> Option<model::Draw> {
        let amount = self.money(&draw.amount, Rows::Rep, "a draw");
        if !self.draw_per_month(&draw.per) {
            return None;
        }
        let window = match &draw.when {
            ast::DrawWhen::Months { count, unit, from } => self.draw_months(*count, unit, from)?,
            ast::DrawWhen::Dates { from, to } => self.draw_dates(from, to)?,
        };
        // Termination is known only from the employment dates of the crediting rules.
        let employed = self.crediting.is_none_or(|c| c.employed.is_some());
        for option in draw.options.iter().map(|o| &o.kind).filter(|o| o.on_termination && !employed) {
            self.report(problems::termination_without_employment_dates(option.span));
        }
        let balance_options = draw.options.iter().filter(|o| o.kind.recovered_from.is_none());
        let forgiven = |on_termination: bool| {
            balance_options
                .clone()
                .rev()
                .find(|o| o.kind.on_termination == on_termination)
                .is_some_and(|o| o.kind.forgiven)
        };
        let recovered_from = self.recovered_from(draw)?;
        Some(model::Draw {
            name: draw.name.as_ref().map(|n| n.text.clone()),
            recoverable: draw.recoverable,
            advance: draw.form.is_some_and(|(advance, _)| advance),
            amount,
            window,
            forgiven_at_end: forgiven(false),
            forgiven_on_termination: forgiven(true),
            recovered_from,
        })
    }

    /// `recovered from month N`: a month of the draw's count (1 is its first), on a recoverable
    /// draw, said once; 1 when not said.
    fn recovered_from(&mut self, draw: &ast::Draw) -> Option<u32> {
        let mut said = draw.options.iter().filter_map(|o| o.kind.recovered_from);
        let Some((month, span)) = said.next() else { return Some(1) };
        if let Some((_, again)) = said.next() {
            self.report(problems::draw_recovered_from_twice(again));
            return None;
        }
        if !draw.recoverable {
            self.report(problems::recovery_of_a_non_recoverable_draw(span));
            return None;
        }
        if month == 0 {
            self.report(problems::draw_recovered_from_month_zero(span));
            return None;
        }
        Some(month)
    }

    /// Whether a draw is paid `per month`, or `per period` on a monthly plan (reported if not). A
    /// draw is an amount per month: a quarter guarantees it for each of its draw months. On a
    /// quarterly plan `per period` would read a quarter's amount as a month's, and pay it three
    /// times.
    fn draw_per_month(&mut self, per: &Ident) -> bool {
        if !matches!(per.text.as_str(), "month" | "period") {
            self.report(problems::draw_per_unknown_unit(per));
            return false;
        }
        if let Some(pay) = self.pay_longer_than_a_month().filter(|_| per.text == "period") {
            self.report(problems::draw_per_period_on_a_longer_period(per.span, pay));
            return false;
        }
        if let Some(pay) = self.pay.filter(|pay| pay.shorter_than_a_month() && per.text == "month") {
            self.report(problems::draw_per_month_on_a_shorter_period(per.span, pay));
            return false;
        }
        true
    }

    /// `for N months from rep.COLUMN`: at least one month, from a date of the rep.
    fn draw_months(&mut self, count: (u32, Span), unit: &Ident, from: &ast::Path) -> Option<model::DrawWindow> {
        if !matches!(unit.text.as_str(), "months" | "month") {
            self.report(problems::draw_lasts_unknown_unit(unit));
            return None;
        }
        if count.0 == 0 {
            self.report(problems::draw_of_no_months(count.1));
            return None;
        }
        let (e, ty) = self.expr(&ast::Expr { kind: ExprKind::Path(from.clone()), span: from.span() }, Rows::Rep);
        match (e, ty) {
            (model::Expr::Rep(column), Ty::Date) => Some(model::DrawWindow::Months { count: count.0, from: column }),
            (_, Ty::Error) => None,
            _ => {
                self.report(problems::draw_from_a_non_date(from.span()));
                None
            }
        }
    }

    /// `from DATE to DATE`: dates in range and in order, in a pay period of the plan.
    fn draw_dates(&mut self, from: &DateLit, to: &DateLit) -> Option<model::DrawWindow> {
        let (f, t) = (from.date?, to.date?);
        if [(f, from.span), (t, to.span)].map(|(d, s)| self.check_date(d, s)).contains(&false) {
            return None;
        }
        if t < f {
            self.report(problems::draw_ends_before_it_starts(from.span.to(to.span)));
            return None;
        }
        if let Some((start, end)) = self.effective.filter(|&plan| self.outside_every_pay_period(plan, f, t)) {
            self.report(problems::draw_outside_the_plan(start, end, from.span.to(to.span)));
            return None;
        }
        Some(model::DrawWindow::Dates(f, t))
    }

    /// Whether the days from `f` to `t` are outside every pay period of a plan in effect from
    /// `start` to `end`, so never paid. The periods are whole months, or whole quarters that may
    /// start two months before the plan (and end two months after it).
    fn outside_every_pay_period(&self, (start, end): (NaiveDate, NaiveDate), f: NaiveDate, t: NaiveDate) -> bool {
        // A two-week period may start in the month before the plan and end in the month after it.
        let margin =
            self.pay
                .map_or(0, |pay| if matches!(pay, model::PayFrequency::Biweekly(_)) { 1 } else { pay.months() - 1 });
        let months = |d: NaiveDate| d.year() * 12 + d.month0() as i32;
        months(t) < months(start) - margin || months(f) > months(end) + margin
    }
}
