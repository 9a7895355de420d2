//! Checking one plan: its definitions (resolved lazily, which finds cycles; the header is read in
//! `header`), and the assembly of the checked model.
//!
//! Definitions may be used before they are written. Each is checked the first time something needs
//! it, after the definitions it names (found by a walk of its text, in a worklist rather than by
//! recursion, so that a chain of thousands of definitions each naming the next costs no stack); a
//! definition met again while it is being checked closes a cycle, reported with its path.

use super::expr::{Checker, Rows};
use super::items::DefinitionType;
use super::problems;
pub(crate) use super::source_map::DefKind;
use super::source_map::{DefinitionSource, Occurrence, PlanSourceMap};
use crate::ast::{self, Entry, Ident, Span};
use crate::diagnostics::Diagnostic;
use crate::model::{self, AttainmentId, EarningId, IdVec, MeasureId, QuotaId, RateTableId};
use crate::types::Ty;
use std::collections::HashMap;

/// One named definition of the plan.
pub(crate) struct Def<'a> {
    pub(crate) kind: DefKind,
    pub(crate) name: &'a Ident,
    /// Position among the definitions of its kind, which is its index in the model.
    pub(crate) index: usize,
    pub(crate) entry: &'a Entry,
}

/// An earning read by another earning (`reader` reads `read`, whose name is written at `at`).
#[derive(Clone, Copy, Debug)]
pub(crate) struct EarningRead {
    pub(crate) reader: EarningId,
    pub(crate) read: EarningId,
    pub(crate) at: Span,
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
    /// Whether the key is a count (a measure that is a number): a table of amounts keyed on one
    /// pays an amount per unit when applied to a count.
    pub(crate) count_key: bool,
    /// The rows the key reads (a lookup on `deal.product` needs a credit row), if any.
    pub(crate) needs_row: Option<super::expr::Rows>,
    /// The lookup table a band's value names (`100% and above : product_rate`), if any: the
    /// table then needs the lookup's row, and says so when it is used without one.
    pub(crate) band_lookup: Option<String>,
}

/// The plan-level state of a [`Checker`].
pub(crate) struct PlanState<'a> {
    pub(crate) defs: Vec<Def<'a>>,
    by_name: HashMap<&'a str, usize>,
    states: Vec<State>,
    stack: Vec<usize>,
    pub(crate) used: Vec<bool>,
    /// Every earning read by another earning, in the order checked.
    pub(crate) earning_reads: Vec<EarningRead>,
    reported_cycles: Vec<Vec<usize>>,
    /// How deep evaluating each definition goes (see `depth`).
    pub(crate) depths: Vec<Depth>,
    pub(crate) quotas: IdVec<QuotaId, Option<model::Quota>>,
    pub(crate) measures: IdVec<MeasureId, Option<model::Measure>>,
    pub(crate) attainments: IdVec<AttainmentId, Option<model::Attainment>>,
    pub(crate) tables: IdVec<RateTableId, Option<(model::RateTable, TableInfo)>>,
    pub(crate) earnings: IdVec<EarningId, model::Earning>,
    /// Where the plan's parts are written, recorded as they are checked.
    pub(crate) sources: PlanSourceMap,
}

impl PlanState<'_> {
    /// The name of the plan's earning with this id (empty when there is none).
    pub(crate) fn earnings_named(&self, id: model::EarningId) -> String {
        let earning = self.defs.iter().find(|d| d.kind == DefKind::Earning && d.index == id.index());
        earning.map_or(String::new(), |d| d.name.text.clone())
    }

    /// The definition a name stands for.
    pub(crate) fn by_name(&self, name: &str) -> Option<usize> {
        self.by_name.get(name).copied()
    }

    /// The type of every definition, in the order written; an earning is money in the plan's
    /// currency.
    pub(crate) fn types(&self, currency: Option<&str>) -> Vec<DefinitionType> {
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
    pub(crate) fn table_named(&self, name: &str) -> Option<RateTableId> {
        let plan = self.plan_state()?;
        let def = &plan.defs[*plan.by_name.get(name)?];
        (def.kind == DefKind::Table).then_some(RateTableId::new(def.index))
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
        self.record_definition(name);
        if kind == DefKind::Table {
            if let Some((_, span)) = scope {
                self.report(problems::scope_on_a_table(name, span));
            }
            let path = ast::Path { head: name.clone(), field: None };
            return Some(self.apply_table(RateTableId::new(index), &path, None, rows));
        }
        let ty = self.ensure(id, name.span);
        Some(match kind {
            DefKind::Quota | DefKind::Measure => self.scoped_definition(name, kind, index, scope, ty),
            DefKind::Attainment => {
                if let Some((_, span)) = scope {
                    self.report(problems::scope_on_an_attainment(name, span));
                }
                (model::Expr::Attainment(AttainmentId::new(index)), Ty::Percent)
            }
            DefKind::Earning => self.earning_read(name, EarningId::new(index), scope, rows),
            DefKind::Table | DefKind::Broken => (super::expr::placeholder(), Ty::Error),
        })
    }

    /// An earning read by another earning of the plan, in a scope (`commission period`): the sum
    /// of its lines in that window. Recorded for the check of cycles through earnings, which runs
    /// once every earning is checked (`earning_cycles`). Anywhere else (a measure, a table, a
    /// per-deal amount) an earning has no value: E0104.
    fn earning_read(
        &mut self,
        name: &Ident,
        id: EarningId,
        scope: Option<(ast::Scope, Span)>,
        rows: Rows,
    ) -> (model::Expr, Ty) {
        let Some(reader) = self.earning.filter(|_| rows == Rows::Rep && !self.per_deal) else {
            return self.refuse(problems::earning_used_as_a_value(name, self.per_deal));
        };
        let Some((scope, scope_span)) = scope else {
            return self.refuse(problems::missing_scope(name, DefKind::Earning));
        };
        if scope == ast::Scope::Year {
            return self.refuse(problems::earning_read_per_year(scope_span));
        }
        if let Some(plan) = self.plan.as_mut() {
            plan.earning_reads.push(EarningRead { reader, read: id, at: name.span });
        }
        let ty = self.currency.as_deref().map_or(Ty::Error, Ty::money);
        (model::Expr::Earning { id, scope }, ty)
    }

    /// A quota or a measure (the `index`-th of its kind, of type `ty`), read in a scope: a measure's
    /// scope is `period`, `quarter` or `ytd`, a quota's also `year`.
    fn scoped_definition(
        &mut self,
        name: &Ident,
        kind: DefKind,
        index: usize,
        scope: Option<(ast::Scope, Span)>,
        ty: Ty,
    ) -> (model::Expr, Ty) {
        let Some((scope, scope_span)) = scope else {
            return self.refuse(problems::missing_scope(name, kind));
        };
        if kind == DefKind::Measure && scope == ast::Scope::Year {
            return self.refuse(problems::measure_read_per_year(scope_span));
        }
        let expr = if kind == DefKind::Quota {
            model::Expr::Quota { id: QuotaId::new(index), scope }
        } else {
            model::Expr::Measure { id: MeasureId::new(index), scope }
        };
        (expr, ty)
    }

    /// The type of a definition, checking it first if needed; reports a cycle when it is already
    /// being checked.
    pub(crate) fn ensure(&mut self, id: usize, at: Span) -> Ty {
        let Some(plan) = self.plan.as_mut() else { return Ty::Error };
        match plan.states[id].clone() {
            State::Done(ty) => ty,
            State::InProgress => {
                self.report_cycle(id, at);
                Ty::Error
            }
            State::Todo => self.settle(id),
        }
    }

    /// Reports the cycle closed by meeting a definition again while it is being checked (at `at`,
    /// where its name is written), once per cycle.
    fn report_cycle(&mut self, id: usize, at: Span) {
        let Some(plan) = self.plan.as_mut() else { return };
        let start = plan.stack.iter().position(|&d| d == id).unwrap_or(0);
        let mut members: Vec<usize> = plan.stack[start..].to_vec();
        members.sort_unstable();
        if plan.reported_cycles.contains(&members) {
            return;
        }
        plan.reported_cycles.push(members);
        let defs = &plan.defs;
        let mut cycle: Vec<&str> = plan.stack[start..].iter().map(|&d| defs[d].name.text.as_str()).collect();
        cycle.push(&defs[id].name.text);
        let problem = problems::depends_on_itself(defs[id].name, at, &cycle);
        self.report(problem);
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

    /// Checks one definition on its own terms: one first named inside a per-deal earning is not
    /// inside it, so a per-deal table it uses is refused there all the same.
    fn check_definition(&mut self, entry: &'a Entry, index: usize) -> Ty {
        let per_deal = std::mem::replace(&mut self.per_deal, false);
        let earning = self.earning.take();
        let ty = match entry {
            Entry::Quota(q) => self.check_quota(q, QuotaId::new(index)),
            Entry::Measure(m) => self.check_measure(m, MeasureId::new(index)),
            Entry::Attainment(a) => self.check_attainment(a, AttainmentId::new(index)),
            Entry::Table(t) => self.check_table(t, RateTableId::new(index)),
            _ => Ty::Error,
        };
        self.per_deal = per_deal;
        self.earning = earning;
        ty
    }
}

/// The plain names a definition's text uses (a superset of the definitions it depends on).
fn references(entry: &Entry) -> Vec<&str> {
    let mut names = Vec::new();
    // A band's value may name a lookup table.
    if let Entry::Table(t) = entry {
        names.extend(super::tables::row_values(t).filter_map(|v| match &v.literal.value {
            ast::LiteralValue::Table(name) => Some(name.as_str()),
            _ => None,
        }));
    }
    for e in super::depth::definition_exprs(entry) {
        super::measures::walk(e, &mut |e| {
            if let ast::ExprKind::Path(ast::Path { head, field: None }) = &e.kind {
                names.push(head.text.as_str());
            }
        });
    }
    names
}

/// Registers every named definition, reporting names defined twice; records each in the source map,
/// and each declared name as an occurrence.
pub(crate) fn collect_definitions<'a>(
    plan: &'a ast::Plan,
    mut sources: PlanSourceMap,
    diags: &mut Vec<Diagnostic>,
    occurrences: &mut Vec<Occurrence>,
) -> PlanState<'a> {
    let mut defs: Vec<Def<'a>> = Vec::new();
    let mut by_name: HashMap<&'a str, usize> = HashMap::new();
    let mut counts = [0usize; 5];
    for (position, entry) in plan.entries.iter().enumerate() {
        let Some((kind, name)) = defined_name(&entry.kind) else { continue };
        if kind != DefKind::Broken && !name.text.is_empty() && !name.span.is_empty() {
            occurrences.push(Occurrence { span: name.span, symbol: sources.symbol(&name.text), declaration: true });
        }
        let mut source = DefinitionSource {
            kind,
            id: None,
            name: name.text.clone(),
            name_span: name.span,
            span: entry.span,
            doc: entry.trivia.doc(),
            entry: position,
        };
        if name.text.is_empty() {
            sources.definitions.push(source);
            continue;
        }
        if kind == DefKind::Earning && model::PAYOUT_LINES.contains(&name.text.as_str()) {
            diags.push(problems::earning_named_like_a_payout_line(name));
        }
        if let Some(&first) = by_name.get(name.text.as_str()) {
            if kind != DefKind::Broken && defs[first].kind != DefKind::Broken {
                diags.push(problems::defined_twice(name, kind, defs[first].name, defs[first].kind));
            }
            // Earnings are kept even when their name clashes: each is still a payout line.
            if kind != DefKind::Earning {
                sources.definitions.push(source);
                continue;
            }
        }
        // A definition's index in the model is its position among the definitions of its kind.
        let index = match kind {
            DefKind::Broken => 0,
            _ => {
                let slot = &mut counts[kind as usize];
                *slot += 1;
                source.id = kind.id(*slot - 1);
                *slot - 1
            }
        };
        sources.definitions.push(source);
        by_name.entry(name.text.as_str()).or_insert(defs.len());
        defs.push(Def { kind, name, index, entry: &entry.kind });
    }
    new_state(defs, by_name, counts, sources)
}

/// The kind and name of what an entry defines, if it defines anything (a broken item may say what
/// it was meant to define).
fn defined_name(entry: &Entry) -> Option<(DefKind, &Ident)> {
    Some(match entry {
        Entry::Quota(q) => (DefKind::Quota, &q.name),
        Entry::Measure(m) => (DefKind::Measure, &m.name),
        Entry::Attainment(a) => (DefKind::Attainment, &a.name),
        Entry::Table(t) => (DefKind::Table, &t.name),
        Entry::Earn(e) => (DefKind::Earning, &e.name),
        Entry::Error(ast::ErrorNode { defines: Some(name), .. }) => (DefKind::Broken, name),
        _ => return None,
    })
}

fn new_state<'a>(
    defs: Vec<Def<'a>>,
    by_name: HashMap<&'a str, usize>,
    counts: [usize; 5],
    sources: PlanSourceMap,
) -> PlanState<'a> {
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
        earning_reads: Vec::new(),
        reported_cycles: Vec::new(),
        depths: (0..n).map(|_| Depth::Unchecked).collect(),
        quotas: IdVec::filled(None, counts[DefKind::Quota as usize]),
        measures: IdVec::filled(None, counts[DefKind::Measure as usize]),
        attainments: IdVec::filled(None, counts[DefKind::Attainment as usize]),
        tables: IdVec::filled(None, counts[DefKind::Table as usize]),
        earnings: IdVec::new(),
        sources,
    }
}

impl Checker<'_> {
    /// Warns about definitions nothing uses. Earnings and attainments are left out: each is an
    /// output in itself (a payout line, a row of `attainment.csv`).
    pub(crate) fn lint_unused(&mut self) {
        let Some(plan) = self.plan.as_ref() else { return };
        // A broken item may be what used a definition: say nothing until the plan parses.
        if plan.defs.iter().any(|d| d.kind == DefKind::Broken) {
            return;
        }
        let unused: Vec<(String, Span, DefKind)> = plan
            .defs
            .iter()
            .zip(&plan.used)
            .filter(|(d, used)| !**used && !matches!(d.kind, DefKind::Earning | DefKind::Attainment | DefKind::Broken))
            .map(|(d, _)| (d.name.text.clone(), d.name.span, d.kind))
            .collect();
        for (name, span, kind) in unused {
            self.report(problems::unused(kind, &name, span));
        }
    }
}

impl Checker<'_> {
    /// Reports each cycle through earnings that read earnings (`kicker` reads `commission`, which
    /// reads `kicker`), once, with its path, at the read that closes it. A depth-first walk with
    /// an explicit stack, so that a long chain costs no stack.
    pub(crate) fn earning_cycles(&mut self) {
        let Some(plan) = self.plan.as_ref() else { return };
        let count = plan.earnings.len();
        let mut reads: Vec<Vec<EarningRead>> = vec![Vec::new(); count];
        for read in &plan.earning_reads {
            if let Some(list) = reads.get_mut(read.reader.index()) {
                list.push(*read);
            }
        }
        let names: Vec<Option<&Ident>> = (0..count)
            .map(|i| plan.defs.iter().find(|d| d.kind == DefKind::Earning && d.index == i).map(|d| d.name))
            .collect();
        let mut problems_found = Vec::new();
        let mut reported: Vec<Vec<usize>> = Vec::new();
        // 0: not seen, 1: on the walk's path, 2: done.
        let mut state = vec![0u8; count];
        for root in 0..count {
            if state[root] != 0 {
                continue;
            }
            let mut path: Vec<(usize, usize)> = vec![(root, 0)];
            state[root] = 1;
            while let Some((node, next)) = path.last_mut() {
                let node = *node;
                let Some(read) = reads[node].get(*next).copied() else {
                    state[node] = 2;
                    path.pop();
                    continue;
                };
                *next += 1;
                let to = read.read.index();
                match state.get(to) {
                    Some(0) => {
                        state[to] = 1;
                        path.push((to, 0));
                    }
                    Some(1) => {
                        let start = path.iter().position(|&(n, _)| n == to).unwrap_or(0);
                        let mut members: Vec<usize> = path[start..].iter().map(|&(n, _)| n).collect();
                        let mut cycle: Vec<&str> =
                            members.iter().map(|&n| names[n].map_or("?", |i| i.text.as_str())).collect();
                        cycle.push(names[to].map_or("?", |i| i.text.as_str()));
                        members.sort_unstable();
                        if !reported.contains(&members) {
                            if let Some(name) = names[to] {
                                problems_found.push(problems::earning_reads_itself(name, read.at, &cycle));
                            }
                            reported.push(members);
                        }
                    }
                    _ => {}
                }
            }
        }
        for problem in problems_found {
            self.report(problem);
        }
    }
}
