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
    /// The line of the `test` keyword, from 1.
    pub line: usize,
    /// One line per failed expectation or error; empty when the test passed.
    pub failures: Vec<String>,
    /// The rendered diagnostics of the failures, as plain text.
    pub detail: String,
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
    let failed = |cases: &[&Case]| cases.iter().filter(|c| !c.failures.is_empty()).count();
    let all: Vec<&Case> = cases.iter().collect();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!("<testsuites name=\"compplan\" tests=\"{}\" failures=\"{}\" errors=\"0\">\n", all.len(), failed(&all)));
    for (suite, members) in &suites {
        out.push_str(&format!(
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"0\">\n",
            escape(suite),
            members.len(),
            failed(members)
        ));
        for case in members {
            let open = format!(
                "    <testcase classname=\"{}\" name=\"{}\" file=\"{}\" line=\"{}\"",
                escape(&case.suite),
                escape(&case.name),
                escape(&case.file),
                case.line
            );
            if case.failures.is_empty() {
                out.push_str(&open);
                out.push_str("/>\n");
                continue;
            }
            out.push_str(&open);
            out.push_str(">\n");
            out.push_str(&format!(
                "      <failure message=\"{}\" type=\"expectation\">{}</failure>\n",
                escape(&case.failures.join("; ")),
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

/// Escapes text for an XML attribute; control characters XML 1.0 forbids are dropped.
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
            '\t' | '\r' => out.push(c),
            c if (c as u32) < 0x20 => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{write, Case};

    #[test]
    fn failures_are_escaped_and_counted_per_suite() {
        let case = |name: &str, failures: Vec<String>| Case {
            suite: "ae".into(),
            name: name.into(),
            file: "plans/ae.plan".into(),
            line: 7,
            failures,
            detail: "expected <1> & got \"2\"".into(),
        };
        let xml = write(&[case("ok", vec![]), case("march", vec!["alice total: expected 1 USD, computed 2 USD".into()])]);
        assert!(xml.contains("<testsuites name=\"compplan\" tests=\"2\" failures=\"1\" errors=\"0\">"));
        assert!(xml.contains("<testsuite name=\"ae\" tests=\"2\" failures=\"1\" errors=\"0\" skipped=\"0\">"));
        assert!(xml.contains("<testcase classname=\"ae\" name=\"ok\" file=\"plans/ae.plan\" line=\"7\"/>"));
        assert!(xml.contains(">expected &lt;1&gt; &amp; got &quot;2&quot;</failure>"));
    }
}
