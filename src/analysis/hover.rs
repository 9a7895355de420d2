//! Hover: what the name under the cursor is, as Markdown.
//!
//! A definition shows its kind, name and type with units, then its `///` comment; a tier table also
//! shows its bands; a schema column shows its declared type; a credit field its type and meaning.

use super::declaration::{find, Declaration};
use super::index::{file_index, Symbol};
use crate::ast::{self, Row, Span};
use crate::check::source_map::DefKind;
use crate::check::{check_plan_item, credit_currency};
use crate::model::CreditField;
use crate::source::{SourceFile, Workspace};
use crate::Db;

/// What a hover shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hover {
    /// The name hovered, which the editor highlights.
    pub span: Span,
    /// The text to show, in Markdown.
    pub markdown: String,
}

/// The hover at a byte offset of a file, if a name is there.
pub fn hover(db: &dyn Db, ws: Workspace, file: SourceFile, offset: usize) -> Option<Hover> {
    let occurrence = file_index(db, ws, file).at(offset)?.clone();
    let markdown = describe(db, ws, &occurrence.symbol)?;
    Some(Hover { span: occurrence.span, markdown })
}

/// The Markdown that describes a symbol.
fn describe(db: &dyn Db, ws: Workspace, symbol: &Symbol) -> Option<String> {
    match symbol {
        Symbol::CreditField(field) => return Some(credit_field(db, ws, field)),
        Symbol::CreditRow => return Some(credit_row(db, ws)),
        _ => {}
    }
    let declaration = find(db, ws, symbol)?;
    let text = declaration.file.text(db);
    let source = |span: Span| text.get(span.start..span.end).unwrap_or_default().trim().to_string();
    // An expression may run over lines continued after a comma, with comments in the breaks.
    let expr = |span: Span| crate::syntax::one_line(text.get(span.start..span.end).unwrap_or_default());
    let (signature, doc, extra) = match declaration.kind {
        Declaration::Table(table) => {
            let columns: Vec<String> = table.columns.iter().map(|c| format!("- `{}`", source(c.span))).collect();
            (format!("schema {}", table.name), table.doc.clone(), Some(columns.join("\n")))
        }
        Declaration::Column { table, column } => (format!("{table}.{}", source(column.span)), column.doc.clone(), None),
        Declaration::Territory(territory) => {
            (format!("territory {} when {}", territory.name, expr(territory.condition)), territory.doc.clone(), None)
        }
        Declaration::Credit => return Some(credit_row(db, ws)),
        Declaration::Plan(plan) => {
            (source(plan.header).trim_end_matches('{').trim_end().to_string(), plan.doc.clone(), None)
        }
        Declaration::Definition { plan, definition } => {
            let name = &definition.name;
            let ty = check_plan_item(db, plan)
                .types
                .iter()
                .find(|t| t.name == *name)
                .map_or_else(|| "unknown".to_string(), |t| t.ty.to_string());
            let (signature, extra) = match (definition.kind, plan.ast(db).kind.entries.get(definition.entry)) {
                (DefKind::Table, Some(ast::Node { kind: ast::Entry::Table(table), .. })) => {
                    let (mode, _) = table.mode;
                    let mut rows = bands(table, &source);
                    if keyed_on_credit_amount(table) {
                        rows.push_str(PER_DEAL);
                    }
                    (format!("table {name} {} on {}: {ty}", mode.keyword(), expr(table.key.span)), Some(rows))
                }
                (DefKind::Quota, _) => (format!("quota {name}: {ty}"), None),
                (DefKind::Measure, _) => (format!("measure {name}: {ty}"), None),
                (DefKind::Attainment, _) => (format!("attainment {name}: {ty}"), None),
                (DefKind::Earning, _) => (format!("earn {name}: {ty}"), Some(EARNING_READ.replace("NAME", name))),
                _ => (format!("{name}: {ty}"), None),
            };
            (signature, definition.doc.clone(), extra)
        }
    };
    let mut out = format!("```compplan\n{signature}\n```");
    for part in [doc, extra].into_iter().flatten().filter(|p| !p.is_empty()) {
        out.push_str("\n\n");
        out.push_str(&part);
    }
    Some(out)
}

/// What a hover adds under an earning: what another earning reads when it names it.
const EARNING_READ: &str = "Another earning may read it in a scope (`NAME period`, `NAME quarter`, `NAME ytd`): \
                            the sum of its lines in that window, before rounding, holds not deducted.";

/// What a hover adds under the rows of a table keyed on `credit.amount`.
const PER_DEAL: &str =
    "\n\nEach deal is tiered on its own amount (the rep's credited part of it): the table has a value \
                        in a per-deal earning, `… per deal`.";

/// Whether a table is keyed on one credit's amount (`on credit.amount`).
fn keyed_on_credit_amount(table: &ast::Table) -> bool {
    matches!(&table.key.kind, ast::ExprKind::Path(ast::Path { head, field: Some(field) })
        if head.text == "credit" && field.text == "amount")
}

/// A table's rows as a Markdown table, in the order written.
fn bands(table: &ast::Table, source: &dyn Fn(Span) -> String) -> String {
    let value = |v: &ast::Value| source(v.span);
    let header = match table.mode.0 {
        ast::TableMode::Linear => "| at | value |\n|---|---|",
        ast::TableMode::Lookup => "| key | value |\n|---|---|",
        _ => "| from | to | value |\n|---|---|---|",
    };
    let mut lines = vec![header.to_string()];
    for row in &table.rows {
        lines.push(match &row.kind {
            Row::Band { from, to, value: v } => format!("| {} | {} | {} |", value(from), value(to), value(v)),
            Row::Open { from, value: v, above: false } => format!("| {} | and above | {} |", value(from), value(v)),
            Row::Open { from, value: v, above: true } => format!("| above {} | | {} |", value(from), value(v)),
            Row::Point { at, value: v } => format!("| {} | {} |", value(at), value(v)),
            Row::Key { keys, value: v } => {
                format!("| {} | {} |", keys.iter().map(value).collect::<Vec<_>>().join(", "), value(v))
            }
            Row::Otherwise { value: v } => format!("| otherwise | {} |", value(v)),
            Row::Error(_) => continue,
        });
    }
    lines.join("\n")
}

/// What a credit row is, and its fields.
fn credit_row(db: &dyn Db, ws: Workspace) -> String {
    let mut out = "```compplan\ncredit: a credit row\n```\n\nOne credit of one rep for one deal, made by the rules of the workspace's `credit` block (the \
                   owner, splits, territories, roll-ups to managers), and reversed by a negative row when the deal is cancelled \
                   within the clawback window. Measures sum or count credit rows; `deal.…` beside `credit.…` reads the credited deal.\n\nFields:"
        .to_string();
    for (name, _) in CreditField::ALL {
        let (ty, meaning) = credit_field_parts(db, ws, name);
        out.push_str(&format!("\n- `credit.{name}`: {ty}. {meaning}"));
    }
    out
}

fn credit_field(db: &dyn Db, ws: Workspace, field: &str) -> String {
    let (ty, meaning) = credit_field_parts(db, ws, field);
    format!("```compplan\ncredit.{field}: {ty}\n```\n\n{meaning}")
}

/// A credit field's type (with the credit currency) and meaning.
fn credit_field_parts(db: &dyn Db, ws: Workspace, field: &str) -> (String, &'static str) {
    let currency = credit_currency(db, ws).clone();
    match field {
        "amount" => (
            currency.map_or_else(|| "money".to_string(), |c| format!("money ({c})")),
            "The amount credited, converted into the credit currency; negative for the reversal of a cancelled deal.",
        ),
        "kind" => ("text".to_string(), "How the rep was credited: \"direct\", \"split\", \"territory\" or \"rollup\"."),
        "date" => (
            "date".to_string(),
            "The day the credit is dated: the close date, or the cancellation date for a reversal.",
        ),
        "reversal" => ("true/false".to_string(), "True for the reversal of a cancelled deal."),
        _ => ("percent".to_string(), "The rep's share of the deal (100% for direct credit)."),
    }
}
