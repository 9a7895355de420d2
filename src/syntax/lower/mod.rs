//! Lowering from pest pairs to the owned syntax tree: files, top-level items, schema and crediting.
//!
//! The lowering attaches comments to the items around them, turns recovery rules into `Error` nodes
//! with precise diagnostics (see `errors`), and checks literals. Plan entries and expressions are
//! lowered in the sibling modules.

mod expr;
mod payments;
mod plan;

use super::errors::{self, Context};
use super::parser::Rule;
use crate::ast::*;
use crate::diagnostics::{codes, Diagnostic};
use pest::iterators::Pair;

/// Maps offsets in the text pest parsed to offsets in the file.
///
/// The whole file is parsed with the identity map. A broken item re-parsed with its misspelt keyword
/// corrected (`tabel` → `table`) is parsed from a copy of its text: positions inside the keyword map
/// into the original keyword, positions after it are shifted by the difference in length.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Remap {
    base: usize,
    new_keyword_len: usize,
    old_keyword_len: usize,
}

impl Remap {
    /// A map for text that starts at `base` in the file, whose first `old` bytes were replaced by a
    /// keyword of `new` bytes.
    pub(crate) fn shifted(base: usize, old: usize, new: usize) -> Remap {
        Remap { base, new_keyword_len: new, old_keyword_len: old }
    }

    /// The file offset of a parsed offset.
    pub(crate) fn pos(&self, p: usize) -> usize {
        if p < self.new_keyword_len {
            self.base + p.min(self.old_keyword_len)
        } else {
            self.base + p - self.new_keyword_len + self.old_keyword_len
        }
    }
}

/// Lowers one parsed text, collecting diagnostics as it goes.
pub(crate) struct Lowerer<'t> {
    pub(crate) text: &'t str,
    pub(crate) map: Remap,
    pub(crate) diags: Vec<Diagnostic>,
    /// Parsed offsets where a block was closed for lack of a `}`: the item after it necessarily starts
    /// on the same line, which is not a second error. A set, so that a file of many unclosed blocks
    /// is not quadratic.
    unclosed_at: rustc_hash::FxHashSet<usize>,
    /// How many levels of nesting enclose the expression being lowered (see `syntax::nesting`).
    pub(crate) nesting: usize,
}

/// One child of a list: an element, a comment, or nothing worth keeping.
pub(crate) enum Child<T> {
    Element(T, Span, (usize, usize)),
    Comment(Comment, (usize, usize)),
    Skip,
}

impl<'t> Lowerer<'t> {
    /// A lowerer for a whole file.
    pub(crate) fn new(text: &'t str) -> Lowerer<'t> {
        Lowerer { text, map: Remap::default(), diags: Vec::new(), unclosed_at: Default::default(), nesting: 0 }
    }

    /// A lowerer for a fragment re-parsed on its own.
    pub(crate) fn fragment(text: &'t str, map: Remap) -> Lowerer<'t> {
        Lowerer { text, map, diags: Vec::new(), unclosed_at: Default::default(), nesting: 0 }
    }

    pub(crate) fn span(&self, pair: &Pair<'_, Rule>) -> Span {
        let s = pair.as_span();
        Span::new(self.map.pos(s.start()), self.map.pos(s.end()))
    }

    pub(crate) fn ident(&self, pair: &Pair<'_, Rule>) -> Ident {
        Ident { text: pair.as_str().to_string(), span: self.span(pair) }
    }

    pub(crate) fn error(&mut self, diagnostic: Diagnostic) {
        self.diags.push(diagnostic);
    }

    /// The span of a raw (parsed-text) range.
    pub(crate) fn raw_span(&self, start: usize, end: usize) -> Span {
        Span::new(self.map.pos(start), self.map.pos(end))
    }

    // ------------------------------------------------------------------ trivia

    /// Turns a sequence of children into nodes with their comments attached.
    ///
    /// A comment on the same line as the element before it is that element's trailing comment; other
    /// comments lead the next element; comments after the last element are returned separately.
    pub(crate) fn attach<T>(&mut self, children: Vec<Child<T>>, list_start: usize) -> (Vec<Node<T>>, Vec<Comment>) {
        let mut nodes: Vec<Node<T>> = Vec::new();
        let mut pending: Vec<Comment> = Vec::new();
        let mut prev_end = list_start;
        let mut prev_was_node = false;
        for child in children {
            match child {
                Child::Skip => {}
                Child::Comment(mut comment, (start, end)) => {
                    let gap = self.text.get(prev_end..start).unwrap_or("");
                    let same_line = prev_was_node && !gap.contains('\n');
                    match nodes.last_mut() {
                        Some(last) if same_line && last.trivia.trailing.is_none() => {
                            if comment.doc {
                                self.diags.push(doc_documents_nothing(&comment, "ends the line of an item"));
                            }
                            last.trivia.trailing = Some(comment);
                        }
                        _ => {
                            comment.blank_line_before = blank_line(gap);
                            pending.push(comment);
                        }
                    }
                    prev_end = end;
                    prev_was_node = false;
                }
                Child::Element(kind, span, (start, end)) => {
                    let gap = self.text.get(prev_end..start).unwrap_or("");
                    let trivia = Trivia {
                        leading: std::mem::take(&mut pending),
                        trailing: None,
                        blank_line_before: blank_line(gap),
                    };
                    nodes.push(Node { kind, span, trivia });
                    prev_end = end;
                    prev_was_node = true;
                }
            }
        }
        for comment in pending.iter().filter(|c| c.doc) {
            self.diags.push(doc_documents_nothing(comment, "comes after the last item"));
        }
        (nodes, pending)
    }

    pub(crate) fn comment(&self, pair: &Pair<'_, Rule>) -> Child<std::convert::Infallible> {
        let inner = pair.clone().into_inner().next();
        let doc = inner.as_ref().is_some_and(|p| p.as_rule() == Rule::doc_comment);
        let raw = pair.as_str();
        let text = raw.strip_prefix(if doc { "///" } else { "//" }).unwrap_or(raw).trim_end_matches('\r').to_string();
        let s = pair.as_span();
        Child::Comment(Comment { text, doc, span: self.span(pair), blank_line_before: false }, (s.start(), s.end()))
    }

    /// Pairs each child of a rule whose clauses may continue after a comma (an earning, a draw, quota
    /// weights, a call) with the comments of the line break before it; comments are not returned as
    /// children. A comment with no line end before it stands on the comma's line; the others are
    /// whole-line comments above the clause.
    pub(crate) fn continued<'i>(
        &mut self,
        pairs: impl IntoIterator<Item = Pair<'i, Rule>>,
    ) -> Vec<(Pair<'i, Rule>, Continuation)> {
        let mut children = Vec::new();
        let mut pending = Continuation::default();
        let mut prev_end = None;
        for pair in pairs {
            let s = pair.as_span();
            if pair.as_rule() == Rule::comment {
                if let Child::Comment(comment, _) = self.comment(&pair) {
                    if comment.doc {
                        self.diags.push(doc_documents_nothing(&comment, "is inside a clause"));
                    }
                    let gap = prev_end.and_then(|end| self.text.get(end..s.start())).unwrap_or("");
                    if pending.is_empty() && !gap.contains(['\n', '\r']) {
                        pending.after_comma = Some(comment);
                    } else {
                        pending.leading.push(comment);
                    }
                }
            } else {
                children.push((pair, std::mem::take(&mut pending)));
            }
            prev_end = Some(s.end());
        }
        children
    }

    /// Lowers the children of a block or file: each child is a comment, a marker the grammar inserted
    /// (missing terminator, missing brace), or an element lowered by `element`.
    pub(crate) fn list<T>(
        &mut self,
        pairs: Vec<Pair<'_, Rule>>,
        list_start: usize,
        mut element: impl FnMut(&mut Self, Pair<'_, Rule>) -> Option<T>,
    ) -> (Vec<Node<T>>, Vec<Comment>) {
        let mut children = Vec::new();
        for pair in pairs {
            match pair.as_rule() {
                Rule::comment => {
                    if let Child::Comment(c, r) = self.comment(&pair) {
                        children.push(Child::Comment(c, r));
                    }
                }
                Rule::missing_end | Rule::missing_field_end => self.missing_end(&pair),
                _ => {
                    let s = pair.as_span();
                    let span = self.span(&pair);
                    match element(self, pair) {
                        Some(kind) => children.push(Child::Element(kind, span, (s.start(), s.end()))),
                        None => children.push(Child::Skip),
                    }
                }
            }
        }
        self.attach(children, list_start)
    }

    fn missing_end(&mut self, pair: &Pair<'_, Rule>) {
        let at = pair.as_span().start();
        if self.unclosed_at.contains(&at) {
            return;
        }
        let word_end = self.text[at..]
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
            .map_or(self.text.len(), |n| at + n);
        let word = &self.text[at..word_end];
        self.error(
            Diagnostic::new(&codes::MISSING_TERMINATOR, format!("expected the end of the line before `{word}`"))
                .primary(self.raw_span(at, word_end), "a new item starts here, on the same line")
                .help("start the new item on its own line, or separate the two with `;`"),
        );
    }

    /// Reports a block whose `}` is missing, pointing at its opening brace.
    pub(crate) fn close(&mut self, pairs: &[Pair<'_, Rule>], open: Span, what: &str) -> Close {
        match pairs.iter().rev().find(|p| matches!(p.as_rule(), Rule::missing_close | Rule::missing_table_close)) {
            Some(missing) => {
                let raw = missing.as_span().start();
                self.unclosed_at.insert(raw);
                // An inline data table ends before the line break in front of the next statement.
                let raw = raw + (self.text[raw..].len() - self.text[raw..].trim_start().len());
                let word = self.text[raw..]
                    .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .unwrap_or(self.text.len() - raw);
                let at = self.raw_span(raw, raw + word);
                self.error(
                    Diagnostic::new(&codes::UNCLOSED_BLOCK, format!("this {what} is not closed"))
                        .primary(open, "this `{` has no matching `}`")
                        .secondary(at, "the block is taken to end here")
                        .help("add `}` on its own line where the block should end"),
                );
                Close::Missing(at)
            }
            None => Close::Brace(self.closing_brace(pairs)),
        }
    }

    fn closing_brace(&self, pairs: &[Pair<'_, Rule>]) -> Span {
        let end = pairs.last().map_or(0, |p| p.as_span().end());
        let brace = self.text[end..].find('}').map_or(end, |n| end + n);
        self.raw_span(brace, brace + 1)
    }

    /// The span of the first `{` after a raw offset (block headers are lowered before their bodies).
    pub(crate) fn open_brace(&self, from: usize) -> (Span, usize) {
        let at = self.text[from..].find('{').map_or(from, |n| from + n);
        (self.raw_span(at, at + 1), at + 1)
    }

    // ------------------------------------------------------------------ files and top-level items

    pub(crate) fn file(&mut self, pair: Pair<'_, Rule>) -> File {
        let pairs: Vec<_> = pair.into_inner().filter(|p| p.as_rule() != Rule::EOI).collect();
        let (items, end_comments) = self.list(pairs, 0, |this, p| this.top_item(p));
        File { items, end_comments }
    }

    pub(crate) fn top_item(&mut self, pair: Pair<'_, Rule>) -> Option<Item> {
        Some(match pair.as_rule() {
            Rule::schema_item => Item::Schema(self.schema(pair)),
            Rule::credit_item => Item::Credit(self.credit(pair)),
            Rule::territory_item => Item::Territory(self.territory(pair)),
            Rule::plan_item => Item::Plan(self.plan(pair)),
            Rule::bad_top_item => return Some(self.recover(pair, Context::Top)),
            _ => return None,
        })
    }

    /// Turns a broken item into a diagnostic, and into the item it most likely was when its keyword
    /// was only misspelt.
    fn recover<T: errors::Recovered>(&mut self, pair: Pair<'_, Rule>, context: Context) -> T {
        let s = pair.as_span();
        errors::recover(self, s.as_str(), s.start(), context)
    }

    fn schema(&mut self, pair: Pair<'_, Rule>) -> Schema {
        let pairs: Vec<_> = pair.into_inner().collect();
        let name =
            pairs.iter().find(|p| p.as_rule() == Rule::ident).map(|p| self.ident(p)).unwrap_or_else(missing_ident);
        let header_end = pairs.iter().find(|p| p.as_rule() == Rule::ident).map_or(0, |p| p.as_span().end());
        let (open, body_start) = self.open_brace(header_end);
        let close = self.close(&pairs, open, "schema");
        let body: Vec<_> = pairs
            .into_iter()
            .filter(|p| !matches!(p.as_rule(), Rule::kw_schema | Rule::ident | Rule::missing_close))
            .collect();
        let (fields, end_comments) = self.list(body, body_start, |this, p| match p.as_rule() {
            Rule::field => Some(Field::Column(this.column(p))),
            Rule::bad_field => Some(this.recover(p, Context::Field)),
            _ => None,
        });
        Schema { name, fields, end_comments, close }
    }

    fn column(&mut self, pair: Pair<'_, Rule>) -> Column {
        let mut name = missing_ident();
        let mut ty = ColumnType::Named(missing_ident());
        let mut flags = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::ident => name = self.ident(&p),
                Rule::column_type => ty = self.column_type(p),
                Rule::column_flag => {
                    let span = self.span(&p);
                    let flag = if p.as_str() == "key" { ColumnFlag::Key } else { ColumnFlag::Optional };
                    flags.push((flag, span));
                }
                _ => {}
            }
        }
        Column { name, ty, flags }
    }

    fn column_type(&mut self, pair: Pair<'_, Rule>) -> ColumnType {
        let Some(inner) = pair.into_inner().next() else { return ColumnType::Named(missing_ident()) };
        let span = self.span(&inner);
        let rule = inner.as_rule();
        let parts: Vec<_> = inner.into_inner().collect();
        let find = |r: Rule| parts.iter().find(|p| p.as_rule() == r);
        match rule {
            Rule::money_type => match (find(Rule::ident), find(Rule::currency_code)) {
                (Some(column), _) => ColumnType::MoneyIn { column: self.ident(column), span },
                (None, code) => ColumnType::Money { currency: code.map(|c| self.ident(c)), span },
            },
            Rule::ref_type => {
                ColumnType::Ref { table: find(Rule::ident).map(|p| self.ident(p)).unwrap_or_else(missing_ident), span }
            }
            _ => ColumnType::Named(find(Rule::ident).map(|p| self.ident(p)).unwrap_or_else(missing_ident)),
        }
    }

    fn credit(&mut self, pair: Pair<'_, Rule>) -> Credit {
        let pairs: Vec<_> = pair.into_inner().collect();
        let keyword = pairs.first().map(|p| self.span(p)).unwrap_or_default();
        let keyword_end = pairs.first().map_or(0, |p| p.as_span().end());
        let (open, body_start) = self.open_brace(keyword_end);
        let close = self.close(&pairs, open, "credit block");
        let body: Vec<_> =
            pairs.into_iter().filter(|p| !matches!(p.as_rule(), Rule::kw_credit | Rule::missing_close)).collect();
        let (rules, end_comments) = self.list(body, body_start, |this, p| match p.as_rule() {
            Rule::bad_rule => Some(this.recover(p, Context::CreditRule)),
            _ => Some(this.credit_rule(p)),
        });
        Credit { keyword, rules, end_comments, close }
    }

    pub(crate) fn credit_rule(&mut self, pair: Pair<'_, Rule>) -> CreditRule {
        let rule = pair.as_rule();
        let parts: Vec<_> = pair.into_inner().collect();
        let paths: Vec<Path> =
            parts.iter().filter(|p| p.as_rule() == Rule::path).map(|p| self.path(p.clone())).collect();
        let idents: Vec<Ident> = parts.iter().filter(|p| p.as_rule() == Rule::ident).map(|p| self.ident(p)).collect();
        let path = |i: usize| paths.get(i).cloned().unwrap_or_else(missing_path);
        let ident = |i: usize| idents.get(i).cloned().unwrap_or_else(missing_ident);
        match rule {
            Rule::amount_rule => CreditRule::Amount { amount: path(0) },
            Rule::convert_rule => CreditRule::Convert {
                amount: path(0),
                currency: parts
                    .iter()
                    .find(|p| p.as_rule() == Rule::currency_code)
                    .map(|p| self.ident(p))
                    .unwrap_or_else(missing_ident),
                table: ident(0),
                date: path(1),
            },
            Rule::owner_rule => CreditRule::Owner { row: ident(0), owner: path(0), date: path(1) },
            Rule::split_rule => CreditRule::Splits {
                row: ident(0),
                table: ident(1),
                overlay: parts.iter().find(|p| p.as_rule() == Rule::kw_overlay).map(|p| self.span(p)),
                up_to: parts
                    .iter()
                    .filter(|p| p.as_rule() == Rule::split_up_to)
                    .flat_map(|p| p.clone().into_inner())
                    .find(|p| p.as_rule() == Rule::percent)
                    .map(|p| Value { span: self.span(&p), literal: self.literal(p) }),
            },
            Rule::territory_rule => CreditRule::Territory { row: ident(0), assignment: path(0) },
            Rule::rollup_rule => CreditRule::Rollup { manager: path(0) },
            Rule::clawback_rule => CreditRule::Clawback {
                part: parts
                    .iter()
                    .find(|p| p.as_rule() == Rule::percent)
                    .map(|p| Value { span: self.span(p), literal: self.literal(p.clone()) }),
                cancelled: path(0),
                window: parts.iter().find(|p| p.as_rule() == Rule::clawback_window).map(|w| self.clawback_window(w)),
            },
            Rule::employed_rule => CreditRule::Employed { from: path(0), to: path(1) },
            _ => CreditRule::Error(ErrorNode { keyword: None, defines: None }),
        }
    }

    /// `within N days of deal.DATE`.
    fn clawback_window(&mut self, pair: &Pair<'_, Rule>) -> ClawbackWindow {
        let mut days = (0, Span::default());
        let mut from = missing_path();
        for p in pair.clone().into_inner() {
            match p.as_rule() {
                Rule::integer => days = self.integer(&p),
                Rule::path => from = self.path(p),
                _ => {}
            }
        }
        ClawbackWindow { days, from }
    }

    pub(crate) fn territory(&mut self, pair: Pair<'_, Rule>) -> Territory {
        let mut name = missing_ident();
        let mut condition = None;
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::name => name = self.ident(&p),
                Rule::expr => condition = Some(self.expr(p)),
                _ => {}
            }
        }
        Territory { name, condition: condition.unwrap_or_else(missing_expr) }
    }

    /// A whole number that fits in `u32` (days, months, versions), or a reported error.
    pub(crate) fn integer(&mut self, pair: &Pair<'_, Rule>) -> (u32, Span) {
        let span = self.span(pair);
        match pair.as_str().parse::<u32>() {
            Ok(n) => (n, span),
            Err(_) => {
                self.error(
                    Diagnostic::new(&codes::INVALID_LITERAL, format!("`{}` is too large a number here", pair.as_str()))
                        .primary(span, "expected a whole number below 4294967296"),
                );
                (0, span)
            }
        }
    }
}

/// True when a gap of whitespace holds an empty line.
fn blank_line(gap: &str) -> bool {
    gap.matches('\n').count() >= 2
}

/// A placeholder for a name the grammar made optional (already reported).
pub(crate) fn missing_ident() -> Ident {
    Ident { text: String::new(), span: Span::default() }
}

pub(crate) fn missing_path() -> Path {
    Path { head: missing_ident(), field: None }
}

pub(crate) fn missing_expr() -> Expr {
    Expr {
        kind: ExprKind::Literal(Literal { value: LiteralValue::Invalid, raw: String::new() }),
        span: Span::default(),
    }
}

/// The warning for a `///` comment that documents nothing: `place` says why (it ends an item's
/// line, comes after the last item, or is inside a clause).
fn doc_documents_nothing(comment: &Comment, place: &str) -> Diagnostic {
    Diagnostic::new(&codes::DOC_COMMENT_DOCUMENTS_NOTHING, format!("this doc comment {place}: it documents nothing"))
        .primary(comment.span, "no item below it")
        .help("write `//` for a remark, or move the `///` lines above the item they describe")
}
