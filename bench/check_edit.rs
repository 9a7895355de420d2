//! The compiler benchmark: `cargo run --release --example check_edit -- WORKSPACE_DIR`.
//!
//! Loads every `.plan` file under the folder into one analysis database, checks the whole workspace
//! cold, then edits one line of one plan (a rate, back and forth) and checks again, many times. It
//! times what an editor or `compplan check --watch` would see: the salsa queries re-run after an
//! edit, not reading files. Prints one line per measurement, as Markdown table cells.

use compplan::{check, CompDb};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn plan_files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else { continue };
        for path in entries.flatten().map(|e| e.path()) {
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "plan") {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

fn millis(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: check_edit WORKSPACE_DIR");
        std::process::exit(64);
    };
    let sources: Vec<(String, String)> = plan_files(Path::new(&dir))
        .into_iter()
        .filter_map(|p| Some((p.display().to_string(), std::fs::read_to_string(&p).ok()?)))
        .collect();

    let started = Instant::now();
    let mut db = CompDb::default();
    let ws = db.workspace(sources);
    let errors = check::diagnostics(&db, ws).len();
    let cold = started.elapsed();
    println!(
        "| plan files | {} |\n| cold check through the analysis API (in one process) | {} ({errors} diagnostics) |",
        ws.files(&db).len(),
        millis(cold)
    );

    // Edit the middle plan: a rate that any generated plan has, alternated so every edit changes the model.
    let candidates: Vec<_> = ws.files(&db).iter().copied().filter(|f| f.text(&db).contains(": 8%")).collect();
    let Some(&file) = candidates.get(candidates.len() / 2) else {
        eprintln!("no generated plan (with a rate of 8%) under {dir}");
        std::process::exit(1);
    };
    let original = file.text(&db).to_string();
    let edited = original.replacen(": 8%", ": 9%", 1);
    let mut times = Vec::new();
    for round in 0..50 {
        db.set_text(file, if round % 2 == 0 { edited.clone() } else { original.clone() });
        let started = Instant::now();
        let count = check::diagnostics(&db, ws).len();
        times.push(started.elapsed());
        if round == 0 {
            println!("| edited | {} |", file.path(&db));
        }
        assert_eq!(count, errors, "an edit of a rate adds no diagnostic");
    }
    times.sort();
    println!("| re-check after a one-line edit, median of 50 | {} |", millis(times[times.len() / 2]));
    println!("| re-check after a one-line edit, slowest of 50 | {} |", millis(times[times.len() - 1]));
}
