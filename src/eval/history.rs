//! A rep's history under one plan: every pay period from the plan's start, in order, so that
//! year-to-date true-ups, bonuses paid once per window and balances owed carry forward; rows are
//! kept for the periods asked for.
//!
//! With a ledger, a closed period is paid as recorded: it is still recomputed (the next true-up
//! needs it), the balance owed continues from the record, and whatever the recomputed earnings
//! differ from the recorded ones (a late deal, a changed plan) is paid in the next open period as
//! an `adjustment` line, which the pay rule then treats like any earning.

use super::earn::{self, or_overflow};
use super::error::{EvalError, Fault};
use super::group::{Group, Naming, Paid};
use super::hold::{self, Due, Held, Retained};
use super::interp::{eval, truth, Row};
use super::pay::{self, Balance};
use super::period::{self, PayPeriod, Requested};
use super::rep_plan::{EarnedLine, EarnedLines, RepPlan, Shared};
use super::schedule::{calendar, schedule, tail_periods, Scheduled};
use super::{Name, Request};
use crate::data::RepIdx;
use crate::diagnostics::codes;
use crate::ledger::Recorded;
use crate::model::{self, EarningId, IdVec};
use rust_decimal::Decimal;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

/// One evaluated pay period of a rep under a plan, as `explain` sees it: the context in the state the
/// period was computed in, so that every intermediate value can be read again through the same code.
pub struct Snapshot<'s, 'a> {
    /// The rep, the plan version and the period.
    pub cx: &'s RepPlan<'a>,
    /// Each earning's line and the values it came from, in declaration order.
    pub lines: &'s IdVec<EarningId, earn::Line>,
    /// The pay periods (by first month) evaluated so far under this plan: a reversal takes back a
    /// per-deal earning only if its deal's period was paid.
    pub evaluated: &'s HashSet<period::Month>,
    /// What recomputed closed periods earned beyond their record, paid now.
    pub adjustment: Decimal,
    /// What the period held and released.
    pub holds: &'s hold::Moves,
    /// The balance owed before the period.
    pub owed_before: Decimal,
    /// How the period was settled.
    pub settlement: &'s pay::Settlement,
}

/// A pay period asked for, as `explain` sees it.
pub enum Seen<'s, 'a> {
    /// A period computed and paid now.
    Open(Snapshot<'s, 'a>),
    /// A closed period, paid as the ledger records it.
    Closed {
        /// The rep, the plan version and the period, as recomputed.
        cx: &'s RepPlan<'a>,
        /// What the ledger records.
        recorded: &'s Recorded,
        /// What the period earns when recomputed now (0 when the rep is no longer eligible): the
        /// difference from the record is paid later as an adjustment.
        earned_now: Decimal,
    },
}

/// Called with each pay period asked for (see [`Seen`]).
pub type Watch<'w> = &'w mut dyn FnMut(&Seen<'_, '_>);

/// Evaluates one rep under one plan (all its versions) through the requested periods.
pub(super) fn simulate(
    shared: &Shared<'_>,
    naming: &Naming<'_>,
    versions: &[&model::Plan],
    rep: RepIdx,
    id: &Name,
    request: &Request,
) -> Result<(Vec<Group>, EarnedLines), EvalError> {
    simulate_watched(shared, naming, versions, rep, id, request, None)
}

/// [`simulate`], showing each period asked for to `watch`.
pub(super) fn simulate_watched(
    shared: &Shared<'_>,
    naming: &Naming<'_>,
    versions: &[&model::Plan],
    rep: RepIdx,
    id: &Name,
    request: &Request,
    watch: Option<Watch<'_>>,
) -> Result<(Vec<Group>, EarnedLines), EvalError> {
    let mut history = RepHistory::new(shared, naming, versions, rep, id, request, watch);
    // Each version's context, by version: its sums are kept from one period to the next.
    let mut contexts: HashMap<u32, RepPlan<'_>> = HashMap::default();
    // The first month and the last pay period asked for in which the rep was paid under the plan.
    let mut paid: Option<(period::Month, Scheduled<'_>)> = None;
    for at in schedule(versions, request.period) {
        // Looking ahead for the rep's next pay period reads later periods in their versions'
        // contexts, so it comes before this period's context is set.
        let next = history.next_paid(&at, &mut contexts)?;
        let cx = contexts
            .entry(at.plan.version)
            .or_insert_with(|| RepPlan::new(shared, at.plan, calendar(at.plan), rep, at.period));
        cx.period = at.period;
        cx.earned = std::rc::Rc::clone(&history.earned);
        history.period(cx, &at, next)?;
        if at.wanted && history.evaluated.contains(&at.period.first) {
            paid = Some((paid.map_or(at.period.first, |(first, _)| first), at));
        }
    }
    if let Some((first, last)) = paid {
        if let Some(cx) = contexts.get_mut(&last.plan.version) {
            cx.period = last.period;
            let window = history.window_attainment(cx, &last, first).map_err(|f| history.fail(&last, f))?;
            history.groups.extend(window);
        }
    }
    let lines = history.earned.borrow().clone();
    Ok((history.groups, lines))
}

/// One rep's history under one plan (all its versions), evaluated period after period: what carries
/// from one pay period to the next, and the rows kept for the periods asked for.
struct RepHistory<'a, 'w> {
    shared: &'a Shared<'a>,
    naming: &'a Naming<'a>,
    /// The rep, and its id.
    rep: RepIdx,
    id: &'a Name,
    request: &'a Request<'a>,
    /// Every pay period of the plan through its end, for a plan that looks ahead (see
    /// [`RepHistory::new`]); `None` for the others.
    horizon: Option<Vec<Scheduled<'a>>>,
    /// What each earning remembers, by name (so that it survives a new version); a plan has a few
    /// earnings, found by name without hashing or copying it each period.
    earnings: Vec<(String, earn::EarningState)>,
    /// The pay periods (by first month) in which the rep was evaluated under the plan.
    evaluated: HashSet<period::Month>,
    /// The balance owed.
    balance: Balance,
    /// Held money not yet released.
    held: Vec<Held>,
    /// What retention schedules keep back of the year to date.
    retained: Vec<Retained>,
    /// Each earning's exact lines so far, which earnings reading earnings add up (shared with
    /// every version's context).
    earned: std::rc::Rc<std::cell::RefCell<EarnedLines>>,
    /// Whether a version of the plan has an earning that reads another: only then are the exact
    /// lines kept.
    keeps_lines: bool,
    /// What recomputed closed periods earned beyond their record, not yet paid.
    adjustment: Decimal,
    /// Shown each period asked for (`explain`).
    watch: Option<Watch<'w>>,
    /// The rows of the periods asked for.
    groups: Vec<Group>,
}

/// Each earning's line in a period, and what the lines came from when `explain` watches.
struct Earned {
    /// Each earning's line, in declaration order.
    lines: IdVec<EarningId, Decimal>,
    /// Each earning's lines in the plan year so far, this one included.
    ytd: IdVec<EarningId, Decimal>,
    /// The values each line came from (only when watched).
    work: IdVec<EarningId, earn::Line>,
    /// The sum of the lines.
    total: Decimal,
}

impl<'a, 'w> RepHistory<'a, 'w> {
    fn new(
        shared: &'a Shared<'a>,
        naming: &'a Naming<'a>,
        versions: &[&'a model::Plan],
        rep: RepIdx,
        id: &'a Name,
        request: &'a Request<'a>,
        watch: Option<Watch<'w>>,
    ) -> RepHistory<'a, 'w> {
        // Every pay period of the plan through its end, to know when a rep is paid for the last time
        // (holds are released then) and for the last time in a window (a bonus without a condition
        // is paid then, a floor tops the window up). Only plans with either look ahead.
        let look_ahead =
            versions.iter().any(|v| !v.holds.is_empty() || v.earnings.iter().any(earn::acts_at_window_end));
        // Through the plan's end, and the periods after it in which the plan still pays what it holds.
        let tail = versions.iter().max_by_key(|v| v.effective.1).map_or(0, |v| v.pay.months() * tail_periods(v));
        let horizon = match versions.iter().map(|v| v.effective.1).max() {
            Some(end) if look_ahead => schedule(versions, Requested::Month(period::month_of(end) + 2 + tail)),
            _ => Vec::new(),
        };
        RepHistory {
            shared,
            naming,
            rep,
            id,
            request,
            horizon: look_ahead.then_some(horizon),
            earnings: Vec::new(),
            evaluated: HashSet::default(),
            balance: Balance::default(),
            held: Vec::new(),
            retained: Vec::new(),
            earned: std::rc::Rc::default(),
            keeps_lines: shared.team_lines_kept || versions.iter().any(|v| earn::reads_earnings(v)),
            adjustment: Decimal::ZERO,
            watch,
            groups: Vec::new(),
        }
    }

    /// The rep's next pay period under this plan: the first later period of any version, through the
    /// plan's end, that finds the rep employed and eligible. Without one, the current period is the
    /// last the rep is paid under the plan: holds are released then, never carried past it. Always
    /// `None` for a plan that does not look ahead.
    fn next_paid(
        &self,
        at: &Scheduled<'a>,
        contexts: &mut HashMap<u32, RepPlan<'a>>,
    ) -> Result<Option<Next<'a>>, EvalError> {
        let Some(horizon) = &self.horizon else { return Ok(None) };
        next_evaluated(self.shared, horizon, contexts, self.rep, &at.period).map_err(|f| self.fail(at, f))
    }

    /// A pay period, in its version's context `cx`: not paid (the rep is not employed or not
    /// eligible), paid as the ledger records it (closed), or paid now.
    fn period(&mut self, cx: &RepPlan<'a>, at: &Scheduled<'a>, next: Option<Next<'a>>) -> Result<(), EvalError> {
        let closed = self.request.ledger.and_then(|l| l.closed(&at.period.name(), &at.plan.name));
        let recorded = closed.and_then(|c| c.group(self.id, &at.plan.name));
        // After the plan's end, only a rep with money still held is paid.
        let owed_nothing = at.tail && self.held.is_empty() && self.retained.is_empty();
        if owed_nothing || !self.paid_in(cx, at)? {
            return self.unpaid_period(cx, at, recorded);
        }
        // Earnings look ahead to the next period that earns: periods after the plan's end earn nothing.
        let next_earning = next.filter(|n| !n.tail).map(|n| (n.period, n.plan));
        // After the plan's end nothing is earned: the period only pays what falls due in it.
        let earned = if at.tail {
            nothing_earned(cx.plan)
        } else {
            self.evaluated.insert(at.period.first);
            self.earn(cx, next_earning).map_err(|f| self.fail(at, f))?
        };
        if closed.is_some() {
            return self.closed_period(cx, at, recorded, earned.total);
        }
        let last = self.horizon.is_some() && next.is_none();
        self.pay_period(cx, at, earned, last)
    }

    /// For a quarter or a plan year asked for that holds several of the plan's pay periods, each
    /// attainment over the pay periods of it in which the rep was paid (from the month `first` to
    /// the end of the last one, `last`): a group of attainment rows named by the window (`2026-Q1`,
    /// `2026`), with no payout.
    fn window_attainment(
        &self,
        cx: &RepPlan<'a>,
        last: &Scheduled<'a>,
        first: period::Month,
    ) -> Result<Option<Group>, Fault> {
        let cal = calendar(last.plan);
        let (from, to) = cal.requested_range(self.request.period);
        if matches!(self.request.period, Requested::Month(_)) || (from, to) == (last.period.first, last.period.last) {
            return Ok(None);
        }
        let name: Name = self.request.period.to_string().as_str().into();
        let attainment = self.naming.of(last.plan).window_attainment(cx, (first, last.period.last), &name, self.id)?;
        Ok(Some(Group {
            period: name,
            payouts: Vec::new(),
            attainment,
            earned: Decimal::ZERO,
            owed: Vec::new(),
            held: Vec::new(),
        }))
    }

    /// Whether the rep is paid under the plan in the period: employed, and eligible.
    fn paid_in(&self, cx: &RepPlan<'a>, at: &Scheduled<'a>) -> Result<bool, EvalError> {
        if !self.shared.employed_in(self.rep, &at.period) {
            return Ok(false);
        }
        match &at.plan.eligible {
            Some(condition) => eval(cx, condition, Row::None).and_then(truth).map_err(|f| self.fail(at, f)),
            None => Ok(true),
        }
    }

    /// Each earning's line for the period, updating what the earning remembers.
    fn earn(&mut self, cx: &RepPlan<'a>, next: Option<(PayPeriod, &'a model::Plan)>) -> Result<Earned, Fault> {
        let watched = self.watch.is_some();
        let count = cx.plan.earnings.len();
        let mut computed: Vec<Option<(earn::Line, Decimal)>> = vec![None; count];
        // Each earning after the earnings it reads, whose lines of this period are then known.
        for &id in cx.order() {
            let earning = &cx.plan.earnings[id];
            let state = state_of(&mut self.earnings, &earning.name);
            let line = earn::line(cx, id, state, &self.evaluated, next)?;
            let ytd = state.year_to_date(cx.period.year, line.line)?;
            if self.keeps_lines {
                let earned = EarnedLine { period: cx.period, version: cx.plan.version, exact: line.exact };
                self.earned.borrow_mut().record(&earning.name, earned);
            }
            computed[id.index()] = Some((line, ytd));
        }
        let mut lines = IdVec::with_capacity(count);
        let mut ytd = IdVec::with_capacity(count);
        let mut work = IdVec::new();
        for (line, so_far) in computed.into_iter().flatten() {
            ytd.push(so_far);
            lines.push(line.line);
            if watched {
                work.push(line);
            }
        }
        let total = or_overflow(lines.iter().try_fold(Decimal::ZERO, |sum, l| sum.checked_add(*l)))?;
        Ok(Earned { lines, ytd, work, total })
    }

    /// A period in which the rep is not paid now. If it was closed with a payment, that payment
    /// stands, and what it earned is taken back in the next open period.
    fn unpaid_period(
        &mut self,
        cx: &RepPlan<'a>,
        at: &Scheduled<'a>,
        recorded: Option<&'a Recorded>,
    ) -> Result<(), EvalError> {
        let Some(recorded) = recorded else { return Ok(()) };
        self.adjustment = or_overflow(self.adjustment.checked_sub(recorded.earned)).map_err(|f| self.fail(at, f))?;
        self.restore(at, recorded)?;
        if at.wanted {
            self.groups.push(self.naming.of(at.plan).recorded(&at.period, self.id, recorded));
            if let Some(watch) = self.watch.as_mut() {
                watch(&Seen::Closed { cx, recorded, earned_now: Decimal::ZERO });
            }
        }
        Ok(())
    }

    /// A closed period in which the rep is paid: recomputed, so that what it earns now beyond its
    /// record (`earned`) is paid in the next open period; the balance owed and the money held
    /// continue from the record, and its rows are the recorded ones.
    fn closed_period(
        &mut self,
        cx: &RepPlan<'a>,
        at: &Scheduled<'a>,
        recorded: Option<&'a Recorded>,
        earned: Decimal,
    ) -> Result<(), EvalError> {
        let paid_for = recorded.map_or(Decimal::ZERO, |r| r.earned);
        self.adjustment = or_overflow(self.adjustment.checked_add(earned).and_then(|a| a.checked_sub(paid_for)))
            .map_err(|f| self.fail(at, f))?;
        let Some(recorded) = recorded else { return Ok(()) };
        self.restore(at, recorded)?;
        if !at.wanted {
            return Ok(());
        }
        if let Some(watch) = self.watch.as_mut() {
            watch(&Seen::Closed { cx, recorded, earned_now: earned });
        }
        // Attainment is information, not payment: it is shown as recomputed.
        let names = self.naming.of(at.plan);
        let mut group = names.recorded(&at.period, self.id, recorded);
        group.attainment = names.attainment(cx, &group.period, self.id).map_err(|f| self.fail(at, f))?;
        self.groups.push(group);
        Ok(())
    }

    /// Continues the balance owed and the money held from a closed period's record.
    fn restore(&mut self, at: &Scheduled<'a>, recorded: &Recorded) -> Result<(), EvalError> {
        let unknown =
            |what: &str| self.fail(at, Fault::new(&codes::LEDGER_UNREADABLE, format!("the ledger records {what}")));
        let balance =
            Balance::recorded(&recorded.owed).ok_or_else(|| unknown("a balance owed for a reason it does not know"))?;
        let mut held = Vec::with_capacity(recorded.held.len());
        let mut retained = Vec::new();
        for (due, amount) in &recorded.held {
            if let Some(r) = Retained::parse(due, *amount) {
                retained.push(r);
                continue;
            }
            let due = Due::parse(due, self.shared).ok_or_else(|| {
                unknown(&format!("money held until `{due}`: a month it cannot read, or a deal the data no longer has"))
            })?;
            held.push(Held { due, amount: *amount, from: None });
        }
        self.balance = balance;
        self.held = held;
        self.retained = retained;
        Ok(())
    }

    /// An open period, paid now (`last`: the rep's last pay period under the plan); its rows are
    /// kept when it was asked for.
    fn pay_period(
        &mut self,
        cx: &RepPlan<'a>,
        at: &Scheduled<'a>,
        earned: Earned,
        last: bool,
    ) -> Result<(), EvalError> {
        let paid = self.settle(cx, &earned, last, !at.tail).map_err(|f| self.fail(at, f))?;
        if !at.wanted {
            return Ok(());
        }
        if let Some(watch) = self.watch.as_mut() {
            watch(&Seen::Open(Snapshot {
                cx,
                lines: &earned.work,
                evaluated: &self.evaluated,
                adjustment: paid.adjustment,
                holds: &paid.moves,
                owed_before: paid.owed_before,
                settlement: &paid.settlement,
            }));
        }
        let group = self.rows(cx, at, &earned.lines, &paid).map_err(|f| self.fail(at, f))?;
        self.groups.push(group);
        Ok(())
    }

    /// Pays an open period: the adjustment owed is paid with the earnings, holds are settled, then
    /// the pay rule (draw, recovery, deferral) from the balance owed.
    fn settle(&mut self, cx: &RepPlan<'a>, earned: &Earned, last: bool, draws: bool) -> Result<Paid, Fault> {
        let adjustment = std::mem::take(&mut self.adjustment);
        let total = or_overflow(earned.total.checked_add(adjustment))?;
        let held_before = self.held_total()?;
        let moves = hold::settle(cx, &earned.lines, &earned.ytd, &mut self.held, &mut self.retained, last)?;
        let shift = or_overflow(moves.hold.checked_add(moves.release))?;
        let owed_before = self.balance.owed()?;
        let settlement = pay::settle(cx, total, shift, &mut self.balance, draws)?;
        let held = (held_before, self.held_total()?);
        Ok(Paid { adjustment, earned: total, moves, owed_before, settlement, held })
    }

    /// All the money held for the rep: held parts, instalments to come, and what retention keeps back.
    fn held_total(&self) -> Result<Decimal, Fault> {
        let mut held = self.held.iter().map(|h| h.amount).chain(self.retained.iter().map(|r| r.amount));
        or_overflow(held.try_fold(Decimal::ZERO, |sum, a| sum.checked_add(a)))
    }

    /// The rows of an open period asked for, and what a ledger records of it.
    fn rows(
        &self,
        cx: &RepPlan<'a>,
        at: &Scheduled<'a>,
        lines: &IdVec<EarningId, Decimal>,
        paid: &Paid,
    ) -> Result<Group, Fault> {
        let names = self.naming.of(at.plan);
        let period: Name = at.period.name().as_str().into();
        // A period after the plan's end measures nothing: it only pays what falls due.
        let attainment = if at.tail { Vec::new() } else { names.attainment(cx, &period, self.id)? };
        let payouts = names.payouts(&period, self.id, at.plan.rounding.decimals, lines, paid);
        Ok(Group {
            period,
            payouts,
            attainment,
            earned: paid.earned,
            owed: self.balance.entries().collect(),
            held: self
                .held
                .iter()
                .map(|h| (h.due.name(self.shared), h.amount))
                .chain(self.retained.iter().map(|r| (r.name(), r.amount)))
                .collect(),
        })
    }

    /// A fault in a period, located at the rep, the plan and the period; a period not asked for says
    /// it was recomputed as history.
    fn fail(&self, at: &Scheduled<'_>, fault: Fault) -> EvalError {
        let mut e = fault.at(self.id, at.plan, &at.period.name());
        if !at.wanted {
            e.diagnostic.message.push_str(&format!(", recomputed as history for {}", self.request.period));
        }
        e
    }
}

/// A period in which nothing is earned: every line zero.
fn nothing_earned(plan: &model::Plan) -> Earned {
    let zeros = IdVec::filled(Decimal::ZERO, plan.earnings.len());
    Earned { lines: zeros.clone(), ytd: zeros, work: IdVec::new(), total: Decimal::ZERO }
}

/// What the earning `name` remembers, kept from now on if it is new.
fn state_of<'e>(earnings: &'e mut Vec<(String, earn::EarningState)>, name: &str) -> &'e mut earn::EarningState {
    let at = match earnings.iter().position(|(n, _)| n == name) {
        Some(at) => at,
        None => {
            earnings.push((name.to_string(), earn::EarningState::default()));
            earnings.len() - 1
        }
    };
    &mut earnings[at].1
}

/// The rep's next pay period under a plan.
#[derive(Clone, Copy)]
struct Next<'a> {
    period: PayPeriod,
    /// The version in effect then.
    plan: &'a model::Plan,
    /// Whether it comes after the plan's end, only to pay what is still held.
    tail: bool,
}

/// The first pay period after `period` in `horizon` (the plan's schedule through its end, and the
/// periods after it that pay what is held) in which the rep is employed and eligible, with the
/// version in effect then; `None` when there is none.
fn next_evaluated<'a>(
    shared: &'a Shared<'a>,
    horizon: &[Scheduled<'a>],
    contexts: &mut HashMap<u32, RepPlan<'a>>,
    rep: RepIdx,
    period: &PayPeriod,
) -> Result<Option<Next<'a>>, Fault> {
    for &Scheduled { period: p, plan: v, tail, .. } in horizon.iter().filter(|s| s.period.last > period.last) {
        if !shared.employed_in(rep, &p) {
            continue;
        }
        let eligible = match &v.eligible {
            None => true,
            Some(condition) => {
                let c = contexts.entry(v.version).or_insert_with(|| RepPlan::new(shared, v, calendar(v), rep, p));
                let at = std::mem::replace(&mut c.period, p);
                let eligible = eval(&*c, condition, Row::None).and_then(truth);
                c.period = at;
                eligible?
            }
        };
        if eligible {
            return Ok(Some(Next { period: p, plan: v, tail }));
        }
    }
    Ok(None)
}
