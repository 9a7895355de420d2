//! Lowering of expressions and literals, with the checks a literal needs on its own (real dates,
//! exact decimals) and the targeted hint for `=` in a condition.

use super::{missing_expr, missing_ident, Lowerer};
use crate::ast::*;
use crate::diagnostics::{codes, Diagnostic};
use crate::syntax::nesting::MAX_NESTING;
use crate::syntax::parser::Rule;
use chrono::NaiveDate;
use pest::iterators::Pair;
use rust_decimal::Decimal;

impl Lowerer<'_> {
    /// Lowers an expression. Rules that only pass one child on (an `or_expr` without `or`, a
    /// `postfix` without a scope) are stepped through in a loop, so that the recursion is per
    /// parenthesis, not per precedence level; chains, runs of `not` and of signs, and `of` chains
    /// are built in loops too. Nesting deeper than [`MAX_NESTING`] is reported (E0008) and stands as
    /// an invalid literal, so nothing after the lowering meets a deeper tree.
    pub(crate) fn expr(&mut self, pair: Pair<'_, Rule>) -> Expr {
        let pair = pass_through(pair);
        let span = self.span(&pair);
        match pair.as_rule() {
            Rule::expr => self.choice(pair),
            Rule::or_expr | Rule::and_expr | Rule::sum_expr | Rule::product => self.chain(pair),
            Rule::not_expr => self.prefixed(pair, Rule::kw_not, UnaryOp::Not),
            Rule::unary => self.prefixed(pair, Rule::neg, UnaryOp::Neg),
            Rule::compare => self.compare(pair),
            Rule::of_expr => self.of_chain(pair),
            Rule::postfix => self.postfix(pair),
            Rule::paren => {
                let open = Span::new(span.start, span.start + 1);
                let inner = pair.into_inner().next();
                self.nested(1, open, span, |this| {
                    let inner = inner.map(|p| this.expr(p)).unwrap_or_else(missing_expr);
                    Expr { kind: ExprKind::Paren(Box::new(inner)), span }
                })
            }
            Rule::call => {
                let mut parts = pair.into_inner();
                let func = parts.next().map(|p| self.ident(&p)).unwrap_or_else(missing_ident);
                let open = Span::new(func.span.end, func.span.end + 1);
                self.nested(1, open, span, |this| {
                    let args = this
                        .continued(parts)
                        .into_iter()
                        .map(|(p, comments)| Continued { kind: this.expr(p), comments })
                        .collect();
                    Expr { kind: ExprKind::Call { func, args }, span }
                })
            }
            Rule::path => Expr { kind: ExprKind::Path(self.path(pair)), span },
            Rule::months_since => {
                let date = pair.into_inner().find(|p| p.as_rule() == Rule::path);
                let date = date.map(|p| Expr { span: self.span(&p), kind: ExprKind::Path(self.path(p)) });
                Expr { kind: ExprKind::MonthsSince(Box::new(date.unwrap_or_else(missing_expr))), span }
            }
            _ => Expr { kind: ExprKind::Literal(self.literal(pair)), span },
        }
    }

    /// Lowers what `lower` builds `levels` levels deeper than the current nesting, or reports the
    /// nesting limit at `at` (where the first level too many opens) and stands an invalid literal
    /// spanning `span` in its place.
    fn nested(&mut self, levels: usize, at: Span, span: Span, lower: impl FnOnce(&mut Self) -> Expr) -> Expr {
        if self.nesting + levels > MAX_NESTING {
            self.error(super::super::nesting::too_deep(at));
            return invalid(span);
        }
        self.nesting += levels;
        let e = lower(self);
        self.nesting -= levels;
        e
    }

    /// `a if c, else b if d, else e`: the first value, then each `if`, its condition, the comments
    /// of the line break after the comma, `else` and the value after it.
    fn choice(&mut self, pair: Pair<'_, Rule>) -> Expr {
        let span = self.span(&pair);
        let mut parts = self.continued(pair.into_inner()).into_iter();
        let Some((first, _)) = parts.next() else { return missing_expr() };
        let first = self.expr(first);
        let mut arms = Vec::new();
        while let Some((if_word, _)) = parts.next() {
            let condition = parts.next().map(|(p, _)| self.expr(p)).unwrap_or_else(missing_expr);
            let (else_span, comments) = match parts.next() {
                Some((p, comments)) => (self.span(&p), comments),
                None => (span, Continuation::default()),
            };
            let value = parts.next().map(|(p, _)| self.expr(p)).unwrap_or_else(missing_expr);
            arms.push(ChoiceArm {
                if_span: self.span(&if_word),
                condition,
                else_span,
                value: Continued { kind: value, comments },
            });
        }
        if arms.is_empty() {
            return first;
        }
        Expr { kind: ExprKind::Choice { first: Box::new(first), arms }, span }
    }

    /// `value in (a, b)` and `value not in (…)`: the list is one more level of nesting, as a
    /// parenthesis is.
    fn in_test(&mut self, value: Expr, tail: Pair<'_, Rule>, span: Span) -> Expr {
        let mut negated = false;
        let mut op_span: Option<Span> = None;
        let mut items = Vec::new();
        for p in tail.into_inner() {
            match p.as_rule() {
                Rule::kw_not | Rule::kw_in => {
                    negated |= p.as_rule() == Rule::kw_not;
                    let at = self.span(&p);
                    op_span = Some(op_span.map_or(at, |s| s.to(at)));
                }
                _ => items.push(p),
            }
        }
        let op_span = op_span.unwrap_or(span);
        self.nested(1, op_span, span, |this| {
            let set = this
                .continued(items)
                .into_iter()
                .map(|(p, comments)| Continued { kind: this.expr(p), comments })
                .collect();
            Expr { kind: ExprKind::In { value: Box::new(value), set, negated, op_span }, span }
        })
    }

    /// `a + b - c`, `a and b and c`: a flat chain of operands and operators (an operand alone is
    /// returned as it is).
    fn chain(&mut self, pair: Pair<'_, Rule>) -> Expr {
        let span = self.span(&pair);
        let mut head: Option<Expr> = None;
        let mut links = Vec::new();
        let mut pending: Option<(BinaryOp, Span, usize)> = None;
        for p in pair.into_inner() {
            if let Some(op) = operator(&p) {
                pending = Some((op, self.span(&p), p.as_span().end()));
                continue;
            }
            let start = p.as_span().start();
            let operand = self.expr(p);
            match (&head, pending.take()) {
                (None, _) => head = Some(operand),
                (Some(_), Some((op, op_span, op_end))) => {
                    let broken = self.text.get(op_end..start).is_some_and(|gap| gap.contains(['\n', '\r']));
                    links.push(Link { op, op_span, operand, broken });
                }
                (Some(_), None) => {}
            }
        }
        let head = head.unwrap_or_else(missing_expr);
        if links.is_empty() {
            return head;
        }
        Expr { kind: ExprKind::Chain { head: Box::new(head), links }, span }
    }

    /// A run of prefix operators (`not not x`, `- -x`) before its operand. Each `not` spans from
    /// its keyword to the end; every sign of a run spans the whole run and operand (the formatter
    /// reads the signs back from that text).
    fn prefixed(&mut self, pair: Pair<'_, Rule>, prefix: Rule, op: UnaryOp) -> Expr {
        let span = self.span(&pair);
        let parts: Vec<_> = pair.into_inner().collect();
        let prefixes: Vec<Span> = parts.iter().filter(|p| p.as_rule() == prefix).map(|p| self.span(p)).collect();
        let operand = parts.into_iter().find(|p| p.as_rule() != prefix);
        let Some(&first) = prefixes.first() else {
            return operand.map(|p| self.expr(p)).unwrap_or_else(missing_expr);
        };
        let at = prefixes[MAX_NESTING.saturating_sub(self.nesting).min(prefixes.len() - 1)];
        self.nested(prefixes.len(), at, first.to(span), |this| {
            let mut e = operand.map(|p| this.expr(p)).unwrap_or_else(missing_expr);
            for keyword in prefixes.iter().rev() {
                let span = if op == UnaryOp::Not { keyword.to(span) } else { span };
                e = Expr { kind: ExprKind::Unary { op, operand: Box::new(e) }, span };
            }
            e
        })
    }

    /// `rate of base`, right to left: `a of b of c` is `a of (b of c)`, and the signs after an `of`
    /// negate everything after them. Each `of` and each sign is one level of nesting.
    fn of_chain(&mut self, pair: Pair<'_, Rule>) -> Expr {
        let span = self.span(&pair);
        // The operands, each with the `of` before it and the signs after that `of`.
        let mut operands: Vec<(Option<Span>, Vec<Span>, Pair<'_, Rule>)> = Vec::new();
        let (mut of_span, mut signs) = (None, Vec::new());
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::kw_of => of_span = Some(self.span(&p)),
                Rule::neg => signs.push(self.span(&p)),
                _ => operands.push((of_span.take(), std::mem::take(&mut signs), p)),
            }
        }
        // The nesting of each operand: every `of` before it opens a level, and so does every sign. A
        // rate is one level deeper still (inside its own `of`), which is never deeper than the
        // operand after it, so checking the operands' own levels checks the rates too.
        let mut levels = Vec::with_capacity(operands.len());
        let mut level = 0;
        for (i, (of, signs, _)) in operands.iter().enumerate() {
            let opened: Vec<Span> = of.iter().chain(signs).copied().collect();
            if self.nesting + level + opened.len() > MAX_NESTING {
                let at = opened.get(MAX_NESTING.saturating_sub(self.nesting + level)).copied().unwrap_or(span);
                self.error(super::super::nesting::too_deep(at));
                return invalid(span);
            }
            level += opened.len();
            levels.push(if i + 1 < operands.len() { level + 1 } else { level });
        }
        let mut lowered: Vec<(Option<Span>, Vec<Span>, Expr)> = Vec::with_capacity(operands.len());
        for ((of, signs, p), own) in operands.into_iter().zip(levels) {
            self.nesting += own;
            let e = self.expr(p);
            self.nesting -= own;
            lowered.push((of, signs, e));
        }
        let Some((mut of, mut signs, mut acc)) = lowered.pop() else { return missing_expr() };
        while let Some((prev_of, prev_signs, rate)) = lowered.pop() {
            if let Some(&first) = signs.first() {
                let span = first.to(acc.span);
                for _ in &signs {
                    acc = Expr { kind: ExprKind::Unary { op: UnaryOp::Neg, operand: Box::new(acc) }, span };
                }
            }
            let span = rate.span.to(acc.span);
            let of_span = of.unwrap_or_default();
            acc = Expr { kind: ExprKind::Of { rate: Box::new(rate), base: Box::new(acc), of_span }, span };
            (of, signs) = (prev_of, prev_signs);
        }
        acc
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
            Rule::in_test => self.in_test(lhs, tail, span),
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
                // The checker reads `12.5%` as 0.125: two more decimal places must fit.
                Some(n) if n.scale() > MAX_PERCENT_DECIMALS => {
                    self.error(
                        Diagnostic::new(&codes::INVALID_LITERAL, format!("`{raw}` has too many decimals"))
                            .primary(span, format!("a percentage has at most {MAX_PERCENT_DECIMALS} decimals"))
                            .help("shorten the number; exact arithmetic holds 28 decimals, and a percentage is a hundredth"),
                    );
                    LiteralValue::Invalid
                }
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

/// The most decimals a percentage may have: as a fraction it has two more, and exact arithmetic
/// holds 28.
const MAX_PERCENT_DECIMALS: u32 = 26;

/// The invalid literal that stands for an expression that was reported.
fn invalid(span: Span) -> Expr {
    Expr { kind: ExprKind::Literal(Literal { value: LiteralValue::Invalid, raw: String::new() }), span }
}

/// The operator a chain's child stands for, when it is one.
fn operator(p: &Pair<'_, Rule>) -> Option<BinaryOp> {
    Some(match p.as_rule() {
        Rule::kw_or => BinaryOp::Or,
        Rule::kw_and => BinaryOp::And,
        Rule::add_op if p.as_str() == "+" => BinaryOp::Add,
        Rule::add_op => BinaryOp::Sub,
        Rule::mul_op if matches!(p.as_str(), "*" | "×") => BinaryOp::Mul,
        Rule::mul_op => BinaryOp::Div,
        _ => return None,
    })
}

/// Steps through the rules that only pass one child on, in a loop: an `expr`, a level of
/// precedence with one operand, a `not_expr` without `not`, a `compare` without a comparison.
fn pass_through(mut pair: Pair<'_, Rule>) -> Pair<'_, Rule> {
    loop {
        let passes = matches!(
            pair.as_rule(),
            Rule::expr
                | Rule::or_expr
                | Rule::and_expr
                | Rule::not_expr
                | Rule::compare
                | Rule::sum_expr
                | Rule::product
                | Rule::unary
                | Rule::of_expr
                | Rule::postfix
        );
        let mut inner = pair.clone().into_inner();
        match (inner.next(), inner.next()) {
            (Some(only), None) if passes => pair = only,
            _ => return pair,
        }
    }
}

impl Lowerer<'_> {
    /// `bookings ytd`, `commission period of every rep below`: a primary with its scope and the reps
    /// below whose earning it reads. Kept out of `expr` so that its frame, one per level of nesting,
    /// stays small.
    #[inline(never)]
    fn postfix(&mut self, pair: Pair<'_, Rule>) -> Expr {
        let mut parts = pair.into_inner();
        let mut inner = parts.next().map(|p| self.expr(p)).unwrap_or_else(missing_expr);
        for part in parts.flat_map(|suffix| suffix.into_inner()) {
            let part_span = self.span(&part);
            let whole = Span::new(inner.span.start, part_span.end);
            inner = if part.as_rule() == Rule::team {
                let direct = part.into_inner().any(|r| r.as_rule() == Rule::direct_reports);
                let reach = if direct { Reach::DirectReports } else { Reach::EveryRepBelow };
                Expr { kind: ExprKind::Team { expr: Box::new(inner), reach, reach_span: part_span }, span: whole }
            } else {
                let scope = scope_of(part.as_str());
                Expr { kind: ExprKind::Scoped { expr: Box::new(inner), scope, scope_span: part_span }, span: whole }
            };
        }
        inner
    }
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
