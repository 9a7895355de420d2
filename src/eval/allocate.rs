//! Showing a rounded line per deal: parts allocated by largest remainder, so that they add up to
//! the line exactly (for `explain` and statements; credits themselves stay exact).

use super::exact::{Overflow, Ratio};
use rust_decimal::Decimal;

/// Splits `line` (already rounded to `decimals` places) in proportion to `weights` (each deal's
/// exact share of the line, such as its credit): each part is first rounded toward zero, then the
/// units still missing (cents, for two decimals) go one each to the parts with the largest
/// remainders, earlier deals first among equal remainders. The parts always sum to `line`. Zero
/// weights in all get nothing; a line is then returned whole as the first part.
pub fn largest_remainder(line: Decimal, weights: &[Ratio], decimals: u32) -> Result<Vec<Decimal>, Overflow> {
    if weights.is_empty() {
        return Ok(Vec::new());
    }
    let total = weights.iter().try_fold(Ratio::ZERO, |sum, w| sum.add(*w))?;
    let scale = Ratio::int(10i64.checked_pow(decimals).ok_or(Overflow)?);
    // The line in units of the last place (cents), as an exact integer.
    let units = Ratio::from_decimal(line).mul(scale)?;
    if total.is_zero() {
        let mut parts = vec![Decimal::ZERO; weights.len()];
        parts[0] = line;
        return Ok(parts);
    }
    let mut parts: Vec<(i128, Ratio, usize)> = Vec::with_capacity(weights.len());
    for (i, w) in weights.iter().enumerate() {
        let exact = units.mul(*w)?.div(total)?.ok_or(Overflow)?;
        let whole = exact.numer() / exact.denom(); // toward zero
        parts.push((whole, exact.sub(Ratio::new(whole, 1).ok_or(Overflow)?)?, i));
    }
    let mut missing = units.numer() / units.denom() - parts.iter().map(|p| p.0).sum::<i128>();
    // Hand the missing units (or take the surplus, for a negative line) by largest remainder.
    let step: i128 = if missing >= 0 { 1 } else { -1 };
    let mut order: Vec<usize> = (0..parts.len()).collect();
    order.sort_by(|&a, &b| {
        let (ra, rb) = (parts[a].1, parts[b].1);
        let by_size = if step > 0 { rb.cmp(&ra) } else { ra.cmp(&rb) };
        by_size.then(parts[a].2.cmp(&parts[b].2))
    });
    for &i in order.iter().cycle().take(order.len() * 2) {
        if missing == 0 {
            break;
        }
        parts[i].0 += step;
        missing -= step;
    }
    parts
        .into_iter()
        .map(|(whole, _, _)| Decimal::try_from_i128_with_scale(whole, decimals).map_err(|_| Overflow))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(units: i64) -> Decimal {
        Decimal::new(units, 2)
    }

    #[test]
    fn a_cent_goes_to_the_largest_remainder() {
        // 100.01 across two equal deals: 50.005 each; the first gets the odd cent.
        assert_eq!(largest_remainder(d(10001), &[Ratio::int(1), Ratio::int(1)], 2).unwrap(), vec![d(5001), d(5000)]);
        // 100.00 in thirds: 33.333… each, and the lost cent goes to the first.
        assert_eq!(largest_remainder(d(10000), &[Ratio::int(1); 3], 2).unwrap(), vec![d(3334), d(3333), d(3333)]);
        // Weights 1:2:7 of 10.01: 1.001, 2.002, 7.007 → 1.00, 2.00, 7.00 and the cent to the
        // largest remainder (0.7 of a cent, the third deal).
        assert_eq!(largest_remainder(d(1001), &[Ratio::int(1), Ratio::int(2), Ratio::int(7)], 2).unwrap(), vec![d(100), d(200), d(701)]);
    }

    #[test]
    fn parts_always_add_up_to_the_line() {
        for (line, weights) in [(d(-10001), vec![1, 1]), (d(1), vec![3, 3, 3]), (d(99_999), vec![7, 11, 13, 17]), (d(0), vec![1, 2])] {
            let weights: Vec<Ratio> = weights.into_iter().map(Ratio::int).collect();
            let parts = largest_remainder(line, &weights, 2).unwrap();
            assert_eq!(parts.iter().sum::<Decimal>(), line, "{line} by {weights:?}: {parts:?}");
        }
        // A negative line: −100.01 in halves is −50.01 and −50.00.
        assert_eq!(largest_remainder(d(-10001), &[Ratio::int(1), Ratio::int(1)], 2).unwrap(), vec![d(-5001), d(-5000)]);
        assert_eq!(largest_remainder(d(500), &[Ratio::ZERO, Ratio::ZERO], 2).unwrap(), vec![d(500), d(0)]);
    }
}
