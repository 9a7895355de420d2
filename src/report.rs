//! Rendering a payroll report: `payouts.csv`, `attainment.csv`, `errors.csv`, JSON, and a readable
//! table. Pure functions from rows to text, byte-identical for identical inputs.

use crate::eval::{error::EvalError, AttainmentRow, PayoutRow, Report};
use rust_decimal::Decimal;

fn csv_text(header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> String {
    let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
    let _ = writer.write_record(header);
    for row in rows {
        let _ = writer.write_record(&row);
    }
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// `payouts.csv`: `period,rep,plan,component,amount,currency`.
pub fn payouts_csv(rows: &[PayoutRow]) -> String {
    csv_text(
        &["period", "rep", "plan", "component", "amount", "currency"],
        rows.iter().map(|r| vec![r.period.clone(), r.rep.clone(), r.plan.clone(), r.component.clone(), r.amount.to_string(), r.currency.clone()]),
    )
}

/// `attainment.csv`: `period,rep,plan,measure,value,quota,attainment`.
pub fn attainment_csv(rows: &[AttainmentRow]) -> String {
    csv_text(
        &["period", "rep", "plan", "measure", "value", "quota", "attainment"],
        rows.iter().map(|r| {
            vec![r.period.clone(), r.rep.clone(), r.plan.clone(), r.measure.clone(), r.value.to_string(), r.quota.to_string(), r.attainment.to_string()]
        }),
    )
}

/// `errors.csv` (with `--keep-going`): the reps left out and why.
pub fn errors_csv(errors: &[EvalError]) -> String {
    csv_text(
        &["period", "rep", "plan", "code", "message"],
        errors.iter().map(|e| vec![e.period.clone(), e.rep.clone(), e.plan.clone(), e.code.id.to_string(), e.message.clone()]),
    )
}

/// `{"payouts": [...], "attainment": [...]}`, amounts as strings.
pub fn json(report: &Report) -> String {
    let value = serde_json::json!({ "payouts": report.payouts, "attainment": report.attainment });
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}

/// A readable table: one block per period, rep and plan.
pub fn text(report: &Report) -> String {
    let mut out = String::new();
    let mut current: Option<(&str, &str, &str)> = None;
    let width = report.payouts.iter().map(|r| r.component.len()).max().unwrap_or(10).max(10);
    let amount_width = report.payouts.iter().map(|r| grouped(r.amount).len()).max().unwrap_or(10);
    for row in &report.payouts {
        let key = (row.period.as_str(), row.rep.as_str(), row.plan.as_str());
        if current != Some(key) {
            if current.is_some() {
                out.push('\n');
            }
            out.push_str(&format!("{}  {}  {} ({})\n", row.period, row.rep, row.plan, row.currency));
            current = Some(key);
        }
        out.push_str(&format!("  {:<width$}  {:>amount_width$}\n", row.component, grouped(row.amount)));
    }
    if !report.attainment.is_empty() {
        out.push_str("\nattainment\n");
        for a in &report.attainment {
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
    if report.payouts.is_empty() {
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
