//! Checking one plan: its definitions (resolved lazily, which finds cycles; the header is read in
//! `header`), and the assembly of the checked model.
//!
//! Definitions may be used before they are written. Each is checked the first time something needs
//! it, after the definitions it names (found by a walk of its text, in a worklist rather than by
//! recursion, so that a chain of thousands of definitions each naming the next costs no stack); a
//! definition met again while it is being checked closes a cycle, reported with its path.

use super::expr::{Checker, Rows};
use super::items::DefinitionType;
use crate::ast::{self, Entry, Ident, Span};
use crate::diagnostics::{codes, Diagnostic};
use crate::model::{self};
use crate::types::Ty;
use std::collections::HashMap;

/// The kinds of named definitions a plan has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum DefKind {
    Quota,
    Measure,
    Attainment,
    Table,
    Earning,
    /// A broken item that would have defined the name; uses of it are not reported again.
    Broken,
}

impl DefKind {
    fn word(self) -> &'static str {
        match self {
            DefKind::Quota => "quota",
            DefKind::Measure => "measure",
            DefKind::Attainment => "attainment",
            DefKind::Table => "table",
            DefKind::Earning => "earning",
            DefKind::Broken => "definition",
        }
    }
}

/// One named definition of the plan.
pub(crate) struct Def<'a> {
    pub(crate) kind: DefKind,
    pub(crate) name: &'a Ident,
    /// Position among the definitions of its kind, which is its index in the model.
    pub(crate) index: usize,
    pub(crate) entry: &'a Entry,
}

/// How deep evaluating a definition goes, once it is checked (see `depth`).
#[derive(Clone, Copy, Debug)]
pub(crate) enum Depth {
    /// Not checked yet.
    Unchecked,
    /// Its depth, within the limit.
    Known(usize),
    /// Beyond the limit, and reported (or it uses a definition that is).
    TooDeep,
}

#[derive(Clone, Debug)]
enum State {
    Todo,
    InProgress,
    Done(Ty),
}

/// What the checker knows of a table once it is checked, to apply it.
#[derive(Clone, Debug)]
pub(crate) struct TableInfo {
    pub(crate) mode: ast::TableMode,
    pub(crate) values: model::ValueKind,
    pub(crate) key: model::TableKey,
    /// The rows the key reads (a lookup on `deal.product` needs a credit row), if any.
    pub(crate) needs_row: Option<super::expr::Rows>,
}

/// The plan-level state of a [`Checker`].
pub(crate) struct PlanState<'a> {
    pub(crate) defs: Vec<Def<'a>>,
    by_name: HashMap<&'a str, usize>,
    states: Vec<State>,
    stack: Vec<usize>,
    pub(crate) used: Vec<bool>,
    reported_cycles: Vec<Vec<usize>>,
    /// How deep evaluating each definition goes (see `depth`).
    pub(crate) depths: Vec<Depth>,
    pub(crate) quotas: Vec<Option<model::Quota>>,
    pub(crate) measures: Vec<Option<model::Measure>>,
    pub(crate) attainments: Vec<Option<model::Attainment>>,
    pub(crate) tables: Vec<Option<(model::RateTable, TableInfo)>>,
    pub(crate) earnings: Vec<model::Earning>,
}

impl PlanState<'_> {
    /// The definition a name stands for.
    pub(crate) fn by_name(&self, name: &str) -> Option<usize> {
        self.by_name.get(name).copied()
    }

    /// The type of every definition, in the order written; an earning is money in the plan's
    /// currency.
    fn types(&self, currency: Option<&str>) -> Vec<DefinitionType> {
        self.defs
            .iter()
            .zip(&self.states)
            .filter(|(def, _)| def.kind != DefKind::Broken)
            .map(|(def, state)| {
                let ty = match (def.kind, state, currency) {
                    (DefKind::Earning, _, Some(code)) => Ty::money(code),
                    (_, State::Done(ty), _) => ty.clone(),
                    _ => Ty::Error,
                };
                DefinitionType { name: def.name.text.clone(), ty }
            })
            .collect()
    }
}

impl<'a> Checker<'a> {
    fn plan_state(&self) -> Option<&PlanState<'a>> {
        self.plan.as_ref()
    }

    /// The names the plan defines, for "did you mean".
    pub(crate) fn definition_names(&self) -> impl Iterator<Item = &str> {
        self.plan_state().into_iter().flat_map(|p| p.defs.iter().map(|d| d.name.text.as_str()))
    }

    /// The index of the table a name defines, if it is a table.
    pub(crate) fn table_named(&self, name: &str) -> Option<usize> {
        let plan = self.plan_state()?;
        let def = &plan.defs[*plan.by_name.get(name)?];
        (def.kind == DefKind::Table).then_some(def.index)
    }

    /// Resolves a plain name to a definition of the plan, checking the definition first.
    pub(crate) fn definition(
        &mut self,
        name: &Ident,
        scope: Option<(ast::Scope, Span)>,
        rows: Rows,
    ) -> Option<(model::Expr, Ty)> {
        let plan = self.plan.as_mut()?;
        let id = *plan.by_name.get(name.text.as_str())?;
        plan.used[id] = true;
        let (kind, index) = (plan.defs[id].kind, plan.defs[id].index);
        let placeholder = || (super::expr::placeholder(), Ty::Error);
        if kind == DefKind::Table {
            let path = ast::Path { head: name.clone(), field: None };
            if let Some((_, span)) = scope {
                self.error(
                    &codes::SCOPE_MISUSE,
                    format!("the table `{}` has no scope", name.text),
                    span,
                    "unexpected scope",
                )
                .help = Some(
                    "a table takes the scope of its key; scope the base instead: `TABLE of bookings ytd`".to_string(),
                );
            }
            return Some(self.apply_table(index, &path, None, rows));
        }
        let ty = self.ensure(id, name.span);
        if ty.is_error() && kind == DefKind::Broken {
            return Some(placeholder());
        }
        Some(match kind {
            DefKind::Quota | DefKind::Measure => {
                let Some((scope, scope_span)) = scope else {
                    let word = kind.word();
                    let options = if kind == DefKind::Quota {
                        "`period`, `quarter`, `ytd` or `year`"
                    } else {
                        "`period`, `quarter` or `ytd`"
                    };
                    self.error(
                        &codes::SCOPE_MISUSE,
                        format!("the {word} `{}` needs a scope", name.text),
                        name.span,
                        format!("in which window: {options}?"),
                    )
                    .help =
                        Some(format!("write `{} period`, `{} quarter` or `{} ytd`", name.text, name.text, name.text));
                    return Some(placeholder());
                };
                if kind == DefKind::Measure && scope == ast::Scope::Year {
                    self.error(
                        &codes::SCOPE_MISUSE,
                        "a measure is read `period`, `quarter` or `ytd`",
                        scope_span,
                        "not a measure scope",
                    )
                    .help = Some("`ytd` sums from the start of the plan year through the pay period".to_string());
                    return Some(placeholder());
                }
                let expr = if kind == DefKind::Quota {
                    model::Expr::Quota { id: index, scope }
                } else {
                    model::Expr::Measure { id: index, scope }
                };
                (expr, ty)
            }
            DefKind::Attainment => {
                if let Some((_, span)) = scope {
                    self.error(
                        &codes::SCOPE_MISUSE,
                        format!("the attainment `{}` already has a scope", name.text),
                        span,
                        "unexpected scope",
                    )
                    .help = Some("an attainment is read in the scope of its measure".to_string());
                }
                (model::Expr::Attainment(index), Ty::Percent)
            }
            DefKind::Earning => {
                self.error(
                    &codes::WRONG_KIND,
                    format!("`{}` is an earning: other definitions cannot use it", name.text),
                    name.span,
                    "an earning",
                )
                .help = Some("define the amount as a measure or an expression both earnings use".to_string());
                placeholder()
            }
            DefKind::Table | DefKind::Broken => placeholder(),
        })
    }

    /// The type of a definition, checking it first if needed; reports a cycle when it is already
    /// being checked.
    pub(crate) fn ensure(&mut self, id: usize, at: Span) -> Ty {
        let Some(plan) = self.plan.as_mut() else { return Ty::Error };
        match plan.states[id].clone() {
            State::Done(ty) => ty,
            State::InProgress => {
                let start = plan.stack.iter().position(|&d| d == id).unwrap_or(0);
                let mut members: Vec<usize> = plan.stack[start..].to_vec();
                members.sort_unstable();
                if !plan.reported_cycles.contains(&members) {
                    plan.reported_cycles.push(members);
                    let mut path: Vec<&str> =
                        plan.stack[start..].iter().map(|&d| plan.defs[d].name.text.as_str()).collect();
                    path.push(&plan.defs[id].name.text);
                    let path = path.join(" → ");
                    let name = plan.defs[id].name.text.clone();
                    let defined = plan.defs[id].name.span;
                    let d = self.error(
                        &codes::CYCLE,
                        format!("`{name}` depends on itself"),
                        at,
                        format!("this makes `{name}` depend on itself"),
                    );
                    d.labels.push(crate::diagnostics::Label {
                        file: None,
                        span: defined,
                        message: format!("`{name}` is defined here"),
                        primary: false,
                    });
                    d.notes.push(format!("the cycle is {path}"));
                    d.help = Some("break the cycle: a measure cannot depend on a table keyed on an attainment of the same measure".to_string());
                }
                Ty::Error
            }
            State::Todo => self.settle(id),
        }
    }

    /// Checks a definition that is not checked yet, and first the definitions it names that are not
    /// checked yet either, depth first on an explicit stack (`plan.stack`, which `ensure` reads to
    /// report a cycle's path). When a definition is checked, what it names is done, or on the stack
    /// (a cycle, which `ensure` reports where the name is written). A name the walk of its text
    /// missed is still checked, by `ensure`, only recursively.
    fn settle(&mut self, root: usize) -> Ty {
        // Each definition on the stack with the definitions it names, not looked at yet.
        let mut work: Vec<(usize, std::vec::IntoIter<usize>)> = Vec::new();
        self.begin(root, &mut work);
        while let Some((top, named)) = work.last_mut() {
            let top = *top;
            let Some(plan) = self.plan.as_mut() else { return Ty::Error };
            if let Some(next) = named.find(|&d| matches!(plan.states[d], State::Todo)) {
                self.begin(next, &mut work);
                continue;
            }
            work.pop();
            let (entry, index, name) = (plan.defs[top].entry, plan.defs[top].index, plan.defs[top].name);
            let mut ty = self.check_definition(entry, index);
            // A definition with an error (a cycle, say) is reported already, and never evaluated.
            let depth = if ty.is_error() {
                None
            } else {
                self.depth_within_limit(&super::depth::definition_exprs(entry), name)
            };
            if depth.is_none() {
                ty = Ty::Error;
            }
            if let Some(plan) = self.plan.as_mut() {
                plan.stack.pop();
                plan.states[top] = State::Done(ty);
                plan.depths[top] = depth.map_or(Depth::TooDeep, Depth::Known);
            }
        }
        match self.plan.as_ref().map(|p| &p.states[root]) {
            Some(State::Done(ty)) => ty.clone(),
            _ => Ty::Error,
        }
    }

    /// Puts a definition on the stack of those being checked, with the definitions it names.
    fn begin(&mut self, id: usize, work: &mut Vec<(usize, std::vec::IntoIter<usize>)>) {
        let Some(plan) = self.plan.as_mut() else { return };
        plan.states[id] = State::InProgress;
        plan.stack.push(id);
        let named: Vec<usize> =
            references(plan.defs[id].entry).into_iter().filter_map(|n| plan.by_name.get(n).copied()).collect();
        work.push((id, named.into_iter()));
    }

    fn check_definition(&mut self, entry: &'a Entry, index: usize) -> Ty {
        match entry {
            Entry::Quota(q) => self.check_quota(q, index),
            Entry::Measure(m) => self.check_measure(m, index),
            Entry::Attainment(a) => self.check_attainment(a, index),
            Entry::Table(t) => self.check_table(t, index),
            _ => Ty::Error,
        }
    }
}

/// What checking one plan gives: the model when the plan is complete, its diagnostics, and the types
/// of its definitions.
pub(crate) struct CheckedPlan {
    pub(crate) model: Option<model::Plan>,
    pub(crate) diagnostics: Vec<Diagnostic>,
    pub(crate) types: Vec<DefinitionType>,
}

/// Checks one plan.
pub(crate) fn check_plan<'a>(
    plan: &'a ast::Plan,
    schema: &'a model::Schema,
    crediting: Option<&'a model::Crediting>,
    credit_currency: Option<String>,
    credit_declared: bool,
) -> CheckedPlan {
    let mut checker = Checker::new(schema, crediting, None);
    checker.credit_declared = credit_declared;
    checker.credit_currency = credit_currency;
    let header = checker.header(plan);
    checker.currency = header.currency.clone();
    checker.pay = header.pay;
    checker.effective = header.effective;
    checker.plan = Some(collect_definitions(plan, &mut checker.diags));
    let count = checker.plan.as_ref().map_or(0, |p| p.defs.len());
    for id in 0..count {
        let span = checker.plan.as_ref().map_or(Span::default(), |p| p.defs[id].name.span);
        checker.ensure(id, span);
    }
    let mut eligible = None;
    let mut draw = None;
    let mut holds = Vec::new();
    let mut balance = model::BalancePolicy::default();
    let mut tests = Vec::new();
    for entry in &plan.entries {
        match &entry.kind {
            Entry::Earn(earn) => {
                let earning = checker.check_earning(earn);
                checker.depth_within_limit(&super::depth::earning_exprs(earn), &earn.name);
                if let Some(state) = checker.plan.as_mut() {
                    state.earnings.push(earning);
                }
            }
            Entry::Eligible(condition) => eligible = Some(checker.condition(condition, Rows::Rep)),
            _ => {}
        }
    }
    for entry in &plan.entries {
        match &entry.kind {
            Entry::Draw(d) => draw = checker.check_draw(d),
            Entry::Hold(h) => {
                if let Some(hold) = checker.check_hold(h) {
                    // Holds on one earning add up: more than all of its line cannot be held.
                    let total = holds
                        .iter()
                        .filter(|o: &&model::Hold| o.earning == hold.earning)
                        .try_fold(hold.share, |sum, o| sum.checked_add(o.share));
                    if total.is_none_or(|total| total > rust_decimal::Decimal::ONE) {
                        let d = checker.error(
                            &codes::BAD_DRAW,
                            format!("the holds on `{}` add up to more than 100% of its line", h.earning.text),
                            h.percent.span,
                            "too much held",
                        );
                        d.help = Some(
                            "hold at most 100% of an earning in all; each hold takes its share of the same line"
                                .to_string(),
                        );
                    } else {
                        holds.push(hold);
                    }
                }
            }
            Entry::WriteOff => balance.write_off_at_year_end = true,
            Entry::Recover { percent, span } => balance.recover_at_most = checker.recover_limit(percent, *span),
            Entry::Test(t) => tests.extend(checker.check_test(t)),
            _ => {}
        }
    }
    checker.lint_unused();
    let diagnostics = checker.take_diagnostics();
    let state = checker.plan.take();
    let types = state.as_ref().map(|s| s.types(header.currency.as_deref())).unwrap_or_default();
    let (Some(name), Some((version, _)), Some(effective), Some(currency), Some(pay), Some(state)) =
        (&plan.name, plan.version, header.effective, header.currency, header.pay, state)
    else {
        return CheckedPlan { model: None, diagnostics, types };
    };
    let (Some(quotas), Some(measures), Some(attainments), Some(tables)) = (
        state.quotas.into_iter().collect::<Option<Vec<_>>>(),
        state.measures.into_iter().collect::<Option<Vec<_>>>(),
        state.attainments.into_iter().collect::<Option<Vec<_>>>(),
        state.tables.into_iter().map(|t| t.map(|(table, _)| table)).collect::<Option<Vec<_>>>(),
    ) else {
        return CheckedPlan { model: None, diagnostics, types };
    };
    let model = model::Plan {
        name: name.text.clone(),
        title: plan.title.as_ref().map_or_else(|| name.text.clone(), |(t, _)| t.clone()),
        version,
        effective,
        currency,
        pay,
        fiscal_start: header.fiscal_start,
        rounding: header.rounding,
        eligible,
        quotas,
        measures,
        attainments,
        tables,
        earnings: state.earnings,
        draw,
        holds,
        balance,
        tests,
    };
    CheckedPlan { model: Some(model), diagnostics, types }
}

/// Registers every named definition, reporting names defined twice.
/// The plain names a definition's text uses (a superset of the definitions it depends on).
fn references(entry: &Entry) -> Vec<&str> {
    let mut names = Vec::new();
    for e in super::depth::definition_exprs(entry) {
        super::measures::walk(e, &mut |e| {
            if let ast::ExprKind::Path(ast::Path { head, field: None }) = &e.kind {
                names.push(head.text.as_str());
            }
        });
    }
    names
}

fn collect_definitions<'a>(plan: &'a ast::Plan, diags: &mut Vec<Diagnostic>) -> PlanState<'a> {
    let mut defs: Vec<Def<'a>> = Vec::new();
    let mut by_name: HashMap<&'a str, usize> = HashMap::new();
    let mut counts = [0usize; 5];
    for entry in &plan.entries {
        let (kind, name) = match &entry.kind {
            Entry::Quota(q) => (DefKind::Quota, &q.name),
            Entry::Measure(m) => (DefKind::Measure, &m.name),
            Entry::Attainment(a) => (DefKind::Attainment, &a.name),
            Entry::Table(t) => (DefKind::Table, &t.name),
            Entry::Earn(e) => (DefKind::Earning, &e.name),
            Entry::Error(ast::ErrorNode { defines: Some(name), .. }) => (DefKind::Broken, name),
            _ => continue,
        };
        if name.text.is_empty() {
            continue;
        }
        if let Some(&first) = by_name.get(name.text.as_str()) {
            if kind != DefKind::Broken && defs[first].kind != DefKind::Broken {
                let first = &defs[first];
                diags.push(
                    Diagnostic::new(&codes::DUPLICATE_DEFINITION, format!("`{}` is defined twice", name.text))
                        .primary(name.span, format!("defined again here, as a {}", kind.word()))
                        .secondary(first.name.span, format!("first defined here, as a {}", first.kind.word()))
                        .help("give each definition its own name"),
                );
            }
            // Earnings are kept even when their name clashes: each is still a payout line.
            if kind != DefKind::Earning {
                continue;
            }
        }
        let index = match kind {
            DefKind::Broken => 0,
            _ => {
                let slot = &mut counts[kind as usize];
                *slot += 1;
                *slot - 1
            }
        };
        by_name.entry(name.text.as_str()).or_insert(defs.len());
        defs.push(Def { kind, name, index, entry: &entry.kind });
    }
    let n = defs.len();
    let states =
        defs.iter()
            .map(|d| {
                if d.kind == DefKind::Broken || d.kind == DefKind::Earning {
                    State::Done(Ty::Error)
                } else {
                    State::Todo
                }
            })
            .collect();
    PlanState {
        defs,
        by_name,
        states,
        stack: Vec::new(),
        used: vec![false; n],
        reported_cycles: Vec::new(),
        depths: (0..n).map(|_| Depth::Unchecked).collect(),
        quotas: vec![None; counts[DefKind::Quota as usize]],
        measures: vec![None; counts[DefKind::Measure as usize]],
        attainments: vec![None; counts[DefKind::Attainment as usize]],
        tables: vec![None; counts[DefKind::Table as usize]],
        earnings: Vec::new(),
    }
}

impl Checker<'_> {
    /// Warns about definitions nothing uses.
    fn lint_unused(&mut self) {
        let Some(plan) = self.plan.as_ref() else { return };
        // A broken item may be what used a definition: say nothing until the plan parses.
        if plan.defs.iter().any(|d| d.kind == DefKind::Broken) {
            return;
        }
        let unused: Vec<(String, Span, DefKind)> = plan
            .defs
            .iter()
            .zip(&plan.used)
            .filter(|(d, used)| !**used && !matches!(d.kind, DefKind::Earning | DefKind::Broken))
            .map(|(d, _)| (d.name.text.clone(), d.name.span, d.kind))
            .collect();
        for (name, span, kind) in unused {
            self.diags.push(
                Diagnostic::new(&codes::UNUSED, format!("the {} `{name}` is never used", kind.word()))
                    .primary(span, "defined here")
                    .help("use it in an earning, or remove it"),
            );
        }
    }
}
