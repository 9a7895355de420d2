//! Tables: marginal tiers (each band pays its slice), retroactive tiers (the reached band pays the
//! whole base), linear curves and lookups, in exact arithmetic.

use super::error::Fault;
use super::interp::{eval, num, Row, Val};
use super::rep_plan::{zero_quota, RepPlan};
use crate::diagnostics::codes;
use crate::model::{
    Band, CreditField, Expr, LookupKey, LookupValue, RateTable, RateTableId, Rows, Scope, TableKey, ValueKind,
};
use crate::num::Ratio;
use std::borrow::Cow;

mod ordered;

pub use ordered::fill_paid;

/// Applies table `id`: its value at its key, or (with a base) its rate applied to the base.
pub fn apply<'a>(cx: &RepPlan<'a>, id: RateTableId, base: Option<&'a Expr>, row: Row<'_>) -> Result<Ratio, Fault> {
    let table = &cx.plan.tables[id];
    if let (TableKey::Earning { id: earning, scope }, Row::Credit(credit)) = (&table.key, row) {
        let (_, slices) = cx.own_total(*earning, *scope)?.paid(credit)?;
        return Ok(slices.iter().try_fold(Ratio::ZERO, |sum, s| sum.checked_add(s.amount))?);
    }
    if let (Some(total), Row::Credit(credit)) = (cx.plan.running_total(id, base), row) {
        let (_, slices) = ordered::slices(cx, id, total, credit)?;
        return Ok(slices.iter().try_fold(Ratio::ZERO, |sum, s| sum.checked_add(s.amount))?);
    }
    let base_value = match base {
        Some(b) => Some(num(eval(cx, b, row)?)?),
        None => None,
    };
    if let Rows::Marginal(bands) = &table.rows {
        let bands = &*resolved(cx, bands, row)?;
        let Some(b) = base_value else {
            return Err(Fault::new(&codes::WRONG_KIND, format!("the marginal table `{}` needs a base", table.name)));
        };
        return match &table.key {
            // Band [a, b) pays its rate on the slice of the attainment's measure between a × quota
            // and b × quota; the base is that measure (the checker made sure).
            TableKey::Attainment(a) => {
                let (_, quota) = cx.attainment_parts(*a)?;
                if quota.is_zero() {
                    return Err(zero_quota(cx.plan, *a));
                }
                marginal(bands, b, quota).map_err(|_| Fault::overflow(&format!("the table `{}`", table.name)))
            }
            _ => marginal(bands, b, Ratio::ONE).map_err(|_| Fault::overflow(&format!("the table `{}`", table.name))),
        };
    }
    let value = match &table.rows {
        Rows::Retroactive(bands) => {
            let key = numeric_key(cx, &table.key, base, row)?;
            let bands = &*resolved(cx, bands, row)?;
            reached(bands, key, table.upper_included).map_or(rust_decimal::Decimal::ZERO, |i| bands[i].value)
        }
        Rows::Linear(points) => {
            let key = numeric_key(cx, &table.key, base, row)?;
            return scale(linear(points, key)?, base_value);
        }
        Rows::Lookup { entries, otherwise } => {
            let TableKey::Lookup(e) = &table.key else {
                return Err(Fault::new(&codes::TABLE_KEY, "a lookup table needs a key"));
            };
            let key = eval(cx, e, row)?;
            match entries.iter().find(|(k, _)| matches_key(k, key)).map(|(_, v)| *v).or(*otherwise) {
                // In a lookup of rates and amounts, an amount row pays its amount for the row at
                // hand, whatever the base its rate rows are applied to.
                Some(LookupValue { value, kind: ValueKind::Money }) if table.values == ValueKind::RatesAndAmounts => {
                    return Ok(Ratio::from_decimal(value));
                }
                Some(paid) => paid.value,
                None => {
                    let key = shown_key(key);
                    return Err(Fault::new(
                        &codes::NO_RATE,
                        format!("the table `{}` has no row for {key}", table.name),
                    )
                    .definition(crate::model::DefinitionId::Table(id))
                    .help(format!("add `{key} : RATE`, or an `otherwise` row, to the table")));
                }
            }
        }
        Rows::Marginal(_) => return Err(Fault::new(&codes::WRONG_KIND, "unreachable")),
    };
    scale(Ratio::from_decimal(value), base_value)
}

/// A table's value from its rows alone, at a key and on a base the caller chose rather than read
/// from a rep's period: what the payout curve reads a plan's tables with, so that a point of the
/// curve goes through the same bands, points and modes as a payout. `unit` is what a marginal
/// table's bounds are multiples of (the quota for a table keyed on attainment, else 1). `None` for
/// a table that needs a row of data (a lookup, a band whose rate a lookup gives) or a base it lacks.
pub fn from_rows(table: &RateTable, key: Ratio, base: Option<Ratio>, unit: Ratio) -> Result<Option<Ratio>, Fault> {
    let overflow = |_| Fault::overflow(&format!("the table `{}`", table.name));
    match &table.rows {
        Rows::Marginal(bands) | Rows::Retroactive(bands) if bands.iter().any(|b| b.lookup.is_some()) => Ok(None),
        Rows::Marginal(bands) => base.map(|b| marginal(bands, b, unit).map_err(overflow)).transpose(),
        Rows::Retroactive(bands) => {
            let rate =
                reached(bands, key, table.upper_included).map_or(rust_decimal::Decimal::ZERO, |i| bands[i].value);
            scale(Ratio::from_decimal(rate), base).map(Some)
        }
        Rows::Linear(points) => scale(linear(points, key)?, base).map(Some),
        Rows::Lookup { .. } => Ok(None),
    }
}

/// A table's bands, with the rate of each band a lookup gives (`100% and above : product_rate`) read
/// on the row at hand; the bands themselves when none does.
pub fn resolved<'b>(cx: &RepPlan<'_>, bands: &'b [Band], row: Row<'_>) -> Result<Cow<'b, [Band]>, Fault> {
    if bands.iter().all(|b| b.lookup.is_none()) {
        return Ok(Cow::Borrowed(bands));
    }
    let mut out = bands.to_vec();
    for band in &mut out {
        if let Some(lookup) = band.lookup {
            // A lookup's rates are decimals as written: the rate read is one of them.
            let rate = apply(cx, lookup, None, row)?;
            band.value = rate.to_decimal().ok_or_else(|| Fault::overflow("a band's rate"))?;
        }
    }
    Ok(Cow::Owned(out))
}

/// Whether a lookup row's key is the value the table's key has: the same text, truth value or
/// number (`3` is `3.0`).
pub fn matches_key(key: &LookupKey, value: Val<'_>) -> bool {
    match (key, value) {
        (LookupKey::Text(k), Val::Text(t)) => k == t,
        (LookupKey::Bool(k), Val::Bool(b)) => *k == b,
        (LookupKey::Number(k), Val::Num(n)) => Ratio::from_decimal(*k) == n,
        _ => false,
    }
}

/// A key's value as a lookup row writes it: text in quotes.
fn shown_key(value: Val<'_>) -> String {
    match value {
        Val::Text(t) => format!("\"{t}\""),
        Val::Bool(b) => b.to_string(),
        Val::Num(n) => crate::num::show_ratio(n, 0),
        Val::Date(d) => d.to_string(),
    }
}

fn scale(value: Ratio, base: Option<Ratio>) -> Result<Ratio, Fault> {
    match base {
        Some(b) => Ok(value.checked_mul(b)?),
        None => Ok(value),
    }
}

/// The key of a tier or curve table: an attainment, a measure (in its own scope or the base's), or
/// the amount of the credit row at hand.
fn numeric_key<'a>(cx: &RepPlan<'a>, key: &TableKey, base: Option<&'a Expr>, row: Row<'_>) -> Result<Ratio, Fault> {
    use super::interp::Context as _;
    match key {
        TableKey::Attainment(a) => cx.attainment(*a),
        TableKey::Measure { id, scope } => {
            let scope = scope.or(match base {
                Some(Expr::Measure { scope, .. }) => Some(*scope),
                _ => None,
            });
            cx.measure(*id, scope.unwrap_or(Scope::Period))
        }
        // The amount of the credit row at hand: the checker allows such a table only in a
        // per-deal earning, whose rows (a reversal's original included) are positive.
        TableKey::CreditAmount => num(eval(cx, &Expr::Credit(CreditField::Amount), row)?),
        TableKey::Lookup(e) => num(eval(cx, e, row)?),
        // Only a marginal table is keyed on an earning's own total (the checker made sure).
        TableKey::Earning { .. } => Err(Fault::new(&codes::TABLE_KEY, "a table on an earning's total is marginal")),
    }
}

/// The position of the band a key falls in: bands are `[from, to)`, or `(from, to]` when
/// `upper_included` (the first `[0, to]`), and a key below the first band (a negative attainment
/// after clawbacks) takes the first band. `None` above the top of a closed table, where nothing is
/// paid.
fn reached(bands: &[Band], key: Ratio, upper_included: bool) -> Option<usize> {
    let inside = |b: &Band| match b.to.map(Ratio::from_decimal) {
        None => true,
        Some(to) if upper_included => key <= to,
        Some(to) => key < to,
    };
    let i = if upper_included {
        bands.iter().position(&inside)?
    } else {
        bands.iter().rposition(|b| Ratio::from_decimal(b.from) <= key).unwrap_or(0)
    };
    bands.get(i).filter(|b| inside(b)).map(|_| i)
}

/// Σ rate × the part of `base` inside each band, the bounds scaled by `unit` (the quota for a table
/// keyed on attainment, 1 for a table keyed on an amount). A negative base (clawbacks beyond
/// bookings) falls in the first band, as a retroactive table has it, so that it is recovered.
fn marginal(bands: &[Band], base: Ratio, unit: Ratio) -> Result<Ratio, crate::num::Overflow> {
    if let Some(total) = marginal_in_integers(bands, base, unit) {
        return Ok(total);
    }
    marginal_slices(bands, base, unit)?.iter().try_fold(Ratio::ZERO, |total, s| total.checked_add(s.amount))
}

/// One band's part of a marginal table: the slice of the base inside it and what it pays.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Slice {
    /// The band's position in the table.
    pub band: usize,
    /// The part of the base between the band's bounds (scaled by the quota for attainment bands).
    pub slice: Ratio,
    /// The band's rate times the slice.
    pub amount: Ratio,
}

/// The slices of a marginal table, whose amounts sum to what [`marginal`] pays (a band the base
/// does not reach has none).
fn marginal_slices(bands: &[Band], base: Ratio, unit: Ratio) -> Result<Vec<Slice>, crate::num::Overflow> {
    let mut out = Vec::with_capacity(bands.len());
    for (i, band) in bands.iter().enumerate() {
        let low = Ratio::from_decimal(band.from).checked_mul(unit)?;
        if base <= low && i > 0 {
            continue;
        }
        let top = match band.to {
            Some(to) => base.min(Ratio::from_decimal(to).checked_mul(unit)?),
            None => base,
        };
        let slice = top.checked_sub(low)?;
        out.push(Slice { band: i, slice, amount: Ratio::from_decimal(band.value).checked_mul(slice)? });
    }
    Ok(out)
}

/// How a table produced its value, for `explain`: the key it was read at, the base, and the rows
/// that applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Work {
    /// The attainment or amount the rows were chosen by (`None` for a lookup or a marginal table
    /// keyed on an amount, whose key is the base itself).
    pub key: Option<Ratio>,
    /// The text a lookup table was read at.
    pub text_key: Option<String>,
    /// The base the rate applies to, if the table is applied to one.
    pub base: Option<Ratio>,
    /// Marginal tables: each band's slice.
    pub slices: Vec<Slice>,
    /// Other tables: the row that applied (a band, a lookup entry; for a curve, the first point of
    /// the segment), or `None` for a lookup's `otherwise` and above the top of a closed table.
    pub row: Option<usize>,
    /// The table's value (with a base, the rate applied to it).
    pub value: Ratio,
    /// A table paid deal by deal in order: the running total before the deal, and the unit its
    /// bands are multiples of (the quota at the deal's period, for a table keyed on an attainment).
    pub running: Option<(Ratio, Ratio)>,
    /// The bands with the rates their lookups gave on the row at hand, when a band's rate is read
    /// for each deal (`100% and above : product_rate`).
    pub bands: Option<Vec<Band>>,
}

/// The rows a table applied at the current period, and its value (equal to what `apply` returns).
pub fn work<'a>(cx: &RepPlan<'a>, id: RateTableId, base: Option<&'a Expr>, row: Row<'_>) -> Result<Work, Fault> {
    let table = &cx.plan.tables[id];
    let value = apply(cx, id, base, row)?;
    let base_value = match base {
        Some(b) => Some(num(eval(cx, b, row)?)?),
        None => None,
    };
    let mut work = Work {
        key: None,
        text_key: None,
        base: base_value,
        slices: Vec::new(),
        row: None,
        value,
        running: None,
        bands: None,
    };
    if let Rows::Marginal(bands) | Rows::Retroactive(bands) = &table.rows {
        if let Cow::Owned(read) = resolved(cx, bands, row)? {
            work.bands = Some(read);
        }
    }
    if let (TableKey::Earning { id: earning, scope }, Row::Credit(credit)) = (&table.key, row) {
        let (before, slices) = cx.own_total(*earning, *scope)?.paid(credit)?;
        work.running = Some((before, Ratio::ONE));
        work.slices = slices;
        return Ok(work);
    }
    if let (Some(total), Row::Credit(credit)) = (cx.plan.running_total(id, base), row) {
        let (running, slices) = ordered::slices(cx, id, total, credit)?;
        work.running = Some(running);
        work.slices = slices;
        return Ok(work);
    }
    let overflow = |_| Fault::overflow(&format!("the table `{}`", table.name));
    match &table.rows {
        Rows::Marginal(bands) => {
            let bands = work.bands.as_deref().unwrap_or(bands);
            let b = base_value.unwrap_or(Ratio::ZERO);
            let unit = match &table.key {
                TableKey::Attainment(a) => {
                    work.key = Some(super::interp::Context::attainment(cx, *a)?);
                    cx.attainment_parts(*a)?.1
                }
                _ => Ratio::ONE,
            };
            work.slices = marginal_slices(bands, b, unit).map_err(overflow)?;
        }
        Rows::Retroactive(bands) => {
            let key = numeric_key(cx, &table.key, base, row)?;
            work.key = Some(key);
            work.row = reached(bands, key, table.upper_included);
        }
        Rows::Linear(points) => {
            let key = numeric_key(cx, &table.key, base, row)?;
            work.key = Some(key);
            work.row = Some(points.iter().rposition(|(x, _)| Ratio::from_decimal(*x) <= key).unwrap_or(0));
        }
        Rows::Lookup { entries, .. } => {
            if let TableKey::Lookup(e) = &table.key {
                let key = eval(cx, e, row)?;
                work.row = entries.iter().position(|(k, _)| matches_key(k, key));
                work.text_key = Some(shown_key(key));
            }
        }
    }
    Ok(work)
}

/// The same sum over one common denominator: the base, the scaled bounds and the slices become
/// integers, and only the total is reduced (one GCD instead of one per operation, which is most of
/// the cost of a tier table in the evaluation of a year). `None` when a product leaves 128 bits:
/// the caller then computes with reduced fractions.
fn marginal_in_integers(bands: &[Band], base: Ratio, unit: Ratio) -> Option<Ratio> {
    let scale =
        bands.iter().flat_map(|b| [Some(b.from), b.to, Some(b.value)]).flatten().map(|d| d.scale()).max().unwrap_or(0);
    let pow = |n: u32| 10i128.checked_pow(n);
    // A decimal as an integer over 10^scale.
    let whole = |d: rust_decimal::Decimal| d.mantissa().checked_mul(pow(scale - d.scale())?);
    let s = pow(scale)?;
    // Quantities are counted in 1 / (base.den × unit.den × 10^scale).
    let base_n = base.numer().checked_mul(unit.denom())?.checked_mul(s)?;
    let bound = |d: rust_decimal::Decimal| whole(d)?.checked_mul(unit.numer())?.checked_mul(base.denom());
    let mut total: i128 = 0;
    for (i, band) in bands.iter().enumerate() {
        let low = bound(band.from)?;
        if base_n <= low && i > 0 {
            continue;
        }
        let top = match band.to {
            Some(to) => base_n.min(bound(to)?),
            None => base_n,
        };
        total = total.checked_add(whole(band.value)?.checked_mul(top.checked_sub(low)?)?)?;
    }
    let den = base.denom().checked_mul(unit.denom())?.checked_mul(s)?.checked_mul(s)?;
    Ratio::new(total, den)
}

/// Linear interpolation between points, flat outside the first and last.
fn linear(points: &[(rust_decimal::Decimal, rust_decimal::Decimal)], key: Ratio) -> Result<Ratio, Fault> {
    let p: Vec<(Ratio, Ratio)> =
        points.iter().map(|(x, y)| (Ratio::from_decimal(*x), Ratio::from_decimal(*y))).collect();
    let (Some(first), Some(last)) = (p.first(), p.last()) else { return Ok(Ratio::ZERO) };
    if key <= first.0 {
        return Ok(first.1);
    }
    if key >= last.0 {
        return Ok(last.1);
    }
    for w in p.windows(2) {
        let ((x0, y0), (x1, y1)) = (w[0], w[1]);
        if key >= x0 && key <= x1 {
            let slope = y1.checked_sub(y0)?.checked_div(x1.checked_sub(x0)?)?.unwrap_or(Ratio::ZERO);
            return Ok(y0.checked_add(slope.checked_mul(key.checked_sub(x0)?)?)?);
        }
    }
    Ok(last.1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    fn band(from: i64, to: Option<i64>, rate: i64) -> Band {
        Band {
            from: Decimal::new(from, 2),
            to: to.map(|t| Decimal::new(t, 2)),
            value: Decimal::new(rate, 2),
            lookup: None,
        }
    }

    #[test]
    fn marginal_bands_pay_their_own_slices() {
        // The table of plans/enterprise_ae.plan at 100% of a 300,000 quota: 150,000 × 4% + 150,000 × 6% = 15,000.
        let bands = [band(0, Some(50), 4), band(50, Some(100), 6), band(100, Some(150), 10), band(150, None, 12)];
        let paid = marginal(&bands, Ratio::int(300_000), Ratio::int(300_000)).unwrap();
        assert_eq!(paid, Ratio::int(15_000));
        // 75% of 400,000: 200,000 × 4% + 100,000 × 6% = 14,000.
        assert_eq!(marginal(&bands, Ratio::int(300_000), Ratio::int(400_000)).unwrap(), Ratio::int(14_000));
        // 200% of 100,000: 2,000 + 3,000 + 5,000 + 50,000 × 12% = 16,000.
        assert_eq!(marginal(&bands, Ratio::int(200_000), Ratio::int(100_000)).unwrap(), Ratio::int(16_000));
        // Net clawbacks: −10,000 is paid back at the first band's rate.
        assert_eq!(marginal(&bands, Ratio::int(-10_000), Ratio::int(100_000)).unwrap(), Ratio::int(-400));
    }

    #[test]
    fn marginal_sums_agree_in_integers_and_in_fractions() {
        // Twelfths of a quota and bookings in hundredths, the shape of a year-to-date commission;
        // and one value so large that the integer path overflows and fractions take over.
        let bands = [band(0, Some(50), 4), band(50, Some(100), 6), band(100, Some(150), 10), band(150, None, 12)];
        for (base, unit) in [
            (Ratio::new(12_345_678_901, 100).unwrap(), Ratio::new(1_190_000 * 7, 12).unwrap()),
            (Ratio::int(-5), Ratio::new(1, 3).unwrap()),
        ] {
            let fast = marginal_in_integers(&bands, base, unit).expect("fits");
            let mut slow = Ratio::ZERO;
            for (i, b) in bands.iter().enumerate() {
                let low = Ratio::from_decimal(b.from).checked_mul(unit).unwrap();
                if base <= low && i > 0 {
                    continue;
                }
                let top = b.to.map_or(base, |to| base.min(Ratio::from_decimal(to).checked_mul(unit).unwrap()));
                slow = slow
                    .checked_add(Ratio::from_decimal(b.value).checked_mul(top.checked_sub(low).unwrap()).unwrap())
                    .unwrap();
            }
            assert_eq!(fast, slow);
        }
        let huge = Ratio::new(i128::MAX / 7, 3).unwrap();
        assert_eq!(marginal_in_integers(&bands, huge, Ratio::ONE), None, "too large for one denominator");
        assert!(marginal(&bands, Ratio::new(10i128.pow(30), 3).unwrap(), Ratio::ONE).is_ok(), "fractions still manage");
    }

    #[test]
    fn retroactive_bands_are_half_open() {
        let bands = [band(0, Some(80), 5), band(80, Some(100), 7), band(100, None, 9)];
        assert_eq!(reached(&bands, Ratio::ONE, false), Some(2), "exactly 100% is in the band that starts at 100%");
        assert_eq!(reached(&bands, Ratio::new(99, 100).unwrap(), false), Some(1));
        assert_eq!(reached(&bands, Ratio::int(-1), false), Some(0));
    }

    #[test]
    fn bands_that_include_their_upper_bound_take_a_bound_below() {
        let bands = [band(0, Some(80), 5), band(80, Some(100), 7), band(100, None, 9)];
        assert_eq!(reached(&bands, Ratio::ONE, true), Some(1), "exactly 100% is in the band that ends at 100%");
        assert_eq!(reached(&bands, Ratio::new(10_001, 10_000).unwrap(), true), Some(2), "100.01% is above 100%");
        assert_eq!(reached(&bands, Ratio::ZERO, true), Some(0), "the first band includes 0");
        assert_eq!(reached(&bands, Ratio::int(-1), true), Some(0));
    }

    #[test]
    fn nothing_is_reached_above_the_top_of_a_closed_table() {
        let bands = [band(0, Some(80), 5), band(80, Some(100), 7)];
        // `[80%, 100%)`: 100% itself is above the top; `(80%, 100%]`: it is the top band's.
        assert_eq!(reached(&bands, Ratio::ONE, false), None);
        assert_eq!(reached(&bands, Ratio::new(99, 100).unwrap(), false), Some(1));
        assert_eq!(reached(&bands, Ratio::ONE, true), Some(1));
        assert_eq!(reached(&bands, Ratio::new(101, 100).unwrap(), true), None);
        // A marginal table pays nothing above a closed top: at 150% of a 100,000 quota (150,000),
        // 80,000 × 5% + 20,000 × 7% = 4,000 + 1,400 = 5,400, and nothing on the 50,000 above 100%.
        let paid = marginal(&bands, Ratio::int(150_000), Ratio::int(100_000)).unwrap();
        assert_eq!(paid, Ratio::int(5_400));
    }

    #[test]
    fn rows_read_at_a_chosen_key_pay_as_the_runtime_applies_them() {
        let table = |rows: Rows| RateTable {
            name: "t".to_string(),
            key: TableKey::CreditAmount,
            rows,
            values: ValueKind::Rate,
            upper_included: false,
        };
        let bands = vec![band(0, Some(50), 4), band(50, Some(100), 6), band(100, Some(150), 10), band(150, None, 12)];
        // Marginal at 80% of a 300,000 quota: 150,000 × 4% + 90,000 × 6% = 11,400, as `marginal` pays.
        let marginal_table = table(Rows::Marginal(bands.clone()));
        let at = Ratio::new(8, 10).unwrap();
        let paid = from_rows(&marginal_table, at, Some(Ratio::int(240_000)), Ratio::int(300_000)).unwrap();
        assert_eq!(paid, Some(Ratio::int(11_400)));
        assert_eq!(from_rows(&marginal_table, at, None, Ratio::ONE).unwrap(), None, "a marginal table needs a base");
        // Retroactive at exactly 100%: the band that starts there, 10% of 300,000 = 30,000.
        let retro = table(Rows::Retroactive(bands));
        assert_eq!(
            from_rows(&retro, Ratio::ONE, Some(Ratio::int(300_000)), Ratio::ONE).unwrap(),
            Some(Ratio::int(30_000))
        );
        // A lookup needs a row of data.
        let lookup = table(Rows::Lookup { entries: Vec::new(), otherwise: None });
        assert_eq!(from_rows(&lookup, Ratio::ONE, None, Ratio::ONE).unwrap(), None);
    }

    #[test]
    fn linear_curves_interpolate_and_stay_flat_outside() {
        let points = [(Decimal::ONE, Decimal::ZERO), (Decimal::new(15, 1), Decimal::new(10_000, 0))];
        // 155,000 / 120,000 = 31/24: (31/24 − 1) / 0.5 × 10,000 = 5,833.33…
        let at = linear(&points, Ratio::new(31, 24).unwrap()).unwrap();
        assert_eq!(at, Ratio::new(70_000, 12).unwrap());
        assert_eq!(linear(&points, Ratio::new(1, 2).unwrap()).unwrap(), Ratio::ZERO);
        assert_eq!(linear(&points, Ratio::int(3)).unwrap(), Ratio::int(10_000));
    }
}
