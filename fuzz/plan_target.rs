//! The plan target: a workspace of plan files (one of them mutated) parsed and checked as the
//! language server does (in a database kept from input to input, so that salsa re-runs only what
//! the edit touched), the file in focus analysed as an editor would (one input in two) or
//! formatted (the others), and one input in four checked afresh as `compplan check` does, its
//! diagnostics rendered in every format.
//!
//! Oracles, besides no panic, no abort and no hang: every diagnostic points inside its file, on
//! character boundaries; formatting is idempotent and keeps the checked model and the diagnostic
//! codes; a workspace checked after an edit reports exactly what a fresh check reports, with the
//! same model.

use crate::corpus::Input;
use crate::worker::{feature, Outcome, Target};
use compplan::analysis::{self, positions};
use compplan::diagnostics::{render, Diagnostic};
use compplan::model;
use compplan::source::{LineIndex, SourceFile, Workspace};
use compplan::{check, fmt, syntax, CompDb};

/// The target, with the databases it keeps between inputs, by the paths of their files.
#[derive(Default)]
pub struct PlanTarget {
    kept: Vec<(Vec<String>, CompDb, Workspace)>,
    runs: u64,
}

/// The most databases kept.
const KEPT: usize = 16;

impl Target for PlanTarget {
    fn run(&mut self, input: &Input) -> Outcome {
        self.runs += 1;
        let runs = self.runs;
        let mut outcome = Outcome::default();
        // The file in focus is named `focus.plan` whatever its path: inputs from different seeds
        // then share a workspace's shape (a fixture and the checker's prelude), and the kept
        // database is reused.
        let focus = "focus.plan".to_string();
        let sources: Vec<(String, String)> = input
            .files
            .iter()
            .enumerate()
            .map(|(i, (path, bytes))| {
                let path = if i == input.focus { focus.clone() } else { path.clone() };
                (path, syntax::decode(bytes.clone()))
            })
            .collect();
        let (db, ws) = self.database(&sources);
        let (diagnostics, model) = outcome.timed("check after an edit", || {
            for file in ws.files(db).clone() {
                let text = sources.iter().find(|(p, _)| p == file.path(db)).map(|(_, t)| t.clone()).unwrap_or_default();
                db.set_text(file, text);
            }
            (check::diagnostics(db, ws), check::workspace_model(db, ws).clone())
        });
        outcome.features.extend(diagnostics.iter().map(|d| feature(d.code.id, &d.message)));
        let mut failure = located(db, &diagnostics);
        // The editor's questions on one input in two, formatting on the others: both cost about
        // what checking does.
        if let Some(file) = ws.files(db).iter().copied().find(|f| *f.path(db) == focus) {
            if runs.is_multiple_of(2) {
                let problem = outcome.timed("analysis", || analyse(db, ws, file, runs));
                failure = failure.or(problem);
            } else if failure.is_none() {
                failure = formatted(db, ws, file, &diagnostics, &model, &mut outcome);
            }
        }
        if failure.is_none() && runs.is_multiple_of(4) {
            let edited = render::plain(db, &diagnostics);
            failure = fresh(&sources, &edited, &model, &mut outcome);
        }
        outcome.failure = failure;
        outcome
    }

    fn reset(&mut self) {
        self.kept.clear();
    }
}

impl PlanTarget {
    /// The kept database and workspace for files of these paths (a new one for paths not seen
    /// lately; all of them now and then, so that memory does not grow without end).
    fn database(&mut self, sources: &[(String, String)]) -> (&mut CompDb, Workspace) {
        if self.runs.is_multiple_of(8192) {
            self.kept.clear();
        }
        let paths: Vec<String> = sources.iter().map(|(p, _)| p.clone()).collect();
        let at = match self.kept.iter().position(|(kept, ..)| *kept == paths) {
            Some(at) => at,
            None => {
                if self.kept.len() >= KEPT {
                    self.kept.remove(0);
                }
                let db = CompDb::default();
                let ws = db.workspace(sources.to_vec());
                self.kept.push((paths, db, ws));
                self.kept.len() - 1
            }
        };
        let (_, db, ws) = &mut self.kept[at];
        (db, *ws)
    }
}

/// Checks the sources in a new database, as `compplan check` does, renders the diagnostics in
/// every format, and compares them with the kept database's.
fn fresh(
    sources: &[(String, String)],
    edited: &str,
    model: &model::Workspace,
    outcome: &mut Outcome,
) -> Option<String> {
    let db = CompDb::default();
    let ws = db.workspace(sources.to_vec());
    let (diagnostics, same_model) =
        outcome.timed("check", || (check::diagnostics(&db, ws), check::workspace_model(&db, ws) == model));
    outcome.timed("render as JSON and for GitHub", || {
        (render::json(&db, &diagnostics), render::github(&db, &diagnostics))
    });
    let rendered = outcome.timed("render as text", || render::plain(&db, &diagnostics));
    if rendered != edited {
        return Some(format!(
            "a workspace checked after an edit reports other diagnostics than a fresh check\n--- fresh\n{rendered}\n--- after the edit\n{edited}"
        ));
    }
    if !same_model {
        return Some("a workspace checked after an edit has another model than a fresh check".to_string());
    }
    None
}

/// Every diagnostic's labels point inside their file, at character boundaries.
fn located(db: &CompDb, diagnostics: &[Diagnostic]) -> Option<String> {
    for d in diagnostics {
        for label in &d.labels {
            let (Some(file), Some(span)) = (label.file(), label.span()) else { continue };
            let text = file.text(db);
            if span.start > span.end
                || span.end > text.len()
                || !text.is_char_boundary(span.start)
                || !text.is_char_boundary(span.end)
            {
                return Some(format!(
                    "{}: a label of {} points at bytes {}..{} of a text of {} bytes (or inside a character)",
                    file.path(db),
                    d.code.id,
                    span.start,
                    span.end,
                    text.len()
                ));
            }
        }
    }
    None
}

/// Formats the file in focus: formatting its result must change nothing, and the workspace with
/// the formatted file must check to the same model with the same codes. The formatted text is put
/// in the kept database, then the text as it was.
fn formatted(
    db: &mut CompDb,
    ws: Workspace,
    file: SourceFile,
    diagnostics: &[Diagnostic],
    model: &model::Workspace,
    outcome: &mut Outcome,
) -> Option<String> {
    let path = file.path(db).clone();
    let once = outcome.timed("format", || fmt::format_file(db, file))?;
    let text = file.text(db).to_string();
    outcome.features.push(feature("fmt", if once == text { "unchanged" } else { "changed" }));
    if once == text {
        return None;
    }
    let twice = outcome.timed("format again", || fmt::format_text(&once));
    if twice.as_deref() != Some(once.as_str()) {
        let shown = twice.as_deref().unwrap_or("(declined)");
        return Some(format!("{path}: formatting twice changed the text\n--- once\n{once}\n--- twice\n{shown}"));
    }
    db.set_text(file, once.clone());
    let (after, model_after) = outcome
        .timed("check the formatted file", || (check::diagnostics(db, ws), check::workspace_model(db, ws).clone()));
    db.set_text(file, text);
    let codes = |ds: &[Diagnostic]| {
        let mut c: Vec<&str> = ds.iter().map(|d| d.code.id).collect();
        c.sort_unstable();
        c
    };
    // Beyond 500 errors in a file, which ones are shown depends on where they are, and formatting
    // moves lines: the codes are compared only when every diagnostic is shown.
    let capped = |ds: &[Diagnostic]| ds.iter().any(|d| d.code.id == "N0011");
    if codes(&after) != codes(diagnostics) && !capped(&after) && !capped(diagnostics) {
        return Some(format!(
            "{path}: the formatted file reports {:?} instead of {:?}\n--- formatted\n{once}",
            codes(&after),
            codes(diagnostics)
        ));
    }
    if model_after != *model {
        return Some(format!("{path}: the formatted file checks to another model\n--- formatted\n{once}"));
    }
    None
}

/// Asks what an editor asks, at a few offsets: hover, definition, references, completion, the
/// outline, diagnostics by file, formatting, and the conversion of positions to UTF-16 and back.
fn analyse(db: &CompDb, ws: Workspace, file: SourceFile, runs: u64) -> Option<String> {
    let text = file.text(db);
    let index = LineIndex::new(text);
    let mut offsets = vec![0, text.len()];
    let mut spread = runs.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    for _ in 0..3 {
        spread = spread.rotate_left(17).wrapping_add(runs);
        let mut at = (spread % (text.len() as u64 + 1)) as usize;
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        // Between the `\r` and the `\n` of a line break is no place an editor can name.
        if at > 0 && text.as_bytes()[at - 1] == b'\r' && text.as_bytes().get(at) == Some(&b'\n') {
            at -= 1;
        }
        offsets.push(at);
    }
    let mut problem = None;
    for offset in offsets {
        let _ = analysis::hover(db, ws, file, offset);
        let _ = analysis::definition(db, ws, file, offset);
        let _ = analysis::references(db, ws, file, offset, true);
        let _ = analysis::completions(db, ws, file, offset);
        let position = positions::to_utf16(text, &index, offset);
        let back = positions::from_utf16(text, &index, position);
        if back != offset && problem.is_none() {
            problem = Some(format!("offset {offset} is {position:?} in UTF-16, which converts back to {back}"));
        }
    }
    let _ = analysis::document_symbols(db, file);
    let _ = analysis::diagnostics_by_file(db, ws);
    let _ = analysis::format(db, file);
    problem
}
