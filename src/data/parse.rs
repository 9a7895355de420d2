//! Parsing one block of CSV lines into typed columns, value by value, with a located diagnostic for
//! each bad cell. Blocks are independent, so they are parsed in parallel and merged in order.

use super::records::{self, Record};
use super::{expected, how_to_write, Column, Interner, KeyColumn, Sym, Table};
use crate::diagnostics::{codes, LocatedDiagnostic, Place};
use crate::model::{self, ColumnType, TableId};
use chrono::NaiveDate;
use rust_decimal::Decimal;

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
    pub(crate) loaded: &'a [Table],
}

/// One parsed block: columns with block-local text symbols, absolute line numbers, diagnostics.
pub(crate) struct Chunk {
    pub(crate) rows: usize,
    pub(crate) columns: Vec<Column>,
    pub(crate) lines: Vec<u32>,
    pub(crate) strings: Interner,
    pub(crate) errors: Vec<LocatedDiagnostic>,
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

/// A bad cell found while reading a row: which field, the code, the message, the label and a hint.
type Bad = (usize, &'static crate::diagnostics::Code, String, String, Option<String>);

/// Parses a block of whole lines that starts at line `first_line` of the file and holds `newlines`
/// line ends (counted when the block was cut).
pub(crate) fn block(layout: &Layout<'_>, bytes: &[u8], first_line: u32, newlines: u32) -> Chunk {
    let declared = &layout.schema.tables[layout.table];
    // At most one row per line: room for them all up front, so that no column grows by copying.
    let most = newlines as usize + 1;
    let mut chunk = Chunk {
        rows: 0,
        columns: layout.kinds.iter().map(|k| new_column(*k, most)).collect(),
        lines: Vec::with_capacity(most),
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
    let rows = Rows { layout, declared, referenced };
    records::each(bytes, first_line, |record| rows.record(&mut chunk, record));
    chunk
}

/// What reading a row needs to know about its table.
struct Rows<'l, 'a> {
    layout: &'l Layout<'a>,
    declared: &'l model::Table,
    /// For each column resolved as it is read, the table it refers to and that table's keys.
    referenced: Vec<Option<(&'l Table, &'l KeyColumn)>>,
}

impl Rows<'_, '_> {
    /// Reads one record into the columns; false once there are too many errors to go on.
    fn record(&self, chunk: &mut Chunk, record: Record<'_>) -> bool {
        match record {
            Record::Fields { line, fields, .. } => self.row(chunk, line, fields, || record.text()),
            Record::Broken { line, message } => {
                chunk.errors.push(
                    LocatedDiagnostic::new(&codes::BAD_CSV, message)
                        .at(self.place(line, 1, 1, String::new()), "")
                        .help("save the file as UTF-8 CSV"),
                );
                chunk.skipped = true;
                true
            }
        }
    }

    fn place(&self, line: u32, column: usize, width: usize, text: String) -> Place {
        Place { path: self.layout.path.to_string(), line: line as usize, column, width, text }
    }

    /// Reads one row's fields (`None` for a field that is not UTF-8) into the columns, reporting each
    /// bad cell against the row's text (built only then). False once there are too many errors to go on.
    fn row(
        &self,
        chunk: &mut Chunk,
        line: u32,
        fields: &[Option<&str>],
        line_text: impl Fn() -> (String, Vec<(usize, usize)>),
    ) -> bool {
        let (layout, declared, referenced) = (self.layout, self.declared, &self.referenced);
        let place = |line: u32, column: usize, width: usize, text: String| self.place(line, column, width, text);
        if fields.len() != layout.header_len {
            let (text, _) = line_text();
            let width = text.chars().count().max(1);
            chunk.errors.push(
                LocatedDiagnostic::new(&codes::BAD_CSV, format!("this row has {} fields, but the header has {}", fields.len(), layout.header_len))
                    .at(place(line, 1, width, text), format!("{} fields", fields.len()))
                    .help("give every row one value per header column; a value with a comma must be quoted (`\"1,5\"`), and an empty value is nothing between two commas"),
            );
            chunk.skipped = true;
            return true;
        }
        let mut bad: Vec<Bad> = Vec::new();
        for (index, (&position, &kind)) in layout.positions.iter().zip(&layout.kinds).enumerate() {
            let column = &declared.columns[index];
            let Some(text) = fields.get(position).copied().unwrap_or(Some("")) else {
                bad.push((
                    position,
                    &codes::BAD_CSV,
                    "this value is not valid UTF-8 text".to_string(),
                    "not UTF-8".to_string(),
                    Some("save the file as UTF-8".to_string()),
                ));
                push_empty(&mut chunk.columns[index]);
                continue;
            };
            if text.is_empty() {
                if !column.optional {
                    bad.push((
                        position,
                        &codes::MISSING_VALUE,
                        format!("`{}` is empty", column.name),
                        format!("`{}` is required", column.name),
                        Some("fill in the value; only columns declared `optional` may be empty".to_string()),
                    ));
                }
                push_empty(&mut chunk.columns[index]);
                continue;
            }
            let ok = match (&mut chunk.columns[index], kind) {
                (Column::Key(keys), _) => {
                    keys.push(text);
                    true
                }
                (Column::Ref(values), Kind::Resolved(target)) => {
                    let found = referenced[index].and_then(|(t, keys)| t.keys.get(keys, text));
                    values.push(found);
                    if found.is_none() && referenced[index].is_some_and(|(t, _)| t.complete) {
                        let target_name = &layout.schema.tables[target].name;
                        bad.push((
                            position,
                            &codes::UNKNOWN_REFERENCE,
                            format!("`{text}` is not a key of `{target_name}`"),
                            format!("no row of `{target_name}` has this key"),
                            None,
                        ));
                    }
                    true
                }
                (Column::Text(values), Kind::Currency) => {
                    let ok = text.len() == 3 && text.bytes().all(|b| b.is_ascii_uppercase());
                    values.push(ok.then(|| chunk.short[index].intern(text, &mut chunk.strings)));
                    ok
                }
                (Column::Text(values), _) => {
                    values.push(Some(chunk.short[index].intern(text, &mut chunk.strings)));
                    true
                }
                (Column::Number(values), kind) => {
                    let value = decimal(text).and_then(|d| match kind {
                        Kind::Integer => (d.scale() == 0).then_some(d),
                        Kind::Percent => Decimal::try_from_i128_with_scale(d.mantissa(), d.scale() + 2).ok(),
                        _ => Some(d),
                    });
                    values.push(value);
                    value.is_some()
                }
                (Column::Date(values), _) => {
                    let value = date(text);
                    values.push(value);
                    value.is_some()
                }
                (Column::Bool(values), _) => {
                    let value = match text {
                        "true" => Some(true),
                        "false" => Some(false),
                        _ => None,
                    };
                    values.push(value);
                    value.is_some()
                }
                (Column::Year(values), _) => {
                    let value = (text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit()))
                        .then(|| text.parse().ok())
                        .flatten();
                    values.push(value);
                    value.is_some()
                }
                (Column::Ref(values), _) => {
                    values.push(None);
                    false
                }
            };
            if !ok {
                bad.push((
                    position,
                    &codes::BAD_VALUE,
                    format!("`{text}` is not {}", expected(&column.ty)),
                    format!("`{}` expects {}", column.name, expected(&column.ty)),
                    Some(how_to_write(&column.ty).to_string()),
                ));
            }
        }
        if !bad.is_empty() {
            let (text, spans) = line_text();
            for (position, code, message, label, help) in bad {
                let (column, width) = spans.get(position).copied().unwrap_or((1, 1));
                let mut d = LocatedDiagnostic::new(code, message).at(place(line, column, width, text.clone()), label);
                if let Some(help) = help {
                    d = d.help(help);
                }
                if code.id == codes::UNKNOWN_REFERENCE.id {
                    d = d.note("the referenced table's file must list every key that other files use");
                }
                chunk.errors.push(d);
            }
        }
        chunk.lines.push(line);
        chunk.rows += 1;
        chunk.errors.len() <= 1000
    }
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

/// A strict ISO date: `YYYY-MM-DD` and a day that exists.
pub(crate) fn date(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        b[range].iter().try_fold(0u32, |n, &c| c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0')))
    };
    NaiveDate::from_ymd_opt(digits(0..4)? as i32, digits(5..7)?, digits(8..10)?)
}

/// A strict plain decimal: an optional minus, digits, and optionally a dot and digits. No thousands
/// separators, no exponent, no plus sign, no spaces; at most 28 significant digits.
pub(crate) fn decimal(text: &str) -> Option<Decimal> {
    let bytes = text.as_bytes();
    let (negative, digits) = match bytes.first() {
        Some(b'-') => (true, &bytes[1..]),
        _ => (false, bytes),
    };
    let mut mantissa: i128 = 0;
    let mut scale = 0u32;
    let mut seen_dot = false;
    let mut count = 0;
    let mut int_digits = 0;
    for &c in digits {
        match c {
            b'0'..=b'9' => {
                mantissa = mantissa * 10 + i128::from(c - b'0');
                count += 1;
                if seen_dot {
                    scale += 1;
                } else {
                    int_digits += 1;
                }
                if count > 28 {
                    return None;
                }
            }
            b'.' if !seen_dot => seen_dot = true,
            _ => return None,
        }
    }
    if int_digits == 0 || (seen_dot && scale == 0) {
        return None;
    }
    Decimal::try_from_i128_with_scale(if negative { -mantissa } else { mantissa }, scale).ok()
}

#[cfg(test)]
mod tests {
    use super::{date, decimal};

    #[test]
    fn values_are_parsed_strictly() {
        assert_eq!(decimal("1234.56").map(|d| d.to_string()), Some("1234.56".to_string()));
        assert_eq!(decimal("-5").map(|d| d.to_string()), Some("-5".to_string()));
        assert_eq!(decimal("0.10").map(|d| d.to_string()), Some("0.10".to_string()));
        for bad in [
            "1,234.56",
            "1e3",
            "+5",
            " 5",
            "5.",
            ".5",
            "abc",
            "12.5 USD",
            "--5",
            "-",
            "1.2.3",
            "12345678901234567890123456789",
        ] {
            assert_eq!(decimal(bad), None, "{bad}");
        }
        assert!(date("2026-02-28").is_some());
        for bad in ["2026-02-30", "2026-2-28", "28/02/2026", "2026-02-28T00:00", "2026-0a-28"] {
            assert_eq!(date(bad), None, "{bad}");
        }
    }
}
