//! The payout curve: a plan's own earnings evaluated at chosen attainments (`eval::curve`), checked
//! against values computed by hand from the bundled plans' tables, and shown on statements.

use crate::support::{compplan, plan_sources, root, scratch, stderr};
use compplan::eval::curve::{curve, Curve, Whom};
use compplan::model::{AttainmentId, Workspace};
use compplan::num::Ratio;
use compplan::pipeline::Plans;

fn bundled() -> Plans {
    Plans::check(plan_sources(&root().join("plans"), root())).unwrap_or_else(|_| panic!("the bundled plans check"))
}

fn percent(p: i128) -> Ratio {
    Ratio::new(p, 100).expect("a fraction")
}

/// The curve of a bundled plan's first attainment against `quota`, for no rep.
fn curve_of(ws: &Workspace, plan: &str, quota: i64, at: &[Ratio]) -> (Curve, Vec<String>) {
    let plan = ws.plans.iter().find(|p| p.name == plan).expect("the plan");
    let whom = Whom { rep: None, schema: &ws.schema };
    let c = curve(plan, AttainmentId::new(0), Ratio::int(quota), whom, at).expect("a curve");
    let names = c.drawn.iter().map(|id| plan.earnings[*id].name.clone()).collect();
    (c, names)
}

#[test]
fn a_marginal_table_on_attainment_pays_its_slices_of_the_quota_at_each_point() {
    let plans = bundled();
    let at = [percent(0), percent(50), percent(80), percent(100), percent(150), percent(200)];
    let (c, drawn) = curve_of(plans.model(), "enterprise_ae", 300_000, &at);
    assert_eq!(drawn, ["commission"]);
    let totals: Vec<Ratio> = c.points.iter().map(|p| p.total).collect();
    // Bands of 150,000 each (50% of 300,000): 4%, 6%, 10%, then 12% above 150%.
    // 0% → 0; 50% → 150,000 × 4% = 6,000; 80% → 6,000 + 90,000 × 6% = 11,400;
    // 100% → 6,000 + 150,000 × 6% = 15,000; 150% → 15,000 + 150,000 × 10% = 30,000;
    // 200% → 30,000 + 150,000 × 12% = 48,000.
    let expected = [0, 6_000, 11_400, 15_000, 30_000, 48_000].map(Ratio::int);
    assert_eq!(totals, expected);
    // The quarterly bonus reads `bookings quarter` and is paid per quarter; the SPIFF per deal; the
    // cap of 3 × rep.target_incentive needs a rep.
    let left: Vec<&str> = c.left_out.iter().map(|(_, why)| why.as_str()).collect();
    assert_eq!(
        left,
        ["it is paid over a quarter, and the curve is over a plan year", "it is paid per deal, not on attainment"]
    );
    assert_eq!(c.not_applied.len(), 1);
    assert_eq!(c.not_applied[0].2, "it depends on each rep's `rep.target_incentive`");
}

#[test]
fn a_gate_a_cap_a_retroactive_table_and_a_linear_curve_shape_the_partner_curve() {
    let plans = bundled();
    let pia = Ratio::new(155_000, 120_000).expect("Pia's Q1 attainment");
    let at = [percent(40), percent(90), percent(100), pia, percent(200)];
    let (c, drawn) = curve_of(plans.model(), "partner", 120_000, &at);
    assert_eq!(drawn, ["commission", "kicker"]);
    let values: Vec<Vec<Ratio>> = c.points.iter().map(|p| p.values.clone()).collect();
    assert_eq!(
        values,
        vec![
            // 40%: below the 50% gate, and below the kicker's first point.
            vec![Ratio::ZERO, Ratio::ZERO],
            // 90%: 7% × 108,000 = 7,560.
            vec![Ratio::int(7_560), Ratio::ZERO],
            // 100%: 9% × 120,000 = 10,800; the kicker starts at 0.
            vec![Ratio::int(10_800), Ratio::ZERO],
            // Pia, 155,000 / 120,000: 9% × 155,000 = 13,950 capped at 12,000;
            // kicker (31/24 − 1) / 0.5 × 10,000 = 70,000 / 12 = 5,833.33….
            vec![Ratio::int(12_000), Ratio::new(70_000, 12).expect("a fraction")],
            // 200%: 9% × 240,000 = 21,600 capped at 12,000; the kicker is flat at 10,000 after 150%.
            vec![Ratio::int(12_000), Ratio::int(10_000)],
        ]
    );
    assert!(c.left_out.is_empty() && c.not_applied.is_empty());
}

#[test]
fn a_bonus_on_the_attainment_is_drawn_and_one_on_other_measures_is_named_left_out() {
    let plans = bundled();
    let at = [percent(95), percent(100), percent(150)];
    // 240 meetings a year, 60 a quarter.
    let (c, drawn) = curve_of(plans.model(), "sdr", 60, &at);
    assert_eq!(drawn, ["quarter_bonus"]);
    // 95% of 60 is 57 meetings: no bonus; 100% and above: 1,000 once in the quarter.
    let totals: Vec<Ratio> = c.points.iter().map(|p| p.total).collect();
    assert_eq!(totals, [0, 1_000, 1_000].map(Ratio::int));
    assert_eq!(c.left_out.len(), 1);
    // `meetings` is paid each month, on a measure of its own: the month is not the quarter.
    assert_eq!(c.left_out[0].1, "it is paid over a month, and the curve is over a quarter");
}

#[test]
fn statements_mark_the_rep_on_the_curve_of_the_rep_s_own_quota() {
    let out = scratch("curve-statements");
    let dir = out.to_str().expect("utf-8");
    for period in ["2026-03", "2026-Q1"] {
        let run = compplan(&["statement", "plans", "--data", "plans/data", "--period", period, "--out", dir]);
        assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    }
    let alice = std::fs::read_to_string(out.join("2026-03-alice-enterprise_ae.html")).expect("Alice's page");
    // Alice's plan year quota is 1,200,000: at her 100%, 600,000 × 4% + 600,000 × 6% = 60,000.
    assert!(alice.contains("of your quota of 1,200,000.00 USD"), "{alice}");
    assert!(alice.contains(
        "Your attainment att is 100%: over a whole plan year at this attainment the curve pays 60,000.00 USD"
    ));
    // At 200% (2,400,000): 24,000 + 36,000 + 60,000 + 72,000 = 192,000, capped at 3 × 60,000.
    assert!(alice.contains("<td class=\"amount\">200%</td><td class=\"amount\">180,000.00 USD</td>"));
    assert!(alice.contains("150,000.00 USD more bookings reach 150%."));
    // Sofia's meetings are a count: 5 qualified of the quarter's 60 (240 a year ÷ 4), with no currency,
    // and her curve is against the plan's quota of meetings.
    let sofia = std::fs::read_to_string(out.join("2026-03-sofia-sdr.html")).expect("Sofia's page");
    assert!(sofia.contains("meeting_att: qualified 5.00 of a quota of 60.00, 8.33%."), "{sofia}");
    assert!(sofia.contains("of your quota of 60</figcaption>"));
    let pia = std::fs::read_to_string(out.join("2026-Q1-pia-partner.html")).expect("Pia's page");
    // Pia's point is her quarter as paid: 12,000.00 + 5,833.33 = 17,833.33, the payroll's total.
    assert!(pia.contains(
        "<tr class=\"own\"><td class=\"amount\">129.17% (you)</td><td class=\"amount\">12,000.00 USD</td><td class=\"amount\">5,833.33 USD</td><td class=\"amount\">17,833.33 USD</td></tr>"
    ), "{pia}");
}
