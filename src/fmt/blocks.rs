//! The blocks inside a plan: tables, whose rows are aligned in columns, and test blocks, whose
//! inline CSV lines are kept verbatim and only re-indented.

use super::layout::{pad, push_comments, push_node, spaces, width, Decline, Out, Printer};
use crate::ast::{Node, Row, Table, Test, TestStmt};

impl Printer<'_> {
    /// `table NAME MODE on KEY [decelerating] [closed] [multiplier] [including upper bounds] { rows }`, rows aligned like a careful author aligns
    /// them: the bounds of `from A to B` padded to the widest bound, every `:` in one column.
    pub(super) fn table(&self, table: &Table, indent: usize) -> Out<String> {
        let mut header = format!("table {} {} on ", table.name.text, table.mode.0.keyword());
        self.expr(&table.key, &mut header)?;
        if table.decelerating.is_some() {
            header.push_str(" decelerating");
        }
        if table.closed.is_some() {
            header.push_str(" closed");
        }
        if table.multiplier.is_some() {
            header.push_str(" multiplier");
        }
        if table.upper_included.is_some() {
            header.push_str(" including upper bounds");
        }
        let lefts = self.row_lefts(&table.rows)?;
        let widest = lefts.iter().map(|l| width(l)).max().unwrap_or(0);
        let mut pieces = Vec::new();
        for (node, left) in table.rows.iter().zip(&lefts) {
            let value = match &node.kind {
                Row::Band { value, .. }
                | Row::Open { value, .. }
                | Row::Point { value, .. }
                | Row::Key { value, .. }
                | Row::Otherwise { value } => self.value(value)?,
                Row::Error(_) => return Err(Decline),
            };
            let text = format!("{}{} : {value}", spaces(indent + 2), pad(left, widest));
            push_node(&mut pieces, node, indent + 2, text);
        }
        push_comments(&mut pieces, &table.end_comments, indent + 2);
        self.block(indent, &header, &pieces, &table.close)
    }

    /// The text of each row before its `:`, with the bounds of bands and points in columns.
    fn row_lefts(&self, rows: &[Node<Row>]) -> Out<Vec<String>> {
        let mut from_width = 0;
        let mut to_width = 0;
        let mut at_width = 0;
        for row in rows {
            match &row.kind {
                Row::Band { from, to, .. } => {
                    from_width = from_width.max(width(&self.value(from)?));
                    to_width = to_width.max(width(&self.value(to)?));
                }
                Row::Point { at, .. } => at_width = at_width.max(width(&self.value(at)?)),
                _ => {}
            }
        }
        rows.iter()
            .map(|row| {
                Ok(match &row.kind {
                    Row::Band { from, to, .. } => {
                        format!("from {} to {}", pad(&self.value(from)?, from_width), pad(&self.value(to)?, to_width))
                    }
                    Row::Open { from, above: false, .. } => format!("{} and above", self.value(from)?),
                    Row::Open { from, above: true, .. } => format!("above {}", self.value(from)?),
                    Row::Point { at, .. } => format!("at {}", pad(&self.value(at)?, at_width)),
                    Row::Key { keys, .. } => {
                        keys.iter().map(|k| self.value(k)).collect::<Out<Vec<String>>>()?.join(", ")
                    }
                    Row::Otherwise { .. } => "otherwise".to_string(),
                    Row::Error(_) => return Err(Decline),
                })
            })
            .collect()
    }

    /// `test "NAME" { … }`.
    pub(super) fn test(&self, test: &Test, indent: usize) -> Out<String> {
        let header = format!("test {}", self.slice(test.name.1)?);
        let inner = indent + 2;
        let mut pieces = Vec::new();
        for node in &test.stmts {
            let mut text = spaces(inner);
            match &node.kind {
                TestStmt::Period(period) => text.push_str(&format!("period {}", self.slice(period.span)?)),
                TestStmt::Fixture((_, span)) => text.push_str(&format!("data from {}", self.slice(*span)?)),
                TestStmt::Table { table, .. } => text.push_str(&self.test_data(&table.text, node, inner)?),
                TestStmt::Expect { period, rep, name, value } => {
                    text.push_str("expect ");
                    if let Some(period) = period {
                        text.push_str(self.slice(period.span)?);
                        text.push(' ');
                    }
                    text.push_str(&format!("{} {} is {}", self.slice(rep.1)?, name.text, self.value(value)?));
                }
                TestStmt::Error(_) => return Err(Decline),
            }
            push_node(&mut pieces, node, inner, text);
        }
        push_comments(&mut pieces, &test.end_comments, inner);
        self.block(indent, &header, &pieces, &test.close)
    }

    /// `data reps { … }`: the lines between the braces (CSV lines and comments) as written, one
    /// level deeper, with at most one blank line in a row and none after `{` or before `}`. The
    /// text comes from the source because the tree keeps only the CSV lines. Spaces at the end of
    /// a line are kept: they belong to its last cell (which they make wrong, and the test says so);
    /// only those before a `}` that ends the last row are dropped, as the `}` moves to a line of
    /// its own.
    fn test_data(&self, table: &str, node: &Node<TestStmt>, indent: usize) -> Out<String> {
        let text = self.slice(node.span)?;
        let open = text.find('{').ok_or(Decline)?;
        let close = text.rfind('}').ok_or(Decline)?;
        let body = text.get(open + 1..close).ok_or(Decline)?;
        // Lines end at `\n`, `\r\n` or a lone `\r`, as everywhere in plan text.
        let body = body.replace("\r\n", "\n").replace('\r', "\n");
        let last = body.split('\n').count().saturating_sub(1);
        let mut lines: Vec<&str> = Vec::new();
        for (i, line) in body.split('\n').enumerate() {
            let line = line.trim_start_matches([' ', '\t', '\u{FEFF}']);
            let line = if i == last { line.trim_end_matches([' ', '\t']) } else { line };
            if !(line.is_empty() && lines.last().is_none_or(|l| l.is_empty())) {
                lines.push(line);
            }
        }
        while lines.last().is_some_and(|l| l.is_empty()) {
            lines.pop();
        }
        let mut out = format!("data {table} {{\n");
        for line in lines {
            if !line.is_empty() {
                out.push_str(&spaces(indent + 2));
                out.push_str(line);
            }
            out.push('\n');
        }
        out.push_str(&spaces(indent));
        out.push('}');
        Ok(out)
    }
}
