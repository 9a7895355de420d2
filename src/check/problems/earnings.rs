//! Problems of what a plan pays (`earnings.rs`, and the lines `assemble.rs` reads): earnings and
//! their clauses, draws, holds and the recovery of a balance.

use super::{help_if, suggestion};
use crate::ast::{Ident, Scope, Span};
use crate::diagnostics::{codes, Diagnostic};
use crate::model::PayFrequency;
use chrono::NaiveDate;

/// The help for a clause that reads employment dates the crediting rules do not have.
const ADD_EMPLOYMENT_DATES: &str = "add `employed from rep.hired to rep.terminated` to the credit block";

/// `once per ytd`, which is not a window a bonus is paid in.
pub(crate) fn once_per_ytd(span: Span) -> Diagnostic {
    Diagnostic::new(&codes::BAD_EARNING, "a bonus is paid once per `period`, `quarter` or `year`")
        .primary(span, "`ytd` is not a window")
        .help("write `once per year`")
}

/// A cap or floor `per ytd`, which is not a window.
pub(crate) fn limit_per_ytd(span: Span) -> Diagnostic {
    Diagnostic::new(&codes::BAD_EARNING, "a cap or floor applies `per period`, `per quarter` or `per year`")
        .primary(span, "`ytd` is not a window")
        .help("write `per year`: it bounds the year-to-date value")
}

/// A cap or floor `per month` on a plan paying quarterly, whose lines are never a month's.
pub(crate) fn limit_per_month_on_a_longer_period(span: Span, pay: PayFrequency) -> Diagnostic {
    let help = match pay {
        PayFrequency::Yearly => "write `per period` (the year here) or `per year`".to_string(),
        _ => format!("write `per period` (a {} here), `per quarter` or `per year`", pay.period_word()),
    };
    Diagnostic::new(&codes::BAD_EARNING, format!("this plan pays {}: no payout line is a month's", pay.keyword()))
        .primary(span, "a cap or floor applies to a window the plan pays in")
        .help(help)
}

/// An earning trued up over `scope` whose value also reads the narrower window `narrow`.
pub(crate) fn trued_up_with_a_narrower_window(name: &Ident, value: Span, scope: Scope, narrow: Scope) -> Diagnostic {
    let (scope, narrow) = (scope.keyword(), narrow.keyword());
    Diagnostic::new(
        &codes::MIXED_WINDOWS,
        format!("`{}` is trued up `{scope}`, but it also reads a `{narrow}` value", name.text),
    )
    .primary(value, format!("recomputed for the whole `{scope}` with this `{narrow}`'s value"))
    .note(format!(
        "each line pays the `{scope}` value through this period minus what was paid: a `{narrow}` factor \
         re-prices every earlier period of the `{scope}` too"
    ))
    .help(format!("compute it in one window: read every measure `{scope}`, or make it a `{narrow}` earning"))
}

/// `by share` on an earning that is not paid per deal.
pub(crate) fn by_share_not_per_deal(span: Span) -> Diagnostic {
    Diagnostic::new(&codes::BAD_EARNING, "`by share` applies to per-deal earnings")
        .primary(span, "this earning is not paid per deal")
        .help("remove `by share`, or make the earning `… per deal`")
}

/// `taken back` on an earning that is not paid per deal.
pub(crate) fn take_back_not_per_deal(span: Span) -> Diagnostic {
    Diagnostic::new(&codes::BAD_EARNING, "`taken back` applies to per-deal earnings")
        .primary(span, "this earning is not paid per deal")
        .help("remove it: a plain earning is trued up, and a cancelled deal's credit leaves its measures by itself")
}

/// `taken back` in a workspace whose crediting rules reverse no cancelled deal.
pub(crate) fn take_back_without_clawback(span: Span) -> Diagnostic {
    Diagnostic::new(&codes::BAD_EARNING, "nothing is ever taken back: the crediting rules have no `clawback`")
        .primary(span, "no cancelled deal is reversed")
        .help("add `clawback when deal.cancelled within N days of deal.closed` to the `credit` block, or remove this clause")
}

/// `taken back at` a percentage below 0% or above 100% of what was paid.
pub(crate) fn take_back_beyond_what_was_paid(span: Span) -> Diagnostic {
    Diagnostic::new(&codes::BAD_EARNING, "a deal cannot take back less than nothing or more than it was paid")
        .primary(span, "expected a percentage from 0% to 100%")
        .help("write the share of what was paid that a cancellation takes back, e.g. `taken back at 50%`")
}

/// A draw paid per something other than a month.
pub(crate) fn draw_per_unknown_unit(per: &Ident) -> Diagnostic {
    Diagnostic::new(&codes::BAD_DRAW, format!("a draw is paid per `month` (or per `period`), not per `{}`", per.text))
        .primary(per.span, "expected `month`")
}

/// A draw `per period` on a quarterly plan, which would read a quarter's amount as a month's.
pub(crate) fn draw_per_period_on_a_longer_period(span: Span, pay: PayFrequency) -> Diagnostic {
    let (word, part) = match pay {
        PayFrequency::Yearly => ("year", "a twelfth of the year's"),
        _ => ("quarter", "a third of the quarter's"),
    };
    Diagnostic::new(&codes::BAD_DRAW, format!("this plan pays {}: a draw is an amount per month", pay.keyword()))
        .primary(span, format!("a {word} would pay this amount once for each of its months"))
        .help(format!("write `per month` with the monthly amount ({part})"))
}

/// A draw `per month` on a plan paying semi-monthly or biweekly, whose pay periods are not months.
pub(crate) fn draw_per_month_on_a_shorter_period(span: Span, pay: PayFrequency) -> Diagnostic {
    let part = match pay {
        PayFrequency::SemiMonthly => "half the monthly amount",
        _ => "the amount for 14 days",
    };
    Diagnostic::new(&codes::BAD_DRAW, format!("this plan pays {}: a draw is an amount per pay period", pay.keyword()))
        .primary(span, format!("a {} is not a month", pay.period_word()))
        .help(format!("write `per period` with the amount each pay period guarantees ({part}); the draw's months still say which pay periods it covers"))
}

/// A draw lasting a number of something other than months.
pub(crate) fn draw_lasts_unknown_unit(unit: &Ident) -> Diagnostic {
    Diagnostic::new(&codes::BAD_DRAW, format!("a draw lasts a number of `months`, not `{}`", unit.text))
        .primary(unit.span, "expected `months`")
}

/// A draw lasting no months.
pub(crate) fn draw_of_no_months(span: Span) -> Diagnostic {
    Diagnostic::new(&codes::BAD_DRAW, "a draw lasts at least one month").primary(span, "nothing would be paid")
}

/// A draw counting its months from something other than a date of the rep.
pub(crate) fn draw_from_a_non_date(span: Span) -> Diagnostic {
    Diagnostic::new(&codes::BAD_DRAW, "a draw counts its months from a date of the rep")
        .primary(span, "expected a date column of the rep, such as `rep.hired`")
}

/// A draw whose dates are outside every pay period of the plan (in effect `start` to `end`).
pub(crate) fn draw_outside_the_plan(start: NaiveDate, end: NaiveDate, span: Span) -> Diagnostic {
    Diagnostic::new(&codes::BAD_DRAW, format!("the draw's dates are outside the plan's, {start} to {end}"))
        .primary(span, "no pay period of the plan is in this range")
        .help("give the dates of the draw within the plan's effective dates")
}

/// A draw whose last day is before its first.
pub(crate) fn draw_ends_before_it_starts(span: Span) -> Diagnostic {
    Diagnostic::new(&codes::EMPTY_RANGE, "the draw ends before it starts").primary(span, "no day is in this range")
}

/// A draw option on termination in a workspace without employment dates.
pub(crate) fn termination_without_employment_dates(span: Span) -> Diagnostic {
    Diagnostic::new(&codes::BAD_DRAW, "the workspace has no employment dates: no rep is ever terminated")
        .primary(span, "this option would never apply")
        .help(ADD_EMPLOYMENT_DATES)
}

/// A hold of a share that is not above 0% and at most 100%.
pub(crate) fn hold_share_out_of_range(span: Span) -> Diagnostic {
    Diagnostic::new(&codes::BAD_DRAW, "a hold is a share above 0% and at most 100% of the line")
        .primary(span, "expected e.g. `50%`, or an exact fraction such as `1/3`")
}

/// A hold of an earning the plan does not have (`earnings` are the ones it has).
pub(crate) fn hold_of_an_unknown_earning<'a>(
    earning: &Ident,
    earnings: impl IntoIterator<Item = &'a str>,
) -> Diagnostic {
    let d = Diagnostic::new(&codes::BAD_DRAW, format!("no earning is called `{}`", earning.text))
        .primary(earning.span, "expected an earning of this plan");
    help_if(d, suggestion(&earning.text, earnings))
}

/// A hold until a date of the deal, of an earning not earned on deals: nothing would be held.
pub(crate) fn hold_until_paid_of_an_earning_not_on_deals(earning: &Ident, span: Span) -> Diagnostic {
    Diagnostic::new(
        &codes::BAD_DRAW,
        format!("`{}` is not earned on deals: nothing would ever be held", earning.text),
    )
    .primary(span, "a hold until a date of the deal holds each deal's part of the line")
    .help(format!(
        "hold it for a number of periods (`hold … of {} for 2 periods`), or hold an earning whose amount reads a measure of credit or is paid per deal",
        earning.text
    ))
}

/// A hold released by something other than a date of the deal.
pub(crate) fn hold_released_by_a_non_date(span: Span) -> Diagnostic {
    Diagnostic::new(&codes::BAD_DRAW, "a hold is released by a date of the deal")
        .primary(span, "expected a date column of the deal, such as `deal.paid`")
}

/// A hold lasting a number of something other than periods.
pub(crate) fn hold_for_unknown_unit(unit: &Ident) -> Diagnostic {
    Diagnostic::new(&codes::BAD_DRAW, format!("a hold lasts a number of `periods`, not `{}`", unit.text))
        .primary(unit.span, "expected `periods`")
}

/// A hold `for N months` on a quarterly plan, where it would hold for N quarters.
pub(crate) fn hold_for_months_on_a_longer_period(count: u32, span: Span, pay: PayFrequency) -> Diagnostic {
    let (word, months) = (pay.period_word(), pay.months());
    Diagnostic::new(
        &codes::BAD_DRAW,
        format!(
            "this plan pays {}: a hold lasts pay periods, and {count} {word}s are not {count} months",
            pay.keyword()
        ),
    )
    .primary(span, "a hold counts pay periods")
    .help(format!("write `for N periods`, counting {word}s (`for 1 periods` holds for {months} months)"))
}

/// A hold for a number of pay periods on a plan paying semi-monthly or biweekly, which the ledger
/// cannot yet record (money held is recorded by the month it falls due in).
pub(crate) fn hold_for_periods_on_a_shorter_period(span: Span, pay: PayFrequency) -> Diagnostic {
    paid_later_on_a_shorter_period(span, pay, "a hold for a number of pay periods")
}

/// A way of paying later by pay periods (`what`: a hold for periods, instalments, a retention
/// schedule) on a plan whose pay periods are shorter than a month.
pub(crate) fn paid_later_on_a_shorter_period(span: Span, pay: PayFrequency, what: &str) -> Diagnostic {
    Diagnostic::new(&codes::BAD_DRAW, format!("this plan pays {}: {what} is not supported on it yet", pay.keyword()))
        .primary(
            span,
            format!("money held is recorded by the month it falls due in, and a {} is not a month", pay.period_word()),
        )
        .help("hold until a date of the deal (`hold 20% of commission until deal.paid`), or pay monthly")
}

/// A hold lasting no periods.
pub(crate) fn hold_of_no_periods(span: Span) -> Diagnostic {
    Diagnostic::new(&codes::BAD_DRAW, "a hold lasts at least one period").primary(span, "nothing would be held")
}

/// Holds on one earning that add up to more than all of its line.
pub(crate) fn holds_over_a_whole_line(earning: &Ident, span: Span) -> Diagnostic {
    Diagnostic::new(&codes::BAD_DRAW, format!("the holds on `{}` add up to more than 100% of its line", earning.text))
        .primary(span, "too much held")
        .help("hold at most 100% of an earning in all; each hold takes its share of the same line")
}

/// `recover at most P` where P is not above 0% and at most 100%.
pub(crate) fn recovery_limit_out_of_range(span: Span) -> Diagnostic {
    Diagnostic::new(&codes::BAD_DRAW, "recovery is limited to a percentage above 0% and at most 100%")
        .primary(span, "expected e.g. `50%`")
}

/// `by share` on a per-deal earning whose amount is already the rep's share of a split deal
/// (`why` says what makes it so).
pub(crate) fn share_taken_twice(span: Span, why: &str) -> Diagnostic {
    Diagnostic::new(&codes::BAD_EARNING, format!("`by share` would take the share twice: {why}"))
        .primary(span, "the credited amount of a split deal is already the rep's share")
        .help("remove `by share`: each credited rep is paid on their own part of the deal (`by share` is for amounts that are the same for every rep, such as `500 USD per deal`)")
}

/// `pay NAME in N WORD` where the word is not `instalments`.
pub(crate) fn instalments_of_unknown_unit(unit: &Ident) -> Diagnostic {
    Diagnostic::new(&codes::BAD_DRAW, format!("a line is paid in a number of `instalments`, not `{}`", unit.text))
        .primary(unit.span, "expected `instalments` (or `installments`)")
        .help("write `pay commission in 3 instalments`: the line is paid in equal parts, one each pay period")
}

/// `pay NAME in 1 instalments` (or 0): nothing would be paid later.
pub(crate) fn instalments_of_one_part(span: Span, earning: &str) -> Diagnostic {
    Diagnostic::new(&codes::BAD_DRAW, "a line paid in instalments is paid in at least 2 parts")
        .primary(span, "fewer than 2 parts")
        .help(format!("write `pay {earning} in 2 instalments` or more, or remove the line to pay it at once"))
}

/// Two ways of paying one earning later where one must be the only one (instalments or a
/// retention schedule beside another hold): which applies to the part the other keeps back cannot
/// be told. `second` says what the second line does (`paid in instalments`, `held`).
pub(crate) fn instalments_beside_a_hold(earning: &Ident, span: Span, second: &str) -> Diagnostic {
    Diagnostic::new(
        &codes::BAD_DRAW,
        format!("`{}` is already paid later by another line: it cannot also be {second}", earning.text),
    )
    .primary(span, "a second way of paying the line later")
    .help("keep one line for the earning: instalments and retention schedules pay the whole line on their own schedule, beside no other hold")
}

/// A retention schedule (by quarter) on a plan that pays once a year.
pub(crate) fn retention_on_a_yearly_plan(span: Span, pay: PayFrequency) -> Diagnostic {
    Diagnostic::new(
        &codes::BAD_DRAW,
        format!("this plan pays {}: a retention schedule by quarter has no pay period to change in", pay.keyword()),
    )
    .primary(span, "a quarter of a plan paid once a year")
    .help("hold a share for a number of periods instead (`hold 10% of commission for 1 periods`), or pay monthly or quarterly")
}

/// `after Q4`: the year's money would be kept back past the plan year.
pub(crate) fn retention_after_the_last_quarter(span: Span) -> Diagnostic {
    Diagnostic::new(&codes::BAD_DRAW, "nothing is kept back after the plan year's last quarter")
        .primary(span, "the year's retained money is paid with its last quarter")
        .help("name Q1 to Q3: what is kept back is released as the share falls, and all of it in Q4")
}

/// A quarter a retention schedule names that is not `Q1` to `Q4`.
pub(crate) fn retention_of_unknown_quarter(quarter: &Ident) -> Diagnostic {
    Diagnostic::new(&codes::BAD_DRAW, format!("`{}` is not a quarter", quarter.text))
        .primary(quarter.span, "expected `Q1`, `Q2` or `Q3`")
        .help("write `hold 50% of commission ytd after Q1, 30% after Q2, 10% after Q3`")
}

/// A quarter named after a later one (or twice).
pub(crate) fn retention_quarters_out_of_order(quarter: &Ident) -> Diagnostic {
    Diagnostic::new(&codes::BAD_DRAW, format!("`{}` comes after a later quarter", quarter.text))
        .primary(quarter.span, "quarters in order, each once")
        .help("list the quarters in the order of the plan year: `… after Q1, 30% after Q2, 10% after Q3`")
}

/// `recovered from month N` said twice on one draw.
pub(crate) fn draw_recovered_from_twice(span: Span) -> Diagnostic {
    Diagnostic::new(&codes::BAD_DRAW, "a draw says twice when its balance is recovered")
        .primary(span, "said again")
        .help("keep one `recovered from month N`")
}

/// `recovered from month N` on a draw that is not recoverable: nothing is owed to recover.
pub(crate) fn recovery_of_a_non_recoverable_draw(span: Span) -> Diagnostic {
    Diagnostic::new(&codes::BAD_DRAW, "a non-recoverable draw leaves nothing owed to recover")
        .primary(span, "this option would never apply")
        .help("make the draw `recoverable`, or remove the option")
}

/// `recovered from month 0`: months are counted from 1.
pub(crate) fn draw_recovered_from_month_zero(span: Span) -> Diagnostic {
    Diagnostic::new(&codes::BAD_DRAW, "a draw's months are counted from 1")
        .primary(span, "there is no month 0")
        .help("write `recovered from month 1` (at once, the default) or a later month")
}

/// Two draws of one plan without a name each: their lines would both be `draw`.
pub(crate) fn draws_without_names(span: Span) -> Diagnostic {
    Diagnostic::new(&codes::BAD_DRAW, "a plan with several draws names each of them")
        .primary(span, "each draw needs a name when there are several")
        .help("name each draw, which names its payout line: `draw ramp = recoverable 3000 USD per month for 3 months from rep.hired`")
}

/// A draw named like an earning, another draw or a line the runtime adds.
pub(crate) fn draw_named_like_a_line(name: &Ident) -> Diagnostic {
    Diagnostic::new(&codes::BAD_DRAW, format!("`{}` already names a payout line of this plan", name.text))
        .primary(name.span, "a draw's name names its payout line")
        .help("choose a name no earning, other draw or runtime line (draw, recovery, deferred, hold, release, adjustment, total, balance, held) has")
}
