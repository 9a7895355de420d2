//! Lowering of expressions and literals, with the checks a literal needs on its own (real dates,
//! exact decimals) and the targeted hint for `=` in a condition.

use super::{missing_expr, missing_ident, Lowerer};
use crate::ast::*;
use crate::diagnostics::{codes, Diagnostic};
use crate::syntax::parser::Rule;
use chrono::NaiveDate;
use pest::iterators::Pair;
use rust_decimal::Decimal;

impl Lowerer<'_> {
    pub(crate) fn expr(&mut self, pair: Pair<'_, Rule>) -> Expr {
        let span = self.span(&pair);
        match pair.as_rule() {
            Rule::expr => match pair.into_inner().next() {
                Some(inner) => self.expr(inner),
                None => missing_expr(),
            },
            Rule::or_expr | Rule::and_expr => {
                let op = if pair.as_rule() == Rule::or_expr { BinaryOp::Or } else { BinaryOp::And };
                self.left_assoc(pair, |_| Some(op))
            }
            Rule::sum_expr => self.left_assoc(pair, |p| match p.as_rule() {
                Rule::add_op => Some(if p.as_str() == "+" { BinaryOp::Add } else { BinaryOp::Sub }),
                _ => None,
            }),
            Rule::product => self.left_assoc(pair, |p| match p.as_rule() {
                Rule::mul_op => Some(if matches!(p.as_str(), "*" | "×") { BinaryOp::Mul } else { BinaryOp::Div }),
                _ => None,
            }),
            Rule::not_expr => {
                let mut parts = pair.into_inner();
                match parts.next() {
                    Some(first) if first.as_rule() == Rule::kw_not => {
                        let operand = parts.next().map(|p| self.expr(p)).unwrap_or_else(missing_expr);
                        Expr { kind: ExprKind::Unary { op: UnaryOp::Not, operand: Box::new(operand) }, span }
                    }
                    Some(first) => self.expr(first),
                    None => missing_expr(),
                }
            }
            Rule::compare => self.compare(pair),
            Rule::unary => {
                let parts: Vec<_> = pair.into_inner().collect();
                let negations = parts.iter().filter(|p| p.as_rule() == Rule::neg).count();
                let mut operand = parts
                    .into_iter()
                    .find(|p| p.as_rule() != Rule::neg)
                    .map(|p| self.expr(p))
                    .unwrap_or_else(missing_expr);
                for _ in 0..negations {
                    operand = Expr { kind: ExprKind::Unary { op: UnaryOp::Neg, operand: Box::new(operand) }, span };
                }
                operand
            }
            Rule::of_expr => {
                let parts: Vec<_> = pair.into_inner().collect();
                let mut rate = None;
                let mut of_span = None;
                let mut base = None;
                for p in parts {
                    match p.as_rule() {
                        Rule::kw_of => of_span = Some(self.span(&p)),
                        _ if rate.is_none() => rate = Some(self.expr(p)),
                        _ => base = Some(self.expr(p)),
                    }
                }
                let rate = rate.unwrap_or_else(missing_expr);
                match (base, of_span) {
                    (Some(base), Some(of_span)) => {
                        Expr { kind: ExprKind::Of { rate: Box::new(rate), base: Box::new(base), of_span }, span }
                    }
                    _ => rate,
                }
            }
            Rule::postfix => {
                let mut parts = pair.into_inner();
                let inner = parts.next().map(|p| self.expr(p)).unwrap_or_else(missing_expr);
                match parts.next() {
                    Some(scope) => {
                        let scope_span = self.span(&scope);
                        let scope = scope_of(scope.as_str());
                        Expr { kind: ExprKind::Scoped { expr: Box::new(inner), scope, scope_span }, span }
                    }
                    None => inner,
                }
            }
            Rule::paren => {
                let inner = pair.into_inner().next().map(|p| self.expr(p)).unwrap_or_else(missing_expr);
                Expr { kind: ExprKind::Paren(Box::new(inner)), span }
            }
            Rule::call => {
                let mut parts = pair.into_inner();
                let func = parts.next().map(|p| self.ident(&p)).unwrap_or_else(missing_ident);
                let args = self
                    .continued(parts)
                    .into_iter()
                    .map(|(p, comments)| Continued { kind: self.expr(p), comments })
                    .collect();
                Expr { kind: ExprKind::Call { func, args }, span }
            }
            Rule::path => Expr { kind: ExprKind::Path(self.path(pair)), span },
            _ => Expr { kind: ExprKind::Literal(self.literal(pair)), span },
        }
    }

    /// Folds `a op b op c` to the left; `op_of` recognises operator pairs, and keyword pairs that
    /// separate operands (`and`, `or`) are skipped by returning the operator for them.
    fn left_assoc(&mut self, pair: Pair<'_, Rule>, op_of: impl Fn(&Pair<'_, Rule>) -> Option<BinaryOp>) -> Expr {
        let mut result: Option<Expr> = None;
        let mut pending: Option<(BinaryOp, Span)> = None;
        for p in pair.into_inner() {
            if let Some(op) = op_of(&p).filter(|_| is_operator(p.as_rule())) {
                pending = Some((op, self.span(&p)));
                continue;
            }
            let operand = self.expr(p);
            result = Some(match (result, pending.take()) {
                (Some(lhs), Some((op, op_span))) => {
                    let span = lhs.span.to(operand.span);
                    Expr { kind: ExprKind::Binary { op, op_span, lhs: Box::new(lhs), rhs: Box::new(operand) }, span }
                }
                (_, _) => operand,
            });
        }
        result.unwrap_or_else(missing_expr)
    }

    fn compare(&mut self, pair: Pair<'_, Rule>) -> Expr {
        let span = self.span(&pair);
        let mut parts = pair.into_inner();
        let lhs = parts.next().map(|p| self.expr(p)).unwrap_or_else(missing_expr);
        let Some(tail) = parts.next() else { return lhs };
        match tail.as_rule() {
            Rule::range_test => {
                let bounds: Vec<Expr> =
                    tail.into_inner().filter(|p| p.as_rule() == Rule::sum_expr).map(|p| self.expr(p)).collect();
                let mut bounds = bounds.into_iter();
                let from = bounds.next().unwrap_or_else(missing_expr);
                let to = bounds.next().unwrap_or_else(missing_expr);
                Expr { kind: ExprKind::Range { value: Box::new(lhs), from: Box::new(from), to: Box::new(to) }, span }
            }
            Rule::is_test => {
                let mut op = CompareOp::Eq;
                let mut op_span = self.span(&tail);
                let mut rhs = missing_expr();
                let mut empty = false;
                for p in tail.into_inner() {
                    match p.as_rule() {
                        Rule::kw_is => op_span = self.span(&p),
                        Rule::kw_not => {
                            op = CompareOp::Ne;
                            op_span = op_span.to(self.span(&p));
                        }
                        Rule::kw_empty => {
                            empty = true;
                            op_span = op_span.to(self.span(&p));
                        }
                        _ => rhs = self.expr(p),
                    }
                }
                if empty {
                    return Expr {
                        kind: ExprKind::IsEmpty { value: Box::new(lhs), negated: op == CompareOp::Ne, op_span },
                        span,
                    };
                }
                let kind = ExprKind::Compare {
                    op,
                    spelling: CompareSpelling::Words,
                    op_span,
                    lhs: Box::new(lhs),
                    rhs: Box::new(rhs),
                };
                Expr { kind, span }
            }
            _ => {
                let op_span = self.span(&tail);
                let op = match tail.as_str() {
                    ">=" | "≥" => CompareOp::Ge,
                    "<=" | "≤" => CompareOp::Le,
                    ">" => CompareOp::Gt,
                    "<" => CompareOp::Lt,
                    "!=" | "≠" => CompareOp::Ne,
                    written => {
                        let lhs_text = crate::syntax::one_line(&self.source_text(lhs.span));
                        self.error(
                            Diagnostic::new(
                                &codes::EQUALS_IN_CONDITION,
                                format!("`{written}` does not compare values"),
                            )
                            .primary(op_span, "write `is` here")
                            .help(format!("compare with `is`: `{lhs_text} is …` (and `is not` for the opposite)")),
                        );
                        CompareOp::Eq
                    }
                };
                let spelling = if op == CompareOp::Eq { CompareSpelling::Words } else { CompareSpelling::Symbol };
                let rhs = parts.next().map(|p| self.expr(p)).unwrap_or_else(missing_expr);
                Expr { kind: ExprKind::Compare { op, spelling, op_span, lhs: Box::new(lhs), rhs: Box::new(rhs) }, span }
            }
        }
    }

    /// The text of a span of the file, for messages (only within the parsed text).
    fn source_text(&self, span: Span) -> String {
        let start = span.start.saturating_sub(self.map.pos(0));
        let end = span.end.saturating_sub(self.map.pos(0));
        self.text.get(start..end).unwrap_or("…").to_string()
    }

    pub(crate) fn path(&mut self, pair: Pair<'_, Rule>) -> Path {
        let mut parts = pair.into_inner();
        let head = parts.next().map(|p| self.ident(&p)).unwrap_or_else(missing_ident);
        let field = parts.next().map(|p| self.ident(&p));
        Path { head, field }
    }

    /// A literal, checked: a real date, an exact decimal of at most 28 digits.
    pub(crate) fn literal(&mut self, pair: Pair<'_, Rule>) -> Literal {
        let raw = pair.as_str().to_string();
        let span = self.span(&pair);
        let value = match pair.as_rule() {
            Rule::date => match NaiveDate::parse_from_str(pair.as_str(), "%Y-%m-%d") {
                Ok(date) => LiteralValue::Date(date),
                Err(_) => {
                    self.error(
                        Diagnostic::new(&codes::INVALID_LITERAL, format!("`{raw}` is not a date"))
                            .primary(span, "no such day")
                            .help("dates are written YYYY-MM-DD, with a month from 01 to 12 and a day that exists in that month"),
                    );
                    LiteralValue::Invalid
                }
            },
            Rule::money => {
                let mut parts = pair.into_inner();
                let amount = parts.next().and_then(|p| self.number(&p));
                let currency = parts.next().map(|p| p.as_str().to_string()).unwrap_or_default();
                match amount {
                    Some(amount) => LiteralValue::Money { amount, currency },
                    None => LiteralValue::Invalid,
                }
            }
            Rule::percent => match pair.into_inner().next().and_then(|p| self.number(&p)) {
                Some(n) => LiteralValue::Percent(n),
                None => LiteralValue::Invalid,
            },
            Rule::decimal => match pair.into_inner().next().and_then(|p| self.number(&p)) {
                Some(n) => LiteralValue::Number(n),
                None => LiteralValue::Invalid,
            },
            Rule::text => LiteralValue::Text(unescape(pair.into_inner().next().map_or("", |p| p.as_str()))),
            Rule::boolean => LiteralValue::Bool(pair.as_str() == "true"),
            _ => LiteralValue::Invalid,
        };
        Literal { value, raw }
    }

    fn number(&mut self, pair: &Pair<'_, Rule>) -> Option<Decimal> {
        match Decimal::from_str_exact(pair.as_str()) {
            Ok(n) => Some(n),
            Err(_) => {
                let span = self.span(pair);
                self.error(
                    Diagnostic::new(&codes::INVALID_LITERAL, format!("`{}` has too many digits", pair.as_str()))
                        .primary(span, "exact arithmetic holds at most 28 significant digits")
                        .help("shorten the number; amounts are exact to the cent without more digits"),
                );
                None
            }
        }
    }

    /// A `table_value`: a literal with its minus sign folded in.
    pub(crate) fn value(&mut self, pair: Pair<'_, Rule>) -> Value {
        let span = self.span(&pair);
        let mut negative = false;
        let mut literal = Literal { value: LiteralValue::Invalid, raw: String::new() };
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::neg => negative = true,
                _ => literal = self.literal(p),
            }
        }
        if negative {
            literal.raw = format!("-{}", literal.raw);
            literal.value = match literal.value {
                LiteralValue::Money { amount, currency } => LiteralValue::Money { amount: -amount, currency },
                LiteralValue::Percent(n) => LiteralValue::Percent(-n),
                LiteralValue::Number(n) => LiteralValue::Number(-n),
                other => other,
            };
        }
        Value { literal, span }
    }

    pub(crate) fn date(&mut self, pair: Pair<'_, Rule>) -> DateLit {
        let span = self.span(&pair);
        let date = match self.literal(pair).value {
            LiteralValue::Date(d) => Some(d),
            _ => None,
        };
        DateLit { date, span }
    }

    pub(crate) fn text(&mut self, pair: Pair<'_, Rule>) -> (String, Span) {
        let span = self.span(&pair);
        (unescape(pair.into_inner().next().map_or("", |p| p.as_str())), span)
    }
}

fn is_operator(rule: Rule) -> bool {
    matches!(rule, Rule::add_op | Rule::mul_op | Rule::kw_and | Rule::kw_or)
}

pub(crate) fn scope_of(word: &str) -> Scope {
    match word {
        "quarter" => Scope::Quarter,
        "ytd" => Scope::Ytd,
        "year" => Scope::Year,
        _ => Scope::Period,
    }
}

fn unescape(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}
