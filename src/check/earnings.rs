//! Checking what a plan pays: earnings (their forms, scopes, caps, floors and gates), draws and
//! holds.

use super::expr::{fraction, Checker, Rows};
use super::problems;
use super::source_map::{Clause, ClauseSource};
use crate::ast::{self, EarnForm, LimitWindow, LiteralValue, Modifier, Scope, Span};
use crate::model::{self, AttainmentId, EarningId};
use crate::types::Ty;
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
