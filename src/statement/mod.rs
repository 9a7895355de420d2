//! Statements for reps: one HTML page per rep, plan and pay period, saying what the period pays,
//! for which deals, what is held, how far each attainment has come and how the year went, and an
//! index of them all for the comp admin.
//!
//! Every amount on a page is a row of the payroll (`payouts.csv`, `attainment.csv`) as the runtime
//! wrote it, or a part of a line split across deals by the runtime's own largest remainder (as
//! `explain` splits it), read while the runtime evaluates the rep ([`read`], through
//! [`crate::eval::derivation`]). Nothing is computed twice. The pages are rendered from askama
//! templates (`templates/`), which escape every value, with charts drawn as inline SVG by plotters
//! ([`charts`]); a page loads nothing: no script, no font, no image, no link outside itself.

mod assemble;
pub mod charts;
pub mod curve;
mod read;
mod render;

pub use assemble::{statements, AttainmentView, DealView, LineView, Statement, YearRow};
pub use curve::{CurvePoint, PayoutCurve};
pub use read::read;
pub(crate) use render::filters;
pub use render::{curve_chart, index_html, statement_html, Chart, CurveChart, Listed};

use crate::eval::period::Month;
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// What a statement reads of one evaluated pay period of a rep under a plan (see [`read`]), owned,
/// so that it outlives the evaluation.
#[derive(Clone, Debug)]
pub struct Reading {
    /// The rep's id.
    pub rep: String,
    /// The rep's name, when the reps table has a `name` column.
    pub rep_name: Option<String>,
    /// The plan's name.
    pub plan: String,
    /// The plan's title.
    pub title: String,
    /// The plan's version in effect.
    pub version: u32,
    /// The plan's currency.
    pub currency: String,
    /// The decimals the plan rounds lines to.
    pub decimals: u32,
    /// The pay period's name (`2026-03`, `2026-Q1`).
    pub period: String,
    /// The plan year it belongs to.
    pub year: i32,
    /// Its last month.
    pub last: Month,
    /// Its first day.
    pub start: NaiveDate,
    /// Its last day.
    pub end: NaiveDate,
    /// Whether the period is closed (paid as the ledger records it): then nothing more is read.
    pub closed: bool,
    /// The deals credited in the period, as the plan's measures and per-deal earnings count them.
    pub deals: Vec<Deal>,
    /// Each earning's parts per deal, in declaration order.
    pub parts: Vec<Parts>,
    /// The parts held this period.
    pub held: Vec<Moved>,
    /// The parts released this period.
    pub released: Vec<Moved>,
    /// Where each attainment's tables change band (fractions, ascending), by attainment name.
    pub bands: Vec<(String, Vec<Decimal>)>,
    /// The earnings whose line a limit bound, with which (`a cap`, `a floor`, `a cap and a floor`).
    pub bound: Vec<(String, &'static str)>,
    /// The lines of the plan's draws that are advances (the others are guarantees).
    pub advances: Vec<String>,
    /// Whether each attainment's measure and quota are money (else numbers, such as meetings), by
    /// attainment name: a count is not shown with a currency.
    pub money: Vec<(String, bool, bool)>,
    /// The plan's payout curves for the rep (see [`curve`]), in the order of the attainments.
    pub curves: Vec<PayoutCurve>,
}

/// A credit row of the period, as a statement lists it.
#[derive(Clone, Debug)]
pub struct Deal {
    /// The deal's id.
    pub id: String,
    /// The day it is credited on (closed, or cancelled for a reversal).
    pub date: NaiveDate,
    /// Whether it is the reversal of a cancelled deal.
    pub reversal: bool,
    /// The credited amount, in the credit currency (negative for a reversal).
    pub amount: Decimal,
    /// The rep's share of the deal.
    pub share: Decimal,
    /// How the rep is credited (`direct`, `split`, `territory`, `rollup from bob`).
    pub kind: String,
    /// For a deal in another currency: its own amount, its currency and the day of its rate.
    pub original: Option<(Decimal, String, NaiveDate)>,
}

/// How an earning's line is split across deals.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Allocation {
    /// A per-deal earning: each deal's part is what it pays on that deal.
    PerDeal,
    /// A line read from measures: shared in proportion to what each deal counted in the period.
    ByCredit,
    /// Not split by deal (a bonus, a line that reads no deal).
    None,
}

/// An earning's line, split across the period's deals by largest remainder.
#[derive(Clone, Debug)]
pub struct Parts {
    /// The earning's name.
    pub earning: String,
    /// How the line is split.
    pub how: Allocation,
    /// Each part, with the position of its deal in [`Reading::deals`]; the parts sum to the line.
    pub parts: Vec<(usize, Decimal)>,
}

/// A part held back or released.
#[derive(Clone, Debug)]
pub struct Moved {
    /// When it falls due (`from 2026-05`, `deal A4, when its invoice is paid`).
    pub due: String,
    /// The amount: negative when held, positive when released.
    pub amount: Decimal,
}
