//! Rendering a payroll report: `payouts.csv`, `attainment.csv`, `errors.csv`, JSON, and a readable
//! table. Pure functions from rows to text, byte-identical for identical inputs.

use crate::eval::{error::EvalError, AttainmentRow, PayoutRow, Report};
use rust_decimal::Decimal;

use std::io::{self, Write};

/// Writes one CSV field, quoted only when it must be (a comma, a quote or a line break in it).
fn field(out: &mut impl Write, text: &str) -> io::Result<()> {
    if text.contains([',', '"', '\n', '\r']) {
        write!(out, "\"{}\"", text.replace('"', "\"\""))
    } else {
        out.write_all(text.as_bytes())
    }
}

fn record(out: &mut impl Write, fields: &[&str]) -> io::Result<()> {
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        field(out, f)?;
    }
    out.write_all(b"\n")
}

/// Writes `payouts.csv`: `period,rep,plan,component,amount,currency`.
pub fn write_payouts<'r>(rows: impl IntoIterator<Item = &'r PayoutRow>, out: &mut impl Write) -> io::Result<()> {
    record(out, &["period", "rep", "plan", "component", "amount", "currency"])?;
    let mut amount = String::new();
    for r in rows {
        amount.clear();
        use std::fmt::Write as _;
        let _ = write!(amount, "{}", r.amount);
        record(out, &[&r.period, &r.rep, &r.plan, &r.component, &amount, &r.currency])?;
    }
    Ok(())
}

/// Writes `attainment.csv`: `period,rep,plan,measure,value,quota,attainment`.
pub fn write_attainment<'r>(rows: impl IntoIterator<Item = &'r AttainmentRow>, out: &mut impl Write) -> io::Result<()> {
    record(out, &["period", "rep", "plan", "measure", "value", "quota", "attainment"])?;
    for r in rows {
        let (value, quota, attainment) = (r.value.to_string(), r.quota.to_string(), r.attainment.to_string());
        record(out, &[&r.period, &r.rep, &r.plan, &r.measure, &value, &quota, &attainment])?;
    }
    Ok(())
}

fn to_string(write: impl FnOnce(&mut Vec<u8>) -> io::Result<()>) -> String {
    let mut bytes = Vec::new();
    let _ = write(&mut bytes);
    String::from_utf8(bytes).unwrap_or_default()
}

/// `payouts.csv` as text.
pub fn payouts_csv<'r>(rows: impl IntoIterator<Item = &'r PayoutRow>) -> String {
    to_string(|out| write_payouts(rows, out))
}

/// `attainment.csv` as text.
pub fn attainment_csv<'r>(rows: impl IntoIterator<Item = &'r AttainmentRow>) -> String {
    to_string(|out| write_attainment(rows, out))
}

/// Writes `errors.csv` (with `--keep-going`): the reps left out and why.
pub fn write_errors(errors: &[EvalError], out: &mut impl Write) -> io::Result<()> {
    record(out, &["period", "rep", "plan", "code", "message"])?;
    for e in errors {
        record(out, &[&e.period, &e.rep, &e.plan, e.code.id, &e.message])?;
    }
    Ok(())
}

/// `errors.csv` as text.
pub fn errors_csv(errors: &[EvalError]) -> String {
    to_string(|out| write_errors(errors, out))
}

/// `{"payouts": [...], "attainment": [...]}`, amounts as strings.
pub fn json(report: &Report) -> String {
    let payouts: Vec<&PayoutRow> = report.payouts().collect();
    let attainment: Vec<&AttainmentRow> = report.attainment().collect();
    let value = serde_json::json!({ "payouts": payouts, "attainment": attainment });
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}

/// A readable table: one block per period, rep and plan.
pub fn text(report: &Report) -> String {
    let mut out = String::new();
    let mut current: Option<(&str, &str, &str)> = None;
    let payouts: Vec<&PayoutRow> = report.payouts().collect();
    let attainment: Vec<&AttainmentRow> = report.attainment().collect();
    let width = payouts.iter().map(|r| r.component.len()).max().unwrap_or(10).max(10);
    let amount_width = payouts.iter().map(|r| grouped(r.amount).len()).max().unwrap_or(10);
    for row in &payouts {
        let key = (&*row.period, &*row.rep, &*row.plan);
        if current != Some(key) {
            if current.is_some() {
                out.push('\n');
            }
            out.push_str(&format!("{}  {}  {} ({})\n", row.period, row.rep, row.plan, row.currency));
            current = Some(key);
        }
        out.push_str(&format!("  {:<width$}  {:>amount_width$}\n", row.component, grouped(row.amount)));
    }
    if !attainment.is_empty() {
        out.push_str("\nattainment\n");
        for a in &attainment {
            out.push_str(&format!(
                "  {}  {}  {}  {}: {} / {} = {}%\n",
                a.period,
                a.rep,
                a.plan,
                a.measure,
                grouped(a.value),
                grouped(a.quota),
                a.attainment
            ));
        }
    }
    if payouts.is_empty() {
        out.push_str("no rep is evaluated in this period\n");
    }
    out
}

/// An amount with thousands separators, for people: `12900.00` → `12,900.00`.
pub fn grouped(d: Decimal) -> String {
    let text = d.to_string();
    let (sign, digits) = text.strip_prefix('-').map_or(("", text.as_str()), |t| ("-", t));
    let (int, frac) = digits.split_once('.').map_or((digits, None), |(i, f)| (i, Some(f)));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}
