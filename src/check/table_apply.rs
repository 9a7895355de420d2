//! Applying a table where a plan uses it: `T` alone is its value at its key; `T of base` applies its
//! rate to a base, which must be the measure a marginal table's attainment is made of.

use super::expr::{placeholder, Checker, Rows};
use crate::ast::{self, TableMode};
use crate::diagnostics::codes;
use crate::model::{self, ValueKind};
use crate::types::{Currency, Ty};

impl Checker<'_> {
    /// Applies a table: `T` alone is its value at its key; `T of base` applies its rate to a base.
    pub(crate) fn apply_table(
        &mut self,
        index: usize,
        path: &ast::Path,
        base: Option<&ast::Expr>,
        rows: Rows,
    ) -> (model::Expr, Ty) {
        let Some(id) = self
            .plan
            .as_ref()
            .and_then(|p| p.defs.iter().position(|d| d.kind == super::plan::DefKind::Table && d.index == index))
        else {
            return (placeholder(), Ty::Error);
        };
        if let Some(plan) = self.plan.as_mut() {
            plan.used[id] = true;
        }
        let ty = self.ensure(id, path.head.span);
        let info = self.plan.as_ref().and_then(|p| p.tables[index].as_ref().map(|(_, info)| info.clone()));
        let name = &path.head.text;
        let Some(info) = info else {
            if let Some(b) = base {
                self.expr(b, rows);
            }
            return (placeholder(), Ty::Error);
        };
        if let Some(needed) = info.needs_row {
            if needed != rows {
                let what = match needed {
                    Rows::Table(t) => format!("a row of `{}`", self.schema.tables[t].name),
                    _ => "a deal".to_string(),
                };
                let d = self.error(
                    &codes::WRONG_KIND,
                    format!("the table `{name}` is keyed on a column of {what}"),
                    path.head.span,
                    format!("no {what} is at hand here"),
                );
                d.help = Some(format!("use it for each row, in a measure: `measure m = sum of {name} …`"));
                return (placeholder(), Ty::Error);
            }
        }
        let Some(base) = base else {
            if info.mode == TableMode::Marginal {
                let d = self.error(
                    &codes::WRONG_KIND,
                    format!("the marginal table `{name}` pays slices of a base"),
                    path.head.span,
                    "which base?",
                );
                d.help = Some(format!("apply it: `{name} of MEASURE SCOPE`"));
                return (placeholder(), Ty::Error);
            }
            if let model::TableKey::Measure { scope: None, .. } = info.key {
                let d = self.error(
                    &codes::SCOPE_MISUSE,
                    format!("the table `{name}` is keyed on a measure without a scope"),
                    path.head.span,
                    "in which window is its key read?",
                );
                d.help = Some(
                    "give the key a scope (`on bookings ytd`), or apply the table to a base (`T of bookings ytd`)"
                        .to_string(),
                );
                return (placeholder(), Ty::Error);
            }
            return (model::Expr::Table { id: index, base: None }, ty);
        };
        let (lowered, base_ty) = self.expr(base, rows);
        if base_ty.is_error() {
            return (placeholder(), Ty::Error);
        }
        // A key without a scope is read in the scope of the base: a base that is not a measure read
        // in a scope gives it none, and the key's window would be a silent guess.
        if matches!(info.key, model::TableKey::Measure { scope: None, .. })
            && !matches!(lowered, model::Expr::Measure { .. })
        {
            let d = self.error(
                &codes::SCOPE_MISUSE,
                format!("the table `{name}` is keyed on a measure without a scope"),
                path.head.span,
                "its base is not a measure in a scope: in which window is its key read?",
            );
            d.help = Some("give the key a scope: `table … on bookings ytd`".to_string());
            return (placeholder(), Ty::Error);
        }
        if info.values != ValueKind::Rate {
            let d = self.error(
                &codes::WRONG_KIND,
                format!("the table `{name}` pays amounts, not rates"),
                path.head.span,
                "cannot be applied to a base",
            );
            d.help = Some(format!("use its value directly: `earn … = {name}`"));
            return (placeholder(), Ty::Error);
        }
        if !matches!(base_ty, Ty::Money(Currency::Code(_)) | Ty::Number) {
            self.error(
                &codes::TYPE_MISMATCH,
                format!("a table's rate applies to an amount, but this is {base_ty}"),
                base.span,
                "expected an amount",
            );
            return (placeholder(), Ty::Error);
        }
        if info.mode == TableMode::Marginal {
            let numerator = match &info.key {
                model::TableKey::Attainment(a) => self
                    .plan
                    .as_ref()
                    .and_then(|p| p.attainments[*a].as_ref())
                    .map(|a| (a.measure, Some(a.measure_scope))),
                model::TableKey::Measure { id, scope } => Some((*id, *scope)),
                model::TableKey::Text(_) => None,
            };
            let matches = match (&lowered, numerator) {
                (model::Expr::Measure { id, scope }, Some((m, s))) => *id == m && s.is_none_or(|s| s == *scope),
                _ => false,
            };
            if !matches {
                let expected = numerator.map(|(m, s)| {
                    let measure = self
                        .plan
                        .as_ref()
                        .and_then(|p| p.measures[m].as_ref())
                        .map_or(String::new(), |m| m.name.clone());
                    match s {
                        Some(s) => format!("{measure} {}", s.keyword()),
                        None => measure,
                    }
                });
                let d = self.error(
                    &codes::MARGINAL_BASE_MISMATCH,
                    format!("the marginal table `{name}` cannot slice this base"),
                    base.span,
                    "not the measure its key is made of",
                );
                if let Some(expected) = expected {
                    d.help = Some(format!("apply it to its key's measure: `{name} of {expected}`"));
                    d.notes.push("a marginal band [a, b) pays its rate on the slice of the attainment's measure between a × quota and b × quota".to_string());
                }
                return (placeholder(), Ty::Error);
            }
        }
        (model::Expr::Table { id: index, base: Some(Box::new(lowered)) }, base_ty)
    }
}
