//! Checking the workspace's one `credit { … }` block against the schema: the owner rule, splits,
//! territory assignment, rollup, clawback, currency conversion and employment dates, resolved to
//! columns for the runtime.

use super::problems;
use super::schema_model;
use super::source_map::{CreditBlockSource, CreditRuleKind, CreditSourceMap, Occurrence, Symbol};
use super::workspace::{all, report};
use crate::ast::{self, CreditRule, Span};
use crate::model::{self, ColumnId, ColumnType, TableId};
use crate::source::{SourceFile, Workspace};
use crate::Db;
use rust_decimal::Decimal;

/// Resolves a `row.column` path of a crediting rule against a table's row name, recording the names
/// it resolves.
struct RuleCx<'a> {
    db: &'a dyn Db,
    file: SourceFile,
    schema: &'a model::Schema,
    occurrences: Vec<Occurrence>,
}

impl RuleCx<'_> {
    fn record(&mut self, name: &ast::Ident, symbol: Symbol) {
        if !name.text.is_empty() && !name.span.is_empty() {
            self.occurrences.push(Occurrence { span: name.span, symbol, declaration: false });
        }
    }

    fn record_table(&mut self, name: &ast::Ident, table: TableId) {
        self.record(name, Symbol::Table(self.schema.tables[table].name.clone()));
    }

    fn column(
        &mut self,
        path: &ast::Path,
        table: TableId,
        want: &str,
        ok: impl Fn(&ColumnType) -> bool,
    ) -> Option<ColumnId> {
        let schema = self.schema;
        let t = &schema.tables[table];
        let field = path.field.as_ref();
        if path.head.text == t.row_name {
            self.record_table(&path.head, table);
        }
        if path.head.text != t.row_name || field.is_none() {
            report(self.db, self.file, problems::expected_a_column_of(t, path));
            return None;
        }
        let field = field?;
        let Some(c) = t.column(&field.text) else {
            report(self.db, self.file, problems::unknown_rule_column(t, field));
            return None;
        };
        self.record(field, Symbol::Column { table: t.name.clone(), column: t.columns[c].name.clone() });
        if !ok(&t.columns[c].ty) {
            report(self.db, self.file, problems::rule_column_not_of_type(path, want));
            return None;
        }
        Some(ColumnId { table, column: c })
    }

    fn table_by_row(&mut self, row: &ast::Ident) -> Option<TableId> {
        let found = self.schema.tables.position(|t| t.row_name == row.text || t.name == row.text);
        if let Some(table) = found {
            self.record_table(row, table);
        } else {
            let rows = self.schema.tables.iter().map(|t| t.row_name.as_str());
            report(self.db, self.file, problems::unknown_row_name(row, rows));
        }
        found
    }

    /// Reports a rule written for rows other than the credited deals.
    fn is_deal_row(&mut self, row: &ast::Ident, deals: TableId) -> bool {
        let deal_row = &self.schema.tables[deals].row_name;
        if row.text == *deal_row {
            self.record_table(row, deals);
            return true;
        }
        report(self.db, self.file, problems::not_the_credited_rows(deal_row, row));
        false
    }

    fn table(&mut self, name: &ast::Ident) -> Option<TableId> {
        let found = self.schema.table(&name.text);
        if let Some(table) = found {
            self.record_table(name, table);
        } else {
            report(
                self.db,
                self.file,
                problems::unknown_table(name, self.schema.tables.iter().map(|t| t.name.as_str())),
            );
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
    if credits_units(schema_model(db, ws), crediting) {
        return None;
    }
    let plans = all(db, ws, super::file_plan_headers);
    let mut currencies = plans.iter().filter_map(|(file, h)| Some((*file, h.currency.as_ref()?, h.name.as_ref())));
    let (first_file, first, first_name) = currencies.next()?;
    for (file, code, name) in currencies.filter(|(_, code, _)| code.text != first.text) {
        report(db, file, problems::plans_disagree_on_the_credit_currency(name, code, first_file, first, first_name));
    }
    Some(first.text.clone())
}

/// The crediting rules and where they are written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreditingCheck {
    /// The crediting rules, resolved against the schema (absent without a credit block, or when the
    /// first block has errors that leave no usable rules).
    pub model: Option<model::Crediting>,
    /// Where the credit blocks and the first block's rules are, and the names the rules name.
    pub sources: CreditSourceMap,
}

/// The crediting rules, resolved against the schema, with their source map.
#[salsa::tracked(returns(ref))]
pub fn crediting_checked(db: &dyn Db, ws: Workspace) -> CreditingCheck {
    let schema = schema_model(db, ws);
    let blocks = all(db, ws, super::file_credits);
    let mut sources = CreditSourceMap {
        blocks: blocks.iter().map(|(file, node)| declared(*file, node)).collect(),
        rules: Vec::new(),
    };
    let Some((&(file, node), rest)) = blocks.split_first() else { return CreditingCheck { model: None, sources } };
    let credit = &node.kind;
    for (other_file, other) in rest {
        report(db, *other_file, problems::two_credit_blocks(other.kind.keyword, file, credit.keyword));
    }
    sources.rules = rule_kinds(db, file, credit);
    let mut cx = RuleCx { db, file, schema, occurrences: Vec::new() };
    let model = cx.crediting(credit);
    if let Some(rules) = &model {
        super::filled::refuse_optional(db, ws, file, credit, schema, rules);
    }
    if let Some(first) = sources.blocks.first_mut() {
        first.occurrences.append(&mut cx.occurrences);
    }
    CreditingCheck { model, sources }
}

/// The crediting rules, resolved against the schema: [`crediting_checked`]'s model alone, which an
/// edit that only moves text leaves equal.
#[salsa::tracked(returns(ref))]
pub fn crediting_model(db: &dyn Db, ws: Workspace) -> Option<model::Crediting> {
    crediting_checked(db, ws).model.clone()
}

/// A credit block as written: its keyword declares the credit row.
fn declared(file: SourceFile, node: &ast::Node<ast::Credit>) -> CreditBlockSource {
    let keyword = node.kind.keyword;
    let occurrences = if keyword.is_empty() {
        Vec::new()
    } else {
        vec![Occurrence { span: keyword, symbol: Symbol::CreditRow, declaration: true }]
    };
    CreditBlockSource { file, keyword, span: node.span, occurrences }
}

/// The form and place of each rule of the block, in the order written; a second rule of one form
/// is reported.
fn rule_kinds(db: &dyn Db, file: SourceFile, credit: &ast::Credit) -> Vec<(CreditRuleKind, Span)> {
    let mut seen: Vec<(CreditRuleKind, Span)> = Vec::new();
    let mut rules = Vec::new();
    for rule in &credit.rules {
        let kind = match rule.kind {
            CreditRule::Amount { .. } => CreditRuleKind::Amount,
            CreditRule::Convert { .. } => CreditRuleKind::Convert,
            CreditRule::Owner { .. } => CreditRuleKind::Owner,
            CreditRule::Splits { .. } => CreditRuleKind::Splits,
            CreditRule::Territory { .. } => CreditRuleKind::Territory,
            CreditRule::Rollup { .. } => CreditRuleKind::Rollup,
            CreditRule::Clawback { .. } => CreditRuleKind::Clawback,
            CreditRule::Employed { .. } => CreditRuleKind::Employed,
            CreditRule::Error(_) => continue,
        };
        rules.push((kind, rule.span));
        if let Some((_, first)) = seen.iter().find(|(k, _)| *k == kind) {
            report(db, file, problems::credit_rule_twice(rule.span, *first));
        } else {
            seen.push((kind, rule.span));
        }
    }
    rules
}

/// A column of money, in a fixed currency or in each row's own.
fn is_money(ty: &ColumnType) -> bool {
    matches!(ty, ColumnType::Money(_) | ColumnType::MoneyIn(_))
}

/// A column the `credit` rule may name: money, or a number of units (seats, licences, policies).
fn is_creditable(ty: &ColumnType) -> bool {
    is_money(ty) || is_units(ty)
}

/// A column of units: credit is then a plain number, not money.
fn is_units(ty: &ColumnType) -> bool {
    matches!(ty, ColumnType::Decimal | ColumnType::Integer)
}

/// Whether the crediting rules credit units rather than money (`credit deal.seats`): credit
/// amounts are then plain numbers, in no currency.
pub(crate) fn credits_units(schema: &model::Schema, crediting: &model::Crediting) -> bool {
    is_units(&schema.column(crediting.amount).ty)
}

/// The rules of the owner: the credited table, its owner and date columns, and the reps table.
struct Owner {
    deals: TableId,
    reps: TableId,
    owner: ColumnId,
    date: ColumnId,
}

impl RuleCx<'_> {
    /// Resolves the block's rules; `None` (after reporting why) when the owner rule or the amount
    /// cannot be resolved.
    fn crediting(&mut self, credit: &ast::Credit) -> Option<model::Crediting> {
        let owner = self.owner(credit)?;
        let (amount, convert, currency) = self.amount(credit, owner.deals)?;
        let mut crediting = model::Crediting {
            deals: owner.deals,
            reps: owner.reps,
            owner: owner.owner,
            date: owner.date,
            amount,
            convert,
            currency,
            splits: None,
            territory: None,
            rollup: None,
            clawback: None,
            employed: None,
        };
        for rule in &credit.rules {
            self.optional_rule(&rule.kind, &mut crediting);
        }
        Some(crediting)
    }

    /// The owner rule: which table is credited, to whom and on which date.
    fn owner(&mut self, credit: &ast::Credit) -> Option<Owner> {
        let Some((row, owner_path, date_path)) = credit.rules.iter().find_map(|r| match &r.kind {
            CreditRule::Owner { row, owner, date } => Some((row, owner, date)),
            _ => None,
        }) else {
            report(self.db, self.file, problems::no_owner_rule(credit.keyword));
            return None;
        };
        let deals = self.table_by_row(row)?;
        let owner = self.column(owner_path, deals, "a `ref` to the reps table", |t| matches!(t, ColumnType::Ref(_)))?;
        let ColumnType::Ref(reps) = self.schema.column(owner).ty else { return None };
        let date = self.column(date_path, deals, "a date", |t| *t == ColumnType::Date)?;
        Some(Owner { deals, reps, owner, date })
    }

    /// The amount credited, its conversion and the currency credit is kept in: the `convert` rule,
    /// else the column the `credit` rule names, else the credited table's one money column.
    fn amount(
        &mut self,
        credit: &ast::Credit,
        deals: TableId,
    ) -> Option<(ColumnId, Option<model::Convert>, Option<String>)> {
        let convert = credit.rules.iter().find_map(|r| match &r.kind {
            CreditRule::Convert { amount, currency, table, date } => Some((r.span, amount, currency, table, date)),
            _ => None,
        });
        let named = credit.rules.iter().find_map(|r| match &r.kind {
            CreditRule::Amount { amount } => Some((r.span, amount)),
            _ => None,
        });
        let Some((convert_span, amount, currency, rates, on)) = convert else {
            let amount = match named {
                Some((_, path)) => {
                    self.column(path, deals, "an amount of money or a number of units", is_creditable)?
                }
                None => self.money_column(credit, deals)?,
            };
            let currency = match &self.schema.column(amount).ty {
                ColumnType::Money(code) => Some(code.clone()),
                _ => None,
            };
            return Some((amount, None, currency));
        };
        if let Some((span, _)) = named {
            report(self.db, self.file, problems::amount_named_twice(span, convert_span));
        }
        let (amount, convert) = self.convert(deals, amount, currency, rates, on)?;
        Some((amount, Some(convert), Some(currency.text.clone())))
    }

    /// The one money column of the credited table, when no rule names the amount.
    fn money_column(&mut self, credit: &ast::Credit, deals: TableId) -> Option<ColumnId> {
        let table = &self.schema.tables[deals];
        let money: Vec<usize> =
            table.columns.iter().enumerate().filter(|(_, c)| is_money(&c.ty)).map(|(i, _)| i).collect();
        if let [one] = money.as_slice() {
            return Some(ColumnId { table: deals, column: *one });
        }
        let rates = self.schema.tables.iter().find(|t| self.is_rates_table(t)).map(|t| t.name.as_str());
        report(self.db, self.file, problems::which_amount_column(table, credit.keyword, &money, rates));
        None
    }

    /// Whether a table could be the rates of a `convert` rule: a currency, a date and a rate.
    fn is_rates_table(&self, table: &model::Table) -> bool {
        let has = |ty: ColumnType| table.columns.iter().any(|c| c.ty == ty);
        has(ColumnType::Currency) && has(ColumnType::Date) && has(ColumnType::Decimal)
    }

    /// `convert AMOUNT to CUR using RATES on DATE`: an amount in each deal's own currency, converted
    /// at the rate of a table of rates on a date of the deal.
    fn convert(
        &mut self,
        deals: TableId,
        amount_path: &ast::Path,
        code: &ast::Ident,
        rates: &ast::Ident,
        on: &ast::Path,
    ) -> Option<(ColumnId, model::Convert)> {
        let schema = self.schema;
        let amount = self.column(amount_path, deals, "an amount of money", is_money)?;
        let ColumnType::MoneyIn(deal_currency) = schema.column(amount).ty else {
            report(self.db, self.file, problems::nothing_to_convert(amount_path));
            return None;
        };
        let rates = self.table(rates)?;
        let on = self.column(on, deals, "a date", |t| *t == ColumnType::Date)?;
        let (Some(rate_currency), Some(rate_date), Some(rate)) = (
            self.find(rates, |t| *t == ColumnType::Currency),
            self.find(rates, |t| *t == ColumnType::Date),
            self.find(rates, |t| *t == ColumnType::Decimal),
        ) else {
            report(self.db, self.file, problems::not_a_rates_table(&schema.tables[rates].name, code.span));
            return None;
        };
        let deal_currency = ColumnId { table: deals, column: deal_currency };
        Some((amount, model::Convert { rates, rate_currency, rate_date, rate, date: on, deal_currency }))
    }

    /// A rule besides the owner and the conversion: splits, territories, rollup, clawback and
    /// employment dates, each left out (after reporting why) when it cannot be resolved.
    fn optional_rule(&mut self, rule: &CreditRule, crediting: &mut model::Crediting) {
        let (deals, reps) = (crediting.deals, crediting.reps);
        match rule {
            CreditRule::Splits { row, table, overlay, up_to } => {
                if !self.is_deal_row(row, deals) {
                    return;
                }
                let Some(t) = self.table(table) else { return };
                let found = (
                    self.find(t, |c| *c == ColumnType::Ref(deals)),
                    self.find(t, |c| *c == ColumnType::Ref(reps)),
                    self.find(t, |c| *c == ColumnType::Percent),
                );
                match found {
                    (Some(deal), Some(rep), Some(share)) => {
                        let up_to = match up_to {
                            Some(most) => match self.split_maximum(most) {
                                Some(most) => Some(most),
                                None => return,
                            },
                            None => None,
                        };
                        crediting.splits =
                            Some(model::Splits { table: t, deal, rep, share, overlay: overlay.is_some(), up_to })
                    }
                    _ => report(self.db, self.file, problems::not_a_splits_table(table)),
                }
            }
            CreditRule::Territory { row, assignment } if self.is_deal_row(row, deals) => {
                crediting.territory = self.column(assignment, reps, "text", |t| *t == ColumnType::Text);
            }
            CreditRule::Rollup { manager } => {
                crediting.rollup =
                    self.column(manager, reps, "a `ref` to the reps table", |t| *t == ColumnType::Ref(reps))
            }
            CreditRule::Clawback { part, cancelled, window } => {
                crediting.clawback = self.clawback(part.as_ref(), cancelled, window.as_ref(), deals);
            }
            CreditRule::Employed { from, to } => {
                let h = self.column(from, reps, "a date", |t| *t == ColumnType::Date);
                let t = self.column(to, reps, "a date", |t| *t == ColumnType::Date);
                if let (Some(hired), Some(terminated)) = (h, t) {
                    crediting.employed = Some(model::Employment { hired, terminated });
                }
            }
            _ => {}
        }
    }
}

impl RuleCx<'_> {
    /// `clawback [P%] when deal.DATE [within N days of deal.DATE]`: the cancellation date, the
    /// window and the part reversed, each checked (all reported before the rule is left out).
    fn clawback(
        &mut self,
        part: Option<&ast::Value>,
        cancelled: &ast::Path,
        window: Option<&ast::ClawbackWindow>,
        deals: TableId,
    ) -> Option<model::Clawback> {
        let cancelled = self.column(cancelled, deals, "a date", |t| *t == ColumnType::Date);
        let window = match window {
            None => Some(None),
            Some(w) => self
                .column(&w.from, deals, "a date", |t| *t == ColumnType::Date)
                .map(|from| Some(model::ClawbackWindow { days: w.days.0, from })),
        };
        let part = match part {
            None => Some(Decimal::ONE),
            Some(value) => self.clawback_part(value),
        };
        Some(model::Clawback { cancelled: cancelled?, window: window?, part: part? })
    }

    /// The part of each credit a partial clawback reverses: a percentage above 0% and at most 100%.
    fn clawback_part(&mut self, value: &ast::Value) -> Option<Decimal> {
        let part = match value.literal.value {
            ast::LiteralValue::Percent(p) if p > Decimal::ZERO && p <= Decimal::ONE_HUNDRED => super::expr::fraction(p),
            _ => None,
        };
        if part.is_none() {
            report(self.db, self.file, problems::clawback_part_out_of_range(value.span));
        }
        part
    }

    /// The most the shares of a deal may sum to under `up to P%`: a percentage above 100%.
    fn split_maximum(&mut self, value: &ast::Value) -> Option<Decimal> {
        let most = match value.literal.value {
            ast::LiteralValue::Percent(p) if p > Decimal::ONE_HUNDRED => super::expr::fraction(p),
            _ => None,
        };
        if most.is_none() {
            report(self.db, self.file, problems::split_maximum_not_above_100(value.span));
        }
        most
    }
}
