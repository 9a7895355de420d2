//! Earnings: each earning's payout line for a period — values in their scope, caps, floors and gates,
//! the year-to-date true-up, bonuses paid once per window, and per-deal SPIFFs.
//!
//! A line of an earning in scope S is `round(value through this period) − round(value through the
//! previous period of the same S window)`, so that retroactive tiers, caps and clawbacks settle
//! exactly and the lines of a window sum to its rounded value.

use super::error::Fault;
use super::interp::{eval, num, truth, Row};
use super::period::{Month, PayPeriod};
use super::rep_plan::RepPlan;
use crate::model::{self, DefinitionId, Earning, EarningForm, EarningId, LimitKind, PayFrequency, Scope};
use crate::num::Ratio;
use rust_decimal::Decimal;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

/// What an earning remembers between periods, by earning name (so it survives a new plan version).
#[derive(Clone, Debug, Default)]
pub struct EarningState {
    /// The window and rounded value of the last evaluated period, for the true-up.
    last: Option<(Month, Decimal)>,
    /// The window and exact value (before rounding) of the last evaluated period: what the
    /// period's exact line is trued up against (see [`Line::exact`]).
    last_exact: Option<(Month, Ratio)>,
    /// For each limit wider than the earning's scope: its window and what was paid in it.
    paid: HashMap<usize, (Month, Decimal)>,
    /// The window in which a once-per bonus was paid.
    once: Option<Month>,
    /// The plan year, and the sum of the earning's lines in it so far (what a retention schedule
    /// keeps a share of).
    year: Option<(i32, Decimal)>,
}

impl EarningState {
    /// Adds a period's line to the earning's year to date, started again in a new plan year; the
    /// year to date with it.
    pub fn year_to_date(&mut self, year: i32, line: Decimal) -> Result<Decimal, Fault> {
        let before = self.year.filter(|(y, _)| *y == year).map_or(Decimal::ZERO, |(_, sum)| sum);
        let sum = or_overflow(before.checked_add(line))?;
        self.year = Some((year, sum));
        Ok(sum)
    }

    /// The rounded value through the previous period of the current window, which the current
    /// period's line is trued up against; `None` for an earning that is not trued up (a bonus paid
    /// once, a per-deal earning).
    pub fn previous(&self, cx: &RepPlan<'_>, id: EarningId) -> Option<Decimal> {
        let earning = &cx.plan.earnings[id];
        if !matches!(earning.form, EarningForm::Plain) {
            return None;
        }
        let window = cx.cal.window_key(&cx.period, earning.scope);
        Some(self.last.filter(|(w, _)| *w == window).map_or(Decimal::ZERO, |(_, v)| v))
    }
}

/// How wide a window is, for comparing a limit's scope with an earning's: with quarterly pay, a
/// period is a quarter; with yearly pay, the year.
pub fn rank(scope: Scope, pay: PayFrequency) -> u8 {
    match (scope, pay) {
        (Scope::Period, PayFrequency::Yearly) => 2,
        (Scope::Period, _) | (Scope::Quarter, PayFrequency::Quarterly) => 0,
        (Scope::Quarter, _) => 1,
        (Scope::Ytd | Scope::Year, _) => 2,
    }
}

/// An earning's line and the values it came from, in the order they were computed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Line {
    /// The value in the earning's window, before limits and gate.
    pub value: Ratio,
    /// After the limits on its own window and the gate.
    pub limited: Ratio,
    /// That, rounded with the plan's rounding.
    pub rounded: Decimal,
    /// What the true-up subtracts: the rounded value through the previous period of the same
    /// window (`None` for an earning that is not trued up).
    pub previous: Option<Decimal>,
    /// The line paid, after the limits on the pay period and on wider windows.
    pub line: Decimal,
    /// Which of the earning's limits changed the value or the line (bit `i` for its limit `i`;
    /// limits past the 64th are not marked): what `explain` says bound it.
    pub bound: u64,
    /// For a `once per` earning without a condition: whether this is the rep's last pay period of
    /// the window, in which it is paid (on the window's result). False for every other earning.
    pub ends_window: bool,
    /// The line before the plan's rounding: `limited` less the exact value through the previous
    /// period of the same window (for an earning trued up), or the line as cut when a limit on the
    /// pay period or a wider window cut it. What another earning reading this one adds up.
    pub exact: Ratio,
}

/// Whether an earning acts in the rep's last pay period of a window (a bonus without a condition is
/// paid then, a floor tops the window up then): the runtime must then look ahead for the rep's next
/// pay period under the plan.
pub fn acts_at_window_end(earning: &Earning) -> bool {
    matches!(earning.form, EarningForm::Once { when: None, .. })
        || earning.limits.iter().any(|l| l.kind == LimitKind::Floor)
}

/// Whether the current pay period is the rep's last of a window of `per` for the earning `name`:
/// the rep is evaluated under the plan in no later period of the same window (the window ends, the
/// rep leaves, the plan ends), or the version then in effect no longer has the earning. `next` is
/// the rep's next pay period under the plan, with its version.
fn rep_ends_window(cx: &RepPlan<'_>, per: Scope, name: &str, next: Option<(PayPeriod, &model::Plan)>) -> bool {
    match next {
        None => true,
        Some((period, plan)) => {
            cx.cal.window_key(&period, per) != cx.cal.window_key(&cx.period, per)
                || !plan.earnings.iter().any(|e| e.name == name)
        }
    }
}

/// The bit of [`Line::bound`] for a limit.
pub fn limit_bit(index: usize) -> u64 {
    u32::try_from(index).ok().and_then(|i| 1u64.checked_shl(i)).unwrap_or(0)
}

/// The line of one earning for the current period, updating its state. `evaluated` holds the pay
/// periods (by first month) in which this rep was evaluated under this plan, the current one
/// included: a cancelled deal reverses a SPIFF only if the SPIFF was paid. `next` is the rep's next
/// pay period under the plan (with its version), if any: a bonus without a condition is paid in the
/// rep's last pay period of its window.
pub fn line(
    cx: &RepPlan<'_>,
    id: EarningId,
    state: &mut EarningState,
    evaluated: &HashSet<Month>,
    next: Option<(PayPeriod, &model::Plan)>,
) -> Result<Line, Fault> {
    let earning = &cx.plan.earnings[id];
    let steps = Steps { cx, earning, own: rank(earning.scope, cx.plan.pay), next };
    let mut bound = 0u64;
    // The gate first: a value its gate keeps closed is not needed, so a division it guards (a
    // ratio of this month's sales when there are none) cannot stop the run.
    let open = steps.gate_open()?;
    // The value in the earning's own window, before limits and gate.
    let value = match &earning.form {
        EarningForm::Plain => eval(cx, &earning.value, Row::None).and_then(num).map(|v| (v, None, false)),
        EarningForm::Once { per, when } => once(cx, earning, *per, when.as_ref(), state, &|s| steps.ends(s)),
        EarningForm::PerDeal { by_share, .. } => per_deal(cx, id, *by_share, evaluated).map(|v| (v, None, false)),
    };
    let (value, mut once_window, ends_window) = match value {
        Ok(value) => value,
        Err(_) if !open => (Ratio::ZERO, None, false),
        Err(fault) => return Err(fault.within(DefinitionId::Earning(id))),
    };
    let mut limited = steps.own_window_limits(value, &mut bound)?;
    if !open {
        limited = Ratio::ZERO;
        once_window = None;
    }
    if once_window.is_some() {
        state.once = once_window;
    }
    let rounded = steps.round(limited)?;
    let previous = state.previous(cx, id);
    let (trued_up, mut exact) = match previous {
        // A value over a window longer than the pay period is trued up against the previous period
        // of the same window.
        Some(previous) => {
            let window = cx.cal.window_key(&cx.period, earning.scope);
            let previous_exact = state.last_exact.filter(|(w, _)| *w == window).map_or(Ratio::ZERO, |(_, v)| v);
            state.last = Some((window, rounded));
            state.last_exact = Some((window, limited));
            (or_overflow(rounded.checked_sub(previous))?, limited.checked_sub(previous_exact)?)
        }
        None => (rounded, limited),
    };
    let line = steps.pay_period_limits(trued_up, &mut bound)?;
    let line = steps.wider_window_limits(line, state, &mut bound)?;
    if line != trued_up {
        exact = Ratio::from_decimal(line);
    }
    Ok(Line { value, limited, rounded, previous, line, bound, ends_window, exact })
}

/// The order in which a plan's earnings are computed in a period: every earning after the earnings
/// it reads (`kicker = 25% of commission period` after `commission`), otherwise in the order
/// written. The checker refuses cycles; were one left, its earnings would come in the order
/// written.
pub fn order(plan: &model::Plan) -> Vec<EarningId> {
    let reads: Vec<Vec<EarningId>> = plan.earnings.iter().map(earnings_read).collect();
    if reads.iter().all(Vec::is_empty) {
        return (0..reads.len()).map(EarningId::new).collect();
    }
    let mut placed = vec![false; reads.len()];
    let mut out = Vec::with_capacity(reads.len());
    // Each pass places, in the order written, every earning whose reads are placed.
    while out.len() < reads.len() {
        let before = out.len();
        for (i, read) in reads.iter().enumerate() {
            if !placed[i] && read.iter().all(|r| placed.get(r.index()).copied().unwrap_or(true)) {
                placed[i] = true;
                out.push(EarningId::new(i));
            }
        }
        if out.len() == before {
            // A cycle (refused by the checker): the rest in the order written.
            out.extend((0..reads.len()).filter(|&i| !placed[i]).map(EarningId::new));
            break;
        }
    }
    out
}

/// Whether any earning of a plan reads another earning: only then are the lines kept for it.
pub fn reads_earnings(plan: &model::Plan) -> bool {
    plan.earnings.iter().any(|e| !earnings_read(e).is_empty())
}

/// The earnings an earning reads, in its amount, condition, gate or limits.
fn earnings_read(e: &Earning) -> Vec<EarningId> {
    let mut read = Vec::new();
    let mut visit = |x: &model::Expr| {
        if let model::Expr::Earning { id, .. } = x {
            read.push(*id);
        }
    };
    e.value.walk(&mut visit);
    e.gate.iter().for_each(|g| g.walk(&mut visit));
    e.limits.iter().for_each(|l| l.amount.walk(&mut visit));
    if let EarningForm::Once { when: Some(w), .. } = &e.form {
        w.walk(&mut visit);
    }
    read
}

/// The steps of one earning's line in the current period.
struct Steps<'s, 'a> {
    cx: &'s RepPlan<'a>,
    earning: &'s Earning,
    /// The width of the earning's own window (see [`rank`]).
    own: u8,
    /// The rep's next pay period under the plan, with its version.
    next: Option<(PayPeriod, &'s model::Plan)>,
}

impl Steps<'_, '_> {
    /// Whether this is the rep's last pay period of the current window of `scope`: the window
    /// ends, or the rep is paid under the plan in none of its later periods. Bonuses without a
    /// condition are paid then, floors topped up.
    fn ends(&self, scope: Scope) -> bool {
        rep_ends_window(self.cx, scope, &self.earning.name, self.next)
    }

    /// A value rounded with the plan's rounding.
    fn round(&self, value: Ratio) -> Result<Decimal, Fault> {
        value.round(self.cx.plan.rounding).map_err(|_| Fault::overflow(&format!("the earning `{}`", self.earning.name)))
    }

    /// A limit's amount.
    fn amount(&self, limit: &model::Limit) -> Result<Ratio, Fault> {
        num(eval(self.cx, &limit.amount, Row::None)?)
    }

    /// The earning's limits whose window is as wide as `width` allows, with their index.
    fn limits(&self, width: impl Fn(u8) -> bool) -> impl Iterator<Item = (usize, &model::Limit)> {
        let pay = self.cx.plan.pay;
        self.earning.limits.iter().enumerate().filter(move |(_, l)| width(rank(l.per, pay)))
    }

    /// The value after the limits on the earning's own window: caps always, floors when the window
    /// ends. Marks in `bound` each limit that changed it.
    fn own_window_limits(&self, mut value: Ratio, bound: &mut u64) -> Result<Ratio, Fault> {
        for (i, limit) in self.limits(|width| width == self.own) {
            let amount = self.amount(limit)?;
            let limited = match limit.kind {
                LimitKind::Cap => value.min(amount),
                LimitKind::Floor if self.ends(limit.per) => value.max(amount),
                LimitKind::Floor => value,
            };
            if limited != value {
                *bound |= limit_bit(i);
            }
            value = limited;
        }
        Ok(value)
    }

    /// Whether the earning's gate holds (true without one).
    fn gate_open(&self) -> Result<bool, Fault> {
        match &self.earning.gate {
            Some(gate) => truth(eval(self.cx, gate, Row::None)?),
            None => Ok(true),
        }
    }

    /// The line after the limits on the pay period, for an earning over a wider window: the
    /// excess is lost.
    fn pay_period_limits(&self, mut line: Decimal, bound: &mut u64) -> Result<Decimal, Fault> {
        if self.own == 0 {
            return Ok(line);
        }
        for (i, limit) in self.limits(|width| width == 0) {
            let amount = self.round(self.amount(limit)?)?;
            let limited = match limit.kind {
                LimitKind::Cap => line.min(amount),
                LimitKind::Floor => line.max(amount),
            };
            if limited != line {
                *bound |= limit_bit(i);
            }
            line = limited;
        }
        Ok(line)
    }

    /// The line after the limits on any other window, which bound what that window pays in all: a
    /// cap on every line, a floor on the window's last period. Records what each such window has
    /// paid, this line included.
    fn wider_window_limits(
        &self,
        mut line: Decimal,
        state: &mut EarningState,
        bound: &mut u64,
    ) -> Result<Decimal, Fault> {
        let other = |width: u8| width != self.own && width != 0;
        let paid_before = |state: &EarningState, i: usize, per: Scope| {
            let window = self.cx.cal.window_key(&self.cx.period, per);
            (window, state.paid.get(&i).filter(|(w, _)| *w == window).map_or(Decimal::ZERO, |(_, p)| *p))
        };
        for (i, limit) in self.limits(other) {
            let (_, before) = paid_before(state, i, limit.per);
            let amount = self.round(self.amount(limit)?)?;
            let limited = match limit.kind {
                LimitKind::Cap => line.min(or_overflow(amount.checked_sub(before))?),
                LimitKind::Floor if self.ends(limit.per) => line.max(or_overflow(amount.checked_sub(before))?),
                LimitKind::Floor => line,
            };
            if limited != line {
                *bound |= limit_bit(i);
            }
            line = limited;
        }
        for (i, limit) in self.limits(other) {
            let (window, before) = paid_before(state, i, limit.per);
            state.paid.insert(i, (window, or_overflow(before.checked_add(line))?));
        }
        Ok(line)
    }
}

/// A bonus's value for the period, the window it is paid for (when it is paid now), and whether
/// this is the rep's last pay period of the window (for a bonus without a condition). With a
/// condition it is paid in the first period of the window in which the condition holds; without
/// one, in the rep's last pay period of the window, on the window's result; never twice in a window.
fn once(
    cx: &RepPlan<'_>,
    earning: &Earning,
    per: Scope,
    when: Option<&model::Expr>,
    state: &EarningState,
    ends: &impl Fn(Scope) -> bool,
) -> Result<(Ratio, Option<Month>, bool), Fault> {
    let window = cx.cal.window_key(&cx.period, per);
    let (holds, window_ends) = match when {
        Some(condition) => (truth(eval(cx, condition, Row::None)?)?, false),
        None => {
            let last = ends(per);
            (last, last)
        }
    };
    if state.once == Some(window) || !holds {
        return Ok((Ratio::ZERO, None, window_ends));
    }
    Ok((num(eval(cx, &earning.value, Row::None)?)?, Some(window), window_ends))
}

/// A per-deal earning's value for the period: the sum over the rep's qualifying credit rows dated in
/// the period, less what cancelled deals take back — only what was paid, that is, when the original
/// row's period was paid under this plan.
fn per_deal(cx: &RepPlan<'_>, id: EarningId, by_share: bool, evaluated: &HashSet<Month>) -> Result<Ratio, Fault> {
    let sums = cx.per_deal_sums(id, by_share)?;
    let mut total = sums.rows.sum(cx.period.first, cx.period.last)?;
    for (month, original, value) in &sums.reversals {
        if *month >= cx.period.first
            && *month <= cx.period.last
            && evaluated.contains(&cx.cal.period_of(*original).first)
        {
            total = total.checked_sub(value.clone()?)?;
        }
    }
    Ok(total)
}

/// The result of a checked operation on amounts of a payout (`a.checked_sub(b)`), or the overflow
/// fault when it has none: an amount too large for a decimal is an error located at the rep and
/// period, never a panic.
pub fn or_overflow(result: Option<Decimal>) -> Result<Decimal, Fault> {
    result.ok_or_else(|| Fault::overflow("a payout line"))
}
