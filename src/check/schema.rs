//! Checking the input tables declared across the workspace (`schema` items): names, column types,
//! keys, `ref` and `money in` columns, with the source map of where each table and column is
//! written.

use super::problems;
use super::source_map::{ColumnSource, Occurrence, SchemaSourceMap, Symbol, TableSource};
use super::workspace::{all, report, row_name};
use crate::ast::{self, ColumnFlag, Ident, Span};
use crate::diagnostics::did_you_mean;
use crate::model::{self, ColumnType, IdVec, TableId};
use crate::source::{SourceFile, Workspace};
use crate::Db;

/// The checked schema and where it is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchemaCheck {
    /// The input tables.
    pub model: model::Schema,
    /// Where each table and column is declared, and the names used in the declarations.
    pub sources: SchemaSourceMap,
}

/// The input tables declared across the workspace, with their source map.
#[salsa::tracked(returns(ref))]
pub fn schema_checked(db: &dyn Db, ws: Workspace) -> SchemaCheck {
    let schemas = all(db, ws, super::file_schemas);
    let mut sources = SchemaSourceMap { tables: schemas.iter().map(|(file, node)| declared(*file, node)).collect() };
    let kept = distinct(db, &schemas);
    let names: Vec<&str> = kept.iter().map(|&at| schemas[at].1.kind.name.text.as_str()).collect();
    let mut tables = IdVec::new();
    let mut pending = Vec::new();
    for (id, &at) in TableId::all(kept.len()).zip(&kept) {
        let (file, schema) = (schemas[at].0, &schemas[at].1.kind);
        let source = &mut sources.tables[at];
        source.id = Some(id);
        let mut cx = TableCx { db, file, names: &names, id, at, pending: &mut pending, source };
        tables.push(cx.table(schema));
    }
    for column in pending {
        column.resolve(db, &mut tables, &mut sources);
    }
    SchemaCheck { model: model::Schema { tables }, sources }
}

/// The input tables declared across the workspace: [`schema_checked`]'s model alone, which an edit
/// that only moves text leaves equal.
#[salsa::tracked(returns(ref))]
pub fn schema_model(db: &dyn Db, ws: Workspace) -> model::Schema {
    schema_checked(db, ws).model.clone()
}

/// A `schema` item as declared: its table and columns, recorded before anything is checked (a
/// second declaration of a table declares it too, for go to definition and references).
fn declared(file: SourceFile, node: &ast::Node<ast::Schema>) -> TableSource {
    let schema = &node.kind;
    let table = schema.name.text.clone();
    let mut occurrences = Vec::new();
    let mut declare = |name: &Ident, symbol: Symbol| {
        if !name.text.is_empty() && !name.span.is_empty() {
            occurrences.push(Occurrence { span: name.span, symbol, declaration: true });
        }
    };
    declare(&schema.name, Symbol::Table(table.clone()));
    let mut columns = Vec::new();
    for field in &schema.fields {
        let ast::Field::Column(column) = &field.kind else { continue };
        declare(&column.name, Symbol::Column { table: table.clone(), column: column.name.text.clone() });
        columns.push(ColumnSource {
            id: None,
            name: column.name.text.clone(),
            name_span: column.name.span,
            span: field.span,
            doc: field.trivia.doc(),
        });
    }
    TableSource {
        file,
        id: None,
        name: table,
        name_span: schema.name.span,
        span: node.span,
        doc: node.trivia.doc(),
        columns,
        occurrences,
    }
}

/// The positions of the `schema` items that declare a table first; a second declaration is
/// reported.
fn distinct(db: &dyn Db, schemas: &[(SourceFile, &ast::Node<ast::Schema>)]) -> Vec<usize> {
    let mut kept: Vec<usize> = Vec::new();
    for (at, (file, node)) in schemas.iter().enumerate() {
        let name = &node.kind.name;
        if let Some(&first) = kept.iter().find(|&&k| schemas[k].1.kind.name.text == name.text) {
            let (first_file, first) = (schemas[first].0, &schemas[first].1.kind.name);
            report(db, *file, problems::table_declared_twice(name, first_file, first.span));
            continue;
        }
        kept.push(at);
    }
    kept
}

const TYPE_NAMES: [&str; 8] = ["text", "date", "decimal", "integer", "percent", "bool", "year", "currency"];

/// A column whose type needs every table's columns: `money in COLUMN` and `ref TABLE`.
struct Pending {
    file: SourceFile,
    /// The whole type.
    span: Span,
    table: TableId,
    column: usize,
    /// The table's `schema` item in the source map.
    at: usize,
    kind: PendingKind,
}

enum PendingKind {
    /// `money in COLUMN`.
    In(Ident),
    /// `ref TABLE`.
    Ref(String),
}

/// Checking the columns of one table.
struct TableCx<'a, 'db> {
    db: &'db dyn Db,
    file: SourceFile,
    /// The tables declared, by id.
    names: &'a [&'a str],
    /// The table's id.
    id: TableId,
    /// Its `schema` item in the source map.
    at: usize,
    pending: &'a mut Vec<Pending>,
    source: &'a mut TableSource,
}

impl TableCx<'_, '_> {
    /// The table's model: its columns (a column declared twice is reported and left out), and key.
    fn table(&mut self, schema: &ast::Schema) -> model::Table {
        let mut columns: Vec<model::Column> = Vec::new();
        let mut spans: Vec<Span> = Vec::new();
        let mut key = None;
        let declared = schema.fields.iter().filter_map(|f| match &f.kind {
            ast::Field::Column(c) => Some(c),
            ast::Field::Error(_) => None,
        });
        for (written, column) in declared.enumerate() {
            if let Some(first) = columns.iter().position(|c| c.name == column.name.text) {
                report(self.db, self.file, problems::column_declared_twice(&column.name, &schema.name, spans[first]));
                continue;
            }
            let optional = column.flags.iter().any(|(f, _)| *f == ColumnFlag::Optional);
            let ty = self.column_type(column, columns.len());
            if self.is_key(schema, column, &ty, optional, key.map(|k: usize| spans[k])) {
                key = Some(columns.len());
            }
            self.source.columns[written].id = Some(columns.len());
            spans.push(column.name.span);
            columns.push(model::Column { name: column.name.text.clone(), ty, optional });
        }
        if columns.is_empty() {
            report(self.db, self.file, problems::table_without_columns(&schema.name));
        }
        model::Table { name: schema.name.text.clone(), row_name: row_name(&schema.name.text), columns, key }
    }

    /// Whether a column is the table's key, reporting an optional key, a key of a type that cannot
    /// be one, or a second key.
    fn is_key(
        &self,
        schema: &ast::Schema,
        column: &ast::Column,
        ty: &ColumnType,
        optional: bool,
        first: Option<Span>,
    ) -> bool {
        let Some((_, flag_span)) = column.flags.iter().find(|(f, _)| *f == ColumnFlag::Key) else { return false };
        let problem = if optional {
            problems::optional_key(&column.name, *flag_span)
        } else if !can_be_a_key(ty) {
            problems::key_of_unkeyable_type(&column.name, ty, *flag_span)
        } else if let Some(first) = first {
            problems::second_key(&schema.name, *flag_span, first)
        } else {
            return true;
        };
        report(self.db, self.file, problem);
        false
    }

    /// A column's type; `money in` and `ref` are finished once every table is known.
    fn column_type(&mut self, column: &ast::Column, position: usize) -> ColumnType {
        let (file, table, at) = (self.file, self.id, self.at);
        match &column.ty {
            ast::ColumnType::Named(name) => self.named_type(name),
            ast::ColumnType::Money { currency: Some(code), .. } => ColumnType::Money(code.text.clone()),
            ast::ColumnType::Money { currency: None, span } => {
                report(self.db, file, problems::money_without_currency(*span));
                ColumnType::Decimal
            }
            ast::ColumnType::MoneyIn { column: currency, span } => {
                let kind = PendingKind::In(currency.clone());
                self.pending.push(Pending { file, span: *span, table, column: position, at, kind });
                ColumnType::MoneyIn(0)
            }
            ast::ColumnType::Ref { table: target, span } => match self.names.iter().position(|n| *n == target.text) {
                Some(found) => {
                    let symbol = Symbol::Table(target.text.clone());
                    self.source.occurrences.push(Occurrence { span: target.span, symbol, declaration: false });
                    let kind = PendingKind::Ref(target.text.clone());
                    self.pending.push(Pending { file, span: *span, table, column: position, at, kind });
                    ColumnType::Ref(TableId::new(found))
                }
                None => {
                    report(self.db, file, problems::unknown_table(target, self.names.iter().copied()));
                    ColumnType::Text
                }
            },
        }
    }

    /// A type named by a word (`text`, `date`…); an unknown word is reported, and the column carries
    /// on with the type suggested, so that its uses are not reported again.
    fn named_type(&self, name: &Ident) -> ColumnType {
        let other = match name.text.as_str() {
            "text" => return ColumnType::Text,
            "date" => return ColumnType::Date,
            "decimal" => return ColumnType::Decimal,
            "integer" => return ColumnType::Integer,
            "percent" => return ColumnType::Percent,
            "bool" => return ColumnType::Bool,
            "year" => return ColumnType::Year,
            "currency" => return ColumnType::Currency,
            other => other,
        };
        let hint = match other {
            "string" | "str" => Some("text"),
            "datetime" | "timestamp" => Some("date"),
            "boolean" => Some("bool"),
            "int" | "count" => Some("integer"),
            "float" | "double" | "number" | "numeric" => Some("decimal"),
            _ => did_you_mean(other, TYPE_NAMES),
        };
        report(self.db, self.file, problems::unknown_column_type(name, hint));
        match hint {
            Some("date") => ColumnType::Date,
            Some("bool") => ColumnType::Bool,
            Some("integer") => ColumnType::Integer,
            Some("decimal") => ColumnType::Decimal,
            Some("percent") => ColumnType::Percent,
            Some("year") => ColumnType::Year,
            Some("currency") => ColumnType::Currency,
            _ => ColumnType::Text,
        }
    }
}

impl Pending {
    /// Finishes a `money in` column (its currency column must be a `currency` column of the same
    /// table) or checks that a `ref`'s table has a key.
    fn resolve(self, db: &dyn Db, tables: &mut IdVec<TableId, model::Table>, sources: &mut SchemaSourceMap) {
        let table = &mut tables[self.table];
        match self.kind {
            PendingKind::In(currency) => {
                let found = table.column(&currency.text);
                if found.is_some() {
                    let symbol = Symbol::Column { table: table.name.clone(), column: currency.text.clone() };
                    sources.tables[self.at].occurrences.push(Occurrence {
                        span: currency.span,
                        symbol,
                        declaration: false,
                    });
                }
                match found {
                    Some(c) if table.columns[c].ty == ColumnType::Currency => {
                        table.columns[self.column].ty = ColumnType::MoneyIn(c)
                    }
                    found => {
                        let problem = problems::money_in_not_a_currency_column(
                            &currency.text,
                            found.is_some(),
                            &table.name,
                            self.span,
                        );
                        report(db, self.file, problem);
                        table.columns[self.column].ty = ColumnType::Decimal;
                    }
                }
            }
            PendingKind::Ref(target) => {
                if tables.iter().find(|t| t.name == target).is_some_and(|t| t.key.is_none()) {
                    report(db, self.file, problems::ref_to_a_table_without_key(&target, self.span));
                }
            }
        }
    }
}

/// Whether a column of this type can be a table's key. Keys are matched as written (a reference
/// names its row by the key's text), so a key's type must have one spelling for each value: text, a
/// whole number written without leading zeros, a date, a year, a currency code.
fn can_be_a_key(ty: &ColumnType) -> bool {
    match ty {
        ColumnType::Text | ColumnType::Integer | ColumnType::Date | ColumnType::Year | ColumnType::Currency => true,
        ColumnType::Decimal
        | ColumnType::Percent
        | ColumnType::Money(_)
        | ColumnType::MoneyIn(_)
        | ColumnType::Bool
        | ColumnType::Ref(_) => false,
    }
}
