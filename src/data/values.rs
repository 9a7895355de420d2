//! Reading one value from its text: exact decimals within the range a decimal holds, dates and
//! years within a documented range, and text without control characters. A refusal says why, so
//! that the cell's diagnostic can say it too.

use crate::model::{limits, ColumnType};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::borrow::Cow;

use crate::model::limits::{FIRST_YEAR, LAST_YEAR};
/// The most significant digits, and the most decimal places, of an exact decimal.
pub(crate) const MAX_DIGITS: u32 = 28;

/// Why a cell's text was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Refused {
    /// Not written as the column's type.
    Malformed,
    /// Well-formed, but beyond the limit this sentence states.
    OutOfRange(String),
    /// A key that is its value written another way than the one spelling keys are matched by
    /// (`007` for the integer key `7`): the spelling it must have.
    Respelled(String),
}

/// A strict plain decimal: an optional minus, digits, and optionally a dot and digits. No thousands
/// separators, no exponent, no plus sign, no spaces; at most 28 significant digits (leading zeros do
/// not count) and 28 decimal places. `-0` is zero.
pub(crate) fn decimal(text: &str) -> Result<Decimal, Refused> {
    let bytes = text.as_bytes();
    let (negative, digits) = match bytes.first() {
        Some(b'-') => (true, &bytes[1..]),
        _ => (false, bytes),
    };
    let mut mantissa: i128 = 0;
    let (mut scale, mut significant, mut int_digits) = (0u32, 0u32, 0u32);
    let mut seen_dot = false;
    for &c in digits {
        match c {
            b'0'..=b'9' => {
                if seen_dot {
                    scale = scale.saturating_add(1);
                } else {
                    int_digits = int_digits.saturating_add(1);
                }
                if mantissa == 0 && c == b'0' {
                    continue;
                }
                significant = significant.saturating_add(1);
                // Beyond the limit the text is still read to the end, to tell a long number from
                // text that is not a number; the mantissa stays below 10^28.
                if significant <= MAX_DIGITS {
                    mantissa = mantissa * 10 + i128::from(c - b'0');
                }
            }
            b'.' if !seen_dot => seen_dot = true,
            _ => return Err(Refused::Malformed),
        }
    }
    if int_digits == 0 || (seen_dot && scale == 0) {
        return Err(Refused::Malformed);
    }
    if significant > MAX_DIGITS {
        return Err(Refused::OutOfRange(format!("a number has at most {MAX_DIGITS} significant digits")));
    }
    if scale > MAX_DIGITS {
        return Err(Refused::OutOfRange(format!("a number has at most {MAX_DIGITS} decimal places")));
    }
    Decimal::try_from_i128_with_scale(if negative { -mantissa } else { mantissa }, scale)
        .map_err(|_| Refused::OutOfRange(format!("a number has at most {MAX_DIGITS} significant digits")))
}

/// A percentage written as a number (`50` for 50%), as a fraction (`0.5`), divided by 100 exactly.
pub(crate) fn percent(text: &str) -> Result<Decimal, Refused> {
    let mut value = decimal(text)?;
    // Trailing zeros do not count against the decimal places the division needs.
    if value.scale() + 2 > MAX_DIGITS {
        value = value.normalize();
    }
    Decimal::try_from_i128_with_scale(value.mantissa(), value.scale() + 2).map_err(|_| {
        Refused::OutOfRange(format!(
            "a percentage has at most {} decimal places, as it is divided by 100 exactly",
            MAX_DIGITS - 2
        ))
    })
}

/// A whole number: `12`, or `12.0` written by a spreadsheet (the same number); `12.5` is refused.
pub(crate) fn whole(text: &str) -> Result<Decimal, Refused> {
    let value = decimal(text)?;
    if value.fract().is_zero() {
        Ok(value.trunc())
    } else {
        Err(Refused::Malformed)
    }
}

/// A key of a type other than text, checked: keys are matched as written (a reference names its
/// row by the key's text), so each value must have one spelling. An integer is written without
/// leading zeros, decimals or a plus sign (`7`, not `007` or `7.0`); dates, years and currency
/// codes have one spelling already.
pub(crate) fn key(ty: &ColumnType, text: &str) -> Result<(), Refused> {
    match ty {
        ColumnType::Integer => {
            let spelled = whole(text)?.to_string();
            if spelled == text {
                Ok(())
            } else {
                Err(Refused::Respelled(spelled))
            }
        }
        ColumnType::Date => date(text).map(|_| ()),
        ColumnType::Year => year(text).map(|_| ()),
        ColumnType::Currency if !currency(text) => Err(Refused::Malformed),
        _ => Ok(()),
    }
}

/// Whether a text is a currency code: three capital letters.
pub(crate) fn currency(text: &str) -> bool {
    text.len() == 3 && text.bytes().all(|b| b.is_ascii_uppercase())
}

/// A strict ISO date (`YYYY-MM-DD`, a day that exists) from 1900-01-01 to 2199-12-31.
pub(crate) fn date(text: &str) -> Result<NaiveDate, Refused> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return Err(Refused::Malformed);
    }
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        b[range].iter().try_fold(0u32, |n, &c| c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0')))
    };
    let day = (|| NaiveDate::from_ymd_opt(digits(0..4)? as i32, digits(5..7)?, digits(8..10)?))()
        .ok_or(Refused::Malformed)?;
    if limits::date_in_range(day) {
        Ok(day)
    } else {
        Err(Refused::OutOfRange(limits::date_range()))
    }
}

/// A plan year: four digits, from 1900 to 2199.
pub(crate) fn year(text: &str) -> Result<i32, Refused> {
    if text.len() != 4 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Refused::Malformed);
    }
    let year: i32 = text.parse().map_err(|_| Refused::Malformed)?;
    if (FIRST_YEAR..=LAST_YEAR).contains(&year) {
        Ok(year)
    } else {
        Err(Refused::OutOfRange(format!("years run from {FIRST_YEAR} to {LAST_YEAR}")))
    }
}

/// Whether a character is refused in a cell ([`limits::is_refused_control`]).
fn refused(c: char) -> bool {
    limits::is_refused_control(c)
}

/// The first refused control character of a text, with its position in characters (from 1).
pub(crate) fn control(text: &str) -> Option<(usize, char)> {
    limits::control(text)
}

/// What is wrong with a text cell, if anything: a control character, or a space at either end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TextProblem {
    /// The first refused control character, with its position in characters (from 1).
    Control(usize, char),
    /// A space at the start (`true`) or the end (`false`).
    Space(bool, char),
}

/// Checks a text cell in one pass: printable ASCII (almost every cell) can only have a plain space
/// at either end, found by looking at its first and last bytes; any other text is read by
/// characters.
#[inline]
pub(crate) fn text_problem(text: &str) -> Option<TextProblem> {
    let bytes = text.as_bytes();
    if bytes.iter().all(|b| b.wrapping_sub(0x20) < 0x5f) && bytes.first() != Some(&b' ') && bytes.last() != Some(&b' ')
    {
        return None;
    }
    text_problem_by_characters(text)
}

#[cold]
#[inline(never)]
fn text_problem_by_characters(text: &str) -> Option<TextProblem> {
    if let Some((at, c)) = control(text) {
        return Some(TextProblem::Control(at, c));
    }
    limits::padding(text).map(|(start, c)| TextProblem::Space(start, c))
}

/// A text with each refused control character replaced by a visible one of the same width (`␀`
/// for NUL), so that a message or a snippet never prints one, and columns still line up.
pub(crate) fn visible(text: &str) -> Cow<'_, str> {
    if control(text).is_none() {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| match c as u32 {
                _ if !refused(c) => c,
                // The Unicode control pictures: ␀ (U+2400) to ␟ (U+241F), and ␡ for DEL.
                code @ 0..=0x1f => char::from_u32(0x2400 + code).unwrap_or('\u{fffd}'),
                0x7f => '\u{2421}',
                _ => '\u{fffd}',
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(value: Result<Decimal, Refused>) -> Result<String, Refused> {
        value.map(|d| d.to_string())
    }

    #[test]
    fn decimals_are_plain_and_exact() {
        assert_eq!(shown(decimal("1234.56")), Ok("1234.56".to_string()));
        assert_eq!(shown(decimal("-5")), Ok("-5".to_string()));
        assert_eq!(shown(decimal("0.10")), Ok("0.10".to_string()));
        assert_eq!(shown(decimal("0.05")), Ok("0.05".to_string()));
        // `-0` is zero, not a negative number.
        assert_eq!(decimal("-0").map(|d| d.is_sign_negative()), Ok(false));
        assert_eq!(decimal("-0.00").map(|d| d.is_zero() && !d.is_sign_negative()), Ok(true));
        // Leading zeros are not significant: 31 digits, one of them significant.
        assert_eq!(shown(decimal("0000000000000000000000000000001")), Ok("1".to_string()));
        // 28 significant digits, the most a decimal holds exactly.
        assert_eq!(shown(decimal("1234567890123456789012345678")), Ok("1234567890123456789012345678".to_string()));
        assert_eq!(shown(decimal("0.0000000000000000000000000001")), Ok("0.0000000000000000000000000001".to_string()));
        for bad in ["1,234.56", "1e3", "+5", " 5", "5.", ".5", "abc", "12.5 USD", "--5", "-", "1.2.3", ""] {
            assert_eq!(decimal(bad), Err(Refused::Malformed), "{bad}");
        }
        // A long text that is not a number is not "out of range".
        assert_eq!(decimal("12345678901234567890123456789012345x"), Err(Refused::Malformed));
    }

    #[test]
    fn decimals_beyond_28_digits_are_out_of_range() {
        let digits = Refused::OutOfRange("a number has at most 28 significant digits".to_string());
        assert_eq!(decimal("12345678901234567890123456789"), Err(digits.clone()));
        assert_eq!(decimal("-99999999999999999999999999999999"), Err(digits.clone()));
        assert_eq!(decimal("1.0000000000000000000000000000"), Err(digits));
        let places = Refused::OutOfRange("a number has at most 28 decimal places".to_string());
        assert_eq!(decimal("0.00000000000000000000000000001"), Err(places));
    }

    #[test]
    fn percentages_are_divided_by_100_exactly() {
        assert_eq!(shown(percent("50")), Ok("0.50".to_string()));
        assert_eq!(shown(percent("12.5")), Ok("0.125".to_string()));
        // 27 decimal places, all but one trailing zeros: the same number as `1.5`.
        assert_eq!(shown(percent("1.500000000000000000000000000")), Ok("0.015".to_string()));
        assert_eq!(
            percent("0.000000000000000000000000001"),
            Err(Refused::OutOfRange(
                "a percentage has at most 26 decimal places, as it is divided by 100 exactly".to_string()
            ))
        );
    }

    #[test]
    fn whole_numbers_may_be_written_with_a_zero_fraction() {
        assert_eq!(whole("12").map(|d| (d.to_string(), d.scale())), Ok(("12".to_string(), 0)));
        assert_eq!(whole("12.00").map(|d| (d.to_string(), d.scale())), Ok(("12".to_string(), 0)));
        assert_eq!(whole("-3.0").map(|d| d.to_string()), Ok("-3".to_string()));
        assert_eq!(whole("12.5"), Err(Refused::Malformed));
    }

    #[test]
    fn dates_are_iso_and_within_1900_to_2199() {
        assert!(date("2026-02-28").is_ok());
        assert!(date("1900-01-01").is_ok());
        assert!(date("2199-12-31").is_ok());
        for bad in ["2026-02-30", "2026-2-28", "28/02/2026", "2026-02-28T00:00", "2026-0a-28", "2026-00-10"] {
            assert_eq!(date(bad), Err(Refused::Malformed), "{bad}");
        }
        let range = Refused::OutOfRange("dates run from 1900-01-01 to 2199-12-31".to_string());
        for far in ["0000-01-01", "1899-12-31", "2200-01-01", "9999-12-31"] {
            assert_eq!(date(far), Err(range.clone()), "{far}");
        }
    }

    #[test]
    fn years_are_four_digits_within_1900_to_2199() {
        assert_eq!(year("2026"), Ok(2026));
        for bad in ["226", "-2026", "20260", "2O26", "+202"] {
            assert_eq!(year(bad), Err(Refused::Malformed), "{bad}");
        }
        let range = Refused::OutOfRange("years run from 1900 to 2199".to_string());
        assert_eq!(year("0000"), Err(range.clone()));
        assert_eq!(year("9999"), Err(range));
    }

    #[test]
    fn keys_have_one_spelling_for_each_value() {
        assert_eq!(key(&ColumnType::Integer, "7"), Ok(()));
        assert_eq!(key(&ColumnType::Integer, "-12"), Ok(()));
        assert_eq!(key(&ColumnType::Integer, "0"), Ok(()));
        for (written, spelled) in [("007", "7"), ("7.0", "7"), ("-0", "0"), ("00", "0")] {
            assert_eq!(key(&ColumnType::Integer, written), Err(Refused::Respelled(spelled.to_string())), "{written}");
        }
        assert_eq!(key(&ColumnType::Integer, "7.5"), Err(Refused::Malformed));
        assert_eq!(key(&ColumnType::Integer, "E7"), Err(Refused::Malformed));
        assert_eq!(key(&ColumnType::Date, "2026-03-01"), Ok(()));
        assert_eq!(key(&ColumnType::Date, "2026-3-1"), Err(Refused::Malformed));
        assert_eq!(key(&ColumnType::Year, "2026"), Ok(()));
        assert_eq!(key(&ColumnType::Currency, "EUR"), Ok(()));
        assert_eq!(key(&ColumnType::Currency, "eur"), Err(Refused::Malformed));
        assert_eq!(key(&ColumnType::Text, "007"), Ok(()), "text keys are kept as written");
    }

    #[test]
    fn a_text_cell_is_checked_for_control_characters_then_spaces_around_it() {
        assert_eq!(text_problem("Platform"), None);
        assert_eq!(text_problem("Alice Martin"), None);
        assert_eq!(text_problem("Zürich"), None);
        assert_eq!(text_problem("Plat\tform"), None);
        assert_eq!(text_problem("renewal "), Some(TextProblem::Space(false, ' ')));
        assert_eq!(text_problem(" renewal"), Some(TextProblem::Space(true, ' ')));
        assert_eq!(text_problem("renewal\u{a0}"), Some(TextProblem::Space(false, '\u{a0}')));
        assert_eq!(text_problem("\trenewal"), Some(TextProblem::Space(true, '\t')));
        assert_eq!(text_problem("re\0newal "), Some(TextProblem::Control(3, '\0')), "a control character first");
    }

    #[test]
    fn control_characters_other_than_tab_are_found_and_shown() {
        assert_eq!(control("Platform"), None);
        assert_eq!(control("Plat\tform"), None, "tab is allowed");
        assert_eq!(control("Zürich – Genève"), None, "other non-ASCII text is not a control character");
        assert_eq!(control("Plat\0form"), Some((5, '\0')));
        assert_eq!(control("a\nb"), Some((2, '\n')));
        assert_eq!(control("\u{1b}[31m"), Some((1, '\u{1b}')));
        assert_eq!(control("x\u{7f}"), Some((2, '\u{7f}')));
        assert_eq!(control("é\u{85}"), Some((2, '\u{85}')));
        assert_eq!(visible("Plat\0form\r\n\u{7f}\u{9b}\t"), "Plat␀form␍␊␡\u{fffd}\t");
        assert!(matches!(visible("Platform"), Cow::Borrowed(_)));
    }
}
