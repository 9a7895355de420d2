//! Overrides on the team's earnings (`4% of commission period of every rep below`): the reps below
//! a manager are evaluated before the manager, level by level from the bottom of the hierarchy, and
//! the exact lines they earned are kept for the managers above them to read.

use super::error::{EvalError, Fault};
use super::rep_plan::{EarnedLine, EarnedLines};
use super::Name;
use crate::data::RepIdx;
use crate::diagnostics::Code;
use crate::model::{self, Expr, Reach};
use rustc_hash::FxHashMap as HashMap;

/// A rep's exact lines under each plan, by plan name.
pub type PlansLines = Vec<(String, EarnedLines)>;

/// The exact lines of the reps already evaluated, for the managers above them.
#[derive(Debug, Default)]
pub struct Team {
    /// Each rep's lines under each plan (by plan name).
    lines: HashMap<RepIdx, PlansLines>,
    /// Reps whose evaluation failed, with their id and the code of their error: a manager who
    /// reads their earnings cannot be paid either.
    failed: HashMap<RepIdx, (Name, &'static Code)>,
}

/// One report's line that an override reads.
#[derive(Clone, Debug)]
pub struct TeamPart {
    /// The rep below.
    pub rep: RepIdx,
    /// The plan the line was earned under.
    pub plan: String,
    /// The line.
    pub line: EarnedLine,
}

impl Team {
    /// Keeps what a rep's evaluation gave: their lines under each plan, or their failure.
    pub fn keep(&mut self, rep: RepIdx, id: &Name, result: Result<PlansLines, &EvalError>) {
        match result {
            Ok(lines) => {
                self.lines.insert(rep, lines);
            }
            Err(e) => {
                self.failed.insert(rep, (id.clone(), e.diagnostic.code));
            }
        }
    }

    /// The lines of `earning` (of `plan` only, when named) that `reps` earned in a window.
    pub fn parts(
        &self,
        reps: impl Iterator<Item = RepIdx>,
        plan: Option<&str>,
        earning: &str,
        window: (super::period::Month, super::period::Month),
    ) -> Result<Vec<TeamPart>, Fault> {
        let mut out = Vec::new();
        for rep in reps {
            if let Some((id, code)) = self.failed.get(&rep) {
                return Err(Fault::new(
                    code,
                    format!("`{earning}` of the reps below cannot be read: rep `{id}` below could not be paid"),
                )
                .help(format!("fix the error reported for rep `{id}` first")));
            }
            for (name, lines) in self.lines.get(&rep).into_iter().flatten() {
                if plan.is_some_and(|p| p != name) {
                    continue;
                }
                out.extend(lines.within(earning, window).map(|line| TeamPart { rep, plan: name.clone(), line }));
            }
        }
        Ok(out)
    }
}

/// Whether a plan of the workspace reads the earnings of the reps below: only then are reps
/// evaluated from the bottom of the hierarchy up, and every rep's lines kept.
pub fn reads_the_team(ws: &model::Workspace) -> bool {
    ws.plans.iter().flat_map(|p| &p.earnings).any(|e| {
        let mut found = false;
        let mut visit = |x: &Expr| found |= matches!(x, Expr::TeamEarning { .. });
        e.value.walk(&mut visit);
        e.gate.iter().for_each(|g| g.walk(&mut visit));
        e.limits.iter().for_each(|l| l.amount.walk(&mut visit));
        if let model::EarningForm::Once { when: Some(w), .. } = &e.form {
            w.walk(&mut visit);
        }
        found
    })
}

/// The reps a reach takes below a rep: every rep below, or those whose manager is the rep, in
/// the order of the reps table.
pub fn reps_below<'s>(
    below: &'s crate::model::IdVec<RepIdx, Vec<RepIdx>>,
    manager_of: impl Fn(RepIdx) -> Option<RepIdx> + 's,
    rep: RepIdx,
    reach: Reach,
) -> impl Iterator<Item = RepIdx> + 's {
    below
        .get(rep)
        .map_or(&[][..], |b| &b[..])
        .iter()
        .copied()
        .filter(move |&r| reach == Reach::EveryRepBelow || manager_of(r) == Some(rep))
}

/// The reps below those asked for (all of them in a run of every rep), in levels that can be
/// evaluated one after the other, each in parallel: a rep comes after every rep below them. A rep
/// has strictly fewer reps below them than their manager, so the levels are the counts of reps
/// below, from 0 (the reps nobody reports to) up.
pub fn levels(below: &crate::model::IdVec<RepIdx, Vec<RepIdx>>, asked: &[RepIdx]) -> Vec<Vec<RepIdx>> {
    let mut wanted: Vec<RepIdx> = asked.iter().flat_map(|&r| below.get(r).into_iter().flatten().copied()).collect();
    wanted.extend_from_slice(asked);
    wanted.sort_by_key(|&r| (below.get(r).map_or(0, Vec::len), r.index()));
    wanted.dedup();
    let mut out: Vec<Vec<RepIdx>> = Vec::new();
    let mut size = None;
    for rep in wanted {
        let n = below.get(rep).map_or(0, Vec::len);
        if size != Some(n) {
            out.push(Vec::new());
            size = Some(n);
        }
        if let Some(level) = out.last_mut() {
            level.push(rep);
        }
    }
    out
}
