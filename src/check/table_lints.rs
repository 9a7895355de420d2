//! Lints on a table's values: rates above 100%, falling rates in a table not declared
//! `decelerating`, and the jumps (cliffs) of a retroactive table, priced on a sample quota.

use super::expr::Checker;
use super::problems;
use super::tables::{row_values, unit_of};
use crate::ast::{self, Row, Span};
use crate::model::{self, ValueKind};
use rust_decimal::Decimal;

/// The sample quota the retroactive-cliff note prices each jump at.
const SAMPLE_QUOTA: i64 = 100_000;

impl Checker<'_> {
    /// Warns about rates above 100% in a table not declared `multiplier`, and falling rates in a
    /// table not declared `decelerating`.
    pub(super) fn lint_rates(&mut self, table: &ast::Table, rows: &model::Rows, values: ValueKind) {
        if values == ValueKind::Rate && table.multiplier.is_none() {
            for value in row_values(table) {
                if unit_of(value).is_some_and(|(_, v)| v > Decimal::ONE) {
                    self.report(problems::rate_above_100(value));
                }
            }
        }
        // Each row's position with its value; a band whose rate a lookup gives for each deal has
        // no one value to compare.
        let sequence: Vec<(usize, Decimal)> = match rows {
            model::Rows::Marginal(b) | model::Rows::Retroactive(b) => {
                b.iter().enumerate().filter(|(_, b)| b.lookup.is_none()).map(|(i, b)| (i, b.value)).collect()
            }
            model::Rows::Linear(p) => p.iter().enumerate().map(|(i, (_, v))| (i, *v)).collect(),
            model::Rows::Lookup { .. } => return,
        };
        if table.decelerating.is_some() {
            return;
        }
        let row_spans = row_spans(table);
        if let Some(w) = sequence.windows(2).find(|w| w[1].1 < w[0].1) {
            let span = row_spans.get(w[1].0).copied().unwrap_or(table.name.span);
            let previous = row_spans.get(w[0].0).copied().unwrap_or(table.name.span);
            self.report(problems::rates_go_down(table, span, previous));
        }
    }

    /// A note that prices each jump of a retroactive table at a sample quota. A band whose price
    /// does not fit in exact arithmetic is an error at its row: the plan could not pay it either.
    pub(super) fn cliff_note(&mut self, table: &ast::Table, rows: &model::Rows, mode_span: Span) {
        let model::Rows::Retroactive(bands) = rows else { return };
        // A band whose rate differs by deal has no one jump to price.
        if bands.iter().any(|b| b.lookup.is_some()) {
            return;
        }
        let quota = Decimal::from(SAMPLE_QUOTA);
        let currency = self.currency.clone().unwrap_or_default();
        let row_spans = row_spans(table);
        let mut jumps = Vec::new();
        for (i, w) in bands.windows(2).enumerate() {
            let Some(jump) = priced(&w[0], &w[1], quota) else {
                let span = row_spans.get(i + 1).copied().unwrap_or(table.name.span);
                self.report(problems::band_payout_overflows(&table.name, span, quota, &currency));
                return;
            };
            jumps.push(jump);
        }
        if !jumps.is_empty() {
            let upper = table.upper_included.is_some();
            self.report(problems::retroactive_cliff(&table.name, mode_span, quota, &currency, &jumps, upper));
        }
    }
}

/// Where each row that is not an error is written, in order.
fn row_spans(table: &ast::Table) -> Vec<Span> {
    table.rows.iter().filter(|r| !matches!(r.kind, Row::Error(_))).map(|r| r.span).collect()
}

/// The jump where band `above` starts, after band `below`, on a quota: `None` when it leaves exact
/// arithmetic.
fn priced(below: &model::Band, above: &model::Band, quota: Decimal) -> Option<problems::Jump> {
    let at = above.from;
    let base = at.checked_mul(quota)?;
    let (paid_below, paid_above) = (below.value.checked_mul(base)?, above.value.checked_mul(base)?);
    Some(problems::Jump {
        percent: at.checked_mul(Decimal::ONE_HUNDRED)?,
        base,
        below: paid_below,
        above: paid_above,
        jump: paid_above.checked_sub(paid_below)?,
    })
}
