//! Files and top-level items: schema tables, the crediting block, territories and plans, with the
//! header lines of a plan put first in their canonical order.

use super::expr::path_text;
use super::layout::{lay_out, push_comments, push_node, spaces, Decline, Out, Piece, Printer};
use crate::ast::{
    Close, Column, ColumnFlag, ColumnType, Credit, CreditRule, Entry, Field, File, Item, Node, Plan, Schema, Span,
};

impl Printer<'_> {
    /// A whole file: its items at the left margin, one newline at the end.
    pub(super) fn file(&self, file: &File) -> Out<String> {
        let mut pieces = Vec::new();
        for node in &file.items {
            let text = self.item(node)?;
            push_node(&mut pieces, node, 0, text);
        }
        push_comments(&mut pieces, &file.end_comments, 0);
        let mut out = String::new();
        lay_out(&pieces, &mut out);
        Ok(out)
    }

    fn item(&self, node: &Node<Item>) -> Out<String> {
        match &node.kind {
            Item::Schema(schema) => self.schema(schema, node.span),
            Item::Credit(credit) => self.credit(credit),
            Item::Territory(territory) => {
                let mut out = format!("territory {} when ", territory.name.text);
                self.expr(&territory.condition, &mut out)?;
                Ok(out)
            }
            Item::Plan(plan) => self.plan(plan),
            Item::Error(_) => Err(Decline),
        }
    }

    /// A block: its header line, its pieces one level deeper, and `}` at the header's indentation.
    pub(super) fn block(&self, indent: usize, header: &str, body: &[Piece], close: &Close) -> Out<String> {
        if let Close::Missing(_) = close {
            return Err(Decline);
        }
        let mut out = format!("{}{header} {{\n", spaces(indent));
        lay_out(body, &mut out);
        out.push_str(&spaces(indent));
        out.push('}');
        Ok(out)
    }

    /// `schema NAME { … }`: one field per line, or all on one line (`; ` between them) when the
    /// author wrote the schema on one line.
    fn schema(&self, schema: &Schema, span: Span) -> Out<String> {
        let header = format!("schema {}", schema.name.text);
        let one_line = !self.slice(span)?.contains('\n')
            && schema.end_comments.is_empty()
            && schema.fields.iter().all(|f| f.trivia.leading.is_empty() && f.trivia.trailing.is_none());
        if one_line {
            let fields = schema.fields.iter().map(|f| field_text(&f.kind)).collect::<Out<Vec<_>>>()?;
            if let Close::Missing(_) = schema.close {
                return Err(Decline);
            }
            return Ok(if fields.is_empty() {
                format!("{header} {{}}")
            } else {
                format!("{header} {{ {} }}", fields.join("; "))
            });
        }
        let mut pieces = Vec::new();
        for node in &schema.fields {
            let text = format!("  {}", field_text(&node.kind)?);
            push_node(&mut pieces, node, 2, text);
        }
        push_comments(&mut pieces, &schema.end_comments, 2);
        self.block(0, &header, &pieces, &schema.close)
    }

    /// `credit { … }`: one rule per line.
    fn credit(&self, credit: &Credit) -> Out<String> {
        let mut pieces = Vec::new();
        for node in &credit.rules {
            let text = format!("  {}", self.credit_rule(&node.kind)?);
            push_node(&mut pieces, node, 2, text);
        }
        push_comments(&mut pieces, &credit.end_comments, 2);
        self.block(0, "credit", &pieces, &credit.close)
    }

    fn credit_rule(&self, rule: &CreditRule) -> Out<String> {
        Ok(match rule {
            CreditRule::Amount { amount } => format!("credit {}", path_text(amount)?),
            CreditRule::Convert { amount, currency, table, date } => {
                format!(
                    "convert {} to {} using {} on {}",
                    path_text(amount)?,
                    currency.text,
                    table.text,
                    path_text(date)?
                )
            }
            CreditRule::Owner { row, owner, date } => {
                format!("{} to {} on {}", row.text, path_text(owner)?, path_text(date)?)
            }
            CreditRule::Splits { row, table, overlay, up_to } => {
                let mut text = format!("{} by {}", row.text, table.text);
                if overlay.is_some() {
                    text.push_str(" overlay");
                }
                if let Some(most) = up_to {
                    text.push_str(&format!(" up to {}", self.slice(most.span)?));
                }
                text
            }
            CreditRule::Territory { row, assignment } => {
                format!("{} by territory {}", row.text, path_text(assignment)?)
            }
            CreditRule::Rollup { manager } => format!("rollup to {}", path_text(manager)?),
            CreditRule::Clawback { part, cancelled, window } => {
                let mut text = String::from("clawback ");
                if let Some(part) = part {
                    text.push_str(self.slice(part.span)?);
                    text.push(' ');
                }
                text.push_str(&format!("when {}", path_text(cancelled)?));
                if let Some(w) = window {
                    text.push_str(&format!(" within {} days of {}", self.slice(w.days.1)?, path_text(&w.from)?));
                }
                text
            }
            CreditRule::Employed { from, to } => format!("employed from {} to {}", path_text(from)?, path_text(to)?),
            CreditRule::Error(_) => return Err(Decline),
        })
    }

    /// `plan NAME "TITLE" version N { … }`: header lines first (effective, currency, pay, fiscal,
    /// rounding), then the other entries in the author's order, each with its comments. When
    /// header lines had to move, no blank line separates them.
    fn plan(&self, plan: &Plan) -> Out<String> {
        let mut header = String::from("plan");
        if let Some(name) = &plan.name {
            header.push(' ');
            header.push_str(&name.text);
        }
        if let Some((_, span)) = &plan.title {
            header.push(' ');
            header.push_str(self.slice(*span)?);
        }
        if let Some((_, span)) = &plan.version {
            header.push_str(" version ");
            header.push_str(self.slice(*span)?);
        }
        let mut entries: Vec<&Node<Entry>> = plan.entries.iter().collect();
        entries.sort_by_key(|node| header_rank(&node.kind));
        // Header lines that had to move form one group: the blank lines around them in their old
        // places mean nothing in the new ones.
        let moved = entries.iter().zip(&plan.entries).any(|(a, b)| !std::ptr::eq(*a, b));
        let mut pieces = Vec::new();
        for node in entries {
            let text = self.entry(node, 2)?;
            push_node(&mut pieces, node, 2, text);
            if moved && header_rank(&node.kind) < 5 {
                if let Some(piece) = pieces.last_mut() {
                    piece.blank_before = false;
                }
            }
        }
        push_comments(&mut pieces, &plan.end_comments, 2);
        self.block(0, &header, &pieces, &plan.close)
    }
}

/// Where an entry goes: header lines in their canonical order, then everything else (a stable sort
/// keeps the author's order within each rank).
fn header_rank(entry: &Entry) -> u8 {
    match entry {
        Entry::Effective { .. } => 0,
        Entry::Currency(_) => 1,
        Entry::Pay { .. } => 2,
        Entry::FiscalYear(_) => 3,
        Entry::Rounding { .. } => 4,
        _ => 5,
    }
}

/// `amount: money in currency`, `id: text key`.
fn field_text(field: &Field) -> Out<String> {
    let Field::Column(Column { name, ty, flags }) = field else { return Err(Decline) };
    if name.text.is_empty() || matches!(ty, ColumnType::Named(ty) if ty.text.is_empty()) {
        return Err(Decline);
    }
    let mut out = format!("{}: ", name.text);
    match ty {
        ColumnType::Named(ty) => out.push_str(&ty.text),
        ColumnType::Money { currency: Some(code), .. } => out.push_str(&format!("money {}", code.text)),
        ColumnType::Money { currency: None, .. } => out.push_str("money"),
        ColumnType::MoneyIn { column, .. } => out.push_str(&format!("money in {}", column.text)),
        ColumnType::Ref { table, .. } => out.push_str(&format!("ref {}", table.text)),
    }
    for (flag, _) in flags {
        out.push_str(match flag {
            ColumnFlag::Key => " key",
            ColumnFlag::Optional => " optional",
        });
    }
    Ok(out)
}
