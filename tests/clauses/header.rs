//! The plan header (effective dates, currency, pay frequency, fiscal year, rounding, versions) and
//! eligibility.

use super::{case, Case};

/// 10% of the period's credit: `a`'s January credit is D1 + D2 = 30,000, so 3,000.00.
const COMMISSION: &str = "  measure b = sum of credit.amount\n  earn c = 10% of b period";

/// 0.05% of the period's credit, for the rounding cases: each gives one deal whose amount makes the
/// line fall on the digit the mode decides.
const SMALL: &str = "  measure b = sum of credit.amount\n  earn c = 0.05% of b period";

/// One January deal of `a`, of the amount given.
macro_rules! one_deal {
    ($amount:literal) => {
        concat!(
            "id,owner,amount,currency,closed,product,region,kind,new_logo,cancelled,paid\n",
            "D1,a,",
            $amount,
            ",USD,2026-01-10,Platform,EMEA,new,true,,\n"
        )
    };
}

/// January 10,000 (D1) and February 5,000 (D3).
const TWO_MONTHS: &str = "\
id,owner,amount,currency,closed,product,region,kind,new_logo,cancelled,paid
D1,a,10000,USD,2026-01-10,Platform,EMEA,new,true,,
D3,a,5000,USD,2026-02-10,Platform,EMEA,new,false,,
";

/// The cases of this part of the language, each with its arithmetic.
pub fn cases() -> Vec<Case> {
    vec![
        // In effect from January: 10% × 30,000 = 3,000.00. From February: January is not paid.
        case("effective DATE to DATE", COMMISSION)
            .change("effective 2026-01-01", "effective 2026-02-01")
            .pays("2026-01 3000.00", ""),
        // USD: 0.7% × 30,000 = 210.00. JPY (credit converted to JPY at 150.55 a dollar):
        // 30,000 × 150.55 = 4,516,500 JPY × 0.7% = 31,615.5, rounded to JPY's whole units, half to
        // even: 31,616.
        case("currency CUR", "  measure b = sum of credit.amount\n  earn c = 0.7% of b period")
            .change("currency USD", "currency JPY")
            .change("to USD using", "to JPY using")
            .data("fx", "currency,date,rate\nUSD,2026-01-01,150.55\n")
            .pays("2026-01 210.00", "2026-01 31616"),
        // Monthly: January pays the 3,000.00, February and March nothing. Quarterly: one period,
        // 2026-Q1, whose credit is the same 30,000.
        case("pay monthly | quarterly | yearly", COMMISSION)
            .change("pay monthly", "pay quarterly")
            .period("2026-Q1")
            .pays("2026-01 3000.00, 2026-02 0.00, 2026-03 0.00", "2026-Q1 3000.00"),
        // Monthly: the year's twelve lines, January's 3,000.00 and eleven of nothing. Yearly: one
        // line, 2026, on the same 30,000.
        case("pay monthly | quarterly | yearly", COMMISSION)
            .change("pay monthly", "pay yearly")
            .period("2026")
            .pays(
                "2026-01 3000.00, 2026-02 0.00, 2026-03 0.00, 2026-04 0.00, 2026-05 0.00, 2026-06 0.00, \
                 2026-07 0.00, 2026-08 0.00, 2026-09 0.00, 2026-10 0.00, 2026-11 0.00, 2026-12 0.00",
                "2026 3000.00",
            ),
        // Monthly, one line of 3,000.00. Semi-monthly: D1 (2026-01-10) in the first half, 1,000.00;
        // D2 (2026-01-20) in the second, 2,000.00.
        case("pay semi-monthly | biweekly from DATE", COMMISSION)
            .change("pay monthly", "pay semi-monthly")
            .pays("2026-01 3000.00", "2026-01-15 1000.00, 2026-01-31 2000.00"),
        // Monthly as above. Biweekly from 2026-01-02: the periods ending in January end on Jan 1 (nothing), Jan 15
        // (D1: 1,000.00) and Jan 29 (D2: 2,000.00).
        case("pay semi-monthly | biweekly from DATE", COMMISSION)
            .change("pay monthly", "pay biweekly from 2026-01-02")
            .pays("2026-01 3000.00", "2026-01-01 0.00, 2026-01-15 1000.00, 2026-01-29 2000.00"),
        // 10% of the year to date, at most 1,200 a year. Plan year from January: January 1,000;
        // February min(1,500, 1,200) − 1,000 = 200.00. From February: January belongs to plan year
        // 2025, and February starts 2026: 10% × 5,000 = 500.00.
        case(
            "fiscal year starts MONTH",
            "  fiscal year starts January\n  measure b = sum of credit.amount\n  earn c = 10% of b ytd, capped at 1200 USD per year",
        )
        .change("starts January", "starts February")
        .data("deals", TWO_MONTHS)
        .period("2026-02")
        .pays("2026-02 200.00", "2026-02 500.00"),
        // 0.05% × 30,010 = 15.005: half up 15.01, half to even 15.00.
        case("rounding half up", format!("  rounding half up\n{SMALL}"))
            .change("  rounding half up\n", "")
            .data("deals", one_deal!("30010"))
            .pays("2026-01 15.01", "2026-01 15.00"),
        // 0.05% × 30,030 = 15.015: half down 15.01, half to even 15.02.
        case("rounding half down", format!("  rounding half down\n{SMALL}"))
            .change("  rounding half down\n", "")
            .data("deals", one_deal!("30030"))
            .pays("2026-01 15.01", "2026-01 15.02"),
        // 0.05% × 30,002 = 15.001: up 15.01, half to even 15.00.
        case("rounding up", format!("  rounding up\n{SMALL}"))
            .change("  rounding up\n", "")
            .data("deals", one_deal!("30002"))
            .pays("2026-01 15.01", "2026-01 15.00"),
        // 0.05% × 30,018 = 15.009: down 15.00, half to even 15.01.
        case("rounding down", format!("  rounding down\n{SMALL}"))
            .change("  rounding down\n", "")
            .data("deals", one_deal!("30018"))
            .pays("2026-01 15.00", "2026-01 15.01"),
        // 0.05% × 31,200 = 15.6: to whole units 16; to cents 15.60.
        case("rounding …, to whole units", format!("  rounding half to even, to whole units\n{SMALL}"))
            .change("to whole units", "to cents")
            .data("deals", one_deal!("31200"))
            .pays("2026-01 16", "2026-01 15.60"),
        // 0.05% × 30,010 = 15.005: to 3 decimals 15.005; to cents, half to even, 15.00.
        case("rounding …, to N decimals", format!("  rounding half to even, to 3 decimals\n{SMALL}"))
            .change("to 3 decimals", "to cents")
            .data("deals", one_deal!("30010"))
            .pays("2026-01 15.005", "2026-01 15.00"),
        // Version 1 pays January (10% × 10,000 = 1,000); version 2, from February, trues the year up
        // at its own rate: 20% × 15,000 = 3,000 − 1,000 = 2,000.00. At 10%: 1,500 − 1,000 = 500.00.
        case("version (a later version of the plan)", VERSIONS)
            .change("20% of b ytd", "10% of b ytd")
            .data("deals", TWO_MONTHS)
            .period("2026-02")
            .pays("2026-02 2000.00", "2026-02 500.00"),
        // `a` is an AE: paid 3,000.00. A plan for managers does not evaluate `a`: no rows.
        case("eligible when CONDITION", "  eligible when rep.role is \"AE\"\n  measure b = sum of credit.amount\n  earn c = 10% of b period")
            .change("rep.role is \"AE\"", "rep.role is \"Manager\"")
            .pays("2026-01 3000.00", ""),
    ]
}

/// Two versions of the plan: 10% in January, 20% from February, each on the year to date.
const VERSIONS: &str = "\
plan p \"Audit\" version 1 {
  effective 2026-01-01 to 2026-01-31
  currency USD
  pay monthly
  measure b = sum of credit.amount
  earn c = 10% of b ytd
}
plan p \"Audit\" version 2 {
  effective 2026-02-01 to 2026-12-31
  currency USD
  pay monthly
  measure b = sum of credit.amount
  earn c = 20% of b ytd
}
";
