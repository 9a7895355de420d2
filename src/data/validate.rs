//! Checks across rows and tables: references resolve, split shares are above zero and sum to 100%,
//! quotas are not negative, and the manager hierarchy has no cycle.

use super::{Column, Dataset, DealIdx, RepIdx};
use crate::diagnostics::{codes, Diagnostic, Location};
use crate::model::{self, BinaryOp, ColumnId, ColumnType, Const, Expr, IdVec, QuotaSource, RowIdx};
use crate::num::Ratio;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// Turns the `ref` columns that could not be resolved while reading (a reference into the same
/// table, or into one read later) from key texts into row numbers, reporting keys that do not exist.
pub(crate) fn references(schema: &model::Schema, data: &mut Dataset, errors: &mut Vec<Diagnostic>) {
    for (t, table) in schema.tables.iter_enumerated() {
        for (c, column) in table.columns.iter().enumerate() {
            let ColumnType::Ref(target) = column.ty else { continue };
            let Column::Text(keys) = &data.tables[t].columns[c] else { continue };
            let mut rows = Vec::with_capacity(keys.len());
            for (row, key) in RowIdx::all(keys.len()).zip(keys) {
                let Some(sym) = key else {
                    rows.push(None);
                    continue;
                };
                let text = data.strings.text(*sym);
                match data.row_of_key(target, text) {
                    Some(r) => rows.push(Some(r)),
                    None => {
                        let target_name = &schema.tables[target].name;
                        let mut d = Diagnostic::new(
                            &codes::UNKNOWN_REFERENCE,
                            format!("`{text}` is not a key of `{target_name}`"),
                        )
                        .note("the referenced table's file must list every key that other files use");
                        let mut candidates: Vec<&str> =
                            data.tables[target].keys.rows().filter_map(|r| data.key_text_of(target, r)).collect();
                        candidates.sort_unstable();
                        if let Some(near) = crate::diagnostics::did_you_mean(text, candidates) {
                            d = d.help(format!("did you mean `{near}`?"));
                        }
                        errors.push(d.at(
                            Location::Row { column: ColumnId { table: t, column: c }, row },
                            format!("no row of `{target_name}` has this key"),
                        ));
                        rows.push(None);
                    }
                }
            }
            data.tables[t].columns[c] = Column::Ref(rows);
        }
    }
}

/// Split shares of each deal must sum to exactly 100%, unless the rule is `overlay`. Shares that
/// are not above zero are refused before (see [`shares`]), so a sum beyond the range of exact
/// arithmetic is far above 100%, and is reported as such.
pub(crate) fn splits(
    schema: &model::Schema,
    crediting: &model::Crediting,
    data: &Dataset,
    errors: &mut Vec<Diagnostic>,
) {
    let Some(splits) = &crediting.splits else { return };
    if splits.overlay {
        return;
    }
    let rows = data.tables[splits.table].row_ids().filter_map(|row| {
        Some((row, DealIdx::of_row(data.reference(splits.deal, row)?), data.number(splits.share, row)?))
    });
    // Without `up to`, the shares sum to exactly 100%; with it, to at least 100% and at most it.
    let most = splits.up_to.map_or(Ratio::ONE, Ratio::from_decimal);
    for (deal, (sum, first_row)) in share_sums(rows) {
        if sum.is_some_and(|sum| sum >= Ratio::ONE && sum <= most) {
            continue;
        }
        let id = data.key_text(schema, crediting.deals, deal);
        let total = match sum {
            Some(sum) => sum
                .checked_mul(Ratio::int(100))
                .ok()
                .and_then(Ratio::to_decimal)
                .map_or("more than 100%".to_string(), |d| format!("{}%", d.normalize())),
            None => "more than 100% (beyond the range of exact arithmetic)".to_string(),
        };
        let (expected, help) = match splits.up_to {
            None if sum.is_none_or(|sum| sum > Ratio::ONE) => (
                "not 100%".to_string(),
                "adjust the shares so that they sum to exactly 100%; when each rep on the deal is credited in full (two agents on one deal), declare the most a deal's shares sum to: `deal by splits up to 200%` (`overlay` would credit the split reps on top of the owner)",
            ),
            None => (
                "not 100%".to_string(),
                "adjust the shares so that they sum to exactly 100%, or declare the rule `deal by splits overlay`",
            ),
            Some(most) => {
                let most = most.checked_mul(Decimal::ONE_HUNDRED).map_or_else(|| most.to_string(), |p| p.normalize().to_string());
                (
                    format!("not between 100% and {most}%"),
                    "adjust the shares: they replace the owner's credit, so they credit at least all of the deal and at most what `up to` declares",
                )
            }
        };
        let d = Diagnostic::new(
            &codes::SPLITS_NOT_100,
            format!("the split shares of deal `{id}` sum to {total}, {expected}"),
        )
        .help(help);
        errors.push(
            d.at(Location::Row { column: splits.deal, row: first_row }, "the first split row of this deal".to_string()),
        );
    }
}

/// The exact sum of each deal's shares (`None` once it overflowed) and its first split row, from
/// `(row, deal, share)` triples.
fn share_sums(rows: impl Iterator<Item = (RowIdx, DealIdx, Decimal)>) -> BTreeMap<DealIdx, (Option<Ratio>, RowIdx)> {
    let mut sums: BTreeMap<DealIdx, (Option<Ratio>, RowIdx)> = BTreeMap::new();
    for (row, deal, share) in rows {
        let entry = sums.entry(deal).or_insert((Some(Ratio::ZERO), row));
        entry.0 = entry.0.and_then(|sum| sum.checked_add(Ratio::from_decimal(share)).ok());
    }
    sums
}

/// Each split share must be above 0%, and (unless the rule is `overlay`) at most 100%. Checked cell
/// by cell before the shares of a deal are summed: shares that net out (90, 30 and −20) sum to 100%.
pub(crate) fn shares(crediting: &model::Crediting, data: &Dataset, errors: &mut Vec<Diagnostic>) {
    let Some(splits) = &crediting.splits else { return };
    for row in data.tables[splits.table].row_ids() {
        let Some(share) = data.number(splits.share, row) else { continue };
        let shown =
            || share.checked_mul(Decimal::ONE_HUNDRED).map_or_else(|| share.to_string(), |p| p.normalize().to_string());
        let (message, label, help) = if share < Decimal::ZERO {
            (
                format!("the split share {}% is below zero", shown()),
                "a negative share",
                "give each rep on the deal the part of it they are credited with, above 0%: a negative share reverses a rep's credit and lets the others' shares sum to more than the deal",
            )
        } else if share.is_zero() {
            (
                format!("the split share {}% credits nothing", shown()),
                "a share of 0%",
                "remove the row: a rep listed with a 0% share would still count the deal and be paid per-deal earnings on it in full",
            )
        } else if share > Decimal::ONE && !splits.overlay {
            (
                format!("the split share {}% is above 100%", shown()),
                "more than the whole deal",
                "the shares of a deal sum to 100%, so none is above it; declare the rule `deal by splits overlay` if split reps are credited on top of the owner",
            )
        } else {
            continue;
        };
        let d = Diagnostic::new(&codes::BAD_SPLIT_SHARE, message).help(help);
        errors.push(d.at(Location::Row { column: splits.share, row }, label.to_string()));
    }
}

/// A quota's amount must not be negative, in every column a plan reads it from: the amount column
/// of a table of quotas, or a rep column whose sign the quota has (`quota q = 4 × rep.quota`).
/// A quota of 0 is accepted: its attainment is undefined and reported for the rep at run time.
pub(crate) fn quotas(workspace: &model::Workspace, data: &Dataset, errors: &mut Vec<Diagnostic>) {
    // Each column read as a quota, with the plans and quotas that read it (`enterprise_ae`
    // (`bookings_quota`)), each named once however many versions the plan has.
    let mut columns: Vec<(ColumnId, Vec<String>)> = Vec::new();
    for plan in &workspace.plans {
        for quota in &plan.quotas {
            let column = match &quota.source {
                QuotaSource::Data { amount, .. } => *amount,
                QuotaSource::Expr(e) => match signed_by(e) {
                    Some(column) => column,
                    None => continue,
                },
            };
            let reader = format!("`{}` (`{}`)", plan.name, quota.name);
            match columns.iter_mut().find(|(c, _)| *c == column) {
                Some((_, readers)) if readers.contains(&reader) => {}
                Some((_, readers)) => readers.push(reader),
                None => columns.push((column, vec![reader])),
            }
        }
    }
    for (column, readers) in columns {
        let Some(table) = data.tables.get(column.table) else { continue };
        let name = format!("{}.{}", workspace.schema.tables[column.table].name, workspace.schema.column(column).name);
        let note = match readers.as_slice() {
            [one] => format!("plan {one} reads a quota from `{name}`"),
            many => format!("plans {} read a quota from `{name}`", many.join(", ")),
        };
        for row in table.row_ids() {
            let Some(amount) = data.number(column, row).filter(|a| *a < Decimal::ZERO) else { continue };
            let d = Diagnostic::new(&codes::NEGATIVE_QUOTA, format!("the quota amount {amount} is below zero"))
                .note(note.clone())
                .help("write the quota as a positive amount: against a negative quota every sale lowers attainment. A rep without a target has a quota of 0 (attainment is then reported as undefined)");
            errors.push(d.at(Location::Row { column, row }, "a negative quota".to_string()));
        }
    }
}

/// The rep column whose sign a quota's expression has: the column itself (`rep.quota`), or the
/// column scaled by positive constants (`4 × rep.target_incentive`, `rep.quota / 2`). Any other
/// expression may be negative only for some values, and is left to the run.
fn signed_by(mut e: &Expr) -> Option<ColumnId> {
    let positive = |e: &Expr| match e {
        Expr::Const(Const::Money(d) | Const::Number(d) | Const::Percent(d)) => *d > Decimal::ZERO,
        _ => false,
    };
    loop {
        e = match e {
            Expr::Rep(column) => return Some(*column),
            Expr::Binary { op: BinaryOp::Mul, lhs, rhs } if positive(lhs) => rhs,
            Expr::Binary { op: BinaryOp::Mul | BinaryOp::Div, lhs, rhs } if positive(rhs) => lhs,
            _ => return None,
        };
    }
}

/// The manager hierarchy must be a tree: no rep is, through managers, their own manager.
pub(crate) fn hierarchy(
    schema: &model::Schema,
    crediting: &model::Crediting,
    data: &Dataset,
    errors: &mut Vec<Diagnostic>,
) {
    let Some(manager) = crediting.rollup else { return };
    let reps = data.tables[crediting.reps].rows;
    // 0 = not visited, 1 = on the current path, 2 = done.
    let mut state: IdVec<RepIdx, u8> = IdVec::filled(0, reps);
    for start in RepIdx::all(reps) {
        let mut path: Vec<RepIdx> = Vec::new();
        let mut at = Some(start);
        while let Some(rep) = at {
            match state[rep] {
                2 => break,
                1 => {
                    let from = path.iter().position(|&r| r == rep).unwrap_or(0);
                    let mut names: Vec<String> =
                        path[from..].iter().map(|&r| data.key_text(schema, crediting.reps, r)).collect();
                    names.push(data.key_text(schema, crediting.reps, rep));
                    let closing = *path.last().unwrap_or(&rep);
                    let d = Diagnostic::new(
                        &codes::MANAGER_CYCLE,
                        format!("the manager hierarchy has a cycle: {}", names.join(" → ")),
                    )
                    .help("give the top of the hierarchy an empty manager");
                    errors.push(d.at(
                        Location::Row { column: manager, row: closing.row() },
                        "this manager closes the cycle".to_string(),
                    ));
                    break;
                }
                _ => {
                    state[rep] = 1;
                    path.push(rep);
                    at = data.reference(manager, rep).map(RepIdx::of_row);
                }
            }
        }
        for rep in path {
            state[rep] = 2;
        }
    }
}

/// Rows that two columns identify together must be unique: a quota per rep and plan year (any table
/// with one `ref` to the reps and one `year` column), an exchange rate per currency and date.
pub(crate) fn composite_keys(
    schema: &model::Schema,
    crediting: &model::Crediting,
    data: &Dataset,
    errors: &mut Vec<Diagnostic>,
) {
    let mut pairs: Vec<(ColumnId, ColumnId, &str)> = Vec::new();
    for (t, table) in schema.tables.iter_enumerated() {
        let reps: Vec<usize> = table
            .columns
            .iter()
            .enumerate()
            .filter(|(_, c)| c.ty == ColumnType::Ref(crediting.reps))
            .map(|(i, _)| i)
            .collect();
        let years: Vec<usize> =
            table.columns.iter().enumerate().filter(|(_, c)| c.ty == ColumnType::Year).map(|(i, _)| i).collect();
        if let ([rep], [year]) = (reps.as_slice(), years.as_slice()) {
            pairs.push((ColumnId { table: t, column: *rep }, ColumnId { table: t, column: *year }, "quota"));
        }
    }
    if let Some(convert) = &crediting.convert {
        pairs.push((convert.rate_currency, convert.rate_date, "rate"));
    }
    for (a, b, what) in pairs {
        let mut seen: std::collections::HashMap<(String, String), RowIdx> = std::collections::HashMap::new();
        for row in data.tables[a.table].row_ids() {
            let key = (cell_text(data, a, row), cell_text(data, b, row));
            if key.0.is_empty() || key.1.is_empty() {
                continue;
            }
            if let Some(first) = seen.get(&key) {
                let line = data.tables[a.table].line(*first).unwrap_or(0);
                let d =
                    Diagnostic::new(&codes::DUPLICATE_KEY, format!("two {what} rows for `{}` and `{}`", key.0, key.1))
                        .help(format!(
                    "keep one {what} per `{}` and `{}`: which one applies would depend on the order of the rows",
                    schema.column(a).name,
                    schema.column(b).name
                ));
                errors.push(d.at(Location::Row { column: a, row }, format!("already given on line {line}")));
            } else {
                seen.insert(key, row);
            }
        }
    }
}

/// Dates that must come in order: a deal is cancelled after it closes, a rep is terminated after
/// being hired.
pub(crate) fn date_order(crediting: &model::Crediting, data: &Dataset, errors: &mut Vec<Diagnostic>) {
    let mut checks: Vec<(ColumnId, ColumnId, &str)> = Vec::new();
    if let Some(c) = &crediting.clawback {
        // Without a window, a cancellation reverses the credit dated on the owner rule's date.
        let from = c.window.as_ref().map_or(crediting.date, |w| w.from);
        checks.push((from, c.cancelled, "cancelled before it closed"));
    }
    if let Some(e) = &crediting.employed {
        checks.push((e.hired, e.terminated, "terminated before being hired"));
    }
    for (first, then, what) in checks {
        for row in data.tables[then.table].row_ids() {
            if let (Some(a), Some(b)) = (data.date(first, row), data.date(then, row)) {
                if b < a {
                    let d = Diagnostic::new(&codes::IMPOSSIBLE_DATES, format!("this row is {what}: {b} is before {a}"))
                        .help("correct whichever date is wrong");
                    errors.push(d.at(Location::Row { column: then, row }, format!("before {a}")));
                }
            }
        }
    }
}

/// Exchange rates must be positive: a rate of 0 would credit a deal as nothing, a negative one as a
/// reversal.
pub(crate) fn rates(crediting: &model::Crediting, data: &Dataset, errors: &mut Vec<Diagnostic>) {
    let Some(c) = &crediting.convert else { return };
    for row in data.tables[c.rates].row_ids() {
        if let Some(rate) = data.number(c.rate, row).filter(|r| *r <= Decimal::ZERO) {
            let d = Diagnostic::new(&codes::BAD_FX_RATE, format!("the exchange rate {rate} is not above zero"))
                .help("a rate is how many units of the credit currency one unit of the deal's currency is worth: always above 0");
            errors.push(d.at(Location::Row { column: c.rate, row }, "not a rate".to_string()));
        }
    }
}

/// A cell as text, for keys made of several columns.
fn cell_text(data: &Dataset, column: ColumnId, row: RowIdx) -> String {
    let i = row.index();
    match &data.tables[column.table].columns[column.column] {
        Column::Text(v) => v.get(i).copied().flatten().map(|s| data.strings.text(s).to_string()).unwrap_or_default(),
        Column::Key(k) => k.get(row).unwrap_or_default().to_string(),
        Column::Ref(v) => v
            .get(i)
            .copied()
            .flatten()
            .and_then(|r| data.ref_targets.get(&column).and_then(|&(t, k)| data.text(t, k, r)))
            .unwrap_or_default()
            .to_string(),
        Column::Date(v) => v.get(i).copied().flatten().map(|d| d.to_string()).unwrap_or_default(),
        Column::Year(v) => v.get(i).copied().flatten().map(|y| y.to_string()).unwrap_or_default(),
        Column::Number(v) => v.get(i).copied().flatten().map(|n| n.to_string()).unwrap_or_default(),
        Column::Bool(v) => v.get(i).copied().flatten().map(|b| b.to_string()).unwrap_or_default(),
    }
}

/// Under `deal by splits overlay`, a deal's owner listed in its split rows: credited the whole deal
/// as owner and their share again (W0718, at the split row's rep).
pub(crate) fn owners_in_overlay(
    schema: &model::Schema,
    crediting: &model::Crediting,
    data: &Dataset,
    warnings: &mut Vec<Diagnostic>,
) {
    let Some(splits) = crediting.splits.as_ref().filter(|s| s.overlay) else { return };
    for row in data.tables[splits.table].row_ids() {
        let (Some(deal), Some(rep)) = (data.reference(splits.deal, row), data.reference(splits.rep, row)) else {
            continue;
        };
        if data.reference(crediting.owner, deal) != Some(rep) {
            continue;
        }
        let (deal_id, rep_id) =
            (data.key_text(schema, crediting.deals, deal), data.key_text(schema, crediting.reps, rep));
        let d = Diagnostic::new(
            &codes::CREDITED_TWICE,
            format!("`{rep_id}` owns deal `{deal_id}` and is in its split rows: under `overlay` they are credited twice"),
        )
        .note("an overlay credits the split reps on top of the owner's whole deal")
        .help("if the split rows replace the owner's credit, write `deal by splits` (`deal by splits up to 200%` when shares sum above 100%); if the owner is meant to have both, leave it");
        warnings.push(d.at(Location::Row { column: splits.rep, row }, "also the deal's owner".to_string()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn share_sums_are_exact_and_an_overflow_is_not_the_sum_before_it() {
        let share = |text: &str| text.parse::<Decimal>().expect("a decimal");
        // Deal 7: 1/3 + 1/3 + 1/3 written to 26 places, then the rest: exactly 1. Deal 9 from row 4.
        let third = share("0.33333333333333333333333333");
        let rest = share("0.00000000000000000000000001");
        let (row, deal) = (RowIdx::new, DealIdx::new);
        let sums = share_sums(
            [(0, 7, third), (1, 7, third), (2, 7, third), (3, 7, rest), (4, 9, share("0.5"))]
                .into_iter()
                .map(|(r, d, s)| (row(r), deal(d), s)),
        );
        assert_eq!(sums.get(&deal(7)), Some(&(Some(Ratio::ONE), row(0))));
        assert_eq!(sums.get(&deal(9)), Some(&(Ratio::new(1, 2), row(4))));
        // A share of 10^-28 and one of about 7.9 × 10^27 have no common denominator within 128 bits:
        // the sum overflows, and is not silently the first share alone.
        let sums = share_sums(
            [(row(0), deal(1), share("0.0000000000000000000000000001")), (row(1), deal(1), Decimal::MAX)].into_iter(),
        );
        assert_eq!(sums.get(&deal(1)), Some(&(None, row(0))));
    }
}
