//! Completion: columns after `deal.` or `rep.`, credit fields after `credit.`, and elsewhere the
//! definitions of the enclosing plan, row and table names, and keywords.

use super::index::file_index;
use crate::check::source_map::DefKind;
use crate::check::{check_plan_item, credit_currency, crediting_model, file_plans, schema_model};
use crate::model::{self, ColumnType, CreditField};
use crate::source::{SourceFile, Workspace};
use crate::Db;

/// What a completion inserts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CompletionKind {
    /// A column of a table (`deal.amount`).
    Column,
    /// A field of a credit row (`credit.amount`).
    CreditField,
    /// A definition of the enclosing plan.
    Definition,
    /// The rows of a table (`deal`), read as `deal.COLUMN`.
    Row,
    /// A table by name (`count of meetings`, `quotas.amount`).
    Table,
    /// A word of the language.
    Keyword,
}

/// One candidate.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Completion {
    /// The text inserted.
    pub label: String,
    /// What it is.
    pub kind: CompletionKind,
    /// A short description: a column's type, a definition's kind and type.
    pub detail: Option<String>,
}

/// The words that start a top-level item.
const TOP_KEYWORDS: [&str; 4] = ["credit", "plan", "schema", "territory"];

/// The words of column types and flags.
const SCHEMA_KEYWORDS: [&str; 13] = [
    "bool", "currency", "date", "decimal", "in", "integer", "key", "money", "optional", "percent", "ref", "text",
    "year",
];

/// The words of the crediting rules inside a `credit` block.
const CREDIT_KEYWORDS: [&str; 17] = [
    "by",
    "clawback",
    "convert",
    "credit",
    "days",
    "employed",
    "from",
    "of",
    "on",
    "overlay",
    "rollup",
    "territory",
    "to",
    "up",
    "using",
    "when",
    "within",
];

/// The words of entries and expressions inside a plan.
const PLAN_KEYWORDS: [&str; 108] = [
    "above",
    "active",
    "advance",
    "after",
    "and",
    "at",
    "attainment",
    "back",
    "balance",
    "below",
    "biweekly",
    "bounds",
    "by",
    "capped",
    "closed",
    "count",
    "currency",
    "data",
    "days",
    "deal",
    "decelerating",
    "direct",
    "draw",
    "each",
    "earn",
    "earnings",
    "effective",
    "eligible",
    "else",
    "employed",
    "empty",
    "end",
    "evenly",
    "every",
    "expect",
    "false",
    "fiscal",
    "floored",
    "for",
    "forgiven",
    "from",
    "guarantee",
    "hold",
    "if",
    "in",
    "including",
    "instalments",
    "is",
    "linear",
    "lookup",
    "marginal",
    "max",
    "measure",
    "min",
    "month",
    "monthly",
    "months",
    "most",
    "multiplier",
    "negative",
    "non-recoverable",
    "not",
    "of",
    "off",
    "on",
    "once",
    "only",
    "or",
    "otherwise",
    "owed",
    "pay",
    "per",
    "period",
    "prorated",
    "quarter",
    "quarterly",
    "quota",
    "recover",
    "recoverable",
    "recovered",
    "rep",
    "reports",
    "retroactive",
    "rounded",
    "rounding",
    "semi-monthly",
    "share",
    "since",
    "split",
    "starts",
    "sum",
    "table",
    "taken",
    "termination",
    "test",
    "to",
    "totals",
    "true",
    "until",
    "upper",
    "version",
    "weights",
    "when",
    "where",
    "write",
    "year",
    "yearly",
    "ytd",
];

/// The candidates at a byte offset of a file, filtered by the word already typed before it; none
/// inside a test's CSV `data` block, a comment or a quoted text.
pub fn completions(db: &dyn Db, ws: Workspace, file: SourceFile, offset: usize) -> Vec<Completion> {
    let text = file.text(db);
    let offset = offset.min(text.len());
    if file_index(db, ws, file).data_blocks.iter().any(|s| s.start < offset && offset < s.end) {
        return Vec::new();
    }
    let before = text.get(..offset).unwrap_or_default();
    if in_comment_or_text(before.rsplit(['\n', '\r']).next().unwrap_or_default()) {
        return Vec::new();
    }
    let typed = trailing_word(before);
    let before_word = &before[..before.len() - typed.len()];
    let mut out = if let Some(head) = before_word.strip_suffix('.').map(trailing_word).filter(|h| !h.is_empty()) {
        members(db, ws, head)
    } else {
        general(db, ws, file, offset)
    };
    let typed_lower = typed.to_lowercase();
    out.retain(|c| c.label.to_lowercase().starts_with(&typed_lower));
    let mut seen = std::collections::HashSet::new();
    out.retain(|c| seen.insert(c.label.clone()));
    out
}

/// Whether the end of a line's text is inside a `//` comment or a quoted text (where a name typed
/// is prose, not code).
fn in_comment_or_text(line: &str) -> bool {
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if quoted => {
                chars.next();
            }
            '"' => quoted = !quoted,
            '/' if !quoted && chars.peek() == Some(&'/') => return true,
            _ => {}
        }
    }
    quoted
}

/// The identifier characters just before the end of a text.
fn trailing_word(text: &str) -> &str {
    let start = text
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_alphanumeric() || *c == '_')
        .last()
        .map_or(text.len(), |(i, _)| i);
    &text[start..]
}

/// After `head.`: the columns of the table whose rows are `head` (or that is `head`), or the fields of
/// a credit row.
fn members(db: &dyn Db, ws: Workspace, head: &str) -> Vec<Completion> {
    let schema = schema_model(db, ws);
    let table =
        schema.tables.iter().find(|t| t.row_name == head).or_else(|| schema.tables.iter().find(|t| t.name == head));
    match table {
        Some(t) => t
            .columns
            .iter()
            .map(|c| Completion {
                label: c.name.clone(),
                kind: CompletionKind::Column,
                detail: Some(format!("{}{}", column_type(schema, &c.ty), if c.optional { ", optional" } else { "" })),
            })
            .collect(),
        None if head == "credit" => CreditField::ALL
            .iter()
            .map(|(name, field)| Completion {
                label: name.to_string(),
                kind: CompletionKind::CreditField,
                detail: Some(match field {
                    CreditField::Amount => credit_amount_type(db, ws),
                    _ => credit_field_type(*field).to_string(),
                }),
            })
            .collect(),
        None => Vec::new(),
    }
}

/// Everywhere else: what may be written at this place of the file.
fn general(db: &dyn Db, ws: Workspace, file: SourceFile, offset: usize) -> Vec<Completion> {
    let index = file_index(db, ws, file);
    let keyword = |k: &&str| Completion { label: k.to_string(), kind: CompletionKind::Keyword, detail: None };
    if index.schemas.iter().any(|s| s.start < offset && offset <= s.end) {
        let schema = schema_model(db, ws);
        let mut out: Vec<Completion> = SCHEMA_KEYWORDS.iter().map(keyword).collect();
        out.extend(schema.tables.iter().map(|t| Completion {
            label: t.name.clone(),
            kind: CompletionKind::Table,
            detail: Some("table".to_string()),
        }));
        return out;
    }
    if index.credits.iter().any(|s| s.start < offset && offset <= s.end) {
        let schema = schema_model(db, ws);
        let mut out: Vec<Completion> = schema
            .tables
            .iter()
            .map(|t| Completion {
                label: t.row_name.clone(),
                kind: CompletionKind::Row,
                detail: Some(format!("a row of `{}`", t.name)),
            })
            .collect();
        out.extend(schema.tables.iter().map(|t| Completion {
            label: t.name.clone(),
            kind: CompletionKind::Table,
            detail: Some("table".to_string()),
        }));
        out.extend(CREDIT_KEYWORDS.iter().map(keyword));
        return out;
    }
    let Some(plan) = index.plan_at(offset).filter(|p| p.span.start < offset) else {
        return TOP_KEYWORDS.iter().map(keyword).collect();
    };
    let mut out = definitions(db, ws, file, plan.ordinal, offset);
    let schema = schema_model(db, ws);
    out.extend(schema.tables.iter().map(|t| Completion {
        label: t.row_name.clone(),
        kind: CompletionKind::Row,
        detail: Some(format!("a row of `{}`", t.name)),
    }));
    out.push(Completion {
        label: "credit".to_string(),
        kind: CompletionKind::Row,
        detail: Some("a credit row".to_string()),
    });
    out.extend(schema.tables.iter().map(|t| Completion {
        label: t.name.clone(),
        kind: CompletionKind::Table,
        detail: Some("table".to_string()),
    }));
    out.extend(PLAN_KEYWORDS.iter().map(keyword));
    out
}

/// The definitions of a file's `ordinal`-th plan, each with its kind and type; not the word being
/// typed at `offset` (`draw non` does not parse yet, and would offer `non`).
fn definitions(db: &dyn Db, ws: Workspace, file: SourceFile, ordinal: usize, offset: usize) -> Vec<Completion> {
    let Some(&item) = file_plans(db, ws, file).get(ordinal) else { return Vec::new() };
    let checked = check_plan_item(db, item);
    checked
        .sources
        .map(db)
        .definitions
        .iter()
        .filter(|d| !(d.name_span.start <= offset && offset <= d.name_span.end))
        .map(|d| {
            let word = match d.kind {
                DefKind::Earning => "earn",
                // A definition whose line does not parse yet: its name is still worth offering.
                kind => kind.word(),
            };
            let detail = match checked.types.iter().find(|t| t.name == d.name) {
                Some(t) if d.kind != DefKind::Broken => format!("{word}: {}", t.ty),
                _ => format!("{word} (does not check yet)"),
            };
            Completion { label: d.name.clone(), kind: CompletionKind::Definition, detail: Some(detail) }
        })
        .collect()
}

/// A column type as the schema spells it.
fn column_type(schema: &model::Schema, ty: &ColumnType) -> String {
    match ty {
        ColumnType::Text => "text".to_string(),
        ColumnType::Date => "date".to_string(),
        ColumnType::Decimal => "decimal".to_string(),
        ColumnType::Integer => "integer".to_string(),
        ColumnType::Percent => "percent".to_string(),
        ColumnType::Bool => "bool".to_string(),
        ColumnType::Year => "year".to_string(),
        ColumnType::Currency => "currency".to_string(),
        ColumnType::Money(code) => format!("money {code}"),
        ColumnType::MoneyIn(_) => "money in each row's currency".to_string(),
        ColumnType::Ref(t) => format!("ref {}", schema.tables.get(*t).map_or("?", |t| t.name.as_str())),
    }
}

/// What `credit.amount` is in this workspace: money in the credit currency, or a number of units
/// when the crediting rules credit a column of units (`credit deal.seats`).
fn credit_amount_type(db: &dyn Db, ws: Workspace) -> String {
    let schema = schema_model(db, ws);
    if let Some(crediting) = crediting_model(db, ws) {
        let column = schema.column(crediting.amount);
        if !matches!(column.ty, ColumnType::Money(_) | ColumnType::MoneyIn(_)) {
            return format!("a number of {} (credit is in units: `credit deal.{}`)", column.name, column.name);
        }
    }
    match credit_currency(db, ws) {
        Some(currency) => format!("money, in {currency} (the credit currency)"),
        None => credit_field_type(CreditField::Amount).to_string(),
    }
}

fn credit_field_type(field: CreditField) -> &'static str {
    match field {
        CreditField::Amount => "money, in the credit currency",
        CreditField::Kind => "text: direct, split, territory or rollup",
        CreditField::Date => "date",
        CreditField::Reversal => "true/false",
        CreditField::Share => "percent",
    }
}

#[cfg(test)]
mod tests {
    use super::{in_comment_or_text, CREDIT_KEYWORDS, PLAN_KEYWORDS, SCHEMA_KEYWORDS, TOP_KEYWORDS};

    #[test]
    fn nothing_is_offered_in_comments_or_quoted_text() {
        assert!(in_comment_or_text("  earn x = 5% of bookings period  // bonus"));
        assert!(in_comment_or_text("  eligible when rep.role is \"A"));
        assert!(in_comment_or_text("  eligible when rep.region is \"a \\\" b"), "an escaped quote stays inside");
        assert!(!in_comment_or_text("  eligible when rep.role is \"AE\" and rep."));
        assert!(!in_comment_or_text("  test \"// not a comment\" { "), "`//` inside quotes is text");
    }

    /// Every word the grammar reserves (`kw_… = @{ "word" … }`) is offered somewhere.
    #[test]
    fn every_keyword_of_the_grammar_is_offered() {
        let grammar = include_str!("../../grammar/plan.pest");
        let offered: Vec<&str> = [&TOP_KEYWORDS[..], &SCHEMA_KEYWORDS, &PLAN_KEYWORDS, &CREDIT_KEYWORDS].concat();
        let mut missing = Vec::new();
        let words: Vec<&str> =
            grammar.lines().filter(|l| l.starts_with("kw_")).filter_map(|l| l.split('"').nth(1)).collect();
        assert!(words.len() > 80, "the grammar's keywords are found: {words:?}");
        for word in words {
            if !offered.contains(&word) {
                missing.push(word);
            }
        }
        assert!(missing.is_empty(), "keywords never offered: {missing:?}");
        for list in [&TOP_KEYWORDS[..], &SCHEMA_KEYWORDS, &PLAN_KEYWORDS, &CREDIT_KEYWORDS] {
            assert!(list.windows(2).all(|w| w[0] < w[1]), "sorted and without duplicates: {list:?}");
        }
    }
}
