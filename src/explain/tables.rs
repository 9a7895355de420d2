//! Explaining a table where an earning uses it: its key and the band or row it chose, the slices
//! of a marginal table, the points a linear one interpolates between.

use super::build::Builder;
use super::{Node, Source};
use crate::eval::derivation::Row;
use crate::eval::derivation::{table_work, Work};
use crate::eval::error::Fault;
use crate::model::{self, Aggregate, Expr, Rows, TableKey, ValueKind};
use crate::num::Ratio;
use crate::num::{show_percent, show_ratio};
use rust_decimal::Decimal;

impl Builder<'_, '_> {
    pub(super) fn table(&self, id: usize, base: Option<&Expr>) -> Result<Node, Fault> {
        let t = &self.plan.tables[id];
        let work = table_work(self.cx, id, base, Row::None)?;
        let mode = match &t.rows {
            Rows::Marginal(_) => "marginal",
            Rows::Retroactive(_) => "retroactive",
            Rows::Linear(_) => "linear",
            Rows::Lookup { .. } => "lookup",
        };
        // A table's value is money, except a number table's, or rates applied to a count.
        let count_base = matches!(base, Some(Expr::Measure { id, .. }) if matches!(self.plan.measures[*id].aggregate, Aggregate::Count));
        let amount = |v: Ratio| match t.values {
            ValueKind::Number => show_ratio(v, self.plan.rounding.decimals),
            ValueKind::Rate if count_base => show_ratio(v, self.plan.rounding.decimals),
            _ => self.money(v),
        };
        let mut node =
            Node::new(format!("table {} ({mode})", t.name)).value(amount(work.value)).source(self.definition(&t.name));
        match &t.key {
            TableKey::Attainment(a) => node.children.push(self.attainment(*a)?),
            TableKey::Measure { id, scope: Some(scope) } => node.children.push(self.measure(*id, *scope)?),
            _ => {}
        }
        if let Some(base) = base {
            // A marginal table on attainment applies to the attainment's own measure, shown above.
            let shown = match (&t.key, base) {
                (TableKey::Attainment(a), Expr::Measure { id, scope }) => {
                    let a = &self.plan.attainments[*a];
                    (a.measure, a.measure_scope) == (*id, *scope)
                }
                // So does a table keyed on the measure it is applied to, in the same scope.
                (TableKey::Measure { id: key, scope: Some(at) }, Expr::Measure { id, scope }) => {
                    (*key, *at) == (*id, *scope)
                }
                _ => false,
            };
            if !shown {
                node.children.extend(self.deps(base)?);
            }
        }
        // A table keyed on a count (of meetings, of deals) has bands of counts, not of money.
        let counts = matches!(t.key, TableKey::Measure { id, .. } if matches!(self.plan.measures[id].aggregate, Aggregate::Count));
        let bound = |d: Decimal| match t.key {
            TableKey::Attainment(_) => show_percent(Ratio::from_decimal(d)),
            _ if counts => show_ratio(Ratio::from_decimal(d), 0),
            _ => self.money(Ratio::from_decimal(d)),
        };
        let key_shown = |work: &Work| match work.key {
            Some(k) if counts => show_ratio(k, 0),
            _ => key_text(work, t),
        };
        let rate = |d: Decimal| match t.values {
            ValueKind::Rate => show_percent(Ratio::from_decimal(d)),
            ValueKind::Money => self.money(Ratio::from_decimal(d)),
            ValueKind::Number => show_ratio(Ratio::from_decimal(d), 0),
        };
        let row_source = |row: Option<usize>| Source::Row {
            plan: self.plan.name.clone(),
            version: self.plan.version,
            table: t.name.clone(),
            row,
        };
        let band_name = |b: &model::Band| match b.to {
            Some(to) => format!("band from {} to {}", bound(b.from), bound(to)),
            None => format!("band {} and above", bound(b.from)),
        };
        match &t.rows {
            Rows::Marginal(bands) => {
                for slice in &work.slices {
                    let band = &bands[slice.band];
                    let slice_decimals = if counts { 0 } else { self.plan.rounding.decimals };
                    let product = format!(
                        "{} × {} = {}",
                        show_ratio(slice.slice, slice_decimals),
                        rate(band.value),
                        show_ratio(slice.amount, self.plan.rounding.decimals)
                    );
                    node.children.push(
                        Node::new(band_name(band))
                            .value(amount(slice.amount))
                            .detail(product)
                            .source(row_source(Some(slice.band))),
                    );
                }
            }
            Rows::Retroactive(bands) => {
                if let Some(band) = work.row.and_then(|r| bands.get(r)) {
                    let detail = match work.base {
                        Some(b) => format!(
                            "reached at {}: {} × {} on the whole base",
                            key_shown(&work),
                            show_ratio(b, self.plan.rounding.decimals),
                            rate(band.value)
                        ),
                        None => format!("reached at {}", key_shown(&work)),
                    };
                    node.children.push(
                        Node::new(band_name(band)).value(rate(band.value)).detail(detail).source(row_source(work.row)),
                    );
                }
            }
            Rows::Linear(points) => {
                if let Some(i) = work.row {
                    let (x0, y0) = points[i];
                    let below = work.key.is_some_and(|k| k < Ratio::from_decimal(x0));
                    let detail = match points.get(i + 1) {
                        _ if below => {
                            format!("at {}, below the first point {} → {}: flat", key_shown(&work), bound(x0), rate(y0))
                        }
                        Some((x1, y1)) => format!(
                            "at {}, between {} → {} and {} → {}",
                            key_shown(&work),
                            bound(x0),
                            rate(y0),
                            bound(*x1),
                            rate(*y1)
                        ),
                        None => format!(
                            "at {}, at or beyond the last point {} → {}: flat",
                            key_shown(&work),
                            bound(x0),
                            rate(y0)
                        ),
                    };
                    node.children.push(
                        Node::new("interpolated").value(amount(work.value)).detail(detail).source(row_source(Some(i))),
                    );
                }
            }
            Rows::Lookup { entries, otherwise } => {
                let key = work.text_key.clone().unwrap_or_default();
                let (label, value, row) = match work.row.and_then(|r| entries.get(r).map(|e| (r, e))) {
                    Some((r, (k, v))) => (format!("row \"{k}\""), *v, Some(r)),
                    None => ("otherwise".to_string(), otherwise.unwrap_or_default(), None),
                };
                node.children.push(
                    Node::new(label).value(rate(value)).detail(format!("the key is \"{key}\"")).source(row_source(row)),
                );
            }
        }
        Ok(node)
    }
}

fn key_text(work: &Work, table: &model::RateTable) -> String {
    match (work.key, &table.key) {
        (Some(k), TableKey::Attainment(_)) => show_percent(k),
        (Some(k), _) => show_ratio(k, 2),
        (None, _) => "its key".to_string(),
    }
}
