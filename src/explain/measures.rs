//! Explaining what an earning reads: attainments, quotas by month, and measures with the credit
//! rows they count (shown in full once, then named).

use super::build::Builder;
use super::{CreditRule, Node, Source};
use crate::data::RepIdx;
use crate::eval::derivation::Context as _;
use crate::eval::derivation::Counted;
use crate::eval::derivation::{CreditRow, Kind};
use crate::eval::error::Fault;
use crate::model::{Aggregate, AttainmentId, EarningId, MeasureId, MeasureSource, QuotaId, Reach, Scope};
use crate::num::Ratio;
use crate::num::{show_percent, show_ratio};

/// A derivation shown in full once in a tree: shown again, it is one line saying so.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) enum Listed {
    /// An attainment, with its measure and quota.
    Attainment(AttainmentId),
    /// A quota's months in a window (first and last month).
    QuotaMonths(QuotaId, (i32, i32)),
    /// The rows a measure counts in a window (first and last month).
    MeasureRows(MeasureId, (i32, i32)),
}

impl Builder<'_, '_> {
    /// Whether a derivation is shown for the first time (and from now on, no longer).
    pub(super) fn first_time(&self, listed: Listed) -> bool {
        self.listed.borrow_mut().insert(listed)
    }

    pub(super) fn attainment(&self, id: AttainmentId) -> Result<Node, Fault> {
        let a = &self.plan.attainments[id];
        let (m, q) = self.cx.attainment_parts(id)?;
        let value = self.cx.attainment(id)?;
        let decimals = self.plan.rounding.decimals;
        let node =
            Node::new(format!("attainment {}", a.name)).value(show_percent(value)).source(self.definition(&a.name));
        if !self.first_time(Listed::Attainment(id)) {
            return Ok(node.detail("derived above"));
        }
        let decimals = if matches!(self.plan.measures[a.measure].aggregate, Aggregate::Count) { 0 } else { decimals };
        Ok(node
            .detail(format!("{} / {}", show_ratio(m, decimals), show_ratio(q, decimals)))
            .child(self.measure(a.measure, a.measure_scope)?)
            .child(self.quota(a.quota, a.quota_scope)?))
    }

    /// A quota as its plan typed it: an amount in the plan's currency, or a number of things
    /// (meetings, months) shown as the number it is.
    pub(super) fn quota_amount(&self, id: QuotaId, value: Ratio) -> String {
        if self.plan.quotas[id].money {
            self.money(value)
        } else {
            show_ratio(value, 0)
        }
    }

    /// An earning read by another (`commission period`): the sum of its exact lines in the
    /// window, each pay period's line listed, before rounding and with no hold deducted.
    pub(super) fn earning_read(&self, id: EarningId, scope: Scope) -> Result<Node, Fault> {
        let name = &self.plan.earnings[id].name;
        let window = self.cx.cal.measure_window(&self.cx.period, scope);
        let mut node = Node::new(format!("earning {name} {}", scope.keyword()))
            .value(self.money(self.cx.earning(id, scope)?))
            .detail("the sum of its lines in the window, before rounding, holds not deducted")
            .source(self.definition(name));
        let earned = self.cx.earned.borrow();
        for line in earned.within(name, window) {
            node.children.push(Node::new(format!("{name}, {}", line.period.name())).value(self.money(line.exact)));
        }
        if node.children.is_empty() {
            node = node.detail("no line in the window: the rep was not paid under the plan in it");
        }
        Ok(node)
    }

    /// An earning of the reps below (`commission period of every rep below`): the sum, then each
    /// report's line in the window with the plan line it was earned under.
    pub(super) fn team_read(
        &self,
        plan: Option<&str>,
        earning: &str,
        reach: Reach,
        scope: Scope,
    ) -> Result<Node, Fault> {
        let parts = self.cx.team_parts(plan, earning, reach, scope)?;
        let total = parts.iter().try_fold(Ratio::ZERO, |sum, p| sum.checked_add(p.line.exact))?;
        let named = plan.map_or_else(|| earning.to_string(), |p| format!("{p}.{earning}"));
        let mut node = Node::new(format!("{named} {} {}", scope.keyword(), reach.words()))
            .value(self.money(total))
            .detail("the sum of the reps' lines in the window, before rounding, holds not deducted");
        let shared = self.cx.shared;
        for part in &parts {
            let id = match &shared.ws.crediting {
                Some(rules) => shared.data.key_text(&shared.ws.schema, rules.reps, part.rep).to_string(),
                None => String::new(),
            };
            let source =
                Source::Definition { plan: part.plan.clone(), version: part.line.version, name: earning.to_string() };
            node.children.push(
                Node::new(format!("rep {id} · {} {earning}, {}", part.plan, part.line.period.name()))
                    .value(self.money(part.line.exact))
                    .source(source),
            );
        }
        if node.children.is_empty() {
            node = node.detail("no rep below earned it in the window");
        }
        Ok(node)
    }

    pub(super) fn quota(&self, id: QuotaId, scope: Scope) -> Result<Node, Fault> {
        let q = &self.plan.quotas[id];
        let (from, to) = self.cx.cal.quota_window(&self.cx.period, scope);
        let mut node = Node::new(format!("quota {} {}", q.name, scope.keyword()))
            .value(self.quota_amount(id, self.cx.quota(id, scope)?))
            .source(self.definition(&q.name));
        if !self.first_time(Listed::QuotaMonths(id, (from, to))) {
            return Ok(node.detail("its months are listed above"));
        }
        for month in from..=to {
            let amount = self.cx.month_quota(id, month)?;
            node.children
                .push(Node::new(crate::eval::derivation::month_name(month)).value(self.quota_amount(id, amount)));
        }
        Ok(node)
    }

    /// A measure's value, or one row's part of it, as its plan typed it: a count as a whole
    /// number, a sum of money in the plan's currency, a sum of units (seats) as a plain number.
    fn measure_amount(&self, m: &crate::model::Measure, value: Ratio) -> String {
        match m.aggregate {
            Aggregate::Count => show_ratio(value, 0),
            Aggregate::Sum(_) if m.money => self.money(value),
            Aggregate::Sum(_) => show_ratio(value, self.plan.rounding.decimals),
        }
    }

    pub(super) fn measure(&self, id: MeasureId, scope: Scope) -> Result<Node, Fault> {
        let m = &self.plan.measures[id];
        let value = self.cx.measure(id, scope)?;
        let shown = self.measure_amount(m, value);
        let mut node =
            Node::new(format!("measure {} {}", m.name, scope.keyword())).value(shown).source(self.definition(&m.name));
        let (from, to) = self.cx.cal.measure_window(&self.cx.period, scope);
        if !self.first_time(Listed::MeasureRows(id, (from, to))) {
            node.detail = Some("its rows are listed above".to_string());
            return Ok(node);
        }
        let mut rows = Vec::new();
        self.cx.measure_rows(id, (from, to), |counted, _, v| {
            let v = v?;
            let shown = self.measure_amount(m, v.ratio());
            rows.push(match counted {
                Counted::Credit { row, from } => self.credit_row(row, from).value(shown),
                Counted::Table { table, row } => {
                    let data = self.cx.shared.data;
                    let schema = &self.cx.shared.ws.schema;
                    let name =
                        data.key_text_of(table, row).map_or_else(|| format!("row {}", row.index() + 2), str::to_string);
                    let mut node = Node::new(format!("{} {name}", schema.tables[table].row_name)).value(shown);
                    // The row is dated by the measure's `on` column: say which, and the day.
                    if let MeasureSource::Table { date, .. } = m.source {
                        if let Some(day) = data.date(date, row) {
                            let t = &schema.tables[date.table];
                            node = node.detail(format!("{}.{} {day}", t.row_name, t.columns[date.column].name));
                        }
                    }
                    node
                }
            });
            Ok(())
        })?;
        if rows.is_empty() {
            node.detail = Some("no rows count in this window".to_string());
        }
        // A measure summed `each` value of a column: what each value counted for, before its rows.
        for group in self.cx.groups_in(id, (from, to))? {
            let mut line = Node::new(format!("each {}", group.key)).value(self.measure_amount(m, group.counted));
            if group.counted != group.sum {
                line = line.detail(format!("its rows sum to {}, held to the limit", self.measure_amount(m, group.sum)));
            }
            node.children.push(line);
        }
        node.children.extend(rows);
        Ok(node)
    }

    /// A credit row: the deal, how the rep is credited, when.
    pub(super) fn credit_row(&self, row: &CreditRow, from: RepIdx) -> Node {
        let shared = self.cx.shared;
        let Some(rules) = shared.ws.crediting.as_ref() else { return Node::new("credit") };
        let deal = shared.data.key_text_of(rules.deals, row.deal).unwrap_or("?").to_string();
        let who = |r: RepIdx| shared.data.key_text_of(rules.reps, r).unwrap_or("?").to_string();
        let how = match row.kind {
            Kind::Direct => "direct credit".to_string(),
            Kind::Split => format!("split credit, {} share", show_percent(Ratio::from_decimal(row.share))),
            Kind::Territory => "territory credit".to_string(),
            Kind::Rollup => format!("rollup from {}", who(from)),
        };
        let rule = match (row.reversal, row.kind) {
            (true, _) => CreditRule::Clawback,
            (_, Kind::Direct) => CreditRule::Owner,
            (_, Kind::Split) => CreditRule::Split,
            (_, Kind::Territory) => CreditRule::Territory,
            (_, Kind::Rollup) => CreditRule::Rollup,
        };
        let label = if row.reversal { format!("deal {deal} reversed") } else { format!("deal {deal}") };
        let when = if row.reversal { "cancelled" } else { "closed" };
        let mut node = Node::new(label).detail(format!("{how}, {when} {}", row.date)).source(Source::Credit { rule });
        // A deal in another currency: its own amount, converted at the rate of its date (a reversal
        // takes back the amount as converted then).
        if let Some(c) = &rules.convert {
            let data = shared.data;
            let currency =
                data.sym(c.deal_currency, row.deal).map(|s| data.strings.text(s).to_string()).unwrap_or_default();
            let credit_currency = rules.currency.as_deref().unwrap_or_default();
            if let (false, Some(raw), Some(day)) =
                (currency == credit_currency, data.number(rules.amount, row.deal), data.date(c.date, row.deal))
            {
                node.children.push(
                    Node::new(format!("converted from {raw} {currency}"))
                        .detail(format!("at the {currency} rate in effect on {day}"))
                        .source(Source::Credit { rule: CreditRule::Convert }),
                );
            }
        }
        node
    }
}
