//! The plan target: a workspace of plan files (one of them mutated) parsed and checked as
//! `compplan check` does, its diagnostics rendered in every format, the mutated file formatted and
//! analysed as an editor would, and checked again incrementally as the language server does.
//!
//! Oracles, besides no panic, no abort and no hang: every diagnostic points inside its file, on
//! character boundaries; formatting is idempotent and keeps the checked model and the diagnostic
//! codes; a workspace checked after an edit (salsa reusing what it can) reports exactly what a
//! fresh check reports.

use crate::corpus::Input;
use crate::worker::{feature, Outcome, Target};
use compplan::analysis::{self, positions};
use compplan::diagnostics::{render, Diagnostic};
use compplan::source::{LineIndex, Workspace};
use compplan::{check, fmt, syntax, CompDb};

/// The target, with the database it keeps between inputs for the incremental check.
#[derive(Default)]
pub struct PlanTarget {
    kept: Option<(Vec<String>, CompDb, Workspace)>,
    runs: u64,
}

impl Target for PlanTarget {
    fn run(&mut self, input: &Input) -> Outcome {
        self.runs += 1;
        let mut outcome = Outcome::default();
        let sources: Vec<(String, String)> =
            input.files.iter().map(|(path, bytes)| (path.clone(), syntax::decode(bytes.clone()))).collect();
        let focus = input.files.get(input.focus).map(|(p, _)| p.clone()).unwrap_or_default();
        let db = CompDb::default();
        let ws = db.workspace(sources.clone());
        let (diagnostics, model) =
            outcome.timed("check", || (check::diagnostics(&db, ws), check::workspace_model(&db, ws).clone()));
        outcome.features.extend(diagnostics.iter().map(|d| feature(d.code.id, &d.message)));
        let mut failure = located(&db, &diagnostics);
        // Rendering is slow next to checking: one input in four is rendered in every format.
        let rendered = self.runs.is_multiple_of(4).then(|| {
            outcome.timed("render as JSON and for GitHub", || {
                (render::json(&db, &diagnostics), render::github(&db, &diagnostics))
            });
            outcome.timed("render as text", || render::plain(&db, &diagnostics))
        });
        let file = ws.files(&db).iter().copied().find(|f| *f.path(&db) == focus);
        if let Some(file) = file {
            let text = file.text(&db).to_string();
            if failure.is_none() {
                failure = formatted(&sources, &focus, &text, &diagnostics, &model, &mut outcome);
            }
            let problem = outcome.timed("analysis", || analyse(&db, ws, file, &text, self.runs));
            failure = failure.or(problem);
        }
        if let (None, Some(rendered)) = (&failure, &rendered) {
            failure = self.incremental(&sources, rendered, &model, &mut outcome);
        }
        outcome.failure = failure;
        outcome
    }

    fn reset(&mut self) {
        self.kept = None;
    }
}

impl PlanTarget {
    /// Checks the sources in the kept database (each file's text set, the others reused), and
    /// compares with the fresh check.
    fn incremental(
        &mut self,
        sources: &[(String, String)],
        fresh: &str,
        model: &compplan::model::Workspace,
        outcome: &mut Outcome,
    ) -> Option<String> {
        let paths: Vec<String> = sources.iter().map(|(p, _)| p.clone()).collect();
        if self.kept.as_ref().is_none_or(|(kept, ..)| *kept != paths) || self.runs.is_multiple_of(4096) {
            let db = CompDb::default();
            let ws = db.workspace(sources.to_vec());
            self.kept = Some((paths, db, ws));
        }
        let (_, db, ws) = self.kept.as_mut()?;
        let ws = *ws;
        let files = ws.files(db).clone();
        let (again, same_model) = outcome.timed("check after an edit", || {
            for file in files {
                let text = sources.iter().find(|(p, _)| p == file.path(db)).map(|(_, t)| t.clone()).unwrap_or_default();
                db.set_text(file, text);
            }
            let diagnostics = check::diagnostics(db, ws);
            (render::plain(db, &diagnostics), check::workspace_model(db, ws) == model)
        });
        if again != fresh {
            return Some(format!(
                "a workspace checked after an edit reports other diagnostics than a fresh check\n--- fresh\n{fresh}\n--- after the edit\n{again}"
            ));
        }
        if !same_model {
            return Some("a workspace checked after an edit has another model than a fresh check".to_string());
        }
        None
    }
}

/// Every diagnostic's labels point inside their file, at character boundaries.
fn located(db: &CompDb, diagnostics: &[Diagnostic]) -> Option<String> {
    for d in diagnostics {
        for label in &d.labels {
            let Some(file) = label.file else { continue };
            let text = file.text(db);
            let span = label.span;
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
/// the formatted file must check to the same model with the same codes.
fn formatted(
    sources: &[(String, String)],
    focus: &str,
    text: &str,
    diagnostics: &[Diagnostic],
    model: &compplan::model::Workspace,
    outcome: &mut Outcome,
) -> Option<String> {
    let once = outcome.timed("format", || fmt::format_text(text))?;
    outcome.features.push(feature("fmt", if once == text { "unchanged" } else { "changed" }));
    let twice = outcome.timed("format again", || fmt::format_text(&once));
    if twice.as_deref() != Some(once.as_str()) {
        let shown = twice.as_deref().unwrap_or("(declined)");
        return Some(format!("{focus}: formatting twice changed the text\n--- once\n{once}\n--- twice\n{shown}"));
    }
    if once == text {
        return None;
    }
    let replaced: Vec<(String, String)> =
        sources.iter().map(|(p, t)| (p.clone(), if p == focus { once.clone() } else { t.clone() })).collect();
    let db = CompDb::default();
    let ws = db.workspace(replaced);
    let (after, model_after) = outcome
        .timed("check the formatted file", || (check::diagnostics(&db, ws), check::workspace_model(&db, ws).clone()));
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
            "{focus}: the formatted file reports {:?} instead of {:?}\n--- formatted\n{once}",
            codes(&after),
            codes(diagnostics)
        ));
    }
    if model_after != *model {
        return Some(format!("{focus}: the formatted file checks to another model\n--- formatted\n{once}"));
    }
    None
}

/// Asks what an editor asks, at a few offsets: hover, definition, references, completion, the
/// outline, diagnostics by file, formatting, and the conversion of positions to UTF-16 and back.
fn analyse(db: &CompDb, ws: Workspace, file: compplan::source::SourceFile, text: &str, runs: u64) -> Option<String> {
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
