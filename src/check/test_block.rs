//! Checking a plan's `test` blocks: a period, the data tables (in the schema, each given once), and
//! expectations that name a line or an attainment of the plan with a value in its unit.

use super::expr::Checker;
use super::problems;
use super::source_map::TestSource;
use crate::ast::{self, LiteralValue, Span};
use crate::model;

/// A test block as it is read: the parts of its case, and where they are written.
struct TestRead<'t> {
    period: Option<String>,
    fixture: Option<String>,
    tables: Vec<(String, Vec<String>)>,
    expectations: Vec<model::Expectation>,
    /// The tables given so far, to report one given twice.
    seen_tables: Vec<&'t ast::Ident>,
    source: TestSource,
}

/// What an expectation may name: the plan's earnings and attainments, and the lines every plan has.
struct Expectable {
    earnings: Vec<String>,
    attainments: Vec<String>,
}

impl Expectable {
    fn names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.earnings.iter().chain(&self.attainments).map(String::as_str).collect();
        names.extend(model::PAYOUT_LINES);
        names
    }
}

impl Checker<'_> {
    /// Checks a test block (`span` is the whole block, `doc` its `///` comment), recording where its parts are when its case
    /// is in the model.
    pub(crate) fn check_test(&mut self, test: &ast::Test, span: Span, doc: Option<String>) -> Option<model::TestCase> {
        let source =
            TestSource { span, name: test.name.1, doc, fixture: None, expectations: Vec::new(), tables: Vec::new() };
        let mut read = TestRead {
            period: None,
            fixture: None,
            tables: Vec::new(),
            expectations: Vec::new(),
            seen_tables: Vec::new(),
            source,
        };
        let expectable = self.expectable();
        for stmt in &test.stmts {
            match &stmt.kind {
                ast::TestStmt::Period(p) => {
                    if valid_period(&p.text) {
                        read.period = Some(p.text.clone());
                    } else {
                        self.report(problems::not_a_period(p));
                    }
                }
                ast::TestStmt::Fixture((path, _)) => {
                    read.source.fixture = read.source.fixture.or(Some(stmt.span));
                    read.fixture = Some(path.clone());
                }
                ast::TestStmt::Table { table, lines } => self.test_table(stmt.span, table, lines, &mut read),
                ast::TestStmt::Expect { period, rep, name, value } => {
                    if let Some(expectation) = self.expectation(period.as_ref(), rep, name, value, &expectable) {
                        read.source.expectations.push(stmt.span);
                        read.expectations.push(model::Expectation { index: read.expectations.len(), ..expectation });
                    }
                }
                ast::TestStmt::Error(_) => {}
            }
        }
        let Some(period) = read.period else {
            self.report(problems::test_without_period(&test.name));
            return None;
        };
        if let Some(sources) = self.sources() {
            sources.tests.push(read.source);
        }
        let (fixture, tables, expectations) = (read.fixture, read.tables, read.expectations);
        Some(model::TestCase { name: test.name.0.clone(), period, fixture, tables, expectations })
    }

    /// The plan's earnings and attainments, by name.
    fn expectable(&self) -> Expectable {
        let Some(plan) = self.plan.as_ref() else {
            return Expectable { earnings: Vec::new(), attainments: Vec::new() };
        };
        Expectable {
            earnings: plan.earnings.iter().map(|e| e.name.clone()).collect(),
            attainments: plan
                .defs
                .iter()
                .filter(|d| d.kind == super::plan::DefKind::Attainment)
                .map(|d| d.name.text.clone())
                .collect(),
        }
    }

    /// `data TABLE { … }`: a table of the schema, given once; its lines go to the case as written.
    fn test_table<'t>(&mut self, span: Span, table: &'t ast::Ident, lines: &[(String, Span)], read: &mut TestRead<'t>) {
        if let Some(sources) = self.sources() {
            sources.data_blocks.push(Span::new(table.span.end, span.end));
        }
        let known = self.schema.table(&table.text);
        if let Some(t) = known {
            self.record_table(table, t);
        }
        if let Some(first) = read.seen_tables.iter().find(|t| t.text == table.text) {
            self.report(problems::test_table_given_twice(table, first.span));
            return;
        }
        read.seen_tables.push(table);
        if known.is_none() {
            let schema = self.schema;
            self.report(problems::unknown_test_table(table, schema.tables.iter().map(|t| t.name.as_str())));
        }
        read.tables.push((table.text.clone(), lines.iter().map(|(l, _)| l.clone()).collect()));
        read.source.tables.push(lines.iter().map(|(_, span)| *span).collect());
    }

    /// `expect [PERIOD] REP NAME is VALUE`: a line or attainment of the plan, with a value in its
    /// unit (its index is set by the caller); `None` when the value is not an amount.
    fn expectation(
        &mut self,
        when: Option<&ast::PeriodLit>,
        rep: &(String, Span),
        name: &ast::Ident,
        value: &ast::Value,
        expectable: &Expectable,
    ) -> Option<model::Expectation> {
        if let Some(p) = when.filter(|p| !valid_period(&p.text)) {
            self.report(problems::not_a_period(p));
        }
        let names = expectable.names();
        let attainment = expectable.attainments.contains(&name.text);
        if !names.contains(&name.text.as_str()) {
            self.report(problems::unknown_expectation(name, names.iter().copied()));
        } else {
            if attainment || expectable.earnings.contains(&name.text) {
                self.record_definition(name);
            }
            self.check_expected_unit(&name.text, attainment, value);
        }
        if let LiteralValue::Money { currency, .. } = &value.literal.value {
            if let Some(plan_currency) = self.currency.clone().filter(|c| c != currency) {
                self.report(problems::expected_amount_in_another_currency(currency, &plan_currency, value.span));
            }
        }
        let amount = match &value.literal.value {
            LiteralValue::Money { amount, .. } | LiteralValue::Number(amount) | LiteralValue::Percent(amount) => {
                *amount
            }
            _ => {
                self.report(problems::expectation_not_an_amount(value.span));
                return None;
            }
        };
        Some(model::Expectation {
            period: when.map(|p| p.text.clone()),
            rep: rep.0.clone(),
            name: name.text.clone(),
            value: amount,
            index: 0,
        })
    }
}

impl Checker<'_> {
    /// An expectation compares like with like: an attainment with a percentage, a payout line
    /// (an earning, the draw, `total`…) with money. Money in another currency is E0201, reported by
    /// the caller.
    fn check_expected_unit(&mut self, name: &str, attainment: bool, value: &ast::Value) {
        let fits = match (&value.literal.value, attainment) {
            (LiteralValue::Percent(_), true) | (LiteralValue::Money { .. }, false) => true,
            (LiteralValue::Money { .. } | LiteralValue::Percent(_) | LiteralValue::Number(_), _) => false,
            // Not a value at all: reported by the caller.
            _ => true,
        };
        if !fits {
            self.report(problems::expectation_of_another_unit(name, attainment, value, self.currency.as_deref()));
        }
    }
}

/// `2026-03`, `2026-Q1`, `2026`, or a pay period's last day (`2026-01-15`).
pub(crate) fn valid_period(text: &str) -> bool {
    if text.len() == 10 {
        return chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok();
    }
    let parts: Vec<&str> = text.split('-').collect();
    match parts.as_slice() {
        [year] => year.len() == 4 && year.parse::<i32>().is_ok(),
        [year, q] if q.starts_with('Q') => year.len() == 4 && matches!(&q[1..], "1" | "2" | "3" | "4"),
        [year, month] => {
            year.len() == 4 && month.len() == 2 && month.parse::<u32>().is_ok_and(|m| (1..=12).contains(&m))
        }
        _ => false,
    }
}
