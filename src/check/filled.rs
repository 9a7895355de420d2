//! The columns the crediting rules read for every row of their table: the credited amount and its
//! currency, the split rows, the exchange rates, the start of employment. An empty cell in one has
//! no meaning the runtime could use without guessing (a deal credited nothing, or in no currency; a
//! share credited to nobody; a rate of no currency; a rep employed since the beginning of time), so
//! such a column cannot be declared `optional`: every empty cell is then refused where the file is
//! read (E0708).
//!
//! The other columns the rules read may be optional, each with one documented meaning: an empty
//! credit date means "not credited until it has one", an empty owner "credited by split rows or
//! territories only", an empty manager "top of the hierarchy", an empty territory "in no
//! territory", an empty cancellation "not cancelled", an empty termination "still employed". Where
//! a deal's empty cell leaves none of those meanings (an owner on a deal nothing else credits, the
//! start of the clawback window of a cancelled deal, the conversion date of a deal in another
//! currency), the run stops at the cell (E0803).

use super::problems;
use super::workspace::{all, report};
use crate::ast::{self, ColumnFlag, CreditRule, Span};
use crate::model::{self, ColumnId, ColumnType};
use crate::source::{SourceFile, Workspace};
use crate::Db;

/// What the rules read a column that must be filled in as, which says why it must be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ReadAs {
    /// The amount each deal is credited.
    Amount,
    /// The currency of each deal's amount.
    Currency,
    /// A column of a split row: the deal, the rep or the share.
    Split,
    /// A column of a row of the rates table: the currency, the date or the rate.
    Rate,
    /// The day each rep's employment starts.
    Hired,
}

/// One column that must be filled in, the rule that reads it, the table whose rows it is read for,
/// and what it is read as.
struct Filled {
    column: ColumnId,
    rule: Span,
    read_as: ReadAs,
    read_for: String,
}

/// Reports each column of `rules` that must be filled in but is declared `optional`, at its flag in
/// the schema, with the rule that reads it (in `file`, the credit block's file).
pub(super) fn refuse_optional(
    db: &dyn Db,
    ws: Workspace,
    file: SourceFile,
    credit: &ast::Credit,
    schema: &model::Schema,
    rules: &model::Crediting,
) {
    for filled in columns(credit, schema, rules) {
        if !schema.column(filled.column).optional {
            continue;
        }
        let Some((schema_file, flag)) = optional_flag(db, ws, schema, filled.column) else { continue };
        let table = &schema.tables[filled.column.table];
        let name = format!("{}.{}", table.name, schema.column(filled.column).name);
        let problem =
            problems::column_cannot_be_optional(&name, filled.read_as, flag, file, filled.rule, &filled.read_for);
        report(db, schema_file, problem);
    }
}

/// The columns the rules read for every row, each with the span of the rule that reads it.
fn columns(credit: &ast::Credit, schema: &model::Schema, rules: &model::Crediting) -> Vec<Filled> {
    let rule = |wanted: fn(&CreditRule) -> bool| {
        credit.rules.iter().find(|r| wanted(&r.kind)).map_or(credit.keyword, |r| r.span)
    };
    let convert = rule(|r| matches!(r, CreditRule::Convert { .. }));
    let row = |table: model::TableId| schema.tables[table].name.clone();
    let mut out = vec![Filled {
        column: rules.amount,
        rule: match (&rules.convert, credit.rules.iter().find(|r| matches!(r.kind, CreditRule::Amount { .. }))) {
            (Some(_), _) => convert,
            (None, Some(named)) => named.span,
            (None, None) => rule(|r| matches!(r, CreditRule::Owner { .. })),
        },
        read_as: ReadAs::Amount,
        read_for: row(rules.deals),
    }];
    let currency = match (&rules.convert, &schema.column(rules.amount).ty) {
        (Some(c), _) => Some(c.deal_currency),
        (None, ColumnType::MoneyIn(c)) => Some(ColumnId { table: rules.deals, column: *c }),
        _ => None,
    };
    if let Some(column) = currency {
        out.push(Filled { column, rule: convert, read_as: ReadAs::Currency, read_for: row(rules.deals) });
    }
    if let Some(splits) = &rules.splits {
        let span = rule(|r| matches!(r, CreditRule::Splits { .. }));
        for column in [splits.deal, splits.rep, splits.share] {
            out.push(Filled { column, rule: span, read_as: ReadAs::Split, read_for: row(splits.table) });
        }
    }
    if let Some(c) = &rules.convert {
        for column in [c.rate_currency, c.rate_date, c.rate] {
            out.push(Filled { column, rule: convert, read_as: ReadAs::Rate, read_for: row(c.rates) });
        }
    }
    if let Some(e) = &rules.employed {
        out.push(Filled {
            column: e.hired,
            rule: rule(|r| matches!(r, CreditRule::Employed { .. })),
            read_as: ReadAs::Hired,
            read_for: row(rules.reps),
        });
    }
    out
}

/// Where a column is declared `optional`: the schema's file and the flag.
fn optional_flag(db: &dyn Db, ws: Workspace, schema: &model::Schema, column: ColumnId) -> Option<(SourceFile, Span)> {
    let table = &schema.tables[column.table];
    let name = &table.columns[column.column].name;
    // The first declaration of a table is the one the model holds (a second is reported).
    let (file, declared) =
        all(db, ws, super::file_schemas).into_iter().find(|(_, s)| s.kind.name.text == table.name)?;
    declared.kind.fields.iter().find_map(|field| match &field.kind {
        ast::Field::Column(c) if c.name.text == *name => {
            c.flags.iter().find(|(flag, _)| *flag == ColumnFlag::Optional).map(|(_, span)| (file, *span))
        }
        _ => None,
    })
}
