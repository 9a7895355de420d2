//! Mutations of a ledger folder. Text mutations of a record mostly break its digest, so most
//! mutations here change a record's fields and then seal it again with a fresh `record_sha256`, as
//! someone who can run compplan's code could: the record then reads, and the chain must still tell.
//! Some mutations are attacks whose outcome is known, and say so in an `EXPECT` file that the
//! worker checks: a record deleted from the middle, an edited record with a later record linking
//! to it, two records swapped, a chained record downgraded while the chain goes on.

use crate::mutate::{self, pick, small, Donors};
use compplan::ledger::{Chain, Fingerprint, Link, Part, Sources};
use compplan::Random;
use serde::{Deserialize, Serialize};

/// The name of the file that holds what the worker must find (not a record: no `.json`).
pub const EXPECT: &str = "EXPECT";

/// A record file's shape, field for field as `compplan close` writes it (`src/ledger.rs`), so that
/// a changed record can be sealed again: its digest is the SHA-256 of this JSON without
/// `record_sha256`. The worker checks at its start that sealing a seed again gives its digest.
#[derive(Clone, Serialize, Deserialize)]
pub struct File {
    format: u32,
    period: String,
    plans: Vec<String>,
    sources: Sources,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    chain: Option<Chain>,
    groups: Vec<Group>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    record_sha256: Option<String>,
}

#[derive(Clone, Serialize, Deserialize)]
struct Group {
    rep: String,
    plan: String,
    currency: String,
    earned: String,
    rows: Vec<Amount>,
    owed: Vec<Amount>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    held: Option<Vec<Amount>>,
}

#[derive(Clone, Serialize, Deserialize)]
struct Amount {
    name: String,
    amount: String,
}

impl File {
    /// Reads a record's text, if it has the shape.
    pub fn read(bytes: &[u8]) -> Option<File> {
        serde_json::from_slice(bytes).ok()
    }

    /// The record's digest, as `compplan close` computes it.
    pub fn digest(&self) -> String {
        let body = File { record_sha256: None, ..self.clone() };
        let mut hash = Fingerprint::default();
        hash.update(serde_json::to_string_pretty(&body).unwrap_or_default().as_bytes());
        hash.finish()
    }

    /// The record with a fresh digest, as text.
    pub fn sealed(mut self) -> Vec<u8> {
        self.record_sha256 = Some(self.digest());
        let mut text = serde_json::to_string_pretty(&self).unwrap_or_default();
        text.push('\n');
        text.into_bytes()
    }
}

/// JSON words for text mutations of a record.
pub fn dictionary() -> Vec<Vec<u8>> {
    let words = [
        "{",
        "}",
        "[",
        "]",
        "\"",
        ":",
        ",",
        "null",
        "true",
        "false",
        "0",
        "-1",
        "1e400",
        "3",
        "2",
        "1",
        "\"format\"",
        "\"chain\"",
        "\"sequence\"",
        "\"previous\"",
        "\"sealed\"",
        "\"record_sha256\"",
        "\"groups\"",
        "\"held\"",
        "\"amount\"",
        "\"1e3\"",
        "\"NaN\"",
        "\"\"",
        "\"\\u0000\"",
        "\"\\ud800\"",
        "18446744073709551615",
        "18446744073709551616",
        "4294967296",
    ];
    words.iter().map(|w| w.as_bytes().to_vec()).collect()
}

/// Mutates a ledger folder: mostly a record's fields, sealed again; sometimes its text, or the
/// folder's files. A `pristine` folder (a seed, whose records hold together) may instead suffer an
/// attack with a known outcome, and nothing else.
pub fn havoc(
    random: &mut Random,
    files: &mut Vec<(String, Vec<u8>)>,
    focus: usize,
    pristine: bool,
    dictionary: &[Vec<u8>],
    donors: &Donors,
) {
    if files.is_empty() {
        return;
    }
    let focus = focus.min(files.len() - 1);
    match random.below(if pristine { 16 } else { 13 }) {
        0..=8 => {
            for _ in 0..small(random, 4) {
                if let Some(file) = File::read(&files[focus].1) {
                    files[focus].1 = edit(random, file, files).sealed();
                }
            }
        }
        9..=10 => mutate::havoc(random, &mut files[focus].1, dictionary, donors),
        11..=12 => folder(random, files, focus),
        _ => attack(random, files),
    }
}

/// Changes one field of a record.
fn edit(random: &mut Random, mut file: File, files: &[(String, Vec<u8>)]) -> File {
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    match random.below(14) {
        0 => file.format = *pick(random, &[0, 1, 2, 3, 4, u32::MAX]),
        1 => file.chain = None,
        2 => {
            if let Some(chain) = file.chain.as_mut() {
                let s = chain.sequence;
                chain.sequence =
                    *pick(random, &[0, 1, 2, s.wrapping_sub(1), s.wrapping_add(1), u64::MAX, u64::MAX - 1]);
            }
        }
        3 => {
            if let Some(chain) = file.chain.as_mut() {
                chain.previous = match random.below(4) {
                    0 => None,
                    1 => Some(Link { file: pick(random, &names).to_string(), record_sha256: "0".repeat(64) }),
                    _ => chain.previous.take().map(|l| Link { file: pick(random, &names).to_string(), ..l }),
                };
            }
        }
        4 => {
            if let Some(chain) = file.chain.as_mut() {
                let values = [0, 1, 2, 3, 4, u32::MAX];
                chain.close = Part { part: *pick(random, &values), of: *pick(random, &values) };
            }
        }
        5 => {
            if let Some(chain) = file.chain.as_mut() {
                chain.sealed = match random.below(3) {
                    0 => None,
                    1 => Some(Vec::new()),
                    _ => Some(vec![Link { file: pick(random, &names).to_string(), record_sha256: "1".repeat(64) }]),
                };
            }
        }
        6 => {
            file.period =
                pick(random, &["2026-03", "2026-13", "", "2026-Q5", "2026", "2026-Q1", "../x", "2026-03.2"]).to_string()
        }
        7 => match random.below(3) {
            0 => file.plans.clear(),
            1 => file.plans.push(file.plans.first().cloned().unwrap_or_default()),
            _ => file.plans.push("nobody".to_string()),
        },
        8 if !file.groups.is_empty() => {
            let i = random.below(file.groups.len() as u64) as usize;
            match random.below(3) {
                0 => drop(file.groups.remove(i)),
                1 => file.groups.push(file.groups[i].clone()),
                _ => file.groups[i].held = None,
            }
        }
        9..=11 if !file.groups.is_empty() => {
            let i = random.below(file.groups.len() as u64) as usize;
            amount(random, &mut file.groups[i]);
        }
        12 if !file.groups.is_empty() => {
            let i = random.below(file.groups.len() as u64) as usize;
            let group = &mut file.groups[i];
            **pick_mut(random, &mut [&mut group.rep, &mut group.plan, &mut group.currency]) =
                pick(random, &["", "alice", "enterprise_ae", "EUR", "usd", "\0", "é"]).to_string();
        }
        _ => {
            file.sources.compplan = pick(random, &["", "0.1.0", "99.0.0"]).to_string();
        }
    }
    file
}

fn pick_mut<'t, T>(random: &mut Random, items: &'t mut [T]) -> &'t mut T {
    let i = random.below(items.len() as u64) as usize;
    &mut items[i]
}

/// Replaces an amount of a group (earned, a row, what is owed or held) with an odd one.
fn amount(random: &mut Random, group: &mut Group) {
    let value = pick(
        random,
        &[
            "1e3",
            "",
            "-0",
            "NaN",
            " 1",
            "0.000000000000000000000000000001",
            "79228162514264337593543950335",
            "79228162514264337593543950336",
            "-79228162514264337593543950335",
            "1_000",
            "0x10",
            "12.345",
        ],
    )
    .to_string();
    let mut lists: Vec<&mut Vec<Amount>> = vec![&mut group.rows, &mut group.owed];
    if let Some(held) = group.held.as_mut() {
        lists.push(held);
    }
    match random.below(3) {
        0 => group.earned = value,
        1 => {
            let list = pick_mut(random, &mut lists);
            if list.is_empty() {
                list.push(Amount { name: "draw".to_string(), amount: value });
            } else {
                let i = random.below(list.len() as u64) as usize;
                list[i].amount = value;
            }
        }
        _ => {
            let list = pick_mut(random, &mut lists);
            let i = random.below(list.len() as u64 + 1) as usize;
            list.insert(
                i,
                Amount { name: pick(random, &["total", "", "adjustment", "2026-05"]).to_string(), amount: value },
            );
        }
    }
}

/// Changes the folder: a file deleted, copied under another name, renamed, or joined by a file
/// that is not a record.
fn folder(random: &mut Random, files: &mut Vec<(String, Vec<u8>)>, focus: usize) {
    match random.below(6) {
        0 if files.len() > 1 => drop(files.remove(focus)),
        1 => {
            let copy = files[focus].1.clone();
            let name = pick(random, &["2026-03.2.json", "2026-07.json", "2026-01.json", "x.json", "2026-03.json"]);
            files.retain(|(n, _)| n != name);
            files.push((name.to_string(), copy));
        }
        2 => {
            files[focus].0 =
                pick(random, &["2026-09.json", "2026-Q1.2.json", "2026-03.x.json", "2026-03.JSON"]).to_string()
        }
        3 => files.push((".2026-09.json.tmp".to_string(), b"{".to_vec())),
        4 => files.push(("notes.txt".to_string(), b"not a record".to_vec())),
        _ => files[focus].1.extend_from_slice(b"\xff"),
    }
    dedup_names(files);
}

/// An attack with a known outcome, on a folder whose records hold together (a seed). Its claim
/// goes in the `EXPECT` file.
fn attack(random: &mut Random, files: &mut Vec<(String, Vec<u8>)>) {
    let chained = chained_by_sequence(files);
    if chained.len() < 2 {
        return;
    }
    // Every chained record but the newest, which the chain cannot vouch for (see RELIABILITY.md).
    let inner = &chained[..chained.len() - 1];
    let target = inner[random.below(inner.len() as u64) as usize].clone();
    let claim = match random.below(4) {
        0 => {
            files.retain(|(n, _)| *n != target);
            format!("refused: {target}, not the newest record of the chain, was deleted")
        }
        1 => {
            let Some(i) = files.iter().position(|(n, _)| *n == target) else { return };
            let Some(mut file) = File::read(&files[i].1) else { return };
            let before = file.digest();
            file = edit(random, file, files);
            if file.digest() == before {
                return;
            }
            files[i].1 = file.sealed();
            format!("refused: {target}, not the newest record of the chain, was edited and sealed again")
        }
        2 => {
            let other = pick(random, &chained).clone();
            let (Some(a), Some(b)) =
                (files.iter().position(|(n, _)| *n == target), files.iter().position(|(n, _)| *n == other))
            else {
                return;
            };
            if a == b || files[a].1 == files[b].1 {
                return;
            }
            let swapped = files[a].1.clone();
            files[a].1 = std::mem::replace(&mut files[b].1, swapped);
            format!("refused: the records {target} and {other} were swapped")
        }
        _ => {
            let Some(i) = files.iter().position(|(n, _)| *n == target) else { return };
            let Some(mut file) = File::read(&files[i].1) else { return };
            let format = *pick(random, &[1, 2]);
            file.format = format;
            file.chain = None;
            files[i].1 = if file.format == 1 && random.below(2) == 0 {
                file.record_sha256 = None;
                serde_json::to_vec_pretty(&file).unwrap_or_default()
            } else {
                file.sealed()
            };
            format!("refused: {target}, a chained record, was downgraded to format {format}")
        }
    };
    files.retain(|(n, _)| n != EXPECT);
    files.push((EXPECT.to_string(), claim.into_bytes()));
}

/// The names of the chained records, by sequence.
fn chained_by_sequence(files: &[(String, Vec<u8>)]) -> Vec<String> {
    let mut chained: Vec<(u64, String)> =
        files.iter().filter_map(|(name, bytes)| Some((File::read(bytes)?.chain?.sequence, name.clone()))).collect();
    chained.sort();
    chained.into_iter().map(|(_, name)| name).collect()
}

/// Keeps the first file of each name.
fn dedup_names(files: &mut Vec<(String, Vec<u8>)>) {
    let mut seen = std::collections::BTreeSet::new();
    files.retain(|(name, _)| seen.insert(name.clone()));
}
