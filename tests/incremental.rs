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
    assert!(ran(&second, "check_plan_item"), "{second:?}");
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
    assert!(
        format!("{:?}", manager.earnings[compplan::model::EarningId::new(0)].value).contains("0.03"),
        "the new rate is in the model"
    );
}

/// The names of the executed queries, without their keys, sorted.
fn names(log: &[String]) -> Vec<&str> {
    let mut names: Vec<&str> = log.iter().map(|q| q.split('(').next().unwrap_or(q)).collect();
    names.sort_unstable();
    names
}

#[test]
fn a_one_line_edit_in_a_plan_body_reruns_only_that_plan() {
    let mut db = CompDb::with_query_log();
    let ws = example_workspace(&db);
    check::diagnostics(&db, ws);
    db.take_executed();
    let file = *ws.files(&db).iter().find(|f| f.path(&db).ends_with("enterprise_ae.plan")).expect("the AE plan");
    let edited = file.text(&db).replace("draw recoverable 2000 USD", "draw recoverable 2500 USD");
    db.set_text(file, edited);
    check::diagnostics(&db, ws);
    let log = db.take_executed();
    // The file is parsed again and its items re-read; the projections for the schema, the credit
    // block, territories and plan headers compare equal, so no workspace-wide query runs again; the
    // one plan is checked again, and its model changed, so the file's plans and the model are rebuilt.
    assert_eq!(
        names(&log),
        [
            "check_file",
            "check_plan_item",
            "file_credits",
            "file_plan_headers",
            "file_plans",
            "file_schemas",
            "file_territories",
            "parse_file",
            "workspace_model"
        ],
        "{log:?}"
    );
    assert!(log.iter().filter(|q| q.starts_with("parse_file")).count() == 1, "only the edited file is parsed: {log:?}");
}

#[test]
fn an_edit_to_one_plan_of_a_file_does_not_recheck_the_other_plan() {
    let mut db = CompDb::with_query_log();
    let root = crate::support::root().join("plans");
    let mut sources: Vec<(String, String)> = crate::support::plan_sources(&root, crate::support::root())
        .into_iter()
        .filter(|(path, _)| path.ends_with("schema.plan") || path.ends_with("crediting.plan"))
        .collect();
    let read = |name: &str| std::fs::read_to_string(root.join(name)).expect("example plan");
    // Two plans in one file; the manager plan comes second, so editing the first moves no span of it.
    let both = format!("{}\n{}", read("enterprise_ae.plan"), read("sales_manager.plan"));
    sources.push(("plans/two.plan".to_string(), both.clone()));
    let ws = db.workspace(sources);
    check::diagnostics(&db, ws);
    db.take_executed();
    let file = *ws.files(&db).iter().find(|f| f.path(&db).ends_with("two.plan")).expect("the file");
    db.set_text(file, both.replace("draw recoverable 2000 USD", "draw recoverable 2500 USD"));
    let diagnostics = check::diagnostics(&db, ws);
    let log = db.take_executed();
    assert_eq!(
        log.iter().filter(|q| q.starts_with("check_plan_item")).count(),
        1,
        "one plan is checked again: {log:?}"
    );
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let model = check::workspace_model(&db, ws);
    assert_eq!(model.plans.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(), ["enterprise_ae", "sales_manager"]);
}

#[test]
fn an_edit_to_the_schema_rechecks_every_plan() {
    let mut db = CompDb::with_query_log();
    let ws = example_workspace(&db);
    check::diagnostics(&db, ws);
    db.take_executed();
    let file = *ws.files(&db).iter().find(|f| f.path(&db).ends_with("schema.plan")).expect("the schema");
    let edited =
        file.text(&db).replace("  paid: date optional\n}", "  paid: date optional\n  segment: text optional\n}");
    assert_ne!(edited, file.text(&db), "the edit applies");
    db.set_text(file, edited);
    check::diagnostics(&db, ws);
    let log = db.take_executed();
    assert!(ran(&log, "schema_model"), "{log:?}");
    assert_eq!(
        log.iter().filter(|q| q.starts_with("check_plan_item")).count(),
        4,
        "every plan reads the schema: {log:?}"
    );
}

#[test]
fn an_edit_reindexes_only_its_own_file_for_the_editor() {
    use compplan::analysis::index::file_index;
    let mut db = CompDb::with_query_log();
    let ws = example_workspace(&db);
    let files = ws.files(&db).clone();
    for &file in &files {
        file_index(&db, ws, file);
    }
    db.take_executed();
    let file = *files.iter().find(|f| f.path(&db).ends_with("sales_manager.plan")).expect("the manager plan");
    let edited = file.text(&db).replace("2% of team_bookings", "3% of team_bookings");
    db.set_text(file, edited);
    for &f in &files {
        file_index(&db, ws, f);
    }
    let log = db.take_executed();
    let indexed: Vec<&String> = log.iter().filter(|q| q.starts_with("file_index")).collect();
    assert_eq!(indexed.len(), 1, "only the edited file is indexed again: {log:?}");
    assert!(!ran(&log, "schema_model"), "{log:?}");
}
