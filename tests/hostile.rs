//! Hostile plan text (issue 11 §2): recovery that stays linear, operator chains of any length, and
//! the nesting limit, enforced before anything recursive (pest included) meets the text. The inputs
//! are generated here rather than committed; nothing is timed (speed is measured in the README's
//! benchmark command), but the parse must finish within pest's call budget, which a quadratic or
//! exponential recovery on these inputs exceeds many times over.

use crate::support::{check_sources, plan_sources, root};
use compplan::analysis;
use compplan::diagnostics::Diagnostic;
use compplan::syntax::{self, MAX_NESTING};
use compplan::CompDb;

/// The stack of a language-server worker, a runtime (rayon) thread or a test thread. A debug build
/// (the tests') uses about 14 KB of it per level of nested calls inside pest, so about 1 MB at the
/// limit; a release build uses far less.
const SMALL_STACK: usize = 2 * 1024 * 1024;

/// Runs `f` on a thread with [`SMALL_STACK`]; a stack overflow aborts the whole test binary.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let thread = std::thread::Builder::new().stack_size(SMALL_STACK).spawn(f).expect("a thread");
    thread.join().expect("no panic")
}

fn codes(diagnostics: &[Diagnostic]) -> Vec<&'static str> {
    diagnostics.iter().map(|d| d.code.id).collect()
}

fn count(diagnostics: &[Diagnostic], code: &str) -> usize {
    diagnostics.iter().filter(|d| d.code.id == code).count()
}

/// `prefix`, then `line` `n` times, each on its own line.
fn repeated(prefix: &str, line: &str, n: usize) -> String {
    let mut text = prefix.to_string();
    for _ in 0..n {
        text.push_str(line);
        text.push('\n');
    }
    text
}

/// Each broken line of the reproductions (and a few more shapes), 10,000 times: the parse
/// ends within the call budget (no E0009), and each kind of line is reported as the grammar says.
#[test]
fn ten_thousand_broken_lines_parse_within_the_call_budget() {
    const N: usize = 10_000;
    // (what, text, expected count of E0001, of E0002, of E0006)
    let cases: Vec<(&str, String, usize, usize, usize)> = vec![
        // Each line is its own broken `table` item: a brace group ends before the next item's line.
        ("table {{", repeated("plan p version 1 {\n", "  table {{", N), N, 0, 1),
        // The first line's brace group runs to the end of the file: one broken item.
        ("data reps {", repeated("plan p version 1 {\n", "  data reps {", N), 1, 0, 1),
        // Each inline table ends (unclosed) before the next `data … {` line.
        ("data reps { in a test", repeated("plan p version 1 {\n  test \"t\" {\n", "    data reps {", N), 0, 0, N + 2),
        // Each test block ends (unclosed) where the next starts.
        ("test \"x\" {", repeated("plan p version 1 {\n", "  test \"x\" {", N), 0, 0, N + 1),
        // Read as a `credit` block whose first rule's brace group runs to the end of the file.
        ("credt { at the top", repeated("", "credt {", N), 1, 1, 1),
        ("credt { in a credit block", repeated("credit {\n", "  credt {", N), 1, 0, 1),
        ("credt { in a plan", repeated("plan p version 1 {\n", "  credt {", N), 1, 0, 1),
        // Read as a `table` whose rows are the other lines, each a broken row.
        ("tabel { in a plan", repeated("plan p version 1 {\n", "  tabel t marginal on x {", N), N - 1, 1, 2),
        // Read as a `plan` whose one broken entry runs to the end of the file.
        ("plna { at the top", repeated("", "plna p version 1 {", N), 1, 1, 1),
    ];
    for (what, text, syntax_errors, unknown_keywords, unclosed) in cases {
        let parsed = syntax::parse(&text);
        let d = &parsed.diagnostics;
        assert_eq!(count(d, "E0009"), 0, "{what}: the parse ran out of budget");
        assert_eq!(
            (count(d, "E0001"), count(d, "E0002"), count(d, "E0006")),
            (syntax_errors, unknown_keywords, unclosed),
            "{what}: {:?}",
            codes(d).into_iter().collect::<std::collections::BTreeSet<_>>()
        );
    }
}

/// The checker, the formatter and the editor's analyses on the same kind of text, at a size that
/// keeps the suite quick: they must not fail or panic on what recovery produced.
#[test]
fn broken_lines_are_checked_formatted_and_analysed() {
    for line in ["  table {{", "  data reps {", "  test \"x\" {", "  tabel t marginal on x {", "  credt {"] {
        let text = repeated("plan p version 1 {\n", line, 500);
        let (_, diagnostics) = check_sources(vec![("p.plan".to_string(), text.clone())]);
        assert!(diagnostics.iter().any(|d| d.code.id.starts_with("E000")), "{line}: a syntax error is reported");
        assert_eq!(compplan::fmt::format_text(&text), None, "{line}: a file with syntax errors is not formatted");
        let db = CompDb::default();
        let ws = db.workspace(vec![("p.plan".to_string(), text.clone())]);
        let file = ws.files(&db)[0];
        for offset in [0, text.len() / 2, text.len()] {
            let _ = analysis::hover(&db, ws, file, offset);
            let _ = analysis::completions(&db, ws, file, offset);
        }
    }
}

const HEADER: &str =
    "plan p \"Deep\" version 1 {\n  effective 2026-01-01 to 2026-12-31\n  currency USD\n  pay monthly\n";

/// The example schema and crediting rules, and a plan with `body` after the header lines.
fn with_prelude(body: &str) -> Vec<(String, String)> {
    let mut sources: Vec<(String, String)> = plan_sources(&root().join("plans"), root())
        .into_iter()
        .filter(|(p, _)| p.contains("schema") || p.contains("crediting"))
        .collect();
    sources.push(("deep.plan".to_string(), format!("{HEADER}{body}\n}}\n")));
    sources
}

/// A condition that wraps its inner part in as many tree levels as one level of nesting allows:
/// a parenthesis around `or`, `and`, a comparison, `+` and `×`. Ill-typed on purpose (the checker
/// then reports at every level and still walks all of them).
fn widest(levels: usize) -> String {
    let mut e = "1".to_string();
    for _ in 0..levels {
        e = format!("(true or true and 1 < 1 + 1 × {e})");
    }
    e
}

/// Each kind of nesting, `levels` deep, as an earning's amount or a condition.
fn nested(kind: &str, levels: usize) -> String {
    let repeat = |s: &str| s.repeat(levels);
    match kind {
        "parentheses" => format!("  eligible when {}true{}", repeat("("), repeat(")")),
        "calls" => format!("  earn e = {}1 USD{}", repeat("max(0 USD, "), repeat(")")),
        "signs" => format!("  earn e = {}1 USD", repeat("-")),
        "nots" => format!("  eligible when {}true", repeat("not ")),
        "ofs" => format!("  earn e = {}1 USD", repeat("100% of ")),
        _ => format!("  eligible when {}", widest(levels)),
    }
}

/// At the limit, every kind of nesting is read, checked, formatted and analysed on a small stack,
/// with no nesting error.
#[test]
fn nesting_at_the_limit_is_safe_on_a_small_stack() {
    for kind in ["parentheses", "calls", "signs", "nots", "ofs", "widest"] {
        let sources = with_prelude(&nested(kind, MAX_NESTING));
        let text = sources.last().map(|(_, t)| t.clone()).unwrap_or_default();
        let (diagnostics, formatted, answers) = on_small_stack(move || {
            let (_, diagnostics) = check_sources(sources.clone());
            let formatted = compplan::fmt::format_text(&text);
            let db = CompDb::default();
            let ws = db.workspace(sources);
            let file = *ws.files(&db).iter().find(|f| f.path(&db) == "deep.plan").expect("the plan");
            let inner = text.find("true)").or(text.find("1 USD)")).unwrap_or(0);
            let answers =
                (analysis::hover(&db, ws, file, inner).is_some(), analysis::completions(&db, ws, file, inner).len());
            (diagnostics, formatted, answers)
        });
        assert_eq!(count(&diagnostics, "E0008"), 0, "{kind}: {:?}", codes(&diagnostics));
        assert!(diagnostics.iter().all(|d| !d.code.id.starts_with("E000")), "{kind}: {:?}", codes(&diagnostics));
        if kind != "widest" {
            assert!(diagnostics.is_empty(), "{kind}: {:?}", codes(&diagnostics));
        }
        assert!(formatted.is_some(), "{kind}: the formatter reads it");
        let _ = answers;
    }
}

/// One level more, and far more (the 380 parentheses and 8,900 signs and `not`s): one
/// E0008, at the operator or parenthesis that opens the level beyond the limit, and nothing worse.
#[test]
fn nesting_beyond_the_limit_is_one_error_at_the_level_that_opens_it() {
    for levels in [MAX_NESTING + 1, 400, 9_000] {
        for kind in ["parentheses", "calls", "signs", "nots", "ofs", "widest"] {
            if levels > 400 && matches!(kind, "parentheses" | "calls" | "widest") {
                continue;
            }
            let body = nested(kind, levels);
            let sources = with_prelude(&body);
            let diagnostics = on_small_stack(move || check_sources(sources).1);
            assert_eq!(codes(&diagnostics), ["E0008"], "{kind} × {levels}");
            let token = match kind {
                "signs" => "-",
                "nots" => "not ",
                "ofs" => "of ",
                _ => "(",
            };
            // The token that opens level 65 is the 65th of its kind in the line.
            let expected = body.match_indices(token).nth(MAX_NESTING).map(|(i, _)| HEADER.len() + i);
            let at = diagnostics[0].primary_label().and_then(|l| l.span()).map(|s| s.start);
            assert_eq!(at, expected, "{kind} × {levels}: the level that opens beyond the limit");
        }
    }
}

/// A flat chain of 9,000 operands (the reproduction) is read, checked, formatted and
/// analysed on a small stack: it is not nesting.
#[test]
fn long_operator_chains_are_read_flat() {
    let chains = [
        format!("  earn e = {}", vec!["1 USD"; 9_000].join(" + ")),
        format!("  earn e = {} + 1 USD × {}", vec!["1 USD"; 4_000].join(" - "), vec!["2"; 4_000].join(" / ")),
        format!("  eligible when {}", vec!["rep.role is \"AE\""; 9_000].join(" and ")),
        format!("  eligible when {}", vec!["true and false"; 4_000].join(" or ")),
    ];
    for body in chains {
        let sources = with_prelude(&body);
        let text = sources.last().map(|(_, t)| t.clone()).unwrap_or_default();
        let (diagnostics, formatted) = on_small_stack(move || {
            let (_, diagnostics) = check_sources(sources.clone());
            let db = CompDb::default();
            let ws = db.workspace(sources);
            let file = *ws.files(&db).iter().find(|f| f.path(&db) == "deep.plan").expect("the plan");
            let _ = analysis::hover(&db, ws, file, text.len() / 2);
            (diagnostics, compplan::fmt::format_text(&text))
        });
        assert!(diagnostics.is_empty(), "{}: {:?}", &body[..40], codes(&diagnostics));
        assert!(formatted.is_some(), "{}: formatted", &body[..40]);
    }
}

/// pest's own stack guard is the last line of defence: on a thread far too small for the nesting
/// the limit allows (80 KB, of which pest keeps 64 KB in reserve), the parse stops with a located
/// E0009 instead of overflowing, in a debug or a release build.
#[test]
fn a_stack_too_small_for_the_parser_is_a_located_error() {
    let text = format!("{HEADER}{}\n}}\n", nested("parentheses", MAX_NESTING));
    let len = text.len();
    let thread = std::thread::Builder::new().stack_size(80 * 1024).spawn(move || syntax::parse(&text).diagnostics);
    let diagnostics = thread.expect("a thread").join().expect("no panic");
    assert_eq!(codes(&diagnostics), ["E0009"]);
    let at = diagnostics[0].primary_label().and_then(|l| l.span()).map(|s| s.start);
    assert!(at.is_some_and(|at| at <= len), "located in the text: {at:?}");
}

/// A plan whose eligibility, measure filters and earnings all nest to the limit (an earning's
/// depth counts the definition it names: one level, plus the definition's own depth), with long
/// chains at every level, runs: its own test (exact results), `run` on rayon threads with a 2 MB
/// stack, and `explain`. The arithmetic is exact however the chains were regrouped.
#[test]
fn the_runtime_evaluates_expressions_nested_to_the_limit() {
    const LEVELS: usize = MAX_NESTING - 1;
    // Each level of a condition is a parenthesis and two `not`s around `false or true and …`: three
    // levels of nesting (63 in all), and the same truth as what it wraps.
    let condition = |inner: &str| {
        let mut e = inner.to_string();
        for _ in 0..LEVELS / 3 {
            e = format!("(false or true and not not {e})");
        }
        e
    };
    // Each level of an amount adds 30 zero amounts and multiplies by 30 ones: the same amount.
    let amount = |inner: &str| {
        let (zeros, ones) = (vec!["0 USD"; 30].join(" + "), vec!["1"; 30].join(" × "));
        let mut e = inner.to_string();
        for _ in 0..LEVELS {
            e = format!("({zeros} + {ones} × {e})");
        }
        e
    };
    let repeat = |s: &str| s.repeat(LEVELS);
    // `m` has depth 0 and `n` depth 63 (its filter): each earning below is 64 levels deep.
    let plan = format!(
        "plan deep version 1 {{
  effective 2026-01-01 to 2026-12-31
  currency USD
  pay monthly
  eligible when {eligible}
  measure m = sum of credit.amount where deal.kind is \"new\"
  measure n = sum of credit.amount where {filter}
  earn sums = {sums}
  earn rates = {rates}m period
  earn maxima = {maxima}m period{close}
  earn signs = {signs}m period
  earn filtered = n period
  test \"nested to the limit\" {{
    data reps {{
      id,name,role,region,manager,hired,terminated,target_incentive
      ada,Ada Byron,AE,EMEA,,2025-01-01,,60000
    }}
    data deals {{
      id,owner,amount,currency,closed,product,region,kind,new_logo,cancelled,paid
      D1,ada,1000,USD,2026-01-15,Platform,EMEA,new,false,,
      D2,ada,500,USD,2026-01-20,Platform,EMEA,renewal,false,,
    }}
    period 2026-01
    expect ada sums is 1000.00 USD      // only D1 is new: m = 1000
    expect ada rates is 1000.00 USD     // 100% of 100% of … 1000
    expect ada maxima is 1000.00 USD    // max(0, max(0, … 1000))
    expect ada signs is 1000.00 USD     // 62 minus signs: an even number
    expect ada filtered is 1000.00 USD  // n's filter is true exactly for new deals: n = 1000
    expect ada total is 5000.00 USD
  }}
}}
",
        eligible = condition("rep.role is \"AE\""),
        filter = condition("deal.kind is \"new\""),
        sums = amount("m period"),
        rates = repeat("100% of "),
        maxima = repeat("max(0 USD, "),
        close = repeat(")"),
        signs = "-".repeat(LEVELS - 1),
    );
    let dir = crate::support::scratch("deep-runtime");
    for name in ["schema.plan", "crediting.plan"] {
        std::fs::copy(root().join("plans").join(name), dir.join(name)).expect("copy");
    }
    std::fs::write(dir.join("deep.plan"), &plan).expect("write");
    let compplan = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_compplan"))
            .args(args)
            .env("RUST_MIN_STACK", SMALL_STACK.to_string())
            .output()
            .expect("the binary runs");
        let (stdout, stderr) = (crate::support::stdout(&out), crate::support::stderr(&out));
        assert_eq!(out.status.code(), Some(0), "{args:?}\n{stdout}\n{stderr}");
        stdout
    };
    let path = dir.to_str().expect("utf-8 path");
    let tested = compplan(&["test", path]);
    assert!(tested.contains("1 passed; 0 failed; 6 expectations checked"), "{tested}");

    // On the example data, the five earnings are one amount (each is a measure of the new deals,
    // however it is wrapped), in `run`'s rows and in `explain`'s lines.
    crate::support::copy_dir(&root().join("plans/data"), &dir.join("data"));
    let data = dir.join("data");
    let data = data.to_str().expect("utf-8 path");
    let common = ["--data", data, "--period", "2026-03", "--rep", "alice"];
    let rows = compplan(&[&["run", path, "--format", "csv"][..], &common].concat());
    let amounts: Vec<&str> =
        rows.lines().filter(|l| !l.contains(",total,")).filter_map(|l| l.split(',').nth(4)).skip(1).collect();
    assert_eq!(amounts.len(), 5, "{rows}");
    assert!(amounts.iter().all(|a| *a == amounts[0]), "{rows}");
    let explained = compplan(&[&["explain", path][..], &common].concat());
    let lines: Vec<&str> = explained
        .lines()
        .filter_map(|l| l.strip_prefix("├─ earn "))
        .filter_map(|l| l.split(": ").nth(1)?.split("  ").next())
        .collect();
    assert_eq!(lines.len(), 5, "{explained}");
    assert!(lines.iter().all(|e| e.trim_end_matches(" USD") == amounts[0]), "{lines:?} and {amounts:?}");
}

/// Copies of one plan header (the same name and version) used to be reported pair by pair: 10,000
/// of them made 50 million diagnostics (minutes and gigabytes). Each copy is now reported once,
/// against the first declaration, and each version against the first earlier version it overlaps;
/// the first 500 are shown, and a note says how many more there are (`diagnostics::limit`).
#[test]
fn copies_of_a_plan_are_reported_once_each() {
    const N: usize = 2_000;
    const SHOWN: usize = compplan::diagnostics::limit::MAX_PER_FILE;
    let header = "plan p version 1 {\n  effective 2026-01-01 to 2026-12-31\n  currency USD\n  pay monthly\n}\n";
    let (_, diagnostics) = check_sources(vec![("p.plan".to_string(), header.repeat(N))]);
    assert_eq!(count(&diagnostics, "E0501"), SHOWN);
    let more = format!("{} more errors in this file are not shown", N - 1 - SHOWN);
    assert!(diagnostics.iter().any(|d| d.code.id == "N0011" && d.message == more), "{more}");
    let versions: String = (1..=N).map(|v| header.replace("version 1", &format!("version {v}"))).collect();
    let (_, diagnostics) = check_sources(vec![("p.plan".to_string(), versions)]);
    assert_eq!(count(&diagnostics, "E0500"), SHOWN, "each version overlaps the first");
    assert!(diagnostics.iter().any(|d| d.code.id == "N0011" && d.message == more), "{more}");
    assert_eq!(count(&diagnostics, "E0501"), 0);
}

/// Definitions that name definitions: the checker takes them in a worklist (a chain of 5,000
/// quotas, each naming the next, used to recurse once per definition and overflow the stack), and
/// the depth a name adds counts towards the nesting limit, since the runtime evaluates a name by
/// evaluating its definition: 65 quotas deep is one E0008, at the first one too deep; a cycle of
/// 5,000 is one E0400.
#[test]
fn chains_of_definitions_are_checked_without_recursion_and_bounded() {
    let chain = |n: usize, last: &str| {
        let mut body: String =
            (0..n).map(|i| format!("  quota q{i} = q{} year split evenly by month\n", i + 1)).collect();
        body.push_str(&format!("  quota q{n} = {last} split evenly by month\n"));
        body
    };
    let errors = |body: String| {
        let sources = with_prelude(&body);
        let diagnostics = on_small_stack(move || check_sources(sources).1);
        let errors: Vec<(&str, String)> = diagnostics
            .iter()
            .filter(|d| d.code.id.starts_with('E'))
            .map(|d| (d.code.id, d.message.split('`').nth(1).unwrap_or_default().to_string()))
            .collect();
        errors
    };
    // q{n} is 0 levels deep, q{n-1} one more, … q0 is n levels deep.
    assert_eq!(errors(chain(MAX_NESTING, "quotas.amount")), []);
    assert_eq!(errors(chain(MAX_NESTING + 1, "quotas.amount")), [("E0008", "q0".to_string())]);
    assert_eq!(errors(chain(5_000, "quotas.amount")), [("E0008", format!("q{}", 5_000 - MAX_NESTING - 1))]);
    let cycle = errors(chain(5_000, "q0 year"));
    assert_eq!(
        cycle.iter().map(|(code, _)| *code).collect::<Vec<_>>(),
        ["E0400"],
        "{:?}",
        &cycle[..cycle.len().min(3)]
    );
}
