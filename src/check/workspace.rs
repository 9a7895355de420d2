//! Workspace-wide checks: the territories (shared by every plan; the schema is in `schema`, the
//! crediting rules in `crediting`), and the rules that span plans (one version per plan name, no
//! overlaps).

use super::crediting::{credit_declared, crediting_model};
use super::expr::{Checker, Rows};
use super::problems;
use super::schema_model;
use super::source_map::{Symbol, TerritorySource, TerritorySourceMap};
use crate::ast::Span;
use crate::diagnostics::{Diag, Diagnostic};
use crate::model::{self, IdVec, TerritoryId};
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
    pub model: IdVec<TerritoryId, model::Territory>,
    /// Where each is defined, and the names its condition reads.
    pub sources: TerritorySourceMap,
}

/// The workspace's territories, their conditions checked over deal columns, with their source map.
#[salsa::tracked(returns(ref))]
pub fn territories_checked(db: &dyn Db, ws: Workspace) -> TerritoriesCheck {
    let schema = schema_model(db, ws);
    let crediting = crediting_model(db, ws);
    let mut out: IdVec<TerritoryId, model::Territory> = IdVec::new();
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
        if let Some(i) = out.position(|t| t.name == territory.name.text) {
            report(
                db,
                file,
                problems::territory_defined_twice(&territory.name, spans[i.index()].0, spans[i.index()].1),
            );
            source.occurrences = checker.occurrences;
            sources.territories.push(source);
            continue;
        }
        // A territory is used only through `deal by territory`: without the rule it would credit
        // nobody, whatever its condition.
        if crediting.as_ref().is_some_and(|c| c.territory.is_none()) {
            report(db, file, problems::territory_assigned_to_no_rep(&territory.name));
        }
        checker.credit_declared = credit_declared(db, ws);
        let condition = checker.condition(&territory.condition, Rows::Deal);
        for d in checker.take_diagnostics() {
            report(db, file, d);
        }
        spans.push((file, territory.name.span));
        source.id = Some(out.push(model::Territory { name: territory.name.text.clone(), condition }));
        source.occurrences = checker.occurrences;
        sources.territories.push(source);
    }
    TerritoriesCheck { model: out, sources }
}

/// The workspace's territories: [`territories_checked`]'s model alone, which an edit that only moves
/// text leaves equal.
#[salsa::tracked(returns(ref))]
pub fn territories(db: &dyn Db, ws: Workspace) -> IdVec<TerritoryId, model::Territory> {
    territories_checked(db, ws).model.clone()
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
            report(db, *file, problems::version_declared_twice(name, version, other_file, other_version));
        } else {
            first_of_version.insert((name.text.as_str(), version.0), i);
        }
        if let Some((other_file, other)) = earlier.iter().map(|&j| plans[j]).find(|(_, o)| calendars_clash(plan, o)) {
            if let (Some(pay), Some(other_pay)) = (&plan.pay, &other.pay) {
                let other_version = other.version.map_or(0, |v| v.0);
                report(
                    db,
                    *file,
                    problems::versions_on_other_calendars(name, pay, (other_version, other_file, other_pay)),
                );
            }
        }
        let overlapping = earlier.iter().find_map(|&j| Some((plans[j], overlap(plan, plans[j].1)?)));
        if let (Some(((other_file, other), (from, to))), Some((_, _, span))) = (overlapping, plan.effective) {
            let other_version = other.version.map_or(0, |v| v.0);
            let other_span = other.effective.map_or(span, |e| e.2);
            let earlier = (other_version, other_file, other_span);
            report(db, *file, problems::versions_overlap(name, (version.0, span), earlier, (from, to)));
        }
        earlier.push(i);
    }
}

/// Whether two versions of a plan pay on calendars whose pay periods cannot follow each other: one
/// of them pays semi-monthly or biweekly, and the other does not pay the same way (a biweekly
/// cycle from another day included). Monthly, quarterly and yearly versions follow each other.
fn calendars_clash(plan: &super::PlanHeader, other: &super::PlanHeader) -> bool {
    let (Some((pay, _)), Some((other_pay, _))) = (&plan.pay, &other.pay) else { return false };
    let shorter = |pay: &str| pay.starts_with("semi-monthly") || pay.starts_with("biweekly");
    plan.version.map(|v| v.0) != other.version.map(|v| v.0) && (shorter(pay) || shorter(other_pay)) && pay != other_pay
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
