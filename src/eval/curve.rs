//! The payout curve: a plan's own earnings evaluated at attainments chosen by the caller (0% to
//! 200%, say), so that a statement and a plan document can show what each attainment pays.
//!
//! "The payout at attainment X" is taken over one full window of the attainment (the plan year for
//! a year-to-date attainment, the quarter for a quarterly one, the pay period for one of the
//! period) against a quota `Q` of that window: the attainment is X, its measure in its own scope is
//! X × Q, its quota is Q. Each earning is evaluated by the runtime's own expression evaluator
//! (`interp::eval`) and its tables by the runtime's own rows (`rates::from_rows`),
//! with its gate and the caps and floors on that window. An earning that reads anything else (a
//! measure in another window, another measure, a deal, another earning), is paid per deal, or is
//! paid over a window of another width is not a function of the attainment: it is left out of the
//! curve and named with why. A limit whose amount cannot be read (it depends on a rep's column and
//! no rep is given), or that bounds another window, is not drawn, and named too. Nothing is
//! rounded here: the caller rounds what it shows.

use super::earn::rank;
use super::error::Fault;
use super::interp::{eval, num, truth, Context, Row};
use crate::data::{Dataset, RepIdx};
use crate::diagnostics::codes;
use crate::model::{
    self, AttainmentId, ColumnId, EarningForm, EarningId, Expr, LimitKind, MeasureId, Plan, QuotaId, RateTableId,
    Scope, TableKey,
};
use crate::num::Ratio;
use std::cell::RefCell;

/// The window a curve of an attainment is taken over: the scope of a quota over one full window of
/// the attainment's measure (a year-to-date attainment's is the whole plan year).
pub fn window(plan: &Plan, attainment: AttainmentId) -> Scope {
    match plan.attainments[attainment].measure_scope {
        Scope::Ytd | Scope::Year => Scope::Year,
        other => other,
    }
}

/// A payout curve of one attainment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Curve {
    /// The attainment along the curve.
    pub attainment: AttainmentId,
    /// The window each point is a payout over (see [`window`]).
    pub window: Scope,
    /// The quota of that window the attainments are fractions of.
    pub quota: Ratio,
    /// The earnings drawn, in declaration order.
    pub drawn: Vec<EarningId>,
    /// The earnings left out, each with why.
    pub left_out: Vec<(EarningId, String)>,
    /// The limits of drawn earnings that are not applied (earning, limit index, why).
    pub not_applied: Vec<(EarningId, usize, String)>,
    /// The points, in the order asked for.
    pub points: Vec<Point>,
}

/// The payout at one attainment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Point {
    /// The attainment (a fraction: 1 is 100%).
    pub at: Ratio,
    /// Each drawn earning's value over the window, exact, in the order of [`Curve::drawn`].
    pub values: Vec<Ratio>,
    /// Their sum.
    pub total: Ratio,
}

/// Who the curve is for: a rep of a data set (whose columns a cap may read), or no one.
#[derive(Clone, Copy)]
pub struct Whom<'a> {
    /// The loaded data, and the rep's row in it.
    pub rep: Option<(&'a Dataset, RepIdx)>,
    /// The schema's column names, for messages.
    pub schema: &'a model::Schema,
}

/// The curve of `attainment` at each of `at`, against `quota` for the [`window`].
pub fn curve(
    plan: &Plan,
    attainment: AttainmentId,
    quota: Ratio,
    whom: Whom<'_>,
    at: &[Ratio],
) -> Result<Curve, Fault> {
    let window = window(plan, attainment);
    let mut out = Curve {
        attainment,
        window,
        quota,
        drawn: Vec::new(),
        left_out: Vec::new(),
        not_applied: Vec::new(),
        points: Vec::new(),
    };
    // Which earnings and limits can be drawn is decided at the first point where reading them
    // fails; the ones drawn are then evaluated at every point.
    let mut columns: Vec<Vec<Ratio>> = Vec::new();
    for (id, earning) in plan.earnings.iter_enumerated() {
        if let Some(why) = shape(plan, earning, window) {
            out.left_out.push((id, why));
            continue;
        }
        let mut skipped: Vec<usize> = Vec::new();
        let mut values = Vec::with_capacity(at.len());
        let mut failed = None;
        for x in at {
            let cx = AtAttainment { plan, whom, attainment, at: *x, quota, refused: RefCell::new(None) };
            match value(&cx, earning, window, &mut skipped, &mut out.not_applied, id) {
                Ok(v) => values.push(v),
                Err(why) => {
                    failed = Some(why);
                    break;
                }
            }
        }
        match failed {
            Some(why) => {
                out.not_applied.retain(|(e, _, _)| *e != id);
                out.left_out.push((id, why));
            }
            None => {
                out.drawn.push(id);
                columns.push(values);
            }
        }
    }
    for (i, x) in at.iter().enumerate() {
        let values: Vec<Ratio> = columns.iter().map(|c| c[i]).collect();
        let total = values.iter().try_fold(Ratio::ZERO, |sum, v| sum.checked_add(*v))?;
        out.points.push(Point { at: *x, values, total });
    }
    Ok(out)
}

/// Why an earning's form keeps it off a curve over `window`, if it does.
fn shape(plan: &Plan, earning: &model::Earning, window: Scope) -> Option<String> {
    let own = rank(window, plan.pay);
    let per = match &earning.form {
        EarningForm::PerDeal { .. } => return Some("it is paid per deal, not on attainment".to_string()),
        EarningForm::Once { per, .. } => *per,
        EarningForm::Plain => earning.scope,
    };
    (rank(per, plan.pay) != own).then(|| {
        format!("it is paid over a {}, and the curve is over a {}", words(per, plan.pay), words(window, plan.pay))
    })
}

/// A window in words (`month`, `quarter`, `plan year`).
pub fn words(scope: Scope, pay: model::PayFrequency) -> &'static str {
    match rank(scope, pay) {
        0 => pay.period_word(),
        1 => "quarter",
        _ => "plan year",
    }
}

/// One earning's value over the window at the context's attainment: gate, value, then the caps
/// and floors on the window (a floor applies: the window is whole). A limit that cannot be read is
/// skipped and recorded once in `not_applied`; anything else that cannot be read is why the earning
/// is left out.
fn value(
    cx: &AtAttainment<'_>,
    earning: &model::Earning,
    window: Scope,
    skipped: &mut Vec<usize>,
    not_applied: &mut Vec<(EarningId, usize, String)>,
    id: EarningId,
) -> Result<Ratio, String> {
    let why = |fault: Fault| cx.refused.borrow_mut().take().unwrap_or(fault.message);
    if let Some(gate) = &earning.gate {
        cx.needs_no_rep(gate)?;
        if !eval(cx, gate, Row::None).and_then(truth).map_err(why)? {
            return Ok(Ratio::ZERO);
        }
    }
    if let EarningForm::Once { when: Some(condition), .. } = &earning.form {
        cx.needs_no_rep(condition)?;
        if !eval(cx, condition, Row::None).and_then(truth).map_err(why)? {
            return Ok(Ratio::ZERO);
        }
    }
    cx.needs_no_rep(&earning.value)?;
    let mut v = eval(cx, &earning.value, Row::None).and_then(num).map_err(why)?;
    let own = rank(window, cx.plan.pay);
    for (i, limit) in earning.limits.iter().enumerate() {
        if rank(limit.per, cx.plan.pay) != own {
            if !skipped.contains(&i) {
                skipped.push(i);
                let what = format!("it bounds each {}", words(limit.per, cx.plan.pay));
                not_applied.push((id, i, what));
            }
            continue;
        }
        let read =
            cx.needs_no_rep(&limit.amount).and_then(|()| eval(cx, &limit.amount, Row::None).and_then(num).map_err(why));
        match read {
            Ok(amount) => {
                v = match limit.kind {
                    LimitKind::Cap => v.min(amount),
                    LimitKind::Floor => v.max(amount),
                }
            }
            Err(what) => {
                if !skipped.contains(&i) {
                    skipped.push(i);
                    not_applied.push((id, i, what));
                }
            }
        }
    }
    Ok(v)
}

/// What names mean at a chosen attainment: the attainment, its measure in its own scope and its
/// quota (in its own scope or the curve's window) have the chosen values; the rep's columns are the
/// rep's when there is one; anything else is refused, with why.
struct AtAttainment<'a> {
    plan: &'a Plan,
    whom: Whom<'a>,
    attainment: AttainmentId,
    at: Ratio,
    quota: Ratio,
    /// Why the last name was refused, in words for the reader of the curve.
    refused: RefCell<Option<String>>,
}

impl AtAttainment<'_> {
    /// Refuses an expression that reads a column of the rep when the curve is for no rep.
    fn needs_no_rep(&self, e: &Expr) -> Result<(), String> {
        if self.whom.rep.is_some() {
            return Ok(());
        }
        let mut column = None;
        e.walk(&mut |x| {
            if let Expr::Rep(c) = x {
                column.get_or_insert(*c);
            }
        });
        match column {
            Some(c) => Err(format!("it depends on each rep's `{}`", self.column_name(c))),
            None => Ok(()),
        }
    }

    fn refuse(&self, why: String) -> Fault {
        *self.refused.borrow_mut() = Some(why.clone());
        Fault::new(&codes::WRONG_KIND, why)
    }
}

impl<'a> Context<'a> for AtAttainment<'a> {
    fn data(&self) -> &'a Dataset {
        // Only read through a rep or a row: without a rep, `rep()` is `None` and there is no row.
        match self.whom.rep {
            Some((data, _)) => data,
            None => unreachable_data(),
        }
    }

    fn deals(&self) -> Option<model::TableId> {
        None
    }

    fn rep(&self) -> Option<RepIdx> {
        self.whom.rep.map(|(_, rep)| rep)
    }

    fn measure(&self, id: MeasureId, scope: Scope) -> Result<Ratio, Fault> {
        let a = &self.plan.attainments[self.attainment];
        if id == a.measure && scope == a.measure_scope {
            return Ok(self.at.checked_mul(self.quota)?);
        }
        let name = &self.plan.measures[id].name;
        Err(self.refuse(format!("it reads `{name} {}`, which is not what `{}` measures", scope.keyword(), a.name)))
    }

    fn quota(&self, id: QuotaId, scope: Scope) -> Result<Ratio, Fault> {
        let a = &self.plan.attainments[self.attainment];
        if id == a.quota && (scope == a.quota_scope || scope == window(self.plan, self.attainment)) {
            return Ok(self.quota);
        }
        let name = &self.plan.quotas[id].name;
        Err(self.refuse(format!("it reads `{name} {}`, which is not `{}`'s quota", scope.keyword(), a.name)))
    }

    fn attainment(&self, id: AttainmentId) -> Result<Ratio, Fault> {
        if id == self.attainment {
            return Ok(self.at);
        }
        Err(self.refuse(format!("it reads the attainment `{}`", self.plan.attainments[id].name)))
    }

    fn earning(&self, id: EarningId, _: Scope) -> Result<Ratio, Fault> {
        Err(self.refuse(format!("it reads the earning `{}`", self.plan.earnings[id].name)))
    }

    fn team_earning(&self, _: Option<&str>, earning: &str, _: model::Reach, _: Scope) -> Result<Ratio, Fault> {
        Err(self.refuse(format!("it reads `{earning}` of the reps below")))
    }

    fn table(&self, id: RateTableId, base: Option<&'a Expr>, row: Row<'_>) -> Result<Ratio, Fault> {
        let table = &self.plan.tables[id];
        let (key, unit) = match &table.key {
            TableKey::Attainment(a) => (self.attainment(*a)?, self.quota),
            TableKey::Measure { id, scope } => {
                let scope = scope.or(match base {
                    Some(Expr::Measure { scope, .. }) => Some(*scope),
                    _ => None,
                });
                (self.measure(*id, scope.unwrap_or(Scope::Period))?, Ratio::ONE)
            }
            _ => return Err(self.refuse(format!("its table `{}` is read deal by deal", table.name))),
        };
        let base = base.map(|b| eval(self, b, row).and_then(num)).transpose()?;
        super::rates::from_rows(table, key, base, unit)?
            .ok_or_else(|| self.refuse(format!("its table `{}` reads a value of each deal", table.name)))
    }

    fn column_name(&self, column: ColumnId) -> String {
        let table = &self.whom.schema.tables[column.table];
        let name = table.columns.get(column.column).map_or("?", |c| c.name.as_str());
        format!("{}.{name}", table.row_name)
    }
}

/// The data set asked for where none was given: the evaluator reads it only through a rep or a row,
/// and the curve without a rep has neither, so this is never reached.
#[cold]
fn unreachable_data() -> &'static Dataset {
    static EMPTY: std::sync::OnceLock<Dataset> = std::sync::OnceLock::new();
    EMPTY.get_or_init(|| Dataset {
        tables: Default::default(),
        strings: Default::default(),
        ref_targets: Default::default(),
        key_types: Default::default(),
        warnings: Vec::new(),
    })
}
