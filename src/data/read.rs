//! Reading one CSV file into typed columns, value by value, with a located diagnostic for each bad
//! cell.
//!
//! Keys go to an arena with a hash index, other text is interned, and a reference to a table read
//! earlier is resolved to its row as it is read (a reference to the same table, or to one read
//! later, is resolved once every table is loaded).

use super::{expected, how_to_write, Column, Interner, KeyColumn, KeyIndex, Table};
use crate::diagnostics::{codes, LocatedDiagnostic, Place};
use crate::model::{self, ColumnType, TableId};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::io::Read;

/// One table's file, opened by the caller (the CLI, or a test with inline text).
pub struct Input {
    /// The path shown in messages.
    pub path: String,
    /// The file's bytes.
    pub reader: Box<dyn Read>,
}

/// How a column is read.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
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

fn kind_of(schema: &model::Schema, table: TableId, column: usize) -> Kind {
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

fn new_column(kind: Kind) -> Column {
    match kind {
        Kind::Key => Column::Key(KeyColumn::default()),
        Kind::Text | Kind::Currency => Column::Text(Vec::new()),
        Kind::Resolved(_) => Column::Ref(Vec::new()),
        Kind::Date => Column::Date(Vec::new()),
        Kind::Bool => Column::Bool(Vec::new()),
        Kind::Year => Column::Year(Vec::new()),
        Kind::Number | Kind::Percent | Kind::Integer => Column::Number(Vec::new()),
    }
}

/// An empty table, for an optional table without a file.
pub(crate) fn empty(schema: &model::Schema, table: TableId) -> Table {
    let columns = (0..schema.tables[table].columns.len()).map(|c| new_column(kind_of(schema, table, c))).collect();
    Table { path: String::new(), rows: 0, columns, lines: Vec::new(), keys: KeyIndex::default(), complete: true }
}

/// A record's fields as the text of its line, and where each field starts (in characters).
fn line_of(record: &csv::ByteRecord) -> (String, Vec<(usize, usize)>) {
    let mut text = String::new();
    let mut spans = Vec::with_capacity(record.len());
    for (i, field) in record.iter().enumerate() {
        if i > 0 {
            text.push(',');
        }
        let field = String::from_utf8_lossy(field);
        let start = text.chars().count();
        text.push_str(&field);
        spans.push((start + 1, field.chars().count().max(1)));
    }
    (text, spans)
}

/// A bad cell found while reading a row: which field, the code, the message, the label and a hint.
type Bad = (usize, &'static crate::diagnostics::Code, String, String, Option<String>);

/// Reads table `id`; bad cells are reported and left empty. `loaded` holds the tables read before.
pub(crate) fn table(schema: &model::Schema, id: TableId, input: Input, loaded: &[Table], strings: &mut Interner, errors: &mut Vec<LocatedDiagnostic>) -> Table {
    let declared = &schema.tables[id];
    let mut table = empty(schema, id);
    table.path = input.path.clone();
    let mut reader = csv::ReaderBuilder::new().has_headers(true).flexible(true).from_reader(input.reader);
    let header = match reader.byte_headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            errors.push(LocatedDiagnostic::new(&codes::BAD_CSV, format!("{} cannot be read: {e}", input.path)));
            return table;
        }
    };
    let names: Vec<String> = header.iter().map(|h| String::from_utf8_lossy(h).trim_start_matches('\u{feff}').trim().to_string()).collect();
    let positions: Vec<Option<usize>> = declared.columns.iter().map(|c| names.iter().position(|n| *n == c.name)).collect();
    let missing: Vec<&str> = declared.columns.iter().zip(&positions).filter(|(_, p)| p.is_none()).map(|(c, _)| c.name.as_str()).collect();
    if !missing.is_empty() {
        let (text, _) = line_of(&header);
        let list = missing.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join(", ");
        let width = text.chars().count();
        errors.push(
            LocatedDiagnostic::new(&codes::MISSING_COLUMN, format!("{} has no column {list}", input.path))
                .at(Place { path: input.path.clone(), line: 1, column: 1, width, text }, format!("the header lacks {list}"))
                .help(format!("add {list} to the header: `schema {}` declares {}", declared.name, if missing.len() == 1 { "it" } else { "them" })),
        );
        table.complete = false;
        return table;
    }
    let positions: Vec<usize> = positions.into_iter().flatten().collect();
    let kinds: Vec<Kind> = (0..declared.columns.len()).map(|c| kind_of(schema, id, c)).collect();
    let mut record = csv::ByteRecord::new();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                let message = match e.kind() {
                    csv::ErrorKind::Utf8 { .. } => "this row is not valid UTF-8 text".to_string(),
                    _ => e.to_string(),
                };
                let mut d = LocatedDiagnostic::new(&codes::BAD_CSV, message);
                if line > 0 {
                    d = d.at(Place { path: input.path.clone(), line, column: 1, width: 1, text: String::new() }, "");
                }
                errors.push(d.help("save the file as UTF-8 CSV"));
                table.complete = false;
                if errors.len() > 1000 {
                    break;
                }
                continue;
            }
        }
        let line = record.position().map_or(0, |p| p.line()) as u32;
        if record.len() != header.len() {
            let (text, _) = line_of(&record);
            let width = text.chars().count().max(1);
            errors.push(
                LocatedDiagnostic::new(&codes::BAD_CSV, format!("this row has {} fields, but the header has {}", record.len(), header.len()))
                    .at(Place { path: input.path.clone(), line: line as usize, column: 1, width, text }, format!("{} fields", record.len()))
                    .help("give every row one value per header column; a value with a comma must be quoted (`\"1,5\"`), and an empty value is nothing between two commas"),
            );
            table.complete = false;
            continue;
        }
        let row = table.rows as u32;
        let mut bad: Vec<Bad> = Vec::new();
        for (index, (&position, &kind)) in positions.iter().zip(&kinds).enumerate() {
            let column = &declared.columns[index];
            let raw = record.get(position).unwrap_or_default();
            let Ok(text) = std::str::from_utf8(raw) else {
                bad.push((position, &codes::BAD_CSV, "this value is not valid UTF-8 text".to_string(), "not UTF-8".to_string(), Some("save the file as UTF-8".to_string())));
                push_empty(&mut table.columns[index]);
                continue;
            };
            if text.is_empty() {
                if !column.optional {
                    bad.push((position, &codes::MISSING_VALUE, format!("`{}` is empty", column.name), format!("`{}` is required", column.name), Some("fill in the value; only columns declared `optional` may be empty".to_string())));
                }
                push_empty(&mut table.columns[index]);
                continue;
            }
            let ok = match (&mut table.columns[index], kind) {
                (Column::Key(keys), _) => {
                    keys.push(text);
                    if let Some(first) = table.keys.insert(keys, text, row) {
                        let first_line = table.lines.get(first as usize).copied().unwrap_or(0);
                        bad.push((position, &codes::DUPLICATE_KEY, format!("`{text}` appears twice as the key of `{}`", declared.name), format!("already used on line {first_line}"), Some("keys are unique: give each row its own, or remove the repeated row".to_string())));
                    }
                    true
                }
                (Column::Ref(values), Kind::Resolved(target)) => {
                    let found = match &loaded.get(target).map(|t| (&t.columns, &t.keys)) {
                        Some((columns, index)) => columns.iter().find_map(|c| match c {
                            Column::Key(keys) => index.get(keys, text),
                            _ => None,
                        }),
                        None => None,
                    };
                    values.push(found);
                    let target_complete = loaded.get(target).is_some_and(|t| t.complete);
                    if found.is_none() && target_complete {
                        let target_name = &schema.tables[target].name;
                        bad.push((position, &codes::UNKNOWN_REFERENCE, format!("`{text}` is not a key of `{target_name}`"), format!("no row of `{target_name}` has this key"), None));
                    }
                    true
                }
                (Column::Text(values), Kind::Currency) => {
                    let ok = text.len() == 3 && text.bytes().all(|b| b.is_ascii_uppercase());
                    values.push(ok.then(|| strings.intern(text)));
                    ok
                }
                (Column::Text(values), _) => {
                    values.push(Some(strings.intern(text)));
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
                    let value = (text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit())).then(|| text.parse().ok()).flatten();
                    values.push(value);
                    value.is_some()
                }
                (Column::Ref(values), _) => {
                    values.push(None);
                    false
                }
            };
            if !ok {
                bad.push((position, &codes::BAD_VALUE, format!("`{text}` is not {}", expected(&column.ty)), format!("`{}` expects {}", column.name, expected(&column.ty)), Some(how_to_write(&column.ty).to_string())));
            }
        }
        if !bad.is_empty() {
            let (text, spans) = line_of(&record);
            for (position, code, message, label, help) in bad {
                let (column, width) = spans.get(position).copied().unwrap_or((1, 1));
                let mut d = LocatedDiagnostic::new(code, message).at(Place { path: input.path.clone(), line: line as usize, column, width, text: text.clone() }, label);
                if let Some(help) = help {
                    d = d.help(help);
                }
                if code.id == codes::UNKNOWN_REFERENCE.id {
                    d = d.note("the referenced table's file must list every key that other files use");
                }
                errors.push(d);
            }
        }
        table.lines.push(line);
        table.rows += 1;
        if errors.len() > 1000 {
            break;
        }
    }
    table
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

/// Places problems found after loading by reading their rows again; problems whose file cannot be
/// read again keep their line only.
pub(crate) fn place(
    schema: &model::Schema,
    data: &super::Dataset,
    mut pending: Vec<super::Pending>,
    open: &mut impl FnMut(&str) -> Result<Option<Input>, String>,
) -> Vec<LocatedDiagnostic> {
    pending.sort_by_key(|p| (p.column.table, p.row, p.column.column));
    let mut out = Vec::with_capacity(pending.len());
    let mut tables: Vec<usize> = pending.iter().map(|p| p.column.table).collect();
    tables.dedup();
    for table in tables {
        let wanted: Vec<&super::Pending> = pending.iter().filter(|p| p.column.table == table).collect();
        let mut rows: std::collections::HashMap<u32, (String, Vec<(usize, usize)>)> = std::collections::HashMap::new();
        let mut header: Vec<String> = Vec::new();
        if let Ok(Some(input)) = open(&schema.tables[table].name) {
            let mut reader = csv::ReaderBuilder::new().has_headers(true).flexible(true).from_reader(input.reader);
            if let Ok(h) = reader.byte_headers() {
                header = h.iter().map(|f| String::from_utf8_lossy(f).trim_start_matches('\u{feff}').trim().to_string()).collect();
            }
            let needed: std::collections::HashSet<u32> = wanted.iter().map(|p| p.row).collect();
            let mut record = csv::ByteRecord::new();
            let mut row = 0u32;
            while let Ok(true) = reader.read_byte_record(&mut record) {
                if needed.contains(&row) {
                    rows.insert(row, line_of(&record));
                }
                row += 1;
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
        for bad in ["1,234.56", "1e3", "+5", " 5", "5.", ".5", "abc", "12.5 USD", "--5", "-", "1.2.3", "12345678901234567890123456789"] {
            assert_eq!(decimal(bad), None, "{bad}");
        }
        assert!(date("2026-02-28").is_some());
        for bad in ["2026-02-30", "2026-2-28", "28/02/2026", "2026-02-28T00:00", "2026-0a-28"] {
            assert_eq!(date(bad), None, "{bad}");
        }
    }
}
