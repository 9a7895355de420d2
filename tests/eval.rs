//! Runtime cases: each `tests/eval/<case>/` holds plans, a `data/` folder and an `expected.csv`
//! written by hand, with the arithmetic in `#` comments. The case's plans are checked together with
//! `tests/eval/shared/*.plan` (unless the case has a file of the same name), evaluated for the
//! periods its `# period:` line names, and the payout rows must equal the expected ones exactly.
//! An `expected_attainment.csv` is compared the same way.

use compplan::data::Input;
use compplan::diagnostics::render;
use compplan::eval::{self, Request};
use compplan::{check, pipeline, report, CompDb};
use std::path::{Path, PathBuf};

struct Expected {
    periods: Vec<String>,
    rep: Option<String>,
    csv: String,
}

fn read_expected(path: &Path) -> Option<Expected> {
    let text = std::fs::read_to_string(path).ok()?;
    let mut periods = Vec::new();
    let mut rep = None;
    let mut csv = String::new();
    for line in text.lines() {
        if let Some(comment) = line.strip_prefix('#') {
            let comment = comment.trim();
            if let Some(p) = comment.strip_prefix("period:") {
                periods.extend(p.split(',').map(|s| s.trim().to_string()));
            } else if let Some(r) = comment.strip_prefix("rep:") {
                rep = Some(r.trim().to_string());
            }
        } else if !line.trim().is_empty() {
            csv.push_str(line);
            csv.push('\n');
        }
    }
    Some(Expected { periods, rep, csv })
}

/// Runs a workspace folder on a data folder for one period, through the library's pipeline; the
/// problems rendered as `compplan` prints them otherwise.
pub fn run_case(
    plans: Vec<(String, String)>,
    data_dir: &Path,
    period: &str,
    rep: Option<String>,
) -> Result<eval::Report, String> {
    let mut open = |table: &str| -> Result<Option<Input>, String> {
        let path = data_dir.join(format!("{table}.csv"));
        match std::fs::File::open(&path) {
            Ok(f) => Ok(Some(Input { path: format!("data/{table}.csv"), reader: Box::new(f), size: None })),
            Err(_) => Ok(None),
        }
    };
    let request = Request { period: period.parse().map_err(|e: String| e)?, rep, ledger: None };
    match pipeline::run(plans, &mut open, &request) {
        Ok(run) if run.report.errors.is_empty() => Ok(run.report),
        Ok(run) => Err(render::plain(run.plans.db(), &run.plans.rep_errors(&run.report.errors))),
        Err(failed) if failed.diagnostics().is_empty() => Err(format!("{:?}", failed.stop)),
        Err(failed) => Err(render::plain(failed.plans.db(), failed.diagnostics())),
    }
}

fn case_plans(case: &Path) -> Vec<(String, String)> {
    let shared = crate::support::root().join("tests/eval/shared");
    let mut sources = crate::support::plan_sources(case, case);
    for (name, text) in crate::support::plan_sources(&shared, &shared) {
        if !sources.iter().any(|(n, _)| *n == name) {
            sources.push((format!("shared/{name}"), text));
        }
    }
    sources
}

fn cases() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(crate::support::root().join("tests/eval"))
        .expect("tests/eval exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir() && p.join("expected.csv").exists())
        .collect();
    dirs.sort();
    dirs
}

#[test]
fn every_case_pays_exactly_what_was_computed_by_hand() {
    let cases = cases();
    assert!(cases.len() >= 13, "the construct cases are all there");
    let mut failures = Vec::new();
    for case in cases {
        let name = case.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
        let expected = read_expected(&case.join("expected.csv")).expect("expected.csv");
        assert!(!expected.periods.is_empty(), "{name}: expected.csv needs a `# period:` line");
        let plans = case_plans(&case);
        let mut payouts = Vec::new();
        let mut attainment = Vec::new();
        for period in &expected.periods {
            match run_case(plans.clone(), &case.join("data"), period, expected.rep.clone()) {
                Ok(r) => {
                    payouts.extend(r.payouts().cloned());
                    attainment.extend(r.attainment().cloned());
                }
                Err(e) => failures.push(format!("{name} ({period}) failed:\n{e}")),
            }
        }
        let got = report::payouts_csv(&payouts);
        if got != expected.csv {
            failures.push(format!("{name}: payouts differ\n--- expected\n{}--- computed\n{got}", expected.csv));
        }
        if let Some(expected_attainment) = read_expected(&case.join("expected_attainment.csv")) {
            let got = report::attainment_csv(&attainment);
            if got != expected_attainment.csv {
                failures.push(format!(
                    "{name}: attainment differs\n--- expected\n{}--- computed\n{got}",
                    expected_attainment.csv
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The worked examples of the bundled plans (their `test` blocks), on the bundled data: their rows, and
/// one row more: `2026-05,bob,…,balance,0.00` (the output contract writes a balance of 0.00 in the
/// period that clears one; Bob's May recovery of 1,600 clears his draw balance).
#[test]
fn the_worked_examples_of_the_bundled_plans() {
    let root = crate::support::root();
    let plans = crate::support::plan_sources(&root.join("plans"), root);
    let data = root.join("plans/data");
    let keep = |reps: &[&str], rows: Vec<compplan::eval::PayoutRow>| {
        rows.into_iter().filter(|r| reps.contains(&&*r.rep)).collect::<Vec<_>>()
    };
    let mut first = Vec::new();
    for period in ["2026-03", "2026-04", "2026-05"] {
        let report = run_case(plans.clone(), &data, period, None).expect("the example runs");
        first.extend(keep(&["alice", "bob", "maria"], report.payouts().cloned().collect()));
    }
    let expected_first = "\
period,rep,plan,component,amount,currency
2026-03,alice,enterprise_ae,commission,7400.00,USD
2026-03,alice,enterprise_ae,quarter_bonus,5000.00,USD
2026-03,alice,enterprise_ae,new_logo,500.00,USD
2026-03,alice,enterprise_ae,total,12900.00,USD
2026-03,maria,sales_manager,override,2800.00,USD
2026-03,maria,sales_manager,total,2800.00,USD
2026-04,alice,enterprise_ae,commission,-1000.00,USD
2026-04,alice,enterprise_ae,quarter_bonus,0.00,USD
2026-04,alice,enterprise_ae,new_logo,0.00,USD
2026-04,alice,enterprise_ae,deferred,1000.00,USD
2026-04,alice,enterprise_ae,total,0.00,USD
2026-04,alice,enterprise_ae,balance,-1000.00,USD
2026-04,bob,enterprise_ae,commission,400.00,USD
2026-04,bob,enterprise_ae,quarter_bonus,0.00,USD
2026-04,bob,enterprise_ae,new_logo,0.00,USD
2026-04,bob,enterprise_ae,draw,1600.00,USD
2026-04,bob,enterprise_ae,total,2000.00,USD
2026-04,bob,enterprise_ae,balance,-1600.00,USD
2026-04,maria,sales_manager,override,200.00,USD
2026-04,maria,sales_manager,total,200.00,USD
2026-05,alice,enterprise_ae,commission,-1000.00,USD
2026-05,alice,enterprise_ae,quarter_bonus,0.00,USD
2026-05,alice,enterprise_ae,new_logo,0.00,USD
2026-05,alice,enterprise_ae,deferred,1000.00,USD
2026-05,alice,enterprise_ae,total,0.00,USD
2026-05,alice,enterprise_ae,balance,-2000.00,USD
2026-05,bob,enterprise_ae,commission,7200.00,USD
2026-05,bob,enterprise_ae,quarter_bonus,0.00,USD
2026-05,bob,enterprise_ae,new_logo,0.00,USD
2026-05,bob,enterprise_ae,recovery,-1600.00,USD
2026-05,bob,enterprise_ae,total,5600.00,USD
2026-05,bob,enterprise_ae,balance,0.00,USD
2026-05,maria,sales_manager,override,3000.00,USD
2026-05,maria,sales_manager,total,3000.00,USD
";
    assert_eq!(report::payouts_csv(&first), expected_first);

    // Maria in January and February: 2% of 70,000 and of 90,000.
    let january = run_case(plans.clone(), &data, "2026-01", Some("maria".into())).expect("runs");
    let february = run_case(plans.clone(), &data, "2026-02", Some("maria".into())).expect("runs");
    assert_eq!(january.payouts().next().map(|r| r.amount.to_string()).as_deref(), Some("1400.00"));
    assert_eq!(february.payouts().next().map(|r| r.amount.to_string()).as_deref(), Some("1800.00"));

    let march = run_case(plans.clone(), &data, "2026-03", Some("alice".into())).expect("runs");
    assert_eq!(
        report::attainment_csv(march.attainment()),
        "period,rep,plan,attainment,measure,value,quota,percent\n2026-03,alice,enterprise_ae,att,bookings,300000.00,300000.00,100.00\n"
    );

    let partner_rows = "\
period,rep,plan,component,amount,currency
2026-Q1,pia,partner,commission,12000.00,USD
2026-Q1,pia,partner,kicker,5833.33,USD
2026-Q1,pia,partner,total,17833.33,USD
2026-Q1,raj,partner,commission,3500.00,USD
2026-Q1,raj,partner,kicker,0.00,USD
2026-Q1,raj,partner,total,3500.00,USD
2026-Q1,sam,partner,commission,0.00,USD
2026-Q1,sam,partner,kicker,0.00,USD
2026-Q1,sam,partner,total,0.00,USD
";
    let partner_attainment = "\
period,rep,plan,attainment,measure,value,quota,percent
2026-Q1,pia,partner,att,sales,155000.00,120000.00,129.17
2026-Q1,raj,partner,att,sales,50000.00,60645.16,82.45
2026-Q1,sam,partner,att,sales,50000.00,120000.00,41.67
";
    // `2026-Q1` names the partner plan's own quarter (February to April); `2026-04` is the month it
    // ends in: both select it.
    for period in ["2026-Q1", "2026-04"] {
        let report = run_case(plans.clone(), &data, period, None).expect("runs");
        let rows = keep(&["pia", "raj", "sam"], report.payouts().cloned().collect());
        assert_eq!(report::payouts_csv(&rows), partner_rows, "{period}");
        let attainment: Vec<_> = report.attainment().filter(|a| &*a.plan == "partner").collect();
        assert_eq!(report::attainment_csv(attainment.iter().copied()), partner_attainment, "{period}");
    }
}

/// A plan beside the bundled ones that filters deals by a range of dates, which the runtime reads
/// with a typed comparison, and by the same range written with `>=` and `<=`, which it evaluates in
/// general.
fn with_march_plan(condition: &str) -> Vec<(String, String)> {
    let root = crate::support::root();
    let mut plans = crate::support::plan_sources(&root.join("plans"), root);
    plans.push((
        "march.plan".to_string(),
        format!(
            "plan march \"March\" version 1 {{
  effective 2026-01-01 to 2026-12-31
  currency USD
  pay monthly
  eligible when rep.role is \"AE\"
  measure by_range = sum of credit.amount where {condition}
  measure by_compare = sum of credit.amount where deal.closed >= 2026-03-01 and deal.closed <= 2026-03-31
  earn range_line = 1% of by_range ytd
  earn compare_line = 1% of by_compare ytd
}}
"
        ),
    ));
    plans
}

#[test]
fn a_typed_date_range_agrees_with_the_general_evaluator() {
    let data = crate::support::root().join("plans/data");
    let report = run_case(with_march_plan("deal.closed from 2026-03-01 to 2026-03-31"), &data, "2026-03", None)
        .expect("the plan runs");
    let line = |component: &str| {
        report
            .payouts()
            .find(|r| &*r.rep == "alice" && &*r.plan == "march" && r.component.name() == component)
            .map(|r| r.amount)
    };
    // Alice closed A4 (150,000) and A5 (20,000) in March; A2's reversal is dated in March but the
    // deal closed in January. 1% of 170,000 is 1,700.00, by either condition.
    assert_eq!(line("range_line"), Some(rust_decimal::Decimal::new(170000, 2)));
    assert_eq!(line("range_line"), line("compare_line"));

    // An empty optional date is an error either way (the typed path hands it to the general one).
    let empty = run_case(with_march_plan("deal.paid from 2026-03-01 to 2026-03-31"), &data, "2026-03", None)
        .expect_err("paid is empty for some deals");
    assert!(empty.contains("is empty"), "{empty}");
}

/// A territory whose condition reads an empty optional cell cannot say whether a deal is in it: the
/// run stops at that cell, rather than crediting nobody without a word.
#[test]
fn a_territory_that_cannot_be_decided_stops_the_run_at_its_cell() {
    let case = crate::support::root().join("tests/eval/territory_named_by_rep_id");
    let dir = crate::support::scratch("undecided-territory");
    crate::support::copy_dir(&case, &dir);
    std::fs::copy(crate::support::root().join("tests/eval/shared/schema.plan"), dir.join("schema.plan")).expect("copy");
    let crediting = std::fs::read_to_string(dir.join("crediting.plan")).expect("crediting");
    let crediting = crediting.replace("when deal.region is \"EMEA\"", "when deal.paid >= 2026-01-01");
    std::fs::write(dir.join("crediting.plan"), crediting).expect("write");
    std::fs::remove_file(dir.join("expected.csv")).expect("remove");
    let (plans, data) = (dir.display().to_string(), dir.join("data").display().to_string());
    let out = crate::support::compplan(&["run", &plans, "--data", &data, "--period", "2026-01"]);
    let err = crate::support::stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("error[E0803]: the territory `alice` cannot be decided for this deal"), "{err}");
    assert!(err.contains("data/deals.csv:2:54"), "the blank `paid` cell of D1:\n{err}");
    assert!(crate::support::stdout(&out).is_empty(), "nothing is paid");
}

/// The credit currency is decided once, by the checker, and the runtime credits in it. Deals in their
/// own currencies without a `convert` rule are credited in the one currency the plans pay in: a
/// second plan currency is refused by `check` (it used to check clean, then stop the run with E0710
/// on the first deal in the other currency).
#[test]
fn the_credit_currency_is_decided_once_by_the_checker() {
    let fixture = crate::support::root().join("tests/check/E0509_plans_disagree_on_the_credit_currency.plan");
    let both = std::fs::read_to_string(fixture).expect("fixture");
    let dir = crate::support::scratch("credit-currency");
    std::fs::write(dir.join("reps.csv"), "id,name\nana,Ana\nbo,Bo\n").expect("reps");
    std::fs::write(
        dir.join("deals.csv"),
        "id,owner,amount,currency,closed\nE1,ana,1000,EUR,2026-01-10\nE2,bo,3000,EUR,2026-01-20\n",
    )
    .expect("deals");
    let err = run_case(vec![("both.plan".into(), both.clone())], &dir, "2026-01", None).expect_err("check refuses it");
    assert!(err.contains("error[E0509]: plan `americas` pays in USD, but credit is kept in EUR"), "{err}");

    // The EUR plan alone: credit is kept in EUR. Ana: 5% × 1,000 = 50.00; Bo: 5% × 3,000 = 150.00.
    let emea = both.split("plan americas").next().expect("the first plan").to_string();
    let db = CompDb::default();
    let ws = db.workspace(vec![("emea.plan".into(), emea.clone())]);
    assert_eq!(check::workspace_model(&db, ws).crediting.as_ref().and_then(|c| c.currency.as_deref()), Some("EUR"));
    let report = run_case(vec![("emea.plan".into(), emea)], &dir, "2026-01", None).expect("runs");
    assert_eq!(
        report::payouts_csv(report.payouts()),
        "period,rep,plan,component,amount,currency
2026-01,ana,emea,commission,50.00,EUR
2026-01,ana,emea,total,50.00,EUR
2026-01,bo,emea,commission,150.00,EUR
2026-01,bo,emea,total,150.00,EUR
"
    );
}

/// A draw counts its months from a date of the rep: a rep whose date is empty has no draw months to
/// count, which stops the rep's evaluation (it used to pay no draw, without a word).
#[test]
fn a_draw_from_an_empty_date_of_the_rep_is_an_error_not_no_draw() {
    let root = crate::support::root();
    let mut plans = case_plans(&root.join("tests/eval/territory_named_by_rep_id"));
    plans.retain(|(name, _)| name.starts_with("shared/schema"));
    let crediting = std::fs::read_to_string(root.join("tests/eval/shared/crediting.plan")).expect("crediting");
    plans.push(("crediting.plan".into(), crediting));
    plans.push((
        "draw.plan".into(),
        "plan draw \"Draw\" version 1 {
  effective 2026-01-01 to 2026-12-31
  currency USD
  pay monthly
  measure b = sum of credit.amount
  earn c = 10% of b period
  draw recoverable 2000 USD per month for 3 months from rep.terminated
}
"
        .into(),
    ));
    let data = root.join("tests/eval/territory_named_by_rep_id/data");
    let err = run_case(plans, &data, "2026-01", Some("alice".into())).expect_err("alice has no termination date");
    assert!(err.contains("E0803") && err.contains("`rep.terminated` is empty for this rep"), "{err}");
}

/// In the first month of the plan year the year to date is the month itself: deals paid in order on
/// the year-to-date attainment add up, for every rep, to what the month-level marginal table pays
/// (the same bands, the same bookings, taken deal by deal). A differential check of the running total
/// on generated data (the benchmark's plans, 60 reps closing deals all year).
#[test]
fn deals_paid_in_order_add_up_to_the_month_level_marginal_in_the_first_month() {
    let root = crate::support::root();
    let data = crate::support::scratch("in-order-differential");
    let out = crate::support::compplan(&["gen", "--reps", "60", "--deals", "4000", "--out", &data.to_string_lossy()]);
    assert_eq!(out.status.code(), Some(0), "{}", crate::support::stderr(&out));
    let mut plans = crate::support::plan_sources(&root.join("bench/plans"), root);
    let (_, text) = plans.iter_mut().find(|(name, _)| name.ends_with("enterprise_ae.plan")).expect("the AE plan");
    let commission = "  earn commission = base_rate of bookings ytd, capped at 3 × rep.target_incentive per year\n";
    assert!(text.contains(commission), "the AE plan's commission line");
    *text = text.replace(
        commission,
        &format!(
            "{commission}  earn in_order = base_rate of credit.amount per deal where deal.kind is not \"renewal\"\n"
        ),
    );
    let report = run_case(plans, &data, "2026-01", None).expect("the plans run");
    let line = |rep: &str, component: &str| {
        report.payouts().find(|r| &*r.rep == rep && r.component.name() == component).map(|r| r.amount)
    };
    let reps: Vec<String> =
        report.payouts().filter(|r| r.component.name() == "in_order").map(|r| r.rep.to_string()).collect();
    let paid = reps.iter().filter(|rep| line(rep, "in_order").is_some_and(|a| !a.is_zero())).count();
    assert!(paid >= 10, "many reps are paid on January deals: {paid} of {}", reps.len());
    for rep in &reps {
        assert_eq!(line(rep, "in_order"), line(rep, "commission"), "{rep}");
    }
}

/// A manager whose override reads a rep below who cannot be paid (here c, whose attainment has no
/// quota: E0800) is not paid either: the error names the rep below, never a silent 0 for their part.
#[test]
fn an_override_on_a_rep_who_cannot_be_paid_is_an_error_naming_that_rep() {
    let case = crate::support::root().join("tests/eval/override_on_the_team_commission");
    let mut plans = case_plans(&case);
    for (_, text) in &mut plans {
        *text = text.replace(
            "  earn commission = 10% of bookings period",
            "  quota q = quotas.amount split evenly by month\n  attainment att = bookings period / q period\n  earn commission = 10% of bookings period, only when att >= 0%",
        );
    }
    let dir = crate::support::scratch("override-on-a-failed-rep");
    for table in ["reps", "deals"] {
        std::fs::copy(case.join(format!("data/{table}.csv")), dir.join(format!("{table}.csv"))).expect("copy");
    }
    // Quotas for a and b only: c's attainment is undefined.
    std::fs::write(dir.join("quotas.csv"), "rep,year,amount\na,2026,120000\nb,2026,120000\n").expect("write");
    let failed = run_case(plans, &dir, "2026-03", Some("m".to_string())).expect_err("m cannot be paid");
    assert!(failed.contains("rep `c` below could not be paid"), "{failed}");
    assert!(failed.contains("E0800"), "{failed}");
}
