//! Go to definition and find references, across the files of the workspace.

use super::declaration::find;
use super::index::{file_index, occurrences_of};
use super::FileSpan;
use crate::source::{SourceFile, Workspace};
use crate::Db;

/// Where the name at a byte offset is declared: a definition of the plan, a schema table or column,
/// a territory, a plan. Empty when there is no name there, or it is built in (`credit.amount`).
pub fn definition(db: &dyn Db, ws: Workspace, file: SourceFile, offset: usize) -> Vec<FileSpan> {
    let Some(occurrence) = file_index(db, ws, file).at(offset) else { return Vec::new() };
    find(db, ws, &occurrence.symbol).map(|found| FileSpan { file: found.file, span: found.name }).into_iter().collect()
}

/// Every place the name at a byte offset is written, declarations included when asked, in file
/// order then position order.
pub fn references(
    db: &dyn Db,
    ws: Workspace,
    file: SourceFile,
    offset: usize,
    include_declaration: bool,
) -> Vec<FileSpan> {
    let Some(occurrence) = file_index(db, ws, file).at(offset) else { return Vec::new() };
    occurrences_of(db, ws, &occurrence.symbol)
        .into_iter()
        .filter(|(_, o)| include_declaration || !o.declaration)
        .map(|(file, o)| FileSpan { file, span: o.span })
        .collect()
}
