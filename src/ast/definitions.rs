//! The definitions inside a plan: quotas, measures, attainments, tables, earnings, draws, holds and
//! tests.

use super::{Close, Comment, Continued, DateLit, ErrorNode, Expr, Ident, Literal, Node, Path, Scope, Span, Words};

/// `quota NAME = VALUE [split …] [, prorated by … employed] [, rounded MODE [to PRECISION]]`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Quota {
    /// The quota's name.
    pub name: Ident,
    /// The annual amount: a data column (`quotas.amount`) or an expression.
    pub value: Expr,
    /// How the year is split into periods (default: evenly by month).
    pub split: Option<QuotaSplit>,
    /// How partial employment reduces it (default: not at all): the unit word of `prorated by UNIT
    /// employed`, with the comments of the line break when the clause was continued after a comma.
    pub prorate: Option<Continued<Ident>>,
    /// How the figures of the split are rounded as the comp team publishes them (`rounded half up
    /// to whole units`): the words after `rounded`, with the comments of the line break.
    pub rounded: Option<Continued<Words>>,
}

/// How a quota is split over the plan year.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum QuotaSplit {
    /// `split evenly by month|quarter`.
    Evenly {
        /// `month` or `quarter`.
        unit: Ident,
    },
    /// `split by quarter weights (20%, 25%, 25%, 30%)`.
    Weights {
        /// `month` or `quarter`.
        unit: Ident,
        /// One weight per unit of the year, each with the comments before it when the list was
        /// continued on the next line.
        weights: Vec<Continued<Expr>>,
        /// The span of the whole clause.
        span: Span,
    },
}

/// `measure NAME = sum of … | count of …`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Measure {
    /// The measure's name.
    pub name: Ident,
    /// What is summed or counted.
    pub aggregate: Aggregate,
    /// `by meeting.sdr`: the rep column, for tables other than credit.
    pub by: Option<Path>,
    /// `on meeting.held`: the date column, for tables other than credit; also the first column of
    /// `active from sub.started to sub.cancelled`.
    pub on: Option<Path>,
    /// The last column of `active from sub.started to sub.cancelled`: the row counts in every
    /// month from the one of `on` to the one of this date (all of them from then on while it is
    /// empty).
    pub until: Option<Path>,
    /// `where …`: which rows count.
    pub filter: Option<Expr>,
    /// `, each deal.product floored at 0 USD`: the sum taken per value of a column, each limited.
    pub each: Option<Box<Each>>,
}

/// `each PATH floored at X capped at Y`: a measure summed per value of a column, each sum held
/// between its limits, the results added.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Each {
    /// The column whose values group the rows.
    pub group: Path,
    /// Where the column is written.
    pub group_span: Span,
    /// The least each group's sum counts for.
    pub floor: Option<Expr>,
    /// The most each group's sum counts for.
    pub cap: Option<Expr>,
}

/// The aggregate of a measure.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Aggregate {
    /// `sum of EXPR`, evaluated for each row.
    Sum(Expr),
    /// `count of TABLE` (`credit`, or a schema table).
    Count(Ident),
}

/// `attainment NAME = MEASURE SCOPE / QUOTA SCOPE`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Attainment {
    /// The attainment's name.
    pub name: Ident,
    /// The ratio as written; the checker requires a measure over a quota.
    pub value: Expr,
}

/// `table NAME MODE on KEY [decelerating] [closed] [multiplier] [including upper bounds] { rows }`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Table {
    /// The table's name.
    pub name: Ident,
    /// `marginal`, `retroactive`, `linear` or `lookup`.
    pub mode: (TableMode, Span),
    /// What the rows are keyed on: an attainment, an amount, or a text column.
    pub key: Expr,
    /// `decelerating`: the rates are meant to go down.
    pub decelerating: Option<Span>,
    /// `closed`: a lookup lists every key its data can hold, and needs no `otherwise`; a band
    /// table's last band ends where it is written, and nothing is paid above it.
    pub closed: Option<Span>,
    /// `multiplier`: the rates are multipliers (120%, 150% of a target), so a rate above 100% is
    /// meant.
    pub multiplier: Option<Span>,
    /// `including upper bounds`: every band is `(A, B]` (the first `[0, B]`), as "1–100, 101–300"
    /// or "above 100%" say, instead of `[A, B)`.
    pub upper_included: Option<Span>,
    /// The rows in order.
    pub rows: Vec<Node<Row>>,
    /// Comments before the closing brace.
    pub end_comments: Vec<Comment>,
    /// The closing brace.
    pub close: Close,
}

/// How a table turns its key into a payout.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TableMode {
    /// Each band pays its rate on its own slice, like tax brackets.
    Marginal,
    /// The whole base pays the rate of the band the key reached.
    Retroactive,
    /// The value is interpolated between points and flat outside them.
    Linear,
    /// The value is looked up by a text key.
    Lookup,
}

impl TableMode {
    /// The keyword that spells the mode.
    pub fn keyword(self) -> &'static str {
        match self {
            TableMode::Marginal => "marginal",
            TableMode::Retroactive => "retroactive",
            TableMode::Linear => "linear",
            TableMode::Lookup => "lookup",
        }
    }
}

/// One row of a table.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Row {
    /// `from A to B : V`, the band `[A, B)` (`(A, B]` in a table `including upper bounds`).
    Band {
        /// Lower bound.
        from: Value,
        /// Upper bound.
        to: Value,
        /// The rate or amount.
        value: Value,
    },
    /// `A and above : V`, the open top band `[A, ∞)`; or `above A : V`, the open top band
    /// `(A, ∞)` of a table whose bands include their upper bound.
    Open {
        /// Lower bound, included unless `above`.
        from: Value,
        /// The rate or amount.
        value: Value,
        /// Written `above A`: the bound is excluded.
        above: bool,
    },
    /// `at A : V`, a point of a linear table.
    Point {
        /// Where.
        at: Value,
        /// The value there.
        value: Value,
    },
    /// `"Platform" : 8%`, `"A", "B" : 80%`, `true : 10%`, `3 : 5%`: a lookup row, for one key
    /// or several.
    Key {
        /// The keys (text, `true`/`false` or numbers), in order, at least one.
        keys: Vec<Value>,
        /// The value.
        value: Value,
    },
    /// `otherwise : 3%`, the lookup fallback.
    Otherwise {
        /// The value.
        value: Value,
    },
    /// Not a row; already reported.
    Error(ErrorNode),
}

/// A literal in a table, a hold or a test expectation, with its sign folded in.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Value {
    /// The literal, negated when written with a minus.
    pub literal: Literal,
    /// Where it is, minus sign included.
    pub span: Span,
}

/// `earn NAME = VALUE [form] [, modifier]*`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Earn {
    /// The earning's name: the `component` column of `payouts.csv`.
    pub name: Ident,
    /// The amount.
    pub value: Expr,
    /// Plain, bonus (`once per …`) or per deal.
    pub form: EarnForm,
    /// Caps, floors, gates and `by share`, in the order written, each with the comments of the
    /// line break before it.
    pub modifiers: Vec<Continued<Modifier>>,
}

/// The shape of an earning.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum EarnForm {
    /// A commission or override: the value in its own scope.
    Plain,
    /// `once per quarter [when …]`: a bonus.
    Once {
        /// How often at most.
        scope: Scope,
        /// Its span.
        scope_span: Span,
        /// When it is paid.
        when: Option<Expr>,
    },
    /// `per deal [where …]`: a SPIFF, once per qualifying credit row.
    PerDeal {
        /// Which deals qualify.
        filter: Option<Expr>,
        /// The span of `per deal`.
        span: Span,
    },
}

/// The window a cap or floor applies to, as written: a scope, or `month` (which is the pay period of
/// a plan paying monthly; the checker decides).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LimitWindow {
    /// `per period`, `per quarter`, `per ytd`, `per year`.
    Scope(Scope),
    /// `per month`.
    Month,
}

impl LimitWindow {
    /// The word as written after `per`.
    pub fn keyword(self) -> &'static str {
        match self {
            LimitWindow::Scope(scope) => scope.keyword(),
            LimitWindow::Month => "month",
        }
    }
}

/// Modifiers of an earning.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Modifier {
    /// `capped at X [per SCOPE]`.
    Cap {
        /// The most paid.
        limit: Expr,
        /// The scope the cap applies to (default: the earning's own).
        per: Option<(LimitWindow, Span)>,
        /// The whole modifier.
        span: Span,
    },
    /// `floored at X [per SCOPE]`.
    Floor {
        /// The least paid.
        limit: Expr,
        /// The scope the floor applies to.
        per: Option<(LimitWindow, Span)>,
        /// The whole modifier.
        span: Span,
    },
    /// `only when CONDITION`: a gate.
    Gate {
        /// The condition.
        condition: Expr,
        /// The whole modifier.
        span: Span,
    },
    /// `by share`: a per-deal earning pays each split rep their share.
    ByShare(Span),
    /// `taken back at X` (`None`: `not taken back`): what a per-deal earning takes back when a
    /// deal it paid on is cancelled.
    TakeBack {
        /// A percentage of what was paid, or an amount read on the deal's row.
        at: Option<Expr>,
        /// The whole modifier.
        span: Span,
    },
}

/// `draw KIND AMOUNT per month (for N months from DATE | from DATE to DATE) [, option]*`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Draw {
    /// The draw's name (`draw ramp = …`), which names its payout line; a plan's only draw may go
    /// without one (its line is `draw`).
    pub name: Option<Ident>,
    /// Whether the top-up is recovered later.
    pub recoverable: bool,
    /// `advance` (paid in full on top of the earnings) or `guarantee` (a top-up to the amount, the
    /// default), with the word's span when written.
    pub form: Option<(bool, Span)>,
    /// The guaranteed amount per period.
    pub amount: Expr,
    /// The period word (`month`).
    pub per: Ident,
    /// When the draw applies.
    pub when: DrawWhen,
    /// What happens to a balance at the end or on termination, each option with the comments of
    /// the line break before it.
    pub options: Vec<Continued<DrawOption>>,
}

/// When a draw applies.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum DrawWhen {
    /// `for 3 months from rep.hired`.
    Months {
        /// How many months.
        count: (u32, Span),
        /// The unit word (`months`).
        unit: Ident,
        /// The column the months count from (month 1 is its month).
        from: Path,
    },
    /// `from 2026-01-01 to 2026-06-30`.
    Dates {
        /// First day.
        from: DateLit,
        /// Last day.
        to: DateLit,
    },
}

/// `forgiven at end`, `owed on termination`…
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DrawOption {
    /// `recovered from month N`: the month (counted like the draw's) its balance starts being
    /// recovered in; the two flags below are then false.
    pub recovered_from: Option<(u32, Span)>,
    /// True for `forgiven`, false for `owed`.
    pub forgiven: bool,
    /// True for `on termination`, false for `at end`.
    pub on_termination: bool,
    /// The option's span.
    pub span: Span,
}

/// `hold 50% of commission until deal.paid | for 2 periods | ytd after Q1, …`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Hold {
    /// The share held (for a retention schedule, the first quarter's share).
    pub percent: Value,
    /// The share as an exact fraction (`hold 1/3 of …`), written instead of a percentage, with its
    /// span; `percent` is then invalid.
    pub fraction: Option<((u32, u32), Span)>,
    /// The earning held.
    pub earning: Ident,
    /// When it is released.
    pub release: HoldRelease,
}

/// When held money is released.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum HoldRelease {
    /// `until deal.paid`.
    Until(Path),
    /// `for 2 periods`.
    For {
        /// How many.
        count: (u32, Span),
        /// The unit word.
        unit: Ident,
    },
    /// `ytd after Q1, 30% after Q2, …`: a share of the earning's year to date kept back, changing by
    /// quarter. The first quarter word goes with the hold's own share; each later pair is written.
    Ytd {
        /// The quarter the hold's own share applies after.
        first: Ident,
        /// Each later share and its quarter.
        rest: Vec<(Value, Ident)>,
    },
}

/// `pay commission in 3 instalments`: an earning's line paid in equal parts over pay periods.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Instalments {
    /// The earning paid in parts.
    pub earning: Ident,
    /// How many parts.
    pub count: (u32, Span),
    /// The word after the count (`instalments`, or `installments`).
    pub unit: Ident,
}

/// `test "NAME" { … }`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Test {
    /// The test's name.
    pub name: (String, Span),
    /// Its statements.
    pub stmts: Vec<Node<TestStmt>>,
    /// Comments before the closing brace.
    pub end_comments: Vec<Comment>,
    /// The closing brace.
    pub close: Close,
}

/// A statement of a test block.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum TestStmt {
    /// `period 2026-03`.
    Period(PeriodLit),
    /// `data from "fixtures/alice"`.
    Fixture((String, Span)),
    /// `data reps { csv lines }`.
    Table {
        /// The table's name.
        table: Ident,
        /// The CSV lines, header first, each with its span.
        lines: Vec<(String, Span)>,
    },
    /// `expect [PERIOD] REP NAME is VALUE`.
    Expect {
        /// The pay period, when the test covers several.
        period: Option<PeriodLit>,
        /// The rep's id.
        rep: (String, Span),
        /// A component (`commission`, `total`) or an attainment name.
        name: Ident,
        /// The expected value.
        value: Value,
    },
    /// Not a statement; already reported.
    Error(ErrorNode),
}

/// `2026-03`, `2026-Q1`, `2026` as written.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PeriodLit {
    /// The text.
    pub text: String,
    /// Where.
    pub span: Span,
}
