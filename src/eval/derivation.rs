//! What the runtime shows of itself to `explain`: the snapshot of one evaluated pay period and the
//! parts of the evaluation a derivation reads again (credit rows, lines with their limits, holds,
//! the expression evaluator), so that every number in an explanation comes from the code that
//! computed the payout.
//!
//! This is the runtime's only window besides [`super::run`] and [`super::trace`]: the modules behind
//! it stay private, and what `explain` may depend on is listed here.

pub use super::allocate::largest_remainder;
pub use super::component::Component;
pub use super::credit::{original_of, reversal_day, reversed_part, CreditRow, Kind};
pub use super::earn::{limit_bit, rank, Line};
pub use super::error::Fault;
pub use super::history::{Seen, Snapshot};
pub use super::hold::{Due, Held, Moves, Retention};
pub use super::interp::{eval, num, truth, Context, Row, Val};
pub use super::period::{month_name, Month};
pub use super::rates::{work as table_work, Work};
pub use super::rep_plan::{Counted, EarnedLine, EarnedLines, RepPlan};
pub use super::team::TeamPart;
