//! Showing a rounded line per deal: parts allocated by largest remainder, so that they add up to
//! the line exactly (for `explain` and statements; credits themselves stay exact).

use crate::num::{Overflow, Ratio};
use rust_decimal::Decimal;

/// Splits `line` (already rounded to `decimals` places) across deals whose exact values are
/// `weights` (each deal's exact part of the line, such as its SPIFF or its credit): each deal's exact
/// share is its weight plus the difference between the line and the weights' sum, spread in
/// proportion to the size of each weight (with weights of one sign, simply `weight × line ÷ sum`).
/// Each share is rounded down to the last place, then the units still missing (cents, for two
/// decimals) go one each to the shares with the largest remainders, earlier deals first among equal
/// remainders. A negative line is split as its opposite, then negated, so that the odd cent goes to
/// the same deal whatever the sign. The parts always sum to `line`. Zero weights in all get nothing;
/// a line is then returned whole as the first part.
pub fn largest_remainder(line: Decimal, weights: &[Ratio], decimals: u32) -> Result<Vec<Decimal>, Overflow> {
    if weights.is_empty() {
        return Ok(Vec::new());
    }
    if line.is_sign_negative() && !line.is_zero() {
        let opposite: Vec<Ratio> = weights.iter().map(|w| w.checked_neg()).collect::<Result<_, _>>()?;
        return Ok(largest_remainder(-line, &opposite, decimals)?.into_iter().map(|p| -p).collect());
    }
    let total = weights.iter().try_fold(Ratio::ZERO, |sum, w| sum.checked_add(*w))?;
    let spread = weights
        .iter()
        .try_fold(Ratio::ZERO, |sum, w| sum.checked_add(if w.is_negative() { w.checked_neg()? } else { *w }))?;
    if spread.is_zero() {
        let mut parts = vec![Decimal::ZERO; weights.len()];
        parts[0] = line;
        return Ok(parts);
    }
    let scale = Ratio::int(10i64.checked_pow(decimals).ok_or(Overflow)?);
    // The line in units of the last place (cents), as an exact integer.
    let units = Ratio::from_decimal(line).checked_mul(scale)?;
    let gap = units.checked_sub(total.checked_mul(scale)?)?;
    let mut parts: Vec<(i128, Ratio)> = Vec::with_capacity(weights.len());
    for w in weights {
        let size = if w.is_negative() { w.checked_neg()? } else { *w };
        let exact = w.checked_mul(scale)?.checked_add(gap.checked_mul(size)?.checked_div(spread)?.ok_or(Overflow)?)?;
        let floor = exact.numer().div_euclid(exact.denom());
        parts.push((floor, exact.checked_sub(Ratio::new(floor, 1).ok_or(Overflow)?)?));
    }
    let floors = parts.iter().try_fold(0i128, |sum, p| sum.checked_add(p.0)).ok_or(Overflow)?;
    let mut missing = (units.numer() / units.denom()).checked_sub(floors).ok_or(Overflow)?;
    // Hand the missing units out by largest remainder (ties: the earlier deal).
    let mut order: Vec<usize> = (0..parts.len()).collect();
    order.sort_by(|&a, &b| parts[b].1.cmp(&parts[a].1).then(a.cmp(&b)));
    for &i in order.iter().cycle().take(order.len() * 2) {
        if missing <= 0 {
            break;
        }
        parts[i].0 += 1;
        missing -= 1;
    }
    parts
        .into_iter()
        .map(|(whole, _)| Decimal::try_from_i128_with_scale(whole, decimals).map_err(|_| Overflow))
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
        assert_eq!(
            largest_remainder(d(1001), &[Ratio::int(1), Ratio::int(2), Ratio::int(7)], 2).unwrap(),
            vec![d(100), d(200), d(701)]
        );
    }

    #[test]
    fn parts_always_add_up_to_the_line() {
        for (line, weights) in
            [(d(-10001), vec![1, 1]), (d(1), vec![3, 3, 3]), (d(99_999), vec![7, 11, 13, 17]), (d(0), vec![1, 2])]
        {
            let weights: Vec<Ratio> = weights.into_iter().map(Ratio::int).collect();
            let parts = largest_remainder(line, &weights, 2).unwrap();
            assert_eq!(parts.iter().sum::<Decimal>(), line, "{line} by {weights:?}: {parts:?}");
        }
        // A negative line: −100.01 in halves is −50.01 and −50.00.
        assert_eq!(largest_remainder(d(-10001), &[Ratio::int(1), Ratio::int(1)], 2).unwrap(), vec![d(-5001), d(-5000)]);
        assert_eq!(largest_remainder(d(500), &[Ratio::ZERO, Ratio::ZERO], 2).unwrap(), vec![d(500), d(0)]);
    }

    #[test]
    fn a_reversal_and_a_new_deal_keep_their_own_signs() {
        // A SPIFF of 1%: X1 (10,000.50) reversed, −100.005; X2 (10,000) new, 100.00. The line is
        // round(−0.005) = 0.00 (half to even). The gap of +0.005 is spread by size: X1 −100.0025,
        // X2 100.0025; rounded down −100.01 and 100.00; the missing cent to X1 (remainder 0.75 of a
        // cent against 0.25): −100.00 + 100.00 = 0.00.
        let x1 = Ratio::new(-100_005, 1000).unwrap();
        let x2 = Ratio::int(100);
        assert_eq!(largest_remainder(d(0), &[x1, x2], 2).unwrap(), vec![d(-10000), d(10000)]);
        // With a third deal X3 of 0.40 → 0.004: the line is round(−0.001) = 0.00; each part stays
        // within a cent of its exact value and the parts add up to the line.
        let x3 = Ratio::new(4, 1000).unwrap();
        let parts = largest_remainder(d(0), &[x1, x2, x3], 2).unwrap();
        assert_eq!(parts.iter().sum::<Decimal>(), d(0));
        for (part, exact) in parts.iter().zip([Decimal::new(-100_005, 3), Decimal::new(100, 0), Decimal::new(4, 3)]) {
            assert!((*part - exact).abs() <= d(1), "{part} is within a cent of {exact}");
        }
    }
}
