//! Checking what a plan measures: quotas (source, split, proration), measures (the rows they count,
//! their `by` and `on`) and attainments.

use super::expr::{Checker, Rows};
use crate::ast::{self, ExprKind, LiteralValue, Span};
use crate::diagnostics::{codes, did_you_mean};
use crate::model::{self, ColumnId, ColumnType};
use crate::types::{Currency, Ty};
use rust_decimal::Decimal;

/// Strips parentheses, which do not change meaning.
fn unparen(e: &ast::Expr) -> &ast::Expr {
    match &e.kind {
        ExprKind::Paren(inner) => unparen(inner),
        _ => e,
    }
}

/// The value of a quota written as a constant (`-240000 USD`, `100000 USD - 340000 USD`): the same
/// for every rep. `None` when it reads anything else, or leaves exact arithmetic.
fn constant_quota(source: &model::QuotaSource) -> Option<Decimal> {
    fn value(e: &model::Expr) -> Option<Decimal> {
        use model::{BinaryOp, Const, Expr};
        match e {
            Expr::Const(Const::Money(d) | Const::Number(d) | Const::Percent(d)) => Some(*d),
            Expr::Neg(inner) => Decimal::ZERO.checked_sub(value(inner)?),
            Expr::Binary { op, lhs, rhs } => {
                let (a, b) = (value(lhs)?, value(rhs)?);
                match op {
                    BinaryOp::Add => a.checked_add(b),
                    BinaryOp::Sub => a.checked_sub(b),
                    BinaryOp::Mul => a.checked_mul(b),
                    BinaryOp::Div => a.checked_div(b),
                    BinaryOp::And | BinaryOp::Or => None,
                }
            }
            Expr::Min(args) => args.iter().map(value).collect::<Option<Vec<_>>>()?.into_iter().min(),
            Expr::Max(args) => args.iter().map(value).collect::<Option<Vec<_>>>()?.into_iter().max(),
            _ => None,
        }
    }
    match source {
        model::QuotaSource::Expr(e) => value(e),
        model::QuotaSource::Data { .. } => None,
    }
}

impl Checker<'_> {
    pub(crate) fn check_quota(&mut self, quota: &ast::Quota, index: usize) -> Ty {
        let (mut source, ty) = self.quota_source(&quota.value);
        // A quota that is the same for every rep is known here: below zero, every sale would lower
        // attainment. (One computed from the rep's columns is checked for each rep at run time.)
        if let Some(amount) = source.as_ref().and_then(constant_quota).filter(|a| *a < Decimal::ZERO) {
            let unit = match &ty {
                Ty::Money(Currency::Code(code)) => format!(" {code}"),
                _ => String::new(),
            };
            self.error(
                &codes::BAD_QUOTA,
                format!("the quota is below zero: {}{unit}", amount.normalize()),
                quota.value.span,
                "a negative quota",
            )
            .help = Some(
                "write the annual quota as a positive amount: against a negative quota every sale lowers attainment"
                    .to_string(),
            );
            source = None;
        }
        let split = match &quota.split {
            None => Some(model::QuotaSplit::EvenlyByMonth),
            Some(ast::QuotaSplit::Evenly { unit }) => match self.split_unit(unit) {
                Some(12) => Some(model::QuotaSplit::EvenlyByMonth),
                Some(_) => Some(model::QuotaSplit::EvenlyByQuarter),
                None => None,
            },
            Some(ast::QuotaSplit::Weights { unit, weights, span }) => {
                let count = self.split_unit(unit);
                let values: Vec<Option<Decimal>> = weights
                    .iter()
                    .map(|w| &w.kind)
                    .map(|w| match &unparen(w).kind {
                        ExprKind::Literal(ast::Literal { value: LiteralValue::Percent(p), .. }) => {
                            super::expr::fraction(*p)
                        }
                        // Weights that net out (50%, 60%, −10%, 0%) sum to 100% and still give a
                        // window a negative quota.
                        ExprKind::Unary { op: ast::UnaryOp::Neg, .. } => {
                            self.error(&codes::BAD_QUOTA, "a weight is below zero", w.span, "every weight is 0% or more")
                                .help = Some("give each period its part of the annual quota: a negative part makes every sale of that period lower attainment".to_string());
                            None
                        }
                        _ => {
                            self.error(
                                &codes::BAD_QUOTA,
                                "a weight is a percentage",
                                w.span,
                                "expected a percentage such as `25%`",
                            );
                            None
                        }
                    })
                    .collect();
                match (count, values.into_iter().collect::<Option<Vec<_>>>()) {
                    (Some(count), Some(values)) if values.len() != count => {
                        let unit_word = if count == 12 { "month" } else { "quarter" };
                        self.error(
                            &codes::BAD_QUOTA,
                            format!("{} weights for {count} {unit_word}s", values.len()),
                            *span,
                            format!("expected one weight per {unit_word}"),
                        );
                        None
                    }
                    (Some(count), Some(values)) => {
                        let total = values.iter().try_fold(Decimal::ZERO, |sum, w| sum.checked_add(*w));
                        if total != Some(Decimal::ONE) {
                            let percent = total.and_then(|t| t.checked_mul(Decimal::ONE_HUNDRED));
                            let sum =
                                percent.map_or("more than can be added".to_string(), |p| format!("{}%", p.normalize()));
                            let d = self.error(
                                &codes::BAD_QUOTA,
                                format!("the weights sum to {sum}, not 100%"),
                                *span,
                                "weights must sum to exactly 100%",
                            );
                            d.help = Some("adjust the weights so that the whole annual quota is split".to_string());
                            None
                        } else if count == 12 {
                            Some(model::QuotaSplit::MonthWeights(values))
                        } else {
                            Some(model::QuotaSplit::QuarterWeights(values))
                        }
                    }
                    _ => None,
                }
            }
        };
        let proration = match &quota.prorate {
            None => Some(model::Proration::None),
            // Proration reads the employment dates of the crediting rules: without them every rep is
            // employed every day, and the clause would change nothing.
            Some(ast::Continued { kind: unit, .. }) if self.crediting.is_some_and(|c| c.employed.is_none()) => {
                let d = self.error(
                    &codes::BAD_QUOTA,
                    "the workspace has no employment dates: proration would change nothing",
                    unit.span,
                    "every rep counts as employed every day",
                );
                d.help = Some("add `employed from rep.hired to rep.terminated` to the credit block".to_string());
                None
            }
            Some(ast::Continued { kind: unit, .. }) => match unit.text.as_str() {
                "months" | "month" => Some(model::Proration::Months),
                "days" | "day" => Some(model::Proration::Days),
                other => {
                    let d = self.error(
                        &codes::BAD_QUOTA,
                        format!("unknown proration `{other}`"),
                        unit.span,
                        "expected `months` or `days`",
                    );
                    d.help = did_you_mean(other, ["months", "days"])
                        .map(|s| format!("did you mean `prorated by {s} employed`?"));
                    None
                }
            },
        };
        if let (Some(source), Some(split), Some(proration), Some(plan)) = (source, split, proration, self.plan.as_mut())
        {
            plan.quotas[index] = Some(model::Quota { name: quota.name.text.clone(), source, split, proration });
        }
        ty
    }

    fn split_unit(&mut self, unit: &ast::Ident) -> Option<usize> {
        match unit.text.as_str() {
            "month" | "months" => Some(12),
            "quarter" | "quarters" => Some(4),
            other => {
                let d = self.error(
                    &codes::BAD_QUOTA,
                    format!("a quota is split by `month` or `quarter`, not `{other}`"),
                    unit.span,
                    "unknown unit",
                );
                d.help = did_you_mean(other, ["month", "quarter"]).map(|s| format!("did you mean `{s}`?"));
                None
            }
        }
    }

    /// A quota's annual amount: a column of a table of quotas, or an expression over the rep.
    fn quota_source(&mut self, value: &ast::Expr) -> (Option<model::QuotaSource>, Ty) {
        if let ExprKind::Path(ast::Path { head, field: Some(field) }) = &unparen(value).kind {
            if let Some(table) = self.schema.table(&head.text) {
                self.record_table(head, table);
                self.record_column_named(field, table);
                let t = &self.schema.tables[table];
                let Some(amount) = t.column(&field.text) else {
                    let d = self.error(
                        &codes::UNKNOWN_COLUMN,
                        format!("`{}` has no column `{}`", t.name, field.text),
                        field.span,
                        "unknown column",
                    );
                    d.help = did_you_mean(&field.text, t.columns.iter().map(|c| c.name.as_str()))
                        .map(|s| format!("did you mean `{}.{s}`?", head.text));
                    return (None, Ty::Error);
                };
                let reps = self.reps_table();
                let rep = t.columns.iter().position(|c| reps.is_some_and(|r| c.ty == ColumnType::Ref(r)));
                let year = t.columns.iter().position(|c| c.ty == ColumnType::Year);
                let ty = super::names::column_type(self.schema, ColumnId { table, column: amount });
                let (Some(rep), Some(year)) = (rep, year) else {
                    let d = self.error(
                        &codes::BAD_QUOTA,
                        format!("`{}` cannot hold quotas", t.name),
                        head.span,
                        "a table of quotas needs a `ref reps` column and a `year` column",
                    );
                    d.help = Some(format!(
                        "declare e.g. `schema {} {{ rep: ref reps; year: year; amount: money USD }}`",
                        t.name
                    ));
                    return (None, Ty::Error);
                };
                if !matches!(ty, Ty::Money(Currency::Code(_)) | Ty::Number) {
                    self.error(
                        &codes::WRONG_RESULT_TYPE,
                        format!("a quota is an amount, but `{}.{}` is {ty}", head.text, field.text),
                        value.span,
                        "expected money or a number",
                    );
                    return (None, Ty::Error);
                }
                // A row without its rep or its year was no one's quota, and one without its amount a
                // quota of 0: a rep with no quota has no row.
                for (column, without) in [(rep, "no rep's quota"), (year, "no year's quota"), (amount, "no quota")] {
                    if t.columns[column].optional {
                        self.error(
                            &codes::BAD_QUOTA,
                            format!(
                                "`{}.{}` is declared `optional`: a quota row without it is {without}",
                                t.name, t.columns[column].name
                            ),
                            value.span,
                            "read from an optional column",
                        )
                        .help = Some(format!(
                            "remove `optional` from `{}` in `schema {}`: a rep without a quota for a plan year has no row",
                            t.columns[column].name, t.name
                        ));
                    }
                }
                let source = model::QuotaSource::Data {
                    table,
                    amount: ColumnId { table, column: amount },
                    rep: ColumnId { table, column: rep },
                    year: ColumnId { table, column: year },
                };
                return (Some(source), ty);
            }
        }
        let (expr, ty) = self.expr(value, Rows::Rep);
        match &ty {
            Ty::Error => (None, Ty::Error),
            Ty::Money(Currency::Code(_)) | Ty::Number => (Some(model::QuotaSource::Expr(expr)), ty),
            other => {
                self.error(
                    &codes::WRONG_RESULT_TYPE,
                    format!("a quota is an amount, but this is {other}"),
                    value.span,
                    "expected money or a number",
                );
                (None, Ty::Error)
            }
        }
    }

    pub(crate) fn check_measure(&mut self, measure: &ast::Measure, index: usize) -> Ty {
        let (source, rows) = self.measure_source(measure);
        let (aggregate, ty) = match &measure.aggregate {
            ast::Aggregate::Count(_) => (model::Aggregate::Count, Ty::Number),
            ast::Aggregate::Sum(e) => {
                let (expr, ty) = self.expr(e, rows);
                match &ty {
                    Ty::Money(Currency::PerRow(column)) => {
                        let d = self.error(
                            &codes::UNCONVERTED_MONEY,
                            "this amount is in each row's own currency",
                            e.span,
                            format!("the currency varies with `{column}`"),
                        );
                        d.help = Some("sum `credit.amount`, which is converted into the credit currency".to_string());
                        (model::Aggregate::Sum(expr), Ty::Error)
                    }
                    Ty::Money(_) | Ty::Number | Ty::Error => (model::Aggregate::Sum(expr), ty),
                    other => {
                        self.error(
                            &codes::WRONG_RESULT_TYPE,
                            format!("only amounts and numbers can be summed, but this is {other}"),
                            e.span,
                            "expected money or a number",
                        );
                        (model::Aggregate::Sum(expr), Ty::Error)
                    }
                }
            }
        };
        let filter = measure.filter.as_ref().map(|f| self.condition(f, rows));
        if let (Some(source), Some(plan)) = (source, self.plan.as_mut()) {
            plan.measures[index] = Some(model::Measure { name: measure.name.text.clone(), aggregate, source, filter });
        }
        ty
    }

    /// Which rows a measure reads: credit, unless it counts or reads another table.
    fn measure_source(&mut self, measure: &ast::Measure) -> (Option<model::MeasureSource>, Rows) {
        let named = match &measure.aggregate {
            ast::Aggregate::Count(table) if table.text == "credit" => None,
            ast::Aggregate::Count(table) => match self.schema.table(&table.text) {
                Some(t) => {
                    self.record_table(table, t);
                    Some((t, table.span))
                }
                None => {
                    let mut names: Vec<&str> = self.schema.tables.iter().map(|t| t.name.as_str()).collect();
                    names.push("credit");
                    let d = self.error(
                        &codes::UNKNOWN_TABLE,
                        format!("no table is called `{}`", table.text),
                        table.span,
                        "expected `credit` or a schema table",
                    );
                    d.help = did_you_mean(&table.text, names).map(|s| format!("did you mean `{s}`?"));
                    return (None, Rows::Credit);
                }
            },
            ast::Aggregate::Sum(e) => {
                self.other_table(e).or_else(|| measure.filter.as_ref().and_then(|f| self.other_table(f)))
            }
        };
        let named = match named {
            // `by`/`on` on a measure of credit: they name the deals table's own columns, and the
            // measure then reads deals row by row; credit rows are given to reps and dated by the
            // crediting rules, so anything else is refused rather than ignored.
            None => match self.clause_on_credit(measure) {
                Ok(deals) => deals,
                Err(()) => return (None, Rows::Credit),
            },
            named => named,
        };
        let Some((table, span)) = named else {
            if self.crediting.is_none() && self.credit_declared {
                return (None, Rows::Credit);
            }
            if self.crediting.is_none() {
                self.error(
                    &codes::MISSING_SHARED,
                    "measures of credit need crediting rules",
                    measure.name.span,
                    "no `credit { … }` block in the workspace",
                )
                .help = Some("add a `credit { deal to deal.owner on deal.closed }` block to the workspace".to_string());
                return (None, Rows::Credit);
            }
            return (Some(model::MeasureSource::Credit), Rows::Credit);
        };
        // `count of deals` is the rep's credit rows; with `by` or `on` it reads the deals table itself.
        if Some(table) == self.deals_table() && measure.by.is_none() && measure.on.is_none() {
            return (Some(model::MeasureSource::Credit), Rows::Credit);
        }
        let reps = self.reps_table();
        let pick = |this: &mut Self,
                    given: Option<&ast::Path>,
                    ok: &dyn Fn(&ColumnType) -> bool,
                    what: &str|
         -> Option<ColumnId> {
            if let Some(path) = given {
                if path.head.text == this.schema.tables[table].row_name {
                    this.record_table(&path.head, table);
                    if let Some(field) = &path.field {
                        this.record_column_named(field, table);
                    }
                }
                let column = path.field.as_ref().and_then(|f| this.schema.tables[table].column(&f.text));
                return match column {
                    Some(c)
                        if path.head.text == this.schema.tables[table].row_name
                            && ok(&this.schema.tables[table].columns[c].ty) =>
                    {
                        Some(ColumnId { table, column: c })
                    }
                    _ => {
                        this.error(
                            &codes::AMBIGUOUS_ROWS,
                            format!("`{}` is not a {what} of `{}`", path.text(), this.schema.tables[table].name),
                            path.span(),
                            format!("expected a {what}"),
                        );
                        None
                    }
                };
            }
            let found: Vec<usize> = this.schema.tables[table]
                .columns
                .iter()
                .enumerate()
                .filter(|(_, c)| ok(&c.ty))
                .map(|(i, _)| i)
                .collect();
            match found.as_slice() {
                [one] => Some(ColumnId { table, column: *one }),
                _ => {
                    let row = this.schema.tables[table].row_name.clone();
                    let clause =
                        if what.contains("rep") { format!("by {row}.COLUMN") } else { format!("on {row}.COLUMN") };
                    let (count, plural) = if found.is_empty() { ("no", "") } else { ("several", "s") };
                    let d = this.error(
                        &codes::AMBIGUOUS_ROWS,
                        format!("`{}` has {count} {what}{plural}", this.schema.tables[table].name),
                        span,
                        format!("which is the {what}?"),
                    );
                    d.help = Some(format!("name it: `{clause}`"));
                    None
                }
            }
        };
        let rep = pick(
            self,
            measure.by.as_ref(),
            &|c: &ColumnType| reps.is_some_and(|r| *c == ColumnType::Ref(r)),
            "rep column",
        );
        let date = pick(self, measure.on.as_ref(), &|c: &ColumnType| *c == ColumnType::Date, "date column");
        match (rep, date) {
            (Some(rep), Some(date)) => (Some(model::MeasureSource::Table { table, rep, date }), Rows::Table(table)),
            _ => (None, Rows::Table(table)),
        }
    }

    /// The rows of a measure that reads credit but names `by` or `on`: the deals table, when the
    /// clauses name its columns (`sum of deal.points by deal.owner on deal.cancelled`); `Ok(None)`
    /// without either clause; an error (reported) when they cannot apply to credit rows.
    fn clause_on_credit(&mut self, measure: &ast::Measure) -> Result<Option<(usize, Span)>, ()> {
        let Some(clause) = measure.by.as_ref().or(measure.on.as_ref()) else { return Ok(None) };
        let deals = self.deals_table();
        let deal_row = deals.map(|t| self.schema.tables[t].row_name.clone()).unwrap_or_else(|| "deal".to_string());
        let counts_credit = matches!(&measure.aggregate, ast::Aggregate::Count(t) if t.text == "credit");
        if let (Some(deals), false) = (deals, counts_credit) {
            if clause.head.text == deal_row {
                return Ok(Some((deals, clause.span())));
            }
        }
        let word = if measure.by.is_some() { "by" } else { "on" };
        let table = deals.map_or("deals", |t| self.schema.tables[t].name.as_str());
        let help =
            format!("remove it, or measure the deals themselves: `count of {table} by {deal_row}.owner on {deal_row}.cancelled`");
        let d = self.error(
            &codes::AMBIGUOUS_ROWS,
            format!("`{word}` does not apply to credit rows"),
            clause.span(),
            "credit rows are given to reps and dated by the crediting rules",
        );
        d.help = Some(help);
        Err(())
    }

    /// The first table other than deals and reps whose rows an expression reads.
    fn other_table(&self, e: &ast::Expr) -> Option<(usize, Span)> {
        let mut found = None;
        walk(e, &mut |e| {
            if let ExprKind::Path(ast::Path { head, field: Some(_) }) = &e.kind {
                if found.is_none() && head.text != "credit" {
                    if let Some(t) = self.schema.tables.iter().position(|t| t.row_name == head.text) {
                        if Some(t) != self.deals_table() && Some(t) != self.reps_table() {
                            found = Some((t, head.span));
                        }
                    }
                }
            }
        });
        found
    }

    pub(crate) fn check_attainment(&mut self, attainment: &ast::Attainment, index: usize) -> Ty {
        let shape = || {
            let e = unparen(&attainment.value);
            let ExprKind::Chain { head: lhs, links } = &e.kind else { return None };
            let [ast::Link { op: ast::BinaryOp::Div, operand: rhs, .. }] = links.as_slice() else { return None };
            let scoped = |e: &ast::Expr| match &unparen(e).kind {
                ExprKind::Scoped { expr, scope, .. } => match &expr.kind {
                    ExprKind::Path(p) if p.field.is_none() => Some((p.head.clone(), *scope)),
                    _ => None,
                },
                _ => None,
            };
            Some((scoped(lhs)?, scoped(rhs)?, lhs.span, rhs.span))
        };
        let Some(((measure, measure_scope), (quota, quota_scope), lspan, rspan)) = shape() else {
            let d = self.error(
                &codes::BAD_ATTAINMENT,
                "an attainment is a measure divided by a quota",
                attainment.value.span,
                "expected `MEASURE SCOPE / QUOTA SCOPE`",
            );
            d.help =
                Some(format!("write e.g. `attainment {} = bookings ytd / bookings_quota ytd`", attainment.name.text));
            // Still check the expression, for its own errors.
            self.expr(&attainment.value, Rows::Rep);
            return Ty::Error;
        };
        let (m, mt) = self.expr(
            &ast::Expr {
                kind: ExprKind::Scoped { expr: Box::new(path_expr(&measure)), scope: measure_scope, scope_span: lspan },
                span: lspan,
            },
            Rows::Rep,
        );
        let (q, qt) = self.expr(
            &ast::Expr {
                kind: ExprKind::Scoped { expr: Box::new(path_expr(&quota)), scope: quota_scope, scope_span: rspan },
                span: rspan,
            },
            Rows::Rep,
        );
        let (model::Expr::Measure { id: measure_id, .. }, model::Expr::Quota { id: quota_id, .. }) = (&m, &q) else {
            if !mt.is_error() && !qt.is_error() {
                let d = self.error(
                    &codes::BAD_ATTAINMENT,
                    "an attainment is a measure divided by a quota",
                    attainment.value.span,
                    "expected `MEASURE SCOPE / QUOTA SCOPE`",
                );
                d.help = Some("the numerator is a `measure`, the denominator a `quota`".to_string());
            }
            return Ty::Error;
        };
        match (&mt, &qt) {
            (Ty::Money(a), Ty::Money(b)) if a != b => {
                self.error(
                    &codes::CURRENCY_MISMATCH,
                    format!("the measure is {mt} but the quota is {qt}"),
                    attainment.value.span,
                    "different currencies",
                );
                return Ty::Error;
            }
            (Ty::Money(_), Ty::Money(_)) | (Ty::Number, Ty::Number) => {}
            (Ty::Error, _) | (_, Ty::Error) => return Ty::Error,
            _ => {
                self.error(
                    &codes::BAD_ATTAINMENT,
                    format!("the measure is {mt} but the quota is {qt}"),
                    attainment.value.span,
                    "a measure of money needs a quota of money, a count a quota of numbers",
                );
                return Ty::Error;
            }
        }
        if let Some(plan) = self.plan.as_mut() {
            plan.attainments[index] = Some(model::Attainment {
                name: attainment.name.text.clone(),
                measure: *measure_id,
                measure_scope,
                quota: *quota_id,
                quota_scope,
            });
        }
        Ty::Percent
    }
}

fn path_expr(name: &ast::Ident) -> ast::Expr {
    ast::Expr { kind: ExprKind::Path(ast::Path { head: name.clone(), field: None }), span: name.span }
}

/// Calls `visit` on an expression and all its sub-expressions.
pub(crate) fn walk<'e>(e: &'e ast::Expr, visit: &mut impl FnMut(&'e ast::Expr)) {
    visit(e);
    match &e.kind {
        ExprKind::Scoped { expr, .. }
        | ExprKind::Unary { operand: expr, .. }
        | ExprKind::Paren(expr)
        | ExprKind::IsEmpty { value: expr, .. } => walk(expr, visit),
        ExprKind::Chain { head, links } => {
            walk(head, visit);
            links.iter().for_each(|link| walk(&link.operand, visit));
        }
        ExprKind::Compare { lhs, rhs, .. } => {
            walk(lhs, visit);
            walk(rhs, visit);
        }
        ExprKind::Range { value, from, to } => {
            walk(value, visit);
            walk(from, visit);
            walk(to, visit);
        }
        ExprKind::Of { rate, base, .. } => {
            walk(rate, visit);
            walk(base, visit);
        }
        ExprKind::Call { args, .. } => args.iter().for_each(|a| walk(&a.kind, visit)),
        ExprKind::Literal(_) | ExprKind::Path(_) => {}
    }
}
