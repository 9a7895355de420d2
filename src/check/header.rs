//! Checking a plan's header: effective dates, currency, pay frequency, fiscal year start and
//! rounding.

use super::expr::Checker;
use super::problems;
use crate::ast::{self, DateLit, Entry, Ident, Span};
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

/// The months, in order, as a fiscal year names them.
pub(super) const MONTHS: [&str; 12] = [
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
    /// Reads the header lines, each once, and reports those given twice, those missing, and a
    /// currency the crediting rules do not keep credit in.
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
            let Some(word) = header_word(&entry.kind) else { continue };
            if let Some((_, first)) = seen.iter().find(|(w, _)| *w == word) {
                self.report(problems::header_line_twice(word, entry.span, *first));
                continue;
            }
            seen.push((word, entry.span));
            self.header_line(entry, &mut header);
        }
        let given = |word: &str| seen.iter().any(|(w, _)| *w == word);
        if header.rounding.decimals == u32::MAX || !given("rounding") {
            header.rounding.decimals = header.currency.as_deref().map_or(2, minor_unit);
        }
        let missing = problems::MissingHeader {
            effective: header.effective.is_none() && !given("effective"),
            currency: header.currency.is_none(),
            pay: header.pay.is_none() && !given("pay"),
        };
        if missing.any() {
            self.report(problems::missing_header_lines(plan.name.as_ref(), &missing, plan.header));
        }
        self.currency_agrees_with_credit(plan, &header);
        header
    }

    /// Reads one header line, given for the first time, into the header.
    fn header_line(&mut self, entry: &ast::Node<Entry>, header: &mut Header) {
        match &entry.kind {
            Entry::Effective { from, to } => header.effective = self.effective_dates(from, to),
            Entry::Currency(code) => header.currency = Some(code.text.clone()),
            Entry::Pay { word, from } => header.pay = self.pay_frequency(word, from.as_ref()),
            Entry::FiscalYear(month) => match self.fiscal_start(month) {
                Some(start) => header.fiscal_start = start,
                None => self.report(problems::not_a_month(month)),
            },
            Entry::Rounding { mode, precision } => {
                header.rounding = self.rounding(mode, precision.as_ref());
                header.rounding_line = Some(entry.span);
            }
            _ => {}
        }
    }

    /// The first and last day in effect, when both are real dates, in range and in order.
    fn effective_dates(&mut self, from: &DateLit, to: &DateLit) -> Option<(NaiveDate, NaiveDate)> {
        let (f, t) = (from.date?, to.date?);
        // Both ends are checked, so that both are reported.
        let in_range = [(f, from.span), (t, to.span)].map(|(day, span)| self.check_date(day, span));
        if in_range.contains(&false) {
            return None;
        }
        if t < f {
            self.report(problems::plan_ends_before_it_starts(f, t, from.span.to(to.span)));
            return None;
        }
        Some((f, t))
    }

    /// `pay monthly`, `quarterly`, `yearly`, `semi-monthly`, or `biweekly from DATE` (the first
    /// day of one of its pay periods: only a biweekly plan says where its periods start).
    fn pay_frequency(&mut self, word: &Ident, from: Option<&DateLit>) -> Option<PayFrequency> {
        let pay = match word.text.as_str() {
            "monthly" => PayFrequency::Monthly,
            "quarterly" => PayFrequency::Quarterly,
            "yearly" => PayFrequency::Yearly,
            "semi-monthly" => PayFrequency::SemiMonthly,
            "biweekly" => match from {
                Some(DateLit { date: Some(day), span }) if self.check_date(*day, *span) => PayFrequency::Biweekly(*day),
                Some(_) => return None,
                None => {
                    self.report(problems::biweekly_without_a_start(word));
                    return None;
                }
            },
            _ => {
                self.report(problems::unknown_pay_frequency(word));
                return None;
            }
        };
        if let Some(from) = from.filter(|_| !matches!(pay, PayFrequency::Biweekly(_))) {
            self.report(problems::pay_from_without_biweekly(word, from.span));
            return None;
        }
        Some(pay)
    }

    /// The month (1–12) a month's name or its first three letters name.
    fn fiscal_start(&self, month: &Ident) -> Option<u32> {
        let lower = month.text.to_lowercase();
        let i = MONTHS.iter().position(|m| *m == lower || (lower.len() == 3 && m.starts_with(&lower)))?;
        Some(i as u32 + 1)
    }

    /// Reports a plan currency other than the one the crediting rules keep credit in.
    fn currency_agrees_with_credit(&mut self, plan: &ast::Plan, header: &Header) {
        let (Some(currency), Some(crediting)) = (&header.currency, self.crediting) else { return };
        let Some(credit_currency) = &crediting.currency else { return };
        if credit_currency == currency {
            return;
        }
        let span = plan
            .entries
            .iter()
            .find_map(|e| matches!(e.kind, Entry::Currency(_)).then_some(e.span))
            .unwrap_or(plan.header);
        self.report(problems::plan_currency_is_not_credit_currency(currency, credit_currency, span));
    }

    pub(super) fn rounding(&mut self, mode: &ast::Words, precision: Option<&ast::Words>) -> Rounding {
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
                self.report(problems::unknown_rounding_mode(mode, modes.iter().map(|(w, _)| *w)));
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
                        self.report(problems::unknown_rounding_precision(words));
                        2
                    }
                }
            }
        };
        Rounding { mode, decimals }
    }
}

/// The keyword of a header line (and of the lines that may be given once only); `None` for the
/// other entries of a plan.
fn header_word(entry: &Entry) -> Option<&'static str> {
    Some(match entry {
        Entry::Effective { .. } => "effective",
        Entry::Currency(_) => "currency",
        Entry::Pay { .. } => "pay",
        Entry::FiscalYear(_) => "fiscal year",
        Entry::Rounding { .. } => "rounding",
        Entry::Eligible(_) => "eligible",
        Entry::WriteOff => "write off",
        Entry::PayNegativeTotals => "pay negative totals",
        Entry::Recover { .. } => "recover",
        _ => return None,
    })
}

/// The number of decimals of a currency's minor unit (ISO 4217): the default rounding precision.
pub(super) fn minor_unit(code: &str) -> u32 {
    match code {
        "BIF" | "CLP" | "DJF" | "GNF" | "ISK" | "JPY" | "KMF" | "KRW" | "PYG" | "RWF" | "UGX" | "UYI" | "VND"
        | "VUV" | "XAF" | "XOF" | "XPF" => 0,
        "BHD" | "IQD" | "JOD" | "KWD" | "LYD" | "OMR" | "TND" => 3,
        _ => 2,
    }
}
