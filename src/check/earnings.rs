//! Checking what a plan pays: earnings (their forms, scopes, caps, floors and gates), draws and
//! holds.

use super::expr::{Checker, Rows};
use super::source_map::{Clause, ClauseSource};
use crate::ast::{self, EarnForm, ExprKind, LiteralValue, Modifier, Scope, Span};
use crate::diagnostics::{codes, did_you_mean};
use crate::model::{self};
use crate::types::Ty;
use chrono::Datelike;
use rust_decimal::Decimal;

impl Checker<'_> {
    /// Checks an earning, the `index`-th of its plan (`entry` is its whole line), recording where
    /// its clauses are.
    pub(crate) fn check_earning(&mut self, earn: &ast::Earn, index: usize, entry: Span) -> model::Earning {
        let per_deal = matches!(earn.form, EarnForm::PerDeal { .. });
        let value_rows = if per_deal { Rows::Credit } else { Rows::Rep };
        let value = self.money(&earn.value, value_rows, &format!("the earning `{}`", earn.name.text));
        let form = match &earn.form {
            EarnForm::Plain => model::EarningForm::Plain,
            EarnForm::Once { scope, scope_span, when } => {
                if *scope == Scope::Ytd {
                    self.error(
                        &codes::BAD_EARNING,
                        "a bonus is paid once per `period`, `quarter` or `year`",
                        *scope_span,
                        "`ytd` is not a window",
                    )
                    .help = Some("write `once per year`".to_string());
                }
                if let Some(w) = when {
                    // From `per` (the word before the scope) to the end of the condition.
                    let start = scope_span.start.saturating_sub("per ".len()).max(entry.start);
                    self.record_clause(index, Clause::When, Span::new(start, w.span.end));
                }
                model::EarningForm::Once { per: *scope, when: when.as_ref().map(|w| self.condition(w, Rows::Rep)) }
            }
            EarnForm::PerDeal { filter, .. } => model::EarningForm::PerDeal {
                filter: filter.as_ref().map(|f| self.condition(f, Rows::Credit)),
                by_share: earn.modifiers.iter().any(|m| matches!(m.kind, Modifier::ByShare(_))),
            },
        };
        let scope = if per_deal || matches!(form, model::EarningForm::Once { .. }) {
            Scope::Period
        } else {
            self.scope_of(&value).unwrap_or(Scope::Period)
        };
        let mut limits = Vec::new();
        let mut gate = None;
        for modifier in earn.modifiers.iter().map(|m| &m.kind) {
            match modifier {
                Modifier::Cap { limit, per, span } | Modifier::Floor { limit, per, span } => {
                    self.record_clause(index, Clause::Limit(limits.len()), *span);
                    let kind = if matches!(modifier, Modifier::Cap { .. }) {
                        model::LimitKind::Cap
                    } else {
                        model::LimitKind::Floor
                    };
                    let amount =
                        self.money(limit, Rows::Rep, if kind == model::LimitKind::Cap { "a cap" } else { "a floor" });
                    let per = match per {
                        None => scope,
                        Some((Scope::Ytd, span)) => {
                            self.error(
                                &codes::BAD_EARNING,
                                "a cap or floor applies `per period`, `per quarter` or `per year`",
                                *span,
                                "`ytd` is not a window",
                            )
                            .help = Some("write `per year`: it bounds the year-to-date value".to_string());
                            Scope::Year
                        }
                        Some((s, _)) => *s,
                    };
                    limits.push(model::Limit { kind, amount, per });
                }
                Modifier::Gate { condition, span } => {
                    self.record_clause(index, Clause::Gate, *span);
                    gate = Some(self.condition(condition, Rows::Rep));
                }
                Modifier::ByShare(span) if !per_deal => {
                    self.error(
                        &codes::BAD_EARNING,
                        "`by share` applies to per-deal earnings",
                        *span,
                        "this earning is not paid per deal",
                    )
                    .help = Some("remove `by share`, or make the earning `… per deal`".to_string());
                }
                Modifier::ByShare(_) => {}
            }
        }
        model::Earning { name: earn.name.text.clone(), value, form, scope, limits, gate }
    }

    fn record_clause(&mut self, earning: usize, clause: Clause, span: Span) {
        if let Some(sources) = self.sources() {
            sources.clauses.push(ClauseSource { earning, clause, span });
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
        let attainment_scope = |id: usize| plan.attainments.get(id).and_then(|a| a.as_ref()).map(|a| a.measure_scope);
        match e {
            model::Expr::Measure { scope, .. } => Some(*scope),
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
            model::Expr::Const(_)
            | model::Expr::Rep(_)
            | model::Expr::Row(_)
            | model::Expr::Credit(_)
            | model::Expr::Quota { .. } => None,
        }
    }

    pub(crate) fn check_draw(&mut self, draw: &ast::Draw) -> Option<model::Draw> {
        let amount = self.money(&draw.amount, Rows::Rep, "a draw");
        if !matches!(draw.per.text.as_str(), "month" | "period") {
            self.error(
                &codes::BAD_DRAW,
                format!("a draw is paid per `month` (or per `period`), not per `{}`", draw.per.text),
                draw.per.span,
                "expected `month`",
            );
            return None;
        }
        // A draw is an amount per month: a quarter guarantees it for each of its draw months. On a
        // quarterly plan `per period` would read a quarter's amount as a month's, and pay it three
        // times.
        if draw.per.text == "period" && self.pay == Some(model::PayFrequency::Quarterly) {
            self.error(
                &codes::BAD_DRAW,
                "this plan pays quarterly: a draw is an amount per month",
                draw.per.span,
                "a quarter would pay this amount once for each of its months",
            )
            .help = Some("write `per month` with the monthly amount (a third of the quarter's)".to_string());
            return None;
        }
        let window = match &draw.when {
            ast::DrawWhen::Months { count, unit, from } => {
                if !matches!(unit.text.as_str(), "months" | "month") {
                    self.error(
                        &codes::BAD_DRAW,
                        format!("a draw lasts a number of `months`, not `{}`", unit.text),
                        unit.span,
                        "expected `months`",
                    );
                    return None;
                }
                if count.0 == 0 {
                    self.error(&codes::BAD_DRAW, "a draw lasts at least one month", count.1, "nothing would be paid");
                    return None;
                }
                let (e, ty) =
                    self.expr(&ast::Expr { kind: ExprKind::Path(from.clone()), span: from.span() }, Rows::Rep);
                match (e, ty) {
                    (model::Expr::Rep(column), Ty::Date) => model::DrawWindow::Months { count: count.0, from: column },
                    (_, Ty::Error) => return None,
                    _ => {
                        self.error(
                            &codes::BAD_DRAW,
                            "a draw counts its months from a date of the rep",
                            from.span(),
                            "expected a date column of the rep, such as `rep.hired`",
                        );
                        return None;
                    }
                }
            }
            ast::DrawWhen::Dates { from, to } => match (from.date, to.date) {
                (Some(f), Some(t))
                    if [(f, from.span), (t, to.span)].map(|(d, s)| self.check_date(d, s)).contains(&false) =>
                {
                    return None;
                }
                (Some(f), Some(t)) if t >= f => {
                    // Dates outside every pay period of the plan would never be paid. The periods
                    // are whole months, or whole quarters that may start two months before the plan
                    // (and end two months after it).
                    if let Some((start, end)) = self.effective.filter(|&(start, end)| {
                        let margin = if self.pay == Some(model::PayFrequency::Quarterly) { 2 } else { 0 };
                        let months = |d: chrono::NaiveDate| d.year() * 12 + d.month0() as i32;
                        months(t) < months(start) - margin || months(f) > months(end) + margin
                    }) {
                        self.error(
                            &codes::BAD_DRAW,
                            format!("the draw's dates are outside the plan's, {start} to {end}"),
                            from.span.to(to.span),
                            "no pay period of the plan is in this range",
                        )
                        .help = Some("give the dates of the draw within the plan's effective dates".to_string());
                        return None;
                    }
                    model::DrawWindow::Dates(f, t)
                }
                (Some(_), Some(_)) => {
                    self.error(
                        &codes::EMPTY_RANGE,
                        "the draw ends before it starts",
                        from.span.to(to.span),
                        "no day is in this range",
                    );
                    return None;
                }
                _ => return None,
            },
        };
        // Termination is known only from the employment dates of the crediting rules.
        let employed = self.crediting.is_none_or(|c| c.employed.is_some());
        for option in draw.options.iter().map(|o| &o.kind).filter(|o| o.on_termination && !employed) {
            self.error(
                &codes::BAD_DRAW,
                "the workspace has no employment dates: no rep is ever terminated",
                option.span,
                "this option would never apply",
            )
            .help = Some("add `employed from rep.hired to rep.terminated` to the credit block".to_string());
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

    pub(crate) fn check_hold(&mut self, hold: &ast::Hold) -> Option<model::Hold> {
        let share = match hold.percent.literal.value {
            LiteralValue::Percent(p) if p > Decimal::ZERO && p <= Decimal::ONE_HUNDRED => super::expr::fraction(p)?,
            _ => {
                self.error(
                    &codes::BAD_DRAW,
                    "a hold is a percentage above 0% and at most 100%",
                    hold.percent.span,
                    "expected e.g. `50%`",
                );
                return None;
            }
        };
        let earnings: Vec<String> =
            self.plan.as_ref().map(|p| p.earnings.iter().map(|e| e.name.clone()).collect()).unwrap_or_default();
        let Some(earning) = earnings.iter().position(|e| *e == hold.earning.text) else {
            let d = self.error(
                &codes::BAD_DRAW,
                format!("no earning is called `{}`", hold.earning.text),
                hold.earning.span,
                "expected an earning of this plan",
            );
            d.help = did_you_mean(&hold.earning.text, earnings.iter().map(String::as_str))
                .map(|s| format!("did you mean `{s}`?"));
            return None;
        };
        self.record_definition(&hold.earning);
        let release = match &hold.release {
            ast::HoldRelease::Until(path) => {
                let (e, ty) =
                    self.expr(&ast::Expr { kind: ExprKind::Path(path.clone()), span: path.span() }, Rows::Credit);
                match (e, ty) {
                    (model::Expr::Row(column), Ty::Date) if Some(column.table) == self.deals_table() => {
                        if !self.earned_on_deals(earning) {
                            self.error(
                                &codes::BAD_DRAW,
                                format!("`{}` is not earned on deals: nothing would ever be held", hold.earning.text),
                                path.span(),
                                "a hold until a date of the deal holds each deal's part of the line",
                            )
                            .help = Some(format!(
                                "hold it for a number of periods (`hold … of {} for 2 periods`), or hold an earning whose amount reads a measure of credit or is paid per deal",
                                hold.earning.text
                            ));
                            return None;
                        }
                        model::HoldRelease::Paid(column)
                    }
                    (_, Ty::Error) => return None,
                    _ => {
                        self.error(
                            &codes::BAD_DRAW,
                            "a hold is released by a date of the deal",
                            path.span(),
                            "expected a date column of the deal, such as `deal.paid`",
                        );
                        return None;
                    }
                }
            }
            ast::HoldRelease::For { count, unit } => {
                if !matches!(unit.text.as_str(), "periods" | "period" | "months" | "month") {
                    self.error(
                        &codes::BAD_DRAW,
                        format!("a hold lasts a number of `periods`, not `{}`", unit.text),
                        unit.span,
                        "expected `periods`",
                    );
                    return None;
                }
                // `months` counts pay periods: on a quarterly plan that would hold for quarters.
                if unit.text.starts_with("month") && self.pay == Some(model::PayFrequency::Quarterly) {
                    self.error(
                        &codes::BAD_DRAW,
                        format!(
                            "this plan pays quarterly: a hold lasts pay periods, and {} quarters are not {} months",
                            count.0, count.0
                        ),
                        unit.span,
                        "a hold counts pay periods",
                    )
                    .help = Some(
                        "write `for N periods`, counting quarters (`for 1 periods` holds for 3 months)".to_string(),
                    );
                    return None;
                }
                if count.0 == 0 {
                    self.error(&codes::BAD_DRAW, "a hold lasts at least one period", count.1, "nothing would be held");
                    return None;
                }
                model::HoldRelease::Periods(count.0)
            }
        };
        Some(model::Hold { earning, share, release })
    }

    /// Whether an earning's line is earned on deals, which a hold until a date of the deal splits
    /// it across: a per-deal earning, or one whose amount reads a measure of credit (or of the deals
    /// table), directly, through an attainment or through a table's key. A bonus of a fixed amount
    /// is not, even when its condition reads a measure.
    fn earned_on_deals(&self, earning: usize) -> bool {
        let Some(plan) = self.plan.as_ref() else { return true };
        let Some(e) = plan.earnings.get(earning) else { return true };
        if matches!(e.form, model::EarningForm::PerDeal { .. }) {
            return true;
        }
        let deals = self.deals_table();
        let of_deals = |m: usize| match plan.measures.get(m).and_then(|m| m.as_ref()).map(|m| &m.source) {
            Some(model::MeasureSource::Credit) => true,
            Some(model::MeasureSource::Table { table, .. }) => Some(*table) == deals,
            None => false,
        };
        let of_attainment =
            |a: usize| plan.attainments.get(a).and_then(|a| a.as_ref()).is_some_and(|a| of_deals(a.measure));
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

    pub(crate) fn recover_limit(&mut self, percent: &ast::Literal, span: Span) -> Option<Decimal> {
        match percent.value {
            LiteralValue::Percent(p) if p > Decimal::ZERO && p <= Decimal::ONE_HUNDRED => super::expr::fraction(p),
            _ => {
                self.error(
                    &codes::BAD_DRAW,
                    "recovery is limited to a percentage above 0% and at most 100%",
                    span,
                    "expected e.g. `50%`",
                );
                None
            }
        }
    }
}
