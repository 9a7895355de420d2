//! The types of plan expressions, with units: money carries its currency, percent is not money.
//!
//! The checker infers a [`Ty`] for every expression and refuses the combinations `docs/language.md` (Types and units) rules out
//! (`money + percent`, `USD + EUR`, `money × money`); the runtime relies on those guarantees and
//! carries plain decimals.

use std::fmt;

/// The type of a value in a plan.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Ty {
    /// An amount of money in a currency.
    Money(Currency),
    /// A ratio written with `%` (attainments, rates, shares).
    Percent,
    /// A plain number (counts, multipliers).
    Number,
    /// A calendar day.
    Date,
    /// Text (ids, names, categories).
    Text,
    /// True or false (conditions, flags).
    Bool,
    /// A plan year (`quotas.year`).
    Year,
    /// An ISO 4217 code held in data (`deals.currency`).
    CurrencyCode,
    /// The type of an expression that already produced an error: it unifies with everything, so one
    /// mistake is reported once.
    Error,
}

/// The currency of an amount.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Currency {
    /// A fixed ISO 4217 code.
    Code(String),
    /// A currency that varies row by row, named by a column (`money in currency`): unusable in
    /// arithmetic until converted.
    PerRow(String),
}

impl Ty {
    /// Money in a fixed currency.
    pub fn money(code: &str) -> Ty {
        Ty::Money(Currency::Code(code.to_string()))
    }

    /// True for the error type, which stands for "already reported".
    pub fn is_error(&self) -> bool {
        matches!(self, Ty::Error)
    }

    /// True for numbers, percentages and money: the types that have an order and arithmetic.
    pub fn is_numeric(&self) -> bool {
        matches!(self, Ty::Money(_) | Ty::Percent | Ty::Number)
    }
}

impl fmt::Display for Ty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ty::Money(Currency::Code(code)) => write!(f, "money ({code})"),
            Ty::Money(Currency::PerRow(column)) => write!(f, "money in each row's `{column}`"),
            Ty::Percent => f.write_str("percent"),
            Ty::Number => f.write_str("number"),
            Ty::Date => f.write_str("date"),
            Ty::Text => f.write_str("text"),
            Ty::Bool => f.write_str("true/false"),
            Ty::Year => f.write_str("year"),
            Ty::CurrencyCode => f.write_str("currency code"),
            Ty::Error => f.write_str("unknown"),
        }
    }
}
