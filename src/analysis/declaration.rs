//! Where a symbol is declared, with its doc comment, for hovers and go to definition: read from the
//! source maps the checker records (see `check::source_map`), not from a search of the syntax tree.

use super::index::Symbol;
use crate::ast::Span;
use crate::check::source_map::{ColumnSource, DefinitionSource, PlanSourceMap, TableSource, TerritorySource};
use crate::check::{check_plan_item, crediting_checked, file_plans, schema_checked, territories_checked, PlanItem};
use crate::source::{SourceFile, Workspace};
use crate::Db;

/// A declaration and the file it is in.
pub(crate) struct Found<'db> {
    pub(crate) file: SourceFile,
    /// Where the declared name is written.
    pub(crate) name: Span,
    pub(crate) kind: Declaration<'db>,
}

/// What declares a symbol, as the source maps record it.
pub(crate) enum Declaration<'db> {
    Table(&'db TableSource),
    Column {
        table: &'db str,
        column: &'db ColumnSource,
    },
    Territory(&'db TerritorySource),
    /// The `credit` block, which makes the credit rows.
    Credit,
    Plan(&'db PlanSourceMap),
    /// A definition of a plan.
    Definition {
        plan: PlanItem<'db>,
        definition: &'db DefinitionSource,
    },
}

/// The declaration of a symbol (the first one, when a mistake declares it twice). A credit row is
/// declared by the `credit` block; its fields are built in and have none.
pub(crate) fn find<'db>(db: &'db dyn Db, ws: Workspace, symbol: &Symbol) -> Option<Found<'db>> {
    match symbol {
        Symbol::Table(table) => {
            let t = schema_checked(db, ws).sources.table(table)?;
            Some(Found { file: t.file, name: t.name_span, kind: Declaration::Table(t) })
        }
        Symbol::Column { table, column } => {
            let (t, c) = schema_checked(db, ws).sources.column(table, column)?;
            Some(Found { file: t.file, name: c.name_span, kind: Declaration::Column { table: &t.name, column: c } })
        }
        Symbol::Territory(name) => {
            let t = territories_checked(db, ws).sources.territory(name)?;
            Some(Found { file: t.file, name: t.name_span, kind: Declaration::Territory(t) })
        }
        Symbol::Plan(name) => ws.files(db).iter().find_map(|&file| {
            let map = file_plans(db, ws, file)
                .iter()
                .map(|&item| check_plan_item(db, item).sources.map(db))
                .find(|map| map.name.as_deref() == Some(name.as_str()))?;
            Some(Found { file, name: map.name_span, kind: Declaration::Plan(map) })
        }),
        Symbol::Definition { file, plan, name } => {
            let item = *file_plans(db, ws, *file).get(*plan)?;
            let definition = check_plan_item(db, item).sources.map(db).definition(name)?;
            let kind = Declaration::Definition { plan: item, definition };
            Some(Found { file: *file, name: definition.name_span, kind })
        }
        Symbol::CreditRow => {
            let block = crediting_checked(db, ws).sources.blocks.first()?;
            Some(Found { file: block.file, name: block.keyword, kind: Declaration::Credit })
        }
        Symbol::CreditField(_) => None,
    }
}
