//! Chains of operators (`a + b - c`, `a × b / c`, `a and b and c`): typed from left to right, as a
//! left-deep tree would be, and lowered to a model tree of logarithmic depth.
//!
//! The model has binary nodes only, and what reads it (the runtime, explanations, the row compiler)
//! recurses into them: the left-deep tree of a 9,000-term sum would be 9,000 levels deep. So a chain
//! is regrouped, which is exact because the runtime's arithmetic is exact (rational, never rounded):
//! a sum becomes the sum of its added terms minus the sum of its subtracted ones, a product the
//! product of its factors divided by the product of its divisors, and `and` / `or` group any way
//! (they are still evaluated from left to right, stopping at the first operand that decides). A
//! division by zero is still one, since a product is zero only when a factor is; only where an
//! intermediate result would overflow can differ, and an overflow is an error either way.

use super::expr::{Checker, Operands, Rows};
use crate::ast::{self, BinaryOp};
use crate::model;
use crate::types::Ty;

impl Checker<'_> {
    /// Checks a chain: each operator is typed with everything before it as its left operand.
    pub(crate) fn chain(&mut self, head: &ast::Expr, links: &[ast::Link], rows: Rows) -> (model::Expr, Ty) {
        let (first, mut ty) = self.expr(head, rows);
        let mut left_span = head.span;
        let mut rest = Vec::with_capacity(links.len());
        for link in links {
            let (operand, operand_ty) = self.expr(&link.operand, rows);
            let at = Operands { op: link.op_span, lhs: left_span, rhs: link.operand.span };
            ty = self.binary_type(link.op, &ty, &operand_ty, at);
            left_span = left_span.to(link.operand.span);
            rest.push((link.op, operand));
        }
        (lowered(first, rest), ty)
    }
}

/// The model of `first op₁ e₁ op₂ e₂ …`, where every operator belongs to one precedence level.
pub(crate) fn lowered(first: model::Expr, rest: Vec<(BinaryOp, model::Expr)>) -> model::Expr {
    let (join, inverse) = match rest.first().map(|(op, _)| *op) {
        None => return first,
        Some(op @ (BinaryOp::And | BinaryOp::Or)) => (op, op),
        Some(BinaryOp::Add | BinaryOp::Sub) => (BinaryOp::Add, BinaryOp::Sub),
        Some(BinaryOp::Mul | BinaryOp::Div) => (BinaryOp::Mul, BinaryOp::Div),
    };
    let mut kept = vec![first];
    let mut inverted = Vec::new();
    for (op, e) in rest {
        if op == join {
            kept.push(e);
        } else {
            inverted.push(e);
        }
    }
    let kept = joined(join, kept);
    match joined(join, inverted) {
        Some(inverted) => binary(inverse, kept, inverted),
        None => kept,
    }
    .map_or_else(super::expr::placeholder, |(e, _)| e)
}

/// Joins operands with one associative operator, in order, into a tree no deeper than needed:
/// subtrees of equal depth are paired like the digits of a binary counter, and a run of shallower
/// subtrees is joined on its own before it meets a deeper one. So n plain operands make a tree of
/// depth about log₂ n, and a deep operand (a parenthesis) ends a few levels below the chain's root
/// wherever it stands, instead of one level per operand before it.
fn joined(op: BinaryOp, operands: Vec<model::Expr>) -> Option<(model::Expr, usize)> {
    // Subtrees with their depths, strictly shallower towards the top.
    let mut stack: Vec<(model::Expr, usize)> = Vec::new();
    for operand in operands {
        let depth = depth(&operand);
        let mut node = Some((operand, depth));
        let mut run: Option<(model::Expr, usize)> = None;
        while stack.last().is_some_and(|top| top.1 < depth) {
            let top = stack.pop();
            run = match run {
                None => top,
                Some(right) => top.and_then(|left| binary(op, Some(left), right)),
            };
        }
        if run.is_some() {
            node = node.and_then(|right| binary(op, run, right));
        }
        while let Some(right) = node.take_if(|n| stack.last().is_some_and(|top| top.1 <= n.1)) {
            node = binary(op, stack.pop(), right);
        }
        stack.extend(node);
    }
    let mut acc = stack.pop()?;
    while let Some(left) = stack.pop() {
        acc = binary(op, Some(left), acc)?;
    }
    Some(acc)
}

/// `left op right` with its depth (`None` only when `left` is).
fn binary(
    op: BinaryOp,
    left: Option<(model::Expr, usize)>,
    right: (model::Expr, usize),
) -> Option<(model::Expr, usize)> {
    let (lhs, left_depth) = left?;
    let depth = left_depth.max(right.1) + 1;
    Some((model::Expr::Binary { op, lhs: Box::new(lhs), rhs: Box::new(right.0) }, depth))
}

/// How many levels a model expression has (recursive: the nesting limit bounds it).
fn depth(e: &model::Expr) -> usize {
    use model::Expr::*;
    1 + match e {
        Table { base: Some(inner), .. }
        | Neg(inner)
        | Not(inner)
        | IsEmpty { value: inner, .. }
        | MonthsSince(inner) => depth(inner),
        Binary { lhs, rhs, .. } | Compare { lhs, rhs, .. } => depth(lhs).max(depth(rhs)),
        Range { value, from, to } => depth(value).max(depth(from)).max(depth(to)),
        Min(args) | Max(args) => args.iter().map(depth).max().unwrap_or(0),
        Choice { arms, otherwise } => {
            arms.iter().map(|(c, v)| depth(c).max(depth(v))).fold(depth(otherwise), usize::max)
        }
        Const(_)
        | Rep(_)
        | Row(_)
        | Credit(_)
        | Measure { .. }
        | Quota { .. }
        | Attainment(_)
        | Earning { .. }
        | TeamEarning { .. }
        | Table { base: None, .. } => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::{depth, lowered};
    use crate::ast::BinaryOp;
    use crate::model::{Const, Expr};
    use rust_decimal::Decimal;

    fn n(x: i64) -> Expr {
        Expr::Const(Const::Number(Decimal::from(x)))
    }

    fn bin(op: BinaryOp, lhs: Expr, rhs: Expr) -> Expr {
        Expr::Binary { op, lhs: Box::new(lhs), rhs: Box::new(rhs) }
    }

    #[test]
    fn a_long_chain_is_logarithmically_deep() {
        let chain = lowered(n(0), (1..9000).map(|i| (BinaryOp::Add, n(i))).collect());
        assert_eq!(depth(&chain), 15, "ceil(log2 9000) = 14 levels of `+` above the constants");
    }

    #[test]
    fn subtraction_and_division_regroup_into_one_inverse() {
        let sum = lowered(n(1), vec![(BinaryOp::Sub, n(2)), (BinaryOp::Add, n(3)), (BinaryOp::Sub, n(4))]);
        // 1 - 2 + 3 - 4 = (1 + 3) - (2 + 4)
        let expected = bin(BinaryOp::Sub, bin(BinaryOp::Add, n(1), n(3)), bin(BinaryOp::Add, n(2), n(4)));
        assert_eq!(sum, expected);
        let product = lowered(n(1), vec![(BinaryOp::Div, n(2)), (BinaryOp::Mul, n(3))]);
        // 1 / 2 × 3 = (1 × 3) / 2
        assert_eq!(product, bin(BinaryOp::Div, bin(BinaryOp::Mul, n(1), n(3)), n(2)));
        assert_eq!(lowered(n(1), vec![(BinaryOp::Sub, n(2))]), bin(BinaryOp::Sub, n(1), n(2)));
    }

    #[test]
    fn a_deep_operand_stays_near_the_root_wherever_it_stands() {
        let mut deep = n(0);
        for _ in 0..50 {
            deep = Expr::Neg(Box::new(deep));
        }
        for at in [0, 1, 500, 999] {
            let mut operands: Vec<Expr> = (0..1000).map(n).collect();
            operands[at] = deep.clone();
            let mut operands = operands.into_iter();
            let first = operands.next().unwrap_or_else(|| n(0));
            let chain = lowered(first, operands.map(|e| (BinaryOp::And, e)).collect());
            assert!(depth(&chain) <= depth(&deep) + 2, "deep operand at {at}: {}", depth(&chain));
        }
    }
}
