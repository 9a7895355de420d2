//! The ledger of closed pay periods: what was paid, as recorded when each period was closed.
//!
//! `compplan close` records a period's payouts, one file per period (`2026-03.json`), never
//! rewritten. `compplan run --ledger` takes closed periods as recorded: it still recomputes them (a
//! year-to-date line needs the history), and pays any difference between the recomputation and the
//! record in the next open period, as an `adjustment` line. History is never rewritten.
//!
//! This module is pure: it turns records into text and back, and fingerprints the plans and data a
//! record was made from. Reading and writing the files is the command line's job.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::str::FromStr;

/// The version of the record format, written in every file. Format 2 carries a SHA-256 of the
/// record itself, checked when it is read. Format 1, written by earlier versions of compplan, is
/// still read: it may have no digest (and, older still, no `held`), and is trusted as it was.
pub const FORMAT: u32 = 2;

/// The record format before the record's own digest was required.
const LEGACY: u32 = 1;

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

    /// The record as the text of its file: JSON, amounts as strings, in a stable order.
    pub fn to_json(&self) -> String {
        let mut file = File {
            format: FORMAT,
            period: self.period.clone(),
            plans: self.plans.clone(),
            sources: self.sources.clone(),
            groups: self
                .groups
                .iter()
                .map(|g| FileGroup {
                    rep: g.rep.clone(),
                    plan: g.plan.clone(),
                    currency: g.currency.clone(),
                    earned: g.earned.to_string(),
                    rows: g.rows.iter().map(|(c, a)| FileAmount { name: c.clone(), amount: a.to_string() }).collect(),
                    owed: g.owed.iter().map(|(w, a)| FileAmount { name: w.clone(), amount: a.to_string() }).collect(),
                    held: Some(
                        g.held.iter().map(|(w, a)| FileAmount { name: w.clone(), amount: a.to_string() }).collect(),
                    ),
                })
                .collect(),
            record_sha256: None,
        };
        file.record_sha256 = Some(file.digest());
        let mut text = serde_json::to_string_pretty(&file).unwrap_or_default();
        text.push('\n');
        text
    }

    /// Reads a record; the error says what is wrong with it. A format-2 record must match its own
    /// `record_sha256`; a format-1 record is read as earlier versions wrote it (its digest, if it
    /// has one, is still checked).
    pub fn from_json(text: &str) -> Result<Closed, String> {
        let mut file: File = serde_json::from_str(text).map_err(|e| format!("not a ledger record: {e}"))?;
        if file.format != FORMAT && file.format != LEGACY {
            return Err(format!(
                "has record format {}, which this compplan does not read (it reads formats {LEGACY} and {FORMAT})",
                file.format
            ));
        }
        let amount = |text: &str| Decimal::from_str(text).map_err(|_| format!("`{text}` is not an amount"));
        let mut groups = Vec::with_capacity(file.groups.len());
        for g in &file.groups {
            let rows =
                g.rows.iter().map(|r| Ok((r.name.clone(), amount(&r.amount)?))).collect::<Result<_, String>>()?;
            let owed =
                g.owed.iter().map(|r| Ok((r.name.clone(), amount(&r.amount)?))).collect::<Result<_, String>>()?;
            let held = match (&g.held, file.format) {
                (Some(held), _) => {
                    held.iter().map(|r| Ok((r.name.clone(), amount(&r.amount)?))).collect::<Result<_, String>>()?
                }
                // Format-1 records written before holds existed held nothing.
                (None, LEGACY) => Vec::new(),
                (None, _) => {
                    return Err(format!(
                        "has no `held` for `{}` under `{}`: every format-{FORMAT} record lists what is held",
                        g.rep, g.plan
                    ))
                }
            };
            groups.push(Recorded {
                rep: g.rep.clone(),
                plan: g.plan.clone(),
                currency: g.currency.clone(),
                earned: amount(&g.earned)?,
                rows,
                owed,
                held,
            });
        }
        match (file.record_sha256.take(), file.format) {
            (Some(claimed), _) if file.digest() != claimed => {
                return Err("was changed after it was closed: its content no longer matches its `record_sha256`".to_string());
            }
            (Some(_), _) | (None, LEGACY) => {}
            (None, _) => {
                return Err(format!(
                    "has no `record_sha256`, which every format-{FORMAT} record written by `compplan close` carries: it was edited or damaged after it was closed"
                ))
            }
        }
        Ok(Closed::new(file.period, file.plans, file.sources, groups))
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

    #[test]
    fn a_record_reads_back_as_written() {
        let closed = sample();
        let text = closed.to_json();
        assert!(text.contains("\"amount\": \"7400.00\""), "amounts keep their decimals: {text}");
        let back = Closed::from_json(&text).expect("reads");
        assert_eq!(back, closed);
        assert_eq!(back.group("alice", "enterprise_ae").map(|g| g.earned), Some(Decimal::new(1290000, 2)));
        assert!(back.group("bob", "enterprise_ae").is_none());
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
        let text = sample().to_json();
        assert!(Closed::from_json(&text.replace("7400.00", "74OO.00"))
            .unwrap_err()
            .contains("`74OO.00` is not an amount"));
        assert!(Closed::from_json(&text.replace("\"format\": 2", "\"format\": 9"))
            .unwrap_err()
            .contains("record format 9"));
        assert!(Closed::from_json("{").unwrap_err().starts_with("not a ledger record"));
    }

    /// The record as JSON, changed by `edit`, written back as `compplan close` lays it out.
    fn edited(closed: &Closed, edit: impl FnOnce(&mut serde_json::Map<String, serde_json::Value>)) -> String {
        let mut value: serde_json::Value = serde_json::from_str(&closed.to_json()).expect("JSON");
        edit(value.as_object_mut().expect("an object"));
        serde_json::to_string_pretty(&value).expect("JSON")
    }

    #[test]
    fn a_new_record_is_format_2_and_must_carry_its_own_digest() {
        let text = sample().to_json();
        assert!(text.contains("\"format\": 2,") && text.contains("\"record_sha256\": \""), "{text}");
        let without = edited(&sample(), |o| {
            o.remove("record_sha256");
        });
        let error = Closed::from_json(&without).unwrap_err();
        assert_eq!(error, "has no `record_sha256`, which every format-2 record written by `compplan close` carries: it was edited or damaged after it was closed");
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
            "has no `held` for `alice` under `enterprise_ae`: every format-2 record lists what is held"
        );
    }

    #[test]
    fn format_1_records_are_read_as_they_were_written() {
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
        let read = Closed::from_json(oldest).expect("a format-1 record without `held` or a digest reads");
        let v = read.group("v", "ih").expect("v's group");
        assert_eq!((v.earned, v.held.clone()), (Decimal::new(100000, 2), vec![]));
        assert_eq!(v.owed, vec![("draw".to_string(), Decimal::new(25000, 2))]);
        assert_eq!(read.plans, vec!["ih".to_string()]);

        // Format 1 with `held` and no digest: the holds are read.
        let with_held = edited(&sample(), |o| {
            o.insert("format".into(), 1.into());
            o.remove("record_sha256");
        });
        assert_eq!(Closed::from_json(&with_held).expect("reads"), sample());

        // Format 1 with a digest (the last records written as format 1 carried one): it is checked.
        let mut file: File = serde_json::from_str(&sample().to_json()).expect("a file");
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
