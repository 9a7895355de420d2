//! Mutations of text that any target uses: bytes flipped, inserted and deleted; tokens replaced by
//! words of the language (a dictionary read from the grammar and the seeds); lines duplicated,
//! deleted and spliced in from other seeds; numbers, dates and percents replaced by extreme ones;
//! deep nesting, long operator chains, many repeated lines and large files; other line endings.

use compplan::Random;
use std::ops::Range;

/// The largest file a mutation may produce; bigger results are undone.
pub const MAX_FILE: usize = 512 << 10;

/// Bytes that matter to the parsers: delimiters, quotes, line ends, a byte-order mark's bytes,
/// bytes that are not UTF-8, and the first byte of a two-byte character.
const INTERESTING_BYTES: &[u8] = b"\0\t\n\r \"\\,;:{}()[]/%.-+*=<>#\x7f\xc3\xa9\xef\xbb\xbf\xff\xe2\x80";

/// Numbers at the edges of what a decimal holds, and small ones that change meanings.
pub const NUMBERS: &[&str] = &[
    "0",
    "1",
    "-1",
    "100",
    "0.5",
    "00",
    "007",
    "1.0",
    "12.",
    ".5",
    "1e3",
    "1E-3",
    "79228162514264337593543950335",
    "79228162514264337593543950336",
    "7922816251426433759354395033.5",
    "0.0000000000000000000000000001",
    "0.00000000000000000000000000001",
    "99999999999999999999999999999999999999",
    "1000000000000000000000000000",
    "4294967296",
    "18446744073709551616",
    "9223372036854775807",
    "340282366920938463463374607431768211456",
];

/// Dates at the edges of the range data and plans hold, and days that do not exist.
pub const DATES: &[&str] = &[
    "2026-01-01",
    "2026-12-31",
    "2026-02-29",
    "2024-02-29",
    "0000-01-01",
    "9999-12-31",
    "1899-12-31",
    "1900-01-01",
    "2199-12-31",
    "2200-01-01",
    "2026-13-01",
    "2026-00-10",
    "2026-04-31",
];

/// What a mutation may take lines and words from: the other seeds.
pub struct Donors<'a> {
    /// Files of other inputs.
    pub files: Vec<&'a [u8]>,
}

impl Donors<'_> {
    /// A random line of a random donor (with its line break), if any donor has one.
    pub fn line(&self, random: &mut Random) -> Option<Vec<u8>> {
        let file = *self.files.get(random.below(self.files.len() as u64) as usize)?;
        let lines = line_ranges(file);
        let range = lines.get(random.below(lines.len() as u64) as usize)?.clone();
        Some(file[range].to_vec())
    }

    /// A random donor file.
    pub fn file(&self, random: &mut Random) -> Option<&[u8]> {
        self.files.get(random.below(self.files.len() as u64) as usize).copied()
    }
}

/// A random element of a non-empty slice.
pub fn pick<'t, T>(random: &mut Random, items: &'t [T]) -> &'t T {
    &items[random.below(items.len() as u64) as usize]
}

/// A random position in `0..=len`.
pub fn position(random: &mut Random, len: usize) -> usize {
    random.below(len as u64 + 1) as usize
}

/// A count from 1 to `max`, small counts far more often than large ones.
pub fn small(random: &mut Random, max: u64) -> u64 {
    let bits = 64 - max.leading_zeros() as u64;
    let limit = 1u64 << random.below(bits + 1);
    1 + random.below(limit.min(max))
}

/// Each line's range, its line break included (`\n`, `\r\n` or a lone `\r`).
pub fn line_ranges(bytes: &[u8]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let (mut start, mut i) = (0, 0);
    while i < bytes.len() {
        let end = match bytes[i] {
            b'\n' => Some(i + 1),
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => Some(i + 2),
            b'\r' => Some(i + 1),
            _ => None,
        };
        match end {
            Some(end) => {
                out.push(start..end);
                start = end;
                i = end;
            }
            None => i += 1,
        }
    }
    if start < bytes.len() {
        out.push(start..bytes.len());
    }
    out
}

/// The ranges of words (letters, digits, `_`, `.`, `%`, `-` runs) and of single other bytes that
/// are not spaces.
pub fn token_ranges(bytes: &[u8]) -> Vec<Range<usize>> {
    let word = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'%' | b'-') || b >= 0x80;
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if word(b) {
            let start = i;
            while i < bytes.len() && word(bytes[i]) {
                i += 1;
            }
            out.push(start..i);
        } else {
            if !matches!(b, b' ' | b'\t' | b'\n' | b'\r') {
                out.push(i..i + 1);
            }
            i += 1;
        }
    }
    out
}

/// The words of a dictionary: the grammar's keywords and operators, numbers, dates, percents and
/// currencies, and identifiers and dotted names found in the seeds.
pub fn plan_dictionary(grammar: &str, seeds: &[&[u8]]) -> Vec<Vec<u8>> {
    let mut words: Vec<String> = Vec::new();
    for line in grammar.lines().filter(|l| l.starts_with("kw_")) {
        if let Some(word) = line.split('"').nth(1) {
            words.push(word.to_string());
        }
    }
    for op in [
        "+",
        "-",
        "−",
        "*",
        "×",
        "/",
        "÷",
        "=",
        "==",
        "!=",
        ">=",
        "<=",
        ">",
        "<",
        "≥",
        "≤",
        "≠",
        "(",
        ")",
        "{",
        "}",
        ",",
        ";",
        ":",
        ".",
        "%",
        "\"",
        "//",
        "///",
        "\\",
        "\"\\n\"",
        "\"\\t\"",
        "\"a\\\"b\"",
    ] {
        words.push(op.to_string());
    }
    words.extend(NUMBERS.iter().map(|n| n.to_string()));
    words.extend(DATES.iter().map(|d| d.to_string()));
    for percent in ["0%", "50%", "100%", "150%", "1e26%", "0.0001%", "100000000000000000000000000%"] {
        words.push(percent.to_string());
    }
    for money in ["1 USD", "5000 USD", "0 EUR", "79228162514264337593543950335 USD", "USD", "EUR", "GBP"] {
        words.push(money.to_string());
    }
    for period in ["2026-03", "2026-Q1", "2026-Q5", "2026", "2026-13"] {
        words.push(period.to_string());
    }
    let mut seen = std::collections::BTreeSet::new();
    for seed in seeds {
        for range in token_ranges(seed) {
            let token = &seed[range];
            if token.len() >= 2 && token.len() <= 40 && token[0].is_ascii_alphabetic() && seen.len() < 4000 {
                seen.insert(token.to_vec());
            }
        }
    }
    let mut out: Vec<Vec<u8>> = words.into_iter().map(String::into_bytes).collect();
    out.extend(seen);
    out.sort();
    out.dedup();
    out
}

/// Applies one to eight of the mutations below to `bytes`, in place.
pub fn havoc(random: &mut Random, bytes: &mut Vec<u8>, dictionary: &[Vec<u8>], donors: &Donors) {
    let rounds = small(random, 8);
    for _ in 0..rounds {
        let before = bytes.clone();
        mutate_once(random, bytes, dictionary, donors);
        if bytes.len() > MAX_FILE {
            *bytes = before;
        }
    }
}

/// One mutation, chosen at random (large ones rarely).
pub fn mutate_once(random: &mut Random, bytes: &mut Vec<u8>, dictionary: &[Vec<u8>], donors: &Donors) {
    match random.below(40) {
        0..=2 => flip_bit(random, bytes),
        3..=4 => set_byte(random, bytes),
        5..=6 => insert_bytes(random, bytes),
        7..=8 => delete_range(random, bytes),
        9 => duplicate_range(random, bytes),
        10..=13 => replace_token(random, bytes, dictionary),
        14..=16 => insert_token(random, bytes, dictionary),
        17 => delete_token(random, bytes),
        18 => swap_tokens(random, bytes),
        19..=20 => duplicate_line(random, bytes),
        21..=22 => delete_line(random, bytes),
        23 => swap_lines(random, bytes),
        24..=25 => insert_donor_line(random, bytes, donors),
        26 => splice_donor(random, bytes, donors),
        27..=29 => replace_number(random, bytes),
        30 => line_endings(random, bytes),
        31 => text_escapes(random, bytes),
        // Large inputs take long to run: one input in fifty or so gets one.
        32 if random.below(10) == 0 => match random.below(8) {
            0..=1 => nest(random, bytes),
            2..=3 => chain(random, bytes),
            4..=6 => repeat_line(random, bytes),
            _ => grow(random, bytes),
        },
        _ => replace_token(random, bytes, dictionary),
    }
}

fn flip_bit(random: &mut Random, bytes: &mut [u8]) {
    if !bytes.is_empty() {
        let at = random.below(bytes.len() as u64) as usize;
        bytes[at] ^= 1 << random.below(8);
    }
}

fn set_byte(random: &mut Random, bytes: &mut [u8]) {
    if !bytes.is_empty() {
        let at = random.below(bytes.len() as u64) as usize;
        bytes[at] = *pick(random, INTERESTING_BYTES);
    }
}

fn insert_bytes(random: &mut Random, bytes: &mut Vec<u8>) {
    let at = position(random, bytes.len());
    let count = small(random, 8) as usize;
    let inserted: Vec<u8> = (0..count).map(|_| *pick(random, INTERESTING_BYTES)).collect();
    bytes.splice(at..at, inserted);
}

fn delete_range(random: &mut Random, bytes: &mut Vec<u8>) {
    if bytes.is_empty() {
        return;
    }
    let at = random.below(bytes.len() as u64) as usize;
    let len = small(random, (bytes.len() - at) as u64) as usize;
    bytes.drain(at..at + len);
}

fn duplicate_range(random: &mut Random, bytes: &mut Vec<u8>) {
    if bytes.is_empty() {
        return;
    }
    let at = random.below(bytes.len() as u64) as usize;
    let len = small(random, (bytes.len() - at).min(256) as u64) as usize;
    let copy = bytes[at..at + len].to_vec();
    let to = position(random, bytes.len());
    bytes.splice(to..to, copy);
}

fn replace_token(random: &mut Random, bytes: &mut Vec<u8>, dictionary: &[Vec<u8>]) {
    let tokens = token_ranges(bytes);
    if tokens.is_empty() || dictionary.is_empty() {
        return;
    }
    let range = pick(random, &tokens).clone();
    let word = pick(random, dictionary).clone();
    bytes.splice(range, word);
}

fn insert_token(random: &mut Random, bytes: &mut Vec<u8>, dictionary: &[Vec<u8>]) {
    if dictionary.is_empty() {
        return;
    }
    let tokens = token_ranges(bytes);
    let at = if tokens.is_empty() { 0 } else { pick(random, &tokens).end };
    let mut word = vec![b' '];
    word.extend_from_slice(pick(random, dictionary).as_slice());
    if random.below(2) == 0 {
        word.push(b' ');
    }
    bytes.splice(at..at, word);
}

fn delete_token(random: &mut Random, bytes: &mut Vec<u8>) {
    let tokens = token_ranges(bytes);
    if !tokens.is_empty() {
        let range = pick(random, &tokens).clone();
        bytes.drain(range);
    }
}

fn swap_tokens(random: &mut Random, bytes: &mut Vec<u8>) {
    let tokens = token_ranges(bytes);
    if tokens.len() < 2 {
        return;
    }
    let (a, b) = (pick(random, &tokens).clone(), pick(random, &tokens).clone());
    let (first, second) = if a.start < b.start { (a, b) } else { (b, a) };
    if first.end > second.start {
        return;
    }
    let (x, y) = (bytes[first.clone()].to_vec(), bytes[second.clone()].to_vec());
    bytes.splice(second, x);
    bytes.splice(first, y);
}

fn duplicate_line(random: &mut Random, bytes: &mut Vec<u8>) {
    let lines = line_ranges(bytes);
    if !lines.is_empty() {
        let line = bytes[pick(random, &lines).clone()].to_vec();
        let at = pick(random, &lines).start;
        bytes.splice(at..at, line);
    }
}

fn delete_line(random: &mut Random, bytes: &mut Vec<u8>) {
    let lines = line_ranges(bytes);
    if !lines.is_empty() {
        let first = random.below(lines.len() as u64) as usize;
        let count = small(random, (lines.len() - first).min(8) as u64) as usize;
        bytes.drain(lines[first].start..lines[first + count - 1].end);
    }
}

fn swap_lines(random: &mut Random, bytes: &mut Vec<u8>) {
    let lines = line_ranges(bytes);
    if lines.len() >= 2 {
        let (a, b) = (random.below(lines.len() as u64) as usize, random.below(lines.len() as u64) as usize);
        let (a, b) = (a.min(b), a.max(b));
        if a != b {
            let (x, y) = (bytes[lines[a].clone()].to_vec(), bytes[lines[b].clone()].to_vec());
            bytes.splice(lines[b].clone(), x);
            bytes.splice(lines[a].clone(), y);
        }
    }
}

fn insert_donor_line(random: &mut Random, bytes: &mut Vec<u8>, donors: &Donors) {
    let Some(mut line) = donors.line(random) else { return };
    if !line.ends_with(b"\n") && !line.ends_with(b"\r") {
        line.push(b'\n');
    }
    let lines = line_ranges(bytes);
    let at = if lines.is_empty() { 0 } else { pick(random, &lines).start };
    bytes.splice(at..at, line);
}

fn splice_donor(random: &mut Random, bytes: &mut Vec<u8>, donors: &Donors) {
    let Some(donor) = donors.file(random) else { return };
    let (ours, theirs) = (line_ranges(bytes), line_ranges(donor));
    if ours.is_empty() || theirs.is_empty() {
        return;
    }
    let cut = pick(random, &ours).start;
    let from = pick(random, &theirs).start;
    bytes.truncate(cut);
    bytes.extend_from_slice(&donor[from..]);
}

/// Replaces a number (or a date, a percent) with one at an edge.
fn replace_number(random: &mut Random, bytes: &mut Vec<u8>) {
    let tokens: Vec<Range<usize>> =
        token_ranges(bytes).into_iter().filter(|r| bytes[r.start].is_ascii_digit()).collect();
    if tokens.is_empty() {
        return;
    }
    let range = pick(random, &tokens).clone();
    let old = bytes[range.clone()].to_vec();
    let mut new: Vec<u8> = if old.len() == 10 && old[4] == b'-' {
        pick(random, DATES).as_bytes().to_vec()
    } else {
        pick(random, NUMBERS).as_bytes().to_vec()
    };
    if old.ends_with(b"%") {
        new.push(b'%');
    }
    bytes.splice(range, new);
}

/// Wraps a token in many parentheses or calls, or puts many `not`s, signs or `of`s before it:
/// around the nesting limit (64) most often, far beyond it sometimes.
fn nest(random: &mut Random, bytes: &mut Vec<u8>) {
    let tokens = token_ranges(bytes);
    if tokens.is_empty() {
        return;
    }
    let range = pick(random, &tokens).clone();
    let depth = match random.below(4) {
        0 => 60 + random.below(10) as usize,
        1 => small(random, 400) as usize,
        2 => 64,
        _ => 65 + small(random, 20_000) as usize,
    };
    let (open, close): (&[u8], &[u8]) = match random.below(6) {
        0 => (b"(", b")"),
        1 => (b"max(0, ", b")"),
        2 => (b"not ", b""),
        3 => (b"-", b""),
        4 => (b"100% of ", b""),
        _ => (b"{", b"}"),
    };
    let mut wrapped = open.repeat(depth);
    wrapped.extend_from_slice(&bytes[range.clone()]);
    wrapped.extend_from_slice(&close.repeat(depth));
    bytes.splice(range, wrapped);
}

/// Puts a long chain of operators after a token.
fn chain(random: &mut Random, bytes: &mut Vec<u8>) {
    let tokens = token_ranges(bytes);
    if tokens.is_empty() {
        return;
    }
    let at = pick(random, &tokens).end;
    let ops: [&[u8]; 7] = [b" + 1", b" - 1 USD", b" * 2", b" / 3", b" and true", b" or false", b" + x"];
    let op = *pick(random, &ops);
    let count = small(random, 12_000) as usize;
    bytes.splice(at..at, op.repeat(count));
}

/// Repeats a line many times (the shape of the parser's worst inputs once).
fn repeat_line(random: &mut Random, bytes: &mut Vec<u8>) {
    let lines = line_ranges(bytes);
    if lines.is_empty() {
        return;
    }
    let line = bytes[pick(random, &lines).clone()].to_vec();
    let count = small(random, (MAX_FILE / line.len().max(1)).min(10_000) as u64) as usize;
    let at = pick(random, &lines).start;
    bytes.splice(at..at, line.repeat(count));
}

/// Rewrites every line break as `\r\n`, as a lone `\r`, or each at random, or drops the last one.
fn line_endings(random: &mut Random, bytes: &mut Vec<u8>) {
    let style = random.below(5);
    if style == 4 {
        while bytes.last().is_some_and(|b| matches!(b, b'\n' | b'\r')) {
            bytes.pop();
        }
        return;
    }
    let mut out = Vec::with_capacity(bytes.len() + bytes.len() / 16);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'\n' || b == b'\r' {
            if b == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                i += 1;
            }
            let choice = if style == 3 { random.below(3) } else { style };
            out.extend_from_slice([&b"\n"[..], b"\r\n", b"\r"][choice as usize]);
        } else {
            out.push(b);
        }
        i += 1;
    }
    *bytes = out;
}

/// Puts an escape (or a raw control byte) inside a quoted text.
fn text_escapes(random: &mut Random, bytes: &mut Vec<u8>) {
    let quotes: Vec<usize> = bytes.iter().enumerate().filter(|(_, &b)| b == b'"').map(|(i, _)| i + 1).collect();
    if quotes.is_empty() {
        return;
    }
    let at = *pick(random, &quotes);
    let escapes: [&[u8]; 10] = [b"\\n", b"\\t", b"\\\"", b"\\\\", b"\\", b"\x01", b"\x1b", b"\0", b"\x7f", b"\t"];
    let escape = *pick(random, &escapes);
    bytes.splice(at..at, escape.iter().copied());
}

/// Makes the file large: a range repeated up to a few hundred kilobytes.
fn grow(random: &mut Random, bytes: &mut Vec<u8>) {
    if bytes.is_empty() {
        bytes.push(*pick(random, INTERESTING_BYTES));
    }
    let at = random.below(bytes.len() as u64) as usize;
    let len = small(random, (bytes.len() - at).min(64) as u64) as usize;
    let chunk = bytes[at..at + len].to_vec();
    let target = 1 + random.below((MAX_FILE / 2) as u64) as usize;
    let count = (target / chunk.len().max(1)).max(1);
    bytes.splice(at..at, chunk.repeat(count));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_tokens() {
        assert_eq!(line_ranges(b"a\r\nb\rc\nd"), vec![0..3, 3..5, 5..7, 7..8]);
        assert_eq!(token_ranges(b"x = a.b + 12%"), vec![0..1, 2..3, 4..7, 8..9, 10..13]);
    }
}
