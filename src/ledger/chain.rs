//! The ledger as a chain: every record of format 3 names the record closed just before it (its file
//! and its SHA-256), so that the records of a ledger folder can be checked as one unbroken history.
//!
//! What the chain proves: every record from the first to the newest in the folder is there, in the
//! order they were closed, as they were written. A record deleted from the middle, renamed, moved,
//! downgraded to an earlier format or edited breaks a link. Records of formats 1 and 2, written
//! before the chain, are *sealed* by its first record (their files and SHA-256s): after that, a
//! format-1 or format-2 record the seal does not list is a downgrade, not a record of old.
//!
//! What it cannot prove: that the newest records were not deleted (the folder is then the ledger of
//! an earlier day, and consistent), nor that someone who can run this code did not rewrite every
//! record from the one they changed on, with fresh digests. The digest of the newest record, kept
//! elsewhere (version control, the payroll system), is what shows either.
//!
//! A close records several periods at once (a quarter of months): each record says it is part `k`
//! of `n` of its close. A close killed between two links leaves the first parts only; readers do not
//! count them (the ledger is as it was before that close), and the next close removes them.

use super::{Ledger, Stored, FORMAT};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// A record's place in the chain, as written in its `chain` field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Chain {
    /// Its position: 1 for the first record of the chain, then one more for each record closed.
    pub sequence: u64,
    /// The record closed just before it; `None` only for the first.
    pub previous: Option<Link>,
    /// Which part of its close it is: a close of a quarter records its months as parts 1 to 3.
    pub close: Part,
    /// On the first record only: the records of formats 1 and 2 (written before the chain) that
    /// were in the folder when the chain began.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sealed: Option<Vec<Link>>,
}

/// A link to another record: its file name in the ledger folder and its SHA-256.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Link {
    /// The file's name (`2026-03.json`), without a folder.
    pub file: String,
    /// The SHA-256 of the record's content (see [`Stored::record_sha256`]).
    pub record_sha256: String,
}

/// A record's part in the close that wrote it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Part {
    /// From 1.
    pub part: u32,
    /// How many records the close wrote.
    pub of: u32,
}

impl Chain {
    /// The place of the record that follows this one (`link` names this one) in the same close.
    pub fn after(&self, link: Link) -> Chain {
        Chain {
            sequence: self.sequence + 1,
            previous: Some(link),
            close: Part { part: self.close.part + 1, of: self.close.of },
            sealed: None,
        }
    }

    /// Checks what a record can be checked for alone: the first record has no previous one and
    /// carries the seal, the others have a previous one and no seal, and its part is within its close.
    pub(super) fn check_shape(&self) -> Result<(), String> {
        let Part { part, of } = self.close;
        if part == 0 || part > of {
            return Err(format!("says it is part {part} of a close of {of} records, which cannot be: it was edited"));
        }
        match (self.sequence, &self.previous, &self.sealed) {
            (0, ..) => Err("says it is record 0 of the chain, which starts at 1: it was edited".to_string()),
            (1, None, Some(_)) => Ok(()),
            (1, ..) => Err("is record 1 of the chain, which names no previous record and carries the seal of the records before the chain: this one does not: it was edited".to_string()),
            (_, Some(_), None) => Ok(()),
            (n, ..) => Err(format!("is record {n} of the chain, which names the record before it and carries no seal: this one does not: it was edited")),
        }
    }
}

/// A record file of the ledger folder, read.
#[derive(Clone, Debug)]
pub struct Entry {
    /// The file's name in the folder.
    pub file: String,
    /// What it holds.
    pub stored: Stored,
}

impl Entry {
    fn link(&self) -> Link {
        Link { file: self.file.clone(), record_sha256: self.stored.record_sha256.clone() }
    }

    fn chain(&self) -> Option<&Chain> {
        self.stored.chain.as_ref()
    }
}

/// The first broken link of a chain: the record file where it shows, what is wrong, and what to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Broken {
    /// The file to look at.
    pub file: String,
    /// The JSON field of that file the problem is about (`"format"`, `"previous"`, `"sealed"`), for
    /// pointing at its line.
    pub field: &'static str,
    /// What is wrong, after the file's name.
    pub message: String,
    /// What to do.
    pub help: String,
}

/// A ledger folder's records, checked as a chain.
#[derive(Clone, Debug, Default)]
pub struct Verified {
    /// The records that count, in chain order: the sealed (or, before the chain, all) records of
    /// formats 1 and 2 by name, then the chained ones.
    pub counted: Vec<Entry>,
    /// The files of a close that did not finish (killed between two links): not counted.
    pub unfinished: Vec<String>,
    /// How many counted records are of formats 1 and 2.
    pub unchained: usize,
}

impl Verified {
    /// Where the chain ends, for the next close to link to.
    pub fn tip(&self) -> Tip {
        match self.counted.last().and_then(|e| Some((e.chain()?.sequence, e.link()))) {
            Some(last) => Tip { last: Some(last), unchained: Vec::new() },
            None => {
                let mut unchained: Vec<Link> = self.counted.iter().map(Entry::link).collect();
                unchained.sort();
                Tip { last: None, unchained }
            }
        }
    }

    /// The newest record that counts, if any.
    pub fn newest(&self) -> Option<&Entry> {
        self.counted.last()
    }

    /// The ledger of the records that count; the error names a period closed twice for a plan.
    pub fn into_ledger(self) -> Result<Ledger, String> {
        Ledger::new(self.counted.into_iter().map(|e| e.stored.record))
    }
}

/// Where a chain ends: the last record, or, before the chain, the records the first one will seal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tip {
    last: Option<(u64, Link)>,
    unchained: Vec<Link>,
}

impl Tip {
    /// The place of the first record the next close writes, a close of `parts` records.
    pub fn next(&self, parts: u32) -> Chain {
        let close = Part { part: 1, of: parts };
        match &self.last {
            Some((sequence, link)) => {
                Chain { sequence: sequence + 1, previous: Some(link.clone()), close, sealed: None }
            }
            None => Chain { sequence: 1, previous: None, close, sealed: Some(self.unchained.clone()) },
        }
    }
}

/// Checks the records of a ledger folder as a chain; the error is the first broken link, in chain
/// order (the seal first, then record 1, 2…).
pub fn verify(mut entries: Vec<Entry>) -> Result<Verified, Broken> {
    entries.sort_by(|a, b| a.file.cmp(&b.file));
    let (unchained, mut chained): (Vec<Entry>, Vec<Entry>) = entries.into_iter().partition(|e| e.chain().is_none());
    chained.sort_by_key(|e| e.chain().map_or(0, |c| c.sequence));
    let unfinished = unfinished_close(&chained);
    let unfinished: Vec<String> = chained.split_off(chained.len() - unfinished).into_iter().map(|e| e.file).collect();
    let Some(first) = chained.first() else {
        // No chain yet: every record was written before it, and is read as it always was.
        let count = unchained.len();
        return Ok(Verified { counted: unchained, unfinished, unchained: count });
    };
    if first.chain().is_some_and(|c| c.sequence != 1) {
        // Record 1, and its seal, are gone: the walk stops at the first record, naming what is missing.
        check_links(&chained, &unchained)?;
    }
    check_seal(first, &unchained)?;
    check_links(&chained, &unchained)?;
    let count = unchained.len();
    let mut counted = unchained;
    counted.extend(chained);
    Ok(Verified { counted, unfinished, unchained: count })
}

/// How many records at the end of the chain are the first parts of a close that did not finish.
fn unfinished_close(chained: &[Entry]) -> usize {
    let Some(Part { part, of }) = chained.last().and_then(|e| e.chain()).map(|c| c.close) else { return 0 };
    if part == of {
        return 0;
    }
    // The parts 1 to `part` of the last close, in sequence; anything else is a broken link, found later.
    let tail = &chained[chained.len().saturating_sub(part as usize)..];
    let whole = tail.len() == part as usize
        && tail.iter().enumerate().all(|(i, e)| e.chain().is_some_and(|c| c.close == Part { part: i as u32 + 1, of }));
    if whole {
        tail.len()
    } else {
        0
    }
}

/// The first record's seal must list exactly the records of formats 1 and 2 in the folder, unchanged.
fn check_seal(first: &Entry, unchained: &[Entry]) -> Result<(), Broken> {
    let sealed: &[Link] = first.chain().and_then(|c| c.sealed.as_deref()).unwrap_or_default();
    let present: BTreeMap<&str, &Entry> = unchained.iter().map(|e| (e.file.as_str(), e)).collect();
    for link in sealed {
        match present.get(link.file.as_str()) {
            None => {
                return Err(Broken {
                    file: first.file.clone(),
                    field: "sealed",
                    message: format!(
                        "seals {}, a record closed before the chain began, which is not in the folder: it was deleted",
                        link.file
                    ),
                    help: format!("restore {} from version control: a closed period's record is never deleted", link.file),
                })
            }
            Some(entry) if entry.stored.record_sha256 != link.record_sha256 => {
                return Err(Broken {
                    file: entry.file.clone(),
                    field: "format",
                    message: format!(
                        "was changed after the chain's first record, {}, sealed it: its content no longer has the SHA-256 recorded there",
                        first.file
                    ),
                    help: format!("restore {} from version control: ledger records are never edited", entry.file),
                })
            }
            Some(_) => {}
        }
    }
    let listed: BTreeSet<&str> = sealed.iter().map(|l| l.file.as_str()).collect();
    match unchained.iter().find(|e| !listed.contains(e.file.as_str())) {
        Some(entry) => Err(downgraded(entry, &first.file)),
        None => Ok(()),
    }
}

/// A record of format 1 or 2 that the seal does not list: written, or rewritten, after the chain began.
fn downgraded(entry: &Entry, first: &str) -> Broken {
    Broken {
        file: entry.file.clone(),
        field: "format",
        message: format!(
            "is a format-{} record, without a place in the chain, but the chain began with {first}, which does not seal it: every record closed since then is format {FORMAT}, so this one was downgraded or added by hand",
            entry.stored.format
        ),
        help: format!(
            "restore {} from version control (or remove it, if no close wrote it); records are only ever written by `compplan close`",
            entry.file
        ),
    }
}

/// Each chained record must follow the one before it: one more in sequence, linking to its file and
/// SHA-256, and continuing its close or starting a new one once it is complete.
fn check_links(chained: &[Entry], unchained: &[Entry]) -> Result<(), Broken> {
    let mut before: Option<&Entry> = None;
    for entry in chained {
        let chain = entry.chain().ok_or_else(|| missing_chain(entry))?;
        let expected = before.and_then(|b| b.chain()).map_or(1, |c| c.sequence + 1);
        if chain.sequence < expected {
            let other = before.map_or_else(String::new, |b| b.file.clone());
            return Err(Broken {
                file: entry.file.clone(),
                field: "sequence",
                message: format!(
                    "says it is record {} of the chain, as {other} does: one of them is a copy",
                    chain.sequence
                ),
                help: "restore the ledger folder from version control".to_string(),
            });
        }
        let previous = chain.previous.as_ref();
        if chain.sequence > expected {
            return Err(deleted(entry, previous, expected, chain.sequence - 1, unchained));
        }
        if let (Some(before), Some(link)) = (before, previous) {
            if link.file != before.file {
                return Err(Broken {
                    file: entry.file.clone(),
                    field: "previous",
                    message: format!(
                        "says it was closed after {}, but record {} of the chain is {}: records were renamed or moved",
                        link.file,
                        chain.sequence - 1,
                        before.file
                    ),
                    help: format!(
                        "give each record back its own name (restore the folder from version control); {} must be named {}",
                        before.file, link.file
                    ),
                });
            }
            if link.record_sha256 != before.stored.record_sha256 {
                return Err(Broken {
                    file: before.file.clone(),
                    field: "record_sha256",
                    message: format!(
                        "is not the record {} was closed after: its SHA-256 is not the one {} links to, so it was rewritten (with a new `record_sha256`) or replaced",
                        entry.file, entry.file
                    ),
                    help: format!("restore {} from version control: ledger records are never edited", before.file),
                });
            }
        }
        check_part(before, entry)?;
        before = Some(entry);
    }
    Ok(())
}

/// Records `from` to `to` are missing before `entry`: deleted, or turned into records of an earlier
/// format (which then have no place in the chain).
fn deleted(entry: &Entry, previous: Option<&Link>, from: u64, to: u64, unchained: &[Entry]) -> Broken {
    let named = previous.map_or_else(|| format!("record {to}"), |l| l.file.clone());
    if let Some(downgrade) = previous.and_then(|l| unchained.iter().find(|e| e.file == l.file)) {
        return Broken {
            file: downgrade.file.clone(),
            field: "format",
            message: format!(
                "is a format-{} record, without a place in the chain, but {} names it as record {to} of the chain, closed before it: it was downgraded",
                downgrade.stored.format, entry.file
            ),
            help: format!("restore {} from version control: ledger records are never edited", downgrade.file),
        };
    }
    let which = if from == to { format!("record {to}") } else { format!("records {from} to {to}") };
    Broken {
        file: entry.file.clone(),
        field: "previous",
        message: format!(
            "is record {} of the chain and was closed after {named}, but {which} of the chain {} not in the folder: {} deleted",
            to + 1,
            if from == to { "is" } else { "are" },
            if from == to { "it was" } else { "they were" }
        ),
        help: format!("restore {named} from version control: a closed period's record is never deleted"),
    }
}

/// A record after `before` must continue its close, or start a new one when that close is complete.
fn check_part(before: Option<&Entry>, entry: &Entry) -> Result<(), Broken> {
    let part = entry.chain().map(|c| c.close);
    let expected = match before.and_then(|b| b.chain()).map(|c| c.close) {
        Some(Part { part, of }) if part < of => Part { part: part + 1, of },
        _ => Part { part: 1, of: part.map_or(1, |p| p.of) },
    };
    match part {
        Some(part) if part == expected => Ok(()),
        Some(part) => Err(Broken {
            file: entry.file.clone(),
            field: "close",
            message: format!(
                "says it is part {} of a close of {} records, where part {} of a close of {} was due: a record of a close is missing",
                part.part, part.of, expected.part, expected.of
            ),
            help: "restore the ledger folder from version control: records are never deleted or edited".to_string(),
        }),
        None => Err(missing_chain(entry)),
    }
}

fn missing_chain(entry: &Entry) -> Broken {
    Broken {
        file: entry.file.clone(),
        field: "format",
        message: "has no place in the chain".to_string(),
        help: format!("restore {} from version control", entry.file),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::{Closed, Sources};

    fn record(period: &str) -> Closed {
        let sources = Sources { compplan: "0.1.0".into(), plans_sha256: "a".repeat(64), data_sha256: "b".repeat(64) };
        Closed::new(period.into(), vec!["ih".into()], sources, vec![])
    }

    /// Closes the periods in order, `parts` records per close, as `compplan close` links them.
    fn closed(closes: &[&[&str]], before: Vec<Entry>) -> Vec<Entry> {
        let mut entries = before;
        for periods in closes {
            let verified = verify(entries.clone()).expect("a whole chain");
            let mut chain = verified.tip().next(periods.len() as u32);
            for (i, period) in periods.iter().enumerate() {
                if i > 0 {
                    let last: &Entry = entries.last().expect("the part before");
                    chain = chain.after(last.link());
                }
                let written = record(period).to_json(&chain);
                entries.push(Entry {
                    file: format!("{period}.json"),
                    stored: Stored::from_json(&written.text).expect("reads"),
                });
            }
        }
        entries
    }

    fn files(verified: &Verified) -> Vec<&str> {
        verified.counted.iter().map(|e| e.file.as_str()).collect()
    }

    #[test]
    fn a_chain_closed_in_order_verifies_and_links_each_record_to_the_one_before() {
        let entries = closed(&[&["2026-01"], &["2026-02", "2026-03"]], vec![]);
        let verified = verify(entries.clone()).expect("holds");
        assert_eq!(files(&verified), ["2026-01.json", "2026-02.json", "2026-03.json"]);
        let third = entries[2].chain().expect("chained");
        assert_eq!((third.sequence, third.close), (3, Part { part: 2, of: 2 }));
        assert_eq!(third.previous.as_ref().map(|l| l.file.as_str()), Some("2026-02.json"));
        assert_eq!(verified.tip().next(1).sequence, 4);
    }

    #[test]
    fn a_record_deleted_from_the_middle_is_the_first_broken_link() {
        let mut entries = closed(&[&["2026-01"], &["2026-02"], &["2026-03"]], vec![]);
        entries.remove(1);
        let broken = verify(entries).unwrap_err();
        assert_eq!(broken.file, "2026-03.json");
        assert_eq!(broken.message, "is record 3 of the chain and was closed after 2026-02.json, but record 2 of the chain is not in the folder: it was deleted");
    }

    #[test]
    fn a_close_killed_between_two_links_does_not_count() {
        let mut entries = closed(&[&["2026-01"], &["2026-02", "2026-03", "2026-04"]], vec![]);
        entries.pop();
        let verified = verify(entries.clone()).expect("an unfinished close is not a broken chain");
        assert_eq!(files(&verified), ["2026-01.json"]);
        assert_eq!(verified.unfinished, ["2026-02.json", "2026-03.json"]);
        // The next close links to the last record that counts.
        assert_eq!(verified.tip().next(1).previous.map(|l| l.file), Some("2026-01.json".to_string()));
    }

    #[test]
    fn records_before_the_chain_are_sealed_by_its_first_record() {
        let old = |period: &str| {
            let mut value: serde_json::Value = serde_json::from_str(
                &record(period)
                    .to_json(&Chain {
                        sequence: 1,
                        previous: None,
                        close: Part { part: 1, of: 1 },
                        sealed: Some(vec![]),
                    })
                    .text,
            )
            .expect("JSON");
            let object = value.as_object_mut().expect("object");
            object.insert("format".into(), 1.into());
            object.remove("chain");
            object.remove("record_sha256");
            let text = serde_json::to_string_pretty(&value).expect("JSON");
            Entry { file: format!("{period}.json"), stored: Stored::from_json(&text).expect("a format-1 record reads") }
        };
        let before = vec![old("2026-01"), old("2026-02")];
        assert!(verify(before.clone()).expect("no chain yet").unfinished.is_empty());
        let entries = closed(&[&["2026-03"]], before);
        let sealed = entries[2].chain().and_then(|c| c.sealed.clone()).expect("the seal");
        assert_eq!(sealed.iter().map(|l| l.file.as_str()).collect::<Vec<_>>(), ["2026-01.json", "2026-02.json"]);
        assert_eq!(verify(entries.clone()).expect("holds").unchained, 2);

        // A format-1 record added after the chain began is a downgrade.
        let mut added = entries.clone();
        added.push(old("2026-04"));
        let broken = verify(added).unwrap_err();
        assert_eq!((broken.file.as_str(), broken.field), ("2026-04.json", "format"));
        assert!(
            broken.message.starts_with(
                "is a format-1 record, without a place in the chain, but the chain began with 2026-03.json"
            ),
            "{}",
            broken.message
        );

        // A sealed record deleted, or changed.
        let mut gone = entries.clone();
        gone.remove(0);
        assert!(verify(gone)
            .unwrap_err()
            .message
            .starts_with("seals 2026-01.json, a record closed before the chain began, which is not in the folder"));
        let mut changed = entries;
        changed[1].stored.record_sha256 = "0".repeat(64);
        let broken = verify(changed).unwrap_err();
        assert_eq!(broken.file, "2026-02.json");
        assert!(broken.message.starts_with("was changed after the chain's first record, 2026-03.json, sealed it"));
    }

    #[test]
    fn renamed_copied_and_rewritten_records_break_a_link() {
        let entries = closed(&[&["2026-01"], &["2026-02"], &["2026-03"]], vec![]);
        // Two records swap names.
        let mut swapped = entries.clone();
        swapped[0].file = "2026-02.json".into();
        swapped[1].file = "2026-01.json".into();
        let broken = verify(swapped).unwrap_err();
        assert_eq!(broken.field, "previous");
        assert!(broken.message.contains("records were renamed or moved"), "{}", broken.message);
        // A copy under another name.
        let mut copied = entries.clone();
        let mut copy = copied[1].clone();
        copy.file = "2026-02.2.json".into();
        copied.push(copy);
        assert!(verify(copied).unwrap_err().message.contains("one of them is a copy"));
        // A record rewritten with a fresh digest of its own: the next record's link no longer matches.
        let mut rewritten = entries;
        rewritten[1].stored.record_sha256 = "f".repeat(64);
        let broken = verify(rewritten).unwrap_err();
        assert_eq!((broken.file.as_str(), broken.field), ("2026-02.json", "record_sha256"));
    }
}
