//! Plan documents (`compplan doc`): one document per plan and version, in HTML or Markdown, that a
//! rep reads and signs. Every sentence is said from the checked model ([`crate::model`]) —
//! effective dates, eligibility, crediting, quotas, tables with their modes, earnings with their
//! gates, caps and holds, draws and balances — and every amount in the worked examples and the
//! payout curve is computed by the runtime ([`crate::statement::curve`]). The `///` comments are
//! given by the caller (the checker's source map keeps them). Pages are rendered from askama
//! templates, which escape every value.

mod render;
mod sentences;
mod words;

pub use render::{document_html, document_markdown};

use crate::model::{AttainmentId, Const, Expr, PayFrequency, Plan, QuotaSource, QuotaSplit, Scope, Workspace};
use crate::num::Ratio;
use crate::statement::PayoutCurve;
use rust_decimal::Decimal;

/// The `///` comments of a plan, by what they document.
#[derive(Clone, Debug, Default)]
pub struct Comments {
    /// The plan's own.
    pub plan: Option<String>,
    /// Each definition's, by name.
    pub definitions: Vec<(String, String)>,
    /// Each test's, in the order of the plan's tests.
    pub tests: Vec<Option<String>>,
}

/// A named part of the plan with what it is.
#[derive(Clone, Debug)]
pub struct Item {
    /// Its name.
    pub name: String,
    /// What it is, in sentences.
    pub words: Vec<String>,
    /// Its `///` comment.
    pub doc: Option<String>,
}

/// A row of a table as the document shows it.
#[derive(Clone, Debug)]
pub struct Row {
    /// Its bounds, point or key.
    pub key: String,
    /// Its value.
    pub value: String,
}

/// A table of the plan.
#[derive(Clone, Debug)]
pub struct TableDoc {
    /// Its name.
    pub name: String,
    /// What it is keyed on.
    pub key: String,
    /// Its mode in one sentence.
    pub mode: String,
    /// Its rows.
    pub rows: Vec<Row>,
    /// Its `///` comment.
    pub doc: Option<String>,
}

/// A plan test shown as an example.
#[derive(Clone, Debug)]
pub struct Example {
    /// The test's name.
    pub name: String,
    /// The period it evaluates.
    pub period: String,
    /// Its `///` comment.
    pub doc: Option<String>,
    /// Where its data comes from.
    pub data: String,
    /// Its inline tables: name and CSV lines.
    pub tables: Vec<(String, String)>,
    /// What it expects, one sentence each.
    pub expected: Vec<String>,
}

/// A payout curve with its example quota and worked examples.
#[derive(Clone, Debug)]
pub struct CurveDoc {
    /// The curve, against the example quota.
    pub curve: PayoutCurve,
    /// The example quota in a sentence.
    pub quota: String,
    /// The worked examples at 50%, 80%, 100% and 150%.
    pub worked: Vec<String>,
    /// Whether the quota is the plan's own (a constant), not an example.
    pub own: bool,
}

/// One plan document, every value ready to print.
#[derive(Clone, Debug)]
pub struct Document {
    /// The plan's name.
    pub name: String,
    /// Its title.
    pub title: String,
    /// Its version.
    pub version: u32,
    /// Its `///` comment.
    pub doc: Option<String>,
    /// Dates, pay, plan year and rounding.
    pub header: Vec<String>,
    /// Who is eligible.
    pub eligible: String,
    /// What counts as a booking.
    pub crediting: Vec<String>,
    /// Quotas.
    pub quotas: Vec<Item>,
    /// Measures.
    pub measures: Vec<Item>,
    /// Attainments.
    pub attainments: Vec<Item>,
    /// Tables.
    pub tables: Vec<TableDoc>,
    /// Earnings.
    pub earnings: Vec<Item>,
    /// Draws and balance rules.
    pub payments: Vec<String>,
    /// The payout curves with worked examples.
    pub curves: Vec<CurveDoc>,
    /// Why there is no curve, when there is none.
    pub no_curve: Option<String>,
    /// The plan's tests.
    pub examples: Vec<Example>,
}

/// The example annual quota of a document when the plan's quota comes from data: 300,000 in the
/// plan's currency (or units).
const EXAMPLE_QUOTA: i64 = 300_000;

/// The document of one plan of the workspace.
pub fn document(ws: &Workspace, plan: &Plan, comments: &Comments) -> Result<Document, String> {
    let doc = |name: &str| comments.definitions.iter().find(|(n, _)| n == name).map(|(_, d)| d.clone());
    let item = |name: &str, words: Vec<String>| Item { name: name.to_string(), words, doc: doc(name) };
    let (curves, no_curve) = curves(ws, plan)?;
    Ok(Document {
        name: plan.name.clone(),
        title: plan.title.clone(),
        version: plan.version,
        doc: comments.plan.clone(),
        header: sentences::header(plan),
        eligible: sentences::eligible(ws, plan),
        crediting: sentences::crediting_of(ws, plan),
        quotas: plan.quotas.iter().map(|q| item(&q.name, vec![sentences::quota(ws, plan, q)])).collect(),
        measures: plan.measures.iter().map(|m| item(&m.name, vec![sentences::measure(ws, plan, m)])).collect(),
        attainments: plan
            .attainments
            .iter()
            .map(|a| {
                let m = format!("`{}` {}", plan.measures[a.measure].name, words::scope(a.measure_scope));
                let q = format!("`{}` {}", plan.quotas[a.quota].name, words::scope(a.quota_scope));
                item(&a.name, vec![format!("{m} ÷ {q}.")])
            })
            .collect(),
        tables: plan
            .tables
            .iter()
            .map(|t| TableDoc {
                name: t.name.clone(),
                key: sentences::key(ws, plan, t),
                mode: sentences::mode(ws, plan, t),
                rows: sentences::rows(plan, t),
                doc: doc(&t.name),
            })
            .collect(),
        earnings: plan
            .earnings
            .iter_enumerated()
            .map(|(id, e)| item(&e.name, sentences::earning(ws, plan, id)))
            .collect(),
        payments: sentences::payments(ws, plan),
        curves,
        no_curve,
        examples: plan
            .tests
            .iter()
            .enumerate()
            .map(|(i, t)| example(plan, t, comments.tests.get(i).cloned().flatten()))
            .collect(),
    })
}

/// Each attainment's payout curve against the example quota, with the worked examples.
fn curves(ws: &Workspace, plan: &Plan) -> Result<(Vec<CurveDoc>, Option<String>), String> {
    if plan.attainments.is_empty() {
        return Ok((Vec::new(), Some("This plan pays on no attainment, so it has no payout curve.".to_string())));
    }
    let mut out = Vec::new();
    let mut empty = Vec::new();
    for (id, a) in plan.attainments.iter_enumerated() {
        let (annual, window, said, own) = example_quota(plan, id);
        let curve = crate::statement::curve::payout_curve(plan, id, window, &ws.schema, None).map_err(|f| f.message)?;
        if curve.earnings.is_empty() {
            empty.push(a.name.clone());
            continue;
        }
        let annual_text = crate::statement::curve::quantity(plan, a.quota, annual).map_err(|f| f.message)?;
        let of = if own {
            format!("the plan's annual quota of {annual_text}")
        } else {
            format!("a {annual_text} annual quota")
        };
        let worked = [50, 80, 100, 150]
            .iter()
            .filter_map(|p| curve.points.iter().find(|pt| pt.percent == Decimal::from(*p)))
            .map(|pt| {
                let parts: Vec<String> =
                    curve.earnings.iter().zip(&pt.shown).map(|(e, v)| format!("`{e}` {v}")).collect();
                format!(
                    "At {} attainment of {of} you earn {} over a {} ({}).",
                    pt.percent_text(),
                    pt.total_text(),
                    curve.window,
                    parts.join(", ")
                )
            })
            .collect();
        let taken = if own { "the plan's own annual quota" } else { "an example annual quota" };
        // A window shorter than the year has its part of the annual quota.
        let part = if window == annual { String::new() } else { format!(": {} for a {}", curve.quota, curve.window) };
        let quota = format!(
            "The curve and the examples take {taken} of {annual_text}{said}{part}. They are computed by the same code that pays."
        );
        out.push(CurveDoc { curve, quota, worked, own });
    }
    let none = (out.is_empty()).then(|| {
        format!(
            "No earning of this plan is a function of its attainment ({}), so it has no payout curve.",
            empty.join(", ")
        )
    });
    Ok((out, none))
}

/// The example annual quota of an attainment (the plan's own when it is a constant, else
/// [`EXAMPLE_QUOTA`]), its part for the curve's window, how that part was taken, in words, and
/// whether it is the plan's own.
fn example_quota(plan: &Plan, id: AttainmentId) -> (Ratio, Ratio, &'static str, bool) {
    let quota = &plan.quotas[plan.attainments[id].quota];
    let (annual, own) = match &quota.source {
        QuotaSource::Expr(Expr::Const(Const::Money(d) | Const::Number(d))) => (Ratio::from_decimal(*d), true),
        _ => (Ratio::int(EXAMPLE_QUOTA), false),
    };
    let months = match (crate::eval::curve::window(plan, id), plan.pay) {
        (Scope::Year | Scope::Ytd, _) | (Scope::Period, PayFrequency::Yearly) => 12,
        (Scope::Quarter, _) | (Scope::Period, PayFrequency::Quarterly) => 3,
        (Scope::Period, PayFrequency::Monthly) => 1,
        // A half-month or a fortnight: about a twenty-fourth or a twenty-sixth of the year.
        (Scope::Period, PayFrequency::SemiMonthly) => return (annual, part(annual, 24), " (a 24th of the year)", own),
        (Scope::Period, PayFrequency::Biweekly(_)) => {
            return (annual, part(annual, 26), " (a 26th of the year, in a year of 26 pay periods)", own)
        }
    };
    let (share, said) = match (&quota.split, months) {
        (_, 12) => (Ratio::ONE, ""),
        (QuotaSplit::EvenlyByMonth | QuotaSplit::EvenlyByQuarter, m) => (Ratio::new(m, 12).unwrap_or(Ratio::ONE), ""),
        (QuotaSplit::MonthWeights(w), m) => {
            let first = w
                .iter()
                .take(usize::try_from(m).unwrap_or(1))
                .fold(Decimal::ZERO, |s, d| s.checked_add(*d).unwrap_or(s));
            (Ratio::from_decimal(first), " (the plan year's first window, by the plan's weights)")
        }
        (QuotaSplit::QuarterWeights(w), m) => {
            let q = Ratio::from_decimal(w.first().copied().unwrap_or(Decimal::ONE));
            let part = if m == 1 { q.checked_div(Ratio::int(3)).ok().flatten().unwrap_or(q) } else { q };
            (part, " (the plan year's first window, by the plan's weights)")
        }
    };
    (annual, annual.checked_mul(share).unwrap_or(annual), said, own)
}

/// A whole divided into `parts`.
fn part(whole: Ratio, parts: i64) -> Ratio {
    whole.checked_div(Ratio::int(parts)).ok().flatten().unwrap_or(whole)
}

/// A plan test as an example: its data and what it expects.
fn example(plan: &Plan, t: &crate::model::TestCase, doc: Option<String>) -> Example {
    let data = match &t.fixture {
        Some(f) => format!("the data in the folder `{f}` beside the plan"),
        None => "the data below".to_string(),
    };
    let expected = t
        .expectations
        .iter()
        .map(|e| {
            let value = if plan.attainments.iter().any(|a| a.name == e.name) {
                format!("{}%", e.value.normalize())
            } else {
                words::money(plan, e.value)
            };
            let when = e.period.as_ref().map_or(String::new(), |p| format!("in {p}, "));
            format!("{when}{}'s `{}` is {value}", e.rep, e.name)
        })
        .collect();
    Example {
        name: t.name.clone(),
        period: t.period.clone(),
        doc,
        data,
        tables: t.tables.iter().map(|(n, lines)| (n.clone(), lines.join("\n"))).collect(),
        expected,
    }
}
