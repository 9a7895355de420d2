//! Reading one evaluated pay period for a statement, while the runtime evaluates the rep (the same
//! window `explain` reads it through): the credited deals of the period, each earning's part per
//! deal (largest remainder, as `explain` allocates), what was held and released, and which lines a
//! limit bound. No amount is computed again: the lines themselves come from the payroll's rows.

use super::{Allocation, Deal, Moved, Parts, Reading};
use crate::data::RepIdx;
use crate::eval::derivation::{
    largest_remainder, limit_bit, month_name, Counted, CreditRow, Due, Held, Kind, RepPlan, Seen, Snapshot,
};
use crate::eval::error::Fault;
use crate::model::{EarningForm, EarningId, Expr, LimitKind, TableKey};
use crate::num::Ratio;
use rust_decimal::Decimal;
use std::collections::HashMap;

/// What a statement reads of one pay period of `rep` under a plan. Only the periods `wanted` (by
/// their header) are read in full; of the others (the earlier periods of the year, whose rows alone
/// are shown) only the period is named, and so of a closed period, paid as recorded.
pub fn read(seen: &Seen<'_, '_>, rep: &str, wanted: &dyn Fn(&Reading) -> bool) -> Result<Reading, Fault> {
    match seen {
        Seen::Open(s) => {
            let header = header(s.cx, rep, false);
            if wanted(&header) {
                open(s, header)
            } else {
                Ok(header)
            }
        }
        Seen::Closed { cx, .. } => Ok(header(cx, rep, true)),
    }
}

/// The rep, the plan and the period, with nothing read yet.
fn header(cx: &RepPlan<'_>, rep: &str, closed: bool) -> Reading {
    let plan = cx.plan;
    let shared = cx.shared;
    let rep_name = shared.ws.crediting.as_ref().and_then(|rules| {
        let table = &shared.ws.schema.tables[rules.reps];
        let column = table.columns.iter().position(|c| c.name == "name")?;
        shared.data.text(rules.reps, column, cx.rep).map(str::to_string)
    });
    Reading {
        bands: bands(plan),
        rep: rep.to_string(),
        rep_name,
        plan: plan.name.clone(),
        title: plan.title.clone(),
        version: plan.version,
        currency: plan.currency.clone(),
        decimals: plan.rounding.decimals,
        period: cx.period.name(),
        year: cx.period.year,
        last: cx.period.last,
        start: cx.period.start(),
        end: cx.period.end(),
        closed,
        deals: Vec::new(),
        parts: Vec::new(),
        held: Vec::new(),
        released: Vec::new(),
        bound: Vec::new(),
        advances: plan
            .draws
            .iter()
            .filter(|d| d.advance)
            .map(|d| d.name.clone().unwrap_or_else(|| "draw".into()))
            .collect(),
        curves: Vec::new(),
        money: plan
            .attainments
            .iter()
            .map(|a| (a.name.clone(), plan.measures[a.measure].money, plan.quotas[a.quota].money))
            .collect(),
    }
}

/// Where the bands and points of the plan's tables keyed on each attainment start (fractions,
/// ascending, without 0): the thresholds a rep's attainment moves towards.
fn bands(plan: &crate::model::Plan) -> Vec<(String, Vec<Decimal>)> {
    use crate::model::Rows;
    let mut out = Vec::new();
    for (id, attainment) in plan.attainments.iter_enumerated() {
        let mut at: Vec<Decimal> = Vec::new();
        for table in plan.tables.iter().filter(|t| t.key == TableKey::Attainment(id)) {
            match &table.rows {
                Rows::Marginal(bands) | Rows::Retroactive(bands) => at.extend(bands.iter().map(|b| b.from)),
                Rows::Linear(points) => at.extend(points.iter().map(|p| p.0)),
                Rows::Lookup { .. } => {}
            }
        }
        at.retain(|b| b.is_sign_positive() && !b.is_zero());
        at.sort();
        at.dedup();
        out.push((attainment.name.clone(), at));
    }
    out
}

/// An open period: its deals, each earning's parts, its holds and the limits that bound a line.
fn open(s: &Snapshot<'_, '_>, mut reading: Reading) -> Result<Reading, Fault> {
    let mut deals = Deals::default();
    let months = (s.cx.period.first, s.cx.period.last);
    // What each measure counted in the period, by deal: the weights of a line read from measures.
    let mut counted: HashMap<crate::model::MeasureId, Vec<(usize, Ratio)>> = HashMap::new();
    for (id, _) in s.cx.plan.measures.iter_enumerated() {
        let mut rows = Vec::new();
        s.cx.measure_rows(id, months, |c, _, value| {
            if let Counted::Credit { row, from } = c {
                let at = deals.at(s.cx, row, from);
                rows.push((at, value?.ratio()));
            }
            Ok(())
        })?;
        counted.insert(id, rows);
    }
    for (id, line) in s.lines.iter_enumerated() {
        let earning = &s.cx.plan.earnings[id];
        let parts = match &earning.form {
            EarningForm::PerDeal { by_share, .. } => per_deal(s, id, *by_share, line.line, &mut deals)?,
            EarningForm::Plain => by_credit(s, &earning.value, line.line, &counted)?,
            EarningForm::Once { .. } => {
                Parts { earning: earning.name.clone(), how: Allocation::None, parts: Vec::new() }
            }
        };
        reading.parts.push(Parts { earning: earning.name.clone(), ..parts });
        // Which kinds of limit bound the line (bit `i` for the earning's limit `i`).
        let kinds: Vec<LimitKind> = (earning.limits.iter().enumerate())
            .filter(|(i, _)| line.bound & limit_bit(*i) != 0)
            .map(|(_, l)| l.kind)
            .collect();
        let words = match (kinds.contains(&LimitKind::Cap), kinds.contains(&LimitKind::Floor)) {
            (true, true) => Some("a cap and a floor"),
            (true, false) => Some("a cap"),
            (false, true) => Some("a floor"),
            (false, false) => None,
        };
        if let Some(words) = words {
            reading.bound.push((earning.name.clone(), words));
        }
    }
    reading.deals = deals.list;
    reading.curves = curves(s.cx)?;
    reading.held = s.holds.held.iter().map(|h| moved(s.cx, h, true)).collect();
    reading.released = s.holds.released.iter().map(|h| moved(s.cx, h, false)).collect();
    Ok(reading)
}

/// The plan's payout curves for the rep: each attainment's, against the rep's quota of the curve's
/// window, with the rep's attainment marked. An attainment whose quota is not positive has none.
fn curves(cx: &RepPlan<'_>) -> Result<Vec<super::PayoutCurve>, Fault> {
    use crate::eval::derivation::Context as _;
    let mut out = Vec::new();
    for (id, a) in cx.plan.attainments.iter_enumerated() {
        let quota = cx.quota(a.quota, crate::eval::curve::window(cx.plan, id))?;
        if quota.is_zero() || quota.is_negative() {
            continue;
        }
        let Ok(own) = cx.attainment(id) else { continue };
        let rep = Some((cx.shared.data, cx.rep, own));
        let curve = super::curve::payout_curve(cx.plan, id, quota, &cx.shared.ws.schema, rep)?;
        if !curve.earnings.is_empty() {
            out.push(curve);
        }
    }
    Ok(out)
}

/// A per-deal earning's line split across the rows it pays on, as `explain` splits it: each row's
/// value (a reversal's negated, and only when its deal's period was paid) as the weight.
fn per_deal(
    s: &Snapshot<'_, '_>,
    id: EarningId,
    by_share: bool,
    line: Decimal,
    deals: &mut Deals,
) -> Result<Parts, Fault> {
    let cx = s.cx;
    let mut rows: Vec<(usize, Ratio)> = Vec::new();
    cx.per_deal_rows(id, by_share, (cx.period.first, cx.period.last), |credit, from, original, value| {
        let value = value?;
        let paid = !credit.reversal || s.evaluated.contains(&cx.cal.period_of(original).first);
        if paid {
            let v = value.ratio();
            rows.push((deals.at(cx, credit, from), if credit.reversal { v.checked_neg()? } else { v }));
        }
        Ok(())
    })?;
    allocate(line, &rows, cx.plan.rounding.decimals, Allocation::PerDeal)
}

/// A line that reads measures, shared across the deals those measures counted in the period in
/// proportion to what each counted. A line that reads no measure, or whose deals count nothing in
/// sum, is not shared.
fn by_credit(
    s: &Snapshot<'_, '_>,
    value: &Expr,
    line: Decimal,
    counted: &HashMap<crate::model::MeasureId, Vec<(usize, Ratio)>>,
) -> Result<Parts, Fault> {
    // The measures the value reads: directly, through an attainment, or as a table's key.
    let plan = s.cx.plan;
    let mut read = Vec::new();
    value.walk(&mut |e| {
        let measure = match e {
            Expr::Measure { id, .. } => Some(*id),
            Expr::Attainment(a) => Some(plan.attainments[*a].measure),
            Expr::Table { id, .. } => match &plan.tables[*id].key {
                TableKey::Attainment(a) => Some(plan.attainments[*a].measure),
                TableKey::Measure { id, .. } => Some(*id),
                _ => None,
            },
            _ => None,
        };
        if let Some(id) = measure.filter(|id| !read.contains(id)) {
            read.push(id);
        }
    });
    let mut weights: Vec<(usize, Ratio)> = Vec::new();
    for id in &read {
        for (deal, w) in counted.get(id).into_iter().flatten() {
            match weights.iter_mut().find(|(d, _)| d == deal) {
                Some((_, sum)) => *sum = sum.checked_add(*w)?,
                None => weights.push((*deal, *w)),
            }
        }
    }
    // Each deal's exact part of the line: its weight times the line over the weights' sum. A sum of
    // zero (or one too large to divide exactly) leaves the line unsplit.
    let unsplit = || Parts { earning: String::new(), how: Allocation::None, parts: Vec::new() };
    let shares = || -> Result<Option<Vec<(usize, Ratio)>>, crate::num::Overflow> {
        let mut sum = Ratio::ZERO;
        for (_, w) in &weights {
            sum = sum.checked_add(*w)?;
        }
        let mut out = Vec::new();
        for (deal, w) in &weights {
            let Some(share) = w.checked_mul(Ratio::from_decimal(line))?.checked_div(sum)? else { return Ok(None) };
            out.push((*deal, share));
        }
        Ok(Some(out))
    };
    match shares() {
        Ok(Some(shares)) if !shares.is_empty() => {
            allocate(line, &shares, s.cx.plan.rounding.decimals, Allocation::ByCredit)
        }
        _ => Ok(unsplit()),
    }
}

/// The line split by largest remainder over the weights, each part with its deal.
fn allocate(line: Decimal, rows: &[(usize, Ratio)], decimals: u32, how: Allocation) -> Result<Parts, Fault> {
    let weights: Vec<Ratio> = rows.iter().map(|r| r.1).collect();
    let parts = largest_remainder(line, &weights, decimals).map_err(|_| Fault::overflow("a line's parts per deal"))?;
    let parts = rows.iter().map(|r| r.0).zip(parts).collect();
    Ok(Parts { earning: String::new(), how, parts })
}

/// A part held or released, with when it falls due (or fell due).
fn moved(cx: &RepPlan<'_>, h: &Held, held: bool) -> Moved {
    let due = match h.due {
        Due::From(month) => format!("from {}", month_name(month)),
        Due::Paid { deal, column } => {
            let data = cx.shared.data;
            let key = data.key_text_of(column.table, deal).unwrap_or("?");
            match data.date(column, deal) {
                Some(day) if !held && day <= cx.period.end() => format!("deal {key}, paid {day}"),
                _ => format!("deal {key}, when its invoice is paid"),
            }
        }
    };
    Moved { due, amount: if held { -h.amount } else { h.amount } }
}

/// The credited deals of the period, each once per way it is credited, in the order first read.
#[derive(Default)]
struct Deals {
    list: Vec<Deal>,
    index: HashMap<(u32, bool, u8, u32), usize>,
}

impl Deals {
    /// The position of a credit row's deal in the list, added when first seen.
    fn at(&mut self, cx: &RepPlan<'_>, row: &CreditRow, from: RepIdx) -> usize {
        let key = (row.deal.index() as u32, row.reversal, row.kind as u8, from.index() as u32);
        if let Some(&at) = self.index.get(&key) {
            return at;
        }
        self.list.push(deal(cx, row, from));
        self.index.insert(key, self.list.len() - 1);
        self.list.len() - 1
    }
}

/// One credit row as a statement lists it: the deal, its date, how the rep is credited, the
/// credited amount and, for a deal in another currency, its own amount and rate.
fn deal(cx: &RepPlan<'_>, row: &CreditRow, from: RepIdx) -> Deal {
    let shared = cx.shared;
    let data = shared.data;
    let rules = shared.ws.crediting.as_ref();
    let (id, by) = match rules {
        Some(rules) => (
            data.key_text_of(rules.deals, row.deal).unwrap_or("?").to_string(),
            data.key_text_of(rules.reps, from).unwrap_or("?").to_string(),
        ),
        None => ("?".to_string(), "?".to_string()),
    };
    let kind = match row.kind {
        Kind::Direct => "direct".to_string(),
        Kind::Split => "split".to_string(),
        Kind::Territory => "territory".to_string(),
        Kind::Rollup => format!("rollup from {by}"),
    };
    let original = rules.and_then(|rules| {
        let c = rules.convert.as_ref()?;
        let currency = data.sym(c.deal_currency, row.deal).map(|s| data.strings.text(s).to_string())?;
        let raw = data.number(rules.amount, row.deal)?;
        let day = data.date(c.date, row.deal)?;
        (Some(currency.as_str()) != rules.currency.as_deref()).then_some((raw, currency, day))
    });
    Deal { id, date: row.date, reversal: row.reversal, amount: row.amount, share: row.share, kind, original }
}
