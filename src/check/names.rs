//! Resolving names in expressions: a plan's definitions (with their scopes), a row's columns
//! (`deal.region`, `rep.hired`), credit fields, and the messages for a row that is not at hand.

use super::expr::{placeholder, Checker, Rows};
use crate::ast::{self, Span};
use crate::diagnostics::{codes, did_you_mean};
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
            self.error(
                &codes::SCOPE_MISUSE,
                format!("`{}` is a column: it has no scope", path.text()),
                scope_span,
                "unexpected scope",
            );
        }
        let head = path.head.text.as_str();
        if head == "credit" && self.table_by_row(head).is_none() {
            if !matches!(rows, Rows::Credit | Rows::Any) {
                self.row_not_here(path, rows);
                return (placeholder(), Ty::Error);
            }
            return match CreditField::ALL.iter().find(|(n, _)| *n == field.text) {
                Some((_, f)) => (model::Expr::Credit(*f), self.credit_field_type(*f, path.span())),
                None => {
                    let d = self.error(
                        &codes::UNKNOWN_COLUMN,
                        format!("credit rows have no field `{}`", field.text),
                        field.span,
                        "unknown field",
                    );
                    d.help = Some(match did_you_mean(&field.text, CreditField::ALL.iter().map(|(n, _)| *n)) {
                        Some(s) => format!("did you mean `credit.{s}`?"),
                        None => "credit rows have `amount`, `kind`, `date`, `reversal` and `share`; the deal's columns are read as `deal.COLUMN`".to_string(),
                    });
                    (placeholder(), Ty::Error)
                }
            };
        }
        let Some(table) = self.table_by_row(head) else {
            if let Some(t) = self.schema.table(head) {
                let schema = self.schema;
                let d = self.error(
                    &codes::WRONG_KIND,
                    format!("`{}` reads the whole table `{head}`", path.text()),
                    path.span(),
                    "a table, not a row",
                );
                let _ = (schema, t);
                d.help = Some(format!(
                    "read it through a quota: `quota q = {} split evenly by month`, then `q period`",
                    path.text()
                ));
                return (placeholder(), Ty::Error);
            }
            let mut names: Vec<&str> = self.schema.tables.iter().map(|t| t.row_name.as_str()).collect();
            names.push("credit");
            let d = self.error(
                &codes::UNKNOWN_NAME,
                format!("unknown row `{head}`"),
                path.head.span,
                "no table has rows of this name",
            );
            d.help = did_you_mean(head, names).map(|s| format!("did you mean `{s}`?"));
            return (placeholder(), Ty::Error);
        };
        let in_scope = match rows {
            Rows::Rep => Some(table) == self.reps_table(),
            Rows::Credit => Some(table) == self.reps_table() || Some(table) == self.deals_table(),
            Rows::Table(t) => t == table || Some(table) == self.reps_table(),
            Rows::Deal => Some(table) == self.deals_table(),
            Rows::Any => true,
        };
        if !in_scope {
            self.row_not_here(path, rows);
            return (placeholder(), Ty::Error);
        }
        let t = &self.schema.tables[table];
        let Some(column) = t.column(&field.text) else {
            let d = self.error(
                &codes::UNKNOWN_COLUMN,
                format!("`{}` has no column `{}`", t.name, field.text),
                field.span,
                "unknown column",
            );
            let names: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
            d.help = Some(match did_you_mean(&field.text, names.iter().copied()) {
                Some(s) => format!("did you mean `{}.{s}`?", path.head.text),
                None => format!(
                    "the columns of `{}` are {}",
                    t.name,
                    names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
                ),
            });
            return (placeholder(), Ty::Error);
        };
        let id = ColumnId { table, column };
        let ty = column_type(self.schema, id);
        let is_rep = Some(table) == self.reps_table() && !matches!(rows, Rows::Table(t) if t == table);
        (if is_rep { model::Expr::Rep(id) } else { model::Expr::Row(id) }, ty)
    }

    fn credit_field_type(&mut self, field: CreditField, span: Span) -> Ty {
        match field {
            CreditField::Amount => match self.credit_currency() {
                Some(c) => Ty::money(&c),
                None if self.credit_declared => Ty::Error,
                None => {
                    self.error(
                        &codes::MISSING_SHARED,
                        "credit amounts need crediting rules",
                        span,
                        "no `credit { … }` block in the workspace",
                    );
                    Ty::Error
                }
            },
            CreditField::Kind => Ty::Text,
            CreditField::Date => Ty::Date,
            CreditField::Reversal => Ty::Bool,
            CreditField::Share => Ty::Percent,
        }
    }

    fn row_not_here(&mut self, path: &ast::Path, rows: Rows) {
        let head = &path.head.text;
        let why = match rows {
            Rows::Rep => "this is computed once per rep and period, not per deal".to_string(),
            Rows::Deal => "a territory is a condition on a deal only".to_string(),
            Rows::Any => String::new(),
            Rows::Credit => format!(
                "measures of credit read `credit`, `{}` and `rep`",
                self.deals_table().map_or("deal", |t| self.schema.tables[t].row_name.as_str())
            ),
            Rows::Table(t) => format!("this measure reads rows of `{}`", self.schema.tables[t].name),
        };
        let d = self.error(&codes::WRONG_KIND, format!("`{head}` is not available here"), path.span(), why);
        d.help = Some(match rows {
            Rows::Rep => "deals are read in measures: sum or count them there (`measure m = sum of credit.amount where …`), then use the measure".to_string(),
            _ => "read only the rows this expression is evaluated for".to_string(),
        });
    }

    /// The table whose rows have this name.
    fn table_by_row(&self, name: &str) -> Option<TableId> {
        self.schema.tables.iter().position(|t| t.row_name == name)
    }

    /// A plain name: a definition of the plan, or an error.
    fn name(&mut self, name: &ast::Ident, scope: Option<(ast::Scope, Span)>, rows: Rows) -> (model::Expr, Ty) {
        if let Some(resolved) = self.definition(name, scope, rows) {
            return resolved;
        }
        if self.table_by_row(&name.text).is_some() || name.text == "credit" {
            let d = self.error(
                &codes::WRONG_KIND,
                format!("`{}` is a row, not a value", name.text),
                name.span,
                "a whole row",
            );
            d.help = Some(format!("read one of its columns: `{}.COLUMN`", name.text));
            return (placeholder(), Ty::Error);
        }
        // The candidates are borrowed, not copied: a file may make thousands of unknown names.
        let rows = self.schema.tables.iter().map(|t| t.row_name.as_str());
        let help =
            did_you_mean(&name.text, self.definition_names().chain(rows)).map(|s| format!("did you mean `{s}`?"));
        let d = self.error(
            &codes::UNKNOWN_NAME,
            format!("unknown name `{}`", name.text),
            name.span,
            "not defined in this plan",
        );
        d.help = help;
        (placeholder(), Ty::Error)
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
