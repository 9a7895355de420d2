//! Quotas (sources, splits, proration), measures (sum, count, where, by, on), attainments and tables
//! (each mode and row form).

use super::{case, Case};

/// A quota line, then `a`'s attainment on it (year to date) choosing 5% below `bound` and 10% from
/// it, paid on the period's credit. January's credit is 30,000.
fn tiered(quota: &str, bound: &str) -> String {
    format!(
        "  {quota}
  measure b = sum of credit.amount
  attainment att = b ytd / q ytd
  table t retroactive on att {{
    from 0% to {bound} : 5%
    {bound} and above : 10%
  }}
  earn c = t of b period"
    )
}

/// Annual quotas of `a`.
const QUOTA_240K: &str = "rep,year,amount\na,2026,240000\n";
const QUOTA_360K: &str = "rep,year,amount\na,2026,360000\n";
const QUOTA_720K: &str = "rep,year,amount\na,2026,720000\n";

/// `a`, hired on a day of February 2026 (`m` as usual).
const HIRED_FEB_10: &str = "\
id,name,role,region,manager,hired,terminated,target_incentive
a,Ana,AE,EMEA,m,2026-02-10,,60000
m,Max,Manager,EMEA,,2025-01-01,,40000
";
const HIRED_FEB_15: &str = "\
id,name,role,region,manager,hired,terminated,target_incentive
a,Ana,AE,EMEA,m,2026-02-15,,60000
m,Max,Manager,EMEA,,2025-01-01,,40000
";

/// One deal of `a`: 30,000 on 2026-02-15.
const JANUARY_DEAL: &str = "\
id,owner,amount,currency,closed,product,region,kind,new_logo,cancelled,paid
D1,a,5833.90,USD,2026-01-15,Platform,EMEA,new,true,,
";
const FEB_DEAL: &str = "\
id,owner,amount,currency,closed,product,region,kind,new_logo,cancelled,paid
D1,a,30000,USD,2026-02-15,Platform,EMEA,new,true,,
";

/// `a` closes D1 in January and D3 in February.
fn jan_feb(january: &str, february: &str) -> String {
    format!(
        "id,owner,amount,currency,closed,product,region,kind,new_logo,cancelled,paid
D1,a,{january},USD,2026-01-10,Platform,EMEA,new,true,,
D3,a,{february},USD,2026-02-10,Platform,EMEA,new,false,,
"
    )
}

/// A table of visits with two reps and two dates per row, for `by` and `on`.
const VISITS: &str = "schema visits { id: text key; host: ref reps; guest: ref reps; booked: date; held: date }";

/// V1: `a` hosts `m`, booked in January, held in February. V2: `m` hosts `a`, in January.
const VISIT_ROWS: &str = "\
id,host,guest,booked,held
V1,a,m,2026-01-05,2026-02-03
V2,m,a,2026-01-07,2026-01-09
";

/// Rates by product, applied to each credit row.
const LOOKUP: &str = "  table r lookup on deal.product {
    \"Platform\" : 10%
    otherwise : 5%
  }
  measure w = sum of r of credit.amount
  earn c = w period";

/// The cases of this part of the language, each with its arithmetic.
pub fn cases() -> Vec<Case> {
    vec![
        // 360,000 a year: January's quota 30,000, attainment 100% → 10% × 30,000 = 3,000.00.
        // 12 × 60,000 = 720,000: 60,000, 50% → 5% → 1,500.00.
        case("quota = TABLE.COLUMN", tiered("quota q = quotas.amount split evenly by month", "100%"))
            .change("quotas.amount", "12 × rep.target_incentive")
            .data("quotas", QUOTA_360K)
            .pays("2026-01 3000.00", "2026-01 1500.00"),
        // 6 × 60,000 = 360,000 → 3,000.00; 12 × 60,000 → 1,500.00.
        case("quota = EXPRESSION", tiered("quota q = 6 × rep.target_incentive split evenly by month", "100%"))
            .change("6 ×", "12 ×")
            .pays("2026-01 3000.00", "2026-01 1500.00"),
        // 720,000 with January's weight 4%: 28,800, attainment 104.17% → 3,000.00; evenly 60,000,
        // 50% → 1,500.00.
        case(
            "split by month weights (…)",
            tiered(
                "quota q = quotas.amount split by month weights (4%, 10%, 10%, 10%, 10%, 10%, 10%, 10%, 8%, 8%, 5%, 5%)",
                "100%",
            ),
        )
        .change(
            "split by month weights (4%, 10%, 10%, 10%, 10%, 10%, 10%, 10%, 8%, 8%, 5%, 5%)",
            "split evenly by month",
        )
        .data("quotas", QUOTA_720K)
        .pays("2026-01 3000.00", "2026-01 1500.00"),
        // The first quarter 10% of 720,000 = 72,000, January a third: 24,000, 125% → 3,000.00.
        case(
            "split by quarter weights (…)",
            tiered("quota q = quotas.amount split by quarter weights (10%, 30%, 30%, 30%)", "100%"),
        )
        .change("split by quarter weights (10%, 30%, 30%, 30%)", "split evenly by month")
        .data("quotas", QUOTA_720K)
        .pays("2026-01 3000.00", "2026-01 1500.00"),
        // A quarter of 720,000 spread over its three months is 60,000 a month: the same quotas as
        // `split evenly by month`, 50% → 1,500.00 either way.
        case("split evenly by quarter", tiered("quota q = quotas.amount split evenly by quarter", "100%"))
            .change("split evenly by quarter", "split evenly by month")
            .data("quotas", QUOTA_720K)
            .synonym_of("split evenly by month", "2026-01 1500.00"),
        // Hired 2026-02-10, 30,000 in February, 720,000 a year, bands at 40%. Prorated by months:
        // January (not employed) counts 0, so the year to date is 60,000: 50% → 10% → 3,000.00.
        // Without: 120,000, 25% → 5% → 1,500.00.
        case(
            "prorated by months employed",
            tiered("quota q = quotas.amount split evenly by month, prorated by months employed", "40%"),
        )
        .change(", prorated by months employed", "")
        .data("reps", HIRED_FEB_10)
        .data("deals", FEB_DEAL)
        .data("quotas", QUOTA_720K)
        .period("2026-02")
        .pays("2026-02 3000.00", "2026-02 1500.00"),
        // Hired 2026-02-15: 14 of February's 28 days, 60,000 × 14/28 = 30,000, 100% → 3,000.00.
        // Without: 120,000, 25% → 1,500.00.
        case(
            "prorated by days employed",
            tiered("quota q = quotas.amount split evenly by month, prorated by days employed", "100%"),
        )
        .change(", prorated by days employed", "")
        .data("reps", HIRED_FEB_15)
        .data("deals", FEB_DEAL)
        .data("quotas", QUOTA_720K)
        .period("2026-02")
        .pays("2026-02 3000.00", "2026-02 1500.00"),
        // 70,006 a year is 5,833.8333… a month, published as 5,834 (half up, whole dollars). January's
        // 5,833.90 is 99.998% of 5,834: 5% → 291.695 → 291.70. Exact: 100.001% → 10% → 583.39.
        case(
            "rounded MODE [to PRECISION]",
            tiered("quota q = quotas.amount split evenly by month, rounded half up to whole units", "100%"),
        )
        .change(", rounded half up to whole units", "")
        .data("quotas", "rep,year,amount\na,2026,70006\n")
        .data("deals", JANUARY_DEAL)
        .pays("2026-01 291.70", "2026-01 583.39"),
        // D1 and D2 closed in January, never cancelled: active in February, 2 × 10 = 20.00. Counted
        // on the day they closed instead: none in February, 0.00.
        case(
            "active from ROW.DATE to ROW.DATE",
            "  measure open = count of deals by deal.owner active from deal.closed to deal.cancelled\n  earn c = 10 USD × open period",
        )
        .change("active from deal.closed to deal.cancelled", "on deal.closed")
        .period("2026-02")
        .pays("2026-02 20.00", "2026-02 0.00"),
        // 10% of the sum of credit: 3,000.00; of the sum of half of each row: 1,500.00.
        case("sum of VALUE", "  measure b = sum of credit.amount\n  earn c = 10% of b period")
            .change("sum of credit.amount", "sum of 50% of credit.amount")
            .pays("2026-01 3000.00", "2026-01 1500.00"),
        // 100 USD a row: two credit rows 200.00; one meeting 100.00.
        case("count of TABLE", "  measure n = count of credit\n  earn c = 100 USD × n period")
            .change("count of credit", "count of meetings")
            .data("meetings", "id,sdr,held,account,source,qualified\nM1,a,2026-01-05,Acme,web,true\n")
            .pays("2026-01 200.00", "2026-01 100.00"),
        // Without renewals: D1 10,000 → 1,000.00; all credit 3,000.00.
        case(
            "measure … where CONDITION",
            "  measure b = sum of credit.amount where deal.kind is not \"renewal\"\n  earn c = 10% of b period",
        )
        .change(" where deal.kind is not \"renewal\"", "")
        .pays("2026-01 1000.00", "2026-01 3000.00"),
        // By host: `a` hosts V1, held in February: nothing in January. By guest: `a` is V2's guest,
        // held 2026-01-09: 100.00.
        case(
            "measure … by ROW.COLUMN",
            "  measure v = count of visits by visit.host on visit.held\n  earn c = 100 USD × v period",
        )
        .change("by visit.host", "by visit.guest")
        .file("visits.plan", VISITS)
        .data("visits", VISIT_ROWS)
        .pays("2026-01 0.00", "2026-01 100.00"),
        // On the day held: V1 counts in February. On the day booked: 2026-01-05, 100.00 in January.
        case(
            "measure … on ROW.COLUMN",
            "  measure v = count of visits by visit.host on visit.held\n  earn c = 100 USD × v period",
        )
        .change("on visit.held", "on visit.booked")
        .file("visits.plan", VISITS)
        .data("visits", VISIT_ROWS)
        .pays("2026-01 0.00", "2026-01 100.00"),
        // D1 closed 2026-01-10, cancelled 2026-04-10 (day 90: reversed). By owner on the cancellation
        // date: one deal in April, 100.00. As credit rows: April has the reversal, −1 → −100.00.
        case(
            "count of deals by … on …",
            "  measure k = count of deals by deal.owner on deal.cancelled\n  earn c = 100 USD × k period",
        )
        .change(" by deal.owner on deal.cancelled", "")
        .data(
            "deals",
            "id,owner,amount,currency,closed,product,region,kind,new_logo,cancelled,paid\nD1,a,10000,USD,2026-01-10,Platform,EMEA,new,true,2026-04-10,\n",
        )
        .period("2026-04")
        .component("c")
        .pays("2026-04 100.00", "2026-04 -100.00"),
        // 10,000 in January, 50,000 in February, 720,000 a year, bands at 60%. Year to date:
        // 60,000 / 120,000 = 50% → 5% × 50,000 = 2,500.00. The period: 50,000 / 60,000 = 83.33% →
        // 10% → 5,000.00.
        case(
            "attainment = MEASURE SCOPE / QUOTA SCOPE",
            tiered("quota q = quotas.amount split evenly by month", "60%"),
        )
        .change("b ytd / q ytd", "b period / q period")
        .data("deals", jan_feb("10000", "50000"))
        .data("quotas", QUOTA_720K)
        .period("2026-02")
        .pays("2026-02 2500.00", "2026-02 5000.00"),
        // Year-to-date quota 60,000, credit 30,000 (50%). Marginal: the band [0%, 50%) is the first
        // 30,000, at 4%: 1,200.00. Retroactive: 50% is in the 8% band, on all of it: 2,400.00.
        case("table … marginal", MARGINAL)
            .change("marginal on", "retroactive on")
            .data("quotas", QUOTA_720K)
            .pays("2026-01 1200.00", "2026-01 2400.00"),
        case("table … retroactive", MARGINAL.replace("marginal on", "retroactive on"))
            .change("retroactive on", "marginal on")
            .data("quotas", QUOTA_720K)
            .pays("2026-01 2400.00", "2026-01 1200.00"),
        // 50% between 0 USD at 0% and 1,000 USD at 100%: 500.00. As bands, 50% is in the 0 USD band.
        case("table … linear", LINEAR)
            .change(
                "linear on att {\n    at 0% : 0 USD\n    at 100% : 1000 USD",
                "retroactive on att {\n    from 0% to 100% : 0 USD\n    100% and above : 1000 USD",
            )
            .data("quotas", QUOTA_720K)
            .pays("2026-01 500.00", "2026-01 0.00"),
        // The point at 100% at 2,000 USD: halfway is 1,000.00.
        case("point: at A : VALUE", LINEAR)
            .change("at 100% : 1000 USD", "at 100% : 2000 USD")
            .data("quotas", QUOTA_720K)
            .pays("2026-01 500.00", "2026-01 1000.00"),
        // Platform 10% of 10,000 + others 5% of 20,000 = 2,000.00; a flat 10%: 3,000.00.
        case("table … lookup", LOOKUP)
            .change("sum of r of credit.amount", "sum of 10% of credit.amount")
            .pays("2026-01 2000.00", "2026-01 3000.00"),
        // Platform at 20%: 2,000 + 1,000 = 3,000.00.
        case("lookup row: \"KEY\" : VALUE", LOOKUP)
            .change("\"Platform\" : 10%", "\"Platform\" : 20%")
            .pays("2026-01 2000.00", "2026-01 3000.00"),
        // Without `otherwise`, the Add-on deal has no rate: the run stops (E0802).
        case("lookup row: otherwise : VALUE", LOOKUP)
            .change("\n    otherwise : 5%", "")
            .pays("2026-01 2000.00", "E0802"),
        // 720,000 a year: 50%, in the band [0%, 100%): 5% × 30,000 = 1,500.00; at 6%: 1,800.00.
        case("band: from A to B : VALUE", tiered("quota q = quotas.amount split evenly by month", "100%"))
            .change("from 0% to 100% : 5%", "from 0% to 100% : 6%")
            .data("quotas", QUOTA_720K)
            .pays("2026-01 1500.00", "2026-01 1800.00"),
        // 360,000 a year: 100%, the open band: 10% × 30,000 = 3,000.00; at 12%: 3,600.00.
        case("band: A and above : VALUE", tiered("quota q = quotas.amount split evenly by month", "100%"))
            .change("100% and above : 10%", "100% and above : 12%")
            .data("quotas", QUOTA_360K)
            .pays("2026-01 3000.00", "2026-01 3600.00"),
        // 30,000 in January, 20,000 in February. Keyed on the year to date (50,000): 10% × 20,000 =
        // 2,000.00; on the period (20,000): 5% → 1,000.00.
        case(
            "table … on MEASURE SCOPE",
            "  measure b = sum of credit.amount
  table t retroactive on b ytd {
    from 0 USD to 40000 USD : 5%
    40000 USD and above : 10%
  }
  earn c = t of b period",
        )
        .change("on b ytd", "on b period")
        .data("deals", jan_feb("30000", "20000"))
        .period("2026-02")
        .pays("2026-02 2000.00", "2026-02 1000.00"),
        // Each deal tiered on its own amount: D1 10,000 × 2% = 200; D2 15,000 × 2% + 5,000 × 4% =
        // 500; 700.00. Keyed on the month's credit instead, the 30,000 together: 15,000 × 2% +
        // 15,000 × 4% = 900.00.
        case(
            "table … on credit.amount",
            "  measure b = sum of credit.amount
  table t marginal on credit.amount {
    from 0 USD to 15000 USD : 2%
    15000 USD and above : 4%
  }
  earn c = t of credit.amount per deal",
        )
        .change("on credit.amount {", "on b period {")
        .change("t of credit.amount per deal", "t of b period")
        .pays("2026-01 700.00", "2026-01 900.00"),
        // Deals paid in order on the month's credit: D1 10,000 (01-10) fills 0 → 10,000 at 2%: 200;
        // D2 20,000 (01-20) fills 10,000 → 30,000: 5,000 × 2% + 15,000 × 4% = 700; 900.00. Keyed on
        // each deal's own amount instead, each restarts at 0: 200 + 300 + 200 = 700.00.
        case("T of credit.amount per deal, T on a measure or an attainment (deals in order)", IN_ORDER)
            .change("on b period {", "on credit.amount {")
            .pays("2026-01 900.00", "2026-01 700.00"),
        // The top band at each deal's product rate (Platform 10%, otherwise 5%): D1 (Platform) is all
        // below 15,000: 200; D2 (Add-on) 5,000 × 2% + 15,000 × 5% = 850; 1,050.00. At a flat 4%: 900.00.
        case(
            "band: … : LOOKUP (a band's rate by deal)",
            format!(
                "  table r lookup on deal.product {{
    \"Platform\" : 10%
    otherwise : 5%
  }}
{}",
                IN_ORDER.replace("15000 USD and above : 4%", "15000 USD and above : r")
            ),
        )
        .change("15000 USD and above : r", "15000 USD and above : 4%")
        .pays("2026-01 1050.00", "2026-01 900.00"),
        // 30% until the earning has paid 5,000 this year, then 10%. D1 10,000: 3,000, inside the
        // first band. D2 20,000: the room of 2,000 at 30% takes 6,666.66… of it, the other
        // 13,333.33… at 10% pays 1,333.33…: 3,333.33…; 6,333.33. Keyed on each deal's own amount,
        // each restarts: 1,500 + 500 and 1,500 + 1,500: 5,000.00.
        case(
            "table … on EARNING SCOPE (tiers on what the earning has paid)",
            "  table t marginal on c ytd decelerating {
    from 0 USD to 5000 USD : 30%
    5000 USD and above : 10%
  }
  earn c = t of credit.amount per deal",
        )
        .change("on c ytd", "on credit.amount")
        .pays("2026-01 6333.33", "2026-01 5000.00"),
        // 360,000 a year: exactly 100% in January. Bands `(A, B]`: 100% is in the band that ends at
        // 100%, 5% × 30,000 = 1,500.00; bands `[A, B)`: in the band that starts there, 10% → 3,000.00.
        case("table … including upper bounds", UPPER_INCLUDED)
            .change(" including upper bounds {", " {")
            .change("above 100% : 10%", "100% and above : 10%")
            .data("quotas", QUOTA_360K)
            .pays("2026-01 1500.00", "2026-01 3000.00"),
        // 240,000 a year: 30,000 / 20,000 = 150%, above 100%: 10% × 30,000 = 3,000.00; at 12%: 3,600.00.
        case("band: above A : VALUE", UPPER_INCLUDED)
            .change("above 100% : 10%", "above 100% : 12%")
            .data("quotas", QUOTA_240K)
            .pays("2026-01 3000.00", "2026-01 3600.00"),
        // 150% of a 20,000 year-to-date quota. Closed at 100%: 5% × 20,000 = 1,000.00, nothing on the
        // 10,000 above; one open band at 5%: 5% × 30,000 = 1,500.00.
        case(
            "table … closed (bands)",
            "  quota q = quotas.amount split evenly by month
  measure b = sum of credit.amount
  attainment att = b ytd / q ytd
  table t marginal on att closed {
    from 0% to 100% : 5%
  }
  earn c = t of b ytd",
        )
        .change("att closed {\n    from 0% to 100% : 5%", "att {\n    0% and above : 5%")
        .data("quotas", QUOTA_240K)
        .pays("2026-01 1000.00", "2026-01 1500.00"),
        // Two orders in January: the first at 3 USD, the second at 5 USD, 8.00; the second at 7 USD:
        // 3 + 7 = 10.00.
        case(
            "table of amounts per unit: T of COUNT",
            "  measure orders = count of credit
  table fee marginal on orders period {
    from 0 to 1 : 3 USD
    1 and above : 5 USD
  }
  earn c = fee of orders period",
        )
        .change("1 and above : 5 USD", "1 and above : 7 USD")
        .pays("2026-01 8.00", "2026-01 10.00"),
        // Platform 10,000 and Add-on 20,000, each product capped at 15,000: 25,000, 10% = 2,500.00;
        // summed whole, 30,000: 3,000.00.
        case(
            "measure …, each ROW.COLUMN floored at / capped at AMOUNT",
            "  measure b = sum of credit.amount, each deal.product capped at 15000 USD\n  earn c = 10% of b period",
        )
        .change(", each deal.product capped at 15000 USD", "")
        .pays("2026-01 2500.00", "2026-01 3000.00"),
    ]
}

/// A retroactive table on the year's attainment whose bands include their upper bound.
const UPPER_INCLUDED: &str = "  quota q = quotas.amount split evenly by month
  measure b = sum of credit.amount
  attainment att = b ytd / q ytd
  table t retroactive on att including upper bounds {
    from 0% to 100% : 5%
    above 100% : 10%
  }
  earn c = t of b period";

/// A two-band table keyed on year-to-date attainment, applied to the year's credit.
const MARGINAL: &str = "  quota q = quotas.amount split evenly by month
  measure b = sum of credit.amount
  attainment att = b ytd / q ytd
  table t marginal on att {
    from 0% to 50% : 4%
    50% and above : 8%
  }
  earn c = t of b ytd";

/// Deals paid in order on the month's credit.
const IN_ORDER: &str = "  measure b = sum of credit.amount
  table t marginal on b period {
    from 0 USD to 15000 USD : 2%
    15000 USD and above : 4%
  }
  earn c = t of credit.amount per deal";

/// An amount interpolated on attainment.
const LINEAR: &str = "  quota q = quotas.amount split evenly by month
  measure b = sum of credit.amount
  attainment att = b ytd / q ytd
  table k linear on att {
    at 0% : 0 USD
    at 100% : 1000 USD
  }
  earn kick = k";
