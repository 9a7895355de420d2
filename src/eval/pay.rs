//! Pay: turning the period's earnings into what is paid — draws, recovery of what the rep owes,
//! deferral of negative results — so that a payment never goes negative (unless the plan pays negative totals).
//!
//! For each rep, plan and period (the pay rule of `docs/language.md`, Draws, holds and balances): E = the sum of the earning lines; F = the
//! largest guarantee of the period (a draw that tops pay up), else 0; `recovery` = −min(what may be
//! recovered now, max(0, E − F)); net = E + recovery; each guarantee, in the plan's order, tops what
//! is paid so far up to its amount (owed too if recoverable); each advance is paid in full on top
//! (owed too if recoverable); then, if what is paid is negative, `deferred` = −it, owed from then
//! on. `total` = net + draws + deferred ≥ 0 — unless the plan says `pay negative totals`: a negative
//! net is then paid as it is (a deduction), and nothing is deferred.

use super::earn::or_overflow;
use super::error::Fault;
use super::interp::{eval, num, Context as _, Row};
use super::period::{month_of, Month};
use super::rep_plan::RepPlan;
use super::Name;
use crate::model::{Draw, DrawWindow};
use rust_decimal::Decimal;
use std::collections::VecDeque;

/// Why money is owed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Owed {
    /// A recoverable draw, by its name (`None`: the plan's only, unnamed draw); it may be forgiven
    /// at the end of the draw or on termination, and recovered only from its recovery month.
    Draw(Option<Name>),
    /// A negative result carried forward.
    Deferred,
}

/// What a rep owes under a plan, oldest first: recovery pays the oldest amounts first.
#[derive(Clone, Debug, Default)]
pub struct Balance {
    entries: VecDeque<(Owed, Decimal)>,
}

impl Owed {
    /// The name written in a ledger record: `draw`, `draw ramp` for a named draw, `deferred`.
    pub fn name(&self) -> String {
        match self {
            Owed::Draw(None) => "draw".to_string(),
            Owed::Draw(Some(name)) => format!("draw {name}"),
            Owed::Deferred => "deferred".to_string(),
        }
    }

    /// The reason a ledger record names.
    pub fn named(name: &str) -> Option<Owed> {
        match name {
            "draw" => Some(Owed::Draw(None)),
            "deferred" => Some(Owed::Deferred),
            _ => name.strip_prefix("draw ").filter(|n| !n.is_empty()).map(|n| Owed::Draw(Some(n.into()))),
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
        self.entries.iter().cloned()
    }

    /// What may be recovered now: the entries `now` allows.
    fn recoverable(&self, now: &impl Fn(&Owed) -> bool) -> Result<Decimal, Fault> {
        let mut amounts = self.entries.iter().filter(|(why, _)| now(why)).map(|(_, a)| *a);
        or_overflow(amounts.try_fold(Decimal::ZERO, |total, a| total.checked_add(a)))
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

    /// Takes `amount` off the oldest entries that `now` allows to be recovered.
    fn recover(&mut self, mut amount: Decimal, now: &impl Fn(&Owed) -> bool) {
        for (why, owed) in self.entries.iter_mut() {
            if amount <= Decimal::ZERO {
                break;
            }
            if now(why) {
                // `taken` is at most each of them, so neither difference can overflow.
                let taken = amount.min(*owed);
                *owed = owed.saturating_sub(taken);
                amount = amount.saturating_sub(taken);
            }
        }
        self.entries.retain(|(_, owed)| !owed.is_zero());
    }

    /// Clears what is owed for `why`, or everything (`None`).
    fn forgive(&mut self, why: Option<&Owed>) {
        self.entries.retain(|(w, _)| why.is_some_and(|why| w != why));
    }
}

/// The runtime lines of one period, after the earnings.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Settlement {
    /// The draws paid on top of the earnings, all together.
    pub draw: Decimal,
    /// Each draw's line, in the plan's order.
    pub draws: Vec<Decimal>,
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
/// balance is carried between periods; `draws` is false after the plan's end.
///
/// Recovery and deferral work on what is paid now (`earned + shift`): a release can repay a balance
/// owed. A guarantee tops up what the period earned, held money included: held money is earned, only
/// paid later, and released money counted towards the guarantee of the period that earned it — so a
/// hold delays pay and never adds a top-up.
pub fn settle(
    cx: &RepPlan<'_>,
    earned: Decimal,
    shift: Decimal,
    balance: &mut Balance,
    draws: bool,
) -> Result<Settlement, Fault> {
    let plan = cx.plan;
    let months: Vec<DrawMonths> = plan.draws.iter().map(|d| draw_months(cx, d)).collect::<Result<_, _>>()?;
    // After the plan's end (`draws` false) no draw pays, whatever months it counts.
    let amounts: Vec<Decimal> = plan
        .draws
        .iter()
        .zip(&months)
        .map(|(d, m)| if draws { draw_amount(cx, d, m) } else { Ok(Decimal::ZERO) })
        .collect::<Result<_, _>>()?;
    // The floor a guarantee keeps pay at: the largest guarantee of the period.
    let floor = plan.draws.iter().zip(&amounts).filter(|(d, _)| !d.advance).map(|(_, a)| *a).max().unwrap_or_default();
    // A draw's balance is recovered from its recovery month on (a draw this version does not have,
    // and a deferral, at once).
    let recovering = |why: &Owed| match why {
        Owed::Deferred => true,
        Owed::Draw(name) => plan
            .draws
            .iter()
            .zip(&months)
            .find(|(d, _)| d.name.as_deref() == name.as_deref())
            .is_none_or(|(_, m)| m.recovering),
    };
    let cash = or_overflow(earned.checked_add(shift))?;
    let mut room = or_overflow(cash.checked_sub(floor))?.max(Decimal::ZERO);
    if let Some(share) = plan.balance.recover_at_most {
        let limit = or_overflow(cash.max(Decimal::ZERO).checked_mul(share))?;
        room = room.min(limit.round_dp_with_strategy(plan.rounding.decimals, rust_decimal::RoundingStrategy::ToZero));
    }
    let recovery = -balance.recoverable(&recovering)?.min(room);
    balance.recover(-recovery, &recovering);
    let mut settlement = Settlement { recovery, draws: vec![Decimal::ZERO; plan.draws.len()], ..Settlement::default() };
    pay_draws(plan, &amounts, or_overflow(earned.checked_add(recovery))?, balance, &mut settlement)?;
    let paid = or_overflow(cash.checked_add(recovery).and_then(|p| p.checked_add(settlement.draw)))?;
    if paid < Decimal::ZERO && !plan.balance.pay_negative_totals {
        settlement.deferred = -paid;
        balance.add(Owed::Deferred, settlement.deferred);
    }
    settlement.total = or_overflow(paid.checked_add(settlement.deferred))?;
    let terminated = cx.shared.terminated_in(cx.rep, &cx.period);
    for (draw, months) in plan.draws.iter().zip(&months) {
        if (draw.forgiven_at_end && months.ends) || (draw.forgiven_on_termination && terminated) {
            balance.forgive(Some(&Owed::Draw(draw.name.as_deref().map(Name::from))));
        }
    }
    if plan.balance.write_off_at_year_end && cx.period.last == cx.cal.year_end(cx.period.year) {
        balance.forgive(None);
    }
    settlement.owed = balance.owed()?;
    Ok(settlement)
}

/// Pays the draws of the period: each guarantee, in the plan's order, tops up what is paid so far
/// (`net`, the earnings after recovery, then each earlier guarantee's top-up) to its amount; each
/// advance pays its whole amount. A recoverable draw's line is owed from then on.
fn pay_draws(
    plan: &crate::model::Plan,
    amounts: &[Decimal],
    net: Decimal,
    balance: &mut Balance,
    settlement: &mut Settlement,
) -> Result<(), Fault> {
    let mut so_far = net;
    for (i, (draw, amount)) in plan.draws.iter().zip(amounts).enumerate() {
        let line = if draw.advance {
            *amount
        } else if *amount > Decimal::ZERO && so_far < *amount {
            let top = or_overflow(amount.checked_sub(so_far))?;
            so_far = *amount;
            top
        } else {
            Decimal::ZERO
        };
        settlement.draws[i] = line;
        settlement.draw = or_overflow(settlement.draw.checked_add(line))?;
        if draw.recoverable {
            balance.add(Owed::Draw(draw.name.as_deref().map(Name::from)), line);
        }
    }
    Ok(())
}

/// A draw in the current pay period: how many of its months the rep is employed in, whether it
/// ends in the period, and whether its balance is being recovered (its recovery month has come).
struct DrawMonths {
    count: i64,
    ends: bool,
    recovering: bool,
}

/// A draw's amount in the period: its amount per month, rounded like a line, times its months.
fn draw_amount(cx: &RepPlan<'_>, draw: &Draw, months: &DrawMonths) -> Result<Decimal, Fault> {
    if months.count == 0 {
        return Ok(Decimal::ZERO);
    }
    let per_month =
        num(eval(cx, &draw.amount, Row::None)?)?.round(cx.plan.rounding).map_err(|_| Fault::overflow("the draw"))?;
    or_overflow(per_month.checked_mul(Decimal::from(months.count)))
}

/// How many months of the current pay period are draw months for the rep, whether the draw ends in
/// this period, and whether its balance is recovered in it. A rep whose date the months count from
/// is empty has no draw months to count: that is an error about the rep, never a silent "no draw".
fn draw_months(cx: &RepPlan<'_>, draw: &Draw) -> Result<DrawMonths, Fault> {
    let (from, to): (Month, Month) = match &draw.window {
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
    let recovery = from.saturating_add(draw.recovered_from.saturating_sub(1) as i32);
    if cx.plan.pay.shorter_than_a_month() {
        // A pay period shorter than a month is a draw period when it ends in a draw month.
        let month = cx.cal.month_of_step(cx.period.last);
        let counts = month >= from && month <= to && cx.shared.employed_in(cx.rep, &cx.period);
        let ends = month == to && cx.cal.month_of_step(cx.period.last + 1) > to;
        return Ok(DrawMonths { count: i64::from(counts), ends, recovering: month >= recovery });
    }
    let count = (cx.period.first..=cx.period.last)
        .filter(|m| *m >= from && *m <= to && cx.shared.employed_days(cx.rep, *m) > 0)
        .count() as i64;
    Ok(DrawMonths {
        count,
        ends: to >= cx.period.first && to <= cx.period.last,
        recovering: cx.period.last >= recovery,
    })
}
