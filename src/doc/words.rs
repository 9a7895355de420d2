//! The checked model in words: expressions, scopes, amounts and percentages as a plan document
//! writes them, read from the model's resolved names (never from the source text).

use crate::model::{BinaryOp, CompareOp, Const, CreditField, Expr, Plan, Scope, Workspace};
use crate::num::grouped;
use rust_decimal::Decimal;

/// A percentage from a fraction (`0.04` → `4%`).
pub fn percent(d: Decimal) -> String {
    match d.checked_mul(Decimal::ONE_HUNDRED) {
        Some(p) => format!("{}%", p.normalize()),
        None => format!("{d} (as a fraction)"),
    }
}

/// An exact share in words: a percentage when it is a whole number of hundredths or thousandths
/// (`50%`, `12.5%`), else the fraction (`1/3`).
pub fn share(r: crate::num::Ratio) -> String {
    match r.to_decimal().and_then(|d| d.checked_mul(Decimal::ONE_HUNDRED)) {
        Some(p) if p.normalize().scale() <= 4 => format!("{}%", p.normalize()),
        _ => format!("{}/{}", r.numer(), r.denom()),
    }
}

/// An amount in the plan's currency, grouped with the plan's decimals (`5,000.00 USD`).
pub fn money(plan: &Plan, d: Decimal) -> String {
    let mut d = d;
    if d.scale() < plan.rounding.decimals {
        d.rescale(plan.rounding.decimals);
    }
    format!("{} {}", grouped(d), plan.currency)
}

/// A scope as a reader says it.
pub fn scope(s: Scope) -> &'static str {
    match s {
        Scope::Period => "in the pay period",
        Scope::Quarter => "in the quarter to date",
        Scope::Ytd => "in the plan year to date",
        Scope::Year => "over the whole plan year",
    }
}

/// An expression in words, names in backticks.
pub fn expr(ws: &Workspace, plan: &Plan, e: &Expr) -> String {
    let w = |e: &Expr| expr(ws, plan, e);
    match e {
        Expr::Const(c) => constant(plan, c),
        Expr::Rep(c) => format!("the rep's `{}`", ws.schema.column(*c).name),
        Expr::Row(c) => {
            let table = &ws.schema.tables[c.table];
            format!("the {}'s `{}`", table.row_name, ws.schema.column(*c).name)
        }
        Expr::Credit(f) => match f {
            CreditField::Amount => "the credited amount".to_string(),
            CreditField::Kind => "the kind of credit".to_string(),
            CreditField::Date => "the credit's date".to_string(),
            CreditField::Reversal => "the credit is a reversal".to_string(),
            CreditField::Share => "the rep's share".to_string(),
        },
        Expr::Measure { id, scope: s } => format!("`{}` {}", plan.measures[*id].name, scope(*s)),
        Expr::Quota { id, scope: s } => format!("`{}` {}", plan.quotas[*id].name, scope(*s)),
        Expr::Attainment(a) => format!("`{}`", plan.attainments[*a].name),
        Expr::Earning { id, scope: s } => format!("the earning `{}` {}", plan.earnings[*id].name, scope(*s)),
        Expr::TeamEarning { earning, reach, scope: s, .. } => {
            format!("`{earning}` {} {}", reach.words(), scope(*s))
        }
        Expr::Table { id, base: Some(base) } => format!("`{}` applied to {}", plan.tables[*id].name, w(base)),
        Expr::Table { id, base: None } => format!("the value of `{}`", plan.tables[*id].name),
        Expr::MonthsSince(d) => format!("the months since {}", w(d)),
        Expr::Neg(x) => format!("minus {}", w(x)),
        Expr::Not(x) => format!("not ({})", w(x)),
        Expr::Binary { op, lhs, rhs } => {
            let op = match op {
                BinaryOp::Add => "+",
                BinaryOp::Sub => "−",
                BinaryOp::Mul => "×",
                BinaryOp::Div => "÷",
                BinaryOp::And => "and",
                BinaryOp::Or => "or",
            };
            format!("{} {op} {}", w(lhs), w(rhs))
        }
        Expr::Compare { op, lhs, rhs } => {
            let op = match op {
                CompareOp::Eq => "is",
                CompareOp::Ne => "is not",
                CompareOp::Lt => "is below",
                CompareOp::Le => "is at most",
                CompareOp::Gt => "is above",
                CompareOp::Ge => "is at least",
            };
            format!("{} {op} {}", w(lhs), w(rhs))
        }
        Expr::IsEmpty { value, negated } => {
            format!("{} is {}", w(value), if *negated { "not empty" } else { "empty" })
        }
        Expr::Range { value, from, to } => format!("{} is from {} to {}", w(value), w(from), w(to)),
        Expr::Min(args) => format!("the least of {}", list(ws, plan, args)),
        Expr::Max(args) => format!("the greatest of {}", list(ws, plan, args)),
        Expr::Choice { arms, otherwise } => {
            let arms: Vec<String> = arms.iter().map(|(c, v)| format!("{} if {}", w(v), w(c))).collect();
            format!("{}, else {}", arms.join(", else "), w(otherwise))
        }
    }
}

fn list(ws: &Workspace, plan: &Plan, args: &[Expr]) -> String {
    args.iter().map(|a| expr(ws, plan, a)).collect::<Vec<_>>().join(", ")
}

fn constant(plan: &Plan, c: &Const) -> String {
    match c {
        Const::Money(d) => money(plan, *d),
        Const::Percent(d) => percent(*d),
        Const::Number(d) => grouped(d.normalize()),
        Const::Date(d) => d.to_string(),
        Const::Text(t) => format!("“{t}”"),
        Const::Bool(b) => b.to_string(),
    }
}
