//! Checking the workspace's one `credit { … }` block against the schema: the owner rule, splits,
//! territory assignment, rollup, clawback, currency conversion and employment dates, resolved to
//! columns for the runtime.

use super::workspace::{all, report, schema_model};
use crate::ast::{self, CreditRule, Span};
use crate::diagnostics::{codes, did_you_mean, Diagnostic};
use crate::model::{self, ColumnId, ColumnType, TableId};
use crate::source::{SourceFile, Workspace};
use crate::Db;

/// Resolves a `row.column` path of a crediting rule against a table's row name.
struct RuleCx<'a> {
    db: &'a dyn Db,
    file: SourceFile,
    schema: &'a model::Schema,
}

impl RuleCx<'_> {
    fn column(
        &self,
        path: &ast::Path,
        table: TableId,
        want: &str,
        ok: impl Fn(&ColumnType) -> bool,
    ) -> Option<ColumnId> {
        let t = &self.schema.tables[table];
        let field = path.field.as_ref();
        if path.head.text != t.row_name || field.is_none() {
            report(
                self.db,
                self.file,
                Diagnostic::new(&codes::BAD_CREDIT_RULES, format!("expected a column of `{}` here", t.name))
                    .primary(path.span(), format!("write `{}.COLUMN`", t.row_name)),
            );
            return None;
        }
        let field = field?;
        let Some(c) = t.column(&field.text) else {
            let mut d = Diagnostic::new(&codes::UNKNOWN_COLUMN, format!("`{}` has no column `{}`", t.name, field.text))
                .primary(field.span, "unknown column");
            if let Some(s) = did_you_mean(&field.text, t.columns.iter().map(|c| c.name.as_str())) {
                d = d.help(format!("did you mean `{s}`?"));
            }
            report(self.db, self.file, d);
            return None;
        };
        if !ok(&t.columns[c].ty) {
            report(
                self.db,
                self.file,
                Diagnostic::new(&codes::BAD_CREDIT_RULES, format!("`{}` is not {want}", path.text()))
                    .primary(path.span(), format!("expected {want}")),
            );
            return None;
        }
        Some(ColumnId { table, column: c })
    }

    fn table_by_row(&self, row: &ast::Ident) -> Option<TableId> {
        let found = self.schema.tables.iter().position(|t| t.row_name == row.text || t.name == row.text);
        if found.is_none() {
            let rows: Vec<&str> = self.schema.tables.iter().map(|t| t.row_name.as_str()).collect();
            let mut d = Diagnostic::new(&codes::UNKNOWN_TABLE, format!("no table has rows called `{}`", row.text))
                .primary(row.span, "unknown row name")
                .note("a row of the table `deals` is called `deal`");
            if let Some(s) = did_you_mean(&row.text, rows) {
                d = d.help(format!("did you mean `{s}`?"));
            }
            report(self.db, self.file, d);
        }
        found
    }

    /// Reports a rule written for rows other than the credited deals.
    fn is_deal_row(&self, row: &ast::Ident, deals: TableId) -> bool {
        let deal_row = &self.schema.tables[deals].row_name;
        if row.text == *deal_row {
            return true;
        }
        report(
            self.db,
            self.file,
            Diagnostic::new(
                &codes::BAD_CREDIT_RULES,
                format!("the credited rows are `{deal_row}`, not `{}`", row.text),
            )
            .primary(row.span, format!("expected `{deal_row}`"))
            .help("every crediting rule is about the deals the owner rule credits"),
        );
        false
    }

    fn table(&self, name: &ast::Ident) -> Option<TableId> {
        let found = self.schema.table(&name.text);
        if found.is_none() {
            let mut d = Diagnostic::new(&codes::UNKNOWN_TABLE, format!("no table is called `{}`", name.text))
                .primary(name.span, "not declared by any `schema`");
            if let Some(s) = did_you_mean(&name.text, self.schema.tables.iter().map(|t| t.name.as_str())) {
                d = d.help(format!("did you mean `{s}`?"));
            }
            report(self.db, self.file, d);
        }
        found
    }

    /// The first column of a table whose type passes `ok`.
    fn find(&self, table: TableId, ok: impl Fn(&ColumnType) -> bool) -> Option<ColumnId> {
        self.schema.tables[table].columns.iter().position(|c| ok(&c.ty)).map(|column| ColumnId { table, column })
    }
}

/// Whether the workspace has a credit block at all (a broken one included).
#[salsa::tracked(returns(copy))]
pub fn credit_declared(db: &dyn Db, ws: Workspace) -> bool {
    ws.files(db).iter().any(|&file| !super::file_credits(db, file).is_empty())
}

/// The currency credit is kept in, decided once for the whole workspace, so that the checker and the
/// runtime never disagree: the `convert` rule's target, else the amount column's fixed currency,
/// else — deals in their own currencies and no conversion — the currency the plans pay in. Those
/// plans must then agree: each plan paying in another currency than the first plan of the workspace
/// is reported at its `currency` line (the runtime could credit its deals in one currency only).
#[salsa::tracked(returns(ref))]
pub fn credit_currency(db: &dyn Db, ws: Workspace) -> Option<String> {
    let crediting = crediting_model(db, ws).as_ref()?;
    if crediting.currency.is_some() {
        return crediting.currency.clone();
    }
    let plans = all(db, ws, super::file_plan_headers);
    let mut currencies = plans.iter().filter_map(|(file, h)| Some((*file, h.currency.as_ref()?, h.name.as_ref())));
    let (first_file, first, first_name) = currencies.next()?;
    let first_name = first_name.map_or("the first plan".to_string(), |n| format!("plan `{}`", n.text));
    for (file, code, name) in currencies.filter(|(_, code, _)| code.text != first.text) {
        let name = name.map_or("this plan".to_string(), |n| format!("plan `{}`", n.text));
        report(
            db,
            file,
            Diagnostic::new(
                &codes::BAD_CREDIT_RULES,
                format!("{name} pays in {}, but credit is kept in {}, the currency of {first_name}", code.text, first.text),
            )
            .primary(code.span, "a second plan currency")
            .secondary_in(first_file, first.span, format!("credit is kept in {}", first.text))
            .note("deals are credited in their own currency, unconverted: every plan must pay in that one currency")
            .help(format!(
                "convert credit (`convert deal.amount to {} using fx on deal.closed`) and pay every plan in it, or pay this plan in {}",
                first.text, first.text
            )),
        );
    }
    Some(first.text.clone())
}

/// The crediting rules, resolved against the schema.
#[salsa::tracked(returns(ref))]
pub fn crediting_model(db: &dyn Db, ws: Workspace) -> Option<model::Crediting> {
    let schema = schema_model(db, ws);
    let blocks = all(db, ws, super::file_credits);
    let (&(file, credit), rest) = blocks.split_first()?;
    for (other_file, other) in rest {
        report(
            db,
            *other_file,
            Diagnostic::new(&codes::BAD_CREDIT_RULES, "the workspace has two credit blocks")
                .primary(other.keyword, "second credit block")
                .secondary_in(file, credit.keyword, "first credit block")
                .help("crediting rules are shared by every plan: keep them in one `credit { … }` block"),
        );
    }
    let cx = RuleCx { db, file, schema };
    let rules: Vec<(&CreditRule, Span)> = credit.rules.iter().map(|r| (&r.kind, r.span)).collect();
    let mut seen: Vec<(std::mem::Discriminant<CreditRule>, Span)> = Vec::new();
    for (rule, span) in &rules {
        if matches!(rule, CreditRule::Error(_)) {
            continue;
        }
        let d = std::mem::discriminant(*rule);
        if let Some((_, first)) = seen.iter().find(|(k, _)| *k == d) {
            report(
                db,
                file,
                Diagnostic::new(&codes::BAD_CREDIT_RULES, "this kind of crediting rule is given twice")
                    .primary(*span, "second rule")
                    .secondary(*first, "first rule"),
            );
        } else {
            seen.push((d, *span));
        }
    }
    let Some((row, owner_path, date_path)) = rules.iter().find_map(|(r, _)| match r {
        CreditRule::Owner { row, owner, date } => Some((row, owner, date)),
        _ => None,
    }) else {
        report(
            db,
            file,
            Diagnostic::new(&codes::BAD_CREDIT_RULES, "the credit block has no owner rule")
                .primary(credit.keyword, "who is credited for a deal?")
                .help("add `deal to deal.owner on deal.closed`"),
        );
        return None;
    };
    let deals = cx.table_by_row(row)?;
    let owner = cx.column(owner_path, deals, "a `ref` to the reps table", |t| matches!(t, ColumnType::Ref(_)))?;
    let ColumnType::Ref(reps) = schema.column(owner).ty else { return None };
    let date = cx.column(date_path, deals, "a date", |t| *t == ColumnType::Date)?;
    let is_money = |t: &ColumnType| matches!(t, ColumnType::Money(_) | ColumnType::MoneyIn(_));
    let mut convert = None;
    let mut currency = None;
    let amount;
    if let Some((amount_path, code, rates, on)) = rules.iter().find_map(|(r, _)| match r {
        CreditRule::Convert { amount, currency, table, date } => Some((amount, currency, table, date)),
        _ => None,
    }) {
        amount = cx.column(amount_path, deals, "an amount of money", is_money)?;
        let ColumnType::MoneyIn(deal_currency) = schema.column(amount).ty else {
            report(
                db,
                file,
                Diagnostic::new(
                    &codes::BAD_CREDIT_RULES,
                    format!("`{}` has a fixed currency: there is nothing to convert", amount_path.text()),
                )
                .primary(amount_path.span(), "declared `money CUR`")
                .help("declare it `money in COLUMN` to convert each deal from its own currency"),
            );
            return None;
        };
        let rates = cx.table(rates)?;
        let on = cx.column(on, deals, "a date", |t| *t == ColumnType::Date)?;
        let (Some(rate_currency), Some(rate_date), Some(rate)) = (
            cx.find(rates, |t| *t == ColumnType::Currency),
            cx.find(rates, |t| *t == ColumnType::Date),
            cx.find(rates, |t| *t == ColumnType::Decimal),
        ) else {
            report(
                db,
                file,
                Diagnostic::new(
                    &codes::BAD_CREDIT_RULES,
                    format!("`{}` is not a table of rates", schema.tables[rates].name),
                )
                .primary(code.span, "conversion needs a table with a `currency`, a `date` and a `decimal` column"),
            );
            return None;
        };
        currency = Some(code.text.clone());
        convert = Some(model::Convert {
            rates,
            rate_currency,
            rate_date,
            rate,
            date: on,
            deal_currency: ColumnId { table: deals, column: deal_currency },
        });
    } else {
        let money: Vec<usize> =
            schema.tables[deals].columns.iter().enumerate().filter(|(_, c)| is_money(&c.ty)).map(|(i, _)| i).collect();
        match money.as_slice() {
            [one] => {
                amount = ColumnId { table: deals, column: *one };
                if let ColumnType::Money(code) = &schema.column(amount).ty {
                    currency = Some(code.clone());
                }
            }
            _ => {
                report(
                    db,
                    file,
                    Diagnostic::new(
                        &codes::BAD_CREDIT_RULES,
                        format!("which column of `{}` is the amount credited?", schema.tables[deals].name),
                    )
                    .primary(
                        credit.keyword,
                        if money.is_empty() {
                            "the table has no money column"
                        } else {
                            "the table has several money columns"
                        },
                    )
                    .help(format!(
                        "name it: `convert {}.amount to USD using fx on {}.closed`",
                        schema.tables[deals].row_name, schema.tables[deals].row_name
                    )),
                );
                return None;
            }
        }
    }
    let mut splits = None;
    let mut territory = None;
    let mut rollup = None;
    let mut clawback = None;
    let mut employed = None;
    for (rule, _) in &rules {
        match rule {
            CreditRule::Splits { row, table, overlay } => {
                if !cx.is_deal_row(row, deals) {
                    continue;
                }
                let Some(t) = cx.table(table) else { continue };
                let found = (
                    cx.find(t, |c| *c == ColumnType::Ref(deals)),
                    cx.find(t, |c| *c == ColumnType::Ref(reps)),
                    cx.find(t, |c| *c == ColumnType::Percent),
                );
                match found {
                    (Some(deal), Some(rep), Some(share)) => {
                        splits = Some(model::Splits { table: t, deal, rep, share, overlay: overlay.is_some() })
                    }
                    _ => report(
                        db,
                        file,
                        Diagnostic::new(
                            &codes::BAD_CREDIT_RULES,
                            format!("`{}` is not a table of split shares", table.text),
                        )
                        .primary(
                            table.span,
                            "needs a `ref` to the deals table, a `ref` to the reps table and a `percent` column",
                        ),
                    ),
                }
            }
            CreditRule::Territory { row, assignment } if cx.is_deal_row(row, deals) => {
                territory = cx.column(assignment, reps, "text", |t| *t == ColumnType::Text);
            }
            CreditRule::Territory { .. } => {}
            CreditRule::Rollup { manager } => {
                rollup = cx.column(manager, reps, "a `ref` to the reps table", |t| *t == ColumnType::Ref(reps))
            }
            CreditRule::Clawback { cancelled, days, from } => {
                let c = cx.column(cancelled, deals, "a date", |t| *t == ColumnType::Date);
                let f = cx.column(from, deals, "a date", |t| *t == ColumnType::Date);
                if let (Some(cancelled), Some(from)) = (c, f) {
                    clawback = Some(model::Clawback { cancelled, days: days.0, from });
                }
            }
            CreditRule::Employed { from, to } => {
                let h = cx.column(from, reps, "a date", |t| *t == ColumnType::Date);
                let t = cx.column(to, reps, "a date", |t| *t == ColumnType::Date);
                if let (Some(hired), Some(terminated)) = (h, t) {
                    employed = Some(model::Employment { hired, terminated });
                }
            }
            _ => {}
        }
    }
    let crediting = model::Crediting {
        deals,
        reps,
        owner,
        date,
        amount,
        convert,
        currency,
        splits,
        territory,
        rollup,
        clawback,
        employed,
    };
    super::filled::refuse_optional(db, ws, file, credit, schema, &crediting);
    Some(crediting)
}
