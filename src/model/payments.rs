//! How a plan pays besides its earnings' lines: draws that pay earlier, holds, instalments and
//! retention that pay later, and the rules for a balance owed.

use super::{ColumnId, EarningId, Expr};
use crate::num::Ratio;
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// A draw: a guaranteed minimum payment, or an advance, in some months.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Draw {
    /// The draw's name, which names its payout line and what the rep owes for it; `None` for a
    /// plan's only, unnamed draw (its line is `draw`).
    pub name: Option<String>,
    /// Whether its lines become a balance recovered later.
    pub recoverable: bool,
    /// An advance pays its whole amount on top of the earnings; a guarantee (the default) tops
    /// what the period pays up to it.
    pub advance: bool,
    /// The amount per month.
    pub amount: Expr,
    /// When it applies.
    pub window: DrawWindow,
    /// Whether a balance left at the end of the draw period is forgiven.
    pub forgiven_at_end: bool,
    /// Whether a balance left on termination is forgiven.
    pub forgiven_on_termination: bool,
    /// The month, counted like the draw's own (its first is 1), from which its balance is
    /// recovered: 1 unless the plan says `recovered from month N`.
    pub recovered_from: u32,
}

/// When a draw applies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DrawWindow {
    /// N months counted from the month of a rep date column (month 1).
    Months {
        /// How many.
        count: u32,
        /// The rep date column.
        from: ColumnId,
    },
    /// Pay periods that overlap a date range.
    Dates(NaiveDate, NaiveDate),
}

/// A hold on part of an earning, or its line paid in instalments: money earned now and paid later.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hold {
    /// The earning held.
    pub earning: EarningId,
    /// The share of each line held, exact (`1/3` is a third, not 0.3333): for instalments, every
    /// part but the first; for a retention schedule, its first quarter's share.
    pub share: Ratio,
    /// When it is released.
    pub release: HoldRelease,
}

/// When held money is released.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HoldRelease {
    /// When the deal's date column is set (the invoice is paid).
    Paid(ColumnId),
    /// After N pay periods.
    Periods(u32),
    /// In N equal parts, one in each pay period from the one earned (`pay commission in 3
    /// instalments`): the first now, the last taking the rounding remainder.
    Instalments(u32),
    /// A share of the earning's year to date kept back while the plan year goes on, by the quarter
    /// of the plan year a pay period ends in (index 0 is Q1); released as the share falls, and
    /// wholly by the last quarter (whose share is always zero).
    Ytd([Ratio; 4]),
}

/// Balance policies.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BalancePolicy {
    /// Write the balance off at the end of each plan year.
    pub write_off_at_year_end: bool,
    /// Recover at most this fraction of a period's earnings.
    pub recover_at_most: Option<Decimal>,
    /// Pay a negative total as it is (a deduction from other pay, as credit-note plans do)
    /// instead of deferring it into a balance owed.
    pub pay_negative_totals: bool,
}
