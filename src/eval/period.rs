//! Plan years, quarters and pay periods, for fiscal years that may start in any month.
//!
//! Months keep their calendar names (`2026-03`); quarters and years are named by the plan year
//! (`2026-Q1` is the first quarter of plan year 2026, which starts in the plan's fiscal start
//! month). Months are counted as one integer (`year × 12 + month − 1`) so that windows are ranges.

use crate::model::{self, PayFrequency, Scope};
use chrono::{Datelike, NaiveDate};
use std::fmt;

/// A calendar month as one number: `year × 12 + (month − 1)`.
pub type Month = i32;

/// The month a date falls in.
pub fn month_of(date: NaiveDate) -> Month {
    date.year() * 12 + date.month0() as i32
}

/// The first day of a month.
pub fn first_day(month: Month) -> NaiveDate {
    NaiveDate::from_ymd_opt(month.div_euclid(12), month.rem_euclid(12) as u32 + 1, 1).unwrap_or(NaiveDate::MIN)
}

/// The last day of a month.
pub fn last_day(month: Month) -> NaiveDate {
    first_day(month + 1).pred_opt().unwrap_or(NaiveDate::MAX)
}

/// The number of days in a month.
pub fn days_in(month: Month) -> i64 {
    (first_day(month + 1) - first_day(month)).num_days()
}

/// `2026-03`.
pub fn month_name(month: Month) -> String {
    format!("{:04}-{:02}", month.div_euclid(12), month.rem_euclid(12) + 1)
}

/// The month a name such as `2026-05` gives ([`month_name`]'s inverse), if it is one.
pub fn parse_month(name: &str) -> Option<Month> {
    let (year, month) = name.split_once('-')?;
    let (year, month): (i32, i32) = (year.parse().ok()?, month.parse().ok()?);
    (year.to_string().len() == 4 && month.to_string().len() <= 2 && (1..=12).contains(&month) && name.len() == 7)
        .then(|| year * 12 + month - 1)
}

/// A pay period shorter than a month, as a step of its calendar: half-months are numbered
/// `month × 2 + half` (0 for the 1st–15th, 1 for the 16th–end); two-week periods are numbered from
/// the first day of the common era, shifted by the calendar's phase (see [`Calendar::step_of`]).
fn half_month_of(date: NaiveDate) -> Month {
    month_of(date) * 2 + i32::from(date.day() > 15)
}

/// The first and last day of a half-month step.
fn half_month_days(step: Month) -> (NaiveDate, NaiveDate) {
    let month = step.div_euclid(2);
    match step.rem_euclid(2) {
        0 => (first_day(month), first_day(month).with_day(15).unwrap_or(NaiveDate::MAX)),
        _ => (first_day(month).with_day(16).unwrap_or(NaiveDate::MAX), last_day(month)),
    }
}

/// The two-week step holding a date, for a calendar whose periods start on days `phase` (0–13)
/// past a multiple of 14 days from the first day of the common era.
fn two_weeks_of(date: NaiveDate, phase: u8) -> Month {
    (date.num_days_from_ce() - i32::from(phase)).div_euclid(14)
}

/// The first and last day of a two-week step.
fn two_weeks_days(step: Month, phase: u8) -> (NaiveDate, NaiveDate) {
    let first = step.checked_mul(14).and_then(|d| d.checked_add(i32::from(phase)));
    match first.and_then(NaiveDate::from_num_days_from_ce_opt) {
        Some(start) => (start, start.checked_add_days(chrono::Days::new(13)).unwrap_or(NaiveDate::MAX)),
        None if step < 0 => (NaiveDate::MIN, NaiveDate::MIN),
        None => (NaiveDate::MAX, NaiveDate::MAX),
    }
}

/// The phase of a biweekly calendar whose periods start on `anchor` (see [`two_weeks_of`]).
fn phase_of(anchor: NaiveDate) -> u8 {
    anchor.num_days_from_ce().rem_euclid(14) as u8
}

/// What a pay period is, which names it and gives its days.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Kind {
    /// A calendar month.
    Month,
    /// A quarter of the plan year (1 to 4).
    Quarter(u8),
    /// A plan year.
    Year,
    /// A half-month (its step is [`half_month_of`]'s).
    HalfMonth,
    /// Fourteen days (its step is [`two_weeks_of`]'s, with this phase).
    TwoWeeks {
        /// The calendar's phase.
        phase: u8,
    },
}

/// One pay period of a plan. Its `first` and `last` are steps of its calendar: months for a plan
/// paying monthly, quarterly or yearly; for a plan paying semi-monthly or biweekly, the one pay
/// period itself (`first == last`), numbered as [`Calendar::step_of`] says.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PayPeriod {
    /// What the period is: with `first`, what [`PayPeriod::name`] prints. (The name is not kept:
    /// periods are made in the hot loop.)
    kind: Kind,
    /// First step of the period.
    pub first: Month,
    /// Last step of the period.
    pub last: Month,
    /// The plan year it belongs to.
    pub year: i32,
}

impl PayPeriod {
    /// `2026-03`, `2026-Q1`, `2026`, or the last day of a period shorter than a month
    /// (`2026-01-15`): the `period` column of the outputs.
    pub fn name(&self) -> String {
        match self.kind {
            Kind::Month => month_name(self.first),
            Kind::Year => format!("{}", self.year),
            Kind::Quarter(quarter) => format!("{}-Q{quarter}", self.year),
            Kind::HalfMonth | Kind::TwoWeeks { .. } => self.end().format("%Y-%m-%d").to_string(),
        }
    }

    /// First day.
    pub fn start(&self) -> NaiveDate {
        match self.kind {
            Kind::Month | Kind::Quarter(_) | Kind::Year => first_day(self.first),
            Kind::HalfMonth => half_month_days(self.first).0,
            Kind::TwoWeeks { phase } => two_weeks_days(self.first, phase).0,
        }
    }

    /// Last day.
    pub fn end(&self) -> NaiveDate {
        match self.kind {
            Kind::Month | Kind::Quarter(_) | Kind::Year => last_day(self.last),
            Kind::HalfMonth => half_month_days(self.last).1,
            Kind::TwoWeeks { phase } => two_weeks_days(self.last, phase).1,
        }
    }
}

/// The calendar of a plan: its fiscal start month and its pay frequency. It counts time in steps
/// ([`Month`]): calendar months, except for a plan paying more often than monthly, whose steps are
/// its pay periods (half-months, or two-week periods); every window (a period, a quarter, a plan
/// year) is a range of steps. A step shorter than a month belongs to the month its last day is in,
/// and through it to a quarter and a plan year.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Calendar {
    /// The month (1–12) plan years start in.
    pub fiscal_start: u32,
    /// How often the plan pays.
    pub pay: PayFrequency,
}

impl Calendar {
    /// The step a date falls in: its month, or its pay period when a pay period is shorter than a
    /// month.
    pub fn step_of(&self, date: NaiveDate) -> Month {
        match self.pay {
            PayFrequency::Monthly | PayFrequency::Quarterly | PayFrequency::Yearly => month_of(date),
            PayFrequency::SemiMonthly => half_month_of(date),
            PayFrequency::Biweekly(anchor) => two_weeks_of(date, phase_of(anchor)),
        }
    }

    /// The step of a row dated `date` in month `month` (both given, so that a plan counting months
    /// reads the month the row keeps, and only a plan paying more often reads its date again).
    pub fn step_of_row(&self, month: Month, date: NaiveDate) -> Month {
        if self.pay.shorter_than_a_month() {
            self.step_of(date)
        } else {
            month
        }
    }

    /// The first and last day of a step.
    pub fn step_days(&self, step: Month) -> (NaiveDate, NaiveDate) {
        match self.pay {
            PayFrequency::Monthly | PayFrequency::Quarterly | PayFrequency::Yearly => (first_day(step), last_day(step)),
            PayFrequency::SemiMonthly => half_month_days(step),
            PayFrequency::Biweekly(anchor) => two_weeks_days(step, phase_of(anchor)),
        }
    }

    /// The calendar month a step ends in (the step itself on a calendar of months).
    pub fn month_of_step(&self, step: Month) -> Month {
        match self.pay {
            PayFrequency::Monthly | PayFrequency::Quarterly | PayFrequency::Yearly => step,
            PayFrequency::SemiMonthly => step.div_euclid(2),
            PayFrequency::Biweekly(_) => month_of(self.step_days(step).1),
        }
    }

    /// The first step that ends in a month or later: the month itself, or the first pay period
    /// whose last day is in it (or after it, for a month no two-week period ends in).
    fn first_step_from(&self, month: Month) -> Month {
        match self.pay {
            PayFrequency::Monthly | PayFrequency::Quarterly | PayFrequency::Yearly => month,
            PayFrequency::SemiMonthly => month * 2,
            PayFrequency::Biweekly(_) => self.step_of(first_day(month)),
        }
    }

    /// The steps that end in a month: the month itself, or the pay periods whose last day is in
    /// it.
    pub fn month_steps(&self, month: Month) -> (Month, Month) {
        (self.first_step_from(month), self.first_step_from(month + 1) - 1)
    }

    /// The plan year a step belongs to (named by the calendar year it starts in): the plan year of
    /// the month the step ends in.
    pub fn plan_year(&self, step: Month) -> i32 {
        let month = self.month_of_step(step);
        let calendar_year = month.div_euclid(12);
        if month.rem_euclid(12) as u32 + 1 >= self.fiscal_start {
            calendar_year
        } else {
            calendar_year - 1
        }
    }

    /// The first month of a plan year.
    fn year_start_month(&self, year: i32) -> Month {
        year * 12 + self.fiscal_start as i32 - 1
    }

    /// The first step of a plan year.
    pub fn year_start(&self, year: i32) -> Month {
        self.first_step_from(self.year_start_month(year))
    }

    /// The last step of a plan year.
    pub fn year_end(&self, year: i32) -> Month {
        match self.pay {
            PayFrequency::Monthly | PayFrequency::Quarterly | PayFrequency::Yearly => self.year_start(year) + 11,
            PayFrequency::SemiMonthly | PayFrequency::Biweekly(_) => self.year_start(year + 1) - 1,
        }
    }

    /// The first month of the quarter (of the plan year) that holds a step.
    fn quarter_start_month(&self, step: Month) -> Month {
        let month = self.month_of_step(step);
        let start = self.year_start_month(self.plan_year(step));
        start + (month - start) / 3 * 3
    }

    /// The first step of the quarter (of the plan year) that holds a step.
    pub fn quarter_start(&self, step: Month) -> Month {
        self.first_step_from(self.quarter_start_month(step))
    }

    /// The last step of the quarter that holds a step.
    pub fn quarter_end(&self, step: Month) -> Month {
        match self.pay {
            PayFrequency::Monthly | PayFrequency::Quarterly | PayFrequency::Yearly => self.quarter_start(step) + 2,
            PayFrequency::SemiMonthly | PayFrequency::Biweekly(_) => {
                self.first_step_from(self.quarter_start_month(step) + 3) - 1
            }
        }
    }

    /// The pay period that holds a step.
    pub fn period_of(&self, step: Month) -> PayPeriod {
        let year = self.plan_year(step);
        let kind = match self.pay {
            PayFrequency::Monthly => Kind::Month,
            PayFrequency::Quarterly => {
                let first = self.quarter_start(step);
                let quarter = (first - self.year_start(year)) / 3 + 1;
                return PayPeriod { kind: Kind::Quarter(quarter as u8), first, last: first + 2, year };
            }
            PayFrequency::Yearly => {
                let first = self.year_start(year);
                return PayPeriod { kind: Kind::Year, first, last: first + 11, year };
            }
            PayFrequency::SemiMonthly => Kind::HalfMonth,
            PayFrequency::Biweekly(anchor) => Kind::TwoWeeks { phase: phase_of(anchor) },
        };
        PayPeriod { kind, first: step, last: step, year }
    }

    /// The pay periods that end within `[from, to]` (steps), in order.
    pub fn periods_ending_in(&self, from: Month, to: Month) -> Vec<PayPeriod> {
        let mut out: Vec<PayPeriod> = Vec::new();
        for step in from..=to {
            let period = self.period_of(step);
            if period.last == step {
                out.push(period);
            }
        }
        out
    }

    /// The pay periods of one plan version: those that overlap its effective days and end by
    /// `until` (a quarter that starts in the version's last month still ends, and is paid, within
    /// two months of it; a plan year within eleven; a two-week period within thirteen days). The
    /// runtime's schedule and a plan's [`Timeline`] both start from these.
    pub fn periods_in_effect(&self, (from, to): (NaiveDate, NaiveDate), until: Month) -> Vec<PayPeriod> {
        let end = until.min(self.period_of(self.step_of(to)).last);
        let mut periods = self.periods_ending_in(self.step_of(from), end);
        periods.retain(|p| p.end() >= from && p.start() <= to);
        periods
    }

    /// The steps a measure reads in a scope at a pay period: the period, the quarter to date, or
    /// the plan year to date.
    pub fn measure_window(&self, period: &PayPeriod, scope: Scope) -> (Month, Month) {
        match scope {
            Scope::Period => (period.first, period.last),
            Scope::Quarter => (self.quarter_start(period.last), period.last),
            Scope::Ytd => (self.year_start(period.year), period.last),
            Scope::Year => (self.year_start(period.year), self.year_end(period.year)),
        }
    }

    /// The steps a quota covers in a scope at a pay period: the period, the whole quarter, the
    /// year to date, or the whole year.
    pub fn quota_window(&self, period: &PayPeriod, scope: Scope) -> (Month, Month) {
        match scope {
            Scope::Quarter => (self.quarter_start(period.last), self.quarter_end(period.last)),
            other => self.measure_window(period, other),
        }
    }

    /// The window of an earning's or limit's scope that holds a pay period, as a comparable key:
    /// two periods in the same window have the same key.
    pub fn window_key(&self, period: &PayPeriod, scope: Scope) -> Month {
        match scope {
            Scope::Period => period.first,
            Scope::Quarter => match self.pay {
                PayFrequency::Quarterly => period.first,
                // A yearly plan has no quarter scope (the checker refuses it): its last quarter.
                _ => self.quarter_start(period.last),
            },
            Scope::Ytd | Scope::Year => self.year_start(period.year),
        }
    }

    /// The range of steps whose pay periods end within a requested period: a month is itself (or
    /// the pay periods ending in it); a quarter or a year is the plan's own; a day selects the pay
    /// period that ends on it, if one does.
    pub fn requested_range(&self, requested: Requested) -> (Month, Month) {
        let (first, last) = match requested {
            Requested::Month(month) => (month, month),
            Requested::Quarter(year, quarter) => {
                let start = self.year_start_month(year) + (quarter as i32 - 1) * 3;
                (start, start + 2)
            }
            Requested::Year(year) => (self.year_start_month(year), self.year_start_month(year) + 11),
            Requested::Day(day) => {
                let step = self.step_of(day);
                return if self.step_days(step).1 == day { (step, step) } else { (step, step - 1) };
            }
        };
        (self.first_step_from(first), self.first_step_from(last + 1) - 1)
    }
}

/// Every pay period of one plan across its versions, in time order: what orders the periods a
/// ledger closes for the plan. A plan may change its pay frequency or its fiscal year from one
/// version to the next (quarters to July, then months), so period names do not sort in time; their
/// last months do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Timeline {
    /// The periods, by last month then first month.
    periods: Vec<PayPeriod>,
    /// The calendar of each version, for names no version pays any more.
    calendars: Vec<Calendar>,
}

impl Timeline {
    /// The pay periods of a plan's versions, each during its effective dates (when two versions
    /// pay the same months, the period is listed once), as the runtime schedules them.
    pub fn of(versions: &[&model::Plan]) -> Timeline {
        Timeline::new(
            versions.iter().map(|plan| (Calendar { fiscal_start: plan.fiscal_start, pay: plan.pay }, plan.effective)),
        )
    }

    /// [`Timeline::of`] from each version's calendar and first and last effective day.
    pub fn new(versions: impl IntoIterator<Item = (Calendar, (NaiveDate, NaiveDate))>) -> Timeline {
        let mut periods: Vec<PayPeriod> = Vec::new();
        let mut calendars = Vec::new();
        for (cal, (from, to)) in versions {
            calendars.push(cal);
            for p in cal.periods_in_effect((from, to), Month::MAX) {
                if !periods.iter().any(|q| (q.first, q.last) == (p.first, p.last)) {
                    periods.push(p);
                }
            }
        }
        periods.sort_by_key(|p| (p.last, p.first));
        Timeline { periods, calendars }
    }

    /// Every pay period of the plan, by last month.
    pub fn periods(&self) -> &[PayPeriod] {
        &self.periods
    }

    /// The pay period of this name (`2026-03`, `2026-Q1`); the latest, should two versions give
    /// one name to different months.
    pub fn find(&self, name: &str) -> Option<PayPeriod> {
        self.periods.iter().rev().find(|p| p.name() == name).copied()
    }

    /// The last day of the period of this name: the plan's own, or, for a name none of its
    /// versions pays (a version since removed), the day its calendars end it on.
    pub fn last_day(&self, name: &str) -> Option<NaiveDate> {
        if let Some(period) = self.find(name) {
            return Some(period.end());
        }
        let requested: Requested = name.parse().ok()?;
        let cal = match requested {
            Requested::Day(day) => return Some(day),
            Requested::Quarter(..) => self.calendars.iter().find(|c| c.pay == PayFrequency::Quarterly),
            Requested::Year(..) => self.calendars.iter().find(|c| c.pay == PayFrequency::Yearly),
            Requested::Month(_) => None,
        };
        cal.or(self.calendars.first()).map(|cal| {
            let (_, last) = cal.requested_range(requested);
            cal.step_days(last).1
        })
    }

    /// The plan's pay period just before the one of this name, if it has one.
    pub fn before(&self, name: &str) -> Option<PayPeriod> {
        let period = self.find(name)?;
        let at = self.periods.iter().position(|p| *p == period)?;
        at.checked_sub(1).map(|i| self.periods[i])
    }
}

/// A period asked for on the command line (`--period`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Requested {
    /// `2026-03`.
    Month(Month),
    /// `2026-Q1`: a quarter of each plan's year 2026.
    Quarter(i32, u32),
    /// `2026`: each plan's year 2026.
    Year(i32),
    /// `2026-01-15`: the pay period that ends on this day (one of a plan paying semi-monthly or
    /// biweekly, or a month or quarter ending on it).
    Day(NaiveDate),
}

impl std::str::FromStr for Requested {
    type Err = String;

    fn from_str(text: &str) -> Result<Requested, String> {
        let bad = || {
            format!(
                "`{text}` is not a period: write a month (2026-03), a quarter (2026-Q1), a plan year (2026) or a pay period's last day (2026-01-15)"
            )
        };
        let (year, rest) = match text.split_once('-') {
            Some((y, r)) => (y, Some(r)),
            None => (text, None),
        };
        if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let year: i32 = year.parse().map_err(|_| bad())?;
        match rest {
            None => Ok(Requested::Year(year)),
            Some(q) if q.starts_with('Q') => match q[1..].parse::<u32>() {
                Ok(n @ 1..=4) if q.len() == 2 => Ok(Requested::Quarter(year, n)),
                _ => Err(bad()),
            },
            Some(m) if m.len() == 2 => match m.parse::<i32>() {
                Ok(n @ 1..=12) if m.bytes().all(|b| b.is_ascii_digit()) => Ok(Requested::Month(year * 12 + n - 1)),
                _ => Err(bad()),
            },
            Some(d) if d.len() == 5 && d.as_bytes()[2] == b'-' && d.bytes().filter(u8::is_ascii_digit).count() == 4 => {
                NaiveDate::parse_from_str(text, "%Y-%m-%d").map(Requested::Day).map_err(|_| bad())
            }
            Some(_) => Err(bad()),
        }
    }
}

impl fmt::Display for Requested {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Requested::Month(m) => f.write_str(&month_name(*m)),
            Requested::Quarter(y, q) => write!(f, "{y}-Q{q}"),
            Requested::Year(y) => write!(f, "{y}"),
            Requested::Day(d) => write!(f, "{}", d.format("%Y-%m-%d")),
        }
    }
}

#[cfg(test)]
mod tests;
