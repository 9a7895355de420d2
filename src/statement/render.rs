//! The pages, rendered from askama templates (`templates/statement.html`, `templates/index.html`):
//! askama checks the templates when the crate is built and escapes every value for HTML, so that
//! a rep named `<script>` is text on the page. Only the SVG drawn by [`super::charts`] is inserted
//! as markup (plotters escapes the text it draws).

use super::assemble::Statement;
use super::charts;
use askama::Template;
use rust_decimal::Decimal;

/// A chart ready for a page: its title, its SVG (or why it could not be drawn), and what it shows
/// in words, for screen readers and print.
pub struct Chart {
    /// The title, shown as the figure's caption and the SVG's `<title>`.
    pub title: String,
    /// The SVG markup, empty when it could not be drawn.
    pub svg: String,
    /// The chart in words.
    pub words: String,
}

impl Chart {
    fn new(title: String, drawn: Result<String, charts::ChartError>, words: String) -> Chart {
        match drawn {
            Ok(svg) => Chart { title, svg, words },
            Err(why) => {
                Chart { title, svg: String::new(), words: format!("{words} (the chart could not be drawn: {why})") }
            }
        }
    }
}

#[derive(Template)]
#[template(path = "statement.html")]
struct StatementPage<'a> {
    s: &'a Statement,
    gauges: Vec<Chart>,
    year: Chart,
    lang: &'a str,
}

/// A rep's statement for one pay period under one plan, as a self-contained HTML page.
pub fn statement_html(s: &Statement) -> Result<String, String> {
    let gauges = s
        .attainments
        .iter()
        .map(|a| {
            let title = format!("Attainment {}: {}", a.name, a.percent);
            let words = format!("{}: {} {} of a quota of {}, {}.", a.name, a.measure, a.value, a.quota, a.percent);
            Chart::new(title.clone(), charts::gauge(&title, a.exact), words)
        })
        .collect();
    let title = format!("Plan year so far: paid and earned by period ({})", s.currency);
    let words = s
        .year
        .iter()
        .map(|y| {
            let att = y.attainment.map_or_else(String::new, |a| format!(", attainment {a}%"));
            format!("{}: paid {}, earned {}{att}", y.period, money(y.paid, &s.currency), money(y.earned, &s.currency))
        })
        .collect::<Vec<_>>()
        .join("; ");
    let year = Chart::new(title.clone(), charts::year(&title, &s.year), format!("{words}."));
    StatementPage { s, gauges, year, lang: "en" }.render().map_err(|e| e.to_string())
}

/// A statement as the index lists it: the page's file name beside it.
pub struct Listed<'a> {
    /// The statement.
    pub statement: &'a Statement,
    /// Its page's file name.
    pub file: String,
}

#[derive(Template)]
#[template(path = "index.html")]
struct IndexPage<'a> {
    period: &'a str,
    rows: &'a [Listed<'a>],
    totals: Vec<String>,
    lang: &'a str,
}

/// The comp admin's index: every statement with its rep, plan, period and total, linked, and the
/// payroll's total by currency (the sum of the `total` rows).
pub fn index_html(period: &str, rows: &[Listed<'_>]) -> Result<String, String> {
    let mut sums: Vec<(String, Decimal)> = Vec::new();
    for row in rows {
        let s = row.statement;
        match sums.iter_mut().find(|(c, _)| *c == s.currency) {
            Some((_, sum)) => *sum = sum.checked_add(s.total).ok_or("the payroll total overflows")?,
            None => sums.push((s.currency.clone(), s.total)),
        }
    }
    sums.sort();
    let totals = sums.iter().map(|(c, d)| money(*d, c)).collect();
    IndexPage { period, rows, totals, lang: "en" }.render().map_err(|e| e.to_string())
}

/// An amount grouped, with its currency (`12,900.00 USD`).
fn money(d: Decimal, currency: &str) -> String {
    format!("{} {currency}", crate::num::grouped(d))
}
