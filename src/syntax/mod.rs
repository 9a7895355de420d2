//! Text to syntax tree: the pest parser, its lowering into [`crate::ast`], and syntax diagnostics.
//!
//! Invariant: parsing never fails. [`parse`] always returns a whole [`ast::File`]; text it could not
//! read becomes `Error` nodes plus diagnostics, and the rest of the file is still lowered. This module
//! is the only one that knows pest.

mod errors;
mod lower;
mod parser;

use crate::ast;
use crate::diagnostics::{Diag, Diagnostic};
use crate::source::SourceFile;
use pest::Parser as _;
use salsa::Accumulator as _;

pub(crate) use parser::Rule;

/// The result of parsing one text: the tree and the syntax diagnostics, in source order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parse {
    /// The syntax tree, complete even when the text has errors.
    pub file: ast::File,
    /// What the parser could not read, and the literals that made no sense.
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses a plan file's text. A pure function of the text: the query below only wraps it.
pub fn parse(text: &str) -> Parse {
    pest::set_error_detail(true);
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
    diagnostics.sort_by_key(|d| d.primary_label().map(|l| (l.span.start, l.span.end)));
    Parse { file, diagnostics }
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

    #[test]
    fn any_text_parses_to_a_file() {
        for text in ["", "}", "{", "plan", "plan {", "\"", "schema x { a: }", "measure", "€€€", "plan x { table t {"] {
            let parsed = parse(text);
            assert!(parsed.file.items.len() <= 2, "{text:?}");
        }
    }
}
