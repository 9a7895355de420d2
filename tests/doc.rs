//! `compplan doc`: the document of every bundled plan in both formats (golden snapshots), the worked
//! examples computed by the engine checked against values computed by hand, and every value of a
//! plan escaped in both formats.

use crate::support::{compplan, root, scratch, stderr};
use std::path::Path;

/// Writes the documents of `plans` in `format` into a scratch folder and returns it.
fn documents(name: &str, plans: &Path, format: &str) -> crate::support::Scratch {
    let out = scratch(name);
    let args = ["doc", plans.to_str().expect("utf-8"), "--out", out.to_str().expect("utf-8"), "--format", format];
    let run = compplan(&args);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    out
}

fn read(dir: &Path, file: &str) -> String {
    std::fs::read_to_string(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

#[test]
fn golden_documents_of_every_bundled_plan_in_both_formats() {
    let plans = root().join("plans");
    for (format, extension) in [("html", "html"), ("markdown", "md")] {
        let out = documents(&format!("doc-golden-{format}"), &plans, format);
        let mut files: Vec<String> = std::fs::read_dir(&*out)
            .expect("the folder")
            .map(|e| e.expect("an entry").file_name().to_string_lossy().into_owned())
            .collect();
        files.sort();
        assert_eq!(
            files,
            ["enterprise_ae-v3", "partner-v1", "sales_manager-v1", "sdr-v1"].map(|f| format!("{f}.{extension}"))
        );
        for file in &files {
            insta::assert_snapshot!(format!("doc-{file}"), read(&out, file));
        }
    }
}

#[test]
fn worked_examples_are_computed_by_the_engine_as_by_hand() {
    let out = documents("doc-worked", &root().join("plans"), "markdown");
    let ae = read(&out, "enterprise_ae-v3.md");
    // A year of 300,000: bands of 150,000 at 4%, 6%, 10%, 12%.
    for (at, paid) in [
        ("50%", "6,000.00 USD"),   // 150,000 × 4%
        ("80%", "11,400.00 USD"),  // 6,000 + 90,000 × 6%
        ("100%", "15,000.00 USD"), // 6,000 + 150,000 × 6%
        ("150%", "30,000.00 USD"), // 15,000 + 150,000 × 10%
    ] {
        let sentence = format!("At {at} attainment of a 300,000.00 USD annual quota you earn {paid} over a plan year");
        assert!(ae.contains(&sentence), "enterprise_ae lacks: {sentence}");
    }
    // The `///` comment of a test is shown with it.
    assert!(ae.contains("*Bob is hired on 2026-04-01: the draw tops April up to 2,000, May recovers it.*"));
    let partner = read(&out, "partner-v1.md");
    // A quarter of 75,000 (300,000 ÷ 4): retroactive 5% / 7% / 9% from 50% (the gate), capped at
    // 12,000; the kicker from 0 at 100% to 10,000 at 150%.
    for (at, paid, parts) in [
        ("50%", "1,875.00 USD", "`commission` 1,875.00 USD, `kicker` 0.00 USD"), // 37,500 × 5%
        ("80%", "4,200.00 USD", "`commission` 4,200.00 USD, `kicker` 0.00 USD"), // 60,000 × 7%
        ("100%", "6,750.00 USD", "`commission` 6,750.00 USD, `kicker` 0.00 USD"), // 75,000 × 9%
        // 112,500 × 9% = 10,125 (under the cap) + the kicker's 10,000 at 150%.
        ("150%", "20,125.00 USD", "`commission` 10,125.00 USD, `kicker` 10,000.00 USD"),
    ] {
        let sentence =
            format!("At {at} attainment of a 300,000.00 USD annual quota you earn {paid} over a quarter ({parts}).");
        assert!(partner.contains(&sentence), "partner lacks: {sentence}");
    }
    let sdr = read(&out, "sdr-v1.md");
    // The plan's own quota, 240 meetings a year (60 a quarter): the bonus from 100%.
    assert!(sdr.contains("At 80% attainment of the plan's annual quota of 240 you earn 0.00 USD over a quarter"));
    assert!(sdr.contains("At 100% attainment of the plan's annual quota of 240 you earn 1,000.00 USD over a quarter"));
    let manager = read(&out, "sales_manager-v1.md");
    assert!(manager.contains("This plan pays on no attainment, so it has no payout curve."));
}

#[test]
fn every_value_is_escaped_in_both_formats() {
    let dir = scratch("doc-hostile");
    let plan = std::fs::read_to_string(root().join("plans/sales_manager.plan")).expect("the plan");
    let plan = plan
        .replace("\"Sales Manager\"", "\"<script>alert(1)</script> *bold* | pipe\"")
        .replace("/// First-line sales managers", "/// <img src=x> [link](http://example.com) # heading");
    for file in ["schema.plan", "crediting.plan"] {
        std::fs::copy(root().join("plans").join(file), dir.join(file)).expect("copied");
    }
    std::fs::write(dir.join("sales_manager.plan"), plan).expect("written");
    let html = read(&documents("doc-hostile-html", &dir, "html"), "sales_manager-v1.html");
    assert!(!html.contains("<script>") && !html.contains("<img"), "{html}");
    assert!(html.contains("&#60;script&#62;alert(1)&#60;/script&#62;") || html.contains("&lt;script&gt;"), "{html}");
    let md = read(&documents("doc-hostile-md", &dir, "markdown"), "sales_manager-v1.md");
    assert!(!md.contains("<script>") && !md.contains("<img"), "{md}");
    assert!(md.contains("# &lt;script&gt;alert(1)&lt;/script&gt; \\*bold\\* \\| pipe"), "{md}");
    assert!(md.contains("\\[link\\](http://example.com) \\# heading"), "{md}");
}

#[test]
fn every_value_of_the_markdown_template_goes_through_a_filter() {
    let template = std::fs::read_to_string(root().join("templates/doc.md")).expect("the template");
    let mut rest = template.as_str();
    while let Some(at) = rest.find("{{") {
        let end = rest[at..].find("}}").expect("closed") + at;
        let value = rest[at + 2..end].trim();
        assert!(
            value.ends_with("|md") || value.ends_with("|indented") || value == "d.version",
            "`{value}` is written without escaping"
        );
        rest = &rest[end..];
    }
}

#[test]
fn doc_without_out_is_a_usage_error() {
    let run = compplan(&["doc", "plans"]);
    assert_eq!(run.status.code(), Some(64), "{}", stderr(&run));
}

#[test]
fn each_version_of_a_plan_has_its_own_document() {
    let dir = scratch("doc-versions");
    for file in ["schema.plan", "crediting.plan"] {
        std::fs::copy(root().join("plans").join(file), dir.join(file)).expect("copied");
    }
    let version = |n: u32, dates: &str, rate: &str| {
        format!(
            "plan ae \"AE\" version {n} {{\n  effective {dates}\n  currency USD\n  pay monthly\n  eligible when rep.role is \"AE\"\n  quota q = quotas.amount split evenly by month, prorated by months employed\n  measure bookings = sum of credit.amount\n  attainment att = bookings ytd / q ytd\n  table r marginal on att {{\n    from 0% to 100% : {rate}\n    100% and above  : 10%\n  }}\n  earn commission = r of bookings ytd\n}}\n"
        )
    };
    let text = version(1, "2026-01-01 to 2026-03-31", "5%") + "\n" + &version(2, "2026-04-01 to 2026-12-31", "6%");
    std::fs::write(dir.join("ae.plan"), text).expect("written");
    let out = documents("doc-versions-out", &dir, "markdown");
    let v1 = read(&out, "ae-v1.md");
    let v2 = read(&out, "ae-v2.md");
    assert!(v1.contains("In effect from 2026-01-01 to 2026-03-31.") && v1.contains("version 1"));
    assert!(v2.contains("In effect from 2026-04-01 to 2026-12-31.") && v2.contains("version 2"));
    // 80% of an example 300,000 a year is 240,000, all in the first band: 5% → 12,000; 6% → 14,400.
    assert!(v1.contains("At 80% attainment of a 300,000.00 USD annual quota you earn 12,000.00 USD"), "{v1}");
    assert!(v2.contains("At 80% attainment of a 300,000.00 USD annual quota you earn 14,400.00 USD"), "{v2}");
}

#[test]
fn instalments_retention_fractions_and_several_draws_are_said_in_words() {
    let out = scratch("doc-paying-later");
    let cases =
        ["retention_on_the_year_to_date", "instalments_a_third_each_month", "several_draws_advances_and_late_recovery"];
    let mut args: Vec<String> = vec!["doc".into()];
    args.extend(cases.iter().map(|c| format!("tests/eval/{c}")));
    args.extend([
        "tests/eval/shared".into(),
        "--out".into(),
        out.to_str().expect("utf-8").into(),
        "--format".into(),
        "markdown".into(),
    ]);
    let run = compplan(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let retention = read(&out, "retention-v1.md");
    assert!(
        retention.contains(
            "kept back and paid as the share falls: 50% after Q1, 30% after Q2, 10% after Q3, and nothing after Q4"
        ),
        "{retention}"
    );
    let thirds = read(&out, "thirds-v1.md");
    assert!(thirds.contains("Each line is paid in 3 equal parts, one each pay period"), "{thirds}");
    assert!(thirds.contains("1/3 of each line is held for 1 pay period(s)"), "{thirds}");
    let ramped = read(&out, "ramped-v1.md");
    assert!(ramped.contains("A recoverable draw (`ramp`) guarantees 3,000.00 USD per month"), "{ramped}");
    assert!(ramped.contains("What it leaves owed is recovered from month 4 of the draw on."), "{ramped}");
    assert!(ramped.contains("A recoverable advance (`starter`) pays 500.00 USD per month"), "{ramped}");
    assert!(ramped.contains("A non-recoverable draw (`summer`) guarantees 1,000.00 USD per month"), "{ramped}");
}
