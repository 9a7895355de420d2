//! Bad-data fixtures: each `tests/data/<case>/` replaces some files of the bundled data
//! (`plans/data/`) with a broken copy; loading and crediting must report the problem with its file,
//! line and column. The README's first word is the code that must be reported; the rendered
//! diagnostics are snapshotted with the changed files.

use compplan::data::Input;
use compplan::diagnostics::render;
use compplan::eval::Request;
use compplan::pipeline::{self, Plans, Stop};
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

/// The bundled plans, checked.
fn bundled_plans() -> Plans {
    let root = crate::support::root();
    match Plans::check(crate::support::plan_sources(&root.join("plans"), root)) {
        Ok(plans) => plans,
        Err(failed) => panic!("the bundled plans check: {}", render::plain(failed.plans.db(), failed.diagnostics())),
    }
}

/// A file's text with its control characters (other than line breaks and tab) shown as the
/// Unicode control pictures (`␀` for NUL), so that a snapshot holds no raw control character.
fn visible(text: &str) -> String {
    text.chars()
        .map(|c| match c as u32 {
            0x0a | 0x09 => c,
            code @ 0..=0x1f => char::from_u32(0x2400 + code).unwrap_or(c),
            _ => c,
        })
        .collect()
}

#[test]
fn bad_data_is_reported_with_file_line_and_column() {
    let root = crate::support::root();
    let plans = bundled_plans();
    let model = plans.model();
    let base = root.join("plans/data");
    insta::glob!("data/*/README", |readme| {
        let case = readme.parent().expect("case folder");
        let note = std::fs::read_to_string(readme).expect("README");
        let code = note.split(':').next().unwrap_or_default().to_string();
        let mut open = open_overlay(case, &base);
        let diagnostics = match pipeline::load(model, &mut open) {
            Err(errors) => errors,
            Ok(dataset) => {
                let request = Request { period: "2026-05".parse().expect("period"), rep: None, ledger: None };
                match pipeline::evaluate(model, &dataset, &request, &mut open) {
                    Err(Stop::Data(problems)) => problems,
                    _ => Vec::new(),
                }
            }
        };
        let rendered = render::plain(plans.db(), &diagnostics);
        assert!(diagnostics.iter().any(|d| d.code.id == code), "{} must report {code}:\n{rendered}", case.display());
        for d in &diagnostics {
            if let Some(place) = d.cell() {
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
                    visible(&std::fs::read_to_string(&p).unwrap_or_default())
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
    let plans = bundled_plans();
    let base = root.join("plans/data");
    let mut overlay = open_overlay(&base, &base);
    let mut without_reps = |table: &str| if table == "reps" { Ok(None) } else { overlay(table) };
    let errors = match pipeline::load(plans.model(), &mut without_reps) {
        Err(errors) => errors,
        Ok(_) => panic!("the data cannot load without reps.csv"),
    };
    let rendered = render::plain(plans.db(), &errors);
    // deals.csv, quotas.csv, splits.csv and meetings.csv name reps 27 times: none is reported.
    assert_eq!(errors.len(), 1, "{rendered}");
    assert_eq!(errors[0].code.id, "E0700");
    assert_eq!(errors[0].message, "the data folder has no `reps.csv`");
}

#[test]
fn a_negative_rep_column_that_a_plan_computes_a_quota_from_is_refused_at_its_cell() {
    let root = crate::support::root();
    let mut sources = crate::support::plan_sources(&root.join("plans"), root);
    // A quota of four times `target_incentive`: from then on that column must not be negative.
    sources.push((
        "plans/incentive_quota.plan".to_string(),
        "plan incentive_quota version 1 {\n  effective 2026-01-01 to 2026-12-31\n  currency USD\n  pay monthly\n  \
         eligible when rep.role is \"AE\"\n  quota target = 4 × rep.target_incentive split evenly by month\n  \
         measure bookings = sum of credit.amount\n  attainment att = bookings ytd / target ytd\n  \
         earn commission = 1% of bookings period\n}\n"
            .to_string(),
    ));
    let plans = match Plans::check(sources) {
        Ok(plans) => plans,
        Err(failed) => panic!("{}", render::plain(failed.plans.db(), failed.diagnostics())),
    };
    let base = root.join("plans/data");
    let case = crate::support::data_with("rep-column-quota", "reps.csv", |t| {
        t.replace("bob,Bob Chen,AE,EMEA,maria,2026-04-01,,60000", "bob,Bob Chen,AE,EMEA,maria,2026-04-01,,-60000")
    });
    let errors = match pipeline::load(plans.model(), &mut open_overlay(&case, &base)) {
        Err(errors) => errors,
        Ok(_) => panic!("a negative quota must be refused"),
    };
    let rendered = render::plain(plans.db(), &errors);
    assert_eq!(errors.len(), 1, "{rendered}");
    assert_eq!(errors[0].code.id, "E0713", "{rendered}");
    assert_eq!(errors[0].message, "the quota amount -60000 is below zero");
    let place = errors[0].cell().expect("placed");
    // bob is on line 4; target_incentive is the eighth field, after `bob,Bob Chen,AE,EMEA,maria,2026-04-01,,`.
    assert_eq!((place.path.as_str(), place.line, place.column), ("data/reps.csv", 4, 40), "{rendered}");
    assert_eq!(errors[0].notes, vec!["plan `incentive_quota` (`target`) reads a quota from `reps.target_incentive`"]);

    // Without that plan the same column is an incentive, not a quota: a negative one is not refused here.
    assert!(pipeline::load(bundled_plans().model(), &mut open_overlay(&case, &base)).is_ok());
}

/// Keys are kept as written and read as their declared type: a whole number, a date, a plan year,
/// text. A reference is resolved by the key's text, and reads as the key's type too.
#[test]
fn keys_are_read_as_their_declared_type() {
    use compplan::data::KeyValue;
    let schema = "schema reps { id: integer key; name: text }\nschema days { day: date key; rep: ref reps }\n\
                  schema years { year: year key }\nschema codes { code: currency key }\n";
    let db = CompDb::default();
    let ws = db.workspace(vec![("schema.plan".to_string(), schema.to_string())]);
    assert!(!check::has_errors(&check::diagnostics(&db, ws)));
    let model = check::workspace_model(&db, ws);
    let files = [
        ("reps", "id,name\n7,Maria\n-12,Alice\n"),
        ("days", "day,rep\n2026-03-01,-12\n"),
        ("years", "year\n2026\n"),
        ("codes", "code\nEUR\n"),
    ];
    let mut open = |table: &str| -> Result<Option<Input>, String> {
        Ok(files.iter().find(|(t, _)| *t == table).map(|(_, csv)| Input {
            path: format!("{table}.csv"),
            reader: Box::new(std::io::Cursor::new(csv.as_bytes().to_vec())),
            size: None,
        }))
    };
    let dataset = pipeline::load(model, &mut open).expect("the data loads");
    let table = |name: &str| model.schema.table(name).expect("a table");
    assert_eq!(dataset.key_value(table("reps"), "-12"), Some(KeyValue::Number((-12).into())));
    let day = chrono::NaiveDate::from_ymd_opt(2026, 3, 1).expect("a day");
    assert_eq!(dataset.key_value(table("days"), "2026-03-01"), Some(KeyValue::Date(day)));
    assert_eq!(dataset.key_value(table("years"), "2026"), Some(KeyValue::Year(2026)));
    assert_eq!(dataset.key_value(table("codes"), "EUR"), Some(KeyValue::Text("EUR")));
    // Alice's row is found by her key as written.
    let row = compplan::model::RowIdx::new;
    assert_eq!(dataset.row_of_key(table("reps"), "-12"), Some(row(1)));
    let rep = compplan::model::ColumnId { table: table("days"), column: 1 };
    assert_eq!(dataset.reference(rep, row(0)), Some(row(1)));
}

#[test]
fn an_owner_in_the_split_rows_of_an_overlay_is_warned_of_and_the_run_goes_on() {
    let root = crate::support::root();
    let mut sources = crate::support::plan_sources(&root.join("plans"), root);
    for (path, text) in &mut sources {
        if path.ends_with("crediting.plan") {
            *text = text.replace("  deal by splits ", "  deal by splits overlay ");
        }
    }
    let plans = match Plans::check(sources) {
        Ok(plans) => plans,
        Err(failed) => panic!("the plans check: {}", render::plain(failed.plans.db(), failed.diagnostics())),
    };
    let base = root.join("plans/data");
    // splits.csv: P5,pia,50 · P5,raj,30 · P5,sam,20, and pia owns P5: she is credited the whole
    // deal as its owner and 50% again as a split rep.
    let data = match pipeline::load(plans.model(), &mut open_overlay(&base, &base)) {
        Ok(data) => data,
        Err(errors) => panic!("the data loads: {}", render::plain(plans.db(), &errors)),
    };
    let rendered = render::plain(plans.db(), &data.warnings);
    assert_eq!(data.warnings.len(), 1, "{rendered}");
    assert_eq!(data.warnings[0].code.id, "W0718");
    assert_eq!(
        data.warnings[0].message,
        "`pia` owns deal `P5` and is in its split rows: under `overlay` they are credited twice"
    );
    assert!(rendered.contains("data/splits.csv:2:4"), "{rendered}");
}
