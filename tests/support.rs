//! Helpers shared by the test modules: building a workspace from files and rendering diagnostics.

use compplan::{check, diagnostics::render, CompDb};
use std::path::Path;
use std::process::{Command, Output};

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
                // As the CLI reads a plan (a fixture for E0010 is not UTF-8).
                out.push((name, compplan::syntax::decode(std::fs::read(&path).expect("readable plan"))));
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

/// Runs the binary in the repository's root.
pub fn compplan(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_compplan"))
        .args(args)
        .current_dir(crate::support::root())
        .env_remove("NO_COLOR")
        .output()
        .expect("the binary runs")
}

/// What a run printed on stdout.
pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// What a run printed on stderr.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A fresh empty folder under the system's temporary folder, removed when the test ends.
pub struct Scratch(std::path::PathBuf);

impl std::ops::Deref for Scratch {
    type Target = std::path::Path;
    fn deref(&self) -> &std::path::Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub fn scratch(name: &str) -> Scratch {
    let dir = std::env::temp_dir().join(format!("compplan-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp folder");
    Scratch(dir)
}

/// A copy of the bundled data with one file replaced.
pub fn data_with(name: &str, file: &str, edit: impl Fn(String) -> String) -> Scratch {
    let dir = scratch(name);
    for entry in std::fs::read_dir(crate::support::root().join("plans/data")).expect("data") {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("csv");
        let file_name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
        let text = if file_name == file { edit(text) } else { text };
        std::fs::write(dir.join(&file_name), text).expect("write");
    }
    dir
}

/// Copies a folder and everything below it.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("folder");
    for entry in std::fs::read_dir(from).expect("readable") {
        let path = entry.expect("entry").path();
        let target = to.join(path.file_name().expect("name"));
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).expect("copy");
        }
    }
}
