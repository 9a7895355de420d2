//! Workspace-wide checks: the territories (shared by every plan; the schema is in `schema`, the
//! crediting rules in `crediting`), and the rules that span plans (one version per plan name, no
//! overlaps).

use super::crediting::{credit_declared, crediting_model};
use super::expr::{Checker, Rows};
use super::schema_model;
use super::source_map::{Symbol, TerritorySource, TerritorySourceMap};
use crate::ast::Span;
use crate::diagnostics::{codes, Diag, Diagnostic};
use crate::model;
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

/// The workspace's territories and where they are written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TerritoriesCheck {
    /// The territories, their conditions checked over deal columns.
    pub model: Vec<model::Territory>,
    /// Where each is defined, and the names its condition reads.
    pub sources: TerritorySourceMap,
}

/// The workspace's territories, their conditions checked over deal columns, with their source map.
#[salsa::tracked(returns(ref))]
pub fn territories_checked(db: &dyn Db, ws: Workspace) -> TerritoriesCheck {
    let schema = schema_model(db, ws);
    let crediting = crediting_model(db, ws);
    let mut out: Vec<model::Territory> = Vec::new();
    let mut sources = TerritorySourceMap::default();
    let mut spans: Vec<(SourceFile, Span)> = Vec::new();
    for (file, node) in all(db, ws, super::file_territories) {
        let territory = &node.kind;
        let mut source = TerritorySource {
            file,
            id: None,
            name: territory.name.text.clone(),
            name_span: territory.name.span,
            condition: territory.condition.span,
            doc: node.trivia.doc(),
            occurrences: Vec::new(),
        };
        let mut checker = Checker::new(schema, crediting.as_ref(), None);
        checker.record(&territory.name, Symbol::Territory(territory.name.text.clone()), true);
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
            source.occurrences = checker.occurrences;
            sources.territories.push(source);
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
        checker.credit_declared = credit_declared(db, ws);
        let condition = checker.condition(&territory.condition, Rows::Deal);
        for d in checker.take_diagnostics() {
            report(db, file, d);
        }
        spans.push((file, territory.name.span));
        source.id = Some(out.len());
        source.occurrences = checker.occurrences;
        sources.territories.push(source);
        out.push(model::Territory { name: territory.name.text.clone(), condition });
    }
    TerritoriesCheck { model: out, sources }
}

/// The workspace's territories: [`territories_checked`]'s model alone, which an edit that only moves
/// text leaves equal.
#[salsa::tracked(returns(ref))]
pub fn territories(db: &dyn Db, ws: Workspace) -> Vec<model::Territory> {
    territories_checked(db, ws).model.clone()
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
