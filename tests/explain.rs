//! `compplan explain`: the derivation of a rep's payout. It must show the worked example of
//! `plans/enterprise_ae.plan` step by step, agree with `run` on every line of every rep and period, and split a rounded per-deal line
//! across its deals by largest remainder.

use crate::support::{compplan, root, scratch, stderr, stdout};
use serde_json::Value;

fn explain(args: &[&str]) -> String {
    let mut all = vec!["explain"];
    all.extend(args);
    let out = compplan(&all);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    stdout(&out)
}

#[test]
fn alice_in_march_shows_the_reversal_both_tier_slices_the_bonus_and_the_spiff_with_their_lines() {
    let text = explain(&["plans", "--data", "plans/data", "--period", "2026-03", "--rep", "alice"]);
    for expected in [
        // The root is the total paid, at the plan's header line.
        "alice · enterprise_ae v3 · 2026-03: 12900.00 USD  ← plans/enterprise_ae.plan:2",
        // A2, cancelled 49 days after closing, reversed by the clawback rule.
        "deal A2 reversed: -30000.00 USD  (direct credit, cancelled 2026-03-10)  ← plans/crediting.plan:7",
        // 300,000 YTD against 300,000: 150,000 × 4% + 150,000 × 6% = 15,000; 15,000 − 7,600 = 7,400.
        "attainment att: 100.00%  (300000.00 / 300000.00)  ← plans/enterprise_ae.plan:13",
        "band from 0.00% to 50.00%: 6000.00 USD  (150000.00 × 4.00% = 6000.00)  ← plans/enterprise_ae.plan:17",
        "band from 50.00% to 100.00%: 9000.00 USD  (150000.00 × 6.00% = 9000.00)  ← plans/enterprise_ae.plan:18",
        "true-up against the ytd so far: 7400.00 USD  (15000.00 through 2026-03 − 7600.00 through the previous period)",
        "earn commission: 7400.00 USD  ← plans/enterprise_ae.plan:23",
        "earn quarter_bonus: 5000.00 USD  ← plans/enterprise_ae.plan:24",
        "once per quarter when bookings quarter / bookings_quota quarter >= 100%  (the condition holds: paid once this quarter)  ← plans/enterprise_ae.plan:24",
        "earn new_logo: 500.00 USD  ← plans/enterprise_ae.plan:25",
        "deal A4: 500.00 USD  (direct credit, closed 2026-03-05)  ← plans/crediting.plan:4",
    ] {
        assert!(text.contains(expected), "missing `{expected}` in:\n{text}");
    }
    insta::assert_snapshot!(text);
}

/// Every node of a JSON tree, depth first.
fn nodes(tree: &Value) -> Vec<&Value> {
    let mut out = vec![tree];
    for child in tree["children"].as_array().into_iter().flatten() {
        out.extend(nodes(child));
    }
    out
}

#[test]
fn every_line_explained_is_the_line_run_pays_for_every_rep_and_month() {
    let out = compplan(&["run", "plans", "--data", "plans/data", "--period", "2026", "--format", "csv"]);
    let payouts = stdout(&out);
    let reps = std::fs::read_to_string(root().join("plans/data/reps.csv")).expect("reps");
    let mut compared = 0;
    for rep in reps.lines().skip(1).filter_map(|l| l.split(',').next()) {
        let json: Value = serde_json::from_str(&explain(&[
            "plans",
            "--data",
            "plans/data",
            "--period",
            "2026",
            "--rep",
            rep,
            "--format",
            "json",
        ]))
        .expect("JSON");
        assert_eq!(json["version"], 1);
        for tree in json["explanations"].as_array().expect("explanations") {
            // `rep · plan vN · period`
            let label = tree["label"].as_str().expect("label");
            let parts: Vec<&str> = label.split(" · ").collect();
            let (plan, period) = (parts[1].split(' ').next().expect("plan"), parts[2]);
            let row = |component: &str| format!("{period},{rep},{plan},{component},");
            let total = tree["value"].as_str().expect("total").trim_end_matches(" USD");
            assert!(payouts.contains(&format!("{}{total},USD", row("total"))), "{label}: total {total}");
            for node in nodes(tree) {
                let Some(name) = node["label"].as_str().and_then(|l| l.strip_prefix("earn ")) else { continue };
                let amount = node["value"].as_str().expect("value").trim_end_matches(" USD");
                assert!(payouts.contains(&format!("{}{amount},USD", row(name))), "{label}: {name} {amount}");
                compared += 1;
            }
        }
    }
    // 7 reps; the AEs have 3 earnings a month, Maria 1 a month, the partners 2 a quarter, Sofia 2 a month.
    assert!(compared > 100, "only {compared} lines compared");
}

#[test]
fn a_per_deal_line_of_100_01_is_shown_as_50_01_and_50_00() {
    // Two deals of 10,001.00 each pay 0.5% each: 50.005 + 50.005 = 100.01 exactly, one line. Shown per
    // deal, both parts round down to 50.00 with a remainder of half a cent; the missing cent goes to
    // the first deal: 50.01 + 50.00 = 100.01.
    let dir = scratch("explain-allocation");
    std::fs::create_dir_all(dir.join("data")).expect("data");
    for file in ["schema.plan", "crediting.plan"] {
        std::fs::copy(root().join("plans").join(file), dir.join(file)).expect("copy");
    }
    std::fs::write(
        dir.join("kicker.plan"),
        "plan kicker \"June kicker\" version 1 {\n  effective 2026-01-01 to 2026-12-31\n  currency USD\n  pay monthly\n  eligible when rep.role is \"AE\"\n  earn june = 0.5% of credit.amount per deal where deal.closed from 2026-06-01 to 2026-06-30\n}\n",
    )
    .expect("plan");
    for entry in std::fs::read_dir(root().join("plans/data")).expect("data") {
        let path = entry.expect("entry").path();
        let mut text = std::fs::read_to_string(&path).expect("csv");
        if path.ends_with("deals.csv") {
            text.push_str("J1,alice,10001,USD,2026-06-03,Platform,EMEA,new,false,,\nJ2,alice,10001,USD,2026-06-04,Platform,EMEA,new,false,,\n");
        }
        std::fs::write(dir.join("data").join(path.file_name().expect("name")), text).expect("write");
    }
    let folder = dir.to_str().expect("path");
    let data = dir.join("data");
    let text = explain(&[folder, "--data", data.to_str().expect("path"), "--period", "2026-06", "--rep", "alice"]);
    let text = text.replace(folder, "<plans>");
    assert!(text.contains("earn june: 100.01 USD"), "{text}");
    assert!(text.contains("deal J1: 50.01 USD  (direct credit, closed 2026-06-03; exact value 50.005: its part of the rounded line, by largest remainder)"), "{text}");
    assert!(text.contains("deal J2: 50.00 USD  (direct credit, closed 2026-06-04; exact value 50.005: its part of the rounded line, by largest remainder)"), "{text}");
}

#[test]
fn an_unknown_rep_and_a_rep_without_plans_are_told_apart() {
    let out = compplan(&["explain", "plans", "--data", "plans/data", "--period", "2026-03", "--rep", "alicia"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("no rep has the id `alicia`"), "{}", stderr(&out));
    // Bob is hired in April: nothing pays him in March.
    let text = explain(&["plans", "--data", "plans/data", "--period", "2026-03", "--rep", "bob"]);
    assert_eq!(text, "`bob` is paid by no plan in 2026-03\n");
}

#[test]
fn a_closed_period_is_explained_as_the_ledger_records_it() {
    // With March closed, explain shows what the record says was paid, and whether a recomputation
    // would change it (it would not: nothing changed since the close).
    let ledger = scratch("explain-ledger");
    let out = compplan(&[
        "close",
        "plans",
        "--data",
        "plans/data",
        "--ledger",
        ledger.to_str().unwrap(),
        "--period",
        "2026-03",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = explain(&[
        "plans",
        "--data",
        "plans/data",
        "--period",
        "2026-03",
        "--rep",
        "alice",
        "--ledger",
        ledger.to_str().unwrap(),
    ]);
    assert!(
        text.starts_with("alice · enterprise_ae v3 · 2026-03: 12900.00 USD  (closed: paid as the ledger records it)"),
        "{text}"
    );
    assert!(text.contains("├─ commission: 7400.00 USD  (as recorded)"), "{text}");
    assert!(text.contains("└─ earned, recomputed now: 12900.00 USD  (unchanged since the close)"), "{text}");
}

#[test]
fn caps_gates_and_rows_read_as_the_plan_writes_them() {
    // Pia's first quarter (the worked example of plans/partner.plan): the retroactive band reached, the cap
    // that binds (13,950 → 12,000) and the 50% gate, each with its line in plans/partner.plan.
    let text = explain(&["plans", "--data", "plans/data", "--period", "2026-Q1", "--rep", "pia"]);
    for expected in [
        "band 100.00% and above: 9.00%  (reached at 129.166666…%: 155000.00 × 9.00% on the whole base)  ← plans/partner.plan:16",
        "capped at 12000 USD per period: 12000.00 USD  (reached: the value is limited to it)  ← plans/partner.plan:23",
        "only when att >= 50%  (holds: the earning is paid)  ← plans/partner.plan:23",
        "interpolated: 5833.333333… USD  (at 129.166666…%, between 100.00% → 0.00 USD and 150.00% → 10000.00 USD)  ← plans/partner.plan:19",
    ] {
        assert!(text.contains(expected), "missing `{expected}` in:\n{text}");
    }
}

#[test]
fn limits_on_the_pay_period_and_a_wider_window_end_the_tree_at_the_line_paid() {
    // earn c = 10% of bookings ytd, capped at 1500 per quarter, floored at 100 per period.
    // January: 10,000 booked, ytd 1,000.00, trued up 1,000.00, paid 1,000.00 (no limit binds).
    // February: 8,000 more, ytd 1,800.00, trued up 800.00; the quarter already paid 1,000.00, so the
    // cap leaves 500.00: paid 500.00.
    // March: nothing booked, trued up 0.00; the floor lifts it to 100.00, then the cap (1,500.00
    // already paid this quarter) takes it back to 0.00: paid 0.00.
    let dir = scratch("explain-outer-limits");
    std::fs::create_dir_all(dir.join("data")).expect("data");
    std::fs::write(
        dir.join("c.plan"),
        "plan c \"Capped\" version 1 {\n  effective 2026-01-01 to 2026-12-31\n  currency USD\n  pay monthly\n  measure bookings = sum of credit.amount\n  earn c = 10% of bookings ytd, capped at 1500 USD per quarter, floored at 100 USD per period\n}\n",
    )
    .expect("plan");
    std::fs::write(
        dir.join("data/reps.csv"),
        "id,name,role,region,manager,hired,terminated,target_incentive\nz,Zoe,AE,EMEA,,2025-01-01,,50000\n",
    )
    .expect("reps");
    std::fs::write(
        dir.join("data/deals.csv"),
        "id,owner,amount,currency,closed,product,region,kind,new_logo,cancelled,paid\nZ1,z,10000,USD,2026-01-05,Platform,EMEA,new,false,,\nZ2,z,8000,USD,2026-02-05,Platform,EMEA,new,false,,\n",
    )
    .expect("deals");
    let plan = dir.join("c.plan");
    let data = dir.join("data");
    let month = |period: &str| {
        explain(&[
            plan.to_str().unwrap(),
            "tests/eval/shared/schema.plan",
            "tests/eval/shared/crediting.plan",
            "--data",
            data.to_str().unwrap(),
            "--period",
            period,
            "--rep",
            "z",
        ])
    };
    let january = month("2026-01");
    assert!(january.contains("earn c: 1000.00 USD") && !january.contains("line after the limits"), "{january}");
    let february = month("2026-02");
    for expected in [
        "earn c: 500.00 USD",
        "├─ capped at 1500 USD per quarter: 1500.00 USD  (bounds what the lines of the window add up to: reached this period)",
        "├─ floored at 100 USD per period: 100.00 USD  (bounds the line of each pay period)  ←",
        "├─ true-up against the ytd so far: 800.00 USD  (1800.00 through 2026-02 − 1000.00 through the previous period)",
        "└─ line after the limits: 500.00 USD  (capped at 1500.00 USD per quarter: 1000.00 USD paid earlier this quarter leaves 500.00 USD, 800.00 → 500.00)",
    ] {
        assert!(february.contains(expected), "missing `{expected}` in:\n{february}");
    }
    let march = month("2026-03");
    assert!(march.contains("earn c: 0.00 USD"), "{march}");
    assert!(
        march.contains("└─ line after the limits: 0.00 USD  (floored at 100.00 USD per period: 0.00 → 100.00; capped at 1500.00 USD per quarter: 1500.00 USD paid earlier this quarter leaves 0.00 USD, 100.00 → 0.00)"),
        "{march}"
    );
}

#[test]
fn tables_keyed_on_a_count_show_counts_not_money() {
    // Three deals in January: n = 3. `cnt` (retroactive) reaches its band "2 and above": 333.33 USD.
    // `pr` (marginal) on the count: 2 × 1% + 1 × 2% = 0.04, a number; pm = 1000 USD × 0.04 = 40.00.
    let dir = scratch("explain-count-bands");
    std::fs::create_dir_all(dir.join("data")).expect("data");
    std::fs::write(
        dir.join("k.plan"),
        "plan k \"Counts\" version 1 {\n  effective 2026-01-01 to 2026-12-31\n  currency USD\n  pay monthly\n  measure n = count of credit\n  table cnt retroactive on n period {\n    from 0 to 2 : 0 USD\n    2 and above : 333.33 USD\n  }\n  table pr marginal on n period {\n    from 0 to 2 : 1%\n    2 and above : 2%\n  }\n  earn cn = cnt\n  earn pm = 1000 USD * (pr of n period)\n}\n",
    )
    .expect("plan");
    std::fs::write(
        dir.join("data/reps.csv"),
        "id,name,role,region,manager,hired,terminated,target_incentive\nz,Zoe,AE,EMEA,,2025-01-01,,50000\n",
    )
    .expect("reps");
    let deals: String = (1..=3).map(|i| format!("Z{i},z,100,USD,2026-01-0{i},Platform,EMEA,new,false,,\n")).collect();
    std::fs::write(
        dir.join("data/deals.csv"),
        format!("id,owner,amount,currency,closed,product,region,kind,new_logo,cancelled,paid\n{deals}"),
    )
    .expect("deals");
    let (plan, data) = (dir.join("k.plan"), dir.join("data"));
    let text = explain(&[
        plan.to_str().unwrap(),
        "tests/eval/shared/schema.plan",
        "tests/eval/shared/crediting.plan",
        "--data",
        data.to_str().unwrap(),
        "--period",
        "2026-01",
        "--rep",
        "z",
    ]);
    for expected in [
        "├─ table cnt (retroactive): 333.33 USD  ←",
        "└─ band 2 and above: 333.33 USD  (reached at 3)  ←",
        "├─ table pr (marginal): 0.04  ←",
        "├─ band from 0 to 2: 0.02  (2 × 1.00% = 0.02)  ←",
        "└─ band 2 and above: 0.02  (1 × 2.00% = 0.02)  ←",
        "earn pm: 40.00 USD",
    ] {
        assert!(text.contains(expected), "missing `{expected}` in:\n{text}");
    }
    // Once under `cnt` with its rows, once under `pr`, which is keyed on it and applied to it.
    assert_eq!(text.matches("measure n period: 3").count(), 2, "{text}");
    assert!(!text.contains(".00 USD to") && !text.contains("at 3.00"), "{text}");
}

#[test]
fn a_clause_continued_with_comments_reads_without_them() {
    // Pia's capped commission again, its clauses continued over lines with comments in the breaks
    // and inside the cap's `min(…)`: the explanation quotes each clause on one line, comments left out.
    let dir = scratch("explain-commented-clauses");
    for entry in std::fs::read_dir(root().join("plans")).expect("plans") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "plan") {
            std::fs::copy(&path, dir.join(path.file_name().expect("a name"))).expect("copy");
        }
    }
    let partner = dir.join("partner.plan");
    let text = std::fs::read_to_string(&partner).expect("partner.plan");
    let one_line =
        "  earn commission = partner_rate of sales quarter, only when att >= 50%, capped at 12000 USD per period\n";
    assert!(text.contains(one_line));
    let commented = concat!(
        "  earn commission = partner_rate of sales quarter,  // tiers on quarterly attainment\n",
        "    // nothing below half the quota\n",
        "    only when att >= 50%,\n",
        "    capped at min(12000 USD,  // the contract's cap\n",
        "                  // the old cap, higher\n",
        "                  13000 USD) per period\n",
    );
    std::fs::write(&partner, text.replace(one_line, commented)).expect("write");
    let folder = dir.to_str().expect("utf-8 path");
    let text = explain(&[folder, "--data", "plans/data", "--period", "2026-Q1", "--rep", "pia"]);
    for expected in [
        format!("capped at min(12000 USD, 13000 USD) per period: 12000.00 USD  (reached: the value is limited to it)  ← {folder}/partner.plan:26"),
        format!("only when att >= 50%  (holds: the earning is paid)  ← {folder}/partner.plan:25"),
    ] {
        assert!(text.contains(&expected), "missing `{expected}` in:\n{text}");
    }
    assert!(!text.contains("//"), "{text}");
}

/// A bonus without a condition is paid at the end of its window, on the window's result: `explain`
/// says so, both in the periods it waits and in the period it is paid.
#[test]
fn a_bonus_without_a_condition_says_it_is_paid_at_the_end_of_the_window() {
    let dir = scratch("explain-once-per-year");
    let case = root().join("tests/eval/bonus_once_per_year_paid_at_the_end");
    crate::support::copy_dir(&case, &dir);
    for shared in ["schema.plan", "crediting.plan"] {
        std::fs::copy(root().join("tests/eval/shared").join(shared), dir.join(shared)).expect("copy");
    }
    let (plans, data) = (dir.display().to_string(), dir.join("data").display().to_string());
    let waiting = explain(&[&plans, "--data", &data, "--period", "2026-11", "--rep", "a"]);
    assert!(
        waiting.contains("once per year  (no condition: paid at the end of the year, on the year's result (in the rep's last pay period of the year); nothing now)"),
        "{waiting}"
    );
    // December: 130,000 / 120,000 = 108.33%, in the 5,000 USD band.
    let paid = explain(&[&plans, "--data", &data, "--period", "2026-12", "--rep", "a"]);
    for expected in [
        "earn year_bonus: 5000.00 USD",
        "once per year  (no condition: paid at the end of the year, on the year's result (in the rep's last pay period of the year); this is the rep's last pay period of the year: paid now)",
        "attainment att: 108.333333…%  (130000.00 / 120000.00)",
    ] {
        assert!(paid.contains(expected), "missing `{expected}` in:\n{paid}");
    }
}

/// Issue 13's explain bugs, on the bundled data with a plan of Alice's: a quota that is a number
/// of months is shown as a number; a retroactive rate table used bare shows its rate, not an
/// amount; a per-deal earning whose rate an attainment chooses shows the table, the band and the
/// attainment, and a reversal says which period's payment it takes back.
///
/// Alice's quota is 100,000 a month; by March her year reaches 300,000 of 300,000 (100% → 7.5%).
/// `ramp` = 100 USD × 3 months = 300.00. `per_deal`: A4 150,000 × 7.5% = 11,250 + A5 20,000 ×
/// 7.5% = 1,500, less A2's 1,500.00 paid in January at 5% (70,000 of 100,000): 11,250.00.
#[test]
fn numbers_rates_and_per_deal_rates_are_shown_as_what_they_are() {
    let dir = scratch("explain-numbers-and-rates");
    std::fs::write(
        dir.join("p.plan"),
        "plan p \"P\" version 1 {
  effective 2026-01-01 to 2026-12-31
  currency USD
  pay monthly
  eligible when rep.role is \"AE\"
  quota months = 12 split evenly by month
  quota q = quotas.amount split evenly by month
  measure bookings = sum of credit.amount
  attainment att = bookings ytd / q ytd
  earn ramp = 100 USD × months ytd
  table rate retroactive on att {
    from 0% to 100% : 5%
    100% and above : 7.5%
  }
  earn commission = bookings ytd × rate
  earn per_deal = rate of credit.amount per deal
}
",
    )
    .expect("plan");
    let plan = dir.join("p.plan");
    let text = explain(&[
        plan.to_str().unwrap(),
        "plans/schema.plan",
        "plans/crediting.plan",
        "--data",
        "plans/data",
        "--period",
        "2026-03",
        "--rep",
        "alice",
    ]);
    for expected in [
        "├─ earn ramp: 300.00 USD  ←",
        "│  ├─ quota months ytd: 3  ←",
        "│  │  ├─ 2026-01: 1\n",
        "├─ table rate (retroactive): 7.50%  ←",
        "├─ earn per_deal: 11250.00 USD  ←",
        "│  ├─ deal A2 reversed: -1500.00 USD  (direct credit, cancelled 2026-03-10; takes back what 2026-01 paid on it)",
        "│  ├─ deal A4: 11250.00 USD  (direct credit, closed 2026-03-05)",
    ] {
        assert!(text.contains(expected), "missing `{expected}` in:\n{text}");
    }
    // Under `per_deal`, before its deals: the table, its attainment (derived under `commission`)
    // and the band reached.
    let per_deal = &text[text.find("earn per_deal").expect("per_deal")..];
    let table = per_deal.find("table rate (retroactive): 7.50%").expect("the table under per_deal");
    let band = per_deal.find("band 100.00% and above: 7.50%  (reached at 100.00%)").expect("its band");
    assert!(table < band && band < per_deal.find("deal A2").expect("the deals"), "{per_deal}");
    assert!(!text.contains("0.075 USD") && !text.contains("1.00 USD\n"), "{text}");
}

#[test]
fn each_deal_of_a_per_deal_tier_shows_the_bands_its_amount_filled() {
    // tests/eval/per_deal_tiers_split_reversal_and_currency, rep c in March: C1 (30,000, paid in
    // January) is reversed and C2 (70,000) closes. Each deal is tiered on its own amount: C1's
    // reversal takes back 10,000 × 2% + 20,000 × 3% = 800; C2 fills all three bands,
    // 200 + 1,200 + 800 = 2,200; the line is 1,400.00.
    let case = "tests/eval/per_deal_tiers_split_reversal_and_currency";
    let text = explain(&[
        &format!("{case}/deal_tiers.plan"),
        "tests/eval/shared/schema.plan",
        "tests/eval/shared/crediting.plan",
        "--data",
        &format!("{case}/data"),
        "--period",
        "2026-03",
        "--rep",
        "c",
    ]);
    let plan = format!("{case}/deal_tiers.plan");
    for expected in [
        "├─ earn tiered: 1400.00 USD".to_string(),
        "deal C1 reversed: -800.00 USD  (direct credit, cancelled 2026-03-10; takes back what 2026-01 paid on it)".to_string(),
        format!("table deal_rate (marginal): 800.00 USD  (as the deal was paid, taken back)  ← {plan}:6"),
        format!("band from 10000.00 USD to 50000.00 USD: 600.00 USD  (20000.00 × 3.00% = 600.00)  ← {plan}:8"),
        "deal C2: 2200.00 USD  (direct credit, closed 2026-03-15)".to_string(),
        format!("band from 0.00 USD to 10000.00 USD: 200.00 USD  (10000.00 × 2.00% = 200.00)  ← {plan}:7"),
        format!("band from 10000.00 USD to 50000.00 USD: 1200.00 USD  (40000.00 × 3.00% = 1200.00)  ← {plan}:8"),
        format!("band 50000.00 USD and above: 800.00 USD  (20000.00 × 4.00% = 800.00)  ← {plan}:9"),
        // The retroactive table: the whole deal at the rate of the band its amount reached.
        format!(
            "band 50000.00 USD and above: 4.00%  (reached at 70000.00 USD: 70000.00 × 4.00% on the whole base)  ← {plan}:14"
        ),
        // The curve: 70,000 between its two points.
        "interpolated: 700.00 USD  (at 70000.00 USD, between 0.00 USD → 0.00 USD and 100000.00 USD → 1000.00 USD)"
            .to_string(),
    ] {
        assert!(text.contains(&expected), "missing `{expected}` in:\n{text}");
    }
    // The marginal table is shown once for each deal, with that deal's bands.
    assert_eq!(text.matches("table deal_rate (marginal)").count(), 2, "{text}");
}

#[test]
fn each_line_of_a_lookup_of_rates_and_amounts_shows_the_row_that_paid_it() {
    let case = "tests/eval/lookup_of_rates_and_amounts";
    let text = explain(&[
        &format!("{case}/fees.plan"),
        "tests/eval/shared/schema.plan",
        "tests/eval/shared/crediting.plan",
        "--data",
        &format!("{case}/data"),
        "--period",
        "2026-02",
        "--rep",
        "l",
    ]);
    let plan = format!("{case}/fees.plan");
    for expected in [
        // F2 (Hardware, 5,000) paid 20.00 in January; its cancellation takes back those 20.00.
        "deal F2 reversed: -20.00 USD  (direct credit, cancelled 2026-02-10; takes back what 2026-01 paid on it)"
            .to_string(),
        format!("table line_fee (lookup): 20.00 USD  (as the deal was paid, taken back)  ← {plan}:6"),
        format!(
            "row \"Hardware\": 20.00 USD  (the key is \"Hardware\"; this row pays its amount for the line, not a rate of it)  ← {plan}:8"
        ),
        // F5 (Services, 333.33): 15% of the line, 49.9995.
        format!("table line_fee (lookup): 49.9995 USD  ← {plan}:6"),
        format!("row \"Services\": 15.00%  (the key is \"Services\")  ← {plan}:7"),
    ] {
        assert!(text.contains(&expected), "missing `{expected}` in:\n{text}");
    }
}

#[test]
fn a_partial_reversal_names_the_part_it_takes_back() {
    let case = "tests/eval/partial_clawback_half_of_each_credit";
    let text = explain(&[
        &format!("{case}/ae.plan"),
        &format!("{case}/crediting.plan"),
        "tests/eval/shared/schema.plan",
        "--data",
        &format!("{case}/data"),
        "--period",
        "2026-02",
        "--rep",
        "a",
    ]);
    // H1's 100 USD SPIFF was paid in January; `clawback 50% …` takes back half of it, 50.00.
    let expected =
        "deal H1 reversed: -50.00 USD  (direct credit, cancelled 2026-02-15; takes back 50.00% of what 2026-01 paid on it)";
    assert!(text.contains(expected), "missing `{expected}` in:\n{text}");
}

#[test]
fn deals_paid_in_order_show_the_running_total_each_found_and_the_bands_it_filled() {
    // tests/eval/deals_paid_in_order_band_rate_by_product, March: quota 10,000; D1 6,000 (03-03),
    // D2 7,000 (03-10, an Add-on), D3 2,000 (03-20, Platform), listed out of order in deals.csv.
    // In credit-date order: D1 240.00; D2 4,000 × 4% + 3,000 × 6% = 340.00; D3 2,000 × 10% = 200.00.
    let case = "tests/eval/deals_paid_in_order_band_rate_by_product";
    let text = explain(&[
        &format!("{case}/by_product.plan"),
        "tests/eval/shared/schema.plan",
        "tests/eval/shared/crediting.plan",
        "--data",
        &format!("{case}/data"),
        "--period",
        "2026-03",
        "--rep",
        "ana",
    ]);
    let plan = format!("{case}/by_product.plan");
    let expected = [
        "├─ earn commission: 780.00 USD".to_string(),
        "deal D1: 240.00 USD  (direct credit, closed 2026-03-03)".to_string(),
        "running total: 0.00 USD  (`bookings period` before this deal".to_string(),
        "deal D2: 340.00 USD  (direct credit, closed 2026-03-10)".to_string(),
        "running total: 6000.00 USD".to_string(),
        format!("band from 0.00% to 100.00%: 160.00 USD  (the running total from 6000.00 to 10000.00: 4000.00 × 4.00% = 160.00)  ← {plan}:17"),
        format!("band 100.00% and above: 180.00 USD  (the running total from 10000.00 to 13000.00: 3000.00 × 6.00% from product_rate = 180.00)  ← {plan}:18"),
        "deal D3: 200.00 USD  (direct credit, closed 2026-03-20)".to_string(),
        "running total: 13000.00 USD".to_string(),
        "the bands are multiples of the quota `q period`, 10000.00 USD".to_string(),
        format!("band 100.00% and above: 200.00 USD  (the running total from 13000.00 to 15000.00: 2000.00 × 10.00% from product_rate = 200.00)  ← {plan}:18"),
    ];
    // In the order the deals are paid, not the order of the file.
    let mut from = 0;
    for line in expected {
        let at = text[from..].find(&line).map(|i| i + from);
        assert!(at.is_some(), "missing `{line}` after byte {from} in:\n{text}");
        from = at.unwrap_or(from);
    }
}

#[test]
fn a_tier_on_what_the_earning_has_paid_shows_the_base_each_band_took() {
    // tests/eval/tiers_on_what_the_plan_has_paid, Cy in February: C1's cancellation takes back
    // 6,000; C3 30,000 finds 14,333.33… collected: the room of 5,666.66… at 30% takes 18,888.88…
    // of its base, the other 11,111.11… pays 10%: 6,777.77…; the line is 777.78.
    let case = "tests/eval/tiers_on_what_the_plan_has_paid";
    let text = explain(&[
        &format!("{case}/brokerage.plan"),
        "tests/eval/shared/schema.plan",
        "tests/eval/shared/crediting.plan",
        "--data",
        &format!("{case}/data"),
        "--period",
        "2026-02",
        "--rep",
        "cy",
    ]);
    for expected in [
        "├─ earn company: 777.78 USD",
        "deal C1 reversed: -6000.00 USD  (direct credit, cancelled 2026-02-15; takes back what 2026-01 paid on it)",
        "paid so far: 14333.333333… USD  (what `company ytd` had paid before this deal",
        "band from 0.00 USD to 20000.00 USD: 5666.666666… USD  (paid from 14333.333333… to 20000.00: 18888.888888… × 30.00% from first_rate = 5666.666666…)",
        "band 20000.00 USD and above: 1111.111111… USD  (paid from 20000.00 to 21111.111111…: 11111.111111… × 10.00% = 1111.111111…)",
    ] {
        assert!(text.contains(expected), "missing `{expected}` in:\n{text}");
    }
}
/// An earning read by another (issue 12, §5) shows the sum it read and each pay period's exact
/// line in the window, before rounding: February's loyalty reads January's 10,000.015 (paid as
/// 10,000.02) and February's 5,000.01, 15,000.025 in all, and 5% of it is 750.00125.
#[test]
fn an_earning_read_by_another_lists_its_exact_lines_in_the_window() {
    let dir = scratch("explain-earning-read");
    let case = root().join("tests/eval/earning_read_ytd_across_periods");
    crate::support::copy_dir(&case, &dir);
    for shared in ["schema.plan", "crediting.plan"] {
        std::fs::copy(root().join("tests/eval/shared").join(shared), dir.join(shared)).expect("copy");
    }
    let (plans, data) = (dir.display().to_string(), dir.join("data").display().to_string());
    let tree = explain(&[&plans, "--data", &data, "--period", "2026-02", "--rep", "k"]);
    for expected in [
        "earn loyalty: 250.00 USD",
        "earning commission ytd: 15000.025 USD  (the sum of its lines in the window, before rounding, holds not deducted)",
        "commission, 2026-01: 10000.015 USD",
        "commission, 2026-02: 5000.01 USD",
        "value, ytd: 750.00125 USD",
        "earning commission period: 5000.01 USD",
    ] {
        assert!(tree.contains(expected), "missing `{expected}` in:\n{tree}");
    }
}

/// An override on the team's earnings (issue 12, §5) lists each report's contribution with the
/// plan line it was earned under: A 1,000.00, B 2,500.00 and C 600.00 below M (C through B), and
/// only A and B as direct reports.
#[test]
fn an_override_on_the_team_lists_each_reports_line_with_its_plan_line() {
    let dir = scratch("explain-team-override");
    let case = root().join("tests/eval/override_on_the_team_commission");
    crate::support::copy_dir(&case, &dir);
    for shared in ["schema.plan", "crediting.plan"] {
        std::fs::copy(root().join("tests/eval/shared").join(shared), dir.join(shared)).expect("copy");
    }
    let (plans, data) = (dir.display().to_string(), dir.join("data").display().to_string());
    let tree = explain(&[&plans, "--data", &data, "--period", "2026-03", "--rep", "m"]);
    for expected in [
        "earn team_override: 164.00 USD",
        "commission period of every rep below: 4100.00 USD",
        "rep a · ae commission, 2026-03: 1000.00 USD  ← ",
        "rep b · ae commission, 2026-03: 2500.00 USD  ← ",
        "rep c · ae commission, 2026-03: 600.00 USD  ← ",
        "ae.plan:7",
        "earn direct_override: 140.00 USD",
        "commission period of direct reports: 3500.00 USD",
    ] {
        assert!(tree.contains(expected), "missing `{expected}` in:\n{tree}");
    }
    let direct = tree.split("earn direct_override").nth(1).unwrap_or_default();
    assert!(!direct.contains("rep c ·"), "c reports to b, not to m:\n{tree}");
}

#[test]
fn instalments_and_retention_show_each_part_and_what_is_kept_back() {
    // February: commission 100.00 in 3 instalments (33.33 now, 33.33 in March, 33.34 in April),
    // a third of the 10.00 SPIFF (3.33) held a month; January's second part (200.00) and its held
    // SPIFF third (20.00) fall due.
    let case = "tests/eval/instalments_a_third_each_month";
    let data = format!("{case}/data");
    let text = explain(&[case, "tests/eval/shared", "--data", &data, "--period", "2026-02", "--rep", "t"]);
    for expected in [
        "├─ hold: -70.00 USD  (held back, paid when it falls due)",
        "│  ├─ held from commission, due from 2026-03: -33.33 USD",
        "│  ├─ held from commission, due from 2026-04: -33.34 USD",
        "│  └─ held from spiff, due from 2026-03: -3.33 USD",
        "├─ release: 220.00 USD  (held in an earlier period, due now)",
        "│  ├─ released from commission, due from 2026-02: 200.00 USD",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
    // Q3 keeps back 10% of the year to date 7,000 = 700, where Q2 kept 1,500: 800.00 released.
    let case = "tests/eval/retention_on_the_year_to_date";
    let data = format!("{case}/data");
    let text = explain(&[case, "tests/eval/shared", "--data", &data, "--period", "2026-Q3", "--rep", "r"]);
    let expected = "│  └─ retained commission: 800.00 USD  (10.00% of the year to date 7000.00 USD kept back: 700.00 USD (was 1500.00 USD))";
    assert!(text.contains(expected), "missing {expected:?} in\n{text}");
}
