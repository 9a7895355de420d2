//! Credit: which rep gets credit for which deal, and how much — owner, splits, territories, rollup
//! to every manager above, and reversals of deals cancelled inside the clawback window.
//!
//! Credit is exact: converted amounts are exact products, never rounded.

use super::exact::exact_mul;
use super::interp::territory_matches;
use super::period::{month_of, Month};
use crate::data::{Dataset, Pending, Sym};
use crate::diagnostics::{codes, LocatedDiagnostic};
use crate::model::{self, ColumnType};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use rustc_hash::FxHashMap as HashMap;

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

/// One credit row of a rep.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CreditRow {
    /// The deal's row.
    pub deal: u32,
    /// The day it is dated: the close date, or the cancellation date for a reversal.
    pub date: NaiveDate,
    /// The day the deal's original credit was dated (the close date), also on a reversal.
    pub closed: NaiveDate,
    /// The month of `date`.
    pub month: Month,
    /// The credited amount in the credit currency (negative for a reversal).
    pub amount: Decimal,
    /// The rep's share of the deal (a fraction; 1 for direct, territory and rollup of direct).
    pub share: Decimal,
    /// How the rep is credited.
    pub kind: Kind,
    /// True for the reversal of a cancelled deal.
    pub reversal: bool,
}

/// Every rep's credit. Rollup credit is not stored: a manager's rollup rows are the direct, split and
/// territory rows of every rep below them, read through [`Credits::for_each`]. That keeps memory
/// proportional to the deals, whatever the depth of the hierarchy.
#[derive(Debug, Default)]
pub struct Credits {
    /// Each rep's own rows (direct, split, territory, and their reversals), in deal order.
    pub own: Vec<Vec<CreditRow>>,
    /// Every rep below each rep in the hierarchy (empty without a rollup rule).
    pub below: Vec<Vec<u32>>,
}

impl Credits {
    /// Calls `f` on every credit row of a rep: their own rows, then a rollup row for each row of
    /// every rep below them.
    pub fn for_each<E>(&self, rep: u32, mut f: impl FnMut(&CreditRow) -> Result<(), E>) -> Result<(), E> {
        for row in self.own.get(rep as usize).map_or(&[][..], |r| &r[..]) {
            f(row)?;
        }
        for &below in self.below.get(rep as usize).map_or(&[][..], |r| &r[..]) {
            for row in &self.own[below as usize] {
                f(&CreditRow { kind: Kind::Rollup, ..*row })?;
            }
        }
        Ok(())
    }
}

/// Computes all credit. Problems (a missing exchange rate, a deal in a currency no rule converts)
/// are data problems about one cell each.
pub fn compute(ws: &model::Workspace, data: &Dataset, plan_currency: Option<&str>) -> Result<Credits, Vec<Pending>> {
    let Some(rules) = &ws.crediting else { return Ok(Credits::default()) };
    let reps = data.tables[rules.reps].rows;
    let deals = data.tables[rules.deals].rows as u32;
    let mut own: Vec<Vec<CreditRow>> = vec![Vec::new(); reps];
    let mut errors = Vec::new();
    let rates = rate_index(rules, data);
    let splits = split_index(rules, data);
    let territories = territory_index(ws, rules, data);
    let target: Option<Sym> = rules.currency.as_deref().or(plan_currency).and_then(|c| data.strings.get(c));
    let currency_column = match (&rules.convert, &ws.schema.column(rules.amount).ty) {
        (Some(c), _) => Some(c.deal_currency),
        (None, ColumnType::MoneyIn(c)) => Some(model::ColumnId { table: rules.deals, column: *c }),
        _ => None,
    };
    for deal in 0..deals {
        let Some(closed) = data.date(rules.date, deal) else { continue };
        let Some(raw) = data.number(rules.amount, deal) else { continue };
        let amount = match convert(rules, data, &rates, (currency_column, target), deal, raw) {
            Ok(amount) => amount,
            Err(pending) => {
                errors.push(pending);
                continue;
            }
        };
        let mut recipients: Vec<(u32, Decimal, Kind)> = Vec::new();
        let owner = data.reference(rules.owner, deal);
        match splits.get(&deal) {
            Some(shares) => {
                if rules.splits.as_ref().is_some_and(|s| s.overlay) {
                    recipients.extend(owner.map(|o| (o, Decimal::ONE, Kind::Direct)));
                }
                recipients.extend(shares.iter().map(|&(rep, share)| (rep, share, Kind::Split)));
            }
            None => recipients.extend(owner.map(|o| (o, Decimal::ONE, Kind::Direct))),
        }
        for (territory, reps_in_territory) in &territories {
            if territory_matches(ws, data, *territory, deal) {
                recipients.extend(reps_in_territory.iter().map(|&rep| (rep, Decimal::ONE, Kind::Territory)));
            }
        }
        let cancelled = rules.clawback.as_ref().and_then(|c| {
            let when = data.date(c.cancelled, deal)?;
            let from = data.date(c.from, deal)?;
            ((when - from).num_days() <= i64::from(c.days)).then_some(when)
        });
        for (rep, share, kind) in recipients {
            let Some(credited) = (if kind == Kind::Split { exact_mul(amount, share) } else { Some(amount) }) else {
                continue;
            };
            let row = CreditRow { deal, date: closed, closed, month: month_of(closed), amount: credited, share, kind, reversal: false };
            let Some(rows) = own.get_mut(rep as usize) else { continue };
            rows.push(row);
            if let Some(when) = cancelled {
                rows.push(CreditRow { date: when, month: month_of(when), amount: -credited, reversal: true, ..row });
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let below = match rules.rollup {
        Some(manager) => hierarchy_below(data, manager, reps),
        None => Vec::new(),
    };
    Ok(Credits { own, below })
}

/// Every rep below each rep: for each rep, its managers (all levels) get it as a descendant.
fn hierarchy_below(data: &Dataset, manager: model::ColumnId, reps: usize) -> Vec<Vec<u32>> {
    let mut below: Vec<Vec<u32>> = vec![Vec::new(); reps];
    for rep in 0..reps as u32 {
        let mut at = data.reference(manager, rep);
        let mut steps = 0;
        while let Some(m) = at {
            below[m as usize].push(rep);
            at = data.reference(manager, m);
            steps += 1;
            if steps > reps {
                break;
            }
        }
    }
    below
}

type Rates = HashMap<Sym, Vec<(NaiveDate, Decimal)>>;

fn rate_index(rules: &model::Crediting, data: &Dataset) -> Rates {
    let mut rates: Rates = HashMap::default();
    if let Some(convert) = &rules.convert {
        for row in 0..data.tables[convert.rates].rows as u32 {
            if let (Some(c), Some(d), Some(r)) = (data.sym(convert.rate_currency, row), data.date(convert.rate_date, row), data.number(convert.rate, row)) {
                rates.entry(c).or_default().push((d, r));
            }
        }
        for list in rates.values_mut() {
            list.sort_by_key(|(d, _)| *d);
        }
    }
    rates
}

/// A deal's amount in the credit currency: the latest rate dated on or before the deal's date.
fn convert(
    rules: &model::Crediting,
    data: &Dataset,
    rates: &Rates,
    (currency_column, target): (Option<model::ColumnId>, Option<Sym>),
    deal: u32,
    amount: Decimal,
) -> Result<Decimal, Pending> {
    let Some(currency_column) = currency_column else { return Ok(amount) };
    let Some(currency) = data.sym(currency_column, deal) else { return Ok(amount) };
    if Some(currency) == target {
        return Ok(amount);
    }
    let code = data.strings.text(currency).to_string();
    let Some(convert) = &rules.convert else {
        let mut d = LocatedDiagnostic::new(&codes::NO_CONVERSION, format!("this deal is in {code}, and no rule converts it"))
            .help("add `convert deal.amount to CUR using fx on deal.closed` to the credit block, or record the deal in the plan currency");
        d.label = "not the plan currency".to_string();
        return Err(Pending { column: currency_column, row: deal, diagnostic: d });
    };
    let on = data.date(convert.date, deal);
    let rate = on.and_then(|on| {
        let list = rates.get(&currency)?;
        let index = list.partition_point(|(d, _)| *d <= on);
        index.checked_sub(1).map(|i| list[i].1)
    });
    let Some(rate) = rate else {
        let on = on.map_or("its date".to_string(), |d| d.to_string());
        let mut d = LocatedDiagnostic::new(&codes::MISSING_FX_RATE, format!("no {code} rate is dated on or before {on}"))
            .help(format!("add a {code} rate effective on or before {on} to the rates table"));
        d.label = format!("converted at the rate of {on}");
        return Err(Pending { column: currency_column, row: deal, diagnostic: d });
    };
    exact_mul(amount, rate).ok_or_else(|| {
        let mut d = LocatedDiagnostic::new(&codes::OVERFLOW, "the converted amount has too many digits to stay exact");
        d.label = "this deal".to_string();
        Pending { column: currency_column, row: deal, diagnostic: d }
    })
}

fn split_index(rules: &model::Crediting, data: &Dataset) -> HashMap<u32, Vec<(u32, Decimal)>> {
    let mut index: HashMap<u32, Vec<(u32, Decimal)>> = HashMap::default();
    if let Some(splits) = &rules.splits {
        for row in 0..data.tables[splits.table].rows as u32 {
            if let (Some(deal), Some(rep), Some(share)) = (data.reference(splits.deal, row), data.reference(splits.rep, row), data.number(splits.share, row)) {
                index.entry(deal).or_default().push((rep, share));
            }
        }
    }
    index
}

/// Each territory's index and the reps assigned to it, in territory order.
fn territory_index(ws: &model::Workspace, rules: &model::Crediting, data: &Dataset) -> Vec<(usize, Vec<u32>)> {
    let Some(assignment) = rules.territory else { return Vec::new() };
    ws.territories
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let sym = data.strings.get(&t.name);
            let reps = (0..data.tables[rules.reps].rows as u32).filter(|&r| sym.is_some() && data.sym(assignment, r) == sym).collect();
            (i, reps)
        })
        .collect()
}
