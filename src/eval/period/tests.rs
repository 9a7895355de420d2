//! The calendar's unit tests: plan years, quarters, pay periods of every frequency, timelines and
//! requested periods.

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
    assert_eq!(timeline.last_day("2026-Q2"), Some(last_day(month(2026, 6))));
    assert_eq!(timeline.last_day("2026-07"), Some(last_day(month(2026, 7))));
    assert_eq!(timeline.before("2026-07").map(|p| p.name()).as_deref(), Some("2026-Q2"));
    assert_eq!(timeline.before("2026-Q2").map(|p| p.name()).as_deref(), Some("2026-Q1"));
    assert_eq!(timeline.before("2026-Q1"), None, "the plan's first period");
    assert_eq!(timeline.before("2026-03"), None, "not a period of the plan");
    // A name no version pays is placed by the calendars: a quarter by the quarterly one.
    assert_eq!(timeline.last_day("2025-Q4"), Some(last_day(month(2025, 12))));
    assert_eq!(timeline.last_day("2027-02"), Some(last_day(month(2027, 2))));
    assert_eq!(timeline.last_day("soon"), None);

    // A plan year starting in February: its 2026-Q1 ends in April, after the calendar's March.
    let partner = version(PayFrequency::Quarterly, 2, (2026, 2), (2027, 1, 31));
    let timeline = Timeline::new([partner]);
    assert_eq!(timeline.last_day("2026-Q1"), Some(last_day(month(2026, 4))));
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

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn names(cal: &Calendar, requested: &str) -> Vec<String> {
    let (from, to) = cal.requested_range(requested.parse().unwrap());
    cal.periods_ending_in(from, to).iter().map(PayPeriod::name).collect()
}

#[test]
fn half_months_are_named_by_their_last_day() {
    let cal = Calendar { fiscal_start: 1, pay: PayFrequency::SemiMonthly };
    assert_eq!(names(&cal, "2026-02"), ["2026-02-15", "2026-02-28"]);
    assert_eq!(names(&cal, "2026-02-28"), ["2026-02-28"]);
    assert!(names(&cal, "2026-02-20").is_empty(), "no half-month ends on the 20th");
    assert_eq!(names(&cal, "2026-Q1").len(), 6);
    assert_eq!(names(&cal, "2026").len(), 24);
    let second = cal.period_of(cal.step_of(day(2026, 2, 16)));
    assert_eq!((second.start(), second.end()), (day(2026, 2, 16), day(2026, 2, 28)));
    assert_eq!(cal.period_of(cal.step_of(day(2026, 2, 15))).end(), day(2026, 2, 15));
    // A plan year from February: its second quarter starts with 2026-05-01's half-month.
    let feb = Calendar { fiscal_start: 2, pay: PayFrequency::SemiMonthly };
    let june = feb.period_of(feb.step_of(day(2026, 6, 20)));
    assert_eq!(feb.step_days(feb.quarter_start(june.last)).0, day(2026, 5, 1));
    assert_eq!(feb.step_days(feb.quarter_end(june.last)).1, day(2026, 7, 31));
    assert_eq!(feb.plan_year(feb.step_of(day(2027, 1, 31))), 2026);
}

#[test]
fn two_week_periods_belong_to_the_year_their_last_day_is_in() {
    let cal = Calendar { fiscal_start: 1, pay: PayFrequency::Biweekly(day(2026, 1, 2)) };
    let year = names(&cal, "2026");
    assert_eq!(year.len(), 27, "2026-01-01 + 14k for k = 0 … 26");
    assert_eq!((year[0].as_str(), year[26].as_str()), ("2026-01-01", "2026-12-31"));
    assert_eq!(names(&cal, "2027").len(), 26);
    assert_eq!(cal.year_end(2026) - cal.year_start(2026) + 1, 27);
    // The period straddling the years starts in 2025 and is plan year 2026's first.
    let first = cal.period_of(cal.year_start(2026));
    assert_eq!((first.start(), first.end(), first.year), (day(2025, 12, 19), day(2026, 1, 1), 2026));
    // Q2 holds the periods ending from 04-01 to 06-30: 04-09 … 06-18, six of them.
    let q2 = names(&cal, "2026-Q2");
    assert_eq!((q2.len(), q2[0].as_str(), q2[5].as_str()), (6, "2026-04-09", "2026-06-18"));
    // The same dates from another start day of the cycle: its phase places them.
    let other = Calendar { fiscal_start: 1, pay: PayFrequency::Biweekly(day(2025, 12, 5)) };
    assert_eq!(names(&other, "2026-01"), ["2026-01-01", "2026-01-15", "2026-01-29"]);
}

#[test]
fn a_day_asks_for_the_period_ending_on_it() {
    assert_eq!("2026-01-15".parse::<Requested>(), Ok(Requested::Day(day(2026, 1, 15))));
    assert_eq!(Requested::Day(day(2026, 1, 15)).to_string(), "2026-01-15");
    for bad in ["2026-02-30", "2026-1-15", "2026-01-5", "2026-01-1x"] {
        assert!(bad.parse::<Requested>().is_err(), "{bad}");
    }
    let monthly = Calendar { fiscal_start: 1, pay: PayFrequency::Monthly };
    assert_eq!(names(&monthly, "2026-03-31"), ["2026-03"]);
    assert!(names(&monthly, "2026-03-15").is_empty());
}
