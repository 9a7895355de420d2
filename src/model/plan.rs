//! A checked plan: header, quotas, measures, attainments, tables, earnings and tests (draws, holds
//! and balances are in `payments.rs`).

use super::{
    AttainmentId, BalancePolicy, ColumnId, Draw, EarningId, Expr, Hold, IdVec, MeasureId, QuotaId, RateTableId,
    Rounding, Scope, TableId,
};
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// One version of a plan, ready to evaluate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    /// The plan's name: the `plan` column of `payouts.csv`.
    pub name: String,
    /// The title shown on statements.
    pub title: String,
    /// The version number.
    pub version: u32,
    /// First and last day the plan is in effect.
    pub effective: (NaiveDate, NaiveDate),
    /// The currency of every payout line.
    pub currency: String,
    /// How often it pays.
    pub pay: PayFrequency,
    /// The month (1–12) the plan year starts in.
    pub fiscal_start: u32,
    /// How payout lines are rounded.
    pub rounding: Rounding,
    /// Which reps it applies to (all, without a condition).
    pub eligible: Option<Expr>,
    /// Quotas, in declaration order.
    pub quotas: IdVec<QuotaId, Quota>,
    /// Measures, in declaration order.
    pub measures: IdVec<MeasureId, Measure>,
    /// Attainments, in declaration order: one `attainment.csv` row each.
    pub attainments: IdVec<AttainmentId, Attainment>,
    /// Tables, in declaration order.
    pub tables: IdVec<RateTableId, RateTable>,
    /// Earnings, in declaration order: one payout row each.
    pub earnings: IdVec<EarningId, Earning>,
    /// Draws, in declaration order: each pays a line of its own.
    pub draws: Vec<Draw>,
    /// Holds, in declaration order.
    pub holds: Vec<Hold>,
    /// What happens to balances.
    pub balance: BalancePolicy,
    /// The plan's own tests.
    pub tests: Vec<TestCase>,
}

/// A named definition of a plan, by its id among the plan's definitions of its kind: how the
/// runtime names the definition an error is about (it has no spans; the checker's source map says
/// where the definition is written).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DefinitionId {
    /// A quota.
    Quota(QuotaId),
    /// A measure.
    Measure(MeasureId),
    /// An attainment.
    Attainment(AttainmentId),
    /// A rate table.
    Table(RateTableId),
    /// An earning.
    Earning(EarningId),
}

impl DefinitionId {
    /// The rate table, when the definition is one.
    pub fn table(self) -> Option<RateTableId> {
        match self {
            DefinitionId::Table(id) => Some(id),
            _ => None,
        }
    }

    /// The earning, when the definition is one.
    pub fn earning(self) -> Option<EarningId> {
        match self {
            DefinitionId::Earning(id) => Some(id),
            _ => None,
        }
    }
}

/// The lines the runtime adds to every payout after the plan's earnings, by the names
/// `payouts.csv`, the ledger and plan tests give them. No earning may take one of these names.
pub const PAYOUT_LINES: [&str; 9] =
    ["draw", "recovery", "deferred", "hold", "release", "adjustment", "total", "balance", "held"];

/// Pay frequency.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PayFrequency {
    /// One pay period per calendar month.
    Monthly,
    /// One pay period per quarter of the plan year.
    Quarterly,
    /// One pay period per plan year, named by the plan year (`2026`): annual plans.
    Yearly,
    /// Two pay periods per calendar month, the 1st to the 15th and the 16th to the month's last
    /// day, each named by its last day (`2026-01-15`, `2026-01-31`): US payroll's semi-monthly cycle.
    SemiMonthly,
    /// Pay periods of 14 days, the first starting on the date given (`pay biweekly from
    /// 2026-01-02`), each named by its last day and belonging to the plan year its last day is in.
    Biweekly(NaiveDate),
}

impl PayFrequency {
    /// The word a plan writes after `pay`.
    pub fn keyword(self) -> &'static str {
        match self {
            PayFrequency::Monthly => "monthly",
            PayFrequency::Quarterly => "quarterly",
            PayFrequency::Yearly => "yearly",
            PayFrequency::SemiMonthly => "semi-monthly",
            PayFrequency::Biweekly(_) => "biweekly",
        }
    }

    /// What one pay period is: `month`, `quarter`, `year`, `half-month` or `two-week period`.
    pub fn period_word(self) -> &'static str {
        match self {
            PayFrequency::Monthly => "month",
            PayFrequency::Quarterly => "quarter",
            PayFrequency::Yearly => "year",
            PayFrequency::SemiMonthly => "half-month",
            PayFrequency::Biweekly(_) => "two-week period",
        }
    }

    /// The months in one pay period (1 for pay periods shorter than a month).
    pub fn months(self) -> i32 {
        match self {
            PayFrequency::Monthly | PayFrequency::SemiMonthly | PayFrequency::Biweekly(_) => 1,
            PayFrequency::Quarterly => 3,
            PayFrequency::Yearly => 12,
        }
    }

    /// Whether a pay period is shorter than a month (semi-monthly or biweekly): the runtime then
    /// counts time in pay periods rather than months, and what reads a month (a cap per month, a
    /// draw per month, a hold for months) is refused.
    pub fn shorter_than_a_month(self) -> bool {
        matches!(self, PayFrequency::SemiMonthly | PayFrequency::Biweekly(_))
    }
}

/// A quota: an annual amount, split over the plan year and prorated for partial employment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Quota {
    /// The quota's name.
    pub name: String,
    /// Where the annual amount comes from.
    pub source: QuotaSource,
    /// How the year is split into months.
    pub split: QuotaSplit,
    /// How partial employment reduces it.
    pub proration: Proration,
    /// Whether it is an amount of money (in the plan's currency); otherwise a plain number (of
    /// meetings, of months), which explain shows without a currency.
    pub money: bool,
    /// How the figures of the split are rounded, as the comp team publishes them (`rounded half up
    /// to whole units`): each month's figure for a split by month, each quarter's for a split by
    /// quarter (its months share the rounded figure in proportion to their exact quotas); the year
    /// is their sum. `None`: the quotas are exact (a year ÷ 12 is never rounded).
    pub rounded: Option<Rounding>,
}

/// Where a quota's annual amount comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QuotaSource {
    /// A table with one row per rep and plan year (`quotas.amount`).
    Data {
        /// The table.
        table: TableId,
        /// The amount column.
        amount: ColumnId,
        /// The rep column.
        rep: ColumnId,
        /// The plan-year column.
        year: ColumnId,
    },
    /// An expression over the rep's columns.
    Expr(Expr),
}

/// How an annual quota is split into the twelve months of the plan year.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QuotaSplit {
    /// One twelfth per month, kept exact.
    EvenlyByMonth,
    /// One quarter per quarter, each spread evenly over its three months.
    EvenlyByQuarter,
    /// Twelve month weights (fractions summing to 1).
    MonthWeights(Vec<Decimal>),
    /// Four quarter weights (fractions summing to 1), each spread evenly over its months.
    QuarterWeights(Vec<Decimal>),
}

/// How a quota is reduced for partial employment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Proration {
    /// Not reduced.
    None,
    /// A month counts fully if the rep is employed one day of it, else not at all.
    Months,
    /// Each month's quota × days employed ÷ days in the month.
    Days,
}

/// A sum or count of rows for the rep.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Measure {
    /// The measure's name.
    pub name: String,
    /// What is aggregated.
    pub aggregate: Aggregate,
    /// The rows it reads.
    pub source: MeasureSource,
    /// Which rows count.
    pub filter: Option<Expr>,
    /// Summed per value of a column, each sum limited, then added (`each deal.product floored at
    /// 0 USD`).
    pub each: Option<Each>,
    /// Whether its value is money (a sum of amounts) rather than a number (a count, or a sum of
    /// units such as seats), so that what shows it names a currency only when there is one.
    pub money: bool,
}

/// A measure summed per value of a column: in a window, each value's rows are summed, the sum is
/// held between the limits, and the results are added.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Each {
    /// The column read on each row (a cell of the row's deal or of the measured table).
    pub group: Expr,
    /// The least each value's sum counts for.
    pub floor: Option<Expr>,
    /// The most each value's sum counts for.
    pub cap: Option<Expr>,
}

/// What a measure aggregates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Aggregate {
    /// The sum of an expression over the rows.
    Sum(Expr),
    /// The number of rows (reversals count −1).
    Count,
}

/// The rows a measure reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MeasureSource {
    /// The rep's credit rows.
    Credit,
    /// Rows of another table, given to reps by a column and dated by another.
    Table {
        /// The table.
        table: TableId,
        /// Its `ref reps` column.
        rep: ColumnId,
        /// Its date column: the day the row counts on, or the first day it is active.
        date: ColumnId,
        /// The last day a row is active (`active from … to …`): the row counts in every month from
        /// the one of `date` to the one of this column, and in every month from then on while it
        /// is empty. `None`: the row counts once, in the month of `date`.
        until: Option<ColumnId>,
    },
}

/// An attainment: a measure in a scope over a quota in a scope.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attainment {
    /// The attainment's name: the `attainment` column of `attainment.csv`.
    pub name: String,
    /// The numerator's measure.
    pub measure: MeasureId,
    /// The numerator's scope, which is the attainment's scope.
    pub measure_scope: Scope,
    /// The denominator's quota.
    pub quota: QuotaId,
    /// The denominator's scope.
    pub quota_scope: Scope,
}

/// A tier, curve or lookup table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RateTable {
    /// The table's name.
    pub name: String,
    /// What the rows are keyed on.
    pub key: TableKey,
    /// The rows.
    pub rows: Rows,
    /// Whether the values are rates (applied to a base) or amounts.
    pub values: ValueKind,
    /// Whether each band includes its upper bound, `(from, to]` (the first `[0, to]`), instead of
    /// its lower one, `[from, to)`: a retroactive table's key on a bound takes the band below it.
    /// A marginal table's slices, and a linear table's points, are the same either way.
    pub upper_included: bool,
}

/// The running total a marginal table keyed on a measure or an attainment fills when a per-deal
/// earning applies it to one credit's amount (`base_rate of credit.amount per deal`): the deals are
/// taken in credit-date order (on one date, by deal id), and each is paid the slices its amount
/// fills as the total passes through them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RunningTotal {
    /// The measure whose rows, in order, make the total.
    pub measure: MeasureId,
    /// The window it runs over: it starts at the window's start, where earlier periods left it.
    pub scope: Scope,
    /// The attainment whose quota (at the deal's period) the bands are multiples of, when the
    /// table is keyed on one.
    pub attainment: Option<AttainmentId>,
}

impl Plan {
    /// The running total a table applied to `base` fills deal by deal, when it is one: a marginal
    /// table keyed on a measure in a scope or on an attainment, applied to `credit.amount` (which
    /// the checker allows only in a per-deal earning).
    pub fn running_total(&self, table: RateTableId, base: Option<&Expr>) -> Option<RunningTotal> {
        let table = self.tables.get(table)?;
        if !matches!(table.rows, Rows::Marginal(_)) || base != Some(&Expr::Credit(super::CreditField::Amount)) {
            return None;
        }
        match table.key {
            TableKey::Attainment(a) => {
                let att = self.attainments.get(a)?;
                Some(RunningTotal { measure: att.measure, scope: att.measure_scope, attainment: Some(a) })
            }
            TableKey::Measure { id, scope: Some(scope) } => Some(RunningTotal { measure: id, scope, attainment: None }),
            _ => None,
        }
    }
}

/// What a table is keyed on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TableKey {
    /// An attainment; bounds are fractions.
    Attainment(AttainmentId),
    /// A measure; read in the scope of the base the table is applied to, or in a fixed scope.
    Measure {
        /// The measure.
        id: MeasureId,
        /// A fixed scope, when the key names one.
        scope: Option<Scope>,
    },
    /// One credit row's amount (`on credit.amount`): each deal is tiered on its own amount, so the
    /// table has a value only in a per-deal earning, where one credit row is at hand.
    CreditAmount,
    /// The value a lookup table's rows are keyed on: text, a condition or a number (a column
    /// of the deal, another table's row or the rep).
    Lookup(Expr),
    /// What the per-deal earning that applies the table has paid in a window (`on company ytd`):
    /// the deals are taken in order, each paid the bands its base fills until the earning's
    /// total reaches the next bound; the checker allows it only as that earning's whole amount.
    Earning {
        /// The earning, which is the only one that applies the table.
        id: EarningId,
        /// The window its total runs over.
        scope: Scope,
    },
}

/// The rows of a table, by mode.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rows {
    /// Bands `[from, to)` (or `(from, to]`); the last is open unless the table is closed, and
    /// nothing is paid above a closed top. Each band pays its value on its own slice.
    Marginal(Vec<Band>),
    /// Bands `[from, to)` (or `(from, to]`); the whole base pays the value of the band the key
    /// falls in, and nothing above a closed top.
    Retroactive(Vec<Band>),
    /// Points `(at, value)` in increasing order, interpolated and flat outside.
    Linear(Vec<(Decimal, Decimal)>),
    /// Keys, and the value for other keys.
    Lookup {
        /// Key and value, in declaration order (a row of several keys is one entry for each).
        entries: Vec<(LookupKey, LookupValue)>,
        /// The `otherwise` value.
        otherwise: Option<LookupValue>,
    },
}

/// A lookup row's value and what it is. In a table of one kind every row is of the table's
/// [`ValueKind`]; a lookup of rates and amounts ([`ValueKind::RatesAndAmounts`]) pays, row by row,
/// a rate of the base it is applied to or an amount for the row of data at hand ("15% of the line,
/// 20 USD per line"), so each row carries its own kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LookupValue {
    /// The rate (a fraction), the amount or the number.
    pub value: Decimal,
    /// [`ValueKind::Rate`], [`ValueKind::Money`] or [`ValueKind::Number`]: never the mixed kind.
    pub kind: ValueKind,
}

/// A key of a lookup table's row, of the kind of the table's key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LookupKey {
    /// `"Platform"`.
    Text(String),
    /// `true` or `false`.
    Bool(bool),
    /// `3`, `-1.5`: equal to a number of the same value, however written (`3.0` is `3`).
    Number(Decimal),
}

impl std::fmt::Display for LookupKey {
    /// The key as a plan writes it: text in quotes.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LookupKey::Text(t) => write!(f, "\"{t}\""),
            LookupKey::Bool(b) => write!(f, "{b}"),
            LookupKey::Number(n) => write!(f, "{}", n.normalize()),
        }
    }
}

/// A band of a tier table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Band {
    /// Lower bound: included, unless the table's bands include their upper bound.
    pub from: Decimal,
    /// Upper bound: excluded, unless the table's bands include it; `None` for the open top band.
    pub to: Option<Decimal>,
    /// The rate (a fraction) or amount; 0 when `lookup` gives it.
    pub value: Decimal,
    /// A lookup table of rates keyed on a deal column that gives the band's rate for each deal
    /// (`100% and above : product_rate`): the table is then read only where a deal is at hand.
    pub lookup: Option<RateTableId>,
}

/// Whether a table's values are rates or amounts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueKind {
    /// Fractions, applied to a base with `of`.
    Rate,
    /// Amounts in the plan currency.
    Money,
    /// Plain numbers.
    Number,
    /// Rates on some rows and amounts in the plan currency on others: a lookup keyed on a column of
    /// the row at hand, applied to an amount (`fee of credit.amount`), where a rate row pays its
    /// rate of the base and an amount row pays its amount for that row of data.
    RatesAndAmounts,
}

/// An earning: one payout line per period.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Earning {
    /// The earning's name: the `component` column of `payouts.csv`.
    pub name: String,
    /// The amount.
    pub value: Expr,
    /// Plain, bonus or per deal.
    pub form: EarningForm,
    /// The window the value is computed over; `ytd` and `quarter` earnings are trued up.
    pub scope: Scope,
    /// Caps and floors, in the order written.
    pub limits: Vec<Limit>,
    /// The gate: below it the value is zero.
    pub gate: Option<Expr>,
}

/// The shape of an earning.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EarningForm {
    /// The value in its scope.
    Plain,
    /// Paid in the first pay period of each window in which the condition holds; without a condition,
    /// in the rep's last pay period of each window, on the window's result.
    Once {
        /// The window.
        per: Scope,
        /// The condition.
        when: Option<Expr>,
    },
    /// Paid once for each qualifying credit row.
    PerDeal {
        /// Which credit rows qualify.
        filter: Option<Expr>,
        /// Pay each credited rep their share rather than in full.
        by_share: bool,
        /// What a cancellation takes back of what a deal was paid.
        take_back: TakeBack,
    },
}

/// What a per-deal earning takes back when a deal it paid on is cancelled inside the clawback
/// window.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum TakeBack {
    /// What the deal was paid (the default).
    #[default]
    Paid,
    /// A percentage of what it was paid (`taken back at 50%`), read on the deal's original row.
    Share(Expr),
    /// An amount read on the deal's original row (`taken back at 4% of credit.amount`): what it
    /// would have paid without a minimum, say.
    Amount(Expr),
    /// Nothing (`not taken back`).
    Nothing,
}

/// A cap or a floor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limit {
    /// Cap or floor.
    pub kind: LimitKind,
    /// The bound.
    pub amount: Expr,
    /// The window it applies to.
    pub per: Scope,
}

/// Caps bound from above, floors from below.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LimitKind {
    /// At most.
    Cap,
    /// At least.
    Floor,
}

/// A `test` block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TestCase {
    /// The test's name.
    pub name: String,
    /// The period evaluated (`2026-03`, `2026-Q1`, `2026`).
    pub period: String,
    /// A fixture folder, relative to the plan file.
    pub fixture: Option<String>,
    /// Inline tables: name and CSV lines, header first.
    pub tables: Vec<(String, Vec<String>)>,
    /// The expectations.
    pub expectations: Vec<Expectation>,
}

/// `expect [PERIOD] REP NAME is VALUE`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expectation {
    /// The pay period, when the test covers several.
    pub period: Option<String>,
    /// The rep id.
    pub rep: String,
    /// A payout component or an attainment.
    pub name: String,
    /// The expected amount, or attainment in percent.
    pub value: Decimal,
    /// Which line of the test it is (0-based index among the expectations), for reports.
    pub index: usize,
}
