//! The exact lines a rep's earnings paid ([`EarnedLines`]), which earnings reading earnings add up:
//! the rep's own, and those of the reps below a manager (overrides on the team's earnings).

use super::RepPlan;
use crate::data::RepIdx;
use crate::eval::error::Fault;
use crate::eval::period::{Month, PayPeriod};
use crate::eval::team::TeamPart;
use crate::model::{self, Scope};
use crate::num::Ratio;

/// The exact lines (see [`crate::eval::derivation::Line::exact`]) of a rep's earnings under one plan, by
/// earning name (so that they survive a new version), each with its pay period, in time order.
#[derive(Clone, Debug, Default)]
pub struct EarnedLines {
    lines: Vec<(String, Vec<EarnedLine>)>,
}

/// One exact line of an earning.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EarnedLine {
    /// The pay period it was earned in.
    pub period: PayPeriod,
    /// The plan version in effect then, whose earning it is.
    pub version: u32,
    /// The line before rounding.
    pub exact: Ratio,
}

impl EarnedLines {
    /// Records an earning's exact line for a pay period.
    pub fn record(&mut self, name: &str, line: EarnedLine) {
        match self.lines.iter_mut().find(|(n, _)| n == name) {
            Some((_, lines)) => lines.push(line),
            None => self.lines.push((name.to_string(), vec![line])),
        }
    }

    /// An earning's lines in the pay periods within a window of months (first and last included).
    pub fn within(&self, name: &str, (from, to): (Month, Month)) -> impl Iterator<Item = EarnedLine> + '_ {
        let lines = self.lines.iter().find(|(n, _)| n == name).map_or(&[][..], |(_, l)| &l[..]);
        lines.iter().copied().filter(move |l| l.period.first >= from && l.period.last <= to)
    }

    /// The sum of an earning's lines within a window of months.
    pub fn sum_within(&self, name: &str, window: (Month, Month)) -> Result<Ratio, Fault> {
        Ok(self.within(name, window).try_fold(Ratio::ZERO, |sum, l| sum.checked_add(l.exact))?)
    }
}

impl RepPlan<'_> {
    /// The lines of an earning of the reps below (see [`model::Expr::TeamEarning`]) in the window of a scope
    /// at the current period, rep by rep in the order of the reps table.
    pub fn team_parts(
        &self,
        plan: Option<&str>,
        earning: &str,
        reach: model::Reach,
        scope: Scope,
    ) -> Result<Vec<TeamPart>, Fault> {
        let data = self.shared.data;
        let manager = self.shared.ws.crediting.as_ref().and_then(|c| c.rollup);
        let manager_of = move |r: RepIdx| manager.and_then(|m| data.reference(m, r)).map(RepIdx::of_row);
        let reps = crate::eval::team::reps_below(&self.shared.credits.below, manager_of, self.rep, reach);
        self.shared.team.parts(reps, plan, earning, self.cal.measure_window(&self.period, scope))
    }
}
