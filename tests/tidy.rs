//! House rules checked by the test suite, as rust-analyzer's `tidy.rs` does: every source file says
//! what it is for, stays small, and respects the layer rules written in `src/lib.rs`.

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("readable src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out.sort();
    out
}

#[test]
fn every_source_file_starts_with_a_module_comment_and_stays_small() {
    for file in rust_files(&crate::support::root().join("src")) {
        let text = std::fs::read_to_string(&file).expect("readable");
        assert!(text.starts_with("//!"), "{} must start with a `//!` line saying what it is for", file.display());
        let lines = text.lines().count();
        assert!(lines <= 650, "{} has {lines} lines: split it along a seam a reader would recognise", file.display());
    }
}

#[test]
fn layer_rules_hold() {
    let src = crate::support::root().join("src");
    for file in rust_files(&src) {
        let rel = file.strip_prefix(&src).expect("under src").to_string_lossy().replace('\\', "/");
        let text = std::fs::read_to_string(&file).expect("readable");
        let code: String = text.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n");
        if !rel.starts_with("syntax/") {
            assert!(!code.contains("pest::") && !code.contains("pest_derive"), "{rel}: only syntax/ may use pest");
        }
        if rel.starts_with("eval/") {
            assert!(!code.contains("Span"), "{rel}: the runtime never sees spans");
        }
        let io_allowed = rel.starts_with("cli/") || rel.starts_with("lsp/") || rel == "main.rs";
        if !io_allowed {
            for forbidden in ["std::fs", "process::exit", "std::io::stdin", "println!", "eprintln!"] {
                assert!(
                    !code.contains(forbidden),
                    "{rel}: only the CLI and the language server do I/O (`{forbidden}`)"
                );
            }
        }
        assert!(!code.contains("f64") && !code.contains("f32"), "{rel}: money and rates are Decimal, never floats");
    }
}
