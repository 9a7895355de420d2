//! Checked expressions: names resolved to indices, percentages as fractions, no spans.

use super::{AttainmentId, ColumnId, EarningId, MeasureId, QuotaId, RateTableId};
use chrono::NaiveDate;
use rust_decimal::Decimal;

pub use crate::ast::{BinaryOp, CompareOp, Reach, Scope};

/// A constant.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Const {
    /// An amount in the plan currency (the checker refused other currencies).
    Money(Decimal),
    /// A percentage as a fraction: `12.5%` is `0.125`.
    Percent(Decimal),
    /// A plain number.
    Number(Decimal),
    /// A day.
    Date(NaiveDate),
    /// Text.
    Text(String),
    /// A truth value.
    Bool(bool),
}

/// The fields every credit row has, besides the deal's columns.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CreditField {
    /// The credited amount in the plan currency (negative for a reversal).
    Amount,
    /// `direct`, `split`, `territory` or `rollup`.
    Kind,
    /// The day the credit is dated (close date, or cancellation date for a reversal).
    Date,
    /// True for the reversal of a cancelled deal.
    Reversal,
    /// The rep's share of the deal (100% for direct credit).
    Share,
}

impl CreditField {
    /// Every field with its name, for name resolution and completion.
    pub const ALL: [(&'static str, CreditField); 5] = [
        ("amount", CreditField::Amount),
        ("kind", CreditField::Kind),
        ("date", CreditField::Date),
        ("reversal", CreditField::Reversal),
        ("share", CreditField::Share),
    ];
}

/// The kinds of credit, as `credit.kind` spells them.
pub const CREDIT_KINDS: [&str; 4] = ["direct", "split", "territory", "rollup"];

/// A checked expression.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Expr {
    /// A constant.
    Const(Const),
    /// A column of the evaluated rep's row.
    Rep(ColumnId),
    /// A column of the current row (the credited deal, or a row of a measured table).
    Row(ColumnId),
    /// A field of the current credit row.
    Credit(CreditField),
    /// A measure read in a scope.
    Measure {
        /// The measure.
        id: MeasureId,
        /// The window.
        scope: Scope,
    },
    /// A quota read in a scope.
    Quota {
        /// The quota.
        id: QuotaId,
        /// The window.
        scope: Scope,
    },
    /// An attainment (in its own scope).
    Attainment(AttainmentId),
    /// Another earning of the same rep and plan, read in a scope: the sum of its exact lines
    /// (before rounding, after its own limits and gate, holds not deducted) in the pay periods of
    /// that window through the current one.
    Earning {
        /// The earning read.
        id: EarningId,
        /// The window.
        scope: Scope,
    },
    /// An earning of the reps below the evaluated rep (`commission period of every rep below`), read
    /// in a scope: the sum, over those reps and each of their plans that has an earning of that name
    /// (`plan`, when named with its plan, is the only one read), of its lines in the window, as
    /// [`Expr::Earning`] reads one rep's.
    TeamEarning {
        /// The plan named with the earning, if any.
        plan: Option<String>,
        /// The earning's name.
        earning: String,
        /// Which reps below.
        reach: Reach,
        /// The window.
        scope: Scope,
    },
    /// A table: its value at its key, or (with a base) applied to the base.
    Table {
        /// The rate table.
        id: RateTableId,
        /// `T of base`.
        base: Option<Box<Expr>>,
    },
    /// The months from a date's month to the pay period's last month, the date's month counted
    /// as month 1 (`months since rep.hired`).
    MonthsSince(Box<Expr>),
    /// `-x`.
    Neg(Box<Expr>),
    /// `not x`.
    Not(Box<Expr>),
    /// Arithmetic and logic.
    Binary {
        /// The operator.
        op: BinaryOp,
        /// Left operand.
        lhs: Box<Expr>,
        /// Right operand.
        rhs: Box<Expr>,
    },
    /// A comparison.
    Compare {
        /// The comparison.
        op: CompareOp,
        /// Left operand.
        lhs: Box<Expr>,
        /// Right operand.
        rhs: Box<Expr>,
    },
    /// Whether a cell of the rep's row (`Rep`) or the current row (`Row`) is blank; `negated` for
    /// `is not empty`.
    IsEmpty {
        /// The column read: an `Expr::Rep` or an `Expr::Row`.
        value: Box<Expr>,
        /// `is not empty`.
        negated: bool,
    },
    /// `value from a to b`, both ends included.
    Range {
        /// The value tested.
        value: Box<Expr>,
        /// Lowest value included.
        from: Box<Expr>,
        /// Highest value included.
        to: Box<Expr>,
    },
    /// `min(…)`.
    Min(Vec<Expr>),
    /// `max(…)`.
    Max(Vec<Expr>),
    /// `a if c, else b if d, else e`: the value of the first arm whose condition holds, else
    /// `otherwise`. Only the conditions up to the one that holds, and the value it chooses, are
    /// evaluated: a value not chosen may divide by zero.
    Choice {
        /// Each condition with the value it chooses, in order (at least one).
        arms: Vec<(Expr, Expr)>,
        /// The value when no condition holds.
        otherwise: Box<Expr>,
    },
}

impl Expr {
    /// Calls `visit` on this expression and every sub-expression, parents first.
    pub fn walk(&self, visit: &mut impl FnMut(&Expr)) {
        self.walk_pruned(&mut |e| {
            visit(e);
            true
        });
    }

    /// Calls `visit` on this expression and its sub-expressions, parents first, not going below a
    /// node for which `visit` returns false (a choice whose chosen value the caller reads itself).
    pub fn walk_pruned<'e>(&'e self, visit: &mut impl FnMut(&'e Expr) -> bool) {
        if !visit(self) {
            return;
        }
        match self {
            Expr::Table { base: Some(base), .. }
            | Expr::Neg(base)
            | Expr::Not(base)
            | Expr::MonthsSince(base)
            | Expr::IsEmpty { value: base, .. } => base.walk_pruned(visit),
            Expr::Binary { lhs, rhs, .. } | Expr::Compare { lhs, rhs, .. } => {
                lhs.walk_pruned(visit);
                rhs.walk_pruned(visit);
            }
            Expr::Range { value, from, to } => {
                value.walk_pruned(visit);
                from.walk_pruned(visit);
                to.walk_pruned(visit);
            }
            Expr::Min(args) | Expr::Max(args) => args.iter().for_each(|a| a.walk_pruned(visit)),
            Expr::Choice { arms, otherwise } => {
                for (condition, value) in arms {
                    condition.walk_pruned(visit);
                    value.walk_pruned(visit);
                }
                otherwise.walk_pruned(visit);
            }
            _ => {}
        }
    }
}
