//! The analysis API behind the language server, tested without the protocol.
//!
//! Each `tests/analysis/*.plan` fixture is added to the example workspace in `plans/` and carries
//! cursor markers (`{|hover|}`, `{|definition|}`, `{|references|}`, `{|completion|}`): each marker is
//! removed, the request is made at its offset, and the answers are snapshotted next to the source.
//! Positions are printed as people count them and as the protocol does (UTF-16 columns from 0), so
//! a fixture with non-ASCII text before a cursor also checks the conversion both ways.

use crate::support::{plan_sources, root};
use compplan::analysis::{self, positions, FileSpan, Formatting};
use compplan::source::{LineIndex, SourceFile, Workspace};
use compplan::CompDb;

const REQUESTS: [&str; 4] = ["hover", "definition", "references", "completion"];

/// The fixture's text without its markers, and each marker's offset and request.
fn strip_markers(raw: &str) -> (String, Vec<(usize, &'static str)>) {
    let mut text = String::new();
    let mut markers = Vec::new();
    let mut rest = raw;
    while let Some(at) = rest.find("{|") {
        text.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        let end = after.find("|}").expect("a closed marker");
        let request = REQUESTS.iter().find(|r| **r == &after[..end]).expect("a known request");
        markers.push((text.len(), *request));
        rest = &after[end + 2..];
    }
    text.push_str(rest);
    (text, markers)
}

/// The example workspace with one more file.
fn workspace_with(db: &CompDb, path: &str, text: &str) -> (Workspace, SourceFile) {
    let mut sources = plan_sources(&root().join("plans"), root());
    sources.push((path.to_string(), text.to_string()));
    let ws = db.workspace(sources);
    let file = *ws.files(db).iter().find(|f| f.path(db) == path).expect("the fixture is in the workspace");
    (ws, file)
}

/// `path:line:column-line:column` (from 1, columns in characters) and the text spanned.
fn place(db: &CompDb, at: FileSpan) -> String {
    let text = at.file.text(db);
    let index = LineIndex::new(text);
    let (from, to) = index.range(text, at.span);
    format!(
        "{}:{}:{}-{}:{} `{}`",
        at.file.path(db),
        from.line,
        from.column,
        to.line,
        to.column,
        &text[at.span.start..at.span.end]
    )
}

fn answer(db: &CompDb, ws: Workspace, file: SourceFile, offset: usize, request: &str) -> String {
    match request {
        "hover" => match analysis::hover(db, ws, file, offset) {
            Some(hover) => format!("{}\n{}", place(db, FileSpan { file, span: hover.span }), hover.markdown),
            None => "(nothing)".to_string(),
        },
        "definition" => lines(analysis::definition(db, ws, file, offset).into_iter().map(|at| place(db, at)).collect()),
        "references" => {
            lines(analysis::references(db, ws, file, offset, true).into_iter().map(|at| place(db, at)).collect())
        }
        _ => lines(
            analysis::completions(db, ws, file, offset)
                .into_iter()
                .map(|c| {
                    format!("{} ({:?}{})", c.label, c.kind, c.detail.map(|d| format!(": {d}")).unwrap_or_default())
                })
                .collect(),
        ),
    }
}

fn lines(items: Vec<String>) -> String {
    if items.is_empty() {
        "(nothing)".to_string()
    } else {
        items.join("\n")
    }
}

#[test]
fn fixtures() {
    insta::glob!("analysis/*.plan", |path| {
        let raw = std::fs::read_to_string(path).expect("readable fixture");
        let (text, markers) = strip_markers(&raw);
        let name = format!("plans/{}", path.file_name().and_then(|n| n.to_str()).unwrap_or_default());
        let db = CompDb::default();
        let (ws, file) = workspace_with(&db, &name, &text);
        let index = LineIndex::new(&text);
        let mut out = format!("----- SOURCE\n{raw}");
        for (offset, request) in markers {
            let human = index.line_col(&text, offset);
            let lsp = positions::to_utf16(&text, &index, offset);
            assert_eq!(positions::from_utf16(&text, &index, lsp), offset, "the UTF-16 position converts back");
            out.push_str(&format!(
                "\n----- {request} at {}:{} (UTF-16 {}:{})\n",
                human.line, human.column, lsp.line, lsp.character
            ));
            out.push_str(&answer(&db, ws, file, offset, request));
            out.push('\n');
        }
        insta::assert_snapshot!(out);
    });
}

/// The outline of every example plan.
#[test]
fn document_symbols_of_the_examples() {
    let db = CompDb::default();
    let ws = db.workspace(plan_sources(&root().join("plans"), root()));
    let mut out = String::new();
    for &file in ws.files(&db) {
        out.push_str(&format!("----- {}\n", file.path(&db)));
        let mut stack: Vec<(usize, analysis::DocumentSymbol)> =
            analysis::document_symbols(&db, file).into_iter().rev().map(|s| (0, s)).collect();
        while let Some((depth, symbol)) = stack.pop() {
            let at = place(&db, FileSpan { file, span: symbol.selection });
            let detail = symbol.detail.as_deref().map(|d| format!(" — {d}")).unwrap_or_default();
            out.push_str(&format!("{}{:?} {}{detail} @ {at}\n", "  ".repeat(depth), symbol.kind, symbol.name));
            stack.extend(symbol.children.into_iter().rev().map(|c| (depth + 1, c)));
        }
    }
    insta::assert_snapshot!(out);
}

/// The editor sees the same codes and first lines as `compplan check`, with notes and help below,
/// and secondary labels as related places.
#[test]
fn diagnostics_match_check() {
    let text = "plan dup \"Duplicate\" version 1 {\n  effective 2026-01-01 to 2026-12-31\n  currency USD\n  pay monthly\n  // Größe 😀\n  measure m = sum of credit.amount\n  measure m = sum of credit.amount\n  earn e = 5% of m period, only when rep.regoin is \"EMEA\"\n}\n";
    let db = CompDb::default();
    let (ws, file) = workspace_with(&db, "plans/dup.plan", text);
    let by_file = analysis::diagnostics_by_file(&db, ws);
    assert_eq!(by_file.len(), ws.files(&db).len(), "every file is listed, clean ones with no problems");
    // The other files are clean but for the example partner plan's note on its retroactive table.
    let elsewhere: Vec<&str> =
        by_file.iter().filter(|(f, _)| *f != file).flat_map(|(_, problems)| problems.iter().map(|p| p.code)).collect();
    assert_eq!(elsewhere, ["N0307"]);
    let problems = &by_file.iter().find(|(f, _)| *f == file).expect("the file").1;
    let checked = compplan::check::diagnostics(&db, ws);
    let codes: Vec<(&str, String)> =
        problems.iter().map(|p| (p.code, p.message.lines().next().unwrap_or_default().to_string())).collect();
    let expected: Vec<(&str, String)> = checked
        .iter()
        .filter(|d| d.primary_label().and_then(|l| l.file()) == Some(file))
        .map(|d| (d.code.id, d.message.clone()))
        .collect();
    assert_eq!(expected.len(), 2);
    assert_eq!(codes, expected);
    let duplicate = problems.iter().find(|p| p.code == "E0101").expect("the duplicate is reported");
    assert_eq!(place(&db, FileSpan { file, span: duplicate.span }), "plans/dup.plan:7:11-7:12 `m`");
    assert_eq!(duplicate.message, "`m` is defined twice\nhelp: give each definition its own name");
    let related: Vec<String> =
        duplicate.related.iter().map(|(at, message)| format!("{} {message}", place(&db, *at))).collect();
    assert_eq!(related, ["plans/dup.plan:6:11-6:12 `m` first defined here, as a measure"]);
}

/// An edit cancels a request running on a snapshot instead of waiting for it: the setter raises
/// salsa's cancellation flag, the worker's next query unwinds with `Cancelled`, the worker drops its
/// snapshot, and the edit goes through. This is what keeps the language server responsive.
#[test]
fn an_edit_cancels_work_on_a_snapshot() {
    use std::sync::mpsc;
    use std::time::Duration;
    let mut db = CompDb::default();
    let ws = db.workspace(plan_sources(&root().join("plans"), root()));
    let file = *ws.files(&db).iter().find(|f| f.path(&db).ends_with("sales_manager.plan")).expect("the manager plan");
    let snapshot = db.clone();
    let (started, running) = mpsc::channel();
    let worker = std::thread::spawn(move || {
        let mut rounds = 0u64;
        loop {
            let answer = salsa::Cancelled::catch(std::panic::AssertUnwindSafe(|| {
                analysis::diagnostics_by_file(&snapshot, ws).len()
            }));
            rounds += 1;
            if rounds == 1 {
                let _ = started.send(());
            }
            if answer.is_err() {
                return rounds;
            }
        }
    });
    running.recv_timeout(Duration::from_secs(20)).expect("the worker answers on its snapshot");
    let (applied, edited) = mpsc::channel();
    std::thread::spawn(move || {
        let text = file
            .text(&db)
            .replace("earn override = 2% of team_bookings period", "earn override = 2% of team_bookngs period");
        db.set_text(file, text);
        let _ = applied.send(db);
    });
    let db = edited.recv_timeout(Duration::from_secs(20)).expect("the edit is applied: the worker was cancelled");
    let rounds = worker.join().expect("the worker stops");
    assert!(rounds >= 2, "the worker answered, then was cancelled");
    let problems: Vec<&str> =
        analysis::diagnostics_by_file(&db, ws).into_iter().flat_map(|(_, p)| p.into_iter().map(|p| p.code)).collect();
    assert!(problems.contains(&"E0100"), "the new revision sees the edit: {problems:?}");
}

/// Formatting is `compplan fmt`'s layout as one edit of the whole file; nothing for a formatted file,
/// and a distinct answer for one with syntax errors (the language server warns about it).
#[test]
fn formatting_replaces_the_whole_file_with_the_canonical_text() {
    let db = CompDb::default();
    let canonical = std::fs::read_to_string(root().join("plans/sales_manager.plan")).expect("example");
    let messy = canonical.replace("  pay monthly\n", "pay     monthly\n");
    let (_, file) = workspace_with(&db, "plans/messy.plan", &messy.replace("sales_manager", "messy"));
    let Formatting::Edit { span, text } = analysis::format(&db, file) else { panic!("an edit") };
    assert_eq!((span.start, span.end), (0, file.text(&db).len()));
    assert_eq!(text, canonical.replace("sales_manager", "messy"));
    let (_, clean) = workspace_with(&db, "plans/clean.plan", &canonical.replace("sales_manager", "clean"));
    assert_eq!(analysis::format(&db, clean), Formatting::Unchanged, "already formatted");
    let (_, broken) = workspace_with(&db, "plans/broken.plan", "plan broken {\n  earn x = = 5\n");
    assert_eq!(
        analysis::format(&db, broken),
        Formatting::SyntaxErrors,
        "syntax errors: left alone, and the editor is told"
    );
}

/// The detail completion gives `credit.amount` after `credit.` in a workspace's plan.
fn credit_amount_detail(folder: &str) -> String {
    let db = CompDb::default();
    let mut sources = plan_sources(&root().join(folder), root());
    let (path, text) = sources
        .iter_mut()
        .find(|(p, _)| p.ends_with("plans.plan") || p.ends_with("enterprise_ae.plan"))
        .expect("a plan");
    let at = text.find("sum of credit.").expect("a sum of credit") + "sum of credit.".len();
    let path = path.clone();
    let ws = db.workspace(sources);
    let file = *ws.files(&db).iter().find(|f| *f.path(&db) == path).expect("the plan file");
    let amount = analysis::completions(&db, ws, file, at).into_iter().find(|c| c.label == "amount");
    amount.and_then(|c| c.detail).unwrap_or_default()
}

#[test]
fn completion_says_what_credit_amount_is_money_or_units() {
    // Seats are credited (`credit deal.seats`): credit.amount is a number of seats.
    assert_eq!(
        credit_amount_detail("tests/eval/credit_in_units_seats"),
        "a number of seats (credit is in units: `credit deal.seats`)"
    );
    // The shared crediting converts every deal to USD.
    assert_eq!(credit_amount_detail("plans"), "money, in USD (the credit currency)");
}
