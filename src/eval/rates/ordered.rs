//! The slices one deal fills of a marginal table keyed on a running total (deals paid in order):
//! the deal's amount is laid on the total from where the deals before it left it, and each band
//! pays its rate on the part of that stretch between its bounds.

use super::Slice;
use crate::eval::credit::CreditRow;
use crate::eval::error::Fault;
use crate::eval::rep_plan::{zero_quota, RepPlan};
use crate::model::{Band, RateTableId, Rows, RunningTotal};
use crate::num::Ratio;

/// The running total before the deal with the unit the bands are multiples of, and the slices the
/// deal's amount fills. A deal of a negative amount fills its stretch downwards and is paid back;
/// below 0 the first band's rate applies (a total lowered by reversals), and above the top of a
/// closed table nothing is paid.
pub fn slices(
    cx: &RepPlan<'_>,
    id: RateTableId,
    total: RunningTotal,
    credit: &CreditRow,
) -> Result<((Ratio, Ratio), Vec<Slice>), Fault> {
    let table = &cx.plan.tables[id];
    let Rows::Marginal(bands) = &table.rows else { return Ok(((Ratio::ZERO, Ratio::ONE), Vec::new())) };
    let unit = match total.attainment {
        Some(a) => {
            let quota = cx.attainment_parts(a)?.1;
            if quota.is_zero() {
                return Err(zero_quota(cx.plan, a));
            }
            quota
        }
        None => Ratio::ONE,
    };
    let deals = cx.shared.ws.crediting.as_ref().map(|c| c.deals);
    let deal = deals.and_then(|t| cx.shared.data.key_text_of(t, credit.deal)).unwrap_or_default();
    let before = cx.running(total.measure, total.scope)?.before(credit.date, deal);
    let amount = Ratio::from_decimal(credit.amount);
    let overflow = |_| Fault::overflow(&format!("the table `{}`", table.name));
    let bands = super::resolved(cx, bands, crate::eval::interp::Row::Credit(credit))?;
    let filled = fill(&bands, before, amount, unit).map_err(overflow)?;
    Ok(((before, unit), filled))
}

/// The slices of `[before, before + amount)` inside each band, the bounds scaled by `unit`; a
/// negative amount gives negative slices.
fn fill(bands: &[Band], before: Ratio, amount: Ratio, unit: Ratio) -> Result<Vec<Slice>, crate::num::Overflow> {
    let after = before.checked_add(amount)?;
    let (low, high) = if amount.is_negative() { (after, before) } else { (before, after) };
    let mut out = Vec::new();
    for (i, band) in bands.iter().enumerate() {
        // The first band reaches down below 0; the open top band up without end.
        let from = if i == 0 { low } else { low.max(Ratio::from_decimal(band.from).checked_mul(unit)?) };
        let to = match band.to {
            Some(to) => high.min(Ratio::from_decimal(to).checked_mul(unit)?),
            None => high,
        };
        if to <= from {
            continue;
        }
        let width = to.checked_sub(from)?;
        let slice = if amount.is_negative() { width.checked_neg()? } else { width };
        out.push(Slice { band: i, slice, amount: Ratio::from_decimal(band.value).checked_mul(slice)? });
    }
    Ok(out)
}

/// The slices a deal's `base` fills of a table keyed on what its earning has paid (`paid` before
/// the deal): each band takes the part of the base that fills its room at its rate (room ÷ rate),
/// the open top band the rest; above the top of a closed table nothing is paid. Each slice is the
/// base it took, its amount what it paid. A negative base goes down through the bands the same
/// way, paying back.
pub fn fill_paid(bands: &[Band], paid: Ratio, base: Ratio) -> Result<Vec<Slice>, crate::num::Overflow> {
    let mut out = Vec::new();
    let (mut at, mut left) = (paid, base);
    let order: Vec<usize> =
        if base.is_negative() { (0..bands.len()).rev().collect() } else { (0..bands.len()).collect() };
    for i in order {
        if left.is_zero() {
            break;
        }
        let band = &bands[i];
        let rate = Ratio::from_decimal(band.value);
        let from = Ratio::from_decimal(band.from);
        // The room the total has in this band, in the direction the base goes (the first band
        // reaches down without end, the open top band up).
        let room = if base.is_negative() {
            if i > 0 && at <= from {
                continue;
            }
            (i > 0).then(|| at.checked_sub(from)).transpose()?.map(Ratio::checked_neg).transpose()?
        } else {
            match band.to.map(Ratio::from_decimal) {
                Some(to) if at >= to => continue,
                Some(to) => Some(to.checked_sub(at)?),
                None => None,
            }
        };
        // The base that fills the room at the band's rate; a rate of 0 never fills it.
        let take = match room.filter(|_| !rate.is_zero()).map(|r| r.checked_div(rate)).transpose()?.flatten() {
            Some(fills) if base.is_negative() => left.max(fills),
            Some(fills) => left.min(fills),
            None => left,
        };
        let amount = take.checked_mul(rate)?;
        out.push(Slice { band: i, slice: take, amount });
        at = at.checked_add(amount)?;
        left = left.checked_sub(take)?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    fn bands() -> Vec<Band> {
        // [0%, 100%) 4%, 100% and above 8%.
        vec![
            Band { from: Decimal::ZERO, to: Some(Decimal::ONE), value: Decimal::new(4, 2), lookup: None },
            Band { from: Decimal::ONE, to: None, value: Decimal::new(8, 2), lookup: None },
        ]
    }

    #[test]
    fn a_deal_fills_the_slices_its_amount_passes_through() {
        let quota = Ratio::int(10_000);
        // 6,000 from 0: all at 4% = 240.
        let d1 = fill(&bands(), Ratio::ZERO, Ratio::int(6_000), quota).unwrap();
        assert_eq!(d1.iter().map(|s| s.amount).collect::<Vec<_>>(), vec![Ratio::int(240)]);
        // 7,000 from 6,000: 4,000 × 4% + 3,000 × 8% = 160 + 240 = 400.
        let d2 = fill(&bands(), Ratio::int(6_000), Ratio::int(7_000), quota).unwrap();
        assert_eq!(
            d2.iter().map(|s| (s.band, s.slice, s.amount)).collect::<Vec<_>>(),
            vec![(0, Ratio::int(4_000), Ratio::int(160)), (1, Ratio::int(3_000), Ratio::int(240))]
        );
        // −2,000 from 1,000 (a total lowered below 0): 3,000 back at 4% = −120.
        let back = fill(&bands(), Ratio::int(1_000), Ratio::int(-3_000), quota).unwrap();
        assert_eq!(back.iter().map(|s| s.amount).collect::<Vec<_>>(), vec![Ratio::int(-120)]);
    }

    #[test]
    fn a_base_fills_each_band_s_room_at_its_rate() {
        // 30% until 20,000 is paid, then 10%.
        let bands = vec![
            Band { from: Decimal::ZERO, to: Some(Decimal::from(20_000)), value: Decimal::new(30, 2), lookup: None },
            Band { from: Decimal::from(20_000), to: None, value: Decimal::new(10, 2), lookup: None },
        ];
        // January: 40,000 from 0 pays 12,000, inside the first band.
        let jan = fill_paid(&bands, Ratio::ZERO, Ratio::int(40_000)).unwrap();
        assert_eq!(
            jan.iter().map(|s| (s.slice, s.amount)).collect::<Vec<_>>(),
            vec![(Ratio::int(40_000), Ratio::int(12_000))]
        );
        // February: 50,000 from 12,000: the room of 8,000 at 30% takes 26,666.66…, the other
        // 23,333.33… at 10% pays 2,333.33…: 10,333.33… in all.
        let feb = fill_paid(&bands, Ratio::int(12_000), Ratio::int(50_000)).unwrap();
        let base = Ratio::new(80_000, 3).unwrap();
        assert_eq!(feb[0].slice, base);
        assert_eq!(feb[0].amount, Ratio::int(8_000));
        assert_eq!(feb[1].amount, Ratio::new(7_000, 3).unwrap());
        // Going back down from 22,000 by 30,000 of base: 2,000 of room at 10% takes 20,000 of base;
        // the other 10,000 at 30% is 3,000: −5,000 in all.
        let back = fill_paid(&bands, Ratio::int(22_000), Ratio::int(-30_000)).unwrap();
        assert_eq!(back.iter().map(|s| s.amount).collect::<Vec<_>>(), vec![Ratio::int(-2_000), Ratio::int(-3_000)]);
    }
}
