//! Earnings: the plain form in its scope, bonuses (`once per`), per-deal earnings, and every
//! modifier (caps, floors, gates, `by share`).

use super::{case, Case};

/// `a` closes D1 in January and D3 in February.
fn jan_feb(january: &str, february: &str) -> String {
    format!(
        "id,owner,amount,currency,closed,product,region,kind,new_logo,cancelled,paid
D1,a,{january},USD,2026-01-10,Platform,EMEA,new,true,,
D3,a,{february},USD,2026-02-10,Platform,EMEA,new,false,,
"
    )
}

/// 10% of the period's credit, then a modifier.
fn commission(modifier: &str) -> String {
    format!("  measure b = sum of credit.amount\n  earn c = 10% of b period{modifier}")
}

/// The cases of this part of the language, each with its arithmetic.
pub fn cases() -> Vec<Case> {
    vec![
        // 720,000 a year; 30,000 in January (50% → 5%: January pays 1,500), 100,000 in February:
        // 130,000 / 120,000 = 108.33% → 10%. On the year to date, trued up: 13,000 − 1,500 =
        // 11,500.00. On the period: 10% × 100,000 = 10,000.00.
        case(
            "earn … (plain, in the scope of its measures)",
            "  quota q = quotas.amount split evenly by month
  measure b = sum of credit.amount
  attainment att = b ytd / q ytd
  table t retroactive on att {
    from 0% to 100% : 5%
    100% and above : 10%
  }
  earn c = t of b ytd",
        )
        .change("t of b ytd", "t of b period")
        .data("deals", jan_feb("30000", "100000"))
        .data("quotas", "rep,year,amount\na,2026,720000\n")
        .period("2026-02")
        .pays("2026-02 11500.00", "2026-02 10000.00"),
        // 10,000 in January, 15,000 in February. The condition first holds in February (25,000):
        // paid then. Without it: paid at the end of the quarter, in March.
        case(
            "once per quarter when CONDITION",
            "  measure b = sum of credit.amount\n  earn bonus = 1000 USD once per quarter when b quarter >= 20000 USD",
        )
        .change(" when b quarter >= 20000 USD", "")
        .data("deals", jan_feb("10000", "15000"))
        .period("2026-Q1")
        .component("bonus")
        .pays("2026-01 0.00, 2026-02 1000.00, 2026-03 0.00", "2026-01 0.00, 2026-02 0.00, 2026-03 1000.00"),
        // 1% of the year's credit (30,000), paid at the end of the year: 300.00 in December. As a
        // plain year-to-date earning it was all paid in January: nothing in the last quarter.
        case(
            "once per year (no condition)",
            "  measure b = sum of credit.amount\n  earn bonus = 1% of b ytd once per year",
        )
        .change(" once per year", "")
        .period("2026-Q4")
        .component("bonus")
        .pays("2026-10 0.00, 2026-11 0.00, 2026-12 300.00", "2026-10 0.00, 2026-11 0.00, 2026-12 0.00"),
        // Credit in January and February: once per period pays both months; once per quarter only
        // the first.
        case(
            "once per period",
            "  measure b = sum of credit.amount\n  earn bonus = 100 USD once per period when b period > 0 USD",
        )
        .change("once per period", "once per quarter")
        .data("deals", jan_feb("10000", "15000"))
        .period("2026-Q1")
        .component("bonus")
        .pays("2026-01 100.00, 2026-02 100.00, 2026-03 0.00", "2026-01 100.00, 2026-02 0.00, 2026-03 0.00"),
        // Two credit rows: 2 × 100 = 200.00; once a period: 100.00.
        case("per deal", "  earn spiff = 100 USD per deal")
            .change(" per deal", "")
            .pays("2026-01 200.00", "2026-01 100.00"),
        // Only D1 is a new logo: 100.00; every deal: 200.00.
        case("per deal where CONDITION", "  earn spiff = 100 USD per deal where deal.new_logo")
            .change(" where deal.new_logo", "")
            .pays("2026-01 100.00", "2026-01 200.00"),
        // 3,000 capped at 2,000.
        case("capped at AMOUNT", commission(", capped at 2000 USD"))
            .change(", capped at 2000 USD", "")
            .pays("2026-01 2000.00", "2026-01 3000.00"),
        // A year-to-date earning (30,000 then 10,000): lines 3,000 and 1,000; at most 2,000 a
        // period, the excess of January lost: 2,000.00, 1,000.00.
        case(
            "capped at AMOUNT per period",
            "  measure b = sum of credit.amount\n  earn c = 10% of b ytd, capped at 2000 USD per period",
        )
        .change(", capped at 2000 USD per period", "")
        .data("deals", jan_feb("30000", "10000"))
        .period("2026-Q1")
        .component("c")
        .pays("2026-01 2000.00, 2026-02 1000.00, 2026-03 0.00", "2026-01 3000.00, 2026-02 1000.00, 2026-03 0.00"),
        // The same on a plan paying monthly, written `per month`: a month is the pay period, so it
        // pays as `per period` does: 2,000.00, 1,000.00.
        case(
            "capped at AMOUNT per month",
            "  measure b = sum of credit.amount\n  earn c = 10% of b ytd, capped at 2000 USD per month",
        )
        .change(", capped at 2000 USD per month", "")
        .data("deals", jan_feb("30000", "10000"))
        .period("2026-Q1")
        .component("c")
        .pays("2026-01 2000.00, 2026-02 1000.00, 2026-03 0.00", "2026-01 3000.00, 2026-02 1000.00, 2026-03 0.00"),
        // A period earning, 3,000 then 1,000, at most 3,500 in the quarter: February gets 500.00.
        case("capped at AMOUNT per quarter", commission(", capped at 3500 USD per quarter"))
            .change(", capped at 3500 USD per quarter", "")
            .data("deals", jan_feb("30000", "10000"))
            .period("2026-Q1")
            .component("c")
            .pays("2026-01 3000.00, 2026-02 500.00, 2026-03 0.00", "2026-01 3000.00, 2026-02 1000.00, 2026-03 0.00"),
        // 3,000 floored at 5,000.
        case("floored at AMOUNT", commission(", floored at 5000 USD"))
            .change(", floored at 5000 USD", "")
            .pays("2026-01 5000.00", "2026-01 3000.00"),
        // A plan in effect January to June: at least 5,000 in the year, topped up in the plan's last
        // pay period, June: 5,000 − 3,000 paid in January = 2,000.00. (The floor used to wait for
        // December, which this plan never reaches: it was never applied.)
        case("floored at AMOUNT per year", HALF_YEAR)
            .change(", floored at 5000 USD per year", "")
            .period("2026-06")
            .component("c")
            .pays("2026-06 2000.00", "2026-06 0.00"),
        // 30,000 is below the gate of 50,000: 0.00.
        case("only when CONDITION", commission(", only when b period >= 50000 USD"))
            .change(", only when b period >= 50000 USD", "")
            .pays("2026-01 0.00", "2026-01 3000.00"),
        // D1 is split 60% to `a`, 40% to `m`: by share, `a` gets 60 + 100 (D2) = 160.00; in full
        // 200.00.
        case("by share", "  earn spiff = 100 USD per deal, by share")
            .change(", by share", "")
            .data("splits", "deal,rep,share\nD1,a,60\nD1,m,40\n")
            .pays("2026-01 160.00", "2026-01 200.00"),
        // D1 (Platform, 10,000) and D2 (Add-on, 20,000): `in ("Platform")` counts D1, 10% =
        // 1,000.00; `not in` counts D2, 2,000.00.
        case(
            "VALUE in (…), VALUE not in (…)",
            "  measure b = sum of credit.amount where deal.product in (\"Platform\")\n  earn c = 10% of b period",
        )
        .change("deal.product in", "deal.product not in")
        .pays("2026-01 1000.00", "2026-01 2000.00"),
        // D1 is a new logo (500), D2 is not (100): 600.00; 100 USD for every deal: 200.00.
        case("VALUE if CONDITION, else VALUE", "  earn spiff = (500 USD if deal.new_logo, else 100 USD) per deal")
            .change("(500 USD if deal.new_logo, else 100 USD)", "100 USD")
            .pays("2026-01 600.00", "2026-01 200.00"),
        // `a` was hired on 2025-01-01: January 2026 is month 13, 100 × 13 = 1,300.00; 100 × 1 = 100.00.
        case("months since rep.DATE", "  earn ramp = 100 USD × months since rep.hired")
            .change("months since rep.hired", "1")
            .pays("2026-01 1300.00", "2026-01 100.00"),
        // D1 (paid 100 in January) is cancelled on 2026-02-05, inside the 90 days: taken back at 50%,
        // February's line is −50.00; all it paid: −100.00.
        case("per deal, taken back at X", "  earn spiff = 100 USD per deal, taken back at 50%")
            .change(", taken back at 50%", "")
            .data("deals", CANCELLED_IN_FEBRUARY)
            .period("2026-02")
            .component("spiff")
            .pays("2026-02 -50.00", "2026-02 -100.00"),
        // The same cancellation, not taken back: 0.00.
        case("per deal, not taken back", "  earn spiff = 100 USD per deal, not taken back")
            .change(", not taken back", "")
            .data("deals", CANCELLED_IN_FEBRUARY)
            .period("2026-02")
            .component("spiff")
            .pays("2026-02 0.00", "2026-02 -100.00"),
        // 10,000 in January, 15,000 in February. The kicker reads the commission's line:
        // February's 10% × 15,000 = 1,500, and 25% of it is 375.00. Read on the measure instead,
        // it is 25% × 15,000 = 3,750.00.
        case(
            "EARNING SCOPE (an earning read by another)",
            "  measure b = sum of credit.amount\n  earn c = 10% of b period\n  earn k = 25% of c period",
        )
        .change("25% of c period", "25% of b period")
        .data("deals", jan_feb("10000", "15000"))
        .period("2026-02")
        .component("k")
        .pays("2026-02 375.00", "2026-02 3750.00"),
        // b reports to a, c to b. Commissions: b 10% × 10,000 = 1,000, c 10% × 5,000 = 500, a 0.
        // a's override on every rep below: 10% × 1,500 = 150.00; on direct reports (b): 100.00.
        case("EARNING SCOPE of every rep below", TEAM_PLAN)
            .change("of every rep below", "of direct reports")
            .data("reps", TEAM_REPS)
            .data("deals", TEAM_DEALS)
            .component("o")
            .pays("2026-01 150.00", "2026-01 100.00"),
        case("EARNING SCOPE of direct reports", TEAM_PLAN.replace("of every rep below", "of direct reports"))
            .change("of direct reports", "of every rep below")
            .data("reps", TEAM_REPS)
            .data("deals", TEAM_DEALS)
            .component("o")
            .pays("2026-01 100.00", "2026-01 150.00"),
    ]
}

/// A commission on the rep's own bookings, and an override on the commission of the reps below.
const TEAM_PLAN: &str = "  measure bk = sum of credit.amount where credit.kind is not \"rollup\"
  earn c = 10% of bk period
  earn o = 10% of c period of every rep below";

/// a manages b, who manages c.
const TEAM_REPS: &str = "\
id,name,role,region,manager,hired,terminated,target_incentive
a,Ann,Manager,EMEA,,2025-01-01,,50000
b,Bo,AE,EMEA,a,2025-01-01,,50000
c,Cat,AE,EMEA,b,2025-01-01,,50000
";

/// b books 10,000 and c 5,000 in January.
const TEAM_DEALS: &str = "\
id,owner,amount,currency,closed,product,region,kind,new_logo,cancelled,paid
T1,b,10000,USD,2026-01-10,Platform,EMEA,new,false,,
T2,c,5000,USD,2026-01-12,Platform,EMEA,new,false,,
";

/// D1 (10,000, closed in January) is cancelled on 2026-02-05; D2 stands.
pub const CANCELLED_IN_FEBRUARY: &str = "\
id,owner,amount,currency,closed,product,region,kind,new_logo,cancelled,paid
D1,a,10000,USD,2026-01-10,Platform,EMEA,new,true,2026-02-05,
D2,a,20000,USD,2026-01-20,Add-on,APAC,renewal,false,,
";

/// A plan in effect from January to June, with a yearly floor.
const HALF_YEAR: &str = "\
plan p \"Audit\" version 1 {
  effective 2026-01-01 to 2026-06-30
  currency USD
  pay monthly
  measure b = sum of credit.amount
  earn c = 10% of b period, floored at 5000 USD per year
}
";
