//! The crediting rules (owner, conversion, splits, territories, rollup, clawback, employment) and
//! territories. Most cases edit the shared rules of `tests/eval/shared/crediting.plan`; a rule is
//! removed by turning it into a comment.

use super::{case, Case};

/// 10% of the period's credit: `a`'s January credit is 30,000, so 3,000.00.
const COMMISSION: &str = "  measure b = sum of credit.amount\n  earn c = 10% of b period";

/// Reps as the shared schema has them, and deals with two money columns in one currency.
const COST_SCHEMA: &str = "\
schema reps {
  id: text key; name: text; role: text; region: text; manager: ref reps optional
  hired: date; terminated: date optional; target_incentive: money USD
}
schema deals { id: text key; owner: ref reps; amount: money USD; cost: money USD; closed: date }
";

/// Territory credit: every rep whose region names a territory gets credit for its deals.
const TERRITORIES: &str = "\
credit {
  deal to deal.owner on deal.closed
  deal by territory rep.region
}
territory EMEA when deal.region is \"EMEA\"
";

/// The cases of this part of the language, each with its arithmetic.
pub fn cases() -> Vec<Case> {
    vec![
        // Credited on the close date: 30,000 in January. On the day paid: D1 in February, D2 (never
        // paid) not at all: nothing in January.
        case("deal to deal.OWNER on deal.DATE", COMMISSION)
            .change("deal to deal.owner on deal.closed", "deal to deal.owner on deal.paid")
            .data(
                "deals",
                "id,owner,amount,currency,closed,product,region,kind,new_logo,cancelled,paid
D1,a,10000,USD,2026-01-10,Platform,EMEA,new,true,,2026-02-05
D2,a,20000,USD,2026-01-20,Add-on,APAC,renewal,false,,
",
            )
            .pays("2026-01 3000.00", "2026-01 0.00"),
        // 10,000 EUR, closed 2026-01-10 (rate 1.10), paid 2026-01-25 (rate 1.20): converted on the
        // close date 11,000 USD → 1,100.00; on the day paid 12,000 USD → 1,200.00.
        case("convert deal.AMOUNT to CUR using TABLE on deal.DATE", COMMISSION)
            .change("using fx on deal.closed", "using fx on deal.paid")
            .data(
                "deals",
                "id,owner,amount,currency,closed,product,region,kind,new_logo,cancelled,paid
D1,a,10000,EUR,2026-01-10,Platform,EMEA,new,true,,2026-01-25
",
            )
            .data("fx", "currency,date,rate\nEUR,2026-01-01,1.10\nEUR,2026-01-20,1.20\n")
            .pays("2026-01 1100.00", "2026-01 1200.00"),
        // Deals with a price and a cost, both in USD: `credit deal.cost` credits the costs, 4,000 +
        // 5,000 = 9,000 → 900.00; naming the price instead credits 10,000 + 20,000 → 3,000.00.
        case("credit deal.AMOUNT", COMMISSION)
            .file("schema.plan", COST_SCHEMA)
            .file("crediting.plan", "credit {\n  credit deal.cost\n  deal to deal.owner on deal.closed\n}\n")
            .change("credit deal.cost", "credit deal.amount")
            .data(
                "deals",
                "id,owner,amount,cost,closed\nD1,a,10000,4000,2026-01-10\nD2,a,20000,5000,2026-01-20\n",
            )
            .pays("2026-01 900.00", "2026-01 3000.00"),
        // D1 split 60% to `a`, 40% to `m`: `a` has 6,000 + 20,000 → 2,600.00; without splits the
        // owner has it all: 3,000.00.
        case("deal by splits", COMMISSION)
            .change("  deal by splits ", "  // deal by splits ")
            .data("splits", "deal,rep,share\nD1,a,60\nD1,m,40\n")
            .pays("2026-01 2600.00", "2026-01 3000.00"),
        // D1 split 100% to `m`. As an overlay the owner keeps D1: 3,000.00; instead of the owner,
        // `a` has D2 alone: 2,000.00.
        case("deal by splits overlay", COMMISSION)
            .file("crediting.plan", "credit {\n  deal to deal.owner on deal.closed\n  deal by splits overlay\n}\n")
            .change(" overlay", "")
            .data("splits", "deal,rep,share\nD1,m,100\n")
            .pays("2026-01 3000.00", "2026-01 2000.00"),
        // D1 split 100% to `a` and 100% to `m`: up to 200%, each is credited in full, `a` 10,000 +
        // 20,000 → 3,000.00; summing to exactly 100% instead, the shares are refused (E0705).
        case("deal by splits up to N%", COMMISSION)
            .file("crediting.plan", "credit {\n  deal to deal.owner on deal.closed\n  deal by splits up to 200%\n}\n")
            .change(" up to 200%", "")
            .data("splits", "deal,rep,share\nD1,a,100\nD1,m,100\n")
            .pays("2026-01 3000.00", "E0705"),
        // `m`'s region names the territory EMEA, which D1 (10,000) is in: 1,000.00. Assigned by
        // name instead (`Max` is no territory): nothing.
        case("deal by territory rep.COLUMN", COMMISSION)
            .file("crediting.plan", TERRITORIES)
            .change("deal by territory rep.region", "deal by territory rep.name")
            .rep("m")
            .pays("2026-01 1000.00", "2026-01 0.00"),
        // The territory EMEA holds the EMEA deals (D1: 1,000.00); defined as the APAC deals, D2:
        // 2,000.00.
        case("territory NAME when CONDITION", COMMISSION)
            .file("crediting.plan", TERRITORIES)
            .change("deal.region is \"EMEA\"", "deal.region is \"APAC\"")
            .rep("m")
            .pays("2026-01 1000.00", "2026-01 2000.00"),
        // `a` reports to `m`: `m` gets rollup credit for `a`'s 30,000 → 3,000.00; without rollup,
        // nothing.
        case("rollup to rep.MANAGER", COMMISSION)
            .change("  rollup to rep.manager", "  // rollup to rep.manager")
            .rep("m")
            .pays("2026-01 3000.00", "2026-01 0.00"),
        // D1 (10,000) closed 2026-01-10, cancelled 2026-03-01: 50 days. Inside 90 days it is reversed
        // in March: −1,000.00; inside 30 days only, it stands.
        case("clawback when deal.DATE within N days of deal.DATE", COMMISSION)
            .change("within 90 days", "within 30 days")
            .data(
                "deals",
                "id,owner,amount,currency,closed,product,region,kind,new_logo,cancelled,paid
D1,a,10000,USD,2026-01-10,Platform,EMEA,new,true,2026-03-01,
",
            )
            .period("2026-03")
            .component("c")
            .pays("2026-03 -1000.00", "2026-03 0.00"),
        // D1 (10,000) closed 2026-01-10, cancelled 2026-12-01: 325 days. Without a window any
        // cancellation reverses it, in December: −1,000.00; within 90 days only, it stands.
        case("clawback when deal.DATE", COMMISSION)
            .file("crediting.plan", "credit {\n  deal to deal.owner on deal.closed\n  clawback when deal.cancelled\n}\n")
            .change("deal.cancelled\n", "deal.cancelled within 90 days of deal.closed\n")
            .data(
                "deals",
                "id,owner,amount,currency,closed,product,region,kind,new_logo,cancelled,paid
D1,a,10000,USD,2026-01-10,Platform,EMEA,new,true,2026-12-01,
",
            )
            .period("2026-12")
            .component("c")
            .pays("2026-12 -1000.00", "2026-12 0.00"),
        // D1 (10,000) cancelled 50 days after its close: a 25% clawback reverses 2,500 in March,
        // −250.00; the whole of it, −1,000.00.
        case("clawback N% when deal.DATE …", COMMISSION)
            .file(
                "crediting.plan",
                "credit {\n  deal to deal.owner on deal.closed\n  clawback 25% when deal.cancelled within 90 days of deal.closed\n}\n",
            )
            .change("clawback 25% when", "clawback when")
            .data(
                "deals",
                "id,owner,amount,currency,closed,product,region,kind,new_logo,cancelled,paid
D1,a,10000,USD,2026-01-10,Platform,EMEA,new,true,2026-03-01,
",
            )
            .period("2026-03")
            .component("c")
            .pays("2026-03 -250.00", "2026-03 -1000.00"),
        // `a` is hired 2026-02-10: not evaluated in January. Without employment dates reps are always
        // employed: January pays 3,000.00.
        case("employed from rep.DATE to rep.DATE", COMMISSION)
            .change("  employed from rep.hired", "  // employed from rep.hired")
            .data(
                "reps",
                "id,name,role,region,manager,hired,terminated,target_incentive
a,Ana,AE,EMEA,m,2026-02-10,,60000
m,Max,Manager,EMEA,,2025-01-01,,40000
",
            )
            .pays("", "2026-01 3000.00"),
    ]
}
