//! Helpers shared by the test modules: building a workspace from files and rendering diagnostics.

use compplan::{check, diagnostics::render, CompDb};
use std::path::Path;

/// Reads every `.plan` file under `dir` (recursively), with paths relative to `base`.
pub fn plan_sources(dir: &Path, base: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("readable fixture folder") {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "plan") {
                let name = path.strip_prefix(base).unwrap_or(&path).display().to_string();
                out.push((name, std::fs::read_to_string(&path).expect("readable plan")));
            }
        }
    }
    out.sort();
    out
}

/// Checks a set of sources and renders every diagnostic as plain text.
pub fn check_sources(sources: Vec<(String, String)>) -> (String, Vec<compplan::diagnostics::Diagnostic>) {
    let db = CompDb::default();
    let ws = db.workspace(sources);
    let diagnostics = check::diagnostics(&db, ws);
    (render::plain(&db, &diagnostics), diagnostics)
}

/// The repository root, for fixture paths.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}
