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
    ("statement", &["eval", "model", "num", "data"]),
    ("doc", &["statement", "eval", "model", "num"]),
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

/// `explain` reads the runtime through one window, `eval::derivation` (and the runtime's errors,
/// `eval::error`): a new need shows there, and the runtime's modules stay free to change.
#[test]
fn explain_reads_the_runtime_through_its_derivation_facade() {
    let src = crate::support::root().join("src/explain");
    let mut problems = Vec::new();
    for file in rust_files(&src) {
        let text = std::fs::read_to_string(&file).expect("source");
        for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.trim_start().starts_with("//")) {
            for (at, _) in line.match_indices("crate::eval::") {
                let rest = &line[at + "crate::eval::".len()..];
                if !(rest.starts_with("derivation") || rest.starts_with("error")) {
                    problems.push(format!("{}:{}: {}", file.display(), i + 1, line.trim()));
                }
            }
        }
    }
    assert!(problems.is_empty(), "explain reaches into the runtime:\n{}", problems.join("\n"));
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

/// The codes a fixture under `tests/` raises, each with the first fixture found: a checker fixture
/// named after its code (not an `ok_…` or `…_is_quiet` one), a bad input's expected codes (a plan's
/// `// expect:` lines, a data folder's `EXPECTED`), a bad-data case's `README`, and a rendered
/// diagnostic (`error[E0901]`, `"code": "E0702"`) in a snapshot or in the code of a test.
fn codes_raised_by_fixtures() -> std::collections::BTreeMap<String, String> {
    let tests = crate::support::root().join("tests");
    let mut found = std::collections::BTreeMap::new();
    let mut note = |code: &str, fixture: &Path| {
        found.entry(code.to_string()).or_insert_with(|| fixture.display().to_string());
    };
    for file in files_in(&tests.join("check"), "plan") {
        let name = file.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if !name.starts_with("ok_") && !name.ends_with("_is_quiet.plan") {
            note(name.split('_').next().unwrap_or_default(), &file);
        }
    }
    for file in files_in(&tests.join("bad_inputs/plans"), "plan") {
        let text = String::from_utf8_lossy(&std::fs::read(&file).expect("readable")).into_owned();
        for line in text.lines().take_while(|l| l.starts_with("//")) {
            if let Some(code) = line.strip_prefix("// expect: ").and_then(|rest| rest.split(' ').next()) {
                note(code, &file);
            }
        }
    }
    for (folder, file_name) in [("bad_inputs/data", "EXPECTED"), ("data", "README")] {
        for case in folders_in(&tests.join(folder)) {
            let file = case.join(file_name);
            let text = std::fs::read_to_string(&file).expect("readable");
            for line in
                text.lines().filter(|l| !l.starts_with('#')).take(if file_name == "README" { 1 } else { usize::MAX })
            {
                note(line.split([' ', ':']).next().unwrap_or_default(), &file);
            }
        }
    }
    let outputs = files_in(&tests.join("snapshots"), "snap").into_iter().chain(rust_files(&tests));
    for file in outputs {
        let text = std::fs::read_to_string(&file).expect("readable");
        for line in text.lines().filter(|l| !l.trim_start().starts_with("//")) {
            for code in rendered_codes(line) {
                note(&code, &file);
            }
        }
    }
    found
}

/// The codes a line shows as a renderer prints them: `error[E0901]`, `warning[W0906]`, `note[N0011]`
/// in text, `"code": "E0702"` in JSON.
fn rendered_codes(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    for opening in ["error[", "warning[", "note[", "\"code\": \""] {
        let mut rest = line;
        while let Some(at) = rest.find(opening) {
            rest = &rest[at + opening.len()..];
            let code: String = rest.chars().take(5).collect();
            let shaped =
                code.len() == 5 && code.starts_with(['E', 'W', 'N']) && code[1..].chars().all(|c| c.is_ascii_digit());
            if shaped {
                out.push(code);
            }
        }
    }
    out
}

fn files_in(dir: &Path, extension: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("readable folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == extension))
        .collect();
    out.sort();
    out
}

fn folders_in(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("readable folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    out.sort();
    out
}

/// Every code in the registry is raised by a fixture, so that a code's message, place and exit
/// status are seen at least once; or it is listed in `codes::WITHOUT_FIXTURE` with the reason none
/// can raise it. A listed code that a fixture does raise is taken off the list, and a code reserved
/// there is raised nowhere in `src/`.
#[test]
fn every_code_is_raised_by_a_fixture_or_listed_without_one() {
    use compplan::diagnostics::codes;
    let raised = codes_raised_by_fixtures();
    let without: Vec<&str> = codes::WITHOUT_FIXTURE.iter().map(|(code, _)| code.id).collect();
    let mut problems = Vec::new();
    for code in codes::all() {
        match (raised.get(code.id), without.contains(&code.id)) {
            (None, false) => problems.push(format!(
                "{} ({}) is raised by no fixture: add one (a `tests/check/{}_….plan`, a case in \
                 `tests/bad_inputs/`), or list it in `codes::WITHOUT_FIXTURE` with the reason",
                code.id, code.name, code.id
            )),
            (Some(fixture), true) => {
                problems.push(format!("{} is raised by {fixture}: take it off `codes::WITHOUT_FIXTURE`", code.id))
            }
            _ => {}
        }
    }
    let registry = codes::all().map(|c| c.id).collect::<Vec<_>>();
    problems.extend(
        raised
            .iter()
            .filter(|(id, _)| !registry.contains(&id.as_str()))
            .map(|(id, fixture)| format!("{fixture} names {id}, which the registry does not declare")),
    );
    let src = crate::support::root().join("src");
    for (code, reason) in codes::WITHOUT_FIXTURE.iter().filter(|(_, reason)| reason.starts_with("reserved")) {
        let name = code_static_name(code.id);
        for file in rust_files(&src).into_iter().filter(|f| !f.starts_with(src.join("diagnostics/codes"))) {
            let text = std::fs::read_to_string(&file).expect("readable");
            if text.contains(&format!("codes::{name}")) {
                problems.push(format!("{}: raises {}, which is {reason}", file.display(), code.id));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The name of a code's static in `src/diagnostics/codes/` (`NOT_YET_SUPPORTED` for E0513).
fn code_static_name(id: &str) -> String {
    let codes = crate::support::root().join("src/diagnostics/codes");
    let declaration = format!("= \"{id}\"");
    rust_files(&codes)
        .iter()
        .flat_map(|file| {
            std::fs::read_to_string(file).expect("readable").lines().map(str::to_string).collect::<Vec<_>>()
        })
        .find_map(|line| {
            line.contains(&declaration).then(|| line.split_whitespace().next().unwrap_or_default().to_string())
        })
        .unwrap_or_default()
}

/// The map of the code (`docs/dev/architecture.md`) names every module of the crate, and every path
/// it names exists, so that it cannot silently fall behind a move or a rename.
#[test]
fn the_architecture_map_names_every_module_and_only_real_paths() {
    let root = crate::support::root();
    let map = std::fs::read_to_string(root.join("docs/dev/architecture.md")).expect("docs/dev/architecture.md");
    let quoted: Vec<&str> = map.split('`').skip(1).step_by(2).collect();
    let mut problems = Vec::new();
    let roots = ["src/", "tests/", "fuzz/", "bench/", "editors/", "grammar/", "docs/", "plans/"];
    for path in quoted.iter().filter(|q| roots.iter().any(|r| q.starts_with(r))) {
        let generic = path.contains(['<', '*', '…', ' ']);
        if !generic && !root.join(path).exists() {
            problems.push(format!("docs/dev/architecture.md names `{path}`, which does not exist"));
        }
    }
    // A row of the code map names its module's files relative to the module (`lower/plan.rs` in
    // `src/syntax/`'s row; `chain.rs` in the row of `src/ledger.rs`, in `src/ledger/`).
    for row in map.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = row.split('`').skip(1).step_by(2).collect();
        let module = cells[0];
        let folders = match module.strip_suffix(".rs") {
            Some(stem) => vec![root.join(stem), root.join(module).parent().map(Path::to_path_buf).unwrap_or_default()],
            None => vec![root.join(module)],
        };
        let named_files = cells[1..].iter().filter(|c| {
            let file = c.ends_with(".rs") || c.ends_with(".plan") || c.ends_with(".json") || c.ends_with(".sh");
            let plain = c.chars().all(|ch| ch.is_alphanumeric() || "_./-".contains(ch));
            let named = !c.starts_with('.') && !roots.iter().any(|r| c.starts_with(r));
            plain && named && (file || (c.ends_with('/') && c.len() > 1))
        });
        for file in named_files {
            if !folders.iter().any(|folder| folder.join(file).exists()) {
                problems
                    .push(format!("docs/dev/architecture.md's row of `{module}` names `{file}`, which is not there"));
            }
        }
    }
    for entry in std::fs::read_dir(root.join("src")).expect("src") {
        let path = entry.expect("entry").path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
        if name == "lib.rs" || name == "main.rs" {
            continue;
        }
        let named = if path.is_dir() { format!("src/{name}/") } else { format!("src/{name}") };
        if !quoted.contains(&named.as_str()) {
            problems.push(format!("docs/dev/architecture.md's code map does not name `{named}`"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
