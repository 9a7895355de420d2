//! Lowering of plans and their entries: header lines, quotas, measures, tables, earnings, draws,
//! holds and test blocks.

use super::expr::scope_of;
use super::{missing_expr, missing_ident, missing_path, Context, Lowerer};
use crate::ast::*;
use crate::diagnostics::{codes, Diagnostic};
use crate::syntax::parser::Rule;
use pest::iterators::Pair;

impl Lowerer<'_> {
    pub(crate) fn plan(&mut self, pair: Pair<'_, Rule>) -> Plan {
        let plan_span = self.span(&pair);
        let pairs: Vec<_> = pair.into_inner().collect();
        let keyword = pairs.first().map(|p| self.span(p)).unwrap_or_default();
        let name = pairs.iter().find(|p| p.as_rule() == Rule::ident).map(|p| self.ident(p));
        let title = pairs.iter().find(|p| p.as_rule() == Rule::text).map(|p| self.text(p.clone()));
        let version = pairs.iter().find(|p| p.as_rule() == Rule::integer).map(|p| self.integer(p));
        let header_end = pairs
            .iter()
            .take_while(|p| {
                matches!(p.as_rule(), Rule::kw_plan | Rule::ident | Rule::text | Rule::kw_version | Rule::integer)
            })
            .last()
            .map_or(0, |p| p.as_span().end());
        let (open, body_start) = self.open_brace(header_end);
        let header = Span::new(plan_span.start, open.end);
        match (&name, &version) {
            (None, _) => self.error(
                Diagnostic::new(&codes::MISSING_HEADER, "this plan has no name")
                    .primary(keyword.to(open), "expected a name after `plan`")
                    .help("name the plan, e.g. `plan enterprise_ae \"Enterprise AE\" version 1 {`"),
            ),
            (Some(name), None) => self.error(
                Diagnostic::new(&codes::MISSING_HEADER, format!("plan `{}` has no version", name.text))
                    .primary(name.span, "expected `version N` after the name (and title)")
                    .help(format!("number the plan's versions: `plan {} version 1 {{`", name.text)),
            ),
            _ => {}
        }
        let close = self.close(&pairs, open, "plan");
        let body: Vec<_> = pairs
            .into_iter()
            .filter(|p| {
                !matches!(
                    p.as_rule(),
                    Rule::kw_plan | Rule::ident | Rule::text | Rule::kw_version | Rule::integer | Rule::missing_close
                )
            })
            .collect();
        let (entries, end_comments) = self.list(body, body_start, |this, p| Some(this.entry(p)));
        Plan { keyword, name, title, version, header, entries, end_comments, close }
    }

    pub(crate) fn entry(&mut self, pair: Pair<'_, Rule>) -> Entry {
        let rule = pair.as_rule();
        if rule == Rule::bad_plan_item {
            let s = pair.as_span();
            return super::errors::recover(self, s.as_str(), s.start(), Context::Plan);
        }
        let parts: Vec<_> = pair.into_inner().collect();
        match rule {
            Rule::effective_item => {
                let mut dates = parts.into_iter().filter(|p| p.as_rule() == Rule::date).map(|p| self.date(p));
                let from = dates.next().unwrap_or(DateLit { date: None, span: Span::default() });
                let to = dates.next().unwrap_or(DateLit { date: None, span: Span::default() });
                Entry::Effective { from, to }
            }
            Rule::currency_item => Entry::Currency(self.find_ident(&parts, Rule::currency_code)),
            Rule::pay_item if parts.iter().any(|p| p.as_rule() == Rule::negative_totals) => Entry::PayNegativeTotals,
            Rule::pay_item => {
                let word = match parts.iter().find(|p| p.as_rule() == Rule::semi_monthly) {
                    Some(p) => self.ident(p),
                    None => self.find_ident(&parts, Rule::ident),
                };
                let from = parts.into_iter().find(|p| p.as_rule() == Rule::date).map(|p| self.date(p));
                Entry::Pay { word, from }
            }
            Rule::fiscal_item => Entry::FiscalYear(self.find_ident(&parts, Rule::ident)),
            Rule::rounding_item => {
                let mut words = parts.into_iter().filter(|p| p.as_rule() == Rule::words).map(|p| self.words(p));
                let mode = words.next().unwrap_or(Words { words: Vec::new(), span: Span::default() });
                Entry::Rounding { mode, precision: words.next() }
            }
            Rule::eligible_item => Entry::Eligible(self.find_expr(parts, Rule::expr)),
            Rule::quota_item => Entry::Quota(self.quota(parts)),
            Rule::measure_item => Entry::Measure(self.measure(parts)),
            Rule::attainment_item => Entry::Attainment(Attainment {
                name: self.find_ident(&parts, Rule::name),
                value: self.find_expr(parts, Rule::expr),
            }),
            Rule::table_item => Entry::Table(self.table(parts)),
            Rule::earn_item => Entry::Earn(self.earn(parts)),
            Rule::draw_item => Entry::Draw(self.draw(parts)),
            Rule::hold_item => Entry::Hold(self.hold(parts)),
            Rule::instalments_item => Entry::Instalments(self.instalments(&parts)),
            Rule::write_off_item => Entry::WriteOff,
            Rule::recover_item => {
                let percent = parts.iter().find(|p| p.as_rule() == Rule::percent).cloned();
                let span = percent.as_ref().map(|p| self.span(p)).unwrap_or_default();
                let percent = percent
                    .map(|p| self.literal(p))
                    .unwrap_or(Literal { value: LiteralValue::Invalid, raw: String::new() });
                Entry::Recover { percent, span }
            }
            Rule::test_item => Entry::Test(self.test(parts)),
            _ => Entry::Error(ErrorNode { keyword: None, defines: None }),
        }
    }

    pub(super) fn find_ident(&self, parts: &[Pair<'_, Rule>], rule: Rule) -> Ident {
        parts.iter().find(|p| p.as_rule() == rule).map(|p| self.ident(p)).unwrap_or_else(missing_ident)
    }

    fn find_expr(&mut self, parts: Vec<Pair<'_, Rule>>, rule: Rule) -> Expr {
        parts.into_iter().find(|p| p.as_rule() == rule).map(|p| self.expr(p)).unwrap_or_else(missing_expr)
    }

    fn words(&mut self, pair: Pair<'_, Rule>) -> Words {
        let span = self.span(&pair);
        Words { words: pair.into_inner().map(|p| self.ident(&p)).collect(), span }
    }

    fn quota(&mut self, parts: Vec<Pair<'_, Rule>>) -> Quota {
        let name = self.find_ident(&parts, Rule::name);
        let mut value = missing_expr();
        let mut split = None;
        let mut prorate = None;
        let mut rounded = None;
        for (p, comments) in self.continued(parts) {
            match p.as_rule() {
                Rule::expr => value = self.expr(p),
                Rule::quota_split => {
                    let Some(inner) =
                        p.into_inner().find(|q| matches!(q.as_rule(), Rule::split_evenly | Rule::split_weights))
                    else {
                        continue;
                    };
                    let span = self.span(&inner);
                    let is_weights = inner.as_rule() == Rule::split_weights;
                    let inner: Vec<_> = inner.into_inner().collect();
                    let unit = self.find_ident(&inner, Rule::ident);
                    split = Some(if is_weights {
                        let weights = self.continued(inner).into_iter().filter(|(q, _)| q.as_rule() == Rule::expr);
                        let weights = weights.map(|(q, comments)| Continued { kind: self.expr(q), comments }).collect();
                        QuotaSplit::Weights { unit, weights, span }
                    } else {
                        QuotaSplit::Evenly { unit }
                    });
                }
                Rule::quota_prorate => {
                    let inner: Vec<_> = p.into_inner().collect();
                    prorate = Some(Continued { kind: self.find_ident(&inner, Rule::ident), comments });
                }
                Rule::quota_rounded => {
                    if let Some(words) = p.into_inner().find(|q| q.as_rule() == Rule::words) {
                        rounded = Some(Continued { kind: self.words(words), comments });
                    }
                }
                _ => {}
            }
        }
        Quota { name, value, split, prorate, rounded }
    }

    fn measure(&mut self, parts: Vec<Pair<'_, Rule>>) -> Measure {
        let name = self.find_ident(&parts, Rule::name);
        let mut aggregate = Aggregate::Count(missing_ident());
        let (mut by, mut on, mut until, mut filter, mut each) = (None, None, None, None, None);
        if let Some(agg) = parts.into_iter().find(|p| p.as_rule() == Rule::aggregate) {
            let mut last_keyword = Rule::EOI;
            for p in agg.into_inner() {
                match p.as_rule() {
                    Rule::sum_of => {
                        let e = p.into_inner().find(|q| q.as_rule() == Rule::sum_expr).map(|q| self.expr(q));
                        aggregate = Aggregate::Sum(e.unwrap_or_else(missing_expr));
                    }
                    Rule::count_of => {
                        let inner: Vec<_> = p.into_inner().collect();
                        aggregate = Aggregate::Count(self.find_ident(&inner, Rule::ident));
                    }
                    Rule::kw_by | Rule::kw_on | Rule::kw_where => last_keyword = p.as_rule(),
                    Rule::path if last_keyword == Rule::kw_by => by = Some(self.path(p)),
                    Rule::path => on = Some(self.path(p)),
                    Rule::expr => filter = Some(self.expr(p)),
                    Rule::each_group => each = Some(Box::new(self.each_group(p))),
                    Rule::active => {
                        let mut paths = p.into_inner().filter(|q| q.as_rule() == Rule::path).map(|q| self.path(q));
                        on = paths.next();
                        until = paths.next();
                    }
                    _ => {}
                }
            }
        }
        Measure { name, aggregate, by, on, until, filter, each }
    }

    /// `each PATH floored at X capped at Y`.
    fn each_group(&mut self, pair: Pair<'_, Rule>) -> Each {
        let (mut group, mut group_span, mut floor, mut cap) = (None, Span::default(), None, None);
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::path => {
                    group_span = self.span(&p);
                    group = Some(self.path(p));
                }
                Rule::group_floor | Rule::group_cap => {
                    let is_floor = p.as_rule() == Rule::group_floor;
                    let limit = p.into_inner().find(|q| q.as_rule() == Rule::sum_expr).map(|q| self.expr(q));
                    if is_floor {
                        floor = limit;
                    } else {
                        cap = limit;
                    }
                }
                _ => {}
            }
        }
        let group = group.unwrap_or_else(missing_path);
        Each { group, group_span, floor, cap }
    }

    fn table(&mut self, parts: Vec<Pair<'_, Rule>>) -> Table {
        let name = self.find_ident(&parts, Rule::name);
        let mode = parts
            .iter()
            .find(|p| p.as_rule() == Rule::table_mode)
            .map(|p| {
                let mode = match p.as_str() {
                    "marginal" => TableMode::Marginal,
                    "retroactive" => TableMode::Retroactive,
                    "linear" => TableMode::Linear,
                    _ => TableMode::Lookup,
                };
                (mode, self.span(p))
            })
            .unwrap_or((TableMode::Lookup, Span::default()));
        let flag = |word: Rule| {
            parts
                .iter()
                .find(|p| p.as_rule() == Rule::table_flag && Pair::clone(p).into_inner().any(|w| w.as_rule() == word))
                .map(|p| self.span(p))
        };
        let (decelerating, closed) = (flag(Rule::kw_decelerating), flag(Rule::kw_closed));
        let (multiplier, upper_included) = (flag(Rule::kw_multiplier), flag(Rule::upper_included));
        let header_end = parts
            .iter()
            .take_while(|p| !matches!(p.as_rule(), Rule::comment | Rule::bad_row) && !is_row(p.as_rule()))
            .filter(|p| matches!(p.as_rule(), Rule::postfix | Rule::table_flag))
            .last()
            .map_or(0, |p| p.as_span().end());
        let (open, body_start) = self.open_brace(header_end);
        let close = self.close(&parts, open, "table");
        let mut key = missing_expr();
        let mut body = Vec::new();
        for p in parts {
            match p.as_rule() {
                Rule::postfix => key = self.expr(p),
                Rule::comment | Rule::bad_row | Rule::missing_end => body.push(p),
                r if is_row(r) => body.push(p),
                _ => {}
            }
        }
        let (rows, end_comments) = self.list(body, body_start, |this, p| Some(this.row(p)));
        Table { name, mode, key, decelerating, closed, multiplier, upper_included, rows, end_comments, close }
    }

    pub(crate) fn row(&mut self, pair: Pair<'_, Rule>) -> Row {
        let rule = pair.as_rule();
        if rule == Rule::bad_row {
            let s = pair.as_span();
            return super::errors::recover(self, s.as_str(), s.start(), Context::Row);
        }
        let parts: Vec<_> = pair.into_inner().collect();
        let mut values: Vec<Value> = Vec::new();
        let mut keys = Vec::new();
        for p in parts {
            match p.as_rule() {
                Rule::table_value => values.push(self.value(p)),
                Rule::band_lookup => {
                    let raw = p.as_str().to_string();
                    let literal = Literal { value: LiteralValue::Table(raw.clone()), raw };
                    values.push(Value { literal, span: self.span(&p) });
                }
                Rule::lookup_key => keys.push(self.value(p)),
                _ => {}
            }
        }
        let mut values = values.into_iter();
        let mut next = || {
            values.next().unwrap_or(Value {
                literal: Literal { value: LiteralValue::Invalid, raw: String::new() },
                span: Span::default(),
            })
        };
        match rule {
            Rule::band_row => Row::Band { from: next(), to: next(), value: next() },
            Rule::open_row => Row::Open { from: next(), value: next(), above: false },
            Rule::above_row => Row::Open { from: next(), value: next(), above: true },
            Rule::point_row => Row::Point { at: next(), value: next() },
            Rule::key_row => Row::Key { keys, value: next() },
            Rule::otherwise_row => Row::Otherwise { value: next() },
            _ => Row::Error(ErrorNode { keyword: None, defines: None }),
        }
    }

    fn earn(&mut self, parts: Vec<Pair<'_, Rule>>) -> Earn {
        let name = self.find_ident(&parts, Rule::name);
        let mut value = missing_expr();
        let mut form = EarnForm::Plain;
        let mut modifiers = Vec::new();
        for (p, comments) in self.continued(parts) {
            let span = self.span(&p);
            match p.as_rule() {
                Rule::expr => value = self.expr(p),
                Rule::once_form => {
                    let inner: Vec<_> = p.into_inner().collect();
                    let scope = inner.iter().find(|q| q.as_rule() == Rule::scope);
                    let (scope, scope_span) =
                        scope.map_or((Scope::Period, span), |s| (scope_of(s.as_str()), self.span(s)));
                    let when = inner.into_iter().find(|q| q.as_rule() == Rule::expr).map(|q| self.expr(q));
                    form = EarnForm::Once { scope, scope_span, when };
                }
                Rule::per_deal_form => {
                    let inner: Vec<_> = p.into_inner().collect();
                    let per_deal = inner
                        .iter()
                        .filter(|q| matches!(q.as_rule(), Rule::kw_per | Rule::kw_deal))
                        .map(|q| self.span(q))
                        .reduce(Span::to);
                    let filter = inner.into_iter().find(|q| q.as_rule() == Rule::expr).map(|q| self.expr(q));
                    form = EarnForm::PerDeal { filter, span: per_deal.unwrap_or(span) };
                }
                Rule::cap | Rule::floor => {
                    let is_cap = p.as_rule() == Rule::cap;
                    let inner: Vec<_> = p.into_inner().collect();
                    let per = inner.iter().find(|q| q.as_rule() == Rule::limit_window).map(|w| {
                        let window = match w.as_str() {
                            "month" => LimitWindow::Month,
                            word => LimitWindow::Scope(scope_of(word)),
                        };
                        (window, self.span(w))
                    });
                    let limit = inner
                        .into_iter()
                        .find(|q| q.as_rule() == Rule::expr)
                        .map(|q| self.expr(q))
                        .unwrap_or_else(missing_expr);
                    let kind =
                        if is_cap { Modifier::Cap { limit, per, span } } else { Modifier::Floor { limit, per, span } };
                    modifiers.push(Continued { kind, comments });
                }
                Rule::gate => {
                    let condition = p.into_inner().find(|q| q.as_rule() == Rule::expr).map(|q| self.expr(q));
                    modifiers.push(Continued {
                        kind: Modifier::Gate { condition: condition.unwrap_or_else(missing_expr), span },
                        comments,
                    });
                }
                Rule::by_share => modifiers.push(Continued { kind: Modifier::ByShare(span), comments }),
                Rule::take_back => {
                    let at = p.into_inner().find(|q| q.as_rule() == Rule::expr).map(|q| self.expr(q));
                    modifiers.push(Continued { kind: Modifier::TakeBack { at, span }, comments });
                }
                _ => {}
            }
        }
        Earn { name, value, form, modifiers }
    }

    fn test(&mut self, parts: Vec<Pair<'_, Rule>>) -> Test {
        let name = parts.iter().find(|p| p.as_rule() == Rule::text).map(|p| self.text(p.clone())).unwrap_or_default();
        let header_end = parts.iter().find(|p| p.as_rule() == Rule::text).map_or(0, |p| p.as_span().end());
        let (open, body_start) = self.open_brace(header_end);
        let close = self.close(&parts, open, "test");
        let body: Vec<_> = parts
            .into_iter()
            .filter(|p| {
                matches!(
                    p.as_rule(),
                    Rule::test_period
                        | Rule::test_fixture
                        | Rule::test_table
                        | Rule::expect_stmt
                        | Rule::bad_row
                        | Rule::comment
                )
            })
            .collect();
        let (stmts, end_comments) = self.list(body, body_start, |this, p| Some(this.test_stmt(p)));
        Test { name, stmts, end_comments, close }
    }

    pub(crate) fn test_stmt(&mut self, pair: Pair<'_, Rule>) -> TestStmt {
        let rule = pair.as_rule();
        if rule == Rule::bad_row {
            let s = pair.as_span();
            return super::errors::recover(self, s.as_str(), s.start(), Context::TestStmt);
        }
        let parts: Vec<_> = pair.into_inner().collect();
        let period = |this: &Self, p: &Pair<'_, Rule>| PeriodLit { text: p.as_str().to_string(), span: this.span(p) };
        match rule {
            Rule::test_period => match parts.iter().find(|p| p.as_rule() == Rule::period) {
                Some(p) => TestStmt::Period(period(self, p)),
                None => TestStmt::Error(ErrorNode { keyword: None, defines: None }),
            },
            Rule::test_fixture => TestStmt::Fixture(
                parts.into_iter().find(|p| p.as_rule() == Rule::text).map(|p| self.text(p)).unwrap_or_default(),
            ),
            Rule::test_table => {
                let header_end = parts.iter().find(|p| p.as_rule() == Rule::ident).map_or(0, |p| p.as_span().end());
                let (open, _) = self.open_brace(header_end);
                self.close(&parts, open, "data table");
                self.test_table(&parts)
            }
            Rule::expect_stmt => {
                let period_lit = parts.iter().find(|p| p.as_rule() == Rule::period).map(|p| period(self, p));
                let mut names = Vec::new();
                let mut rep_text = None;
                let mut value = None;
                for p in parts {
                    match p.as_rule() {
                        Rule::text => rep_text = Some(self.text(p)),
                        Rule::ident => names.push(self.ident(&p)),
                        Rule::table_value => value = Some(self.value(p)),
                        _ => {}
                    }
                }
                let mut names = names.into_iter();
                let rep = match rep_text {
                    Some(text) => text,
                    None => names.next().map(|i| (i.text, i.span)).unwrap_or_default(),
                };
                TestStmt::Expect {
                    period: period_lit,
                    rep,
                    name: names.next().unwrap_or_else(missing_ident),
                    value: value.unwrap_or(Value {
                        literal: Literal { value: LiteralValue::Invalid, raw: String::new() },
                        span: Span::default(),
                    }),
                }
            }
            _ => TestStmt::Error(ErrorNode { keyword: None, defines: None }),
        }
    }
}

impl Lowerer<'_> {
    /// An inline data table's name and CSV lines (its closing brace was checked by the caller).
    ///
    /// A line is its text after the indentation, as written: the spaces before a `//` comment or
    /// the table's `}` on the same line separate them from the row, but spaces at the end of the
    /// line belong to its last cell, which is then refused (E0717) as in a data file, rather than
    /// changed without a word.
    fn test_table(&mut self, parts: &[Pair<'_, Rule>]) -> TestStmt {
        TestStmt::Table {
            table: self.find_ident(parts, Rule::ident),
            lines: parts
                .iter()
                .filter(|p| p.as_rule() == Rule::csv_line)
                .map(|p| {
                    let span = p.as_span();
                    let after = span.get_input()[span.end()..].bytes().next();
                    let row = match after {
                        Some(b'/' | b'}') => p.as_str().trim_end_matches([' ', '\t']),
                        _ => p.as_str(),
                    };
                    (row.to_string(), self.span(p))
                })
                .collect(),
        }
    }
}

fn is_row(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::band_row | Rule::open_row | Rule::above_row | Rule::point_row | Rule::key_row | Rule::otherwise_row
    )
}
