//! The expression evaluator: checked expressions over a row, a rep and a period, in exact
//! arithmetic.
//!
//! What a name means (a measure in a scope, a quota, an attainment, a table) depends on where the
//! expression is evaluated; the [`Context`] trait supplies it, so the same evaluator serves crediting
//! (territory conditions over a deal) and plans (everything else).

use super::credit::CreditRow;
use super::error::Fault;
use crate::data::{Column, Dataset, DealIdx, KeyValue, RepIdx};
use crate::diagnostics::codes;
use crate::model::{
    self, AttainmentId, BinaryOp, ColumnId, CompareOp, Const, CreditField, Expr, MeasureId, QuotaId, RateTableId,
    RowIdx, Scope, TerritoryId,
};
use crate::num::Ratio;
use chrono::NaiveDate;
use std::cmp::Ordering;

/// The row an expression is evaluated for, if any.
#[derive(Clone, Copy, Debug)]
pub enum Row<'r> {
    /// No row: a rep-level expression.
    None,
    /// A deal (territory conditions).
    Deal(DealIdx),
    /// A credit row, and through it its deal.
    Credit(&'r CreditRow),
    /// A row of another table.
    Table(model::TableId, RowIdx),
}

/// A value during evaluation.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Val<'a> {
    /// Money, percentages (as fractions), numbers and years, exact.
    Num(Ratio),
    /// A truth value.
    Bool(bool),
    /// A day.
    Date(NaiveDate),
    /// Text.
    Text(&'a str),
}

/// What names mean where an expression is evaluated.
pub trait Context<'a> {
    /// The data set.
    fn data(&self) -> &'a Dataset;
    /// The deals table, whose rows credit rows refer to.
    fn deals(&self) -> Option<model::TableId>;
    /// The evaluated rep's row, if any.
    fn rep(&self) -> Option<RepIdx>;
    /// A measure in a scope at the current period.
    fn measure(&self, id: MeasureId, scope: Scope) -> Result<Ratio, Fault>;
    /// A quota in a scope at the current period.
    fn quota(&self, id: QuotaId, scope: Scope) -> Result<Ratio, Fault>;
    /// An attainment at the current period.
    fn attainment(&self, id: AttainmentId) -> Result<Ratio, Fault>;
    /// Another earning of the rep under the plan, read in a scope: the sum of its exact lines in
    /// the pay periods of the window through the current one. Only a plan's earnings read one.
    fn earning(&self, _: model::EarningId, _: Scope) -> Result<Ratio, Fault> {
        Err(Fault::new(&codes::WRONG_KIND, "only an earning can read another earning"))
    }
    /// An earning of the reps below, read in a scope (see [`Expr::TeamEarning`]).
    fn team_earning(&self, _: Option<&str>, _: &str, _: model::Reach, _: Scope) -> Result<Ratio, Fault> {
        Err(Fault::new(&codes::WRONG_KIND, "only an earning can read the earnings of the reps below"))
    }
    /// A table's value at its key, or applied to a base.
    fn table(&self, id: RateTableId, base: Option<&'a Expr>, row: Row<'_>) -> Result<Ratio, Fault>;
    /// A column's name, for messages.
    fn column_name(&self, column: ColumnId) -> String;
    /// The last month of the pay period being evaluated (`None` where there is none, as for a
    /// condition on a deal alone).
    fn month(&self) -> Option<crate::eval::period::Month> {
        None
    }
    /// How a message names a measure, quota, attainment or table read in an expression
    /// (`` `bookings period` ``); `None` for anything else.
    fn name_of(&self, _: &Expr) -> Option<String> {
        None
    }
}

/// Evaluates an expression.
///
/// This is the recursive path, kept small: every level of an expression is one call of it (or of
/// `logic`, `in_range`, `extremum`, `named` for the forms that recurse), and what needs room for
/// messages is in `leaf`, which does not recurse. A debug build gave the whole evaluator one frame
/// of 16 KB, so an expression at the nesting limit overflowed a runtime thread's 2 MB.
pub fn eval<'a>(cx: &impl Context<'a>, e: &'a Expr, row: Row<'_>) -> Result<Val<'a>, Fault> {
    match e {
        Expr::Neg(inner) => Ok(Val::Num(num(eval(cx, inner, row)?)?.checked_neg()?)),
        Expr::Not(inner) => Ok(Val::Bool(!truth(eval(cx, inner, row)?)?)),
        Expr::Binary { op: op @ (BinaryOp::And | BinaryOp::Or), lhs, rhs } => logic(cx, *op, lhs, rhs, row),
        Expr::Binary { op, lhs, rhs } => {
            let a = eval(cx, lhs, row)?;
            arithmetic(*op, a, eval(cx, rhs, row)?).map_err(|fault| divided_by(cx, rhs, fault))
        }
        Expr::Compare { op, lhs, rhs } => {
            let a = eval(cx, lhs, row)?;
            compared(*op, a, eval(cx, rhs, row)?)
        }
        Expr::Range { value, from, to } => in_range(cx, value, from, to, row),
        Expr::Min(args) => extremum(cx, args, row, Ratio::min),
        Expr::Max(args) => extremum(cx, args, row, Ratio::max),
        Expr::Choice { arms, otherwise } => eval(cx, chosen(cx, arms, otherwise, row)?, row),
        Expr::Measure { .. }
        | Expr::Quota { .. }
        | Expr::Attainment(_)
        | Expr::Earning { .. }
        | Expr::TeamEarning { .. }
        | Expr::Table { .. } => named(cx, e, row),
        Expr::Const(_) | Expr::Rep(_) | Expr::Row(_) | Expr::IsEmpty { .. } | Expr::Credit(_) => leaf(cx, e, row),
        Expr::MonthsSince(date) => months_since(cx, date, row),
    }
}

/// `and` and `or`, from left to right, stopping at the operand that decides.
fn logic<'a>(
    cx: &impl Context<'a>,
    op: BinaryOp,
    lhs: &'a Expr,
    rhs: &'a Expr,
    row: Row<'_>,
) -> Result<Val<'a>, Fault> {
    let left = truth(eval(cx, lhs, row)?)?;
    let decided = if op == BinaryOp::And { !left } else { left };
    Ok(Val::Bool(if decided { left } else { truth(eval(cx, rhs, row)?)? }))
}

/// The value a choice chooses: the conditions are read in order up to the first that holds, and
/// no value is evaluated here (one not chosen may divide by zero).
pub fn chosen<'a>(
    cx: &impl Context<'a>,
    arms: &'a [(Expr, Expr)],
    otherwise: &'a Expr,
    row: Row<'_>,
) -> Result<&'a Expr, Fault> {
    for (condition, value) in arms {
        if truth(eval(cx, condition, row)?)? {
            return Ok(value);
        }
    }
    Ok(otherwise)
}

/// `+ - × ÷` on two numbers, checked.
fn arithmetic<'a>(op: BinaryOp, a: Val<'a>, b: Val<'a>) -> Result<Val<'a>, Fault> {
    let (a, b) = (num(a)?, num(b)?);
    Ok(Val::Num(match op {
        BinaryOp::Add => a.checked_add(b)?,
        BinaryOp::Sub => a.checked_sub(b)?,
        BinaryOp::Mul => a.checked_mul(b)?,
        BinaryOp::Div => a.checked_div(b)?.ok_or_else(|| Fault::new(&codes::ZERO_QUOTA, "a division by zero"))?,
        BinaryOp::And | BinaryOp::Or => unreachable_op()?,
    }))
}

/// A division by zero named by its divisor, with the fix that fits it: a quota is given or the rep
/// excluded; anything else is divided only when it is not zero.
#[cold]
fn divided_by<'a>(cx: &impl Context<'a>, divisor: &Expr, fault: Fault) -> Fault {
    if fault.code != &codes::ZERO_QUOTA || fault.message != "a division by zero" {
        return fault;
    }
    let named = cx.name_of(divisor);
    let what = named.as_deref().unwrap_or("the divisor");
    let fault = Fault::new(&codes::ZERO_QUOTA, format!("a division by zero: {what} is 0"));
    match divisor {
        Expr::Quota { .. } => fault.help("give the rep a quota for this plan year, or exclude them from the plan in `eligible when`"),
        _ => fault.help(format!(
            "divide only when {what} is not 0: a gate on the earning (`, only when …`) is evaluated before its value, and a closed gate pays 0 without dividing"
        )),
    }
}

/// `months since DATE`: the months from the date's month to the pay period's last month, the
/// date's month counted as month 1 (a date after the period gives 0 or less).
fn months_since<'a>(cx: &impl Context<'a>, date: &'a Expr, row: Row<'_>) -> Result<Val<'a>, Fault> {
    let Val::Date(day) = eval(cx, date, row)? else {
        return Err(Fault::new(&codes::WRONG_KIND, "`months since` reads a date"));
    };
    let Some(now) = cx.month() else {
        return Err(Fault::new(&codes::WRONG_KIND, "`months since` is read outside a pay period"));
    };
    let months = i64::from(now) - i64::from(crate::eval::period::month_of(day)) + 1;
    Ok(Val::Num(Ratio::from_decimal(rust_decimal::Decimal::from(months))))
}

/// A comparison of two values of one kind.
fn compared<'a>(op: CompareOp, a: Val<'a>, b: Val<'a>) -> Result<Val<'a>, Fault> {
    let ordering = compare(a, b)?;
    Ok(Val::Bool(match op {
        CompareOp::Eq => ordering == Ordering::Equal,
        CompareOp::Ne => ordering != Ordering::Equal,
        CompareOp::Lt => ordering == Ordering::Less,
        CompareOp::Le => ordering != Ordering::Greater,
        CompareOp::Gt => ordering == Ordering::Greater,
        CompareOp::Ge => ordering != Ordering::Less,
    }))
}

/// `value from a to b`, both ends included.
fn in_range<'a>(
    cx: &impl Context<'a>,
    value: &'a Expr,
    from: &'a Expr,
    to: &'a Expr,
    row: Row<'_>,
) -> Result<Val<'a>, Fault> {
    let v = eval(cx, value, row)?;
    let above = compare(v, eval(cx, from, row)?)? != Ordering::Less;
    let below = compare(v, eval(cx, to, row)?)? != Ordering::Greater;
    Ok(Val::Bool(above && below))
}

/// `min(…)` or `max(…)`: `pick` chooses between the best so far and the next value.
fn extremum<'a>(
    cx: &impl Context<'a>,
    args: &'a [Expr],
    row: Row<'_>,
    pick: fn(Ratio, Ratio) -> Ratio,
) -> Result<Val<'a>, Fault> {
    let mut best: Option<Ratio> = None;
    for a in args {
        let x = num(eval(cx, a, row)?)?;
        best = Some(best.map_or(x, |b| pick(b, x)));
    }
    Ok(Val::Num(best.unwrap_or(Ratio::ZERO)))
}

/// A measure, quota, attainment, earning or table: what the context says it is here.
fn named<'a>(cx: &impl Context<'a>, e: &'a Expr, row: Row<'_>) -> Result<Val<'a>, Fault> {
    Ok(Val::Num(match e {
        Expr::Measure { id, scope } => cx.measure(*id, *scope)?,
        Expr::Quota { id, scope } => cx.quota(*id, *scope)?,
        Expr::Attainment(id) => cx.attainment(*id)?,
        Expr::Earning { id, scope } => cx.earning(*id, *scope)?,
        Expr::TeamEarning { plan, earning, reach, scope } => {
            cx.team_earning(plan.as_deref(), earning, *reach, *scope)?
        }
        Expr::Table { id, base } => cx.table(*id, base.as_deref(), row)?,
        _ => return Err(Fault::new(&codes::TYPE_MISMATCH, "a definition was expected")),
    }))
}

/// A constant, a cell of the rep's row or the current row, whether a cell is empty, a field of the
/// credit row: the forms that do not recurse.
fn leaf<'a>(cx: &impl Context<'a>, e: &'a Expr, row: Row<'_>) -> Result<Val<'a>, Fault> {
    Ok(match e {
        Expr::Const(c) => match c {
            Const::Money(d) | Const::Percent(d) | Const::Number(d) => Val::Num(Ratio::from_decimal(*d)),
            Const::Date(d) => Val::Date(*d),
            Const::Text(t) => Val::Text(t),
            Const::Bool(b) => Val::Bool(*b),
        },
        Expr::Rep(column) => match cx.rep() {
            Some(rep) => cell(cx, *column, rep.row())?,
            None => return Err(Fault::new(&codes::MISSING_ROW_DATA, "no rep is at hand")),
        },
        Expr::Row(column) => match row_of(cx, *column, row) {
            Some(r) => cell(cx, *column, r)?,
            None => {
                return Err(Fault::new(
                    &codes::MISSING_ROW_DATA,
                    format!("`{}` is read without its row", cx.column_name(*column)),
                ))
            }
        },
        Expr::IsEmpty { value, negated } => {
            let (column, at) = match &**value {
                Expr::Rep(column) => (*column, cx.rep().map(RepIdx::row)),
                Expr::Row(column) => (*column, row_of(cx, *column, row)),
                _ => return Err(Fault::new(&codes::MISSING_ROW_DATA, "only a cell can be empty")),
            };
            let Some(r) = at else {
                return Err(Fault::new(
                    &codes::MISSING_ROW_DATA,
                    format!("`{}` is tested without its row", cx.column_name(column)),
                ));
            };
            // A cell is empty exactly when reading it finds no value.
            Val::Bool(cell(cx, column, r).is_err() != *negated)
        }
        Expr::Credit(field) => match row {
            Row::Credit(c) => match field {
                CreditField::Amount => Val::Num(Ratio::from_decimal(c.amount)),
                CreditField::Kind => Val::Text(c.kind.name()),
                CreditField::Date => Val::Date(c.date),
                CreditField::Reversal => Val::Bool(c.reversal),
                CreditField::Share => Val::Num(Ratio::from_decimal(c.share)),
            },
            _ => return Err(Fault::new(&codes::MISSING_ROW_DATA, "a credit field is read without a credit row")),
        },
        _ => return Err(Fault::new(&codes::TYPE_MISMATCH, "an expression was read as a value")),
    })
}

fn unreachable_op() -> Result<Ratio, Fault> {
    Err(Fault::new(&codes::TYPE_MISMATCH, "a logical operator was applied to numbers"))
}

/// The value of one cell; an empty cell is an error where a value is needed.
/// The row of a column's table that an expression reads: the deal, the credit row's deal, or the
/// measured table's row.
fn row_of<'a>(cx: &impl Context<'a>, column: ColumnId, row: Row<'_>) -> Option<RowIdx> {
    match row {
        Row::Deal(d) => Some(d.row()),
        Row::Credit(c) if Some(column.table) == cx.deals() => Some(c.deal.row()),
        Row::Table(t, r) if t == column.table => Some(r),
        _ => None,
    }
}

fn cell<'a>(cx: &impl Context<'a>, column: ColumnId, row: RowIdx) -> Result<Val<'a>, Fault> {
    let data = cx.data();
    let missing = || {
        Fault::new(
            &codes::MISSING_ROW_DATA,
            format!(
                "`{}` is empty in row {} of `{}`",
                cx.column_name(column),
                row.index() + 1,
                data.tables[column.table].path
            ),
        )
        .help(format!("fill in the value, or test it first: `{} is empty`", cx.column_name(column)))
    };
    let i = row.index();
    Ok(match &data.tables[column.table].columns[column.column] {
        Column::Text(v) => Val::Text(data.strings.text(v.get(i).copied().flatten().ok_or_else(missing)?)),
        Column::Key(k) => key(data, column.table, k.get(row).filter(|t| !t.is_empty()).ok_or_else(missing)?)?,
        Column::Number(v) => Val::Num(Ratio::from_decimal(v.get(i).copied().flatten().ok_or_else(missing)?)),
        Column::Date(v) => Val::Date(v.get(i).copied().flatten().ok_or_else(missing)?),
        Column::Bool(v) => Val::Bool(v.get(i).copied().flatten().ok_or_else(missing)?),
        Column::Year(v) => Val::Num(Ratio::int(i64::from(v.get(i).copied().flatten().ok_or_else(missing)?))),
        Column::Ref(v) => {
            let target = v.get(i).copied().flatten().ok_or_else(missing)?;
            match data.ref_targets.get(&column).and_then(|&(t, k)| Some((t, data.text(t, k, target)?))) {
                Some((table, text)) => key(data, table, text)?,
                None => return Err(missing()),
            }
        }
    })
}

/// A key of `table` (or a reference to it) as its declared type: `rep.id > 100` compares numbers.
fn key<'a>(data: &'a Dataset, table: model::TableId, text: &'a str) -> Result<Val<'a>, Fault> {
    Ok(match data.key_value(table, text) {
        Some(KeyValue::Text(t)) => Val::Text(t),
        Some(KeyValue::Number(n)) => Val::Num(Ratio::from_decimal(n)),
        Some(KeyValue::Date(d)) => Val::Date(d),
        Some(KeyValue::Year(y)) => Val::Num(Ratio::int(i64::from(y))),
        // Keys are checked as their type when they are read.
        None => return Err(Fault::new(&codes::BAD_VALUE, format!("the key `{text}` is not of its declared type"))),
    })
}

/// A number, or a fault when the checker's guarantees were broken.
pub fn num(v: Val<'_>) -> Result<Ratio, Fault> {
    match v {
        Val::Num(n) => Ok(n),
        _ => Err(Fault::new(&codes::TYPE_MISMATCH, "a number was expected")),
    }
}

/// A truth value.
pub fn truth(v: Val<'_>) -> Result<bool, Fault> {
    match v {
        Val::Bool(b) => Ok(b),
        _ => Err(Fault::new(&codes::NOT_A_CONDITION, "a condition was expected")),
    }
}

fn compare(a: Val<'_>, b: Val<'_>) -> Result<Ordering, Fault> {
    Ok(match (a, b) {
        (Val::Num(x), Val::Num(y)) => x.cmp(&y),
        (Val::Date(x), Val::Date(y)) => x.cmp(&y),
        (Val::Text(x), Val::Text(y)) => x.cmp(y),
        (Val::Bool(x), Val::Bool(y)) => x.cmp(&y),
        _ => return Err(Fault::new(&codes::INCOMPARABLE, "values of different kinds were compared")),
    })
}

/// The context of expressions over a deal alone: territory conditions and deal conditions of
/// filters.
pub struct DealContext<'a> {
    ws: &'a model::Workspace,
    data: &'a Dataset,
}

impl<'a> DealContext<'a> {
    /// A context over a workspace's deals.
    pub fn new(ws: &'a model::Workspace, data: &'a Dataset) -> DealContext<'a> {
        DealContext { ws, data }
    }
}

impl<'a> Context<'a> for DealContext<'a> {
    fn data(&self) -> &'a Dataset {
        self.data
    }
    fn deals(&self) -> Option<model::TableId> {
        self.ws.crediting.as_ref().map(|c| c.deals)
    }
    fn rep(&self) -> Option<RepIdx> {
        None
    }
    fn measure(&self, _: MeasureId, _: Scope) -> Result<Ratio, Fault> {
        Err(Fault::new(&codes::WRONG_KIND, "a condition on a deal cannot read a measure"))
    }
    fn quota(&self, _: QuotaId, _: Scope) -> Result<Ratio, Fault> {
        Err(Fault::new(&codes::WRONG_KIND, "a condition on a deal cannot read a quota"))
    }
    fn attainment(&self, _: AttainmentId) -> Result<Ratio, Fault> {
        Err(Fault::new(&codes::WRONG_KIND, "a condition on a deal cannot read an attainment"))
    }
    fn table(&self, _: RateTableId, _: Option<&'a Expr>, _: Row<'_>) -> Result<Ratio, Fault> {
        Err(Fault::new(&codes::WRONG_KIND, "a condition on a deal cannot read a table"))
    }
    fn column_name(&self, column: ColumnId) -> String {
        let table = &self.ws.schema.tables[column.table];
        format!("{}.{}", table.row_name, table.columns[column.column].name)
    }
}

/// Whether a deal belongs to a territory (its condition reads only the deal). A condition that
/// cannot be decided for the deal (it reads an empty optional cell) is a fault, never a silent "no":
/// the deal's territory credit would be lost without a word.
pub fn territory_matches(
    ws: &model::Workspace,
    data: &Dataset,
    territory: TerritoryId,
    deal: DealIdx,
) -> Result<bool, Fault> {
    let Some(t) = ws.territories.get(territory) else { return Ok(false) };
    truth(eval(&DealContext::new(ws, data), &t.condition, Row::Deal(deal))?)
}

/// The first column a territory's condition reads that is empty for a deal: the cell to blame when
/// the condition cannot be decided.
pub fn territory_blank(
    ws: &model::Workspace,
    data: &Dataset,
    territory: TerritoryId,
    deal: DealIdx,
) -> Option<ColumnId> {
    let t = ws.territories.get(territory)?;
    let cx = DealContext::new(ws, data);
    let mut blank = None;
    t.condition.walk(&mut |e| {
        if let (None, Expr::Row(column)) = (blank, e) {
            if cell(&cx, *column, deal.row()).is_err() {
                blank = Some(*column);
            }
        }
    });
    blank
}
