//! Expressions and literals as written: conditions, amounts, rates and references.

use super::{Continued, Ident, Span};
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// An expression with the span of all of its text.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Expr {
    /// What the expression is.
    pub kind: ExprKind,
    /// Where it is.
    pub span: Span,
}

/// Which reps below a manager an override on the team's earnings reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Reach {
    /// `of every rep below`: every rep whose chain of managers reaches the evaluated rep.
    EveryRepBelow,
    /// `of direct reports`: the reps whose manager is the evaluated rep.
    DirectReports,
}

impl Reach {
    /// The words that spell it after the scope.
    pub fn words(self) -> &'static str {
        match self {
            Reach::EveryRepBelow => "of every rep below",
            Reach::DirectReports => "of direct reports",
        }
    }
}

/// The forms an expression takes; the checker gives each one a type with units.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ExprKind {
    /// `5000 USD`, `12.5%`, `2026-03-31`, `"AE"`, `true`.
    Literal(Literal),
    /// `bookings`, `rep.region`, `quotas.amount`: a definition, or a column of a row.
    Path(Path),
    /// `bookings ytd`: a measure, quota or attainment read in a scope.
    Scoped {
        /// The scoped expression (a path, in a well-formed plan).
        expr: Box<Expr>,
        /// The scope word.
        scope: Scope,
        /// Where the scope word is.
        scope_span: Span,
    },
    /// `commission period of every rep below`, `enterprise_ae.commission period of direct reports`:
    /// an earning (of a plan, when named with it) of the reps below the evaluated rep, read in a scope.
    Team {
        /// The earning read, with its scope (a scoped path, in a well-formed plan).
        expr: Box<Expr>,
        /// Which reps below.
        reach: Reach,
        /// Where `of every rep below` or `of direct reports` is written.
        reach_span: Span,
    },
    /// `min(a, b)`.
    Call {
        /// The function's name.
        func: Ident,
        /// Its arguments in order, each with the comments before it when the list was continued on
        /// the next line.
        args: Vec<Continued<Expr>>,
    },
    /// `-x`, `not x`.
    Unary {
        /// The operator.
        op: UnaryOp,
        /// Its operand.
        operand: Box<Expr>,
    },
    /// `a + b - c`, `a × b / c`, `a and b and c`: operands joined by operators of one precedence
    /// level, read from left to right. A chain is kept flat (not a left-deep tree) so that a long one
    /// costs no recursion in the lowering, the checker, the formatter or the derived traits.
    Chain {
        /// The first operand.
        head: Box<Expr>,
        /// Every operator with the operand after it, in order (at least one).
        links: Vec<Link>,
    },
    /// `a >= b`, `a is b`, `a is not b`.
    Compare {
        /// The comparison.
        op: CompareOp,
        /// How it was written: `is`, `>=`, or a mistaken `=` that the lowering reported.
        spelling: CompareSpelling,
        /// Where the operator is.
        op_span: Span,
        /// Left operand.
        lhs: Box<Expr>,
        /// Right operand.
        rhs: Box<Expr>,
    },
    /// `deal.paid is empty`, `deal.paid is not empty`: whether an optional cell is blank.
    IsEmpty {
        /// The cell tested (a column path).
        value: Box<Expr>,
        /// `is not empty`.
        negated: bool,
        /// Where `is [not] empty` is.
        op_span: Span,
    },
    /// `deal.product in ("Platform", "Add-on")`, `not in`: whether a value is one of a list.
    In {
        /// The value tested.
        value: Box<Expr>,
        /// The values it may be, each with the comments before it when the list was continued on
        /// the next line.
        set: Vec<Continued<Expr>>,
        /// `not in`.
        negated: bool,
        /// Where `in` (or `not in`) is.
        op_span: Span,
    },
    /// `deal.closed from 2026-03-01 to 2026-03-31`: both ends included (dates name whole days).
    Range {
        /// The value tested.
        value: Box<Expr>,
        /// First value in the range.
        from: Box<Expr>,
        /// Last value in the range.
        to: Box<Expr>,
    },
    /// `base_rate of bookings ytd`, `2% of team_bookings period`: a table or a rate applied to a base.
    Of {
        /// The table or rate.
        rate: Box<Expr>,
        /// The base it applies to.
        base: Box<Expr>,
        /// Where `of` is.
        of_span: Span,
    },
    /// `( … )`, kept so that the formatter prints what the admin wrote.
    Paren(Box<Expr>),
    /// `months since rep.hired`: the months from a date's month to the pay period's, that month
    /// counted as month 1.
    MonthsSince(Box<Expr>),
    /// `7% if deal.new_logo, else 5%`, `10% if a, else 7% if b, else 5%`: a value chosen by
    /// conditions, read from left to right. Kept flat, as a chain is, so that a long run of
    /// `else … if` costs no recursion.
    Choice {
        /// The first value, chosen when the first arm's condition holds.
        first: Box<Expr>,
        /// Each `if` with the `else` after it, in order (at least one).
        arms: Vec<ChoiceArm>,
    },
}

/// One `if CONDITION, else VALUE` of a [`ExprKind::Choice`]: the condition chooses the value
/// before it; the value after `else` is the next arm's value, or the last value of the choice.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ChoiceArm {
    /// Where `if` is.
    pub if_span: Span,
    /// The condition that chooses the value before it.
    pub condition: Expr,
    /// Where `else` is.
    pub else_span: Span,
    /// The value after `else`, with the comments of the line break before it.
    pub value: Continued<Expr>,
}

/// One operator of a [`ExprKind::Chain`] and the operand after it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Link {
    /// The operator.
    pub op: BinaryOp,
    /// Where the operator is, for unit errors.
    pub op_span: Span,
    /// The operand on its right.
    pub operand: Expr,
    /// Whether the line breaks after the operator (the formatter keeps the break).
    pub broken: bool,
}

/// A dotted or plain reference.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Path {
    /// `rep` in `rep.region`, or the whole name in `bookings`.
    pub head: Ident,
    /// `region` in `rep.region`.
    pub field: Option<Ident>,
}

impl Path {
    /// The path as written, for messages.
    pub fn text(&self) -> String {
        match &self.field {
            Some(f) => format!("{}.{}", self.head.text, f.text),
            None => self.head.text.clone(),
        }
    }

    /// The whole path's span.
    pub fn span(&self) -> Span {
        match &self.field {
            Some(f) => self.head.span.to(f.span),
            None => self.head.span,
        }
    }
}

/// A literal value with its spelling, because `8.0` and `8.00` are equal decimals but not equal text.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Literal {
    /// The value.
    pub value: LiteralValue,
    /// The literal exactly as written.
    pub raw: String,
}

/// The value of a literal.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum LiteralValue {
    /// `5000 USD`.
    Money {
        /// The amount, exact.
        amount: Decimal,
        /// The ISO 4217 code as written.
        currency: String,
    },
    /// `12.5%`, stored as the number before `%` (12.5).
    Percent(Decimal),
    /// `3`, `1.5`.
    Number(Decimal),
    /// `2026-03-31`.
    Date(NaiveDate),
    /// `"AE"`, unescaped.
    Text(String),
    /// `true` or `false`.
    Bool(bool),
    /// A band's value that names a lookup table of rates (`100% and above : product_rate`), read
    /// for each deal; only a band's value is ever one.
    Table(String),
    /// A literal that did not make sense (`2026-02-30`); the lowering reported it.
    Invalid,
}

/// The windows a measure, quota or earning is read in (`docs/language.md`, Scopes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// The pay period.
    Period,
    /// The quarter of the plan year that contains the pay period.
    Quarter,
    /// From the start of the plan year through the pay period.
    Ytd,
    /// The whole plan year (quotas only).
    Year,
}

impl Scope {
    /// The keyword that spells the scope.
    pub fn keyword(self) -> &'static str {
        match self {
            Scope::Period => "period",
            Scope::Quarter => "quarter",
            Scope::Ytd => "ytd",
            Scope::Year => "year",
        }
    }
}

/// Prefix operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UnaryOp {
    /// `-x`.
    Neg,
    /// `not x`.
    Not,
}

/// Infix operators other than comparisons.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinaryOp {
    /// `+`.
    Add,
    /// `-`.
    Sub,
    /// `×` or `*`.
    Mul,
    /// `÷` or `/`.
    Div,
    /// `and`.
    And,
    /// `or`.
    Or,
}

impl BinaryOp {
    /// The canonical spelling, used by messages and the formatter.
    pub fn symbol(self) -> &'static str {
        match self {
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Mul => "×",
            BinaryOp::Div => "/",
            BinaryOp::And => "and",
            BinaryOp::Or => "or",
        }
    }
}

/// Comparisons.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CompareOp {
    /// `is`.
    Eq,
    /// `is not`.
    Ne,
    /// `<`.
    Lt,
    /// `<=`.
    Le,
    /// `>`.
    Gt,
    /// `>=`.
    Ge,
}

/// How a comparison was spelled: the formatter keeps `is` and symbols apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CompareSpelling {
    /// `is` / `is not`.
    Words,
    /// `<`, `>=`, `!=` and friends.
    Symbol,
}

impl CompareOp {
    /// The canonical spelling, used by messages and the formatter.
    pub fn symbol(self) -> &'static str {
        match self {
            CompareOp::Eq => "is",
            CompareOp::Ne => "is not",
            CompareOp::Lt => "<",
            CompareOp::Le => "<=",
            CompareOp::Gt => ">",
            CompareOp::Ge => ">=",
        }
    }
}
