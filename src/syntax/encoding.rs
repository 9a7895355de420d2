//! Plan files that are not UTF-8: how their bytes become text, and the error that says where.
//!
//! A file saved as Latin-1 or Windows-1252 (`Zürich` as the single byte 0xFC) is not refused whole:
//! each byte sequence that is not UTF-8 becomes `�` (U+FFFD), the file is checked like any other, and
//! the parser reports the first `�` with its line and column (E0010). The error keeps the plan from
//! running, because the characters meant there are unknown (`deal.region is "Z�rich"` would match no
//! row), while every other mistake in the file and in the other files is still reported. A `�` typed
//! as such is reported the same way: it only ever stands for characters that were lost.

use crate::ast::Span;
use crate::diagnostics::{codes, Diagnostic};

/// The replacement character that stands for bytes that were not UTF-8.
const REPLACEMENT: char = char::REPLACEMENT_CHARACTER;

/// A file's bytes as text: unchanged when they are UTF-8, otherwise with every invalid sequence
/// replaced by `�`, which [`super::parse`] reports. Callers that write a file back (the formatter)
/// must not write such a text: the parse error keeps the formatter from doing so.
pub fn decode(bytes: Vec<u8>) -> String {
    match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    }
}

/// The error for the first `�` of a text, naming the other lines that hold one.
pub(crate) fn replacement_characters(text: &str) -> Option<Diagnostic> {
    let first = text.find(REPLACEMENT)?;
    let span = Span::new(first, first + REPLACEMENT.len_utf8());
    let mut diagnostic = Diagnostic::new(&codes::NOT_UTF8, "this file is not UTF-8 text here")
        .primary(span, "bytes that are not UTF-8 (shown as `�`)")
        .help("save the file as UTF-8 and type the characters shown as `�` again");
    // The lines are counted in one pass: a line of a million `�` is read once, not once for each.
    let (mut line, mut counted_to, mut lines) = (1, 0, Vec::new());
    for (at, _) in text.match_indices(REPLACEMENT) {
        line += text[counted_to..at].matches('\n').count();
        counted_to = at;
        if lines.last() != Some(&line) {
            lines.push(line);
        }
    }
    let others: Vec<usize> = lines.into_iter().skip(1).collect();
    if !others.is_empty() {
        let shown: Vec<String> = others.iter().take(10).map(usize::to_string).collect();
        let more = if others.len() > 10 { format!(" and {} more", others.len() - 10) } else { String::new() };
        let lines = if others.len() == 1 { "line" } else { "lines" };
        diagnostic = diagnostic.note(format!("also on {lines} {}{more}", shown.join(", ")));
    }
    Some(diagnostic)
}

#[cfg(test)]
mod tests {
    use super::{decode, replacement_characters};

    #[test]
    fn invalid_bytes_become_replacement_characters_and_valid_text_is_unchanged() {
        assert_eq!(decode(b"Z\xfcrich".to_vec()), "Z\u{FFFD}rich");
        assert_eq!(decode("Zürich".as_bytes().to_vec()), "Zürich");
        assert_eq!(decode(b"\xff\xfe\xfd".to_vec()).chars().count(), 3);
    }

    #[test]
    fn the_first_replacement_is_reported_and_the_other_lines_are_named() {
        let text = decode(b"a\n\xe9t\xe9\nb\nc\xe9\n".to_vec());
        let d = replacement_characters(&text).expect("an error");
        assert_eq!(d.primary_label().and_then(|l| l.span()).map(|s| (s.start, s.end)), Some((2, 5)));
        assert_eq!(d.notes, ["also on line 4"]);
        assert!(replacement_characters("plain").is_none());
    }

    #[test]
    fn lines_full_of_replacements_are_each_named_once() {
        // A fuzzer's input: 250,000 invalid bytes on one line took 4 s when each `�` counted the
        // lines before it. The first is on line 2; lines 3 to 13 are the other eleven.
        let mut bytes = b"ok\n".to_vec();
        for line in 0..12 {
            bytes.extend(std::iter::repeat_n(0x80, 20_000 + line));
            bytes.push(b'\n');
        }
        let d = replacement_characters(&decode(bytes)).expect("an error");
        assert_eq!(d.notes, ["also on lines 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 and 1 more"]);
    }
}
