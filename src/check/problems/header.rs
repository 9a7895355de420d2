//! Problems of a plan's header (`header.rs`): lines given twice or missing, dates, pay frequency,
//! fiscal year, rounding, and a currency the crediting rules do not keep credit in.

use super::{help_if, suggestion};
use crate::ast::{self, Ident, Span};
use crate::check::header::MONTHS;
use crate::diagnostics::{codes, did_you_mean, Diagnostic};
use chrono::NaiveDate;

/// A header line (`word` is its keyword) given a second time; `first` is the first.
pub(crate) fn header_line_twice(word: &str, span: Span, first: Span) -> Diagnostic {
    Diagnostic::new(&codes::REPEATED_HEADER, format!("`{word}` is given twice"))
        .primary(span, "given again here")
        .secondary(first, "first given here")
        .help("keep one of the two lines")
}

/// `effective FROM to TO` where TO is before FROM.
pub(crate) fn plan_ends_before_it_starts(from: NaiveDate, to: NaiveDate, span: Span) -> Diagnostic {
    Diagnostic::new(&codes::EMPTY_RANGE, format!("the plan ends ({to}) before it starts ({from})"))
        .primary(span, "no day is in this range")
}

/// `pay WORD` where WORD is not a pay frequency.
pub(crate) fn unknown_pay_frequency(word: &Ident) -> Diagnostic {
    let d = Diagnostic::new(&codes::INVALID_HEADER, format!("unknown pay frequency `{}`", word.text))
        .primary(word.span, "expected `monthly`, `quarterly`, `yearly`, `semi-monthly` or `biweekly from DATE`");
    let help = match word.text.to_lowercase().as_str() {
        "semimonthly" | "semi_monthly" | "semi" | "twice" => Some("write `semi-monthly`, with its hyphen".to_string()),
        "fortnightly" | "bi" | "bi_weekly" => {
            Some("write `biweekly from DATE`, the first day of a pay period".to_string())
        }
        _ => suggestion(&word.text, ["monthly", "quarterly", "yearly", "biweekly"]),
    };
    help_if(d, help)
}

/// `pay biweekly` without the first day of a pay period, which places every period.
pub(crate) fn biweekly_without_a_start(word: &Ident) -> Diagnostic {
    Diagnostic::new(&codes::INVALID_HEADER, "a biweekly plan says the first day of one of its pay periods")
        .primary(word.span, "every 14 days, from when?")
        .help("write the first day of any one pay period (`pay biweekly from 2026-01-02`): the periods run 14 days each from it, forwards and back, each named by its last day")
}

/// `pay FREQUENCY from DATE` for a frequency other than biweekly, whose periods the calendar places.
pub(crate) fn pay_from_without_biweekly(word: &Ident, from: Span) -> Diagnostic {
    Diagnostic::new(&codes::INVALID_HEADER, format!("a plan paying {} has no first day to give", word.text))
        .primary(from, "only `pay biweekly` says where its pay periods start")
        .help(format!("remove `from …`: {} pay periods follow the calendar", word.text))
}

/// `fiscal year starts MONTH` where MONTH is not a month's name.
pub(crate) fn not_a_month(month: &Ident) -> Diagnostic {
    let lower = month.text.to_lowercase();
    let d = Diagnostic::new(&codes::INVALID_HEADER, format!("`{}` is not a month", month.text))
        .primary(month.span, "expected a month name, such as `February`");
    help_if(d, did_you_mean(&lower, MONTHS).map(|s| format!("did you mean `{}`?", capitalise(s))))
}

/// The header lines every plan has, each `true` when the plan lacks it.
pub(crate) struct MissingHeader {
    /// `effective FROM to TO`.
    pub(crate) effective: bool,
    /// `currency CUR`.
    pub(crate) currency: bool,
    /// `pay monthly` or `pay quarterly`.
    pub(crate) pay: bool,
}

impl MissingHeader {
    /// Whether any line is missing.
    pub(crate) fn any(&self) -> bool {
        self.effective || self.currency || self.pay
    }
}

/// A plan without one or more of the header lines every plan has (`span` is its header).
pub(crate) fn missing_header_lines(name: Option<&Ident>, missing: &MissingHeader, span: Span) -> Diagnostic {
    let lines: Vec<(&str, &str)> = [
        (missing.effective, ("effective", "effective 2026-01-01 to 2026-12-31")),
        (missing.currency, ("currency", "currency USD")),
        (missing.pay, ("pay", "pay monthly")),
    ]
    .into_iter()
    .filter_map(|(missing, line)| missing.then_some(line))
    .collect();
    let name = name.map_or("this plan".to_string(), |n| format!("plan `{}`", n.text));
    let words: Vec<String> = lines.iter().map(|(w, _)| format!("`{w}`")).collect();
    let words = match words.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, init)) => format!("{} or {last}", init.join(", ")),
        None => String::new(),
    };
    let examples: Vec<&str> = lines.iter().map(|(_, l)| *l).collect();
    Diagnostic::new(&codes::MISSING_HEADER, format!("{name} has no {words} line"))
        .primary(span, "every plan says when it applies, in which currency, and how often it pays")
        .help(format!("add, after the `{{`: {}", examples.join("; ")))
}

/// A plan paying in another currency than the crediting rules keep credit in.
pub(crate) fn plan_currency_is_not_credit_currency(currency: &str, credit_currency: &str, span: Span) -> Diagnostic {
    Diagnostic::new(
        &codes::BAD_CREDIT_RULES,
        format!("the plan pays in {currency}, but credit is kept in {credit_currency}"),
    )
    .primary(span, "plan currency")
    .help(format!("convert credit into {currency} in the credit block, or pay this plan in {credit_currency}"))
}

/// `rounding WORDS` where WORDS name no rounding mode (`modes` are the ones there are).
pub(crate) fn unknown_rounding_mode<'a>(mode: &ast::Words, modes: impl IntoIterator<Item = &'a str>) -> Diagnostic {
    let text = mode.text();
    let help = match did_you_mean(&text, modes) {
        Some(s) => format!("did you mean `{s}`?"),
        None => "modes are `half to even`, `half up`, `half down`, `up` and `down`".to_string(),
    };
    Diagnostic::new(&codes::INVALID_HEADER, format!("unknown rounding mode `{text}`"))
        .primary(mode.span, "not a rounding mode")
        .help(help)
}

/// `rounding … WORDS` where WORDS are not a precision.
pub(crate) fn unknown_rounding_precision(words: &ast::Words) -> Diagnostic {
    Diagnostic::new(&codes::INVALID_HEADER, format!("unknown rounding precision `{}`", words.text()))
        .primary(words.span, "not a precision")
        .help("write `to cents`, `to whole units` or `to N decimals`")
}

/// A month's name as written in a sentence: `february` → `February`.
fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map_or(String::new(), |c| c.to_uppercase().collect::<String>() + chars.as_str())
}
