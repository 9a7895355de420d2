//! JUnit XML for `compplan test --junit`: the report format every CI system (GitHub Actions reporters,
//! GitLab, Jenkins) reads to show which plan tests failed.
//!
//! The output carries no timings and no host name, so that the same plans give the same bytes.

/// One test block, as a JUnit test case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Case {
    /// The plan (with its version when a plan has several): the JUnit suite and class name.
    pub suite: String,
    /// The test's name.
    pub name: String,
    /// The plan file, as shown in diagnostics.
    pub file: String,
    /// The line of the `test` keyword, from 1; `None` for a case that is not a test block (the plans
    /// that do not check).
    pub line: Option<usize>,
    /// One line per expectation that was not met; empty when none failed.
    pub failures: Vec<String>,
    /// One line per problem that kept the test from comparing (its data cannot be read, the plan
    /// cannot be evaluated, the plans do not check): JUnit calls these errors, not failures.
    pub errors: Vec<String>,
    /// The rendered diagnostics of the failures and errors, as plain text.
    pub detail: String,
}

impl Case {
    /// Whether the case ended in an error (which JUnit counts apart from failures).
    fn errored(&self) -> bool {
        !self.errors.is_empty()
    }

    /// Whether the case failed an expectation and had no error.
    fn failed(&self) -> bool {
        !self.errored() && !self.failures.is_empty()
    }
}

/// Writes the cases as one `<testsuites>` document, suites in the order their first case appears.
pub fn write(cases: &[Case]) -> String {
    let mut suites: Vec<(&str, Vec<&Case>)> = Vec::new();
    for case in cases {
        match suites.iter_mut().find(|(name, _)| *name == case.suite) {
            Some((_, members)) => members.push(case),
            None => suites.push((&case.suite, vec![case])),
        }
    }
    let failed = |cases: &[&Case]| cases.iter().filter(|c| c.failed()).count();
    let errored = |cases: &[&Case]| cases.iter().filter(|c| c.errored()).count();
    let all: Vec<&Case> = cases.iter().collect();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<testsuites name=\"compplan\" tests=\"{}\" failures=\"{}\" errors=\"{}\">\n",
        all.len(),
        failed(&all),
        errored(&all)
    ));
    for (suite, members) in &suites {
        out.push_str(&format!(
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"0\">\n",
            escape(suite),
            members.len(),
            failed(members),
            errored(members)
        ));
        for case in members {
            let mut open = format!(
                "    <testcase classname=\"{}\" name=\"{}\" file=\"{}\"",
                escape(&case.suite),
                escape(&case.name),
                escape(&case.file)
            );
            if let Some(line) = case.line {
                open.push_str(&format!(" line=\"{line}\""));
            }
            // A case has one outcome element: an error when something kept it from comparing (its
            // message then lists the errors, then the expectations not met), else a failure.
            let (element, kind, messages) = if case.errored() {
                ("error", "error", case.errors.iter().chain(&case.failures).cloned().collect::<Vec<_>>())
            } else if case.failed() {
                ("failure", "expectation", case.failures.clone())
            } else {
                out.push_str(&open);
                out.push_str("/>\n");
                continue;
            };
            out.push_str(&open);
            out.push_str(">\n");
            out.push_str(&format!(
                "      <{element} message=\"{}\" type=\"{kind}\">{}</{element}>\n",
                escape(&messages.join("; ")),
                escape_text(&case.detail)
            ));
            out.push_str("    </testcase>\n");
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

/// Escapes text for an XML element: line breaks stay as they are.
fn escape_text(text: &str) -> String {
    escape(text).replace("&#10;", "\n")
}

/// Escapes text for an XML attribute; characters XML 1.0 forbids are dropped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            c if allowed_in_xml(c) => out.push(c),
            _ => {}
        }
    }
    out
}

/// Whether XML 1.0 allows a character in a document (its `Char` production): tab, line feed,
/// carriage return, and everything from U+0020 except the noncharacters U+FFFE and U+FFFF
/// (surrogates are not `char`s).
fn allowed_in_xml(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{FFFD}' | '\u{10000}'..)
}

#[cfg(test)]
mod tests {
    use super::{escape, escape_text, write, Case};

    #[test]
    fn characters_xml_forbids_are_dropped() {
        // C0 controls other than tab, line feed and carriage return, and U+FFFE and U+FFFF.
        let name = "a\u{0}b\u{1}c\u{8}d\u{b}e\u{c}f\u{1f}g\u{fffe}h\u{ffff}i";
        assert_eq!(escape(name), "abcdefghi");
        // What XML allows stays: tab, CR, the last character before the noncharacters, the
        // characters past them, and U+007F and C1 controls (allowed, if discouraged).
        assert_eq!(
            escape("\t\r\u{fffd}\u{10000}\u{10ffff}\u{7f}\u{85}é"),
            "\t\r\u{fffd}\u{10000}\u{10ffff}\u{7f}\u{85}é"
        );
        assert_eq!(escape("x\ny"), "x&#10;y");
        assert_eq!(escape_text("x\ny\u{ffff}"), "x\ny");
        let xml = write(&[Case {
            suite: "s\u{fffe}".into(),
            name: "t\u{ffff}\u{1}".into(),
            file: "p.plan".into(),
            line: None,
            failures: vec!["f\u{ffff}".into()],
            errors: vec![],
            detail: "d\u{fffe}".into(),
        }]);
        assert!(!xml.contains('\u{fffe}') && !xml.contains('\u{ffff}') && !xml.contains('\u{1}'), "{xml:?}");
        assert!(xml.contains("name=\"t\""), "{xml}");
    }

    #[test]
    fn failures_are_escaped_and_counted_per_suite() {
        let case = |name: &str, failures: Vec<String>, errors: Vec<String>| Case {
            suite: "ae".into(),
            name: name.into(),
            file: "plans/ae.plan".into(),
            line: Some(7),
            failures,
            errors,
            detail: "expected <1> & got \"2\"".into(),
        };
        let xml = write(&[
            case("ok", vec![], vec![]),
            case("march", vec!["alice total: expected 1 USD, computed 2 USD".into()], vec![]),
            case(
                "april",
                vec!["bob total: expected 1 USD, computed 0 USD".into()],
                vec!["a cell is not a date".into()],
            ),
        ]);
        assert!(xml.contains("<testsuites name=\"compplan\" tests=\"3\" failures=\"1\" errors=\"1\">"), "{xml}");
        assert!(xml.contains("<testsuite name=\"ae\" tests=\"3\" failures=\"1\" errors=\"1\" skipped=\"0\">"), "{xml}");
        assert!(xml.contains("<testcase classname=\"ae\" name=\"ok\" file=\"plans/ae.plan\" line=\"7\"/>"), "{xml}");
        assert!(xml.contains("type=\"expectation\">expected &lt;1&gt; &amp; got &quot;2&quot;</failure>"), "{xml}");
        assert!(
            xml.contains("<error message=\"a cell is not a date; bob total: expected 1 USD, computed 0 USD\" type=\"error\">expected &lt;1&gt;"),
            "{xml}"
        );
    }

    #[test]
    fn a_case_without_a_line_has_no_line_attribute() {
        let case = Case {
            suite: "compplan".into(),
            name: "the plans check".into(),
            file: "plans".into(),
            line: None,
            failures: vec![],
            errors: vec!["the plans have 1 error".into()],
            detail: String::new(),
        };
        let xml = write(&[case]);
        assert!(xml.contains("<testcase classname=\"compplan\" name=\"the plans check\" file=\"plans\">\n      <error message=\"the plans have 1 error\" type=\"error\"></error>"), "{xml}");
    }
}
