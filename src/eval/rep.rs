//! One rep under one plan version: measures (credit summed by month), quotas (split, prorated,
//! exact) and attainments, read in the windows of the current pay period.

use super::credit::Credits;
use super::error::Fault;
use super::exact::Ratio;
use super::interp::{eval, num, truth, Context, Row};
use super::period::{days_in, first_day, last_day, month_of, Calendar, Month, PayPeriod};
use crate::data::Dataset;
use crate::diagnostics::codes;
use crate::model::{self, Aggregate, ColumnId, Expr, MeasureSource, Proration, QuotaSource, QuotaSplit, Scope, TableId};
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

/// What every rep's evaluation shares: the model, the data, the credit, and indexes built once.
pub struct Shared<'a> {
    /// The checked workspace.
    pub ws: &'a model::Workspace,
    /// The data.
    pub data: &'a Dataset,
    /// Every rep's credit rows.
    pub credits: &'a Credits,
    /// Rows of each measured table, per rep.
    table_rows: HashMap<TableId, Vec<Vec<u32>>>,
    /// The row of each (rep, plan year) in each table of quotas.
    quota_rows: HashMap<TableId, HashMap<(u32, i32), u32>>,
}

impl<'a> Shared<'a> {
    /// Builds the indexes the plans need.
    pub fn new(ws: &'a model::Workspace, data: &'a Dataset, credits: &'a Credits) -> Shared<'a> {
        let reps = ws.crediting.as_ref().map_or(0, |c| data.tables[c.reps].rows);
        let mut table_rows: HashMap<TableId, Vec<Vec<u32>>> = HashMap::new();
        let mut quota_rows: HashMap<TableId, HashMap<(u32, i32), u32>> = HashMap::new();
        for plan in &ws.plans {
            for measure in &plan.measures {
                if let MeasureSource::Table { table, rep, .. } = measure.source {
                    table_rows.entry(table).or_insert_with(|| {
                        let mut rows = vec![Vec::new(); reps];
                        for row in 0..data.tables[table].rows as u32 {
                            if let Some(r) = data.reference(rep, row) {
                                if let Some(list) = rows.get_mut(r as usize) {
                                    list.push(row);
                                }
                            }
                        }
                        rows
                    });
                }
            }
            for quota in &plan.quotas {
                if let QuotaSource::Data { table, rep, year, .. } = quota.source {
                    quota_rows.entry(table).or_insert_with(|| {
                        let mut index = HashMap::new();
                        for row in 0..data.tables[table].rows as u32 {
                            if let (Some(r), Some(y)) = (data.reference(rep, row), data.year(year, row)) {
                                index.entry((r, y)).or_insert(row);
                            }
                        }
                        index
                    });
                }
            }
        }
        Shared { ws, data, credits, table_rows, quota_rows }
    }

    /// Days a rep is employed in a month (every day, without employment rules).
    pub fn employed_days(&self, rep: u32, month: Month) -> i64 {
        let Some(employment) = self.ws.crediting.as_ref().and_then(|c| c.employed.as_ref()) else { return days_in(month) };
        let start = first_day(month).max(self.data.date(employment.hired, rep).unwrap_or(chrono::NaiveDate::MIN));
        let end = last_day(month).min(self.data.date(employment.terminated, rep).unwrap_or(chrono::NaiveDate::MAX));
        ((end - start).num_days() + 1).max(0)
    }

    /// Whether a rep's employment ends within a pay period.
    pub fn terminated_in(&self, rep: u32, period: &PayPeriod) -> bool {
        let Some(employment) = self.ws.crediting.as_ref().and_then(|c| c.employed.as_ref()) else { return false };
        self.data.date(employment.terminated, rep).is_some_and(|d| d >= period.start() && d <= period.end())
    }

    /// Whether a rep is employed on at least one day of a pay period.
    pub fn employed_in(&self, rep: u32, period: &PayPeriod) -> bool {
        (period.first..=period.last).any(|m| self.employed_days(rep, m) > 0)
    }
}

/// Monthly sums of a measure.
type Buckets = BTreeMap<Month, Ratio>;

/// The evaluation context of one rep under one plan version; its caches live across periods.
pub struct RepPlan<'a> {
    /// What all reps share.
    pub shared: &'a Shared<'a>,
    /// The plan version.
    pub plan: &'a model::Plan,
    /// Its calendar.
    pub cal: Calendar,
    /// The rep's row.
    pub rep: u32,
    /// The pay period being evaluated.
    pub period: PayPeriod,
    buckets: RefCell<HashMap<(usize, Option<Month>), Rc<Buckets>>>,
    annual: RefCell<HashMap<(usize, i32), Ratio>>,
    /// Measures whose rows read something that changes with the period (an attainment, say): their
    /// monthly sums are computed again for each period.
    period_dependent: Vec<bool>,
}

impl<'a> RepPlan<'a> {
    /// A context for a rep and a plan version, starting at a period.
    pub fn new(shared: &'a Shared<'a>, plan: &'a model::Plan, cal: Calendar, rep: u32, period: PayPeriod) -> RepPlan<'a> {
        let period_dependent = plan
            .measures
            .iter()
            .map(|m| {
                let mut dependent = false;
                let mut check = |e: &Expr| dependent |= matches!(e, Expr::Measure { .. } | Expr::Quota { .. } | Expr::Attainment(_) | Expr::Table { .. });
                if let Aggregate::Sum(e) = &m.aggregate {
                    e.walk(&mut check);
                }
                if let Some(f) = &m.filter {
                    f.walk(&mut check);
                }
                dependent
            })
            .collect();
        RepPlan { shared, plan, cal, rep, period, buckets: RefCell::default(), annual: RefCell::default(), period_dependent }
    }

    fn buckets(&self, id: usize) -> Result<Rc<Buckets>, Fault> {
        let key = (id, self.period_dependent[id].then_some(self.period.first));
        if let Some(b) = self.buckets.borrow().get(&key) {
            return Ok(b.clone());
        }
        let measure = &self.plan.measures[id];
        let mut buckets = Buckets::new();
        let mut add = |month: Month, value: Ratio| -> Result<(), Fault> {
            let slot = buckets.entry(month).or_insert(Ratio::ZERO);
            *slot = slot.add(value).map_err(|_| Fault::overflow(&format!("the measure `{}`", measure.name)))?;
            Ok(())
        };
        match measure.source {
            MeasureSource::Credit => {
                let rows = self.shared.credits.by_rep.get(self.rep as usize).map_or(&[][..], |r| &r[..]);
                for credit in rows {
                    let row = Row::Credit(credit);
                    if let Some(filter) = &measure.filter {
                        if !truth(eval(self, filter, row)?)? {
                            continue;
                        }
                    }
                    let value = match &measure.aggregate {
                        Aggregate::Sum(e) => num(eval(self, e, row)?)?,
                        Aggregate::Count => Ratio::int(if credit.reversal { -1 } else { 1 }),
                    };
                    add(credit.month, value)?;
                }
            }
            MeasureSource::Table { table, date, .. } => {
                let rows = self.shared.table_rows.get(&table).and_then(|r| r.get(self.rep as usize)).map_or(&[][..], |r| &r[..]);
                for &r in rows {
                    let Some(day) = self.shared.data.date(date, r) else { continue };
                    let row = Row::Table(table, r);
                    if let Some(filter) = &measure.filter {
                        if !truth(eval(self, filter, row)?)? {
                            continue;
                        }
                    }
                    let value = match &measure.aggregate {
                        Aggregate::Sum(e) => num(eval(self, e, row)?)?,
                        Aggregate::Count => Ratio::ONE,
                    };
                    add(month_of(day), value)?;
                }
            }
        }
        let buckets = Rc::new(buckets);
        self.buckets.borrow_mut().insert(key, buckets.clone());
        Ok(buckets)
    }

    /// A measure's value over a window of months.
    pub fn measure_in(&self, id: usize, (from, to): (Month, Month)) -> Result<Ratio, Fault> {
        let buckets = self.buckets(id)?;
        let mut sum = Ratio::ZERO;
        for (_, v) in buckets.range(from..=to) {
            sum = sum.add(*v)?;
        }
        Ok(sum)
    }

    /// A quota's annual amount for a plan year.
    fn annual(&self, id: usize, year: i32) -> Result<Ratio, Fault> {
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
        self.annual.borrow_mut().insert((id, year), amount);
        Ok(amount)
    }

    /// A quota's amount for one month: the annual amount × the month's share × the proration.
    pub fn month_quota(&self, id: usize, month: Month) -> Result<Ratio, Fault> {
        let quota = &self.plan.quotas[id];
        let year = self.cal.plan_year(month);
        let index = (month - self.cal.year_start(year)) as usize;
        let share = match &quota.split {
            QuotaSplit::EvenlyByMonth | QuotaSplit::EvenlyByQuarter => Ratio::new(1, 12).unwrap_or(Ratio::ZERO),
            QuotaSplit::MonthWeights(w) => w.get(index).copied().map_or(Ratio::ZERO, Ratio::from_decimal),
            QuotaSplit::QuarterWeights(w) => w.get(index / 3).copied().map_or(Ratio::ZERO, Ratio::from_decimal).mul(Ratio::new(1, 3).unwrap_or(Ratio::ZERO))?,
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
            Proration::Days => Ratio::new(i128::from(self.shared.employed_days(self.rep, month)), i128::from(days_in(month))).unwrap_or(Ratio::ZERO),
        };
        Ok(self.annual(id, year)?.mul(share)?.mul(proration)?)
    }

    /// A quota over a window of months.
    pub fn quota_in(&self, id: usize, (from, to): (Month, Month)) -> Result<Ratio, Fault> {
        let mut sum = Ratio::ZERO;
        for month in from..=to {
            sum = sum.add(self.month_quota(id, month)?)?;
        }
        Ok(sum)
    }

    /// An attainment's measure and quota at the current period.
    pub fn attainment_parts(&self, id: usize) -> Result<(Ratio, Ratio), Fault> {
        let a = &self.plan.attainments[id];
        let m = self.measure_in(a.measure, self.cal.measure_window(&self.period, a.measure_scope))?;
        let q = self.quota_in(a.quota, self.cal.quota_window(&self.period, a.quota_scope))?;
        Ok((m, q))
    }
}

impl<'a> Context<'a> for RepPlan<'a> {
    fn data(&self) -> &'a Dataset {
        self.shared.data
    }

    fn deals(&self) -> Option<TableId> {
        self.shared.ws.crediting.as_ref().map(|c| c.deals)
    }

    fn rep(&self) -> Option<u32> {
        Some(self.rep)
    }

    fn measure(&self, id: usize, scope: Scope) -> Result<Ratio, Fault> {
        self.measure_in(id, self.cal.measure_window(&self.period, scope))
    }

    fn quota(&self, id: usize, scope: Scope) -> Result<Ratio, Fault> {
        self.quota_in(id, self.cal.quota_window(&self.period, scope))
    }

    fn attainment(&self, id: usize) -> Result<Ratio, Fault> {
        let (m, q) = self.attainment_parts(id)?;
        m.div(q)?.ok_or_else(|| zero_quota(self.plan, id))
    }

    fn table(&self, id: usize, base: Option<&'a Expr>, row: Row<'_>) -> Result<Ratio, Fault> {
        super::rates::apply(self, id, base, row)
    }

    fn column_name(&self, column: ColumnId) -> String {
        let table = &self.shared.ws.schema.tables[column.table];
        format!("{}.{}", table.row_name, table.columns[column.column].name)
    }
}

/// The fault of an attainment whose quota is zero.
pub fn zero_quota(plan: &model::Plan, id: usize) -> Fault {
    let a = &plan.attainments[id];
    let quota = &plan.quotas[a.quota].name;
    Fault::new(&codes::ZERO_QUOTA, format!("the attainment `{}` is undefined: the quota `{quota} {}` is 0", a.name, a.quota_scope.keyword()))
        .definition(&a.name)
        .help("give the rep a quota for this plan year, or exclude them from the plan in `eligible when`")
}
