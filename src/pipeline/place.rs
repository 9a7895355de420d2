//! Placing diagnostics named by the model's ids: the runtime and the test runner know a definition,
//! an expectation or an inline cell by its index in the model; the checker's source maps say where
//! each is written.

use crate::ast::Span;
use crate::check::source_map::{PlanSourceMap, TestSource};
use crate::diagnostics::{Diagnostic, Location, ModelPlace, PlanPart};
use crate::model;
use crate::source::Workspace;
use crate::{check, Db};

/// See [`super::Plans::place`].
pub(super) fn place(
    db: &dyn Db,
    ws: Workspace,
    model: &model::Workspace,
    mut diagnostics: Vec<Diagnostic>,
) -> Vec<Diagnostic> {
    let maps = check::plan_sources(db, ws);
    for d in &mut diagnostics {
        for label in &mut d.labels {
            let Location::Model(place) = &label.location else { continue };
            if let Some(at) = span_of(&maps, model, place) {
                label.location = at;
            }
        }
        // A part the maps do not have: shown without a place, rather than at a wrong one.
        d.labels.retain(|l| !matches!(l.location, Location::Model(_)));
    }
    let in_plans = |d: &Diagnostic| d.primary_label().and_then(|l| l.file()).is_some();
    let (mut first, rest): (Vec<Diagnostic>, Vec<Diagnostic>) = diagnostics.into_iter().partition(in_plans);
    first.extend(rest);
    first
}

/// Where a part of a plan is written.
fn span_of(maps: &[&PlanSourceMap], model: &model::Workspace, place: &ModelPlace) -> Option<Location> {
    // The first plan of the name and version in file order is the one the model holds.
    let map = maps.iter().find(|m| m.name.as_ref() == Some(&place.plan) && m.version == Some(place.version))?;
    let test = |index: usize| map.tests.get(index);
    let span = match place.part {
        PlanPart::Definition(id) => map.definition_of(id)?.name_span,
        PlanPart::Expectation { test: t, index } => {
            let block = test(t)?;
            block.expectations.get(index).copied().unwrap_or(block.span)
        }
        PlanPart::TestData { test: t } => {
            let block = test(t)?;
            block.fixture.unwrap_or(block.name)
        }
        PlanPart::TestCell { test: t, table, line, column, width } => {
            let plan = model.plans.iter().find(|p| p.name == place.plan && p.version == place.version)?;
            let text = plan.tests.get(t)?.tables.get(table)?.1.get(line)?;
            inline_cell(test(t)?, table, line, text, column, width)?
        }
    };
    Some(Location::Span { file: Some(map.file), span })
}

/// Where a cell of a test's inline table is in the plan text: the cell's characters on the table's
/// line (its text from the model's test case, its place from the source map).
fn inline_cell(block: &TestSource, table: usize, line: usize, text: &str, column: usize, width: usize) -> Option<Span> {
    let span = block.tables.get(table)?.get(line)?;
    let byte = |chars: usize| text.char_indices().nth(chars).map_or(text.len(), |(i, _)| i);
    let start = byte(column.saturating_sub(1));
    let end = byte(column.saturating_sub(1) + width.max(1)).max(start + 1).min(text.len().max(start));
    Some(Span { start: span.start + start, end: span.start + end.max(start) })
}
