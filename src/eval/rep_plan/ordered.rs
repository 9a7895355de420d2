//! Deals paid in order: the running total that a marginal table keyed on a measure or an
//! attainment fills deal by deal in a per-deal earning. The measure's rows in the table's window
//! are taken in credit-date order (on one date, by deal id), so that each deal's slices start
//! where the deals before it left the total.

use super::{Counted, RepPlan};
use crate::data::DealIdx;
use crate::eval::credit::{reversed_part, CreditRow, Kind};
use crate::eval::error::Fault;
use crate::eval::interp::{eval, num, Row};
use crate::eval::rates::{fill_paid, Slice};
use crate::eval::row_programs::Value;
use crate::model::{self, DefinitionId, EarningId, Expr, MeasureId, Scope};
use crate::num::Ratio;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use rustc_hash::FxHashMap as HashMap;
use std::rc::Rc;

/// A measure's rows in a window at a pay period, as steps in the order deals are paid: each
/// (date, deal id) with the total of every row up to it, itself included.
#[derive(Debug, Default)]
pub struct Running {
    steps: Vec<((NaiveDate, String), Ratio)>,
}

impl Running {
    /// The total of the rows before a deal: those dated earlier, and those of the same day whose
    /// deal id sorts first. The deal's own rows are not in it.
    pub fn before(&self, date: NaiveDate, deal: &str) -> Ratio {
        let at = self.steps.partition_point(|((d, id), _)| (*d, id.as_str()) < (date, deal));
        at.checked_sub(1).and_then(|i| self.steps.get(i)).map_or(Ratio::ZERO, |(_, total)| *total)
    }
}

impl RepPlan<'_> {
    /// Whether a per-deal earning pays its deals in order: its amount applies a table on a running
    /// total (of a measure, or of what the earning has paid).
    pub(super) fn pays_in_order(&self, earning: EarningId) -> bool {
        let mut in_order = false;
        self.plan.earnings[earning].value.walk(&mut |e| {
            if let Expr::Table { id, base } = e {
                in_order |= self.plan.running_total(*id, base.as_deref()).is_some()
                    || matches!(self.plan.tables[*id].key, model::TableKey::Earning { .. });
            }
        });
        in_order
    }

    /// The running total of a measure in a scope at the current pay period: its rows from the
    /// window's start (where earlier periods left it, for `quarter` and `ytd`) to the period's end,
    /// reversals included (a reversal lowers the total from its own date).
    pub fn running(&self, measure: MeasureId, scope: Scope) -> Result<Rc<Running>, Fault> {
        let key = (measure, scope, self.period.first);
        if let Some(running) = self.running.borrow().get(&key) {
            return Ok(running.clone());
        }
        let data = self.shared.data;
        let deals = self.shared.ws.crediting.as_ref().map(|c| c.deals);
        let mut rows: Vec<((NaiveDate, String), Ratio)> = Vec::new();
        self.measure_rows(measure, self.cal.measure_window(&self.period, scope), |counted, _, value| {
            // The checker allows only a measure of credit rows here.
            if let (Counted::Credit { row, .. }, Some(deals)) = (counted, deals) {
                let id = data.key_text_of(deals, row.deal).unwrap_or_default().to_string();
                rows.push(((row.date, id), value?.ratio()));
            }
            Ok(())
        })?;
        rows.sort_by(|a, b| a.0.cmp(&b.0));
        let mut steps: Vec<((NaiveDate, String), Ratio)> = Vec::with_capacity(rows.len());
        let mut total = Ratio::ZERO;
        for (at, value) in rows {
            total = total.checked_add(value)?;
            match steps.last_mut() {
                Some(last) if last.0 == at => last.1 = total,
                _ => steps.push((at, total)),
            }
        }
        let running = Rc::new(Running { steps });
        self.running.borrow_mut().insert(key, running.clone());
        Ok(running)
    }
}

/// What a per-deal earning tiered on its own total (`company_rate marginal on company ytd`) paid
/// each deal of a window, in order: the total before the deal, and the slices its base filled.
/// Rows alike in every way the evaluator can tell (a manager's rollup of one deal split equally
/// between two reps below them) are laid one after the other and share what they filled equally.
#[derive(Debug, Default)]
pub struct OwnTotal {
    paid: HashMap<RowKey, Filled>,
}

/// A credit row as the evaluator tells rows apart: deal, kind, date, reversal and amount.
type RowKey = (DealIdx, Kind, NaiveDate, bool, Decimal);

/// What the earning had paid before a row, the slices it filled, and how many rows alike share them.
type Filled = (Ratio, Vec<Slice>, i128);

impl OwnTotal {
    /// What the earning had paid before a credit row, and the slices the row filled; nothing for
    /// a row outside the window (a later month's, which the period being paid never reads).
    pub fn paid(&self, row: &CreditRow) -> Result<(Ratio, Vec<Slice>), Fault> {
        let Some((before, slices, alike)) = self.paid.get(&key(row)) else { return Ok((Ratio::ZERO, Vec::new())) };
        let Some(share) = Ratio::new(1, *alike).filter(|_| *alike > 1) else { return Ok((*before, slices.clone())) };
        let shared = slices
            .iter()
            .map(|s| {
                Ok(Slice { band: s.band, slice: s.slice.checked_mul(share)?, amount: s.amount.checked_mul(share)? })
            })
            .collect::<Result<Vec<Slice>, crate::num::Overflow>>()?;
        Ok((*before, shared))
    }

    fn record(&mut self, row: &CreditRow, before: Ratio, slices: Vec<Slice>) {
        match self.paid.get_mut(&key(row)) {
            Some(entry) => {
                entry.1.extend(slices);
                entry.2 = entry.2.saturating_add(1);
            }
            None => {
                self.paid.insert(key(row), (before, slices, 1));
            }
        }
    }
}

fn key(row: &CreditRow) -> RowKey {
    (row.deal, row.kind, row.date, row.reversal, row.amount)
}

impl RepPlan<'_> {
    /// What a per-deal earning tiered on its own total in a scope paid each of its deals in the
    /// window at the current pay period: its rows taken in credit-date order (on one date, by
    /// deal id), each row's base laid on what the earning had paid before it (`fill_paid`); a
    /// reversal lowers the total by what it takes back of its deal.
    pub fn own_total(&self, earning: EarningId, scope: Scope) -> Result<Rc<OwnTotal>, Fault> {
        let cache = (earning, scope, self.period.first);
        if let Some(own) = self.own.borrow().get(&cache) {
            return Ok(own.clone());
        }
        let e = &self.plan.earnings[earning];
        let (Expr::Table { id: table, base: Some(base) }, Some((filter, _))) =
            (&e.value, self.shared.programs[self.index].per_deal[earning].as_ref())
        else {
            return Ok(Rc::default());
        };
        let model::Rows::Marginal(bands) = &self.plan.tables[*table].rows else { return Ok(Rc::default()) };
        let (take_back, by_share) = match &e.form {
            model::EarningForm::PerDeal { take_back, by_share, .. } => (take_back, *by_share),
            _ => (&model::TakeBack::Paid, false),
        };
        let window = self.cal.measure_window(&self.period, scope);
        let deals = self.shared.ws.crediting.as_ref().map(|c| c.deals);
        let data = self.shared.data;
        let mut rows: Vec<((NaiveDate, String), CreditRow)> = Vec::new();
        self.shared.credits.for_each(self.rep, |credit| {
            let step = self.step(credit);
            if step < window.0 || step > window.1 {
                return Ok(());
            }
            if filter.test(self, Row::Credit(credit)).map_err(|f| f.within(DefinitionId::Earning(earning)))? {
                let id = deals.and_then(|t| data.key_text_of(t, credit.deal)).unwrap_or_default().to_string();
                rows.push(((credit.date, id), *credit));
            }
            Ok::<(), Fault>(())
        })?;
        rows.sort_by(|a, b| a.0.cmp(&b.0));
        let mut own = OwnTotal::default();
        let mut total = Ratio::ZERO;
        for (_, row) in &rows {
            if row.reversal {
                total = total.checked_sub(self.own_taken_back(earning, scope, take_back, by_share, row, &own)?)?;
                continue;
            }
            let base =
                num(eval(self, base, Row::Credit(row))?).map_err(|f| f.within(DefinitionId::Earning(earning)))?;
            let read = crate::eval::rates::resolved(self, bands, Row::Credit(row))?;
            let slices = fill_paid(&read, total, base)
                .map_err(|_| Fault::overflow(&format!("the table `{}`", self.plan.tables[*table].name)))?;
            let before = total;
            for s in &slices {
                total = total.checked_add(s.amount)?;
            }
            own.record(row, before, slices);
        }
        let own = Rc::new(own);
        self.own.borrow_mut().insert(cache, own.clone());
        Ok(own)
    }

    /// What a reversal takes back of what the earning paid its deal: the original row's part, read
    /// in the window being built when the deal is in it, else in the pay period that paid it.
    fn own_taken_back(
        &self,
        earning: EarningId,
        scope: Scope,
        take_back: &model::TakeBack,
        by_share: bool,
        reversal: &CreditRow,
        own: &OwnTotal,
    ) -> Result<Ratio, Fault> {
        if *take_back == model::TakeBack::Nothing {
            return Ok(Ratio::ZERO);
        }
        let original = self.original_of(reversal).ok_or_else(|| Fault::overflow("the amount a reversal takes back"))?;
        let window = self.cal.measure_window(&self.period, scope);
        let original_step = self.step(&original);
        let slices = if original_step >= window.0 {
            own.paid(&original)?.1
        } else {
            let then = self.cal.period_of(original_step);
            RepPlan::new(self.shared, self.plan, self.cal, self.rep, then).own_total(earning, scope)?.paid(&original)?.1
        };
        let paid = slices.iter().try_fold(Ratio::ZERO, |sum, s| sum.checked_add(s.amount))?;
        let taken = self.taken_back(take_back, Value::Ratio(paid), &original, by_share)?.ratio();
        let part = reversed_part(self.shared.ws.crediting.as_ref());
        Ok(taken.checked_mul(Ratio::from_decimal(part))?)
    }
}
