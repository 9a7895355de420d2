//! Conversions between the analysis API's plain values (byte spans, files) and the protocol's types
//! (UTF-16 ranges, URIs).

use crate::analysis::{self, positions, CompletionKind, FileSpan, Problem, SymbolKind};
use crate::ast::Span;
use crate::diagnostics::Severity;
use crate::source::{line_starts, LineIndex, SourceFile};
use crate::Db;
use lsp_types as lt;
use std::collections::HashMap;
use std::str::FromStr as _;

/// The URI of each file of the workspaces, for answers that point into other files.
pub(crate) type Uris = HashMap<SourceFile, String>;

/// The line index of a file, from the memoized query.
pub(crate) fn line_index(db: &dyn Db, file: SourceFile) -> LineIndex {
    LineIndex::from_starts(line_starts(db, file).clone())
}

/// The byte offset of a protocol position in a file.
pub(crate) fn offset(db: &dyn Db, file: SourceFile, position: lt::Position) -> usize {
    let text = file.text(db);
    positions::from_utf16(
        text,
        &line_index(db, file),
        positions::Utf16Position { line: position.line, character: position.character },
    )
}

/// The protocol range of a span of a file.
pub(crate) fn range(db: &dyn Db, file: SourceFile, span: Span) -> lt::Range {
    let (start, end) = positions::span_to_utf16(file.text(db), &line_index(db, file), span);
    lt::Range {
        start: lt::Position { line: start.line, character: start.character },
        end: lt::Position { line: end.line, character: end.character },
    }
}

/// A protocol location, when the file has a URI.
pub(crate) fn location(db: &dyn Db, uris: &Uris, at: FileSpan) -> Option<lt::Location> {
    let uri = lt::Uri::from_str(uris.get(&at.file)?).ok()?;
    Some(lt::Location { uri, range: range(db, at.file, at.span) })
}

/// A problem as a protocol diagnostic: the code, `compplan` as the source, and the secondary labels as
/// related information.
pub(crate) fn diagnostic(db: &dyn Db, uris: &Uris, file: SourceFile, problem: &Problem) -> lt::Diagnostic {
    let severity = match problem.severity {
        Severity::Error => lt::DiagnosticSeverity::ERROR,
        Severity::Warning => lt::DiagnosticSeverity::WARNING,
        Severity::Note => lt::DiagnosticSeverity::INFORMATION,
    };
    let related: Vec<lt::DiagnosticRelatedInformation> = problem
        .related
        .iter()
        .filter_map(|(at, message)| {
            Some(lt::DiagnosticRelatedInformation { location: location(db, uris, *at)?, message: message.clone() })
        })
        .collect();
    lt::Diagnostic {
        range: range(db, file, problem.span),
        severity: Some(severity),
        code: Some(lt::NumberOrString::String(problem.code.to_string())),
        source: Some("compplan".to_string()),
        message: problem.message.clone(),
        related_information: (!related.is_empty()).then_some(related),
        ..lt::Diagnostic::default()
    }
}

/// A completion candidate as a protocol item.
pub(crate) fn completion(candidate: analysis::Completion) -> lt::CompletionItem {
    let kind = match candidate.kind {
        CompletionKind::Column | CompletionKind::CreditField => lt::CompletionItemKind::FIELD,
        CompletionKind::Definition => lt::CompletionItemKind::VARIABLE,
        CompletionKind::Row | CompletionKind::Table => lt::CompletionItemKind::STRUCT,
        CompletionKind::Keyword => lt::CompletionItemKind::KEYWORD,
    };
    lt::CompletionItem {
        label: candidate.label,
        kind: Some(kind),
        detail: candidate.detail,
        ..lt::CompletionItem::default()
    }
}

/// An outline entry as a protocol symbol.
pub(crate) fn symbol(db: &dyn Db, file: SourceFile, symbol: analysis::DocumentSymbol) -> lt::DocumentSymbol {
    let kind = match symbol.kind {
        SymbolKind::Schema => lt::SymbolKind::STRUCT,
        SymbolKind::Column => lt::SymbolKind::FIELD,
        SymbolKind::Credit | SymbolKind::Territory => lt::SymbolKind::OBJECT,
        SymbolKind::Plan => lt::SymbolKind::MODULE,
        SymbolKind::Quota | SymbolKind::Attainment => lt::SymbolKind::CONSTANT,
        SymbolKind::Measure => lt::SymbolKind::VARIABLE,
        SymbolKind::Table => lt::SymbolKind::ARRAY,
        SymbolKind::Earning | SymbolKind::Draw => lt::SymbolKind::FUNCTION,
        SymbolKind::Test => lt::SymbolKind::EVENT,
    };
    let children: Vec<lt::DocumentSymbol> = symbol.children.into_iter().map(|c| self::symbol(db, file, c)).collect();
    #[allow(deprecated)] // `deprecated` is a required field of the struct, replaced by `tags`.
    lt::DocumentSymbol {
        name: symbol.name,
        detail: symbol.detail,
        kind,
        tags: None,
        deprecated: None,
        range: range(db, file, symbol.span),
        selection_range: range(db, file, symbol.selection),
        children: (!children.is_empty()).then_some(children),
    }
}
