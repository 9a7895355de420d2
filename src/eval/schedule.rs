//! The pay periods of a plan, all versions together: which version is in effect in each, which
//! were asked for, and the periods after the plan's end in which it still pays what it owes.

use super::period::{Calendar, Month, PayPeriod, Requested};
use crate::model;

/// The versions of each plan name, in version order.
pub(super) fn by_name(plans: &[model::Plan]) -> Vec<Vec<&model::Plan>> {
    let mut out: Vec<Vec<&model::Plan>> = Vec::new();
    for plan in plans {
        match out.last_mut() {
            Some(versions) if versions[0].name == plan.name => versions.push(plan),
            _ => out.push(vec![plan]),
        }
    }
    out
}

pub(super) fn calendar(plan: &model::Plan) -> Calendar {
    Calendar { fiscal_start: plan.fiscal_start, pay: plan.pay }
}

/// A pay period of a plan's schedule.
#[derive(Clone, Copy, Debug)]
pub(super) struct Scheduled<'a> {
    pub(super) period: PayPeriod,
    /// The version in effect on the period's last day.
    pub(super) plan: &'a model::Plan,
    /// Whether the period was asked for (the others are recomputed as history).
    pub(super) wanted: bool,
    /// Whether it comes after the plan's end, only to pay what the plan still owes in instalments
    /// or holds (see [`tail`]).
    pub(super) tail: bool,
}

/// The pay periods of a plan (all versions) from its start through the end of the request, in
/// time order.
pub(super) fn schedule<'a>(versions: &[&'a model::Plan], requested: Requested) -> Vec<Scheduled<'a>> {
    let mut out: Vec<Scheduled<'a>> = Vec::new();
    for &plan in versions {
        let cal = calendar(plan);
        let (from, to) = cal.requested_range(requested);
        for period in cal.periods_in_effect(plan.effective, to) {
            let wanted = period.last >= from && period.last <= to;
            match out.iter_mut().find(|s| (s.period.first, s.period.last) == (period.first, period.last)) {
                Some(slot) => {
                    // Two versions touch this period: the one in effect on its last day wins.
                    if plan.effective.0 <= period.end() {
                        *slot = Scheduled { period, plan, wanted, tail: false };
                    }
                }
                None => out.push(Scheduled { period, plan, wanted, tail: false }),
            }
        }
    }
    out.sort_by_key(|s| (s.period.last, s.period.first));
    out.extend(tail(versions, requested));
    out
}

/// The pay periods after a plan's end in which it still pays what its last version holds for a
/// number of periods or pays in instalments: as many as the longest of them, each only through the
/// end of the request. They earn nothing: only what falls due is paid.
fn tail<'a>(versions: &[&'a model::Plan], requested: Requested) -> Vec<Scheduled<'a>> {
    let Some(&plan) = versions.iter().max_by_key(|v| v.effective.1) else { return Vec::new() };
    let count = tail_periods(plan);
    if count == 0 {
        return Vec::new();
    }
    let cal = calendar(plan);
    let Some(end) = cal.periods_in_effect(plan.effective, Month::MAX).last().map(|p| p.last) else { return Vec::new() };
    let (from, to) = cal.requested_range(requested);
    let steps = plan.pay.months().saturating_mul(count);
    cal.periods_ending_in(end + 1, end.saturating_add(steps).min(to))
        .into_iter()
        .map(|period| Scheduled { period, plan, wanted: period.last >= from && period.last <= to, tail: true })
        .collect()
}

/// How many pay periods after its end a plan version may still pay in: the most that a hold for
/// periods waits, or that instalments after the first take.
pub(super) fn tail_periods(plan: &model::Plan) -> i32 {
    let longest = plan.holds.iter().map(|h| match h.release {
        model::HoldRelease::Periods(count) => count,
        model::HoldRelease::Instalments(parts) => parts.saturating_sub(1),
        model::HoldRelease::Paid(_) | model::HoldRelease::Ytd(_) => 0,
    });
    i32::try_from(longest.max().unwrap_or(0)).unwrap_or(i32::MAX)
}

/// The pay periods asked for, by name, each with the plans that have it: what `close` records.
pub(super) fn asked(
    plans: &[Vec<&model::Plan>],
    requested: Requested,
) -> std::collections::BTreeMap<String, Vec<String>> {
    let mut out: std::collections::BTreeMap<String, Vec<String>> = std::collections::BTreeMap::new();
    for versions in plans {
        for Scheduled { period, plan, wanted, .. } in schedule(versions, requested) {
            let names = out.entry(period.name()).or_default();
            if wanted && !names.contains(&plan.name) {
                names.push(plan.name.clone());
            }
        }
    }
    out.retain(|_, plans| !plans.is_empty());
    out
}

/// The pay periods asked for in which `version` of the plan is in effect (on the period's last day),
/// by name, in order: what a test written inside that version compares.
pub fn version_periods(versions: &[&model::Plan], version: u32, requested: Requested) -> Vec<String> {
    schedule(versions, requested)
        .into_iter()
        .filter(|s| s.wanted && s.plan.version == version)
        .map(|s| s.period.name())
        .collect()
}
