//! One rep under one plan version ([`RepPlan`]): measures (`measures.rs`), quotas (`quotas.rs`) and
//! attainments, read in the windows of the current pay period, per-deal earnings (`per_deal.rs`,
//! `ordered.rs`) and earnings read by earnings (`earned.rs`); and what every rep's evaluation shares
//! ([`Shared`]: the data, the credit, the compiled row programs).

use super::credit::{reversed_part, CreditRow, Credits};
use super::error::Fault;
use super::interp::{Context, Row};
use super::period::{first_day, last_day, Calendar, Month, PayPeriod};
use super::row_programs::{Atoms, Compiler, MonthSums, Pred, Summand};
use crate::data::{Dataset, RepIdx};
use crate::diagnostics::codes;
use crate::model::{
    self, Aggregate, AttainmentId, ColumnId, DefinitionId, EarningId, Expr, IdVec, MeasureId, MeasureSource, QuotaId,
    QuotaSource, RateTableId, RowIdx, Scope, TableId,
};
use crate::num::Ratio;
use chrono::NaiveDate;
use rustc_hash::FxHashMap as HashMap;
use std::cell::RefCell;
use std::rc::Rc;

mod earned;
mod measures;
mod ordered;
mod per_deal;
mod quotas;

pub use earned::{EarnedLine, EarnedLines};
pub use ordered::{OwnTotal, Running};
pub use per_deal::PerDealSums;

/// The months of every row: a window that excludes none.
const EVERY_MONTH: (Month, Month) = (Month::MIN, Month::MAX);

/// Row sums already computed for a rep, by measure (or per-deal earning) and by month (`None`: every
/// month).
type Memo<I, T> = HashMap<(I, Option<Month>), Rc<T>>;

/// What a sum over a window of months is of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Summed {
    /// A measure.
    Measure(MeasureId),
    /// A quota.
    Quota(QuotaId),
}

/// A row a measure counts, as `explain` lists it.
#[derive(Clone, Copy, Debug)]
pub enum Counted<'r> {
    /// A credit row, and the rep it was first credited to (the rep below, for rollup credit).
    Credit {
        /// The row.
        row: &'r CreditRow,
        /// The rep it was first credited to.
        from: RepIdx,
    },
    /// A row of another table (meetings, for instance).
    Table {
        /// The table.
        table: TableId,
        /// The row.
        row: RowIdx,
    },
}

/// What every rep's evaluation shares: the model, the data, the credit, and indexes built once.
pub struct Shared<'a> {
    /// The checked workspace.
    pub ws: &'a model::Workspace,
    /// The data.
    pub data: &'a Dataset,
    /// Every rep's credit rows.
    pub credits: &'a Credits,
    /// Rows of each measured table, per rep.
    table_rows: HashMap<TableId, IdVec<RepIdx, Vec<RowIdx>>>,
    /// The row of each (rep, plan year) in each table of quotas.
    quota_rows: HashMap<TableId, HashMap<(RepIdx, i32), RowIdx>>,
    /// Compiled filters and summands of every plan's measures and per-deal earnings.
    programs: Vec<Programs<'a>>,
    /// The lines of the reps evaluated so far, for overrides on the team's earnings.
    pub team: super::team::Team,
    /// Whether every rep's exact lines are kept: a plan reads the earnings of the reps below.
    pub team_lines_kept: bool,
}

/// The row programs of one plan.
pub struct Programs<'a> {
    measures: IdVec<MeasureId, (Pred<'a>, Summand<'a>)>,
    /// For each earning: its filter and value, when it is paid per deal.
    per_deal: IdVec<EarningId, Option<(Pred<'a>, Summand<'a>)>>,
    /// The order the plan's earnings are computed in each period: each after those it reads
    /// (found once per plan, not once per rep).
    order: Vec<EarningId>,
}

/// Compiles the row programs of every plan, and the deal conditions they share.
pub fn compile<'a>(ws: &'a model::Workspace, data: &Dataset) -> (Vec<Programs<'a>>, Atoms<'a>) {
    let mut compiler = Compiler::new(data, ws.crediting.as_ref().map(|c| c.deals));
    // A reversal counts as minus the part of a deal it takes back.
    let reversed = reversed_part(ws.crediting.as_ref());
    let programs = ws
        .plans
        .iter()
        .map(|plan| Programs {
            measures: plan
                .measures
                .iter()
                .map(|m| {
                    let summand = match &m.aggregate {
                        Aggregate::Sum(e) => Summand::compile(Some(e)),
                        Aggregate::Count => Summand::count(reversed),
                    };
                    let filter = match m.source {
                        MeasureSource::Credit => compiler.pred(m.filter.as_ref()),
                        // Rows of other tables carry no deal flags.
                        MeasureSource::Table { .. } => Pred::compile_plain(m.filter.as_ref(), data),
                    };
                    (filter, summand)
                })
                .collect(),
            per_deal: plan
                .earnings
                .iter()
                .map(|e| match &e.form {
                    model::EarningForm::PerDeal { filter, .. } => {
                        Some((compiler.pred(filter.as_ref()), Summand::compile(Some(&e.value))))
                    }
                    _ => None,
                })
                .collect(),
            order: super::earn::order(plan),
        })
        .collect();
    (programs, compiler.atoms)
}

impl<'a> Shared<'a> {
    /// Builds the indexes the plans need.
    pub fn new(
        ws: &'a model::Workspace,
        data: &'a Dataset,
        credits: &'a Credits,
        programs: Vec<Programs<'a>>,
    ) -> Shared<'a> {
        let reps = ws.crediting.as_ref().map_or(0, |c| data.tables[c.reps].rows);
        let mut table_rows: HashMap<TableId, IdVec<RepIdx, Vec<RowIdx>>> = HashMap::default();
        let mut quota_rows: HashMap<TableId, HashMap<(RepIdx, i32), RowIdx>> = HashMap::default();
        for plan in &ws.plans {
            for measure in &plan.measures {
                if let MeasureSource::Table { table, rep, .. } = measure.source {
                    table_rows.entry(table).or_insert_with(|| {
                        let mut rows = IdVec::filled(Vec::new(), reps);
                        for row in data.tables[table].row_ids() {
                            if let Some(r) = data.reference(rep, row) {
                                if let Some(list) = rows.get_mut(RepIdx::of_row(r)) {
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
                        let mut index = HashMap::default();
                        for row in data.tables[table].row_ids() {
                            if let (Some(r), Some(y)) = (data.reference(rep, row), data.year(year, row)) {
                                index.entry((RepIdx::of_row(r), y)).or_insert(row);
                            }
                        }
                        index
                    });
                }
            }
        }
        let team_lines_kept = super::team::reads_the_team(ws);
        Shared {
            ws,
            data,
            credits,
            table_rows,
            quota_rows,
            programs,
            team: super::team::Team::default(),
            team_lines_kept,
        }
    }

    /// Days a rep is employed in a month (every day, without employment rules).
    pub fn employed_days(&self, rep: RepIdx, month: Month) -> i64 {
        self.employed_days_between(rep, (first_day(month), last_day(month)))
    }

    /// Days a rep is employed from the first to the last day given (every one, without employment
    /// rules).
    pub fn employed_days_between(&self, rep: RepIdx, (first, last): (NaiveDate, NaiveDate)) -> i64 {
        let Some(employment) = self.ws.crediting.as_ref().and_then(|c| c.employed.as_ref()) else {
            return (last - first).num_days() + 1;
        };
        let start = first.max(self.data.date(employment.hired, rep).unwrap_or(NaiveDate::MIN));
        let end = last.min(self.data.date(employment.terminated, rep).unwrap_or(NaiveDate::MAX));
        ((end - start).num_days() + 1).max(0)
    }

    /// Whether a rep's employment ends within a pay period.
    pub fn terminated_in(&self, rep: RepIdx, period: &PayPeriod) -> bool {
        let Some(employment) = self.ws.crediting.as_ref().and_then(|c| c.employed.as_ref()) else { return false };
        self.data.date(employment.terminated, rep).is_some_and(|d| d >= period.start() && d <= period.end())
    }

    /// Whether a rep is employed on at least one day of a pay period.
    pub fn employed_in(&self, rep: RepIdx, period: &PayPeriod) -> bool {
        match period.first == period.last {
            true => self.employed_days_between(rep, (period.start(), period.end())) > 0,
            false => (period.first..=period.last).any(|m| self.employed_days(rep, m) > 0),
        }
    }
}

/// The evaluation context of one rep under one plan version; its caches live across periods.
pub struct RepPlan<'a> {
    /// What all reps share.
    pub shared: &'a Shared<'a>,
    /// The plan version.
    pub plan: &'a model::Plan,
    /// Its calendar.
    pub cal: Calendar,
    /// The rep.
    pub rep: RepIdx,
    /// The pay period being evaluated.
    pub period: PayPeriod,
    /// The plan's index in the workspace, for its row programs.
    index: usize,
    buckets: RefCell<Memo<MeasureId, MonthSums>>,
    per_deal: RefCell<Memo<EarningId, PerDealSums>>,
    /// Running totals that deals paid in order fill, by measure, scope and period.
    running: RefCell<HashMap<(MeasureId, Scope, Month), Rc<Running>>>,
    /// What per-deal earnings tiered on their own total paid each deal, by scope and period.
    own: RefCell<HashMap<(EarningId, Scope, Month), Rc<OwnTotal>>>,
    annual: RefCell<HashMap<(QuotaId, i32), Ratio>>,
    months: RefCell<HashMap<(QuotaId, Month), Ratio>>,
    /// Sums over windows of months: `(measure or quota, from, to)`.
    windows: RefCell<HashMap<(Summed, Month, Month), Ratio>>,
    /// Measures whose rows read something that changes with the period (an attainment, say): their
    /// monthly sums are computed again for each period.
    period_dependent: IdVec<MeasureId, bool>,
    /// The same for per-deal earnings.
    per_deal_dependent: IdVec<EarningId, bool>,
    /// The exact lines the rep's earnings under the plan (every version) paid so far, shared
    /// with the rep's history: what an earning reading another one adds up.
    pub earned: Rc<RefCell<EarnedLines>>,
}

/// Whether expressions read something that changes with the period.
fn reads_period(exprs: &[Option<&Expr>]) -> bool {
    let mut dependent = false;
    for e in exprs.iter().flatten() {
        e.walk(&mut |e| {
            dependent |= matches!(
                e,
                Expr::Measure { .. }
                    | Expr::Quota { .. }
                    | Expr::Attainment(_)
                    | Expr::Table { .. }
                    | Expr::MonthsSince(_)
            )
        });
    }
    dependent
}

impl<'a> RepPlan<'a> {
    /// A context for a rep and a plan version, starting at a period.
    pub fn new(
        shared: &'a Shared<'a>,
        plan: &'a model::Plan,
        cal: Calendar,
        rep: RepIdx,
        period: PayPeriod,
    ) -> RepPlan<'a> {
        let period_dependent = plan
            .measures
            .iter()
            .map(|m| {
                let sum = match &m.aggregate {
                    Aggregate::Sum(e) => Some(e),
                    Aggregate::Count => None,
                };
                reads_period(&[sum, m.filter.as_ref()])
            })
            .collect();
        let per_deal_dependent = plan
            .earnings
            .iter()
            .map(|e| match &e.form {
                model::EarningForm::PerDeal { filter, take_back, .. } => {
                    let taken = match take_back {
                        model::TakeBack::Share(x) | model::TakeBack::Amount(x) => Some(x),
                        model::TakeBack::Paid | model::TakeBack::Nothing => None,
                    };
                    reads_period(&[Some(&e.value), filter.as_ref(), taken])
                }
                _ => false,
            })
            .collect();
        let index = shared.ws.plans.iter().position(|p| std::ptr::eq(p, plan)).unwrap_or(0);
        RepPlan {
            shared,
            plan,
            cal,
            rep,
            period,
            index,
            buckets: RefCell::default(),
            per_deal: RefCell::default(),
            running: RefCell::default(),
            own: RefCell::default(),
            annual: RefCell::default(),
            months: RefCell::default(),
            windows: RefCell::default(),
            period_dependent,
            per_deal_dependent,
            earned: Rc::default(),
        }
    }

    /// The order the plan's earnings are computed in each period: each after those it reads.
    pub fn order(&self) -> &[EarningId] {
        &self.shared.programs[self.index].order
    }

    /// The step of the calendar a credit row counts in: the month it is dated in, or the pay period
    /// on a plan paying more often than monthly.
    pub fn step(&self, row: &CreditRow) -> Month {
        self.cal.step_of_row(row.month, row.date)
    }

    /// An attainment's measure and quota at the current period.
    pub fn attainment_parts(&self, id: AttainmentId) -> Result<(Ratio, Ratio), Fault> {
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

    fn rep(&self) -> Option<RepIdx> {
        Some(self.rep)
    }

    fn measure(&self, id: MeasureId, scope: Scope) -> Result<Ratio, Fault> {
        self.measure_in(id, self.cal.measure_window(&self.period, scope))
    }

    fn quota(&self, id: QuotaId, scope: Scope) -> Result<Ratio, Fault> {
        self.quota_in(id, self.cal.quota_window(&self.period, scope))
    }

    fn attainment(&self, id: AttainmentId) -> Result<Ratio, Fault> {
        let (m, q) = self.attainment_parts(id)?;
        if q.is_negative() {
            let a = &self.plan.attainments[id];
            return Err(negative_quota(self.plan, a.quota, self.cal.plan_year(self.period.last), q));
        }
        m.checked_div(q)?.ok_or_else(|| zero_quota(self.plan, id))
    }

    fn table(&self, id: RateTableId, base: Option<&'a Expr>, row: Row<'_>) -> Result<Ratio, Fault> {
        super::rates::apply(self, id, base, row)
    }

    fn team_earning(
        &self,
        plan: Option<&str>,
        earning: &str,
        reach: model::Reach,
        scope: Scope,
    ) -> Result<Ratio, Fault> {
        let parts = self.team_parts(plan, earning, reach, scope)?;
        Ok(parts.iter().try_fold(Ratio::ZERO, |sum, p| sum.checked_add(p.line.exact))?)
    }

    fn earning(&self, id: EarningId, scope: Scope) -> Result<Ratio, Fault> {
        let name = &self.plan.earnings[id].name;
        let window = self.cal.measure_window(&self.period, scope);
        self.earned.borrow().sum_within(name, window)
    }

    fn column_name(&self, column: ColumnId) -> String {
        let table = &self.shared.ws.schema.tables[column.table];
        format!("{}.{}", table.row_name, table.columns[column.column].name)
    }

    fn month(&self) -> Option<Month> {
        Some(self.cal.month_of_step(self.period.last))
    }

    fn name_of(&self, e: &Expr) -> Option<String> {
        let plan = self.plan;
        Some(match e {
            Expr::Measure { id, scope } => format!("`{} {}`", plan.measures[*id].name, scope.keyword()),
            Expr::Quota { id, scope } => format!("the quota `{} {}`", plan.quotas[*id].name, scope.keyword()),
            Expr::Attainment(id) => format!("the attainment `{}`", plan.attainments[*id].name),
            Expr::Earning { id, scope } => format!("the earning `{} {}`", plan.earnings[*id].name, scope.keyword()),
            Expr::TeamEarning { earning, scope, reach, .. } => {
                format!("the earning `{earning} {}` {}", scope.keyword(), reach.words())
            }
            Expr::Table { id, .. } => format!("the table `{}`", plan.tables[*id].name),
            Expr::Rep(column) | Expr::Row(column) => format!("`{}`", self.column_name(*column)),
            _ => return None,
        })
    }
}

/// The fault of an attainment whose quota is zero.
pub fn zero_quota(plan: &model::Plan, id: AttainmentId) -> Fault {
    let a = &plan.attainments[id];
    let quota = &plan.quotas[a.quota].name;
    Fault::new(
        &codes::ZERO_QUOTA,
        format!("the attainment `{}` is undefined: the quota `{quota} {}` is 0", a.name, a.quota_scope.keyword()),
    )
    .definition(DefinitionId::Attainment(id))
    .help("give the rep a quota for this plan year, or exclude them from the plan in `eligible when`")
}

/// The fault of a quota below zero: against it every sale would lower attainment, so it stops the
/// rep's run like a quota of zero.
pub fn negative_quota(plan: &model::Plan, id: QuotaId, year: i32, amount: Ratio) -> Fault {
    let quota = &plan.quotas[id].name;
    let shown = amount.to_decimal().map_or_else(|| "a negative amount".to_string(), |d| d.normalize().to_string());
    Fault::new(&codes::ZERO_QUOTA, format!("the quota `{quota}` is below zero for the plan year {year}: {shown}"))
        .definition(DefinitionId::Quota(id))
        .help("a quota is the target the rep's measure is divided by: check the rep's values it is computed from, or exclude the rep from the plan in `eligible when`")
}
