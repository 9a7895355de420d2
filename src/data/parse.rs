//! Parsing one block of CSV lines into typed columns, value by value, with a located diagnostic for
//! each bad cell. Blocks are independent, so they are parsed in parallel and merged in order.

use super::records::{self, Record};
use super::values::{self, Refused, TextProblem};
use super::{expected, how_to_write, Column, Interner, KeyColumn, Sym, Table};
use crate::diagnostics::{codes, Cell, Diagnostic};
use crate::model::{self, limits, ColumnType, IdVec, RowIdx, TableId};
use std::borrow::Cow;

/// Every how many rows a checkpoint is kept: a row's line is read back from the checkpoint before
/// it, at most this many records on (a few kilobytes), while the checkpoints take 16 bytes per
/// this many rows.
pub(crate) const CHECKPOINT: usize = 64;

/// How a column is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Key,
    Text,
    /// A reference resolved as it is read, into a table loaded before.
    Resolved(TableId),
    Number,
    Percent,
    Integer,
    Currency,
    Date,
    Bool,
    Year,
}

pub(crate) fn kind_of(schema: &model::Schema, table: TableId, column: usize) -> Kind {
    let t = &schema.tables[table];
    if t.key == Some(column) {
        return Kind::Key;
    }
    match t.columns[column].ty {
        ColumnType::Ref(target) if target < table && schema.tables[target].key.is_some() => Kind::Resolved(target),
        ColumnType::Text | ColumnType::Ref(_) => Kind::Text,
        ColumnType::Currency => Kind::Currency,
        ColumnType::Date => Kind::Date,
        ColumnType::Bool => Kind::Bool,
        ColumnType::Year => Kind::Year,
        ColumnType::Integer => Kind::Integer,
        ColumnType::Percent => Kind::Percent,
        ColumnType::Decimal | ColumnType::Money(_) | ColumnType::MoneyIn(_) => Kind::Number,
    }
}

/// An empty column with room for `rows` values.
pub(crate) fn new_column(kind: Kind, rows: usize) -> Column {
    match kind {
        Kind::Key => {
            let mut keys = KeyColumn::default();
            keys.reserve(rows, rows * 12);
            Column::Key(keys)
        }
        Kind::Text | Kind::Currency => Column::Text(Vec::with_capacity(rows)),
        Kind::Resolved(_) => Column::Ref(Vec::with_capacity(rows)),
        Kind::Date => Column::Date(Vec::with_capacity(rows)),
        Kind::Bool => Column::Bool(Vec::with_capacity(rows)),
        Kind::Year => Column::Year(Vec::with_capacity(rows)),
        Kind::Number | Kind::Percent | Kind::Integer => Column::Number(Vec::with_capacity(rows)),
    }
}

/// What every block of a table shares.
pub(crate) struct Layout<'a> {
    pub(crate) schema: &'a model::Schema,
    pub(crate) table: TableId,
    pub(crate) path: &'a str,
    /// For each schema column, its field in the file.
    pub(crate) positions: Vec<usize>,
    pub(crate) kinds: Vec<Kind>,
    pub(crate) header_len: usize,
    /// The tables read before, for references resolved as they are read.
    pub(crate) loaded: &'a IdVec<TableId, Table>,
}

/// One parsed block: columns with block-local text symbols, absolute line numbers, diagnostics.
pub(crate) struct Chunk {
    pub(crate) rows: usize,
    pub(crate) columns: Vec<Column>,
    pub(crate) lines: Vec<u32>,
    /// The file offset of every 64th row's record, by the row's index in the chunk.
    pub(crate) checkpoints: Vec<(u32, u64)>,
    pub(crate) strings: Interner,
    pub(crate) errors: Vec<Diagnostic>,
    /// True when a row was skipped (wrong number of fields, not UTF-8).
    pub(crate) skipped: bool,
    /// Each column's short texts seen so far (see [`ShortTexts`]).
    short: Vec<ShortTexts>,
}

/// The short texts (up to eight bytes) a column has held in a block, each packed into one integer
/// with its length. Most text columns hold a handful of short values (currencies, regions,
/// products, kinds): they are found here by comparing integers, without hashing the text.
#[derive(Default)]
struct ShortTexts {
    seen: Vec<(u64, usize, Sym)>,
}

impl ShortTexts {
    fn intern(&mut self, text: &str, strings: &mut Interner) -> Sym {
        if text.len() > 8 {
            return strings.intern(text);
        }
        let mut packed = [0u8; 8];
        packed[..text.len()].copy_from_slice(text.as_bytes());
        let packed = u64::from_le_bytes(packed);
        if let Some(&(_, _, sym)) = self.seen.iter().find(|&&(p, len, _)| p == packed && len == text.len()) {
            return sym;
        }
        let sym = strings.intern(text);
        if self.seen.len() < 16 {
            self.seen.push((packed, text.len(), sym));
        }
        sym
    }
}

/// A bad cell found while reading a row: the code, the message, the label, a hint and a note.
struct Refusal {
    code: &'static crate::diagnostics::Code,
    message: String,
    label: String,
    help: Option<String>,
    note: Option<&'static str>,
}

impl Refusal {
    fn new(code: &'static crate::diagnostics::Code, message: String, label: String) -> Refusal {
        Refusal { code, message, label, help: None, note: None }
    }

    fn help(mut self, help: impl Into<String>) -> Refusal {
        self.help = Some(help.into());
        self
    }
}

/// Parses a block of whole lines that starts at byte `offset` and line `first_line` of the file and
/// holds `newlines` line ends (counted when the block was cut).
pub(crate) fn block(layout: &Layout<'_>, bytes: &[u8], offset: u64, first_line: u32, newlines: u32) -> Chunk {
    let declared = &layout.schema.tables[layout.table];
    // At most one row per line: room for them all up front, so that no column grows by copying.
    let most = newlines as usize + 1;
    let mut chunk = Chunk {
        rows: 0,
        columns: layout.kinds.iter().map(|k| new_column(*k, most)).collect(),
        lines: Vec::with_capacity(most),
        checkpoints: Vec::with_capacity(most / CHECKPOINT + 1),
        strings: Interner::default(),
        errors: Vec::new(),
        skipped: false,
        short: layout.kinds.iter().map(|_| ShortTexts::default()).collect(),
    };
    // For each column resolved as it is read, the table it refers to and that table's keys.
    let referenced: Vec<Option<(&Table, &KeyColumn)>> = layout
        .kinds
        .iter()
        .map(|kind| match kind {
            Kind::Resolved(target) => layout.loaded.get(*target).and_then(|t| {
                t.columns.iter().find_map(|c| match c {
                    Column::Key(keys) => Some((t, keys)),
                    _ => None,
                })
            }),
            _ => None,
        })
        .collect();
    let rows = Rows { layout, declared, referenced, offset };
    records::each(bytes, first_line, |record| rows.record(&mut chunk, record));
    chunk
}

/// What reading a row needs to know about its table.
struct Rows<'l, 'a> {
    layout: &'l Layout<'a>,
    declared: &'l model::Table,
    /// For each column resolved as it is read, the table it refers to and that table's keys.
    referenced: Vec<Option<(&'l Table, &'l KeyColumn)>>,
    /// The file offset of the block.
    offset: u64,
}

impl Rows<'_, '_> {
    /// Reads one record into the columns; false once there are too many errors to go on.
    fn record(&self, chunk: &mut Chunk, record: Record<'_>) -> bool {
        let offset = self.offset + record.start as u64;
        self.row(chunk, (record.line, offset), record.fields, || record.text())
    }

    /// Where a cell is; the line is shown with its control characters made visible.
    fn place(&self, line: u32, column: usize, width: usize, text: String) -> Cell {
        let text = match values::visible(&text) {
            Cow::Borrowed(_) => text,
            Cow::Owned(shown) => shown,
        };
        Cell { path: self.layout.path.to_string(), line: line as usize, column, width, text }
    }

    /// Reads one row's fields (`None` for a field that is not UTF-8) into the columns, reporting each
    /// bad cell against the row's text (built only then); `at` is the line and the file offset the
    /// row starts at. False once there are too many errors to go on.
    fn row(
        &self,
        chunk: &mut Chunk,
        (line, offset): (u32, u64),
        fields: &[Option<&str>],
        line_text: impl Fn() -> (String, Vec<(usize, usize)>),
    ) -> bool {
        let layout = self.layout;
        if fields.len() != layout.header_len {
            let (text, _) = line_text();
            let width = text.chars().count().max(1);
            chunk.errors.push(
                Diagnostic::new(&codes::BAD_CSV, format!("this row has {} fields, but the header has {}", fields.len(), layout.header_len))
                    .at(self.place(line, 1, width, text), format!("{} fields", fields.len()))
                    .help("give every row one value per header column; a value with a comma must be quoted (`\"1,5\"`), and an empty value is nothing between two commas"),
            );
            chunk.skipped = true;
            return true;
        }
        let mut bad: Vec<(usize, Refusal)> = Vec::new();
        for (index, (&position, &kind)) in layout.positions.iter().zip(&layout.kinds).enumerate() {
            let field = fields.get(position).copied().unwrap_or(Some(""));
            if let Some(refusal) = self.cell(chunk, index, kind, field) {
                bad.push((position, refusal));
            }
        }
        if !bad.is_empty() {
            let (text, spans) = line_text();
            for (position, refusal) in bad {
                let (column, width) = spans.get(position).copied().unwrap_or((1, 1));
                let mut d = Diagnostic::new(refusal.code, refusal.message)
                    .at(self.place(line, column, width, text.clone()), refusal.label);
                d.help = refusal.help;
                if let Some(note) = refusal.note {
                    d = d.note(note);
                }
                chunk.errors.push(d);
            }
        }
        if chunk.rows.is_multiple_of(CHECKPOINT) {
            chunk.checkpoints.push((chunk.rows as u32, offset));
        }
        chunk.lines.push(line);
        chunk.rows += 1;
        chunk.errors.len() <= 1000
    }

    /// Reads one field (`None` when it is not UTF-8) into column `index`: its value, or nothing and
    /// the reason it is refused.
    fn cell(&self, chunk: &mut Chunk, index: usize, kind: Kind, field: Option<&str>) -> Option<Refusal> {
        let column = &self.declared.columns[index];
        let Some(text) = field else {
            push_empty(&mut chunk.columns[index]);
            return Some(
                Refusal::new(
                    &codes::BAD_CSV,
                    "this value is not valid UTF-8 text".to_string(),
                    "not UTF-8".to_string(),
                )
                .help("save the file as UTF-8"),
            );
        };
        if text.is_empty() {
            push_empty(&mut chunk.columns[index]);
            return (!column.optional).then(|| {
                Refusal::new(
                    &codes::MISSING_VALUE,
                    format!("`{}` is empty", column.name),
                    format!("`{}` is required", column.name),
                )
                .help("fill in the value; only columns declared `optional` may be empty")
            });
        }
        // Text is kept as written, so it is searched for control characters and for a space at
        // either end, which are refused, not removed; other values refuse them as they refuse any
        // other character that does not belong (and say so below).
        if matches!(kind, Kind::Key | Kind::Text | Kind::Resolved(_)) {
            if let Some(problem) = values::text_problem(text) {
                push_empty(&mut chunk.columns[index]);
                return Some(match problem {
                    TextProblem::Control(at, c) => control_character(text, (at, c)),
                    TextProblem::Space(start, c) => surrounding_space(text, (start, c)),
                });
            }
        }
        match (&mut chunk.columns[index], kind) {
            // Most keys are text, kept as written; other keys are checked as their type.
            (Column::Key(keys), _) if column.ty == ColumnType::Text => {
                keys.push(text);
                None
            }
            (Column::Key(keys), _) => match values::key(&column.ty, text) {
                Ok(()) => {
                    keys.push(text);
                    None
                }
                Err(refused) => {
                    keys.push("");
                    Some(refusal(column, text, refused))
                }
            },
            (Column::Ref(values), Kind::Resolved(target)) => self.resolve(values, index, target, text),
            (Column::Text(values), Kind::Text) => {
                values.push(Some(chunk.short[index].intern(text, &mut chunk.strings)));
                None
            }
            _ => typed(chunk, index, kind, text).err().map(|refused| refusal(column, text, refused)),
        }
    }

    /// Resolves a reference into a table read before; an unknown key is refused (unless that table
    /// lost rows, whose cause is already reported).
    fn resolve(&self, values: &mut Vec<Option<RowIdx>>, index: usize, target: TableId, text: &str) -> Option<Refusal> {
        let referenced = self.referenced[index];
        let found = referenced.and_then(|(t, keys)| t.keys.get(keys, text));
        values.push(found);
        if found.is_some() || !referenced.is_some_and(|(t, _)| t.complete) {
            return None;
        }
        let target_name = &self.layout.schema.tables[target].name;
        Some(Refusal {
            note: Some("the referenced table's file must list every key that other files use"),
            ..Refusal::new(
                &codes::UNKNOWN_REFERENCE,
                format!("`{text}` is not a key of `{target_name}`"),
                format!("no row of `{target_name}` has this key"),
            )
        })
    }
}

/// Reads a value that is not free text (an amount, a date, a currency code…) into column `index`:
/// the value, or nothing and why it is refused.
fn typed(chunk: &mut Chunk, index: usize, kind: Kind, text: &str) -> Result<(), Refused> {
    match &mut chunk.columns[index] {
        // Free text is read by the caller: text that comes here is a currency code.
        Column::Text(values) => {
            let ok = values::currency(text);
            values.push(ok.then(|| chunk.short[index].intern(text, &mut chunk.strings)));
            ok.then_some(()).ok_or(Refused::Malformed)
        }
        Column::Number(values) => {
            let value = match kind {
                Kind::Integer => values::whole(text),
                Kind::Percent => values::percent(text),
                _ => values::decimal(text),
            };
            values.push(value.as_ref().ok().copied());
            value.map(|_| ())
        }
        Column::Date(values) => {
            let value = values::date(text);
            values.push(value.as_ref().ok().copied());
            value.map(|_| ())
        }
        Column::Bool(values) => {
            let value = match text {
                "true" => Some(true),
                "false" => Some(false),
                _ => None,
            };
            values.push(value);
            value.map(|_| ()).ok_or(Refused::Malformed)
        }
        Column::Year(values) => {
            let value = values::year(text);
            values.push(value.as_ref().ok().copied());
            value.map(|_| ())
        }
        column @ (Column::Key(_) | Column::Ref(_)) => {
            push_empty(column);
            Err(Refused::Malformed)
        }
    }
}

/// The refusal of a value that does not parse as its column's type, or lies beyond its range.
fn refusal(column: &model::Column, text: &str, refused: Refused) -> Refusal {
    if let Some(found) = values::control(text) {
        return control_character(text, found);
    }
    if let Some(found) = limits::padding(text) {
        return surrounding_space(text, found);
    }
    let shown = values::visible(text);
    match refused {
        Refused::Malformed => Refusal::new(
            &codes::BAD_VALUE,
            format!("`{shown}` is not {}", expected(&column.ty)),
            format!("`{}` expects {}", column.name, expected(&column.ty)),
        )
        .help(how_to_write(&column.ty)),
        Refused::Respelled(spelled) => Refusal::new(
            &codes::BAD_VALUE,
            format!("`{shown}` is the integer key {spelled} written another way"),
            format!("`{}` is an integer key", column.name),
        )
        .help(format!(
            "write `{spelled}`: keys and references are matched as written, so a number key has one spelling (declare the column `text key` to keep leading zeros)"
        )),
        Refused::OutOfRange(limit) => {
            let help = match column.ty {
                ColumnType::Date => {
                    "write the real date; leave an optional date empty when there is none, rather than a placeholder such as `9999-12-31`"
                }
                ColumnType::Year => "write the plan year the row is for, with four digits, such as `2026`",
                _ => "check the value: compplan reads numbers exactly and never rounds them on reading, so a value it cannot hold exactly is refused",
            };
            Refusal::new(
                &codes::OUT_OF_RANGE,
                format!("`{shown}` is out of range: {limit}"),
                "out of range".to_string(),
            )
            .help(help)
        }
    }
}

/// The refusal of a cell that begins or ends with a space (`start` true for the beginning).
fn surrounding_space(text: &str, (start, space): (bool, char)) -> Refusal {
    let shown = values::visible(text).replace('\t', "\\t");
    let (end, label) = if start { ("begins", "a space at the start") } else { ("ends", "a space at the end") };
    Refusal::new(
        &codes::SURROUNDING_SPACE,
        format!("`{shown}` {end} with {}", limits::space_name(space)),
        label.to_string(),
    )
    .help(format!(
        "write `{}`: compplan reads every value exactly as written and never trims it (spaces inside a value are kept)",
        text.trim_matches(limits::is_space).replace('\t', "\\t")
    ))
}

/// The refusal of a cell holding a control character.
fn control_character(text: &str, (at, found): (usize, char)) -> Refusal {
    Refusal::new(
        &codes::CONTROL_CHARACTER,
        format!(
            "`{}` holds the control character U+{:04X} at character {at}",
            values::visible(text),
            u32::from(found)
        ),
        "control character".to_string(),
    )
    .help("remove it (shown here as `␀` for NUL, `␊` for a line break): text may hold tab but no other control character, line breaks in a quoted value included")
}

fn push_empty(column: &mut Column) {
    match column {
        Column::Text(v) => v.push(None),
        Column::Key(k) => k.push(""),
        Column::Number(v) => v.push(None),
        Column::Date(v) => v.push(None),
        Column::Bool(v) => v.push(None),
        Column::Year(v) => v.push(None),
        Column::Ref(v) => v.push(None),
    }
}
