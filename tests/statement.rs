//! `compplan statement`: every amount on every page equals the payroll `compplan run` writes, the
//! per-deal parts add up to their lines, values from the data are escaped, pages load nothing, and
//! the worked examples' pages are snapshotted (Alice's March, Bob's May with draw and recovery,
//! Pia's partner quarter with a capped line).

use crate::support::{compplan, data_with, root, scratch, stderr};
use std::collections::BTreeMap;
use std::path::Path;

/// Writes the statements of `period` into a scratch folder and returns it.
fn statements(name: &str, data: &Path, period: &str, extra: &[&str]) -> crate::support::Scratch {
    let out = scratch(name);
    let (data, dir) = (data.to_str().expect("utf-8"), out.to_str().expect("utf-8"));
    let mut args = vec!["statement", "plans", "--data", data, "--period", period, "--out", dir];
    args.extend(extra);
    let run = compplan(&args);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    out
}

fn page(dir: &Path, file: &str) -> String {
    std::fs::read_to_string(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// The text of the first element after `at` in `html` whose opening tag holds `marker`.
fn cell_after<'h>(html: &'h str, at: usize, marker: &str) -> Option<&'h str> {
    let start = at + html[at..].find(marker)?;
    let open = start + html[start..].find('>')? + 1;
    let close = open + html[open..].find('<')?;
    Some(&html[open..close])
}

/// An amount as a page shows it (`-1,585.71 USD`), as a decimal and its currency.
fn amount(shown: &str) -> (rust_decimal::Decimal, String) {
    let (number, currency) = shown.rsplit_once(' ').unwrap_or_else(|| panic!("`{shown}` has no currency"));
    (number.replace(',', "").parse().unwrap_or_else(|_| panic!("`{shown}` is no amount")), currency.to_string())
}

/// `grouped` as a comp admin reads it: `12900.00` → `12,900.00`.
fn grouped(text: &str) -> String {
    let (sign, digits) = text.strip_prefix('-').map_or(("", text), |t| ("-", t));
    let (int, frac) = digits.split_once('.').map_or((digits, None), |(i, f)| (i, Some(f)));
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    format!("{sign}{out}{}", frac.map(|f| format!(".{f}")).unwrap_or_default())
}

#[test]
fn every_amount_on_every_page_of_the_year_is_the_payroll_and_parts_sum_to_their_lines() {
    // The plan year 2026: every month of the monthly plans and every quarter of the partner plan.
    let pages = statements("statement-year", &root().join("plans/data"), "2026", &[]);
    let run = scratch("statement-year-run");
    let out = compplan(&["run", "plans", "--data", "plans/data", "--period", "2026", "--out", run.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let payouts = page(&run, "payouts.csv");
    let mut components: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut checked = 0;
    for row in payouts.lines().skip(1) {
        let cells: Vec<&str> = row.split(',').collect();
        let [period, rep, plan, component, value, currency] = cells[..] else { panic!("{row}") };
        let file = format!("{period}-{rep}-{plan}.html");
        let html = page(&pages, &file);
        let at = html
            .find(&format!("<tr data-component=\"{component}\""))
            .unwrap_or_else(|| panic!("{file}: no {component}"));
        let shown = cell_after(&html, at, "class=\"amount\"").expect("an amount cell");
        assert_eq!(shown, format!("{} {currency}", grouped(value)), "{file}: {component}");
        components.entry(file).or_default().push(component.to_string());
        checked += 1;
    }
    assert!(checked > 100, "only {checked} payout rows");
    // No page has a line the payroll does not have, and the index lists every page.
    let index = page(&pages, "index.html");
    for (file, lines) in &components {
        let html = page(&pages, file);
        assert_eq!(html.matches("<tr data-component=").count(), lines.len(), "{file}");
        assert!(index.contains(&format!("href=\"{file}\"")), "the index does not link {file}");
        parts_sum_to_their_lines(file, &html);
    }
    let files = std::fs::read_dir(&*pages).expect("pages").count();
    assert_eq!(files, components.len() + 2, "a page per rep, plan and period, the index and `.statements`");
    attainment_is_the_payroll(&pages, &page(&run, "attainment.csv"), &components);
}

/// Each split line's parts (a column of the deals table) add up to the line under it.
fn parts_sum_to_their_lines(file: &str, html: &str) {
    let Some(foot) = html.find("<tfoot>") else { return };
    let body = &html[html.find("<tbody>\n<tr data-deal").unwrap_or(foot)..foot];
    let rows: Vec<Vec<&str>> = body
        .split("<tr data-deal")
        .skip(1)
        .map(|row| row.split("data-part>").skip(1).map(|c| c.split('<').next().unwrap_or_default()).collect())
        .collect();
    let mut at = foot;
    let mut column = 0;
    while let Some(line) = cell_after(html, at, "data-line=") {
        let (line_amount, _) = amount(line);
        let sum: rust_decimal::Decimal =
            rows.iter().filter_map(|r| r.get(column)).filter(|c| !c.is_empty()).map(|c| amount(c).0).sum();
        assert_eq!(sum, line_amount, "{file}: the parts of column {column} do not add up to {line}");
        at = at + html[at..].find("data-line=").expect("found") + 1;
        column += 1;
    }
    assert!(column > 0, "{file}: a deals table without lines");
}

/// Each attainment row of a pay period is on its page with the payroll's value, quota and percent.
/// The rows of the plan year asked for (`2026`, over a plan's monthly or quarterly periods) are the
/// year's, with no page of their own.
fn attainment_is_the_payroll(pages: &Path, csv: &str, paid: &BTreeMap<String, Vec<String>>) {
    for row in csv.lines().skip(1) {
        let cells: Vec<&str> = row.split(',').collect();
        let [period, rep, plan, name, _measure, value, quota, percent] = cells[..] else { panic!("{row}") };
        let file = format!("{period}-{rep}-{plan}.html");
        if period == "2026" && !paid.contains_key(&file) {
            continue;
        }
        let html = page(pages, &file);
        let at = html.find(&format!("<tr data-attainment=\"{name}\"")).unwrap_or_else(|| panic!("{file}: {name}"));
        let row_html = &html[at..at + html[at..].find("</tr>").expect("row end")];
        for expected in [format!("{}%", percent), grouped(value), grouped(quota)] {
            assert!(row_html.contains(&expected), "{file}: {name} lacks {expected}: {row_html}");
        }
    }
}

#[test]
fn the_payroll_total_of_the_index_is_the_sum_of_the_totals() {
    let pages = statements("statement-index", &root().join("plans/data"), "2026-03", &[]);
    let index = page(&pages, "index.html");
    // Alice 12,900.00 (the worked example) + Maria's override + Sofia's meetings, all in USD.
    let run = compplan(&["run", "plans", "--data", "plans/data", "--period", "2026-03", "--format", "csv"]);
    let csv = String::from_utf8_lossy(&run.stdout).into_owned();
    let total: rust_decimal::Decimal = csv
        .lines()
        .filter(|l| l.split(',').nth(3) == Some("total"))
        .map(|l| l.split(',').nth(4).unwrap().parse::<rust_decimal::Decimal>().unwrap())
        .sum();
    assert!(index.contains(&format!("<strong data-payroll>{} USD</strong>", grouped(&total.to_string()))), "{index}");
    assert!(index.contains("12,900.00 USD"), "Alice's total");
}

#[test]
fn a_rep_named_like_markup_is_text_and_no_page_loads_anything() {
    let data = data_with("statement-markup", "reps.csv", |text| {
        text.replace("Alice Martin", "<script>alert(\"x\")</script> & <b>co</b>")
    });
    let pages = statements("statement-markup-out", &data, "2026-03", &[]);
    let html = page(&pages, "2026-03-alice-enterprise_ae.html");
    assert!(
        html.contains("&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62; &#38; &#60;b&#62;co&#60;/b&#62;"),
        "{html}"
    );
    // Every page (`.statements`, the list of pages written, is not one).
    for entry in std::fs::read_dir(&*pages).expect("pages").map(|e| e.expect("entry")) {
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let html = std::fs::read_to_string(entry.path()).expect("page");
        assert!(!html.contains("<script") && !html.contains("<b>"), "markup from the data");
        // Nothing that loads: no script, image, frame, link, import or url(); the only address is
        // the SVG namespace, which names and does not load.
        for word in ["<img", "<link", "<iframe", "<object", "<embed", "@import", "url(", " src="] {
            assert!(!html.contains(word), "a page has `{word}`");
        }
        let addresses = html.matches("http://").count() + html.matches("https://").count();
        assert_eq!(addresses, html.matches("http://www.w3.org/2000/svg").count(), "an address besides SVG's");
        assert!(html.contains("<html lang=\"en\">"));
    }
}

#[test]
fn one_rep_and_a_rep_id_that_is_no_file_name() {
    let pages = statements("statement-one", &root().join("plans/data"), "2026-05", &["--rep", "bob"]);
    let names: Vec<String> =
        std::fs::read_dir(&*pages).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    let mut names = names;
    names.sort();
    assert_eq!(names, [".statements", "2026-05-bob-enterprise_ae.html", "index.html"]);
    let out = compplan(&[
        "statement",
        "plans",
        "--data",
        "plans/data",
        "--period",
        "2026-05",
        "--rep",
        "nobody",
        "--out",
        pages.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(std::fs::read_dir(&*pages).unwrap().count(), 3, "a failed run writes nothing");
    // A rep id that would climb out of the folder is written with `_` for each character that is
    // not a letter, a digit, `-`, `_` or `.`.
    let data = scratch("statement-odd-id");
    crate::support::copy_dir(&root().join("plans/data"), &data);
    for file in ["reps.csv", "deals.csv", "quotas.csv", "splits.csv"] {
        let text = page(&data, file).replace("alice", "../al ice");
        std::fs::write(data.join(file), text).unwrap();
    }
    let pages = statements("statement-odd-id-out", &data, "2026-03", &["--rep", "../al ice"]);
    let html = page(&pages, "2026-03-.._al_ice-enterprise_ae.html");
    assert!(html.contains("<span data-rep>../al ice</span>"), "the id as written on the page");
}

#[test]
fn golden_pages_of_the_worked_examples() {
    let data = root().join("plans/data");
    for (period, rep, file, expected) in [
        // Alice's March: 7,400.00 commission + 5,000.00 bonus + 500.00 SPIFF = 12,900.00; at 100% of
        // 300,000.00, 150% needs 450,000.00 − 300,000.00 = 150,000.00 more.
        (
            "2026-03",
            "alice",
            "2026-03-alice-enterprise_ae.html",
            vec!["12,900.00 USD", "7,400.00 USD", "150,000.00 USD more bookings reach 150%"],
        ),
        // Bob's May: 7,200.00 commission, 1,600.00 of April's draw recovered, the balance cleared; at
        // 160,000.00 of 200,000.00, 100% needs 40,000.00 more.
        (
            "2026-05",
            "bob",
            "2026-05-bob-enterprise_ae.html",
            vec![
                "data-component=\"recovery\"",
                "-1,600.00 USD",
                "data-component=\"balance\"",
                "40,000.00 USD more bookings reach 100%",
            ],
        ),
        // Pia's partner quarter: a capped line; at 155,000.00 of 120,000.00, 150% needs
        // 180,000.00 − 155,000.00 = 25,000.00 more.
        (
            "2026-Q1",
            "pia",
            "2026-Q1-pia-partner.html",
            vec!["“commission” pays this period, limited by a cap of the plan.", "25,000.00 USD more sales reach 150%"],
        ),
    ] {
        let pages = statements(&format!("statement-golden-{rep}"), &data, period, &["--rep", rep]);
        let html = page(&pages, file);
        for e in expected {
            assert!(html.contains(e), "{file} lacks {e}");
        }
        insta::assert_snapshot!(file.trim_end_matches(".html"), html);
    }
}

#[test]
fn a_deal_in_another_currency_shows_its_own_amount_and_rate() {
    let data = scratch("statement-eur");
    crate::support::copy_dir(&root().join("plans/data"), &data);
    let deals = page(&data, "deals.csv").replace("A4,alice,150000,USD", "A4,alice,150000,EUR");
    std::fs::write(data.join("deals.csv"), deals).unwrap();
    std::fs::write(data.join("fx.csv"), "currency,date,rate\nEUR,2026-01-01,1.1\n").unwrap();
    let pages = statements("statement-eur-out", &data, "2026-03", &["--rep", "alice"]);
    let html = page(&pages, "2026-03-alice-enterprise_ae.html");
    // 150,000 EUR × 1.1 = 165,000.00 USD credited; the rate shown is 165,000 / 150,000.
    let row = &html[html.find("<tr data-deal=\"A4\"").expect("A4")..];
    let row = &row[..row.find("</tr>").unwrap()];
    assert!(row.contains("165,000.00 USD"), "{row}");
    assert!(row.contains("150,000.00 EUR at 1.1 USD/EUR (2026-03-05)"), "{row}");
}

#[test]
fn a_closed_period_is_the_ledger_record_and_says_so() {
    let ledger = scratch("statement-ledger");
    let dir = ledger.to_str().unwrap();
    let close = compplan(&["close", "plans", "--data", "plans/data", "--period", "2026-03", "--ledger", dir]);
    assert_eq!(close.status.code(), Some(0), "{}", stderr(&close));
    let pages = statements("statement-ledger-out", &root().join("plans/data"), "2026-03", &["--ledger", dir]);
    let html = page(&pages, "2026-03-alice-enterprise_ae.html");
    // Recorded as computed: Alice's March is 12,900.00, as without the ledger.
    assert!(html.contains("<strong data-total>12,900.00 USD</strong>"));
    assert!(html.contains("This period is closed: it is paid as the ledger records it."));
    assert!(html.contains("its deals are not listed again here"));
}

#[test]
fn a_second_run_into_the_same_folder_removes_the_pages_it_does_not_write_again() {
    // March, then April, into one folder: March's pages would still open and disagree with the
    // index, so they go; a file compplan did not write stays, whatever its name.
    let data = root().join("plans/data");
    let out = statements("statement-stale", &data, "2026-03", &[]);
    assert!(out.join("2026-03-alice-enterprise_ae.html").exists());
    std::fs::write(out.join("notes.txt"), "mine").expect("write");
    std::fs::write(out.join("cover.html"), "<p>mine</p>").expect("write");
    let (data, dir) = (data.to_str().expect("utf-8"), out.to_str().expect("utf-8"));
    let run = compplan(&["statement", "plans", "--data", data, "--period", "2026-04", "--out", dir]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let mut left: Vec<String> = std::fs::read_dir(&*out)
        .expect("the folder")
        .map(|e| e.expect("an entry").file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert!(left.iter().all(|f| !f.starts_with("2026-03")), "{left:?}");
    assert!(left.contains(&"2026-04-alice-enterprise_ae.html".to_string()), "{left:?}");
    for kept in ["notes.txt", "cover.html", "index.html", ".statements"] {
        assert!(left.contains(&kept.to_string()), "{kept} is kept: {left:?}");
    }
}

#[test]
fn a_closed_period_s_named_draws_are_paid_not_earned() {
    // Nadia's January is closed: commission 1,200.00, the ramp's 1,800.00 and the starter's 500.00
    // (draws named after the plan's draws, read back from the record). Her February page's year so
    // far shows January paid 3,500.00 and earned 1,200.00: a draw is paid, not earned.
    let case = "tests/eval/several_draws_advances_and_late_recovery";
    let (ledger, out) = (scratch("statement-draws-ledger"), scratch("statement-draws"));
    let data = format!("{case}/data");
    let (ledger, dir) = (ledger.to_str().expect("utf-8"), out.to_str().expect("utf-8"));
    let close = ["close", case, "tests/eval/shared", "--data", &data, "--ledger", ledger, "--period", "2026-01"];
    assert_eq!(compplan(&close).status.code(), Some(0));
    let args = ["statement", case, "tests/eval/shared", "--data", &data, "--ledger", ledger];
    let run = compplan(&[&args[..], &["--period", "2026-02", "--rep", "n", "--out", dir]].concat());
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let html = page(&out, "2026-02-n-ramped.html");
    let january = html.find("<td>2026-01</td>").map(|at| &html[at..]).unwrap_or_default();
    let cells: Vec<&str> = january.split("<td").skip(1).take(3).collect();
    assert!(
        cells.len() == 3 && cells[1].contains("3,500.00 USD") && cells[2].contains("1,200.00 USD"),
        "{january:.400}"
    );
}
