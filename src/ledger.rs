//! The ledger of closed pay periods: what was paid, as recorded when each period was closed.
//!
//! `compplan close` records a period's payouts, one file per period (`2026-03.json`), never
//! rewritten. `compplan run --ledger` takes closed periods as recorded: it still recomputes them (a
//! year-to-date line needs the history), and pays any difference between the recomputation and the
//! record in the next open period, as an `adjustment` line. History is never rewritten.
//!
//! Records form a chain ([`chain`]): each carries the SHA-256 of the one closed before it, so that
//! a record deleted, moved, downgraded or edited breaks a link that `compplan ledger verify`,
//! `run --ledger` and `close` report.
//!
//! This module is pure: it turns records into text and back, checks the chain, and fingerprints the
//! plans and data a record was made from. Reading and writing the files is the command line's job.

pub mod chain;
pub mod folder;

pub use chain::{Chain, Link, Part};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::str::FromStr;

/// The version of the record format, written in every file. Format 3 carries a SHA-256 of the
/// record itself and its place in the chain (the SHA-256 of the record before it). Formats 1 and 2,
/// written by earlier versions of compplan, are still read, but only as records closed before the
/// chain began: the chain's first record seals them ([`chain`]).
pub const FORMAT: u32 = 3;

/// The record format before the chain: a SHA-256 of the record, no link to the one before.
pub const UNCHAINED: u32 = 2;

/// The record format before the record's own digest was required.
pub const LEGACY: u32 = 1;

/// Every closed period, by name (`2026-03`, `2026-Q1`). Plans with different fiscal years can
/// give the same name to different months (one plan's `2026-Q1` is January to March, another's
/// February to April), so a period is closed for the plans its record lists, and one name may have
/// several records, each for other plans.
#[derive(Clone, Debug, Default)]
pub struct Ledger {
    periods: BTreeMap<String, Vec<Closed>>,
}

/// One closed period: what each rep was paid under each plan.
#[derive(Clone, Debug, PartialEq)]
pub struct Closed {
    /// The period's name.
    pub period: String,
    /// The plans whose period of this name the record closes (paid or not).
    pub plans: Vec<String>,
    /// What the record was made from.
    pub sources: Sources,
    /// Each (rep, plan) paid, in the payouts' order.
    pub groups: Vec<Recorded>,
    index: BTreeMap<(String, String), usize>,
}

/// The fingerprints of the inputs of a record, so that an auditor can tell which plans and which
/// data produced it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sources {
    /// The compplan version that closed the period.
    pub compplan: String,
    /// SHA-256 of the plan files (see [`Fingerprint`]).
    pub plans_sha256: String,
    /// SHA-256 of the data files.
    pub data_sha256: String,
}

/// What one rep was paid under one plan in a closed period.
#[derive(Clone, Debug, PartialEq)]
pub struct Recorded {
    /// The rep's id.
    pub rep: String,
    /// The plan's name.
    pub plan: String,
    /// The currency of the amounts.
    pub currency: String,
    /// The period's earnings as settled: the earning lines and any adjustment (what the pay rule
    /// calls E). A later recomputation is compared with this.
    pub earned: Decimal,
    /// The payout rows, as written: component and amount.
    pub rows: Vec<(String, Decimal)>,
    /// The balance owed at the end of the period, oldest first: why (`draw` or `deferred`) and how
    /// much. The next period starts from it.
    pub owed: Vec<(String, Decimal)>,
    /// What is held at the end of the period: when it falls due — a month (`2026-05`), or a deal's
    /// date (`A4 until deal.paid`) — and the amount.
    pub held: Vec<(String, Decimal)>,
}

/// A record as read from its file: what it records, and what proves it is the one that was closed.
#[derive(Clone, Debug, PartialEq)]
pub struct Stored {
    /// What the record says was paid.
    pub record: Closed,
    /// Its record format ([`FORMAT`], or an earlier one).
    pub format: u32,
    /// Its place in the chain; `None` for records of formats 1 and 2, written before the chain.
    pub chain: Option<Chain>,
    /// The SHA-256 of the record's content (its JSON without `record_sha256`), computed for a
    /// format-1 record that carries none: what the chain's links name.
    pub record_sha256: String,
}

/// A record as written: the text of its file and the SHA-256 the next record links to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Written {
    /// The file's text.
    pub text: String,
    /// The record's own SHA-256 (also written in the text).
    pub record_sha256: String,
}

impl Ledger {
    /// A ledger of these records; the error names a period closed twice for the same plan.
    pub fn new(records: impl IntoIterator<Item = Closed>) -> Result<Ledger, String> {
        let mut ledger = Ledger::default();
        for record in records {
            if let Some(plan) = record.plans.iter().find(|plan| ledger.closed(&record.period, plan).is_some()) {
                return Err(format!("{} is closed twice for the plan `{plan}`", record.period));
            }
            ledger.periods.entry(record.period.clone()).or_default().push(record);
        }
        Ok(ledger)
    }

    /// The record that closed a plan's period of this name, if it is closed.
    pub fn closed(&self, period: &str, plan: &str) -> Option<&Closed> {
        self.periods.get(period)?.iter().find(|c| c.plans.iter().any(|p| p == plan))
    }

    /// The names of the periods closed for a plan, in no meaningful order: names do not sort in
    /// time (a plan may pay quarters, then months), so the caller orders them by the plan's
    /// calendar ([`crate::eval::period::Timeline`]).
    pub fn closed_for<'s>(&'s self, plan: &'s str) -> impl Iterator<Item = &'s str> + 's {
        self.periods
            .iter()
            .filter(move |(_, records)| records.iter().any(|c| c.plans.iter().any(|p| p == plan)))
            .map(|(name, _)| name.as_str())
    }

    /// How many records carry this period's name (for naming the next one).
    pub fn records_named(&self, period: &str) -> usize {
        self.periods.get(period).map_or(0, Vec::len)
    }

    /// True when no period is closed.
    pub fn is_empty(&self) -> bool {
        self.periods.is_empty()
    }
}

impl Closed {
    /// A record of a period for some plans.
    pub fn new(period: String, plans: Vec<String>, sources: Sources, groups: Vec<Recorded>) -> Closed {
        let index = groups.iter().enumerate().map(|(i, g)| ((g.rep.clone(), g.plan.clone()), i)).collect();
        Closed { period, plans, sources, groups, index }
    }

    /// What a rep was paid under a plan in this period, if anything was recorded.
    pub fn group(&self, rep: &str, plan: &str) -> Option<&Recorded> {
        self.index.get(&(rep.to_string(), plan.to_string())).map(|&i| &self.groups[i])
    }

    /// The record as the text of its file, at its place in the chain: JSON, amounts as strings, in a
    /// stable order.
    pub fn to_json(&self, chain: &Chain) -> Written {
        let amounts = |list: &[(String, Decimal)]| -> Vec<FileAmount> {
            list.iter().map(|(name, a)| FileAmount { name: name.clone(), amount: a.to_string() }).collect()
        };
        let mut file = File {
            format: FORMAT,
            period: self.period.clone(),
            plans: self.plans.clone(),
            sources: self.sources.clone(),
            chain: Some(chain.clone()),
            groups: self
                .groups
                .iter()
                .map(|g| FileGroup {
                    rep: g.rep.clone(),
                    plan: g.plan.clone(),
                    currency: g.currency.clone(),
                    earned: g.earned.to_string(),
                    rows: amounts(&g.rows),
                    owed: amounts(&g.owed),
                    held: Some(amounts(&g.held)),
                })
                .collect(),
            record_sha256: None,
        };
        let digest = file.digest();
        file.record_sha256 = Some(digest.clone());
        let mut text = serde_json::to_string_pretty(&file).unwrap_or_default();
        text.push('\n');
        Written { text, record_sha256: digest }
    }

    /// Reads a record's content; the error says what is wrong with it ([`Stored::from_json`]).
    pub fn from_json(text: &str) -> Result<Closed, String> {
        Stored::from_json(text).map(|stored| stored.record)
    }
}

impl Stored {
    /// Reads a record; the error says what is wrong with it. A record of format 2 or 3 must match
    /// its own `record_sha256`, and one of format 3 must carry its place in the chain; a format-1
    /// record is read as earlier versions wrote it (its digest, if it has one, is still checked).
    /// Whether the record belongs where it is in the chain is [`chain::verify`]'s question.
    pub fn from_json(text: &str) -> Result<Stored, String> {
        let mut file: File = serde_json::from_str(text).map_err(|e| format!("not a ledger record: {e}"))?;
        if !(LEGACY..=FORMAT).contains(&file.format) {
            return Err(format!(
                "has record format {}, which this compplan does not read (it reads formats {LEGACY} to {FORMAT})",
                file.format
            ));
        }
        let groups = file.groups.iter().map(|g| g.read(file.format)).collect::<Result<Vec<_>, String>>()?;
        let claimed = file.record_sha256.take();
        let digest = file.digest();
        match (claimed, file.format) {
            (Some(claimed), _) if digest != claimed => {
                return Err("was changed after it was closed: its content no longer matches its `record_sha256`".to_string());
            }
            (Some(_), _) | (None, LEGACY) => {}
            (None, format) => {
                return Err(format!(
                    "has no `record_sha256`, which every format-{format} record written by `compplan close` carries: it was edited or damaged after it was closed"
                ))
            }
        }
        match (&file.chain, file.format) {
            (Some(chain), FORMAT) => chain.check_shape()?,
            (None, FORMAT) => {
                return Err(format!(
                    "has no `chain`, which every format-{FORMAT} record carries: it was edited or damaged after it was closed"
                ))
            }
            (Some(_), format) => {
                return Err(format!("is a format-{format} record with a `chain`, which only format-{FORMAT} records carry: it was edited"))
            }
            (None, _) => {}
        }
        Ok(Stored {
            record: Closed::new(file.period, file.plans, file.sources, groups),
            format: file.format,
            chain: file.chain,
            record_sha256: digest,
        })
    }
}

/// The file's shape.
#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    format: u32,
    period: String,
    plans: Vec<String>,
    sources: Sources,
    /// The record's place in the chain. Required from format 3, absent before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    chain: Option<Chain>,
    groups: Vec<FileGroup>,
    /// A SHA-256 of the record itself (its JSON without this field): a record edited by hand is
    /// refused instead of paid against. Required from format 2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    record_sha256: Option<String>,
}

impl File {
    /// The SHA-256 of the record's JSON without its own digest.
    fn digest(&self) -> String {
        let body = File { record_sha256: None, ..self.clone() };
        let mut hash = Fingerprint::default();
        hash.update(serde_json::to_string_pretty(&body).unwrap_or_default().as_bytes());
        hash.finish()
    }
}

#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileGroup {
    rep: String,
    plan: String,
    currency: String,
    earned: String,
    rows: Vec<FileAmount>,
    owed: Vec<FileAmount>,
    /// Absent only from format-1 records written before holds existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    held: Option<Vec<FileAmount>>,
}

impl FileGroup {
    /// The group as recorded; `format` is the record's (format-1 records may lack `held`).
    fn read(&self, format: u32) -> Result<Recorded, String> {
        let amount = |text: &str| Decimal::from_str(text).map_err(|_| format!("`{text}` is not an amount"));
        let amounts = |list: &[FileAmount]| -> Result<Vec<(String, Decimal)>, String> {
            list.iter().map(|r| Ok((r.name.clone(), amount(&r.amount)?))).collect()
        };
        let held = match (&self.held, format) {
            (Some(held), _) => amounts(held)?,
            // Format-1 records written before holds existed held nothing.
            (None, LEGACY) => Vec::new(),
            (None, _) => {
                return Err(format!(
                    "has no `held` for `{}` under `{}`: every format-{format} record lists what is held",
                    self.rep, self.plan
                ))
            }
        };
        Ok(Recorded {
            rep: self.rep.clone(),
            plan: self.plan.clone(),
            currency: self.currency.clone(),
            earned: amount(&self.earned)?,
            rows: amounts(&self.rows)?,
            owed: amounts(&self.owed)?,
            held,
        })
    }
}

#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileAmount {
    name: String,
    amount: String,
}

/// A SHA-256 over named parts (files), framed so that moving bytes from one part to the next, or
/// renaming a part, changes the result. Parts are fed in a fixed order (sorted paths).
pub struct Fingerprint {
    hash: Sha256,
}

impl Default for Fingerprint {
    fn default() -> Fingerprint {
        Fingerprint { hash: Sha256::new() }
    }
}

impl Fingerprint {
    /// Starts a part: its name and its length in bytes.
    pub fn part(&mut self, name: &str, len: u64) {
        self.hash.update((name.len() as u64).to_le_bytes());
        self.hash.update(name.as_bytes());
        self.hash.update(len.to_le_bytes());
    }

    /// Adds bytes of the current part.
    pub fn update(&mut self, bytes: &[u8]) {
        self.hash.update(bytes);
    }

    /// The digest, in lowercase hexadecimal.
    pub fn finish(self) -> String {
        self.hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Closed {
        let sources = Sources { compplan: "0.1.0".into(), plans_sha256: "a".repeat(64), data_sha256: "b".repeat(64) };
        let alice = Recorded {
            rep: "alice".into(),
            plan: "enterprise_ae".into(),
            currency: "USD".into(),
            earned: Decimal::new(1290000, 2),
            rows: vec![("commission".into(), Decimal::new(740000, 2)), ("total".into(), Decimal::new(1290000, 2))],
            owed: vec![("draw".into(), Decimal::new(160000, 2))],
            held: vec![("2026-05".into(), Decimal::new(5000, 2))],
        };
        Closed::new("2026-03".into(), vec!["enterprise_ae".into(), "sales_manager".into()], sources, vec![alice])
    }

    /// The place of a ledger's first record.
    fn first() -> Chain {
        Chain { sequence: 1, previous: None, close: Part { part: 1, of: 1 }, sealed: Some(vec![]) }
    }

    #[test]
    fn a_record_reads_back_as_written() {
        let closed = sample();
        let written = closed.to_json(&first());
        let text = &written.text;
        assert!(text.contains("\"amount\": \"7400.00\""), "amounts keep their decimals: {text}");
        let back = Stored::from_json(text).expect("reads");
        assert_eq!(back.record, closed);
        assert_eq!((back.format, back.chain, back.record_sha256), (FORMAT, Some(first()), written.record_sha256));
        assert_eq!(back.record.group("alice", "enterprise_ae").map(|g| g.earned), Some(Decimal::new(1290000, 2)));
        assert!(back.record.group("bob", "enterprise_ae").is_none());
    }

    #[test]
    fn a_period_is_closed_for_the_plans_its_record_lists() {
        let mut other = sample();
        other.plans = vec!["partner".into()];
        let ledger = Ledger::new([sample(), other.clone()]).expect("two records of one name, for different plans");
        assert!(ledger.closed("2026-03", "sales_manager").is_some());
        assert!(ledger.closed("2026-03", "partner").is_some());
        assert!(ledger.closed("2026-03", "sdr").is_none(), "not closed for a plan no record lists");
        assert!(ledger.closed("2026-04", "partner").is_none());
        assert_eq!(ledger.closed_for("partner").collect::<Vec<_>>(), ["2026-03"]);
        assert_eq!(ledger.closed_for("sdr").count(), 0);
        assert_eq!(ledger.records_named("2026-03"), 2);
        let twice = Ledger::new([sample(), sample()]).unwrap_err();
        assert!(twice.contains("closed twice for the plan `enterprise_ae`"), "{twice}");
    }

    #[test]
    fn a_damaged_record_is_refused_with_a_reason() {
        let text = sample().to_json(&first()).text;
        assert!(Closed::from_json(&text.replace("7400.00", "74OO.00"))
            .unwrap_err()
            .contains("`74OO.00` is not an amount"));
        assert!(Closed::from_json(&text.replace("\"format\": 3", "\"format\": 9"))
            .unwrap_err()
            .contains("record format 9"));
        assert!(Closed::from_json("{").unwrap_err().starts_with("not a ledger record"));
    }

    /// The record as JSON, changed by `edit`, written back as `compplan close` lays it out.
    fn edited(closed: &Closed, edit: impl FnOnce(&mut serde_json::Map<String, serde_json::Value>)) -> String {
        let mut value: serde_json::Value = serde_json::from_str(&closed.to_json(&first()).text).expect("JSON");
        edit(value.as_object_mut().expect("an object"));
        serde_json::to_string_pretty(&value).expect("JSON")
    }

    #[test]
    fn a_new_record_is_format_3_and_must_carry_its_own_digest_and_its_chain() {
        let text = sample().to_json(&first()).text;
        assert!(text.contains("\"format\": 3,") && text.contains("\"record_sha256\": \""), "{text}");
        assert!(text.contains("\"chain\": {\n    \"sequence\": 1,\n    \"previous\": null,"), "{text}");
        let without = edited(&sample(), |o| {
            o.remove("record_sha256");
        });
        let error = Closed::from_json(&without).unwrap_err();
        assert_eq!(error, "has no `record_sha256`, which every format-3 record written by `compplan close` carries: it was edited or damaged after it was closed");
        let wrong = edited(&sample(), |o| {
            o.insert("record_sha256".into(), "0".repeat(64).into());
        });
        assert_eq!(
            Closed::from_json(&wrong).unwrap_err(),
            "was changed after it was closed: its content no longer matches its `record_sha256`"
        );
        let no_held = edited(&sample(), |o| {
            o["groups"][0].as_object_mut().expect("a group").remove("held");
        });
        assert_eq!(
            Closed::from_json(&no_held).unwrap_err(),
            "has no `held` for `alice` under `enterprise_ae`: every format-3 record lists what is held"
        );
        // A record without its chain, or an earlier format with one, was edited.
        let mut file: File = serde_json::from_str(&text).expect("a file");
        file.chain = None;
        file.record_sha256 = Some(file.digest());
        let chainless = serde_json::to_string_pretty(&file).expect("JSON");
        assert!(Closed::from_json(&chainless)
            .unwrap_err()
            .starts_with("has no `chain`, which every format-3 record carries"));
        file.chain = Some(first());
        file.format = UNCHAINED;
        file.record_sha256 = Some(file.digest());
        let chained_2 = serde_json::to_string_pretty(&file).expect("JSON");
        assert!(Closed::from_json(&chained_2).unwrap_err().starts_with("is a format-2 record with a `chain`"));
        // A chain that cannot be: record 1 naming a record before it.
        file.format = FORMAT;
        file.chain =
            Some(Chain { previous: Some(Link { file: "x.json".into(), record_sha256: "0".into() }), ..first() });
        file.record_sha256 = Some(file.digest());
        let odd = serde_json::to_string_pretty(&file).expect("JSON");
        assert!(Closed::from_json(&odd)
            .unwrap_err()
            .starts_with("is record 1 of the chain, which names no previous record"));
    }

    /// The record as a format-2 record (before the chain), as the last earlier version wrote it.
    fn format_2(closed: &Closed) -> String {
        let mut file: File = serde_json::from_str(&closed.to_json(&first()).text).expect("a file");
        (file.format, file.chain) = (UNCHAINED, None);
        file.record_sha256 = Some(file.digest());
        serde_json::to_string_pretty(&file).expect("JSON")
    }

    #[test]
    fn records_of_formats_1_and_2_are_read_as_they_were_written() {
        // The oldest shape: no `held`, no digest. It holds nothing and is trusted as recorded.
        let oldest = r#"{
  "format": 1,
  "period": "2026-01",
  "plans": ["ih"],
  "sources": {"compplan": "0.1.0", "plans_sha256": "cb", "data_sha256": "9d"},
  "groups": [
    {"rep": "v", "plan": "ih", "currency": "USD", "earned": "1000.00",
     "rows": [{"name": "commission", "amount": "1000.00"}, {"name": "total", "amount": "1000.00"}],
     "owed": [{"name": "draw", "amount": "250.00"}]}
  ]
}"#;
        let read = Stored::from_json(oldest).expect("a format-1 record without `held` or a digest reads");
        assert_eq!((read.format, read.chain.is_none(), read.record_sha256.len()), (LEGACY, true, 64));
        let v = read.record.group("v", "ih").expect("v's group");
        assert_eq!((v.earned, v.held.clone()), (Decimal::new(100000, 2), vec![]));
        assert_eq!(v.owed, vec![("draw".to_string(), Decimal::new(25000, 2))]);
        assert_eq!(read.record.plans, vec!["ih".to_string()]);

        // Format 2: a digest, no chain. Its digest is what a seal records.
        let two = format_2(&sample());
        let read = Stored::from_json(&two).expect("reads");
        assert_eq!((read.record, read.format), (sample(), UNCHAINED));
        assert!(two.contains(&read.record_sha256));
        assert!(Closed::from_json(&two.replace("\"7400.00\"", "\"7500.00\"")).unwrap_err().starts_with("was changed"));

        // Format 1 with `held` and no digest: the holds are read. Its content's digest differs from the
        // same record's as format 2: a downgrade changes what the seal recorded.
        let with_held = edited(&sample(), |o| {
            o.insert("format".into(), 1.into());
            o.remove("record_sha256");
            o.remove("chain");
        });
        let one = Stored::from_json(&with_held).expect("reads");
        assert_eq!(one.record, sample());
        assert_ne!(one.record_sha256, read.record_sha256);

        // Format 1 with a digest (the last records written as format 1 carried one): it is checked.
        let mut file: File = serde_json::from_str(&two).expect("a file");
        file.format = LEGACY;
        file.record_sha256 = Some(file.digest());
        let signed = serde_json::to_string_pretty(&file).expect("JSON");
        assert_eq!(Closed::from_json(&signed).expect("reads"), sample());
        let tampered = signed.replace("\"7400.00\"", "\"7500.00\"");
        assert!(Closed::from_json(&tampered).unwrap_err().starts_with("was changed after it was closed"));
    }

    #[test]
    fn fingerprints_frame_their_parts() {
        let digest = |parts: &[(&str, &str)]| {
            let mut f = Fingerprint::default();
            for (name, text) in parts {
                f.part(name, text.len() as u64);
                f.update(text.as_bytes());
            }
            f.finish()
        };
        let one = digest(&[("a.csv", "x,y\n"), ("b.csv", "z\n")]);
        assert_eq!(one.len(), 64);
        assert_eq!(one, digest(&[("a.csv", "x,y\n"), ("b.csv", "z\n")]));
        assert_ne!(one, digest(&[("a.csv", "x,y\nz\n"), ("b.csv", "")]), "bytes moved between files");
        assert_ne!(one, digest(&[("a.csv", "x,y\n"), ("c.csv", "z\n")]), "a renamed file");
    }
}
