//! Rendering a payroll report: `payouts.csv`, `attainment.csv`, `errors.csv`, JSON, and a readable
//! table. Pure functions from rows to text, byte-identical for identical inputs. [`diff`] compares
//! two runs' rows.

pub mod diff;

use crate::eval::{error::EvalError, AttainmentRow, PayoutRow, Report};
use crate::num::grouped;
use rust_decimal::Decimal;

use std::io::{self, Write};

/// Writes one CSV field, quoted only when it must be (a comma, a quote or a line break in it).
fn field(out: &mut impl Write, text: &str) -> io::Result<()> {
    if text.bytes().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r')) {
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

/// Formats a decimal exactly as `Decimal`'s `Display` does (`-1000.00`), without allocating.
fn decimal(d: Decimal, buffer: &mut [u8; 48]) -> &str {
    let scale = d.scale() as usize;
    let mantissa = d.mantissa().unsigned_abs();
    let mut at = buffer.len();
    let mut digits = 0;
    let mut put = |digit: u8, at: &mut usize, digits: &mut usize| {
        if *digits == scale && scale > 0 {
            *at -= 1;
            buffer[*at] = b'.';
        }
        *at -= 1;
        buffer[*at] = b'0' + digit;
        *digits += 1;
    };
    // Nearly every amount fits 64 bits, where division by ten is a multiplication; 128-bit
    // division is a library call per digit.
    match u64::try_from(mantissa) {
        Ok(mut m) => {
            while m > 0 || digits <= scale {
                put((m % 10) as u8, &mut at, &mut digits);
                m /= 10;
            }
        }
        Err(_) => {
            let mut m = mantissa;
            while m > 0 || digits <= scale {
                put((m % 10) as u8, &mut at, &mut digits);
                m /= 10;
            }
        }
    }
    if d.is_sign_negative() && !d.is_zero() {
        at -= 1;
        buffer[at] = b'-';
    }
    std::str::from_utf8(&buffer[at..]).unwrap_or("0")
}

/// Writes `payouts.csv`: `period,rep,plan,component,amount,currency`.
pub fn write_payouts<'r>(rows: impl IntoIterator<Item = &'r PayoutRow>, out: &mut impl Write) -> io::Result<()> {
    record(out, &["period", "rep", "plan", "component", "amount", "currency"])?;
    let mut buffer = [0u8; 48];
    for r in rows {
        record(out, &[&r.period, &r.rep, &r.plan, r.component.name(), decimal(r.amount, &mut buffer), &r.currency])?;
    }
    Ok(())
}

/// Writes `attainment.csv`: `period,rep,plan,attainment,measure,value,quota,percent`.
pub fn write_attainment<'r>(rows: impl IntoIterator<Item = &'r AttainmentRow>, out: &mut impl Write) -> io::Result<()> {
    record(out, &["period", "rep", "plan", "attainment", "measure", "value", "quota", "percent"])?;
    let (mut a, mut b, mut c) = ([0u8; 48], [0u8; 48], [0u8; 48]);
    for r in rows {
        let (value, quota, percent) = (decimal(r.value, &mut a), decimal(r.quota, &mut b), decimal(r.percent, &mut c));
        record(out, &[&r.period, &r.rep, &r.plan, &r.attainment, &r.measure, value, quota, percent])?;
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
        record(out, &[&e.period, &e.rep, &e.plan, e.diagnostic.code.id, &e.diagnostic.message])?;
    }
    Ok(())
}

/// `{"payouts": [...], "attainment": [...]}`, amounts as strings.
pub fn json(report: &Report) -> String {
    let payouts: Vec<&PayoutRow> = report.payouts().collect();
    let attainment: Vec<&AttainmentRow> = report.attainment().collect();
    pretty(serde_json::json!({ "payouts": payouts, "attainment": attainment }))
}

/// [`json`] with the diagnostics of the reps left out (`run --keep-going`), each as
/// [`crate::diagnostics::render::json_diagnostic`] makes it: `{"payouts": [...], "attainment":
/// [...], "diagnostics": [...]}`.
pub fn json_with_diagnostics(report: &Report, diagnostics: Vec<serde_json::Value>) -> String {
    let payouts: Vec<&PayoutRow> = report.payouts().collect();
    let attainment: Vec<&AttainmentRow> = report.attainment().collect();
    pretty(serde_json::json!({ "payouts": payouts, "attainment": attainment, "diagnostics": diagnostics }))
}

fn pretty(value: serde_json::Value) -> String {
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
    let width = payouts.iter().map(|r| r.component.name().len()).max().unwrap_or(10).max(10);
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
                a.attainment,
                grouped(a.value),
                grouped(a.quota),
                a.percent
            ));
        }
    }
    if payouts.is_empty() {
        out.push_str("no rep is evaluated in this period\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::decimal;
    use rust_decimal::Decimal;

    #[test]
    fn decimals_print_as_display_does() {
        for d in [
            Decimal::new(740000, 2),
            Decimal::new(-100000, 2),
            Decimal::ZERO,
            Decimal::new(0, 2),
            Decimal::new(5, 3),
            Decimal::new(-5, 1),
            Decimal::new(123, 0),
            Decimal::MAX,
            Decimal::MIN,
        ] {
            let mut buffer = [0u8; 48];
            assert_eq!(decimal(d, &mut buffer), d.to_string(), "{d:?}");
        }
    }
}
