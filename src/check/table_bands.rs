//! Bands whose rate is read for each deal: a band's value may name a lookup table of rates
//! (`100% and above : product_rate`), so that the top band pays each deal's product rate. The
//! table that holds such a band has a value only where the lookup's row is at hand. And tables
//! keyed on what an earning has paid (`on company ytd`), which that earning fills deal by deal.

use super::expr::{Checker, Rows};
use super::plan::DefKind;
use super::problems;
use super::tables::Unit;
use crate::ast::{self, ExprKind, Ident, TableMode};
use crate::model::{self, EarningId, RateTableId, ValueKind};
use crate::types::Ty;

/// A table's key as the checker reads it: the key, the unit of its bounds, the rows it reads and
/// its type.
type Key = (model::TableKey, Option<Unit>, Option<Rows>, Ty);

impl Checker<'_> {
    /// The lookup table a band's value names: a lookup table of rates of this plan, keyed on a
    /// column of the deal or of the rep. `None` (reported) for any other name.
    pub(super) fn band_lookup(&mut self, table: &ast::Table, value: &ast::Value, name: &str) -> Option<RateTableId> {
        let ident = Ident { text: name.to_string(), span: value.span };
        let plan = self.plan.as_ref()?;
        let Some(def) = plan.defs.iter().position(|d| d.name.text == name) else {
            let tables: Vec<&str> =
                plan.defs.iter().filter(|d| d.kind == DefKind::Table).map(|d| d.name.text.as_str()).collect();
            self.report(problems::unknown_name(&ident, tables));
            return None;
        };
        let (kind, index) = (plan.defs[def].kind, plan.defs[def].index);
        if let Some(plan) = self.plan.as_mut() {
            plan.used[def] = true;
        }
        self.record_definition(&ident);
        if kind != DefKind::Table {
            self.report(problems::band_value_not_a_rate_lookup(&ident, &table.name, "not a table"));
            return None;
        }
        if self.ensure(def, value.span).is_error() {
            return None;
        }
        let id = RateTableId::new(index);
        let info = self.plan.as_ref().and_then(|p| p.tables[id].as_ref()).map(|(_, info)| info.clone())?;
        let why = if info.mode != TableMode::Lookup {
            Some("a tier table, not a lookup")
        } else if info.values != ValueKind::Rate {
            Some("a table of amounts, not of rates")
        } else if matches!(info.needs_row, Some(Rows::Table(_))) {
            Some("keyed on a column of another table than the deals")
        } else {
            None
        };
        if let Some(why) = why {
            self.report(problems::band_value_not_a_rate_lookup(&ident, &table.name, why));
            return None;
        }
        Some(id)
    }

    /// The rows the lookups of a table's bands read (a deal, for a lookup on `deal.product`), and
    /// the name of the first such lookup, for the error of a table used where none is at hand.
    pub(super) fn band_lookups_read(&self, rows: &model::Rows) -> (Option<Rows>, Option<String>) {
        let (model::Rows::Marginal(bands) | model::Rows::Retroactive(bands)) = rows else { return (None, None) };
        let Some(plan) = self.plan.as_ref() else { return (None, None) };
        let mut read = (None, None);
        for id in bands.iter().filter_map(|b| b.lookup) {
            if let Some((table, info)) = plan.tables[id].as_ref() {
                read.0 = read.0.or(info.needs_row);
                read.1 = read.1.or_else(|| Some(table.name.clone()));
            }
        }
        read
    }

    /// A table keyed on an earning in a scope (`on company ytd`): what that earning has paid in
    /// the window, in the plan's currency. `None` when the key names no earning; `Some(None)` when
    /// it does and is refused (reported): a scope an earning does not pay in, or a table that is
    /// not marginal.
    pub(super) fn earning_key(&mut self, table: &ast::Table) -> Option<Option<Key>> {
        let ExprKind::Scoped { expr, scope, scope_span } = &table.key.kind else { return None };
        let ExprKind::Path(ast::Path { head, field: None }) = &expr.kind else { return None };
        let plan = self.plan.as_ref()?;
        let def = plan.defs.iter().position(|d| d.name.text == head.text && d.kind == DefKind::Earning)?;
        let id = EarningId::new(plan.defs[def].index);
        self.record_definition(head);
        if *scope == ast::Scope::Year {
            self.report(problems::earning_total_per_year(&head.text, *scope_span));
            return Some(None);
        }
        if table.mode.0 != TableMode::Marginal {
            self.report(problems::own_total_not_marginal(table.mode, &head.text, table.key.span));
            return Some(None);
        }
        let currency = self.currency.clone()?;
        let key = model::TableKey::Earning { id, scope: *scope };
        Some(Some((key, Some(Unit::Money(currency.clone())), None, Ty::money(&currency))))
    }
}
