//! Building the tree of one evaluated pay period: each payout line, then what it was computed from —
//! tables with their bands, attainments, quotas by month, measures with the credit rows they count —
//! then pay (draw, recovery, deferral) and the total.

use super::measures::Listed;
use super::{Keyword, Node, Source};
use crate::eval::derivation::{
    eval, month_name, reversal_day, truth, Component, Due, Held, Moves, RepPlan, Retention, Row, Seen, Snapshot,
};
use crate::eval::error::Fault;
use crate::ledger::Recorded;
use crate::model::{self, Expr};
use crate::num::{show_money, show_percent, Ratio};
use rust_decimal::Decimal;
use std::collections::HashSet;

/// The tree of one pay period of the rep under one plan (the root's value is the total paid).
pub fn explain_period(seen: &Seen<'_, '_>, rep: &str) -> Result<Node, Fault> {
    match seen {
        Seen::Open(s) => open_period(s, rep),
        Seen::Closed { cx, recorded, earned_now } => Ok(closed_period(cx, recorded, *earned_now, rep)),
    }
}

/// A closed period: the rows the ledger records, and what recomputing it now would change.
fn closed_period(cx: &RepPlan<'_>, recorded: &Recorded, earned_now: Decimal, rep: &str) -> Node {
    let b = Builder { cx, plan: cx.plan, listed: std::cell::RefCell::default() };
    let total = recorded
        .rows
        .iter()
        .find(|(c, _)| matches!(Component::named(c), Component::Total))
        .map_or(Decimal::ZERO, |(_, a)| *a);
    let mut root = b
        .root(rep)
        .value(b.money_d(total))
        .detail("closed: paid as the ledger records it")
        .source(b.item(Keyword::Plan));
    for (component, amount) in &recorded.rows {
        root.children.push(Node::new(component.clone()).value(b.money_d(*amount)).detail("as recorded"));
    }
    let change = earned_now - recorded.earned;
    let detail = if change.is_zero() {
        "unchanged since the close".to_string()
    } else {
        format!(
            "recorded {}; the difference {} is paid in the next open period as an `adjustment`",
            b.money_d(recorded.earned),
            b.money_d(change)
        )
    };
    root.children.push(Node::new("earned, recomputed now").value(b.money_d(earned_now)).detail(detail));
    root
}

fn open_period(s: &Snapshot<'_, '_>, rep: &str) -> Result<Node, Fault> {
    let b = Builder { cx: s.cx, plan: s.cx.plan, listed: std::cell::RefCell::default() };
    let mut root = b.root(rep).value(b.money_d(s.settlement.total)).source(b.item(Keyword::Plan));
    for (id, line) in s.lines.iter_enumerated() {
        root.children.push(b.earning(id, line, s)?);
    }
    if !s.adjustment.is_zero() {
        root.children.push(
            Node::new(Component::Adjustment.name())
                .value(b.money_d(s.adjustment))
                .detail("closed periods recomputed: what they earn now minus what the ledger records they earned"),
        );
    }
    root.children.extend(b.holds(s.holds));
    root.children.push(b.pay(s));
    Ok(root)
}

pub(super) struct Builder<'s, 'a> {
    /// The rep under the plan, as the runtime evaluates them.
    pub(super) cx: &'s RepPlan<'a>,
    /// The plan.
    pub(super) plan: &'a model::Plan,
    /// What was already derived in full (a measure's rows in a window, a quota's months, an
    /// attainment): shown again, it is one line saying so.
    pub(super) listed: std::cell::RefCell<HashSet<Listed>>,
}

impl Builder<'_, '_> {
    /// The root of the period's tree (`alice · enterprise_ae v3 · 2026-03`), which carries the
    /// period.
    fn root(&self, rep: &str) -> Node {
        let (plan, period) = (self.plan, self.cx.period.name());
        let mut root = Node::new(format!("{rep} · {} v{} · {period}", plan.name, plan.version));
        root.period = Some(period);
        root
    }

    pub(super) fn definition(&self, name: &str) -> Source {
        Source::Definition { plan: self.plan.name.clone(), version: self.plan.version, name: name.to_string() }
    }

    pub(super) fn item(&self, keyword: Keyword) -> Source {
        Source::Item { plan: self.plan.name.clone(), version: self.plan.version, keyword }
    }

    pub(super) fn money(&self, value: Ratio) -> String {
        show_money(value, &self.plan.currency, self.plan.rounding.decimals)
    }

    pub(super) fn money_d(&self, value: Decimal) -> String {
        self.money(Ratio::from_decimal(value))
    }

    /// `months since DATE` as it was counted: the number, and the day it counts from.
    fn months_since(&self, expr: &Expr, date: &Expr) -> Result<Node, Fault> {
        use crate::eval::derivation::{eval, num, Context as _, Row};
        let months = num(eval(self.cx, expr, Row::None)?)?;
        let name = match date {
            Expr::Rep(column) | Expr::Row(column) => self.cx.column_name(*column),
            _ => "the date".to_string(),
        };
        let day = match eval(self.cx, date, Row::None)? {
            crate::eval::derivation::Val::Date(day) => day.to_string(),
            _ => String::new(),
        };
        Ok(Node::new(format!("months since {name}")).value(crate::num::show_ratio(months, 0)).detail(format!(
            "{name} is {day}, its month counted as month 1; the pay period ends in {}",
            month_name(self.cx.cal.month_of_step(self.cx.period.last))
        )))
    }

    /// The tables, attainments, quotas and measures an expression reads, each with its derivation.
    pub(super) fn deps(&self, expr: &Expr) -> Result<Vec<Node>, Fault> {
        let mut out = Vec::new();
        match expr {
            Expr::Table { id, base } => out.push(self.table(*id, base.as_deref())?),
            Expr::Measure { id, scope } => out.push(self.measure(*id, *scope)?),
            Expr::Quota { id, scope } => out.push(self.quota(*id, *scope)?),
            Expr::Attainment(id) => out.push(self.attainment(*id)?),
            Expr::Earning { id, scope } => out.push(self.earning_read(*id, *scope)?),
            Expr::TeamEarning { plan, earning, reach, scope } => {
                out.push(self.team_read(plan.as_deref(), earning, *reach, *scope)?)
            }
            Expr::MonthsSince(date) => out.push(self.months_since(expr, date)?),
            Expr::Neg(x) | Expr::Not(x) => out.extend(self.deps(x)?),
            Expr::Binary { lhs, rhs, .. } | Expr::Compare { lhs, rhs, .. } => {
                out.extend(self.deps(lhs)?);
                out.extend(self.deps(rhs)?);
            }
            Expr::Range { value, from, to } => {
                for x in [value, from, to] {
                    out.extend(self.deps(x)?);
                }
            }
            Expr::Min(args) | Expr::Max(args) => {
                for x in args {
                    out.extend(self.deps(x)?);
                }
            }
            Expr::Choice { arms, otherwise } => out.extend(self.choice_deps(arms, otherwise)?),
            _ => {}
        }
        Ok(out)
    }

    /// What a choice reads: the conditions up to the one that holds and the value it chooses, as
    /// the runtime reads them (a value not chosen may divide by zero). A condition that reads a
    /// deal (a per-deal earning's) has no value for the period: every part that derives is shown.
    fn choice_deps(&self, arms: &[(Expr, Expr)], otherwise: &Expr) -> Result<Vec<Node>, Fault> {
        let mut out = Vec::new();
        let mut undecided = false;
        for (condition, value) in arms {
            out.extend(self.deps(condition)?);
            match eval(self.cx, condition, Row::None).and_then(truth) {
                Ok(true) if !undecided => {
                    out.extend(self.deps(value)?);
                    return Ok(out);
                }
                Ok(_) => {}
                Err(_) => undecided = true,
            }
            if undecided {
                out.extend(self.deps(value).unwrap_or_default());
            }
        }
        out.extend(if undecided { self.deps(otherwise).unwrap_or_default() } else { self.deps(otherwise)? });
        Ok(out)
    }

    /// The `hold` and `release` lines of the period, each with its parts, when not zero.
    fn holds(&self, moves: &Moves) -> Vec<Node> {
        let mut out = Vec::new();
        if !moves.hold.is_zero() {
            let mut node = Node::new(Component::Hold.name())
                .value(self.money_d(moves.hold))
                .detail("held back, paid when it falls due")
                .source(self.item(Keyword::Hold));
            node.children = moves.held.iter().map(|h| self.held(h, Move::Held)).collect();
            node.children.extend(moves.retention.iter().filter(|r| r.after > r.before).map(|r| self.retention(r)));
            out.push(node);
        }
        if !moves.release.is_zero() {
            let mut node = Node::new(Component::Release.name())
                .value(self.money_d(moves.release))
                .detail("held in an earlier period, due now")
                .source(self.item(Keyword::Hold));
            node.children = moves.released.iter().map(|h| self.held(h, Move::Released)).collect();
            node.children.extend(moves.retention.iter().filter(|r| r.after < r.before).map(|r| self.retention(r)));
            out.push(node);
        }
        out
    }

    /// What a retention schedule moved: the share of the year to date it keeps back now, and what it
    /// kept before.
    fn retention(&self, r: &Retention) -> Node {
        let moved = r.after.checked_sub(r.before).unwrap_or_default();
        let detail = format!(
            "{} of the year to date {} kept back: {} (was {})",
            show_percent(r.share),
            self.money_d(r.ytd),
            self.money_d(r.after),
            self.money_d(r.before)
        );
        Node::new(format!("retained {}", r.earning)).value(self.money_d(-moved)).detail(detail)
    }

    /// A part held or released: until when, or since when.
    fn held(&self, h: &Held, moved: Move) -> Node {
        let (what, amount) = match moved {
            Move::Held => ("held", -h.amount),
            Move::Released => ("released", h.amount),
        };
        let of =
            h.from.and_then(|e| self.plan.earnings.get(e)).map(|e| format!(" from {}", e.name)).unwrap_or_default();
        match h.due {
            Due::From(month) => {
                Node::new(format!("{what}{of}, due from {}", month_name(month))).value(self.money_d(amount))
            }
            Due::Paid { deal, column } => {
                let data = self.cx.shared.data;
                let key = data.key_text_of(column.table, deal).unwrap_or("?");
                let end = self.cx.period.end();
                let released = moved == Move::Released;
                let reversed = self.cx.shared.ws.crediting.as_ref().and_then(|rules| reversal_day(rules, data, deal));
                let detail = match (data.date(column, deal), reversed) {
                    (Some(day), _) if released && day <= end => format!("paid {day}"),
                    (_, Some(day)) if released && day <= end => {
                        format!("cancelled {day}: released against its reversal")
                    }
                    _ => "until its invoice is paid".to_string(),
                };
                Node::new(format!("deal {key}")).value(self.money_d(amount)).detail(detail)
            }
        }
    }

    fn pay(&self, s: &Snapshot<'_, '_>) -> Node {
        let st = s.settlement;
        let earned: Decimal =
            s.lines.iter().map(|l| l.line).sum::<Decimal>() + s.adjustment + s.holds.hold + s.holds.release;
        let mut node = Node::new("pay")
            .value(self.money_d(st.total))
            .source(self.item(if !self.plan.draws.is_empty() { Keyword::Draw } else { Keyword::Plan }));
        node.children.push(
            Node::new("earned this period")
                .value(self.money_d(earned))
                .detail("the lines above, with any adjustment, hold and release"),
        );
        if !s.owed_before.is_zero() {
            node.children.push(Node::new("balance owed before").value(self.money_d(s.owed_before)));
        }
        if let Some(share) = self.plan.balance.recover_at_most {
            node.children.push(
                Node::new("recovery limit")
                    .detail(format!("at most {} of a period's earnings", show_percent(Ratio::from_decimal(share))))
                    .source(self.item(Keyword::Recover)),
            );
        }
        // Each runtime line that moved money, why, and the plan line behind it.
        let draws = self.plan.draws.iter().zip(&st.draws).map(|(draw, amount)| {
            let why = match (draw.advance, draw.recoverable) {
                (true, true) => "an advance paid on top of the earnings, owed and recovered from later earnings",
                (true, false) => "an advance paid on top of the earnings, not recovered",
                (false, true) => "tops the payment up to the guaranteed amount, owed and recovered from later earnings",
                (false, false) => "tops the payment up to the guaranteed amount, not recovered",
            };
            (Component::Draw(draw.name.as_deref().map(Into::into)), *amount, why, Keyword::Draw)
        });
        let recovery =
            (Component::Recovery, st.recovery, "taken from the earnings against the balance owed", Keyword::Draw);
        for (line, amount, why, keyword) in std::iter::once(recovery).chain(draws).chain([(
            Component::Deferred,
            st.deferred,
            "a negative result is not paid back now: it is owed, recovered from later earnings",
            Keyword::Plan,
        )]) {
            if !amount.is_zero() {
                node.children
                    .push(Node::new(line.name()).value(self.money_d(amount)).detail(why).source(self.item(keyword)));
            }
        }
        node.children.push(Node::new(Component::Total.name()).value(self.money_d(st.total)));
        if !st.owed.is_zero() {
            node.children.push(
                Node::new("balance owed after")
                    .value(self.money_d(st.owed))
                    .detail("shown as a negative `balance` line"),
            );
        }
        node
    }
}

/// Which way a part of an earning moved: held back this period, or released from an earlier one.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Move {
    Held,
    Released,
}
