//! The sentences of a plan document: the header, eligibility, crediting, quotas, measures,
//! attainments, tables, earnings, draws and balances, each said from the checked model.

use super::words::{expr, money, percent, scope, share};
use super::Row;
use crate::model::{
    Aggregate, DrawWindow, EarningForm, HoldRelease, LimitKind, MeasureSource, Plan, Proration, QuotaSource,
    QuotaSplit, RateTable, RoundingMode, Rows, TableKey, ValueKind, Workspace,
};
use rust_decimal::Decimal;

/// The header in sentences: dates, pay, plan year and rounding.
pub fn header(plan: &Plan) -> Vec<String> {
    let month = chrono::Month::try_from(u8::try_from(plan.fiscal_start).unwrap_or(1)).map_or("January", |m| m.name());
    let mode = match plan.rounding.mode {
        RoundingMode::HalfEven => "half to even",
        RoundingMode::HalfAwayFromZero => "half up (away from zero)",
        RoundingMode::HalfTowardZero => "half down (toward zero)",
        RoundingMode::TowardZero => "down (toward zero)",
        RoundingMode::AwayFromZero => "up (away from zero)",
    };
    vec![
        format!("In effect from {} to {}.", plan.effective.0, plan.effective.1),
        format!("Pays {} in {}, one payout per {}.", plan.pay.keyword(), plan.currency, plan.pay.period_word()),
        format!("The plan year starts in {month}: quarters and years are the plan year's."),
        format!(
            "Each payout line is rounded {mode} to {} decimal places; totals are sums of rounded lines.",
            plan.rounding.decimals
        ),
    ]
}

/// Who the plan applies to.
pub fn eligible(ws: &Workspace, plan: &Plan) -> String {
    match &plan.eligible {
        Some(e) => format!("Reps for whom {} (while employed).", expr(ws, plan, e)),
        None => "Every rep (while employed).".to_string(),
    }
}

/// What counts as a booking for a plan: the workspace's crediting rules when a measure of the plan
/// reads credit, else a sentence saying they do not apply and what the measures read.
pub fn crediting_of(ws: &Workspace, plan: &Plan) -> Vec<String> {
    if plan.measures.iter().any(|m| m.source == MeasureSource::Credit) {
        return crediting(ws);
    }
    let mut read: Vec<String> = Vec::new();
    for m in plan.measures.iter() {
        if let MeasureSource::Table { table, .. } = &m.source {
            let name = format!("`{}`", ws.schema.tables[*table].name);
            if !read.contains(&name) {
                read.push(name);
            }
        }
    }
    let what = if read.is_empty() { "no credit".to_string() } else { read.join(", ") };
    let mut out = vec![format!(
        "This plan's measures read {what}, not credited deals: the workspace's crediting rules do not apply to it."
    )];
    if let Some(e) = ws.crediting.as_ref().and_then(|c| c.employed.as_ref()) {
        let col = |id: crate::model::ColumnId| format!("`{}`", ws.schema.column(id).name);
        out.push(format!("Reps are employed from their {} to their {}.", col(e.hired), col(e.terminated)));
    }
    out
}

/// The workspace's crediting rules: what counts as a booking and for whom.
pub fn crediting(ws: &Workspace) -> Vec<String> {
    let Some(c) = &ws.crediting else { return vec!["The workspace declares no crediting rules.".to_string()] };
    let col = |id: crate::model::ColumnId| format!("`{}`", ws.schema.column(id).name);
    let deals = &ws.schema.tables[c.deals].name;
    let mut out = vec![format!(
        "Each deal of `{deals}` credits its {} with its {}, dated on its {}.",
        col(c.owner),
        col(c.amount),
        col(c.date)
    )];
    if let (Some(conv), Some(currency)) = (&c.convert, &c.currency) {
        out.push(format!(
            "Amounts in other currencies are converted to {currency} at the rate of `{}` effective on the deal's {} (the latest rate dated on or before it).",
            ws.schema.tables[conv.rates].name,
            col(conv.date)
        ));
    }
    if let Some(s) = &c.splits {
        let how = if s.overlay {
            "on top of the owner's credit (an overlay)".to_string()
        } else {
            match s.up_to {
                Some(p) => format!("instead of the owner, their shares summing to at most {}", percent(p)),
                None => "instead of the owner, their shares summing to exactly 100%".to_string(),
            }
        };
        out.push(format!(
            "When `{}` has rows for a deal, each named rep is credited their share {how}.",
            ws.schema.tables[s.table].name
        ));
    }
    if let Some(t) = c.territory {
        out.push(format!("Every rep whose {} names a territory the deal belongs to is credited too.", col(t)));
    }
    if let Some(m) = c.rollup {
        out.push(format!("Every manager above a credited rep (through {}) gets the same credit, as rollup.", col(m)));
    }
    if let Some(cb) = &c.clawback {
        let window = cb.window.as_ref().map_or(String::new(), |w| {
            format!(" within {} days of its {} (day {} included)", w.days, col(w.from), w.days)
        });
        let part = if cb.part == Decimal::ONE {
            "its credit".to_string()
        } else {
            format!("{} of its credit", percent(cb.part))
        };
        out.push(format!(
            "A deal cancelled ({}){window} has {part} reversed on the day it is cancelled.",
            col(cb.cancelled)
        ));
    }
    if let Some(e) = &c.employed {
        out.push(format!("Reps are employed from their {} to their {}.", col(e.hired), col(e.terminated)));
    }
    out
}

/// A quota in a sentence: where the annual amount comes from, its split and its proration.
pub fn quota(ws: &Workspace, plan: &Plan, q: &crate::model::Quota) -> String {
    let source = match &q.source {
        QuotaSource::Data { table, amount, .. } => format!(
            "the annual amount in `{}.{}` (one row per rep and plan year)",
            ws.schema.tables[*table].name,
            ws.schema.column(*amount).name
        ),
        QuotaSource::Expr(e) => format!("{} a year", expr(ws, plan, e)),
    };
    let split = match &q.split {
        QuotaSplit::EvenlyByMonth => "split evenly by month (a twelfth each, kept exact)".to_string(),
        QuotaSplit::EvenlyByQuarter => {
            "split evenly by quarter, each quarter's spread evenly over its months".to_string()
        }
        QuotaSplit::MonthWeights(w) => format!("split by month with the weights {}", weights(w)),
        QuotaSplit::QuarterWeights(w) => format!("split by quarter with the weights {}", weights(w)),
    };
    let prorated = match q.proration {
        Proration::None => "not prorated",
        Proration::Months => "prorated by months employed (a month counts if the rep is employed one day of it)",
        Proration::Days => "prorated by days employed (each month's quota × days employed ÷ days in the month)",
    };
    let rounded = q.rounded.map_or(String::new(), |r| format!("; each figure rounded to {} decimals", r.decimals));
    format!("{source}, {split}, {prorated}{rounded}.")
}

fn weights(w: &[Decimal]) -> String {
    w.iter().map(|d| percent(*d)).collect::<Vec<_>>().join(", ")
}

/// A measure in a sentence.
pub fn measure(ws: &Workspace, plan: &Plan, m: &crate::model::Measure) -> String {
    let rows = match &m.source {
        MeasureSource::Credit => "the rep's credit".to_string(),
        MeasureSource::Table { table, .. } => format!("the rep's rows of `{}`", ws.schema.tables[*table].name),
    };
    let what = match &m.aggregate {
        Aggregate::Sum(e) => format!("The sum of {} over {rows}", expr(ws, plan, e)),
        Aggregate::Count if m.source == MeasureSource::Credit => {
            format!("The number of {rows} (a reversal counts −1)")
        }
        Aggregate::Count => format!("The number of {rows}"),
    };
    let filter = m.filter.as_ref().map_or(String::new(), |f| format!(", counting only where {}", expr(ws, plan, f)));
    format!("{what}{filter}.")
}

/// What a table's mode means, in one sentence.
pub fn mode(ws: &Workspace, plan: &Plan, t: &RateTable) -> String {
    let measure = match &t.key {
        TableKey::Attainment(a) => format!("`{}`", plan.measures[plan.attainments[*a].measure].name),
        _ => "the amount".to_string(),
    };
    match &t.rows {
        Rows::Marginal(_) => format!(
            "Marginal: each band pays its rate on the slice of {measure} between its bounds{}, like tax brackets.",
            if matches!(t.key, TableKey::Attainment(_)) { " (times the quota)" } else { "" }
        ),
        Rows::Retroactive(_) => {
            format!("Retroactive: the whole base is paid at the rate of the band {} reaches.", key(ws, plan, t))
        }
        Rows::Linear(_) => {
            "Linear: the value is interpolated between the points, and flat before the first and after the last."
                .to_string()
        }
        Rows::Lookup { .. } => {
            "Lookup: the value is the row of the key's value; any other value takes `otherwise`.".to_string()
        }
    }
}

/// What a table is keyed on, in words.
pub fn key(ws: &Workspace, plan: &Plan, t: &RateTable) -> String {
    match &t.key {
        TableKey::Attainment(a) => format!("the attainment `{}`", plan.attainments[*a].name),
        TableKey::Measure { id, scope: Some(s) } => format!("`{}` {}", plan.measures[*id].name, scope(*s)),
        TableKey::Measure { id, scope: None } => {
            format!("`{}` in the window it is applied to", plan.measures[*id].name)
        }
        TableKey::CreditAmount => "each credit's own amount".to_string(),
        TableKey::Lookup(e) => expr(ws, plan, e),
        TableKey::Earning { id, scope: s } => format!("what `{}` has paid {}", plan.earnings[*id].name, scope(*s)),
    }
}

/// A table's rows: each row's bounds or key, and its value.
pub fn rows(plan: &Plan, t: &RateTable) -> Vec<Row> {
    let bound = |d: Decimal| match t.key {
        TableKey::Attainment(_) => percent(d),
        _ => money(plan, d),
    };
    let value = |d: Decimal, kind: ValueKind| match kind {
        ValueKind::Rate => percent(d),
        ValueKind::Money => money(plan, d),
        _ => d.normalize().to_string(),
    };
    let rate_kind = if t.values == ValueKind::Money { ValueKind::Money } else { ValueKind::Rate };
    match &t.rows {
        Rows::Marginal(bands) | Rows::Retroactive(bands) => bands
            .iter()
            .map(|b| {
                let at = match (b.to, t.upper_included) {
                    (Some(to), false) => format!("from {} to {}", bound(b.from), bound(to)),
                    (Some(to), true) => format!("above {} up to {}", bound(b.from), bound(to)),
                    (None, _) => format!("{} and above", bound(b.from)),
                };
                let v = match b.lookup {
                    Some(l) => format!("the rate of `{}`", plan.tables[l].name),
                    None => value(b.value, rate_kind),
                };
                Row { key: at, value: v }
            })
            .collect(),
        Rows::Linear(points) => {
            let kind = if t.values == ValueKind::Money { ValueKind::Money } else { ValueKind::Rate };
            points.iter().map(|(x, y)| Row { key: format!("at {}", bound(*x)), value: value(*y, kind) }).collect()
        }
        Rows::Lookup { entries, otherwise } => {
            let mut out: Vec<Row> =
                entries.iter().map(|(k, v)| Row { key: k.to_string(), value: value(v.value, v.kind) }).collect();
            if let Some(v) = otherwise {
                out.push(Row { key: "otherwise".to_string(), value: value(v.value, v.kind) });
            }
            out
        }
    }
}

/// An earning in sentences: its amount and form, then its gate, caps and floors, and holds.
pub fn earning(ws: &Workspace, plan: &Plan, id: crate::model::EarningId) -> Vec<String> {
    let e = &plan.earnings[id];
    let value = expr(ws, plan, &e.value);
    let mut out = vec![match &e.form {
        EarningForm::Plain if crate::eval::derivation::rank(e.scope, plan.pay) == 0 => {
            format!("Pays {value}, each pay period.")
        }
        EarningForm::Plain => format!(
            "Pays {value}, computed {}: each period's line is that value rounded, less what earlier periods of the same window were paid (a true-up).",
            scope(e.scope)
        ),
        EarningForm::Once { per, when: Some(w) } => format!(
            "Pays {value} once per {}, in the first pay period in which {}.",
            per.keyword(),
            expr(ws, plan, w)
        ),
        EarningForm::Once { per, when: None } => {
            format!("Pays {value} once per {}, in its last pay period, on the {}'s result.", per.keyword(), per.keyword())
        }
        EarningForm::PerDeal { filter, by_share, .. } => {
            let which = filter.as_ref().map_or(String::new(), |f| format!(" where {}", expr(ws, plan, f)));
            let share = if *by_share { ", times the rep's share" } else { ", in full to each credited rep" };
            format!("Pays {value} for each credit row{which}{share}; a cancelled deal takes it back.")
        }
    }];
    if let Some(g) = &e.gate {
        out.push(format!("Only when {}: otherwise it pays 0.", expr(ws, plan, g)));
    }
    for l in &e.limits {
        let word = if l.kind == LimitKind::Cap { "Capped at" } else { "Floored at" };
        out.push(format!("{word} {} {}.", expr(ws, plan, &l.amount), per(l.per)));
    }
    out.extend(plan.holds.iter().filter(|h| h.earning == id).map(|h| held(ws, h)));
    out
}

/// What a hold, instalments or a retention schedule does with an earning's lines, in a sentence.
fn held(ws: &Workspace, h: &crate::model::Hold) -> String {
    let release = match &h.release {
        HoldRelease::Paid(c) => format!("until the deal's `{}` date is set", ws.schema.column(*c).name),
        HoldRelease::Periods(n) => format!("for {n} pay period(s)"),
        HoldRelease::Instalments(n) => {
            return format!(
                "Each line is paid in {n} equal parts, one each pay period from the one it is earned in; the last part takes what rounding leaves."
            )
        }
        HoldRelease::Ytd(schedule) => {
            let quarters: Vec<String> = schedule
                .iter()
                .enumerate()
                .take(3)
                .map(|(q, s)| format!("{} after Q{}", share(*s), q + 1))
                .collect();
            return format!(
                "A share of the earning's year to date is kept back and paid as the share falls: {}, and nothing after Q4.",
                quarters.join(", ")
            );
        }
    };
    format!("{} of each line is held {release}, then released.", share(h.share))
}

fn per(s: crate::model::Scope) -> &'static str {
    match s {
        crate::model::Scope::Period => "per pay period",
        crate::model::Scope::Quarter => "per quarter",
        crate::model::Scope::Ytd | crate::model::Scope::Year => "per plan year",
    }
}

/// The draw and the balance rules.
pub fn payments(ws: &Workspace, plan: &Plan) -> Vec<String> {
    let mut out = Vec::new();
    for d in &plan.draws {
        let kind = if d.recoverable { "A recoverable" } else { "A non-recoverable" };
        let name = d.name.as_ref().map_or(String::new(), |n| format!(" (`{n}`)"));
        let when = match &d.window {
            DrawWindow::Months { count, from } => {
                format!("for {count} months counted from the month of the rep's `{}`", ws.schema.column(*from).name)
            }
            DrawWindow::Dates(a, b) => format!("in the pay periods from {a} to {b}"),
        };
        let owed = match (d.recoverable, d.advance) {
            (true, true) => " What it pays is owed, and recovered from later earnings.",
            (true, false) => " What it adds is owed, and recovered from later earnings above the draw.",
            (false, _) => " What it adds is not owed back.",
        };
        let per = if plan.pay.shorter_than_a_month() { "per pay period" } else { "per month" };
        let what = if d.advance {
            format!("advance{name} pays {} {per} {when} on top of earnings.", expr(ws, plan, &d.amount))
        } else {
            format!(
                "draw{name} guarantees {} {per} {when}: when earnings fall below it, the difference is paid.",
                expr(ws, plan, &d.amount)
            )
        };
        out.push(format!("{kind} {what}{owed}"));
        if d.recovered_from > 1 {
            out.push(format!("What it leaves owed is recovered from month {} of the draw on.", d.recovered_from));
        }
        if d.forgiven_at_end {
            out.push("A balance left when the draw period ends is forgiven.".to_string());
        }
        if d.forgiven_on_termination {
            out.push("A balance left when the rep leaves is forgiven.".to_string());
        }
    }
    let b = &plan.balance;
    if b.pay_negative_totals {
        out.push("A negative total is paid as it is (deducted from other pay).".to_string());
    } else {
        out.push(
            "A negative result is not taken from pay: it is deferred, owed, and recovered from later earnings."
                .to_string(),
        );
    }
    if let Some(p) = b.recover_at_most {
        out.push(format!("At most {} of a period's earnings goes to recovering a balance.", percent(p)));
    }
    out.push(if b.write_off_at_year_end {
        "A balance owed is written off at the end of each plan year.".to_string()
    } else {
        "A balance owed carries into the next plan year.".to_string()
    });
    out
}
