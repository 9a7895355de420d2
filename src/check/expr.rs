//! Checking one expression: inferring its type with units and lowering it to the model (names are
//! resolved in `names`).
//!
//! The rules of units are here: money carries a currency, `money × percent → money`,
//! `money ÷ money → percent`, and `money + percent`, `USD + EUR` or `money × money` are errors.

use super::plan::PlanState;
use super::problems;
use super::source_map::Occurrence;
use crate::ast::{self, BinaryOp, CompareOp, ExprKind, LiteralValue, Span, UnaryOp};
use crate::diagnostics::Diagnostic;
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
    /// True while checking the amount or the condition of a per-deal earning: the only place a
    /// table keyed on one credit's amount has a value (see `table_apply`).
    pub(crate) per_deal: bool,
    /// The earning being checked, while its amount, condition, gate or limits are: the only
    /// places another earning may be read (see `Checker::earning_read`), and, with `per_deal`, the
    /// only place a table keyed on that earning's own total is applied (see `table_apply`).
    pub(crate) earning: Option<model::EarningId>,
    /// Every plan of the workspace with its earnings, when the plan checked reads an earning of
    /// the reps below (`None` otherwise: nothing to check them against).
    pub(crate) team_plans: Option<Vec<super::team::PlanEarnings>>,
}

/// Where an operator and its two operands are written.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Operands {
    /// The operator.
    pub(crate) op: Span,
    /// Its left operand.
    pub(crate) lhs: Span,
    /// Its right operand.
    pub(crate) rhs: Span,
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
            per_deal: false,
            earning: None,
            team_plans: None,
        }
    }

    pub(crate) fn take_diagnostics(&mut self) -> Vec<Diagnostic> {
        std::mem::take(&mut self.diags)
    }

    /// Reports a problem (built by one of the constructors in `problems`).
    pub(crate) fn report(&mut self, diagnostic: Diagnostic) {
        self.diags.push(diagnostic);
    }

    /// Reports a problem with an expression, which then stands as an error (never evaluated: a
    /// plan with errors is not run).
    pub(crate) fn refuse(&mut self, diagnostic: Diagnostic) -> (model::Expr, Ty) {
        self.report(diagnostic);
        (placeholder(), Ty::Error)
    }

    /// The table reps are read from: the crediting rules' target, else a table named `reps`.
    pub(crate) fn reps_table(&self) -> Option<TableId> {
        self.crediting.map(|c| c.reps).or_else(|| self.schema.table("reps"))
    }

    /// The plan's pay frequency when a pay period is longer than a month (a quarter or a year),
    /// where a month's window, a month's line or a count of months is not a count of periods.
    pub(crate) fn pay_longer_than_a_month(&self) -> Option<model::PayFrequency> {
        self.pay.filter(|pay| pay.months() > 1)
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
            self.report(problems::not_a_condition(&ty, e.span));
        }
        lowered
    }

    /// An amount in the plan currency (earnings, caps, draws).
    pub(crate) fn money(&mut self, e: &ast::Expr, rows: Rows, what: &str) -> model::Expr {
        let (lowered, ty) = self.expr(e, rows);
        self.expect_money(&ty, e.span, what);
        lowered
    }

    /// Reports an amount (`what`) that is not money in the plan's currency.
    pub(crate) fn expect_money(&mut self, ty: &Ty, span: Span, what: &str) {
        let currency = self.currency.clone().unwrap_or_default();
        match ty {
            Ty::Error => {}
            Ty::Money(Currency::Code(c)) if *c == currency || currency.is_empty() => {}
            Ty::Money(Currency::Code(c)) => self.report(problems::amount_in_another_currency(what, c, &currency, span)),
            Ty::Money(Currency::PerRow(column)) => {
                self.report(problems::amount_in_each_rows_currency(what, column, span))
            }
            other => {
                let units = self.crediting.and_then(|c| {
                    let column = &self.schema.column(c.amount).name;
                    super::crediting::credits_units(self.schema, c).then(|| column.clone())
                });
                self.report(problems::not_money(what, other, span, units.as_deref()))
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
                ExprKind::Path(path) if path.field.is_none() => {
                    if *scope == ast::Scope::Quarter && self.pay == Some(model::PayFrequency::Yearly) {
                        self.report(problems::quarter_on_a_yearly_plan(*scope_span));
                    }
                    self.path(path, Some((*scope, *scope_span)), rows)
                }
                _ => self.refuse(problems::scope_on_an_expression(*scope, *scope_span)),
            },
            ExprKind::Team { expr, reach, reach_span } => self.team_earning(expr, *reach, *reach_span, rows),
            ExprKind::Call { func, args } => self.call(func, args, rows, e.span),
            ExprKind::Unary { op, operand } => self.unary(*op, operand, rows),
            ExprKind::Chain { head, links } => self.chain(head, links, rows),
            ExprKind::Compare { op, op_span, lhs, rhs, .. } => self.compare(*op, *op_span, lhs, rhs, rows),
            ExprKind::IsEmpty { value, negated, .. } => self.is_empty(value, *negated, rows),
            ExprKind::Range { value, from, to } => self.range(value, from, to, rows),
            ExprKind::MonthsSince(date) => self.months_since(date, rows),
            ExprKind::In { value, set, negated, op_span } => self.member(value, set, *negated, *op_span, rows),
            ExprKind::Of { rate, base, of_span } => self.of(rate, base, *of_span, rows),
            ExprKind::Choice { first, arms } => self.choice(first, arms, rows),
        }
    }

    /// `a if c, else b`: each condition a condition, every value of the first value's kind (money
    /// in one currency, a percentage, a number, …). The model keeps the arms in order, and the
    /// runtime evaluates only the conditions up to the one that holds and the value it chooses.
    fn choice(&mut self, first: &ast::Expr, arms: &[ast::ChoiceArm], rows: Rows) -> (model::Expr, Ty) {
        let (mut value, mut ty) = self.expr(first, rows);
        let mut kind_of = first.span;
        let mut lowered = Vec::with_capacity(arms.len());
        for arm in arms {
            let condition = self.condition(&arm.condition, rows);
            lowered.push((condition, value));
            let (next, next_ty) = self.expr(&arm.value.kind, rows);
            let span = arm.value.kind.span;
            ty = match (&ty, &next_ty) {
                (Ty::Error, _) => {
                    kind_of = span;
                    next_ty
                }
                (_, Ty::Error) => ty,
                (Ty::Money(Currency::PerRow(column)), _) | (_, Ty::Money(Currency::PerRow(column))) => {
                    let at = if matches!(ty, Ty::Money(Currency::PerRow(_))) { kind_of } else { span };
                    self.report(problems::operand_in_each_rows_currency(column, at));
                    Ty::Error
                }
                (a, b) if a == b => ty,
                (a, b) => {
                    self.report(problems::choice_of_two_kinds(a, b, kind_of, span));
                    Ty::Error
                }
            };
            value = next;
        }
        (model::Expr::Choice { arms: lowered, otherwise: Box::new(value) }, ty)
    }

    /// `-x` (of a number, a percentage or an amount) and `not x` (of a condition).
    fn unary(&mut self, op: UnaryOp, operand: &ast::Expr, rows: Rows) -> (model::Expr, Ty) {
        let (inner, ty) = self.expr(operand, rows);
        match op {
            UnaryOp::Neg if ty.is_numeric() || ty.is_error() => (model::Expr::Neg(Box::new(inner)), ty),
            UnaryOp::Not if matches!(ty, Ty::Bool | Ty::Error) => (model::Expr::Not(Box::new(inner)), Ty::Bool),
            UnaryOp::Neg => self.refuse(problems::cannot_negate(&ty, operand.span)),
            UnaryOp::Not => self.refuse(problems::not_of_a_non_condition(&ty, operand.span)),
        }
    }

    /// `a < b`, `a is b`…: the two sides must be comparable; a credit kind compared with a text is
    /// checked against the kinds there are.
    fn compare(
        &mut self,
        op: CompareOp,
        op_span: Span,
        lhs: &ast::Expr,
        rhs: &ast::Expr,
        rows: Rows,
    ) -> (model::Expr, Ty) {
        let (l, lt) = self.expr(lhs, rows);
        let (r, rt) = self.expr(rhs, rows);
        self.comparable(op, &lt, &rt, Operands { op: op_span, lhs: lhs.span, rhs: rhs.span });
        if let (CompareOp::Eq | CompareOp::Ne, model::Expr::Credit(CreditField::Kind), ExprKind::Literal(lit)) =
            (op, &l, &rhs.kind)
        {
            self.credit_kind(lit, rhs.span);
        }
        (model::Expr::Compare { op, lhs: Box::new(l), rhs: Box::new(r) }, Ty::Bool)
    }

    /// `x in (a, b)`: each value of the list must be comparable with `x`. The model is the
    /// comparisons `x is a`, `x is b`… joined by `or` as a balanced tree (a list of a thousand
    /// values is ten levels deep), under `not` for `not in`.
    fn member(
        &mut self,
        value: &ast::Expr,
        set: &[ast::Continued<ast::Expr>],
        negated: bool,
        op_span: Span,
        rows: Rows,
    ) -> (model::Expr, Ty) {
        let (v, vt) = self.expr(value, rows);
        let mut compares = Vec::with_capacity(set.len());
        for item in set.iter().map(|c| &c.kind) {
            let (e, et) = self.expr(item, rows);
            self.comparable(CompareOp::Eq, &vt, &et, Operands { op: op_span, lhs: value.span, rhs: item.span });
            if let (model::Expr::Credit(CreditField::Kind), ExprKind::Literal(lit)) = (&v, &item.kind) {
                self.credit_kind(lit, item.span);
            }
            compares.push(model::Expr::Compare { op: CompareOp::Eq, lhs: Box::new(v.clone()), rhs: Box::new(e) });
        }
        let any = any_of(compares);
        (if negated { model::Expr::Not(Box::new(any)) } else { any }, Ty::Bool)
    }

    /// `months since DATE`: a number of months, from a date.
    fn months_since(&mut self, date: &ast::Expr, rows: Rows) -> (model::Expr, Ty) {
        let (d, ty) = self.expr(date, rows);
        match ty {
            Ty::Date | Ty::Error => (model::Expr::MonthsSince(Box::new(d)), Ty::Number),
            other => self.refuse(problems::months_since_a_non_date(&other, date.span)),
        }
    }

    /// `x is empty`: only a column the schema declares `optional` can be.
    fn is_empty(&mut self, value: &ast::Expr, negated: bool, rows: Rows) -> (model::Expr, Ty) {
        let (v, vt) = self.expr(value, rows);
        match &v {
            model::Expr::Rep(column) | model::Expr::Row(column) if !self.schema.column(*column).optional => {
                self.report(problems::never_empty(value));
            }
            model::Expr::Rep(_) | model::Expr::Row(_) => {}
            _ if vt.is_error() => {}
            _ => self.report(problems::empty_test_of_a_non_column(value.span)),
        }
        (model::Expr::IsEmpty { value: Box::new(v), negated }, Ty::Bool)
    }

    /// `x from a to b`: the value is compared with both ends, and a range of dates must not end
    /// before it starts.
    fn range(&mut self, value: &ast::Expr, from: &ast::Expr, to: &ast::Expr, rows: Rows) -> (model::Expr, Ty) {
        let (v, vt) = self.expr(value, rows);
        let (f, ft) = self.expr(from, rows);
        let (t, tt) = self.expr(to, rows);
        let above = Operands { op: value.span.to(from.span), lhs: value.span, rhs: from.span };
        self.comparable(CompareOp::Ge, &vt, &ft, above);
        let below = Operands { op: value.span.to(to.span), lhs: value.span, rhs: to.span };
        self.comparable(CompareOp::Le, &vt, &tt, below);
        if let (model::Expr::Const(Const::Date(a)), model::Expr::Const(Const::Date(b))) = (&f, &t) {
            if b < a {
                self.report(problems::range_ends_before_it_starts(*a, *b, from.span.to(to.span)));
            }
        }
        (model::Expr::Range { value: Box::new(v), from: Box::new(f), to: Box::new(t) }, Ty::Bool)
    }

    /// `rate of base`: a percentage of an amount, or a table (named on the left) applied to a base.
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
            (Ty::Percent, Ty::Money(Currency::PerRow(_))) => {
                self.report(problems::rate_of_an_unconverted_amount(base.span));
                (model::Expr::Binary { op: BinaryOp::Mul, lhs: Box::new(r), rhs: Box::new(b) }, Ty::Error)
            }
            (Ty::Percent, Ty::Money(_) | Ty::Number | Ty::Percent) => {
                (model::Expr::Binary { op: BinaryOp::Mul, lhs: Box::new(r), rhs: Box::new(b) }, bt.clone())
            }
            (Ty::Percent, other) => self.refuse(problems::rate_of_a_non_amount(other, base.span)),
            (other, _) => self.refuse(problems::of_without_a_rate(other, of_span)),
        }
    }

    /// `min(a, b, …)` and `max(a, b, …)`: at least two values, of one type that adds up.
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
            return self.refuse(problems::unknown_function(&func.text, func.span));
        }
        if lowered.len() < 2 {
            return self.refuse(problems::too_few_values(&func.text, span));
        }
        let mut ty = Ty::Error;
        for (_, t, s) in &lowered {
            if ty.is_error() {
                ty = t.clone();
            } else if !t.is_error() {
                ty = self.binary_type(BinaryOp::Add, &ty, t, Operands { op: *s, lhs: *s, rhs: *s });
            }
        }
        let args = lowered.into_iter().map(|(e, _, _)| e).collect();
        (if func.text == "min" { model::Expr::Min(args) } else { model::Expr::Max(args) }, ty)
    }

    /// The type of `lhs op rhs`, or an error diagnostic and the error type.
    pub(crate) fn binary_type(&mut self, op: BinaryOp, lt: &Ty, rt: &Ty, at: Operands) -> Ty {
        if lt.is_error() || rt.is_error() {
            return Ty::Error;
        }
        let joins = matches!(op, BinaryOp::And | BinaryOp::Or);
        for (ty, span) in [(lt, at.lhs), (rt, at.rhs)] {
            if let (Ty::Money(Currency::PerRow(column)), false) = (ty, joins) {
                self.report(problems::operand_in_each_rows_currency(column, span));
                return Ty::Error;
            }
        }
        if let Some(ty) = binary_result(op, lt, rt) {
            return ty;
        }
        if joins {
            let (ty, span) = if *lt != Ty::Bool { (lt, at.lhs) } else { (rt, at.rhs) };
            self.report(problems::joins_a_non_condition(op, ty, span));
        } else {
            self.report(problems::operands_do_not_combine(op, lt, rt, at));
        }
        Ty::Error
    }

    /// Reports two sides a comparison cannot compare: different kinds, different currencies, or an
    /// order (`<`, `>=`…) asked of values that have none.
    fn comparable(&mut self, op: CompareOp, lt: &Ty, rt: &Ty, at: Operands) {
        use Ty::*;
        if lt.is_error() || rt.is_error() {
            return;
        }
        let ordered = !matches!(op, CompareOp::Eq | CompareOp::Ne);
        let ok = match (lt, rt) {
            (Money(a), Money(b)) if a != b => {
                self.report(problems::comparing_currencies(lt, rt, at.op));
                return;
            }
            (Money(_), Money(_)) => true,
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
        if !ok {
            self.report(problems::incomparable(op, lt, rt, at));
        }
    }

    /// Reports a credit kind compared with `credit.kind` that no credit row has, or that no crediting
    /// rule gives: the condition would never (or always) hold, and the measure or SPIFF built on it
    /// would pay as if the clause were not written.
    fn credit_kind(&mut self, lit: &ast::Literal, span: Span) {
        let LiteralValue::Text(kind) = &lit.value else { return };
        if !model::CREDIT_KINDS.contains(&kind.as_str()) {
            self.report(problems::unknown_credit_kind(kind, span));
            return;
        }
        let Some(rules) = self.crediting else { return };
        let given = match kind.as_str() {
            "split" => rules.splits.is_some(),
            "territory" => rules.territory.is_some(),
            "rollup" => rules.rollup.is_some(),
            _ => true,
        };
        if !given {
            self.report(problems::no_rule_gives_credit_kind(kind, span));
        }
    }
}

/// The type of `lhs op rhs` under the rules of units, for operands of known types; `None` when the
/// rules do not define it.
fn binary_result(op: BinaryOp, lt: &Ty, rt: &Ty) -> Option<Ty> {
    use Ty::*;
    match (op, lt, rt) {
        (BinaryOp::And | BinaryOp::Or, Bool, Bool) => Some(Bool),
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
        // Only a band's value names a table; the table checks read it themselves.
        LiteralValue::Table(_) | LiteralValue::Invalid => return (placeholder(), Ty::Error),
    };
    (model::Expr::Const(c), ty)
}

/// The model expression standing for one that had an error (never evaluated: a plan with errors is
/// not run).
pub(crate) fn placeholder() -> model::Expr {
    model::Expr::Const(Const::Bool(false))
}

/// Conditions joined by `or` as a balanced tree, so that its depth grows with the logarithm of
/// their number (the evaluator recurses on it). The grammar gives a list at least one value.
fn any_of(mut conditions: Vec<model::Expr>) -> model::Expr {
    if conditions.len() <= 1 {
        return conditions.pop().unwrap_or(model::Expr::Const(Const::Bool(false)));
    }
    let right = conditions.split_off(conditions.len() / 2);
    model::Expr::Binary { op: BinaryOp::Or, lhs: Box::new(any_of(conditions)), rhs: Box::new(any_of(right)) }
}
