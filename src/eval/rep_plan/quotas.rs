//! A rep's quotas under a plan: the annual amount for a plan year, each month's share of it (split,
//! prorated, and rounded as published when the plan says so), and a quota over a window of months.

use super::{negative_quota, RepPlan, Summed};
use crate::eval::error::Fault;
use crate::eval::interp::{eval, num, Row};
use crate::eval::period::Month;
use crate::model::{self, Proration, QuotaId, QuotaSource, QuotaSplit};
use crate::num::Ratio;

impl RepPlan<'_> {
    /// A quota's annual amount for a plan year.
    fn annual(&self, id: QuotaId, year: i32) -> Result<Ratio, Fault> {
        if let Some(a) = self.annual.borrow().get(&(id, year)) {
            return Ok(*a);
        }
        let quota = &self.plan.quotas[id];
        let amount = match &quota.source {
            QuotaSource::Data { table, amount, .. } => {
                let row = self.shared.quota_rows.get(table).and_then(|index| index.get(&(self.rep, year)));
                row.and_then(|&r| self.shared.data.number(*amount, r)).map_or(Ratio::ZERO, Ratio::from_decimal)
            }
            QuotaSource::Expr(e) => num(eval(self, e, Row::None)?)?,
        };
        // A quota's amount column is refused below zero when it is read; a computed quota is known
        // only here.
        if amount.is_negative() {
            return Err(negative_quota(self.plan, id, year, amount));
        }
        self.annual.borrow_mut().insert((id, year), amount);
        Ok(amount)
    }

    /// A quota's amount for one step (a month, or a pay period shorter than one): the annual amount
    /// × the step's share × the proration.
    pub fn month_quota(&self, id: QuotaId, month: Month) -> Result<Ratio, Fault> {
        if let Some(q) = self.months.borrow().get(&(id, month)) {
            return Ok(*q);
        }
        let q = match self.plan.quotas[id].rounded {
            Some(rounding) => self.published_month_quota(id, month, rounding)?,
            None => self.exact_month_quota(id, month)?,
        };
        self.months.borrow_mut().insert((id, month), q);
        Ok(q)
    }

    /// A step's quota as the comp team publishes it: a split by month rounds each month's figure;
    /// a split by quarter rounds the quarter's figure; the steps of the month or quarter share the
    /// rounded figure in proportion to their exact quotas (a month before the rep was hired keeps
    /// its 0). On a calendar of months, a split by month is each step's own figure, rounded.
    fn published_month_quota(&self, id: QuotaId, step: Month, rounding: model::Rounding) -> Result<Ratio, Fault> {
        let exact = self.exact_month_quota(id, step)?;
        let rounded = |r: Ratio| -> Result<Ratio, Fault> { Ok(Ratio::from_decimal(r.round(rounding)?)) };
        let (start, end) = match self.plan.quotas[id].split {
            QuotaSplit::EvenlyByMonth | QuotaSplit::MonthWeights(_) if !self.plan.pay.shorter_than_a_month() => {
                return rounded(exact);
            }
            QuotaSplit::EvenlyByMonth | QuotaSplit::MonthWeights(_) => {
                self.cal.month_steps(self.cal.month_of_step(step))
            }
            QuotaSplit::EvenlyByQuarter | QuotaSplit::QuarterWeights(_) => {
                (self.cal.quarter_start(step), self.cal.quarter_end(step))
            }
        };
        let mut published = Ratio::ZERO;
        for s in start..=end {
            published = published.checked_add(self.exact_month_quota(id, s)?)?;
        }
        if published.is_zero() {
            return Ok(Ratio::ZERO);
        }
        Ok(rounded(published)?.checked_mul(exact)?.checked_div(published)?.unwrap_or(Ratio::ZERO))
    }

    /// A step's share of the annual quota, prorated, kept exact.
    fn exact_month_quota(&self, id: QuotaId, step: Month) -> Result<Ratio, Fault> {
        let quota = &self.plan.quotas[id];
        let year = self.cal.plan_year(step);
        let share = match self.plan.pay.shorter_than_a_month() {
            false => month_share(&quota.split, (step - self.cal.year_start(year)) as usize)?,
            true => self.step_share(&quota.split, step, year)?,
        };
        let proration = match quota.proration {
            Proration::None => Ratio::ONE,
            Proration::Months => {
                if self.shared.employed_days_between(self.rep, self.cal.step_days(step)) > 0 {
                    Ratio::ONE
                } else {
                    Ratio::ZERO
                }
            }
            Proration::Days => {
                let days = self.cal.step_days(step);
                let employed = self.shared.employed_days_between(self.rep, days);
                Ratio::new(i128::from(employed), i128::from((days.1 - days.0).num_days() + 1)).unwrap_or(Ratio::ZERO)
            }
        };
        Ok(self.annual(id, year)?.checked_mul(share)?.checked_mul(proration)?)
    }

    /// The share of the plan year's quota of a pay period shorter than a month: evenly by month,
    /// an equal part of the year (1/24 of it semi-monthly, 1/26 or 1/27 biweekly); otherwise the
    /// share of the month or quarter the period ends in, in equal parts among the pay periods
    /// that end in it.
    fn step_share(&self, split: &QuotaSplit, step: Month, year: i32) -> Result<Ratio, Fault> {
        let cal = &self.cal;
        let parts = |(first, last): (Month, Month)| Ratio::new(1, i128::from(last - first + 1)).unwrap_or(Ratio::ZERO);
        let month = cal.month_of_step(step);
        let month_index = (month - cal.month_of_step(cal.year_start(year))) as usize;
        let quarter = (cal.quarter_start(step), cal.quarter_end(step));
        Ok(match split {
            QuotaSplit::EvenlyByMonth => parts((cal.year_start(year), cal.year_end(year))),
            QuotaSplit::EvenlyByQuarter => Ratio::new(1, 4).unwrap_or(Ratio::ZERO).checked_mul(parts(quarter))?,
            QuotaSplit::MonthWeights(w) => {
                let weight = w.get(month_index).copied().map_or(Ratio::ZERO, Ratio::from_decimal);
                weight.checked_mul(parts(cal.month_steps(month)))?
            }
            QuotaSplit::QuarterWeights(w) => {
                let weight = w.get(month_index / 3).copied().map_or(Ratio::ZERO, Ratio::from_decimal);
                weight.checked_mul(parts(quarter))?
            }
        })
    }

    /// A quota over a window of months.
    pub fn quota_in(&self, id: QuotaId, (from, to): (Month, Month)) -> Result<Ratio, Fault> {
        let key = (Summed::Quota(id), from, to);
        if let Some(sum) = self.windows.borrow().get(&key) {
            return Ok(*sum);
        }
        let mut sum = Ratio::ZERO;
        for month in from..=to {
            sum = sum.checked_add(self.month_quota(id, month)?)?;
        }
        self.windows.borrow_mut().insert(key, sum);
        Ok(sum)
    }
}

/// The share of the plan year's quota of its month `index` (0–11), on a calendar of months.
fn month_share(split: &QuotaSplit, index: usize) -> Result<Ratio, Fault> {
    Ok(match split {
        QuotaSplit::EvenlyByMonth | QuotaSplit::EvenlyByQuarter => Ratio::new(1, 12).unwrap_or(Ratio::ZERO),
        QuotaSplit::MonthWeights(w) => w.get(index).copied().map_or(Ratio::ZERO, Ratio::from_decimal),
        QuotaSplit::QuarterWeights(w) => w
            .get(index / 3)
            .copied()
            .map_or(Ratio::ZERO, Ratio::from_decimal)
            .checked_mul(Ratio::new(1, 3).unwrap_or(Ratio::ZERO))?,
    })
}
