//! Checking one expression: inferring its type with units and lowering it to the model (names are
//! resolved in `names`).
//!
//! The rules of units are here: money carries a currency, `money × percent → money`,
//! `money ÷ money → percent`, and `money + percent`, `USD + EUR` or `money × money` are errors.

use super::plan::PlanState;
use super::source_map::Occurrence;
use crate::ast::{self, BinaryOp, CompareOp, ExprKind, LiteralValue, Span, UnaryOp};
use crate::diagnostics::{codes, did_you_mean, Code, Diagnostic};
use crate::model::{self, Const, CreditField, TableId};
use crate::types::{Currency, Ty};
use rust_decimal::Decimal;

/// Which rows an expression may read, besides the plan's definitions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Rows {
    /// The evaluated rep only (eligibility, earnings, quotas).
    Rep,
    /// A credit row, its deal and the rep (measure filters, per-deal earnings).
    Credit,
    /// A row of a measured table, and the rep.
    Table(TableId),
    /// A deal only (territory conditions).
    Deal,
    /// Any row (the key of a lookup table, which is checked where the table is used).
    Any,
}

/// Checks expressions against the schema, the crediting rules and (inside a plan) the plan's
/// definitions, collecting diagnostics.
pub(crate) struct Checker<'a> {
    pub(crate) schema: &'a model::Schema,
    pub(crate) crediting: Option<&'a model::Crediting>,
    /// The plan's currency, once its header is read.
    pub(crate) currency: Option<String>,
    pub(crate) diags: Vec<Diagnostic>,
    /// The plan's definitions, when checking inside a plan.
    pub(crate) plan: Option<PlanState<'a>>,
    /// True when the workspace has a credit block, even a broken one (whose errors are already
    /// reported, so its absence from the model is not reported again).
    pub(crate) credit_declared: bool,
    /// The currency credit is kept in, as the workspace decided it once for every plan (see
    /// `crediting::credit_currency`); `None` outside a plan, or when it cannot be decided.
    pub(crate) credit_currency: Option<String>,
    /// The plan's pay frequency, once its header is read: a quarterly plan refuses clauses that
    /// would read a quarter as a month.
    pub(crate) pay: Option<model::PayFrequency>,
    /// The plan's first and last effective day, once its header is read.
    pub(crate) effective: Option<(chrono::NaiveDate, chrono::NaiveDate)>,
    /// The names resolved so far, for the source map (see `record`).
    pub(crate) occurrences: Vec<Occurrence>,
}

impl<'a> Checker<'a> {
    pub(crate) fn new(
        schema: &'a model::Schema,
        crediting: Option<&'a model::Crediting>,
        currency: Option<String>,
    ) -> Checker<'a> {
        Checker {
            schema,
            crediting,
            currency,
            diags: Vec::new(),
            plan: None,
            credit_declared: crediting.is_some(),
            credit_currency: crediting.and_then(|c| c.currency.clone()),
            pay: None,
            effective: None,
            occurrences: Vec::new(),
        }
    }

    pub(crate) fn take_diagnostics(&mut self) -> Vec<Diagnostic> {
        std::mem::take(&mut self.diags)
    }

    pub(crate) fn error(
        &mut self,
        code: &'static Code,
        message: impl Into<String>,
        span: Span,
        label: impl Into<String>,
    ) -> &mut Diagnostic {
        self.diags.push(Diagnostic::new(code, message).primary(span, label));
        let last = self.diags.len() - 1;
        &mut self.diags[last]
    }

    /// The table reps are read from: the crediting rules' target, else a table named `reps`.
    pub(crate) fn reps_table(&self) -> Option<TableId> {
        self.crediting.map(|c| c.reps).or_else(|| self.schema.table("reps"))
    }

    /// The table deals are read from.
    pub(crate) fn deals_table(&self) -> Option<TableId> {
        self.crediting.map(|c| c.deals).or_else(|| self.schema.table("deals"))
    }

    /// The currency credit amounts are in, decided once for the workspace: the conversion target,
    /// the amount column's currency, or (deals in their own currencies, unconverted) the plans' one
    /// currency. Never a plan's own guess: the runtime credits in this currency for every plan.
    pub(crate) fn credit_currency(&self) -> Option<String> {
        match self.crediting {
            Some(_) => self.credit_currency.clone(),
            // Without crediting rules nothing is credited (a measure of credit is already an error):
            // credit amounts are typed in the plan's currency, so that one mistake is reported once.
            None => self.currency.clone(),
        }
    }

    /// A condition: the expression must be true-or-false.
    pub(crate) fn condition(&mut self, e: &ast::Expr, rows: Rows) -> model::Expr {
        let (lowered, ty) = self.expr(e, rows);
        if !matches!(ty, Ty::Bool | Ty::Error) {
            let help = match ty {
                Ty::Text => "compare it: `… is \"value\"`",
                _ => "compare it with a value: `… >= 100%`",
            };
            self.error(
                &codes::NOT_A_CONDITION,
                format!("this is {ty}, not a condition"),
                e.span,
                "expected true or false",
            )
            .help = Some(help.to_string());
        }
        lowered
    }

    /// An amount in the plan currency (earnings, caps, draws).
    pub(crate) fn money(&mut self, e: &ast::Expr, rows: Rows, what: &str) -> model::Expr {
        let (lowered, ty) = self.expr(e, rows);
        self.expect_money(&ty, e.span, what);
        lowered
    }

    pub(crate) fn expect_money(&mut self, ty: &Ty, span: Span, what: &str) {
        let currency = self.currency.clone().unwrap_or_default();
        match ty {
            Ty::Error => {}
            Ty::Money(Currency::Code(c)) if *c == currency || currency.is_empty() => {}
            Ty::Money(Currency::Code(c)) => {
                self.error(
                    &codes::CURRENCY_MISMATCH,
                    format!("{what} is in {c}, but the plan pays in {currency}"),
                    span,
                    format!("money ({c})"),
                )
                .help = Some(format!("write the amount in {currency}; amounts are converted only at credit time"));
            }
            Ty::Money(Currency::PerRow(column)) => {
                self.error(
                    &codes::UNCONVERTED_MONEY,
                    format!("{what} is in each row's own currency"),
                    span,
                    format!("the currency varies with `{column}`"),
                )
                .help = Some("use `credit.amount`, which is converted into the credit currency".to_string());
            }
            other => {
                let help = match other {
                    Ty::Percent => "apply the rate to an amount: `5% of bookings period`",
                    _ => "an amount is written like `500 USD`",
                };
                self.error(
                    &codes::WRONG_RESULT_TYPE,
                    format!("{what} must be money, but this is {other}"),
                    span,
                    "expected money",
                )
                .help = Some(help.to_string());
            }
        }
    }

    /// Checks and lowers an expression, returning its type.
    pub(crate) fn expr(&mut self, e: &ast::Expr, rows: Rows) -> (model::Expr, Ty) {
        match &e.kind {
            ExprKind::Literal(lit) => {
                self.check_literal(lit, e.span);
                literal(&lit.value)
            }
            ExprKind::Paren(inner) => self.expr(inner, rows),
            ExprKind::Path(path) => self.path(path, None, rows),
            ExprKind::Scoped { expr, scope, scope_span } => match &expr.kind {
                ExprKind::Path(path) if path.field.is_none() => self.path(path, Some((*scope, *scope_span)), rows),
                _ => {
                    self.error(
                        &codes::SCOPE_MISUSE,
                        format!("only a measure or a quota can be read `{}`", scope.keyword()),
                        *scope_span,
                        "unexpected scope",
                    );
                    (placeholder(), Ty::Error)
                }
            },
            ExprKind::Call { func, args } => self.call(func, args, rows, e.span),
            ExprKind::Unary { op, operand } => {
                let (inner, ty) = self.expr(operand, rows);
                match op {
                    UnaryOp::Neg if ty.is_numeric() || ty.is_error() => (model::Expr::Neg(Box::new(inner)), ty),
                    UnaryOp::Not if matches!(ty, Ty::Bool | Ty::Error) => (model::Expr::Not(Box::new(inner)), Ty::Bool),
                    UnaryOp::Neg => {
                        self.error(
                            &codes::TYPE_MISMATCH,
                            format!("{ty} cannot be negated"),
                            operand.span,
                            format!("this is {ty}"),
                        );
                        (placeholder(), Ty::Error)
                    }
                    UnaryOp::Not => {
                        self.error(
                            &codes::NOT_A_CONDITION,
                            format!("`not` needs a condition, but this is {ty}"),
                            operand.span,
                            "expected true or false",
                        );
                        (placeholder(), Ty::Error)
                    }
                }
            }
            ExprKind::Chain { head, links } => self.chain(head, links, rows),
            ExprKind::Compare { op, op_span, lhs, rhs, .. } => {
                let (l, lt) = self.expr(lhs, rows);
                let (r, rt) = self.expr(rhs, rows);
                self.comparable(*op, &lt, &rt, *op_span, lhs.span, rhs.span);
                if let (
                    Some(CompareOp::Eq | CompareOp::Ne),
                    model::Expr::Credit(CreditField::Kind),
                    ExprKind::Literal(lit),
                ) = (Some(*op), &l, &rhs.kind)
                {
                    self.credit_kind(lit, rhs.span);
                }
                (model::Expr::Compare { op: *op, lhs: Box::new(l), rhs: Box::new(r) }, Ty::Bool)
            }
            ExprKind::IsEmpty { value, negated, .. } => {
                let (v, vt) = self.expr(value, rows);
                match &v {
                    model::Expr::Rep(column) | model::Expr::Row(column) if !self.schema.column(*column).optional => {
                        let name = match &value.kind {
                            ExprKind::Path(p) => p.text(),
                            _ => "this column".to_string(),
                        };
                        self.error(&codes::EMPTY_TEST, format!("`{name}` is never empty: the schema does not declare it `optional`"), value.span, "always filled in")
                            .help = Some("test an optional column, or declare this one `optional` in its `schema` if it may be blank".to_string());
                    }
                    model::Expr::Rep(_) | model::Expr::Row(_) => {}
                    _ if vt.is_error() => {}
                    _ => {
                        self.error(
                            &codes::EMPTY_TEST,
                            "only a column of a row can be empty",
                            value.span,
                            "not a column",
                        )
                        .help = Some("write the column, such as `deal.paid is empty`".to_string());
                    }
                }
                (model::Expr::IsEmpty { value: Box::new(v), negated: *negated }, Ty::Bool)
            }
            ExprKind::Range { value, from, to } => {
                let (v, vt) = self.expr(value, rows);
                let (f, ft) = self.expr(from, rows);
                let (t, tt) = self.expr(to, rows);
                self.comparable(CompareOp::Ge, &vt, &ft, value.span.to(from.span), value.span, from.span);
                self.comparable(CompareOp::Le, &vt, &tt, value.span.to(to.span), value.span, to.span);
                if let (model::Expr::Const(Const::Date(a)), model::Expr::Const(Const::Date(b))) = (&f, &t) {
                    if b < a {
                        self.error(
                            &codes::EMPTY_RANGE,
                            format!("the range ends ({b}) before it starts ({a})"),
                            from.span.to(to.span),
                            "no day is in this range",
                        );
                    }
                }
                (model::Expr::Range { value: Box::new(v), from: Box::new(f), to: Box::new(t) }, Ty::Bool)
            }
            ExprKind::Of { rate, base, of_span } => self.of(rate, base, *of_span, rows),
        }
    }

    fn of(&mut self, rate: &ast::Expr, base: &ast::Expr, of_span: Span, rows: Rows) -> (model::Expr, Ty) {
        if let ExprKind::Path(path) = &rate.kind {
            if path.field.is_none() {
                if let Some(table) = self.table_named(&path.head.text) {
                    self.record_definition(&path.head);
                    return self.apply_table(table, path, Some(base), rows);
                }
            }
        }
        let (r, rt) = self.expr(rate, rows);
        let (b, bt) = self.expr(base, rows);
        match (&rt, &bt) {
            (Ty::Error, _) | (_, Ty::Error) => (placeholder(), Ty::Error),
            (Ty::Percent, Ty::Money(_) | Ty::Number | Ty::Percent) => {
                let ty = if matches!(bt, Ty::Money(Currency::PerRow(_))) {
                    self.error(
                        &codes::UNCONVERTED_MONEY,
                        "this amount is in each row's own currency",
                        base.span,
                        "not converted",
                    )
                    .help = Some("use `credit.amount`, which is converted into the credit currency".to_string());
                    Ty::Error
                } else {
                    bt.clone()
                };
                (model::Expr::Binary { op: BinaryOp::Mul, lhs: Box::new(r), rhs: Box::new(b) }, ty)
            }
            (Ty::Percent, other) => {
                self.error(
                    &codes::TYPE_MISMATCH,
                    format!("a rate applies to an amount, but this is {other}"),
                    base.span,
                    format!("this is {other}"),
                );
                (placeholder(), Ty::Error)
            }
            (other, _) => {
                let d = self.error(
                    &codes::TYPE_MISMATCH,
                    format!("`of` needs a rate or a table on its left, but this is {other}"),
                    of_span,
                    "expected a percentage or a table before `of`",
                );
                d.help = Some("write `5% of bookings period`, or `TABLE of bookings ytd`".to_string());
                (placeholder(), Ty::Error)
            }
        }
    }

    fn call(
        &mut self,
        func: &ast::Ident,
        args: &[ast::Continued<ast::Expr>],
        rows: Rows,
        span: Span,
    ) -> (model::Expr, Ty) {
        let lowered: Vec<(model::Expr, Ty, Span)> = args
            .iter()
            .map(|a| &a.kind)
            .map(|a| {
                let (e, t) = self.expr(a, rows);
                (e, t, a.span)
            })
            .collect();
        if !matches!(func.text.as_str(), "min" | "max") {
            let d = self.error(
                &codes::UNKNOWN_NAME,
                format!("unknown function `{}`", func.text),
                func.span,
                "not a function",
            );
            d.help = Some(match did_you_mean(&func.text, ["min", "max"]) {
                Some(s) => format!("did you mean `{s}`?"),
                None => "the functions are `min(a, b, …)` and `max(a, b, …)`".to_string(),
            });
            return (placeholder(), Ty::Error);
        }
        if lowered.len() < 2 {
            self.error(
                &codes::TYPE_MISMATCH,
                format!("`{}` needs at least two values", func.text),
                span,
                "one value has no minimum or maximum to take",
            );
            return (placeholder(), Ty::Error);
        }
        let mut ty = Ty::Error;
        for (_, t, s) in &lowered {
            if ty.is_error() {
                ty = t.clone();
            } else if !t.is_error() {
                ty = self.binary_type(BinaryOp::Add, &ty, t, *s, *s, *s);
            }
        }
        let args = lowered.into_iter().map(|(e, _, _)| e).collect();
        (if func.text == "min" { model::Expr::Min(args) } else { model::Expr::Max(args) }, ty)
    }

    /// The type of `lhs op rhs`, or an error diagnostic and the error type.
    pub(crate) fn binary_type(
        &mut self,
        op: BinaryOp,
        lt: &Ty,
        rt: &Ty,
        op_span: Span,
        lspan: Span,
        rspan: Span,
    ) -> Ty {
        use Ty::*;
        if lt.is_error() || rt.is_error() {
            return Error;
        }
        for (ty, span) in [(lt, lspan), (rt, rspan)] {
            if let Money(Currency::PerRow(column)) = ty {
                if !matches!(op, BinaryOp::And | BinaryOp::Or) {
                    self.error(
                        &codes::UNCONVERTED_MONEY,
                        "this amount is in each row's own currency",
                        span,
                        format!("the currency varies with `{column}`"),
                    )
                    .help = Some("use `credit.amount`, which is converted into the credit currency".to_string());
                    return Error;
                }
            }
        }
        let symbol = op.symbol();
        let result = match (op, lt, rt) {
            (BinaryOp::And | BinaryOp::Or, Bool, Bool) => Some(Bool),
            (BinaryOp::And | BinaryOp::Or, _, _) => {
                let (ty, span) = if *lt != Bool { (lt, lspan) } else { (rt, rspan) };
                self.error(
                    &codes::NOT_A_CONDITION,
                    format!("`{symbol}` joins conditions, but this is {ty}"),
                    span,
                    "expected true or false",
                );
                return Error;
            }
            (BinaryOp::Add | BinaryOp::Sub, Money(a), Money(b)) if a == b => Some(lt.clone()),
            (BinaryOp::Add | BinaryOp::Sub, Percent, Percent) | (BinaryOp::Add | BinaryOp::Sub, Number, Number) => {
                Some(lt.clone())
            }
            (BinaryOp::Mul, Money(_), Percent | Number) => Some(lt.clone()),
            (BinaryOp::Mul, Percent | Number, Money(_)) => Some(rt.clone()),
            (BinaryOp::Mul, Percent, Percent) | (BinaryOp::Mul, Percent, Number) | (BinaryOp::Mul, Number, Percent) => {
                Some(Percent)
            }
            (BinaryOp::Mul, Number, Number) => Some(Number),
            (BinaryOp::Div, Money(a), Money(b)) if a == b => Some(Percent),
            (BinaryOp::Div, Money(_), Number | Percent) => Some(lt.clone()),
            (BinaryOp::Div, Percent, Number) => Some(Percent),
            (BinaryOp::Div, Percent, Percent) | (BinaryOp::Div, Number, Number) => Some(Number),
            _ => None,
        };
        if let Some(ty) = result {
            return ty;
        }
        let (code, message, help): (&'static Code, String, Option<&str>) = match (op, lt, rt) {
            (_, Money(Currency::Code(a)), Money(Currency::Code(b))) if a != b && op != BinaryOp::Mul => (
                &codes::CURRENCY_MISMATCH,
                format!("`{symbol}` mixes {a} and {b}"),
                Some("amounts are converted into one currency at credit time; write both in the plan's currency"),
            ),
            (BinaryOp::Mul, Money(_), Money(_)) => (
                &codes::MONEY_TIMES_MONEY,
                "money cannot be multiplied by money".to_string(),
                Some("multiply an amount by a rate (`5%`) or a number (`3`)"),
            ),
            (BinaryOp::Add | BinaryOp::Sub, Money(_), Percent) | (BinaryOp::Add | BinaryOp::Sub, Percent, Money(_)) => {
                (
                    &codes::TYPE_MISMATCH,
                    format!("`{symbol}` cannot combine money and a percentage"),
                    Some("apply the rate to an amount first: `5% of bookings period`"),
                )
            }
            _ => (&codes::TYPE_MISMATCH, format!("`{symbol}` is not defined for {lt} and {rt}"), None),
        };
        let d = self.error(code, message, op_span, format!("{lt} {symbol} {rt}"));
        d.labels.push(crate::diagnostics::Label::secondary(lspan, format!("{lt}")));
        d.labels.push(crate::diagnostics::Label::secondary(rspan, format!("{rt}")));
        d.help = help.map(str::to_string);
        Error
    }

    fn comparable(&mut self, op: CompareOp, lt: &Ty, rt: &Ty, op_span: Span, lspan: Span, rspan: Span) {
        use Ty::*;
        if lt.is_error() || rt.is_error() {
            return;
        }
        let ordered = !matches!(op, CompareOp::Eq | CompareOp::Ne);
        let ok = match (lt, rt) {
            (Money(a), Money(b)) => {
                if a != b {
                    let (a, b) = (lt.to_string(), rt.to_string());
                    self.error(
                        &codes::CURRENCY_MISMATCH,
                        format!("comparing {a} with {b}"),
                        op_span,
                        "different currencies",
                    )
                    .help = Some("compare amounts in the plan's currency (`credit.amount` is converted)".to_string());
                    return;
                }
                true
            }
            (Percent, Percent) | (Number, Number) | (Date, Date) | (Year, Year) | (Year, Number) | (Number, Year) => {
                true
            }
            (Text, Text)
            | (Bool, Bool)
            | (CurrencyCode, CurrencyCode)
            | (CurrencyCode, Text)
            | (Text, CurrencyCode) => !ordered,
            _ => false,
        };
        if ok {
            return;
        }
        let message = if lt == rt {
            format!("{lt} has no order: `{}` cannot compare it", op.symbol())
        } else {
            format!("{lt} cannot be compared with {rt}")
        };
        let d = self.error(&codes::INCOMPARABLE, message, op_span, "these cannot be compared");
        d.labels.push(crate::diagnostics::Label::secondary(lspan, format!("{lt}")));
        d.labels.push(crate::diagnostics::Label::secondary(rspan, format!("{rt}")));
        d.help = Some(match (lt, rt) {
            (Text, _) | (_, Text) if ordered => "text is compared with `is` and `is not`".to_string(),
            (Percent, Number) | (Number, Percent) => {
                "write the percentage with `%` on both sides (`50%`, not `0.5`)".to_string()
            }
            _ => "compare values of the same kind".to_string(),
        });
    }

    fn credit_kind(&mut self, lit: &ast::Literal, span: Span) {
        let LiteralValue::Text(kind) = &lit.value else { return };
        if !model::CREDIT_KINDS.contains(&kind.as_str()) {
            let d = self.error(&codes::TYPE_MISMATCH, format!("no credit is of kind \"{kind}\""), span, "never true");
            d.help = Some(match did_you_mean(kind, model::CREDIT_KINDS) {
                Some(s) => format!("did you mean \"{s}\"?"),
                None => "credit kinds are \"direct\", \"split\", \"territory\" and \"rollup\"".to_string(),
            });
            return;
        }
        // A kind no crediting rule gives: the condition would never (or always) hold, and the
        // measure or SPIFF built on it would pay as if the clause were not written.
        let Some(rules) = self.crediting else { return };
        let rule = match kind.as_str() {
            "split" if rules.splits.is_none() => "deal by splits",
            "territory" if rules.territory.is_none() => "deal by territory rep.COLUMN",
            "rollup" if rules.rollup.is_none() => "rollup to rep.manager",
            _ => return,
        };
        let d = self.error(
            &codes::BAD_CREDIT_RULES,
            format!("no crediting rule gives \"{kind}\" credit"),
            span,
            "no credit row is of this kind",
        );
        d.help = Some(format!("add `{rule}` to the credit block, or remove the condition"));
    }
}

/// A percentage as a fraction, exactly: `12.5` (percent) is `0.125`, the same digits two places
/// further right. `None` when that needs more than 28 decimals, which the lowering already reported
/// for every literal (so callers stand an error in its place without a second message).
pub(crate) fn fraction(percent: Decimal) -> Option<Decimal> {
    Decimal::try_from_i128_with_scale(percent.mantissa(), percent.scale().checked_add(2)?).ok()
}

/// A literal's model constant and type; percentages become fractions.
pub(crate) fn literal(value: &LiteralValue) -> (model::Expr, Ty) {
    let (c, ty) = match value {
        LiteralValue::Money { amount, currency } => (Const::Money(*amount), Ty::money(currency)),
        LiteralValue::Percent(p) => match fraction(*p) {
            Some(f) => (Const::Percent(f), Ty::Percent),
            None => return (placeholder(), Ty::Error),
        },
        LiteralValue::Number(n) => (Const::Number(*n), Ty::Number),
        LiteralValue::Date(d) => (Const::Date(*d), Ty::Date),
        LiteralValue::Text(t) => (Const::Text(t.clone()), Ty::Text),
        LiteralValue::Bool(b) => (Const::Bool(*b), Ty::Bool),
        LiteralValue::Invalid => return (placeholder(), Ty::Error),
    };
    (model::Expr::Const(c), ty)
}

/// The model expression standing for one that had an error (never evaluated: a plan with errors is
/// not run).
pub(crate) fn placeholder() -> model::Expr {
    model::Expr::Const(Const::Bool(false))
}
