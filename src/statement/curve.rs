//! The payout curve as a page shows it: the runtime's curve ([`crate::eval::curve`]) at every 1%
//! from 0% to 200% (a row of its table every 5%) and at a rep's own attainment, each earning's
//! value rounded as its line would be, with what the curve leaves out said in words. Shared by
//! statements and plan documents.

use crate::data::{Dataset, RepIdx};
use crate::eval::curve::{self, Whom};
use crate::eval::error::Fault;
use crate::model::{AttainmentId, Plan, RoundingMode};
use crate::num::{grouped, Ratio, Rounding};
use rust_decimal::Decimal;

/// A payout curve ready to print.
#[derive(Clone, Debug)]
pub struct PayoutCurve {
    /// The attainment along the curve.
    pub attainment: String,
    /// The measure it divides.
    pub measure: String,
    /// The window each point pays over (`plan year`, `quarter`, `month`).
    pub window: &'static str,
    /// The quota of that window, as shown (`1,200,000.00 USD`, `60 meetings`).
    pub quota: String,
    /// The plan's currency.
    pub currency: String,
    /// The earnings drawn, in declaration order.
    pub earnings: Vec<String>,
    /// The earnings left out, with why.
    pub left_out: Vec<(String, String)>,
    /// The limits not applied (`commission's cap`), with why.
    pub not_applied: Vec<(String, String)>,
    /// The points from 0% to 200% every 5%: the table beside the chart.
    pub points: Vec<CurvePoint>,
    /// The points every 1%, which the chart's line goes through (so that a step where a band
    /// or a gate starts shows as a step): the attainment in percent and the total.
    pub line: Vec<(Decimal, Decimal)>,
    /// The rep's own position, when the curve is a rep's.
    pub rep: Option<CurvePoint>,
}

/// One point of the curve.
#[derive(Clone, Debug)]
pub struct CurvePoint {
    /// The attainment in percent, rounded half to even to hundredths (`129.17`).
    pub percent: Decimal,
    /// Each drawn earning's value rounded with the plan's rounding, in the order of the earnings.
    pub values: Vec<Decimal>,
    /// Their sum.
    pub total: Decimal,
    /// The values and the total with their currency, as the page shows them.
    pub shown: Vec<String>,
}

impl CurvePoint {
    /// The attainment as shown (`129.17%`).
    pub fn percent_text(&self) -> String {
        format!("{}%", self.percent.normalize())
    }

    /// The attainment in hundredths of a percent, a chart's coordinate (saturating).
    pub fn percent_cents(&self) -> i64 {
        use rust_decimal::prelude::ToPrimitive;
        self.percent.checked_mul(Decimal::ONE_HUNDRED).and_then(|d| d.round().to_i64()).unwrap_or(i64::MAX / 4)
    }

    /// The total as shown.
    pub fn total_text(&self) -> String {
        self.shown.last().cloned().unwrap_or_default()
    }
}

/// The attainments a curve is evaluated at: every 1% from 0% to 200% (every fifth is a row of its
/// table).
pub fn steps() -> Vec<Ratio> {
    (0..=200).filter_map(|i| Ratio::new(i, 100)).collect()
}

/// The curve of `attainment` against `quota` (of [`curve::window`]), for a rep (whose columns a cap
/// may read, and whose attainment `rep_at` is marked) or for no one.
pub fn payout_curve(
    plan: &Plan,
    attainment: AttainmentId,
    quota: Ratio,
    schema: &crate::model::Schema,
    rep: Option<(&Dataset, RepIdx, Ratio)>,
) -> Result<PayoutCurve, Fault> {
    let mut at = steps();
    if let Some((_, _, own)) = rep {
        at.push(own);
    }
    let whom = Whom { rep: rep.map(|(data, idx, _)| (data, idx)), schema };
    let c = curve::curve(plan, attainment, quota, whom, &at)?;
    let a = &plan.attainments[attainment];
    let name = |id: crate::model::EarningId| plan.earnings[id].name.clone();
    let mut all = c.points.iter().map(|p| point(plan, p)).collect::<Result<Vec<_>, Fault>>()?;
    let own = if rep.is_some() { all.pop() } else { None };
    let line = all.iter().map(|p| (p.percent, p.total)).collect();
    let points = all.into_iter().step_by(5).collect();
    let limit_word = |e: crate::model::EarningId, i: usize| {
        let kind = plan.earnings[e].limits.get(i).map(|l| l.kind);
        let word = if kind == Some(crate::model::LimitKind::Floor) { "floor" } else { "cap" };
        format!("the {word} of {}", name(e))
    };
    Ok(PayoutCurve {
        attainment: a.name.clone(),
        measure: plan.measures[a.measure].name.clone(),
        window: curve::words(c.window, plan.pay),
        quota: quantity(plan, a.quota, quota)?,
        currency: plan.currency.clone(),
        earnings: c.drawn.iter().map(|id| name(*id)).collect(),
        left_out: c.left_out.iter().map(|(id, why)| (name(*id), why.clone())).collect(),
        not_applied: c.not_applied.iter().map(|(id, i, why)| (limit_word(*id, *i), why.clone())).collect(),
        points,
        line,
        rep: own,
    })
}

/// A quota as shown: money with the plan's decimals and currency, a number of units without.
pub fn quantity(plan: &Plan, quota: crate::model::QuotaId, value: Ratio) -> Result<String, Fault> {
    let shown = round(value, plan.rounding)?;
    Ok(if plan.quotas[quota].money {
        format!("{} {}", grouped(shown), plan.currency)
    } else {
        grouped(shown.normalize())
    })
}

fn point(plan: &Plan, p: &curve::Point) -> Result<CurvePoint, Fault> {
    let values = p.values.iter().map(|v| round(*v, plan.rounding)).collect::<Result<Vec<_>, Fault>>()?;
    let total = values
        .iter()
        .try_fold(Decimal::ZERO, |sum, v| sum.checked_add(*v))
        .ok_or_else(|| Fault::overflow("the curve's total"))?;
    let hundredths = Rounding { mode: RoundingMode::HalfEven, decimals: 2 };
    let percent = round(p.at.checked_mul(Ratio::int(100))?, hundredths)?;
    let money = |d: &Decimal| format!("{} {}", grouped(*d), plan.currency);
    let mut shown: Vec<String> = values.iter().map(money).collect();
    shown.push(money(&total));
    Ok(CurvePoint { percent, values, total, shown })
}

fn round(value: Ratio, rounding: Rounding) -> Result<Decimal, Fault> {
    value.round(rounding).map_err(|_| Fault::overflow("a point of the payout curve"))
}
