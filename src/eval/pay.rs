//! Pay: turning the period's earnings into what is paid — draws, recovery of what the rep owes,
//! deferral of negative results — so that a payment never goes negative (unless the plan pays negative totals).
//!
//! For each rep, plan and period (the pay rule of `docs/language.md`, Draws, holds and balances): E = the sum of the earning lines; F = the
//! draw in a draw period, else 0; `recovery` = −min(owed, max(0, E − F)); net = E + recovery; in a
//! draw period with net < F, `draw` = F − net (owed too if recoverable); otherwise, if net < 0,
//! `deferred` = −net, owed from then on. `total` = net + draw + deferred ≥ 0 — unless the plan says
//! `pay negative totals`: a negative net is then paid as it is (a deduction), and nothing is
//! deferred.

use super::earn::or_overflow;
use super::error::Fault;
use super::interp::{eval, num, Context as _, Row};
use super::period::{month_of, Month};
use super::rep_plan::RepPlan;
use crate::model::DrawWindow;
use rust_decimal::Decimal;
use std::collections::VecDeque;

/// Why money is owed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Owed {
    /// A recoverable draw (may be forgiven at the end of the draw or on termination).
    Draw,
    /// A negative result carried forward.
    Deferred,
}

/// What a rep owes under a plan, oldest first: recovery pays the oldest amounts first.
#[derive(Clone, Debug, Default)]
pub struct Balance {
    entries: VecDeque<(Owed, Decimal)>,
}

impl Owed {
    /// The name written in a ledger record.
    pub fn name(self) -> &'static str {
        match self {
            Owed::Draw => "draw",
            Owed::Deferred => "deferred",
        }
    }

    /// The reason a ledger record names.
    pub fn named(name: &str) -> Option<Owed> {
        match name {
            "draw" => Some(Owed::Draw),
            "deferred" => Some(Owed::Deferred),
            _ => None,
        }
    }
}

impl Balance {
    /// A balance as a ledger recorded it, oldest first; `None` when a reason is unknown.
    pub fn recorded(entries: &[(String, Decimal)]) -> Option<Balance> {
        let entries = entries.iter().map(|(why, amount)| Some((Owed::named(why)?, *amount))).collect::<Option<_>>()?;
        Some(Balance { entries })
    }

    /// What is owed and why, oldest first (for a ledger record).
    pub fn entries(&self) -> impl Iterator<Item = (Owed, Decimal)> + '_ {
        self.entries.iter().copied()
    }

    /// The total owed, or an overflow (a ledger's balance entries are data).
    pub fn owed(&self) -> Result<Decimal, Fault> {
        or_overflow(self.entries.iter().try_fold(Decimal::ZERO, |total, (_, a)| total.checked_add(*a)))
    }

    fn add(&mut self, why: Owed, amount: Decimal) {
        if amount > Decimal::ZERO {
            self.entries.push_back((why, amount));
        }
    }

    /// Takes `amount` off the oldest entries.
    fn recover(&mut self, mut amount: Decimal) {
        while amount > Decimal::ZERO {
            let Some((_, first)) = self.entries.front_mut() else { break };
            // `taken` is at most each of them, so neither difference can overflow.
            let taken = amount.min(*first);
            *first = first.saturating_sub(taken);
            amount = amount.saturating_sub(taken);
            if first.is_zero() {
                self.entries.pop_front();
            }
        }
    }

    fn forgive(&mut self, why: Option<Owed>) {
        self.entries.retain(|(w, _)| why.is_some_and(|why| *w != why));
    }
}

/// The runtime lines of one period, after the earnings.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Settlement {
    /// The draw paid on top of the earnings.
    pub draw: Decimal,
    /// What was taken back from the earnings against the balance owed (negative or zero).
    pub recovery: Decimal,
    /// A negative result carried as a balance owed instead of a negative payment.
    pub deferred: Decimal,
    /// What is paid.
    pub total: Decimal,
    /// The balance owed at the end of the period (zero or positive).
    pub owed: Decimal,
}

/// Settles a period: `earned` is the sum of the earning lines (and any adjustment); `shift` is what
/// holds move in time (the period's hold, zero or negative, plus its release, zero or positive). The
/// balance is carried between periods.
///
/// Recovery and deferral work on what is paid now (`earned + shift`): a release can repay a balance
/// owed. The draw tops up what the period earned, held money included: held money is earned, only
/// paid later, and released money counted towards the draw of the period that earned it — so a hold
/// delays pay and never adds a draw top-up.
pub fn settle(cx: &RepPlan<'_>, earned: Decimal, shift: Decimal, balance: &mut Balance) -> Result<Settlement, Fault> {
    let plan = cx.plan;
    let owed = balance.owed()?;
    let (floor, recoverable) = match &plan.draw {
        Some(draw) => {
            let (months, _) = draw_months(cx, &draw.window)?;
            if months > 0 {
                let per_month = num(eval(cx, &draw.amount, Row::None)?)?
                    .round(plan.rounding)
                    .map_err(|_| Fault::overflow("the draw"))?;
                (or_overflow(per_month.checked_mul(Decimal::from(months)))?, draw.recoverable)
            } else {
                (Decimal::ZERO, draw.recoverable)
            }
        }
        None => (Decimal::ZERO, false),
    };
    let in_draw = floor > Decimal::ZERO;
    let cash = or_overflow(earned.checked_add(shift))?;
    let mut room = or_overflow(cash.checked_sub(floor))?.max(Decimal::ZERO);
    if let Some(share) = plan.balance.recover_at_most {
        let limit = or_overflow(cash.max(Decimal::ZERO).checked_mul(share))?;
        room = room.min(limit.round_dp_with_strategy(plan.rounding.decimals, rust_decimal::RoundingStrategy::ToZero));
    }
    let recovery = -owed.min(room);
    balance.recover(-recovery);
    let mut settlement = Settlement { recovery, ..Settlement::default() };
    let net_earned = or_overflow(earned.checked_add(recovery))?;
    if in_draw && net_earned < floor {
        settlement.draw = or_overflow(floor.checked_sub(net_earned))?;
        if recoverable {
            balance.add(Owed::Draw, settlement.draw);
        }
    }
    let paid = or_overflow(cash.checked_add(recovery).and_then(|p| p.checked_add(settlement.draw)))?;
    if paid < Decimal::ZERO && !plan.balance.pay_negative_totals {
        settlement.deferred = -paid;
        balance.add(Owed::Deferred, settlement.deferred);
    }
    settlement.total = or_overflow(paid.checked_add(settlement.deferred))?;
    if let Some(draw) = &plan.draw {
        let (_, ends) = draw_months(cx, &draw.window)?;
        let terminated = cx.shared.terminated_in(cx.rep, &cx.period);
        if (draw.forgiven_at_end && ends) || (draw.forgiven_on_termination && terminated) {
            balance.forgive(Some(Owed::Draw));
        }
    }
    if plan.balance.write_off_at_year_end && cx.period.last == cx.cal.year_end(cx.period.year) {
        balance.forgive(None);
    }
    settlement.owed = balance.owed()?;
    Ok(settlement)
}

/// How many months of the current pay period are draw months for the rep, and whether the draw
/// ends in this period. A rep whose date the months count from is empty has no draw months to
/// count: that is an error about the rep, never a silent "no draw".
fn draw_months(cx: &RepPlan<'_>, window: &DrawWindow) -> Result<(i64, bool), Fault> {
    let (from, to): (Month, Month) = match window {
        DrawWindow::Months { count, from } => {
            let Some(start) = cx.shared.data.date(*from, cx.rep) else {
                let column = cx.column_name(*from);
                return Err(Fault::new(
                    &crate::diagnostics::codes::MISSING_ROW_DATA,
                    format!("`{column}` is empty for this rep: the draw's months count from it"),
                )
                .help(format!("fill in `{column}` for the rep, or exclude the rep in `eligible when`")));
            };
            let first = month_of(start);
            (first, first + *count as i32 - 1)
        }
        DrawWindow::Dates(from, to) => (month_of(*from), month_of(*to)),
    };
    if cx.plan.pay.shorter_than_a_month() {
        // A pay period shorter than a month is a draw period when it ends in a draw month.
        let month = cx.cal.month_of_step(cx.period.last);
        let counts = month >= from && month <= to && cx.shared.employed_in(cx.rep, &cx.period);
        return Ok((i64::from(counts), month == to && cx.cal.month_of_step(cx.period.last + 1) > to));
    }
    let months = (cx.period.first..=cx.period.last)
        .filter(|m| *m >= from && *m <= to && cx.shared.employed_days(cx.rep, *m) > 0)
        .count() as i64;
    Ok((months, to >= cx.period.first && to <= cx.period.last))
}
