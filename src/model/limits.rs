//! The limits every value compplan holds respects, in data files and in plans alike: a plan can
//! never name a day the data cannot hold, nor a text no cell can hold (one with a space at either
//! end, or a control character).

use chrono::{Datelike, NaiveDate};

/// The first year of a date or a plan year. Earlier dates are placeholders (`0000-01-01`, or
/// `1899-12-30`, a spreadsheet's day 0) or typos, never a hire date, a deal or a plan's start.
pub const FIRST_YEAR: i32 = 1900;

/// The last year of a date or a plan year: room for far-off contract dates, but not for "no end"
/// placeholders such as `9999-12-31` (an optional date with no value is left empty), nor typos such
/// as `2206` for `2026`.
pub const LAST_YEAR: i32 = 2199;

/// Whether a day is within the dates compplan holds.
pub fn date_in_range(day: NaiveDate) -> bool {
    (FIRST_YEAR..=LAST_YEAR).contains(&day.year())
}

/// The sentence that says which dates are held, the same wherever a date is refused.
pub fn date_range() -> String {
    format!("dates run from {FIRST_YEAR}-01-01 to {LAST_YEAR}-12-31")
}

/// Whether a character is a space of some kind: Unicode white space (space, tab, no-break space,
/// the typographic spaces, the ideographic space…) and the invisible characters that pasted text
/// carries (zero-width space and joiners, word joiner, byte order mark). Text that begins or ends
/// with one looks like text without it, and never matches it.
pub fn is_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{180e}' | '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}')
}

/// Where a text has a space at its start or its end: `(true, c)` for the start, `(false, c)` for
/// the end, with the space. Most texts start and end with a printable ASCII character, and are
/// cleared by two byte comparisons, inlined where cells are read; the others are read by
/// characters.
#[inline]
pub fn padding(text: &str) -> Option<(bool, char)> {
    let plain = |b: u8| b > b' ' && b < 0x7f;
    match (text.as_bytes().first(), text.as_bytes().last()) {
        (Some(&a), Some(&z)) if plain(a) && plain(z) => None,
        (None, _) | (_, None) => None,
        _ => padding_by_characters(text),
    }
}

#[cold]
#[inline(never)]
fn padding_by_characters(text: &str) -> Option<(bool, char)> {
    let first = text.chars().next().filter(|&c| is_space(c)).map(|c| (true, c));
    first.or_else(|| text.chars().next_back().filter(|&c| is_space(c)).map(|c| (false, c)))
}

/// Whether a character is refused in text: every control character (U+0000 to U+001F, U+007F to
/// U+009F) except tab. Data files refuse a cell that holds one (E0715), and plans a text literal
/// (E0004): it is invisible or breaks a line, and no cell can hold it.
pub fn is_refused_control(c: char) -> bool {
    c.is_control() && c != '\t'
}

/// The first refused control character of a text, with its position in characters (from 1).
pub fn control(text: &str) -> Option<(usize, char)> {
    // Printable ASCII (0x20 to 0x7e) is one comparison a byte, and clears almost every cell; a
    // text with any other byte (a control character, or any non-ASCII character) is read by
    // characters.
    if text.bytes().all(|b| b.wrapping_sub(0x20) < 0x5f) {
        return None;
    }
    text.chars().enumerate().find(|&(_, c)| is_refused_control(c)).map(|(i, c)| (i + 1, c))
}

/// How a space is named in messages: `a space`, `a tab`, `a no-break space (U+00A0)`…
pub fn space_name(c: char) -> String {
    match c {
        ' ' => "a space".to_string(),
        '\t' => "a tab".to_string(),
        '\u{a0}' => "a no-break space (U+00A0)".to_string(),
        _ if c.is_whitespace() => format!("a Unicode space (U+{:04X})", u32::from(c)),
        _ => format!("an invisible character (U+{:04X})", u32::from(c)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spaces_at_either_end_are_found_inside_ones_are_not() {
        assert_eq!(padding("renewal"), None);
        assert_eq!(padding("Alice Martin"), None, "a space inside is text");
        assert_eq!(padding("Zürich"), None);
        assert_eq!(padding("é"), None, "non-ASCII letters at the ends are not spaces");
        assert_eq!(padding(""), None);
        assert_eq!(padding("renewal "), Some((false, ' ')));
        assert_eq!(padding(" renewal"), Some((true, ' ')));
        assert_eq!(padding("\trenewal"), Some((true, '\t')));
        assert_eq!(padding("renewal\u{a0}"), Some((false, '\u{a0}')));
        assert_eq!(padding("\u{3000}EMEA"), Some((true, '\u{3000}')));
        assert_eq!(padding("EMEA\u{200b}"), Some((false, '\u{200b}')));
        assert_eq!(padding("\u{feff}EMEA"), Some((true, '\u{feff}')));
        assert_eq!(padding(" "), Some((true, ' ')));
        assert_eq!(space_name('\u{2009}'), "a Unicode space (U+2009)");
        assert_eq!(space_name('\u{200b}'), "an invisible character (U+200B)");
    }

    #[test]
    fn control_characters_but_tab_are_found() {
        assert_eq!(control("renewal"), None);
        assert_eq!(control("a\tb"), None, "tab is text");
        assert_eq!(control("Zürich"), None);
        assert_eq!(control("a\nb"), Some((2, '\n')));
        assert_eq!(control("\u{1b}[0m"), Some((1, '\u{1b}')));
        assert_eq!(control("é\u{85}"), Some((2, '\u{85}')));
        assert_eq!(control("\0"), Some((1, '\0')));
    }

    #[test]
    fn dates_run_from_1900_to_2199() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("a day");
        assert!(date_in_range(day(1900, 1, 1)) && date_in_range(day(2199, 12, 31)));
        assert!(!date_in_range(day(1899, 12, 30)) && !date_in_range(day(2200, 1, 1)));
        assert!(!date_in_range(day(0, 1, 1)) && !date_in_range(day(9999, 12, 31)));
        assert_eq!(date_range(), "dates run from 1900-01-01 to 2199-12-31");
    }
}
