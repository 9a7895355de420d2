//! Byte offsets to and from the positions editors send: a line and a column counted in UTF-16 code
//! units, which is what the Language Server Protocol uses unless both sides agree otherwise.
//!
//! The compiler counts in bytes (pest, codespan and the syntax tree all do); `€` is three bytes and one
//! UTF-16 unit, `😀` four bytes and two units. These functions are the only place that converts, so
//! a hover after a comment with non-ASCII text lands on the right word.

use crate::ast::Span;
use crate::source::LineIndex;

/// A position as the protocol counts it: a line from 0, and a column from 0 in UTF-16 code units.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Utf16Position {
    /// The line, from 0.
    pub line: u32,
    /// The column, from 0, in UTF-16 code units.
    pub character: u32,
}

/// The protocol position of a byte offset (clamped to the text, and moved back to the start of the
/// character it falls inside).
pub fn to_utf16(text: &str, index: &LineIndex, offset: usize) -> Utf16Position {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let line = index.line_of(offset);
    let start = index.line_start(line).unwrap_or(0).min(offset);
    let character: usize = text[start..offset].chars().map(char::len_utf16).sum();
    Utf16Position { line: saturate(line), character: saturate(character) }
}

/// The byte offset of a protocol position. A column past the end of its line means the end of the
/// line (before its line break), a line past the end means the end of the text, and a column inside
/// a surrogate pair means the start of that character: editors send such positions, and none of them
/// is worth an error.
pub fn from_utf16(text: &str, index: &LineIndex, position: Utf16Position) -> usize {
    let Some(start) = index.line_start(position.line as usize) else { return text.len() };
    let end = index.line_start(position.line as usize + 1).unwrap_or(text.len());
    // The line without its break (`\n`, `\r\n` or a lone `\r`, as the line index counts them).
    let line = text[start..end].strip_suffix('\n').unwrap_or(&text[start..end]);
    let line = line.strip_suffix('\r').unwrap_or(line);
    let mut units = 0usize;
    for (i, c) in line.char_indices() {
        let next = units + c.len_utf16();
        if next > position.character as usize {
            return start + i;
        }
        units = next;
    }
    start + line.len()
}

/// The protocol range of a span.
pub fn span_to_utf16(text: &str, index: &LineIndex, span: Span) -> (Utf16Position, Utf16Position) {
    (to_utf16(text, index, span.start), to_utf16(text, index, span.end))
}

fn saturate(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::{from_utf16, to_utf16, Utf16Position};
    use crate::source::LineIndex;

    fn pos(line: u32, character: u32) -> Utf16Position {
        Utf16Position { line, character }
    }

    #[test]
    fn columns_count_utf16_units() {
        // `€` is 3 bytes and 1 unit; `😀` is 4 bytes and 2 units.
        let text = "// 1 € = 1.08 $\nmeasure b = x // 😀 ok\r\nz";
        let index = LineIndex::new(text);
        let b = text.find("= 1.08").unwrap();
        assert_eq!(to_utf16(text, &index, b), pos(0, 7));
        assert_eq!(from_utf16(text, &index, pos(0, 7)), b);
        let ok = text.find("ok").unwrap();
        assert_eq!(to_utf16(text, &index, ok), pos(1, 20));
        assert_eq!(from_utf16(text, &index, pos(1, 20)), ok);
        let z = text.find('z').unwrap();
        assert_eq!(to_utf16(text, &index, z), pos(2, 0));
    }

    #[test]
    fn a_lone_carriage_return_ends_a_line() {
        let text = "plan a {\r  measure m = x\r\n}\r";
        let index = LineIndex::new(text);
        let m = text.find('m').unwrap();
        assert_eq!(to_utf16(text, &index, m), pos(1, 2));
        assert_eq!(from_utf16(text, &index, pos(1, 2)), m);
        // Past the end of a line ended by a lone `\r`: before it.
        assert_eq!(from_utf16(text, &index, pos(0, 99)), text.find('\r').unwrap());
        assert_eq!(to_utf16(text, &index, text.find('}').unwrap()), pos(2, 0));
    }

    #[test]
    fn out_of_range_positions_are_clamped() {
        let text = "ab😀\ncd";
        let index = LineIndex::new(text);
        let emoji = text.find('😀').unwrap();
        // Inside the surrogate pair: the start of the character.
        assert_eq!(from_utf16(text, &index, pos(0, 3)), emoji);
        // Past the end of the line: before the line break.
        assert_eq!(from_utf16(text, &index, pos(0, 99)), text.find('\n').unwrap());
        // Past the last line: the end of the text.
        assert_eq!(from_utf16(text, &index, pos(9, 0)), text.len());
        // Inside a character's bytes: its start.
        assert_eq!(to_utf16(text, &index, emoji + 1), pos(0, 2));
        assert_eq!(to_utf16(text, &index, 999), pos(1, 2));
    }
}
