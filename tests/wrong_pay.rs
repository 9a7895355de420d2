//! The last known ways to pay a wrong amount and exit 0, each reproduced on the bundled workspace
//! and data (`plans/`), and each now refused where the problem shows: in the plan text (`check`),
//! at the data cell (loading or crediting), or for the rep, plan and period (evaluation).
//!
//! Each test says in its comment what was paid before, and what is paid when the data is right,
//! computed by hand. A run's outcome is either the rep's payout lines or its errors, each with its
//! code and place, so that a test states where a problem is reported, not only that it is.

use crate::support::{plan_sources, root};
use compplan::data::Input;
use compplan::diagnostics::{Diagnostic, Location};
use compplan::eval::Request;
use compplan::pipeline::{self, Stop};
use compplan::Db;

/// Where a diagnostic is, as `path:line:column`: in plan text or in a data file.
fn place(db: &dyn Db, d: &Diagnostic) -> String {
    match d.location() {
        Some(Location::Span { file: Some(file), span }) => {
            let text = file.text(db);
            let before = text.get(..span.start).unwrap_or_default();
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            format!("{}:{line}:{column}", file.path(db))
        }
        Some(Location::Cell(cell)) => format!("{}:{}:{}", cell.path, cell.line, cell.column),
        _ => String::new(),
    }
}

/// The bundled workspace and data, edited.
#[derive(Clone)]
struct Case {
    plans: Vec<(String, String)>,
    data: Vec<(String, String)>,
}

impl Case {
    /// The bundled plans and data, unchanged.
    fn bundled() -> Case {
        let plans = plan_sources(&root().join("plans"), &root().join("plans"));
        let mut data: Vec<(String, String)> = std::fs::read_dir(root().join("plans/data"))
            .expect("the bundled data")
            .map(|entry| {
                let path = entry.expect("entry").path();
                let table = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_string();
                (table, std::fs::read_to_string(&path).expect("csv"))
            })
            .collect();
        data.sort();
        Case { plans, data }
    }

    /// Replaces `from` (which must occur) by `to` in a plan file.
    fn plan(mut self, file: &str, from: &str, to: &str) -> Case {
        let (_, text) = self.plans.iter_mut().find(|(name, _)| name == file).expect("a bundled plan file");
        assert!(text.contains(from), "{file} has no `{from}`");
        *text = text.replacen(from, to, 1);
        self
    }

    /// Adds a plan file.
    fn add_plan(mut self, file: &str, text: &str) -> Case {
        self.plans.push((file.to_string(), text.to_string()));
        self
    }

    /// Replaces `from` (which must occur) by `to` in a table's CSV text.
    fn data(mut self, table: &str, from: &str, to: &str) -> Case {
        let (_, text) = self.data.iter_mut().find(|(name, _)| name == table).expect("a bundled table");
        assert!(text.contains(from), "{table}.csv has no `{from}`");
        *text = text.replacen(from, to, 1);
        self
    }

    /// Renames reps in every table: each field that is exactly a rep id in the given columns.
    fn rename_reps(mut self, names: &[(&str, &str)], columns: &[(&str, usize)]) -> Case {
        for (table, text) in &mut self.data {
            let fields: Vec<usize> = columns.iter().filter(|(t, _)| t == table).map(|(_, c)| *c).collect();
            let lines: Vec<String> = text
                .lines()
                .enumerate()
                .map(|(i, line)| {
                    let mut cells: Vec<&str> = line.split(',').collect();
                    for &c in fields.iter().filter(|_| i > 0) {
                        if let Some((_, to)) = names.iter().find(|(from, _)| Some(from) == cells.get(c)) {
                            cells[c] = to;
                        }
                    }
                    cells.join(",")
                })
                .collect();
            *text = lines.join("\n") + "\n";
        }
        self
    }

    /// Checks, loads and runs one period for one rep through the library's pipeline: the rep's
    /// payout lines of `component` (`period plan amount`), or every error as `stage code place:
    /// message` (the place of a runtime error is the name of the definition it is at).
    fn run(&self, period: &str, rep: &str, component: &str) -> Result<Vec<String>, Vec<String>> {
        let mut open = |table: &str| -> Result<Option<Input>, String> {
            Ok(self.data.iter().find(|(t, _)| t == table).map(|(_, csv)| Input {
                path: format!("data/{table}.csv"),
                reader: Box::new(std::io::Cursor::new(csv.clone().into_bytes())),
                size: None,
            }))
        };
        let request = Request { period: period.parse().expect("a period"), rep: Some(rep.to_string()), ledger: None };
        let (plans, report) = match pipeline::run(self.plans.clone(), &mut open, &request) {
            Ok(run) => (run.plans, run.report),
            Err(failed) => {
                let stage = match failed.stop {
                    Stop::Plans(_) => "check",
                    Stop::Data(_) => "data",
                    Stop::UnknownRep(rep) => return Err(vec![format!("unknown rep {rep}")]),
                };
                let db = failed.plans.db();
                let line = |d: &Diagnostic| format!("{stage} {} {}: {}", d.code.id, place(db, d), d.message);
                return Err(failed.diagnostics().iter().map(line).collect());
            }
        };
        if !report.errors.is_empty() {
            let db = plans.db();
            let definition = |d: &Diagnostic| {
                let label = d.primary_label();
                let at = label.and_then(|l| Some(l.file()?.text(db).get(l.span()?.start..l.span()?.end)?.to_string()));
                format!("run {} {}: {}", d.code.id, at.unwrap_or_default(), d.message)
            };
            return Err(plans.rep_errors(&report.errors).iter().map(definition).collect());
        }
        Ok(report
            .payouts()
            .filter(|r| r.component.name() == component)
            .map(|r| format!("{} {} {}", r.period, r.plan, r.amount))
            .collect())
    }
}

fn paid(lines: &[&str]) -> Result<Vec<String>, Vec<String>> {
    Ok(lines.iter().map(|l| l.to_string()).collect())
}

fn refused(errors: &[&str]) -> Result<Vec<String>, Vec<String>> {
    Err(errors.iter().map(|l| l.to_string()).collect())
}

// ----- 1. Empty cells in the columns the crediting rules read

/// Alice's March on the bundled data: 7,400.00 commission + 5,000.00 bonus + 500.00 SPIFF (the
/// worked example of plans/enterprise_ae.plan).
const ALICE_MARCH: &str = "2026-03 enterprise_ae 12900.00";

/// Before: with `amount` optional and A4's amount (150,000, a new logo in March) empty, A4 was not
/// credited and Alice's March total was 0.00 (a negative true-up of −1,600.00, deferred), exit 0.
/// Now the schema cannot declare the credited amount optional: every empty amount is then refused
/// at its cell when the file is read (E0708).
#[test]
fn the_credited_amount_cannot_be_optional() {
    let case = Case::bundled().plan("schema.plan", "amount: money in currency", "amount: money in currency optional");
    assert_eq!(
        case.run("2026-03", "alice", "total"),
        refused(&["check E0509 schema.plan:20:29: `deals.amount` cannot be `optional`: it is the amount each deal is credited"])
    );
    let empty = Case::bundled().data("deals", "A4,alice,150000,", "A4,alice,,");
    assert_eq!(empty.run("2026-03", "alice", "total"), refused(&["data E0708 data/deals.csv:5:10: `amount` is empty"]));
    assert_eq!(Case::bundled().run("2026-03", "alice", "total"), paid(&[ALICE_MARCH]));
}

/// Every column a crediting rule reads for each of its rows is refused `optional`, at the flag:
/// an empty one credited a deal in no currency as the credit currency, dropped a split row (or a
/// rep's share of it), dropped an exchange rate, or made a rep employed since the beginning of time.
#[test]
fn columns_read_for_every_row_cannot_be_optional() {
    let cases = [
        ("currency: currency\n", "currency: currency optional\n", "schema.plan:21:22", "`deals.currency`"),
        ("deal: ref deals;", "deal: ref deals optional;", "schema.plan:35:33", "`splits.deal`"),
        ("rep: ref reps; share", "rep: ref reps optional; share", "schema.plan:35:48", "`splits.rep`"),
        ("share: percent", "share: percent optional", "schema.plan:35:64", "`splits.share`"),
        ("currency: currency; date", "currency: currency optional; date", "schema.plan:38:32", "`fx.currency`"),
        ("date: date; rate", "date: date optional; rate", "schema.plan:38:44", "`fx.date`"),
        ("rate: decimal", "rate: decimal optional", "schema.plan:38:59", "`fx.rate`"),
        ("hired: date\n", "hired: date optional\n", "schema.plan:11:15", "`reps.hired`"),
    ];
    for (from, to, place, column) in cases {
        let errors = Case::bundled().plan("schema.plan", from, to).run("2026-03", "alice", "total").unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].starts_with(&format!("check E0509 {place}: {column} cannot be `optional`")), "{errors:?}");
    }
}

/// The columns a quota is read from cannot be optional either: a quota row naming no rep or no
/// year was dropped, and an empty amount was a quota of 0. Both plans that read `quotas.amount`
/// are told.
#[test]
fn the_columns_a_quota_is_read_from_cannot_be_optional() {
    let schema = "schema quotas { rep: ref reps; year: year; amount: money USD }";
    for (optional, without) in [
        (
            "schema quotas { rep: ref reps optional; year: year; amount: money USD }",
            "`quotas.rep` is declared `optional`: a quota row without it is no rep's quota",
        ),
        (
            "schema quotas { rep: ref reps; year: year optional; amount: money USD }",
            "`quotas.year` is declared `optional`: a quota row without it is no year's quota",
        ),
        (
            "schema quotas { rep: ref reps; year: year; amount: money USD optional }",
            "`quotas.amount` is declared `optional`: a quota row without it is no quota",
        ),
    ] {
        let case = Case::bundled().plan("schema.plan", schema, optional);
        assert_eq!(
            case.run("2026-03", "alice", "total"),
            Err(vec![
                format!("check E0506 enterprise_ae.plan:11:26: {without}"),
                format!("check E0506 partner.plan:9:25: {without}")
            ])
        );
    }
}

/// An optional owner may be empty on a deal that split rows credit: P5's split rows (pia 50%, raj
/// 30%, sam 20%) credit it without an owner, and the partner plan pays what its worked example computes
/// (pia: 12,000.00 capped commission + 5,833.33 kicker = 17,833.33); a deal in Alice's territory is
/// credited to her by the territory rule, and pays as her own deal did. A deal nothing else credits
/// (A4: no split rows, no territory rule) would be credited to nobody: before, Alice silently lost
/// it (March total 0.00); now it is refused at the owner cell.
#[test]
fn an_empty_owner_is_refused_unless_splits_or_territories_credit_the_deal() {
    let optional = Case::bundled().plan("schema.plan", "owner: ref reps\n", "owner: ref reps optional\n");
    let split = optional.clone().data("deals", "P5,pia,", "P5,,");
    assert_eq!(split.run("2026-Q1", "pia", "total"), paid(&["2026-Q1 partner 17833.33"]));
    // A4 in the territory `House`, Alice's: credited by territory alone, it pays as before.
    let territory = optional
        .plan("crediting.plan", "  deal by splits", "  deal by territory rep.region\n  deal by splits")
        .add_plan("territories.plan", "territory House when deal.region is \"House\"\n")
        .data("reps", "alice,Alice Martin,AE,EMEA,", "alice,Alice Martin,AE,House,")
        .data("deals", "A4,alice,150000,USD,2026-03-05,Platform,EMEA,", "A4,,150000,USD,2026-03-05,Platform,House,");
    assert_eq!(territory.run("2026-03", "alice", "total"), paid(&[ALICE_MARCH]));
    assert_eq!(territory.run("2026-03", "maria", "total"), paid(&["2026-03 sales_manager 2800.00"]));
    let nobody = split.data("deals", "A4,alice,", "A4,,");
    assert_eq!(
        nobody.run("2026-03", "alice", "total"),
        refused(&["data E0803 data/deals.csv:5:4: this deal has no owner, and no split row or territory credits it"])
    );
}

/// A deal in another currency converted on an optional date that is empty: before, the run said
/// that no rate was dated "on or before its date" (E0707); now it names the empty cell.
#[test]
fn an_empty_conversion_date_is_refused_at_its_cell() {
    let case = Case::bundled()
        .plan("crediting.plan", "using fx on deal.closed", "using fx on deal.paid")
        .data("fx", "currency,date,rate\n", "currency,date,rate\nEUR,2026-01-01,1.10\n")
        .data("deals", "A5,alice,20000,USD,", "A5,alice,20000,EUR,");
    assert_eq!(
        case.run("2026-03", "alice", "total"),
        refused(&[
            "data E0803 data/deals.csv:6:57: this deal is in EUR and converted at its `paid` date, which is empty"
        ])
    );
}

// ----- 2. A clawback window counted from an empty date

/// `clawback … within 90 days of deal.paid`: A2 (30,000, closed 2026-01-20) is cancelled on
/// 2026-03-10. Before, with A2's `paid` empty, A2 was never reversed: Alice's March total was
/// 15,900.00 (commission on 330,000 of year-to-date bookings). Now the empty window start is refused
/// at its cell. With A2 paid on 2026-01-25 (44 days before the cancellation), it is reversed in
/// March and Alice is paid her worked example's 12,900.00.
#[test]
fn a_cancelled_deal_whose_clawback_window_start_is_empty_is_refused() {
    let from_paid =
        Case::bundled().plan("crediting.plan", "within 90 days of deal.closed", "within 90 days of deal.paid");
    assert_eq!(
        from_paid.run("2026-03", "alice", "total"),
        refused(&["data E0803 data/deals.csv:3:69: this deal is cancelled, but `paid`, the day its clawback window counts from, is empty"])
    );
    let with_paid = from_paid.data("deals", "2026-03-10,\n", "2026-03-10,2026-01-25\n");
    assert_eq!(with_paid.run("2026-03", "alice", "total"), paid(&[ALICE_MARCH]));
}

/// Credited on the day paid and clawed back from the day paid: a deal not yet paid is not credited
/// (the one documented skip), so its cancellation has nothing to reverse and is no error. A1, A3, A4
/// and A5 are paid on their close dates; A2 never is. Year to date by March: 300,000 against
/// 300,000 → 150,000 × 4% + 150,000 × 6% = 15,000; February: 130,000 against 200,000 (65%) →
/// 100,000 × 4% + 30,000 × 6% = 5,800; March's line 15,000 − 5,800 = 9,200.00, the quarter bonus
/// 5,000.00 (Q1 at 100%) and the A4 SPIFF 500.00: 14,700.00.
#[test]
fn a_deal_not_yet_credited_needs_no_clawback_window() {
    let case = Case::bundled()
        .plan("crediting.plan", "deal to deal.owner on deal.closed", "deal to deal.owner on deal.paid")
        .plan("crediting.plan", "within 90 days of deal.closed", "within 90 days of deal.paid")
        .data("deals", "2026-01-12,Platform,EMEA,new,false,,", "2026-01-12,Platform,EMEA,new,false,,2026-01-12")
        .data("deals", "2026-02-15,Platform,EMEA,new,false,,", "2026-02-15,Platform,EMEA,new,false,,2026-02-15")
        .data("deals", "2026-03-05,Platform,EMEA,new,true,,", "2026-03-05,Platform,EMEA,new,true,,2026-03-05")
        .data("deals", "2026-03-25,Add-on,EMEA,upsell,false,,", "2026-03-25,Add-on,EMEA,upsell,false,,2026-03-25");
    assert_eq!(case.run("2026-03", "alice", "total"), paid(&["2026-03 enterprise_ae 14700.00"]));
    assert_eq!(case.run("2026-03", "alice", "commission"), paid(&["2026-03 enterprise_ae 9200.00"]));
}

// ----- 3. Keys that are not text

/// The bundled data with numeric rep ids: maria 7, alice 12, bob 30, pia 41, raj 42, sam 43,
/// sofia 50, in every column that names a rep.
fn numbered() -> Case {
    let names =
        [("maria", "7"), ("alice", "12"), ("bob", "30"), ("pia", "41"), ("raj", "42"), ("sam", "43"), ("sofia", "50")];
    let columns = [("reps", 0), ("reps", 4), ("deals", 1), ("quotas", 0), ("splits", 1), ("meetings", 1)];
    Case::bundled().plan("schema.plan", "id: text key\n  name", "id: integer key\n  name").rename_reps(&names, &columns)
}

/// `id: integer key`: before, `rep.id < 100` checked clean and every rep failed with E0204 at run
/// time. Keys are read as their type: Maria (id 7) is a manager below 100 and is paid her March
/// override of the worked example in plans/sales_manager.plan, 2% × (170,000 − 30,000) = 2,800.00; Alice (12) her 12,900.00; a plan for
/// ids below 5 evaluates nobody.
#[test]
fn an_integer_key_is_compared_as_a_number() {
    let case =
        numbered().plan("sales_manager.plan", "rep.role is \"Manager\"", "rep.role is \"Manager\" and rep.id < 100");
    assert_eq!(case.run("2026-03", "7", "total"), paid(&["2026-03 sales_manager 2800.00"]));
    assert_eq!(case.run("2026-03", "12", "total"), paid(&[ALICE_MARCH]));
    let none =
        numbered().plan("sales_manager.plan", "rep.role is \"Manager\"", "rep.role is \"Manager\" and rep.id < 5");
    assert_eq!(none.run("2026-03", "7", "total"), paid(&[]));
    // A reference reads as the key it names: `deal.owner` is a number too.
    let owner = numbered().plan("enterprise_ae.plan", "where deal.kind is not \"renewal\"", "where deal.owner is 12");
    assert_eq!(owner.run("2026-03", "12", "total"), paid(&[ALICE_MARCH]));
}

/// An integer key is written one way, so that keys and references match as written: `007` is
/// refused at its cell, and a reference written `12.0` names no rep.
#[test]
fn an_integer_key_is_written_as_its_number() {
    let padded = numbered().data("reps", "7,Maria", "007,Maria");
    assert_eq!(
        padded.run("2026-03", "12", "total"),
        refused(&["data E0702 data/reps.csv:2:1: `007` is the integer key 7 written another way"])
    );
    let decimal = numbered().data("deals", "A4,12,", "A4,12.0,");
    assert_eq!(
        decimal.run("2026-03", "12", "total"),
        refused(&["data E0704 data/deals.csv:5:4: `12.0` is not a key of `reps`"])
    );
}

// ----- 4. Text with spaces around it

/// A7 (100,000 of March) is a renewal, which the AE plan does not count. Before, with a space after
/// `renewal`, it was counted: Alice's March total was 22,900.00 instead of 12,900.00. Now a cell
/// that begins or ends with a space (or a tab, a no-break space or any other Unicode space) is
/// refused at the cell, in every column.
#[test]
fn a_text_cell_with_spaces_around_it_is_refused() {
    let row = "A7,alice,100000,USD,2026-03-06,Platform,EMEA,renewal,false,,\n";
    let renewal = Case::bundled().data("deals", "P6,", &format!("{row}P6,"));
    assert_eq!(renewal.run("2026-03", "alice", "total"), paid(&[ALICE_MARCH]));
    for (padded, column) in [("renewal ", 46), ("renewal\u{a0}", 46), ("\trenewal", 46)] {
        let case = Case::bundled().data("deals", "P6,", &format!("{}P6,", row.replace("renewal", padded)));
        let errors = case.run("2026-03", "alice", "total").unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].starts_with(&format!("data E0717 data/deals.csv:14:{column}: `")), "{errors:?}");
    }
}

/// A text literal in a plan with spaces around it could never match a cell: it is refused.
#[test]
fn a_text_literal_with_spaces_around_it_is_refused() {
    let case = Case::bundled().plan("enterprise_ae.plan", "is not \"renewal\"", "is not \"renewal \"");
    assert_eq!(
        case.run("2026-03", "alice", "total"),
        refused(&[
            "check E0004 enterprise_ae.plan:12:66: the text \"renewal \" ends with a space: no data cell can hold it"
        ])
    );
}

// ----- 5. Negative quotas from plan text

/// `quota bookings_quota = rep.target_incentive - 100000 USD` is −40,000 for Alice (60,000 −
/// 100,000). Before, her year-to-date attainment in March was 300,000 / −10,000 = −3000%, and the
/// marginal tiers on it paid a March total of 17,566.67, exit 0. Now a negative quota stops the
/// rep's run like a zero one (E0800), naming the quota, from the first period it is read in.
#[test]
fn a_quota_computed_negative_is_an_error_for_the_rep() {
    let case = Case::bundled().plan(
        "enterprise_ae.plan",
        "quota bookings_quota = quotas.amount split evenly by month, prorated by months employed",
        "quota bookings_quota = rep.target_incentive - 100000 USD split evenly by month",
    );
    assert_eq!(
        case.run("2026-03", "alice", "total"),
        refused(&["run E0800 bookings_quota: the quota `bookings_quota` is below zero for the plan year 2026: -40000 (rep `alice`, plan `enterprise_ae`, period 2026-01), recomputed as history for 2026-03"])
    );
}

// ----- 6. Dates in plan text

/// A plan in effect from `0000-01-01` to `9999-12-31` checked clean: data dates stop at 1900 and
/// 2199, and so do dates in plans now.
#[test]
fn plan_dates_outside_1900_to_2199_are_refused() {
    let case = Case::bundled().plan(
        "sales_manager.plan",
        "effective 2026-01-01 to 2026-12-31",
        "effective 0000-01-01 to 9999-12-31",
    );
    assert_eq!(
        case.run("2026-03", "maria", "total"),
        refused(&[
            "check E0004 sales_manager.plan:3:13: `0000-01-01` is out of range: dates run from 1900-01-01 to 2199-12-31",
            "check E0004 sales_manager.plan:3:27: `9999-12-31` is out of range: dates run from 1900-01-01 to 2199-12-31",
        ])
    );
}

// ----- 5. Rows no evaluated period reads

/// An AE plan whose measure reads `deal.paid`, an optional column, without testing it first.
const PAID_SPIFF: &str = "plan paid_spiff \"Paid SPIFF\" version 1 {
  effective 2026-01-01 to 2026-12-31
  currency USD
  pay monthly
  eligible when rep.role is \"AE\"
  measure paid_bookings = sum of credit.amount where deal.paid <= 2026-12-31
  earn spiff = 1% of paid_bookings period
}
";

/// The bundled data with Alice's deals paid (A5's `paid` as given) and a deal A6 of hers closed
/// on 2027-03-17, not yet paid.
fn alice_paid(a5: &str) -> Case {
    Case::bundled()
        .add_plan("paid_spiff.plan", PAID_SPIFF)
        .data("deals", "2026-01-12,Platform,EMEA,new,false,,", "2026-01-12,Platform,EMEA,new,false,,2026-01-30")
        .data("deals", "2026-03-10,\n", "2026-03-10,2026-02-01\n")
        .data("deals", "2026-02-15,Platform,EMEA,new,false,,", "2026-02-15,Platform,EMEA,new,false,,2026-02-28")
        .data("deals", "2026-03-05,Platform,EMEA,new,true,,", "2026-03-05,Platform,EMEA,new,true,,2026-03-10")
        .data("deals", "2026-03-25,Add-on,EMEA,upsell,false,,", &format!("2026-03-25,Add-on,EMEA,upsell,false,,{a5}"))
        .data("deals", "P6,sam", "A6,alice,5000,USD,2027-03-17,Platform,EMEA,new,false,,\nP6,sam")
}

/// Before: A6's empty `paid`, in a month no period of the 2026 run reads, stopped the run with
/// E0803 "in period 2026-01". A condition is evaluated only on the rows of the windows read: in
/// March the rows are A4 150,000 and A5 20,000, less A2's reversal of 30,000 (cancelled on
/// 2026-03-10, inside its 90 days): 140,000 × 1% = 1,400.00. An empty `paid` in March's own rows
/// (A5's) is still refused, for the period that reads it.
#[test]
fn an_empty_cell_outside_every_window_read_is_never_evaluated() {
    assert_eq!(alice_paid("2026-03-31").run("2026-03", "alice", "spiff"), paid(&["2026-03 paid_spiff 1400.00"]));
    assert_eq!(
        alice_paid("").run("2026-03", "alice", "spiff"),
        refused(&["run E0803 paid_bookings: `deal.paid` is empty in row 5 of `data/deals.csv` (rep `alice`, plan `paid_spiff`, period 2026-03)"])
    );
}

// ----- 6. What a reversal takes back

/// An AE plan paying each deal the rate its month's year-to-date attainment reaches.
const RATE_PER_DEAL: &str = "plan rate_per_deal \"Rate per deal\" version 1 {
  effective 2026-01-01 to 2026-12-31
  currency USD
  pay monthly
  eligible when rep.role is \"AE\"
  quota q = quotas.amount split evenly by month
  measure bookings = sum of credit.amount
  attainment att = bookings ytd / q ytd
  table rate retroactive on att {
    from 0% to 100% : 5%
    100% and above : 7.5%
  }
  earn per_deal = rate of credit.amount per deal
}
";

/// Alice's quota is 1,200,000 a year, 100,000 a month. January: A1 40,000 + A2 30,000 = 70,000,
/// 70% → 5%: A1 is paid 2,000.00 and A2 30,000 × 5% = 1,500.00 (3,500.00). A2 is cancelled on 2026-03-10; by March the year
/// reaches 300,000 of 300,000 (100% → 7.5%). Before: the reversal took back 30,000 × 7.5% =
/// 2,250.00, 750.00 more than A2 was paid, exit 0. Now it takes back the 1,500.00 paid: March is
/// A4 150,000 × 7.5% = 11,250 + A5 20,000 × 7.5% = 1,500 − 1,500 = 11,250.00.
#[test]
fn a_reversal_takes_back_what_its_deal_was_paid_at_the_rate_of_that_period() {
    let case = Case::bundled().add_plan("rate_per_deal.plan", RATE_PER_DEAL);
    assert_eq!(case.run("2026-01", "alice", "per_deal"), paid(&["2026-01 rate_per_deal 3500.00"]));
    assert_eq!(case.run("2026-03", "alice", "per_deal"), paid(&["2026-03 rate_per_deal 11250.00"]));
}

// ----- 7. Divisions a gate guards

/// An AE plan paying on the share of new business in the month's bookings.
fn new_mix(gate: &str) -> Case {
    Case::bundled().add_plan(
        "new_mix.plan",
        &format!(
            "plan new_mix \"New mix\" version 1 {{
  effective 2026-01-01 to 2026-12-31
  currency USD
  pay monthly
  eligible when rep.role is \"AE\"
  measure bookings = sum of credit.amount
  measure new_sales = sum of credit.amount where deal.kind is \"new\"
  earn mix = 1000 USD × (new_sales period / bookings period){gate}
}}
"
        ),
    )
}

/// Alice books nothing in April. Before: the gate `only when bookings period > 0 USD` was read
/// after the value, so April stopped the run with E0800 ("a division by zero (a quota or an amount
/// that is 0)", naming no expression). Now the gate comes first and April pays 0.00. March:
/// bookings 150,000 (A4) + 20,000 (A5) − 30,000 (A2 reversed) = 140,000, new 150,000 (A4):
/// 1,000 × 150,000 / 140,000 = 1,071.428571… → 1,071.43. Without the gate, April's error names
/// the divisor and the earning.
#[test]
fn a_gate_is_read_before_the_division_it_guards() {
    let gated = new_mix(", only when bookings period > 0 USD");
    assert_eq!(gated.run("2026-03", "alice", "mix"), paid(&["2026-03 new_mix 1071.43"]));
    assert_eq!(gated.run("2026-04", "alice", "mix"), paid(&["2026-04 new_mix 0.00"]));
    assert_eq!(
        new_mix("").run("2026-04", "alice", "mix"),
        refused(&[
            "run E0800 mix: a division by zero: `bookings period` is 0 (rep `alice`, plan `new_mix`, period 2026-04)"
        ])
    );
}

// ----- 8. A share taken twice

/// A partner SPIFF of 10% of each credited row, paid `by share`.
const SPLIT_SPIFF: &str = "plan split_spiff \"Split SPIFF\" version 1 {
  effective 2026-01-01 to 2026-12-31
  currency USD
  pay monthly
  eligible when rep.role is \"Partner\"
  earn spiff = 10% of credit.amount per deal, by share
}
";

/// In April raj closes P4 (20,000, his own) and is credited 30% of P5 (100,000, split pia 50%,
/// raj 30%, sam 20%): his P5 row is 30,000 already. Before: `by share` took his share again,
/// 2,000 + 30,000 × 10% × 30% = 2,900.00 instead of 5,000.00, exit 0. Now `check` refuses it
/// where `by share` is written; without it raj is paid 20,000 × 10% + 30,000 × 10% = 5,000.00.
#[test]
fn by_share_on_an_amount_that_is_already_the_share_is_refused() {
    let twice = Case::bundled().add_plan("split_spiff.plan", SPLIT_SPIFF);
    assert_eq!(
        twice.run("2026-04", "raj", "spiff"),
        refused(&[
            "check E0508 split_spiff.plan:6:47: `by share` would take the share twice: it reads `credit.amount`"
        ])
    );
    let once = Case::bundled().add_plan("split_spiff.plan", &SPLIT_SPIFF.replace(", by share", ""));
    assert_eq!(once.run("2026-04", "raj", "spiff"), paid(&["2026-04 split_spiff 5000.00"]));
}
