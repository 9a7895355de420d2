//! Explaining a table where an earning uses it: its key and the band or row it chose, the slices
//! of a marginal table, the points a linear one interpolates between.

use super::build::Builder;
use super::{Node, Source};
use crate::eval::derivation::Row;
use crate::eval::derivation::{table_work, Work};
use crate::eval::error::Fault;
use crate::model::{Aggregate, Band, Expr, LookupKey, LookupValue, RateTable, RateTableId, Rows, TableKey, ValueKind};
use crate::num::Ratio;
use crate::num::{show_percent, show_ratio};
use rust_decimal::Decimal;

impl Builder<'_, '_> {
    /// A table as an earning reads it: its value, what it is keyed on and applied to, and the rows
    /// that made the value.
    pub(super) fn table(&self, id: RateTableId, base: Option<&Expr>) -> Result<Node, Fault> {
        self.table_on(id, base, Row::None)
    }

    /// A table read on one row: a table keyed on `credit.amount` is shown for each deal of a
    /// per-deal earning, with the bands that deal's amount filled.
    pub(super) fn table_on(&self, id: RateTableId, base: Option<&Expr>, row: Row<'_>) -> Result<Node, Fault> {
        let table = &self.plan.tables[id];
        let work = table_work(self.cx, id, base, row)?;
        let view = TableView::new(self, table, &work, base);
        let mode = match &table.rows {
            Rows::Marginal(_) => "marginal",
            Rows::Retroactive(_) => "retroactive",
            Rows::Linear(_) => "linear",
            Rows::Lookup { .. } => "lookup",
        };
        let mut node = Node::new(format!("table {} ({mode})", table.name))
            .value(view.amount(work.value))
            .source(self.definition(&table.name));
        match work.running {
            // Deals paid in order: where the running total stood before this deal, then the
            // slices its amount filled.
            Some((before, unit)) => node.children.push(self.running_total(id, base, before, unit)),
            None => node.children.extend(self.table_inputs(table, base)?),
        }
        node.children.extend(view.rows());
        Ok(node)
    }

    /// The running total a table paid in order stood at before the deal: its measure in its
    /// window, the deals taken in credit-date order, and the quota the bands are multiples of.
    fn running_total(&self, id: RateTableId, base: Option<&Expr>, before: Ratio, unit: Ratio) -> Node {
        if let TableKey::Earning { id: earning, scope } = self.plan.tables[id].key {
            let earning = &self.plan.earnings[earning].name;
            let detail = format!(
                "what `{earning} {}` had paid before this deal: the deals dated earlier, and those of the same day with a smaller id; each band takes the base that fills its room at its rate",
                scope.keyword()
            );
            return Node::new("paid so far").value(self.money(before)).detail(detail);
        }
        let Some(total) = self.plan.running_total(id, base) else { return Node::new("running total") };
        let measure = &self.plan.measures[total.measure].name;
        let mut detail = format!(
            "`{measure} {}` before this deal: the deals dated earlier, and those of the same day with a smaller id",
            total.scope.keyword()
        );
        if let Some(a) = total.attainment {
            let a = &self.plan.attainments[a];
            let quota = &self.plan.quotas[a.quota].name;
            let quota = format!("`{quota} {}`", a.quota_scope.keyword());
            detail.push_str(&format!("; the bands are multiples of the quota {quota}, {}", self.money(unit)));
        }
        Node::new("running total").value(self.money(before)).detail(detail)
    }

    /// What a table reads: the attainment or measure it is keyed on, and the base it is applied to
    /// unless the key already shows it.
    fn table_inputs(&self, table: &RateTable, base: Option<&Expr>) -> Result<Vec<Node>, Fault> {
        let mut out = Vec::new();
        match &table.key {
            TableKey::Attainment(a) => out.push(self.attainment(*a)?),
            TableKey::Measure { id, scope: Some(scope) } => out.push(self.measure(*id, *scope)?),
            _ => {}
        }
        let Some(base) = base else { return Ok(out) };
        // A marginal table on attainment applies to the attainment's own measure, shown above.
        let shown = match (&table.key, base) {
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
            out.extend(self.deps(base)?);
        }
        Ok(out)
    }
}

/// How one table's numbers read in its derivation, and the rows it shows.
struct TableView<'v> {
    builder: &'v Builder<'v, 'v>,
    table: &'v RateTable,
    work: &'v Work,
    /// Rates applied to a count (of meetings) make a number, not money.
    count_base: bool,
    /// A table keyed on a count (of meetings, of deals) has bands of counts, not of money.
    counts: bool,
    /// A table used without a base (`commission period × rate`) has a rate for its value.
    bare: bool,
}

impl<'v> TableView<'v> {
    fn new(builder: &'v Builder<'v, 'v>, table: &'v RateTable, work: &'v Work, base: Option<&Expr>) -> TableView<'v> {
        let measures = &builder.plan.measures;
        let count_base =
            matches!(base, Some(Expr::Measure { id, .. }) if matches!(measures[*id].aggregate, Aggregate::Count));
        let counts =
            matches!(table.key, TableKey::Measure { id, .. } if matches!(measures[id].aggregate, Aggregate::Count));
        TableView { builder, table, work, count_base, counts, bare: base.is_none() }
    }

    /// The table's value, or a slice's: money, except a number table's, rates applied to a count,
    /// or the rate itself when the table is used without a base.
    fn amount(&self, v: Ratio) -> String {
        let decimals = self.builder.plan.rounding.decimals;
        match self.table.values {
            ValueKind::Number => show_ratio(v, decimals),
            ValueKind::Rate if self.bare => show_percent(v),
            ValueKind::Rate if self.count_base => show_ratio(v, decimals),
            _ => self.builder.money(v),
        }
    }

    /// A band's bound or a point's key: a percentage, a count, or money.
    fn bound(&self, d: Decimal) -> String {
        match self.table.key {
            TableKey::Attainment(_) => show_percent(Ratio::from_decimal(d)),
            _ if self.counts => show_ratio(Ratio::from_decimal(d), 0),
            _ => self.builder.money(Ratio::from_decimal(d)),
        }
    }

    /// The key the rows were chosen by.
    fn key(&self) -> String {
        match (self.work.key, &self.table.key) {
            (Some(k), _) if self.counts => show_ratio(k, 0),
            (Some(k), TableKey::Attainment(_)) => show_percent(k),
            (Some(k), TableKey::CreditAmount) => self.builder.money(k),
            (Some(k), _) => show_ratio(k, 2),
            (None, _) => "its key".to_string(),
        }
    }

    /// A band's rate, and the lookup that gave it when one did (`10.00% from product_rate`).
    fn band_rate(&self, band: &Band) -> String {
        match band.lookup.and_then(|id| self.builder.plan.tables.get(id)) {
            Some(lookup) => format!("{} from {}", self.rate(band.value), lookup.name),
            None => self.rate(band.value),
        }
    }

    /// A row's value: a rate, an amount or a number.
    fn rate(&self, d: Decimal) -> String {
        self.paid(LookupValue { value: d, kind: self.table.values })
    }

    /// A row's value, of its own kind (in a lookup of rates and amounts, each row says which).
    fn paid(&self, paid: LookupValue) -> String {
        let d = Ratio::from_decimal(paid.value);
        match paid.kind {
            ValueKind::Rate | ValueKind::RatesAndAmounts => show_percent(d),
            ValueKind::Money => self.builder.money(d),
            ValueKind::Number => show_ratio(d, 0),
        }
    }

    /// A row of the table, as a source (`None` for a lookup's `otherwise`).
    fn row_source(&self, row: Option<usize>) -> Source {
        let plan = self.builder.plan;
        Source::Row { plan: plan.name.clone(), version: plan.version, table: self.table.name.clone(), row }
    }

    fn band_name(&self, band: &Band) -> String {
        match band.to {
            Some(to) if self.table.upper_included => {
                format!("band from {} to {}, {} included", self.bound(band.from), self.bound(to), self.bound(to))
            }
            Some(to) => format!("band from {} to {}", self.bound(band.from), self.bound(to)),
            None if self.table.upper_included => format!("band above {}", self.bound(band.from)),
            None => format!("band {} and above", self.bound(band.from)),
        }
    }

    /// The rows that made the table's value.
    fn rows(&self) -> Vec<Node> {
        // Bands whose rate a lookup gives are shown with the rate it gave on this row.
        let read = self.work.bands.as_deref();
        match &self.table.rows {
            Rows::Marginal(bands) => self.marginal(read.unwrap_or(bands)),
            Rows::Retroactive(bands) => self.retroactive(read.unwrap_or(bands)).into_iter().collect(),
            Rows::Linear(points) => self.linear(points).into_iter().collect(),
            Rows::Lookup { entries, otherwise } => vec![self.lookup(entries, *otherwise)],
        }
    }

    /// Each band's slice of a marginal table, at the band's rate.
    fn marginal(&self, bands: &[Band]) -> Vec<Node> {
        let decimals = self.builder.plan.rounding.decimals;
        let slice_decimals = if self.counts { 0 } else { decimals };
        let slice = |band: usize, slice: Ratio, amount: Ratio| {
            let product = format!(
                "{} × {} = {}",
                show_ratio(slice, slice_decimals),
                self.band_rate(&bands[band]),
                show_ratio(amount, decimals)
            );
            Node::new(self.band_name(&bands[band]))
                .value(self.amount(amount))
                .detail(product)
                .source(self.row_source(Some(band)))
        };
        let Some((before, _)) = self.work.running else {
            return self.work.slices.iter().map(|s| slice(s.band, s.slice, s.amount)).collect();
        };
        // Paid in order: each slice is a stretch of the running total, from where the deal found it.
        let mut at = before;
        let mut out = Vec::new();
        // A table on the earning's own total moves by what each slice paid, not by its base.
        let own = matches!(self.table.key, TableKey::Earning { .. });
        for s in &self.work.slices {
            let to = at.checked_add(if own { s.amount } else { s.slice }).unwrap_or(at);
            let mut node = slice(s.band, s.slice, s.amount);
            let total = if own { "paid" } else { "the running total" };
            node.detail = Some(format!(
                "{total} from {} to {}: {}",
                show_ratio(at, decimals),
                show_ratio(to, decimals),
                node.detail.unwrap_or_default()
            ));
            at = to;
            out.push(node);
        }
        out
    }

    /// The band a retroactive table reached, whose rate applies to the whole base (or, above the
    /// top of a closed table, that nothing is paid).
    fn retroactive(&self, bands: &[Band]) -> Option<Node> {
        let Some(band) = self.work.row.and_then(|r| bands.get(r)) else {
            let top = bands.last()?.to?;
            return Some(
                Node::new("above the top band")
                    .value(self.amount(Ratio::ZERO))
                    .detail(format!(
                        "reached at {}: the table is closed at {}, nothing is paid above",
                        self.key(),
                        self.bound(top)
                    ))
                    .source(self.row_source(bands.len().checked_sub(1))),
            );
        };
        let detail = match self.work.base {
            Some(b) => format!(
                "reached at {}: {} × {} on the whole base",
                self.key(),
                show_ratio(b, self.builder.plan.rounding.decimals),
                self.band_rate(band)
            ),
            None => format!("reached at {}", self.key()),
        };
        Some(
            Node::new(self.band_name(band))
                .value(self.rate(band.value))
                .detail(detail)
                .source(self.row_source(self.work.row)),
        )
    }

    /// The points a linear table interpolated between (or the point it is flat beyond).
    fn linear(&self, points: &[(Decimal, Decimal)]) -> Option<Node> {
        let i = self.work.row?;
        let (x0, y0) = points[i];
        let below = self.work.key.is_some_and(|k| k < Ratio::from_decimal(x0));
        let key = self.key();
        let detail = match points.get(i + 1) {
            _ if below => format!("at {key}, below the first point {} → {}: flat", self.bound(x0), self.rate(y0)),
            Some((x1, y1)) => format!(
                "at {key}, between {} → {} and {} → {}",
                self.bound(x0),
                self.rate(y0),
                self.bound(*x1),
                self.rate(*y1)
            ),
            None => format!("at {key}, at or beyond the last point {} → {}: flat", self.bound(x0), self.rate(y0)),
        };
        Some(
            Node::new("interpolated")
                .value(self.amount(self.work.value))
                .detail(detail)
                .source(self.row_source(Some(i))),
        )
    }

    /// The row a lookup table read, or its `otherwise`.
    fn lookup(&self, entries: &[(LookupKey, LookupValue)], otherwise: Option<LookupValue>) -> Node {
        let key = self.work.text_key.clone().unwrap_or_default();
        let (label, value, row) = match self.work.row.and_then(|r| entries.get(r).map(|e| (r, e))) {
            Some((r, (k, v))) => (format!("row {k}"), Some(*v), Some(r)),
            None => ("otherwise".to_string(), otherwise, None),
        };
        let value = value.unwrap_or(LookupValue { value: Decimal::ZERO, kind: self.table.values });
        let detail = match value.kind {
            // An amount row of a lookup of rates and amounts pays its amount, not a rate of the base.
            ValueKind::Money if self.table.values == ValueKind::RatesAndAmounts => {
                format!("the key is {key}; this row pays its amount for the line, not a rate of it")
            }
            _ => format!("the key is {key}"),
        };
        Node::new(label).value(self.paid(value)).detail(detail).source(self.row_source(row))
    }
}
