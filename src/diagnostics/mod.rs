//! Diagnostics as data: a stable code, a message, labelled locations, notes and a concrete fix.
//!
//! Every layer reports problems as [`Diagnostic`] values: the checker with spans of plan text, the
//! data loader with cells of data files, the runtime with the model's ids and the data set's rows
//! (see [`Location`]). Nothing is printed until the edge (the CLI or the language server) renders
//! them with [`render`], after the pipeline has placed every location. The codes and their long
//! explanations live in [`codes`], which also generates `docs/errors.md` and answers
//! `compplan explain-error`.

pub mod codes;
pub mod limit;
mod location;
pub mod render;

pub use codes::Code;
pub use location::{Cell, Location, ModelPlace, PlanPart};

use crate::ast::Span;
use crate::source::SourceFile;

/// How bad a problem is. The code fixes it: an `E` code is always an error.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Information worth knowing, such as the payout jump at a retroactive tier boundary.
    Note,
    /// Probably a mistake; `check --deny-warnings` fails on it.
    Warning,
    /// The plan cannot be evaluated.
    Error,
}

/// One problem, with everything needed to show it the way rustc would.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    /// The stable code, which fixes the severity and the long explanation.
    pub code: &'static Code,
    /// One line saying what is wrong.
    pub message: String,
    /// The places involved; the first primary label is where the problem is. None for a problem
    /// about no place (a missing file).
    pub labels: Vec<Label>,
    /// Extra facts (`note: …`).
    pub notes: Vec<String>,
    /// A concrete fix (`help: …`).
    pub help: Option<String>,
}

/// A labelled location.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Label {
    /// Where the label points.
    pub location: Location,
    /// What the label says about it.
    pub message: String,
    /// Primary labels are drawn with `^`, secondary ones with `-`.
    pub primary: bool,
}

impl Label {
    /// A secondary label on bytes of the file the diagnostic is reported in.
    pub fn secondary(span: Span, message: impl Into<String>) -> Label {
        Label { location: Location::span(span), message: message.into(), primary: false }
    }

    /// The plan file the label points into, when it points at plan text and names its file.
    pub fn file(&self) -> Option<SourceFile> {
        match &self.location {
            Location::Span { file, .. } => *file,
            _ => None,
        }
    }

    /// The bytes of plan text the label points at, when it points at plan text.
    pub fn span(&self) -> Option<Span> {
        match &self.location {
            Location::Span { span, .. } => Some(*span),
            _ => None,
        }
    }
}

impl Diagnostic {
    /// Starts a diagnostic of the given code with its one-line message.
    pub fn new(code: &'static Code, message: impl Into<String>) -> Diagnostic {
        Diagnostic { code, message: message.into(), labels: Vec::new(), notes: Vec::new(), help: None }
    }

    /// The severity, which the code fixes.
    pub fn severity(&self) -> Severity {
        self.code.severity
    }

    /// Adds the primary label: where the problem is, in plan text.
    pub fn primary(self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.at(Location::span(span), message)
    }

    /// Adds the primary label at any location: a cell of a data file, a row of the data set, a
    /// part of a plan by the model's ids.
    pub fn at(mut self, location: impl Into<Location>, message: impl Into<String>) -> Diagnostic {
        self.labels.push(Label { location: location.into(), message: message.into(), primary: true });
        self
    }

    /// Adds a secondary label in the same file.
    pub fn secondary(mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.labels.push(Label::secondary(span, message));
        self
    }

    /// Adds a secondary label in another file (a duplicate defined elsewhere).
    pub fn secondary_in(mut self, file: SourceFile, span: Span, message: impl Into<String>) -> Diagnostic {
        self.labels.push(Label {
            location: Location::Span { file: Some(file), span },
            message: message.into(),
            primary: false,
        });
        self
    }

    /// Adds a `note:` line.
    pub fn note(mut self, note: impl Into<String>) -> Diagnostic {
        self.notes.push(note.into());
        self
    }

    /// Sets the `help:` line: a concrete fix.
    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// Fills in the file of every label in plan text that does not name one.
    pub fn in_file(mut self, file: SourceFile) -> Diagnostic {
        for label in &mut self.labels {
            if let Location::Span { file: at @ None, .. } = &mut label.location {
                *at = Some(file);
            }
        }
        self
    }

    /// The primary label, which locates the diagnostic in JSON and GitHub output.
    pub fn primary_label(&self) -> Option<&Label> {
        self.labels.iter().find(|l| l.primary).or(self.labels.first())
    }

    /// Where the problem is: the primary label's location, if it has one.
    pub fn location(&self) -> Option<&Location> {
        self.primary_label().map(|l| &l.location)
    }

    /// The cell of a data file the problem is at, if that is where it is.
    pub fn cell(&self) -> Option<&Cell> {
        match self.location()? {
            Location::Cell(cell) => Some(cell),
            _ => None,
        }
    }
}

/// The carrier salsa queries accumulate diagnostics in; read only through [`crate::check::diagnostics`].
#[salsa::accumulator]
#[derive(Debug, Clone)]
pub struct Diag(pub Diagnostic);

/// The longest word a hint is looked for: a longer one is no typo of a name, and comparing it with
/// every candidate would take time that grows with the square of its length.
const LONGEST_MISSPELLING: usize = 64;

/// The most candidates a hint compares a word with: more names than any plan defines, and a bound
/// on the work when a file has thousands of names and thousands of unknown ones.
const MOST_CANDIDATES: usize = 1000;

/// The closest candidate to a misspelled word, for "did you mean" hints.
///
/// Candidates within an edit distance of about a third of the word's length qualify; ties keep the
/// earliest candidate, so the answer does not depend on hash order. A candidate that is the word's
/// opposite (`recoverable` for `non_recoverable`) is never suggested: following it would flip the
/// meaning of the plan. A candidate whose length differs by more than the limit is skipped without
/// computing the distance, which is at least the difference, and so is a candidate seen before;
/// only the first 1,000 candidates count.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let length = word.chars().count();
    if length > LONGEST_MISSPELLING {
        return None;
    }
    let limit = (length / 3).max(1);
    let lower = word.to_lowercase();
    let mut best: Option<(usize, &str)> = None;
    let mut seen = rustc_hash::FxHashSet::default();
    for candidate in candidates.into_iter().take(MOST_CANDIDATES) {
        if candidate == word || opposites(word, candidate) || !seen.insert(candidate) {
            continue;
        }
        if candidate.len().abs_diff(word.len()) > limit.saturating_mul(4) {
            continue;
        }
        let distance = edit_distance(&lower, &candidate.to_lowercase());
        if distance <= limit && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// Whether one word is the other negated (`non-`, `non_`, `non`, `not_`, `not`, `un` in front).
fn opposites(a: &str, b: &str) -> bool {
    let (a, b) = (a.to_lowercase(), b.to_lowercase());
    let negated = |x: &str, y: &str| {
        ["non-", "non_", "non", "not-", "not_", "not", "un"].iter().any(|p| x.strip_prefix(p) == Some(y))
    };
    negated(&a, &b) || negated(&b, &a)
}

/// Damerau-Levenshtein distance (adjacent transpositions count once, so `tabel` is one step from
/// `table`), with three rows of the table kept rather than all of them.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // Rows i - 2, i - 1 and i of the distance table.
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut row: Vec<usize> = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        row[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (previous[j] + 1).min(row[j - 1] + 1).min(previous[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(before[j - 2] + 1);
            }
            row[j] = v;
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut row);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::{did_you_mean, edit_distance};

    #[test]
    fn suggests_the_nearest_word() {
        assert_eq!(did_you_mean("tabel", ["table", "test", "earn"]), Some("table"));
        assert_eq!(did_you_mean("regoin", ["region", "role"]), Some("region"));
        assert_eq!(did_you_mean("xyz", ["table", "earn"]), None);
        assert_eq!(did_you_mean("paiod", ["paid", "period"]), Some("paid"));
        assert_eq!(edit_distance("tabel", "table"), 1);
        assert_eq!(edit_distance("abcdef", "badcfe"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    /// A word of a million letters (the fuzzer's) gets no hint, at once: comparing it with every
    /// name would take seconds.
    #[test]
    fn a_long_word_gets_no_hint() {
        let long = "a".repeat(1_000_000);
        assert_eq!(did_you_mean(&long, ["a", long.as_str(), "aa"]), None);
        let name = format!("{}b", "a".repeat(63));
        assert_eq!(did_you_mean(&"a".repeat(64), [name.as_str()]), Some(name.as_str()), "up to 64 letters");
    }

    #[test]
    fn never_suggests_the_opposite() {
        assert_eq!(did_you_mean("non_recoverable", ["recoverable"]), None);
        assert_eq!(did_you_mean("non_recoverable", ["recoverable", "non-recoverable"]), Some("non-recoverable"));
        assert_eq!(did_you_mean("recoverabel", ["non-recoverable", "recoverable"]), Some("recoverable"));
        assert_eq!(did_you_mean("unpaid", ["paid"]), None);
    }
}
