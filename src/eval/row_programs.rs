//! Row programs: the filters and summands of measures and per-deal earnings, compiled for the hot
//! loop over credit rows.
//!
//! Most filters compare a deal's text column with a constant (`deal.kind is not "renewal"`), or
//! test the kind of credit; most summands are the credited amount. Those forms are compiled to
//! integer comparisons and decimal additions; anything else falls back to the general evaluator, so
//! the results are the same either way.

use super::credit::CreditRow;
use super::error::Fault;
use super::interp::{eval, num, truth, Context, Row};
use super::period::Month;
use crate::data::{Column, Dataset, DealIdx, Sym};
use crate::model::{BinaryOp, ColumnId, CompareOp, Const, CreditField, Expr, RowIdx, TableId, CREDIT_KINDS};
use crate::num::Ratio;
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// A compiled condition over a row. The typed forms read a cell and compare it; a cell that is
/// empty (an optional column) is left to the general evaluator, so that both ways always agree.
#[derive(Debug)]
pub enum Pred<'a> {
    /// Always true (no filter).
    True,
    /// The credit row's kind is one of these.
    Kind([bool; 4]),
    /// A text column of the row (or of the credit's deal) is (or is not) a constant; `None` is a
    /// constant no row holds.
    Text {
        /// The column compared.
        column: ColumnId,
        /// The constant's symbol in the data set's interner.
        value: Option<Sym>,
        /// True for `is`, false for `is not`.
        equal: bool,
        /// The condition as the plan writes it, to report a blank cell against it.
        expr: &'a Expr,
    },
    /// A boolean column of the row is true (or false).
    Flag {
        /// The column read.
        column: ColumnId,
        /// The value that passes.
        value: bool,
        /// The condition as the plan writes it.
        expr: &'a Expr,
    },
    /// A date column of the row is within a range of constant dates (both ends included).
    DateIn {
        /// The column read.
        column: ColumnId,
        /// The first day that passes.
        from: NaiveDate,
        /// The last day that passes.
        to: NaiveDate,
        /// The condition as the plan writes it.
        expr: &'a Expr,
    },
    /// Whether the credit row is a reversal.
    Reversal(bool),
    /// A condition on the deal alone, computed once per deal into a bit of the credit row's flags
    /// (the condition itself is kept to report why it could not be computed).
    Atom(u32, &'a Expr),
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
    /// One per row (for counts of credit, minus the part a reversal takes back: −1 unless the
    /// clawback is partial).
    Count {
        /// The part of a deal a reversal takes back.
        reversed: Decimal,
    },
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
    /// The flags of a deal (bit `i` is atom `i`'s value), and the atoms that failed (a cell they
    /// read is empty): those are evaluated again, with the error reported, wherever they are read.
    #[inline]
    pub fn flags(&self, cx: &impl Context<'a>, deal: DealIdx) -> (u32, u32) {
        let (mut flags, mut faulty) = (0, 0);
        for (i, pred) in self.preds.iter().enumerate() {
            match pred.test(cx, Row::Deal(deal)) {
                Ok(true) => flags |= 1 << i,
                Ok(false) => {}
                Err(_) => faulty |= 1 << i,
            }
        }
        (flags, faulty)
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
                return Pred::Atom(i as u32, e);
            }
            if self.atoms.exprs.len() < 32 {
                self.atoms.exprs.push(e);
                let pred = compile(e, self.data, &mut |e| Pred::General(e));
                self.atoms.preds.push(pred);
                return Pred::Atom(self.atoms.exprs.len() as u32 - 1, e);
            }
        }
        match e {
            Expr::Binary { op: BinaryOp::And, lhs, rhs } => {
                Pred::And(Box::new(self.compile(lhs)), Box::new(self.compile(rhs)))
            }
            Expr::Binary { op: BinaryOp::Or, lhs, rhs } => {
                Pred::Or(Box::new(self.compile(lhs)), Box::new(self.compile(rhs)))
            }
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
        Expr::Binary { lhs, rhs, .. } | Expr::Compare { lhs, rhs, .. } => {
            reads_deal_only(lhs, deals) && reads_deal_only(rhs, deals)
        }
        Expr::Range { value, from, to } => {
            reads_deal_only(value, deals) && reads_deal_only(from, deals) && reads_deal_only(to, deals)
        }
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
    #[inline]
    pub fn test(&self, cx: &impl Context<'a>, row: Row<'_>) -> Result<bool, Fault> {
        match self.quick(cx, row) {
            Some(held) => Ok(held),
            None => self.general(cx, row),
        }
    }

    /// The condition's value when it needs no general evaluation (no empty cell, no general
    /// expression): a small function, called for every credit row, kept apart from the evaluator.
    fn quick(&self, cx: &impl Context<'a>, row: Row<'_>) -> Option<bool> {
        Some(match self {
            Pred::True => true,
            Pred::Kind(set) => match row {
                Row::Credit(c) => set[c.kind as usize],
                _ => false,
            },
            Pred::Text { column, value, equal, .. } => {
                (Some(sym_at(cx.data(), *column, row_index(row, *column, cx.deals()))?) == *value) == *equal
            }
            Pred::Flag { column, value, .. } => {
                match (&cx.data().tables[column.table].columns[column.column], row_index(row, *column, cx.deals())) {
                    (Column::Bool(v), Some(r)) => v.get(r.index()).copied().flatten()? == *value,
                    _ => return None,
                }
            }
            Pred::DateIn { column, from, to, .. } => {
                let day = cx.data().date(*column, row_index(row, *column, cx.deals())?)?;
                *from <= day && day <= *to
            }
            Pred::Reversal(value) => matches!(row, Row::Credit(c) if c.reversal == *value),
            Pred::Atom(bit, _) => match row {
                Row::Credit(c) if c.faulty & (1 << bit) != 0 => return None,
                Row::Credit(c) => c.flags & (1 << bit) != 0,
                _ => false,
            },
            Pred::And(a, b) => a.quick(cx, row)? && b.quick(cx, row)?,
            Pred::Or(a, b) => a.quick(cx, row)? || b.quick(cx, row)?,
            Pred::Not(a) => !a.quick(cx, row)?,
            Pred::General(_) => return None,
        })
    }

    /// The condition's value in general: what [`Pred::quick`] leaves, with the evaluator's errors.
    #[cold]
    #[inline(never)]
    fn general(&self, cx: &impl Context<'a>, row: Row<'_>) -> Result<bool, Fault> {
        Ok(match self {
            Pred::True => true,
            Pred::Kind(set) => match row {
                Row::Credit(c) => set[c.kind as usize],
                _ => false,
            },
            Pred::Text { column, value, equal, expr } => {
                match sym_at(cx.data(), *column, row_index(row, *column, cx.deals())) {
                    Some(held) => (Some(held) == *value) == *equal,
                    None => truth(eval(cx, expr, row)?)?,
                }
            }
            Pred::Flag { column, value, expr } => {
                match (&cx.data().tables[column.table].columns[column.column], row_index(row, *column, cx.deals())) {
                    (Column::Bool(v), Some(r)) if v.get(r.index()).copied().flatten().is_some() => {
                        v[r.index()] == Some(*value)
                    }
                    _ => truth(eval(cx, expr, row)?)?,
                }
            }
            Pred::DateIn { column, from, to, expr } => {
                match row_index(row, *column, cx.deals()).and_then(|r| cx.data().date(*column, r)) {
                    Some(day) => *from <= day && day <= *to,
                    None => truth(eval(cx, expr, row)?)?,
                }
            }
            Pred::Reversal(value) => matches!(row, Row::Credit(c) if c.reversal == *value),
            Pred::Atom(bit, expr) => match row {
                Row::Credit(c) if c.faulty & (1 << bit) != 0 => truth(eval(cx, expr, row)?)?,
                Row::Credit(c) => c.flags & (1 << bit) != 0,
                _ => false,
            },
            Pred::And(a, b) => a.general(cx, row)? && b.general(cx, row)?,
            Pred::Or(a, b) => a.general(cx, row)? || b.general(cx, row)?,
            Pred::Not(a) => !a.general(cx, row)?,
            Pred::General(e) => truth(eval(cx, e, row)?)?,
        })
    }
}

impl<'a> Summand<'a> {
    /// A count of rows, where a reversal counts as minus the `reversed` part of a deal.
    pub fn count(reversed: Decimal) -> Summand<'a> {
        Summand::Count { reversed }
    }

    /// Compiles a summand (`None` for a count).
    pub fn compile(expr: Option<&'a Expr>) -> Summand<'a> {
        match expr {
            None => Summand::count(Decimal::ONE),
            Some(Expr::Credit(CreditField::Amount)) => Summand::Amount,
            Some(Expr::Const(Const::Money(d) | Const::Number(d))) => Summand::Const(*d),
            Some(e) => Summand::General(e),
        }
    }

    /// What a reversal takes back of the value its deal's row had: the value read on the row as
    /// credited, negated and times the `part` reversed. The credited amount and the count have it
    /// on the reversal row already (its amount is minus that part of the credit).
    pub fn taken_back(
        &self,
        cx: &impl Context<'a>,
        reversal: &CreditRow,
        credited: &CreditRow,
        part: Decimal,
    ) -> Result<Value, Fault> {
        if matches!(self, Summand::Amount | Summand::Count { .. }) {
            return self.value(cx, Row::Credit(reversal));
        }
        let overflow = || Fault::overflow("the amount a reversal takes back");
        Ok(match self.value(cx, Row::Credit(credited))? {
            Value::Decimal(d) => match crate::num::exact_mul(d, -part) {
                Some(taken) => Value::Decimal(taken),
                None => Value::Ratio(
                    Ratio::from_decimal(d).checked_mul(Ratio::from_decimal(-part)).map_err(|_| overflow())?,
                ),
            },
            Value::Ratio(r) => Value::Ratio(r.checked_mul(Ratio::from_decimal(-part)).map_err(|_| overflow())?),
        })
    }

    /// The row's value: a decimal when it is one, else an exact fraction.
    pub fn value(&self, cx: &impl Context<'a>, row: Row<'_>) -> Result<Value, Fault> {
        Ok(match (self, row) {
            (Summand::Amount, Row::Credit(c)) => Value::Decimal(c.amount),
            (Summand::Count { reversed }, Row::Credit(c)) => {
                Value::Decimal(if c.reversal { -*reversed } else { Decimal::ONE })
            }
            (Summand::Count { .. }, _) => Value::Decimal(Decimal::ONE),
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

impl Value {
    /// The value as an exact fraction, for code that is not on the summing path.
    pub fn ratio(self) -> Ratio {
        match self {
            Value::Decimal(d) => Ratio::from_decimal(d),
            Value::Ratio(r) => r,
        }
    }
}

/// Monthly sums of a row program. Decimals (nearly every row: amounts, counts) are added as 128-bit
/// integers at one common scale, an addition each; other values, and any sum that would leave 128
/// bits, are added as exact fractions. Both parts are exact.
#[derive(Clone, Debug, Default)]
pub struct MonthSums {
    base: Month,
    /// The decimal part of each month, in units of 10^-scale.
    units: Vec<i128>,
    scale: u32,
    fractions: Vec<Ratio>,
    /// The first fault of each month whose rows could not be read (an empty optional cell in a
    /// filter, say), in the order found: raised by [`MonthSums::sum`] only over a window that holds
    /// the month, so that a row no window reads never stops a run.
    faults: Vec<(Month, Fault)>,
}

impl MonthSums {
    fn slot(&mut self, month: Month) -> usize {
        if self.units.is_empty() {
            self.base = month;
        }
        if month < self.base {
            let grow = (self.base - month) as usize;
            self.units.splice(0..0, std::iter::repeat_n(0, grow));
            self.fractions.splice(0..0, std::iter::repeat_n(Ratio::ZERO, grow));
            self.base = month;
        }
        let index = (month - self.base) as usize;
        if index >= self.units.len() {
            self.units.resize(index + 1, 0);
            self.fractions.resize(index + 1, Ratio::ZERO);
        }
        index
    }

    /// Adds a value to a month. The common case, a decimal no finer than the sums and a month
    /// already in range, is a few instructions inlined into the loop over credit rows.
    #[inline]
    pub fn add(&mut self, month: Month, value: Value) -> Result<(), Fault> {
        if let Value::Decimal(d) = value {
            let i = month.wrapping_sub(self.base) as usize;
            if month >= self.base && i < self.units.len() && d.scale() <= self.scale {
                if let Some(sum) =
                    scaled(d.mantissa(), self.scale - d.scale()).and_then(|u| self.units[i].checked_add(u))
                {
                    self.units[i] = sum;
                    return Ok(());
                }
            }
        }
        self.add_in_general(month, value)
    }

    #[inline(never)]
    fn add_in_general(&mut self, month: Month, value: Value) -> Result<(), Fault> {
        let i = self.slot(month);
        match value {
            Value::Decimal(d) => {
                if d.scale() > self.scale && !self.rescale(d.scale()) {
                    return self.add_fraction(i, Ratio::from_decimal(d));
                }
                let added = scaled(d.mantissa(), self.scale - d.scale()).and_then(|u| self.units[i].checked_add(u));
                match added {
                    Some(sum) => self.units[i] = sum,
                    None => return self.add_fraction(i, Ratio::from_decimal(d)),
                }
            }
            Value::Ratio(r) => return self.add_fraction(i, r),
        }
        Ok(())
    }

    /// Records that a row of a month could not be read: a sum over a window that holds the month
    /// fails with the first such fault.
    pub fn fail(&mut self, month: Month, fault: Fault) {
        if !self.faults.iter().any(|(m, _)| *m == month) {
            self.faults.push((month, fault));
        }
    }

    fn add_fraction(&mut self, i: usize, r: Ratio) -> Result<(), Fault> {
        self.fractions[i] = self.fractions[i].checked_add(r)?;
        Ok(())
    }

    /// Moves every decimal sum to a finer scale; false (and nothing changed) when one would not fit.
    fn rescale(&mut self, scale: u32) -> bool {
        let Some(factor) = 10i128.checked_pow(scale - self.scale) else { return false };
        if self.units.iter().any(|u| u.checked_mul(factor).is_none()) {
            return false;
        }
        self.units.iter_mut().for_each(|u| *u *= factor);
        self.scale = scale;
        true
    }

    /// The exact sum over a window of months, or the fault of its earliest month whose rows could
    /// not be read.
    pub fn sum(&self, from: Month, to: Month) -> Result<Ratio, Fault> {
        let unread = self.faults.iter().filter(|(m, _)| (from..=to).contains(m)).min_by_key(|(m, _)| *m);
        if let Some((_, fault)) = unread {
            return Err(fault.clone());
        }
        let mut units: i128 = 0;
        let mut total = Ratio::ZERO;
        for month in from.max(self.base)..=to {
            let i = (month - self.base) as usize;
            if i >= self.units.len() {
                break;
            }
            match units.checked_add(self.units[i]) {
                Some(sum) => units = sum,
                None => total = total.checked_add(self.decimal(i)?)?,
            }
            if !self.fractions[i].is_zero() {
                total = total.checked_add(self.fractions[i])?;
            }
        }
        let decimals = Ratio::new(units, 10i128.pow(self.scale)).ok_or_else(|| Fault::overflow("a sum over months"))?;
        Ok(total.checked_add(decimals)?)
    }

    fn decimal(&self, i: usize) -> Result<Ratio, Fault> {
        Ratio::new(self.units[i], 10i128.pow(self.scale)).ok_or_else(|| Fault::overflow("a sum over months"))
    }
}

/// `mantissa × 10^shift`, checked. The common case (a mantissa of 64 bits, a shift of at most 18
/// places) is one widening multiplication that cannot overflow.
#[inline]
fn scaled(mantissa: i128, shift: u32) -> Option<i128> {
    const POW10: [i64; 19] = {
        let mut table = [1i64; 19];
        let mut i = 1;
        while i < 19 {
            table[i] = table[i - 1] * 10;
            i += 1;
        }
        table
    };
    if shift == 0 {
        return Some(mantissa);
    }
    match (i64::try_from(mantissa), POW10.get(shift as usize)) {
        (Ok(m), Some(&factor)) => Some(i128::from(m) * i128::from(factor)),
        _ => 10i128.checked_pow(shift).and_then(|f| mantissa.checked_mul(f)),
    }
}

fn row_index(row: Row<'_>, column: ColumnId, deals: Option<TableId>) -> Option<RowIdx> {
    match row {
        Row::Credit(c) if Some(column.table) == deals => Some(c.deal.row()),
        Row::Deal(d) if Some(column.table) == deals => Some(d.row()),
        Row::Table(t, r) if t == column.table => Some(r),
        _ => None,
    }
}

fn sym_at(data: &Dataset, column: ColumnId, row: Option<RowIdx>) -> Option<Sym> {
    data.sym(column, row?)
}

/// Compiles the fast forms of a condition; `other` compiles what they do not cover.
fn compile<'a>(e: &'a Expr, data: &Dataset, other: &mut impl FnMut(&'a Expr) -> Pred<'a>) -> Pred<'a> {
    let text_column = |c: &ColumnId| matches!(data.tables[c.table].columns[c.column], Column::Text(_));
    match e {
        Expr::Compare { op: op @ (CompareOp::Eq | CompareOp::Ne), lhs, rhs } => {
            let equal = *op == CompareOp::Eq;
            match (&**lhs, &**rhs) {
                (Expr::Credit(CreditField::Kind), Expr::Const(Const::Text(t)))
                | (Expr::Const(Const::Text(t)), Expr::Credit(CreditField::Kind)) => {
                    let mut set = [!equal; 4];
                    if let Some(i) = CREDIT_KINDS.iter().position(|k| k == t) {
                        set[i] = equal;
                    }
                    Pred::Kind(set)
                }
                (Expr::Row(c), Expr::Const(Const::Text(t))) | (Expr::Const(Const::Text(t)), Expr::Row(c))
                    if text_column(c) =>
                {
                    Pred::Text { column: *c, value: data.strings.get(t), equal, expr: e }
                }
                _ => other(e),
            }
        }
        Expr::Range { value, from, to } => match (&**value, &**from, &**to) {
            (Expr::Row(c), Expr::Const(Const::Date(from)), Expr::Const(Const::Date(to)))
                if matches!(data.tables[c.table].columns[c.column], Column::Date(_)) =>
            {
                Pred::DateIn { column: *c, from: *from, to: *to, expr: e }
            }
            _ => other(e),
        },
        Expr::Row(c) if matches!(data.tables[c.table].columns[c.column], Column::Bool(_)) => {
            Pred::Flag { column: *c, value: true, expr: e }
        }
        Expr::Credit(CreditField::Reversal) => Pred::Reversal(true),
        Expr::Binary { op: BinaryOp::And, lhs, rhs } => {
            Pred::And(Box::new(compile(lhs, data, other)), Box::new(compile(rhs, data, other)))
        }
        Expr::Binary { op: BinaryOp::Or, lhs, rhs } => {
            Pred::Or(Box::new(compile(lhs, data, other)), Box::new(compile(rhs, data, other)))
        }
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

    #[test]
    fn month_sums_move_to_a_finer_scale_and_past_128_bits() {
        let mut sums = MonthSums::default();
        // 1.5 + 0.000001 + 2 = 3.500001: the second value moves the sums to six decimals.
        for d in [Decimal::new(15, 1), Decimal::new(1, 6), Decimal::new(2, 0)] {
            sums.add(24_315, Value::Decimal(d)).unwrap();
        }
        assert_eq!(sums.sum(24_315, 24_315).unwrap(), Ratio::new(3_500_001, 1_000_000).unwrap());
        // A huge whole number in one month cannot move to ten decimals; a fine value in another
        // month is then kept as a fraction, and each month's sum stays exact.
        let mut wide = MonthSums::default();
        let huge = Decimal::from_i128_with_scale(10_000_000_000_000_000_000_000_000, 0);
        let fine = Decimal::from_i128_with_scale(1, 10);
        wide.add(24_314, Value::Decimal(huge)).unwrap();
        wide.add(24_315, Value::Decimal(fine)).unwrap();
        wide.add(24_315, Value::Decimal(Decimal::ONE)).unwrap();
        assert_eq!(wide.sum(24_315, 24_315).unwrap(), Ratio::new(10_000_000_001, 10_000_000_000).unwrap());
        assert_eq!(wide.sum(24_314, 24_314).unwrap(), Ratio::from_decimal(huge));
    }
}
