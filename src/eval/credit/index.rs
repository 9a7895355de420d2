//! The indexes a credit computation builds once from the data: the split rows of each deal, the
//! managers above each rep, exchange rates by currency and date, the reps of each territory.

use crate::data::{Dataset, DealIdx, RepIdx, Sym};
use crate::model::{self, IdVec, TerritoryId};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use rustc_hash::FxHashMap as HashMap;

/// The split rows of each deal, in one array ordered by deal.
pub(super) struct SplitIndex {
    start: Vec<u32>,
    rows: Vec<(RepIdx, Decimal)>,
}

impl SplitIndex {
    pub(super) fn of(&self, deal: DealIdx) -> Option<&[(RepIdx, Decimal)]> {
        let (a, b) = (*self.start.get(deal.index())? as usize, *self.start.get(deal.index() + 1)? as usize);
        (b > a).then(|| &self.rows[a..b])
    }
}

/// The split rows of the data, by deal.
pub(super) fn split_index(rules: &model::Crediting, data: &Dataset) -> SplitIndex {
    let deals = data.tables[rules.deals].rows;
    let mut start = vec![0u32; deals + 1];
    let mut rows = Vec::new();
    if let Some(splits) = &rules.splits {
        let entries: Vec<(DealIdx, RepIdx, Decimal)> = data.tables[splits.table]
            .row_ids()
            .filter_map(|row| {
                Some((
                    DealIdx::of_row(data.reference(splits.deal, row)?),
                    RepIdx::of_row(data.reference(splits.rep, row)?),
                    data.number(splits.share, row)?,
                ))
            })
            .collect();
        for &(deal, _, _) in &entries {
            start[deal.index() + 1] += 1;
        }
        for i in 1..start.len() {
            start[i] += start[i - 1];
        }
        let mut cursor = start.clone();
        rows = vec![(RepIdx::new(0), Decimal::ZERO); entries.len()];
        for (deal, rep, share) in entries {
            rows[cursor[deal.index()] as usize] = (rep, share);
            cursor[deal.index()] += 1;
        }
    }
    SplitIndex { start, rows }
}

/// Every rep below each rep: for each rep, its managers (all levels) get it as a descendant.
pub(super) fn hierarchy_below(data: &Dataset, manager: model::ColumnId, reps: usize) -> IdVec<RepIdx, Vec<RepIdx>> {
    let mut below: IdVec<RepIdx, Vec<RepIdx>> = IdVec::filled(Vec::new(), reps);
    for rep in RepIdx::all(reps) {
        let mut at = data.reference(manager, rep).map(RepIdx::of_row);
        let mut steps = 0;
        while let Some(m) = at {
            below[m].push(rep);
            at = data.reference(manager, m).map(RepIdx::of_row);
            steps += 1;
            if steps > reps {
                break;
            }
        }
    }
    below
}

/// Exchange rates by currency, each list in date order.
pub(super) type Rates = HashMap<Sym, Vec<(NaiveDate, Decimal)>>;

/// The rates of the conversion rule's table, by currency and date.
pub(super) fn rate_index(rules: &model::Crediting, data: &Dataset) -> Rates {
    let mut rates: Rates = HashMap::default();
    if let Some(convert) = &rules.convert {
        for row in data.tables[convert.rates].row_ids() {
            if let (Some(c), Some(d), Some(r)) = (
                data.sym(convert.rate_currency, row),
                data.date(convert.rate_date, row),
                data.number(convert.rate, row),
            ) {
                rates.entry(c).or_default().push((d, r));
            }
        }
        for list in rates.values_mut() {
            list.sort_by_key(|(d, _)| *d);
        }
    }
    rates
}

/// Each territory's index and the reps assigned to it, in territory order.
pub(super) fn territory_index(
    ws: &model::Workspace,
    rules: &model::Crediting,
    data: &Dataset,
) -> Vec<(TerritoryId, Vec<RepIdx>)> {
    let Some(assignment) = rules.territory else { return Vec::new() };
    ws.territories
        .iter_enumerated()
        .map(|(i, t)| {
            // The assignment is read as text whatever the column's storage: a `key` column (the rep's
            // id) is kept apart from interned text, and must match all the same.
            let reps: Vec<RepIdx> = RepIdx::all(data.tables[rules.reps].rows)
                .filter(|&r| data.text(assignment.table, assignment.column, r) == Some(t.name.as_str()))
                .collect();
            (i, reps)
        })
        // A territory no rep holds credits nobody: its condition is not evaluated.
        .filter(|(_, reps)| !reps.is_empty())
        .collect()
}
