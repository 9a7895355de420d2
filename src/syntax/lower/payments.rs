//! Lowering the lines that say how a plan pays besides its earnings: draws, holds (for periods,
//! until a date, or on the year to date) and instalments.

use super::{missing_expr, missing_ident, missing_path, Lowerer};
use crate::ast::*;
use crate::syntax::parser::Rule;
use pest::iterators::Pair;

impl Lowerer<'_> {
    /// `pay commission in 3 instalments`.
    pub(super) fn instalments(&mut self, parts: &[Pair<'_, Rule>]) -> Instalments {
        let count = parts.iter().find(|p| p.as_rule() == Rule::integer).map(|q| self.integer(q)).unwrap_or_default();
        Instalments { earning: self.find_ident(parts, Rule::name), count, unit: self.find_ident(parts, Rule::ident) }
    }

    pub(super) fn draw(&mut self, parts: Vec<Pair<'_, Rule>>) -> Draw {
        let recoverable =
            parts.iter().find(|p| p.as_rule() == Rule::draw_kind).is_none_or(|p| p.as_str() == "recoverable");
        let per = self.find_ident(&parts, Rule::ident);
        let name = parts.iter().find(|p| p.as_rule() == Rule::name).map(|p| self.ident(p));
        let form =
            parts.iter().find(|p| p.as_rule() == Rule::draw_form).map(|p| (p.as_str() == "advance", self.span(p)));
        let mut amount = missing_expr();
        let mut when = DrawWhen::Dates {
            from: DateLit { date: None, span: Span::default() },
            to: DateLit { date: None, span: Span::default() },
        };
        let mut options = Vec::new();
        for (p, comments) in self.continued(parts) {
            let span = self.span(&p);
            match p.as_rule() {
                Rule::expr => amount = self.expr(p),
                Rule::draw_months => {
                    let inner: Vec<_> = p.into_inner().collect();
                    let count = inner
                        .iter()
                        .find(|q| q.as_rule() == Rule::integer)
                        .map(|q| self.integer(q))
                        .unwrap_or_default();
                    let unit = self.find_ident(&inner, Rule::ident);
                    let from = inner
                        .into_iter()
                        .find(|q| q.as_rule() == Rule::path)
                        .map(|q| self.path(q))
                        .unwrap_or_else(missing_path);
                    when = DrawWhen::Months { count, unit, from };
                }
                Rule::draw_dates => {
                    let mut dates = p.into_inner().filter(|q| q.as_rule() == Rule::date).map(|q| self.date(q));
                    let from = dates.next().unwrap_or(DateLit { date: None, span });
                    let to = dates.next().unwrap_or(DateLit { date: None, span });
                    when = DrawWhen::Dates { from, to };
                }
                Rule::draw_option => {
                    let text = p.as_str();
                    let recovered_from = p
                        .clone()
                        .into_inner()
                        .find(|q| q.as_rule() == Rule::draw_recovered)
                        .and_then(|q| q.into_inner().find(|r| r.as_rule() == Rule::integer))
                        .map(|q| self.integer(&q));
                    let option = DrawOption {
                        recovered_from,
                        forgiven: recovered_from.is_none() && text.starts_with("forgiven"),
                        on_termination: recovered_from.is_none() && text.contains("termination"),
                        span,
                    };
                    options.push(Continued { kind: option, comments });
                }
                _ => {}
            }
        }
        Draw { name, recoverable, form, amount, per, when, options }
    }

    pub(super) fn hold(&mut self, parts: Vec<Pair<'_, Rule>>) -> Hold {
        let earning = self.find_ident(&parts, Rule::name);
        let mut percent =
            Value { literal: Literal { value: LiteralValue::Invalid, raw: String::new() }, span: Span::default() };
        let mut release = HoldRelease::For { count: (0, Span::default()), unit: missing_ident() };
        let mut fraction = None;
        for p in parts {
            match p.as_rule() {
                Rule::table_value => percent = self.value(p),
                Rule::hold_fraction => {
                    let span = self.span(&p);
                    let mut numbers = p.into_inner().map(|q| self.integer(&q).0);
                    fraction = Some(((numbers.next().unwrap_or(0), numbers.next().unwrap_or(0)), span));
                }
                Rule::hold_ytd => release = self.hold_ytd(p.into_inner().collect()),
                Rule::hold_until => {
                    let path = p.into_inner().find(|q| q.as_rule() == Rule::path).map(|q| self.path(q));
                    release = HoldRelease::Until(path.unwrap_or_else(missing_path));
                }
                Rule::hold_for => {
                    let inner: Vec<_> = p.into_inner().collect();
                    let count = inner
                        .iter()
                        .find(|q| q.as_rule() == Rule::integer)
                        .map(|q| self.integer(q))
                        .unwrap_or_default();
                    release = HoldRelease::For { count, unit: self.find_ident(&inner, Rule::ident) };
                }
                _ => {}
            }
        }
        Hold { percent, fraction, earning, release }
    }

    /// `ytd after Q1, 30% after Q2, …`: the first quarter word, then each share and its quarter.
    fn hold_ytd(&mut self, parts: Vec<Pair<'_, Rule>>) -> HoldRelease {
        let mut first = None;
        let mut rest = Vec::new();
        let mut share = None;
        for p in parts {
            match p.as_rule() {
                Rule::table_value => share = Some(self.value(p)),
                Rule::hold_after => {
                    let quarter = self.find_ident(&p.into_inner().collect::<Vec<_>>(), Rule::ident);
                    match share.take() {
                        Some(value) => rest.push((value, quarter)),
                        None => first = Some(quarter),
                    }
                }
                _ => {}
            }
        }
        HoldRelease::Ytd { first: first.unwrap_or_else(missing_ident), rest }
    }
}
