//! Resolving names in expressions: a plan's definitions (with their scopes), a row's columns
//! (`deal.region`, `rep.hired`), credit fields, and the messages for a row that is not at hand.

use super::expr::{Checker, Rows};
use super::problems;
use super::source_map::Symbol;
use crate::ast::{self, Span};
use crate::model::{self, ColumnId, ColumnType, CreditField, TableId};
use crate::types::{Currency, Ty};

impl Checker<'_> {
    /// A plain or dotted name.
    pub(super) fn path(
        &mut self,
        path: &ast::Path,
        scope: Option<(ast::Scope, Span)>,
        rows: Rows,
    ) -> (model::Expr, Ty) {
        let Some(field) = &path.field else {
            return self.name(&path.head, scope, rows);
        };
        if let Some((_, scope_span)) = scope {
            self.report(problems::scope_on_a_column(path, scope_span));
        }
        let head = path.head.text.as_str();
        if head == "credit" && self.table_by_row(head).is_none() {
            return self.credit_path(path, field, rows);
        }
        let Some(table) = self.table_by_row(head) else {
            return self.not_a_row(path, field);
        };
        self.record_table(&path.head, table);
        self.record_column_named(field, table);
        if !self.row_at_hand(table, rows) {
            return self.refuse(problems::row_not_at_hand(path, rows, self.schema, self.deals_table()));
        }
        let schema = self.schema;
        let Some(column) = schema.tables[table].column(&field.text) else {
            return self.refuse(problems::unknown_column(&schema.tables[table], head, field));
        };
        let id = ColumnId { table, column };
        let ty = column_type(self.schema, id);
        let is_rep = Some(table) == self.reps_table() && !matches!(rows, Rows::Table(t) if t == table);
        (if is_rep { model::Expr::Rep(id) } else { model::Expr::Row(id) }, ty)
    }

    /// Whether the rows of a table are at hand where an expression reads `rows`.
    fn row_at_hand(&self, table: TableId, rows: Rows) -> bool {
        match rows {
            Rows::Rep => Some(table) == self.reps_table(),
            Rows::Credit => Some(table) == self.reps_table() || Some(table) == self.deals_table(),
            Rows::Table(t) => t == table || Some(table) == self.reps_table(),
            Rows::Deal => Some(table) == self.deals_table(),
            Rows::Any => true,
        }
    }

    /// `credit.FIELD`: a field of the credit row, where credit rows are at hand.
    fn credit_path(&mut self, path: &ast::Path, field: &ast::Ident, rows: Rows) -> (model::Expr, Ty) {
        let known = CreditField::ALL.iter().find(|(n, _)| *n == field.text);
        self.record(&path.head, Symbol::CreditRow, false);
        if known.is_some() {
            self.record(field, Symbol::CreditField(field.text.clone()), false);
        }
        if !matches!(rows, Rows::Credit | Rows::Any) {
            return self.refuse(problems::row_not_at_hand(path, rows, self.schema, self.deals_table()));
        }
        match known {
            Some((_, f)) => (model::Expr::Credit(*f), self.credit_field_type(*f, path.span())),
            None => self.refuse(problems::unknown_credit_field(field)),
        }
    }

    /// `HEAD.FIELD` where no table has rows called `HEAD`: the whole table `HEAD`, or an unknown row.
    fn not_a_row(&mut self, path: &ast::Path, field: &ast::Ident) -> (model::Expr, Ty) {
        let schema = self.schema;
        if let Some(t) = schema.table(&path.head.text) {
            self.record_table(&path.head, t);
            self.record_column_named(field, t);
            return self.refuse(problems::reads_a_whole_table(path));
        }
        let rows = schema.tables.iter().map(|t| t.row_name.as_str()).chain(["credit"]);
        self.refuse(problems::unknown_row(&path.head, rows))
    }

    fn credit_field_type(&mut self, field: CreditField, span: Span) -> Ty {
        match field {
            CreditField::Amount if self.crediting.is_some_and(|c| super::crediting::credits_units(self.schema, c)) => {
                Ty::Number
            }
            CreditField::Amount => match self.credit_currency() {
                Some(c) => Ty::money(&c),
                None if self.credit_declared => Ty::Error,
                None => {
                    self.report(problems::credit_amount_without_crediting_rules(span));
                    Ty::Error
                }
            },
            CreditField::Kind => Ty::Text,
            CreditField::Date => Ty::Date,
            CreditField::Reversal => Ty::Bool,
            CreditField::Share => Ty::Percent,
        }
    }

    /// The table whose rows have this name.
    fn table_by_row(&self, name: &str) -> Option<TableId> {
        self.schema.tables.position(|t| t.row_name == name)
    }

    /// A plain name: a definition of the plan, or an error.
    fn name(&mut self, name: &ast::Ident, scope: Option<(ast::Scope, Span)>, rows: Rows) -> (model::Expr, Ty) {
        if let Some(resolved) = self.definition(name, scope, rows) {
            return resolved;
        }
        if self.table_by_row(&name.text).is_some() || name.text == "credit" {
            return self.refuse(problems::row_as_a_value(name));
        }
        // The candidates are borrowed, not copied: a file may make thousands of unknown names.
        let rows = self.schema.tables.iter().map(|t| t.row_name.as_str());
        let problem = problems::unknown_name(name, self.definition_names().chain(rows));
        self.refuse(problem)
    }
}

/// The type of a column's values in expressions.
pub(crate) fn column_type(schema: &model::Schema, id: ColumnId) -> Ty {
    match &schema.column(id).ty {
        ColumnType::Text => Ty::Text,
        // A reference reads as the key it names: a number for an `integer` key, a date for a
        // `date` key… (a key is never itself a reference).
        ColumnType::Ref(target) => match schema.tables[*target].key {
            Some(key) if !matches!(schema.tables[*target].columns[key].ty, ColumnType::Ref(_)) => {
                column_type(schema, ColumnId { table: *target, column: key })
            }
            _ => Ty::Text,
        },
        ColumnType::Date => Ty::Date,
        ColumnType::Decimal | ColumnType::Integer => Ty::Number,
        ColumnType::Percent => Ty::Percent,
        ColumnType::Bool => Ty::Bool,
        ColumnType::Year => Ty::Year,
        ColumnType::Currency => Ty::CurrencyCode,
        ColumnType::Money(code) => Ty::money(code),
        ColumnType::MoneyIn(c) => Ty::Money(Currency::PerRow(schema.tables[id.table].columns[*c].name.clone())),
    }
}
