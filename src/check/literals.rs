//! Checking the values a plan writes against what data can hold: a date outside the range of dates
//! in data files, or a text with a control character or a space at either end (which no cell may
//! hold), would make a condition that can never be what the plan means, so they are refused where
//! they are written.

use super::expr::Checker;
use super::problems;
use crate::ast::{self, LiteralValue, Span};
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
        self.report(problems::date_out_of_range(day, span));
        false
    }

    /// Reports a text written in the plan (a value compared with cells, a lookup key) that holds a
    /// control character (a line break or an escape, written raw or as `\n`; tab is text) or
    /// begins or ends with a space: data files refuse such cells, so it would never match.
    pub(crate) fn check_text(&mut self, text: &str, span: Span) {
        if let Some((at, c)) = limits::control(text) {
            self.report(problems::control_in_text(text, at, c, span));
            return;
        }
        let Some((start, space)) = limits::padding(text) else { return };
        self.report(problems::padded_text(text, start, space, span));
    }
}
