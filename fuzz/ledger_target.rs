//! The ledger target: a ledger folder (records edited, sealed again, deleted, renamed, swapped,
//! downgraded) read as `run --ledger`, `close` and `ledger verify` read it (`ledger::folder`), its
//! records made into a ledger, and the place of the next record computed as `close` does.
//!
//! Oracles, besides no panic, no abort and no hang: a folder that holds together counts every
//! record file it has, or names it as part of an unfinished close (nothing is ignored silently);
//! every problem names its file; and each attack whose outcome is known (written in the `EXPECT`
//! file by the mutation) is refused.

use crate::corpus::Input;
use crate::ledger_mutate::EXPECT;
use crate::worker::{feature, Outcome, Target};
use compplan::ledger::folder::{self, RecordFile};
use std::path::Path;

/// The target.
pub struct LedgerTarget;

impl Target for LedgerTarget {
    fn run(&mut self, input: &Input) -> Outcome {
        let dir = Path::new("ledger");
        let expect =
            input.files.iter().find(|(n, _)| n == EXPECT).map(|(_, b)| String::from_utf8_lossy(b).into_owned());
        let records: Vec<RecordFile> = input
            .files
            .iter()
            .filter(|(name, _)| folder::is_record(name))
            .map(|(name, bytes)| RecordFile {
                name: name.clone(),
                text: String::from_utf8(bytes.clone()).map_err(|e| format!("cannot be read: {e}")),
            })
            .collect();
        let names: Vec<String> = records.iter().map(|r| r.name.clone()).collect();
        let mut outcome = Outcome::default();
        match outcome.timed("read", || folder::check(dir, records)) {
            Ok(verified) => {
                outcome
                    .features
                    .push(feature("holds", &format!("{} {}", verified.unchained > 0, verified.unfinished.len())));
                let counted: Vec<&str> = verified.counted.iter().map(|e| e.file.as_str()).collect();
                if let Some(ignored) =
                    names.iter().find(|n| !counted.contains(&n.as_str()) && !verified.unfinished.contains(n))
                {
                    outcome.failure = Some(format!("{ignored} is neither counted nor named as unfinished"));
                } else if let Some(claim) = expect {
                    outcome.failure = Some(format!("the ledger holds together, but {claim}"));
                }
                let _ = verified.tip().next(1);
                let _ = verified.tip().next(u32::MAX);
                match verified.into_ledger() {
                    Ok(ledger) => {
                        outcome.features.push(feature("ledger", if ledger.is_empty() { "empty" } else { "" }))
                    }
                    Err(message) => outcome.features.push(feature("twice", &message)),
                }
            }
            Err(problems) => {
                outcome.features.extend(problems.iter().map(|p| feature(p.code.id, &p.message)));
                if let Some(p) = problems.iter().find(|p| !p.message.starts_with("ledger/")) {
                    outcome.failure = Some(format!("a problem that names no record file: {p:?}"));
                }
            }
        }
        outcome
    }
}
