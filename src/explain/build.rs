//! Building the tree of one evaluated pay period: each payout line, then what it was computed from —
//! tables with their bands, attainments, quotas by month, measures with the credit rows they count —
//! then pay (draw, recovery, deferral) and the total.

use super::values::{show_money, show_percent, show_ratio};
use super::{Node, Source};
use crate::eval::allocate::largest_remainder;
use crate::eval::credit::{CreditRow, Kind};
use crate::eval::earn::{limit_bit, rank};
use crate::eval::error::Fault;
use crate::eval::exact::Ratio;
use crate::eval::history::{Seen, Snapshot};
use crate::eval::hold::{Due, Held};
use crate::eval::interp::{eval, num, truth, Context as _, Row};
use crate::eval::rates;
use crate::eval::rep::{Counted, RepPlan};
use crate::ledger::Recorded;
use crate::model::{self, Aggregate, EarningForm, Expr, LimitKind, Rows, Scope, TableKey, ValueKind};
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
    let total = recorded.rows.iter().find(|(c, _)| c == "total").map_or(Decimal::ZERO, |(_, a)| *a);
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
            Node::new("adjustment")
                .value(b.money_d(s.adjustment))
                .detail("closed periods recomputed: what they earn now minus what the ledger records they earned"),
        );
    }
    let moves = s.holds;
    if !moves.hold.is_zero() {
        let mut node = Node::new("hold")
            .value(b.money_d(moves.hold))
            .detail("held back, paid when it falls due")
            .source(b.item("hold"));
        node.children = moves.held.iter().map(|h| b.held(h, "held")).collect();
        root.children.push(node);
    }
    if !moves.release.is_zero() {
        let mut node = Node::new("release")
            .value(b.money_d(moves.release))
            .detail("held in an earlier period, due now")
            .source(b.item("hold"));
        node.children = moves.released.iter().map(|h| b.held(h, "released")).collect();
        root.children.push(node);
    }
    root.children.push(b.pay(s));
    Ok(root)
}

struct Builder<'s, 'a> {
    cx: &'s RepPlan<'a>,
    plan: &'a model::Plan,
    /// What was already derived in full (a measure's rows in a window, a quota's months, an
    /// attainment): shown again, it is one line saying so.
    listed: std::cell::RefCell<HashSet<(char, usize, i32, i32)>>,
}

impl Builder<'_, '_> {
    fn definition(&self, name: &str) -> Source {
        Source::Definition { plan: self.plan.name.clone(), version: self.plan.version, name: name.to_string() }
    }

    fn item(&self, keyword: &str) -> Source {
        Source::Item { plan: self.plan.name.clone(), version: self.plan.version, keyword: keyword.to_string() }
    }

    fn money(&self, value: Ratio) -> String {
        show_money(value, &self.plan.currency, self.plan.rounding.decimals)
    }

    fn money_d(&self, value: Decimal) -> String {
        self.money(Ratio::from_decimal(value))
    }

    fn earning(&self, index: usize, line: &crate::eval::earn::Line, s: &Snapshot<'_, '_>) -> Result<Node, Fault> {
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
    fn outer_limits(&self, index: usize, line: &crate::eval::earn::Line) -> Result<Option<Node>, Fault> {
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
        line: &crate::eval::earn::Line,
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
    fn deps(&self, expr: &Expr) -> Result<Vec<Node>, Fault> {
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

    fn table(&self, id: usize, base: Option<&Expr>) -> Result<Node, Fault> {
        let t = &self.plan.tables[id];
        let work = rates::work(self.cx, id, base, Row::None)?;
        let mode = match &t.rows {
            Rows::Marginal(_) => "marginal",
            Rows::Retroactive(_) => "retroactive",
            Rows::Linear(_) => "linear",
            Rows::Lookup { .. } => "lookup",
        };
        // A table's value is money, except a number table's, or rates applied to a count.
        let count_base = matches!(base, Some(Expr::Measure { id, .. }) if matches!(self.plan.measures[*id].aggregate, Aggregate::Count));
        let amount = |v: Ratio| match t.values {
            ValueKind::Number => show_ratio(v, self.plan.rounding.decimals),
            ValueKind::Rate if count_base => show_ratio(v, self.plan.rounding.decimals),
            _ => self.money(v),
        };
        let mut node =
            Node::new(format!("table {} ({mode})", t.name)).value(amount(work.value)).source(self.definition(&t.name));
        match &t.key {
            TableKey::Attainment(a) => node.children.push(self.attainment(*a)?),
            TableKey::Measure { id, scope: Some(scope) } => node.children.push(self.measure(*id, *scope)?),
            _ => {}
        }
        if let Some(base) = base {
            // A marginal table on attainment applies to the attainment's own measure, shown above.
            let shown = match (&t.key, base) {
                (TableKey::Attainment(a), Expr::Measure { id, scope }) => {
                    let a = &self.plan.attainments[*a];
                    (a.measure, a.measure_scope) == (*id, *scope)
                }
                // So does a table keyed on the measure it is applied to, in the same scope.
                (TableKey::Measure { id: key, scope: Some(at) }, Expr::Measure { id, scope }) => {
                    (*key, *at) == (*id, *scope)
                }
                _ => false,
            };
            if !shown {
                node.children.extend(self.deps(base)?);
            }
        }
        // A table keyed on a count (of meetings, of deals) has bands of counts, not of money.
        let counts = matches!(t.key, TableKey::Measure { id, .. } if matches!(self.plan.measures[id].aggregate, Aggregate::Count));
        let bound = |d: Decimal| match t.key {
            TableKey::Attainment(_) => show_percent(Ratio::from_decimal(d)),
            _ if counts => show_ratio(Ratio::from_decimal(d), 0),
            _ => self.money(Ratio::from_decimal(d)),
        };
        let key_shown = |work: &rates::Work| match work.key {
            Some(k) if counts => show_ratio(k, 0),
            _ => key_text(work, t),
        };
        let rate = |d: Decimal| match t.values {
            ValueKind::Rate => show_percent(Ratio::from_decimal(d)),
            ValueKind::Money => self.money(Ratio::from_decimal(d)),
            ValueKind::Number => show_ratio(Ratio::from_decimal(d), 0),
        };
        let row_source = |row: Option<usize>| Source::Row {
            plan: self.plan.name.clone(),
            version: self.plan.version,
            table: t.name.clone(),
            row,
        };
        let band_name = |b: &model::Band| match b.to {
            Some(to) => format!("band from {} to {}", bound(b.from), bound(to)),
            None => format!("band {} and above", bound(b.from)),
        };
        match &t.rows {
            Rows::Marginal(bands) => {
                for slice in &work.slices {
                    let band = &bands[slice.band];
                    let slice_decimals = if counts { 0 } else { self.plan.rounding.decimals };
                    let product = format!(
                        "{} × {} = {}",
                        show_ratio(slice.slice, slice_decimals),
                        rate(band.value),
                        show_ratio(slice.amount, self.plan.rounding.decimals)
                    );
                    node.children.push(
                        Node::new(band_name(band))
                            .value(amount(slice.amount))
                            .detail(product)
                            .source(row_source(Some(slice.band))),
                    );
                }
            }
            Rows::Retroactive(bands) => {
                if let Some(band) = work.row.and_then(|r| bands.get(r)) {
                    let detail = match work.base {
                        Some(b) => format!(
                            "reached at {}: {} × {} on the whole base",
                            key_shown(&work),
                            show_ratio(b, self.plan.rounding.decimals),
                            rate(band.value)
                        ),
                        None => format!("reached at {}", key_shown(&work)),
                    };
                    node.children.push(
                        Node::new(band_name(band)).value(rate(band.value)).detail(detail).source(row_source(work.row)),
                    );
                }
            }
            Rows::Linear(points) => {
                if let Some(i) = work.row {
                    let (x0, y0) = points[i];
                    let below = work.key.is_some_and(|k| k < Ratio::from_decimal(x0));
                    let detail = match points.get(i + 1) {
                        _ if below => {
                            format!("at {}, below the first point {} → {}: flat", key_shown(&work), bound(x0), rate(y0))
                        }
                        Some((x1, y1)) => format!(
                            "at {}, between {} → {} and {} → {}",
                            key_shown(&work),
                            bound(x0),
                            rate(y0),
                            bound(*x1),
                            rate(*y1)
                        ),
                        None => format!(
                            "at {}, at or beyond the last point {} → {}: flat",
                            key_shown(&work),
                            bound(x0),
                            rate(y0)
                        ),
                    };
                    node.children.push(
                        Node::new("interpolated").value(amount(work.value)).detail(detail).source(row_source(Some(i))),
                    );
                }
            }
            Rows::Lookup { entries, otherwise } => {
                let key = work.text_key.clone().unwrap_or_default();
                let (label, value, row) = match work.row.and_then(|r| entries.get(r).map(|e| (r, e))) {
                    Some((r, (k, v))) => (format!("row \"{k}\""), *v, Some(r)),
                    None => ("otherwise".to_string(), otherwise.unwrap_or_default(), None),
                };
                node.children.push(
                    Node::new(label).value(rate(value)).detail(format!("the key is \"{key}\"")).source(row_source(row)),
                );
            }
        }
        Ok(node)
    }

    /// Whether a derivation is shown for the first time (and from now on, no longer).
    fn first_time(&self, kind: char, id: usize, (from, to): (i32, i32)) -> bool {
        self.listed.borrow_mut().insert((kind, id, from, to))
    }

    fn attainment(&self, id: usize) -> Result<Node, Fault> {
        let a = &self.plan.attainments[id];
        let (m, q) = self.cx.attainment_parts(id)?;
        let value = self.cx.attainment(id)?;
        let decimals = self.plan.rounding.decimals;
        let node =
            Node::new(format!("attainment {}", a.name)).value(show_percent(value)).source(self.definition(&a.name));
        if !self.first_time('a', id, (0, 0)) {
            return Ok(node.detail("derived above"));
        }
        let decimals = if matches!(self.plan.measures[a.measure].aggregate, Aggregate::Count) { 0 } else { decimals };
        Ok(node
            .detail(format!("{} / {}", show_ratio(m, decimals), show_ratio(q, decimals)))
            .child(self.measure(a.measure, a.measure_scope)?)
            .child(self.quota(a.quota, a.quota_scope)?))
    }

    /// A quota is a number of things (meetings) when an attainment compares a count with it, and
    /// an amount otherwise.
    fn quota_amount(&self, id: usize, value: Ratio) -> String {
        let counts = self
            .plan
            .attainments
            .iter()
            .any(|a| a.quota == id && matches!(self.plan.measures[a.measure].aggregate, Aggregate::Count));
        if counts {
            show_ratio(value, 0)
        } else {
            self.money(value)
        }
    }

    fn quota(&self, id: usize, scope: Scope) -> Result<Node, Fault> {
        let q = &self.plan.quotas[id];
        let (from, to) = self.cx.cal.quota_window(&self.cx.period, scope);
        let mut node = Node::new(format!("quota {} {}", q.name, scope.keyword()))
            .value(self.quota_amount(id, self.cx.quota(id, scope)?))
            .source(self.definition(&q.name));
        if !self.first_time('q', id, (from, to)) {
            return Ok(node.detail("its months are listed above"));
        }
        for month in from..=to {
            let amount = self.cx.month_quota(id, month)?;
            node.children.push(Node::new(crate::eval::period::month_name(month)).value(self.quota_amount(id, amount)));
        }
        Ok(node)
    }

    fn measure(&self, id: usize, scope: Scope) -> Result<Node, Fault> {
        let m = &self.plan.measures[id];
        let value = self.cx.measure(id, scope)?;
        let shown = match m.aggregate {
            Aggregate::Count => show_ratio(value, 0),
            Aggregate::Sum(_) => self.money(value),
        };
        let mut node =
            Node::new(format!("measure {} {}", m.name, scope.keyword())).value(shown).source(self.definition(&m.name));
        let (from, to) = self.cx.cal.measure_window(&self.cx.period, scope);
        if !self.first_time('m', id, (from, to)) {
            node.detail = Some("its rows are listed above".to_string());
            return Ok(node);
        }
        let mut rows = Vec::new();
        self.cx.measure_rows(id, |counted, month, v| {
            if month < from || month > to {
                return Ok(());
            }
            let shown = match m.aggregate {
                Aggregate::Count => show_ratio(v.ratio(), 0),
                Aggregate::Sum(_) => self.money(v.ratio()),
            };
            rows.push(match counted {
                Counted::Credit { row, from } => self.credit_row(row, from).value(shown),
                Counted::Table { table, row } => {
                    let data = self.cx.shared.data;
                    let name = data.key_text_of(table, row).map_or_else(|| format!("row {}", row + 2), str::to_string);
                    Node::new(format!("{} {name}", self.cx.shared.ws.schema.tables[table].row_name)).value(shown)
                }
            });
            Ok(())
        })?;
        if rows.is_empty() {
            node.detail = Some("no rows count in this window".to_string());
        }
        node.children = rows;
        Ok(node)
    }

    /// A credit row: the deal, how the rep is credited, when.
    fn credit_row(&self, row: &CreditRow, from: u32) -> Node {
        let shared = self.cx.shared;
        let Some(rules) = shared.ws.crediting.as_ref() else { return Node::new("credit") };
        let deal = shared.data.key_text_of(rules.deals, row.deal).unwrap_or("?").to_string();
        let who = |r: u32| shared.data.key_text_of(rules.reps, r).unwrap_or("?").to_string();
        let how = match row.kind {
            Kind::Direct => "direct credit".to_string(),
            Kind::Split => format!("split credit, {} share", show_percent(Ratio::from_decimal(row.share))),
            Kind::Territory => "territory credit".to_string(),
            Kind::Rollup => format!("rollup from {}", who(from)),
        };
        let rule = match (row.reversal, row.kind) {
            (true, _) => "clawback",
            (_, Kind::Direct) => "owner",
            (_, Kind::Split) => "split",
            (_, Kind::Territory) => "territory",
            (_, Kind::Rollup) => "rollup",
        };
        let label = if row.reversal { format!("deal {deal} reversed") } else { format!("deal {deal}") };
        let when = if row.reversal { "cancelled" } else { "closed" };
        let mut node = Node::new(label)
            .detail(format!("{how}, {when} {}", row.date))
            .source(Source::Credit { rule: rule.to_string() });
        // A deal in another currency: its own amount, converted at the rate of its date (a reversal
        // takes back the amount as converted then).
        if let Some(c) = &rules.convert {
            let data = shared.data;
            let currency =
                data.sym(c.deal_currency, row.deal).map(|s| data.strings.text(s).to_string()).unwrap_or_default();
            let credit_currency = rules.currency.as_deref().unwrap_or(&self.plan.currency);
            if let (false, Some(raw), Some(day)) =
                (currency == credit_currency, data.number(rules.amount, row.deal), data.date(c.date, row.deal))
            {
                node.children.push(
                    Node::new(format!("converted from {raw} {currency}"))
                        .detail(format!("at the {currency} rate in effect on {day}"))
                        .source(Source::Credit { rule: "convert".to_string() }),
                );
            }
        }
        node
    }

    /// A part held or released: until when, or since when.
    fn held(&self, h: &Held, what: &str) -> Node {
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
                    .and_then(|rules| crate::eval::credit::reversal_day(rules, data, deal));
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
        for (name, amount, why) in [
            ("recovery", st.recovery, "taken from the earnings against the balance owed"),
            ("draw", st.draw, "tops the payment up to the guaranteed amount"),
            (
                "deferred",
                st.deferred,
                "a negative result is not paid back now: it is owed, recovered from later earnings",
            ),
        ] {
            if !amount.is_zero() {
                let source = if name == "deferred" { self.item("plan") } else { self.item("draw") };
                node.children.push(Node::new(name).value(self.money_d(amount)).detail(why).source(source));
            }
        }
        node.children.push(Node::new("total").value(self.money_d(st.total)));
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

fn key_text(work: &rates::Work, table: &model::RateTable) -> String {
    match (work.key, &table.key) {
        (Some(k), TableKey::Attainment(_)) => show_percent(k),
        (Some(k), _) => show_ratio(k, 2),
        (None, _) => "its key".to_string(),
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
