//! Checker fixtures: every `tests/check/*.plan` is checked (with the example schema and crediting
//! rules from `tests/check/prelude/`, unless it starts with `// no-prelude`) and its diagnostics are
//! snapshotted next to its source. File names start with the code they exercise.

use crate::support::{check_sources, plan_sources, root};

#[test]
fn diagnostics() {
    insta::glob!("check/*.plan", |path| {
        // Read as the CLI reads a plan: a fixture that is not UTF-8 (E0010) shows `�` for its bytes.
        let source = compplan::syntax::decode(std::fs::read(path).expect("readable fixture"));
        let name = format!("check/{}", path.file_name().and_then(|n| n.to_str()).unwrap_or_default());
        let mut sources = vec![(name.clone(), source.clone())];
        if !source.starts_with("// no-prelude") {
            let prelude = root().join("tests/check/prelude");
            sources.extend(plan_sources(&prelude, &root().join("tests")));
        }
        let (rendered, diagnostics) = check_sources(sources);
        // The file name says which code the fixture is about: that code must be reported (fixtures
        // named `ok_…` or `…_is_quiet` expect no diagnostic of their code).
        let code = name.trim_start_matches("check/").split('_').next().unwrap_or_default().to_string();
        let quiet = name.ends_with("_is_quiet.plan") || name.starts_with("check/ok_");
        let reported = diagnostics.iter().any(|d| d.code.id == code);
        if quiet {
            assert!(!reported, "{name} must not report {code}");
        } else {
            assert!(reported, "{name} must report {code}:\n{rendered}");
        }
        insta::assert_snapshot!(format!("----- SOURCE\n{source}\n----- DIAGNOSTICS\n{rendered}"));
    });
}

/// Parsing never fails and checking never panics: every example plan, cut short at many points,
/// with each line deleted in turn, and with junk inserted, still parses and checks.
#[test]
fn broken_text_never_panics() {
    let workspace = plan_sources(&root().join("plans"), root());
    let shared: Vec<(String, String)> =
        workspace.iter().filter(|(p, _)| p.contains("schema") || p.contains("crediting")).cloned().collect();
    for (path, text) in &workspace {
        let mut variants: Vec<String> = Vec::new();
        let boundaries: Vec<usize> = text.char_indices().map(|(i, _)| i).step_by(5).collect();
        variants.extend(boundaries.iter().map(|&i| text[..i].to_string()));
        let lines: Vec<&str> = text.lines().collect();
        for skip in 0..lines.len() {
            variants.push(
                lines.iter().enumerate().filter(|(i, _)| *i != skip).map(|(_, l)| *l).collect::<Vec<_>>().join("\n"),
            );
        }
        for (i, junk) in ["}", "{", "\"", "×", "=", "table", "(", "%", "-- 5 USD", "\u{1F600}"].iter().enumerate() {
            let at = boundaries[(i * 37) % boundaries.len()];
            variants.push(format!("{}{junk}{}", &text[..at], &text[at..]));
        }
        for variant in variants {
            let mut sources = shared.clone();
            sources.retain(|(p, _)| p != path);
            sources.push((path.clone(), variant));
            // The assertion is that this returns: a panic fails the test.
            let (_, diagnostics) = check_sources(sources);
            assert!(diagnostics.iter().all(|d| !d.message.is_empty()));
        }
    }
}

/// A text literal holding a raw control character (a NUL, an escape, DEL, a C1 control) is refused
/// where it is written, as one written with `\n` is (`tests/check/E0004_text_with_a_control_character.plan`):
/// no data cell can hold it. A tab inside a text is text.
#[test]
fn raw_control_characters_in_texts_are_refused() {
    let prelude = plan_sources(&root().join("tests/check/prelude"), &root().join("tests"));
    for (raw, refused) in [("\u{0}", true), ("\u{1b}", true), ("\u{7f}", true), ("\u{85}", true), ("\t", false)] {
        let literal = format!("\"A{raw}E\"");
        let text = format!(
            "plan p \"P\" version 1 {{\n  effective 2026-01-01 to 2026-12-31\n  currency USD\n  pay monthly\n  eligible when rep.role is {literal}\n  measure bookings = sum of credit.amount\n  earn commission = 5% of bookings period\n}}\n"
        );
        let at = text.find(&literal).expect("the literal");
        let mut sources = prelude.clone();
        sources.push(("p.plan".to_string(), text));
        let (rendered, diagnostics) = check_sources(sources);
        let found: Vec<_> = diagnostics
            .iter()
            .filter(|d| d.code.id == "E0004")
            .map(|d| d.primary_label().and_then(|l| l.span()).map(|s| (s.start, s.end)))
            .collect();
        if refused {
            assert_eq!(found, [Some((at, at + literal.len()))], "{raw:?}:\n{rendered}");
            assert!(
                rendered.contains(&format!("control character U+{:04X}", u32::from(raw.chars().next().unwrap_or(' '))))
            );
        } else {
            assert!(diagnostics.is_empty(), "{raw:?}: a tab inside a text is text:\n{rendered}");
        }
    }
}

/// Comments in the line breaks of continued clauses change nothing: the commented fixture checks
/// clean, to the model of the same text with every comment removed.
#[test]
fn comments_in_continued_clauses_do_not_change_the_model() {
    let name = "check/ok_continued_comments.plan";
    let commented = std::fs::read_to_string(root().join("tests").join(name)).expect("fixture");
    let bare: String = commented
        .lines()
        .map(|line| line.split("//").next().unwrap_or_default().trim_end())
        .filter(|line| !line.is_empty())
        .map(|line| format!("{line}\n"))
        .collect();
    assert!(!bare.contains("//") && bare.contains("base_rate of bookings ytd,\n    capped at"), "{bare}");
    let prelude = plan_sources(&root().join("tests/check/prelude"), &root().join("tests"));
    let model = |text: &str| {
        let db = compplan::CompDb::default();
        let mut sources = prelude.clone();
        sources.push((name.to_string(), text.to_string()));
        let ws = db.workspace(sources);
        let diagnostics: Vec<String> =
            compplan::check::diagnostics(&db, ws).iter().map(|d| format!("{} {}", d.code.id, d.message)).collect();
        (compplan::check::workspace_model(&db, ws).clone(), diagnostics)
    };
    let (with_comments, diagnostics) = model(&commented);
    assert_eq!(diagnostics, Vec::<String>::new());
    let (without, diagnostics) = model(&bare);
    assert_eq!(diagnostics, Vec::<String>::new());
    assert!(with_comments == without, "the comments changed the model");
    let plan = with_comments.plans.iter().find(|p| p.name == "ae").expect("the fixture's plan");
    assert_eq!(plan.earnings.len(), 2);
}

/// An expression continued on the next line after an operator is the expression written on one
/// line: the same model, no diagnostics.
#[test]
fn a_line_broken_after_an_operator_does_not_change_the_model() {
    let broken = "plan ops \"Operators\" version 1 {\n  effective 2026-01-01 to 2026-12-31\n  currency USD\n  pay monthly\n  eligible when rep.role is \"AE\" and\n      rep.region is \"EMEA\"\n  measure core = sum of credit.amount where deal.kind is \"new\" or\n      deal.kind is \"upsell\"\n  earn c = 1% of core period +\n      2% of core period ×\n          2 -\n      10 USD\n}\n";
    let one_line = "plan ops \"Operators\" version 1 {\n  effective 2026-01-01 to 2026-12-31\n  currency USD\n  pay monthly\n  eligible when rep.role is \"AE\" and rep.region is \"EMEA\"\n  measure core = sum of credit.amount where deal.kind is \"new\" or deal.kind is \"upsell\"\n  earn c = 1% of core period + 2% of core period × 2 - 10 USD\n}\n";
    let prelude = plan_sources(&root().join("tests/check/prelude"), &root().join("tests"));
    let model = |text: &str| {
        let db = compplan::CompDb::default();
        let mut sources = prelude.clone();
        sources.push(("ops.plan".to_string(), text.to_string()));
        let ws = db.workspace(sources);
        let diagnostics: Vec<String> =
            compplan::check::diagnostics(&db, ws).iter().map(|d| format!("{} {}", d.code.id, d.message)).collect();
        (compplan::check::workspace_model(&db, ws).clone(), diagnostics)
    };
    let (continued, diagnostics) = model(broken);
    assert_eq!(diagnostics, Vec::<String>::new());
    let (written_once, diagnostics) = model(one_line);
    assert_eq!(diagnostics, Vec::<String>::new());
    assert!(continued == written_once, "a line break after an operator changed the model");
    assert_eq!(compplan::fmt::format_text(broken).as_deref(), Some(broken), "the breaks are kept as written");
}
