//! Earnings: each earning's payout line for a period — values in their scope, caps, floors and gates,
//! the year-to-date true-up, bonuses paid once per window, and per-deal SPIFFs.
//!
//! A line of an earning in scope S is `round(value through this period) − round(value through the
//! previous period of the same S window)`, so that retroactive tiers, caps and clawbacks settle
//! exactly and the lines of a window sum to its rounded value.

use super::credit::CreditRow;
use super::error::Fault;
use super::exact::Ratio;
use super::interp::{eval, num, truth, Row};
use super::period::Month;
use super::rep::RepPlan;
use crate::model::{Earning, EarningForm, LimitKind, PayFrequency, Scope};
use rust_decimal::Decimal;
use std::collections::HashMap;

/// What an earning remembers between periods, by earning name (so it survives a new plan version).
#[derive(Clone, Debug, Default)]
pub struct EarningState {
    /// The window and rounded value of the last evaluated period, for the true-up.
    last: Option<(Month, Decimal)>,
    /// For each limit wider than the earning's scope: its window and what was paid in it.
    paid: HashMap<usize, (Month, Decimal)>,
    /// The window in which a once-per bonus was paid.
    once: Option<Month>,
}

/// How wide a window is, for comparing a limit's scope with an earning's: with quarterly pay, a
/// period is a quarter.
fn rank(scope: Scope, pay: PayFrequency) -> u8 {
    match (scope, pay) {
        (Scope::Period, _) | (Scope::Quarter, PayFrequency::Quarterly) => 0,
        (Scope::Quarter, PayFrequency::Monthly) => 1,
        (Scope::Ytd | Scope::Year, _) => 2,
    }
}

/// The line of one earning for the current period, updating its state.
pub fn line(cx: &RepPlan<'_>, earning: &Earning, state: &mut EarningState) -> Result<Decimal, Fault> {
    let rounding = cx.plan.rounding;
    let round = |v: Ratio| v.round(rounding).map_err(|_| Fault::overflow(&format!("the earning `{}`", earning.name)));
    let pay = cx.plan.pay;
    let own = rank(earning.scope, pay);
    let mut line = match &earning.form {
        EarningForm::Plain => {
            let mut value = num(eval(cx, &earning.value, Row::None)?)?;
            for limit in earning.limits.iter().filter(|l| rank(l.per, pay) == own) {
                let bound = num(eval(cx, &limit.amount, Row::None)?)?;
                value = match limit.kind {
                    LimitKind::Cap => value.min(bound),
                    LimitKind::Floor => value.max(bound),
                };
            }
            if let Some(gate) = &earning.gate {
                if !truth(eval(cx, gate, Row::None)?)? {
                    value = Ratio::ZERO;
                }
            }
            let rounded = round(value)?;
            let window = cx.cal.window_key(&cx.period, earning.scope);
            let previous = state.last.filter(|(w, _)| *w == window).map_or(Decimal::ZERO, |(_, v)| v);
            state.last = Some((window, rounded));
            money(rounded.checked_sub(previous))?
        }
        EarningForm::Once { per, when } => {
            let window = cx.cal.window_key(&cx.period, *per);
            let holds = match when {
                Some(condition) => truth(eval(cx, condition, Row::None)?)?,
                None => true,
            };
            if state.once != Some(window) && holds {
                state.once = Some(window);
                round(num(eval(cx, &earning.value, Row::None)?)?)?
            } else {
                Decimal::ZERO
            }
        }
        EarningForm::PerDeal { filter, by_share } => {
            let rows = cx.shared.credits.by_rep.get(cx.rep as usize).map_or(&[][..], |r| &r[..]);
            let mut total = Ratio::ZERO;
            for credit in rows.iter().filter(|c| c.month >= cx.period.first && c.month <= cx.period.last) {
                // A reversal reverses what its deal paid: evaluate the original row and negate.
                let original = CreditRow { amount: -credit.amount, reversal: false, ..*credit };
                let row = if credit.reversal { &original } else { credit };
                if let Some(filter) = filter {
                    if !truth(eval(cx, filter, Row::Credit(row))?)? {
                        continue;
                    }
                }
                let mut value = num(eval(cx, &earning.value, Row::Credit(row))?)?;
                if *by_share {
                    value = value.mul(Ratio::from_decimal(credit.share))?;
                }
                total = if credit.reversal { total.sub(value)? } else { total.add(value)? };
            }
            round(total)?
        }
    };
    // Limits on a narrower window bound the line; the excess is lost.
    for limit in earning.limits.iter().filter(|l| rank(l.per, pay) < own) {
        let bound = round(num(eval(cx, &limit.amount, Row::None)?)?)?;
        line = match limit.kind {
            LimitKind::Cap => line.min(bound),
            LimitKind::Floor => line.max(bound),
        };
    }
    // Limits on a wider window bound what the window pays in all: a cap on every line, a floor on the
    // last period of the window.
    let wider: Vec<usize> = earning.limits.iter().enumerate().filter(|(_, l)| rank(l.per, pay) > own).map(|(i, _)| i).collect();
    for &i in &wider {
        let limit = &earning.limits[i];
        let window = cx.cal.window_key(&cx.period, limit.per);
        let before = state.paid.get(&i).filter(|(w, _)| *w == window).map_or(Decimal::ZERO, |(_, p)| *p);
        let bound = round(num(eval(cx, &limit.amount, Row::None)?)?)?;
        line = match limit.kind {
            LimitKind::Cap => line.min(money(bound.checked_sub(before))?),
            LimitKind::Floor if last_period_of(cx, limit.per) => line.max(money(bound.checked_sub(before))?),
            LimitKind::Floor => line,
        };
    }
    for &i in &wider {
        let window = cx.cal.window_key(&cx.period, earning.limits[i].per);
        let before = state.paid.get(&i).filter(|(w, _)| *w == window).map_or(Decimal::ZERO, |(_, p)| *p);
        state.paid.insert(i, (window, money(before.checked_add(line))?));
    }
    Ok(line)
}

/// A checked sum of rounded amounts.
pub fn money(result: Option<Decimal>) -> Result<Decimal, Fault> {
    result.ok_or_else(|| Fault::overflow("a payout line"))
}

/// Whether the current period is the last of its window.
fn last_period_of(cx: &RepPlan<'_>, scope: Scope) -> bool {
    let next = cx.cal.period_of(cx.period.last + 1);
    cx.cal.window_key(&next, scope) != cx.cal.window_key(&cx.period, scope)
}
