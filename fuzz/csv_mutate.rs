//! Mutations that know what a CSV file is: a cell replaced by a value at an edge (a huge number,
//! a date out of range, a quote, a line break, a control character, a space at either end, a key
//! of another row), rows duplicated, deleted and cut short, header columns removed, renamed and
//! repeated, other line endings, byte-order marks, blank lines and no final line break.

use crate::mutate::{self, pick, position, small, Donors, DATES, NUMBERS};
use compplan::Random;

/// Cell values that data files get wrong, or that sit at an edge of what a column holds.
const CELLS: &[&str] = &[
    "",
    " ",
    "-0",
    "+5",
    "1,234.50",
    "0x1F",
    "NaN",
    "inf",
    "$100",
    "12.5 USD",
    "-20",
    "150",
    "100.0000",
    "99999999999999999999999999.99",
    "true",
    "false",
    "TRUE",
    "yes",
    "2026",
    "1899",
    "2200",
    "0000",
    "2026-1-5",
    "2026/01/05",
    "2026-01-05T00:00:00",
    "USD",
    "EUR",
    "usd",
    "US",
    "XXX",
    "€",
    "alice",
    "bob",
    "maria",
    "nobody",
    "A1",
    "P5",
    "\"\"",
    "\"a,b\"",
    "\"a\nb\"",
    "\"a\r\nb\"",
    "\"a\rb\"",
    "\"un\"terminated",
    "\"unterminated",
    "a\"b",
    "\"x\"y",
    "\0",
    "\u{1b}",
    "\u{7f}",
    "\u{85}",
    "\t",
    "a\tb",
    "\u{a0}x",
    "x\u{200b}",
    "\u{feff}",
    "\u{feff}x",
    "é",
    "😀",
    "\u{fffd}",
    "Alice Martin",
];

/// Applies one to four CSV mutations, and sometimes plain byte mutations as well.
pub fn havoc(random: &mut Random, bytes: &mut Vec<u8>, dictionary: &[Vec<u8>], donors: &Donors) {
    for _ in 0..small(random, 4) {
        let before = bytes.clone();
        match random.below(20) {
            0..=5 => replace_cell(random, bytes),
            6 => duplicate_row(random, bytes),
            7 => delete_row(random, bytes),
            8 => change_header(random, bytes),
            9 => cut_row(random, bytes),
            10 => add_cell(random, bytes),
            11 => copy_cell(random, bytes),
            12 => pad_cell(random, bytes),
            13 => byte_order_mark(random, bytes),
            14 => blank_lines(random, bytes),
            15 => quote_cell(random, bytes),
            _ => mutate::mutate_once(random, bytes, dictionary, donors),
        }
        if bytes.len() > mutate::MAX_FILE {
            *bytes = before;
        }
    }
}

/// The file's rows, each as its cells' byte ranges (a naive split at `,`, good enough to mutate).
fn rows(bytes: &[u8]) -> Vec<Vec<std::ops::Range<usize>>> {
    mutate::line_ranges(bytes)
        .into_iter()
        .map(|line| {
            let mut end = line.end;
            while end > line.start && matches!(bytes[end - 1], b'\n' | b'\r') {
                end -= 1;
            }
            let mut cells = Vec::new();
            let mut start = line.start;
            for (i, &b) in bytes.iter().enumerate().take(end).skip(line.start) {
                if b == b',' {
                    cells.push(start..i);
                    start = i + 1;
                }
            }
            cells.push(start..end);
            cells
        })
        .collect()
}

/// A random cell's range (of a data row when the file has one, else of the header).
fn any_cell(random: &mut Random, bytes: &[u8]) -> Option<std::ops::Range<usize>> {
    let rows = rows(bytes);
    let row = if rows.len() > 1 && random.below(8) != 0 {
        &rows[1 + random.below(rows.len() as u64 - 1) as usize]
    } else {
        rows.first()?
    };
    Some(pick(random, row).clone())
}

fn replace_cell(random: &mut Random, bytes: &mut Vec<u8>) {
    let Some(cell) = any_cell(random, bytes) else { return };
    let value: Vec<u8> = match random.below(4) {
        0 => pick(random, NUMBERS).as_bytes().to_vec(),
        1 => pick(random, DATES).as_bytes().to_vec(),
        _ => pick(random, CELLS).as_bytes().to_vec(),
    };
    bytes.splice(cell, value);
}

fn duplicate_row(random: &mut Random, bytes: &mut Vec<u8>) {
    let lines = mutate::line_ranges(bytes);
    if lines.len() < 2 {
        return;
    }
    let mut line = bytes[lines[1 + random.below(lines.len() as u64 - 1) as usize].clone()].to_vec();
    if !line.ends_with(b"\n") && !line.ends_with(b"\r") {
        line.push(b'\n');
    }
    let at = lines[1 + random.below(lines.len() as u64 - 1) as usize].start;
    bytes.splice(at..at, line);
}

fn delete_row(random: &mut Random, bytes: &mut Vec<u8>) {
    let lines = mutate::line_ranges(bytes);
    if lines.len() >= 2 {
        let line = lines[1 + random.below(lines.len() as u64 - 1) as usize].clone();
        bytes.drain(line);
    }
}

/// Removes, renames, repeats or swaps a header column.
fn change_header(random: &mut Random, bytes: &mut Vec<u8>) {
    let rows = rows(bytes);
    let Some(header) = rows.first() else { return };
    let cell = pick(random, header).clone();
    match random.below(4) {
        0 => {
            // The column and its comma.
            let end = if cell.end < bytes.len() && bytes[cell.end] == b',' { cell.end + 1 } else { cell.end };
            let start = if end == cell.end && cell.start > 0 && bytes[cell.start - 1] == b',' {
                cell.start - 1
            } else {
                cell.start
            };
            bytes.drain(start..end);
        }
        1 => {
            let name = pick(random, &["id", "ID", "Id ", " id", "amount", "currency", "\"id\"", "x"]);
            bytes.splice(cell, name.bytes());
        }
        2 => {
            let mut copy = bytes[cell.clone()].to_vec();
            copy.push(b',');
            bytes.splice(cell.start..cell.start, copy);
        }
        _ => {
            let other = pick(random, header).clone();
            if other.start > cell.end {
                let (x, y) = (bytes[cell.clone()].to_vec(), bytes[other.clone()].to_vec());
                bytes.splice(other, x);
                bytes.splice(cell, y);
            }
        }
    }
}

/// Drops the cells of a row from a random one on (an uneven row).
fn cut_row(random: &mut Random, bytes: &mut Vec<u8>) {
    let rows = rows(bytes);
    if rows.len() < 2 {
        return;
    }
    let row = &rows[1 + random.below(rows.len() as u64 - 1) as usize];
    let from = random.below(row.len() as u64) as usize;
    let start = if from == 0 { row[0].start } else { row[from].start - 1 };
    bytes.drain(start..row[row.len() - 1].end);
}

fn add_cell(random: &mut Random, bytes: &mut Vec<u8>) {
    let Some(cell) = any_cell(random, bytes) else { return };
    let mut value = b",".to_vec();
    value.extend_from_slice(pick(random, CELLS).as_bytes());
    bytes.splice(cell.end..cell.end, value);
}

/// Copies a cell of one row into the same column of another: repeated keys, known references.
fn copy_cell(random: &mut Random, bytes: &mut Vec<u8>) {
    let rows = rows(bytes);
    if rows.len() < 3 {
        return;
    }
    let from = &rows[1 + random.below(rows.len() as u64 - 1) as usize];
    let to = &rows[1 + random.below(rows.len() as u64 - 1) as usize];
    let column = random.below(from.len().min(to.len()) as u64) as usize;
    let value = bytes[from[column].clone()].to_vec();
    bytes.splice(to[column].clone(), value);
}

/// Puts a space of some kind at either end of a cell.
fn pad_cell(random: &mut Random, bytes: &mut Vec<u8>) {
    let Some(cell) = any_cell(random, bytes) else { return };
    let space = pick(random, &[" ", "\t", "\u{a0}", "\u{3000}", "\u{200b}", "\u{feff}", "  "]).as_bytes();
    let at = if random.below(2) == 0 { cell.start } else { cell.end };
    bytes.splice(at..at, space.iter().copied());
}

fn byte_order_mark(random: &mut Random, bytes: &mut Vec<u8>) {
    let at = if random.below(2) == 0 { 0 } else { position(random, bytes.len()) };
    bytes.splice(at..at, *b"\xef\xbb\xbf");
}

fn blank_lines(random: &mut Random, bytes: &mut Vec<u8>) {
    let lines = mutate::line_ranges(bytes);
    let at = if lines.is_empty() { 0 } else { pick(random, &lines).start };
    let blanks: [&[u8]; 6] = [b"\n", b"\r\n", b"\r", b"\n\n\n", b" \n", b",,\n"];
    let blank = *pick(random, &blanks);
    bytes.splice(at..at, blank.iter().copied());
}

/// Quotes a cell, maybe with a quote, a comma or a line break inside.
fn quote_cell(random: &mut Random, bytes: &mut Vec<u8>) {
    let Some(cell) = any_cell(random, bytes) else { return };
    let mut value = b"\"".to_vec();
    let inner = bytes[cell.clone()].to_vec();
    let at = position(random, inner.len());
    value.extend_from_slice(&inner[..at]);
    let inside: [&[u8]; 6] = [b"", b"\"\"", b",", b"\n", b"\r\n", b"\r"];
    let middle = *pick(random, &inside);
    value.extend_from_slice(middle);
    value.extend_from_slice(&inner[at..]);
    if random.below(8) != 0 {
        value.push(b'"');
    }
    bytes.splice(cell, value);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_cut_at_commas() {
        let r = rows(b"a,b\r\nc\n");
        assert_eq!(r, vec![vec![0..1, 2..3], vec![5..6]]);
    }
}
