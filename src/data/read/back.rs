//! Reading rows back: a problem found after loading (a duplicate key, an unknown reference, split
//! shares, a cycle, a missing exchange rate) names its row, and is shown with that row's line, read
//! again from the checkpoint before it (see [`Table::checkpoints`]): a problem about the ten
//! millionth deal reads a few kilobytes, not the file.

use super::{start, Blocks, Input, TableReader};
use crate::data::{records, Dataset, Table};
use crate::diagnostics::{Cell, Diagnostic, Location};
use crate::model::{self, RowIdx};
use std::collections::HashMap;
use std::io::SeekFrom;

/// Bytes read at a time when reading rows back: more than the rows between two checkpoints
/// usually take (a longer record is read whole all the same).
const BACK: usize = 16 << 10;

/// A row's line: its text, and where each field starts and how wide it is (in characters).
type Line = (String, Vec<(usize, usize)>);

/// Places every diagnostic about a row of the data set (see [`crate::data::place`]).
pub(crate) fn place(
    schema: &model::Schema,
    data: &Dataset,
    mut pending: Vec<Diagnostic>,
    open: &mut impl FnMut(&str) -> Result<Option<Input>, String>,
) -> Vec<Diagnostic> {
    let row_of = |d: &Diagnostic| match d.location() {
        Some(Location::Row { column, row }) => Some((column.table, *row, column.column)),
        _ => None,
    };
    // Rows first (by table, row and column), then the others in their order.
    pending.sort_by_key(|d| (row_of(d).is_none(), row_of(d)));
    let mut from = 0;
    while let Some((table, _, _)) = pending.get(from).and_then(row_of) {
        let count = pending[from..].iter().take_while(|d| row_of(d).is_some_and(|(t, _, _)| t == table)).count();
        let input = open(&schema.tables[table].name).ok().flatten();
        place_table(&schema.tables[table], &data.tables[table], input, &mut pending[from..from + count]);
        from += count;
    }
    pending
}

/// Places the diagnostics about rows of one table (`declared` in the schema, `t` loaded), reading
/// the rows from `input` (without it, each keeps its line only).
pub(super) fn place_table(declared: &model::Table, t: &Table, input: Option<Input>, diagnostics: &mut [Diagnostic]) {
    let rows: Vec<RowIdx> = diagnostics.iter().filter_map(row).collect();
    let (header, lines) = match input {
        Some(mut input) => (header(&mut *input.reader), read_rows(&mut *input.reader, t, &rows)),
        None => (Vec::new(), HashMap::new()),
    };
    for d in diagnostics {
        let Some(label) = d.labels.iter_mut().find(|l| matches!(l.location, Location::Row { .. })) else { continue };
        let Location::Row { column, row } = label.location else { continue };
        let line = t.line(row).unwrap_or(0);
        let name = &declared.columns[column.column].name;
        let field = header.iter().position(|h| h == name);
        let (text, column, width) = match (lines.get(&line), field) {
            (Some((text, spans)), Some(f)) => {
                let (column, width) = spans.get(f).copied().unwrap_or((1, 1));
                (text.clone(), column, width)
            }
            _ => (String::new(), 1, 1),
        };
        label.location = Cell { path: t.path.clone(), line: line as usize, column, width, text }.into();
    }
}

/// The row a diagnostic is about.
fn row(d: &Diagnostic) -> Option<RowIdx> {
    match d.location() {
        Some(Location::Row { row, .. }) => Some(*row),
        _ => None,
    }
}

/// The column names of a file's header.
fn header(reader: &mut dyn TableReader) -> Vec<String> {
    if reader.seek(SeekFrom::Start(0)).is_err() {
        return Vec::new();
    }
    let mut blocks = Blocks::new(Box::new(reader), BACK);
    start(&mut blocks).map(|(header, _)| header.names()).unwrap_or_default()
}

/// The lines of some rows of a table, by line number: for each checkpoint before one of them, the
/// records from the checkpoint up to the last of them.
fn read_rows(reader: &mut dyn TableReader, table: &Table, rows: &[RowIdx]) -> HashMap<u32, Line> {
    let mut found = HashMap::new();
    let mut by_checkpoint: Vec<(usize, Vec<u32>)> = Vec::new();
    for &row in rows {
        let Some(checkpoint) = table.checkpoints.partition_point(|&(r, _)| r <= row).checked_sub(1) else { continue };
        let Some(line) = table.line(row) else { continue };
        match by_checkpoint.last_mut() {
            Some((c, lines)) if *c == checkpoint => lines.push(line),
            _ => by_checkpoint.push((checkpoint, vec![line])),
        }
    }
    for (checkpoint, wanted) in by_checkpoint {
        let (first, offset) = table.checkpoints[checkpoint];
        let Some(line) = table.line(first) else { continue };
        if reader.seek(SeekFrom::Start(offset)).is_ok() {
            read_lines(&mut *reader, line, &wanted, &mut found);
        }
    }
    found
}

/// Reads records from the reader's position, the start of a record on `line`, until the lines
/// wanted are read (or the file ends).
fn read_lines(reader: &mut dyn TableReader, line: u32, wanted: &[u32], found: &mut HashMap<u32, Line>) {
    let Some(&last) = wanted.iter().max() else { return };
    let mut blocks = Blocks::from_record(Box::new(reader), BACK, line);
    while let Ok(Some(block)) = blocks.next() {
        let mut past = false;
        records::each(block.records(), block.line, |record| {
            if wanted.contains(&record.line) {
                found.insert(record.line, record.text());
            }
            past = record.line >= last;
            !past
        });
        if past {
            return;
        }
    }
}
