//! The CSV target: a data folder (one file mutated) loaded with `data::load` against a schema with
//! every column type and every kind of key (the example workspace and `fuzz/csv_schema.plan`), then,
//! when it loads, paid for a period by the runtime.
//!
//! Oracles, besides no panic, no abort and no hang: a data set that loads holds exactly the csv
//! crate's records (the model of `src/data/read/differential.rs`), each on the line the csv crate
//! puts it, and each cell as written (text byte for byte, numbers equal to the plain decimal
//! written, dates, years, booleans and references as written), with no declared column named twice
//! in a header; a folder that does not load is refused with every problem located at a file, line
//! and column, and every row whose number of cells differs from its header's is among them; a
//! problem the runtime finds in the data is located too.

use crate::corpus::Input;
use crate::worker::{feature, Outcome, Target};
use chrono::NaiveDate;
use compplan::data::{self, Column, Dataset, Input as DataInput};
use compplan::diagnostics::Diagnostic;
use compplan::eval::{self, Failure, Request};
use compplan::model::{self, ColumnType};
use compplan::CompDb;
use rust_decimal::Decimal;

/// The target: the checked workspace every folder is loaded against.
pub struct CsvTarget {
    model: model::Workspace,
}

impl CsvTarget {
    /// Checks the workspace (the example plans and the fuzzer's extra tables); it must check clean.
    pub fn new(root: &std::path::Path) -> Result<CsvTarget, String> {
        let mut sources = Vec::new();
        for path in crate::corpus::files_below(&root.join("plans")) {
            if path.extension().is_some_and(|e| e == "plan") {
                sources.push((path.display().to_string(), std::fs::read_to_string(&path).map_err(|e| e.to_string())?));
            }
        }
        let extra = root.join("fuzz/csv_schema.plan");
        sources.push((extra.display().to_string(), std::fs::read_to_string(&extra).map_err(|e| e.to_string())?));
        let db = CompDb::default();
        let ws = db.workspace(sources);
        let diagnostics = compplan::check::diagnostics(&db, ws);
        if compplan::check::has_errors(&diagnostics) {
            return Err(format!("the CSV target's workspace does not check: {diagnostics:?}"));
        }
        Ok(CsvTarget { model: compplan::check::workspace_model(&db, ws).clone() })
    }
}

impl Target for CsvTarget {
    fn run(&mut self, input: &Input) -> Outcome {
        let sized = input.files.len().is_multiple_of(2);
        let open = |table: &str| -> Result<Option<DataInput>, String> {
            let name = format!("{table}.csv");
            Ok(input.files.iter().find(|(n, _)| *n == name).map(|(_, bytes)| DataInput {
                path: format!("data/{name}"),
                size: sized.then_some(bytes.len() as u64),
                reader: Box::new(std::io::Cursor::new(bytes.clone())),
            }))
        };
        let mut outcome = Outcome::default();
        match outcome.timed("load", || data::load(&self.model, open)) {
            Ok(dataset) => {
                outcome.features.push(feature("loaded", ""));
                outcome.failure = same_as_csv_crate(&self.model.schema, &dataset, input);
                if outcome.failure.is_none() {
                    outcome.failure = self.pay(&dataset, input, open, &mut outcome);
                }
            }
            Err(errors) => {
                outcome.features.extend(errors.iter().map(|e| feature(e.code.id, &e.message)));
                outcome.failure =
                    unlocated(&errors).or_else(|| uneven_rows_reported(&self.model.schema, &errors, input));
            }
        }
        outcome
    }
}

impl CsvTarget {
    /// Pays a period on the data set; data problems the runtime finds must be located.
    fn pay(
        &self,
        dataset: &Dataset,
        input: &Input,
        open: impl FnMut(&str) -> Result<Option<DataInput>, String>,
        outcome: &mut Outcome,
    ) -> Option<String> {
        let period = ["2026-03", "2026-Q2", "2026"][input.size() % 3];
        let request = Request { period: period.parse().ok()?, rep: None, ledger: None };
        match outcome.timed("pay", || eval::run(&self.model, dataset, &request)) {
            Ok(report) => {
                outcome.features.extend(report.errors.iter().map(|e| feature("eval", &e.diagnostic.message)));
                None
            }
            Err(Failure::Data(pending)) => {
                let placed = outcome
                    .timed("place the runtime's problems", || data::place(&self.model.schema, dataset, pending, open));
                outcome.features.extend(placed.iter().map(|e| feature(e.code.id, &e.message)));
                unlocated(&placed)
            }
            Err(Failure::UnknownRep(rep)) => Some(format!("no rep was asked for, yet `{rep}` is unknown")),
        }
    }
}

/// A problem about a file's content without a place (a missing file has none to give).
fn unlocated(errors: &[Diagnostic]) -> Option<String> {
    let error =
        errors.iter().find(|e| e.code.id != "E0700" && e.cell().is_none_or(|p| p.line == 0 || p.column == 0))?;
    Some(format!("{} is not located: {error:?}", error.code.id))
}

/// A record: the line it starts on and its fields.
type Record = (usize, Vec<Vec<u8>>);

/// The csv crate's records of a file, each with the line an editor shows it on (as
/// `src/data/read/differential.rs` computes it).
fn records(bytes: &[u8]) -> Vec<Record> {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(bytes);
    let mut record = csv::ByteRecord::new();
    let mut out = Vec::new();
    while reader.read_byte_record(&mut record).unwrap_or(false) {
        let mut first = record.position().map_or(0, |p| p.byte()) as usize;
        if first == 0 && bytes.starts_with(b"\xef\xbb\xbf") {
            first = 3;
        }
        while matches!(bytes.get(first), Some(b'\r' | b'\n')) {
            first += 1;
        }
        out.push((line_at(bytes, first), record.iter().map(<[u8]>::to_vec).collect()));
    }
    out
}

/// The line of a byte: 1 + the `\n`, `\r\n` and lone `\r` before it.
fn line_at(bytes: &[u8], offset: usize) -> usize {
    let (mut line, mut i) = (1, 0);
    while i < offset.min(bytes.len()) {
        if bytes[i] == b'\n' || bytes[i] == b'\r' {
            line += 1;
            if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                i += 1;
            }
        }
        i += 1;
    }
    line
}

/// A header's column names, as the loader reads them (without spaces around, nor a byte-order mark).
fn names(header: &[Vec<u8>]) -> Vec<String> {
    header.iter().map(|h| String::from_utf8_lossy(h).trim_start_matches('\u{feff}').trim().to_string()).collect()
}

/// Every row of the file in focus (the one mutated) whose number of cells is not its header's must
/// be refused at its line (E0709).
fn uneven_rows_reported(schema: &model::Schema, errors: &[Diagnostic], input: &Input) -> Option<String> {
    let places: std::collections::HashSet<(&str, usize)> =
        errors.iter().filter_map(|e| e.cell().map(|p| (p.path.as_str(), p.line))).collect();
    let focus = input.files.get(input.focus).map_or("", |(n, _)| n.as_str());
    for table in &schema.tables {
        let name = format!("{}.csv", table.name);
        if name != focus {
            continue;
        }
        let Some((_, bytes)) = input.files.iter().find(|(n, _)| *n == name) else { continue };
        let records = records(bytes);
        let Some(((_, header), rows)) = records.split_first() else { continue };
        let names = names(header);
        // A header that lacks a declared column, or names one twice, is refused: its rows are not read.
        if table.columns.iter().any(|c| names.iter().filter(|n| **n == c.name).count() != 1) {
            continue;
        }
        let path = format!("data/{name}");
        for (line, fields) in rows {
            let reported = places.contains(&(path.as_str(), *line));
            if fields.len() != header.len() && !reported && errors.len() < 1000 {
                return Some(format!(
                    "{path}:{line} has {} cells where the header has {}, and nothing is reported on that line",
                    fields.len(),
                    header.len()
                ));
            }
        }
    }
    None
}

/// A data set that loaded must hold exactly what the csv crate reads, every cell as written.
fn same_as_csv_crate(schema: &model::Schema, dataset: &Dataset, input: &Input) -> Option<String> {
    for (t, table) in schema.tables.iter_enumerated() {
        let name = format!("{}.csv", table.name);
        let Some((_, bytes)) = input.files.iter().find(|(n, _)| *n == name) else { continue };
        let records = records(bytes);
        let loaded = &dataset.tables[t];
        let Some(((_, header), rows)) = records.split_first() else {
            return (loaded.rows != 0).then(|| format!("{name} has no header, yet {} rows were loaded", loaded.rows));
        };
        let names = names(header);
        if let Some(c) = table.columns.iter().find(|c| names.iter().filter(|n| **n == c.name).count() > 1) {
            return Some(format!("{name} names the column `{}` twice, and one of them was ignored", c.name));
        }
        if loaded.rows != rows.len() {
            return Some(format!("{name}: the csv crate reads {} rows, the loader {}", rows.len(), loaded.rows));
        }
        for (row, (line, fields)) in rows.iter().enumerate() {
            if loaded.lines.get(row).map(|&l| l as usize) != Some(*line) {
                return Some(format!(
                    "{name}: row {} is on line {line}, the loader says {:?}",
                    row + 1,
                    loaded.lines.get(row)
                ));
            }
            for (c, column) in table.columns.iter().enumerate() {
                let Some(at) = names.iter().position(|n| *n == column.name) else { continue };
                let written = fields.get(at).map(Vec::as_slice).unwrap_or_default();
                let id = model::ColumnId { table: t, column: c };
                if let Err(problem) = cell(schema, dataset, id, &column.ty, row as u32, written) {
                    let shown = written.escape_ascii();
                    return Some(format!("{name}:{line}: the `{}` cell written `{shown}` {problem}", column.name));
                }
            }
        }
    }
    None
}

/// Whether a loaded cell holds what was written.
fn cell(
    schema: &model::Schema,
    dataset: &Dataset,
    id: model::ColumnId,
    ty: &ColumnType,
    row: u32,
    written: &[u8],
) -> Result<(), String> {
    let text = std::str::from_utf8(written).map_err(|_| "is not UTF-8, yet was accepted".to_string())?;
    let column = &dataset.tables[id.table].columns[id.column];
    let empty = text.is_empty();
    let held = |present: bool| -> Result<(), String> {
        match (present, empty) {
            (true, true) => Err("is empty, yet a value was loaded".to_string()),
            (false, false) => Err("was loaded as empty".to_string()),
            _ => Ok(()),
        }
    };
    match column {
        Column::Text(values) => {
            let value = values.get(row as usize).copied().flatten().map(|s| dataset.strings.text(s));
            held(value.is_some())?;
            check(value.is_none_or(|v| v == text), || format!("was loaded as `{value:?}`"))
        }
        Column::Key(keys) => {
            let row = compplan::model::RowIdx::new(row as usize);
            check(keys.get(row) == Some(text), || format!("was loaded as the key `{:?}`", keys.get(row)))
        }
        Column::Number(values) => {
            let value = values.get(row as usize).copied().flatten();
            held(value.is_some())?;
            let Some(value) = value else { return Ok(()) };
            let plain =
                plain_decimal(text).ok_or_else(|| format!("is not a plain decimal, yet was loaded as {value}"))?;
            let expected = match ty {
                ColumnType::Percent => value.checked_mul(Decimal::ONE_HUNDRED),
                _ => Some(value),
            };
            check(expected == Some(plain), || format!("was loaded as {value}"))?;
            check(!matches!(ty, ColumnType::Integer) || plain.fract().is_zero(), || "is not whole".to_string())
        }
        Column::Date(values) => {
            let value = values.get(row as usize).copied().flatten();
            held(value.is_some())?;
            let parsed = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok().filter(|_| text.len() == 10);
            check(value.is_none() || value == parsed, || format!("was loaded as {value:?}"))
        }
        Column::Bool(values) => {
            let value = values.get(row as usize).copied().flatten();
            held(value.is_some())?;
            let parsed = match text {
                "true" => Some(true),
                "false" => Some(false),
                _ => None,
            };
            check(value.is_none() || value == parsed, || format!("was loaded as {value:?}"))
        }
        Column::Year(values) => {
            let value = values.get(row as usize).copied().flatten();
            held(value.is_some())?;
            let parsed =
                text.parse::<i32>().ok().filter(|_| text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit()));
            check(value.is_none() || value == parsed, || format!("was loaded as {value:?}"))
        }
        Column::Ref(values) => {
            let value = values.get(row as usize).copied().flatten();
            held(value.is_some())?;
            let Some(target) = value else { return Ok(()) };
            let Some(&(table, _)) = dataset.ref_targets.get(&id) else { return Err("refers to no table".to_string()) };
            let key = dataset.key_text(schema, table, target);
            check(key == text, || format!("refers to the row whose key is `{key}`"))
        }
    }
}

fn check(holds: bool, otherwise: impl FnOnce() -> String) -> Result<(), String> {
    if holds {
        Ok(())
    } else {
        Err(otherwise())
    }
}

/// A plain decimal (`-`, digits, maybe `.` and digits), its value.
fn plain_decimal(text: &str) -> Option<Decimal> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, "1"));
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(whole) || !all_digits(fraction) {
        return None;
    }
    Decimal::from_str_exact(text).ok()
}
