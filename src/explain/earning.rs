//! Explaining an earning's line: what its value reads (tables, attainments, measures, the deals of
//! a per-deal earning), whether a bonus is paid this window, its caps, floors and gate, the
//! rounding, the true-up against the window so far, and the limits that bound the line itself.

use super::build::Builder;
use super::{ClauseKind, Keyword, Node, Source};
use crate::data::RepIdx;
use crate::eval::derivation::Month;
use crate::eval::derivation::{
    eval, largest_remainder, limit_bit, num, original_of, rank, reversed_part, truth, CreditRow, Line, Row, Snapshot,
};
use crate::eval::error::Fault;
use crate::model::{self, Earning, EarningForm, EarningId, Expr, Limit, LimitKind, RateTableId, Rows, Scope, TableKey};
use crate::num::{show_percent, show_ratio, Ratio};
use rust_decimal::Decimal;

impl Builder<'_, '_> {
    /// The derivation of one earning's line in the period.
    pub(super) fn earning(&self, id: EarningId, line: &Line, s: &Snapshot<'_, '_>) -> Result<Node, Fault> {
        let e = &self.plan.earnings[id];
        let mut node =
            Node::new(format!("earn {}", e.name)).value(self.money_d(line.line)).source(self.definition(&e.name));
        node.children.extend(self.earning_value(id, line, s)?);
        for (i, limit) in e.limits.iter().enumerate() {
            node.children.push(self.limit(e, i, limit, line)?);
        }
        if let Some(gate) = &e.gate {
            node.children.extend(self.gate(e, gate)?);
        }
        node.children.push(self.rounded(line));
        node.children.extend(self.true_up(e, line));
        node.children.extend(self.outer_limits(id, line)?);
        Ok(node)
    }

    /// What the earning's value reads, and the value in its window before limits and gate.
    fn earning_value(&self, id: EarningId, line: &Line, s: &Snapshot<'_, '_>) -> Result<Vec<Node>, Fault> {
        let e = &self.plan.earnings[id];
        let mut out = Vec::new();
        match &e.form {
            EarningForm::Plain => {
                out.extend(self.deps(&e.value)?);
                out.push(Node::new(format!("value, {}", e.scope.keyword())).value(self.money(line.value)));
            }
            EarningForm::Once { per, when } => {
                out.extend(self.deps(&e.value)?);
                if let Some(condition) = when {
                    out.extend(self.deps(condition)?);
                }
                out.push(self.once_per(e, *per, when.as_ref(), line)?);
                out.push(Node::new("value").value(self.money(line.value)));
            }
            EarningForm::PerDeal { by_share, filter, .. } => {
                out.extend(self.per_deal_inputs(&e.value, filter.as_ref())?);
                out.extend(self.per_deal(id, *by_share, line, s)?);
                out.push(Node::new("value, the period's deals").value(self.money(line.value)));
            }
        }
        Ok(out)
    }

    /// What a per-deal earning reads that is the same for every deal of the period: each table
    /// whose band or point an attainment or a measure chooses (its rate, and how it was chosen),
    /// and the measures, quotas and attainments its value and condition read themselves. What
    /// differs by deal is in each deal's row below.
    fn per_deal_inputs(&self, value: &Expr, filter: Option<&Expr>) -> Result<Vec<Node>, Fault> {
        // The parts read, as copies of their ids: `walk` lends each node only for the visit.
        let mut read: Vec<Expr> = Vec::new();
        let mut visit = |e: &Expr| {
            let period_level = match e {
                Expr::Table { id, .. } => {
                    let table = &self.plan.tables[*id];
                    let by_period =
                        matches!(table.key, TableKey::Attainment(_) | TableKey::Measure { scope: Some(_), .. });
                    by_period && !matches!(table.rows, Rows::Marginal(_))
                }
                Expr::Measure { .. } | Expr::Quota { .. } | Expr::Attainment(_) => true,
                _ => false,
            };
            if period_level {
                read.push(match e {
                    Expr::Table { id, .. } => Expr::Table { id: *id, base: None },
                    other => other.clone(),
                });
            }
        };
        value.walk(&mut visit);
        if let Some(filter) = filter {
            filter.walk(&mut visit);
        }
        let mut out = Vec::new();
        for e in &read {
            out.extend(self.deps(e)?);
        }
        Ok(out)
    }

    /// Whether a bonus paid once per window is paid in this period: with a condition, in the first
    /// period of the window in which it holds; without one, in the rep's last pay period of the
    /// window.
    fn once_per(&self, e: &Earning, per: Scope, when: Option<&Expr>, line: &Line) -> Result<Node, Fault> {
        let window = per.keyword();
        let Some(condition) = when else {
            let when = if line.ends_window {
                format!("this is the rep's last pay period of the {window}: paid now")
            } else {
                "nothing now".to_string()
            };
            let detail = format!(
                "no condition: paid at the end of the {window}, on the {window}'s result (in the rep's last pay period of the {window}); {when}"
            );
            return Ok(Node::new(format!("once per {window}")).detail(detail).source(self.definition(&e.name)));
        };
        let holds = truth(eval(self.cx, condition, Row::None)?)?;
        let detail = match (holds, line.limited.is_zero()) {
            (false, _) => format!("the condition does not hold this {window}: nothing is paid"),
            (true, true) => format!("the condition holds, but the bonus was already paid this {window}"),
            (true, false) => format!("the condition holds: paid once this {window}"),
        };
        Ok(Node::new(format!("once per {window}")).detail(detail).source(self.clause(e, ClauseKind::When, 0)))
    }

    /// A cap or floor of the earning (its `i`th limit): its amount, and whether it bound the value
    /// or the line.
    fn limit(&self, e: &Earning, i: usize, limit: &Limit, line: &Line) -> Result<Node, Fault> {
        let bound = num(eval(self.cx, &limit.amount, Row::None)?)?;
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
        Ok(Node::new(format!("{word} … per {}", limit.per.keyword()))
            .value(self.money(bound))
            .detail(detail)
            .source(self.clause(e, ClauseKind::Limit, i)))
    }

    /// What the earning's gate reads, and whether it holds.
    fn gate(&self, e: &Earning, gate: &Expr) -> Result<Vec<Node>, Fault> {
        let open = truth(eval(self.cx, gate, Row::None)?)?;
        let mut out = self.deps(gate)?;
        let detail = if open { "holds: the earning is paid" } else { "does not hold: the value is 0" };
        out.push(Node::new("only when …").detail(detail).source(self.clause(e, ClauseKind::Gate, 0)));
        Ok(out)
    }

    /// The value after limits and gate, rounded as the plan says.
    fn rounded(&self, line: &Line) -> Node {
        let rounding = self.plan.rounding;
        let mut rounded =
            Node::new(format!("rounded {}, to {} decimals", mode_words(rounding.mode), rounding.decimals))
                .value(self.money_d(line.rounded))
                .source(self.item(Keyword::Rounding));
        if Ratio::from_decimal(line.rounded) != line.limited {
            rounded.detail = Some(format!("from {}", show_ratio(line.limited, rounding.decimals)));
        }
        rounded
    }

    /// For an earning over a window wider than the pay period: the line as the rounded value
    /// through this period less the rounded value through the previous one.
    fn true_up(&self, e: &Earning, line: &Line) -> Option<Node> {
        let previous = line.previous?;
        if rank(e.scope, self.plan.pay) == 0 {
            return None;
        }
        let trued = line.rounded - previous;
        Some(Node::new(format!("true-up against the {} so far", e.scope.keyword())).value(self.money_d(trued)).detail(
            format!(
                "{} through {} − {} through the previous period",
                line.rounded,
                self.cx.period.name(),
                show_ratio(Ratio::from_decimal(previous), self.plan.rounding.decimals)
            ),
        ))
    }

    /// The line after the limits on the pay period and on windows wider than the earning's, when
    /// one bound it: which, and by how much (the tree otherwise ends with the rounded or trued-up
    /// value, which is not what is paid).
    fn outer_limits(&self, id: EarningId, line: &Line) -> Result<Option<Node>, Fault> {
        let (cx, plan) = (self.cx, self.plan);
        let e = &plan.earnings[id];
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
    fn per_deal(&self, id: EarningId, by_share: bool, line: &Line, s: &Snapshot<'_, '_>) -> Result<Vec<Node>, Fault> {
        let cx = self.cx;
        let (first, last) = (cx.period.first, cx.period.last);
        let mut rows: Vec<(CreditRow, RepIdx, Ratio, Month)> = Vec::new();
        cx.per_deal_rows(id, by_share, (first, last), |credit, from, original, value| {
            // A reversal of a deal the plan never paid takes nothing back, and is not valued.
            let paid = !credit.reversal || s.evaluated.contains(&cx.cal.period_of(original).first);
            if paid {
                let value = value?;
                let v = value.ratio();
                rows.push((*credit, from, if credit.reversal { v.checked_neg()? } else { v }, original));
            }
            Ok(())
        })?;
        let tables = per_deal_tables(self.plan, &self.plan.earnings[id].value);
        // Deals paid in order are shown in that order: by credit date, then by deal id.
        let in_order = |table: RateTableId, base: Option<&Expr>| {
            self.plan.running_total(table, base).is_some()
                || matches!(self.plan.tables[table].key, TableKey::Earning { .. })
        };
        if tables.iter().any(|(table, base)| in_order(*table, base.as_ref())) {
            let deals = cx.shared.ws.crediting.as_ref().map(|c| c.deals);
            let deal_id = |row: &CreditRow| deals.and_then(|t| cx.shared.data.key_text_of(t, row.deal)).unwrap_or("");
            rows.sort_by(|a, b| (a.0.date, deal_id(&a.0)).cmp(&(b.0.date, deal_id(&b.0))));
        }
        let weights: Vec<Ratio> = rows.iter().map(|r| r.2).collect();
        let parts = largest_remainder(line.line, &weights, self.plan.rounding.decimals)
            .map_err(|_| Fault::overflow("a per-deal line"))?;
        let mut out = Vec::new();
        for ((credit, from, exact, original), part) in rows.iter().zip(parts) {
            let mut node = self.credit_row(credit, *from).value(self.money_d(part));
            node.children.extend(self.deal_tables(&tables, credit)?);
            if credit.reversal {
                // A reversal takes back its row's value (or the part a partial clawback names) in
                // the period that paid it.
                let paid_in = cx.cal.period_of(*original).name();
                let part = match reversed_part(cx.shared.ws.crediting.as_ref()) {
                    part if part == Decimal::ONE => String::new(),
                    part => format!("{} of ", show_percent(Ratio::from_decimal(part))),
                };
                node.detail =
                    Some(format!("{}; takes back {part}what {paid_in} paid on it", node.detail.unwrap_or_default()));
            }
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

    /// The tables keyed on `credit.amount` that one deal's part reads, each with the bands the
    /// deal's amount filled. A reversal shows those of the amount it takes back (its original
    /// row's), paid when the deal was.
    fn deal_tables(&self, tables: &[(RateTableId, Option<Expr>)], credit: &CreditRow) -> Result<Vec<Node>, Fault> {
        let rules = self.cx.shared.ws.crediting.as_ref();
        let original = if credit.reversal {
            original_of(rules, credit, credit.date)
                .ok_or_else(|| Fault::overflow("the amount a reversal takes back"))?
        } else {
            *credit
        };
        let row = &original;
        let mut out = Vec::new();
        for (id, base) in tables {
            // A reversal of a deal paid in order takes back what the deal was paid then, from where
            // the running total stood in its own period: its row says which period that was.
            let in_order = self.plan.running_total(*id, base.as_ref()).is_some()
                || matches!(self.plan.tables[*id].key, TableKey::Earning { .. });
            if credit.reversal && in_order {
                continue;
            }
            let mut node = self.table_on(*id, base.as_ref(), Row::Credit(row))?;
            if credit.reversal {
                node.detail = Some("as the deal was paid, taken back".to_string());
            }
            out.push(node);
        }
        Ok(out)
    }

    /// A clause of an earning, as a source: its `when`, its gate or its `index`th limit.
    fn clause(&self, e: &Earning, clause: ClauseKind, index: usize) -> Source {
        Source::Clause {
            plan: self.plan.name.clone(),
            version: self.plan.version,
            earning: e.name.clone(),
            clause,
            index,
        }
    }
}

/// The tables keyed on one credit's amount, and the marginal tables that pay deals in order on a
/// running total, that an earning's amount applies, with their bases, each once in the order
/// written: the tables `explain` shows for each deal. A base other than the credit's amount itself
/// (a retroactive rate on a computed base) may read the period, which a reversal values as it was
/// then: such a table is shown with the earning's value alone.
fn per_deal_tables(plan: &model::Plan, value: &Expr) -> Vec<(RateTableId, Option<Expr>)> {
    let mut found: Vec<(RateTableId, Option<Expr>)> = Vec::new();
    value.walk(&mut |e| {
        if let Expr::Table { id, base } = e {
            let own_total = plan.tables.get(*id).is_some_and(|t| matches!(t.key, TableKey::Earning { .. }));
            let keyed = plan.tables.get(*id).is_some_and(|t| match &t.key {
                model::TableKey::CreditAmount => true,
                // A lookup on a column of the deal chooses its row deal by deal.
                model::TableKey::Lookup(key) => reads_the_row(key),
                _ => false,
            }) || plan.running_total(*id, base.as_deref()).is_some()
                || own_total;
            // A table on the earning's own total is shown whatever the base it fills.
            let own_amount =
                own_total || base.as_deref().is_none_or(|b| *b == Expr::Credit(model::CreditField::Amount));
            if keyed && own_amount && !found.iter().any(|(f, _)| f == id) {
                found.push((*id, base.as_deref().cloned()));
            }
        }
    });
    found
}

/// Whether an expression reads a column of the row at hand (`deal.product`).
fn reads_the_row(e: &Expr) -> bool {
    let mut found = false;
    e.walk(&mut |e| found |= matches!(e, Expr::Row(_)));
    found
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
