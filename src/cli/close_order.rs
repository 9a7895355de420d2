//! Which pay periods `compplan close` may record: each (period, plan) once, in time order, without
//! skipping one. Periods are ordered by their last month under the plan's own calendar, never by name.

use crate::diagnostics::{codes, Diagnostic};
use crate::eval::period::{month_name, month_of, Requested, Timeline};
use crate::ledger::Ledger;
use crate::model;
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// What a close asks to record, and the ledger it adds to.
pub(crate) struct CloseRequest<'a> {
    /// The ledger folder, as given (for messages).
    pub dir: &'a Path,
    /// The ledger read from it.
    pub ledger: &'a Ledger,
    /// `--period`.
    pub requested: Requested,
    /// The pay periods the request covers, by name, with the plans that have them.
    pub periods: &'a BTreeMap<String, Vec<String>>,
}

/// Why the close must be refused: one diagnostic per period already closed (E0901, naming its
/// plans), then one per other (period, plan) that cannot be closed — a later period of the plan is
/// closed (E0903), or the plan's period before it is neither closed nor in the request (E0904).
/// The first carries a note listing what could still be closed. Empty when the close may proceed.
pub(crate) fn refusals(request: &CloseRequest<'_>, plans: &[model::Plan]) -> Vec<Diagnostic> {
    let timelines = timelines(request.periods, plans);
    // Every (period, plan) asked for, in time order.
    let mut pairs: Vec<Pair<'_>> = request
        .periods
        .iter()
        .flat_map(|(period, plans)| plans.iter().map(move |plan| (period.as_str(), plan.as_str())))
        .map(|(period, plan)| (period, plan, &timelines[plan]))
        .collect();
    pairs.sort_by_key(|&(period, plan, timeline)| (timeline.last_day(period), period, plan));
    let mut refused: BTreeSet<(&str, &str)> = BTreeSet::new();
    let mut out = already_closed(request, &timelines, &mut refused);
    out.extend(closed_out_of_order(request, &pairs, &mut refused));
    out.extend(gaps(request, &pairs, &mut refused));
    if let (Some(first), Some(open)) =
        (out.first_mut(), still_open(&pairs, &refused, request.ledger, request.requested))
    {
        first.notes.push(open);
    }
    out
}

/// A (period, plan) of a close, with the plan's calendar.
type Pair<'a> = (&'a str, &'a str, &'a Timeline);

/// One diagnostic per period already closed (E0901), naming its closed plans, in time order; the
/// (period, plan) pairs go into `refused`.
fn already_closed<'a>(
    request: &CloseRequest<'a>,
    timelines: &BTreeMap<&str, Timeline>,
    refused: &mut BTreeSet<(&'a str, &'a str)>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (period, plans) in by_time(request.periods, timelines) {
        let closed: Vec<&String> = plans.iter().filter(|plan| request.ledger.closed(period, plan).is_some()).collect();
        if closed.is_empty() {
            continue;
        }
        refused.extend(closed.iter().map(|plan| (period.as_str(), plan.as_str())));
        let names: Vec<String> = closed.iter().map(|plan| format!("`{plan}`")).collect();
        out.push(
            Diagnostic::new(&codes::PERIOD_CLOSED, format!("{period} is already closed in {} (for {})", request.dir.display(), names.join(", ")))
                .note("a closed period is never rewritten")
                .help("a late change to a closed period is paid in the next open one: `compplan run --ledger` shows it as an `adjustment`"),
        );
    }
    out
}

/// One diagnostic per (period, plan) not yet refused whose plan has a later period closed (E0903).
/// Periods close in order: a balance or a hold carried into a closed later period would otherwise
/// be recorded before what it depends on.
fn closed_out_of_order<'a>(
    request: &CloseRequest<'a>,
    pairs: &[Pair<'a>],
    refused: &mut BTreeSet<(&'a str, &'a str)>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for &(period, plan, timeline) in pairs {
        if refused.contains(&(period, plan)) {
            continue;
        }
        let Some(last) = timeline.last_day(period) else { continue };
        let Some((later, _)) = closed_of(request.ledger, plan, timeline)
            .filter(|&(_, month)| month > last)
            .max_by_key(|&(_, month)| month)
        else {
            continue;
        };
        refused.insert((period, plan));
        out.push(
            Diagnostic::new(&codes::CLOSED_OUT_OF_ORDER, format!("{period} cannot be closed for `{plan}`: {later}, which comes after it, is already closed"))
                .note("periods are closed in order, so that each record starts from the balance and holds the previous one ended with")
                .help(format!(
                    "{period} counts as paid outside the ledger: `compplan run --ledger` recomputes it as history and never pays it; if it was not paid, pay it outside compplan"
                )),
        );
    }
    out
}

/// One diagnostic per (period, plan) not yet refused that would leave a gap (E0904): once a plan
/// has a closed period, none may be skipped, since a period left open between two closed ones
/// would be recomputed as history and paid by no one.
fn gaps<'a>(
    request: &CloseRequest<'a>,
    pairs: &[Pair<'a>],
    refused: &mut BTreeSet<(&'a str, &'a str)>,
) -> Vec<Diagnostic> {
    let ledger = request.ledger;
    let in_request =
        |period: &str, plan: &str| request.periods.get(period).is_some_and(|plans| plans.iter().any(|p| p == plan));
    let mut out = Vec::new();
    for &(period, plan, timeline) in pairs {
        if refused.contains(&(period, plan)) {
            continue;
        }
        let (Some(last), Some(before)) = (timeline.last_day(period), timeline.before(period)) else { continue };
        let before_name = before.name();
        if ledger.closed(&before_name, plan).is_some() || in_request(&before_name, plan) {
            continue;
        }
        let Some((latest, latest_day)) =
            closed_of(ledger, plan, timeline).filter(|&(_, month)| month < last).max_by_key(|&(_, month)| month)
        else {
            continue;
        };
        let missing: Vec<(String, NaiveDate)> = timeline
            .periods()
            .iter()
            .filter(|p| p.end() > latest_day && p.end() < last)
            .map(|p| (p.name(), p.end()))
            .filter(|(name, _)| ledger.closed(name, plan).is_none() && !in_request(name, plan))
            .collect();
        let Some((first, first_last)) = missing.first() else { continue };
        let names: Vec<&str> = missing.iter().map(|(name, _)| name.as_str()).collect();
        let (verb, which) = if names.len() == 1 { ("is", "the pay period") } else { ("are", "the pay periods") };
        refused.insert((period, plan));
        out.push(
            Diagnostic::new(
                &codes::PERIOD_NOT_CLOSED_BEFORE,
                format!("{period} cannot be closed for `{plan}`: {}, {which} before it, {verb} not closed (the last closed is {latest})", names.join(", ")),
            )
            .note("periods close in order, without a gap: a period skipped would be recomputed as history and never paid")
            .help(match names.len() {
                1 => format!("close {first} first (`compplan close … --period {}`), then {period}", period_argument(first, *first_last)),
                _ => format!("close {} first, in order from `compplan close … --period {}`, then {period}", names.join(", "), period_argument(first, *first_last)),
            }),
        );
    }
    out
}

/// The periods of a close in time order: by the earliest month any of their plans ends them in, then
/// by name. Their records are chained in this order.
pub(crate) fn in_time_order<'p>(periods: &'p BTreeMap<String, Vec<String>>, plans: &[model::Plan]) -> Vec<&'p String> {
    by_time(periods, &timelines(periods, plans)).into_iter().map(|(period, _)| period).collect()
}

/// The calendar of each plan of a close.
fn timelines<'p>(periods: &'p BTreeMap<String, Vec<String>>, plans: &[model::Plan]) -> BTreeMap<&'p str, Timeline> {
    periods
        .values()
        .flatten()
        .map(|plan| (plan.as_str(), Timeline::of(&plans.iter().filter(|p| &p.name == plan).collect::<Vec<_>>())))
        .collect()
}

/// The periods of a close, in time order (see [`in_time_order`]).
fn by_time<'p>(
    periods: &'p BTreeMap<String, Vec<String>>,
    timelines: &BTreeMap<&str, Timeline>,
) -> Vec<(&'p String, &'p Vec<String>)> {
    let mut by_time: Vec<(&String, &Vec<String>)> = periods.iter().collect();
    by_time.sort_by_key(|&(period, plans)| {
        (plans.iter().filter_map(|plan| timelines[plan.as_str()].last_day(period)).min(), period)
    });
    by_time
}

/// The closed periods of a plan, each with its last month under the plan's calendar.
fn closed_of<'l>(
    ledger: &'l Ledger,
    plan: &'l str,
    timeline: &'l Timeline,
) -> impl Iterator<Item = (&'l str, NaiveDate)> + 'l {
    ledger.closed_for(plan).filter_map(|name| Some((name, timeline.last_day(name)?)))
}

/// The note listing the periods of a refused request that a later close could still record (not
/// refused, and every plan's period before is closed or itself still open), in time order; `None`
/// when there are none.
fn still_open(
    pairs: &[(&str, &str, &Timeline)],
    refused: &BTreeSet<(&str, &str)>,
    ledger: &Ledger,
    requested: Requested,
) -> Option<String> {
    let mut pairs: Vec<(&str, &str, &Timeline, NaiveDate)> =
        pairs.iter().filter_map(|&(period, plan, t)| Some((period, plan, t, t.last_day(period)?))).collect();
    pairs.sort_by_key(|&(_, _, _, last)| last);
    let open = closable(&pairs, refused, ledger);
    // A period is listed when all its plans may close, with the month it ends in where its name
    // does not say it (a quarter).
    let mut listed: Vec<(NaiveDate, String)> = Vec::new();
    let mut quarter: Option<String> = None;
    let names: BTreeSet<&str> = pairs.iter().map(|&(period, ..)| period).collect();
    for name in names {
        let of_name: Vec<&(&str, &str, &Timeline, NaiveDate)> =
            pairs.iter().filter(|&&(period, ..)| period == name).collect();
        if !of_name.iter().all(|&&(period, plan, ..)| open.contains(&(period, plan))) {
            continue;
        }
        let first_month = of_name.iter().map(|&&(.., last)| last).min().unwrap_or_default();
        let ends: Vec<String> = of_name
            .iter()
            .filter(|&&&(.., last)| period_argument(name, last) != name)
            .map(|&&(_, plan, _, last)| format!("`{plan}` ends it in {}", period_argument(name, last)))
            .collect();
        if ends.is_empty() {
            listed.push((first_month, name.to_string()));
        } else {
            if quarter.is_none() {
                let &&(_, plan, _, last) = of_name.iter().find(|&&&(.., last)| period_argument(name, last) != name)?;
                quarter = Some(format!("`--period {}` for `{plan}`'s {name}", period_argument(name, last)));
            }
            listed.push((first_month, format!("{name} ({})", ends.join(", "))));
        }
    }
    if listed.is_empty() {
        return None;
    }
    listed.sort();
    let listed: Vec<String> = listed.into_iter().map(|(_, name)| name).collect();
    let how = match (quarter, listed.len()) {
        (Some(example), 1) => format!("close it with a `--period` that ends with its last month ({example})"),
        (Some(example), _) => {
            format!("close them in order, each with a `--period` that ends with its last month ({example})")
        }
        (None, 1) => format!("close it with `--period {}`", listed[0]),
        (None, _) => "close them in order, each with its own `--period`".to_string(),
    };
    Some(format!("still open in {requested}: {}; {how}", listed.join(", ")))
}

/// The (period, plan) pairs of a refused request that a later close could still record, given in
/// time order: not refused, and the plan's period before is closed, not asked for, or itself
/// closable.
fn closable<'a>(
    pairs: &[(&'a str, &'a str, &Timeline, NaiveDate)],
    refused: &BTreeSet<(&str, &str)>,
    ledger: &Ledger,
) -> BTreeSet<(&'a str, &'a str)> {
    let mut open: BTreeSet<(&str, &str)> = BTreeSet::new();
    for &(period, plan, timeline, _) in pairs {
        let before_ok = match timeline.before(period) {
            None => true,
            Some(before) => {
                let name = before.name();
                let requested_too = pairs.iter().any(|&(p, q, _, _)| p == name && q == plan);
                !requested_too
                    || ledger.closed(&name, plan).is_some()
                    || open.iter().any(|&(p, q)| p == name && q == plan)
            }
        };
        if before_ok && !refused.contains(&(period, plan)) {
            open.insert((period, plan));
        }
    }
    open
}

/// The `--period` that closes the pay period `name` ending on `last`: a pay period named by its
/// last day (semi-monthly, biweekly) by its name, any other by the month it ends in.
fn period_argument(name: &str, last: NaiveDate) -> String {
    match name.parse::<Requested>() {
        Ok(Requested::Day(day)) if day == last => name.to_string(),
        _ => month_name(month_of(last)),
    }
}
