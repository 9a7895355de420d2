//! Lints on a table's values: rates above 100%, falling rates in a table not declared
//! `decelerating`, and the jumps (cliffs) of a retroactive table, priced on a sample quota.

use super::expr::Checker;
use super::tables::unit_of;
use crate::ast::{self, Row, Span};
use crate::diagnostics::{codes, Diagnostic};
use crate::model::{self, ValueKind};
use rust_decimal::Decimal;

/// The sample quota the retroactive-cliff note prices each jump at.
const SAMPLE_QUOTA: i64 = 100_000;

impl Checker<'_> {
    /// Warns about rates above 100% and falling rates in a table not declared `decelerating`.
    pub(super) fn lint_rates(&mut self, table: &ast::Table, rows: &model::Rows, values: ValueKind) {
        if values == ValueKind::Rate {
            let value_spans = table.rows.iter().filter_map(|r| match &r.kind {
                Row::Band { value, .. }
                | Row::Open { value, .. }
                | Row::Point { value, .. }
                | Row::Key { value, .. }
                | Row::Otherwise { value } => Some(value),
                Row::Error(_) => None,
            });
            for value in value_spans {
                if let Some((_, v)) = unit_of(value) {
                    if v > Decimal::ONE {
                        self.diags.push(
                            Diagnostic::new(
                                &codes::RATE_ABOVE_100,
                                format!("a rate of {} pays more than the base", value.literal.raw),
                            )
                            .primary(value.span, "above 100%")
                            .help("check the rate: 120% is often a typo for 12%"),
                        );
                    }
                }
            }
        }
        let sequence: Vec<Decimal> = match rows {
            model::Rows::Marginal(b) | model::Rows::Retroactive(b) => b.iter().map(|b| b.value).collect(),
            model::Rows::Linear(p) => p.iter().map(|(_, v)| *v).collect(),
            model::Rows::Lookup { .. } => return,
        };
        if table.decelerating.is_some() {
            return;
        }
        let row_spans: Vec<Span> =
            table.rows.iter().filter(|r| !matches!(r.kind, Row::Error(_))).map(|r| r.span).collect();
        if let Some(i) = sequence.windows(2).position(|w| w[1] < w[0]) {
            let span = row_spans.get(i + 1).copied().unwrap_or(table.name.span);
            let previous = row_spans.get(i).copied().unwrap_or(table.name.span);
            self.diags.push(
                Diagnostic::new(&codes::RATES_GO_DOWN, format!("the rates of `{}` go down", table.name.text))
                    .primary(span, "lower than the row before")
                    .secondary(previous, "previous row")
                    .help(format!(
                        "if a decelerator is intended, declare it: `table {} {} on … decelerating {{`",
                        table.name.text,
                        table.mode.0.keyword()
                    )),
            );
        }
    }

    /// A note that prices each jump of a retroactive table at a sample quota. A band whose price
    /// does not fit in exact arithmetic is an error at its row: the plan could not pay it either.
    pub(super) fn cliff_note(&mut self, table: &ast::Table, rows: &model::Rows, mode_span: Span) {
        let model::Rows::Retroactive(bands) = rows else { return };
        let quota = Decimal::from(SAMPLE_QUOTA);
        let currency = self.currency.clone().unwrap_or_default();
        let money = |d: Decimal| {
            let mut rounded = d.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointNearestEven);
            rounded.rescale(2);
            format!("{} {currency}", crate::num::grouped(rounded))
        };
        let row_spans: Vec<Span> =
            table.rows.iter().filter(|r| !matches!(r.kind, Row::Error(_))).map(|r| r.span).collect();
        let mut notes = Vec::new();
        for (i, w) in bands.windows(2).enumerate() {
            let at = w[1].from;
            let priced = at.checked_mul(quota).and_then(|base| {
                let (below, above) = (w[0].value.checked_mul(base)?, w[1].value.checked_mul(base)?);
                Some((base, below, above, above.checked_sub(below)?, at.checked_mul(Decimal::ONE_HUNDRED)?))
            });
            let Some((base, below, above, jump, percent)) = priced else {
                let span = row_spans.get(i + 1).copied().unwrap_or(table.name.span);
                self.diags.push(
                    Diagnostic::new(
                        &codes::OVERFLOW,
                        format!("this band of `{}` is too large for exact arithmetic", table.name.text),
                    )
                    .primary(span, format!("its payout on a quota of {} overflows", money(quota)))
                    .help("check the band's bound and rate: a rate is a percentage such as `8%`"),
                );
                return;
            };
            notes.push(format!(
                "at {}% the payout on {} goes from {} to {} ({}{})",
                percent.normalize(),
                money(base),
                money(below),
                money(above),
                if above >= below { "+" } else { "" },
                money(jump)
            ));
        }
        if notes.is_empty() {
            return;
        }
        let mut d = Diagnostic::new(
            &codes::RETROACTIVE_CLIFF,
            format!("`{}` pays the reached rate on the whole base: the payout jumps at each boundary", table.name.text),
        )
        .primary(mode_span, format!("with a quota of {}", money(quota)));
        for n in notes {
            d = d.note(n);
        }
        self.diags
            .push(d.help("use `marginal` for a payout without jumps, or keep `retroactive` if the jumps are intended"));
    }
}
