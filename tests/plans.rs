//! The example plans in `plans/` are the product's showcase: they must check without a diagnostic
//! other than notes.

use crate::support::{check_sources, plan_sources, root};
use compplan::diagnostics::Severity;

#[test]
fn example_plans_check_clean() {
    let sources = plan_sources(&root().join("plans"), root());
    assert!(sources.len() >= 5, "the example workspace has its schema, crediting rules and plans");
    let (rendered, diagnostics) = check_sources(sources);
    let serious: Vec<_> = diagnostics.iter().filter(|d| d.severity() != Severity::Note).collect();
    assert!(serious.is_empty(), "plans/ must check clean:\n{rendered}");
}
