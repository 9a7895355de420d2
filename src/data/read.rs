//! Reading one table's CSV file: the header, then blocks of whole records parsed in parallel and
//! merged in order, then the key index.
//!
//! Keys go to an arena, other text is interned, and a reference to a table read earlier is resolved
//! to its row as it is read (a reference to the same table, or to one read later, is resolved once
//! every table is loaded).

use super::parse::{self, kind_of, new_column, Chunk, Layout};
use super::records;
use super::{Column, Interner, KeyIndex, Table};
use crate::diagnostics::{codes, Cell, Diagnostic, Location};
use crate::model::{self, ColumnId, IdVec, RowIdx, TableId};
use rayon::prelude::*;
use std::io::{Read, Seek};

/// One table's file, opened by the caller (the CLI, or a test with inline text).
pub struct Input {
    /// The path shown in messages.
    pub path: String,
    /// The file's bytes: a file, or a buffer in a [`std::io::Cursor`].
    pub reader: Box<dyn TableReader>,
    /// The file's size, when known, to reserve memory once.
    pub size: Option<u64>,
}

/// What a table is read from: bytes that can be read again from an offset, so that a problem found
/// after loading shows its row's line without reading the file again from its start.
pub trait TableReader: Read + Seek {}

impl<T: Read + Seek> TableReader for T {}

mod back;
#[cfg(test)]
mod differential;

pub(crate) use back::place;

/// The size of the blocks parsed in parallel.
const BLOCK: usize = 8 << 20;

/// An empty table, for an optional table without a file.
pub(crate) fn empty(schema: &model::Schema, table: TableId) -> Table {
    let columns = (0..schema.tables[table].columns.len()).map(|c| new_column(kind_of(schema, table, c), 0)).collect();
    Table {
        path: String::new(),
        rows: 0,
        columns,
        lines: Vec::new(),
        checkpoints: Vec::new(),
        keys: KeyIndex::default(),
        complete: true,
    }
}

/// A block of whole records of a file: its bytes from `from`, the line it starts on and how many
/// line breaks it holds.
struct Block {
    bytes: Vec<u8>,
    from: usize,
    /// The offset in the file of `bytes[0]`.
    offset: u64,
    line: u32,
    breaks: u32,
    /// True for the file's first block, whose first bytes may be a byte-order mark.
    file_start: bool,
}

impl Block {
    /// The block's records.
    fn records(&self) -> &[u8] {
        &self.bytes[self.from..]
    }

    /// The offset in the file of the block's records.
    fn records_offset(&self) -> u64 {
        self.offset + self.from as u64
    }
}

/// Cuts a stream into blocks of whole records (never inside a quoted field, never between the `\r`
/// and the `\n` of a `\r\n`), numbering their lines. Buffers are given back after parsing and
/// reused, so that the file's bytes are not written into fresh memory block after block.
struct Blocks<'r> {
    reader: Box<dyn Read + 'r>,
    /// Bytes read at a time: [`BLOCK`], or less for a smaller file (or in tests).
    block: usize,
    carry: Vec<u8>,
    next_line: u32,
    /// The offset in the file of the next block's first byte.
    next_offset: u64,
    done: bool,
    /// True until the first block is given.
    file_start: bool,
    pool: Vec<Vec<u8>>,
}

impl<'r> Blocks<'r> {
    fn new(reader: Box<dyn Read + 'r>, block: usize) -> Blocks<'r> {
        let block = block.max(1);
        Blocks {
            reader,
            block,
            carry: Vec::new(),
            next_line: 1,
            next_offset: 0,
            done: false,
            file_start: true,
            pool: Vec::new(),
        }
    }

    /// Blocks of a reader placed at the start of a record (not the file's), which is on `line`.
    fn from_record(reader: Box<dyn Read + 'r>, block: usize, line: u32) -> Blocks<'r> {
        Blocks { next_line: line, file_start: false, ..Blocks::new(reader, block) }
    }

    /// The next block.
    fn next(&mut self) -> std::io::Result<Option<Block>> {
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
            let cut = if self.done { Some(buffer.len()) } else { records::last_boundary(&buffer, self.file_start) };
            match cut {
                Some(cut) => {
                    self.carry.extend_from_slice(&buffer[cut..]);
                    buffer.truncate(cut);
                    let breaks = records::count_breaks(&buffer) as u32;
                    let block = Block {
                        bytes: buffer,
                        from: 0,
                        offset: self.next_offset,
                        line: self.next_line,
                        breaks,
                        file_start: self.file_start,
                    };
                    self.next_line = self.next_line.saturating_add(breaks);
                    self.next_offset += cut as u64;
                    self.file_start = false;
                    return Ok(Some(block));
                }
                // No whole record yet (one record longer than a block): read as much again.
                None => {
                    self.carry = buffer;
                    let before = self.carry.len();
                    self.carry.resize(before + before.max(self.block), 0);
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

/// A file's header: its first record, and the line it is on.
struct Header {
    fields: Vec<Vec<u8>>,
    line: u32,
}

impl Header {
    /// The column names: each field without spaces around it (nor a byte-order mark before it).
    fn names(&self) -> Vec<String> {
        self.fields
            .iter()
            .map(|h| String::from_utf8_lossy(h).trim_start_matches('\u{feff}').trim().to_string())
            .collect()
    }
}

/// Reads a file's header (its first record, which may follow blank lines) and gives the rest of
/// its block. A file without a record has an empty header on line 1.
fn start(blocks: &mut Blocks) -> std::io::Result<(Header, Option<Block>)> {
    while let Some(block) = blocks.next()? {
        if let Some((fields, line, end)) = records::header(block.records(), block.line, block.file_start) {
            let consumed = records::count_breaks(&block.records()[..end]) as u32;
            let rest = Block {
                from: block.from + end,
                offset: block.offset,
                line: block.line.saturating_add(consumed),
                breaks: block.breaks.saturating_sub(consumed),
                file_start: false,
                bytes: block.bytes,
            };
            return Ok((Header { fields, line }, Some(rest)));
        }
    }
    Ok((Header { fields: Vec::new(), line: 1 }, None))
}

/// Reads table `id`: bad cells are reported and left empty; repeated keys come back as problems to
/// place later. `loaded` holds the tables read before.
pub(crate) fn table(
    schema: &model::Schema,
    id: TableId,
    input: Input,
    loaded: &IdVec<TableId, Table>,
    strings: &mut Interner,
    errors: &mut Vec<Diagnostic>,
) -> (Table, Vec<Diagnostic>) {
    table_in_blocks(schema, id, input, BLOCK, loaded, strings, errors)
}

/// [`table`], reading blocks of at most `block` bytes (tests cut files into tiny blocks).
fn table_in_blocks(
    schema: &model::Schema,
    id: TableId,
    input: Input,
    block: usize,
    loaded: &IdVec<TableId, Table>,
    strings: &mut Interner,
    errors: &mut Vec<Diagnostic>,
) -> (Table, Vec<Diagnostic>) {
    let declared = &schema.tables[id];
    let mut table = empty(schema, id);
    table.path = input.path.clone();
    // A small file is read in one buffer of its size (and a byte to see its end), not a whole block.
    let block = input.size.map_or(block, |s| (s as usize).saturating_add(1).max(4096).min(block));
    let mut blocks = Blocks::new(input.reader, block);
    let (header, first) = match start(&mut blocks) {
        Ok(start) => start,
        Err(e) => {
            errors.push(Diagnostic::new(&codes::BAD_CSV, format!("{} cannot be read: {e}", input.path)));
            table.complete = false;
            return (table, Vec::new());
        }
    };
    let names = header.names();
    let positions: Vec<Option<usize>> =
        declared.columns.iter().map(|c| names.iter().position(|n| *n == c.name)).collect();
    if let Some(problem) = missing_columns(declared, &positions, &header, &input.path)
        .or_else(|| repeated_column(declared, &names, &header, &input.path))
    {
        errors.push(problem);
        table.complete = false;
        return (table, Vec::new());
    }
    let layout = Layout {
        schema,
        table: id,
        path: &input.path,
        positions: positions.into_iter().flatten().collect(),
        kinds: (0..declared.columns.len()).map(|c| kind_of(schema, id, c)).collect(),
        header_len: header.fields.len(),
        loaded,
    };
    parse_blocks(&mut table, &layout, blocks, first, input.size, strings, errors);
    let pending = index_keys(&mut table, declared, id);
    (table, pending)
}

/// The error for a header that lacks declared columns, on the header's line.
fn missing_columns(
    declared: &model::Table,
    positions: &[Option<usize>],
    header: &Header,
    path: &str,
) -> Option<Diagnostic> {
    let missing: Vec<&str> =
        declared.columns.iter().zip(positions).filter(|(_, p)| p.is_none()).map(|(c, _)| c.name.as_str()).collect();
    if missing.is_empty() {
        return None;
    }
    let (text, _) = records::line_of(header.fields.iter().map(Vec::as_slice));
    let list = missing.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join(", ");
    let width = text.chars().count().max(1);
    let place = Cell { path: path.to_string(), line: header.line as usize, column: 1, width, text };
    Some(
        Diagnostic::new(&codes::MISSING_COLUMN, format!("{path} has no column {list}"))
            .at(place, format!("the header lacks {list}"))
            .help(format!(
                "add {list} to the header: `schema {}` declares {}",
                declared.name,
                if missing.len() == 1 { "it" } else { "them" }
            )),
    )
}

/// The error for a header that names a declared column twice, on the header's line: which of the
/// two to read cannot be told, and reading one would ignore the other's values.
fn repeated_column(declared: &model::Table, names: &[String], header: &Header, path: &str) -> Option<Diagnostic> {
    let (column, first, again) = declared.columns.iter().find_map(|c| {
        let mut at = names.iter().enumerate().filter(|(_, n)| **n == c.name).map(|(i, _)| i + 1);
        Some((c.name.as_str(), at.next()?, at.next()?))
    })?;
    let (text, _) = records::line_of(header.fields.iter().map(Vec::as_slice));
    let width = text.chars().count().max(1);
    let place = Cell { path: path.to_string(), line: header.line as usize, column: 1, width, text };
    Some(
        Diagnostic::new(&codes::BAD_CSV, format!("{path} names the column `{column}` twice"))
            .at(place, format!("`{column}` is column {first} and column {again}"))
            .note("compplan cannot tell which of the two to read, and reading one would ignore the other's values")
            .help(format!("keep one column named `{column}`: remove the other, or rename it")),
    )
}

/// Parses the rows of every block in parallel, a batch of blocks at a time, and merges them into the
/// table in file order. `first` is the rest of the header's block.
fn parse_blocks(
    table: &mut Table,
    layout: &Layout<'_>,
    mut blocks: Blocks,
    first: Option<Block>,
    size: Option<u64>,
    strings: &mut Interner,
    errors: &mut Vec<Diagnostic>,
) {
    let mut batch: Vec<Block> = first.into_iter().collect();
    let mut bytes_read: usize = batch.iter().map(|b| b.bytes.len()).sum();
    let threads = rayon::current_num_threads().max(1);
    let mut reserved = false;
    // Parsing a batch overlaps with merging the batch before it (and with reading the next one).
    let mut parsed: Vec<Chunk> = Vec::new();
    loop {
        while batch.len() < threads * 2 {
            match blocks.next() {
                Ok(Some(block)) => {
                    bytes_read += block.bytes.len();
                    batch.push(block);
                }
                Ok(None) => break,
                Err(e) => {
                    errors.push(Diagnostic::new(&codes::BAD_CSV, format!("{} cannot be read: {e}", table.path)));
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
                    merge(table, chunk, strings, errors);
                }
            },
            || {
                let parse = |b: &Block| parse::block(layout, b.records(), b.records_offset(), b.line, b.breaks);
                batch.par_iter().map(parse).collect::<Vec<Chunk>>()
            },
        );
        parsed = chunks;
        blocks.pool.extend(batch.drain(..).map(|b| b.bytes));
        // Once the first blocks show how many bytes a row takes, reserve for the whole file.
        if let (Some(size), false) = (size, reserved) {
            if table.rows > 0 {
                let estimate = (size as usize).saturating_mul(table.rows) / bytes_read.max(1);
                reserve(table, estimate.saturating_add(estimate / 50), size as usize / 4);
                reserved = true;
            }
        }
        if errors.len() > 1000 {
            break;
        }
    }
}

/// Builds a keyed table's index; repeated keys come back as problems to place later.
fn index_keys(table: &mut Table, declared: &model::Table, id: TableId) -> Vec<Diagnostic> {
    let mut pending = Vec::new();
    let Some(key) = declared.key else { return pending };
    let Column::Key(keys) = &table.columns[key] else { return pending };
    let (index, duplicates) = KeyIndex::build(keys);
    for (first, repeated) in duplicates {
        let text = keys.get(repeated).unwrap_or_default().to_string();
        let first_line = table.line(first).unwrap_or(0);
        let row = Location::Row { column: ColumnId { table: id, column: key }, row: repeated };
        pending.push(
            Diagnostic::new(&codes::DUPLICATE_KEY, format!("`{text}` appears twice as the key of `{}`", declared.name))
                .at(row, format!("already used on line {first_line}"))
                .help("keys are unique: give each row its own, or remove the repeated row"),
        );
    }
    table.keys = index;
    pending
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
fn merge(table: &mut Table, chunk: Chunk, strings: &mut Interner, errors: &mut Vec<Diagnostic>) {
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
    let first = table.rows;
    table
        .checkpoints
        .extend(chunk.checkpoints.into_iter().map(|(row, offset)| (RowIdx::new(first + row as usize), offset)));
    table.rows += chunk.rows;
    table.lines.extend(chunk.lines);
    table.complete &= !chunk.skipped;
    errors.extend(chunk.errors);
}
