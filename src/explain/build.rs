//! Building the tree of one evaluated pay period: each payout line, then what it was computed from —
//! tables with their bands, attainments, quotas by month, measures with the credit rows they count —
//! then pay (draw, recovery, deferral) and the total.

use super::{Node, Source};
use crate::eval::derivation::largest_remainder;
use crate::eval::derivation::Component;
use crate::eval::derivation::CreditRow;
use crate::eval::derivation::RepPlan;
use crate::eval::derivation::{eval, num, truth, Row};
use crate::eval::derivation::{limit_bit, rank};
use crate::eval::derivation::{Due, Held};
use crate::eval::derivation::{Seen, Snapshot};
use crate::eval::error::Fault;
use crate::ledger::Recorded;
use crate::model::{self, EarningForm, Expr, LimitKind};
use crate::num::Ratio;
use crate::num::{show_money, show_percent, show_ratio};
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
    let mut root = Node::new(format!("{rep} · {} v{} · {}", b.plan.name, b.plan.version, cx.period.name()))
        .value(b.money_d(total))
        .detail("closed: paid as the ledger records it")
        .source(b.item("plan"));
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
    let plan = b.plan;
    let mut root = Node::new(format!("{rep} · {} v{} · {}", plan.name, plan.version, s.cx.period.name()))
        .value(b.money_d(s.settlement.total))
        .source(b.item("plan"));
    for (i, line) in s.lines.iter().enumerate() {
        root.children.push(b.earning(i, line, s)?);
    }
    if !s.adjustment.is_zero() {
        root.children.push(
            Node::new(Component::Adjustment.name())
                .value(b.money_d(s.adjustment))
                .detail("closed periods recomputed: what they earn now minus what the ledger records they earned"),
        );
    }
    let moves = s.holds;
    if !moves.hold.is_zero() {
        let mut node = Node::new(Component::Hold.name())
            .value(b.money_d(moves.hold))
            .detail("held back, paid when it falls due")
            .source(b.item("hold"));
        node.children = moves.held.iter().map(|h| b.held(h, "held")).collect();
        root.children.push(node);
    }
    if !moves.release.is_zero() {
        let mut node = Node::new(Component::Release.name())
            .value(b.money_d(moves.release))
            .detail("held in an earlier period, due now")
            .source(b.item("hold"));
        node.children = moves.released.iter().map(|h| b.held(h, "released")).collect();
        root.children.push(node);
    }
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
    pub(super) listed: std::cell::RefCell<HashSet<(char, usize, i32, i32)>>,
}

impl Builder<'_, '_> {
    pub(super) fn definition(&self, name: &str) -> Source {
        Source::Definition { plan: self.plan.name.clone(), version: self.plan.version, name: name.to_string() }
    }

    pub(super) fn item(&self, keyword: &str) -> Source {
        Source::Item { plan: self.plan.name.clone(), version: self.plan.version, keyword: keyword.to_string() }
    }

    pub(super) fn money(&self, value: Ratio) -> String {
        show_money(value, &self.plan.currency, self.plan.rounding.decimals)
    }

    pub(super) fn money_d(&self, value: Decimal) -> String {
        self.money(Ratio::from_decimal(value))
    }

    fn earning(&self, index: usize, line: &crate::eval::derivation::Line, s: &Snapshot<'_, '_>) -> Result<Node, Fault> {
        let cx = self.cx;
        let e = &self.plan.earnings[index];
        let mut node =
            Node::new(format!("earn {}", e.name)).value(self.money_d(line.line)).source(self.definition(&e.name));
        match &e.form {
            EarningForm::Plain => {
                node.children.extend(self.deps(&e.value)?);
                node.children.push(Node::new(format!("value, {}", e.scope.keyword())).value(self.money(line.value)));
            }
            EarningForm::Once { per, when } => {
                node.children.extend(self.deps(&e.value)?);
                if let Some(condition) = when {
                    node.children.extend(self.deps(condition)?);
                    let holds = truth(eval(cx, condition, Row::None)?)?;
                    let detail = match (holds, line.limited.is_zero()) {
                        (false, _) => format!("the condition does not hold this {}: nothing is paid", per.keyword()),
                        (true, true) => {
                            format!("the condition holds, but the bonus was already paid this {}", per.keyword())
                        }
                        (true, false) => format!("the condition holds: paid once this {}", per.keyword()),
                    };
                    let source = Source::Clause {
                        plan: self.plan.name.clone(),
                        version: self.plan.version,
                        earning: e.name.clone(),
                        clause: "when".into(),
                        index: 0,
                    };
                    node.children.push(Node::new(format!("once per {}", per.keyword())).detail(detail).source(source));
                } else {
                    let window = per.keyword();
                    let when = if line.ends_window {
                        format!("this is the rep's last pay period of the {window}: paid now")
                    } else {
                        "nothing now".to_string()
                    };
                    let detail = format!(
                        "no condition: paid at the end of the {window}, on the {window}'s result (in the rep's last pay period of the {window}); {when}"
                    );
                    node.children
                        .push(Node::new(format!("once per {window}")).detail(detail).source(self.definition(&e.name)));
                }
                node.children.push(Node::new("value").value(self.money(line.value)));
            }
            EarningForm::PerDeal { by_share, .. } => {
                node.children.extend(self.per_deal(index, *by_share, line, s)?);
                node.children.push(Node::new("value, the period's deals").value(self.money(line.value)));
            }
        }
        for (i, limit) in e.limits.iter().enumerate() {
            let bound = num(eval(cx, &limit.amount, Row::None)?)?;
            let (word, binds) = match limit.kind {
                LimitKind::Cap => ("capped at", line.value > bound),
                LimitKind::Floor => ("floored at", line.value < bound),
            };
            let (own, its) = (rank(e.scope, self.plan.pay), rank(limit.per, self.plan.pay));
            let reached = line.bound & limit_bit(i) != 0;
            let detail = if its == own {
                match (reached, binds) {
                    (true, _) => "reached: the value is limited to it",
                    // A floor on the earning's own window lifts the value only when the window ends.
                    (false, true) if limit.kind == LimitKind::Floor => "applies when the window ends",
                    _ => "not reached",
                }
            } else if its == 0 {
                if reached {
                    "bounds the line of each pay period: reached this period"
                } else {
                    "bounds the line of each pay period"
                }
            } else if reached {
                "bounds what the lines of the window add up to: reached this period"
            } else {
                "bounds what the lines of the window add up to"
            };
            let source = Source::Clause {
                plan: self.plan.name.clone(),
                version: self.plan.version,
                earning: e.name.clone(),
                clause: "limit".into(),
                index: i,
            };
            node.children.push(
                Node::new(format!("{word} … per {}", limit.per.keyword()))
                    .value(self.money(bound))
                    .detail(detail)
                    .source(source),
            );
        }
        if let Some(gate) = &e.gate {
            let open = truth(eval(cx, gate, Row::None)?)?;
            node.children.extend(self.deps(gate)?);
            let detail = if open { "holds: the earning is paid" } else { "does not hold: the value is 0" };
            let source = Source::Clause {
                plan: self.plan.name.clone(),
                version: self.plan.version,
                earning: e.name.clone(),
                clause: "gate".into(),
                index: 0,
            };
            node.children.push(Node::new("only when …").detail(detail).source(source));
        }
        let rounding = self.plan.rounding;
        let mut rounded =
            Node::new(format!("rounded {}, to {} decimals", mode_words(rounding.mode), rounding.decimals))
                .value(self.money_d(line.rounded))
                .source(self.item("rounding"));
        if Ratio::from_decimal(line.rounded) != line.limited {
            rounded.detail = Some(format!("from {}", show_ratio(line.limited, rounding.decimals)));
        }
        node.children.push(rounded);
        if let Some(previous) = line.previous {
            if rank(e.scope, self.plan.pay) != 0 {
                let trued = line.rounded - previous;
                node.children.push(
                    Node::new(format!("true-up against the {} so far", e.scope.keyword()))
                        .value(self.money_d(trued))
                        .detail(format!(
                            "{} through {} − {} through the previous period",
                            line.rounded,
                            cx.period.name(),
                            show_ratio(Ratio::from_decimal(previous), rounding.decimals)
                        )),
                );
            }
        }
        if let Some(limited) = self.outer_limits(index, line)? {
            node.children.push(limited);
        }
        Ok(node)
    }

    /// The line after the limits on the pay period and on windows wider than the earning's, when
    /// one bound it: which, and by how much (the tree otherwise ends with the rounded or trued-up
    /// value, which is not what is paid).
    fn outer_limits(&self, index: usize, line: &crate::eval::derivation::Line) -> Result<Option<Node>, Fault> {
        let (cx, plan) = (self.cx, self.plan);
        let e = &plan.earnings[index];
        let before = match (&e.form, line.previous) {
            (EarningForm::Plain, Some(previous)) => line.rounded - previous,
            _ => line.rounded,
        };
        let own = rank(e.scope, plan.pay);
        let outer = (0..e.limits.len())
            .filter(|&i| rank(e.limits[i].per, plan.pay) != own)
            .fold(0, |bits, i| bits | limit_bit(i));
        if line.line == before && line.bound & outer == 0 {
            return Ok(None);
        }
        let round = |v: Ratio| v.round(plan.rounding).map_err(|_| Fault::overflow(&format!("a limit of `{}`", e.name)));
        let mut reasons = Vec::new();
        // The pay period's limits, in order, as the runtime applies them.
        let mut current = before;
        for limit in e.limits.iter().filter(|l| rank(l.per, plan.pay) == 0 && own != 0) {
            let bound = round(num(eval(cx, &limit.amount, Row::None)?)?)?;
            let limited = match limit.kind {
                LimitKind::Cap => current.min(bound),
                LimitKind::Floor => current.max(bound),
            };
            if limited != current {
                let word = if limit.kind == LimitKind::Cap { "capped" } else { "floored" };
                reasons.push(format!("{word} at {} per period: {current} → {limited}", self.money_d(bound)));
            }
            current = limited;
        }
        // Limits on wider windows bound what the window pays in all: the last to bind sets the line,
        // at its amount less what the window paid in earlier periods.
        let wider: Vec<usize> = (0..e.limits.len())
            .filter(|&i| {
                rank(e.limits[i].per, plan.pay) != own
                    && rank(e.limits[i].per, plan.pay) != 0
                    && line.bound & limit_bit(i) != 0
            })
            .collect();
        for (n, &i) in wider.iter().enumerate() {
            let limit = &e.limits[i];
            let bound = round(num(eval(cx, &limit.amount, Row::None)?)?)?;
            let (word, per) = (if limit.kind == LimitKind::Cap { "capped" } else { "floored" }, limit.per.keyword());
            if n + 1 == wider.len() {
                let paid = bound - line.line;
                reasons.push(format!(
                    "{word} at {} per {per}: {} paid earlier this {per} leaves {}, {current} → {}",
                    self.money_d(bound),
                    self.money_d(paid),
                    self.money_d(line.line),
                    line.line
                ));
            } else {
                reasons.push(format!("{word} at {} per {per}", self.money_d(bound)));
            }
        }
        Ok(Some(Node::new("line after the limits").value(self.money_d(line.line)).detail(reasons.join("; "))))
    }

    /// The credit rows a per-deal earning pays on in this period, each with its part of the line
    /// (largest remainder, so that the parts add up to the line exactly).
    fn per_deal(
        &self,
        index: usize,
        by_share: bool,
        line: &crate::eval::derivation::Line,
        s: &Snapshot<'_, '_>,
    ) -> Result<Vec<Node>, Fault> {
        let cx = self.cx;
        let (first, last) = (cx.period.first, cx.period.last);
        let mut rows: Vec<(CreditRow, u32, Ratio)> = Vec::new();
        cx.per_deal_rows(index, by_share, |credit, from, original, value| {
            let in_period = credit.month >= first && credit.month <= last;
            let paid = !credit.reversal || s.evaluated.contains(&cx.cal.period_of(original).first);
            if in_period && paid {
                let v = value.ratio();
                rows.push((*credit, from, if credit.reversal { v.checked_neg()? } else { v }));
            }
            Ok(())
        })?;
        let weights: Vec<Ratio> = rows.iter().map(|r| r.2).collect();
        let parts = largest_remainder(line.line, &weights, self.plan.rounding.decimals)
            .map_err(|_| Fault::overflow("a per-deal line"))?;
        let mut out = Vec::new();
        for ((credit, from, exact), part) in rows.iter().zip(parts) {
            let mut node = self.credit_row(credit, *from).value(self.money_d(part));
            if Ratio::from_decimal(part) != *exact {
                let why = "its part of the rounded line, by largest remainder";
                node.detail = Some(format!(
                    "{}; exact value {}: {why}",
                    node.detail.unwrap_or_default(),
                    show_ratio(*exact, self.plan.rounding.decimals)
                ));
            }
            out.push(node);
        }
        Ok(out)
    }

    /// The tables, attainments, quotas and measures an expression reads, each with its derivation.
    pub(super) fn deps(&self, expr: &Expr) -> Result<Vec<Node>, Fault> {
        let mut out = Vec::new();
        match expr {
            Expr::Table { id, base } => out.push(self.table(*id, base.as_deref())?),
            Expr::Measure { id, scope } => out.push(self.measure(*id, *scope)?),
            Expr::Quota { id, scope } => out.push(self.quota(*id, *scope)?),
            Expr::Attainment(id) => out.push(self.attainment(*id)?),
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
            _ => {}
        }
        Ok(out)
    }

    /// A part held or released: until when, or since when.
    pub(super) fn held(&self, h: &Held, what: &str) -> Node {
        let amount = if what == "held" { -h.amount } else { h.amount };
        match h.due {
            Due::From(month) => Node::new(format!("{what}, due from {}", crate::eval::period::month_name(month)))
                .value(self.money_d(amount)),
            Due::Paid { deal, column } => {
                let data = self.cx.shared.data;
                let key = data.key_text_of(column.table, deal).unwrap_or("?");
                let end = self.cx.period.end();
                let reversed = self
                    .cx
                    .shared
                    .ws
                    .crediting
                    .as_ref()
                    .and_then(|rules| crate::eval::derivation::reversal_day(rules, data, deal));
                let detail = match (data.date(column, deal), reversed) {
                    (Some(day), _) if what == "released" && day <= end => format!("paid {day}"),
                    (_, Some(day)) if what == "released" && day <= end => {
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
        let mut node = Node::new("pay").value(self.money_d(st.total)).source(self.item(if self.plan.draw.is_some() {
            "draw"
        } else {
            "plan"
        }));
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
                    .source(self.item("recover")),
            );
        }
        // Each runtime line that moved money, why, and the plan line behind it.
        for (line, amount, why, keyword) in [
            (Component::Recovery, st.recovery, "taken from the earnings against the balance owed", "draw"),
            (Component::Draw, st.draw, "tops the payment up to the guaranteed amount", "draw"),
            (
                Component::Deferred,
                st.deferred,
                "a negative result is not paid back now: it is owed, recovered from later earnings",
                "plan",
            ),
        ] {
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

fn mode_words(mode: model::RoundingMode) -> &'static str {
    match mode {
        model::RoundingMode::HalfEven => "half to even",
        model::RoundingMode::HalfAwayFromZero => "half away from zero",
        model::RoundingMode::HalfTowardZero => "half toward zero",
        model::RoundingMode::TowardZero => "toward zero",
        model::RoundingMode::AwayFromZero => "away from zero",
    }
}
