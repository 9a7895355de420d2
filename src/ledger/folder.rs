//! A ledger folder's record files, as read by the command line, checked: each file read as a
//! record and named for its period, then all of them as a chain, every problem located at its file
//! and, where it has one, the line of the field it is about.
//!
//! The command line reads the files (this module does no I/O), so that the same code serves
//! `run --ledger`, `close`, `ledger verify` and the fuzzer (`fuzz/`), which feeds it damaged folders.

use super::chain::{self, Broken, Entry, Verified};
use super::Stored;
use crate::diagnostics::{codes, Cell, Diagnostic};
use std::collections::BTreeMap;
use std::path::Path;

/// A record file of a ledger folder: its name in the folder and its text, or why it could not be
/// read (it is not UTF-8, or the read failed).
#[derive(Clone, Debug)]
pub struct RecordFile {
    /// The file's name (`2026-03.json`).
    pub name: String,
    /// Its text, or the reason it has none.
    pub text: Result<String, String>,
}

/// Whether a file of a ledger folder is a record: a `.json` file that is not hidden (hidden files
/// are a close's temporary files and the lock).
pub fn is_record(name: &str) -> bool {
    name.ends_with(".json") && !name.starts_with('.')
}

/// Checks the records of the folder `dir` (used only to name files in messages): each must read as
/// a record named for its period, and together they must form a chain. The problems, located, or
/// the checked records.
pub fn check(dir: &Path, files: Vec<RecordFile>) -> Result<Verified, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let mut entries = Vec::new();
    let mut texts = BTreeMap::new();
    for RecordFile { name, text } in files {
        let shown = dir.join(&name).display().to_string();
        let stem = name.strip_suffix(".json").unwrap_or(&name).to_string();
        match text.and_then(|text| Stored::from_json(&text).map(|stored| (text, stored))) {
            Ok((text, stored)) if named_for(&stem, &stored.record.period) => {
                texts.insert(name.clone(), text);
                entries.push(Entry { file: name, stored });
            }
            Ok((_, stored)) => problems.push(unreadable(
                &shown,
                &format!("records the period {}, but its name says {stem}", stored.record.period),
            )),
            Err(message) => problems.push(unreadable(&shown, &message)),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    chain::verify(entries).map_err(|broken| vec![chain_broken(dir, &broken, texts.get(&broken.file))])
}

/// Whether a record's file name fits its period: `2026-03`, or `2026-Q1.2` for the second record
/// of that name (plans with another fiscal year).
pub fn named_for(stem: &str, period: &str) -> bool {
    match stem.strip_prefix(period) {
        Some("") => true,
        Some(rest) => rest.strip_prefix('.').is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())),
        None => false,
    }
}

/// A record that cannot be used: it does not read, or does not fit its name.
pub fn unreadable(path: &str, message: &str) -> Diagnostic {
    Diagnostic::new(&codes::LEDGER_UNREADABLE, format!("{path} {message}"))
        .help("ledger records are written by `compplan close` and never edited: restore the file from version control")
}

/// The first broken link of the chain, at the line of the field it is about when the file has one.
fn chain_broken(dir: &Path, broken: &Broken, text: Option<&String>) -> Diagnostic {
    let path = dir.join(&broken.file).display().to_string();
    let diagnostic = Diagnostic::new(&codes::LEDGER_CHAIN_BROKEN, format!("{path} {}", broken.message))
        .note("each record names the record closed just before it; `compplan ledger verify` checks the whole folder")
        .help(broken.help.clone());
    let label = match broken.field {
        "previous" => "its link to the record before it",
        "sealed" => "the records written before the chain",
        "record_sha256" => "its SHA-256",
        "sequence" => "its place in the chain",
        "close" => "its part of the close that wrote it",
        _ => "its record format",
    };
    match text.and_then(|text| place_of(&path, text, broken.field)) {
        Some(place) => diagnostic.at(place, label),
        None => diagnostic,
    }
}

/// The first line of a record's text that holds a field, as a place.
fn place_of(path: &str, text: &str, field: &str) -> Option<Cell> {
    let needle = format!("\"{field}\"");
    text.lines().enumerate().find_map(|(i, line)| {
        let at = line.find(&needle)?;
        Some(Cell {
            path: path.to_string(),
            line: i + 1,
            column: line[..at].chars().count() + 1,
            width: needle.chars().count(),
            text: line.to_string(),
        })
    })
}
