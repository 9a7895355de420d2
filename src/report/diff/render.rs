//! `compplan diff`'s three outputs: a table for people, JSON for machines, and Markdown for a pull
//! request comment. Same diff, same bytes; amounts are exact, with their currency.

use super::{net_change, Amounts, Attained, AttainmentChange, PayoutDiff};
use crate::num::grouped;
use rust_decimal::Decimal;
use std::fmt::Write as _;

/// What was compared, for headings.
#[derive(Clone, Copy, Debug)]
pub struct Compared<'a> {
    /// The base plans as the user named them: a folder or a git revision.
    pub base: &'a str,
    /// The commit a revision names.
    pub commit: Option<&'a str>,
    /// The period asked for (`2026-03`, `2026-Q1`, `2026`).
    pub period: &'a str,
}

/// The Markdown table lists this many reps at most: a pull request comment has a size limit.
pub const MARKDOWN_REPS: usize = 30;
/// …and this many rows of each rep at most.
pub const MARKDOWN_ROWS: usize = 8;

/// Shown for an amount a side does not have.
const ABSENT: &str = "—";

/// One sentence: `no payout changes`, or `3 reps' payouts change: +1,234.56 USD in total`.
pub fn summary(diff: &PayoutDiff) -> String {
    if !diff.changed() {
        return "no payout changes".to_string();
    }
    let n = diff.reps.len();
    let who = if n == 1 { "1 rep's".to_string() } else { format!("{} reps'", count(n)) };
    let net: Vec<String> =
        net_change(diff).iter().map(|(currency, delta)| format!("{} {currency}", signed(*delta))).collect();
    let net = if net.is_empty() { "nothing".to_string() } else { net.join(", ") };
    format!("{who} payouts change: {net} in total")
}

/// A change with its sign: `+900.00`, `-12.50`, `0.00`.
pub fn signed(d: Decimal) -> String {
    if d.is_sign_positive() && !d.is_zero() {
        format!("+{}", grouped(d))
    } else {
        grouped(d)
    }
}

/// A count with thousands separators: `242,261`.
fn count(n: usize) -> String {
    grouped(Decimal::from(n))
}

fn amount(d: Option<Decimal>) -> String {
    d.map_or_else(|| ABSENT.to_string(), grouped)
}

fn width<'s>(texts: impl Iterator<Item = &'s str>) -> usize {
    texts.map(|t| t.chars().count()).max().unwrap_or(0)
}

/// `base `plans` → working plans, 9 payout rows of 3 reps compared`, with the base already quoted.
fn compared_line(diff: &PayoutDiff, what: &Compared<'_>, base: &str) -> String {
    let (rows, reps) = (diff.rows_compared, diff.reps_compared);
    let commit = what.commit.map(|c| format!(" ({})", c.chars().take(12).collect::<String>())).unwrap_or_default();
    format!(
        "base {base}{commit} → working plans, {} payout row{} of {} rep{} compared",
        count(rows),
        if rows == 1 { "" } else { "s" },
        count(reps),
        if reps == 1 { "" } else { "s" }
    )
}

fn payroll_lines(diff: &PayoutDiff, what: &Compared<'_>) -> Vec<String> {
    diff.totals
        .iter()
        .map(|t| {
            format!(
                "payroll in {}: {} → {} {} ({})",
                what.period,
                amount(t.base),
                amount(t.working),
                t.currency,
                signed(t.delta)
            )
        })
        .collect()
}

fn attained(a: &Option<Attained>) -> String {
    match a {
        Some(a) => format!("{} / {} = {}%", grouped(a.value), grouped(a.quota), a.attainment),
        None => ABSENT.to_string(),
    }
}

fn attainment_line(a: &AttainmentChange) -> String {
    format!("{}  {}  {}  {}: {} → {}", a.period, a.rep, a.plan, a.attainment, attained(&a.base), attained(&a.working))
}

/// A table for people: each changed rep with its total on both sides, then the rows that explain
/// it, largest first; the payroll on both sides; the changed attainment; the summary.
pub fn text(diff: &PayoutDiff, what: &Compared<'_>) -> String {
    let mut out =
        format!("compplan diff {}: {}\n", what.period, compared_line(diff, what, &format!("`{}`", what.base)));
    if diff.changed() {
        let components = || diff.reps.iter().flat_map(|r| r.components.iter());
        let (pw, lw, cw) = (
            width(components().map(|c| &*c.period)),
            width(components().map(|c| &*c.plan)),
            width(components().map(|c| c.component.name())),
        );
        // Each line is a label, then base, working and change, then the currency.
        let mut lines: Vec<(String, &Amounts)> = Vec::new();
        for rep in &diff.reps {
            // A rep always has a `total` row on some side, so a line with its name.
            for (i, total) in rep.totals.iter().enumerate() {
                lines.push((if i == 0 { rep.rep.to_string() } else { String::new() }, total));
            }
            for c in &rep.components {
                lines.push((format!("  {:<pw$}  {:<lw$}  {:<cw$}", c.period, c.plan, c.component), &c.amounts));
            }
        }
        let label = width(lines.iter().map(|(l, _)| l.as_str()));
        let cells: Vec<[String; 3]> =
            lines.iter().map(|(_, a)| [amount(a.base), amount(a.working), signed(a.delta)]).collect();
        let column = |i: usize, head: &str| width(cells.iter().map(|c| c[i].as_str()).chain([head]));
        let (bw, ww, dw) = (column(0, "base"), column(1, "working"), column(2, "change"));
        out.push('\n');
        out.push_str(format!("{:<label$}  {:>bw$}  {:>ww$}  {:>dw$}", "", "base", "working", "change").trim_end());
        out.push('\n');
        for ((l, a), [b, w, d]) in lines.iter().zip(&cells) {
            let _ = writeln!(out, "{l:<label$}  {b:>bw$}  {w:>ww$}  {d:>dw$} {}", a.currency);
        }
        out.push('\n');
        for line in payroll_lines(diff, what) {
            let _ = writeln!(out, "{line}");
        }
    }
    if !diff.attainment.is_empty() {
        out.push_str("\nattainment changes\n");
        for a in &diff.attainment {
            let _ = writeln!(out, "  {}", attainment_line(a));
        }
    }
    out.push('\n');
    out.push_str(&summary(diff));
    out.push('\n');
    out
}

/// The diff as one JSON document, with stable field names and amounts as strings (`null` where a
/// side has no such row).
pub fn json(diff: &PayoutDiff, what: &Compared<'_>) -> String {
    let value = serde_json::json!({
        "version": 1,
        "period": what.period,
        "base": what.base,
        "commit": what.commit,
        "changed": diff.changed(),
        "summary": summary(diff),
        "compared": { "reps": diff.reps_compared, "rows": diff.rows_compared },
        "totals": diff.totals,
        "reps": diff.reps,
        "attainment": diff.attainment,
    });
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// Escapes the characters Markdown would read as formatting or as a table's cell boundary.
fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '|' | '*' | '_' | '`' | '<' | '>' | '[' | ']' | '#' | '~') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn md_amount(d: Option<Decimal>, currency: &str) -> String {
    d.map_or_else(|| ABSENT.to_string(), |d| format!("{} {}", grouped(d), md(currency)))
}

/// Markdown for a pull request comment: a heading, the summary, and a table of the changed reps
/// (at most [`MARKDOWN_REPS`], each with at most [`MARKDOWN_ROWS`] rows); no colour, no HTML.
pub fn markdown(diff: &PayoutDiff, what: &Compared<'_>) -> String {
    let mut out = format!("### compplan diff {}\n\n", md(what.period));
    // A code span cannot escape a backtick: a base named with one is escaped as text instead.
    let base = if what.base.contains('`') { md(what.base) } else { format!("`{}`", what.base) };
    let _ = writeln!(out, "{}.\n", capitalised(&compared_line(diff, what, &base)));
    let _ = writeln!(out, "**{}.**", md(&summary(diff)));
    if diff.changed() {
        out.push_str(
            "\n| rep | period | plan | component | base | working | change |\n|:--|:--|:--|:--|--:|--:|--:|\n",
        );
        for rep in diff.reps.iter().take(MARKDOWN_REPS) {
            for (i, t) in rep.totals.iter().enumerate() {
                let name = if i == 0 { format!("**{}**", md(&rep.rep)) } else { String::new() };
                let change = format!("**{} {}**", signed(t.delta), md(&t.currency));
                let _ = writeln!(
                    out,
                    "| {name} | | | total | {} | {} | {change} |",
                    md_amount(t.base, &t.currency),
                    md_amount(t.working, &t.currency)
                );
            }
            for c in rep.components.iter().take(MARKDOWN_ROWS) {
                let a = &c.amounts;
                let _ = writeln!(
                    out,
                    "| | {} | {} | {} | {} | {} | {} {} |",
                    md(&c.period),
                    md(&c.plan),
                    md(c.component.name()),
                    md_amount(a.base, &a.currency),
                    md_amount(a.working, &a.currency),
                    signed(a.delta),
                    md(&a.currency)
                );
            }
            if rep.components.len() > MARKDOWN_ROWS {
                let more = rep.components.len() - MARKDOWN_ROWS;
                let _ = writeln!(out, "| | | | … {more} more row{} | | | |", if more == 1 { "" } else { "s" });
            }
        }
        if diff.reps.len() > MARKDOWN_REPS {
            let more = diff.reps.len() - MARKDOWN_REPS;
            let _ = writeln!(
                out,
                "\n… and {} more rep{}: `compplan diff` lists them all.",
                count(more),
                if more == 1 { "" } else { "s" }
            );
        }
        out.push('\n');
        for line in payroll_lines(diff, what) {
            let _ = writeln!(out, "{}.", md(&capitalised(&line)));
        }
    }
    if !diff.attainment.is_empty() {
        out.push_str("\n#### Attainment changes\n\n| period | rep | plan | attainment | base | working |\n|:--|:--|:--|:--|--:|--:|\n");
        for a in diff.attainment.iter().take(MARKDOWN_REPS) {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} |",
                md(&a.period),
                md(&a.rep),
                md(&a.plan),
                md(&a.attainment),
                md(&attained(&a.base)),
                md(&attained(&a.working))
            );
        }
        if diff.attainment.len() > MARKDOWN_REPS {
            let more = diff.attainment.len() - MARKDOWN_REPS;
            let _ = writeln!(out, "\n… and {} more attainment row{}.", count(more), if more == 1 { "" } else { "s" });
        }
    }
    out
}
