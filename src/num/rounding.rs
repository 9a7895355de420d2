//! How payout lines are rounded: the strategy a plan names (never `round_dp`'s implicit banker's
//! rounding) and the number of decimals.

use rust_decimal::{Decimal, RoundingStrategy};

/// How payout lines are rounded: a named strategy and a number of decimals.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rounding {
    /// The strategy, named as the plan names it.
    pub mode: RoundingMode,
    /// Decimal places (2 for cents).
    pub decimals: u32,
}

/// Rounding modes a plan can name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RoundingMode {
    /// `half to even` (banker's rounding), the default.
    HalfEven,
    /// `half up` / `half away from zero`.
    HalfAwayFromZero,
    /// `half down` / `half toward zero`.
    HalfTowardZero,
    /// `down` / `toward zero` (truncation).
    TowardZero,
    /// `up` / `away from zero`.
    AwayFromZero,
}

impl Rounding {
    /// Rounds an exact amount to a payout line.
    pub fn apply(self, value: Decimal) -> Decimal {
        let strategy = match self.mode {
            RoundingMode::HalfEven => RoundingStrategy::MidpointNearestEven,
            RoundingMode::HalfAwayFromZero => RoundingStrategy::MidpointAwayFromZero,
            RoundingMode::HalfTowardZero => RoundingStrategy::MidpointTowardZero,
            RoundingMode::TowardZero => RoundingStrategy::ToZero,
            RoundingMode::AwayFromZero => RoundingStrategy::AwayFromZero,
        };
        let mut rounded = value.round_dp_with_strategy(self.decimals, strategy);
        rounded.rescale(self.decimals);
        rounded
    }
}
