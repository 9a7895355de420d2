//! Walks one top-level item of the syntax tree and resolves every name in it, for the index.
//!
//! Resolution follows the checker's rules without reporting anything: a plain name is a definition
//! of the enclosing plan; `row.column` reads a column of the table whose rows are called `row`
//! (`deal` → `deals`), or of the table itself (`quotas.amount`); `credit.field` is a field of the
//! credit row. Names that resolve to nothing are left out (the checker reports them).

use super::index::{Occurrence, Symbol};
use crate::ast::{
    self, Aggregate, CreditRule, DrawWhen, EarnForm, Entry, Expr, ExprKind, HoldRelease, Ident, Modifier, Path,
    QuotaSplit, Span, TestStmt,
};
use crate::model::{self, CreditField};
use crate::source::SourceFile;

/// Collects the occurrences of one item.
pub(crate) struct Collector<'a> {
    schema: &'a model::Schema,
    file: SourceFile,
    plan: usize,
    definitions: Vec<String>,
    data_blocks: Vec<Span>,
    out: Vec<Occurrence>,
}

impl<'a> Collector<'a> {
    /// A collector for an item of `file`; `plan` is the ordinal the next plan of the file gets.
    pub(crate) fn new(schema: &'a model::Schema, file: SourceFile, plan: usize) -> Collector<'a> {
        Collector { schema, file, plan, definitions: Vec::new(), data_blocks: Vec::new(), out: Vec::new() }
    }

    /// The names the walked plan defines.
    pub(crate) fn definitions(&self) -> Vec<String> {
        self.definitions.clone()
    }

    /// The insides of the walked plan's test `data` blocks.
    pub(crate) fn data_blocks(&self) -> Vec<Span> {
        self.data_blocks.clone()
    }

    /// The occurrences found.
    pub(crate) fn finish(self) -> Vec<Occurrence> {
        self.out
    }

    fn push(&mut self, ident: &Ident, symbol: Symbol, declaration: bool) {
        if !ident.text.is_empty() && !ident.span.is_empty() {
            self.out.push(Occurrence { span: ident.span, symbol, declaration });
        }
    }

    /// The table whose rows are called `name`, or that is called `name`.
    fn table(&self, name: &str) -> Option<&'a model::Table> {
        let tables = &self.schema.tables;
        tables.iter().find(|t| t.row_name == name).or_else(|| tables.iter().find(|t| t.name == name))
    }

    fn table_use(&mut self, ident: &Ident) {
        if let Some(t) = self.table(&ident.text) {
            self.push(ident, Symbol::Table(t.name.clone()), false);
        }
    }

    fn column_use(&mut self, table: &str, ident: &Ident) {
        let known = self.schema.table(table).is_some_and(|t| self.schema.tables[t].column(&ident.text).is_some());
        if known {
            self.push(ident, Symbol::Column { table: table.to_string(), column: ident.text.clone() }, false);
        }
    }

    fn definition(&self, name: &str) -> Symbol {
        Symbol::Definition { file: self.file, plan: self.plan, name: name.to_string() }
    }

    fn path(&mut self, path: &Path) {
        let Some(field) = &path.field else {
            if self.definitions.contains(&path.head.text) {
                self.push(&path.head, self.definition(&path.head.text), false);
            }
            return;
        };
        if path.head.text == "credit" && self.schema.tables.iter().all(|t| t.row_name != "credit") {
            self.push(&path.head, Symbol::CreditRow, false);
            if CreditField::ALL.iter().any(|(name, _)| *name == field.text) {
                self.push(field, Symbol::CreditField(field.text.clone()), false);
            }
            return;
        }
        if let Some(t) = self.table(&path.head.text) {
            let table = t.name.clone();
            self.push(&path.head, Symbol::Table(table.clone()), false);
            self.column_use(&table, field);
        }
    }

    fn expr(&mut self, e: &Expr) {
        match &e.kind {
            ExprKind::Literal(_) => {}
            ExprKind::Path(p) => self.path(p),
            ExprKind::Scoped { expr, .. }
            | ExprKind::Unary { operand: expr, .. }
            | ExprKind::Paren(expr)
            | ExprKind::IsEmpty { value: expr, .. } => self.expr(expr),
            ExprKind::Call { args, .. } => args.iter().for_each(|a| self.expr(&a.kind)),
            ExprKind::Chain { head, links } => {
                self.expr(head);
                links.iter().for_each(|link| self.expr(&link.operand));
            }
            ExprKind::Compare { lhs, rhs, .. } => {
                self.expr(lhs);
                self.expr(rhs);
            }
            ExprKind::Range { value, from, to } => {
                self.expr(value);
                self.expr(from);
                self.expr(to);
            }
            ExprKind::Of { rate, base, .. } => {
                self.expr(rate);
                self.expr(base);
            }
        }
    }

    /// A `schema` item: the table and its columns are declared here.
    pub(crate) fn schema(&mut self, schema: &ast::Schema) {
        let table = schema.name.text.clone();
        self.push(&schema.name, Symbol::Table(table.clone()), true);
        for field in &schema.fields {
            let ast::Field::Column(column) = &field.kind else { continue };
            self.push(&column.name, Symbol::Column { table: table.clone(), column: column.name.text.clone() }, true);
            match &column.ty {
                ast::ColumnType::Ref { table: target, .. } => self.table_use(target),
                ast::ColumnType::MoneyIn { column: currency, .. } => self.column_use(&table, currency),
                ast::ColumnType::Named(_) | ast::ColumnType::Money { .. } => {}
            }
        }
    }

    /// The `credit` block: rows, tables and columns named by its rules.
    pub(crate) fn credit(&mut self, credit: &ast::Credit) {
        // The block is what makes credit rows: `credit` in `credit.amount` goes to its keyword.
        if !credit.keyword.is_empty() {
            self.out.push(Occurrence { span: credit.keyword, symbol: Symbol::CreditRow, declaration: true });
        }
        for rule in &credit.rules {
            match &rule.kind {
                CreditRule::Convert { amount, table, date, .. } => {
                    self.path(amount);
                    self.table_use(table);
                    self.path(date);
                }
                CreditRule::Owner { row, owner, date } => {
                    self.table_use(row);
                    self.path(owner);
                    self.path(date);
                }
                CreditRule::Splits { row, table, .. } => {
                    self.table_use(row);
                    self.table_use(table);
                }
                CreditRule::Territory { row, assignment } => {
                    self.table_use(row);
                    self.path(assignment);
                }
                CreditRule::Rollup { manager } => self.path(manager),
                CreditRule::Clawback { cancelled, from, .. } => {
                    self.path(cancelled);
                    self.path(from);
                }
                CreditRule::Employed { from, to } => {
                    self.path(from);
                    self.path(to);
                }
                CreditRule::Error(_) => {}
            }
        }
    }

    /// A `territory` item.
    pub(crate) fn territory(&mut self, territory: &ast::Territory) {
        self.push(&territory.name, Symbol::Territory(territory.name.text.clone()), true);
        self.expr(&territory.condition);
    }

    /// A plan: its name, its definitions, and every name its entries use.
    pub(crate) fn plan(&mut self, plan: &ast::Plan) {
        if let Some(name) = &plan.name {
            self.push(name, Symbol::Plan(name.text.clone()), true);
        }
        self.definitions = plan.entries.iter().filter_map(|e| e.kind.defined_name()).map(|n| n.text.clone()).collect();
        for entry in &plan.entries {
            if let Some(name) = entry.kind.defined_name() {
                if !matches!(entry.kind, Entry::Error(_)) {
                    self.push(name, self.definition(&name.text), true);
                }
            }
            self.entry(&entry.kind);
        }
    }

    fn entry(&mut self, entry: &Entry) {
        match entry {
            Entry::Eligible(e) => self.expr(e),
            Entry::Quota(q) => {
                self.expr(&q.value);
                if let Some(QuotaSplit::Weights { weights, .. }) = &q.split {
                    weights.iter().for_each(|w| self.expr(&w.kind));
                }
            }
            Entry::Measure(m) => {
                match &m.aggregate {
                    Aggregate::Sum(e) => self.expr(e),
                    Aggregate::Count(table) => self.table_use(table),
                }
                for path in [&m.by, &m.on].into_iter().flatten() {
                    self.path(path);
                }
                if let Some(filter) = &m.filter {
                    self.expr(filter);
                }
            }
            Entry::Attainment(a) => self.expr(&a.value),
            Entry::Table(t) => self.expr(&t.key),
            Entry::Earn(earn) => {
                self.expr(&earn.value);
                match &earn.form {
                    EarnForm::Once { when: Some(e), .. } | EarnForm::PerDeal { filter: Some(e), .. } => self.expr(e),
                    _ => {}
                }
                for modifier in &earn.modifiers {
                    match &modifier.kind {
                        Modifier::Cap { limit: e, .. }
                        | Modifier::Floor { limit: e, .. }
                        | Modifier::Gate { condition: e, .. } => self.expr(e),
                        Modifier::ByShare(_) => {}
                    }
                }
            }
            Entry::Draw(d) => {
                self.expr(&d.amount);
                if let DrawWhen::Months { from, .. } = &d.when {
                    self.path(from);
                }
            }
            Entry::Hold(h) => {
                if self.definitions.contains(&h.earning.text) {
                    self.push(&h.earning, self.definition(&h.earning.text), false);
                }
                if let HoldRelease::Until(path) = &h.release {
                    self.path(path);
                }
            }
            Entry::Test(test) => {
                for stmt in &test.stmts {
                    match &stmt.kind {
                        TestStmt::Table { table, .. } => {
                            self.table_use(table);
                            self.data_blocks.push(Span::new(table.span.end, stmt.span.end));
                        }
                        TestStmt::Expect { name, .. } if self.definitions.contains(&name.text) => {
                            self.push(name, self.definition(&name.text), false)
                        }
                        _ => {}
                    }
                }
            }
            Entry::Effective { .. }
            | Entry::Currency(_)
            | Entry::Pay(_)
            | Entry::FiscalYear(_)
            | Entry::Rounding { .. }
            | Entry::WriteOff
            | Entry::Recover { .. }
            | Entry::Error(_) => {}
        }
    }
}
