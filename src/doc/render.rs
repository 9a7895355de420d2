//! A plan document as a page: HTML (`templates/doc.html`, self-contained, with a print stylesheet
//! and the payout curves as inline SVG) or Markdown (`templates/doc.md`). askama escapes every
//! value of the HTML page; in the Markdown one every value goes through the `md` filter, which
//! writes `<`, `>` and `&` as entities and keeps Markdown's punctuation from being read as markup
//! (a test checks that no value of the template goes without it).

use super::Document;
use crate::statement::{curve_chart, CurveChart};
use askama::Template;

#[derive(Template)]
#[template(path = "doc.html")]
struct HtmlPage<'a> {
    d: &'a Document,
    charts: Vec<CurveChart<'a>>,
    lang: &'a str,
}

#[derive(Template)]
#[template(path = "doc.md", escape = "none")]
struct MarkdownPage<'a> {
    d: &'a Document,
    charts: Vec<CurveChart<'a>>,
}

/// The document as a self-contained HTML page.
pub fn document_html(d: &Document) -> Result<String, String> {
    let charts = d.curves.iter().map(chart).collect();
    HtmlPage { d, charts, lang: "en" }.render().map_err(|e| e.to_string())
}

/// The document as Markdown (the curve as its table; the chart itself is in the HTML).
pub fn document_markdown(d: &Document) -> Result<String, String> {
    let charts = d.curves.iter().map(chart).collect();
    MarkdownPage { d, charts }.render().map_err(|e| e.to_string())
}

/// A curve's chart, its quota named as the plan's own or an example.
fn chart(c: &super::CurveDoc) -> CurveChart<'_> {
    curve_chart(&c.curve, if c.own { "the plan's quota" } else { "an example quota" })
}

mod filters {
    pub use crate::statement::filters::ticks;

    /// Text shown as written, as an indented Markdown code block (where nothing is markup).
    #[askama::filter_fn]
    pub fn indented(s: impl std::fmt::Display, _: &dyn askama::Values) -> askama::Result<String> {
        Ok(s.to_string().lines().map(|l| format!("    {l}")).collect::<Vec<_>>().join("\n"))
    }

    /// Free text kept from being read as Markdown: its punctuation escaped with backslashes, its
    /// line breaks made spaces (a value stays on its line, in a table cell or a list item).
    #[askama::filter_fn]
    pub fn md(s: impl std::fmt::Display, _: &dyn askama::Values) -> askama::Result<String> {
        let mut out = String::new();
        for c in s.to_string().chars() {
            match c {
                '\\' | '*' | '[' | ']' | '#' | '|' => {
                    out.push('\\');
                    out.push(c);
                }
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '\n' | '\r' => out.push(' '),
                c => out.push(c),
            }
        }
        Ok(out)
    }
}
