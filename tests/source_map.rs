//! The checker's source map: it is keyed by the model's own ids (every part of every checked plan
//! has its place, and the text there is what the model says), its occurrences name what is written
//! at them, and an edit that only moves text changes the map but not the model.

use crate::support::{plan_sources, root};
use compplan::check::source_map::{Clause, CreditRuleKind, PlanSourceMap};
use compplan::check::{self, Symbol};
use compplan::model::DefinitionId;
use compplan::source::Workspace;
use compplan::{model, CompDb};

/// The example workspace and every evaluation case.
fn workspaces() -> Vec<Vec<(String, String)>> {
    let mut all = vec![plan_sources(&root().join("plans"), root())];
    let shared = plan_sources(&root().join("tests/eval/shared"), root());
    let mut cases: Vec<_> = std::fs::read_dir(root().join("tests/eval"))
        .expect("the evaluation cases")
        .map(|e| e.expect("a case").path())
        .filter(|p| p.is_dir() && !p.ends_with("shared"))
        .collect();
    cases.sort();
    for case in cases {
        let mut sources = plan_sources(&case, root());
        // The shared schema and crediting rules, unless the case has its own (as `tests/eval.rs`).
        for (path, text) in &shared {
            let name = path.rsplit('/').next().unwrap_or_default();
            if !sources.iter().any(|(own, _)| own.rsplit('/').next() == Some(name)) {
                sources.push((path.clone(), text.clone()));
            }
        }
        all.push(sources);
    }
    all
}

/// Each checked plan's model with its map.
fn checked(db: &CompDb, ws: Workspace) -> Vec<(model::Plan, &PlanSourceMap)> {
    ws.files(db)
        .iter()
        .flat_map(|&file| check::file_plans(db, ws, file).iter())
        .filter_map(|&item| {
            let checked = check::check_plan_item(db, item);
            Some((checked.model.clone()?, checked.sources.map(db)))
        })
        .collect()
}

fn text(db: &CompDb, map: &PlanSourceMap, span: compplan::ast::Span) -> String {
    map.file.text(db)[span.start..span.end].to_string()
}

#[test]
fn every_part_of_every_checked_plan_has_its_place_by_the_models_ids() {
    let mut plans = 0;
    for sources in workspaces() {
        let db = CompDb::default();
        let ws = db.workspace(sources);
        for (plan, map) in checked(&db, ws) {
            plans += 1;
            let at = |id| map.definition_of(id).unwrap_or_else(|| panic!("{} {id:?}", plan.name));
            let named = |id, name: &str| {
                let source = at(id);
                assert_eq!(text(&db, map, source.name_span), name, "{}: the text at the name", plan.name);
                assert!(text(&db, map, source.span).contains(name), "{}: the entry holds its name", plan.name);
            };
            plan.quotas.iter_enumerated().for_each(|(i, q)| named(DefinitionId::Quota(i), &q.name));
            plan.measures.iter_enumerated().for_each(|(i, m)| named(DefinitionId::Measure(i), &m.name));
            plan.attainments.iter_enumerated().for_each(|(i, a)| named(DefinitionId::Attainment(i), &a.name));
            plan.earnings.iter_enumerated().for_each(|(i, e)| named(DefinitionId::Earning(i), &e.name));
            for (id, table) in plan.tables.iter_enumerated() {
                named(DefinitionId::Table(id), &table.name);
                let (keyed, otherwise) = match &table.rows {
                    model::Rows::Marginal(b) | model::Rows::Retroactive(b) => (b.len(), false),
                    model::Rows::Linear(points) => (points.len(), false),
                    model::Rows::Lookup { entries, otherwise } => (entries.len(), otherwise.is_some()),
                };
                let recorded = map.rows.iter().filter(|r| r.table == id).count();
                assert_eq!(recorded, keyed + usize::from(otherwise), "{} {}: one place per row", plan.name, table.name);
                for row in 0..keyed {
                    assert!(map.row(id, Some(row)).is_some(), "{} {} row {row}", plan.name, table.name);
                }
                if let model::Rows::Lookup { entries, .. } = &table.rows {
                    for (row, (key, _)) in entries.iter().enumerate() {
                        let span = map.row(id, Some(row)).expect("a keyed row");
                        // A row of several keys (`"A", "B" : 80%`) is the place of each.
                        let keys = text(&db, map, span).split(':').next().unwrap_or_default().to_string();
                        assert!(keys.split(',').any(|k| k.trim() == key.to_string()), "{} {key}", table.name);
                    }
                    if otherwise {
                        let span = map.row(id, None).expect("the otherwise row");
                        assert!(text(&db, map, span).starts_with("otherwise"), "{}", table.name);
                    }
                }
            }
            for (id, earning) in plan.earnings.iter_enumerated() {
                for (i, limit) in earning.limits.iter().enumerate() {
                    let span = map.clause(id, Clause::Limit(i)).expect("a place for every limit");
                    let word = if limit.kind == model::LimitKind::Cap { "capped" } else { "floored" };
                    assert!(text(&db, map, span).starts_with(word), "{} {}", plan.name, earning.name);
                }
                if earning.gate.is_some() {
                    let span = map.clause(id, Clause::Gate).expect("the gate");
                    assert!(text(&db, map, span).starts_with("only when"), "{}", earning.name);
                }
                if let model::EarningForm::Once { when: Some(_), .. } = earning.form {
                    let span = map.clause(id, Clause::When).expect("the bonus's condition");
                    assert!(text(&db, map, span).starts_with("per "), "{}", earning.name);
                }
            }
            assert_eq!(map.tests.len(), plan.tests.len(), "{}: one block per test", plan.name);
            for (test, block) in plan.tests.iter().zip(&map.tests) {
                assert_eq!(text(&db, map, block.name), format!("\"{}\"", test.name));
                assert_eq!(block.expectations.len(), test.expectations.len(), "{}", test.name);
                for (e, span) in test.expectations.iter().zip(&block.expectations) {
                    let line = text(&db, map, *span);
                    assert!(line.starts_with("expect") && line.contains(&e.rep) && line.contains(&e.name), "{line}");
                }
                for ((_, lines), spans) in test.tables.iter().zip(&block.tables) {
                    let written: Vec<String> = spans.iter().map(|s| text(&db, map, *s)).collect();
                    assert_eq!(&written, lines, "{}: the model's lines are the text at their places", test.name);
                }
            }
        }
    }
    assert!(plans > 30, "the example plans and the evaluation cases are checked: {plans}");
}

/// The text written at an occurrence is the name of what it resolved to (a table may be named by
/// its rows).
#[test]
fn every_occurrence_names_what_it_resolved_to() {
    let mut seen = std::collections::HashSet::new();
    for sources in workspaces() {
        let db = CompDb::default();
        let ws = db.workspace(sources);
        let schema = check::schema_model(&db, ws);
        for &file in ws.files(&db) {
            for o in &compplan::analysis::index::file_index(&db, ws, file).occurrences {
                let written = &file.text(&db)[o.span.start..o.span.end];
                let fits = match &o.symbol {
                    Symbol::Table(t) => {
                        written == t || schema.tables.iter().any(|table| table.name == *t && table.row_name == written)
                    }
                    Symbol::Column { column, .. } => written == column,
                    Symbol::CreditRow => written == "credit",
                    Symbol::CreditField(f) | Symbol::Territory(f) | Symbol::Plan(f) => written == f,
                    Symbol::Definition { name, .. } => written == name,
                };
                assert!(fits, "{}: `{written}` at {:?} is not {:?}", file.path(&db), o.span, o.symbol);
                seen.insert(std::mem::discriminant(&o.symbol));
            }
        }
    }
    assert_eq!(seen.len(), 7, "every kind of symbol occurs in the examples");
}

/// The workspace's maps are keyed by the model's ids too: each table and column of the schema, each
/// territory, and each rule of the credit block.
#[test]
fn the_schema_territories_and_credit_rules_have_their_places() {
    let db = CompDb::default();
    let ws = db.workspace(workspaces().remove(0));
    let schema = check::schema_checked(&db, ws);
    for (id, table) in schema.model.tables.iter_enumerated() {
        let source = schema.sources.tables.iter().find(|t| t.id == Some(id)).expect("each table is declared");
        assert_eq!(source.name, table.name);
        assert_eq!(&source.file.text(&db)[source.name_span.start..source.name_span.end], table.name);
        for (column, c) in table.columns.iter().enumerate() {
            let written = source.columns.iter().find(|s| s.id == Some(column)).expect("each column is declared");
            let declared = &source.file.text(&db)[written.span.start..written.span.end];
            assert!(declared.starts_with(&format!("{}:", c.name)), "{declared}");
        }
    }
    let territories = check::territories_checked(&db, ws);
    assert_eq!(territories.sources.territories.len(), territories.model.len());
    let credit = &check::crediting_checked(&db, ws).sources;
    let rules = [
        (CreditRuleKind::Owner, "deal to"),
        (CreditRuleKind::Splits, "deal by"),
        (CreditRuleKind::Clawback, "clawback"),
        (CreditRuleKind::Convert, "convert"),
    ];
    for (form, starts) in rules {
        let (file, span) = credit.rule(form).expect("the example has the rule");
        assert!(file.text(&db)[span.start..].starts_with(starts), "{form:?}");
    }
}

/// A comment on line 1 moves every span of the file: the plan's map changes (its places move down
/// by the comment's length), while its model — and so the plan's result — compares equal, and
/// nothing that reads only the model runs again.
#[test]
fn a_comment_only_edit_changes_the_source_map_but_not_the_model() {
    let mut db = CompDb::with_query_log();
    let ws = db.workspace(workspaces().remove(0));
    let file = *ws.files(&db).iter().find(|f| f.path(&db).ends_with("enterprise_ae.plan")).expect("the AE plan");
    let item = check::file_plans(&db, ws, file)[0];
    let checked = check::check_plan_item(&db, item);
    let (model_before, types_before) = (checked.model.clone(), checked.types.clone());
    let map_before = checked.sources.map(&db).clone();
    check::workspace_model(&db, ws);
    db.take_executed();

    let comment = "// reviewed by finance\n";
    db.set_text(file, format!("{comment}{}", file.text(&db)));
    let item = check::file_plans(&db, ws, file)[0];
    let checked = check::check_plan_item(&db, item);
    let (model_after, types_after) = (checked.model.clone(), checked.types.clone());
    let map_after = checked.sources.map(&db).clone();
    check::workspace_model(&db, ws);
    let log = db.take_executed();

    assert!(log.iter().any(|q| q.starts_with("check_plan_item")), "the plan is checked again: {log:?}");
    assert!(model_after.is_some() && model_after == model_before, "the model holds no spans");
    assert_eq!(types_after, types_before);
    // The result (model, types and the map's entity) compared equal: what reads it did not run.
    assert!(!log.iter().any(|q| q.starts_with("check_file")), "{log:?}");
    assert!(!log.iter().any(|q| q.starts_with("workspace_model")), "{log:?}");
    assert_ne!(map_after, map_before, "the map moved with the text");
    let moved =
        |span: compplan::ast::Span| compplan::ast::Span::new(span.start + comment.len(), span.end + comment.len());
    let name = |map: &PlanSourceMap| map.definition("commission").expect("the commission").name_span;
    assert_eq!(name(&map_after), moved(name(&map_before)));
    assert_eq!(map_after.header, moved(map_before.header));
    assert_eq!(map_after.occurrences.len(), map_before.occurrences.len());
}
