//! Text to syntax tree: the pest parser, its lowering into [`crate::ast`], and syntax diagnostics.
//!
//! Invariant: parsing never fails. [`parse`] always returns a whole [`ast::File`]; text it could not
//! read becomes `Error` nodes plus diagnostics, and the rest of the file is still lowered. This module
//! is the only one that knows pest.

// Amounts and rates are added, multiplied and divided only with checked operations here: an
// overflow is a located error, never a panic (integers are exempt, see `clippy.toml`).
#![deny(clippy::arithmetic_side_effects)]

mod encoding;
mod errors;
mod hints;
mod lower;
pub mod nesting;
mod parser;

use crate::ast;
use crate::diagnostics::{Diag, Diagnostic};
use crate::source::SourceFile;
use pest::Parser as _;
use salsa::Accumulator as _;

pub use encoding::decode;
pub use nesting::MAX_NESTING;
pub(crate) use parser::Rule;

/// The result of parsing one text: the tree and the syntax diagnostics, in source order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parse {
    /// The syntax tree, complete even when the text has errors.
    pub file: ast::File,
    /// What the parser could not read, and the literals that made no sense.
    pub diagnostics: Vec<Diagnostic>,
}

/// How many grammar calls one parse may make: a safety net, not a limit a plan meets. Recovery is
/// linear (the example plans take 3 to 4 calls per byte, the hostile inputs of `tests/hostile.rs`
/// under 25), so this is reached only by a text of several megabytes or by a grammar change that
/// backtracks; the parse then stops with a located error (E0009) instead of running for minutes.
pub const CALL_BUDGET: usize = 100_000_000;

/// Parses a plan file's text. A pure function of the text: the query below only wraps it.
pub fn parse(text: &str) -> Parse {
    // Both settings are process-wide and every parse sets the same values, so threads that parse at
    // once never see each other's.
    pest::set_error_detail(true);
    pest::set_call_limit(std::num::NonZeroUsize::new(CALL_BUDGET));
    let mut lowerer = lower::Lowerer::new(text);
    let file = match parser::PlanParser::parse(Rule::file, text) {
        Ok(mut pairs) => match pairs.next() {
            Some(pair) => lowerer.file(pair),
            None => ast::File::default(),
        },
        // The grammar accepts every text (each line is an item or a broken item), so this arm only
        // guards against a grammar bug: report it rather than panic.
        Err(error) => {
            lowerer.diags.push(errors::from_pest(&error, &lowerer.map, text));
            ast::File::default()
        }
    };
    let mut diagnostics = lowerer.diags;
    diagnostics.extend(encoding::replacement_characters(text));
    diagnostics.sort_by_key(|d| d.primary_label().and_then(|l| l.span()).map(|s| (s.start, s.end)));
    Parse { file, diagnostics }
}

/// A piece of plan text on one line, for messages, hovers and explanations: comments dropped (a
/// clause continued after a comma may hold some) and every run of whitespace outside quotes made
/// one space.
pub fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let (mut quoted, mut escaped, mut space) = (false, false, false);
    while let Some(c) = chars.next() {
        if quoted && c != '\n' && c != '\r' {
            out.push(c);
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => quoted = false,
                _ => {}
            }
        } else if c == '/' && chars.peek() == Some(&'/') {
            while chars.next_if(|&c| c != '\n' && c != '\r').is_some() {}
            space = true;
        } else if c.is_whitespace() {
            (space, quoted) = (true, false);
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            quoted = c == '"';
            out.push(c);
        }
    }
    out
}

/// The syntax tree of a file; its syntax diagnostics are accumulated for [`crate::check::diagnostics`].
#[salsa::tracked(returns(ref))]
pub fn parse_file(db: &dyn crate::Db, file: SourceFile) -> ast::File {
    let parsed = parse(file.text(db));
    for diagnostic in parsed.diagnostics {
        Diag(diagnostic.in_file(file)).accumulate(db);
    }
    parsed.file
}

#[cfg(test)]
mod tests {
    use super::parse;
    use crate::ast::{Continuation, DrawWhen, Entry, ExprKind, Item, Modifier, Plan, QuotaSplit};

    #[test]
    fn any_text_parses_to_a_file() {
        for text in ["", "}", "{", "plan", "plan {", "\"", "schema x { a: }", "measure", "€€€", "plan x { table t {"]
        {
            let parsed = parse(text);
            assert!(parsed.file.items.len() <= 2, "{text:?}");
        }
    }

    /// The plan of a text whose diagnostics have exactly these codes.
    fn plan_warned(text: &str, codes: &[&str]) -> Plan {
        let parsed = parse(text);
        let found: Vec<&str> = parsed.diagnostics.iter().map(|d| d.code.id).collect();
        assert_eq!(found, codes, "{:?}", parsed.diagnostics);
        match parsed.file.items.into_iter().next().map(|i| i.kind) {
            Some(Item::Plan(plan)) => plan,
            other => panic!("not a plan: {other:?}"),
        }
    }

    /// The comment after the comma and the comment lines above the clause, as texts.
    fn texts(c: &Continuation) -> (Option<&str>, Vec<&str>) {
        (c.after_comma.as_ref().map(|c| c.text.as_str()), c.leading.iter().map(|c| c.text.as_str()).collect())
    }

    #[test]
    fn one_line_drops_comments_and_keeps_quoted_text() {
        assert_eq!(
            super::one_line("capped at min(a,  // one\n    // two\r\n    b)   per year"),
            "capped at min(a, b) per year"
        );
        assert_eq!(super::one_line("deal.kind is  \"a // b  \\\" c\"  // d"), "deal.kind is \"a // b  \\\" c\"");
    }

    #[test]
    fn comments_in_a_continued_clause_belong_to_the_clause_after_them() {
        // `/// c` is kept (as `fmt` prints it back), and warned about: it documents nothing.
        let plan = plan_warned(
            concat!(
                "plan p version 1 {\n",
                "  quota q = quotas.amount split by quarter weights (20%, 25%,  // a\n",
                "    // b\n",
                "    25%, 30%),\n",
                "    /// c\n",
                "    prorated by months employed\n",
                "  earn e = 5% of bookings ytd,  // d\n",
                "\n",
                "    // e\n",
                "    // f\n",
                "    capped at min(1 USD,\n",
                "      // g\n",
                "      2 USD) per year, only when true  // h\n",
                "  draw recoverable 1 USD per month for 3 months from rep.hired,\n",
                "    forgiven on termination,  // i\n",
                "    owed at end\n",
                "}\n",
            ),
            &["W0012"],
        );
        let Entry::Quota(quota) = &plan.entries[0].kind else { panic!("a quota") };
        let Some(QuotaSplit::Weights { weights, .. }) = &quota.split else { panic!("weights") };
        let weights: Vec<_> = weights.iter().map(|w| texts(&w.comments)).collect();
        assert_eq!(weights, [(None, vec![]), (None, vec![]), (Some(" a"), vec![" b"]), (None, vec![])]);
        let prorate = quota.prorate.as_ref().expect("prorated");
        assert_eq!(prorate.kind.text, "months");
        assert_eq!(texts(&prorate.comments), (None, vec![" c"]));
        assert!(prorate.comments.leading[0].doc);

        let Entry::Earn(earn) = &plan.entries[1].kind else { panic!("an earning") };
        let modifiers: Vec<_> = earn.modifiers.iter().map(|m| texts(&m.comments)).collect();
        assert_eq!(modifiers, [(Some(" d"), vec![" e", " f"]), (None, vec![])]);
        let Modifier::Cap { limit, .. } = &earn.modifiers[0].kind else { panic!("a cap") };
        let ExprKind::Call { args, .. } = &limit.kind else { panic!("a call") };
        assert_eq!(args.iter().map(|a| texts(&a.comments)).collect::<Vec<_>>(), [(None, vec![]), (None, vec![" g"])]);
        assert_eq!(
            plan.entries[1].trivia.trailing.as_ref().map(|c| c.text.as_str()),
            Some(" h"),
            "the item's own trailing comment"
        );

        let Entry::Draw(draw) = &plan.entries[2].kind else { panic!("a draw") };
        assert!(matches!(draw.when, DrawWhen::Months { .. }));
        let options: Vec<_> = draw.options.iter().map(|o| texts(&o.comments)).collect();
        assert_eq!(options, [(None, vec![]), (Some(" i"), vec![])]);
    }

    #[test]
    fn a_broken_continued_clause_takes_its_comment_lines_but_not_the_next_items() {
        let text = "plan p version 1 {\n  earn e = 5% of b ytd,  // a\n    // b\n    caped at 1 USD\n  // c\n  earn f = 1 USD\n}\n";
        let parsed = parse(text);
        let codes: Vec<&str> = parsed.diagnostics.iter().map(|d| d.code.id).collect();
        assert_eq!(codes, ["E0001"], "one error for the broken earning");
        let Some(Item::Plan(plan)) = parsed.file.items.first().map(|i| &i.kind) else { panic!("a plan") };
        assert_eq!(plan.entries.len(), 2);
        assert!(matches!(plan.entries[0].kind, Entry::Error(_)));
        assert_eq!(plan.entries[0].span.end, text.find("1 USD\n").map_or(0, |n| n + "1 USD".len()));
        assert_eq!(plan.entries[1].trivia.leading.iter().map(|c| c.text.as_str()).collect::<Vec<_>>(), [" c"]);
    }
}
