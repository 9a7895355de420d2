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
    let reps = hierarchy(spec, &mut rng);
    let quotas = quotas(spec, &reps, &mut rng);
    write_reps(out.reps, &reps, &quotas)?;
    writeln!(out.quotas, "rep,year,amount")?;
    for (n, amount) in quotas.iter().enumerate() {
        writeln!(out.quotas, "{},{},{amount}", id(n), spec.year)?;
    }
    write_fx(out.fx, spec.year, &mut rng)?;
    let split_rows = write_deals(spec, &reps, &mut rng, out.deals, out.splits)?;
    Ok([reps.len(), spec.deals, reps.len(), split_rows, 13])
}

/// The reps: directors, managers (one per about eight reps) and account executives, each reporting
/// to the level above; about 5% of the executives hired during the year and 3% leaving in it.
fn hierarchy(spec: Spec, rng: &mut Random) -> Vec<Rep> {
    let year = spec.year;
    let (start, end) = (date(year, 1, 1), date(year, 12, 31));
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
    reps
}

/// Each rep's quota for the year.
///
/// Quotas follow the bookings a seller can expect, so that attainment spreads around 100% (from
/// about 70% to 150%) and every tier of a plan is reached by someone: a deal averages about 74,800
/// (see [`deal`]) and two in three are not renewals. A manager carries about eight sellers, a
/// director about sixty-four.
fn quotas(spec: Spec, reps: &[Rep], rng: &mut Random) -> Vec<u64> {
    let seller_count = reps.iter().filter(|r| r.role == "AE").count().max(1) as u64;
    let expected = (spec.deals as u64 / seller_count).max(1) * 74_800 * 2 / 3;
    reps.iter()
        .map(|rep| {
            let team = match rep.role {
                "AE" => 1,
                "Manager" => 8,
                _ => 64,
            };
            (expected * team * (70 + rng.below(81)) / 100 / 50_000).max(1) * 50_000
        })
        .collect()
}

const REGIONS: [&str; 3] = ["EMEA", "AMER", "APAC"];

/// `reps.csv`. The target incentive is 5% of the quota, what a 4%/6% plan pays at 100%.
fn write_reps(out: &mut dyn Write, reps: &[Rep], quotas: &[u64]) -> io::Result<()> {
    writeln!(out, "id,name,role,region,manager,hired,terminated,target_incentive")?;
    for (n, rep) in reps.iter().enumerate() {
        writeln!(
            out,
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
    Ok(())
}

/// `fx.csv`: a EUR rate on the first of each month, from the December before the year.
fn write_fx(out: &mut dyn Write, year: i32, rng: &mut Random) -> io::Result<()> {
    writeln!(out, "currency,date,rate")?;
    for month in 0..13u32 {
        let (y, m) = if month == 0 { (year - 1, 12) } else { (year, month) };
        writeln!(out, "EUR,{},{}.{:04}", date(y, m, 1), 1, 500 + rng.below(1500))?;
    }
    Ok(())
}

/// A generated deal.
struct Deal {
    owner: usize,
    closed: NaiveDate,
    cents: u64,
    euro: bool,
    cancelled: Option<NaiveDate>,
    paid: Option<NaiveDate>,
    product: &'static str,
    kind: &'static str,
    new_logo: bool,
}

/// A deal of a seller, closed while they are employed: many small amounts and a few large ones,
/// about 10% in EUR, about 1% cancelled (inside and outside the clawback window), 70% paid.
fn deal(rng: &mut Random, reps: &[Rep], sellers: &[usize], (start, end): (NaiveDate, NaiveDate)) -> Deal {
    const PRODUCTS: [&str; 3] = ["Platform", "Add-on", "Services"];
    const KINDS: [&str; 3] = ["new", "upsell", "renewal"];
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
    let cancelled = match rng.below(1000) {
        0..=5 => closed.checked_add_days(Days::new(5 + rng.below(86))),
        6..=9 => closed.checked_add_days(Days::new(91 + rng.below(120))),
        _ => None,
    };
    let paid = (rng.below(10) < 7).then(|| closed.checked_add_days(Days::new(10 + rng.below(60)))).flatten();
    let product = PRODUCTS[rng.below(3) as usize];
    let kind = KINDS[rng.below(3) as usize];
    let new_logo = rng.below(5) == 0;
    Deal { owner, closed, cents, euro, cancelled, paid, product, kind, new_logo }
}

/// About 5% of deals are split two or three ways: the owner keeps the first share, the others go
/// to other sellers. Each member with their share (in percent).
fn split(rng: &mut Random, owner: usize, sellers: &[usize]) -> Option<Vec<(usize, u32)>> {
    if rng.below(20) != 0 || sellers.len() <= 3 {
        return None;
    }
    let shares: &[u32] = match rng.below(3) {
        0 => &[50, 50],
        1 => &[60, 40],
        _ => &[40, 30, 30],
    };
    let mut members = vec![owner];
    while members.len() < shares.len() {
        let other = sellers[rng.below(sellers.len() as u64) as usize];
        if !members.contains(&other) {
            members.push(other);
        }
    }
    Some(members.into_iter().zip(shares.iter().copied()).collect())
}

/// `deals.csv` and `splits.csv`; returns the number of split rows.
fn write_deals(
    spec: Spec,
    reps: &[Rep],
    rng: &mut Random,
    deals: &mut dyn Write,
    splits: &mut dyn Write,
) -> io::Result<usize> {
    let year = (date(spec.year, 1, 1), date(spec.year, 12, 31));
    let sellers: Vec<usize> = (0..reps.len()).filter(|&n| reps[n].role == "AE").collect();
    writeln!(deals, "id,owner,amount,currency,closed,product,region,kind,new_logo,cancelled,paid")?;
    writeln!(splits, "deal,rep,share")?;
    let mut split_rows = 0;
    for d in 0..spec.deals {
        let deal = deal(rng, reps, &sellers, year);
        writeln!(
            deals,
            "D{d:08},{},{}.{:02},{},{},{},{},{},{},{},{}",
            id(deal.owner),
            deal.cents / 100,
            deal.cents % 100,
            if deal.euro { "EUR" } else { "USD" },
            deal.closed,
            deal.product,
            REGIONS[deal.closed.ordinal() as usize % 3],
            deal.kind,
            deal.new_logo,
            deal.cancelled.map(|c| c.to_string()).unwrap_or_default(),
            deal.paid.map(|p| p.to_string()).unwrap_or_default(),
        )?;
        for (member, share) in split(rng, deal.owner, &sellers).unwrap_or_default() {
            writeln!(splits, "D{d:08},{},{share}", id(member))?;
            split_rows += 1;
        }
    }
    Ok(split_rows)
}
