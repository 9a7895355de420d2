//! A rep's quotas under a plan: the annual amount for a plan year, each month's share of it (split,
//! prorated, and rounded as published when the plan says so), and a quota over a window of months.

use super::{negative_quota, RepPlan, Summed};
use crate::eval::error::Fault;
use crate::eval::interp::{eval, num, Row};
use crate::eval::period::{days_in, Month};
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

    /// A quota's amount for one month: the annual amount × the month's share × the proration.
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

    /// A month's quota as the comp team publishes it: a split by month rounds each month's figure;
    /// a split by quarter rounds the quarter's figure, which its months share in proportion to
    /// their exact quotas (a month before the rep was hired keeps its 0).
    fn published_month_quota(&self, id: QuotaId, month: Month, rounding: model::Rounding) -> Result<Ratio, Fault> {
        let exact = self.exact_month_quota(id, month)?;
        let rounded = |r: Ratio| -> Result<Ratio, Fault> { Ok(Ratio::from_decimal(r.round(rounding)?)) };
        match self.plan.quotas[id].split {
            QuotaSplit::EvenlyByMonth | QuotaSplit::MonthWeights(_) => rounded(exact),
            QuotaSplit::EvenlyByQuarter | QuotaSplit::QuarterWeights(_) => {
                let start = self.cal.quarter_start(month);
                let mut quarter = Ratio::ZERO;
                for m in start..start + 3 {
                    quarter = quarter.checked_add(self.exact_month_quota(id, m)?)?;
                }
                if quarter.is_zero() {
                    return Ok(Ratio::ZERO);
                }
                Ok(rounded(quarter)?.checked_mul(exact)?.checked_div(quarter)?.unwrap_or(Ratio::ZERO))
            }
        }
    }

    /// A month's share of the annual quota, prorated, kept exact.
    fn exact_month_quota(&self, id: QuotaId, month: Month) -> Result<Ratio, Fault> {
        let quota = &self.plan.quotas[id];
        let year = self.cal.plan_year(month);
        let index = (month - self.cal.year_start(year)) as usize;
        let share = match &quota.split {
            QuotaSplit::EvenlyByMonth | QuotaSplit::EvenlyByQuarter => Ratio::new(1, 12).unwrap_or(Ratio::ZERO),
            QuotaSplit::MonthWeights(w) => w.get(index).copied().map_or(Ratio::ZERO, Ratio::from_decimal),
            QuotaSplit::QuarterWeights(w) => w
                .get(index / 3)
                .copied()
                .map_or(Ratio::ZERO, Ratio::from_decimal)
                .checked_mul(Ratio::new(1, 3).unwrap_or(Ratio::ZERO))?,
        };
        let proration = match quota.proration {
            Proration::None => Ratio::ONE,
            Proration::Months => {
                if self.shared.employed_days(self.rep, month) > 0 {
                    Ratio::ONE
                } else {
                    Ratio::ZERO
                }
            }
            Proration::Days => {
                Ratio::new(i128::from(self.shared.employed_days(self.rep, month)), i128::from(days_in(month)))
                    .unwrap_or(Ratio::ZERO)
            }
        };
        Ok(self.annual(id, year)?.checked_mul(share)?.checked_mul(proration)?)
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
