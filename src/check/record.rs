//! How the checker records the source map as it goes: the names it resolves, and where the parts of
//! the plan it builds are written (see `source_map` for what is recorded and why).

use super::expr::Checker;
use super::source_map::{Occurrence, PlanSourceMap, Symbol};
use crate::ast::Ident;
use crate::model::{ColumnId, TableId};

impl Checker<'_> {
    /// Records a name as resolved to a symbol; a name the parser made up for a missing one (empty)
    /// is not recorded.
    pub(crate) fn record(&mut self, name: &Ident, symbol: Symbol, declaration: bool) {
        if !name.text.is_empty() && !name.span.is_empty() {
            self.occurrences.push(Occurrence { span: name.span, symbol, declaration });
        }
    }

    /// Records a name as naming a table (by its rows or by its own name).
    pub(crate) fn record_table(&mut self, name: &Ident, table: TableId) {
        let symbol = Symbol::Table(self.schema.tables[table].name.clone());
        self.record(name, symbol, false);
    }

    /// Records a name as naming a column of a table.
    pub(crate) fn record_column(&mut self, name: &Ident, id: ColumnId) {
        let table = &self.schema.tables[id.table];
        let symbol = Symbol::Column { table: table.name.clone(), column: table.columns[id.column].name.clone() };
        self.record(name, symbol, false);
    }

    /// Records a name as naming the column of that name of a table, if the table has one.
    pub(crate) fn record_column_named(&mut self, name: &Ident, table: TableId) {
        if let Some(column) = self.schema.tables[table].column(&name.text) {
            self.record_column(name, ColumnId { table, column });
        }
    }

    /// Records a name as naming a definition of the plan being checked.
    pub(crate) fn record_definition(&mut self, name: &Ident) {
        if let Some(symbol) = self.plan.as_ref().map(|p| p.sources.symbol(&name.text)) {
            self.record(name, symbol, false);
        }
    }

    /// The source map of the plan being checked.
    pub(crate) fn sources(&mut self) -> Option<&mut PlanSourceMap> {
        self.plan.as_mut().map(|p| &mut p.sources)
    }
}
