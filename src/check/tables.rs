//! Table analysis: keys, row forms, band order, gaps and overlaps, and open top bands (lints on the
//! values are in `table_lints`, applying a table in `table_apply`).

use super::expr::{Checker, Rows};
use super::plan::TableInfo;
use super::problems;
use super::source_map::RowSource;
use crate::ast::{self, ExprKind, LiteralValue, Row, Span, TableMode};
use crate::model::{self, MeasureId, RateTableId, ValueKind};
use crate::types::{Currency, Ty};
use rust_decimal::Decimal;

/// Where each row the model holds is written: its index as the model numbers it (`None` for a
/// lookup's `otherwise`) and its span.
type RowPlaces = Vec<(Option<usize>, Span)>;

/// What kind of value a table cell holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Unit {
    /// A percentage (a rate, an attainment).
    Percent,
    /// An amount in a currency.
    Money(String),
    /// A plain number (a count).
    Number,
}

/// The unit and number of a cell; a percentage as a fraction. `None` for a value that is not a
/// number (reported where it was written).
pub(super) fn unit_of(value: &ast::Value) -> Option<(Unit, Decimal)> {
    match &value.literal.value {
        LiteralValue::Percent(p) => Some((Unit::Percent, super::expr::fraction(*p)?)),
        LiteralValue::Money { amount, currency } => Some((Unit::Money(currency.clone()), *amount)),
        LiteralValue::Number(n) => Some((Unit::Number, *n)),
        _ => None,
    }
}

/// A lookup row's value and its kind, read from the unit it is written in.
fn paid(value: &ast::Value) -> Option<model::LookupValue> {
    let (unit, value) = unit_of(value)?;
    let kind = match unit {
        Unit::Percent => ValueKind::Rate,
        Unit::Money(_) => ValueKind::Money,
        Unit::Number => ValueKind::Number,
    };
    Some(model::LookupValue { value, kind })
}

/// The value of each row that is not an error, in order.
pub(super) fn row_values(table: &ast::Table) -> impl Iterator<Item = &ast::Value> {
    table.rows.iter().filter_map(|r| match &r.kind {
        Row::Band { value, .. }
        | Row::Open { value, .. }
        | Row::Point { value, .. }
        | Row::Key { value, .. }
        | Row::Otherwise { value } => Some(value),
        Row::Error(_) => None,
    })
}

/// A band of a tier table as the checker reads it: the band, where its row and its lower bound
/// are written, and whether it is written `above A` (its bound excluded).
struct BandRow {
    band: model::Band,
    row: Span,
    from: Span,
    above: bool,
}

impl Checker<'_> {
    /// Checks a table, the `index`-th of its plan: its key, its values (one unit for the whole
    /// table) and its rows (in the form of its mode); puts it in the model when it is complete, and
    /// the places of its rows in the source map.
    pub(crate) fn check_table(&mut self, table: &ast::Table, id: RateTableId) -> Ty {
        let (mode, mode_span) = table.mode;
        let Some((key, key_unit, needs_row, key_ty)) = self.table_key(table) else { return Ty::Error };
        if table.rows.iter().all(|r| matches!(r.kind, Row::Error(_))) {
            if table.rows.is_empty() {
                self.report(problems::table_without_rows(&table.name));
            }
            return Ty::Error;
        }
        let Some((values, values_ok)) = self.table_values(table, needs_row.is_some()) else { return Ty::Error };
        if !self.bounds_in_the_key_unit(table, key_unit.as_ref()) {
            return Ty::Error;
        }
        if !self.flags_apply(table, values) {
            return Ty::Error;
        }
        let rows = match mode {
            TableMode::Marginal | TableMode::Retroactive => self.bands(table, key_unit.as_ref()),
            TableMode::Linear => self.points(table),
            TableMode::Lookup => self.lookup(table, &key_ty),
        };
        let Some((rows, places)) = rows else { return Ty::Error };
        if !values_ok {
            return Ty::Error;
        }
        self.lint_rates(table, &rows, values);
        if mode == TableMode::Retroactive && matches!(key, model::TableKey::Attainment(_)) && values == ValueKind::Rate
        {
            self.cliff_note(table, &rows, mode_span);
        }
        let count_key = key_unit == Some(Unit::Number) && matches!(key, model::TableKey::Measure { .. });
        // A band whose rate a lookup gives needs the lookup's row where the table is used.
        let (band_rows, band_lookup) = self.band_lookups_read(&rows);
        let needs_row = needs_row.or(band_rows);
        let info = TableInfo { mode, values, key: key.clone(), count_key, needs_row, band_lookup };
        let upper_included = table.upper_included.is_some();
        if let Some(plan) = self.plan.as_mut() {
            let name = table.name.text.clone();
            let table = model::RateTable { name, key, rows, values, upper_included };
            plan.tables[id] = Some((table, info));
            plan.sources.rows.extend(places.into_iter().map(|(row, span)| RowSource { table: id, row, span }));
        }
        match values {
            // A table of rates and amounts is applied with `of`, like rates (and never alone).
            ValueKind::Rate | ValueKind::RatesAndAmounts => Ty::Percent,
            ValueKind::Money => self.currency.as_deref().map_or(Ty::Error, Ty::money),
            ValueKind::Number => Ty::Number,
        }
    }

    /// What a table pays — rates, amounts in the plan's currency, or numbers, as its first value
    /// says — and whether every value is of that kind (each that is not is reported); `None` when
    /// no value can be read. A lookup keyed on a column of the row at hand may pay rates on some
    /// rows and amounts on others.
    fn table_values(&mut self, table: &ast::Table, keyed_on_a_row: bool) -> Option<(ValueKind, bool)> {
        let mixes = table.mode.0 == TableMode::Lookup && keyed_on_a_row;
        let mut first: Option<(Unit, Span)> = None;
        let mut other: Option<(Unit, Span)> = None;
        let mut ok = true;
        for value in row_values(table) {
            // A band's value that names a lookup table pays its rates.
            let unit = match &value.literal.value {
                LiteralValue::Table(_) => Some(Unit::Percent),
                _ => unit_of(value).map(|(unit, _)| unit),
            };
            let Some(unit) = unit else { continue };
            let Some((first_unit, first_span)) = &first else {
                first = Some((unit, value.span));
                continue;
            };
            let rate_and_amount = |a: &Unit, b: &Unit| {
                matches!((a, b), (Unit::Percent, Unit::Money(_)) | (Unit::Money(_), Unit::Percent))
            };
            if *first_unit == unit || other.as_ref().is_some_and(|(o, _)| *o == unit) {
                continue;
            }
            if mixes && other.is_none() && rate_and_amount(first_unit, &unit) {
                other = Some((unit, value.span));
            } else {
                self.report(problems::mixed_values(&unit, value.span, first_unit, *first_span, mixes));
                ok = false;
            }
        }
        let amount = [&first, &other].into_iter().flatten().find(|(u, _)| matches!(u, Unit::Money(_)));
        if let Some((Unit::Money(c), span)) = amount {
            let currency = self.currency.clone().unwrap_or_default();
            if !currency.is_empty() && *c != currency {
                self.report(problems::table_in_another_currency(c, &currency, *span));
                ok = false;
            }
        }
        let kind = match (first?.0, other) {
            (_, Some(_)) => ValueKind::RatesAndAmounts,
            (Unit::Percent, None) => ValueKind::Rate,
            (Unit::Money(_), None) => ValueKind::Money,
            (Unit::Number, None) => ValueKind::Number,
        };
        Some((kind, ok))
    }

    /// The table's key, the unit its bounds must have, whether it reads a deal row, and its type.
    fn table_key(&mut self, table: &ast::Table) -> Option<(model::TableKey, Option<Unit>, Option<Rows>, Ty)> {
        // A measure named without a scope is read in the scope of the base the table is applied to;
        // a lookup table is never keyed on a measure, with a scope or without.
        if let ExprKind::Path(ast::Path { head, field: None }) = &table.key.kind {
            if let Some((key, unit, rows, ty)) = self.unscoped_measure(head) {
                if table.mode.0 == TableMode::Lookup {
                    self.report(problems::key_does_not_suit_mode(table.mode, &ty, table.key.span));
                    return None;
                }
                return Some((key, unit, rows, ty));
            }
        }
        if let Some(key) = self.earning_key(table) {
            return key;
        }
        let (lowered, ty) = self.expr(&table.key, Rows::Any);
        let key = match (&lowered, &ty) {
            (_, Ty::Error) => return None,
            (model::Expr::Attainment(id), _) => model::TableKey::Attainment(*id),
            (model::Expr::Measure { id, scope }, _) => {
                let written_scope = matches!(table.key.kind, ExprKind::Scoped { .. });
                model::TableKey::Measure { id: *id, scope: written_scope.then_some(*scope) }
            }
            // One credit row's amount: each deal is tiered on its own amount, in a per-deal
            // earning (see `table_apply`).
            (model::Expr::Credit(model::CreditField::Amount), _) => model::TableKey::CreditAmount,
            (_, Ty::Text) => model::TableKey::Lookup(lowered.clone()),
            // A condition or a number (a column: `deal.new_logo`, `rep.level`) keys a lookup.
            (_, Ty::Bool | Ty::Number | Ty::Year | Ty::CurrencyCode) if table.mode.0 == TableMode::Lookup => {
                model::TableKey::Lookup(lowered.clone())
            }
            _ => {
                self.report(problems::unkeyable(&ty, table.key.span));
                return None;
            }
        };
        let is_lookup_key = matches!(key, model::TableKey::Lookup(_));
        if (table.mode.0 == TableMode::Lookup) != is_lookup_key {
            self.report(problems::key_does_not_suit_mode(table.mode, &ty, table.key.span));
            return None;
        }
        let unit = match &ty {
            Ty::Percent => Some(Unit::Percent),
            Ty::Money(Currency::Code(c)) => Some(Unit::Money(c.clone())),
            Ty::Number => Some(Unit::Number),
            _ => None,
        };
        Some((key, unit, self.rows_read(&lowered), ty))
    }

    /// The rows a table's key reads, if any: a credit row (for a column of the deal), or a row of
    /// another table.
    fn rows_read(&self, key: &model::Expr) -> Option<Rows> {
        let deals = self.deals_table();
        let mut reads = None;
        key.walk(&mut |e| match e {
            model::Expr::Credit(_) => reads = Some(Rows::Credit),
            model::Expr::Row(c) if Some(c.table) == deals => reads = Some(Rows::Credit),
            model::Expr::Row(c) => reads = Some(Rows::Table(c.table)),
            _ => {}
        });
        reads
    }

    /// A table key naming a measure without a scope: `on bookings`, with the measure's type.
    fn unscoped_measure(&mut self, name: &ast::Ident) -> Option<(model::TableKey, Option<Unit>, Option<Rows>, Ty)> {
        let plan = self.plan.as_ref()?;
        let id = plan.defs.iter().position(|d| d.name.text == name.text && d.kind == super::plan::DefKind::Measure)?;
        let index = MeasureId::new(plan.defs[id].index);
        if let Some(plan) = self.plan.as_mut() {
            plan.used[id] = true;
        }
        self.record_definition(name);
        let ty = self.ensure(id, name.span);
        let unit = match &ty {
            Ty::Money(Currency::Code(c)) => Some(Unit::Money(c.clone())),
            Ty::Number => Some(Unit::Number),
            _ => None,
        };
        Some((model::TableKey::Measure { id: index, scope: None }, unit, None, ty))
    }

    /// Whether every bound of the table's bands or points is in the unit of its key; the bounds
    /// that are not are reported together, once for the table (a table written with plain numbers
    /// for an amount key has them on every row).
    fn bounds_in_the_key_unit(&mut self, table: &ast::Table, key: Option<&Unit>) -> bool {
        let Some(key) = key else { return true };
        let foreign: Vec<(Unit, Span)> = table
            .rows
            .iter()
            .flat_map(|row| match &row.kind {
                Row::Band { from, to, .. } => vec![from, to],
                Row::Open { from, .. } => vec![from],
                Row::Point { at, .. } => vec![at],
                _ => Vec::new(),
            })
            .filter_map(|bound| unit_of(bound).map(|(unit, _)| (unit, bound.span)))
            .filter(|(unit, _)| unit != key)
            .collect();
        if foreign.is_empty() {
            return true;
        }
        self.report(problems::bounds_of_another_unit(&table.name, key, &foreign));
        false
    }

    /// The number a bound of a band or point is (its unit is the key's: see
    /// [`Checker::bounds_in_the_key_unit`]).
    fn bound(&mut self, value: &ast::Value) -> Option<Decimal> {
        unit_of(value).map(|(_, n)| n)
    }

    /// Whether the words a table declares apply to it (each that does not is reported): `closed`
    /// to a lookup or a band table, `including upper bounds` to a band table, `multiplier` to a
    /// table of rates, `decelerating` to a table whose rows are in order.
    fn flags_apply(&mut self, table: &ast::Table, values: ValueKind) -> bool {
        let mode = table.mode.0;
        let bands = matches!(mode, TableMode::Marginal | TableMode::Retroactive);
        let refused = [
            (
                table.closed.filter(|_| mode == TableMode::Linear),
                "closed",
                "a linear table is flat beyond its last point: it has no top to close",
                "remove `closed`; to pay nothing beyond a point, end the curve on a point whose value is 0",
            ),
            (
                table.upper_included.filter(|_| !bands),
                "including upper bounds",
                "only bands have bounds to include",
                "remove it: a linear table has points, a lookup table keys",
            ),
            (
                table.multiplier.filter(|_| values != ValueKind::Rate),
                "multiplier",
                "this table pays amounts or numbers, not rates",
                "remove `multiplier`: it says that rates above 100% are meant",
            ),
            (
                table.decelerating.filter(|_| mode == TableMode::Lookup),
                "decelerating",
                "a lookup table's rows have no order to go down in",
                "remove `decelerating`",
            ),
        ];
        let mut ok = true;
        for (span, word, why, help) in refused {
            if let Some(span) = span {
                self.report(problems::flag_does_not_apply(word, span, why, help));
                ok = false;
            }
        }
        ok
    }

    /// The rows of a tier table (marginal or retroactive): bands from the lowest to the highest,
    /// the first from zero, each from where the one before ends, the last open unless the table
    /// is `closed`.
    fn bands(&mut self, table: &ast::Table, key: Option<&Unit>) -> Option<(model::Rows, RowPlaces)> {
        let bands = self.band_rows(table)?;
        // Gaps and overlaps between bands in the wrong order mean nothing yet.
        if !self.bands_in_order(&bands) || !self.bands_cover_every_value(table, &bands, key) {
            return None;
        }
        let places = bands.iter().enumerate().map(|(i, b)| (Some(i), b.row)).collect();
        let bands: Vec<model::Band> = bands.into_iter().map(|b| b.band).collect();
        let rows = if table.mode.0 == TableMode::Marginal {
            model::Rows::Marginal(bands)
        } else {
            model::Rows::Retroactive(bands)
        };
        Some((rows, places))
    }

    /// Each row of a tier table read as a band; `None` when a row is not a band, or not a readable
    /// one (each reported).
    fn band_rows(&mut self, table: &ast::Table) -> Option<Vec<BandRow>> {
        let mut bands = Vec::new();
        let mut ok = true;
        for row in &table.rows {
            let (from, to, value) = match &row.kind {
                Row::Band { from, to, value } => (from, Some(to), value),
                Row::Open { from, value, .. } => (from, None, value),
                Row::Error(_) => {
                    ok = false;
                    continue;
                }
                _ => {
                    self.report(problems::row_of_another_form(table.mode, row.span));
                    ok = false;
                    continue;
                }
            };
            let lo = self.bound(from);
            let hi = match to {
                Some(to) => self.bound(to).map(Some),
                None => Some(None),
            };
            let rate = match &value.literal.value {
                LiteralValue::Table(name) => self.band_lookup(table, value, name).map(|id| (Decimal::ZERO, Some(id))),
                _ => unit_of(value).map(|(_, v)| (v, None)),
            };
            let (Some(lo), Some(hi), Some((v, lookup))) = (lo, hi, rate) else {
                ok = false;
                continue;
            };
            if hi.is_some_and(|hi| hi <= lo) {
                self.report(problems::empty_band(from.span.to(to.map_or(from.span, |t| t.span))));
                ok = false;
                continue;
            }
            let above = matches!(row.kind, Row::Open { above: true, .. });
            let band = model::Band { from: lo, to: hi, value: v, lookup };
            bands.push(BandRow { band, row: row.span, from: from.span, above });
        }
        ok.then_some(bands)
    }

    /// Whether each band starts at or above the band before it, unless that one is open (each
    /// that does not is reported).
    fn bands_in_order(&mut self, bands: &[BandRow]) -> bool {
        let mut ok = true;
        for pair in bands.windows(2) {
            let (prev, this) = (&pair[0], &pair[1]);
            if prev.band.to.is_some() && this.band.from < prev.band.from {
                self.report(problems::bands_out_of_order(this.row, prev.row));
                ok = false;
            }
        }
        ok
    }

    /// Whether the bands cover every value of the key once: the first starts at zero, each starts
    /// where the one before ends (an open top band written as the table's bounds say: `A and
    /// above` after a band that excludes A, `above A` after one that includes it), and only the
    /// last is open, unless the table is `closed` and its last band is not (each that does not is
    /// reported).
    fn bands_cover_every_value(&mut self, table: &ast::Table, bands: &[BandRow], key: Option<&Unit>) -> bool {
        let upper = table.upper_included.is_some();
        let mut ok = true;
        if let Some(first) = bands.first().filter(|first| first.band.from != Decimal::ZERO) {
            self.report(problems::first_band_not_zero(key, first.from));
            ok = false;
        }
        if let Some(above) = bands.iter().find(|b| b.above).filter(|_| !upper) {
            self.report(problems::above_without_upper_bounds(above.row));
            ok = false;
        }
        for pair in bands.windows(2) {
            let (prev, this) = (&pair[0], &pair[1]);
            let counted = key == Some(&Unit::Number) && !upper;
            let problem = match prev.band.to {
                None => problems::band_after_the_open_top(this.row, prev.row),
                Some(end) if this.band.from > end => {
                    let one_unit = this.band.from.checked_sub(end) == Some(Decimal::ONE);
                    problems::band_gap(this.from, prev.row, counted && one_unit)
                }
                Some(end) if this.band.from < end => problems::band_overlap(this.from, prev.row, upper),
                Some(_) if upper && this.band.to.is_none() && !this.above => {
                    problems::and_above_with_upper_bounds(this.row, prev.row)
                }
                Some(_) => continue,
            };
            self.report(problem);
            ok = false;
        }
        let last_closed = bands.last().filter(|last| last.band.to.is_some());
        match (last_closed, table.closed) {
            (Some(last), None) => {
                self.report(problems::no_open_top_band(last.row));
                ok = false;
            }
            (None, Some(closed)) if !bands.is_empty() => {
                self.report(problems::flag_does_not_apply(
                    "closed",
                    closed,
                    "the last band is open: it pays everything above its start",
                    "remove `closed`, or end the last band (`from 100% to 150% : 10%`) when nothing is paid above it",
                ));
                ok = false;
            }
            _ => {}
        }
        ok
    }

    /// The rows of a linear table: at least two points, increasing.
    fn points(&mut self, table: &ast::Table) -> Option<(model::Rows, RowPlaces)> {
        let mut points: Vec<(Decimal, Decimal, Span)> = Vec::new();
        let mut places: RowPlaces = Vec::new();
        let mut ok = true;
        for row in &table.rows {
            match &row.kind {
                Row::Point { at, value } => match (self.bound(at), unit_of(value)) {
                    (Some(a), Some((_, v))) => {
                        if let Some((_, _, previous)) = points.last().filter(|(prev, _, _)| a <= *prev) {
                            self.report(problems::points_not_increasing(at.span, *previous));
                            ok = false;
                        }
                        places.push((Some(points.len()), row.span));
                        points.push((a, v, at.span));
                    }
                    _ => ok = false,
                },
                Row::Error(_) => ok = false,
                _ => {
                    self.report(problems::row_of_another_form(table.mode, row.span));
                    ok = false;
                }
            }
        }
        if ok && points.len() < 2 {
            self.report(problems::too_few_points(&table.name, points.len()));
            ok = false;
        }
        ok.then(|| (model::Rows::Linear(points.into_iter().map(|(a, v, _)| (a, v)).collect()), places))
    }

    /// The rows of a lookup table: each key once and of the key's kind, and one `otherwise` (or,
    /// without one, a warning unless the table is `closed` or lists both truth values).
    fn lookup(&mut self, table: &ast::Table, key_ty: &Ty) -> Option<(model::Rows, RowPlaces)> {
        let mut entries: Vec<(model::LookupKey, model::LookupValue, Span)> = Vec::new();
        let mut places: RowPlaces = Vec::new();
        let mut otherwise: Option<(model::LookupValue, Span)> = None;
        let mut ok = true;
        for row in &table.rows {
            match &row.kind {
                Row::Key { keys, value } => {
                    for written in keys {
                        let Some(key) = self.lookup_key(written, key_ty, &table.key) else {
                            ok = false;
                            continue;
                        };
                        if let Some((_, _, first)) = entries.iter().find(|(k, _, _)| *k == key) {
                            self.report(problems::key_listed_twice(&key, written.span, *first));
                            ok = false;
                        }
                        if let Some(v) = paid(value) {
                            places.push((Some(entries.len()), row.span));
                            entries.push((key, v, written.span));
                        }
                    }
                }
                Row::Otherwise { value } => {
                    if let Some((_, first)) = otherwise {
                        self.report(problems::two_otherwise_rows(row.span, first));
                        ok = false;
                    }
                    otherwise = paid(value).map(|v| (v, row.span));
                }
                Row::Error(_) => ok = false,
                _ => {
                    self.report(problems::row_of_another_form(table.mode, row.span));
                    ok = false;
                }
            }
        }
        let both_truths =
            [true, false].iter().all(|b| entries.iter().any(|(k, _, _)| *k == model::LookupKey::Bool(*b)));
        if ok && otherwise.is_none() && table.closed.is_none() && !both_truths {
            self.report(problems::lookup_without_otherwise(&table.name));
        }
        if let (Some(closed), Some((_, span))) = (table.closed, otherwise) {
            self.report(problems::closed_lookup_with_otherwise(&table.name, closed, span));
            ok = false;
        }
        places.extend(otherwise.map(|(_, span)| (None, span)));
        let rows = model::Rows::Lookup {
            entries: entries.into_iter().map(|(k, v, _)| (k, v)).collect(),
            otherwise: otherwise.map(|(v, _)| v),
        };
        ok.then_some((rows, places))
    }

    /// A key of a lookup row as the model holds it, when it is of the kind of the table's key:
    /// text for text (and a currency code), `true`/`false` for a condition, a number for a number.
    fn lookup_key(&mut self, written: &ast::Value, key_ty: &Ty, key: &ast::Expr) -> Option<model::LookupKey> {
        let found = match (&written.literal.value, key_ty) {
            (_, Ty::Error) => return None,
            (LiteralValue::Text(t), Ty::Text | Ty::CurrencyCode) if !written.literal.raw.starts_with('-') => {
                self.check_text(t, written.span);
                Some(model::LookupKey::Text(t.clone()))
            }
            (LiteralValue::Bool(b), Ty::Bool) if !written.literal.raw.starts_with('-') => {
                Some(model::LookupKey::Bool(*b))
            }
            (LiteralValue::Number(n), Ty::Number | Ty::Year) => Some(model::LookupKey::Number(*n)),
            (LiteralValue::Invalid, _) => return None,
            _ => None,
        };
        if found.is_none() {
            self.report(problems::lookup_key_of_another_kind(written, key_ty, key.span));
        }
        found
    }
}
