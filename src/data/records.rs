//! Cutting a block of CSV into records, each with the line of the file it starts on.
//!
//! Most files are plain: UTF-8 without a quote, lines ended by `\n` or `\r\n`. Those are cut at
//! newlines and commas directly, several times faster than a general CSV reader. Any other block
//! goes through the csv crate. Both skip blank lines and number lines the same way, counting every
//! newline of the file (the csv crate's own line numbers lag behind after blank lines and `\r\n`).

/// One record of a block.
pub(crate) enum Record<'r> {
    /// A record's fields, `None` for a field that is not UTF-8; `raw` holds the record as read when
    /// a field may not be (to show the line as it is in the file).
    Fields { line: u32, fields: &'r [Option<&'r str>], raw: Option<&'r csv::ByteRecord> },
    /// A record the csv reader could not read.
    Broken { line: u32, message: String },
}

impl Record<'_> {
    /// The text of a record's line, and where each field starts and how wide it is (in characters),
    /// for a diagnostic's snippet.
    pub(crate) fn text(&self) -> (String, Vec<(usize, usize)>) {
        match self {
            Record::Fields { raw: Some(raw), .. } => line_of(*raw),
            Record::Fields { fields, .. } => line_of(fields.iter().map(|f| f.unwrap_or_default().as_bytes())),
            Record::Broken { .. } => (String::new(), Vec::new()),
        }
    }
}

/// A record's fields as the text of its line, and where each field starts (in characters).
pub(crate) fn line_of<'f>(fields: impl IntoIterator<Item = &'f [u8]>) -> (String, Vec<(usize, usize)>) {
    let mut text = String::new();
    let mut spans = Vec::new();
    for (i, field) in fields.into_iter().enumerate() {
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

/// Calls `each` with every record of a block of whole lines that starts at line `first_line`, until
/// it returns false.
pub(crate) fn each(bytes: &[u8], first_line: u32, mut each: impl FnMut(Record<'_>) -> bool) {
    match plain(bytes) {
        Some(text) => {
            // Jumps from delimiter to delimiter (commas and newlines, both ASCII, so every cut is on
            // a character boundary).
            let bytes = text.as_bytes();
            let mut fields: Vec<Option<&str>> = Vec::new();
            let (mut start, mut line) = (0, first_line);
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
                if !blank && !each(Record::Fields { line, fields: &fields, raw: None }) {
                    return;
                }
                fields.clear();
                (start, line) = (i + 1, line + 1);
            }
            if start < bytes.len() {
                let end = bytes.len() - usize::from(bytes[bytes.len() - 1] == b'\r');
                fields.push(text.get(start..end));
                if !(fields.len() == 1 && end == start) {
                    each(Record::Fields { line, fields: &fields, raw: None });
                }
            }
        }
        None => quoted(bytes, first_line, each),
    }
}

/// The first comma or newline at or after `from`, eight bytes at a time: in a word, the bytes that
/// equal a delimiter are found with integer arithmetic ("has a zero byte" on the word XOR the
/// delimiter). That test may also flag bytes above a true match, never below one, so the lowest
/// flagged byte is always a delimiter.
fn next_delimiter(bytes: &[u8], from: usize) -> Option<usize> {
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
        let found = matches(word, b',') | matches(word, b'\n');
        if found != 0 {
            return Some(at + (found.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    bytes.get(at..)?.iter().position(|&b| b == b',' || b == b'\n').map(|i| at + i)
}

/// The text of a block that can be cut at commas and newlines: valid UTF-8, no quotes, and carriage
/// returns only before newlines.
fn plain(bytes: &[u8]) -> Option<&str> {
    if bytes.contains(&b'"') {
        return None;
    }
    let mut from = 0;
    while let Some(i) = bytes[from..].iter().position(|&b| b == b'\r') {
        if bytes.get(from + i + 1) != Some(&b'\n') {
            return None;
        }
        from += i + 1;
    }
    std::str::from_utf8(bytes).ok()
}

/// Reads a block with the csv crate, numbering lines from the byte where each record starts.
fn quoted(bytes: &[u8], first_line: u32, mut each: impl FnMut(Record<'_>) -> bool) {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(bytes);
    let mut record = csv::ByteRecord::new();
    let mut lines = Lines { bytes, at: 0, line: first_line };
    loop {
        let (line, result) = match reader.read_byte_record(&mut record) {
            Ok(false) => return,
            Ok(true) => (lines.of(record.position().map_or(0, |p| p.byte())), Ok(())),
            Err(e) => {
                let message = match e.kind() {
                    csv::ErrorKind::Utf8 { .. } => "this row is not valid UTF-8 text".to_string(),
                    _ => e.to_string(),
                };
                (lines.of(e.position().map_or(0, |p| p.byte())), Err(message))
            }
        };
        let go_on = match result {
            Ok(()) => {
                let fields: Vec<Option<&str>> = record.iter().map(|f| std::str::from_utf8(f).ok()).collect();
                each(Record::Fields { line, fields: &fields, raw: Some(&record) })
            }
            Err(message) => each(Record::Broken { line, message }),
        };
        if !go_on {
            return;
        }
    }
}

/// Line numbers of byte offsets, read forward. The csv reader reports a record as starting where
/// it began reading, before the line ends (and blank lines) it skipped: those are skipped here too.
struct Lines<'b> {
    bytes: &'b [u8],
    at: usize,
    line: u32,
}

impl Lines<'_> {
    fn of(&mut self, byte: u64) -> u32 {
        let byte = (byte as usize).clamp(self.at, self.bytes.len());
        self.line += super::read::count_newlines(&self.bytes[self.at..byte]) as u32;
        self.at = byte;
        while let Some(&b) = self.bytes.get(self.at).filter(|&&b| b == b'\r' || b == b'\n') {
            self.line += u32::from(b == b'\n');
            self.at += 1;
        }
        self.line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each record's line and first field, read by the fast path or (with a quote added) by the csv
    /// crate.
    fn read(text: &str) -> Vec<(u32, String)> {
        let mut out = Vec::new();
        each(text.as_bytes(), 1, |r| {
            if let Record::Fields { line, fields, .. } = r {
                out.push((line, fields[0].unwrap_or_default().trim_matches('"').to_string()));
            }
            true
        });
        out
    }

    #[test]
    fn both_readers_number_lines_alike() {
        let expected = vec![(1, "h".to_string()), (2, "a".to_string()), (4, "b".to_string())];
        for text in ["h\na\n\nb\n", "h\r\na\r\n\r\nb", "h\na\n\nb\n\n"] {
            assert_eq!(read(text), expected, "plain {text:?}");
            let quoted = text.replacen('h', "\"h\"", 1);
            assert_eq!(read(&quoted), expected, "quoted {quoted:?}");
        }
        // Fields longer and shorter than a word, and delimiters at every offset within one.
        let long = "h,abcdefghijklmnopq,r\nabcdefg,x,\n,,,,,,,,\nlast";
        let mut cut = Vec::new();
        each(long.as_bytes(), 1, |r| {
            if let Record::Fields { fields, .. } = r {
                cut.push(fields.iter().map(|f| f.unwrap_or_default()).collect::<Vec<_>>().join("|"));
            }
            true
        });
        assert_eq!(cut, ["h|abcdefghijklmnopq|r", "abcdefg|x|", "||||||||", "last"]);
        // A quoted field across two lines: the next record starts two lines on.
        assert_eq!(read("\"x\ny\",1\nb,2\n"), vec![(1, "x\ny".to_string()), (3, "b".to_string())]);
    }
}
