//! The pages, rendered from askama templates (`templates/statement.html`, `templates/index.html`):
//! askama checks the templates when the crate is built and escapes every value for HTML, so that
//! a rep named `<script>` is text on the page. Only the SVG drawn by [`super::charts`] is inserted
//! as markup (plotters escapes the text it draws).

use super::assemble::Statement;
use super::charts;
use super::PayoutCurve;
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
    /// A chart, or why it could not be drawn said in its words.
    pub fn new(title: String, drawn: Result<String, charts::ChartError>, words: String) -> Chart {
        match drawn {
            Ok(svg) => Chart { title, svg, words },
            Err(why) => {
                Chart { title, svg: String::new(), words: format!("{words} (the chart could not be drawn: {why})") }
            }
        }
    }
}

/// A payout curve ready for a page: its chart, what it shows in a sentence, and its points (the
/// table that is its text equivalent).
pub struct CurveChart<'a> {
    /// The chart (title, SVG, words).
    pub chart: Chart,
    /// The curve.
    pub curve: &'a PayoutCurve,
    /// Where the rep stands on it, in a sentence (statements only).
    pub position: Option<String>,
    /// How much more of the measure reaches the next band (statements only).
    pub next: Option<String>,
}

/// A payout curve's chart: `whose` names the quota (`your quota`, `an example quota`).
pub fn curve_chart<'a>(curve: &'a PayoutCurve, whose: &str) -> CurveChart<'a> {
    let title = format!(
        "Payout curve: what a {} pays at each attainment ({}) of {whose} of {}",
        curve.window, curve.attainment, curve.quota
    );
    let mut words = format!(
        "The line is the sum of {} over a whole {} at each attainment of the quota, from 0% to 200%; the table below gives it every 5%.",
        and_list(&curve.earnings),
        curve.window
    );
    for (name, why) in &curve.left_out {
        words.push_str(&format!(" Left out: {name}, because {why}."));
    }
    for (name, why) in &curve.not_applied {
        words.push_str(&format!(" Not applied: {name}, because {why}."));
    }
    let position = curve.rep.as_ref().map(|p| {
        format!(
            "Your attainment {} is {}: over a whole {} at this attainment the curve pays {} (the dot).",
            curve.attainment,
            p.percent_text(),
            curve.window,
            p.total_text()
        )
    });
    let chart = Chart::new(title.clone(), charts::payout_curve(&title, curve), words);
    CurveChart { chart, curve, position, next: None }
}

/// Names joined for a sentence (`commission and kicker`).
fn and_list(names: &[String]) -> String {
    match names {
        [] => "nothing".to_string(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[derive(Template)]
#[template(path = "statement.html")]
struct StatementPage<'a> {
    s: &'a Statement,
    gauges: Vec<Chart>,
    year: Chart,
    curves: Vec<CurveChart<'a>>,
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
    let curves = s
        .curves
        .iter()
        .map(|c| {
            let mut chart = curve_chart(c, "your quota");
            chart.next = s.attainments.iter().find(|a| a.name == c.attainment).and_then(|a| a.next.clone());
            chart
        })
        .collect();
    StatementPage { s, gauges, year, curves, lang: "en" }.render().map_err(|e| e.to_string())
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

/// The filters the templates use beyond askama's own.
pub(crate) mod filters {
    use askama::filters::MaybeSafe;

    /// Text whose names are written in backticks (`` `bookings` ``, as the sentences about a plan
    /// write them), HTML-escaped, each name in a `<code>` element; safe to insert as markup.
    #[askama::filter_fn]
    pub fn ticks(s: impl std::fmt::Display, _: &dyn askama::Values) -> askama::Result<MaybeSafe<String>> {
        let mut out = String::new();
        let mut open = false;
        for c in s.to_string().chars() {
            match c {
                '`' => {
                    out.push_str(if open { "</code>" } else { "<code>" });
                    open = !open;
                }
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '"' => out.push_str("&quot;"),
                '\'' => out.push_str("&#39;"),
                c => out.push(c),
            }
        }
        if open {
            out.push_str("</code>");
        }
        Ok(MaybeSafe::Safe(out))
    }
}

/// An amount grouped, with its currency (`12,900.00 USD`).
fn money(d: Decimal, currency: &str) -> String {
    format!("{} {currency}", crate::num::grouped(d))
}
