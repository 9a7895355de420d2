//! The CSV reader against the csv crate, on random tables: quoted fields with escaped quotes,
//! commas and line breaks inside, quotes inside unquoted fields, `\n`, `\r\n`, lone `\r` and mixed
//! line endings, blank lines, byte-order marks (at the start and elsewhere), bytes that are not
//! UTF-8, empty trailing cells, no final line break, and byte soup. Each table is read through the
//! whole pipeline with a tiny block size, so that over the cases a block's end falls at every
//! position, and must give the csv crate's records (`has_headers(false)`, `flexible(true)`, byte
//! records), field for field, each on the line an editor shows it on. Where a block may end is
//! also checked directly against csv-core, at random prefixes of each table.
//!
//! `COMPPLAN_CSV_CASES` sets the number of cases: 5,000 by default (a few seconds in a debug build),
//! and 1,000,000 for the ignored long run
//! (`COMPPLAN_CSV_CASES=1000000 cargo test --release --lib csv_reader_agrees -- --ignored`).

use super::{back, records, start, table_in_blocks, Blocks, Input};
use crate::data::{Column, Interner};
use crate::diagnostics::{codes, Diagnostic, Location};
use crate::model::{self, IdVec, TableId};
use crate::synthetic::Random;

/// A record: its line and its fields' bytes.
type Line = (u32, Vec<Vec<u8>>);

const BOM: &[u8] = b"\xef\xbb\xbf";

/// The number of cases to run: `COMPPLAN_CSV_CASES`, or `default`.
fn cases(default: u64) -> u64 {
    std::env::var("COMPPLAN_CSV_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(default)
}

#[test]
fn csv_reader_agrees_with_the_csv_crate() {
    assert_eq!(run(cases(5_000)), cases(5_000));
}

#[test]
#[ignore = "the long run: a million cases, about five minutes in a release build"]
fn csv_reader_agrees_with_the_csv_crate_long() {
    assert_eq!(run(cases(1_000_000)), cases(1_000_000));
}

/// Runs cases with seeds `0..count`, panicking at the first disagreement; returns how many ran.
fn run(count: u64) -> u64 {
    let mut ran = 0;
    for seed in 0..count {
        let mut random = Random::new(seed);
        let bytes = table(&mut random, false);
        let block = block_size(&mut random, bytes.len());
        let shown = bytes.escape_ascii().to_string();
        assert_eq!(pipeline(&bytes, block), reference(&bytes), "seed {seed}, blocks of {block}: {shown}");
        let file_start = random.below(2) == 0;
        for _ in 0..8 {
            let prefix = &bytes[..random.below(bytes.len() as u64 + 1) as usize];
            let (cut, expected) = (records::last_boundary(prefix, file_start), boundary(prefix, file_start));
            assert_eq!(
                cut,
                expected,
                "seed {seed}, file start {file_start}, last boundary of {}",
                prefix.escape_ascii()
            );
        }
        let bytes = table(&mut random, true);
        let block = block_size(&mut random, bytes.len());
        let shown = bytes.escape_ascii().to_string();
        let sized = random.below(2) == 0;
        assert_eq!(
            columns(&bytes, block, sized),
            expected_columns(&bytes),
            "seed {seed}, columns, blocks of {block}: {shown}"
        );
        assert_eq!(read_back(&bytes, block), expected_read_back(&bytes), "seed {seed}, rows read back: {shown}");
        ran += 1;
    }
    ran
}

/// A block size from 1 to the table's length and one more (a single block), small ones more often.
fn block_size(random: &mut Random, len: usize) -> usize {
    match random.below(3) {
        0 => 1 + random.below(4) as usize,
        _ => 1 + random.below(len as u64 + 1) as usize,
    }
}

/// The records through the blocks, the header and the record cutter, in order, as `place` reads a
/// file.
fn pipeline(bytes: &[u8], block: usize) -> Vec<Line> {
    let mut blocks = Blocks::new(Box::new(std::io::Cursor::new(bytes.to_vec())), block);
    let (header, mut next) = start(&mut blocks).expect("read from memory");
    let mut out = Vec::new();
    if next.is_some() {
        out.push((header.line, header.fields));
    }
    while let Some(block) = next {
        records::each(block.records(), block.line, |record| {
            {
                let records::Record { line, fields, raw, .. } = record;
                let fields = fields.iter().enumerate().map(|(i, field)| match raw {
                    Some(raw) => {
                        assert_eq!(
                            *field,
                            std::str::from_utf8(raw[i]).ok(),
                            "a field is text exactly when it is UTF-8"
                        );
                        raw[i].to_vec()
                    }
                    None => field.expect("a plain block is UTF-8").as_bytes().to_vec(),
                });
                out.push((line, fields.collect()));
            }
            true
        });
        next = blocks.next().expect("read from memory");
    }
    out
}

/// What [`records::last_boundary`] must give, from csv-core reading the records: the last position
/// just after a line break where csv-core is between records (after a record's line break, or on a
/// blank line), but not between `\r` and `\n`, nor after a `\r` that ends the bytes.
fn boundary(bytes: &[u8], file_start: bool) -> Option<usize> {
    let mut reader = records::Reader::new(bytes, file_start);
    let (mut between, mut from) = (Vec::new(), 0);
    loop {
        match reader.next() {
            Some((start, true)) => {
                between.push(from..=start);
                from = reader.end();
            }
            Some((start, false)) => {
                between.push(from..=start);
                break;
            }
            None => {
                between.push(from..=bytes.len());
                break;
            }
        }
    }
    let after_break = |at: usize| at > 0 && matches!(bytes[at - 1], b'\n' | b'\r');
    let inside_crlf = |at: usize| bytes[at - 1] == b'\r' && bytes.get(at).is_none_or(|&b| b == b'\n');
    between.into_iter().flatten().filter(|&at| after_break(at) && !inside_crlf(at)).max()
}

/// The csv crate's records, each with the line of its first byte.
fn reference(bytes: &[u8]) -> Vec<Line> {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(bytes);
    let mut record = csv::ByteRecord::new();
    let mut out = Vec::new();
    while reader.read_byte_record(&mut record).expect("byte records are always read") {
        // The csv crate gives where it started reading: before the byte-order mark (dropped at the
        // file's start) and the blank lines it skipped.
        let mut first = record.position().map_or(0, |p| p.byte()) as usize;
        if first == 0 && bytes.starts_with(BOM) {
            first = BOM.len();
        }
        while matches!(bytes.get(first), Some(b'\r' | b'\n')) {
            first += 1;
        }
        out.push((line_at(bytes, first), record.iter().map(<[u8]>::to_vec).collect()));
    }
    out
}

/// The line of a byte as an editor shows it: 1 + the `\n`, `\r\n` and lone `\r` before it.
fn line_at(bytes: &[u8], offset: usize) -> u32 {
    let (mut line, mut i) = (1, 0);
    while i < offset {
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

/// A table's rows (line and cells) and its errors (code and line), as the reader reads them.
type Loaded = (Vec<(u32, Vec<Option<String>>)>, Vec<(&'static str, usize)>);

/// The table `t`, the schema's only one.
const T: TableId = TableId::new(0);

/// The schema of the table `t`: three optional text columns `c0`, `c1`, `c2`.
fn schema() -> model::Schema {
    let text = |name: &str| model::Column { name: name.to_string(), ty: model::ColumnType::Text, optional: true };
    model::Schema {
        tables: IdVec::from(vec![model::Table {
            name: "t".to_string(),
            row_name: "t".to_string(),
            columns: vec![text("c0"), text("c1"), text("c2")],
            key: None,
        }]),
    }
}

/// The table `t` (see [`schema`]) read from `bytes`, in parallel blocks as every table is.
fn columns(bytes: &[u8], block: usize, sized: bool) -> Loaded {
    let schema = schema();
    let input = Input {
        path: "t.csv".to_string(),
        reader: Box::new(std::io::Cursor::new(bytes.to_vec())),
        size: sized.then_some(bytes.len() as u64),
    };
    let (mut strings, mut errors) = (Interner::default(), Vec::new());
    let (table, pending) = table_in_blocks(&schema, T, input, block, &IdVec::new(), &mut strings, &mut errors);
    assert!(pending.is_empty(), "no keys, no repeated keys");
    let rows = (0..table.rows)
        .map(|row| {
            let cells = table.columns.iter().map(|column| match column {
                Column::Text(values) => values[row].map(|sym| strings.text(sym).to_string()),
                _ => panic!("text columns"),
            });
            (table.lines[row], cells.collect())
        })
        .collect();
    let mut errors: Vec<(&str, usize)> = errors.iter().map(|e| (e.code.id, e.cell().map_or(0, |p| p.line))).collect();
    errors.sort();
    (rows, errors)
}

/// What [`columns`] must give, from the csv crate's records: the first is the header; a row with
/// another number of fields is an error on its line; a cell that is not UTF-8 is an error on its
/// row's line and left empty.
fn expected_columns(bytes: &[u8]) -> Loaded {
    let records = reference(bytes);
    let (header, rows) = records.split_first().expect("a header");
    assert_eq!(header.1, [b"c0", b"c1", b"c2"], "the generated header");
    let (mut out, mut errors) = (Vec::new(), Vec::new());
    for (line, fields) in rows {
        if fields.len() != header.1.len() {
            errors.push(("E0709", *line as usize));
            continue;
        }
        let cells = fields.iter().map(|f| match std::str::from_utf8(f) {
            Ok("") => None,
            // A line break or another control character (tab aside) in a cell is refused at it.
            Ok(text) if text.chars().any(|c| c.is_control() && c != '\t') => {
                errors.push(("E0715", *line as usize));
                None
            }
            // Text with whitespace at either end is refused at it (`renewal ` is not `renewal`).
            Ok(text) if compplan_padding(text) => {
                errors.push(("E0717", *line as usize));
                None
            }
            Ok(text) => Some(text.to_string()),
            Err(_) => {
                errors.push(("E0709", *line as usize));
                None
            }
        });
        out.push((*line, cells.collect()));
    }
    errors.sort();
    (out, errors)
}

/// A random table; with `header`, it starts with the header `c0,c1,c2` (maybe quoted, maybe after
/// a byte-order mark and blank lines) and most rows have three fields.
fn table(random: &mut Random, header: bool) -> Vec<u8> {
    let mut out = Vec::new();
    if random.below(6) == 0 {
        out.extend_from_slice(BOM);
    }
    // Line endings: all `\n`, all `\r\n`, all `\r`, or any mix.
    let style = random.below(4);
    let mut rows = random.below(7);
    if header {
        while random.below(4) == 0 {
            out.extend_from_slice(line_break(random, style));
        }
        out.extend_from_slice([&b"c0,c1,c2"[..], b"\"c0\",c1,\"c2\""][random.below(2) as usize]);
        out.extend_from_slice(line_break(random, style));
    }
    if random.below(5) == 0 {
        soup(random, &mut out);
        rows = 0;
    }
    for row in 0..rows {
        while random.below(5) == 0 {
            out.extend_from_slice(line_break(random, style));
        }
        let fields = if header && random.below(4) != 0 { 3 } else { 1 + random.below(4) };
        for i in 0..fields {
            if i > 0 {
                out.push(b',');
            }
            field(random, &mut out);
        }
        if row + 1 < rows || random.below(3) != 0 {
            out.extend_from_slice(line_break(random, style));
        }
    }
    out
}

/// A line break of a style (see [`table`]).
fn line_break(random: &mut Random, style: u64) -> &'static [u8] {
    const BREAKS: [&[u8]; 3] = [b"\n", b"\r\n", b"\r"];
    BREAKS[if style < 3 { style } else { random.below(3) } as usize]
}

/// One field: empty, unquoted (quotes inside are literal), quoted (anything inside, quotes
/// doubled, maybe text after the closing quote), or a quote never closed.
fn field(random: &mut Random, out: &mut Vec<u8>) {
    const TEXT: [&[u8]; 9] = [b"a", b"bc", b" ", "\u{e9}".as_bytes(), b"\xff", b"5\" disk", BOM, b"\xc3", b"x\"\"y"];
    const QUOTED: [&[u8]; 10] =
        [b"a", b",", b"\"\"", b"\n", b"\r\n", b"\r", "\u{e9}".as_bytes(), b"\xff", BOM, b"\"\"\""];
    match random.below(8) {
        0 | 1 => {}
        2..=4 => {
            for _ in 0..1 + random.below(4) {
                out.extend_from_slice(TEXT[random.below(TEXT.len() as u64) as usize]);
            }
        }
        kind => {
            out.push(b'"');
            for _ in 0..random.below(5) {
                out.extend_from_slice(QUOTED[random.below(QUOTED.len() as u64 - 1) as usize]);
            }
            if kind != 7 || random.below(4) != 0 {
                out.push(b'"');
                if random.below(6) == 0 {
                    out.extend_from_slice(QUOTED[random.below(QUOTED.len() as u64) as usize]);
                }
            }
        }
    }
}

/// Up to 40 bytes drawn from the bytes that matter to a CSV reader and a few that do not.
fn soup(random: &mut Random, out: &mut Vec<u8>) {
    const BYTES: &[u8] = b"a,\"\r\n\xef\xbb\xbf\xff\xc3\xa9 ";
    for _ in 0..random.below(41) {
        out.push(BYTES[random.below(BYTES.len() as u64) as usize]);
    }
}

/// Each row of the table `t` read from `bytes` in blocks of `block` bytes, then read back from its
/// checkpoint as a problem about its cell `c1` is: the line, the column, the width and the text.
fn read_back(bytes: &[u8], block: usize) -> Vec<(usize, usize, usize, String)> {
    let schema = schema();
    let input = |bytes: &[u8]| Input {
        path: "t.csv".to_string(),
        reader: Box::new(std::io::Cursor::new(bytes.to_vec())),
        size: None,
    };
    let (mut strings, mut errors) = (Interner::default(), Vec::new());
    let (table, _) = table_in_blocks(&schema, T, input(bytes), block, &IdVec::new(), &mut strings, &mut errors);
    let column = model::ColumnId { table: T, column: 1 };
    let mut problems: Vec<Diagnostic> = table
        .row_ids()
        .map(|row| Diagnostic::new(&codes::DUPLICATE_KEY, "row").at(Location::Row { column, row }, "here"))
        .collect();
    back::place_table(&schema.tables[T], &table, Some(input(bytes)), &mut problems);
    problems
        .iter()
        .map(|d| {
            let cell = d.cell().expect("every row is placed");
            (cell.line, cell.column, cell.width, cell.text.clone())
        })
        .collect()
}

/// What [`read_back`] must give, from the csv crate's records: each record with the header's
/// number of fields is a row, shown as its fields joined by commas, its second field underlined.
fn expected_read_back(bytes: &[u8]) -> Vec<(usize, usize, usize, String)> {
    let records = reference(bytes);
    let Some((header, rows)) = records.split_first() else { return Vec::new() };
    rows.iter()
        .filter(|(_, fields)| fields.len() == header.1.len())
        .map(|(line, fields)| {
            let (text, spans) = records::line_of(fields.iter().map(Vec::as_slice));
            let (column, width) = spans.get(1).copied().unwrap_or((1, 1));
            (*line as usize, column, width, text)
        })
        .collect()
}

/// Rows far from the first of their blocks are read back from the checkpoint before them (every
/// 64th row), in files of 2,000 rows with quoted fields across lines and every kind of line break,
/// read in blocks small and large.
#[test]
fn rows_are_read_back_from_their_checkpoints() {
    // Fields that matter to where a record starts and ends: commas in quotes, a quote inside an
    // unquoted field; now and then line breaks in quotes and text that is not UTF-8 (refused, and
    // the loader stops after 1,000 refusals).
    const FIELDS: [&[u8]; 4] = [b"", b"a", b"\"b,c\"", b"5\" disk"];
    const RARE: [&[u8]; 5] = [b"\"two\nlines\"", b"\"two\r\nlines\"", b"\"lone\rreturn\"", b"\xff", b"\"\"\"\""];
    for seed in 0..8 {
        let mut random = Random::new(seed);
        let mut bytes = if seed % 2 == 0 { BOM.to_vec() } else { Vec::new() };
        bytes.extend_from_slice(b"c0,c1,c2\r\n");
        for row in 0..2_000 {
            for i in 0..3 {
                if i > 0 {
                    bytes.push(b',');
                }
                let field = match random.below(40) {
                    0 => RARE[random.below(RARE.len() as u64) as usize],
                    _ => FIELDS[random.below(FIELDS.len() as u64) as usize],
                };
                bytes.extend_from_slice(field);
            }
            // Now and then a row with a field too many (not a row of the table) or a blank line.
            if row % 97 == 0 {
                bytes.extend_from_slice(b",extra");
            }
            bytes.extend_from_slice(line_break(&mut random, 3));
            if random.below(50) == 0 {
                bytes.extend_from_slice(line_break(&mut random, 3));
            }
        }
        let expected = expected_read_back(&bytes);
        assert!(expected.len() > 1_900, "seed {seed}: a long table, {} rows", expected.len());
        for block in [97, 4096, 1 << 20] {
            let got = read_back(&bytes, block);
            assert_eq!(got.len(), expected.len(), "seed {seed}, blocks of {block}: the rows");
            for (row, (got, expected)) in got.iter().zip(&expected).enumerate() {
                assert_eq!(got, expected, "seed {seed}, blocks of {block}, row {row}");
            }
        }
    }
}

/// Whether a cell starts or ends with whitespace, by the rule data files are held to.
fn compplan_padding(text: &str) -> bool {
    crate::model::limits::padding(text).is_some()
}
