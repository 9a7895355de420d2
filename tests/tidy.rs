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

/// Money arithmetic in the compiler and the runtime is checked: `check`, `syntax` and `eval` deny
/// clippy's `arithmetic_side_effects` (run by the lint gate), whose configuration exempts only the
/// integer types, a decimal's negation and the difference of two dates (none can overflow). Iterator
/// sums are invisible to that lint, so they are kept out of those modules here.
#[test]
fn decimal_arithmetic_is_checked_in_the_compiler_and_the_runtime() {
    let root = crate::support::root();
    for module in ["check", "syntax", "eval", "num"] {
        let text = std::fs::read_to_string(root.join("src").join(module).join("mod.rs")).expect("readable");
        assert!(
            text.lines().any(|l| l.trim() == "#![deny(clippy::arithmetic_side_effects)]"),
            "src/{module}/mod.rs must deny clippy::arithmetic_side_effects"
        );
    }
    let config = std::fs::read_to_string(root.join("clippy.toml")).expect("clippy.toml");
    let setting =
        |key: &str| config.lines().find(|l| l.starts_with(&format!("{key} ="))).map(str::to_string).unwrap_or_default();
    let allowed = setting("arithmetic-side-effects-allowed");
    let integers = ["usize", "isize", "u8", "u16", "u32", "u64", "u128", "i8", "i16", "i32", "i64", "i128"];
    let listed: Vec<&str> = allowed.split('"').skip(1).step_by(2).collect();
    assert!(listed.iter().all(|t| integers.contains(t)), "only integer types may be exempt: {listed:?}");
    assert!(
        !setting("arithmetic-side-effects-allowed-binary").contains("Decimal"),
        "decimal binary operations stay checked"
    );
    for module in ["check", "syntax", "eval", "num"] {
        for file in rust_files(&root.join("src").join(module)) {
            let text = std::fs::read_to_string(&file).expect("readable");
            let code = text.split("#[cfg(test)]").next().unwrap_or_default();
            for (n, line) in code.lines().enumerate().filter(|(_, l)| !l.trim_start().starts_with("//")) {
                for sum in [".sum()", ".sum::<", ".product()", ".product::<"] {
                    assert!(
                        !line.contains(sum),
                        "{}:{}: `{sum}` adds without checking; fold with `checked_add` (or `saturating_add` where it cannot overflow)",
                        file.display(),
                        n + 1
                    );
                }
            }
        }
    }
}

/// The modules of the crate, bottom up, and the modules each may use. A module may use only those
/// listed for it: a new upward edge (the runtime importing the CLI, the checker importing a
/// report) fails here, and a new module must be given its place. The salsa database (`db`) and its
/// inputs (`source`) are one unit and use each other.
const LAYERS: &[(&str, &[&str])] = &[
    ("num", &[]),
    ("ast", &[]),
    ("types", &[]),
    ("db", &["source"]),
    ("source", &["ast", "db"]),
    ("model", &["ast", "num"]),
    ("diagnostics", &["ast", "source", "db", "model"]),
    ("syntax", &["ast", "source", "db", "diagnostics"]),
    ("check", &["ast", "source", "db", "diagnostics", "syntax", "model", "types", "num"]),
    ("fmt", &["ast", "source", "db", "diagnostics", "syntax"]),
    ("data", &["model", "num", "diagnostics"]),
    ("ledger", &["num", "diagnostics"]),
    ("eval", &["model", "num", "data", "ledger", "diagnostics"]),
    ("explain", &["eval", "model", "num", "ledger", "data"]),
    ("report", &["eval", "num"]),
    ("pipeline", &["ast", "source", "db", "diagnostics", "model", "check", "data", "eval", "ledger", "num"]),
    ("testing", &["pipeline", "eval", "data", "model", "num", "diagnostics", "check", "source", "db", "ast"]),
    ("analysis", &["ast", "source", "db", "diagnostics", "syntax", "check", "model", "types", "fmt", "num"]),
    ("synthetic", &[]),
    ("lsp", &["analysis", "ast", "source", "db", "diagnostics", "syntax", "check", "fmt"]),
    ("cli", &["*"]),
];

/// The modules of the crate a file's code names: `crate::x::…`, `crate::{x, y}` and the database
/// re-exported at the root (`crate::Db`).
fn crate_modules(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        let names: Vec<&str> = match rest.strip_prefix('{') {
            Some(group) => group.split('}').next().unwrap_or_default().split(',').collect(),
            None => vec![rest],
        };
        for name in names {
            let name: String = name.trim().chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            let name = if name == "Db" || name == "CompDb" { "db".to_string() } else { name };
            if !name.is_empty() && name != "self" {
                out.push(name);
            }
        }
    }
    out
}

/// Whether a file is a module compiled only for tests (`#[cfg(test)] mod name;` in its parent).
fn test_only(file: &Path) -> bool {
    let (Some(stem), Some(parent)) = (file.file_stem().and_then(|s| s.to_str()), file.parent()) else { return false };
    let parent_file = match parent.file_name().and_then(|n| n.to_str()) {
        Some(dir) => [parent.join("mod.rs"), parent.with_file_name(format!("{dir}.rs"))],
        None => return false,
    };
    parent_file.iter().filter_map(|p| std::fs::read_to_string(p).ok()).any(|text| {
        let lines: Vec<&str> = text.lines().map(str::trim).collect();
        lines.windows(2).any(|w| w[0] == "#[cfg(test)]" && w[1] == format!("mod {stem};"))
    })
}

#[test]
fn modules_use_only_the_layers_below_them() {
    let src = crate::support::root().join("src");
    let mut problems = Vec::new();
    for file in rust_files(&src) {
        let rel = file.strip_prefix(&src).expect("under src").to_string_lossy().replace('\\', "/");
        let module = rel.split('/').next().unwrap_or_default().trim_end_matches(".rs").to_string();
        if module == "lib" || module == "main" || test_only(&file) {
            continue;
        }
        let Some((_, allowed)) = LAYERS.iter().find(|(name, _)| *name == module) else {
            problems.push(format!("src/{rel}: the module `{module}` has no place in tests/tidy.rs's LAYERS"));
            continue;
        };
        let text = std::fs::read_to_string(&file).expect("readable");
        // Code only: comments and the unit tests at the bottom of a file may name anything.
        let code: String = text
            .split("#[cfg(test)]")
            .next()
            .unwrap_or_default()
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        for used in crate_modules(&code) {
            if used != module && !allowed.contains(&"*") && !allowed.contains(&used.as_str()) {
                problems.push(format!("src/{rel}: `{module}` may not use `{used}` (allowed: {allowed:?})"));
            }
        }
    }
    problems.dedup();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
