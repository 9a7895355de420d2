//! Incremental compilation: what an edit re-runs, read from salsa's log of executed queries.

use compplan::{check, CompDb};

fn example_workspace(db: &CompDb) -> compplan::source::Workspace {
    let sources = crate::support::plan_sources(&crate::support::root().join("plans"), crate::support::root());
    db.workspace(sources)
}

fn ran(log: &[String], query: &str) -> bool {
    log.iter().any(|q| q.starts_with(query))
}

#[test]
fn a_comment_on_line_one_reuses_everything_after_the_model() {
    let mut db = CompDb::with_query_log();
    let ws = example_workspace(&db);
    let before = check::workspace_model(&db, ws).clone();
    let first = db.take_executed();
    assert!(ran(&first, "workspace_model"), "the first check computes the model: {first:?}");

    let file = *ws.files(&db).iter().find(|f| f.path(&db).ends_with("enterprise_ae.plan")).expect("the AE plan");
    let edited = format!("// reviewed by finance\n{}", file.text(&db));
    db.set_text(file, edited);
    let after = check::workspace_model(&db, ws).clone();
    let second = db.take_executed();

    // Every span of the file moved one line down, so the file is parsed and checked again…
    assert!(ran(&second, "parse_file"), "{second:?}");
    assert!(ran(&second, "check_file"), "{second:?}");
    // …but its span-free model is equal, so nothing downstream of it runs again.
    assert!(!ran(&second, "workspace_model"), "the model was rebuilt: {second:?}");
    assert_eq!(before, after);

    // The diagnostics still point at the new places.
    let diagnostics = check::diagnostics(&db, ws);
    assert!(diagnostics.iter().all(|d| d.severity() != compplan::diagnostics::Severity::Error));
}

#[test]
fn an_edit_to_one_plan_does_not_recheck_the_others() {
    let mut db = CompDb::with_query_log();
    let ws = example_workspace(&db);
    check::workspace_model(&db, ws);
    db.take_executed();
    let file = *ws.files(&db).iter().find(|f| f.path(&db).ends_with("sales_manager.plan")).expect("the manager plan");
    let edited = file.text(&db).replace("2% of team_bookings", "3% of team_bookings");
    db.set_text(file, edited);
    let model = check::workspace_model(&db, ws).clone();
    let log = db.take_executed();
    assert!(ran(&log, "workspace_model"), "a changed rate changes the model: {log:?}");
    let checked: Vec<&String> = log.iter().filter(|q| q.starts_with("check_file")).collect();
    assert_eq!(checked.len(), 1, "only the edited file is checked again: {log:?}");
    let manager = model.plans.iter().find(|p| p.name == "sales_manager").expect("the manager plan");
    assert!(format!("{:?}", manager.earnings[0].value).contains("0.03"), "the new rate is in the model");
}
