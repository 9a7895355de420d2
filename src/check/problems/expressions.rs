//! Problems of an expression's types and units (`expr.rs`), and of literals no data value can equal
//! (`literals.rs`).

use super::help_if;
use crate::ast::{self, BinaryOp, CompareOp, ExprKind, Scope, Span};
use crate::check::expr::Operands;
use crate::diagnostics::{codes, did_you_mean, Code, Diagnostic};
use crate::model::{self, limits};
use crate::types::{Currency, Ty};
use chrono::NaiveDate;

/// The help shared by every use of an amount in each row's own currency.
const USE_CREDIT_AMOUNT: &str = "use `credit.amount`, which is converted into the credit currency";

/// A condition that is not true-or-false.
pub(crate) fn not_a_condition(ty: &Ty, span: Span) -> Diagnostic {
    let help = match ty {
        Ty::Text => "compare it: `… is \"value\"`",
        _ => "compare it with a value: `… >= 100%`",
    };
    Diagnostic::new(&codes::NOT_A_CONDITION, format!("this is {ty}, not a condition"))
        .primary(span, "expected true or false")
        .help(help)
}

/// An amount (`what`: "the earning `x`", "a cap"…) in another currency than the plan pays in.
pub(crate) fn amount_in_another_currency(what: &str, currency: &str, plan_currency: &str, span: Span) -> Diagnostic {
    Diagnostic::new(&codes::CURRENCY_MISMATCH, format!("{what} is in {currency}, but the plan pays in {plan_currency}"))
        .primary(span, format!("money ({currency})"))
        .help(format!("write the amount in {plan_currency}; amounts are converted only at credit time"))
}

/// An amount that is in each row's own currency, where the plan's currency is needed.
pub(crate) fn amount_in_each_rows_currency(what: &str, column: &str, span: Span) -> Diagnostic {
    Diagnostic::new(&codes::UNCONVERTED_MONEY, format!("{what} is in each row's own currency"))
        .primary(span, format!("the currency varies with `{column}`"))
        .help(USE_CREDIT_AMOUNT)
}

/// An amount the plan pays (`what`) that is not money. `units` names the column credited when the
/// crediting rules credit units (`credit deal.seats`): a sum of credit is then a count of them.
pub(crate) fn not_money(what: &str, ty: &Ty, span: Span, units: Option<&str>) -> Diagnostic {
    let help = match (ty, units) {
        (Ty::Number, Some(column)) => format!(
            "credit is in units (`credit deal.{column}`): `credit.amount` and a sum of it are a number of {column}, \
             not money, and so is a rate of them; pay a price per unit (`10 USD × seats_sold period`, \
             `50 USD per deal`)"
        ),
        (Ty::Percent, _) => "apply the rate to an amount: `5% of bookings period`".to_string(),
        _ => "an amount is written like `500 USD`".to_string(),
    };
    Diagnostic::new(&codes::WRONG_RESULT_TYPE, format!("{what} must be money, but this is {ty}"))
        .primary(span, "expected money")
        .help(help)
}

/// A `quarter` scope in a plan paying yearly: its one pay period is the year, which has no
/// quarter to date of its own (the last quarter would be a silent guess).
pub(crate) fn quarter_on_a_yearly_plan(span: Span) -> Diagnostic {
    Diagnostic::new(&codes::SCOPE_MISUSE, "this plan pays yearly: it has no quarter to read")
        .primary(span, "which quarter of the year?")
        .help("read the year (`period`, `ytd` or `year` are all the plan year here), or pay quarterly")
}

/// A scope written after something that is not a measure or a quota.
pub(crate) fn scope_on_an_expression(scope: Scope, span: Span) -> Diagnostic {
    Diagnostic::new(&codes::SCOPE_MISUSE, format!("only a measure or a quota can be read `{}`", scope.keyword()))
        .primary(span, "unexpected scope")
}

/// A minus sign before a value that is not a number.
pub(crate) fn cannot_negate(ty: &Ty, span: Span) -> Diagnostic {
    Diagnostic::new(&codes::TYPE_MISMATCH, format!("{ty} cannot be negated")).primary(span, format!("this is {ty}"))
}

/// `not` before something that is not a condition.
pub(crate) fn not_of_a_non_condition(ty: &Ty, span: Span) -> Diagnostic {
    Diagnostic::new(&codes::NOT_A_CONDITION, format!("`not` needs a condition, but this is {ty}"))
        .primary(span, "expected true or false")
}

/// `is empty` on a column the schema does not declare `optional` (`value` is the column as written).
pub(crate) fn never_empty(value: &ast::Expr) -> Diagnostic {
    let name = match &value.kind {
        ExprKind::Path(p) => p.text(),
        _ => "this column".to_string(),
    };
    Diagnostic::new(&codes::EMPTY_TEST, format!("`{name}` is never empty: the schema does not declare it `optional`"))
        .primary(value.span, "always filled in")
        .help("test an optional column, or declare this one `optional` in its `schema` if it may be blank")
}

/// `is empty` on something that is not a column.
pub(crate) fn empty_test_of_a_non_column(span: Span) -> Diagnostic {
    Diagnostic::new(&codes::EMPTY_TEST, "only a column of a row can be empty")
        .primary(span, "not a column")
        .help("write the column, such as `deal.paid is empty`")
}

/// A range of dates that ends before it starts.
pub(crate) fn range_ends_before_it_starts(from: NaiveDate, to: NaiveDate, span: Span) -> Diagnostic {
    Diagnostic::new(&codes::EMPTY_RANGE, format!("the range ends ({to}) before it starts ({from})"))
        .primary(span, "no day is in this range")
}

/// A rate applied to an amount in each row's own currency.
pub(crate) fn rate_of_an_unconverted_amount(span: Span) -> Diagnostic {
    Diagnostic::new(&codes::UNCONVERTED_MONEY, "this amount is in each row's own currency")
        .primary(span, "not converted")
        .help(USE_CREDIT_AMOUNT)
}

/// A rate applied to something that is not an amount.
pub(crate) fn rate_of_a_non_amount(ty: &Ty, span: Span) -> Diagnostic {
    Diagnostic::new(&codes::TYPE_MISMATCH, format!("a rate applies to an amount, but this is {ty}"))
        .primary(span, format!("this is {ty}"))
}

/// `of` after something that is neither a rate nor a table.
pub(crate) fn of_without_a_rate(ty: &Ty, of_span: Span) -> Diagnostic {
    Diagnostic::new(&codes::TYPE_MISMATCH, format!("`of` needs a rate or a table on its left, but this is {ty}"))
        .primary(of_span, "expected a percentage or a table before `of`")
        .help("write `5% of bookings period`, or `TABLE of bookings ytd`")
}

/// A call of a function other than `min` and `max`.
pub(crate) fn unknown_function(name: &str, span: Span) -> Diagnostic {
    let help = match did_you_mean(name, ["min", "max"]) {
        Some(s) => format!("did you mean `{s}`?"),
        None => "the functions are `min(a, b, …)` and `max(a, b, …)`".to_string(),
    };
    Diagnostic::new(&codes::UNKNOWN_NAME, format!("unknown function `{name}`"))
        .primary(span, "not a function")
        .help(help)
}

/// `min` or `max` of a single value.
pub(crate) fn too_few_values(function: &str, span: Span) -> Diagnostic {
    Diagnostic::new(&codes::TYPE_MISMATCH, format!("`{function}` needs at least two values"))
        .primary(span, "one value has no minimum or maximum to take")
}

/// An operand of arithmetic in each row's own currency.
pub(crate) fn operand_in_each_rows_currency(column: &str, span: Span) -> Diagnostic {
    Diagnostic::new(&codes::UNCONVERTED_MONEY, "this amount is in each row's own currency")
        .primary(span, format!("the currency varies with `{column}`"))
        .help(USE_CREDIT_AMOUNT)
}

/// `and` or `or` joining something that is not a condition.
pub(crate) fn joins_a_non_condition(op: BinaryOp, ty: &Ty, span: Span) -> Diagnostic {
    Diagnostic::new(&codes::NOT_A_CONDITION, format!("`{}` joins conditions, but this is {ty}", op.symbol()))
        .primary(span, "expected true or false")
}

/// Arithmetic the rules of units do not define (`money + percent`, `USD + EUR`, `money × money`…).
pub(crate) fn operands_do_not_combine(op: BinaryOp, lt: &Ty, rt: &Ty, at: Operands) -> Diagnostic {
    use Ty::{Money, Percent};
    let symbol = op.symbol();
    let (code, message, help): (&'static Code, String, Option<&str>) = match (op, lt, rt) {
        (_, Money(Currency::Code(a)), Money(Currency::Code(b))) if a != b && op != BinaryOp::Mul => (
            &codes::CURRENCY_MISMATCH,
            format!("`{symbol}` mixes {a} and {b}"),
            Some("amounts are converted into one currency at credit time; write both in the plan's currency"),
        ),
        (BinaryOp::Mul, Money(_), Money(_)) => (
            &codes::MONEY_TIMES_MONEY,
            "money cannot be multiplied by money".to_string(),
            Some("multiply an amount by a rate (`5%`) or a number (`3`)"),
        ),
        (BinaryOp::Add | BinaryOp::Sub, Money(_), Percent) | (BinaryOp::Add | BinaryOp::Sub, Percent, Money(_)) => (
            &codes::TYPE_MISMATCH,
            format!("`{symbol}` cannot combine money and a percentage"),
            Some("apply the rate to an amount first: `5% of bookings period`"),
        ),
        _ => (&codes::TYPE_MISMATCH, format!("`{symbol}` is not defined for {lt} and {rt}"), None),
    };
    let diagnostic = Diagnostic::new(code, message)
        .primary(at.op, format!("{lt} {symbol} {rt}"))
        .secondary(at.lhs, format!("{lt}"))
        .secondary(at.rhs, format!("{rt}"));
    help_if(diagnostic, help.map(str::to_string))
}

/// A comparison of amounts in two currencies.
pub(crate) fn comparing_currencies(lt: &Ty, rt: &Ty, span: Span) -> Diagnostic {
    Diagnostic::new(&codes::CURRENCY_MISMATCH, format!("comparing {lt} with {rt}"))
        .primary(span, "different currencies")
        .help("compare amounts in the plan's currency (`credit.amount` is converted)")
}

/// Two values of a choice (`7% if c, else 500 USD`) that are not of one kind: whichever is chosen,
/// the rest of the expression must read it the same way.
pub(crate) fn choice_of_two_kinds(first: &Ty, other: &Ty, first_span: Span, other_span: Span) -> Diagnostic {
    let (code, message, help): (&'static Code, String, &str) = match (first, other) {
        (Ty::Money(Currency::Code(a)), Ty::Money(Currency::Code(b))) => (
            &codes::CURRENCY_MISMATCH,
            format!("the values of this choice are in {a} and {b}"),
            "write every value in the plan's currency; amounts are converted only at credit time",
        ),
        (Ty::Money(_), Ty::Percent) | (Ty::Percent, Ty::Money(_)) => (
            &codes::TYPE_MISMATCH,
            format!("the values of this choice are {first} and {other}"),
            "every value of a choice is of one kind: rates in one choice, applied with `of` (`(7% if deal.new_logo, else 5%) of credit.amount`), or amounts in another",
        ),
        _ => (
            &codes::TYPE_MISMATCH,
            format!("the values of this choice are {first} and {other}"),
            "every value of a choice is of one kind, so that what reads it reads it the same way whichever is chosen",
        ),
    };
    Diagnostic::new(code, message)
        .primary(other_span, format!("{other}"))
        .secondary(first_span, format!("{first}"))
        .help(help)
}

/// A comparison of values of different kinds, or an order asked of values that have none.
pub(crate) fn incomparable(op: CompareOp, lt: &Ty, rt: &Ty, at: Operands) -> Diagnostic {
    let ordered = !matches!(op, CompareOp::Eq | CompareOp::Ne);
    let message = if lt == rt {
        format!("{lt} has no order: `{}` cannot compare it", op.symbol())
    } else {
        format!("{lt} cannot be compared with {rt}")
    };
    let help = match (lt, rt) {
        (Ty::Text, _) | (_, Ty::Text) if ordered => "text is compared with `is` and `is not`",
        (Ty::Percent, Ty::Number) | (Ty::Number, Ty::Percent) => {
            "write the percentage with `%` on both sides (`50%`, not `0.5`)"
        }
        _ => "compare values of the same kind",
    };
    Diagnostic::new(&codes::INCOMPARABLE, message)
        .primary(at.op, "these cannot be compared")
        .secondary(at.lhs, format!("{lt}"))
        .secondary(at.rhs, format!("{rt}"))
        .help(help)
}

/// `credit.kind is "…"` naming a kind no credit row has.
pub(crate) fn unknown_credit_kind(kind: &str, span: Span) -> Diagnostic {
    let help = match did_you_mean(kind, model::CREDIT_KINDS) {
        Some(s) => format!("did you mean \"{s}\"?"),
        None => "credit kinds are \"direct\", \"split\", \"territory\" and \"rollup\"".to_string(),
    };
    Diagnostic::new(&codes::TYPE_MISMATCH, format!("no credit is of kind \"{kind}\""))
        .primary(span, "never true")
        .help(help)
}

/// `credit.kind is "…"` naming a kind of credit that no crediting rule of the workspace gives: `kind`
/// is `split`, `territory` or `rollup` (a direct credit comes from the owner rule every block has).
pub(crate) fn no_rule_gives_credit_kind(kind: &str, span: Span) -> Diagnostic {
    let rule = match kind {
        "split" => "deal by splits",
        "territory" => "deal by territory rep.COLUMN",
        _ => "rollup to rep.manager",
    };
    Diagnostic::new(&codes::BAD_CREDIT_RULES, format!("no crediting rule gives \"{kind}\" credit"))
        .primary(span, "no credit row is of this kind")
        .help(format!("add `{rule}` to the credit block, or remove the condition"))
}

/// A date written in the plan that no data file can hold.
pub(crate) fn date_out_of_range(day: NaiveDate, span: Span) -> Diagnostic {
    Diagnostic::new(&codes::INVALID_LITERAL, format!("`{day}` is out of range: {}", limits::date_range()))
        .primary(span, "out of range")
        .help(format!(
            "write the real date: data files hold no other dates (a plan without a planned end may run to {}-12-31 at the latest)",
            limits::LAST_YEAR
        ))
}

/// `months since` of something that is not a date.
pub(crate) fn months_since_a_non_date(ty: &Ty, span: Span) -> Diagnostic {
    Diagnostic::new(&codes::TYPE_MISMATCH, format!("`months since` counts from a date, but this is {ty}"))
        .primary(span, "expected a date")
        .help("count from a date column: `months since rep.hired`")
}

/// A text written in the plan that holds a control character other than tab: no cell can hold it.
pub(crate) fn control_in_text(text: &str, at: usize, c: char, span: Span) -> Diagnostic {
    Diagnostic::new(
        &codes::INVALID_LITERAL,
        format!("the text {text:?} holds the control character U+{:04X} at character {at}: no data cell can hold it", u32::from(c)),
    )
    .primary(span, "would never match")
    .help("remove it: data files refuse cells with a control character other than tab (`\\t`), so the text compares only with cells written without one")
}

/// A text written in the plan that begins (`at_start`) or ends with a space, which no cell holds.
pub(crate) fn padded_text(text: &str, at_start: bool, space: char, span: Span) -> Diagnostic {
    let end = if at_start { "begins" } else { "ends" };
    let trimmed = text.trim_matches(limits::is_space);
    Diagnostic::new(
        &codes::INVALID_LITERAL,
        format!(
            "the text \"{}\" {end} with {}: no data cell can hold it",
            text.replace('\t', "\\t"),
            limits::space_name(space)
        ),
    )
    .primary(span, "would never match")
    .help(format!("write \"{trimmed}\": data files refuse cells that begin or end with a space, so the text compares only with cells written without one"))
}
