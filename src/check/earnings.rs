//! Checking what a plan pays: earnings (their forms, scopes, caps, floors and gates), draws and
//! holds.

use super::expr::{fraction, Checker, Rows};
use super::problems;
use super::source_map::{Clause, ClauseSource};
use crate::ast::{self, DateLit, EarnForm, ExprKind, Ident, LimitWindow, LiteralValue, Modifier, Scope, Span};
use crate::model::{self, AttainmentId, EarningId, MeasureId};
use crate::types::Ty;
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

impl Checker<'_> {
    /// Checks an earning, the `index`-th of its plan (`entry` is its whole line), recording where
    /// its clauses are.
    pub(crate) fn check_earning(&mut self, earn: &ast::Earn, id: EarningId, entry: Span) -> model::Earning {
        let per_deal = matches!(earn.form, EarnForm::PerDeal { .. });
        let value_rows = if per_deal { Rows::Credit } else { Rows::Rep };
        self.per_deal = per_deal;
        self.earning = Some(id);
        let value = self.money(&earn.value, value_rows, &format!("the earning `{}`", earn.name.text));
        self.own_total_is_the_whole_amount(earn, id, &value);
        let form = self.earning_form(earn, id, entry);
        self.per_deal = false;
        if per_deal {
            self.share_taken_once(earn, &value);
        }
        let scope = if per_deal || matches!(form, model::EarningForm::Once { .. }) {
            Scope::Period
        } else {
            self.scope_of(&value).unwrap_or(Scope::Period)
        };
        self.trued_up_with_a_narrower_window(earn, &value, scope);
        let (limits, gate) = self.modifiers(earn, id, scope);
        self.earning = None;
        model::Earning { name: earn.name.text.clone(), value, form, scope, limits, gate }
    }

    /// Refuses a table keyed on the earning's own total anywhere in its amount but as the whole
    /// of it (`company_rate of credit.amount`): the earning's total is what that table pays.
    fn own_total_is_the_whole_amount(&mut self, earn: &ast::Earn, id: EarningId, value: &model::Expr) {
        let Some(plan) = self.plan.as_ref() else { return };
        let keyed_on_it = |e: &model::Expr| match e {
            model::Expr::Table { id: t, .. } => plan.tables[*t]
                .as_ref()
                .is_some_and(|(_, info)| matches!(info.key, model::TableKey::Earning { id: owner, .. } if owner == id)),
            _ => false,
        };
        if keyed_on_it(value) {
            return;
        }
        let mut found = None;
        value.walk(&mut |e| {
            if keyed_on_it(e) {
                if let model::Expr::Table { id: t, .. } = e {
                    found = found.or(Some(*t));
                }
            }
        });
        let Some(table) = found else { return };
        let name = plan.tables[table].as_ref().map(|(t, _)| t.name.clone()).unwrap_or_default();
        self.report(problems::own_total_not_the_whole_amount(&name, &earn.name.text, earn.value.span));
    }

    /// Refuses `by share` on a per-deal earning whose amount already is a share of the deal: it
    /// reads `credit.amount` (a split deal credits each rep their share of the amount) or
    /// `credit.share`, or applies a table keyed on `credit.amount`, so a share of what it pays
    /// would take the share twice.
    fn share_taken_once(&mut self, earn: &ast::Earn, value: &model::Expr) {
        let by_share = earn.modifiers.iter().find_map(|m| match m.kind {
            Modifier::ByShare(span) => Some(span),
            _ => None,
        });
        let Some((span, plan)) = by_share.zip(self.plan.as_ref()) else { return };
        let mut shared = None;
        value.walk(&mut |e| {
            let read = match e {
                model::Expr::Table { id, .. } => plan
                    .tables
                    .get(*id)
                    .and_then(|t| t.as_ref())
                    .filter(|(table, _)| table.key == model::TableKey::CreditAmount)
                    .map(|(table, _)| format!("`{}` tiers `credit.amount`", table.name)),
                model::Expr::Credit(model::CreditField::Amount) => Some("it reads `credit.amount`".to_string()),
                model::Expr::Credit(model::CreditField::Share) => Some("it reads `credit.share`".to_string()),
                _ => None,
            };
            if shared.is_none() {
                shared = read;
            }
        });
        if let Some(why) = shared {
            self.report(problems::share_taken_twice(span, &why));
        }
    }

    /// How an earning is paid: in its own scope, once per window (when a condition holds), or per
    /// deal (that passes a filter).
    fn earning_form(&mut self, earn: &ast::Earn, id: EarningId, entry: Span) -> model::EarningForm {
        match &earn.form {
            EarnForm::Plain => model::EarningForm::Plain,
            EarnForm::Once { scope, scope_span, when } => {
                if *scope == Scope::Ytd {
                    self.report(problems::once_per_ytd(*scope_span));
                }
                if *scope == Scope::Quarter && self.pay == Some(model::PayFrequency::Yearly) {
                    self.report(problems::quarter_on_a_yearly_plan(*scope_span));
                }
                if let Some(w) = when {
                    // From `per` (the word before the scope) to the end of the condition.
                    let start = scope_span.start.saturating_sub("per ".len()).max(entry.start);
                    self.record_clause(id, Clause::When, Span::new(start, w.span.end));
                }
                model::EarningForm::Once { per: *scope, when: when.as_ref().map(|w| self.condition(w, Rows::Rep)) }
            }
            EarnForm::PerDeal { filter, .. } => model::EarningForm::PerDeal {
                filter: filter.as_ref().map(|f| self.condition(f, Rows::Credit)),
                by_share: earn.modifiers.iter().any(|m| matches!(m.kind, Modifier::ByShare(_))),
                take_back: self.take_back(earn),
            },
        }
    }

    /// What a per-deal earning takes back of a cancelled deal (the last `taken back` it writes): a
    /// percentage of what was paid, between 0% and 100% when written as a number, or an amount in
    /// the plan's currency read on the deal's row.
    fn take_back(&mut self, earn: &ast::Earn) -> model::TakeBack {
        let Some((at, span)) = earn.modifiers.iter().rev().find_map(|m| match &m.kind {
            Modifier::TakeBack { at, span } => Some((at, *span)),
            _ => None,
        }) else {
            return model::TakeBack::Paid;
        };
        // Without a clawback rule no deal is reversed, and the clause would never change pay.
        if self.crediting.is_some_and(|c| c.clawback.is_none()) {
            self.report(problems::take_back_without_clawback(span));
        }
        let Some(at) = at else { return model::TakeBack::Nothing };
        let (value, ty) = self.expr(at, Rows::Credit);
        match ty {
            Ty::Percent => {
                let outside = |d: Decimal| d < Decimal::ZERO || d > Decimal::ONE;
                if let model::Expr::Const(model::Const::Percent(d)) = &value {
                    if outside(*d) {
                        self.report(problems::take_back_beyond_what_was_paid(at.span));
                    }
                }
                model::TakeBack::Share(value)
            }
            Ty::Error => model::TakeBack::Paid,
            other => {
                self.expect_money(&other, at.span, &format!("what `{}` takes back", earn.name.text));
                model::TakeBack::Amount(value)
            }
        }
    }

    /// An earning's caps and floors (each per a window, by default `scope`, the earning's own) and
    /// its gate, recording where each is; `by share` is for per-deal earnings only.
    fn modifiers(&mut self, earn: &ast::Earn, id: EarningId, scope: Scope) -> (Vec<model::Limit>, Option<model::Expr>) {
        let per_deal = matches!(earn.form, EarnForm::PerDeal { .. });
        let mut limits = Vec::new();
        let mut gate = None;
        for modifier in earn.modifiers.iter().map(|m| &m.kind) {
            match modifier {
                Modifier::Cap { limit, per, span } | Modifier::Floor { limit, per, span } => {
                    self.record_clause(id, Clause::Limit(limits.len()), *span);
                    let kind = if matches!(modifier, Modifier::Cap { .. }) {
                        model::LimitKind::Cap
                    } else {
                        model::LimitKind::Floor
                    };
                    limits.push(self.limit(kind, limit, *per, scope));
                }
                Modifier::Gate { condition, span } => {
                    self.record_clause(id, Clause::Gate, *span);
                    gate = Some(self.condition(condition, Rows::Rep));
                }
                Modifier::ByShare(span) if !per_deal => self.report(problems::by_share_not_per_deal(*span)),
                Modifier::TakeBack { span, .. } if !per_deal => self.report(problems::take_back_not_per_deal(*span)),
                Modifier::ByShare(_) | Modifier::TakeBack { .. } => {}
            }
        }
        (limits, gate)
    }

    /// A cap or a floor: an amount, per a window (`per ytd` bounds the year-to-date value, per year).
    fn limit(
        &mut self,
        kind: model::LimitKind,
        limit: &ast::Expr,
        per: Option<(LimitWindow, Span)>,
        scope: Scope,
    ) -> model::Limit {
        let amount = self.money(limit, Rows::Rep, if kind == model::LimitKind::Cap { "a cap" } else { "a floor" });
        let per = match per {
            None => scope,
            Some((LimitWindow::Scope(Scope::Ytd), span)) => {
                self.report(problems::limit_per_ytd(span));
                Scope::Year
            }
            Some((LimitWindow::Scope(Scope::Quarter), span)) if self.pay == Some(model::PayFrequency::Yearly) => {
                self.report(problems::quarter_on_a_yearly_plan(span));
                Scope::Quarter
            }
            Some((LimitWindow::Scope(s), _)) => s,
            // A month is the pay period of a plan paying monthly; on a quarterly plan no line is a
            // month's.
            Some((LimitWindow::Month, span)) => {
                if let Some(pay) = self.pay.filter(|pay| *pay != model::PayFrequency::Monthly) {
                    self.report(problems::limit_per_month_on_a_longer_period(span, pay));
                }
                Scope::Period
            }
        };
        model::Limit { kind, amount, per }
    }

    fn record_clause(&mut self, earning: EarningId, clause: Clause, span: Span) {
        if let Some(sources) = self.sources() {
            sources.clauses.push(ClauseSource { earning, clause, span });
        }
    }

    /// Warns when an earning trued up over a window (a quarter, the year to date) also reads a
    /// narrower one: `(recurring period / total period) × tier of total ytd` is recomputed for the
    /// whole year with this month's mix, so a month with another mix moves the whole year's pay.
    fn trued_up_with_a_narrower_window(&mut self, earn: &ast::Earn, value: &model::Expr, scope: Scope) {
        if !matches!(scope, Scope::Quarter | Scope::Ytd) {
            return;
        }
        if let Some(narrow) = self.narrowest_scope_of(value).filter(|narrow| *narrow < scope) {
            self.report(problems::trued_up_with_a_narrower_window(&earn.name, earn.value.span, scope, narrow));
        }
    }

    /// The narrowest window an expression reads, by the rules of [`Checker::scope_of`].
    fn narrowest_scope_of(&self, e: &model::Expr) -> Option<Scope> {
        let narrowest = |a: Option<Scope>, b: Option<Scope>| match (a, b) {
            (Some(x), Some(y)) => Some(x.min(y)),
            (x, None) => x,
            (None, y) => y,
        };
        match e {
            model::Expr::Neg(x) | model::Expr::Not(x) | model::Expr::IsEmpty { value: x, .. } => {
                self.narrowest_scope_of(x)
            }
            model::Expr::Binary { lhs, rhs, .. } | model::Expr::Compare { lhs, rhs, .. } => {
                narrowest(self.narrowest_scope_of(lhs), self.narrowest_scope_of(rhs))
            }
            model::Expr::Range { value, from, to } => narrowest(
                self.narrowest_scope_of(value),
                narrowest(self.narrowest_scope_of(from), self.narrowest_scope_of(to)),
            ),
            model::Expr::Min(args) | model::Expr::Max(args) => {
                args.iter().fold(None, |acc, a| narrowest(acc, self.narrowest_scope_of(a)))
            }
            model::Expr::Choice { arms, otherwise } => {
                arms.iter().fold(self.narrowest_scope_of(otherwise), |acc, (c, v)| {
                    narrowest(acc, narrowest(self.narrowest_scope_of(c), self.narrowest_scope_of(v)))
                })
            }
            // A measure, an attainment or a table reads the window `scope_of` gives it.
            other => self.scope_of(other),
        }
    }

    /// The widest window an expression reads (the scope an earning is computed in).
    ///
    /// A table applied to a base (`rate of bookings period`) is paid on that base, so the base's
    /// scope counts, not the key's: a rate chosen by year-to-date attainment applied to this period's
    /// bookings is a period earning. A table used alone (`kicker_curve`) takes its key's scope.
    pub(crate) fn scope_of(&self, e: &model::Expr) -> Option<Scope> {
        let plan = self.plan.as_ref()?;
        let widest = |a: Option<Scope>, b: Option<Scope>| match (a, b) {
            (Some(x), Some(y)) => Some(x.max(y)),
            (x, None) => x,
            (None, y) => y,
        };
        let attainment_scope =
            |id: AttainmentId| plan.attainments.get(id).and_then(|a| a.as_ref()).map(|a| a.measure_scope);
        match e {
            model::Expr::Measure { scope, .. }
            | model::Expr::Earning { scope, .. }
            | model::Expr::TeamEarning { scope, .. } => Some(*scope),
            model::Expr::Attainment(id) => attainment_scope(*id),
            model::Expr::Table { base: Some(base), .. } => self.scope_of(base),
            model::Expr::Table { id, base: None } => {
                match plan.tables.get(*id).and_then(|t| t.as_ref()).map(|(_, info)| &info.key) {
                    Some(model::TableKey::Attainment(a)) => attainment_scope(*a),
                    Some(model::TableKey::Measure { scope, .. }) => *scope,
                    _ => None,
                }
            }
            model::Expr::Neg(x) | model::Expr::Not(x) | model::Expr::IsEmpty { value: x, .. } => self.scope_of(x),
            model::Expr::Binary { lhs, rhs, .. } | model::Expr::Compare { lhs, rhs, .. } => {
                widest(self.scope_of(lhs), self.scope_of(rhs))
            }
            model::Expr::Range { value, from, to } => {
                widest(self.scope_of(value), widest(self.scope_of(from), self.scope_of(to)))
            }
            model::Expr::Min(args) | model::Expr::Max(args) => {
                args.iter().fold(None, |acc, a| widest(acc, self.scope_of(a)))
            }
            // A choice is read in every window its conditions and values read: the value chosen
            // changes when any of them does.
            model::Expr::Choice { arms, otherwise } => arms
                .iter()
                .fold(self.scope_of(otherwise), |acc, (c, v)| widest(acc, widest(self.scope_of(c), self.scope_of(v)))),
            model::Expr::Const(_)
            | model::Expr::Rep(_)
            | model::Expr::Row(_)
            | model::Expr::Credit(_)
            | model::Expr::MonthsSince(_)
            | model::Expr::Quota { .. } => None,
        }
    }

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
        let forgiven = |on_termination: bool| {
            draw.options.iter().rev().find(|o| o.kind.on_termination == on_termination).is_some_and(|o| o.kind.forgiven)
        };
        Some(model::Draw {
            recoverable: draw.recoverable,
            amount,
            window,
            forgiven_at_end: forgiven(false),
            forgiven_on_termination: forgiven(true),
        })
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

    /// Checks a hold: a share of one earning of the plan, released by a date of the deal or after
    /// a number of pay periods.
    pub(crate) fn check_hold(&mut self, hold: &ast::Hold) -> Option<model::Hold> {
        let share = self.hold_share(&hold.percent)?;
        let earning = self.held_earning(&hold.earning)?;
        let release = match &hold.release {
            ast::HoldRelease::Until(path) => self.release_until(path, earning, &hold.earning)?,
            ast::HoldRelease::For { count, unit } => self.release_after(*count, unit)?,
        };
        Some(model::Hold { earning, share, release })
    }

    /// The share a hold takes, as a fraction: a percentage above 0% and at most 100%.
    fn hold_share(&mut self, percent: &ast::Value) -> Option<Decimal> {
        match percent.literal.value {
            LiteralValue::Percent(p) if p > Decimal::ZERO && p <= Decimal::ONE_HUNDRED => fraction(p),
            _ => {
                self.report(problems::hold_share_out_of_range(percent.span));
                None
            }
        }
    }

    /// The index of the earning a hold names, among the plan's earnings.
    fn held_earning(&mut self, name: &Ident) -> Option<EarningId> {
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

    /// The most of a negative balance recovered in a period, as a fraction: a percentage above 0%
    /// and at most 100%.
    pub(crate) fn recover_limit(&mut self, percent: &ast::Literal, span: Span) -> Option<Decimal> {
        match percent.value {
            LiteralValue::Percent(p) if p > Decimal::ZERO && p <= Decimal::ONE_HUNDRED => fraction(p),
            _ => {
                self.report(problems::recovery_limit_out_of_range(span));
                None
            }
        }
    }
}
