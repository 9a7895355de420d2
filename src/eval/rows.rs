//! Row programs: the filters and summands of measures and per-deal earnings, compiled for the hot
//! loop over credit rows.
//!
//! Most filters compare a deal's text column with a constant (`deal.kind is not "renewal"`), or
//! test the kind of credit; most summands are the credited amount. Those forms are compiled to
//! integer comparisons and decimal additions; anything else falls back to the general evaluator, so
//! the results are the same either way.

use super::error::Fault;
use super::exact::Ratio;
use super::interp::{eval, num, truth, Context, Row};
use super::period::Month;
use crate::data::{Column, Dataset, Sym};
use crate::model::{BinaryOp, ColumnId, CompareOp, Const, CreditField, Expr, TableId, CREDIT_KINDS};
use rust_decimal::Decimal;

/// A compiled condition over a row.
#[derive(Debug)]
pub enum Pred<'a> {
    /// Always true (no filter).
    True,
    /// The credit row's kind is one of these.
    Kind([bool; 4]),
    /// A text column of the row (or of the credit's deal) is (or is not) a constant; `None` is a
    /// constant no row holds.
    Text { column: ColumnId, value: Option<Sym>, equal: bool },
    /// A boolean column of the row is true (or false).
    Flag { column: ColumnId, value: bool },
    /// Whether the credit row is a reversal.
    Reversal(bool),
    /// Both.
    And(Box<Pred<'a>>, Box<Pred<'a>>),
    /// Either.
    Or(Box<Pred<'a>>, Box<Pred<'a>>),
    /// Not.
    Not(Box<Pred<'a>>),
    /// Anything else, evaluated in general.
    General(&'a Expr),
}

/// A compiled summand.
#[derive(Debug)]
pub enum Summand<'a> {
    /// The credited amount.
    Amount,
    /// One per row (−1 per reversal for counts of credit).
    Count,
    /// A constant.
    Const(Decimal),
    /// Anything else, evaluated in general.
    General(&'a Expr),
}

impl<'a> Pred<'a> {
    /// Compiles a filter; `deals` is the credited table, whose columns a credit row reads.
    pub fn compile(expr: Option<&'a Expr>, data: &Dataset) -> Pred<'a> {
        match expr {
            None => Pred::True,
            Some(e) => compile(e, data),
        }
    }

    /// Evaluates the condition for a row.
    pub fn test(&self, cx: &impl Context<'a>, row: Row<'_>) -> Result<bool, Fault> {
        Ok(match self {
            Pred::True => true,
            Pred::Kind(set) => match row {
                Row::Credit(c) => set[c.kind as usize],
                _ => false,
            },
            Pred::Text { column, value, equal } => {
                let held = sym_at(cx.data(), *column, row_index(row, *column, cx.deals()));
                (held.is_some() && held == *value) == *equal
            }
            Pred::Flag { column, value } => match (&cx.data().tables[column.table].columns[column.column], row_index(row, *column, cx.deals())) {
                (Column::Bool(v), Some(r)) => v.get(r as usize).copied().flatten() == Some(*value),
                _ => false,
            },
            Pred::Reversal(value) => matches!(row, Row::Credit(c) if c.reversal == *value),
            Pred::And(a, b) => a.test(cx, row)? && b.test(cx, row)?,
            Pred::Or(a, b) => a.test(cx, row)? || b.test(cx, row)?,
            Pred::Not(a) => !a.test(cx, row)?,
            Pred::General(e) => truth(eval(cx, e, row)?)?,
        })
    }
}

impl<'a> Summand<'a> {
    /// Compiles a summand (`None` for a count).
    pub fn compile(expr: Option<&'a Expr>) -> Summand<'a> {
        match expr {
            None => Summand::Count,
            Some(Expr::Credit(CreditField::Amount)) => Summand::Amount,
            Some(Expr::Const(Const::Money(d) | Const::Number(d))) => Summand::Const(*d),
            Some(e) => Summand::General(e),
        }
    }

    /// The row's value: a decimal when it is one, else an exact fraction.
    pub fn value(&self, cx: &impl Context<'a>, row: Row<'_>) -> Result<Value, Fault> {
        Ok(match (self, row) {
            (Summand::Amount, Row::Credit(c)) => Value::Decimal(c.amount),
            (Summand::Count, Row::Credit(c)) => Value::Decimal(if c.reversal { Decimal::NEGATIVE_ONE } else { Decimal::ONE }),
            (Summand::Count, _) => Value::Decimal(Decimal::ONE),
            (Summand::Const(d), _) => Value::Decimal(*d),
            (Summand::General(e), _) => Value::Ratio(num(eval(cx, e, row)?)?),
            (Summand::Amount, _) => Value::Ratio(Ratio::ZERO),
        })
    }
}

/// A row's value.
#[derive(Clone, Copy, Debug)]
pub enum Value {
    /// A decimal, summed as decimals.
    Decimal(Decimal),
    /// A fraction, summed exactly.
    Ratio(Ratio),
}

/// Monthly sums of a row program, kept as decimals where they are decimals.
#[derive(Clone, Debug, Default)]
pub struct MonthSums {
    base: Month,
    decimals: Vec<Decimal>,
    fractions: Vec<Ratio>,
}

impl MonthSums {
    fn slot(&mut self, month: Month) -> usize {
        if self.decimals.is_empty() {
            self.base = month;
        }
        if month < self.base {
            let grow = (self.base - month) as usize;
            self.decimals.splice(0..0, std::iter::repeat_n(Decimal::ZERO, grow));
            self.fractions.splice(0..0, std::iter::repeat_n(Ratio::ZERO, grow));
            self.base = month;
        }
        let index = (month - self.base) as usize;
        if index >= self.decimals.len() {
            self.decimals.resize(index + 1, Decimal::ZERO);
            self.fractions.resize(index + 1, Ratio::ZERO);
        }
        index
    }

    /// Adds a value to a month.
    pub fn add(&mut self, month: Month, value: Value) -> Result<(), Fault> {
        let i = self.slot(month);
        match value {
            Value::Decimal(d) => self.decimals[i] = self.decimals[i].checked_add(d).ok_or_else(|| Fault::overflow("a monthly sum"))?,
            Value::Ratio(r) => self.fractions[i] = self.fractions[i].add(r)?,
        }
        Ok(())
    }

    /// The exact sum over a window of months.
    pub fn sum(&self, from: Month, to: Month) -> Result<Ratio, Fault> {
        let mut decimal = Decimal::ZERO;
        let mut total = Ratio::ZERO;
        for month in from.max(self.base)..=to {
            let i = (month - self.base) as usize;
            if i >= self.decimals.len() {
                break;
            }
            decimal = decimal.checked_add(self.decimals[i]).ok_or_else(|| Fault::overflow("a sum over months"))?;
            if !self.fractions[i].is_zero() {
                total = total.add(self.fractions[i])?;
            }
        }
        Ok(total.add(Ratio::from_decimal(decimal))?)
    }
}

fn row_index(row: Row<'_>, column: ColumnId, deals: Option<TableId>) -> Option<u32> {
    match row {
        Row::Credit(c) if Some(column.table) == deals => Some(c.deal),
        Row::Deal(d) if Some(column.table) == deals => Some(d),
        Row::Table(t, r) if t == column.table => Some(r),
        _ => None,
    }
}

fn sym_at(data: &Dataset, column: ColumnId, row: Option<u32>) -> Option<Sym> {
    match &data.tables[column.table].columns[column.column] {
        Column::Text(v) => v.get(row? as usize).copied().flatten(),
        _ => None,
    }
}

fn compile<'a>(e: &'a Expr, data: &Dataset) -> Pred<'a> {
    let text_column = |c: &ColumnId| matches!(data.tables[c.table].columns[c.column], Column::Text(_));
    match e {
        Expr::Compare { op: op @ (CompareOp::Eq | CompareOp::Ne), lhs, rhs } => {
            let equal = *op == CompareOp::Eq;
            match (&**lhs, &**rhs) {
                (Expr::Credit(CreditField::Kind), Expr::Const(Const::Text(t))) | (Expr::Const(Const::Text(t)), Expr::Credit(CreditField::Kind)) => {
                    let mut set = [!equal; 4];
                    if let Some(i) = CREDIT_KINDS.iter().position(|k| k == t) {
                        set[i] = equal;
                    }
                    Pred::Kind(set)
                }
                (Expr::Row(c), Expr::Const(Const::Text(t))) | (Expr::Const(Const::Text(t)), Expr::Row(c)) if text_column(c) => {
                    Pred::Text { column: *c, value: data.strings.get(t), equal }
                }
                _ => Pred::General(e),
            }
        }
        Expr::Row(c) if matches!(data.tables[c.table].columns[c.column], Column::Bool(_)) => Pred::Flag { column: *c, value: true },
        Expr::Credit(CreditField::Reversal) => Pred::Reversal(true),
        Expr::Binary { op: BinaryOp::And, lhs, rhs } => Pred::And(Box::new(compile(lhs, data)), Box::new(compile(rhs, data))),
        Expr::Binary { op: BinaryOp::Or, lhs, rhs } => Pred::Or(Box::new(compile(lhs, data)), Box::new(compile(rhs, data))),
        Expr::Not(inner) => Pred::Not(Box::new(compile(inner, data))),
        _ => Pred::General(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_sums_grow_both_ways_and_sum_exactly() {
        let mut sums = MonthSums::default();
        sums.add(24_315, Value::Decimal(Decimal::new(150, 2))).unwrap();
        sums.add(24_313, Value::Ratio(Ratio::new(1, 3).unwrap())).unwrap();
        sums.add(24_315, Value::Ratio(Ratio::new(2, 3).unwrap())).unwrap();
        assert_eq!(sums.sum(24_300, 24_400).unwrap(), Ratio::new(5, 2).unwrap());
        assert_eq!(sums.sum(24_314, 24_315).unwrap(), Ratio::new(13, 6).unwrap());
    }
}
