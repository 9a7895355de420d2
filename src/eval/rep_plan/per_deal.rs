//! A rep's per-deal earnings under one plan version: the value of each credit row a per-deal
//! earning pays on, and what a cancellation takes back of it (by default what the deal was paid,
//! valued in the pay period that paid it).

use super::{RepPlan, EVERY_MONTH};
use crate::data::RepIdx;
use crate::eval::credit::{original_of, reversed_part, CreditRow};
use crate::eval::error::Fault;
use crate::eval::interp::{eval, num, Row};
use crate::eval::period::Month;
use crate::eval::row_programs::{MonthSums, Value};
use crate::model::{self, DefinitionId, EarningId};
use crate::num::Ratio;
use rustc_hash::FxHashMap as HashMap;
use std::rc::Rc;

/// A value's part for a rep credited a share of the deal, exact.
fn shared(value: Value, share: rust_decimal::Decimal) -> Result<Value, Fault> {
    Ok(match value {
        Value::Decimal(d) => match crate::num::exact_mul(d, share) {
            Some(product) => Value::Decimal(product),
            None => Value::Ratio(Ratio::from_decimal(d).checked_mul(Ratio::from_decimal(share))?),
        },
        Value::Ratio(r) => Value::Ratio(r.checked_mul(Ratio::from_decimal(share))?),
    })
}

/// A per-deal earning's sums: by month for credit rows, and the reversals with the month their
/// original row was paid in (a reversal takes back only what was paid).
#[derive(Debug, Default)]
pub struct PerDealSums {
    /// Values of the rows, by month.
    pub rows: MonthSums,
    /// `(month of the reversal, month of the original row, value of the original row)`; the value
    /// may be a fault (a quota of 0 before the rep was hired, say), raised only if the original
    /// row's period was paid, since nothing is taken back of a deal the plan never paid.
    pub reversals: Vec<(Month, Month, Result<Ratio, Fault>)>,
}

impl<'a> RepPlan<'a> {
    /// A per-deal earning's sums (computed once, unless its rows read something that changes with
    /// the period). A row that cannot be read is a fault of its month, raised only when a period
    /// that holds the month is paid.
    pub fn per_deal_sums(&self, earning: EarningId, by_share: bool) -> Result<Rc<PerDealSums>, Fault> {
        let key = (earning, self.per_deal_dependent[earning].then_some(self.period.first));
        if let Some(s) = self.per_deal.borrow().get(&key) {
            return Ok(s.clone());
        }
        let mut sums = PerDealSums::default();
        // Deals paid in order are valued only in the period that pays them: their value reads the
        // running total at that period, and a later period never reads them again.
        let months = if self.pays_in_order(earning) { (self.period.first, self.period.last) } else { EVERY_MONTH };
        self.per_deal_rows(earning, by_share, months, |credit, _, original, value| match value {
            _ if credit.reversal => {
                sums.reversals.push((self.step(credit), original, value.map(Value::ratio)));
                Ok(())
            }
            Err(fault) => {
                sums.rows.fail(self.step(credit), fault);
                Ok(())
            }
            Ok(value) => sums.rows.add(self.step(credit), value),
        })?;
        let sums = Rc::new(sums);
        self.per_deal.borrow_mut().insert(key, sums.clone());
        Ok(sums)
    }

    /// Calls `f` with every credit row dated in `months` (first and last included) that a per-deal
    /// earning pays on: the row, the rep it was first credited to, the month of the original row
    /// (for a reversal, the month the deal closed) and the value, or the fault that reading the
    /// row met. A reversal's value is its original row's, which it takes back. A row outside
    /// `months` is not read at all.
    pub fn per_deal_rows(
        &self,
        earning: EarningId,
        by_share: bool,
        months: (Month, Month),
        mut f: impl FnMut(&CreditRow, RepIdx, Month, Result<Value, Fault>) -> Result<(), Fault>,
    ) -> Result<(), Fault> {
        if self.shared.programs[self.index].per_deal[earning].is_none() {
            return Ok(());
        }
        // Contexts of the earlier pay periods reversals look back to, by their first month (the
        // caller's sums are kept, so each is made once per sum).
        let mut earlier: HashMap<Month, RepPlan<'a>> = HashMap::default();
        self.shared.credits.for_each_from(self.rep, |from, credit| {
            let step = self.step(credit);
            if step < months.0 || step > months.1 {
                return Ok(());
            }
            if !credit.reversal {
                return match self.per_deal_value(earning, by_share, credit, credit.share) {
                    Some(value) => f(credit, from, step, value),
                    None => Ok(()),
                };
            }
            // A reversal takes back what its original row paid: the original row, valued in the
            // pay period it was paid in when the earning's value changes with the period (a rate
            // chosen by the attainment of that time), unless the earning says otherwise.
            let take_back = match &self.plan.earnings[earning].form {
                model::EarningForm::PerDeal { take_back, .. } => take_back,
                _ => &model::TakeBack::Paid,
            };
            if *take_back == model::TakeBack::Nothing {
                return Ok(());
            }
            let Some(original) = self.original_of(credit) else {
                let fault = Fault::overflow("the amount a reversal takes back").within(DefinitionId::Earning(earning));
                return f(credit, from, step, Err(fault));
            };
            let original_step = self.step(&original);
            let then = self.cal.period_of(original_step);
            let context: &RepPlan<'a> = if self.per_deal_dependent[earning] && then != self.period {
                earlier
                    .entry(then.first)
                    .or_insert_with(|| RepPlan::new(self.shared, self.plan, self.cal, self.rep, then))
            } else {
                self
            };
            // A partial clawback takes back the same part of it.
            let part = reversed_part(self.shared.ws.crediting.as_ref());
            let value = context.per_deal_value(earning, by_share, &original, credit.share).map(|paid| {
                let taken = paid.and_then(|paid| context.taken_back(take_back, paid, &original, by_share))?;
                if part == rust_decimal::Decimal::ONE {
                    Ok(taken)
                } else {
                    shared(taken, part)
                }
            });
            match value {
                Some(value) => {
                    f(credit, from, original_step, value.map_err(|e| e.within(DefinitionId::Earning(earning))))
                }
                None => Ok(()),
            }
        })
    }

    /// What a per-deal earning pays on one credit row in this context's period (a `share` of it
    /// when `by_share`), or `None` when the row does not pass its condition.
    fn per_deal_value(
        &self,
        earning: EarningId,
        by_share: bool,
        row: &CreditRow,
        share: rust_decimal::Decimal,
    ) -> Option<Result<Value, Fault>> {
        let (filter, summand) = self.shared.programs[self.index].per_deal[earning].as_ref()?;
        let value = match filter.test(self, Row::Credit(row)) {
            Ok(false) => return None,
            Ok(true) => {
                summand.value(self, Row::Credit(row)).and_then(|v| if by_share { shared(v, share) } else { Ok(v) })
            }
            Err(fault) => Err(fault),
        };
        Some(value.map_err(|fault| fault.within(DefinitionId::Earning(earning))))
    }

    /// What a cancellation takes back of a deal's row that was `paid` this: all of it, a share of
    /// it, or an amount read on the row (a `share` of it when `by_share`).
    pub(super) fn taken_back(
        &self,
        take_back: &model::TakeBack,
        paid: Value,
        row: &CreditRow,
        by_share: bool,
    ) -> Result<Value, Fault> {
        match take_back {
            model::TakeBack::Paid | model::TakeBack::Nothing => Ok(paid),
            model::TakeBack::Share(share) => {
                let share = num(eval(self, share, Row::Credit(row))?)?;
                Ok(Value::Ratio(paid.ratio().checked_mul(share)?))
            }
            model::TakeBack::Amount(amount) => {
                let amount = Value::Ratio(num(eval(self, amount, Row::Credit(row))?)?);
                if by_share {
                    shared(amount, row.share)
                } else {
                    Ok(amount)
                }
            }
        }
    }

    /// The credit row a reversal takes back: the deal's row as credited on its date, with the
    /// amount credited (`None` when it has too many digits to be told back from a partial
    /// reversal).
    pub(super) fn original_of(&self, reversal: &CreditRow) -> Option<CreditRow> {
        let rules = self.shared.ws.crediting.as_ref();
        let closed = rules.and_then(|c| self.shared.data.date(c.date, reversal.deal)).unwrap_or(reversal.date);
        original_of(rules, reversal, closed)
    }
}
