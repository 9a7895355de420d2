//! Reading one CSV file into typed columns, value by value, with a located diagnostic for each bad
//! cell.

use super::{expected, how_to_write, Column, Interner, Table};
use crate::diagnostics::{codes, LocatedDiagnostic, Place};
use crate::model::{self, ColumnType};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::io::Read;

/// One table's file, opened by the caller (the CLI, or a test with inline text).
pub struct Input {
    /// The path shown in messages.
    pub path: String,
    /// The file's bytes.
    pub reader: Box<dyn Read>,
}

/// An empty table, for an optional table without a file.
pub(crate) fn empty(table: &model::Table) -> Table {
    Table { path: String::new(), rows: 0, columns: table.columns.iter().map(|c| new_column(&c.ty, 0)).collect(), lines: Vec::new(), keys: HashMap::new() }
}

fn new_column(ty: &ColumnType, capacity: usize) -> Column {
    match ty {
        // References are read as text and resolved once every table is loaded.
        ColumnType::Text | ColumnType::Currency | ColumnType::Ref(_) => Column::Text(Vec::with_capacity(capacity)),
        ColumnType::Date => Column::Date(Vec::with_capacity(capacity)),
        ColumnType::Bool => Column::Bool(Vec::with_capacity(capacity)),
        ColumnType::Year => Column::Year(Vec::with_capacity(capacity)),
        ColumnType::Decimal | ColumnType::Integer | ColumnType::Percent | ColumnType::Money(_) | ColumnType::MoneyIn(_) => {
            Column::Number(Vec::with_capacity(capacity))
        }
    }
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

/// Reads a table; bad cells are reported and left empty.
pub(crate) fn table(schema: &model::Table, input: Input, strings: &mut Interner, errors: &mut Vec<LocatedDiagnostic>) -> Table {
    let mut table = empty(schema);
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
    let positions: Vec<Option<usize>> = schema.columns.iter().map(|c| names.iter().position(|n| *n == c.name)).collect();
    let missing: Vec<&str> = schema.columns.iter().zip(&positions).filter(|(_, p)| p.is_none()).map(|(c, _)| c.name.as_str()).collect();
    if !missing.is_empty() {
        let (text, _) = line_of(&header);
        let list = missing.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join(", ");
        let width = text.chars().count();
        errors.push(
            LocatedDiagnostic::new(&codes::MISSING_COLUMN, format!("{} has no column {list}", input.path))
                .at(Place { path: input.path.clone(), line: 1, column: 1, width, text }, format!("the header lacks {list}"))
                .help(format!("add {list} to the header: `schema {}` declares {}", schema.name, if missing.len() == 1 { "it" } else { "them" })),
        );
        return table;
    }
    let key = schema.key;
    let mut key_lines: HashMap<super::Sym, u32> = HashMap::new();
    let mut record = csv::ByteRecord::new();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                let message = match e.kind() {
                    csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
                        format!("this row has {len} fields, but the header has {expected_len}")
                    }
                    csv::ErrorKind::Utf8 { .. } => "this row is not valid UTF-8 text".to_string(),
                    _ => e.to_string(),
                };
                let mut d = LocatedDiagnostic::new(&codes::BAD_CSV, message.clone());
                if line > 0 {
                    d = d.at(Place { path: input.path.clone(), line, column: 1, width: 1, text: String::new() }, "");
                }
                errors.push(d.help("every row needs one value per header column (empty values are written as nothing between commas)"));
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
            continue;
        }
        let row = table.rows as u32;
        let mut bad = Vec::new();
        for (index, (column, position)) in schema.columns.iter().zip(&positions).enumerate() {
            let Some(position) = *position else { continue };
            let raw = record.get(position).unwrap_or_default();
            let text = std::str::from_utf8(raw).unwrap_or("\u{fffd}");
            match parse(&column.ty, text, strings) {
                Ok(value) => {
                    if value.is_none() && !column.optional {
                        bad.push((position, &codes::MISSING_VALUE, format!("`{}` is empty", column.name), format!("`{}` is required", column.name), Some("fill in the value; only columns declared `optional` may be empty")));
                    }
                    if Some(index) == key {
                        if let Some(Value::Text(sym)) = value {
                            if let Some(first) = key_lines.insert(sym, line) {
                                bad.push((
                                    position,
                                    &codes::DUPLICATE_KEY,
                                    format!("`{text}` appears twice as the key of `{}`", schema.name),
                                    format!("already used on line {first}"),
                                    Some("keys are unique: give each row its own, or remove the repeated row"),
                                ));
                            } else {
                                table.keys.insert(sym, row);
                            }
                        }
                    }
                    push(&mut table.columns[index], value);
                }
                Err(()) => {
                    let shown = if text.is_empty() { "an empty value".to_string() } else { format!("`{text}`") };
                    bad.push((position, &codes::BAD_VALUE, format!("{shown} is not {}", expected(&column.ty)), format!("`{}` expects {}", column.name, expected(&column.ty)), Some(how_to_write(&column.ty))));
                    push(&mut table.columns[index], None);
                }
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
        let mut rows: HashMap<u32, (String, Vec<(usize, usize)>)> = HashMap::new();
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

/// A parsed cell.
enum Value {
    Text(super::Sym),
    Number(Decimal),
    Date(NaiveDate),
    Bool(bool),
    Year(i32),
}

fn push(column: &mut Column, value: Option<Value>) {
    match (column, value) {
        (Column::Text(v), Some(Value::Text(s))) => v.push(Some(s)),
        (Column::Number(v), Some(Value::Number(n))) => v.push(Some(n)),
        (Column::Date(v), Some(Value::Date(d))) => v.push(Some(d)),
        (Column::Bool(v), Some(Value::Bool(b))) => v.push(Some(b)),
        (Column::Year(v), Some(Value::Year(y))) => v.push(Some(y)),
        (Column::Text(v), _) => v.push(None),
        (Column::Number(v), _) => v.push(None),
        (Column::Date(v), _) => v.push(None),
        (Column::Bool(v), _) => v.push(None),
        (Column::Year(v), _) => v.push(None),
        (Column::Ref(v), _) => v.push(None),
    }
}

/// Parses one cell: `Ok(None)` for an empty cell, `Err` for a value of the wrong form.
fn parse(ty: &ColumnType, text: &str, strings: &mut Interner) -> Result<Option<Value>, ()> {
    if text.is_empty() {
        return Ok(None);
    }
    Ok(Some(match ty {
        ColumnType::Text | ColumnType::Ref(_) => Value::Text(strings.intern(text)),
        ColumnType::Currency => {
            if text.len() != 3 || !text.bytes().all(|b| b.is_ascii_uppercase()) {
                return Err(());
            }
            Value::Text(strings.intern(text))
        }
        ColumnType::Date => Value::Date(date(text).ok_or(())?),
        ColumnType::Bool => match text {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => return Err(()),
        },
        ColumnType::Year => {
            if text.len() != 4 || !text.bytes().all(|b| b.is_ascii_digit()) {
                return Err(());
            }
            Value::Year(text.parse().map_err(|_| ())?)
        }
        ColumnType::Integer => {
            let d = decimal(text).ok_or(())?;
            if d.scale() != 0 {
                return Err(());
            }
            Value::Number(d)
        }
        ColumnType::Percent => {
            let d = decimal(text).ok_or(())?;
            Value::Number(Decimal::try_from_i128_with_scale(d.mantissa(), d.scale() + 2).map_err(|_| ())?)
        }
        ColumnType::Decimal | ColumnType::Money(_) | ColumnType::MoneyIn(_) => Value::Number(decimal(text).ok_or(())?),
    }))
}

/// A strict ISO date: `YYYY-MM-DD` and a day that exists.
pub(crate) fn date(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = &text[range];
        part.bytes().all(|c| c.is_ascii_digit()).then(|| part.parse().ok()).flatten()
    };
    NaiveDate::from_ymd_opt(number(0..4)? as i32, number(5..7)?, number(8..10)?)
}

/// A strict plain decimal: an optional minus, digits, and optionally a dot and digits. No thousands
/// separators, no exponent, no plus sign, no spaces; at most 28 significant digits.
pub(crate) fn decimal(text: &str) -> Option<Decimal> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let (int, frac) = match digits.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (digits, None),
    };
    let ok = !int.is_empty() && int.bytes().all(|c| c.is_ascii_digit()) && frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|c| c.is_ascii_digit()));
    if !ok {
        return None;
    }
    Decimal::from_str_exact(text).ok()
}

#[cfg(test)]
mod tests {
    use super::{date, decimal};

    #[test]
    fn values_are_parsed_strictly() {
        assert_eq!(decimal("1234.56").map(|d| d.to_string()), Some("1234.56".to_string()));
        assert_eq!(decimal("-5").map(|d| d.to_string()), Some("-5".to_string()));
        for bad in ["1,234.56", "1e3", "+5", " 5", "5.", ".5", "abc", "12.5 USD", "--5"] {
            assert_eq!(decimal(bad), None, "{bad}");
        }
        assert!(date("2026-02-28").is_some());
        for bad in ["2026-02-30", "2026-2-28", "28/02/2026", "2026-02-28T00:00"] {
            assert_eq!(date(bad), None, "{bad}");
        }
    }
}
