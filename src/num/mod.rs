//! Numbers: the exact rational type the runtime computes with (so that a quota ÷ 12 is never
//! rounded before the payout line), the rounding a plan names, and how numbers read for people.
//!
//! This module sits below every other: the data loader, the checker, the runtime and the reports
//! all use it, and it uses none of them.

// Amounts and rates are added, multiplied and divided only with checked operations here: an
// overflow is a located error, never a panic (integers are exempt, see `clippy.toml`).
#![deny(clippy::arithmetic_side_effects)]

mod exact;
mod rounding;
mod show;

pub use exact::{exact_mul, Overflow, Ratio};
pub use rounding::{Rounding, RoundingMode};
pub use show::{grouped, show_money, show_percent, show_ratio};
