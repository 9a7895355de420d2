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
    /// A condition on the deal alone, computed once per deal into a bit of the credit row's flags.
    Atom(u32),
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

/// The conditions on deals alone of every plan: each is evaluated once per deal, in deal order,
/// and stored as a bit of the deal's credit rows, so that filtering credit never reads the deals
/// table at random.
#[derive(Debug, Default)]
pub struct Atoms<'a> {
    exprs: Vec<&'a Expr>,
    preds: Vec<Pred<'a>>,
}

impl<'a> Atoms<'a> {
    /// The flags of a deal: bit `i` is atom `i`'s value.
    pub fn flags(&self, cx: &impl Context<'a>, deal: u32) -> Result<u32, Fault> {
        let mut flags = 0;
        for (i, pred) in self.preds.iter().enumerate() {
            if pred.test(cx, Row::Deal(deal))? {
                flags |= 1 << i;
            }
        }
        Ok(flags)
    }

    /// True when no plan has a condition on deals alone.
    pub fn is_empty(&self) -> bool {
        self.preds.is_empty()
    }
}

/// Compiles the row programs of a workspace, collecting the conditions on deals alone.
pub struct Compiler<'a, 'd> {
    data: &'d Dataset,
    deals: Option<TableId>,
    /// The deal conditions found so far.
    pub atoms: Atoms<'a>,
}

impl<'a, 'd> Compiler<'a, 'd> {
    /// A compiler for a data set whose credited table is `deals`.
    pub fn new(data: &'d Dataset, deals: Option<TableId>) -> Compiler<'a, 'd> {
        Compiler { data, deals, atoms: Atoms::default() }
    }

    /// Compiles a filter (none is always true).
    pub fn pred(&mut self, expr: Option<&'a Expr>) -> Pred<'a> {
        match expr {
            None => Pred::True,
            Some(e) => self.compile(e),
        }
    }

    fn compile(&mut self, e: &'a Expr) -> Pred<'a> {
        if self.deals.is_some() && reads_deal_only(e, self.deals) && !matches!(e, Expr::Const(_)) {
            if let Some(i) = self.atoms.exprs.iter().position(|x| *x == e) {
                return Pred::Atom(i as u32);
            }
            if self.atoms.exprs.len() < 32 {
                self.atoms.exprs.push(e);
                let pred = compile(e, self.data, &mut |e| Pred::General(e));
                self.atoms.preds.push(pred);
                return Pred::Atom(self.atoms.exprs.len() as u32 - 1);
            }
        }
        match e {
            Expr::Binary { op: BinaryOp::And, lhs, rhs } => Pred::And(Box::new(self.compile(lhs)), Box::new(self.compile(rhs))),
            Expr::Binary { op: BinaryOp::Or, lhs, rhs } => Pred::Or(Box::new(self.compile(lhs)), Box::new(self.compile(rhs))),
            Expr::Not(inner) => Pred::Not(Box::new(self.compile(inner))),
            _ => compile(e, self.data, &mut |e| Pred::General(e)),
        }
    }
}

/// Whether an expression reads nothing but the deal's columns and constants.
fn reads_deal_only(e: &Expr, deals: Option<TableId>) -> bool {
    match e {
        Expr::Const(_) => true,
        Expr::Row(c) => Some(c.table) == deals,
        Expr::Neg(x) | Expr::Not(x) => reads_deal_only(x, deals),
        Expr::Binary { lhs, rhs, .. } | Expr::Compare { lhs, rhs, .. } => reads_deal_only(lhs, deals) && reads_deal_only(rhs, deals),
        Expr::Range { value, from, to } => reads_deal_only(value, deals) && reads_deal_only(from, deals) && reads_deal_only(to, deals),
        Expr::Min(args) | Expr::Max(args) => args.iter().all(|a| reads_deal_only(a, deals)),
        _ => false,
    }
}

impl<'a> Pred<'a> {
    /// Compiles a filter without deal flags (rows of tables other than credit).
    pub fn compile_plain(expr: Option<&'a Expr>, data: &Dataset) -> Pred<'a> {
        match expr {
            None => Pred::True,
            Some(e) => compile(e, data, &mut |e| Pred::General(e)),
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
            Pred::Atom(bit) => matches!(row, Row::Credit(c) if c.flags & (1 << bit) != 0),
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

/// Compiles the fast forms of a condition; `other` compiles what they do not cover.
fn compile<'a>(e: &'a Expr, data: &Dataset, other: &mut impl FnMut(&'a Expr) -> Pred<'a>) -> Pred<'a> {
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
                _ => other(e),
            }
        }
        Expr::Row(c) if matches!(data.tables[c.table].columns[c.column], Column::Bool(_)) => Pred::Flag { column: *c, value: true },
        Expr::Credit(CreditField::Reversal) => Pred::Reversal(true),
        Expr::Binary { op: BinaryOp::And, lhs, rhs } => Pred::And(Box::new(compile(lhs, data, other)), Box::new(compile(rhs, data, other))),
        Expr::Binary { op: BinaryOp::Or, lhs, rhs } => Pred::Or(Box::new(compile(lhs, data, other)), Box::new(compile(rhs, data, other))),
        Expr::Not(inner) => Pred::Not(Box::new(compile(inner, data, other))),
        _ => other(e),
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
