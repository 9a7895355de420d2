//! Syntax errors: turning a broken item into a precise diagnostic, and a misspelt keyword into the
//! item it was meant to be.
//!
//! The main parse swallows a broken item whole (a `bad_*` rule). Here the item's text is parsed again
//! on its own with the rule its first word names, so that pest's furthest failure points at the real
//! mistake; when the first word is a near miss of a keyword (`tabel`), the text is parsed with the
//! keyword corrected and, if that works, lowered as the real item so that it is still checked.

use super::lower::{Lowerer, Remap};
use super::parser::{PlanParser, Rule};
use crate::ast::{CreditRule, Entry, ErrorNode, Field, Ident, Item, Row, Span, TestStmt};
use crate::diagnostics::{codes, did_you_mean, Diagnostic};
use pest::Parser as _;

/// Where a broken piece of text stood, which decides what it could have been.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Context {
    Top,
    Plan,
    Field,
    CreditRule,
    Row,
    TestStmt,
}

const TOP_KEYWORDS: &[(&str, Rule)] = &[
    ("schema", Rule::whole_schema),
    ("credit", Rule::whole_credit),
    ("plan", Rule::whole_plan),
    ("territory", Rule::whole_territory),
];

const PLAN_KEYWORDS: &[(&str, Rule)] = &[
    ("effective", Rule::whole_effective),
    ("currency", Rule::whole_currency),
    ("pay", Rule::whole_pay),
    ("fiscal", Rule::whole_fiscal),
    ("rounding", Rule::whole_rounding),
    ("eligible", Rule::whole_eligible),
    ("quota", Rule::whole_quota),
    ("measure", Rule::whole_measure),
    ("attainment", Rule::whole_attainment),
    ("table", Rule::whole_table),
    ("earn", Rule::whole_earn),
    ("draw", Rule::whole_draw),
    ("hold", Rule::whole_hold),
    ("write", Rule::whole_write_off),
    ("recover", Rule::whole_recover),
    ("test", Rule::whole_test),
];

impl Context {
    fn keywords(self) -> &'static [(&'static str, Rule)] {
        match self {
            Context::Top => TOP_KEYWORDS,
            Context::Plan => PLAN_KEYWORDS,
            _ => &[],
        }
    }

    /// The rule that reads one element of this context, when it does not depend on a keyword.
    fn element_rule(self) -> Option<(Rule, &'static str)> {
        match self {
            Context::Field => Some((Rule::whole_field, "a column (`name: type`)")),
            Context::CreditRule => Some((Rule::whole_rule, "a crediting rule")),
            Context::Row => Some((Rule::whole_row, "a table row")),
            Context::TestStmt => Some((Rule::whole_test_stmt, "a test statement (`period`, `data`, `expect`)")),
            Context::Top | Context::Plan => None,
        }
    }
}

/// A syntax-tree node that a broken piece of text can become.
pub(crate) trait Recovered: Sized {
    /// The error node standing in for the text.
    fn error(node: ErrorNode) -> Self;
    /// The real node, when the text parsed with its keyword corrected.
    fn lower(lowerer: &mut Lowerer<'_>, pair: pest::iterators::Pair<'_, Rule>) -> Option<Self>;
}

impl Recovered for Item {
    fn error(node: ErrorNode) -> Self {
        Item::Error(node)
    }
    fn lower(lowerer: &mut Lowerer<'_>, pair: pest::iterators::Pair<'_, Rule>) -> Option<Self> {
        lowerer.top_item(pair)
    }
}

impl Recovered for Entry {
    fn error(node: ErrorNode) -> Self {
        Entry::Error(node)
    }
    fn lower(lowerer: &mut Lowerer<'_>, pair: pest::iterators::Pair<'_, Rule>) -> Option<Self> {
        Some(lowerer.entry(pair))
    }
}

impl Recovered for Field {
    fn error(node: ErrorNode) -> Self {
        Field::Error(node)
    }
    fn lower(_: &mut Lowerer<'_>, _: pest::iterators::Pair<'_, Rule>) -> Option<Self> {
        None
    }
}

impl Recovered for CreditRule {
    fn error(node: ErrorNode) -> Self {
        CreditRule::Error(node)
    }
    fn lower(_: &mut Lowerer<'_>, _: pest::iterators::Pair<'_, Rule>) -> Option<Self> {
        None
    }
}

impl Recovered for Row {
    fn error(node: ErrorNode) -> Self {
        Row::Error(node)
    }
    fn lower(_: &mut Lowerer<'_>, _: pest::iterators::Pair<'_, Rule>) -> Option<Self> {
        None
    }
}

impl Recovered for TestStmt {
    fn error(node: ErrorNode) -> Self {
        TestStmt::Error(node)
    }
    fn lower(_: &mut Lowerer<'_>, _: pest::iterators::Pair<'_, Rule>) -> Option<Self> {
        None
    }
}

/// Reports a broken piece of text (`text`, starting at parsed offset `start`) and returns the node
/// that stands for it.
pub(crate) fn recover<T: Recovered>(lowerer: &mut Lowerer<'_>, text: &str, start: usize, context: Context) -> T {
    let broken = Broken::new(lowerer, text, start);
    let word = broken.word();
    let keywords = context.keywords();
    let is_keyword = keywords.iter().any(|(k, _)| *k == word);
    // The node, naming what the item's first two words would have been (when it is an item).
    let error = |named: bool| {
        let (keyword, defines) = if named { (broken.keyword(), broken.defines()) } else { (None, None) };
        T::error(ErrorNode { keyword, defines })
    };
    // Parentheses nested beyond the limit stop the grammar (its `nest` rule): that is the mistake.
    if let Some(at) = super::nesting::first_too_deep_paren(text) {
        let at = Span::new(broken.map.pos(at), broken.map.pos(at + 1));
        lowerer.error(super::nesting::too_deep(at));
        return error(is_keyword);
    }
    if let Some((rule, what)) = context.element_rule() {
        lowerer.error(broken.reparsed(rule, what, format!("expected {what}"), "this cannot be read here"));
        return error(false);
    }
    // A keyword of this context: the item is broken somewhere after it.
    if let Some(&(_, rule)) = keywords.iter().find(|(k, _)| *k == word) {
        let unreadable = format!("this `{word}` item cannot be read here");
        lowerer.error(broken.reparsed(rule, &format!("`{word}` item"), unreadable, "unexpected item"));
        return error(true);
    }
    if context == Context::Top && PLAN_KEYWORDS.iter().any(|(k, _)| *k == word) {
        lowerer.error(broken.outside_plan());
        return error(true);
    }
    let names: Vec<&str> = keywords.iter().map(|(k, _)| *k).collect();
    if let Some(suggestion) = did_you_mean(word, names.iter().copied()) {
        return broken.misspelt(lowerer, context, suggestion).unwrap_or_else(|| error(true));
    }
    lowerer.error(broken.not_an_item(&names));
    error(false)
}

/// A broken piece of text, where it stands in the file, and its first word.
struct Broken<'t> {
    text: &'t str,
    /// Where the text starts in the file.
    base: usize,
    /// Maps offsets in the text to the file.
    map: Remap,
    /// The length of the first word (letters, digits, `_` and `-`).
    word_len: usize,
}

impl<'t> Broken<'t> {
    fn new(lowerer: &Lowerer<'_>, text: &'t str, start: usize) -> Broken<'t> {
        let base = lowerer.map.pos(start);
        let word_len = text.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-')).unwrap_or(text.len());
        Broken { text, base, map: Remap::shifted(base, 0, 0), word_len }
    }

    fn word(&self) -> &'t str {
        &self.text[..self.word_len]
    }

    /// The first word, as the keyword the item would have started with.
    fn keyword(&self) -> Option<Ident> {
        (self.word_len > 0)
            .then(|| Ident { text: self.word().to_string(), span: Span::new(self.base, self.base + self.word_len) })
    }

    /// The second word, as the name the item would have defined.
    fn defines(&self) -> Option<Ident> {
        second_word(self.text, self.word_len)
            .map(|(s, e)| Ident { text: self.text[s..e].to_string(), span: Span::new(self.base + s, self.base + e) })
    }

    /// The text parsed again on its own with `rule`, so that pest's furthest failure points at the
    /// mistake; when it parses after all (it stands where it cannot), `message` about the whole text.
    fn reparsed(&self, rule: Rule, what: &str, message: String, label: &str) -> Diagnostic {
        match PlanParser::parse(rule, self.text) {
            Err(e) => located(&e, &self.map, self.text, what),
            Ok(_) => Diagnostic::new(&codes::SYNTAX_ERROR, message)
                .primary(Span::new(self.base, self.base + self.text.len()), label),
        }
    }

    /// A plan entry outside any plan.
    fn outside_plan(&self) -> Diagnostic {
        Diagnostic::new(&codes::MISPLACED_ITEM, format!("`{}` must be inside a plan", self.word()))
            .primary(Span::new(self.base, self.base + self.word_len), "this item is outside every `plan { … }` block")
            .help("move it into the plan it belongs to, between `plan NAME version N {` and `}`")
    }

    /// A near miss of a keyword of the context (`tabel`), reported with the keyword; when the text
    /// parses with the keyword corrected, the real item, lowered so that it is still checked.
    fn misspelt<T: Recovered>(&self, lowerer: &mut Lowerer<'_>, context: Context, suggestion: &str) -> Option<T> {
        let mut diagnostic = Diagnostic::new(&codes::UNKNOWN_KEYWORD, format!("unknown item `{}`", self.word()))
            .primary(Span::new(self.base, self.base + self.word_len), format!("did you mean `{suggestion}`?"))
            .help(format!("write `{suggestion}`"));
        let corrected = format!("{suggestion}{}", &self.text[self.word_len..]);
        let rule = context.keywords().iter().find(|(k, _)| *k == suggestion).map(|(_, r)| *r);
        let recovered = rule.and_then(|rule| PlanParser::parse(rule, &corrected).ok()).and_then(|mut pairs| {
            let pair = pairs.next()?;
            let mut fragment =
                Lowerer::fragment(&corrected, Remap::shifted(self.base, self.word_len, suggestion.len()));
            let node = T::lower(&mut fragment, pair)?;
            Some((node, fragment.diags))
        });
        let Some((node, diags)) = recovered else {
            lowerer.error(diagnostic);
            return None;
        };
        diagnostic = diagnostic.note(format!("the rest of the item was checked as a `{suggestion}` item"));
        lowerer.error(diagnostic);
        lowerer.diags.extend(diags);
        Some(node)
    }

    /// Text that does not start with a keyword of the context.
    fn not_an_item(&self, keywords: &[&str]) -> Diagnostic {
        let listed = keywords.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>();
        let span = Span::new(self.base, self.base + self.word_len.max(first_char_len(self.text)));
        let word = self.word();
        let found = if word.is_empty() {
            self.text.chars().next().map_or(String::new(), String::from)
        } else {
            word.to_string()
        };
        Diagnostic::new(&codes::SYNTAX_ERROR, format!("expected an item, found `{found}`"))
            .primary(span, "an item starts with a keyword")
            .help(format!("items start with {}", join_or(&listed)))
    }
}

/// The second word of a broken item, which would have been the name it defines.
fn second_word(text: &str, after: usize) -> Option<(usize, usize)> {
    let rest = &text[after..];
    let start = after + rest.find(|c: char| !c.is_whitespace())?;
    let len = text[start..].find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(text.len() - start);
    let first = text[start..].chars().next()?;
    (len > 0 && (first.is_alphabetic() || first == '_')).then_some((start, start + len))
}

fn first_char_len(text: &str) -> usize {
    text.chars().next().map_or(0, char::len_utf8)
}

/// A diagnostic for a pest failure, located at the furthest point the parser reached.
pub(crate) fn from_pest(error: &pest::error::Error<Rule>, map: &Remap, text: &str) -> Diagnostic {
    located(error, map, text, "an item")
}

fn located(error: &pest::error::Error<Rule>, map: &Remap, text: &str, what: &str) -> Diagnostic {
    if let pest::error::ErrorVariant::CustomError { message } = &error.variant {
        return gave_up(error, message, map, text);
    }
    let (at, expected) = match error.parse_attempts() {
        Some(attempts) => {
            let tokens: Vec<String> = attempts.expected_tokens().iter().map(|t| t.to_string()).collect();
            (attempts.max_position, describe(&tokens))
        }
        None => match error.location {
            pest::error::InputLocation::Pos(p) => (p, Vec::new()),
            pest::error::InputLocation::Span((s, _)) => (s, Vec::new()),
        },
    };
    let at = at.min(text.len());
    // `draw WORD …` where WORD is no draw kind and no `=` follows: pest went furthest trying WORD as
    // the draw's name, but the mistake is the kind.
    let (at, expected) = match misspelt_draw_kind(text, at, what) {
        Some(word) => (word, vec!["`non-recoverable`".to_string(), "`recoverable`".to_string()]),
        None => (at, expected),
    };
    // A comment ends the line: the item stopped short before it, so the place is the end of the
    // text before it (not the comment, which is not wrong).
    let at = if text[at..].starts_with("//") { text[..at].trim_end().len() } else { at };
    let (found, found_len) = found_at(text, at);
    let span = Span::new(map.pos(at), map.pos(at + found_len));
    let hint = super::hints::hint(text, at, what, &expected);
    let label = match hint.as_ref().and_then(|h| h.label.clone()) {
        Some(label) => label,
        None if expected.is_empty() => "unexpected here".to_string(),
        None => format!("expected {}", join_or(&expected)),
    };
    let diagnostic =
        Diagnostic::new(&codes::SYNTAX_ERROR, format!("unexpected {found} in {what}")).primary(span, label);
    if let Some(hint) = hint {
        return diagnostic.help(hint.help);
    }
    // A keyword misspelt: the whole token (`non_recoverable`, hyphens and underscores included)
    // against the keywords expected here.
    let keywords: Vec<&str> = expected
        .iter()
        .filter_map(|e| e.strip_prefix('`')?.strip_suffix('`'))
        .filter(|k| k.chars().all(|c| c.is_alphabetic() || c == '-' || c == '_'))
        .collect();
    let word = text[at..].split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-')).next().unwrap_or("");
    match did_you_mean(word, keywords.iter().copied()) {
        Some(suggestion) => diagnostic.help(format!("did you mean `{suggestion}`?")),
        None => diagnostic,
    }
}

/// Where the word after `draw` starts, when a draw item stopped right after it for want of the `=`
/// of a draw's name: the word was meant as the draw's kind.
fn misspelt_draw_kind(text: &str, at: usize, what: &str) -> Option<usize> {
    if what != "`draw` item" || text[at..].trim_start().starts_with('=') {
        return None;
    }
    let before = text[..at].trim_end();
    let word_start = before.rfind(|c: char| c.is_whitespace())? + 1;
    let head = before[..word_start].trim_end();
    (head.ends_with("draw") && head.trim_start() == "draw").then_some(word_start)
}

/// The parser stopped at one of pest's limits (its call budget, or the room left on the stack): a
/// safety net that no plan within the language's own limits reaches.
fn gave_up(error: &pest::error::Error<Rule>, message: &str, map: &Remap, text: &str) -> Diagnostic {
    let at = match error.location {
        pest::error::InputLocation::Pos(p) => p,
        pest::error::InputLocation::Span((s, _)) => s,
    }
    .min(text.len());
    let (_, len) = found_at(text, at);
    let why = if message.contains("stack") { "ran out of stack" } else { "reached its budget of work" };
    Diagnostic::new(&codes::PARSER_LIMIT, format!("the parser {why} and stopped reading this file"))
        .primary(Span::new(map.pos(at), map.pos(at + len)), "it stopped here")
        .help("split the file, or shorten the unusually long or deeply nested text around this place")
}

/// What stands at an offset, for "unexpected …": a word, a symbol, or the end of the line.
fn found_at(text: &str, at: usize) -> (String, usize) {
    let rest = &text[at..];
    match rest.chars().next() {
        None => ("end of the text".to_string(), 0),
        Some('\n' | '\r') => ("end of the line".to_string(), 0),
        Some(' ' | '\t') if rest.trim_start_matches([' ', '\t']).starts_with("//") => {
            ("end of the line".to_string(), 0)
        }
        Some(c) if c.is_alphanumeric() || c == '_' => {
            let len = rest.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.')).unwrap_or(rest.len());
            (format!("`{}`", &rest[..len]), len)
        }
        Some(c) => (format!("`{c}`"), c.len_utf8()),
    }
}

/// Turns pest's expected tokens into words a comp admin reads: operators collapse into "an
/// operator", line breaks into "the end of the line", character ranges into "a number" or "a name".
fn describe(tokens: &[String]) -> Vec<String> {
    const OPERATORS: &[&str] =
        &["+", "-", "−", "*", "×", "/", "÷", ">=", "<=", "!=", "==", ">", "<", "=", "≥", "≤", "≠"];
    let mut words: Vec<String> = Vec::new();
    let mut operator = false;
    let mut end_of_line = false;
    let push = |w: String, words: &mut Vec<String>| {
        if !words.contains(&w) {
            words.push(w);
        }
    };
    for token in tokens {
        match token.as_str() {
            t if OPERATORS.contains(&t) => operator = true,
            "\n" | "\r\n" | "\r" | ";" | "}" => end_of_line = true,
            " " | "\t" | "\u{feff}" | "//" | "///" | "BUILTIN_RULE" => {}
            "0..9" => push("a number".to_string(), &mut words),
            "a..z" | "A..Z" | "_" => push("a name".to_string(), &mut words),
            "\"" => push("text in quotes".to_string(), &mut words),
            t => push(format!("`{t}`"), &mut words),
        }
    }
    words.sort_by_key(|w| (!w.starts_with('`'), w.clone()));
    if operator {
        words.push("an operator".to_string());
    }
    if end_of_line {
        words.push("the end of the line".to_string());
    }
    words
}

fn join_or(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}
