//! Credit: which rep gets credit for which deal, and how much — owner, splits, territories, rollup
//! to every manager above, and reversals of deals cancelled inside the clawback window.
//!
//! Credit is exact: converted amounts are exact products, never rounded.

use super::interp::{territory_blank, territory_matches, DealContext};
use super::period::{month_of, Month};
use super::row_programs::Atoms;
use crate::data::{Dataset, DealIdx, RepIdx, Sym};
use crate::diagnostics::{codes, Diagnostic, Location};
use crate::model::{self, ColumnType, IdVec, TerritoryId};
use crate::num::{exact_mul, Ratio};
use chrono::NaiveDate;
use rust_decimal::Decimal;

mod index;

use index::{hierarchy_below, rate_index, split_index, territory_index, Rates, SplitIndex};

/// The kinds of credit, as `credit.kind` names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// The deal's owner.
    Direct,
    /// A rep named in the split table.
    Split,
    /// A rep whose territory the deal matches.
    Territory,
    /// A manager above a credited rep.
    Rollup,
}

impl Kind {
    /// The name `credit.kind` compares with.
    pub fn name(self) -> &'static str {
        model::CREDIT_KINDS[self as usize]
    }
}

/// The day a deal is reversed: the day it is cancelled, when that is inside its clawback window (day
/// N included). Credit and the holds on the deal both follow it.
pub fn reversal_day(rules: &model::Crediting, data: &Dataset, deal: DealIdx) -> Option<NaiveDate> {
    let c = rules.clawback.as_ref()?;
    let when = data.date(c.cancelled, deal)?;
    let Some(window) = &c.window else { return Some(when) };
    let from = data.date(window.from, deal)?;
    ((when - from).num_days() <= i64::from(window.days)).then_some(when)
}

/// The part of each credit a reversal takes back (1 without a partial clawback).
pub fn reversed_part(rules: Option<&model::Crediting>) -> Decimal {
    rules.and_then(|r| r.clawback.as_ref()).map_or(Decimal::ONE, |c| c.part)
}

/// The credit row a reversal takes back, with the amount it was credited: the reversal's amount is
/// that amount times the part reversed, negated. Dated on `date`, the day the deal was credited.
pub fn original_of(rules: Option<&model::Crediting>, reversal: &CreditRow, date: NaiveDate) -> Option<CreditRow> {
    let part = reversed_part(rules);
    let amount = if part == Decimal::ONE {
        -reversal.amount
    } else {
        let whole = Ratio::from_decimal(reversal.amount).checked_div(Ratio::from_decimal(-part)).ok()??;
        whole.to_decimal()?
    };
    Some(CreditRow { amount, reversal: false, date, month: month_of(date), ..*reversal })
}

/// One credit row of a rep.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CreditRow {
    /// The deal.
    pub deal: DealIdx,
    /// The day it is dated: the close date, or the cancellation date for a reversal.
    pub date: NaiveDate,
    /// The month of `date`.
    pub month: Month,
    /// The credited amount in the credit currency (negative for a reversal).
    pub amount: Decimal,
    /// The rep's share of the deal (a fraction; 1 for direct, territory and rollup of direct).
    pub share: Decimal,
    /// The deal's conditions computed once (see `row_programs::Atoms`).
    pub flags: u32,
    /// The conditions that could not be computed for this deal (an empty optional cell): where one
    /// is read, it is evaluated again to report why.
    pub faulty: u32,
    /// How the rep is credited.
    pub kind: Kind,
    /// True for the reversal of a cancelled deal.
    pub reversal: bool,
}

/// Every rep's credit, computed in parallel over chunks of deals: each chunk holds its rows ordered
/// by rep (then by deal). Rollup credit is not stored: a manager's rollup rows are the direct, split
/// and territory rows of every rep below them, read through [`Credits::for_each`]. That keeps memory
/// proportional to the deals, whatever the depth of the hierarchy.
#[derive(Debug, Default)]
pub struct Credits {
    chunks: Vec<Chunk>,
    /// Every rep below each rep in the hierarchy (empty without a rollup rule).
    pub below: IdVec<RepIdx, Vec<RepIdx>>,
}

/// The credit rows of one chunk of deals, ordered by rep.
#[derive(Debug, Default)]
struct Chunk {
    rows: Vec<CreditRow>,
    /// Where each rep's rows start in `rows` (one more entry than reps).
    start: Vec<u32>,
}

impl Chunk {
    fn own(&self, rep: RepIdx) -> &[CreditRow] {
        match (self.start.get(rep.index()), self.start.get(rep.index() + 1)) {
            (Some(&a), Some(&b)) => &self.rows[a as usize..b as usize],
            _ => &[],
        }
    }
}

impl Credits {
    /// A rep's own rows (direct, split, territory, and their reversals), in deal order.
    pub fn own(&self, rep: RepIdx) -> impl Iterator<Item = &CreditRow> {
        self.chunks.iter().flat_map(move |c| c.own(rep).iter())
    }

    /// Calls `f` on every credit row of a rep: their own rows, then a rollup row for each row of
    /// every rep below them.
    pub fn for_each<E>(&self, rep: RepIdx, mut f: impl FnMut(&CreditRow) -> Result<(), E>) -> Result<(), E> {
        self.for_each_from(rep, |_, row| f(row))
    }

    /// [`Credits::for_each`], also naming the rep each row was first credited to (the rep below, for
    /// a rollup row), for `explain`.
    pub fn for_each_from<E>(
        &self,
        rep: RepIdx,
        mut f: impl FnMut(RepIdx, &CreditRow) -> Result<(), E>,
    ) -> Result<(), E> {
        for row in self.own(rep) {
            f(rep, row)?;
        }
        for &below in self.below.get(rep).map_or(&[][..], |r| &r[..]) {
            for row in self.own(below) {
                f(below, &CreditRow { kind: Kind::Rollup, ..*row })?;
            }
        }
        Ok(())
    }
}

/// What a credit computation reads, built once.
struct Setup<'a> {
    ws: &'a model::Workspace,
    rules: &'a model::Crediting,
    data: &'a Dataset,
    rates: Rates,
    splits: SplitIndex,
    territories: Vec<(TerritoryId, Vec<RepIdx>)>,
    currency: (Option<model::ColumnId>, Option<Sym>),
    atoms: &'a Atoms<'a>,
}

impl Setup<'_> {
    /// Who a deal credits: rep, share and kind; a territory whose condition cannot be decided for
    /// the deal is a problem about the cell it could not read.
    fn recipients(&self, deal: DealIdx, out: &mut Vec<(RepIdx, Decimal, Kind)>) -> Result<(), Diagnostic> {
        out.clear();
        let owner = self.data.reference(self.rules.owner, deal).map(RepIdx::of_row);
        match self.splits.of(deal) {
            Some(shares) => {
                if self.rules.splits.as_ref().is_some_and(|s| s.overlay) {
                    out.extend(owner.map(|o| (o, Decimal::ONE, Kind::Direct)));
                }
                out.extend(shares.iter().map(|&(rep, share)| (rep, share, Kind::Split)));
            }
            None => out.extend(owner.map(|o| (o, Decimal::ONE, Kind::Direct))),
        }
        for (territory, reps_in_territory) in &self.territories {
            let matches = territory_matches(self.ws, self.data, *territory, deal)
                .map_err(|fault| self.undecided(*territory, deal, fault))?;
            if matches {
                out.extend(reps_in_territory.iter().map(|&rep| (rep, Decimal::ONE, Kind::Territory)));
            }
        }
        // An optional owner may be empty on a deal that split rows or territories credit; a deal
        // nothing credits would be paid to nobody.
        if owner.is_none() && out.is_empty() {
            return Err(self.empty_cell(
                self.rules.owner,
                deal,
                "this deal has no owner, and no split row or territory credits it".to_string(),
                "fill in the owner, or give the deal its split rows: a deal credited to nobody is paid to nobody",
            ));
        }
        Ok(())
    }

    /// A problem about an empty cell of a deal that a crediting rule needs (E0803).
    #[cold]
    #[inline(never)]
    fn empty_cell(&self, column: model::ColumnId, deal: DealIdx, message: String, help: &str) -> Diagnostic {
        let name = &self.ws.schema.column(column).name;
        let d = Diagnostic::new(&codes::MISSING_ROW_DATA, message).help(help);
        d.at(Location::Row { column, row: deal.row() }, format!("`{name}` is empty"))
    }

    /// A cancelled deal whose clawback window starts on a date that is empty: whether the
    /// cancellation falls inside the window cannot be told, and the deal would keep its credit.
    fn window_start_missing(&self, deal: DealIdx) -> Option<Diagnostic> {
        let c = self.rules.clawback.as_ref()?;
        let window = c.window.as_ref()?;
        if self.data.date(c.cancelled, deal).is_none() || self.data.date(window.from, deal).is_some() {
            return None;
        }
        Some(self.no_window_start(window, deal))
    }

    #[cold]
    #[inline(never)]
    fn no_window_start(&self, window: &model::ClawbackWindow, deal: DealIdx) -> Diagnostic {
        let from = &self.ws.schema.column(window.from).name;
        self.empty_cell(
            window.from,
            deal,
            format!("this deal is cancelled, but `{from}`, the day its clawback window counts from, is empty"),
            &format!(
                "fill in `{from}`: without it, whether the cancellation falls within {} days cannot be told, and the deal would keep its credit",
                window.days
            ),
        )
    }

    /// A territory condition that could not be decided for a deal, placed at the cell it could not
    /// read (or at the deal's date, when no single cell is to blame).
    fn undecided(&self, territory: TerritoryId, deal: DealIdx, fault: super::error::Fault) -> Diagnostic {
        let name = self.ws.territories.get(territory).map_or("?", |t| t.name.as_str());
        let column = territory_blank(self.ws, self.data, territory, deal).unwrap_or(self.rules.date);
        let d = Diagnostic::new(
            fault.code,
            format!("the territory `{name}` cannot be decided for this deal: {}", fault.message),
        )
        .help(
            fault
                .help
                .unwrap_or_else(|| "fill in the cell, or test it in the territory's condition (`… is empty`)".into()),
        );
        d.at(Location::Row { column, row: deal.row() }, format!("read by the territory `{name}`"))
    }

    fn cancelled_in_window(&self, deal: DealIdx) -> Option<NaiveDate> {
        reversal_day(self.rules, self.data, deal)
    }

    /// A deal's credit date and amount in the credit currency, or `None` when its credit date is
    /// empty: the one empty cell that leaves a deal out (not credited until it has one). Any other
    /// empty cell the rules need is a problem about that cell.
    fn credited(&self, deal: DealIdx) -> Result<Option<(NaiveDate, Decimal)>, Diagnostic> {
        let Some(closed) = self.data.date(self.rules.date, deal) else { return Ok(None) };
        // The amount column cannot be optional (the checker refuses it): an empty one is never read
        // as "no credit".
        let Some(raw) = self.data.number(self.rules.amount, deal) else {
            return Err(self.empty_cell(
                self.rules.amount,
                deal,
                "this deal's amount is empty".to_string(),
                "fill in the amount",
            ));
        };
        if let Some(pending) = self.window_start_missing(deal) {
            return Err(pending);
        }
        Ok(Some((closed, self.convert(deal, raw)?)))
    }

    /// The credit rows of a range of deals, ordered by rep.
    fn chunk(&self, deals: std::ops::Range<usize>, reps: usize) -> Result<Chunk, Vec<Diagnostic>> {
        // The recipients of a deal, kept in one buffer for every deal.
        let mut credited: Vec<(RepIdx, Decimal, Kind)> = Vec::new();
        let start = self.row_starts(deals.clone(), reps, &mut credited);
        let blank = CreditRow {
            deal: DealIdx::new(0),
            date: NaiveDate::MIN,
            month: 0,
            amount: Decimal::ZERO,
            share: Decimal::ZERO,
            flags: 0,
            faulty: 0,
            kind: Kind::Direct,
            reversal: false,
        };
        let mut rows = vec![blank; start[reps] as usize];
        let errors = self.fill(deals, &start, &mut rows, &mut credited);
        if errors.is_empty() {
            Ok(Chunk { rows, start })
        } else {
            Err(errors)
        }
    }

    /// Where each rep's rows start among the credit rows of these deals (one more entry than
    /// reps): how many rows each rep gets is counted first, so that the rows go into an array of
    /// exact size.
    fn row_starts(
        &self,
        deals: std::ops::Range<usize>,
        reps: usize,
        credited: &mut Vec<(RepIdx, Decimal, Kind)>,
    ) -> Vec<u32> {
        let (rules, data) = (self.rules, self.data);
        let mut start = vec![0u32; reps + 1];
        for deal in DealIdx::range(deals) {
            // A deal whose credit date is empty is not credited (see `credited`); other empty cells
            // are reported when the rows are written.
            if data.date(rules.date, deal).is_none() || data.number(rules.amount, deal).is_none() {
                continue;
            }
            let rows_per_recipient = 1 + u32::from(self.cancelled_in_window(deal).is_some());
            // A deal whose recipients cannot be decided is reported when the rows are written.
            if self.recipients(deal, credited).is_err() {
                continue;
            }
            for &(rep, _, _) in credited.iter() {
                if let Some(count) = start.get_mut(rep.index() + 1) {
                    *count += rows_per_recipient;
                }
            }
        }
        for i in 1..start.len() {
            start[i] += start[i - 1];
        }
        start
    }

    /// Writes the credit rows of these deals into `rows`, each rep's from its start: a row for each
    /// recipient, followed by its reversal when the deal is cancelled inside the clawback window.
    /// Returns the problems found, one per cell.
    fn fill(
        &self,
        deals: std::ops::Range<usize>,
        start: &[u32],
        rows: &mut [CreditRow],
        credited: &mut Vec<(RepIdx, Decimal, Kind)>,
    ) -> Vec<Diagnostic> {
        let mut cursor = start.to_vec();
        let context = DealContext::new(self.ws, self.data);
        let mut errors = Vec::new();
        for deal in DealIdx::range(deals) {
            let (closed, amount) = match self.credited(deal) {
                Ok(Some(credited)) => credited,
                Ok(None) => continue,
                Err(pending) => {
                    errors.push(pending);
                    continue;
                }
            };
            let (flags, faulty) = if self.atoms.is_empty() { (0, 0) } else { self.atoms.flags(&context, deal) };
            let cancelled = self.cancelled_in_window(deal);
            if let Err(pending) = self.recipients(deal, credited) {
                errors.push(pending);
                continue;
            }
            for &(rep, share, kind) in credited.iter() {
                let Some(amount) = (if kind == Kind::Split { exact_mul(amount, share) } else { Some(amount) }) else {
                    errors.push(self.split_overflow(deal, "split"));
                    continue;
                };
                let Some(at) = cursor.get_mut(rep.index()) else { continue };
                let row = CreditRow {
                    deal,
                    date: closed,
                    month: month_of(closed),
                    amount,
                    share,
                    flags,
                    faulty,
                    kind,
                    reversal: false,
                };
                rows[*at as usize] = row;
                *at += 1;
                if let Some(when) = cancelled {
                    let Some(reversed) = self.reversed(amount) else {
                        errors.push(self.split_overflow(deal, "reversed"));
                        continue;
                    };
                    rows[*at as usize] =
                        CreditRow { date: when, month: month_of(when), amount: reversed, reversal: true, ..row };
                    *at += 1;
                }
            }
        }
        errors
    }

    /// The amount a reversal of a credit of `amount` carries: all of it, or the part a partial
    /// clawback reverses, negated; `None` when the part cannot stay exact.
    fn reversed(&self, amount: Decimal) -> Option<Decimal> {
        let part = reversed_part(Some(self.rules));
        if part == Decimal::ONE {
            return Some(-amount);
        }
        exact_mul(amount, part).map(|r| -r)
    }

    /// A deal's split or reversed amount that cannot stay exact.
    #[cold]
    fn split_overflow(&self, deal: DealIdx, what: &str) -> Diagnostic {
        let d = Diagnostic::new(&codes::OVERFLOW, format!("the {what} amount has too many digits to stay exact"));
        d.at(Location::Row { column: self.rules.amount, row: deal.row() }, "this deal's amount".to_string())
    }
}

/// Computes all credit, in parallel over chunks of deals. Problems (a missing exchange rate, a deal
/// in a currency no rule converts) are data problems about one cell each.
pub fn compute(ws: &model::Workspace, data: &Dataset, atoms: &Atoms<'_>) -> Result<Credits, Vec<Diagnostic>> {
    use rayon::prelude::*;
    let Some(rules) = &ws.crediting else { return Ok(Credits::default()) };
    let reps = data.tables[rules.reps].rows;
    let deals = data.tables[rules.deals].rows;
    // The credit currency was decided once, by the checker, for every plan.
    let target: Option<Sym> = rules.currency.as_deref().and_then(|c| data.strings.get(c));
    let currency_column = match (&rules.convert, &ws.schema.column(rules.amount).ty) {
        (Some(c), _) => Some(c.deal_currency),
        (None, ColumnType::MoneyIn(c)) => Some(model::ColumnId { table: rules.deals, column: *c }),
        _ => None,
    };
    let setup = Setup {
        ws,
        rules,
        data,
        rates: rate_index(rules, data),
        splits: split_index(rules, data),
        territories: territory_index(ws, rules, data),
        currency: (currency_column, target),
        atoms,
    };
    const CHUNK: usize = 1 << 19;
    let ranges: Vec<std::ops::Range<usize>> =
        (0..deals.div_ceil(CHUNK).max(1)).map(|i| i * CHUNK..((i + 1) * CHUNK).min(deals)).collect();
    let results: Vec<Result<Chunk, Vec<Diagnostic>>> =
        ranges.into_par_iter().map(|range| setup.chunk(range, reps)).collect();
    let mut chunks = Vec::with_capacity(results.len());
    let mut errors = Vec::new();
    for result in results {
        match result {
            Ok(chunk) => chunks.push(chunk),
            Err(e) => errors.extend(e),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let below = match rules.rollup {
        Some(manager) => hierarchy_below(data, manager, reps),
        None => IdVec::new(),
    };
    Ok(Credits { chunks, below })
}

impl Setup<'_> {
    /// A deal's amount in the credit currency: the latest rate dated on or before the deal's date.
    fn convert(&self, deal: DealIdx, amount: Decimal) -> Result<Decimal, Diagnostic> {
        let (rules, data) = (self.rules, self.data);
        let (Some(currency_column), target) = self.currency else { return Ok(amount) };
        // The currency column cannot be optional (the checker refuses it): an empty one is never
        // read as the credit currency.
        let Some(currency) = data.sym(currency_column, deal) else {
            return Err(self.empty_cell(
                currency_column,
                deal,
                "this deal's currency is empty".to_string(),
                "fill in the currency of the deal's amount",
            ));
        };
        if Some(currency) == target {
            return Ok(amount);
        }
        let code = data.strings.text(currency).to_string();
        let Some(convert) = &rules.convert else {
            let d = Diagnostic::new(&codes::NO_CONVERSION, format!("this deal is in {code}, and no rule converts it"))
                .help("add `convert deal.amount to CUR using fx on deal.closed` to the credit block, or record the deal in the plan currency");
            return Err(
                d.at(Location::Row { column: currency_column, row: deal.row() }, "not the plan currency".to_string())
            );
        };
        let Some(on) = data.date(convert.date, deal) else {
            let date = &self.ws.schema.column(convert.date).name;
            return Err(self.empty_cell(
                convert.date,
                deal,
                format!("this deal is in {code} and converted at its `{date}` date, which is empty"),
                &format!("fill in `{date}`: the deal is converted at the rate of that day"),
            ));
        };
        let rate = self.rates.get(&currency).and_then(|list| {
            let index = list.partition_point(|(d, _)| *d <= on);
            index.checked_sub(1).map(|i| list[i].1)
        });
        let Some(rate) = rate else {
            let d = Diagnostic::new(&codes::MISSING_FX_RATE, format!("no {code} rate is dated on or before {on}"))
                .help(format!("add a {code} rate effective on or before {on} to the rates table"));
            return Err(d.at(
                Location::Row { column: currency_column, row: deal.row() },
                format!("converted at the rate of {on}"),
            ));
        };
        exact_mul(amount, rate).ok_or_else(|| {
            let d = Diagnostic::new(&codes::OVERFLOW, "the converted amount has too many digits to stay exact");
            d.at(Location::Row { column: currency_column, row: deal.row() }, "this deal".to_string())
        })
    }
}
