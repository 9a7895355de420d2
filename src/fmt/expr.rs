//! Expressions and literals: single spaces around operators, the author's spelling of every
//! operator, and line breaks inside parentheses kept, aligned after the `(`.

use super::layout::{column, Decline, Out, Printer};
use crate::ast::{ChoiceArm, Continued, Expr, ExprKind, Link, Literal, LiteralValue, Path, Span, UnaryOp, Value};

impl Printer<'_> {
    /// Writes an expression after what `out` already holds (whose last line gives the column that
    /// arguments continued on the next line align to).
    pub(super) fn expr(&self, e: &Expr, out: &mut String) -> Out<()> {
        match &e.kind {
            ExprKind::Literal(literal) => out.push_str(&self.literal(literal, e.span)?),
            ExprKind::Path(path) => out.push_str(&path_text(path)?),
            ExprKind::Scoped { expr, scope, .. } => {
                self.expr(expr, out)?;
                out.push(' ');
                out.push_str(scope.keyword());
            }
            ExprKind::Team { expr, reach, .. } => {
                self.expr(expr, out)?;
                out.push(' ');
                out.push_str(reach.words());
            }
            ExprKind::Call { func, args } => {
                out.push_str(&func.text);
                self.parenthesised(args, out)?;
            }
            ExprKind::Unary { op: UnaryOp::Not, operand } => {
                out.push_str("not ");
                self.expr(operand, out)?;
            }
            ExprKind::Unary { op: UnaryOp::Neg, .. } => self.negation(e, out)?,
            ExprKind::Chain { head, links } => self.chain(head, links, out)?,
            ExprKind::Compare { op_span, lhs, rhs, .. } => {
                self.expr(lhs, out)?;
                out.push(' ');
                out.push_str(&self.words(*op_span)?);
                out.push(' ');
                self.expr(rhs, out)?;
            }
            ExprKind::IsEmpty { value, op_span, .. } => {
                self.expr(value, out)?;
                out.push(' ');
                out.push_str(&self.words(*op_span)?);
            }
            ExprKind::In { value, set, negated, .. } => {
                self.expr(value, out)?;
                out.push_str(if *negated { " not in " } else { " in " });
                self.parenthesised(set, out)?;
            }
            ExprKind::Range { value, from, to } => {
                self.expr(value, out)?;
                out.push_str(" from ");
                self.expr(from, out)?;
                out.push_str(" to ");
                self.expr(to, out)?;
            }
            ExprKind::Of { rate, base, .. } => {
                self.expr(rate, out)?;
                out.push_str(" of ");
                self.expr(base, out)?;
            }
            ExprKind::MonthsSince(date) => {
                out.push_str("months since ");
                self.expr(date, out)?;
            }
            ExprKind::Paren(inner) => {
                out.push('(');
                self.expr(inner, out)?;
                out.push(')');
            }
            ExprKind::Choice { first, arms } => self.choice(first, arms, out)?,
        }
        Ok(())
    }

    /// `a + b and c …`: a line the author broke after an operator stays broken, the operand after
    /// it four columns in from the line the chain starts on.
    fn chain(&self, head: &Expr, links: &[Link], out: &mut String) -> Out<()> {
        let line = out.rsplit('\n').next().unwrap_or_default();
        let indent = line.len() - line.trim_start_matches(' ').len() + 4;
        self.expr(head, out)?;
        for link in links {
            out.push(' ');
            out.push_str(&self.words(link.op_span)?);
            if link.broken {
                out.push('\n');
                out.push_str(&" ".repeat(indent));
            } else {
                out.push(' ');
            }
            self.expr(&link.operand, out)?;
        }
        Ok(())
    }

    /// `A if C, else B`: a line broken after a comma stays broken, its `else` under the first value.
    fn choice(&self, first: &Expr, arms: &[ChoiceArm], out: &mut String) -> Out<()> {
        let align = column(out);
        self.expr(first, out)?;
        for arm in arms {
            out.push_str(" if ");
            self.expr(&arm.condition, out)?;
            self.comma(out, arm.else_span.start, &arm.value.comments, align);
            out.push_str("else ");
            self.expr(&arm.value.kind, out)?;
        }
        Ok(())
    }

    /// `(a, b, c)`: a line the author broke after a comma stays broken, and the next element
    /// (and any comment line above it) starts one column after the `(`.
    pub(super) fn parenthesised(&self, items: &[Continued<Expr>], out: &mut String) -> Out<()> {
        let align = column(out) + 1;
        out.push('(');
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                self.comma(out, item.kind.span.start, &item.comments, align);
            }
            self.expr(&item.kind, out)?;
        }
        out.push(')');
        Ok(())
    }

    /// A run of minus signs (`-x`, `−x`): the lowering gives every sign of the run the same span,
    /// so the signs are read from the source in order.
    fn negation(&self, e: &Expr, out: &mut String) -> Out<()> {
        let mut operand = e;
        let mut count = 0;
        while let ExprKind::Unary { op: UnaryOp::Neg, operand: inner } = &operand.kind {
            if count > 0 && operand.span != e.span {
                break;
            }
            count += 1;
            operand = inner;
        }
        let signs: String = self.slice(e.span)?.chars().filter(|c| !c.is_whitespace()).take(count).collect();
        if signs.chars().count() != count || !signs.chars().all(|c| c == '-' || c == '−') {
            return Err(Decline);
        }
        out.push_str(&signs);
        self.expr(operand, out)
    }

    /// A literal as written: text verbatim (spaces inside quotes are content), other literals with
    /// one space at most (`5000 USD`).
    pub(super) fn literal(&self, literal: &Literal, span: Span) -> Out<String> {
        match literal.value {
            LiteralValue::Text(_) => Ok(self.slice(span)?.to_string()),
            _ => self.words(span),
        }
    }

    /// A table, hold or test value: its sign joined to the literal (`-5%`, `−200 USD`).
    pub(super) fn value(&self, value: &Value) -> Out<String> {
        let text = self.slice(value.span)?;
        let mut chars = text.chars();
        Ok(match chars.next() {
            // A text is printed as written: its spaces are part of it (`"lom  v2"` is not `"lom v2"`).
            Some('"') => text.to_string(),
            Some(sign @ ('-' | '−')) => format!("{sign}{}", super::layout::collapse(chars.as_str())),
            _ => super::layout::collapse(text),
        })
    }
}

/// `rep.region`, `bookings`.
pub(super) fn path_text(path: &Path) -> Out<String> {
    if path.head.text.is_empty() {
        return Err(Decline);
    }
    Ok(match &path.field {
        Some(field) if !field.text.is_empty() => format!("{}.{}", path.head.text, field.text),
        Some(_) => return Err(Decline),
        None => path.head.text.clone(),
    })
}
