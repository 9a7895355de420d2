//! Deals paid in order: the running total that a marginal table keyed on a measure or an
//! attainment fills deal by deal in a per-deal earning. The measure's rows in the table's window
//! are taken in credit-date order (on one date, by deal id), so that each deal's slices start
//! where the deals before it left the total.

use super::{Counted, RepPlan};
use crate::eval::error::Fault;
use crate::model::{MeasureId, Scope};
use crate::num::Ratio;
use chrono::NaiveDate;
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
