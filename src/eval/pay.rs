//! Pay: turning the period's earnings into what is paid — draws, recovery of what the rep owes,
//! deferral of negative results — so that a payment never goes negative.
//!
//! For each rep, plan and period (the brief's Pay rule): E = the sum of the earning lines; F = the
//! draw in a draw period, else 0; `recovery` = −min(owed, max(0, E − F)); net = E + recovery; in a
//! draw period with net < F, `draw` = F − net (owed too if recoverable); otherwise, if net < 0,
//! `deferred` = −net, owed from then on. `total` = net + draw + deferred ≥ 0.

use super::earn::money;
use super::error::Fault;
use super::interp::{eval, num, Row};
use super::period::{month_of, Month};
use super::rep::RepPlan;
use crate::model::DrawWindow;
use rust_decimal::Decimal;

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

/// Settles a period: `earned` is the sum of the earning lines; `owed` is carried between periods.
pub fn settle(cx: &RepPlan<'_>, earned: Decimal, owed: &mut Decimal) -> Result<Settlement, Fault> {
    let plan = cx.plan;
    let (floor, recoverable) = match &plan.draw {
        Some(draw) => {
            let months = draw_months(cx, &draw.window);
            if months > 0 {
                let per_month = num(eval(cx, &draw.amount, Row::None)?)?.round(plan.rounding).map_err(|_| Fault::overflow("the draw"))?;
                (money(per_month.checked_mul(Decimal::from(months)))?, draw.recoverable)
            } else {
                (Decimal::ZERO, draw.recoverable)
            }
        }
        None => (Decimal::ZERO, false),
    };
    let in_draw = floor > Decimal::ZERO;
    let mut room = money(earned.checked_sub(floor))?.max(Decimal::ZERO);
    if let Some(share) = plan.balance.recover_at_most {
        let limit = money(earned.max(Decimal::ZERO).checked_mul(share))?;
        room = room.min(limit.round_dp_with_strategy(plan.rounding.decimals, rust_decimal::RoundingStrategy::ToZero));
    }
    let recovery = -(*owed).min(room);
    let net = money(earned.checked_add(recovery))?;
    *owed = money(owed.checked_add(recovery))?;
    let mut settlement = Settlement { recovery, ..Settlement::default() };
    if in_draw && net < floor {
        settlement.draw = money(floor.checked_sub(net))?;
        if recoverable {
            *owed = money(owed.checked_add(settlement.draw))?;
        }
    } else if net < Decimal::ZERO {
        settlement.deferred = -net;
        *owed = money(owed.checked_add(settlement.deferred))?;
    }
    settlement.total = money(net.checked_add(settlement.draw).and_then(|t| t.checked_add(settlement.deferred)))?;
    if plan.balance.write_off_at_year_end && cx.period.last == cx.cal.year_start(cx.period.year) + 11 {
        *owed = Decimal::ZERO;
    }
    settlement.owed = *owed;
    Ok(settlement)
}

/// How many months of the current pay period are draw months for the rep.
fn draw_months(cx: &RepPlan<'_>, window: &DrawWindow) -> i64 {
    let (from, to): (Month, Month) = match window {
        DrawWindow::Months { count, from } => {
            let Some(start) = cx.shared.data.date(*from, cx.rep) else { return 0 };
            let first = month_of(start);
            (first, first + *count as i32 - 1)
        }
        DrawWindow::Dates(from, to) => (month_of(*from), month_of(*to)),
    };
    (cx.period.first..=cx.period.last).filter(|m| *m >= from && *m <= to && cx.shared.employed_days(cx.rep, *m) > 0).count() as i64
}
