//! The formatter: idempotent on every plan file of the repository, and meaning-preserving (the
//! formatted workspace checks to an equal model with the same diagnostic codes); snapshots of messy
//! inputs (`tests/fmt/*.plan`) and their canonical layout; the `fmt` verb on a scratch copy.

use crate::support::{compplan, plan_sources, root, scratch, stderr, stdout};
use compplan::fmt::format_text;
use compplan::{check, CompDb};
use std::path::Path;

/// `(path, text)` pairs, as a workspace is built from.
type Sources = Vec<(String, String)>;

/// The fixtures `format_text` declines: their syntax errors cannot be printed from the tree.
const DECLINED: [&str; 21] = [
    "tests/check/E0001_broken_brace_groups.plan",
    "tests/check/E0001_choice_without_else.plan",
    "tests/check/E0001_comment_after_a_short_rule.plan",
    "tests/check/E0001_draw_kind_not_its_opposite.plan",
    "tests/check/E0001_draw_months_after.plan",
    "tests/check/E0001_earning_condition_without_comma.plan",
    "tests/check/E0001_expression_ends_with_an_operator.plan",
    "tests/check/E0001_hold_share_as_an_expression.plan",
    "tests/check/E0001_misspelt_continued_clause.plan",
    "tests/check/E0001_override_with_its_words_cut_short.plan",
    "tests/check/E0001_reference_followed.plan",
    "tests/check/E0001_table_value_computed.plan",
    "tests/check/E0001_thousands_separator.plan",
    "tests/check/E0001_unexpected_word.plan",
    "tests/check/E0002_misspelt_block_keyword.plan",
    "tests/check/E0005_missing_terminator.plan",
    "tests/check/E0006_unclosed_block.plan",
    "tests/check/E0006_unclosed_data_table.plan",
    "tests/check/E0007_misplaced_item.plan",
    "tests/check/E0008_nesting_too_deep.plan",
    "tests/check/E0010_not_utf8.plan",
];

/// Every workspace the repository checks its plan files in: the examples, each checker fixture and
/// each formatter input with the prelude (unless it starts with `// no-prelude`), each runtime case
/// with the shared files it does not replace. Paths are relative to the repository root.
fn workspaces() -> Vec<Sources> {
    let root = root();
    let mut out = vec![plan_sources(&root.join("plans"), root)];
    let prelude = plan_sources(&root.join("tests/check/prelude"), root);
    out.push(prelude.clone());
    for folder in ["tests/check", "tests/fmt"] {
        for (path, text) in plan_sources(&root.join(folder), root) {
            if path.contains("/prelude/") {
                continue;
            }
            let no_prelude = text.starts_with("// no-prelude");
            let mut sources = vec![(path, text)];
            if !no_prelude {
                sources.extend(prelude.iter().cloned());
            }
            out.push(sources);
        }
    }
    let shared = plan_sources(&root.join("tests/eval/shared"), root);
    let mut cases: Vec<_> = std::fs::read_dir(root.join("tests/eval"))
        .expect("tests/eval")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    cases.sort();
    for case in cases.into_iter().filter(|c| c.is_dir() && !c.ends_with("shared")) {
        let mut sources = plan_sources(&case, root);
        let names: Vec<String> = sources.iter().map(|(p, _)| file_name(p)).collect();
        sources.extend(shared.iter().filter(|(p, _)| !names.contains(&file_name(p))).cloned());
        out.push(sources);
    }
    out
}

fn file_name(path: &str) -> String {
    Path::new(path).file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string()
}

/// The model and the sorted diagnostic codes a workspace checks to.
fn checked(sources: Sources) -> (compplan::model::Workspace, Vec<&'static str>) {
    let db = CompDb::default();
    let ws = db.workspace(sources);
    let mut codes: Vec<&'static str> = check::diagnostics(&db, ws).iter().map(|d| d.code.id).collect();
    codes.sort_unstable();
    (check::workspace_model(&db, ws).clone(), codes)
}

#[test]
fn formatting_is_idempotent_and_keeps_the_meaning_of_every_plan_file() {
    let workspaces = workspaces();
    assert!(workspaces.len() > 70, "the examples, the checker fixtures, the formatter inputs and the runtime cases");
    let mut declined = Vec::new();
    let mut files = 0;
    for sources in workspaces {
        let mut formatted = Vec::new();
        for (path, text) in &sources {
            files += 1;
            match format_text(text) {
                Some(once) => {
                    let twice = format_text(&once);
                    assert_eq!(twice.as_deref(), Some(once.as_str()), "{path}: formatting twice changed the text");
                    formatted.push((path.clone(), once));
                }
                None => {
                    declined.push(path.clone());
                    formatted.push((path.clone(), text.clone()));
                }
            }
        }
        let names: Vec<&String> = sources.iter().map(|(p, _)| p).collect();
        let (model, codes) = checked(sources.clone());
        let (model_after, codes_after) = checked(formatted);
        assert_eq!(codes, codes_after, "{names:?}: the formatted files report other diagnostics");
        assert!(model == model_after, "{names:?}: the formatted files check to another model");
    }
    assert!(files > 150, "{files} files");
    declined.sort();
    declined.dedup();
    assert_eq!(declined, DECLINED, "only fixtures with unprintable syntax errors are declined");
}

/// The same text with the whitespace the formatter owns disturbed: every line indented by a tab and
/// three spaces, every space outside quotes, comments and test data doubled, every blank line
/// tripled.
fn disturbed(text: &str) -> String {
    let mut out = String::new();
    let mut in_data = false;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if in_data {
            in_data = trimmed != "}";
            out.push_str(line);
        } else if trimmed.is_empty() {
            out.push_str("\n\n");
        } else {
            out.push_str("\t   ");
            let mut quoted = false;
            let mut escaped = false;
            for (i, c) in trimmed.char_indices() {
                if !quoted && trimmed[i..].starts_with("//") {
                    out.push_str(&trimmed[i..]);
                    break;
                }
                out.push(c);
                match c {
                    _ if escaped => escaped = false,
                    '\\' if quoted => escaped = true,
                    '"' => quoted = !quoted,
                    ' ' if !quoted => out.push(' '),
                    _ => {}
                }
            }
            in_data = trimmed.starts_with("data ") && trimmed.ends_with('{');
        }
        out.push('\n');
    }
    out
}

#[test]
fn the_layout_does_not_depend_on_the_whitespace_it_owns() {
    let mut files = 0;
    for sources in workspaces() {
        for (path, text) in sources {
            let Some(formatted) = format_text(&text) else { continue };
            let shaken = disturbed(&formatted);
            assert_ne!(shaken, formatted, "{path}: the disturbance changes something");
            assert_eq!(
                format_text(&shaken).as_deref(),
                Some(formatted.as_str()),
                "{path}: disturbed whitespace changed the layout:\n{shaken}"
            );
            files += 1;
        }
    }
    assert!(files > 150, "{files} files");
}

#[test]
fn example_plans_and_runtime_cases_are_formatted() {
    let root = root();
    let mut sources = plan_sources(&root.join("plans"), root);
    sources.extend(plan_sources(&root.join("tests/eval"), root));
    for (path, text) in sources {
        assert_eq!(format_text(&text).as_deref(), Some(text.as_str()), "{path} is not in the canonical layout");
    }
}

#[test]
fn messy_inputs_are_laid_out() {
    insta::glob!("fmt/*.plan", |path| {
        let input = std::fs::read_to_string(path).expect("readable input");
        let output = format_text(&input).expect("the inputs have no syntax errors");
        insta::assert_snapshot!(format!("----- INPUT\n{input}----- FORMATTED\n{output}"));
    });
}

// ------------------------------------------------------------------------------------------ CLI

#[test]
fn fmt_check_passes_on_the_example_plans() {
    let out = compplan(&["fmt", "--check", "plans"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "");
}

#[test]
fn fmt_check_names_an_unformatted_file_and_writes_nothing_then_fmt_rewrites_it() {
    let dir = scratch("fmt-messy");
    let messy = std::fs::read_to_string(root().join("tests/fmt/messy_plan.plan")).expect("input");
    let tidy =
        "plan tidy \"Tidy\" version 1 {\n  effective 2026-01-01 to 2026-12-31\n  currency USD\n  pay monthly\n}\n";
    std::fs::write(dir.join("messy.plan"), &messy).expect("write");
    std::fs::write(dir.join("tidy.plan"), tidy).expect("write");
    let folder = dir.to_str().expect("utf-8 path");

    let check = compplan(&["fmt", "--check", folder]);
    assert_eq!(check.status.code(), Some(1), "{}", stderr(&check));
    assert_eq!(stdout(&check), format!("{folder}/messy.plan\n"), "only the unformatted file is listed");
    let err = stderr(&check);
    assert!(err.contains(&format!("--- {folder}/messy.plan\n+++ {folder}/messy.plan (formatted)\n@@ -1,")), "{err}");
    assert!(err.contains("-plan  ae   \"Messy AE\"   version 2 {\n"), "{err}");
    assert!(err.contains("+plan ae \"Messy AE\" version 2 {\n"), "{err}");
    assert!(err.ends_with("1 of 2 files not formatted; run `compplan fmt` to format it\n"), "{err}");
    assert_eq!(std::fs::read_to_string(dir.join("messy.plan")).expect("read"), messy, "--check writes nothing");

    let fmt = compplan(&["fmt", folder]);
    assert_eq!(fmt.status.code(), Some(0), "{}", stderr(&fmt));
    assert_eq!(stdout(&fmt), format!("{folder}/messy.plan\n"));
    assert_eq!(stderr(&fmt), "formatted 1 of 2 files\n");
    let rewritten = std::fs::read_to_string(dir.join("messy.plan")).expect("read");
    assert_eq!(Some(rewritten), format_text(&messy));
    assert_eq!(std::fs::read_to_string(dir.join("tidy.plan")).expect("read"), tidy);
    let mut left: Vec<String> = std::fs::read_dir(&*dir)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, ["messy.plan", "tidy.plan"], "no temporary file is left behind");

    let again = compplan(&["fmt", "--check", folder]);
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    assert_eq!(stdout(&again), "");
}

#[test]
fn a_file_with_syntax_errors_is_reported_and_left_alone() {
    let dir = scratch("fmt-broken");
    let broken = std::fs::read_to_string(root().join("tests/check/E0006_unclosed_block.plan")).expect("fixture");
    let path = dir.join("broken.plan");
    std::fs::write(&path, &broken).expect("write");
    let shown = path.to_str().expect("utf-8 path");
    for args in [vec!["fmt", shown], vec!["fmt", "--check", shown]] {
        let out = compplan(&args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert_eq!(stdout(&out), "");
        assert!(
            stderr(&out)
                .starts_with(&format!("error: {shown}: not formatted: has syntax errors (see `compplan check`)\n")),
            "{}",
            stderr(&out)
        );
        assert_eq!(std::fs::read_to_string(&path).expect("read"), broken, "the file is untouched");
    }
}

#[test]
fn fmt_reports_missing_paths_and_usage_errors() {
    let missing = compplan(&["fmt", "no/such/folder"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(stderr(&missing).contains("no such file or folder: no/such/folder"), "{}", stderr(&missing));
    assert_eq!(compplan(&["fmt", "--chek", "plans"]).status.code(), Some(64));
}

/// The example plans and the formatter's inputs cut short after each line, without each line, and
/// with each line written twice (repeated headers, duplicate definitions): whatever is formatted is
/// formatted idempotently and keeps its model and diagnostic codes; the rest is declined.
#[test]
fn damaged_plans_format_idempotently_or_not_at_all() {
    let examples = plan_sources(&root().join("plans"), root());
    let prelude = plan_sources(&root().join("tests/check/prelude"), root());
    // Each file with the shared files it is checked with.
    let mut files: Vec<(String, String, Sources)> = Vec::new();
    for (path, text) in &examples {
        let shared =
            examples.iter().filter(|(p, _)| p != path && (p.ends_with("schema.plan") || p.ends_with("crediting.plan")));
        files.push((path.clone(), text.clone(), shared.cloned().collect()));
    }
    for (path, text) in plan_sources(&root().join("tests/fmt"), root()) {
        let shared = if text.starts_with("// no-prelude") { Vec::new() } else { prelude.clone() };
        files.push((path, text, shared));
    }
    let mut formatted_variants = 0;
    for (path, text, shared) in &files {
        let lines: Vec<&str> = text.lines().collect();
        let mut variants: Vec<String> = Vec::new();
        for n in 0..lines.len() {
            variants.push(lines[..n].join("\n"));
            let without = lines.iter().enumerate().filter(|(i, _)| *i != n).map(|(_, l)| *l);
            variants.push(without.collect::<Vec<_>>().join("\n"));
            let twice = lines.iter().enumerate().flat_map(|(i, l)| if i == n { vec![*l, *l] } else { vec![*l] });
            variants.push(twice.collect::<Vec<_>>().join("\n"));
        }
        let with = |t: &str| {
            let mut sources = shared.clone();
            sources.push((path.clone(), t.to_string()));
            checked(sources)
        };
        for variant in variants {
            let Some(once) = format_text(&variant) else { continue };
            formatted_variants += 1;
            assert_eq!(format_text(&once).as_deref(), Some(once.as_str()), "{path}: not idempotent on\n{variant}");
            let (model, codes) = with(&variant);
            let (model_after, codes_after) = with(&once);
            assert_eq!(codes, codes_after, "{path}: other diagnostics after formatting\n{variant}");
            assert!(model == model_after, "{path}: another model after formatting\n{variant}");
        }
    }
    assert!(formatted_variants > 200, "{formatted_variants}");
}
