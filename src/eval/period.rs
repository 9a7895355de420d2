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

/// One pay period of a plan.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PayPeriod {
    /// The quarter of the plan year (1 to 4) for a quarterly period, 0 for a month, [`WHOLE_YEAR`]
    /// for a plan year: with `first`, what [`PayPeriod::name`] prints. (The name is not kept:
    /// periods are made in the hot loop.)
    quarter: u8,
    /// First month of the period.
    pub first: Month,
    /// Last month of the period.
    pub last: Month,
    /// The plan year it belongs to.
    pub year: i32,
}

/// [`PayPeriod::quarter`] for a period that is a whole plan year.
const WHOLE_YEAR: u8 = u8::MAX;

impl PayPeriod {
    /// `2026-03`, `2026-Q1` or `2026`: the `period` column of the outputs.
    pub fn name(&self) -> String {
        match self.quarter {
            0 => month_name(self.first),
            WHOLE_YEAR => format!("{}", self.year),
            quarter => format!("{}-Q{quarter}", self.year),
        }
    }

    /// First day.
    pub fn start(&self) -> NaiveDate {
        first_day(self.first)
    }

    /// Last day.
    pub fn end(&self) -> NaiveDate {
        last_day(self.last)
    }
}

/// The calendar of a plan: its fiscal start month and its pay frequency.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Calendar {
    /// The month (1–12) plan years start in.
    pub fiscal_start: u32,
    /// How often the plan pays.
    pub pay: PayFrequency,
}

impl Calendar {
    /// The plan year a month belongs to (named by the calendar year it starts in).
    pub fn plan_year(&self, month: Month) -> i32 {
        let calendar_year = month.div_euclid(12);
        if month.rem_euclid(12) as u32 + 1 >= self.fiscal_start {
            calendar_year
        } else {
            calendar_year - 1
        }
    }

    /// The first month of a plan year.
    pub fn year_start(&self, year: i32) -> Month {
        year * 12 + self.fiscal_start as i32 - 1
    }

    /// The first month of the quarter (of the plan year) that holds a month.
    pub fn quarter_start(&self, month: Month) -> Month {
        let start = self.year_start(self.plan_year(month));
        start + (month - start) / 3 * 3
    }

    /// The pay period that holds a month.
    pub fn period_of(&self, month: Month) -> PayPeriod {
        let year = self.plan_year(month);
        match self.pay {
            PayFrequency::Monthly => PayPeriod { quarter: 0, first: month, last: month, year },
            PayFrequency::Quarterly => {
                let first = self.quarter_start(month);
                let quarter = (first - self.year_start(year)) / 3 + 1;
                PayPeriod { quarter: quarter as u8, first, last: first + 2, year }
            }
            PayFrequency::Yearly => {
                let first = self.year_start(year);
                PayPeriod { quarter: WHOLE_YEAR, first, last: first + 11, year }
            }
        }
    }

    /// The pay periods that end within `[from, to]` (months), in order.
    pub fn periods_ending_in(&self, from: Month, to: Month) -> Vec<PayPeriod> {
        let mut out: Vec<PayPeriod> = Vec::new();
        for month in from..=to {
            let period = self.period_of(month);
            if period.last == month {
                out.push(period);
            }
        }
        out
    }

    /// The pay periods of one plan version: those that overlap its effective days and end by
    /// `until` (a quarter that starts in the version's last month still ends, and is paid, within
    /// two months of it; a plan year within eleven). The runtime's schedule and a plan's
    /// [`Timeline`] both start from these.
    pub fn periods_in_effect(&self, (from, to): (NaiveDate, NaiveDate), until: Month) -> Vec<PayPeriod> {
        let end = until.min(month_of(to) + self.pay.months() - 1);
        let mut periods = self.periods_ending_in(month_of(from), end);
        periods.retain(|p| p.end() >= from && p.start() <= to);
        periods
    }

    /// The months a measure reads in a scope at a pay period: the period, the quarter to date, or
    /// the plan year to date.
    pub fn measure_window(&self, period: &PayPeriod, scope: Scope) -> (Month, Month) {
        match scope {
            Scope::Period => (period.first, period.last),
            Scope::Quarter => (self.quarter_start(period.last), period.last),
            Scope::Ytd => (self.year_start(period.year), period.last),
            Scope::Year => (self.year_start(period.year), self.year_start(period.year) + 11),
        }
    }

    /// The months a quota covers in a scope at a pay period: the period, the whole quarter, the
    /// year to date, or the whole year.
    pub fn quota_window(&self, period: &PayPeriod, scope: Scope) -> (Month, Month) {
        match scope {
            Scope::Quarter => {
                let start = self.quarter_start(period.last);
                (start, start + 2)
            }
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
                PayFrequency::Monthly | PayFrequency::Yearly => self.quarter_start(period.last),
            },
            Scope::Ytd | Scope::Year => self.year_start(period.year),
        }
    }

    /// The range of months a requested period covers under this calendar: a month is itself; a
    /// quarter or a year is the plan's own.
    pub fn requested_range(&self, requested: Requested) -> (Month, Month) {
        match requested {
            Requested::Month(month) => (month, month),
            Requested::Quarter(year, quarter) => {
                let start = self.year_start(year) + (quarter as i32 - 1) * 3;
                (start, start + 2)
            }
            Requested::Year(year) => (self.year_start(year), self.year_start(year) + 11),
        }
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

    /// The last month of the period of this name: the plan's own, or, for a name none of its
    /// versions pays (a version since removed), the month its calendars end it in.
    pub fn last_month(&self, name: &str) -> Option<Month> {
        if let Some(period) = self.find(name) {
            return Some(period.last);
        }
        let requested: Requested = name.parse().ok()?;
        let cal = match requested {
            Requested::Quarter(..) => self.calendars.iter().find(|c| c.pay == PayFrequency::Quarterly),
            Requested::Year(..) => self.calendars.iter().find(|c| c.pay == PayFrequency::Yearly),
            _ => None,
        };
        cal.or(self.calendars.first()).map(|cal| cal.requested_range(requested).1)
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
}

impl std::str::FromStr for Requested {
    type Err = String;

    fn from_str(text: &str) -> Result<Requested, String> {
        let bad =
            || format!("`{text}` is not a period: write a month (2026-03), a quarter (2026-Q1) or a plan year (2026)");
        let (year, rest) = match text.split_once('-') {
            Some((y, r)) => (y, Some(r)),
            None => (text, None),
        };
        if year.len() != 4 {
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
                Ok(n @ 1..=12) => Ok(Requested::Month(year * 12 + n - 1)),
                _ => Err(bad()),
            },
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
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn month(y: i32, m: i32) -> Month {
        y * 12 + m - 1
    }

    #[test]
    fn a_plan_year_starting_in_february_runs_to_january() {
        let cal = Calendar { fiscal_start: 2, pay: PayFrequency::Quarterly };
        assert_eq!(cal.plan_year(month(2026, 1)), 2025);
        assert_eq!(cal.plan_year(month(2026, 2)), 2026);
        assert_eq!(cal.plan_year(month(2027, 1)), 2026);
        let q1 = cal.period_of(month(2026, 4));
        assert_eq!(q1.name(), "2026-Q1");
        assert_eq!(parse_month("2026-05").map(month_name).as_deref(), Some("2026-05"));
        assert_eq!(parse_month("2026-13"), None);
        assert_eq!(parse_month("26-05"), None);
        assert_eq!((month_name(q1.first), month_name(q1.last)), ("2026-02".to_string(), "2026-04".to_string()));
        // `--period 2026-04` is the month the quarter ends in: it selects 2026-Q1.
        let (from, to) = cal.requested_range("2026-04".parse().unwrap());
        assert_eq!(cal.periods_ending_in(from, to), vec![q1]);
        let (from, to) = cal.requested_range("2026-Q1".parse().unwrap());
        assert_eq!(cal.periods_ending_in(from, to), vec![q1]);
    }

    #[test]
    fn windows_follow_the_language_reference() {
        let cal = Calendar { fiscal_start: 1, pay: PayFrequency::Monthly };
        let may = cal.period_of(month(2026, 5));
        assert_eq!(cal.measure_window(&may, Scope::Quarter), (month(2026, 4), month(2026, 5)));
        assert_eq!(cal.quota_window(&may, Scope::Quarter), (month(2026, 4), month(2026, 6)));
        assert_eq!(cal.measure_window(&may, Scope::Ytd), (month(2026, 1), month(2026, 5)));
        assert_eq!(cal.quota_window(&may, Scope::Year), (month(2026, 1), month(2026, 12)));
        assert_eq!(days_in(month(2028, 2)), 29);
        assert_eq!(last_day(month(2026, 12)), NaiveDate::from_ymd_opt(2026, 12, 31).unwrap());
    }

    fn version(
        pay: PayFrequency,
        fiscal_start: u32,
        from: (i32, u32),
        to: (i32, u32, u32),
    ) -> (Calendar, (NaiveDate, NaiveDate)) {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        (Calendar { fiscal_start, pay }, (day(from.0, from.1, 1), day(to.0, to.1, to.2)))
    }

    #[test]
    fn a_timeline_orders_quarters_then_months_by_their_last_month() {
        // Version 1 pays quarters from January to June, version 2 months from July.
        let v1 = version(PayFrequency::Quarterly, 1, (2026, 1), (2026, 6, 30));
        let v2 = version(PayFrequency::Monthly, 1, (2026, 7), (2026, 12, 31));
        let timeline = Timeline::new([v1, v2]);
        let names: Vec<String> = timeline.periods.iter().map(PayPeriod::name).collect();
        assert_eq!(names, ["2026-Q1", "2026-Q2", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11", "2026-12"]);
        // "2026-07" sorts before "2026-Q2" as text; in time it comes after.
        assert_eq!(timeline.last_month("2026-Q2"), Some(month(2026, 6)));
        assert_eq!(timeline.last_month("2026-07"), Some(month(2026, 7)));
        assert_eq!(timeline.before("2026-07").map(|p| p.name()).as_deref(), Some("2026-Q2"));
        assert_eq!(timeline.before("2026-Q2").map(|p| p.name()).as_deref(), Some("2026-Q1"));
        assert_eq!(timeline.before("2026-Q1"), None, "the plan's first period");
        assert_eq!(timeline.before("2026-03"), None, "not a period of the plan");
        // A name no version pays is placed by the calendars: a quarter by the quarterly one.
        assert_eq!(timeline.last_month("2025-Q4"), Some(month(2025, 12)));
        assert_eq!(timeline.last_month("2027-02"), Some(month(2027, 2)));
        assert_eq!(timeline.last_month("soon"), None);

        // A plan year starting in February: its 2026-Q1 ends in April, after the calendar's March.
        let partner = version(PayFrequency::Quarterly, 2, (2026, 2), (2027, 1, 31));
        let timeline = Timeline::new([partner]);
        assert_eq!(timeline.last_month("2026-Q1"), Some(month(2026, 4)));
        assert_eq!(
            timeline.before("2026-Q2").map(|p| (p.name(), month_name(p.last))),
            Some(("2026-Q1".to_string(), "2026-04".to_string()))
        );
    }

    #[test]
    fn periods_parse_strictly() {
        assert_eq!("2026-03".parse::<Requested>(), Ok(Requested::Month(month(2026, 3))));
        assert_eq!("2026-Q4".parse::<Requested>(), Ok(Requested::Quarter(2026, 4)));
        assert_eq!("2026".parse::<Requested>(), Ok(Requested::Year(2026)));
        for bad in ["2026-13", "2026-Q5", "26-03", "2026-3", "march", "2026-Q1x"] {
            assert!(bad.parse::<Requested>().is_err(), "{bad}");
        }
    }
}
