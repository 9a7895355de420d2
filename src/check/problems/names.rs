//! Problems of reading a name (`names.rs`, and a definition read by its name in `plan.rs`): unknown
//! names, rows and columns, rows not at hand, and scopes where they do not belong.

use super::{help_if, suggestion};
use crate::ast::{self, Ident, Span};
use crate::check::expr::Rows;
use crate::check::source_map::DefKind;
use crate::diagnostics::{codes, did_you_mean, Diagnostic};
use crate::model::{self, CreditField, TableId};

/// A scope written after a column.
pub(crate) fn scope_on_a_column(path: &ast::Path, span: Span) -> Diagnostic {
    Diagnostic::new(&codes::SCOPE_MISUSE, format!("`{}` is a column: it has no scope", path.text()))
        .primary(span, "unexpected scope")
}

/// `row.FIELD` where the table of the row (`row`) has no column `FIELD`.
pub(crate) fn unknown_column(table: &model::Table, row: &str, field: &Ident) -> Diagnostic {
    let names: Vec<&str> = table.columns.iter().map(|c| c.name.as_str()).collect();
    let help = match did_you_mean(&field.text, names.iter().copied()) {
        Some(s) => format!("did you mean `{row}.{s}`?"),
        None => format!(
            "the columns of `{}` are {}",
            table.name,
            names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
        ),
    };
    Diagnostic::new(&codes::UNKNOWN_COLUMN, format!("`{}` has no column `{}`", table.name, field.text))
        .primary(field.span, "unknown column")
        .help(help)
}

/// `credit.FIELD` naming no field of a credit row.
pub(crate) fn unknown_credit_field(field: &Ident) -> Diagnostic {
    let help = match did_you_mean(&field.text, CreditField::ALL.iter().map(|(n, _)| *n)) {
        Some(s) => format!("did you mean `credit.{s}`?"),
        None => "credit rows have `amount`, `kind`, `date`, `reversal` and `share`; the deal's columns are read as `deal.COLUMN`".to_string(),
    };
    Diagnostic::new(&codes::UNKNOWN_COLUMN, format!("credit rows have no field `{}`", field.text))
        .primary(field.span, "unknown field")
        .help(help)
}

/// `TABLE.COLUMN`, which names a table rather than a row of it.
pub(crate) fn reads_a_whole_table(path: &ast::Path) -> Diagnostic {
    Diagnostic::new(&codes::WRONG_KIND, format!("`{}` reads the whole table `{}`", path.text(), path.head.text))
        .primary(path.span(), "a table, not a row")
        .help(format!("read it through a quota: `quota q = {} split evenly by month`, then `q period`", path.text()))
}

/// `HEAD.FIELD` where no table has rows called `HEAD` (`rows` are the row names there are).
pub(crate) fn unknown_row<'a>(head: &Ident, rows: impl IntoIterator<Item = &'a str>) -> Diagnostic {
    let d = Diagnostic::new(&codes::UNKNOWN_NAME, format!("unknown row `{}`", head.text))
        .primary(head.span, "no table has rows of this name");
    help_if(d, suggestion(&head.text, rows))
}

/// `credit.amount` in a workspace without crediting rules.
pub(crate) fn credit_amount_without_crediting_rules(span: Span) -> Diagnostic {
    Diagnostic::new(&codes::MISSING_SHARED, "credit amounts need crediting rules")
        .primary(span, "no `credit { … }` block in the workspace")
}

/// A row read where the expression is not evaluated for one (`rows` are the rows at hand).
pub(crate) fn row_not_at_hand(
    path: &ast::Path,
    rows: Rows,
    schema: &model::Schema,
    deals: Option<TableId>,
) -> Diagnostic {
    let why = match rows {
        Rows::Rep => "this is computed once per rep and period, not per deal".to_string(),
        Rows::Deal => "a territory is a condition on a deal only".to_string(),
        Rows::Any => String::new(),
        Rows::Credit => format!(
            "measures of credit read `credit`, `{}` and `rep`",
            deals.map_or("deal", |t| schema.tables[t].row_name.as_str())
        ),
        Rows::Table(t) => format!("this measure reads rows of `{}`", schema.tables[t].name),
    };
    let help = match rows {
        Rows::Rep => "deals are read in measures: sum or count them there (`measure m = sum of credit.amount where …`), then use the measure",
        _ => "read only the rows this expression is evaluated for",
    };
    Diagnostic::new(&codes::WRONG_KIND, format!("`{}` is not available here", path.head.text))
        .primary(path.span(), why)
        .help(help)
}

/// A row name (`deal`, `credit`) used as a value.
pub(crate) fn row_as_a_value(name: &Ident) -> Diagnostic {
    Diagnostic::new(&codes::WRONG_KIND, format!("`{}` is a row, not a value", name.text))
        .primary(name.span, "a whole row")
        .help(format!("read one of its columns: `{}.COLUMN`", name.text))
}

/// A name the plan does not define (`candidates` are the names it could have meant).
pub(crate) fn unknown_name<'a>(name: &Ident, candidates: impl IntoIterator<Item = &'a str>) -> Diagnostic {
    let d = Diagnostic::new(&codes::UNKNOWN_NAME, format!("unknown name `{}`", name.text))
        .primary(name.span, "not defined in this plan");
    help_if(d, suggestion(&name.text, candidates))
}

/// A scope written after a table's name.
pub(crate) fn scope_on_a_table(name: &Ident, span: Span) -> Diagnostic {
    Diagnostic::new(&codes::SCOPE_MISUSE, format!("the table `{}` has no scope", name.text))
        .primary(span, "unexpected scope")
        .help("a table takes the scope of its key; scope the base instead: `TABLE of bookings ytd`")
}

/// A quota or a measure read without a scope.
pub(crate) fn missing_scope(name: &Ident, kind: DefKind) -> Diagnostic {
    let options =
        if kind == DefKind::Quota { "`period`, `quarter`, `ytd` or `year`" } else { "`period`, `quarter` or `ytd`" };
    let text = &name.text;
    Diagnostic::new(&codes::SCOPE_MISUSE, format!("the {} `{text}` needs a scope", kind.word()))
        .primary(name.span, format!("in which window: {options}?"))
        .help(if kind == DefKind::Quota {
            format!("write `{text} period`, `{text} quarter`, `{text} ytd` or `{text} year` (the whole plan year)")
        } else {
            format!("write `{text} period`, `{text} quarter` or `{text} ytd`")
        })
}

/// A measure read `year`, which is a quota's scope only.
pub(crate) fn measure_read_per_year(span: Span) -> Diagnostic {
    Diagnostic::new(&codes::SCOPE_MISUSE, "a measure is read `period`, `quarter` or `ytd`")
        .primary(span, "not a measure scope")
        .help("`ytd` sums from the start of the plan year through the pay period")
}

/// A scope written after an attainment's name.
pub(crate) fn scope_on_an_attainment(name: &Ident, span: Span) -> Diagnostic {
    Diagnostic::new(&codes::SCOPE_MISUSE, format!("the attainment `{}` already has a scope", name.text))
        .primary(span, "unexpected scope")
        .help("an attainment is read in the scope of its measure")
}

/// An earning's name used where no earning has a value: in a measure, a quota, an attainment, a
/// table, an eligibility, a draw, or the amount or filter of a per-deal earning (`per_deal`).
pub(crate) fn earning_used_as_a_value(name: &Ident, per_deal: bool) -> Diagnostic {
    let text = &name.text;
    let (label, help) = if per_deal {
        (
            "a per-deal amount or filter is read on each deal, and an earning is paid per period",
            format!("read `{text} period` in the earning's gate or limits, or in an earning paid per period"),
        )
    } else {
        (
            "only another earning can read an earning",
            format!("read `{text} period` (or `quarter`, `ytd`) in an earning's amount, condition, gate or limits; share an amount between definitions through a measure"),
        )
    };
    Diagnostic::new(&codes::WRONG_KIND, format!("`{text}` is an earning: it has no value here"))
        .primary(name.span, label)
        .help(help)
}

/// `of every rep below` or `of direct reports` after something that is not an earning's name.
pub(crate) fn team_read_not_an_earning(span: Span) -> Diagnostic {
    Diagnostic::new(&codes::WRONG_KIND, "only an earning is read of the reps below")
        .primary(span, "not the name of an earning in a scope")
        .help("write an earning's name and a scope: `commission period of every rep below`, `enterprise_ae.commission ytd of direct reports`")
}

/// An override naming an earning that no plan of the workspace has (`plan`: the plan it is named
/// with, if any).
pub(crate) fn team_earning_no_plan_has(span: Span, plan: Option<&str>, earning: &str, reach: Span) -> Diagnostic {
    let message = match plan {
        Some(plan) => format!("the plan `{plan}` has no earning `{earning}`"),
        None => format!("no plan has an earning `{earning}`"),
    };
    Diagnostic::new(&codes::UNKNOWN_TEAM_EARNING, message)
        .primary(span, "no rep below could contribute to it")
        .secondary(reach, "read of the reps below")
        .help("name an earning of the reps' plans, with its plan when it is one plan's: `enterprise_ae.commission`")
}

/// An override on the team's earnings in a workspace whose credit block says nothing of managers.
pub(crate) fn team_earning_without_a_hierarchy(reach: Span) -> Diagnostic {
    Diagnostic::new(&codes::UNKNOWN_TEAM_EARNING, "no rep is below another: the credit block has no `rollup` rule")
        .primary(reach, "read of the reps below")
        .help("say who reports to whom in the credit block: `rollup to rep.manager`")
}

/// An override on an earning that a plan pays in another currency than the manager's plan.
pub(crate) fn team_earning_in_another_currency(span: Span, plan: &str, theirs: &str, ours: &str) -> Diagnostic {
    Diagnostic::new(
        &codes::UNKNOWN_TEAM_EARNING,
        format!("the plan `{plan}` pays this earning in {theirs}, not {ours}"),
    )
    .primary(span, format!("read in a plan paying {ours}"))
    .help("name the earning with its plan to read only the plans paying in this plan's currency")
}

/// An earning read `year`: the lines of the plan year's later pay periods are not paid yet.
pub(crate) fn earning_read_per_year(span: Span) -> Diagnostic {
    Diagnostic::new(&codes::SCOPE_MISUSE, "an earning is read `period`, `quarter` or `ytd`")
        .primary(span, "not an earning's scope: the year's later lines are not paid yet")
        .help("`ytd` sums its lines from the start of the plan year through the pay period; to pay on the whole year, write `once per year` without a condition (paid in the year's last pay period)")
}
