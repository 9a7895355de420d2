//! Synthetic data and plan workspaces, deterministic from a seed, for demos and benchmarks.
//!
//! `compplan gen` writes data in the bundled example's format: a hierarchy of directors, managers
//! (one per about eight reps) and account executives; a quota for every rep; deals spread over the
//! plan year while their owner is employed, with many small amounts and a few large ones, products,
//! regions and kinds; about 5% split two or three ways, about 1% cancelled (inside and outside the
//! clawback window), about 10% in EUR with monthly rates, and some hires and terminations during
//! the year. The same seed gives the same bytes.

mod random;
mod workspace;

pub use random::Random;
pub use workspace::plans;

use chrono::{Datelike, Days, NaiveDate};
use std::io::{self, Write};

/// What to generate.
#[derive(Clone, Copy, Debug)]
pub struct Spec {
    /// Number of reps (directors, managers and account executives).
    pub reps: usize,
    /// Number of deals.
    pub deals: usize,
    /// The seed.
    pub seed: u64,
    /// The plan year (calendar year; the generated plans start in January).
    pub year: i32,
}

/// The writers of the generated tables.
pub struct Outputs<'a> {
    /// `reps.csv`.
    pub reps: &'a mut dyn Write,
    /// `deals.csv`.
    pub deals: &'a mut dyn Write,
    /// `quotas.csv`.
    pub quotas: &'a mut dyn Write,
    /// `splits.csv`.
    pub splits: &'a mut dyn Write,
    /// `fx.csv`.
    pub fx: &'a mut dyn Write,
}

/// A generated rep.
struct Rep {
    role: &'static str,
    manager: Option<usize>,
    hired: NaiveDate,
    terminated: Option<NaiveDate>,
}

fn id(n: usize) -> String {
    format!("r{n:06}")
}

fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap_or(NaiveDate::MIN)
}

/// Writes a data set; returns the number of rows of each table, for the caller's summary.
pub fn data(spec: Spec, out: Outputs<'_>) -> io::Result<[usize; 5]> {
    let mut rng = Random::new(spec.seed);
    let year = spec.year;
    let start = date(year, 1, 1);
    let end = date(year, 12, 31);
    let managers = (spec.reps / 9).max(1);
    let directors = managers.div_ceil(8).max(1);
    let mut reps: Vec<Rep> = Vec::with_capacity(spec.reps);
    for n in 0..spec.reps {
        let (role, manager) = if n < directors {
            ("Director", None)
        } else if n < directors + managers {
            ("Manager", Some((n - directors) % directors))
        } else {
            ("AE", Some(directors + (n - directors - managers) % managers))
        };
        let roll = rng.below(100);
        let hired = if roll < 5 && role == "AE" {
            start.checked_add_days(Days::new(rng.below(300))).unwrap_or(start)
        } else {
            date(year - 1 - rng.below(6) as i32, 1 + rng.below(12) as u32, 1 + rng.below(28) as u32)
        };
        let terminated = (roll >= 97 && role == "AE")
            .then(|| hired.max(start).checked_add_days(Days::new(60 + rng.below(240))).unwrap_or(end).min(end));
        reps.push(Rep { role, manager, hired, terminated });
    }
    // Quotas follow the bookings a seller can expect, so that attainment spreads around 100%
    // (from about 70% to 150%) and every tier of a plan is reached by someone: a deal averages
    // about 74,800 (see the amounts below) and two in three are not renewals. A manager carries
    // about eight sellers, a director about sixty-four. The target incentive is 5% of the quota,
    // what a 4%/6% plan pays at 100%.
    let seller_count = reps.iter().filter(|r| r.role == "AE").count().max(1) as u64;
    let expected = (spec.deals as u64 / seller_count).max(1) * 74_800 * 2 / 3;
    let quotas: Vec<u64> = reps
        .iter()
        .map(|rep| {
            let team = match rep.role {
                "AE" => 1,
                "Manager" => 8,
                _ => 64,
            };
            (expected * team * (70 + rng.below(81)) / 100 / 50_000).max(1) * 50_000
        })
        .collect();
    writeln!(out.reps, "id,name,role,region,manager,hired,terminated,target_incentive")?;
    const REGIONS: [&str; 3] = ["EMEA", "AMER", "APAC"];
    for (n, rep) in reps.iter().enumerate() {
        writeln!(
            out.reps,
            "{},Rep {n},{},{},{},{},{},{}",
            id(n),
            rep.role,
            REGIONS[n % 3],
            rep.manager.map(id).unwrap_or_default(),
            rep.hired,
            rep.terminated.map(|d| d.to_string()).unwrap_or_default(),
            quotas[n] / 20 / 1_000 * 1_000
        )?;
    }
    writeln!(out.quotas, "rep,year,amount")?;
    for (n, amount) in quotas.iter().enumerate() {
        writeln!(out.quotas, "{},{year},{amount}", id(n))?;
    }
    writeln!(out.fx, "currency,date,rate")?;
    for month in 0..13u32 {
        let (y, m) = if month == 0 { (year - 1, 12) } else { (year, month) };
        writeln!(out.fx, "EUR,{},{}.{:04}", date(y, m, 1), 1, 500 + rng.below(1500))?;
    }
    let sellers: Vec<usize> = (0..reps.len()).filter(|&n| reps[n].role == "AE").collect();
    writeln!(out.deals, "id,owner,amount,currency,closed,product,region,kind,new_logo,cancelled,paid")?;
    writeln!(out.splits, "deal,rep,share")?;
    const PRODUCTS: [&str; 3] = ["Platform", "Add-on", "Services"];
    const KINDS: [&str; 3] = ["new", "upsell", "renewal"];
    let mut split_rows = 0;
    for d in 0..spec.deals {
        let owner = sellers.get(rng.below(sellers.len().max(1) as u64) as usize).copied().unwrap_or(0);
        let rep = &reps[owner];
        let first = rep.hired.max(start);
        let last = rep.terminated.unwrap_or(end).min(end);
        let span = (last - first).num_days().max(0) as u64;
        let closed = first.checked_add_days(Days::new(rng.below(span + 1))).unwrap_or(first);
        // Many small deals and a few large ones: 60% between 1,000 and 10,000, 30% up to 100,000,
        // 10% up to 1,000,000, uniform in cents within each decade.
        let decade = match rng.below(10) {
            0..=5 => 1_000u64,
            6..=8 => 10_000,
            _ => 100_000,
        };
        let cents = decade * 100 + rng.below(decade * 900);
        let euro = rng.below(10) == 0;
        let roll = rng.below(1000);
        let cancelled = match roll {
            0..=5 => closed.checked_add_days(Days::new(5 + rng.below(86))),
            6..=9 => closed.checked_add_days(Days::new(91 + rng.below(120))),
            _ => None,
        };
        let paid = (rng.below(10) < 7).then(|| closed.checked_add_days(Days::new(10 + rng.below(60)))).flatten();
        writeln!(
            out.deals,
            "D{d:08},{},{}.{:02},{},{closed},{},{},{},{},{},{}",
            id(owner),
            cents / 100,
            cents % 100,
            if euro { "EUR" } else { "USD" },
            PRODUCTS[rng.below(3) as usize],
            REGIONS[closed.ordinal() as usize % 3],
            KINDS[rng.below(3) as usize],
            rng.below(5) == 0,
            cancelled.map(|c| c.to_string()).unwrap_or_default(),
            paid.map(|p| p.to_string()).unwrap_or_default(),
        )?;
        if rng.below(20) == 0 && sellers.len() > 3 {
            let shares: &[u32] = match rng.below(3) {
                0 => &[50, 50],
                1 => &[60, 40],
                _ => &[40, 30, 30],
            };
            // The owner keeps the first share; the others go to other sellers.
            let mut members = vec![owner];
            while members.len() < shares.len() {
                let other = sellers[rng.below(sellers.len() as u64) as usize];
                if !members.contains(&other) {
                    members.push(other);
                }
            }
            for (member, share) in members.iter().zip(shares) {
                writeln!(out.splits, "D{d:08},{},{share}", id(*member))?;
                split_rows += 1;
            }
        }
    }
    Ok([reps.len(), spec.deals, reps.len(), split_rows, 13])
}
