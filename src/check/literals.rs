//! Checking the values a plan writes against what data can hold: a date outside the range of dates
//! in data files, or a text with a control character or a space at either end (which no cell may
//! hold), would make a condition that can never be what the plan means, so they are refused where
//! they are written.

use super::expr::Checker;
use crate::ast::{self, LiteralValue, Span};
use crate::diagnostics::codes;
use crate::model::limits;
use chrono::NaiveDate;

impl Checker<'_> {
    /// Reports a literal that no data value can equal: a date out of range, a text with a space
    /// at either end. The literal is lowered all the same, so that nothing else is reported.
    pub(crate) fn check_literal(&mut self, literal: &ast::Literal, span: Span) {
        match &literal.value {
            LiteralValue::Date(day) => {
                self.check_date(*day, span);
            }
            LiteralValue::Text(text) => self.check_text(text, span),
            _ => {}
        }
    }

    /// Whether a date written in the plan is within the dates data can hold (reported if not).
    pub(crate) fn check_date(&mut self, day: NaiveDate, span: Span) -> bool {
        if limits::date_in_range(day) {
            return true;
        }
        self.error(
            &codes::INVALID_LITERAL,
            format!("`{day}` is out of range: {}", limits::date_range()),
            span,
            "out of range",
        )
        .help = Some(format!(
            "write the real date: data files hold no other dates (a plan without a planned end may run to {}-12-31 at the latest)",
            limits::LAST_YEAR
        ));
        false
    }

    /// Reports a text written in the plan (a value compared with cells, a lookup key) that holds a
    /// control character (a line break or an escape, written raw or as `\n`; tab is text) or
    /// begins or ends with a space: data files refuse such cells, so it would never match.
    pub(crate) fn check_text(&mut self, text: &str, span: Span) {
        if let Some((at, c)) = limits::control(text) {
            self.error(
                &codes::INVALID_LITERAL,
                format!("the text {text:?} holds the control character U+{:04X} at character {at}: no data cell can hold it", u32::from(c)),
                span,
                "would never match",
            )
            .help = Some("remove it: data files refuse cells with a control character other than tab (`\\t`), so the text compares only with cells written without one".to_string());
            return;
        }
        let Some((start, space)) = limits::padding(text) else { return };
        let end = if start { "begins" } else { "ends" };
        let trimmed = text.trim_matches(limits::is_space);
        self.error(
            &codes::INVALID_LITERAL,
            format!("the text \"{}\" {end} with {}: no data cell can hold it", text.replace('\t', "\\t"), limits::space_name(space)),
            span,
            "would never match",
        )
        .help = Some(format!("write \"{trimmed}\": data files refuse cells that begin or end with a space, so the text compares only with cells written without one"));
    }
}
