//! Draws (and their options), holds, recovery limits and balance write-offs.

use super::{case, Case};

/// 10% of the period's credit, then more plan lines.
fn commission(more: &str) -> String {
    format!("  measure b = sum of credit.amount\n  earn c = 10% of b period\n{more}")
}

/// `a`, hired 2026-01-05 (and terminated, when a date is given).
fn hired_jan_5(terminated: &str) -> String {
    format!(
        "id,name,role,region,manager,hired,terminated,target_incentive
a,Ana,AE,EMEA,m,2026-01-05,{terminated},60000
m,Max,Manager,EMEA,,2025-01-01,,40000
"
    )
}

/// Deals of `a`: (id, amount, close date).
fn deals(rows: &[(&str, &str, &str)]) -> String {
    let mut csv = "id,owner,amount,currency,closed,product,region,kind,new_logo,cancelled,paid\n".to_string();
    for (id, amount, closed) in rows {
        csv.push_str(&format!("{id},a,{amount},USD,{closed},Platform,EMEA,new,false,,\n"));
    }
    csv
}

const DRAW_3: &str = "  draw recoverable 2000 USD per month for 3 months from rep.hired";

/// The cases of this part of the language, each with its arithmetic.
pub fn cases() -> Vec<Case> {
    vec![
        // Hired in January, 10,000 of credit: 1,000 earned, topped up to the 2,000 draw: 2,000.00.
        case("draw recoverable … for N months from rep.DATE", commission(DRAW_3))
            .change(DRAW_3, "")
            .data("reps", hired_jan_5(""))
            .data("deals", deals(&[("D1", "10000", "2026-01-10")]))
            .pays("2026-01 2000.00", "2026-01 1000.00"),
        // January: 1,000 earned, draw 1,000. February: 5,000 earned. Non-recoverable: nothing owed,
        // 5,000.00 paid. Recoverable: the 1,000 owed is recovered from what exceeds the 2,000 draw:
        // 4,000.00.
        case(
            "draw non-recoverable",
            commission("  draw non-recoverable 2000 USD per month for 3 months from rep.hired"),
        )
        .change("non-recoverable", "recoverable")
        .data("reps", hired_jan_5(""))
        .data("deals", deals(&[("D1", "10000", "2026-01-10"), ("D3", "50000", "2026-02-10")]))
        .period("2026-02")
        .pays("2026-02 5000.00", "2026-02 4000.00"),
        // Nothing earned in February: a draw from February pays 2,000.00; from March, nothing.
        case(
            "draw … from DATE to DATE",
            commission("  draw recoverable 2000 USD per month from 2026-02-01 to 2026-03-31"),
        )
        .change("from 2026-02-01", "from 2026-03-01")
        .period("2026-02")
        .pays("2026-02 2000.00", "2026-02 0.00"),
        // A one-month draw in January (2,000 owed, nothing earned); February earns 1,000. Forgiven at
        // the end of the draw: 1,000.00 paid. Owed: all of it recovered, 0.00 paid.
        case(
            "draw …, forgiven at end",
            commission("  draw recoverable 2000 USD per month for 1 months from rep.hired, forgiven at end"),
        )
        .change(", forgiven at end", "")
        .data("reps", hired_jan_5(""))
        .data("deals", deals(&[("D3", "10000", "2026-02-10")]))
        .period("2026-02")
        .pays("2026-02 1000.00", "2026-02 0.00"),
        // Leaves on 2026-02-20. January: draw 2,000. February: 1,000 earned, draw 1,000: 3,000 owed,
        // forgiven on termination (the balance line shows 0.00: the period clears what was owed) or
        // owed (balance −3,000.00).
        case("draw …, forgiven on termination", commission(&format!("{DRAW_3}, forgiven on termination")))
            .change(", forgiven on termination", "")
            .data("reps", hired_jan_5("2026-02-20"))
            .data("deals", deals(&[("D3", "10000", "2026-02-10")]))
            .period("2026-02")
            .component("balance")
            .pays("2026-02 0.00", "2026-02 -3000.00"),
        // An advance of 500 is paid on top of January's 3,000: 3,500.00; a guarantee of 500 adds
        // nothing to 3,000.
        case("draw … advance", commission("  draw recoverable advance 500 USD per month for 1 months from rep.hired"))
            .change(" advance 500", " 500")
            .data("reps", hired_jan_5(""))
            .pays("2026-01 3500.00", "2026-01 3000.00"),
        // Two named draws: the ramp tops 3,000 up to 4,000 (1,000.00), the starter advance adds
        // 500.00: 4,500.00; with the ramp alone, 4,000.00.
        case(
            "draw NAME = … (several draws)",
            commission(
                "  draw ramp = recoverable 4000 USD per month for 1 months from rep.hired\n  draw starter = recoverable advance 500 USD per month for 1 months from rep.hired",
            ),
        )
        .change("\n  draw starter = recoverable advance 500 USD per month for 1 months from rep.hired", "")
        .data("reps", hired_jan_5(""))
        .pays("2026-01 4500.00", "2026-01 4000.00"),
        // With only a February deal, January's draw tops 0 up to 4,000, owed; February earns 1,000.
        // Recovered from month 3 (March),
        // February pays 1,000.00; recovered at once, all 1,000 goes to the balance: 0.00.
        case(
            "draw …, recovered from month N",
            commission("  draw recoverable 4000 USD per month for 1 months from rep.hired, recovered from month 3"),
        )
        .change(", recovered from month 3", "")
        .data("reps", hired_jan_5(""))
        .data("deals", deals(&[("D3", "10000", "2026-02-10")]))
        .period("2026-02")
        .pays("2026-02 1000.00", "2026-02 0.00"),
        // Half of 3,000 held for two periods: 1,500.00 paid now.
        case("hold N% of EARNING for N periods", commission("  hold 50% of c for 2 periods"))
            .change("  hold 50% of c for 2 periods", "")
            .pays("2026-01 1500.00", "2026-01 3000.00"),
        // An exact third of 3,000 held for one period: 1,000.00 held, 2,000.00 paid now; 33% would
        // hold 990.00 and pay 2,010.00.
        case("hold N/M of EARNING for N periods", commission("  hold 1/3 of c for 1 periods"))
            .change("  hold 1/3 of c for 1 periods", "  hold 33% of c for 1 periods")
            .pays("2026-01 2000.00", "2026-01 2010.00"),
        // 3,000 in 3 instalments: 1,000.00 now, 1,000.00 in February, 1,000.00 in March.
        case("pay EARNING in N instalments", commission("  pay c in 3 instalments"))
            .change("  pay c in 3 instalments", "")
            .period("2026-Q1")
            .pays("2026-01 1000.00, 2026-02 1000.00, 2026-03 1000.00", "2026-01 3000.00, 2026-02 0.00, 2026-03 0.00"),
        // January is in Q1: 50% of the year to date (3,000) kept back, 1,500.00 paid; April (Q2,
        // nothing named after Q1 changes it) keeps it; with 10% after Q2 April releases 1,200.00.
        case("hold N% of EARNING ytd after Q1, …", commission("  hold 50% of c ytd after Q1, 10% after Q2"))
            .change("  hold 50% of c ytd after Q1, 10% after Q2", "  hold 50% of c ytd after Q1")
            .period("2026-04")
            .pays("2026-04 1200.00", "2026-04 0.00"),
        // Half of 3,000 held until each deal is paid, by credit: D1 500, D2 1,000. D1 is paid on
        // 2026-02-05: 500.00 released in February; D2 never: still held in March.
        case("hold N% of EARNING until deal.DATE", commission("  hold 50% of c until deal.paid"))
            .change("  hold 50% of c until deal.paid", "")
            .data(
                "deals",
                "id,owner,amount,currency,closed,product,region,kind,new_logo,cancelled,paid
D1,a,10000,USD,2026-01-10,Platform,EMEA,new,true,,2026-02-05
D2,a,20000,USD,2026-01-20,Add-on,APAC,renewal,false,,
",
            )
            .period("2026-Q1")
            .pays("2026-01 1500.00, 2026-02 500.00, 2026-03 0.00", "2026-01 3000.00, 2026-02 0.00, 2026-03 0.00"),
        // January's one-month draw leaves 2,000 owed; February earns 3,000. At most 50% of it
        // recovered: 1,500 → 1,500.00 paid. Without the limit: 2,000 → 1,000.00.
        case(
            "recover at most N% of earnings",
            commission(
                "  draw recoverable 2000 USD per month for 1 months from rep.hired\n  recover at most 50% of earnings",
            ),
        )
        .change("  recover at most 50% of earnings", "")
        .data("reps", hired_jan_5(""))
        .data("deals", deals(&[("D3", "30000", "2026-02-10")]))
        .period("2026-02")
        .pays("2026-02 1500.00", "2026-02 1000.00"),
        // Hired 2026-12-05: December's draw leaves 2,000 owed, written off at the end of the year;
        // January 2027 earns 3,000: 3,000.00 paid. Carried: 2,000 recovered, 1,000.00 paid.
        case("write off balance at year end", WRITE_OFF)
            .change("  write off balance at year end\n", "")
            .data(
                "reps",
                "id,name,role,region,manager,hired,terminated,target_incentive\na,Ana,AE,EMEA,,2026-12-05,,60000\n",
            )
            .data("deals", deals(&[("D4", "30000", "2027-01-10")]))
            .period("2027-01")
            .pays("2027-01 3000.00", "2027-01 1000.00"),
        // D1's 100 SPIFF (January) is taken back in February, when nothing is earned: paid as a
        // negative total, −100.00; by default deferred, and the total is 0.00.
        case("pay negative totals", "  pay negative totals\n  earn spiff = 100 USD per deal")
            .change("  pay negative totals\n", "")
            .data("deals", super::earnings::CANCELLED_IN_FEBRUARY)
            .period("2026-02")
            .pays("2026-02 -100.00", "2026-02 0.00"),
    ]
}

/// A plan over two years with a one-month draw and a write-off.
const WRITE_OFF: &str = "\
plan p \"Audit\" version 1 {
  effective 2026-01-01 to 2027-12-31
  currency USD
  pay monthly
  measure b = sum of credit.amount
  earn c = 10% of b period
  draw recoverable 2000 USD per month for 1 months from rep.hired
  write off balance at year end
}
";
