//! Finding the syntax a symbol is declared by, with its doc comment, for hovers and go to definition.

use super::index::Symbol;
use crate::ast::{self, Item, Span};
use crate::source::{SourceFile, Workspace};
use crate::syntax::parse_file;
use crate::Db;

/// A declaration and the file it is in.
pub(crate) struct Found {
    pub(crate) file: SourceFile,
    /// Where the declared name is written.
    pub(crate) name: Span,
    pub(crate) kind: Declaration,
}

/// The syntax that declares a symbol, with the `///` comment above it.
pub(crate) enum Declaration {
    Table {
        schema: ast::Schema,
        doc: Option<String>,
    },
    /// `field` is the column's whole declaration (`amount: money in currency`).
    Column {
        table: String,
        field: Span,
        doc: Option<String>,
    },
    Territory {
        territory: ast::Territory,
        doc: Option<String>,
    },
    /// The `credit` block, which makes the credit rows.
    Credit,
    Plan {
        plan: ast::Plan,
        doc: Option<String>,
    },
    /// A definition of the `plan`-th plan of its file.
    Definition {
        entry: ast::Entry,
        doc: Option<String>,
        plan: usize,
    },
}

/// The declaration of a symbol (the first one, when a mistake declares it twice). A credit row is
/// declared by the `credit` block; its fields are built in and have none.
pub(crate) fn find(db: &dyn Db, ws: Workspace, symbol: &Symbol) -> Option<Found> {
    let files: Vec<SourceFile> = match symbol {
        Symbol::Definition { file, .. } => vec![*file],
        _ => ws.files(db).clone(),
    };
    files.into_iter().find_map(|file| in_file(db, file, symbol))
}

fn in_file(db: &dyn Db, file: SourceFile, symbol: &Symbol) -> Option<Found> {
    let items = &parse_file(db, file).items;
    let found = |name: Span, kind: Declaration| Some(Found { file, name, kind });
    match symbol {
        Symbol::Table(table) => items.iter().find_map(|item| match &item.kind {
            Item::Schema(s) if s.name.text == *table => {
                found(s.name.span, Declaration::Table { schema: s.clone(), doc: item.trivia.doc() })
            }
            _ => None,
        }),
        Symbol::Column { table, column } => items.iter().find_map(|item| match &item.kind {
            Item::Schema(s) if s.name.text == *table => s.fields.iter().find_map(|f| match &f.kind {
                ast::Field::Column(c) if c.name.text == *column => {
                    found(c.name.span, Declaration::Column { table: table.clone(), field: f.span, doc: f.trivia.doc() })
                }
                _ => None,
            }),
            _ => None,
        }),
        Symbol::Territory(name) => items.iter().find_map(|item| match &item.kind {
            Item::Territory(t) if t.name.text == *name => {
                found(t.name.span, Declaration::Territory { territory: t.clone(), doc: item.trivia.doc() })
            }
            _ => None,
        }),
        Symbol::Plan(name) => items.iter().find_map(|item| match &item.kind {
            Item::Plan(p) if p.name.as_ref().is_some_and(|n| n.text == *name) => found(
                p.name.as_ref().map_or(p.keyword, |n| n.span),
                Declaration::Plan { plan: p.clone(), doc: item.trivia.doc() },
            ),
            _ => None,
        }),
        Symbol::Definition { plan, name, .. } => {
            let p = items
                .iter()
                .filter_map(|item| match &item.kind {
                    Item::Plan(p) => Some(p),
                    _ => None,
                })
                .nth(*plan)?;
            p.entries.iter().find_map(|e| match e.kind.defined_name() {
                Some(n) if n.text == *name && !matches!(e.kind, ast::Entry::Error(_)) => {
                    found(n.span, Declaration::Definition { entry: e.kind.clone(), doc: e.trivia.doc(), plan: *plan })
                }
                _ => None,
            })
        }
        Symbol::CreditRow => items.iter().find_map(|item| match &item.kind {
            Item::Credit(c) => found(c.keyword, Declaration::Credit),
            _ => None,
        }),
        Symbol::CreditField(_) => None,
    }
}
