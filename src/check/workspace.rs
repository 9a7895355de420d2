//! Workspace-wide checks: the schema and the territories (shared by every plan; the crediting rules
//! are in `crediting`), and the rules that span plans (one version per plan name, no overlaps).

use super::crediting::{credit_declared, crediting_model};
use super::expr::{Checker, Rows};
use crate::ast::{self, ColumnFlag, Span};
use crate::diagnostics::{codes, did_you_mean, Diag, Diagnostic};
use crate::model::{self, ColumnType};
use crate::source::{SourceFile, Workspace};
use crate::Db;
use salsa::Accumulator as _;

pub(super) fn report(db: &dyn Db, file: SourceFile, diagnostic: Diagnostic) {
    Diag(diagnostic.in_file(file)).accumulate(db);
}

/// The items of one kind across the workspace, each with its file, in file order.
pub(super) fn all<'db, T: 'db>(
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
                } else if let Some(why) = not_a_key(&ty) {
                    report(
                        db,
                        *file,
                        Diagnostic::new(
                            &codes::BAD_SCHEMA,
                            format!("the key `{}` cannot be {}", column.name.text, why.0),
                        )
                        .primary(*flag_span, "a key is text, a whole number, a date, a year or a currency code")
                        .help(why.1),
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

/// Why a column of this type cannot be a key, and what to write instead. Keys are matched as
/// written (a reference names its row by the key's text), so a key's type must have one spelling
/// for each value: text, a whole number written without leading zeros, a date, a year, a currency
/// code.
fn not_a_key(ty: &ColumnType) -> Option<(&'static str, &'static str)> {
    match ty {
        ColumnType::Text | ColumnType::Integer | ColumnType::Date | ColumnType::Year | ColumnType::Currency => None,
        ColumnType::Decimal | ColumnType::Percent | ColumnType::Money(_) | ColumnType::MoneyIn(_) => Some((
            "a number with decimals",
            "declare the key `integer` for whole numbers, or `text` (1.5 and 1.50 are one number written two ways, and a reference could name it either way)",
        )),
        ColumnType::Bool => Some(("`true` or `false`", "a key identifies each row: give the table an id column")),
        ColumnType::Ref(_) => Some((
            "a reference",
            "a reference names a row of another table: drop `key` (the table needs none unless another table refers to it), or give the table an id column of its own",
        )),
    }
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
        // A territory is used only through `deal by territory`: without the rule it would credit
        // nobody, whatever its condition.
        if crediting.as_ref().is_some_and(|c| c.territory.is_none()) {
            report(
                db,
                file,
                Diagnostic::new(
                    &codes::BAD_CREDIT_RULES,
                    format!("the territory `{}` is assigned to no rep", territory.name.text),
                )
                .primary(territory.name.span, "no crediting rule reads territories")
                .help("add `deal by territory rep.COLUMN` to the credit block, naming the reps' column that holds the territory"),
            );
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
///
/// Each declaration is reported at most twice: as a duplicate of the first declaration of its
/// version, and as overlapping the first earlier version in effect on one of its days. Reporting
/// every clashing pair instead made a file of 10,000 copies of one plan header 50 million
/// diagnostics (minutes, and gigabytes, in the language server).
#[salsa::tracked]
pub fn workspace_checks(db: &dyn Db, ws: Workspace) {
    let plans = all(db, ws, super::file_plan_headers);
    let mut first_of_version: rustc_hash::FxHashMap<(&str, u32), usize> = Default::default();
    let mut by_name: rustc_hash::FxHashMap<&str, Vec<usize>> = Default::default();
    for (i, (file, plan)) in plans.iter().enumerate() {
        let (Some(name), Some(version)) = (&plan.name, plan.version) else { continue };
        let earlier = by_name.entry(name.text.as_str()).or_default();
        if let Some(&first) = first_of_version.get(&(name.text.as_str(), version.0)) {
            let (other_file, other) = plans[first];
            let other_version = other.version.map_or(version.1, |v| v.1);
            report(
                db,
                *file,
                Diagnostic::new(
                    &codes::DUPLICATE_VERSION,
                    format!("plan `{}` version {} is declared twice", name.text, version.0),
                )
                .primary(version.1, "declared again here")
                .secondary_in(other_file, other_version, "first declared here")
                .help(format!("give the new text its own number: `version {}`", version.0.saturating_add(1))),
            );
        } else {
            first_of_version.insert((name.text.as_str(), version.0), i);
        }
        let overlapping = earlier.iter().find_map(|&j| Some((plans[j], overlap(plan, plans[j].1)?)));
        if let (Some(((other_file, other), (from, to))), Some((_, _, span))) = (overlapping, plan.effective) {
            let other_version = other.version.map_or(0, |v| v.0);
            let other_span = other.effective.map_or(span, |e| e.2);
            report(
                db,
                *file,
                Diagnostic::new(
                    &codes::OVERLAPPING_VERSIONS,
                    format!(
                        "versions {other_version} and {} of plan `{}` are both in effect from {from} to {to}",
                        version.0, name.text
                    ),
                )
                .primary(span, format!("version {} is in effect here", version.0))
                .secondary_in(other_file, other_span, format!("version {other_version} is in effect here"))
                .help("end the earlier version the day before the later one starts"),
            );
        }
        earlier.push(i);
    }
}

/// The days two versions of a plan (with different numbers) are both in effect, if any.
fn overlap(plan: &super::PlanHeader, other: &super::PlanHeader) -> Option<(chrono::NaiveDate, chrono::NaiveDate)> {
    let (version, other_version) = (plan.version?.0, other.version?.0);
    let ((from, to, _), (other_from, other_to, _)) = (plan.effective?, other.effective?);
    (version != other_version && from <= other_to && other_from <= to).then(|| (from.max(other_from), to.min(other_to)))
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
