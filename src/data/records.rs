//! Cutting a block of CSV into records, each with the line of the file it starts on.
//!
//! A record is what the csv crate reads (`csv::ReaderBuilder::new().has_headers(false).flexible(true)`,
//! byte records): fields end at commas and records at `\n`, `\r\n` or a lone `\r`; a field that
//! starts with a quote runs to its closing quote (`""` inside it is one quote), while a quote
//! anywhere else in a field is literal; blank lines are skipped; a UTF-8 byte-order mark is dropped
//! at the start of the file only.
//!
//! A record's line is 1 + the line breaks before its first byte, a line break being `\n`, `\r\n`
//! (counted once) or a lone `\r`, inside quoted fields too: the line an editor shows it on.
//!
//! Most blocks are plain: UTF-8 without a quote, every `\r` just before a `\n`. Those are cut at
//! commas and newlines directly, several times faster than a general CSV reader. Any other block
//! is read by csv-core, the state machine inside the csv crate, so that both agree by construction.

/// One record of a block: its fields, `None` for a field that is not UTF-8. csv-core reads every
/// input (it prefers a parse over no parse), so there is no record that cannot be read.
pub(crate) struct Record<'r> {
    /// The line the record starts on.
    pub(crate) line: u32,
    /// The offset of the record's first byte in the block.
    pub(crate) start: usize,
    /// The fields, `None` for one that is not UTF-8.
    pub(crate) fields: &'r [Option<&'r str>],
    /// The fields as read when one may not be UTF-8 (to show the line as it is in the file).
    pub(crate) raw: Option<&'r [&'r [u8]]>,
}

impl Record<'_> {
    /// The text of a record's line, and where each field starts and how wide it is (in characters),
    /// for a diagnostic's snippet.
    pub(crate) fn text(&self) -> (String, Vec<(usize, usize)>) {
        match self.raw {
            Some(raw) => line_of(raw.iter().copied()),
            None => line_of(self.fields.iter().map(|f| f.unwrap_or_default().as_bytes())),
        }
    }
}

/// A record's fields as the text of its line, and where each field starts (in characters).
pub(crate) fn line_of<'f>(fields: impl IntoIterator<Item = &'f [u8]>) -> (String, Vec<(usize, usize)>) {
    let mut text = String::new();
    let mut spans = Vec::new();
    // Characters are counted as the line grows: counting the whole line again at each field took
    // seconds for a line of a hundred thousand commas (found by the fuzzer).
    let mut length = 0;
    for (i, field) in fields.into_iter().enumerate() {
        if i > 0 {
            text.push(',');
            length += 1;
        }
        let field = String::from_utf8_lossy(field);
        let count = field.chars().count();
        text.push_str(&field);
        spans.push((length + 1, count.max(1)));
        length += count;
    }
    (text, spans)
}

/// The UTF-8 byte-order mark, which some programs write at the start of a file.
const BOM: &[u8] = b"\xef\xbb\xbf";

/// Calls `each` with every record of a block of whole records that starts at line `first_line`
/// (never at the start of the file: the header comes first, see [`header`]), until it returns false.
pub(crate) fn each(bytes: &[u8], first_line: u32, each: impl FnMut(Record<'_>) -> bool) {
    match plain(bytes) {
        Some(text) => cut_plain(text, first_line, each),
        None => cut_general(bytes, first_line, each),
    }
}

/// A file's header, from its first block: the first record's fields, its line, and the offset
/// where the records after it start (past its line break, never between `\r` and `\n`). `None`
/// when the block holds no record (only blank lines).
pub(crate) fn header(bytes: &[u8], first_line: u32, file_start: bool) -> Option<(Vec<Vec<u8>>, u32, usize)> {
    let mut reader = Reader::new(bytes, file_start);
    let mut lines = Lines { bytes, at: 0, line: first_line };
    let (start, _) = reader.next()?;
    let fields = reader.fields().map(<[u8]>::to_vec).collect();
    Some((fields, lines.of(start), reader.end()))
}

/// The end of the last whole record of `bytes`, past its line break and any blank lines after it:
/// where a block can end, because csv-core, reading from the start of `bytes` (the file's start when
/// `file_start`), is between records there. Never between the `\r` and the `\n` of a `\r\n`, nor
/// after a `\r` that ends `bytes` (its `\n` may come next). `None` when no record ends in `bytes`.
///
/// This mirrors csv-core's state machine as far as it decides where records end: a quote opens a
/// quoted field only at the start of a field, and a quoted field closes at a quote not followed by
/// another. csv-core itself, several times slower per byte, would make this pass (serial, over
/// every byte of a file with quotes) the slowest part of loading one; the differential test checks
/// that both agree at random prefixes of random tables.
pub(crate) fn last_boundary(bytes: &[u8], file_start: bool) -> Option<usize> {
    let is_break = |b: u8| b == b'\n' || b == b'\r';
    // Whether a block may end at `at`, just after a line break.
    let may_end = |at: usize| !(bytes[at - 1] == b'\r' && bytes.get(at).is_none_or(|&b| b == b'\n'));
    if !holds_quote_or_return(bytes).0 {
        // Without quotes, every line break ends a record or a blank line.
        let last = bytes.iter().rposition(|&b| is_break(b))?;
        return match may_end(last + 1) {
            true => Some(last + 1),
            false => bytes[..last].iter().rposition(|&b| is_break(b)).map(|i| i + 1),
        };
    }
    let mut at = if file_start && bytes.starts_with(BOM) { BOM.len() } else { 0 };
    let mut cut = None;
    while at < bytes.len() {
        if is_break(bytes[at]) {
            at += 1;
        } else {
            match record_end(bytes, at) {
                Some(end) => at = end,
                None => return cut,
            }
        }
        if may_end(at) {
            cut = Some(at);
        }
    }
    cut
}

/// Where the record that starts at `at` ends, past its line break; `None` when it runs to the end
/// of `bytes`.
fn record_end(bytes: &[u8], mut at: usize) -> Option<usize> {
    loop {
        // A quoted field runs to the first quote not followed by another (`""` is a quote in it).
        if bytes.get(at) == Some(&b'"') {
            at += 1;
            loop {
                at = find_any(bytes, at, [b'"'])? + 1;
                if bytes.get(at) != Some(&b'"') {
                    break;
                }
                at += 1;
            }
        }
        // Then (or else) up to the next comma or line break: a quote here is text.
        at = find_any(bytes, at, [b',', b'\n', b'\r'])? + 1;
        if bytes[at - 1] != b',' {
            return Some(at);
        }
    }
}

/// Cuts a plain block (see [`plain`]), jumping from delimiter to delimiter (commas and newlines,
/// both ASCII, so every cut is on a character boundary).
fn cut_plain(text: &str, first_line: u32, mut each: impl FnMut(Record<'_>) -> bool) {
    let bytes = text.as_bytes();
    let mut fields: Vec<Option<&str>> = Vec::new();
    let (mut start, mut line) = (0, first_line);
    // Where the record being cut starts.
    let mut record = 0;
    let mut at = 0;
    while let Some(i) = next_delimiter(bytes, at) {
        at = i + 1;
        if bytes[i] == b',' {
            fields.push(text.get(start..i));
            start = i + 1;
            continue;
        }
        let end = if i > start && bytes[i - 1] == b'\r' { i - 1 } else { i };
        fields.push(text.get(start..end));
        let blank = fields.len() == 1 && end == start;
        if !blank && !each(Record { line, start: record, fields: &fields, raw: None }) {
            return;
        }
        fields.clear();
        (start, line) = (i + 1, line + 1);
        record = start;
    }
    // A last record without a line break after it: its last field is what follows the last comma,
    // empty when the block ends with one (`A9,…,false,,` has two empty fields at its end). A plain
    // block cannot end with `\r` (it would not be followed by `\n`).
    if start < bytes.len() || !fields.is_empty() {
        fields.push(text.get(start..));
        each(Record { line, start: record, fields: &fields, raw: None });
    }
}

/// The first comma or newline at or after `from`.
fn next_delimiter(bytes: &[u8], from: usize) -> Option<usize> {
    find_any(bytes, from, [b',', b'\n'])
}

/// The first byte at or after `from` that is one of `targets`, eight bytes at a time: in a word,
/// the bytes that equal a target are found with integer arithmetic ("has a zero byte" on the word
/// XOR the target). That test may also flag bytes above a true match, never below one, so the
/// lowest flagged byte is always a target.
#[inline(always)]
fn find_any<const N: usize>(bytes: &[u8], from: usize, targets: [u8; N]) -> Option<usize> {
    const LOW: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let matches = |word: u64, byte: u8| {
        let x = word ^ (LOW * u64::from(byte));
        x.wrapping_sub(LOW) & !x & HIGH
    };
    let mut at = from;
    while let Some(chunk) = bytes.get(at..at + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let word = u64::from_le_bytes(word);
        let found = targets.iter().fold(0, |found, &t| found | matches(word, t));
        if found != 0 {
            return Some(at + (found.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    bytes.get(at..)?.iter().position(|b| targets.contains(b)).map(|i| at + i)
}

/// The text of a block that can be cut at commas and newlines: valid UTF-8, no quotes, and carriage
/// returns only before newlines.
fn plain(bytes: &[u8]) -> Option<&str> {
    let (quote, carriage_return) = holds_quote_or_return(bytes);
    if quote || (carriage_return && count_lone_returns(bytes) > 0) {
        return None;
    }
    std::str::from_utf8(bytes).ok()
}

/// Whether `bytes` hold a `"`, and whether they hold a `\r`: one pass over 64-byte chunks that the
/// compiler vectorises (several times cheaper than two searches byte by byte).
pub(crate) fn holds_quote_or_return(bytes: &[u8]) -> (bool, bool) {
    let mark = |found: u8, &b: &u8| found | u8::from(b == b'"') | (u8::from(b == b'\r') << 1);
    let chunks = bytes.chunks_exact(64);
    let rest = chunks.remainder().iter().fold(0, mark);
    let found = chunks.fold(rest, |found, c| found | c.iter().fold(0, mark));
    (found & 1 != 0, found & 2 != 0)
}

/// Reads a block that is not plain with csv-core.
fn cut_general(bytes: &[u8], first_line: u32, mut each: impl FnMut(Record<'_>) -> bool) {
    let mut reader = Reader::new(bytes, false);
    let mut lines = Lines { bytes, at: 0, line: first_line };
    // The two lists are emptied and their memory reused from record to record.
    let (mut raw_spare, mut fields_spare): (Vec<&[u8]>, Vec<Option<&str>>) = (Vec::new(), Vec::new());
    while let Some((start, _)) = reader.next() {
        let line = lines.of(start);
        let mut raw = reuse(raw_spare);
        raw.extend(reader.fields());
        let mut fields = reuse(fields_spare);
        fields.extend(raw.iter().map(|f| std::str::from_utf8(f).ok()));
        if !each(Record { line, start, fields: &fields, raw: Some(&raw) }) {
            return;
        }
        (raw_spare, fields_spare) = (reuse(raw), reuse(fields));
    }
}

/// An empty list in the memory of `list`, for values that borrow something else: collecting an
/// emptied list's iterator into a list of the same layout reuses its memory.
fn reuse<T, U>(mut list: Vec<T>) -> Vec<U> {
    list.clear();
    list.into_iter().filter_map(|_| None).collect()
}

/// A csv-core reader from the readers this thread has used, reset, and given back when dropped.
/// Building one computes its state machine, which costs more than reading a small file (and its
/// `Clone` copies only part of that machine, so a reader cannot be copied from one built once).
struct Core(Option<csv_core::Reader>);

thread_local! {
    static SPARE_CORES: std::cell::RefCell<Vec<csv_core::Reader>> = const { std::cell::RefCell::new(Vec::new()) };
}

impl Core {
    fn take() -> Core {
        let spare = SPARE_CORES.with(|spare| spare.borrow_mut().pop());
        Core(Some(spare.map_or_else(csv_core::Reader::new, |mut core| {
            core.reset();
            core
        })))
    }
}

impl std::ops::Deref for Core {
    type Target = csv_core::Reader;
    fn deref(&self) -> &csv_core::Reader {
        self.0.as_ref().unwrap_or_else(|| unreachable!("a core is only taken when dropped"))
    }
}

impl std::ops::DerefMut for Core {
    fn deref_mut(&mut self) -> &mut csv_core::Reader {
        self.0.as_mut().unwrap_or_else(|| unreachable!("a core is only taken when dropped"))
    }
}

impl Drop for Core {
    fn drop(&mut self) {
        if let Some(core) = self.0.take() {
            SPARE_CORES.with(|spare| {
                let mut spare = spare.borrow_mut();
                if spare.len() < 4 {
                    spare.push(core);
                }
            });
        }
    }
}

/// csv-core over one block of whole records, a record at a time, with each record's first byte.
pub(crate) struct Reader<'b> {
    bytes: &'b [u8],
    core: Core,
    /// How many bytes csv-core has read.
    at: usize,
    /// The unquoted bytes of the last record's fields, and where each field ends in them.
    output: Vec<u8>,
    ends: Vec<usize>,
    fields: usize,
}

impl<'b> Reader<'b> {
    /// A reader of `bytes`, which start the file when `file_start` is true: only then is a
    /// byte-order mark at their start dropped.
    pub(crate) fn new(bytes: &'b [u8], file_start: bool) -> Reader<'b> {
        let mut core = Core::take();
        // csv-core drops a byte-order mark from the start of the first input it is given, which
        // for a block after the first is not the file's start. An empty first input (at the end
        // of nothing, a reader stays ready for a record) turns that off; the file's own mark is
        // skipped here instead.
        let _ = core.read_record(&[], &mut [], &mut []);
        let at = if file_start && bytes.starts_with(BOM) { BOM.len() } else { 0 };
        Reader { bytes, core, at, output: vec![0; 256], ends: vec![0; 16], fields: 0 }
    }

    /// Reads the next record: where its first byte is, and whether a line break ends it (rather
    /// than the end of the block). `None` after the last record.
    pub(crate) fn next(&mut self) -> Option<(usize, bool)> {
        // Between records, csv-core skips line breaks (blank lines): the record starts after them.
        let start = self.at + self.bytes[self.at..].iter().position(|&b| b != b'\r' && b != b'\n')?;
        let (mut written, mut ended) = (0, 0);
        loop {
            let input = &self.bytes[self.at..];
            let (result, read, wrote, end) =
                self.core.read_record(input, &mut self.output[written..], &mut self.ends[ended..]);
            self.at += read;
            written += wrote;
            ended += end;
            match result {
                // Once the input is all read, an empty input asks csv-core for the last record.
                csv_core::ReadRecordResult::InputEmpty => {}
                csv_core::ReadRecordResult::OutputFull => self.output.resize(self.output.len() * 2, 0),
                csv_core::ReadRecordResult::OutputEndsFull => self.ends.resize(self.ends.len() * 2, 0),
                csv_core::ReadRecordResult::Record => {
                    self.fields = ended;
                    return Some((start, !input.is_empty()));
                }
                csv_core::ReadRecordResult::End => return None,
            }
        }
    }

    /// The fields of the record last read, unquoted.
    pub(crate) fn fields(&self) -> impl Iterator<Item = &[u8]> {
        let ends = &self.ends[..self.fields];
        (0..ends.len()).map(move |i| &self.output[if i == 0 { 0 } else { ends[i - 1] }..ends[i]])
    }

    /// Where the record last read ends: past its line break, with both bytes of a `\r\n`.
    pub(crate) fn end(&self) -> usize {
        let after_return = self.at > 0 && self.bytes[self.at - 1] == b'\r';
        self.at + usize::from(after_return && self.bytes.get(self.at) == Some(&b'\n'))
    }
}

/// Line numbers of byte offsets, read forward.
struct Lines<'b> {
    bytes: &'b [u8],
    at: usize,
    line: u32,
}

impl Lines<'_> {
    /// The line of the byte at `offset`, which is not a line break's byte (the first byte of a
    /// record), at or after the last offset asked for.
    fn of(&mut self, offset: usize) -> u32 {
        let offset = offset.clamp(self.at, self.bytes.len());
        self.line = self.line.saturating_add(count_breaks(&self.bytes[self.at..offset]) as u32);
        self.at = offset;
        self.line
    }
}

/// The number of line breaks in `bytes`: each `\n`, and each `\r` not followed by `\n` (a `\r\n`
/// is one break, counted at its `\n`). A `\r` that ends `bytes` counts: no caller ends a slice
/// between the `\r` and the `\n` of a `\r\n`. It runs over every byte of every file, so each count
/// is written for the compiler to vectorise, and most files have no `\r` to look for.
pub(crate) fn count_breaks(bytes: &[u8]) -> usize {
    let newlines = count_newlines(bytes);
    match holds_quote_or_return(bytes) {
        (_, false) => newlines,
        (_, true) => newlines + count_lone_returns(bytes),
    }
}

/// The number of `\n` bytes. Counting a 64-byte chunk into a byte cannot overflow, and becomes a
/// few vector instructions.
fn count_newlines(bytes: &[u8]) -> usize {
    let chunks = bytes.chunks_exact(64);
    let rest = chunks.remainder().iter().filter(|&&b| b == b'\n').count();
    chunks.map(|c| usize::from(c.iter().fold(0u8, |n, &b| n + u8::from(b == b'\n')))).sum::<usize>() + rest
}

/// The number of `\r` bytes not followed by `\n` (the last byte has nothing after it): each byte is
/// compared with the next, 64 pairs at a time.
fn count_lone_returns(bytes: &[u8]) -> usize {
    let Some((&last, _)) = bytes.split_last() else { return 0 };
    let (these, next) = (&bytes[..bytes.len() - 1], &bytes[1..]);
    let lone = |(&this, &next): (&u8, &u8)| u8::from(this == b'\r' && next != b'\n');
    let whole = these.len() - these.len() % 64;
    let chunks = these.chunks_exact(64).zip(next.chunks_exact(64));
    let counted = chunks.map(|(t, n)| usize::from(t.iter().zip(n).fold(0u8, |s, p| s + lone(p)))).sum::<usize>();
    let rest = these[whole..].iter().zip(&next[whole..]).map(|p| usize::from(lone(p))).sum::<usize>();
    counted + rest + usize::from(last == b'\r')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each record's line and first field, read by the fast path or (with a quote added) by csv-core.
    fn read(text: &str) -> Vec<(u32, String)> {
        let mut out = Vec::new();
        each(text.as_bytes(), 1, |r| {
            out.push((r.line, r.fields[0].unwrap_or_default().trim_matches('"').to_string()));
            true
        });
        out
    }

    /// Each record's fields joined by `|`.
    fn cut(text: &[u8]) -> Vec<String> {
        let mut out = Vec::new();
        each(text, 1, |r| {
            out.push(r.fields.iter().map(|f| f.unwrap_or("<not UTF-8>")).collect::<Vec<_>>().join("|"));
            true
        });
        out
    }

    /// A line of 200,000 fields (the fuzzer's header of commas) is laid out in one pass: each
    /// field's column is counted from the one before.
    #[test]
    fn a_line_of_many_fields_is_laid_out_at_once() {
        let fields: Vec<&[u8]> = std::iter::repeat_n(&b"\xc3\xa9"[..], 200_000).collect();
        let (text, spans) = line_of(fields);
        assert_eq!(text.chars().count(), 2 * 200_000 - 1);
        assert_eq!(spans[0], (1, 1));
        assert_eq!(spans[199_999], (2 * 199_999 + 1, 1), "é,é,…: the last field starts at character 399,999");
        let (_, empty) = line_of([&b""[..], b"", b"ab"]);
        assert_eq!(empty, [(1, 1), (2, 1), (3, 2)], "an empty field is shown one character wide");
    }

    #[test]
    fn both_readers_number_lines_alike() {
        let expected = vec![(1, "h".to_string()), (2, "a".to_string()), (4, "b".to_string())];
        for text in ["h\na\n\nb\n", "h\r\na\r\n\r\nb", "h\na\n\nb\n\n", "h\ra\r\rb", "h\ra\r\r\nb"] {
            assert_eq!(read(text), expected, "plain {text:?}");
            let quoted = text.replacen('h', "\"h\"", 1);
            assert_eq!(read(&quoted), expected, "quoted {quoted:?}");
        }
        // Fields longer and shorter than a word, and delimiters at every offset within one.
        let long = b"h,abcdefghijklmnopq,r\nabcdefg,x,\n,,,,,,,,\nlast";
        assert_eq!(cut(long), ["h|abcdefghijklmnopq|r", "abcdefg|x|", "||||||||", "last"]);
        // A quoted field across two lines: the next record starts two lines on, whatever the breaks.
        for (text, next) in [("\"x\ny\",1\nb,2\n", 3), ("\"x\r\ny\",1\r\nb,2", 3), ("\"x\r\ry\",1\rb,2", 4)] {
            assert_eq!(read(text)[1], (next, "b".to_string()), "{text:?}");
        }
    }

    #[test]
    fn a_last_row_without_a_line_break_keeps_its_empty_cells() {
        // Issue 11: `A9,…,false,,` without a final newline was dropped by the fast path.
        assert_eq!(cut(b"A1,x\nA9,false,,"), ["A1|x", "A9|false||"]);
        assert_eq!(cut(b"A9,"), ["A9|"]);
        assert_eq!(cut(b"\"A9\","), ["A9|"]);
        assert_eq!(cut(b"A9,\r"), ["A9|"]);
    }

    #[test]
    fn quotes_start_a_quoted_field_only_at_the_start_of_a_field() {
        // `5" disk` is literal; `"a""b"` is `a"b`; after a closing quote the field goes on.
        assert_eq!(cut(b"5\" disk,\"a\"\"b\",\"x\"y\n"), ["5\" disk|a\"b|xy"]);
        // A byte-order mark inside the file is text, and a block never starts the file.
        assert_eq!(cut(b"\xef\xbb\xbf\"x\",y\n"), ["\u{feff}\"x\"|y"]);
        assert_eq!(cut(b"a,\xff\n"), ["a|<not UTF-8>"]);
    }

    #[test]
    fn a_header_may_follow_a_byte_order_mark_and_blank_lines() {
        let text = b"\xef\xbb\xbf\r\n\r\n\"id\",name\r\nA1,x";
        let (fields, line, end) = header(text, 1, true).expect("a header");
        assert_eq!(fields, [b"id".to_vec(), b"name".to_vec()]);
        assert_eq!((line, &text[end..]), (3, &b"A1,x"[..]));
        // Not at the file's start, the mark is part of the first field.
        let (fields, _, _) = header(b"\xef\xbb\xbfid\n", 1, false).expect("a header");
        assert_eq!(fields, [b"\xef\xbb\xbfid".to_vec()]);
        assert!(header(b"\n\r\n", 1, true).is_none());
    }

    #[test]
    fn line_breaks_are_counted_once_each() {
        for (text, breaks) in [("", 0), ("a", 0), ("\n", 1), ("\r", 1), ("\r\n", 1), ("\n\r", 2), ("\r\r\n", 2)] {
            assert_eq!(count_breaks(text.as_bytes()), breaks, "{text:?}");
        }
        // Across the 64-byte chunks the counts work in, with `\r\n` and lone `\r` at every offset:
        // 200 `\n`, 200 `\r\n` and 200 lone `\r`.
        let text: String = (0..200)
            .map(|i| format!("{}\n{}\r\n{}\rw", "x".repeat(i % 7), "y".repeat(i % 3), "z".repeat(i % 5)))
            .collect();
        assert_eq!(count_breaks(text.as_bytes()), 600);
        assert_eq!(count_breaks(&text.as_bytes()[..text.len() - 1]), 600, "a `\\r` at the end counts");
        assert_eq!(count_breaks(&text.as_bytes()[..text.len() - 2]), 599);
    }
}
