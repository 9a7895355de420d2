//! Holds: the part of an earning's line held back — for a number of pay periods, or until each deal's
//! invoice is paid — and released in the first pay period in which it falls due.
//!
//! A hold until a date of the deal (`hold 50% of commission until deal.paid`) splits the held part of
//! the line across the deals the line was earned on in the period: the deals booked in the period that
//! the earning counts (a per-deal earning's own deals; otherwise the rows of every measure its value
//! reads), net of reversals in the period, in proportion to their credit, by largest remainder so that
//! the parts add up to the held amount exactly. Several holds on one earning never take more than its
//! line. The part of a deal whose date is already set, on or before the period's last day, is
//! not held. A line earned on no deal of the period (a true-up of earlier months) is not held.

use super::allocate::largest_remainder;
use super::earn::or_overflow;
use super::error::Fault;
use super::interp::{chosen, Row};
use super::period::{self, Month};
use super::rep_plan::{Counted, RepPlan, Shared};
use crate::data::DealIdx;
use crate::model::{ColumnId, EarningForm, EarningId, Expr, HoldRelease, IdVec, MeasureId, TableKey};
use crate::num::Ratio;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// When held money falls due.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Due {
    /// In the first pay period evaluated from this month on.
    From(Month),
    /// Once the deal's date column (the day its invoice was paid) is set, on or before the last day
    /// of a pay period.
    Paid {
        /// The deal.
        deal: DealIdx,
        /// The date column.
        column: ColumnId,
    },
}

/// Money held back, not yet released.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Held {
    /// When it falls due.
    pub due: Due,
    /// How much.
    pub amount: Decimal,
    /// The earning it was held from, when known (a ledger records only when it falls due).
    pub from: Option<EarningId>,
}

impl Due {
    /// How the ledger records it: the month (`2026-05`), or the deal and its date column
    /// (`A4 until deal.paid`).
    pub fn name(&self, shared: &Shared<'_>) -> String {
        match *self {
            Due::From(month) => period::month_name(month),
            Due::Paid { deal, column } => {
                let table = &shared.ws.schema.tables[column.table];
                let key = shared.data.key_text_of(column.table, deal).unwrap_or("?");
                format!("{key} until {}.{}", table.row_name, table.columns[column.column].name)
            }
        }
    }

    /// Reads a name written by [`Due::name`]; `None` when it names no month, or a deal or column the
    /// data does not have.
    pub fn parse(name: &str, shared: &Shared<'_>) -> Option<Due> {
        // The last ` until ` splits: a deal id may itself contain the words.
        let Some((key, path)) = name.rsplit_once(" until ") else { return period::parse_month(name).map(Due::From) };
        let deals = shared.ws.crediting.as_ref()?.deals;
        let table = &shared.ws.schema.tables[deals];
        let column = table
            .columns
            .iter()
            .position(|c| Some(c.name.as_str()) == path.strip_prefix(&format!("{}.", table.row_name)))?;
        Some(Due::Paid {
            deal: DealIdx::of_row(shared.data.row_of_key(deals, key)?),
            column: ColumnId { table: deals, column },
        })
    }

    fn falls_due(&self, cx: &RepPlan<'_>) -> bool {
        match *self {
            Due::From(month) => month <= cx.period.last,
            Due::Paid { deal, column } => {
                let data = cx.shared.data;
                let end = cx.period.end();
                // Paid, or reversed: a cancelled deal's held part is released against its reversal,
                // so that the rep nets nothing on it.
                data.date(column, deal).is_some_and(|day| day <= end)
                    || cx
                        .shared
                        .ws
                        .crediting
                        .as_ref()
                        .and_then(|rules| super::credit::reversal_day(rules, data, deal))
                        .is_some_and(|day| day <= end)
            }
        }
    }
}

/// What a retention schedule keeps back of an earning's year to date (`hold 50% of commission ytd
/// after Q1, …`), carried from one pay period to the next, by earning name so that it survives a
/// new plan version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Retained {
    /// The earning.
    pub earning: String,
    /// The plan year whose money it is.
    pub year: i32,
    /// How much.
    pub amount: Decimal,
}

impl Retained {
    /// How the ledger records it among the money held: `retained 2026 commission`.
    pub fn name(&self) -> String {
        format!("retained {} {}", self.year, self.earning)
    }

    /// Reads a name written by [`Retained::name`]; `None` when it is not one.
    pub fn parse(name: &str, amount: Decimal) -> Option<Retained> {
        let (year, earning) = name.strip_prefix("retained ")?.split_once(' ')?;
        Some(Retained { earning: earning.to_string(), year: year.parse().ok()?, amount })
    }
}

/// What a period held and released.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Moves {
    /// The `hold` line: zero or negative.
    pub hold: Decimal,
    /// The `release` line: zero or positive.
    pub release: Decimal,
    /// The parts held this period.
    pub held: Vec<Held>,
    /// The parts released this period.
    pub released: Vec<Held>,
    /// What each retention schedule kept back before the period and keeps after it.
    pub retention: Vec<Retention>,
}

/// How a retention schedule moved in a period, for `explain`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Retention {
    /// The earning.
    pub earning: String,
    /// Its year to date, this period's line included (zero when negative).
    pub ytd: Decimal,
    /// The share kept back in this period (zero in the rep's last period, or for money of an
    /// earlier plan year).
    pub share: Ratio,
    /// What was kept back before the period.
    pub before: Decimal,
    /// What is kept back after it.
    pub after: Decimal,
}

/// Releases what falls due in the current period and holds the plan's share of each held earning's
/// line. Only a positive line is held (holding part of a negative line would pay more now); the held
/// part is rounded like a line. In the `last` period the rep is paid under the plan (the plan ends,
/// the rep leaves, or no later period finds the rep eligible), nothing is held and everything still
/// held is released, money waiting for an invoice included: money is never held past the plan.
pub fn settle(
    cx: &RepPlan<'_>,
    lines: &IdVec<EarningId, Decimal>,
    ytd: &IdVec<EarningId, Decimal>,
    held: &mut Vec<Held>,
    retained: &mut Vec<Retained>,
    last: bool,
) -> Result<Moves, Fault> {
    let mut moves = Moves::default();
    let mut kept = Vec::with_capacity(held.len());
    for h in held.iter() {
        if last || h.due.falls_due(cx) {
            moves.release = or_overflow(moves.release.checked_add(h.amount))?;
            moves.released.push(*h);
        } else {
            kept.push(*h);
        }
    }
    *held = kept;
    let plan = cx.plan;
    // Most plans hold nothing: they leave here without allocating (this runs for every rep and period).
    if plan.holds.is_empty() && retained.is_empty() {
        return Ok(moves);
    }
    retain(cx, (lines, ytd), retained, last, &mut moves)?;
    if last {
        return Ok(moves);
    }
    let months = cx.period.last - cx.period.first + 1;
    // What the holds on each earning took of its line so far: rounded one by one, two holds must
    // never take more than the whole line.
    let mut taken = IdVec::filled(Decimal::ZERO, lines.len());
    for h in &plan.holds {
        let line = lines.get(h.earning).copied().unwrap_or_default();
        if line <= Decimal::ZERO || matches!(h.release, HoldRelease::Ytd(_)) {
            continue;
        }
        if let HoldRelease::Instalments(parts) = h.release {
            instalments(cx, (h.earning, parts), line, months, &mut moves)?;
            continue;
        }
        let rounded = Ratio::from_decimal(line).checked_mul(h.share)?.round(plan.rounding)?;
        let part = rounded.min(or_overflow(line.checked_sub(taken[h.earning]))?);
        taken[h.earning] = or_overflow(taken[h.earning].checked_add(part))?;
        if part.is_zero() {
            continue;
        }
        match h.release {
            HoldRelease::Instalments(_) | HoldRelease::Ytd(_) => {}
            HoldRelease::Periods(count) => {
                moves.hold = or_overflow(moves.hold.checked_sub(part))?;
                moves.held.push(Held {
                    due: Due::From(cx.period.first + count as i32 * months),
                    amount: part,
                    from: Some(h.earning),
                });
            }
            HoldRelease::Paid(column) => {
                let deals = deals_of(cx, h.earning)?;
                let weights: Vec<Ratio> = deals.iter().map(|(_, w)| *w).collect();
                let parts =
                    largest_remainder(part, &weights, plan.rounding.decimals).map_err(|_| Fault::overflow("a hold"))?;
                for ((deal, _), amount) in deals.iter().zip(parts) {
                    let due = Due::Paid { deal: *deal, column };
                    if amount > Decimal::ZERO && !due.falls_due(cx) {
                        moves.hold = or_overflow(moves.hold.checked_sub(amount))?;
                        moves.held.push(Held { due, amount, from: Some(h.earning) });
                    }
                }
            }
        }
    }
    held.extend_from_slice(&moves.held);
    Ok(moves)
}

/// Pays a positive line in `parts` equal parts, one each pay period (`months` long) from the
/// current one: each part is the line divided by the number of parts, rounded like a line, the last
/// taking what rounding left (never less than zero: a part never pays more than is left). The
/// first is paid now; the others are held, each due in its own period.
fn instalments(
    cx: &RepPlan<'_>,
    (earning, parts): (EarningId, u32),
    line: Decimal,
    months: Month,
    moves: &mut Moves,
) -> Result<(), Fault> {
    let part = Ratio::from_decimal(line)
        .checked_div(Ratio::int(i64::from(parts)))?
        .map_or(Ok(line), |p| p.round(cx.plan.rounding))?;
    let mut left = or_overflow(line.checked_sub(part.min(line)))?;
    for k in 1..parts {
        let amount = if k + 1 == parts { left } else { part.min(left) };
        left = or_overflow(left.checked_sub(amount))?;
        if amount.is_zero() {
            continue;
        }
        moves.hold = or_overflow(moves.hold.checked_sub(amount))?;
        let due = cx.period.first + (k as i32).saturating_mul(months);
        moves.held.push(Held { due: Due::From(due), amount, from: Some(earning) });
    }
    Ok(())
}

/// Keeps back what each retention schedule says of its earning's year to date (`ytd`, this period's
/// line included): the share of the quarter of the plan year the period ends in, times the year to
/// date when positive, rounded like a line. What that adds to what is already kept back is held,
/// never more than the period's own line (`lines`); what it takes away is released. Money kept back
/// that no schedule carries on (an earlier plan year's, or of an earning this version no longer
/// retains), and everything in the rep's `last` period under the plan, is released.
fn retain(
    cx: &RepPlan<'_>,
    (lines, ytd): (&IdVec<EarningId, Decimal>, &IdVec<EarningId, Decimal>),
    retained: &mut Vec<Retained>,
    last: bool,
    moves: &mut Moves,
) -> Result<(), Fault> {
    let (plan, year) = (cx.plan, cx.period.year);
    let quarter = ((cx.period.last - cx.cal.year_start(year)) / 3).clamp(0, 3) as usize;
    let mut kept = Vec::with_capacity(retained.len());
    for h in &plan.holds {
        let HoldRelease::Ytd(schedule) = &h.release else { continue };
        let name = &plan.earnings[h.earning].name;
        let before = retained.iter().find(|r| r.earning == *name && r.year == year).map_or(Decimal::ZERO, |r| r.amount);
        let so_far = ytd.get(h.earning).copied().unwrap_or_default().max(Decimal::ZERO);
        let share = if last { Ratio::ZERO } else { schedule[quarter] };
        let target = Ratio::from_decimal(so_far).checked_mul(share)?.round(plan.rounding)?;
        let now = if target > before {
            let line = lines.get(h.earning).copied().unwrap_or_default().max(Decimal::ZERO);
            let more = or_overflow(target.checked_sub(before))?.min(line);
            moves.hold = or_overflow(moves.hold.checked_sub(more))?;
            or_overflow(before.checked_add(more))?
        } else {
            moves.release = or_overflow(moves.release.checked_add(or_overflow(before.checked_sub(target))?))?;
            target
        };
        moves.retention.push(Retention { earning: name.clone(), ytd: so_far, share, before, after: now });
        if !now.is_zero() {
            kept.push(Retained { earning: name.clone(), year, amount: now });
        }
    }
    let carried = |r: &Retained| {
        r.year == year
            && plan
                .holds
                .iter()
                .any(|h| matches!(h.release, HoldRelease::Ytd(_)) && plan.earnings[h.earning].name == r.earning)
    };
    for r in retained.iter().filter(|r| !carried(r)) {
        moves.release = or_overflow(moves.release.checked_add(r.amount))?;
        let (earning, before) = (r.earning.clone(), r.amount);
        moves.retention.push(Retention {
            earning,
            ytd: Decimal::ZERO,
            share: Ratio::ZERO,
            before,
            after: Decimal::ZERO,
        });
    }
    *retained = kept;
    Ok(())
}

/// The deals an earning's line was earned on in the current period, with their credit: the deals the
/// earning counts in the period (a per-deal earning's own rows; otherwise the rows of every measure
/// its value reads), net of reversals dated in the period, in deal order; only positive credit (a
/// deal booked and cancelled in the same period earned nothing).
pub fn deals_of(cx: &RepPlan<'_>, earning: EarningId) -> Result<Vec<(DealIdx, Ratio)>, Fault> {
    let (first, last) = (cx.period.first, cx.period.last);
    let mut credit: BTreeMap<DealIdx, Ratio> = BTreeMap::new();
    let mut add = |deal: DealIdx, value: Ratio| -> Result<(), Fault> {
        let sum = credit.entry(deal).or_insert(Ratio::ZERO);
        *sum = sum.checked_add(value)?;
        Ok(())
    };
    let e = &cx.plan.earnings[earning];
    match &e.form {
        EarningForm::PerDeal { by_share, .. } => {
            cx.per_deal_rows(earning, *by_share, (first, last), |row, _, _, value| {
                // A reversal's value is its original row's, which it takes back. One that cannot be
                // valued is of a deal no paid period valued (a period that did would have stopped):
                // it takes nothing back.
                let value = match value {
                    Err(_) if row.reversal => return Ok(()),
                    value if row.reversal => value?.ratio().checked_neg()?,
                    value => value?.ratio(),
                };
                add(row.deal, value)
            })?
        }
        _ => {
            let mut measures = Vec::new();
            measures_read(cx, &e.value, &mut measures)?;
            for measure in measures {
                let deals = cx.shared.ws.crediting.as_ref().map(|c| c.deals);
                cx.measure_rows(measure, (first, last), |counted, _, value| match counted {
                    Counted::Credit { row, .. } => add(row.deal, value?.ratio()),
                    // A measure of the deals table itself (`by`/`on`) counts deals too.
                    Counted::Table { table, row } if Some(table) == deals => add(DealIdx::of_row(row), value?.ratio()),
                    Counted::Table { .. } => Ok(()),
                })?;
            }
        }
    }
    Ok(credit.into_iter().filter(|(_, w)| *w > Ratio::ZERO).collect())
}

/// The measures an expression reads, directly or through an attainment or a table's key, each once,
/// in the order first read; of a choice, only the value it chooses this period.
fn measures_read<'a>(cx: &RepPlan<'a>, expr: &'a Expr, found: &mut Vec<MeasureId>) -> Result<(), Fault> {
    let plan = cx.plan;
    let mut fault = None;
    expr.walk_pruned(&mut |e| {
        if fault.is_some() {
            return false;
        }
        // Of a choice, only the value chosen this period is earned on deals.
        if let Expr::Choice { arms, otherwise } = e {
            let read = chosen(cx, arms, otherwise, Row::None).and_then(|value| measures_read(cx, value, found));
            fault = read.err();
            return false;
        }
        let measure = match e {
            Expr::Measure { id, .. } => Some(*id),
            Expr::Attainment(a) => plan.attainments.get(*a).map(|a| a.measure),
            Expr::Table { id, base: None } => match plan.tables.get(*id).map(|t| &t.key) {
                Some(TableKey::Attainment(a)) => plan.attainments.get(*a).map(|a| a.measure),
                Some(TableKey::Measure { id, .. }) => Some(*id),
                _ => None,
            },
            _ => None,
        };
        if let Some(m) = measure.filter(|m| !found.contains(m)) {
            found.push(m);
        }
        true
    });
    fault.map_or(Ok(()), Err)
}
