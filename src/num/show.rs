//! How numbers read for people: an exact value as a decimal when the fraction terminates, otherwise
//! its first digits followed by `…`, so that a controller sees that a quota of 1,200,000 / 12 × 16/31 was kept
//! exact and never rounded before the payout line.

use super::{Ratio, Rounding, RoundingMode};
use rust_decimal::Decimal;

/// Digits shown after the point for a fraction that does not terminate.
const SHOWN: u32 = 6;

/// An exact value with at least `decimals` places: `60645.161290…` when it does not terminate.
pub fn show_ratio(value: Ratio, decimals: u32) -> String {
    if let Some(mut d) = value.to_decimal() {
        d = d.normalize();
        if d.scale() < decimals {
            d.rescale(decimals);
        }
        return d.to_string();
    }
    let truncated = value.round(Rounding { mode: RoundingMode::TowardZero, decimals: SHOWN.max(decimals) });
    match truncated {
        Ok(d) => format!("{d}…"),
        Err(_) => format!("{}/{}", value.numer(), value.denom()),
    }
}

/// An amount in a currency (`7400.00 USD`).
pub fn show_money(value: Ratio, currency: &str, decimals: u32) -> String {
    format!("{} {currency}", show_ratio(value, decimals))
}

/// A fraction as a percentage (`1` → `100.00%`).
pub fn show_percent(value: Ratio) -> String {
    match value.checked_mul(Ratio::int(100)) {
        Ok(p) => format!("{}%", show_ratio(p, 2)),
        Err(_) => format!("{}/{}", value.numer(), value.denom()),
    }
}

/// An amount with thousands separators, for people: `12900.00` → `12,900.00`.
pub fn grouped(d: Decimal) -> String {
    let text = d.to_string();
    let (sign, digits) = text.strip_prefix('-').map_or(("", text.as_str()), |t| ("-", t));
    let (int, frac) = digits.split_once('.').map_or((digits, None), |(i, f)| (i, Some(f)));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminating_values_are_exact_and_others_say_so() {
        assert_eq!(show_ratio(Ratio::int(100_000), 2), "100000.00");
        assert_eq!(show_ratio(Ratio::new(1, 8).unwrap(), 2), "0.125");
        // Raj's prorated quarter quota: 40,000 × 16/31 + 40,000 = 1,880,000 / 31.
        assert_eq!(show_ratio(Ratio::new(1_880_000, 31).unwrap(), 2), "60645.161290…");
        assert_eq!(show_percent(Ratio::new(31, 24).unwrap()), "129.166666…%");
        assert_eq!(show_percent(Ratio::ONE), "100.00%");
        assert_eq!(show_money(Ratio::new(-30_000, 1).unwrap(), "USD", 2), "-30000.00 USD");
    }
}
