//! The analysis API behind the language server: plain functions of the database that answer an
//! editor's questions, tested without any protocol.
//!
//! Each function takes the database, the workspace, a file and byte offsets, and returns plain structs
//! with byte spans; `lsp/` converts positions (UTF-16, with [`positions`]) and types. Everything is
//! computed from salsa queries, so after an edit only what the edit touched is recomputed, and a
//! request running on a snapshot is cancelled when an edit arrives.
//!
//! | question | function |
//! |---|---|
//! | what is wrong? | [`diagnostics_by_file`] |
//! | what is this? | [`hover`] |
//! | where is it declared, where is it used? | [`definition`], [`references`] |
//! | what can I write here? | [`completions`] |
//! | what does this file contain? | [`document_symbols`] |
//! | how should it be laid out? | `format` (the code behind `compplan fmt`) |

mod completion;
mod declaration;
mod definition;
mod diagnostics;
mod format;
mod hover;
pub mod index;
pub mod positions;
mod symbols;

pub use completion::{completions, Completion, CompletionKind};
pub use definition::{definition, references};
pub use diagnostics::{diagnostics_by_file, Problem};
pub use format::{format, Formatting};
pub use hover::{hover, Hover};
pub use symbols::{document_symbols, DocumentSymbol, SymbolKind};

use crate::ast::Span;
use crate::source::SourceFile;

/// A span in a given file: where a definition is, or one reference to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FileSpan {
    /// The file.
    pub file: SourceFile,
    /// The bytes.
    pub span: Span,
}
