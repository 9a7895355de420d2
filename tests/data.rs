//! Bad-data fixtures: each `tests/data/<case>/` replaces some files of the bundled data
//! (`plans/data/`) with a broken copy; loading and crediting must report the problem with its file,
//! line and column. The README's first word is the code that must be reported; the rendered
//! diagnostics are snapshotted with the changed files.

use compplan::data::{self, Input};
use compplan::eval::{self, Failure, Request};
use compplan::{check, CompDb};
use std::path::Path;

fn open_overlay<'a>(case: &'a Path, base: &'a Path) -> impl FnMut(&str) -> Result<Option<Input>, String> + 'a {
    move |table: &str| {
        let file = format!("{table}.csv");
        let path = if case.join(&file).exists() { case.join(&file) } else { base.join(&file) };
        match std::fs::read(&path) {
            Ok(bytes) => Ok(Some(Input {
                path: format!("data/{file}"),
                size: Some(bytes.len() as u64),
                reader: Box::new(std::io::Cursor::new(bytes)),
            })),
            Err(_) => Ok(None),
        }
    }
}

#[test]
fn bad_data_is_reported_with_file_line_and_column() {
    let root = crate::support::root();
    let db = CompDb::default();
    let ws = db.workspace(crate::support::plan_sources(&root.join("plans"), root));
    let model = check::workspace_model(&db, ws);
    let base = root.join("plans/data");
    insta::glob!("data/*/README", |readme| {
        let case = readme.parent().expect("case folder");
        let note = std::fs::read_to_string(readme).expect("README");
        let code = note.split(':').next().unwrap_or_default().to_string();
        let diagnostics = match data::load(&model.schema, model.crediting.as_ref(), open_overlay(case, &base)) {
            Err(errors) => errors,
            Ok(dataset) => {
                let request = Request { period: "2026-05".parse().expect("period"), rep: None, ledger: None };
                match eval::run(model, &dataset, &request) {
                    Err(Failure::Data(pending)) => {
                        data::place(&model.schema, &dataset, pending, open_overlay(case, &base))
                    }
                    _ => Vec::new(),
                }
            }
        };
        let rendered: String = diagnostics.iter().map(|d| d.render()).collect();
        assert!(diagnostics.iter().any(|d| d.code.id == code), "{} must report {code}:\n{rendered}", case.display());
        for d in &diagnostics {
            if let Some(place) = &d.place {
                assert!(place.line > 0 && place.column > 0, "every problem has a line and a column: {rendered}");
            }
        }
        let mut changed: Vec<String> = std::fs::read_dir(case)
            .expect("case")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "csv"))
            .map(|p| {
                format!(
                    "{}:\n{}",
                    p.file_name().and_then(|n| n.to_str()).unwrap_or_default(),
                    std::fs::read_to_string(&p).unwrap_or_default()
                )
            })
            .collect();
        changed.sort();
        insta::assert_snapshot!(format!(
            "{note}----- CHANGED FILES\n{}\n----- DIAGNOSTICS\n{rendered}",
            changed.join("\n")
        ));
    });
}

#[test]
fn a_missing_reps_file_is_reported_once_not_at_every_reference_to_a_rep() {
    let root = crate::support::root();
    let db = CompDb::default();
    let ws = db.workspace(crate::support::plan_sources(&root.join("plans"), root));
    let model = check::workspace_model(&db, ws);
    let base = root.join("plans/data");
    let mut overlay = open_overlay(&base, &base);
    let without_reps = |table: &str| if table == "reps" { Ok(None) } else { overlay(table) };
    let errors = match data::load(&model.schema, model.crediting.as_ref(), without_reps) {
        Err(errors) => errors,
        Ok(_) => panic!("the data cannot load without reps.csv"),
    };
    let rendered: String = errors.iter().map(|d| d.render()).collect();
    // deals.csv, quotas.csv, splits.csv and meetings.csv name reps 27 times: none is reported.
    assert_eq!(errors.len(), 1, "{rendered}");
    assert_eq!(errors[0].code.id, "E0700");
    assert_eq!(errors[0].message, "the data folder has no `reps.csv`");
}
