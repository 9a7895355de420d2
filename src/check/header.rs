//! Checking a plan's header: effective dates, currency, pay frequency, fiscal year start and
//! rounding.

use super::expr::Checker;
use crate::ast::{self, Entry, Span};
use crate::diagnostics::{codes, did_you_mean, Diagnostic};
use crate::model::{PayFrequency, Rounding, RoundingMode};
use chrono::NaiveDate;

/// The plan's header, read before its definitions.
pub(super) struct Header {
    /// The first and last day the plan is in effect.
    pub(super) effective: Option<(NaiveDate, NaiveDate)>,
    /// The currency the plan pays in.
    pub(super) currency: Option<String>,
    /// How often the plan pays.
    pub(super) pay: Option<PayFrequency>,
    /// The month (1–12) the plan year starts in.
    pub(super) fiscal_start: u32,
    /// How payout lines are rounded.
    pub(super) rounding: Rounding,
    /// The `rounding` line that says so, when the plan has one (for the source map).
    pub(super) rounding_line: Option<Span>,
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

impl Checker<'_> {
    pub(super) fn header(&mut self, plan: &ast::Plan) -> Header {
        let mut header = Header {
            effective: None,
            currency: None,
            pay: None,
            fiscal_start: 1,
            rounding: Rounding { mode: RoundingMode::HalfEven, decimals: 2 },
            rounding_line: None,
        };
        let mut seen: Vec<(&'static str, Span)> = Vec::new();
        for entry in &plan.entries {
            let word = match &entry.kind {
                Entry::Effective { .. } => "effective",
                Entry::Currency(_) => "currency",
                Entry::Pay(_) => "pay",
                Entry::FiscalYear(_) => "fiscal year",
                Entry::Rounding { .. } => "rounding",
                Entry::Eligible(_) => "eligible",
                Entry::Draw(_) => "draw",
                Entry::WriteOff => "write off",
                Entry::Recover { .. } => "recover",
                _ => continue,
            };
            if let Some((_, first)) = seen.iter().find(|(w, _)| *w == word) {
                self.diags.push(
                    Diagnostic::new(&codes::REPEATED_HEADER, format!("`{word}` is given twice"))
                        .primary(entry.span, "given again here")
                        .secondary(*first, "first given here")
                        .help("keep one of the two lines"),
                );
                continue;
            }
            seen.push((word, entry.span));
            match &entry.kind {
                Entry::Effective { from, to } => {
                    if let (Some(f), Some(t)) = (from.date, to.date) {
                        // Both ends are checked, so that both are reported.
                        let in_range = [(f, from.span), (t, to.span)].map(|(day, span)| self.check_date(day, span));
                        if in_range.contains(&false) {
                            continue;
                        }
                        if t < f {
                            self.error(
                                &codes::EMPTY_RANGE,
                                format!("the plan ends ({t}) before it starts ({f})"),
                                from.span.to(to.span),
                                "no day is in this range",
                            );
                        } else {
                            header.effective = Some((f, t));
                        }
                    }
                }
                Entry::Currency(code) => header.currency = Some(code.text.clone()),
                Entry::Pay(word) => match word.text.as_str() {
                    "monthly" => header.pay = Some(PayFrequency::Monthly),
                    "quarterly" => header.pay = Some(PayFrequency::Quarterly),
                    other => {
                        let d = self.error(
                            &codes::INVALID_HEADER,
                            format!("unknown pay frequency `{other}`"),
                            word.span,
                            "expected `monthly` or `quarterly`",
                        );
                        d.help = did_you_mean(other, ["monthly", "quarterly"]).map(|s| format!("did you mean `{s}`?"));
                    }
                },
                Entry::FiscalYear(month) => {
                    let lower = month.text.to_lowercase();
                    match MONTHS.iter().position(|m| *m == lower || (lower.len() == 3 && m.starts_with(&lower))) {
                        Some(i) => header.fiscal_start = i as u32 + 1,
                        None => {
                            let d = self.error(
                                &codes::INVALID_HEADER,
                                format!("`{}` is not a month", month.text),
                                month.span,
                                "expected a month name, such as `February`",
                            );
                            d.help = did_you_mean(&lower, MONTHS).map(|s| format!("did you mean `{}`?", capitalise(s)));
                        }
                    }
                }
                Entry::Rounding { mode, precision } => {
                    header.rounding = self.rounding(mode, precision.as_ref());
                    header.rounding_line = Some(entry.span);
                }
                _ => {}
            }
        }
        if header.rounding.decimals == u32::MAX || !seen.iter().any(|(w, _)| *w == "rounding") {
            header.rounding.decimals = header.currency.as_deref().map_or(2, minor_unit);
        }
        let missing: Vec<(&str, &str)> = [
            (
                header.effective.is_none() && !seen.iter().any(|(w, _)| *w == "effective"),
                ("effective", "effective 2026-01-01 to 2026-12-31"),
            ),
            (header.currency.is_none(), ("currency", "currency USD")),
            (header.pay.is_none() && !seen.iter().any(|(w, _)| *w == "pay"), ("pay", "pay monthly")),
        ]
        .into_iter()
        .filter_map(|(missing, what)| missing.then_some(what))
        .collect();
        if !missing.is_empty() {
            let name = plan.name.as_ref().map_or("this plan".to_string(), |n| format!("plan `{}`", n.text));
            let words: Vec<String> = missing.iter().map(|(w, _)| format!("`{w}`")).collect();
            let words = match words.split_last() {
                Some((last, [])) => last.clone(),
                Some((last, init)) => format!("{} or {last}", init.join(", ")),
                None => String::new(),
            };
            let lines: Vec<&str> = missing.iter().map(|(_, l)| *l).collect();
            self.diags.push(
                Diagnostic::new(&codes::MISSING_HEADER, format!("{name} has no {words} line"))
                    .primary(plan.header, "every plan says when it applies, in which currency, and how often it pays")
                    .help(format!("add, after the `{{`: {}", lines.join("; "))),
            );
        }
        if let (Some(currency), Some(crediting)) = (&header.currency, self.crediting) {
            if let Some(credit_currency) = &crediting.currency {
                if credit_currency != currency {
                    let span = plan
                        .entries
                        .iter()
                        .find_map(|e| matches!(e.kind, Entry::Currency(_)).then_some(e.span))
                        .unwrap_or(plan.header);
                    self.error(
                        &codes::BAD_CREDIT_RULES,
                        format!("the plan pays in {currency}, but credit is kept in {credit_currency}"),
                        span,
                        "plan currency",
                    )
                    .help = Some(format!(
                        "convert credit into {currency} in the credit block, or pay this plan in {credit_currency}"
                    ));
                }
            }
        }
        header
    }

    fn rounding(&mut self, mode: &ast::Words, precision: Option<&ast::Words>) -> Rounding {
        let modes = [
            ("half to even", RoundingMode::HalfEven),
            ("half even", RoundingMode::HalfEven),
            ("half up", RoundingMode::HalfAwayFromZero),
            ("half away from zero", RoundingMode::HalfAwayFromZero),
            ("half down", RoundingMode::HalfTowardZero),
            ("half toward zero", RoundingMode::HalfTowardZero),
            ("down", RoundingMode::TowardZero),
            ("toward zero", RoundingMode::TowardZero),
            ("up", RoundingMode::AwayFromZero),
            ("away from zero", RoundingMode::AwayFromZero),
        ];
        let text = mode.text();
        let mode = match modes.iter().find(|(w, _)| *w == text) {
            Some((_, m)) => *m,
            None => {
                let d = self.error(
                    &codes::INVALID_HEADER,
                    format!("unknown rounding mode `{text}`"),
                    mode.span,
                    "not a rounding mode",
                );
                d.help = Some(match did_you_mean(&text, modes.iter().map(|(w, _)| *w)) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => "modes are `half to even`, `half up`, `half down`, `up` and `down`".to_string(),
                });
                RoundingMode::HalfEven
            }
        };
        let decimals = match precision {
            // Filled in from the currency's minor unit once the whole header is read.
            None => u32::MAX,
            Some(words) => {
                let w: Vec<&str> = words.words.iter().map(|w| w.text.as_str()).collect();
                match w.as_slice() {
                    ["to", "cents"] => 2,
                    ["to", "whole", _] | ["to", "units"] => 0,
                    ["to", n, "decimal" | "decimals"] | ["to", n, "decimal", "places"]
                        if n.parse::<u32>().is_ok_and(|n| n <= 10) =>
                    {
                        n.parse().unwrap_or(2)
                    }
                    _ => {
                        self.error(
                            &codes::INVALID_HEADER,
                            format!("unknown rounding precision `{}`", words.text()),
                            words.span,
                            "not a precision",
                        )
                        .help = Some("write `to cents`, `to whole units` or `to N decimals`".to_string());
                        2
                    }
                }
            }
        };
        Rounding { mode, decimals }
    }
}

/// The number of decimals of a currency's minor unit (ISO 4217): the default rounding precision.
fn minor_unit(code: &str) -> u32 {
    match code {
        "BIF" | "CLP" | "DJF" | "GNF" | "ISK" | "JPY" | "KMF" | "KRW" | "PYG" | "RWF" | "UGX" | "UYI" | "VND"
        | "VUV" | "XAF" | "XOF" | "XPF" => 0,
        "BHD" | "IQD" | "JOD" | "KWD" | "LYD" | "OMR" | "TND" => 3,
        _ => 2,
    }
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map_or(String::new(), |c| c.to_uppercase().collect::<String>() + chars.as_str())
}
