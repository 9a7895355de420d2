//! Reading one table's CSV file: the header, then blocks of whole lines parsed in parallel and merged
//! in order, then the key index.
//!
//! Keys go to an arena, other text is interned, and a reference to a table read earlier is resolved
//! to its row as it is read (a reference to the same table, or to one read later, is resolved once
//! every table is loaded).

use super::parse::{self, kind_of, new_column, Chunk, Layout};
use super::{Column, Interner, KeyIndex, Pending, Table};
use crate::diagnostics::{codes, LocatedDiagnostic, Place};
use crate::model::{self, ColumnId, TableId};
use rayon::prelude::*;
use std::io::Read;

/// One table's file, opened by the caller (the CLI, or a test with inline text).
pub struct Input {
    /// The path shown in messages.
    pub path: String,
    /// The file's bytes.
    pub reader: Box<dyn Read>,
    /// The file's size, when known, to reserve memory once.
    pub size: Option<u64>,
}

/// The size of the blocks parsed in parallel.
const BLOCK: usize = 8 << 20;

/// An empty table, for an optional table without a file.
pub(crate) fn empty(schema: &model::Schema, table: TableId) -> Table {
    let columns = (0..schema.tables[table].columns.len()).map(|c| new_column(kind_of(schema, table, c), 0)).collect();
    Table { path: String::new(), rows: 0, columns, lines: Vec::new(), keys: KeyIndex::default(), complete: true }
}

/// Cuts a stream into blocks of whole lines (never inside a quoted field), numbering their lines.
/// Buffers are given back after parsing and reused, so that the file's bytes are not written into
/// fresh memory block after block.
struct Blocks {
    reader: Box<dyn Read>,
    /// Bytes read at a time: [`BLOCK`], or less for a smaller file.
    block: usize,
    carry: Vec<u8>,
    next_line: u32,
    done: bool,
    pool: Vec<Vec<u8>>,
}

impl Blocks {
    /// The next block: its bytes (whole lines), the line it starts on, and how many newlines it holds.
    fn next(&mut self) -> std::io::Result<Option<(Vec<u8>, u32, u32)>> {
        loop {
            if self.done && self.carry.is_empty() {
                return Ok(None);
            }
            let mut buffer = self.pool.pop().unwrap_or_default();
            let mut filled = self.carry.len();
            // A reused buffer is already initialised up to its length: only what lies beyond is
            // zeroed (the operating system's read needs initialised memory).
            let want = filled.max(self.block);
            if buffer.len() < want {
                buffer.resize(want, 0);
            }
            buffer[..filled].copy_from_slice(&self.carry);
            self.carry.clear();
            while !self.done && filled < want {
                let read = self.reader.read(&mut buffer[filled..])?;
                filled += read;
                if read == 0 {
                    self.done = true;
                }
            }
            buffer.truncate(filled);
            let cut = if self.done { Some(buffer.len()) } else { safe_cut(&buffer) };
            match cut {
                Some(cut) => {
                    self.carry.extend_from_slice(&buffer[cut..]);
                    buffer.truncate(cut);
                    let (first, newlines) = (self.next_line, count_newlines(&buffer) as u32);
                    self.next_line += newlines;
                    return Ok(Some((buffer, first, newlines)));
                }
                // One line longer than a block: read on.
                None => {
                    self.carry = buffer;
                    let before = self.carry.len();
                    self.carry.resize(before + self.block, 0);
                    let read = self.reader.read(&mut self.carry[before..])?;
                    self.carry.truncate(before + read);
                    if read == 0 {
                        self.done = true;
                    }
                }
            }
        }
    }
}

/// The number of newlines in a buffer, written so that the compiler vectorises it: it runs over
/// every byte of every file.
pub(crate) fn count_newlines(bytes: &[u8]) -> usize {
    // Counting a 64-byte chunk into a byte cannot overflow, and becomes a few vector instructions.
    let chunks = bytes.chunks_exact(64);
    let rest = chunks.remainder().iter().filter(|&&b| b == b'\n').count();
    chunks.map(|c| usize::from(c.iter().fold(0u8, |n, &b| n + u8::from(b == b'\n')))).sum::<usize>() + rest
}

/// The end of the last whole line of a buffer: just after its last newline outside quotes.
fn safe_cut(buffer: &[u8]) -> Option<usize> {
    if !buffer.contains(&b'"') {
        return buffer.iter().rposition(|&b| b == b'\n').map(|i| i + 1);
    }
    let mut quoted = false;
    let mut cut = None;
    for (i, &b) in buffer.iter().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => cut = Some(i + 1),
            _ => {}
        }
    }
    cut
}

/// Reads table `id`: bad cells are reported and left empty; repeated keys come back as problems to
/// place later. `loaded` holds the tables read before.
pub(crate) fn table(
    schema: &model::Schema,
    id: TableId,
    input: Input,
    loaded: &[Table],
    strings: &mut Interner,
    errors: &mut Vec<LocatedDiagnostic>,
) -> (Table, Vec<Pending>) {
    let declared = &schema.tables[id];
    let mut table = empty(schema, id);
    table.path = input.path.clone();
    let size = input.size;
    // A small file is read in one buffer of its size (and a byte to see its end), not a whole block.
    let block = size.map_or(BLOCK, |s| (s as usize).saturating_add(1).clamp(4096, BLOCK));
    // The header is line 1, the first line of the first block.
    let mut blocks =
        Blocks { reader: input.reader, block, carry: Vec::new(), next_line: 1, done: false, pool: Vec::new() };
    let (first, first_newlines) = match blocks.next() {
        Ok(Some((bytes, _, newlines))) => (bytes, newlines),
        Ok(None) => (Vec::new(), 0),
        Err(e) => {
            errors.push(LocatedDiagnostic::new(&codes::BAD_CSV, format!("{} cannot be read: {e}", input.path)));
            table.complete = false;
            return (table, Vec::new());
        }
    };
    let header_end = first.iter().position(|&b| b == b'\n').map_or(first.len(), |i| i + 1);
    let mut header_reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(&first[..header_end]);
    let mut header = csv::ByteRecord::new();
    let _ = header_reader.read_byte_record(&mut header);
    let names: Vec<String> =
        header.iter().map(|h| String::from_utf8_lossy(h).trim_start_matches('\u{feff}').trim().to_string()).collect();
    let positions: Vec<Option<usize>> =
        declared.columns.iter().map(|c| names.iter().position(|n| *n == c.name)).collect();
    let missing: Vec<&str> =
        declared.columns.iter().zip(&positions).filter(|(_, p)| p.is_none()).map(|(c, _)| c.name.as_str()).collect();
    if !missing.is_empty() {
        let (text, _) = super::records::line_of(&header);
        let list = missing.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join(", ");
        let width = text.chars().count().max(1);
        errors.push(
            LocatedDiagnostic::new(&codes::MISSING_COLUMN, format!("{} has no column {list}", input.path))
                .at(
                    Place { path: input.path.clone(), line: 1, column: 1, width, text },
                    format!("the header lacks {list}"),
                )
                .help(format!(
                    "add {list} to the header: `schema {}` declares {}",
                    declared.name,
                    if missing.len() == 1 { "it" } else { "them" }
                )),
        );
        table.complete = false;
        return (table, Vec::new());
    }
    let layout = Layout {
        schema,
        table: id,
        path: &input.path,
        positions: positions.into_iter().flatten().collect(),
        kinds: (0..declared.columns.len()).map(|c| kind_of(schema, id, c)).collect(),
        header_len: header.len(),
        loaded,
    };
    let header_newline = u32::from(first[..header_end].ends_with(b"\n"));
    let mut batch: Vec<(Vec<u8>, u32, u32)> = vec![(first[header_end..].to_vec(), 2, first_newlines - header_newline)];
    let mut bytes_read = first.len();
    let threads = rayon::current_num_threads().max(1);
    let mut reserved = false;
    // Parsing a batch overlaps with merging the batch before it (and with reading the next one).
    let mut parsed: Vec<Chunk> = Vec::new();
    loop {
        while batch.len() < threads * 2 {
            match blocks.next() {
                Ok(Some(block)) => {
                    bytes_read += block.0.len();
                    batch.push(block);
                }
                Ok(None) => break,
                Err(e) => {
                    errors.push(LocatedDiagnostic::new(&codes::BAD_CSV, format!("{} cannot be read: {e}", input.path)));
                    table.complete = false;
                    break;
                }
            }
        }
        if batch.is_empty() && parsed.is_empty() {
            break;
        }
        let previous = std::mem::take(&mut parsed);
        let (_, chunks) = rayon::join(
            || {
                for chunk in previous {
                    merge(&mut table, chunk, strings, errors);
                }
            },
            || {
                batch
                    .par_iter()
                    .map(|(bytes, line, newlines)| parse::block(&layout, bytes, *line, *newlines))
                    .collect::<Vec<Chunk>>()
            },
        );
        parsed = chunks;
        blocks.pool.extend(batch.drain(..).map(|(bytes, _, _)| bytes));
        // Once the first blocks show how many bytes a row takes, reserve for the whole file.
        if let (Some(size), false) = (size, reserved) {
            if table.rows > 0 {
                let estimate = (size as usize).saturating_mul(table.rows) / bytes_read.max(1);
                reserve(&mut table, estimate.saturating_add(estimate / 50), size as usize / 4);
                reserved = true;
            }
        }
        if errors.len() > 1000 {
            break;
        }
    }
    let mut pending = Vec::new();
    if let Some(key) = declared.key {
        if let Column::Key(keys) = &table.columns[key] {
            let (index, duplicates) = KeyIndex::build(keys);
            table.keys = index;
            for (first, repeated) in duplicates {
                let text = keys.get(repeated).unwrap_or_default().to_string();
                let first_line = table.lines.get(first as usize).copied().unwrap_or(0);
                let mut d = LocatedDiagnostic::new(
                    &codes::DUPLICATE_KEY,
                    format!("`{text}` appears twice as the key of `{}`", declared.name),
                )
                .help("keys are unique: give each row its own, or remove the repeated row");
                d.label = format!("already used on line {first_line}");
                pending.push(Pending { column: ColumnId { table: id, column: key }, row: repeated, diagnostic: d });
            }
        }
    }
    (table, pending)
}

/// Reserves room for the rows a file's size predicts, so that columns grow once.
fn reserve(table: &mut Table, rows: usize, key_bytes: usize) {
    let more = rows.saturating_sub(table.rows);
    table.lines.reserve_exact(more);
    for column in &mut table.columns {
        match column {
            Column::Text(v) => v.reserve_exact(more),
            Column::Key(k) => k.reserve(more, key_bytes / 8),
            Column::Number(v) => v.reserve_exact(more),
            Column::Date(v) => v.reserve_exact(more),
            Column::Bool(v) => v.reserve_exact(more),
            Column::Year(v) => v.reserve_exact(more),
            Column::Ref(v) => v.reserve_exact(more),
        }
    }
}

/// Appends a parsed block to its table, translating its text symbols into the data set's.
fn merge(table: &mut Table, chunk: Chunk, strings: &mut Interner, errors: &mut Vec<LocatedDiagnostic>) {
    let symbols: Vec<super::Sym> = chunk.strings.texts().map(|t| strings.intern(t)).collect();
    for (into, from) in table.columns.iter_mut().zip(chunk.columns) {
        match (into, from) {
            (Column::Text(a), Column::Text(b)) => a.extend(b.into_iter().map(|s| s.map(|s| symbols[s.index()]))),
            (Column::Key(a), Column::Key(b)) => a.append(b),
            (Column::Number(a), Column::Number(b)) => a.extend(b),
            (Column::Date(a), Column::Date(b)) => a.extend(b),
            (Column::Bool(a), Column::Bool(b)) => a.extend(b),
            (Column::Year(a), Column::Year(b)) => a.extend(b),
            (Column::Ref(a), Column::Ref(b)) => a.extend(b),
            _ => {}
        }
    }
    table.rows += chunk.rows;
    table.lines.extend(chunk.lines);
    table.complete &= !chunk.skipped;
    errors.extend(chunk.errors);
}

/// Places problems found after loading by reading their rows again; problems whose file cannot be
/// read again keep their line only.
pub(crate) fn place(
    schema: &model::Schema,
    data: &super::Dataset,
    mut pending: Vec<Pending>,
    open: &mut impl FnMut(&str) -> Result<Option<Input>, String>,
) -> Vec<LocatedDiagnostic> {
    pending.sort_by_key(|p| (p.column.table, p.row, p.column.column));
    let mut out = Vec::with_capacity(pending.len());
    let mut tables: Vec<usize> = pending.iter().map(|p| p.column.table).collect();
    tables.dedup();
    for table in tables {
        let wanted: Vec<&Pending> = pending.iter().filter(|p| p.column.table == table).collect();
        let mut rows: std::collections::HashMap<u32, (String, Vec<(usize, usize)>)> = std::collections::HashMap::new();
        let mut header: Vec<String> = Vec::new();
        if let Ok(Some(input)) = open(&schema.tables[table].name) {
            let needed: std::collections::HashMap<u32, u32> = wanted
                .iter()
                .filter_map(|p| Some((data.tables[table].lines.get(p.row as usize).copied()?, p.row)))
                .collect();
            let mut blocks = Blocks {
                reader: input.reader,
                block: BLOCK,
                carry: Vec::new(),
                next_line: 1,
                done: false,
                pool: Vec::new(),
            };
            while let Ok(Some((bytes, first, _))) = blocks.next() {
                super::records::each(&bytes, first, |record| {
                    if let super::records::Record::Fields { line, fields, .. } = record {
                        if line == 1 {
                            header = fields
                                .iter()
                                .map(|f| f.unwrap_or_default().trim_start_matches('\u{feff}').trim().to_string())
                                .collect();
                        } else if let Some(row) = needed.get(&line) {
                            rows.insert(*row, record.text());
                        }
                    }
                    true
                });
                if rows.len() == needed.len() {
                    break;
                }
            }
        }
        for p in wanted {
            let t = &data.tables[table];
            let line = t.lines.get(p.row as usize).copied().unwrap_or(0) as usize;
            let name = &schema.tables[table].columns[p.column.column].name;
            let field = header.iter().position(|h| h == name);
            let (text, column, width) = match (rows.get(&p.row), field) {
                (Some((text, spans)), Some(f)) => {
                    let (column, width) = spans.get(f).copied().unwrap_or((1, 1));
                    (text.clone(), column, width)
                }
                _ => (String::new(), 1, 1),
            };
            let mut d = p.diagnostic.clone();
            let label = std::mem::take(&mut d.label);
            out.push(d.at(Place { path: t.path.clone(), line, column, width, text }, label));
        }
    }
    out
}
