//! The audit of the language: every clause `check` accepts changes what `run` pays, or is an error.
//!
//! Each case is one clause of `docs/language.md`. It runs a small plan with the clause, and again with
//! the clause removed or changed, on the same data, and both payouts must be the ones computed by hand
//! in the case's comment (so they differ, by the amount the comment shows). The list of cases is the
//! audit's table: clause → the case that proves it changes pay. [`CLAUSES`] names every clause of the
//! language, and each must have its case.
//!
//! A case's plan is the body of `plan p "Audit" version 1` (monthly, USD, in effect through 2026),
//! checked with the shared schema and crediting rules of `tests/eval/shared/` unless the case brings
//! its own `schema.plan` or `crediting.plan`. What is compared is one rep's payout lines of one component (`total`
//! unless the case says otherwise), as `period amount` pairs; a run that fails gives its error code.
//!
//! Not in the table, because they do not decide amounts: a plan's name and title (they label the
//! rows), `decelerating` (it silences the warning W0305 about falling rates), `multiplier` (it
//! silences W0601 about rates above 100%), `closed` on a lookup (it silences W0311: an unlisted key
//! still stops the run), comments, `test` blocks (they check a plan, they pay
//! nothing), and the schema (every value is validated on load, and used
//! by the clauses above). Clauses that could never change pay where they are written are refused by
//! `check`: see the fixtures under `tests/check/` (E0106, E0208, E0506, E0509, E0511).

mod crediting;
mod earnings;
mod header;
mod measures;
mod pay;

use compplan::data::Input;
use compplan::eval::Request;
use compplan::pipeline::{self, Stop};

const SCHEMA: &str = include_str!("eval/shared/schema.plan");
const CREDITING: &str = include_str!("eval/shared/crediting.plan");

/// The reps most cases use: `a`, an AE reporting to `m`, and `m`, a manager.
const REPS: &str = "\
id,name,role,region,manager,hired,terminated,target_incentive
a,Ana,AE,EMEA,m,2025-01-01,,60000
m,Max,Manager,EMEA,,2025-01-01,,40000
";

/// The deals most cases use: `a` closes D1 (10,000, a new Platform deal in EMEA) and D2 (20,000, an
/// Add-on renewal in APAC) in January 2026.
const DEALS: &str = "\
id,owner,amount,currency,closed,product,region,kind,new_logo,cancelled,paid
D1,a,10000,USD,2026-01-10,Platform,EMEA,new,true,,
D2,a,20000,USD,2026-01-20,Add-on,APAC,renewal,false,,
";

/// One clause, the plan that uses it, and what it pays with and without it.
pub struct Case {
    /// The clause, as the language reference writes it.
    pub clause: &'static str,
    /// The plan's body (inside `plan p "Audit" version 1 { … }`, after the header).
    pub body: String,
    /// Other files: `schema.plan` and `crediting.plan` replace the shared schema and crediting rules.
    pub files: Vec<(&'static str, &'static str)>,
    /// Edits (text → replacement, on every file) that remove or change the clause.
    pub change: Vec<(&'static str, &'static str)>,
    /// Tables that replace the default data (`reps`, `deals`; others are empty unless given).
    pub data: Vec<(&'static str, String)>,
    /// The period asked for.
    pub period: &'static str,
    /// The rep whose lines are compared.
    pub rep: &'static str,
    /// The component compared.
    pub component: &'static str,
    /// The lines with the clause, `period amount, …`, or an error code.
    pub with: &'static str,
    /// The lines without it (or with it changed).
    pub without: &'static str,
    /// For a clause that only states what another form already says: that form (both pay the same).
    pub synonym_of: Option<&'static str>,
}

/// A case of a clause, on the default data, for January 2026, comparing `a`'s total.
pub fn case(clause: &'static str, body: impl Into<String>) -> Case {
    Case {
        clause,
        body: body.into(),
        files: Vec::new(),
        change: Vec::new(),
        data: Vec::new(),
        period: "2026-01",
        rep: "a",
        component: "total",
        with: "",
        without: "",
        synonym_of: None,
    }
}

impl Case {
    /// Removes or changes the clause: `from` is replaced by `to` in every file.
    pub fn change(mut self, from: &'static str, to: &'static str) -> Case {
        self.change.push((from, to));
        self
    }

    /// Replaces a table of the default data.
    pub fn data(mut self, table: &'static str, csv: impl Into<String>) -> Case {
        self.data.push((table, csv.into()));
        self
    }

    /// Adds a file (a `schema.plan` or a `crediting.plan` replaces the shared one).
    pub fn file(mut self, name: &'static str, text: &'static str) -> Case {
        self.files.push((name, text));
        self
    }

    /// The period asked for.
    pub fn period(mut self, period: &'static str) -> Case {
        self.period = period;
        self
    }

    /// The rep compared.
    pub fn rep(mut self, rep: &'static str) -> Case {
        self.rep = rep;
        self
    }

    /// The component compared.
    pub fn component(mut self, component: &'static str) -> Case {
        self.component = component;
        self
    }

    /// What is paid with the clause and without it.
    pub fn pays(mut self, with: &'static str, without: &'static str) -> Case {
        self.with = with;
        self.without = without;
        self
    }

    /// Declares the clause a synonym of another form: the change pays exactly the same.
    pub fn synonym_of(mut self, form: &'static str, paid: &'static str) -> Case {
        self.synonym_of = Some(form);
        self.with = paid;
        self.without = paid;
        self
    }

    /// The workspace's files, with the clause or with the change applied.
    fn sources(&self, changed: bool) -> Vec<(String, String)> {
        // A body that is a whole plan (its own header) is used as it is.
        let plan = if self.body.starts_with("plan ") {
            self.body.clone()
        } else {
            format!(
                "plan p \"Audit\" version 1 {{\n  effective 2026-01-01 to 2026-12-31\n  currency USD\n  pay monthly\n{}\n}}\n",
                self.body
            )
        };
        let mut files = vec![("p.plan".to_string(), plan)];
        for (shared, text) in [("schema.plan", SCHEMA), ("crediting.plan", CREDITING)] {
            if !self.files.iter().any(|(name, _)| *name == shared) {
                files.push((shared.to_string(), text.to_string()));
            }
        }
        files.extend(self.files.iter().map(|(n, t)| (n.to_string(), t.to_string())));
        if changed {
            for (_, text) in &mut files {
                for (from, to) in &self.change {
                    *text = text.replace(from, to);
                }
            }
        }
        files
    }

    /// The compared lines of a run, or the code of the first error.
    fn run(&self, changed: bool) -> String {
        let table = |name: &str| -> Option<String> {
            let given = self.data.iter().find(|(t, _)| *t == name).map(|(_, csv)| csv.clone());
            given.or_else(|| match name {
                "reps" => Some(REPS.to_string()),
                "deals" => Some(DEALS.to_string()),
                _ => None,
            })
        };
        let mut open = |name: &str| -> Result<Option<Input>, String> {
            Ok(table(name).map(|csv| Input {
                path: format!("{name}.csv"),
                reader: Box::new(std::io::Cursor::new(csv.into_bytes())),
                size: None,
            }))
        };
        let request =
            Request { period: self.period.parse().expect("a period"), rep: Some(self.rep.to_string()), ledger: None };
        let report = match pipeline::run(self.sources(changed), &mut open, &request) {
            Ok(run) => run.report,
            Err(failed) => match failed.stop {
                Stop::UnknownRep(rep) => return format!("unknown rep {rep}"),
                _ => return failed.diagnostics().first().map_or("data", |d| d.code.id).to_string(),
            },
        };
        if let Some(error) = report.errors.first() {
            return error.diagnostic.code.id.to_string();
        }
        let lines: Vec<String> = report
            .payouts()
            .filter(|r| r.component.name() == self.component)
            .map(|r| format!("{} {}", r.period, r.amount))
            .collect();
        lines.join(", ")
    }
}

/// Every clause of the language that can change what is paid: each has a case below.
const CLAUSES: &[&str] = &[
    // Plan header.
    "effective DATE to DATE",
    "currency CUR",
    "pay monthly | quarterly | yearly",
    "pay semi-monthly | biweekly from DATE",
    "fiscal year starts MONTH",
    "rounding half up",
    "rounding half down",
    "rounding up",
    "rounding down",
    "rounding …, to whole units",
    "rounding …, to N decimals",
    "version (a later version of the plan)",
    // Eligibility.
    "eligible when CONDITION",
    // Quotas.
    "quota = TABLE.COLUMN",
    "quota = EXPRESSION",
    "split by month weights (…)",
    "split by quarter weights (…)",
    "split evenly by quarter",
    "prorated by months employed",
    "prorated by days employed",
    "rounded MODE [to PRECISION]",
    "active from ROW.DATE to ROW.DATE",
    // Measures.
    "sum of VALUE",
    "count of TABLE",
    "measure … where CONDITION",
    "measure … by ROW.COLUMN",
    "measure … on ROW.COLUMN",
    "measure …, each ROW.COLUMN floored at / capped at AMOUNT",
    // Expressions.
    "VALUE in (…), VALUE not in (…)",
    "VALUE if CONDITION, else VALUE",
    "months since rep.DATE",
    "count of deals by … on …",
    // Attainment.
    "attainment = MEASURE SCOPE / QUOTA SCOPE",
    // Tables.
    "table … marginal",
    "table … retroactive",
    "table … linear",
    "table … lookup",
    "band: from A to B : VALUE",
    "band: A and above : VALUE",
    "band: above A : VALUE",
    "table … including upper bounds",
    "table … closed (bands)",
    "table of amounts per unit: T of COUNT",
    "point: at A : VALUE",
    "lookup row: \"KEY\" : VALUE",
    "lookup row: otherwise : VALUE",
    "table … on MEASURE SCOPE",
    "table … on credit.amount",
    "T of credit.amount per deal, T on a measure or an attainment (deals in order)",
    "band: … : LOOKUP (a band's rate by deal)",
    "table … on EARNING SCOPE (tiers on what the earning has paid)",
    // Earnings.
    "earn … (plain, in the scope of its measures)",
    "once per quarter when CONDITION",
    "once per year (no condition)",
    "once per period",
    "per deal",
    "per deal where CONDITION",
    "capped at AMOUNT",
    "capped at AMOUNT per period",
    "capped at AMOUNT per month",
    "capped at AMOUNT per quarter",
    "floored at AMOUNT",
    "floored at AMOUNT per year",
    "only when CONDITION",
    "by share",
    "per deal, taken back at X",
    "per deal, not taken back",
    "EARNING SCOPE (an earning read by another)",
    "EARNING SCOPE of every rep below",
    "EARNING SCOPE of direct reports",
    // Draws, holds and balances.
    "draw recoverable … for N months from rep.DATE",
    "draw non-recoverable",
    "draw … from DATE to DATE",
    "draw …, forgiven at end",
    "draw …, forgiven on termination",
    "draw … advance",
    "draw NAME = … (several draws)",
    "draw …, recovered from month N",
    "hold N% of EARNING for N periods",
    "hold N% of EARNING until deal.DATE",
    "hold N/M of EARNING for N periods",
    "pay EARNING in N instalments",
    "hold N% of EARNING ytd after Q1, …",
    "recover at most N% of earnings",
    "write off balance at year end",
    "pay negative totals",
    // Crediting.
    "deal to deal.OWNER on deal.DATE",
    "convert deal.AMOUNT to CUR using TABLE on deal.DATE",
    "credit deal.AMOUNT",
    "deal by splits",
    "deal by splits overlay",
    "deal by splits up to N%",
    "deal by territory rep.COLUMN",
    "rollup to rep.MANAGER",
    "clawback when deal.DATE within N days of deal.DATE",
    "clawback when deal.DATE",
    "clawback N% when deal.DATE …",
    "employed from rep.DATE to rep.DATE",
    // Territories.
    "territory NAME when CONDITION",
];

/// Every case, area by area.
fn all() -> Vec<Case> {
    let mut cases = header::cases();
    cases.extend(measures::cases());
    cases.extend(earnings::cases());
    cases.extend(pay::cases());
    cases.extend(crediting::cases());
    cases
}

#[test]
fn every_clause_changes_what_is_paid() {
    let cases = all();
    let mut failures = Vec::new();
    for case in &cases {
        if case.synonym_of.is_none() {
            assert_ne!(case.with, case.without, "{}: a case must show a difference", case.clause);
        }
        assert!(!case.change.is_empty(), "{}: a case must remove or change its clause", case.clause);
        for (changed, expected) in [(false, case.with), (true, case.without)] {
            let got = case.run(changed);
            if got != expected {
                let which = if changed { "without the clause" } else { "with the clause" };
                failures.push(format!("{} ({which}):\n  expected {expected}\n  computed {got}", case.clause));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_clause_of_the_language_has_its_case() {
    let cases = all();
    let covered: Vec<&str> = cases.iter().map(|c| c.clause).collect();
    let missing: Vec<&&str> = CLAUSES.iter().filter(|c| !covered.contains(c)).collect();
    assert!(missing.is_empty(), "clauses without a case: {missing:?}");
    let unknown: Vec<&&str> = covered.iter().filter(|c| !CLAUSES.contains(c)).collect();
    assert!(unknown.is_empty(), "cases of clauses the table does not list: {unknown:?}");
}
