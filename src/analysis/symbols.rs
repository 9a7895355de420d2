//! Document symbols: the outline of a file (schemas and their columns, the credit block,
//! territories, plans and their definitions).

use crate::ast::{self, Entry, Item, Span};
use crate::source::SourceFile;
use crate::syntax::parse_file;
use crate::Db;

/// What an outline entry is, which editors show as an icon.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SymbolKind {
    /// A `schema` table.
    Schema,
    /// A column of a schema table.
    Column,
    /// The `credit` block.
    Credit,
    /// A `territory`.
    Territory,
    /// A `plan`.
    Plan,
    /// A `quota`.
    Quota,
    /// A `measure`.
    Measure,
    /// An `attainment`.
    Attainment,
    /// A rate `table`.
    Table,
    /// An `earn` line.
    Earning,
    /// The `draw`.
    Draw,
    /// A `test` block.
    Test,
}

/// One entry of the outline.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DocumentSymbol {
    /// The name shown.
    pub name: String,
    /// A short description (a plan's title and version, a column's type).
    pub detail: Option<String>,
    /// What it is.
    pub kind: SymbolKind,
    /// The whole item, which the editor folds and highlights.
    pub span: Span,
    /// The name inside it, where the cursor goes.
    pub selection: Span,
    /// The entries inside it.
    pub children: Vec<DocumentSymbol>,
}

/// The outline of a file, in source order.
pub fn document_symbols(db: &dyn Db, file: SourceFile) -> Vec<DocumentSymbol> {
    let text = file.text(db);
    let source = |span: Span| text.get(span.start..span.end).unwrap_or_default().trim().to_string();
    let leaf = |name: String, detail: Option<String>, kind, span, selection| DocumentSymbol {
        name,
        detail,
        kind,
        span,
        selection,
        children: Vec::new(),
    };
    let mut out = Vec::new();
    for item in &parse_file(db, file).items {
        match &item.kind {
            Item::Schema(s) => {
                let children = s
                    .fields
                    .iter()
                    .filter_map(|f| match &f.kind {
                        ast::Field::Column(c) => {
                            let declared = source(f.span);
                            let ty = declared.split_once(':').map(|(_, ty)| ty.trim().to_string());
                            Some(leaf(c.name.text.clone(), ty, SymbolKind::Column, f.span, c.name.span))
                        }
                        ast::Field::Error(_) => None,
                    })
                    .collect();
                out.push(DocumentSymbol {
                    children,
                    ..leaf(s.name.text.clone(), None, SymbolKind::Schema, item.span, s.name.span)
                });
            }
            Item::Credit(c) => out.push(leaf("credit".to_string(), None, SymbolKind::Credit, item.span, c.keyword)),
            Item::Territory(t) => out.push(leaf(
                t.name.text.clone(),
                Some(crate::syntax::one_line(&source(t.condition.span))),
                SymbolKind::Territory,
                item.span,
                t.name.span,
            )),
            Item::Plan(p) => {
                let (name, selection) =
                    p.name.as_ref().map_or(("plan".to_string(), p.keyword), |n| (n.text.clone(), n.span));
                let detail = match (&p.title, p.version) {
                    (Some((title, _)), Some((v, _))) => Some(format!("{title}, version {v}")),
                    (Some((title, _)), None) => Some(title.clone()),
                    (None, Some((v, _))) => Some(format!("version {v}")),
                    (None, None) => None,
                };
                let children = p.entries.iter().filter_map(|e| entry(e, &source)).collect();
                out.push(DocumentSymbol { children, ..leaf(name, detail, SymbolKind::Plan, item.span, selection) });
            }
            Item::Error(_) => {}
        }
    }
    out
}

fn entry(e: &ast::Node<Entry>, source: &dyn Fn(Span) -> String) -> Option<DocumentSymbol> {
    let (name, kind, selection, detail) = match &e.kind {
        Entry::Quota(q) => (q.name.text.clone(), SymbolKind::Quota, q.name.span, None),
        Entry::Measure(m) => (m.name.text.clone(), SymbolKind::Measure, m.name.span, None),
        Entry::Attainment(a) => (a.name.text.clone(), SymbolKind::Attainment, a.name.span, None),
        Entry::Table(t) => (
            t.name.text.clone(),
            SymbolKind::Table,
            t.name.span,
            Some(format!("{} on {}", t.mode.0.keyword(), crate::syntax::one_line(&source(t.key.span)))),
        ),
        Entry::Earn(earn) => (earn.name.text.clone(), SymbolKind::Earning, earn.name.span, None),
        Entry::Draw(_) => ("draw".to_string(), SymbolKind::Draw, e.span, None),
        Entry::Test(t) => (t.name.0.clone(), SymbolKind::Test, t.name.1, None),
        _ => return None,
    };
    (!name.is_empty()).then(|| DocumentSymbol { name, detail, kind, span: e.span, selection, children: Vec::new() })
}
