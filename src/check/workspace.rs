//! Workspace-wide checks: the schema, the crediting rules and territories (shared by every plan), and
//! the rules that span plans (one version per plan name, versions that do not overlap).

use super::expr::{Checker, Rows};
use crate::ast::{self, ColumnFlag, CreditRule, Span};
use crate::diagnostics::{codes, did_you_mean, Diag, Diagnostic};
use crate::model::{self, ColumnId, ColumnType, TableId};
use crate::source::{SourceFile, Workspace};
use crate::Db;
use salsa::Accumulator as _;

fn report(db: &dyn Db, file: SourceFile, diagnostic: Diagnostic) {
    Diag(diagnostic.in_file(file)).accumulate(db);
}

/// The items of one kind across the workspace, each with its file, in file order.
fn all<'db, T: 'db>(
    db: &'db dyn Db,
    ws: Workspace,
    of_file: impl Fn(&'db dyn Db, SourceFile) -> &'db Vec<T>,
) -> Vec<(SourceFile, &'db T)> {
    ws.files(db).iter().flat_map(|&file| of_file(db, file).iter().map(move |item| (file, item))).collect()
}

/// The row name of a table: `deals` → `deal`, `reps` → `rep`, `fx` → `fx`.
///
/// English plurals are regular enough for table names: `companies` → `company`, `statuses` →
/// `status`, `boxes` → `box`; names that are not plurals (`fx`, `status`, `access`) stay as they are.
pub(crate) fn row_name(table: &str) -> String {
    if let Some(stem) = table.strip_suffix("ies") {
        if !stem.is_empty() {
            return format!("{stem}y");
        }
    }
    for ending in ["sses", "shes", "ches", "xes", "uses"] {
        if table.len() > ending.len() && table.ends_with(ending) {
            return table[..table.len() - 2].to_string();
        }
    }
    if table.ends_with("ss") || table.ends_with("us") || table.ends_with("is") || table.len() < 2 {
        return table.to_string();
    }
    table.strip_suffix('s').unwrap_or(table).to_string()
}

const TYPE_NAMES: [&str; 8] = ["text", "date", "decimal", "integer", "percent", "bool", "year", "currency"];

/// The input tables declared across the workspace.
#[salsa::tracked(returns(ref))]
pub fn schema_model(db: &dyn Db, ws: Workspace) -> model::Schema {
    let schemas = all(db, ws, super::file_schemas);
    // First the table names, so that `ref` may point at a table declared later.
    let mut names: Vec<(&str, SourceFile, Span)> = Vec::new();
    let mut kept: Vec<(SourceFile, &ast::Schema)> = Vec::new();
    for (file, schema) in schemas {
        if let Some(&(_, first_file, first_span)) = names.iter().find(|(n, _, _)| *n == schema.name.text) {
            report(
                db,
                file,
                Diagnostic::new(
                    &codes::DUPLICATE_DEFINITION,
                    format!("the table `{}` is declared twice", schema.name.text),
                )
                .primary(schema.name.span, "declared again here")
                .secondary_in(first_file, first_span, "first declared here")
                .help("declare each table once; add columns to the first declaration"),
            );
            continue;
        }
        names.push((&schema.name.text, file, schema.name.span));
        kept.push((file, schema));
    }
    let table_names: Vec<&str> = names.iter().map(|(n, _, _)| *n).collect();
    let mut tables = Vec::new();
    let mut pending_refs: Vec<(SourceFile, Span, usize, usize, String)> = Vec::new();
    for (table_index, (file, schema)) in kept.iter().enumerate() {
        let mut columns: Vec<model::Column> = Vec::new();
        let mut spans: Vec<Span> = Vec::new();
        let mut key = None;
        for field in &schema.fields {
            let ast::Field::Column(column) = &field.kind else { continue };
            if let Some(first) = columns.iter().position(|c| c.name == column.name.text) {
                report(
                    db,
                    *file,
                    Diagnostic::new(
                        &codes::DUPLICATE_DEFINITION,
                        format!("the column `{}` is declared twice in `{}`", column.name.text, schema.name.text),
                    )
                    .primary(column.name.span, "declared again here")
                    .secondary(spans[first], "first declared here"),
                );
                continue;
            }
            let optional = column.flags.iter().any(|(f, _)| *f == ColumnFlag::Optional);
            let ty = match &column.ty {
                ast::ColumnType::Named(name) => match name.text.as_str() {
                    "text" => ColumnType::Text,
                    "date" => ColumnType::Date,
                    "decimal" => ColumnType::Decimal,
                    "integer" => ColumnType::Integer,
                    "percent" => ColumnType::Percent,
                    "bool" => ColumnType::Bool,
                    "year" => ColumnType::Year,
                    "currency" => ColumnType::Currency,
                    other => {
                        let hint = match other {
                            "string" | "str" => Some("text"),
                            "datetime" | "timestamp" => Some("date"),
                            "boolean" => Some("bool"),
                            "int" | "count" => Some("integer"),
                            "float" | "double" | "number" | "numeric" => Some("decimal"),
                            _ => did_you_mean(other, TYPE_NAMES),
                        };
                        let mut d = Diagnostic::new(&codes::UNKNOWN_TYPE, format!("unknown column type `{other}`"))
                            .primary(name.span, "not a type")
                            .note("types are text, date, decimal, integer, percent, bool, year, currency, money CUR, money in COLUMN and ref TABLE");
                        if let Some(hint) = hint {
                            d = d.help(format!("write `{hint}`"));
                        }
                        report(db, *file, d);
                        // Carry on with the suggested type, so that uses of the column are not
                        // reported again.
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
                },
                ast::ColumnType::Money { currency: Some(code), .. } => ColumnType::Money(code.text.clone()),
                ast::ColumnType::Money { currency: None, span } => {
                    report(
                        db,
                        *file,
                        Diagnostic::new(&codes::BAD_SCHEMA, "`money` needs a currency")
                            .primary(*span, "in which currency?")
                            .help("write `money USD` for a fixed currency, or `money in COLUMN` when a column gives each row's currency"),
                    );
                    ColumnType::Decimal
                }
                ast::ColumnType::MoneyIn { column: currency, span } => {
                    pending_refs.push((*file, *span, table_index, columns.len(), format!("in:{}", currency.text)));
                    ColumnType::MoneyIn(0)
                }
                ast::ColumnType::Ref { table, span } => match table_names.iter().position(|n| *n == table.text) {
                    Some(target) => {
                        pending_refs.push((*file, *span, table_index, columns.len(), format!("ref:{}", table.text)));
                        ColumnType::Ref(target)
                    }
                    None => {
                        let mut d =
                            Diagnostic::new(&codes::UNKNOWN_TABLE, format!("no table is called `{}`", table.text))
                                .primary(table.span, "not declared by any `schema`");
                        if let Some(s) = did_you_mean(&table.text, table_names.iter().copied()) {
                            d = d.help(format!("did you mean `{s}`?"));
                        }
                        report(db, *file, d);
                        ColumnType::Text
                    }
                },
            };
            if let Some((_, flag_span)) = column.flags.iter().find(|(f, _)| *f == ColumnFlag::Key) {
                if optional {
                    report(
                        db,
                        *file,
                        Diagnostic::new(
                            &codes::BAD_SCHEMA,
                            format!("the key `{}` cannot be optional", column.name.text),
                        )
                        .primary(*flag_span, "a key identifies every row"),
                    );
                } else if let Some(first) = key {
                    report(
                        db,
                        *file,
                        Diagnostic::new(&codes::BAD_SCHEMA, format!("`{}` has two key columns", schema.name.text))
                            .primary(*flag_span, "second key")
                            .secondary(spans[first], "first key")
                            .help("a table has one key column"),
                    );
                } else {
                    key = Some(columns.len());
                }
            }
            spans.push(column.name.span);
            columns.push(model::Column { name: column.name.text.clone(), ty, optional });
        }
        if columns.is_empty() {
            report(
                db,
                *file,
                Diagnostic::new(&codes::BAD_SCHEMA, format!("the table `{}` has no columns", schema.name.text))
                    .primary(schema.name.span, "empty table"),
            );
        }
        tables.push(model::Table {
            name: schema.name.text.clone(),
            row_name: row_name(&schema.name.text),
            columns,
            key,
        });
    }
    // Second pass: `money in COLUMN` and `ref TABLE` need every table's columns.
    for (file, span, table, column, target) in pending_refs {
        if let Some(currency) = target.strip_prefix("in:") {
            match tables[table].column(currency) {
                Some(c) if tables[table].columns[c].ty == ColumnType::Currency => {
                    tables[table].columns[column].ty = ColumnType::MoneyIn(c)
                }
                found => {
                    let why =
                        if found.is_some() { "is not a `currency` column" } else { "is not a column of this table" };
                    report(
                        db,
                        file,
                        Diagnostic::new(&codes::BAD_SCHEMA, format!("`money in {currency}`: `{currency}` {why}"))
                            .primary(span, "each row's currency must come from a `currency` column of the same table")
                            .help(format!("declare `{currency}: currency` in `{}`", tables[table].name)),
                    );
                    tables[table].columns[column].ty = ColumnType::Decimal;
                }
            }
        } else if let Some(target) = target.strip_prefix("ref:") {
            if let Some(t) = tables.iter().position(|t| t.name == target) {
                if tables[t].key.is_none() {
                    report(
                        db,
                        file,
                        Diagnostic::new(&codes::BAD_SCHEMA, format!("`ref {target}`: the table `{target}` has no key"))
                            .primary(span, "a reference needs a key to point at")
                            .help(format!("mark the column that identifies a row of `{target}` with `key`")),
                    );
                }
            }
        }
    }
    model::Schema { tables }
}

/// Resolves a `row.column` path of a crediting rule against a table's row name.
struct RuleCx<'a> {
    db: &'a dyn Db,
    file: SourceFile,
    schema: &'a model::Schema,
}

impl RuleCx<'_> {
    fn column(
        &self,
        path: &ast::Path,
        table: TableId,
        want: &str,
        ok: impl Fn(&ColumnType) -> bool,
    ) -> Option<ColumnId> {
        let t = &self.schema.tables[table];
        let field = path.field.as_ref();
        if path.head.text != t.row_name || field.is_none() {
            report(
                self.db,
                self.file,
                Diagnostic::new(&codes::BAD_CREDIT_RULES, format!("expected a column of `{}` here", t.name))
                    .primary(path.span(), format!("write `{}.COLUMN`", t.row_name)),
            );
            return None;
        }
        let field = field?;
        let Some(c) = t.column(&field.text) else {
            let mut d = Diagnostic::new(&codes::UNKNOWN_COLUMN, format!("`{}` has no column `{}`", t.name, field.text))
                .primary(field.span, "unknown column");
            if let Some(s) = did_you_mean(&field.text, t.columns.iter().map(|c| c.name.as_str())) {
                d = d.help(format!("did you mean `{s}`?"));
            }
            report(self.db, self.file, d);
            return None;
        };
        if !ok(&t.columns[c].ty) {
            report(
                self.db,
                self.file,
                Diagnostic::new(&codes::BAD_CREDIT_RULES, format!("`{}` is not {want}", path.text()))
                    .primary(path.span(), format!("expected {want}")),
            );
            return None;
        }
        Some(ColumnId { table, column: c })
    }

    fn table_by_row(&self, row: &ast::Ident) -> Option<TableId> {
        let found = self.schema.tables.iter().position(|t| t.row_name == row.text || t.name == row.text);
        if found.is_none() {
            let rows: Vec<&str> = self.schema.tables.iter().map(|t| t.row_name.as_str()).collect();
            let mut d = Diagnostic::new(&codes::UNKNOWN_TABLE, format!("no table has rows called `{}`", row.text))
                .primary(row.span, "unknown row name")
                .note("a row of the table `deals` is called `deal`");
            if let Some(s) = did_you_mean(&row.text, rows) {
                d = d.help(format!("did you mean `{s}`?"));
            }
            report(self.db, self.file, d);
        }
        found
    }

    /// Reports a rule written for rows other than the credited deals.
    fn is_deal_row(&self, row: &ast::Ident, deals: TableId) -> bool {
        let deal_row = &self.schema.tables[deals].row_name;
        if row.text == *deal_row {
            return true;
        }
        report(
            self.db,
            self.file,
            Diagnostic::new(
                &codes::BAD_CREDIT_RULES,
                format!("the credited rows are `{deal_row}`, not `{}`", row.text),
            )
            .primary(row.span, format!("expected `{deal_row}`"))
            .help("every crediting rule is about the deals the owner rule credits"),
        );
        false
    }

    fn table(&self, name: &ast::Ident) -> Option<TableId> {
        let found = self.schema.table(&name.text);
        if found.is_none() {
            let mut d = Diagnostic::new(&codes::UNKNOWN_TABLE, format!("no table is called `{}`", name.text))
                .primary(name.span, "not declared by any `schema`");
            if let Some(s) = did_you_mean(&name.text, self.schema.tables.iter().map(|t| t.name.as_str())) {
                d = d.help(format!("did you mean `{s}`?"));
            }
            report(self.db, self.file, d);
        }
        found
    }

    /// The first column of a table whose type passes `ok`.
    fn find(&self, table: TableId, ok: impl Fn(&ColumnType) -> bool) -> Option<ColumnId> {
        self.schema.tables[table].columns.iter().position(|c| ok(&c.ty)).map(|column| ColumnId { table, column })
    }
}

/// Whether the workspace has a credit block at all (a broken one included).
#[salsa::tracked(returns(copy))]
pub fn credit_declared(db: &dyn Db, ws: Workspace) -> bool {
    ws.files(db).iter().any(|&file| !super::file_credits(db, file).is_empty())
}

/// The crediting rules, resolved against the schema.
#[salsa::tracked(returns(ref))]
pub fn crediting_model(db: &dyn Db, ws: Workspace) -> Option<model::Crediting> {
    let schema = schema_model(db, ws);
    let blocks = all(db, ws, super::file_credits);
    let (&(file, credit), rest) = blocks.split_first()?;
    for (other_file, other) in rest {
        report(
            db,
            *other_file,
            Diagnostic::new(&codes::BAD_CREDIT_RULES, "the workspace has two credit blocks")
                .primary(other.keyword, "second credit block")
                .secondary_in(file, credit.keyword, "first credit block")
                .help("crediting rules are shared by every plan: keep them in one `credit { … }` block"),
        );
    }
    let cx = RuleCx { db, file, schema };
    let rules: Vec<(&CreditRule, Span)> = credit.rules.iter().map(|r| (&r.kind, r.span)).collect();
    let mut seen: Vec<(std::mem::Discriminant<CreditRule>, Span)> = Vec::new();
    for (rule, span) in &rules {
        if matches!(rule, CreditRule::Error(_)) {
            continue;
        }
        let d = std::mem::discriminant(*rule);
        if let Some((_, first)) = seen.iter().find(|(k, _)| *k == d) {
            report(
                db,
                file,
                Diagnostic::new(&codes::BAD_CREDIT_RULES, "this kind of crediting rule is given twice")
                    .primary(*span, "second rule")
                    .secondary(*first, "first rule"),
            );
        } else {
            seen.push((d, *span));
        }
    }
    let Some((row, owner_path, date_path)) = rules.iter().find_map(|(r, _)| match r {
        CreditRule::Owner { row, owner, date } => Some((row, owner, date)),
        _ => None,
    }) else {
        report(
            db,
            file,
            Diagnostic::new(&codes::BAD_CREDIT_RULES, "the credit block has no owner rule")
                .primary(credit.keyword, "who is credited for a deal?")
                .help("add `deal to deal.owner on deal.closed`"),
        );
        return None;
    };
    let deals = cx.table_by_row(row)?;
    let owner = cx.column(owner_path, deals, "a `ref` to the reps table", |t| matches!(t, ColumnType::Ref(_)))?;
    let ColumnType::Ref(reps) = schema.column(owner).ty else { return None };
    let date = cx.column(date_path, deals, "a date", |t| *t == ColumnType::Date)?;
    let is_money = |t: &ColumnType| matches!(t, ColumnType::Money(_) | ColumnType::MoneyIn(_));
    let mut convert = None;
    let mut currency = None;
    let amount;
    if let Some((amount_path, code, rates, on)) = rules.iter().find_map(|(r, _)| match r {
        CreditRule::Convert { amount, currency, table, date } => Some((amount, currency, table, date)),
        _ => None,
    }) {
        amount = cx.column(amount_path, deals, "an amount of money", is_money)?;
        let ColumnType::MoneyIn(deal_currency) = schema.column(amount).ty else {
            report(
                db,
                file,
                Diagnostic::new(
                    &codes::BAD_CREDIT_RULES,
                    format!("`{}` has a fixed currency: there is nothing to convert", amount_path.text()),
                )
                .primary(amount_path.span(), "declared `money CUR`")
                .help("declare it `money in COLUMN` to convert each deal from its own currency"),
            );
            return None;
        };
        let rates = cx.table(rates)?;
        let on = cx.column(on, deals, "a date", |t| *t == ColumnType::Date)?;
        let (Some(rate_currency), Some(rate_date), Some(rate)) = (
            cx.find(rates, |t| *t == ColumnType::Currency),
            cx.find(rates, |t| *t == ColumnType::Date),
            cx.find(rates, |t| *t == ColumnType::Decimal),
        ) else {
            report(
                db,
                file,
                Diagnostic::new(
                    &codes::BAD_CREDIT_RULES,
                    format!("`{}` is not a table of rates", schema.tables[rates].name),
                )
                .primary(code.span, "conversion needs a table with a `currency`, a `date` and a `decimal` column"),
            );
            return None;
        };
        currency = Some(code.text.clone());
        convert = Some(model::Convert {
            rates,
            rate_currency,
            rate_date,
            rate,
            date: on,
            deal_currency: ColumnId { table: deals, column: deal_currency },
        });
    } else {
        let money: Vec<usize> =
            schema.tables[deals].columns.iter().enumerate().filter(|(_, c)| is_money(&c.ty)).map(|(i, _)| i).collect();
        match money.as_slice() {
            [one] => {
                amount = ColumnId { table: deals, column: *one };
                if let ColumnType::Money(code) = &schema.column(amount).ty {
                    currency = Some(code.clone());
                }
            }
            _ => {
                report(
                    db,
                    file,
                    Diagnostic::new(
                        &codes::BAD_CREDIT_RULES,
                        format!("which column of `{}` is the amount credited?", schema.tables[deals].name),
                    )
                    .primary(
                        credit.keyword,
                        if money.is_empty() {
                            "the table has no money column"
                        } else {
                            "the table has several money columns"
                        },
                    )
                    .help(format!(
                        "name it: `convert {}.amount to USD using fx on {}.closed`",
                        schema.tables[deals].row_name, schema.tables[deals].row_name
                    )),
                );
                return None;
            }
        }
    }
    let mut splits = None;
    let mut territory = None;
    let mut rollup = None;
    let mut clawback = None;
    let mut employed = None;
    for (rule, _) in &rules {
        match rule {
            CreditRule::Splits { row, table, overlay } => {
                if !cx.is_deal_row(row, deals) {
                    continue;
                }
                let Some(t) = cx.table(table) else { continue };
                let found = (
                    cx.find(t, |c| *c == ColumnType::Ref(deals)),
                    cx.find(t, |c| *c == ColumnType::Ref(reps)),
                    cx.find(t, |c| *c == ColumnType::Percent),
                );
                match found {
                    (Some(deal), Some(rep), Some(share)) => {
                        splits = Some(model::Splits { table: t, deal, rep, share, overlay: overlay.is_some() })
                    }
                    _ => report(
                        db,
                        file,
                        Diagnostic::new(
                            &codes::BAD_CREDIT_RULES,
                            format!("`{}` is not a table of split shares", table.text),
                        )
                        .primary(
                            table.span,
                            "needs a `ref` to the deals table, a `ref` to the reps table and a `percent` column",
                        ),
                    ),
                }
            }
            CreditRule::Territory { row, assignment } if cx.is_deal_row(row, deals) => {
                territory = cx.column(assignment, reps, "text", |t| *t == ColumnType::Text);
            }
            CreditRule::Territory { .. } => {}
            CreditRule::Rollup { manager } => {
                rollup = cx.column(manager, reps, "a `ref` to the reps table", |t| *t == ColumnType::Ref(reps))
            }
            CreditRule::Clawback { cancelled, days, from } => {
                let c = cx.column(cancelled, deals, "a date", |t| *t == ColumnType::Date);
                let f = cx.column(from, deals, "a date", |t| *t == ColumnType::Date);
                if let (Some(cancelled), Some(from)) = (c, f) {
                    clawback = Some(model::Clawback { cancelled, days: days.0, from });
                }
            }
            CreditRule::Employed { from, to } => {
                let h = cx.column(from, reps, "a date", |t| *t == ColumnType::Date);
                let t = cx.column(to, reps, "a date", |t| *t == ColumnType::Date);
                if let (Some(hired), Some(terminated)) = (h, t) {
                    employed = Some(model::Employment { hired, terminated });
                }
            }
            _ => {}
        }
    }
    Some(model::Crediting {
        deals,
        reps,
        owner,
        date,
        amount,
        convert,
        currency,
        splits,
        territory,
        rollup,
        clawback,
        employed,
    })
}

/// The workspace's territories, their conditions checked over deal columns.
#[salsa::tracked(returns(ref))]
pub fn territories(db: &dyn Db, ws: Workspace) -> Vec<model::Territory> {
    let schema = schema_model(db, ws);
    let crediting = crediting_model(db, ws);
    let mut out: Vec<model::Territory> = Vec::new();
    let mut spans: Vec<(SourceFile, Span)> = Vec::new();
    for (file, territory) in all(db, ws, super::file_territories) {
        if let Some(i) = out.iter().position(|t| t.name == territory.name.text) {
            report(
                db,
                file,
                Diagnostic::new(
                    &codes::DUPLICATE_DEFINITION,
                    format!("the territory `{}` is defined twice", territory.name.text),
                )
                .primary(territory.name.span, "defined again here")
                .secondary_in(spans[i].0, spans[i].1, "first defined here"),
            );
            continue;
        }
        let mut checker = Checker::new(schema, crediting.as_ref(), None);
        checker.credit_declared = credit_declared(db, ws);
        let condition = checker.condition(&territory.condition, Rows::Deal);
        for d in checker.take_diagnostics() {
            report(db, file, d);
        }
        spans.push((file, territory.name.span));
        out.push(model::Territory { name: territory.name.text.clone(), condition });
    }
    out
}

/// Rules across plans: a plan name and version are declared once, and two versions of a plan are
/// never in effect on the same day.
#[salsa::tracked]
pub fn workspace_checks(db: &dyn Db, ws: Workspace) {
    let plans = all(db, ws, super::file_plan_headers);
    for (i, (file, plan)) in plans.iter().enumerate() {
        let (Some(name), Some(version)) = (&plan.name, plan.version) else { continue };
        for (other_file, other) in &plans[..i] {
            let (Some(other_name), Some(other_version)) = (&other.name, other.version) else { continue };
            if other_name.text != name.text {
                continue;
            }
            if other_version.0 == version.0 {
                report(
                    db,
                    *file,
                    Diagnostic::new(
                        &codes::DUPLICATE_VERSION,
                        format!("plan `{}` version {} is declared twice", name.text, version.0),
                    )
                    .primary(version.1, "declared again here")
                    .secondary_in(*other_file, other_version.1, "first declared here")
                    .help(format!(
                        "give the new text its own number: `version {}`",
                        version.0.max(other_version.0) + 1
                    )),
                );
            } else if let (Some((from, to, span)), Some((other_from, other_to, other_span))) =
                (plan.effective, other.effective)
            {
                if from <= other_to && other_from <= to {
                    let overlap_from = from.max(other_from);
                    let overlap_to = to.min(other_to);
                    report(
                        db,
                        *file,
                        Diagnostic::new(&codes::OVERLAPPING_VERSIONS, format!("versions {} and {} of plan `{}` are both in effect from {overlap_from} to {overlap_to}", other_version.0, version.0, name.text))
                            .primary(span, format!("version {} is in effect here", version.0))
                            .secondary_in(*other_file, other_span, format!("version {} is in effect here", other_version.0))
                            .help("end the earlier version the day before the later one starts"),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::row_name;

    #[test]
    fn a_row_is_named_by_the_singular_of_its_table() {
        for (table, row) in [
            ("deals", "deal"),
            ("reps", "rep"),
            ("fx", "fx"),
            ("companies", "company"),
            ("statuses", "status"),
            ("status", "status"),
            ("boxes", "box"),
            ("meetings", "meeting"),
        ] {
            assert_eq!(row_name(table), row, "{table}");
        }
    }
}
