//! Exact rational arithmetic, so that nothing is rounded before the payout line.
//!
//! A quota split by twelve, a proration by days and an interpolation all produce fractions that do
//! not terminate in decimal. [`Ratio`] keeps them exact (an `i128` numerator over a positive
//! denominator, always reduced); every operation is checked and reports overflow instead of
//! wrapping or rounding. Only [`Ratio::round`] leaves exact arithmetic, with a named strategy.

use crate::num::{Rounding, RoundingMode};
use rust_decimal::Decimal;
use std::cmp::Ordering;

/// An exact fraction `num / den`, `den > 0`, in lowest terms.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Ratio {
    num: i128,
    den: i128,
}

/// An arithmetic result too large for exact evaluation (about 1.7 × 10^38 in lowest terms).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Overflow;

/// Greatest common divisor by Stein's binary algorithm: shifts and subtractions only, no 128-bit
/// division (which is slow in software). Values that fit in 64 bits (nearly all of them: amounts in
/// cents, quotas, rates with a few decimals) take the 64-bit loop, which is several times faster.
fn gcd(a: i128, b: i128) -> i128 {
    let (a, b) = (a.unsigned_abs(), b.unsigned_abs());
    if (a | b) >> 64 == 0 {
        return i128::from(binary_gcd(a as u64, b as u64));
    }
    binary_gcd(a, b) as i128
}

/// Stein's algorithm for any unsigned width.
fn binary_gcd<T>(mut a: T, mut b: T) -> T
where
    T: Copy
        + Ord
        + std::ops::ShrAssign<u32>
        + std::ops::Shl<u32, Output = T>
        + std::ops::SubAssign
        + std::ops::BitOr<Output = T>
        + Zeros,
{
    if a.is_zero() {
        return b;
    }
    if b.is_zero() {
        return a;
    }
    let shift = (a | b).zeros();
    a >>= a.zeros();
    loop {
        b >>= b.zeros();
        if a > b {
            std::mem::swap(&mut a, &mut b);
        }
        // `a <= b` after the swap: the difference cannot overflow (`T` is an unsigned integer).
        #[allow(clippy::arithmetic_side_effects)]
        {
            b -= a;
        }
        if b.is_zero() {
            return a << shift;
        }
    }
}

/// The two questions the binary GCD asks of an unsigned integer.
// Both integer types are `Copy`: taking `self` by value is the natural signature.
#[allow(clippy::wrong_self_convention)]
trait Zeros {
    fn zeros(self) -> u32;
    fn is_zero(self) -> bool;
}

impl Zeros for u64 {
    fn zeros(self) -> u32 {
        self.trailing_zeros()
    }
    fn is_zero(self) -> bool {
        self == 0
    }
}

impl Zeros for u128 {
    fn zeros(self) -> u32 {
        self.trailing_zeros()
    }
    fn is_zero(self) -> bool {
        self == 0
    }
}

/// `a / g` for a divisor `g > 0` of `a`, in 64 bits when both fit (128-bit division is a library
/// call, 64-bit division one instruction).
fn div_exact(a: i128, g: i128) -> i128 {
    match (i64::try_from(a), i64::try_from(g)) {
        (Ok(a), Ok(g)) => i128::from(a / g),
        _ => a / g,
    }
}

impl Ratio {
    /// Zero.
    pub const ZERO: Ratio = Ratio { num: 0, den: 1 };
    /// One.
    pub const ONE: Ratio = Ratio { num: 1, den: 1 };

    /// `num / den`, reduced; `None` when `den` is zero or a value overflows.
    pub fn new(num: i128, den: i128) -> Option<Ratio> {
        if den == 1 {
            return Some(Ratio { num, den });
        }
        if den == 0 {
            return None;
        }
        if num == 0 {
            return Some(Ratio::ZERO);
        }
        let g = gcd(num, den).max(1);
        let (mut num, mut den) = (div_exact(num, g), div_exact(den, g));
        if den < 0 {
            num = num.checked_neg()?;
            den = den.checked_neg()?;
        }
        Some(Ratio { num, den })
    }

    /// A whole number.
    pub fn int(n: i64) -> Ratio {
        Ratio { num: n as i128, den: 1 }
    }

    /// The exact value of a decimal.
    pub fn from_decimal(d: Decimal) -> Ratio {
        if d.scale() == 0 {
            return Ratio { num: d.mantissa(), den: 1 };
        }
        let den = 10i128.pow(d.scale());
        Ratio::new(d.mantissa(), den).unwrap_or(Ratio::ZERO)
    }

    /// The numerator, in lowest terms.
    pub fn numer(self) -> i128 {
        self.num
    }

    /// The denominator, in lowest terms (always positive).
    pub fn denom(self) -> i128 {
        self.den
    }

    /// True for zero.
    pub fn is_zero(self) -> bool {
        self.num == 0
    }

    /// True below zero.
    pub fn is_negative(self) -> bool {
        self.num < 0
    }

    /// `self + other`.
    pub fn checked_add(self, other: Ratio) -> Result<Ratio, Overflow> {
        if self.num == 0 {
            return Ok(other);
        }
        if other.num == 0 {
            return Ok(self);
        }
        if self.den == 1 && other.den == 1 {
            return Ok(Ratio { num: self.num.checked_add(other.num).ok_or(Overflow)?, den: 1 });
        }
        if self.den == other.den {
            return Ratio::new(self.num.checked_add(other.num).ok_or(Overflow)?, self.den).ok_or(Overflow);
        }
        let g = gcd(self.den, other.den);
        let (a, b) = (div_exact(self.den, g), div_exact(other.den, g));
        let num = self
            .num
            .checked_mul(b)
            .and_then(|x| other.num.checked_mul(a).and_then(|y| x.checked_add(y)))
            .ok_or(Overflow)?;
        let den = self.den.checked_mul(b).ok_or(Overflow)?;
        Ratio::new(num, den).ok_or(Overflow)
    }

    /// `self - other`.
    pub fn checked_sub(self, other: Ratio) -> Result<Ratio, Overflow> {
        self.checked_add(other.checked_neg()?)
    }

    /// `-self`.
    pub fn checked_neg(self) -> Result<Ratio, Overflow> {
        Ok(Ratio { num: self.num.checked_neg().ok_or(Overflow)?, den: self.den })
    }

    /// `self × other`, cross-reducing first to keep the numbers small.
    pub fn checked_mul(self, other: Ratio) -> Result<Ratio, Overflow> {
        if self.den == 1 && other.den == 1 {
            return Ok(Ratio { num: self.num.checked_mul(other.num).ok_or(Overflow)?, den: 1 });
        }
        if self.num == 0 || other.num == 0 {
            return Ok(Ratio::ZERO);
        }
        let g1 = gcd(self.num, other.den).max(1);
        let g2 = gcd(other.num, self.den).max(1);
        let num = div_exact(self.num, g1).checked_mul(div_exact(other.num, g2)).ok_or(Overflow)?;
        let den = div_exact(self.den, g2).checked_mul(div_exact(other.den, g1)).ok_or(Overflow)?;
        Ratio::new(num, den).ok_or(Overflow)
    }

    /// `self ÷ other`; `None` inside the result when `other` is zero.
    pub fn checked_div(self, other: Ratio) -> Result<Option<Ratio>, Overflow> {
        if other.num == 0 {
            return Ok(None);
        }
        let inverse = Ratio::new(other.den, other.num).ok_or(Overflow)?;
        self.checked_mul(inverse).map(Some)
    }

    /// The smaller of two values.
    pub fn min(self, other: Ratio) -> Ratio {
        if self <= other {
            self
        } else {
            other
        }
    }

    /// The larger of two values.
    pub fn max(self, other: Ratio) -> Ratio {
        if self >= other {
            self
        } else {
            other
        }
    }

    /// Rounds to the plan's precision with the plan's strategy: the only place exact values become
    /// decimals.
    pub fn round(self, rounding: Rounding) -> Result<Decimal, Overflow> {
        let scale = 10i128.checked_pow(rounding.decimals).ok_or(Overflow)?;
        let scaled = self.num.checked_mul(scale).ok_or(Overflow)?;
        let (q, r) = (scaled / self.den, scaled % self.den);
        // q is truncated toward zero; r has the sign of the value.
        let away = |q: i128| if scaled < 0 { q - 1 } else { q + 1 };
        let twice = r.abs().checked_mul(2).ok_or(Overflow)?;
        let rounded = if r == 0 {
            q
        } else {
            match rounding.mode {
                RoundingMode::TowardZero => q,
                RoundingMode::AwayFromZero => away(q),
                RoundingMode::HalfAwayFromZero => {
                    if twice >= self.den {
                        away(q)
                    } else {
                        q
                    }
                }
                RoundingMode::HalfTowardZero => {
                    if twice > self.den {
                        away(q)
                    } else {
                        q
                    }
                }
                RoundingMode::HalfEven => match twice.cmp(&self.den) {
                    Ordering::Greater => away(q),
                    Ordering::Less => q,
                    Ordering::Equal => {
                        if q % 2 == 0 {
                            q
                        } else {
                            away(q)
                        }
                    }
                },
            }
        };
        Decimal::try_from_i128_with_scale(rounded, rounding.decimals).map_err(|_| Overflow)
    }

    /// The value as a decimal when it terminates within 28 digits (for messages and traces).
    pub fn to_decimal(self) -> Option<Decimal> {
        let mut power = 1i128;
        for scale in 0..=28u32 {
            if power % self.den == 0 {
                return Decimal::try_from_i128_with_scale(self.num.checked_mul(power / self.den)?, scale).ok();
            }
            power = power.checked_mul(10)?;
        }
        None
    }
}

impl PartialOrd for Ratio {
    fn partial_cmp(&self, other: &Ratio) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Ratio {
    fn cmp(&self, other: &Ratio) -> Ordering {
        // Denominators are positive, so cross-multiplying keeps the order.
        if let (Some(a), Some(b)) = (self.num.checked_mul(other.den), other.num.checked_mul(self.den)) {
            return a.cmp(&b);
        }
        match (self.num.signum(), other.num.signum()) {
            (a, b) if a != b => a.cmp(&b),
            (-1, _) => compare_fractions(
                other.num.unsigned_abs(),
                other.den.unsigned_abs(),
                self.num.unsigned_abs(),
                self.den.unsigned_abs(),
            ),
            _ => compare_fractions(
                self.num.unsigned_abs(),
                self.den.unsigned_abs(),
                other.num.unsigned_abs(),
                other.den.unsigned_abs(),
            ),
        }
    }
}

/// Compares `a/b` with `c/d` (all positive) without multiplying, by comparing integer parts and then
/// the reciprocals of the remainders, as in Euclid's algorithm; each step shrinks the numbers, so it
/// always ends.
fn compare_fractions(mut a: u128, mut b: u128, mut c: u128, mut d: u128) -> Ordering {
    let mut flipped = false;
    loop {
        let (qa, ra) = (a / b, a % b);
        let (qc, rc) = (c / d, c % d);
        let ordering = match (qa.cmp(&qc), ra, rc) {
            (Ordering::Equal, 0, 0) => Ordering::Equal,
            (Ordering::Equal, 0, _) => Ordering::Less,
            (Ordering::Equal, _, 0) => Ordering::Greater,
            (Ordering::Equal, _, _) => {
                // ra/b vs rc/d is the reverse of b/ra vs d/rc.
                (a, b, c, d) = (b, ra, d, rc);
                flipped = !flipped;
                continue;
            }
            (o, _, _) => o,
        };
        return if flipped { ordering.reverse() } else { ordering };
    }
}

/// `a × b` for decimals, exact or `None`: never silently rounded (rust_decimal rounds a product
/// whose scale exceeds 28).
pub fn exact_mul(a: Decimal, b: Decimal) -> Option<Decimal> {
    let mut scale = a.scale() + b.scale();
    let mut mantissa = a.mantissa().checked_mul(b.mantissa())?;
    while scale > 28 {
        if mantissa % 10 != 0 {
            return None;
        }
        mantissa /= 10;
        scale -= 1;
    }
    Decimal::try_from_i128_with_scale(mantissa, scale).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::num::{Rounding, RoundingMode};

    fn r(n: i128, d: i128) -> Ratio {
        Ratio::new(n, d).unwrap()
    }

    fn round(x: Ratio, mode: RoundingMode) -> String {
        x.round(Rounding { mode, decimals: 2 }).unwrap().to_string()
    }

    #[test]
    fn gcd_agrees_across_the_64_bit_boundary() {
        assert_eq!(gcd(12, 18), 6);
        assert_eq!(gcd(-12, 18), 6, "signs do not matter");
        assert_eq!(gcd(0, 7), 7);
        assert_eq!(gcd(7, 0), 7);
        // 2^70 × 3 and 2^66 × 9: the 128-bit path; the same factors scaled down take the 64-bit one.
        assert_eq!(gcd((1 << 70) * 3, (1 << 66) * 9), (1 << 66) * 3);
        assert_eq!(gcd((1 << 40) * 3, (1 << 36) * 9), (1 << 36) * 3);
        assert_eq!(div_exact(-(1 << 80), 1 << 10), -(1 << 70));
        assert_eq!(div_exact(-120, 12), -10);
    }

    #[test]
    fn twelfths_stay_exact_until_rounded() {
        // 1,190,000 ÷ 12 × 9 months = 892,500 exactly; summing nine rounded twelfths would not be.
        let month = r(1_190_000, 12);
        let mut ytd = Ratio::ZERO;
        for _ in 0..9 {
            ytd = ytd.checked_add(month).unwrap();
        }
        assert_eq!(ytd, Ratio::int(892_500));
    }

    #[test]
    fn half_even_rounds_a_true_tie_to_even() {
        // 62,834.955 is exactly halfway: half-to-even gives .96 (6 is even), half-up too.
        let tie = r(62_834_955, 1000);
        assert_eq!(round(tie, RoundingMode::HalfEven), "62834.96");
        assert_eq!(round(r(62_834_945, 1000), RoundingMode::HalfEven), "62834.94");
        assert_eq!(round(r(62_834_945, 1000), RoundingMode::HalfAwayFromZero), "62834.95");
        assert_eq!(round(r(-62_834_945, 1000), RoundingMode::HalfAwayFromZero), "-62834.95");
        assert_eq!(round(r(-62_834_945, 1000), RoundingMode::HalfEven), "-62834.94");
        // A hair below the tie (what summing rounded twelfths gives) must not round up.
        assert_eq!(round(r(62_834_955 * 1000 - 1, 1_000_000), RoundingMode::HalfEven), "62834.95");
    }

    #[test]
    fn every_mode_rounds_as_named() {
        let x = r(1001, 400); // 2.5025
        assert_eq!(round(x, RoundingMode::TowardZero), "2.50");
        assert_eq!(round(x, RoundingMode::AwayFromZero), "2.51");
        assert_eq!(round(r(-1001, 400), RoundingMode::AwayFromZero), "-2.51");
        assert_eq!(round(r(5, 2), RoundingMode::HalfEven), "2.50");
        assert_eq!(round(r(1, 3), RoundingMode::HalfEven), "0.33");
        assert_eq!(round(r(2, 3), RoundingMode::HalfTowardZero), "0.67");
        assert_eq!(round(r(1, 200), RoundingMode::HalfTowardZero), "0.00");
    }

    #[test]
    fn overflow_is_reported_not_wrapped() {
        let big = Ratio::new(i128::MAX / 2, 1).unwrap();
        assert_eq!(big.checked_add(big).and_then(|x| x.checked_add(big)), Err(Overflow));
        assert_eq!(big.checked_mul(Ratio::int(3)), Err(Overflow));
        assert_eq!(Ratio::ONE.checked_div(Ratio::ZERO), Ok(None));
    }

    #[test]
    fn huge_fractions_compare_without_overflow() {
        // Values whose cross products overflow i128 (from data with 20 decimals).
        let a = Ratio::new(300_031_234_567_890_123_456_789_100_000, 10i128.pow(22)).unwrap();
        let b = Ratio::new(3_000_370_370_370_370_370_370_373, 10i128.pow(20) * 3).unwrap();
        assert_eq!(a.cmp(&a), Ordering::Equal);
        assert_ne!(a.cmp(&b), b.cmp(&a));
        let big = Ratio::new(i128::MAX / 3, i128::MAX / 5).unwrap();
        let bigger = Ratio::new(i128::MAX / 3 + 1, i128::MAX / 5).unwrap();
        assert_eq!(big.cmp(&bigger), Ordering::Less);
        assert_eq!(bigger.checked_neg().unwrap().cmp(&big.checked_neg().unwrap()), Ordering::Less);
        assert_eq!(big.checked_neg().unwrap().cmp(&big), Ordering::Less);
    }

    #[test]
    fn decimals_convert_exactly_both_ways() {
        let d = Decimal::new(12345, 2);
        assert_eq!(Ratio::from_decimal(d), r(12345, 100));
        assert_eq!(r(1, 8).to_decimal(), Some(Decimal::new(125, 3)));
        assert_eq!(r(1, 3).to_decimal(), None);
        assert_eq!(exact_mul(Decimal::new(4000000, 2), Decimal::new(108, 2)), Some(Decimal::new(4320000, 2)));
    }
}
