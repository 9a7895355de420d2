//! Table analysis: keys, row forms, band order, gaps and overlaps, and open top bands (lints on the
//! values are in `table_lints`, applying a table in `table_apply`).

use super::expr::{Checker, Rows};
use super::plan::TableInfo;
use super::source_map::RowSource;
use crate::ast::{self, ExprKind, LiteralValue, Row, Span, TableMode};
use crate::diagnostics::{codes, Diagnostic};
use crate::model::{self, ValueKind};
use crate::types::{Currency, Ty};
use rust_decimal::Decimal;

/// Where each row the model holds is written: its index as the model numbers it (`None` for a
/// lookup's `otherwise`) and its span.
type RowPlaces = Vec<(Option<usize>, Span)>;

/// What kind of value a table cell holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Unit {
    Percent,
    Money(String),
    Number,
}

pub(super) fn unit_of(value: &ast::Value) -> Option<(Unit, Decimal)> {
    match &value.literal.value {
        LiteralValue::Percent(p) => Some((Unit::Percent, super::expr::fraction(*p)?)),
        LiteralValue::Money { amount, currency } => Some((Unit::Money(currency.clone()), *amount)),
        LiteralValue::Number(n) => Some((Unit::Number, *n)),
        _ => None,
    }
}

fn describe(unit: &Unit) -> String {
    match unit {
        Unit::Percent => "a percentage".to_string(),
        Unit::Money(c) => format!("an amount in {c}"),
        Unit::Number => "a number".to_string(),
    }
}

impl Checker<'_> {
    pub(crate) fn check_table(&mut self, table: &ast::Table, index: usize) -> Ty {
        let (mode, mode_span) = table.mode;
        let Some((key, key_unit, needs_row)) = self.table_key(table) else { return Ty::Error };
        if table.rows.iter().all(|r| matches!(r.kind, Row::Error(_))) {
            if table.rows.is_empty() {
                self.error(
                    &codes::EMPTY_TABLE,
                    format!("the table `{}` has no rows", table.name.text),
                    table.name.span,
                    "empty table",
                );
            }
            return Ty::Error;
        }
        // Values: one unit for the whole table.
        let mut value_unit: Option<(Unit, Span)> = None;
        let mut values_ok = true;
        for row in &table.rows {
            let value = match &row.kind {
                Row::Band { value, .. }
                | Row::Open { value, .. }
                | Row::Point { value, .. }
                | Row::Key { value, .. }
                | Row::Otherwise { value } => value,
                Row::Error(_) => continue,
            };
            let Some((unit, _)) = unit_of(value) else { continue };
            match &value_unit {
                None => value_unit = Some((unit, value.span)),
                Some((first, first_span)) if *first != unit => {
                    let d = self.error(
                        &codes::MIXED_TABLE_VALUES,
                        format!(
                            "this value is {}, but the table's first value is {}",
                            describe(&unit),
                            describe(first)
                        ),
                        value.span,
                        describe(&unit),
                    );
                    d.labels.push(crate::diagnostics::Label::secondary(*first_span, describe(first)));
                    d.help = Some("a table pays rates or amounts, not both".to_string());
                    values_ok = false;
                }
                Some(_) => {}
            }
        }
        let values = match &value_unit {
            Some((Unit::Percent, _)) => ValueKind::Rate,
            Some((Unit::Money(c), span)) => {
                let currency = self.currency.clone().unwrap_or_default();
                if !currency.is_empty() && *c != currency {
                    self.error(
                        &codes::CURRENCY_MISMATCH,
                        format!("the table pays {c}, but the plan pays in {currency}"),
                        *span,
                        format!("money ({c})"),
                    );
                    values_ok = false;
                }
                ValueKind::Money
            }
            Some((Unit::Number, _)) => ValueKind::Number,
            None => return Ty::Error,
        };
        let rows = match mode {
            TableMode::Marginal | TableMode::Retroactive => self.bands(table, key_unit.as_ref()),
            TableMode::Linear => self.points(table, key_unit.as_ref()),
            TableMode::Lookup => self.lookup(table),
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
        let info = TableInfo { mode, values, key: key.clone(), needs_row };
        if let Some(plan) = self.plan.as_mut() {
            plan.tables[index] = Some((model::RateTable { name: table.name.text.clone(), key, rows, values }, info));
            plan.sources.rows.extend(places.into_iter().map(|(row, span)| RowSource { table: index, row, span }));
        }
        match values {
            ValueKind::Rate => Ty::Percent,
            ValueKind::Money => self.currency.as_deref().map_or(Ty::Error, Ty::money),
            ValueKind::Number => Ty::Number,
        }
    }

    /// The table's key, the unit its bounds must have, and whether it reads a deal row.
    fn table_key(&mut self, table: &ast::Table) -> Option<(model::TableKey, Option<Unit>, Option<Rows>)> {
        let (mode, mode_span) = table.mode;
        // A measure named without a scope is read in the scope of the base the table is applied to.
        if let ExprKind::Path(ast::Path { head, field: None }) = &table.key.kind {
            if let Some(resolved) = self.unscoped_measure(head) {
                return Some(resolved);
            }
        }
        let (lowered, ty) = self.expr(&table.key, Rows::Any);
        let deals = self.deals_table();
        let reads_row = {
            let mut reads = None;
            lowered.walk(&mut |e| match e {
                model::Expr::Credit(_) => reads = Some(Rows::Credit),
                model::Expr::Row(c) if Some(c.table) == deals => reads = Some(Rows::Credit),
                model::Expr::Row(c) => reads = Some(Rows::Table(c.table)),
                _ => {}
            });
            reads
        };
        let key = match (&lowered, &ty) {
            (_, Ty::Error) => return None,
            (model::Expr::Attainment(id), _) => model::TableKey::Attainment(*id),
            (model::Expr::Measure { id, scope }, _) => {
                let written_scope = matches!(table.key.kind, ExprKind::Scoped { .. });
                model::TableKey::Measure { id: *id, scope: written_scope.then_some(*scope) }
            }
            (_, Ty::Text) => model::TableKey::Text(lowered.clone()),
            _ => {
                self.error(&codes::TABLE_KEY, format!("a table cannot be keyed on {ty}"), table.key.span, "expected an attainment, a measure or text").help =
                    Some("key tier tables on an attainment (`on att`) or a measure, lookup tables on text (`on deal.product`)".to_string());
                return None;
            }
        };
        let is_lookup_key = matches!(key, model::TableKey::Text(_));
        if (mode == TableMode::Lookup) != is_lookup_key {
            let message = if mode == TableMode::Lookup {
                "a lookup table is keyed on text"
            } else {
                "a tier or curve table is keyed on an attainment or an amount"
            };
            let d = self.error(&codes::TABLE_KEY, message, table.key.span, format!("this key is {ty}"));
            d.labels.push(crate::diagnostics::Label::secondary(mode_span, format!("`{}` table", mode.keyword())));
            return None;
        }
        let unit = match &ty {
            Ty::Percent => Some(Unit::Percent),
            Ty::Money(Currency::Code(c)) => Some(Unit::Money(c.clone())),
            Ty::Number => Some(Unit::Number),
            _ => None,
        };
        Some((key, unit, reads_row))
    }

    /// A table key naming a measure without a scope: `on bookings`.
    fn unscoped_measure(&mut self, name: &ast::Ident) -> Option<(model::TableKey, Option<Unit>, Option<Rows>)> {
        let plan = self.plan.as_ref()?;
        let id = plan.defs.iter().position(|d| d.name.text == name.text && d.kind == super::plan::DefKind::Measure)?;
        let index = plan.defs[id].index;
        if let Some(plan) = self.plan.as_mut() {
            plan.used[id] = true;
        }
        self.record_definition(name);
        let ty = self.ensure(id, name.span);
        let unit = match &ty {
            Ty::Money(Currency::Code(c)) => Some(Unit::Money(c.clone())),
            Ty::Number => Some(Unit::Number),
            _ => return Some((model::TableKey::Measure { id: index, scope: None }, None, None)),
        };
        Some((model::TableKey::Measure { id: index, scope: None }, unit, None))
    }

    fn bound(&mut self, value: &ast::Value, key: Option<&Unit>) -> Option<Decimal> {
        let (unit, n) = unit_of(value)?;
        if let Some(key) = key {
            if unit != *key {
                let d = self.error(
                    &codes::MIXED_TABLE_VALUES,
                    format!("this bound is {}, but the key is {}", describe(&unit), describe(key)),
                    value.span,
                    "wrong kind of bound",
                );
                d.help = Some(match key {
                    Unit::Percent => {
                        "bounds of a table keyed on an attainment are percentages: `from 0% to 50%`".to_string()
                    }
                    Unit::Money(c) => {
                        format!("bounds of a table keyed on an amount are amounts: `from 0 {c} to 10000 {c}`")
                    }
                    Unit::Number => "bounds of a table keyed on a count are numbers".to_string(),
                });
                return None;
            }
        }
        Some(n)
    }

    fn wrong_form(&mut self, table: &ast::Table, span: Span, expected: &str) {
        let mode = table.mode.0.keyword();
        let d = self.error(
            &codes::ROW_FORM_MISMATCH,
            format!("a {mode} table has {expected}"),
            span,
            "this row has another form",
        );
        d.labels.push(crate::diagnostics::Label::secondary(table.mode.1, format!("the table is `{mode}`")));
    }

    fn bands(&mut self, table: &ast::Table, key: Option<&Unit>) -> Option<(model::Rows, RowPlaces)> {
        let mut bands: Vec<(model::Band, Span, Span)> = Vec::new();
        let mut ok = true;
        for row in &table.rows {
            let (from, to, value) = match &row.kind {
                Row::Band { from, to, value } => (from, Some(to), value),
                Row::Open { from, value } => (from, None, value),
                Row::Error(_) => {
                    ok = false;
                    continue;
                }
                _ => {
                    self.wrong_form(table, row.span, "bands (`from A to B : RATE`, `A and above : RATE`)");
                    ok = false;
                    continue;
                }
            };
            let lo = self.bound(from, key);
            let hi = match to {
                Some(to) => self.bound(to, key).map(Some),
                None => Some(None),
            };
            let v = unit_of(value).map(|(_, v)| v);
            let (Some(lo), Some(hi), Some(v)) = (lo, hi, v) else {
                ok = false;
                continue;
            };
            if let Some(hi) = hi {
                if hi <= lo {
                    self.error(
                        &codes::BANDS_OUT_OF_ORDER,
                        "this band ends where it starts, or before",
                        from.span.to(to.map_or(from.span, |t| t.span)),
                        "an empty band",
                    );
                    ok = false;
                    continue;
                }
            }
            bands.push((model::Band { from: lo, to: hi, value: v }, row.span, from.span));
        }
        if !ok {
            return None;
        }
        let mut errors = Vec::new();
        for pair in bands.windows(2) {
            let ((prev, prev_span, _), (band, span, _)) = (&pair[0], &pair[1]);
            if prev.to.is_some() && band.from < prev.from {
                errors.push(
                    Diagnostic::new(&codes::BANDS_OUT_OF_ORDER, "the bands are out of order")
                        .primary(*span, "this band starts below the band before it")
                        .secondary(*prev_span, "previous band")
                        .help("list the bands from the lowest to the highest"),
                );
            }
        }
        if !errors.is_empty() {
            // Gaps and overlaps between bands in the wrong order mean nothing yet.
            self.diags.extend(errors);
            return None;
        }
        if let Some((first, _, from_span)) = bands.first() {
            if first.from != Decimal::ZERO {
                let zero = match key {
                    Some(Unit::Money(c)) => format!("0 {c}"),
                    Some(Unit::Number) => "0".to_string(),
                    _ => "0%".to_string(),
                };
                errors.push(
                    Diagnostic::new(&codes::FIRST_BAND_NOT_ZERO, "the first band does not start at zero")
                        .primary(*from_span, "values below this have no rate")
                        .help(format!(
                            "start the table at {zero}; add a band at a 0% rate if nothing is paid below this bound"
                        )),
                );
            }
        }
        for pair in bands.windows(2) {
            let ((prev, prev_span, _), (band, span, from_span)) = (&pair[0], &pair[1]);
            match prev.to {
                None => errors.push(
                    Diagnostic::new(&codes::BANDS_OUT_OF_ORDER, "a band follows the open top band")
                        .primary(*span, "never reached")
                        .secondary(*prev_span, "this band already covers everything above its start")
                        .help("the band `… and above` must be the last"),
                ),
                Some(end) if band.from > end => errors.push(
                    Diagnostic::new(&codes::BAND_GAP, "there is a gap between these bands")
                        .primary(*from_span, "this band starts above where the previous one ends")
                        .secondary(*prev_span, "previous band")
                        .help("start each band where the previous one ends"),
                ),
                Some(end) if band.from < end => errors.push(
                    Diagnostic::new(&codes::BAND_OVERLAP, "these bands overlap")
                        .primary(*from_span, "this band starts below where the previous one ends")
                        .secondary(*prev_span, "previous band")
                        .help("start each band where the previous one ends: bands are `[from, to)`"),
                ),
                Some(_) => {}
            }
        }
        if let Some((last, span, _)) = bands.last() {
            if last.to.is_some() {
                errors.push(
                    Diagnostic::new(&codes::NO_OPEN_TOP_BAND, "the last band is closed: values above it have no rate")
                        .primary(*span, "the top band ends here")
                        .help("make the last band open (`150% and above : 12%`); to stop paying above a point, use a 0% band or a cap"),
                );
            }
        }
        if !errors.is_empty() {
            self.diags.extend(errors);
            return None;
        }
        let places = bands.iter().enumerate().map(|(i, (_, span, _))| (Some(i), *span)).collect();
        let bands: Vec<model::Band> = bands.into_iter().map(|(b, _, _)| b).collect();
        let rows = if table.mode.0 == TableMode::Marginal {
            model::Rows::Marginal(bands)
        } else {
            model::Rows::Retroactive(bands)
        };
        Some((rows, places))
    }

    fn points(&mut self, table: &ast::Table, key: Option<&Unit>) -> Option<(model::Rows, RowPlaces)> {
        let mut points: Vec<(Decimal, Decimal, Span)> = Vec::new();
        let mut places: RowPlaces = Vec::new();
        let mut ok = true;
        for row in &table.rows {
            match &row.kind {
                Row::Point { at, value } => match (self.bound(at, key), unit_of(value)) {
                    (Some(a), Some((_, v))) => {
                        if let Some((prev, _, prev_span)) = points.last() {
                            if a <= *prev {
                                let d = self.error(
                                    &codes::BANDS_OUT_OF_ORDER,
                                    "the points of a linear table must increase",
                                    at.span,
                                    "not above the point before it",
                                );
                                d.labels.push(crate::diagnostics::Label::secondary(
                                    *prev_span,
                                    "previous point".to_string(),
                                ));
                                ok = false;
                            }
                        }
                        places.push((Some(points.len()), row.span));
                        points.push((a, v, at.span));
                    }
                    _ => ok = false,
                },
                Row::Error(_) => ok = false,
                _ => {
                    self.wrong_form(table, row.span, "points (`at A : VALUE`)");
                    ok = false;
                }
            }
        }
        if ok && points.len() < 2 {
            self.error(
                &codes::TOO_FEW_POINTS,
                format!("the linear table `{}` has {} point", table.name.text, points.len()),
                table.name.span,
                "a curve needs two points",
            )
            .help = Some("add a second point, e.g. `at 150% : 10000 USD`".to_string());
            ok = false;
        }
        ok.then(|| (model::Rows::Linear(points.into_iter().map(|(a, v, _)| (a, v)).collect()), places))
    }

    fn lookup(&mut self, table: &ast::Table) -> Option<(model::Rows, RowPlaces)> {
        let mut entries: Vec<(String, Decimal, Span)> = Vec::new();
        let mut places: RowPlaces = Vec::new();
        let mut otherwise: Option<(Decimal, Span)> = None;
        let mut ok = true;
        for row in &table.rows {
            match &row.kind {
                Row::Key { key: (key, span), value } => {
                    self.check_text(key, *span);
                    if let Some((_, _, first)) = entries.iter().find(|(k, _, _)| k == key) {
                        let d = self.error(
                            &codes::LOOKUP_DUPLICATE_KEY,
                            format!("\"{key}\" is listed twice"),
                            *span,
                            "listed again here",
                        );
                        d.labels.push(crate::diagnostics::Label::secondary(*first, "first listed here"));
                        d.help = Some("list each key once, with its one rate".to_string());
                        ok = false;
                    }
                    if let Some((_, v)) = unit_of(value) {
                        places.push((Some(entries.len()), row.span));
                        entries.push((key.clone(), v, *span));
                    }
                }
                Row::Otherwise { value } => {
                    if let Some((_, first)) = otherwise {
                        let d = self.error(
                            &codes::LOOKUP_DUPLICATE_KEY,
                            "two `otherwise` rows",
                            row.span,
                            "second `otherwise`",
                        );
                        d.labels.push(crate::diagnostics::Label::secondary(first, "first `otherwise`"));
                        ok = false;
                    }
                    otherwise = unit_of(value).map(|(_, v)| (v, row.span));
                }
                Row::Error(_) => ok = false,
                _ => {
                    self.wrong_form(table, row.span, "keys (`\"Platform\" : 8%`, `otherwise : 5%`)");
                    ok = false;
                }
            }
        }
        if ok && otherwise.is_none() {
            self.diags.push(
                Diagnostic::new(
                    &codes::LOOKUP_NO_OTHERWISE,
                    format!("the lookup table `{}` has no `otherwise` row", table.name.text),
                )
                .primary(table.name.span, "a key it does not list stops the payroll run")
                .help("add `otherwise : RATE` for keys not listed"),
            );
        }
        places.extend(otherwise.map(|(_, span)| (None, span)));
        let rows = model::Rows::Lookup {
            entries: entries.into_iter().map(|(k, v, _)| (k, v)).collect(),
            otherwise: otherwise.map(|(v, _)| v),
        };
        ok.then_some((rows, places))
    }
}
