//! A rep's measures under a plan: the rows each counts (credit rows, reversals taking back what their
//! deal's row counted, rows of other tables by the months they are active in), their sums by month,
//! over a window, and by the value of a column (`each`).

use super::{Counted, RepPlan, Summed, EVERY_MONTH};
use crate::eval::credit::{reversed_part, CreditRow};
use crate::eval::error::Fault;
use crate::eval::interp::{eval, num, Row, Val};
use crate::eval::period::Month;
use crate::eval::row_programs::{MonthSums, Pred, Summand, Value};
use crate::model::{ColumnId, DefinitionId, Expr, MeasureId, MeasureSource, RowIdx};
use crate::num::Ratio;
use rustc_hash::FxHashMap as HashMap;
use std::rc::Rc;

impl RepPlan<'_> {
    fn buckets(&self, id: MeasureId) -> Result<Rc<MonthSums>, Fault> {
        let key = (id, self.period_dependent[id].then_some(self.period.first));
        if let Some(b) = self.buckets.borrow().get(&key) {
            return Ok(b.clone());
        }
        let mut sums = MonthSums::default();
        self.measure_rows(id, EVERY_MONTH, |_, month, value| match value {
            Ok(value) => sums.add(month, value),
            Err(fault) => {
                sums.fail(month, fault);
                Ok(())
            }
        })?;
        let sums = Rc::new(sums);
        self.buckets.borrow_mut().insert(key, sums.clone());
        Ok(sums)
    }

    /// Calls `f` with every row a measure counts among those dated in `months` (first and last
    /// included): the row, the month it is dated in and its value, or the fault that reading the
    /// row met (an empty optional cell its filter reads, say). A row outside `months` is not read
    /// at all. The measure's sums are built from exactly these calls, and `explain` lists them.
    pub fn measure_rows(
        &self,
        id: MeasureId,
        months: (Month, Month),
        mut f: impl FnMut(Counted<'_>, Month, Result<Value, Fault>) -> Result<(), Fault>,
    ) -> Result<(), Fault> {
        let measure = &self.plan.measures[id];
        let (filter, summand) = &self.shared.programs[self.index].measures[id];
        let within = |month: Month| month >= months.0 && month <= months.1;
        let value = |row: Row<'_>| {
            let value = match filter.test(self, row) {
                Ok(true) => summand.value(self, row),
                Ok(false) => return None,
                Err(fault) => Err(fault),
            };
            Some(value.map_err(|fault| fault.within(DefinitionId::Measure(id))))
        };
        match measure.source {
            MeasureSource::Credit => self.shared.credits.for_each_from(self.rep, |from, credit| {
                let step = self.step(credit);
                if !within(step) {
                    return Ok(());
                }
                let counted = if credit.reversal {
                    self.reversal_counts(filter, summand, credit)
                        .map(|v| v.map_err(|fault| fault.within(DefinitionId::Measure(id))))
                } else {
                    value(Row::Credit(credit))
                };
                match counted {
                    Some(v) => f(Counted::Credit { row: credit, from }, step, v),
                    None => Ok(()),
                }
            }),
            MeasureSource::Table { table, date, until, .. } => {
                let rows = self.shared.table_rows.get(&table).and_then(|r| r.get(self.rep)).map_or(&[][..], |r| &r[..]);
                for &r in rows {
                    let Some(day) = self.shared.data.date(date, r) else { continue };
                    let (first, last) = self.active_months(self.cal.step_of(day), until, r);
                    let (first, last) = (first.max(months.0), last.min(months.1));
                    if first > last {
                        continue;
                    }
                    if let Some(v) = value(Row::Table(table, r)) {
                        for month in first..=last {
                            f(Counted::Table { table, row: r }, month, v.clone())?;
                        }
                    }
                }
                Ok(())
            }
        }
    }

    /// What a reversal counts in a measure of credit: minus what its deal's row counted, times the
    /// part a partial clawback takes back. The filter and the value are read on the row as it was
    /// credited — `credit.amount` is the deal's credited amount and `credit.date` the day it was
    /// credited, so a threshold (`where credit.amount >= 10000 USD`), a window of days, a `min` or a
    /// fixed amount per row (a lookup of amounts) take back exactly what the row added — but
    /// `credit.reversal` is true, so a measure may leave reversals out or count only them. The
    /// reversal still counts in the month it is dated in. `None` when the row as credited does not
    /// pass the filter.
    fn reversal_counts(
        &self,
        filter: &Pred<'_>,
        summand: &Summand<'_>,
        reversal: &CreditRow,
    ) -> Option<Result<Value, Fault>> {
        let rules = self.shared.ws.crediting.as_ref();
        let Some(credited) = self.original_of(reversal) else {
            return Some(Err(Fault::overflow("the amount a reversal takes back")));
        };
        let credited = CreditRow { reversal: true, ..credited };
        match filter.test(self, Row::Credit(&credited)) {
            Ok(true) => {}
            Ok(false) => return None,
            Err(fault) => return Some(Err(fault)),
        }
        Some(summand.taken_back(self, reversal, &credited, reversed_part(rules)))
    }

    /// The months a row of a measured table counts in: the month of its date, or, for a row active
    /// from its date to the day in `until` (`active from … to …`), every month from the first to the
    /// one of that day — every month through the end of the plan's last plan year while it is empty.
    fn active_months(&self, first: Month, until: Option<ColumnId>, row: RowIdx) -> (Month, Month) {
        let Some(until) = until else { return (first, first) };
        let plan_end = self.cal.year_end(self.cal.plan_year(self.cal.step_of(self.plan.effective.1)));
        let last = self.shared.data.date(until, row).map_or(plan_end, |end| self.cal.step_of(end).min(plan_end));
        (first, last)
    }

    /// A measure's value over a window of months.
    pub fn measure_in(&self, id: MeasureId, (from, to): (Month, Month)) -> Result<Ratio, Fault> {
        let key = (Summed::Measure(id), from, to);
        if !self.period_dependent[id] {
            if let Some(sum) = self.windows.borrow().get(&key) {
                return Ok(*sum);
            }
        }
        let sum = match &self.plan.measures[id].each {
            Some(_) => {
                self.groups_in(id, (from, to))?.iter().try_fold(Ratio::ZERO, |total, g| total.checked_add(g.counted))?
            }
            None => self.buckets(id)?.sum(from, to)?,
        };
        if !self.period_dependent[id] {
            self.windows.borrow_mut().insert(key, sum);
        }
        Ok(sum)
    }

    /// The groups of a measure summed `each` value of a column, over a window: each value's sum
    /// and what it counts for between the limits, in the order the values are first met.
    pub fn groups_in(&self, id: MeasureId, months: (Month, Month)) -> Result<Vec<Group>, Fault> {
        let Some(each) = &self.plan.measures[id].each else { return Ok(Vec::new()) };
        let mut groups: Vec<Group> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::default();
        self.measure_rows(id, months, |counted, _, value| {
            let value = value?.ratio();
            let row = match counted {
                Counted::Credit { row, .. } => Row::Credit(row),
                Counted::Table { table, row } => Row::Table(table, row),
            };
            let key = group_key(eval(self, &each.group, row).map_err(|f| f.within(DefinitionId::Measure(id)))?);
            let at = *index.entry(key.clone()).or_insert_with(|| {
                groups.push(Group { key, sum: Ratio::ZERO, counted: Ratio::ZERO });
                groups.len() - 1
            });
            groups[at].sum = groups[at].sum.checked_add(value)?;
            Ok(())
        })?;
        let limit = |e: &Option<Expr>| e.as_ref().map(|e| num(eval(self, e, Row::None)?)).transpose();
        let (floor, cap) = (limit(&each.floor)?, limit(&each.cap)?);
        for group in &mut groups {
            let mut counted = group.sum;
            if let Some(floor) = floor {
                counted = counted.max(floor);
            }
            if let Some(cap) = cap {
                counted = counted.min(cap);
            }
            group.counted = counted;
        }
        Ok(groups)
    }
}

/// One value's rows of a measure summed `each` value of a column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    /// The value, as the data writes it.
    pub key: String,
    /// The sum of its rows in the window.
    pub sum: Ratio,
    /// What it counts for: the sum held between the limits.
    pub counted: Ratio,
}

/// A group's value as text.
fn group_key(value: Val<'_>) -> String {
    match value {
        Val::Text(t) => t.to_string(),
        Val::Date(d) => d.to_string(),
        Val::Bool(b) => b.to_string(),
        Val::Num(n) => crate::num::show_ratio(n, 0),
    }
}
