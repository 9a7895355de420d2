//! `compplan diff`: the base plans against edited copies of them, on the bundled data; the amounts
//! are worked out by hand below, and `compplan run` on each side gives the same. Then the
//! comparison itself on rows built by hand: order, rows on one side only, currencies.

use crate::support::{compplan, copy_dir, root, scratch, stderr, stdout, Scratch};
use std::path::Path;
use std::process::Command;

/// A copy of the bundled `plans/` folder (plans and data) with text replaced in some plan files;
/// each replacement must happen.
fn plans_with(name: &str, edits: &[(&str, &str, &str)]) -> Scratch {
    let dir = scratch(name);
    copy_dir(&root().join("plans"), &dir.join("plans"));
    for (file, from, to) in edits {
        let path = dir.join("plans").join(file);
        let text = std::fs::read_to_string(&path).expect("plan");
        assert!(text.contains(from), "{file} has `{from}`");
        std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
    }
    dir
}

/// `diff --base BASE --data plans/data --period PERIOD <working> [more]`.
fn diff(base: &str, working: &Path, period: &str, more: &[&str]) -> std::process::Output {
    let working = working.to_str().expect("UTF-8 path");
    compplan(&[&["diff", "--base", base, "--data", "plans/data", "--period", period, working][..], more].concat())
}

/// The 50%–100% tier of `enterprise_ae` from 6% to 7%.
const AE_TIER: (&str, &str, &str) = ("enterprise_ae.plan", "from 50%  to 100% : 6%", "from 50%  to 100% : 7%");

// Who is affected in March 2026. Only alice is an AE paid in March (bob is hired in April);
// maria's override and sofia's meetings do not read the AE plan's table.
//
// alice's bookings (non-renewal credit, year to date): A1 40,000 + A2 30,000 (January) + A3 90,000
// (February) + A4 150,000 + A5 20,000 − A2 30,000 clawed back (cancelled 2026-03-10, within 90
// days) = 300,000 through March; 160,000 through February. Her quota is 1,200,000 a year, 100,000
// a month: attainment 100% through March (300,000 / 300,000), 80% through February.
// The table is marginal: each slice of bookings is paid at its tier's rate.
//   base (6%):    through March 150,000 × 4% + 150,000 × 6% = 15,000;
//                 through February 100,000 × 4% + 60,000 × 6% = 7,600; March pays 7,400.
//   working (7%): through March 150,000 × 4% + 150,000 × 7% = 16,500;
//                 through February 100,000 × 4% + 60,000 × 7% = 8,200; March pays 8,300.
// Her March total: 7,400 + 5,000 (quarter bonus) + 500 (new logo) = 12,900, then 13,800: +900.
// The March payroll is alice 12,900 + maria 2,800 + sofia 75 = 15,775, then 16,675.
#[test]
fn one_tier_rate_changes_exactly_the_reps_it_pays() {
    let working = plans_with("diff-ae-tier", &[AE_TIER]);
    let out = diff("plans", &working.join("plans"), "2026-03", &["--format", "json"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    let reps: Vec<&str> = json["reps"].as_array().expect("reps").iter().map(|r| r["rep"].as_str().unwrap()).collect();
    assert_eq!(reps, ["alice"]);
    let alice = &json["reps"][0];
    assert_eq!(
        alice["totals"],
        serde_json::json!([{ "currency": "USD", "base": "12900.00", "working": "13800.00", "delta": "900.00" }])
    );
    assert_eq!(
        alice["components"],
        serde_json::json!([{ "period": "2026-03", "plan": "enterprise_ae", "component": "commission", "currency": "USD", "base": "7400.00", "working": "8300.00", "delta": "900.00" }])
    );
    assert_eq!(
        json["totals"],
        serde_json::json!([{ "currency": "USD", "base": "15775.00", "working": "16675.00", "delta": "900.00" }])
    );
    assert_eq!(json["changed"], true);
    assert_eq!(json["summary"], "1 rep's payouts change: +900.00 USD in total");
    assert_eq!(json["compared"], serde_json::json!({ "reps": 3, "rows": 9 }));
    assert_eq!(json["attainment"], serde_json::json!([]), "a rate does not change attainment");

    // `compplan run` on each side says the same.
    let run = |plans: &str| {
        stdout(&compplan(&[
            "run",
            plans,
            "--data",
            "plans/data",
            "--period",
            "2026-03",
            "--rep",
            "alice",
            "--format",
            "csv",
        ]))
    };
    assert!(run("plans").contains("2026-03,alice,enterprise_ae,commission,7400.00,USD\n"));
    assert!(
        run(working.join("plans").to_str().unwrap()).contains("2026-03,alice,enterprise_ae,commission,8300.00,USD\n")
    );
}

#[test]
fn the_text_and_markdown_outputs() {
    let working = plans_with("diff-outputs", &[AE_TIER]);
    let text = diff("plans", &working.join("plans"), "2026-03", &[]);
    assert_eq!(text.status.code(), Some(2));
    insta::assert_snapshot!("text", stdout(&text));
    let markdown = diff("plans", &working.join("plans"), "2026-03", &["--format", "markdown"]);
    assert_eq!(markdown.status.code(), Some(2));
    assert!(!stdout(&markdown).contains('\u{1b}'), "no ANSI escapes");
    insta::assert_snapshot!("markdown", stdout(&markdown));
}

// Two plans changed, over 2026-Q1. The AE tier as above, month by month for alice:
//   January: 70,000 of 100,000 = 70%: base 50,000 × 4% + 20,000 × 6% = 3,200; working 3,400.
//   February: through February base 7,600 − 3,200 = 4,400; working 8,200 − 3,400 = 4,800.
//   March: 7,400, then 8,300 (above). alice: +200 + 400 + 900 = +1,500.
// The partner tier from 80% to 100% from 7% to 8%; the partner table is retroactive (the whole
// quarter's sales at one rate) and the plan's quarter is February to April:
//   raj: 50,000 of a prorated 60,645.16 = 82.45%: 50,000 × 7% = 3,500, then × 8% = 4,000: +500.
//   pia: 129.17%, in the 9% tier: 155,000 × 9% = 13,950, capped at 12,000 on both sides.
//   sam: 41.67%, below the 50% gate: 0 on both sides.
// So alice (+1,500) comes before raj (+500), and pia and sam, paid by the changed plan, are not listed.
#[test]
fn reps_are_ordered_by_the_size_of_their_change() {
    let working =
        plans_with("diff-two-plans", &[AE_TIER, ("partner.plan", "from 80% to 100% : 7%", "from 80% to 100% : 8%")]);
    let out = diff("plans", &working.join("plans"), "2026-Q1", &[]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    insta::assert_snapshot!("two_plans_quarter", stdout(&out));
}

// Over the whole year the AE tier change also moves alice's balance owed, every month from April on,
// by as much as her commission moves: balance rows would fill the Markdown table's 8 rows per rep.
// The rows that explain the change come first: her March commission, 7,400 then 8,300 (+900, worked
// out above), is her largest change; no balance row is among the 8 shown.
#[test]
fn balance_rows_come_after_the_rows_that_explain_a_change() {
    let working = plans_with("diff-balances-last", &[AE_TIER]);
    let out = diff("plans", &working.join("plans"), "2026", &["--format", "markdown"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    let alice = lines.iter().position(|l| l.starts_with("| **alice** |")).expect("alice is listed");
    assert_eq!(
        lines[alice + 1],
        "| | 2026-03 | enterprise\\_ae | commission | 7,400.00 USD | 8,300.00 USD | +900.00 USD |",
        "{text}"
    );
    let shown = &lines[alice + 1..alice + 9];
    assert!(shown.iter().all(|l| !l.contains("| balance |")), "{text}");
    assert!(lines[alice + 9].contains("more rows"), "{text}");

    // JSON lists every row: the balances after the other rows.
    let json = diff("plans", &working.join("plans"), "2026", &["--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&json)).expect("JSON");
    let alice = json["reps"].as_array().expect("reps").iter().find(|r| r["rep"] == "alice").expect("alice");
    let components: Vec<&str> = alice["components"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|c| c["component"].as_str().unwrap_or_default())
        .collect();
    let first_balance = components.iter().position(|c| *c == "balance").expect("balance rows change");
    assert!(components[first_balance..].iter().all(|c| *c == "balance"), "{components:?}");
}

// A measure that no longer counts upsells: alice's bookings through March are A1 40,000 + A3
// 90,000 + A4 150,000 = 280,000, 93.33% of 300,000, so
//   commission through March 150,000 × 4% + 130,000 × 6% = 13,800; through February (130,000 of
//   200,000 = 65%) 100,000 × 4% + 30,000 × 6% = 5,800; March pays 8,000 instead of 7,400: +600;
//   the quarter bonus needs 100% of the quarter's quota: 5,000 is lost: −5,000.
// Her total goes from 12,900 to 8,500: −4,400, and her attainment from 100% to 93.33%.
#[test]
fn attainment_changes_are_listed_and_decreases_are_signed() {
    let working = plans_with(
        "diff-measure",
        &[("enterprise_ae.plan", "where deal.kind is not \"renewal\"", "where deal.kind is \"new\"")],
    );
    let out = diff("plans", &working.join("plans"), "2026-03", &[]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    insta::assert_snapshot!("measure", stdout(&out));
}

#[test]
fn identical_plans_exit_0() {
    let out = diff("plans", &root().join("plans"), "2026-Q1", &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).ends_with("\nno payout changes\n"), "{}", stdout(&out));
    assert!(stdout(&out).contains("36 payout rows of 6 reps compared"), "{}", stdout(&out));
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&diff("plans", &root().join("plans"), "2026-Q1", &["--format", "json"])))
            .expect("JSON");
    assert_eq!(json["changed"], false);
    assert_eq!(json["reps"], serde_json::json!([]));
    assert_eq!(json["summary"], "no payout changes");
}

#[test]
fn sides_with_different_schemas_read_the_data_each_against_its_own() {
    // The working schema declares a column the base schema does not; the data has it, and the
    // base ignores it as an extra column. Pay does not change.
    let working = plans_with(
        "diff-schema",
        &[("schema.plan", "  region: text\n  manager", "  region: text\n  team: text\n  manager")],
    );
    let reps = working.join("plans/data/reps.csv");
    let text = std::fs::read_to_string(&reps).unwrap();
    let with_team: Vec<String> =
        text.lines().enumerate().map(|(i, l)| format!("{l},{}", if i == 0 { "team" } else { "north" })).collect();
    std::fs::write(&reps, with_team.join("\n") + "\n").unwrap();
    let data = working.join("plans/data");
    let out = compplan(&[
        "diff",
        "--base",
        "plans",
        "--data",
        data.to_str().unwrap(),
        "--period",
        "2026-03",
        working.join("plans").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).ends_with("\nno payout changes\n"), "{}", stdout(&out));

    // On the bundled data, which lacks the column, the working side fails, and says so.
    let out = diff("plans", &working.join("plans"), "2026-03", &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("reps.csv has no column `team`"), "{err}");
    assert!(err.contains("error: in the working plans: the data does not fit their schema"), "{err}");
}

#[test]
fn usage_errors_exit_64() {
    assert_eq!(
        compplan(&["diff", "--bsae", "plans", "--data", "plans/data", "--period", "2026-03"]).status.code(),
        Some(64)
    );
    assert_eq!(
        compplan(&["diff", "--data", "plans/data", "--period", "2026-03"]).status.code(),
        Some(64),
        "--base is required"
    );
    assert_eq!(
        compplan(&["diff", "--base", "plans", "--data", "plans/data", "--period", "2026-03", "--format", "html"])
            .status
            .code(),
        Some(64)
    );
}

#[test]
fn a_plan_error_on_either_side_exits_1_naming_the_side() {
    let broken = plans_with(
        "diff-broken",
        &[("enterprise_ae.plan", "earn commission = base_rate of", "earn commission = base_rat of")],
    );
    let broken_plans = broken.join("plans");
    let out = compplan(&[
        "diff",
        "--base",
        broken_plans.to_str().unwrap(),
        "--data",
        "plans/data",
        "--period",
        "2026-03",
        "plans",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("error[E0100]: unknown name `base_rat`"), "{err}");
    assert!(err.contains("error: in the base plans: 1 error; nothing was compared"), "{err}");
    assert_eq!(stdout(&out), "", "nothing is compared");

    let out = diff("plans", &broken_plans, "2026-03", &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("error: in the working plans: 1 error"), "{}", stderr(&out));
}

#[test]
fn a_rep_that_cannot_be_evaluated_exits_1() {
    // bob's quota of 0 makes his attainment undefined in April: no side can be compared.
    let data =
        crate::support::data_with("diff-zero-quota", "quotas.csv", |t| t.replace("bob,2026,1200000", "bob,2026,0"));
    let out = compplan(&["diff", "--base", "plans", "--data", data.to_str().unwrap(), "--period", "2026-04", "plans"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("error[E0800]")
            && err.contains("in the base plans: 1 rep could not be evaluated; nothing was compared"),
        "{err}"
    );
    assert_eq!(stdout(&out), "");
}

#[test]
fn an_unusable_base_exits_1() {
    let outside = scratch("diff-no-repo");
    copy_dir(&root().join("plans"), &outside.join("plans"));
    // Git must not find a repository above the scratch folder either.
    let ceiling = outside.parent().expect("parent");
    let out = Command::new(env!("CARGO_BIN_EXE_compplan"))
        .args([
            "diff",
            "--base",
            "HEAD",
            "--data",
            "plans/data",
            "--period",
            "2026-03",
            outside.join("plans").to_str().unwrap(),
        ])
        .current_dir(root())
        .env("GIT_CEILING_DIRECTORIES", ceiling)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("is not in a git repository"), "{}", stderr(&out));

    let repo = committed_repo("diff-bad-rev");
    let out = diff("no-such-revision", &repo.join("plans"), "2026-03", &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("--base `no-such-revision` is neither a folder nor a revision"), "{}", stderr(&out));
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args([
            "-c",
            "user.name=Test",
            "-c",
            "user.email=test@example.com",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(dir)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// A scratch git repository with the bundled plans committed in `plans/`.
fn committed_repo(name: &str) -> Scratch {
    let repo = plans_with(name, &[]);
    git(&repo, &["init", "--quiet"]);
    git(&repo, &["add", "plans"]);
    git(&repo, &["commit", "--quiet", "-m", "plans as bundled"]);
    repo
}

#[test]
fn a_git_revision_is_read_without_a_checkout() {
    let repo = committed_repo("diff-git");
    let plan = repo.join("plans/enterprise_ae.plan");
    let text = std::fs::read_to_string(&plan).unwrap();
    std::fs::write(&plan, text.replacen(AE_TIER.1, AE_TIER.2, 1)).unwrap();

    let out = diff("HEAD", &repo.join("plans"), "2026-03", &["--format", "json"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    assert_eq!(json["base"], "HEAD");
    assert_eq!(json["commit"].as_str().map(str::len), Some(40), "the commit HEAD names");
    assert_eq!(json["summary"], "1 rep's payouts change: +900.00 USD in total");
    assert_eq!(
        std::fs::read_to_string(&plan).unwrap(),
        text.replacen(AE_TIER.1, AE_TIER.2, 1),
        "the working file is untouched"
    );

    // Files as the working paths, and the edit committed: nothing changes against HEAD, and the
    // previous commit is the base that differs.
    git(&repo, &["commit", "--quiet", "-am", "a higher rate"]);
    let (schema, crediting) = (repo.join("plans/schema.plan"), repo.join("plans/crediting.plan"));
    let out = diff("HEAD", &plan, "2026-03", &[schema.to_str().unwrap(), crediting.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let all = diff("HEAD~1", &repo.join("plans"), "2026-03", &[]);
    assert_eq!(all.status.code(), Some(2), "{}", stderr(&all));

    // A base plan with an error is reported with its revision and path, git's own syntax.
    std::fs::write(&plan, text.replacen("earn commission = base_rate of", "earn commission = base_rat of", 1)).unwrap();
    git(&repo, &["commit", "--quiet", "-am", "broken"]);
    std::fs::write(&plan, &text).unwrap();
    let out = diff("HEAD", &repo.join("plans"), "2026-03", &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("HEAD:plans/enterprise_ae.plan:23:21"), "{}", stderr(&out));
    assert!(stderr(&out).contains("in the base plans: 1 error"), "{}", stderr(&out));
}

mod compare {
    //! The comparison on rows built by hand.

    use compplan::eval::{Component, PayoutRow};
    use compplan::report::diff::{compare, render, Rows};
    use rust_decimal::Decimal;

    fn row(rep: &str, plan: &str, component: &str, amount: &str, currency: &str) -> PayoutRow {
        let amount = amount.parse().expect("a decimal");
        PayoutRow {
            period: "2026-03".into(),
            rep: rep.into(),
            plan: plan.into(),
            component: Component::named(component),
            amount,
            currency: currency.into(),
        }
    }

    fn money(text: &str) -> Decimal {
        text.parse().expect("a decimal")
    }

    fn sides<'r>(base: &'r [PayoutRow], working: &'r [PayoutRow]) -> (Rows<'r>, Rows<'r>) {
        (
            Rows { payouts: base.iter().collect(), attainment: vec![] },
            Rows { payouts: working.iter().collect(), attainment: vec![] },
        )
    }

    #[test]
    fn reps_by_largest_change_then_id_and_components_by_largest_change() {
        let base = [
            row("cho", "ae", "commission", "100.00", "USD"),
            row("cho", "ae", "total", "100.00", "USD"),
            row("ann", "ae", "commission", "100.00", "USD"),
            row("ann", "ae", "bonus", "50.00", "USD"),
            row("ann", "ae", "total", "150.00", "USD"),
            row("bea", "ae", "commission", "100.00", "USD"),
            row("bea", "ae", "total", "100.00", "USD"),
            row("dan", "ae", "commission", "100.00", "USD"),
            row("dan", "ae", "total", "100.00", "USD"),
        ];
        let working = [
            row("cho", "ae", "commission", "90.00", "USD"),
            row("cho", "ae", "total", "90.00", "USD"),
            // ann: commission +20, bonus −30: total −10, the same size as cho's change.
            row("ann", "ae", "commission", "120.00", "USD"),
            row("ann", "ae", "bonus", "20.00", "USD"),
            row("ann", "ae", "total", "140.00", "USD"),
            row("bea", "ae", "commission", "125.00", "USD"),
            row("bea", "ae", "total", "125.00", "USD"),
            // dan: 100.0 is 100.00: no change.
            row("dan", "ae", "commission", "100.0", "USD"),
            row("dan", "ae", "total", "100.00", "USD"),
        ];
        let (b, w) = sides(&base, &working);
        let diff = compare(&b, &w);
        let reps: Vec<&str> = diff.reps.iter().map(|r| &*r.rep).collect();
        assert_eq!(reps, ["bea", "ann", "cho"], "+25 first, then the two changes of 10 by id");
        let ann: Vec<(&str, String)> =
            diff.reps[1].components.iter().map(|c| (c.component.name(), c.amounts.delta.to_string())).collect();
        assert_eq!(ann, [("bonus", "-30.00".to_string()), ("commission", "20.00".to_string())]);
        assert_eq!(diff.totals[0].delta, money("5.00"), "+25 − 10 − 10");
        assert_eq!(render::summary(&diff), "3 reps' payouts change: +5.00 USD in total");
        assert_eq!((diff.reps_compared, diff.rows_compared), (4, 9));
    }

    #[test]
    fn rows_on_one_side_only_count_and_currencies_stay_apart() {
        let base = [row("ann", "ae", "commission", "100.00", "USD"), row("ann", "ae", "total", "100.00", "USD")];
        let working = [
            row("ann", "ae", "commission", "100.00", "USD"),
            row("ann", "ae", "total", "100.00", "USD"),
            // A rep who becomes eligible, paid nothing yet: her rows are a change.
            row("eve", "emea", "commission", "0.00", "EUR"),
            row("eve", "emea", "total", "0.00", "EUR"),
            // A plan ann joins, in euros.
            row("ann", "emea", "commission", "40.00", "EUR"),
            row("ann", "emea", "total", "40.00", "EUR"),
        ];
        let (b, w) = sides(&base, &working);
        let diff = compare(&b, &w);
        let reps: Vec<&str> = diff.reps.iter().map(|r| &*r.rep).collect();
        assert_eq!(reps, ["ann", "eve"]);
        let ann = &diff.reps[0];
        let totals: Vec<(&str, Option<Decimal>, Option<Decimal>)> =
            ann.totals.iter().map(|t| (&*t.currency, t.base, t.working)).collect();
        assert_eq!(
            totals,
            [("EUR", None, Some(money("40.00"))), ("USD", Some(money("100.00")), Some(money("100.00")))]
        );
        assert_eq!(diff.reps[1].components[0].amounts.base, None, "no base row");
        // A row of 0.00 on one side changes by 0.00, at the amounts' precision.
        assert_eq!(diff.reps[1].components[0].amounts.delta.to_string(), "0.00");
        assert_eq!(diff.reps[1].totals[0].delta.to_string(), "0.00");
        let json = render::json(&diff, &render::Compared { base: "main", commit: None, period: "2026-03" });
        let json: serde_json::Value = serde_json::from_str(&json).expect("JSON");
        assert_eq!(json["reps"][1]["components"][0]["delta"], "0.00", "{json}");
        assert_eq!(json["reps"][1]["totals"][0]["delta"], "0.00", "{json}");
        assert_eq!(render::summary(&diff), "2 reps' payouts change: +40.00 EUR in total");
        let text = render::text(&diff, &render::Compared { base: "main", commit: None, period: "2026-03" });
        assert!(text.contains("eve  ") && text.contains("—"), "a missing side is shown as a dash: {text}");
    }

    #[test]
    fn a_balance_that_changes_is_a_payout_change_even_when_totals_do_not() {
        let base = [row("ann", "ae", "total", "0.00", "USD"), row("ann", "ae", "balance", "100.00", "USD")];
        let working = [row("ann", "ae", "total", "0.00", "USD"), row("ann", "ae", "balance", "150.00", "USD")];
        let (b, w) = sides(&base, &working);
        let diff = compare(&b, &w);
        assert!(diff.changed());
        assert_eq!(diff.reps[0].totals[0].delta, Decimal::ZERO);
        assert_eq!(render::summary(&diff), "1 rep's payouts change: 0.00 USD in total");
    }

    #[test]
    fn balance_rows_come_after_every_other_row_however_large() {
        let base = [
            row("ann", "ae", "commission", "100.00", "USD"),
            row("ann", "ae", "draw", "0.00", "USD"),
            row("ann", "ae", "total", "100.00", "USD"),
            row("ann", "ae", "balance", "-1000.00", "USD"),
        ];
        let working = [
            row("ann", "ae", "commission", "110.00", "USD"),
            row("ann", "ae", "draw", "5.00", "USD"),
            row("ann", "ae", "total", "115.00", "USD"),
            row("ann", "ae", "balance", "-1500.00", "USD"),
        ];
        let (b, w) = sides(&base, &working);
        let diff = compare(&b, &w);
        let rows: Vec<(&str, String)> =
            diff.reps[0].components.iter().map(|c| (c.component.name(), c.amounts.delta.to_string())).collect();
        // The balance moves by −500.00, more than the commission (+10.00) or the draw (+5.00), and
        // still comes last.
        assert_eq!(
            rows,
            [("commission", "10.00".to_string()), ("draw", "5.00".to_string()), ("balance", "-500.00".to_string())]
        );
    }
}
