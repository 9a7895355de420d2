//! Checking a plan's `test` blocks: a period, the data tables (in the schema, each given once), and
//! expectations that name a line or an attainment of the plan with a value in its unit.

use super::expr::Checker;
use super::source_map::TestSource;
use crate::ast::{self, LiteralValue, Span};
use crate::diagnostics::{codes, did_you_mean};
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
        names.extend(["draw", "recovery", "deferred", "hold", "release", "adjustment", "total", "balance"]);
        names
    }
}

impl Checker<'_> {
    /// Checks a test block (`span` is the whole block), recording where its parts are when its case
    /// is in the model.
    pub(crate) fn check_test(&mut self, test: &ast::Test, span: Span) -> Option<model::TestCase> {
        let source =
            TestSource { span, name: test.name.1, fixture: None, expectations: Vec::new(), tables: Vec::new() };
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
                        self.error(
                            &codes::INVALID_LITERAL,
                            format!("`{}` is not a period", p.text),
                            p.span,
                            "expected `2026-03`, `2026-Q1` or `2026`",
                        );
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
            let d = self.error(
                &codes::BAD_TEST,
                format!("the test \"{}\" has no period", test.name.0),
                test.name.1,
                "which period does it evaluate?",
            );
            d.help = Some("add `period 2026-03` (a month, a quarter such as `2026-Q1`, or a plan year)".to_string());
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
            let first = first.span;
            let d = self.error(
                &codes::BAD_TEST,
                format!("`{}` is given twice", table.text),
                table.span,
                "given again here",
            );
            d.labels.push(crate::diagnostics::Label::secondary(first, "first given here"));
            d.help = Some(format!("write every row of `{}` in one `data {} {{ … }}` block", table.text, table.text));
            return;
        }
        read.seen_tables.push(table);
        if known.is_none() {
            let schema = self.schema;
            let d = self.error(
                &codes::BAD_TEST,
                format!("no table is called `{}`", table.text),
                table.span,
                "expected a schema table",
            );
            d.help = did_you_mean(&table.text, schema.tables.iter().map(|t| t.name.as_str()))
                .map(|s| format!("did you mean `{s}`?"));
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
        if let Some(p) = when {
            if !valid_period(&p.text) {
                self.error(
                    &codes::INVALID_LITERAL,
                    format!("`{}` is not a period", p.text),
                    p.span,
                    "expected `2026-03`, `2026-Q1` or `2026`",
                );
            }
        }
        let names = expectable.names();
        let attainment = expectable.attainments.contains(&name.text);
        if !names.contains(&name.text.as_str()) {
            let d = self.error(
                &codes::BAD_TEST,
                format!("the plan has no component or attainment `{}`", name.text),
                name.span,
                "nothing to compare",
            );
            d.help = did_you_mean(&name.text, names.iter().copied()).map(|s| format!("did you mean `{s}`?"));
        } else {
            if attainment || expectable.earnings.contains(&name.text) {
                self.record_definition(name);
            }
            self.check_expected_unit(&name.text, attainment, value);
        }
        if let LiteralValue::Money { currency, .. } = &value.literal.value {
            if let Some(plan_currency) = self.currency.clone().filter(|c| c != currency) {
                self.error(
                    &codes::CURRENCY_MISMATCH,
                    format!("the expected amount is in {currency}, but the plan pays in {plan_currency}"),
                    value.span,
                    format!("money ({currency})"),
                );
            }
        }
        let amount = match &value.literal.value {
            LiteralValue::Money { amount, .. } | LiteralValue::Number(amount) | LiteralValue::Percent(amount) => {
                *amount
            }
            _ => {
                self.error(
                    &codes::BAD_TEST,
                    "an expectation is an amount or a percentage",
                    value.span,
                    "expected e.g. `7400.00 USD` or `100%`",
                );
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
        let written = match (&value.literal.value, attainment) {
            (LiteralValue::Percent(_), true) | (LiteralValue::Money { .. }, false) => return,
            (LiteralValue::Money { .. }, true) => "an amount of money",
            (LiteralValue::Percent(_), false) => "a percentage",
            (LiteralValue::Number(_), _) => "a bare number",
            // Not a value at all: reported by the caller.
            _ => return,
        };
        let (what, wanted, example) = if attainment {
            ("an attainment", "a percentage".to_string(), "100%".to_string())
        } else {
            let wanted = self.currency.as_ref().map_or("money".to_string(), |c| format!("money in {c}"));
            let example = format!("7400.00 {}", self.currency.as_deref().unwrap_or("USD"));
            ("a payout line", wanted, example)
        };
        let d = self.error(
            &codes::BAD_TEST,
            format!("`{name}` is {what}: expect {wanted}, not {written}"),
            value.span,
            format!("expected {wanted}"),
        );
        d.help = Some(format!("write e.g. `{example}`"));
    }
}

/// `2026-03`, `2026-Q1` or `2026`.
pub(crate) fn valid_period(text: &str) -> bool {
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
