//! Items: schema tables, the crediting block, territories, plans and everything inside a plan.

use super::{
    Attainment, Comment, Draw, Earn, ErrorNode, Expr, Hold, Ident, Instalments, Literal, Measure, Node, Path, Quota,
    Span, Table, Test, Value,
};
use chrono::NaiveDate;

/// One parsed `.plan` file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct File {
    /// The top-level items in source order.
    pub items: Vec<Node<Item>>,
    /// Comments after the last item.
    pub end_comments: Vec<Comment>,
}

/// A top-level item.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Item {
    /// `schema deals { … }`.
    Schema(Schema),
    /// `credit { … }`.
    Credit(Credit),
    /// `territory emea when …`.
    Territory(Territory),
    /// `plan ae "…" version 3 { … }`.
    Plan(Plan),
    /// Text that is not an item; already reported.
    Error(ErrorNode),
}

/// Where a block's closing brace is, or that it is missing (already reported).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Close {
    /// The `}` was there.
    Brace(Span),
    /// The block ran into the next item or the end of the file.
    Missing(Span),
}

/// `schema NAME { field; … }`: one input table and its typed columns.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Schema {
    /// The table's name, which is also its file name (`deals` → `deals.csv`).
    pub name: Ident,
    /// The columns in order.
    pub fields: Vec<Node<Field>>,
    /// Comments before the closing brace.
    pub end_comments: Vec<Comment>,
    /// The closing brace.
    pub close: Close,
}

/// A schema column, or a broken one.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    /// `name: type flags`.
    Column(Column),
    /// Not a column; already reported.
    Error(ErrorNode),
}

/// `amount: money in currency`, `id: text key`, `manager: ref reps optional`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Column {
    /// The column's name, which is also its CSV header.
    pub name: Ident,
    /// Its type.
    pub ty: ColumnType,
    /// `key` and `optional`, in the order written.
    pub flags: Vec<(ColumnFlag, Span)>,
}

/// A column's type as written.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ColumnType {
    /// `text`, `date`, `decimal`, `integer`, `percent`, `bool`, `year`, `currency` (checked later, so a
    /// misspelling gets a "did you mean").
    Named(Ident),
    /// `money USD`, or plain `money` (in the plan's currency).
    Money {
        /// The currency code, when given.
        currency: Option<Ident>,
        /// The whole type's span.
        span: Span,
    },
    /// `money in currency`: the currency is given row by row by another column.
    MoneyIn {
        /// The column that holds each row's currency.
        column: Ident,
        /// The whole type's span.
        span: Span,
    },
    /// `ref reps`: a key of another table.
    Ref {
        /// The table referred to.
        table: Ident,
        /// The whole type's span.
        span: Span,
    },
}

/// Column flags.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ColumnFlag {
    /// Values are unique and other tables may `ref` them.
    Key,
    /// The value may be empty.
    Optional,
}

/// `credit { … }`: who gets credit for which deal, shared by all plans of the workspace.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Credit {
    /// The `credit` keyword, for "defined here" labels.
    pub keyword: Span,
    /// The rules in order.
    pub rules: Vec<Node<CreditRule>>,
    /// Comments before the closing brace.
    pub end_comments: Vec<Comment>,
    /// The closing brace.
    pub close: Close,
}

/// One crediting rule.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum CreditRule {
    /// `credit deal.amount`: the column credited, in the deals' own currency (no conversion).
    Amount {
        /// The amount column credited.
        amount: Path,
    },
    /// `convert deal.amount to USD using fx on deal.closed`.
    Convert {
        /// The amount column converted.
        amount: Path,
        /// The currency credit is kept in.
        currency: Ident,
        /// The table of rates.
        table: Ident,
        /// The date whose rate applies.
        date: Path,
    },
    /// `deal to deal.owner on deal.closed`.
    Owner {
        /// The row name of the credited table (`deal`).
        row: Ident,
        /// The column naming the rep credited.
        owner: Path,
        /// The column dating the credit.
        date: Path,
    },
    /// `deal by splits [overlay | up to 200%]`.
    Splits {
        /// The row name of the credited table.
        row: Ident,
        /// The table of shares.
        table: Ident,
        /// `overlay`: shares may sum above 100% and do not reduce the owner's credit.
        overlay: Option<Span>,
        /// `up to 200%`: shares replace the owner's credit and sum to at least 100% and at most
        /// this (two agents each credited in full).
        up_to: Option<Value>,
    },
    /// `deal by territory rep.territory`.
    Territory {
        /// The row name of the credited table.
        row: Ident,
        /// The rep column that names each rep's territory.
        assignment: Path,
    },
    /// `rollup to rep.manager`.
    Rollup {
        /// The rep column naming each rep's manager.
        manager: Path,
    },
    /// `clawback [50%] when deal.cancelled [within 90 days of deal.closed]`.
    Clawback {
        /// The part of each credit a cancellation reverses (`50%`); all of it when absent.
        part: Option<Value>,
        /// The cancellation date column.
        cancelled: Path,
        /// The window the cancellation must fall in; without one, any cancellation reverses.
        window: Option<ClawbackWindow>,
    },
    /// `employed from rep.hired to rep.terminated`.
    Employed {
        /// The hire date column.
        from: Path,
        /// The termination date column (optional in the data).
        to: Path,
    },
    /// Not a rule; already reported.
    Error(ErrorNode),
}

/// `within 90 days of deal.closed`: the window of a clawback.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ClawbackWindow {
    /// The window in days (day N included).
    pub days: (u32, Span),
    /// The date the window counts from.
    pub from: Path,
}

/// `territory NAME when CONDITION`: a named predicate over deal columns.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Territory {
    /// The territory's name, as reps' assignment column spells it.
    pub name: Ident,
    /// Which deals belong to it.
    pub condition: Expr,
}

/// `plan NAME "TITLE" version N { … }`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Plan {
    /// The `plan` keyword.
    pub keyword: Span,
    /// The plan's name (missing only in a broken plan, already reported).
    pub name: Option<Ident>,
    /// The title shown on statements.
    pub title: Option<(String, Span)>,
    /// The version number and its span.
    pub version: Option<(u32, Span)>,
    /// The header line, from `plan` to `{`.
    pub header: Span,
    /// The entries in order.
    pub entries: Vec<Node<Entry>>,
    /// Comments before the closing brace.
    pub end_comments: Vec<Comment>,
    /// The closing brace.
    pub close: Close,
}

/// One entry of a plan.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Entry {
    /// `effective 2026-01-01 to 2026-12-31`.
    Effective {
        /// First day in effect.
        from: DateLit,
        /// Last day in effect.
        to: DateLit,
    },
    /// `currency USD`.
    Currency(Ident),
    /// `pay monthly`, `pay semi-monthly`, or `pay biweekly from 2026-01-02`.
    Pay {
        /// The frequency (`semi-monthly` is one word).
        word: Ident,
        /// The first day of a pay period, for a biweekly plan.
        from: Option<DateLit>,
    },
    /// `fiscal year starts February`.
    FiscalYear(Ident),
    /// `rounding half to even, to cents`: the words, interpreted by the checker.
    Rounding {
        /// The mode words.
        mode: Words,
        /// The precision words, when given.
        precision: Option<Words>,
    },
    /// `eligible when rep.role is "AE"`.
    Eligible(Expr),
    /// `quota NAME = …`.
    Quota(Quota),
    /// `measure NAME = …`.
    Measure(Measure),
    /// `attainment NAME = …`.
    Attainment(Attainment),
    /// `table NAME MODE on KEY { … }`.
    Table(Table),
    /// `earn NAME = …`.
    Earn(Earn),
    /// `draw …`.
    Draw(Draw),
    /// `hold …`.
    Hold(Hold),
    /// `pay commission in 3 instalments`.
    Instalments(Instalments),
    /// `write off balance at year end`.
    WriteOff,
    /// `pay negative totals`: a negative total is paid (a deduction), not deferred.
    PayNegativeTotals,
    /// `recover at most 50% of earnings [per period]`.
    Recover {
        /// The largest share of a period's earnings recovered.
        percent: Literal,
        /// Its span.
        span: Span,
    },
    /// `test "…" { … }`.
    Test(Test),
    /// Not an entry; already reported.
    Error(ErrorNode),
}

impl Entry {
    /// The name an entry defines, for name resolution, outlines and hovers.
    pub fn defined_name(&self) -> Option<&Ident> {
        match self {
            Entry::Quota(q) => Some(&q.name),
            Entry::Measure(m) => Some(&m.name),
            Entry::Attainment(a) => Some(&a.name),
            Entry::Table(t) => Some(&t.name),
            Entry::Earn(e) => Some(&e.name),
            Entry::Error(e) => e.defines.as_ref(),
            _ => None,
        }
    }
}

/// A date literal with its span.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DateLit {
    /// The date (`None` when it was not a real date; already reported).
    pub date: Option<NaiveDate>,
    /// Where it is.
    pub span: Span,
}

/// A run of words such as `half to even`, kept as written so that the checker can name the options.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Words {
    /// The words.
    pub words: Vec<Ident>,
    /// Their span.
    pub span: Span,
}

impl Words {
    /// The words joined by single spaces.
    pub fn text(&self) -> String {
        self.words.iter().map(|w| w.text.as_str()).collect::<Vec<_>>().join(" ")
    }
}
