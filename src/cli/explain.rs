//! `compplan explain`: the derivation of every line of one rep's payout, as a tree whose nodes name the
//! plan line that produced them (the runtime names definitions; the checker's source maps say
//! where they are).

use super::inputs::{self, Timings};
use super::problems::Problems;
use super::{ExitStatus, ExplainArgs, ExplainFormat};
use crate::ast::Span;
use crate::check::source_map::{Clause, CreditRuleKind, CreditSourceMap, PlanLine, PlanSourceMap};
use crate::eval::{self, Request};
use crate::explain::{self, ClauseKind, CreditRule, Keyword, Node, Source};
use crate::pipeline::{self, Plans};
use crate::source::{line_starts, SourceFile, Workspace};
use crate::{check, CompDb};
use std::io::Write as _;

pub(crate) fn run(args: &ExplainArgs) -> ExitStatus {
    let format = super::error_format(args.error_format, args.format == ExplainFormat::Json);
    let mut problems = Problems::new(format);
    let status = explain(args, &mut problems);
    problems.finish();
    status
}

/// Derives and prints the trees; the exit status.
fn explain(args: &ExplainArgs, problems: &mut Problems) -> ExitStatus {
    let ledger = match &args.ledger {
        Some(dir) => match super::ledger::read(dir, problems) {
            Ok(ledger) => Some(ledger),
            Err(status) => return status,
        },
        None => None,
    };
    let inputs = &args.inputs;
    let request = Request { period: inputs.period, rep: Some(args.rep.clone()), ledger: ledger.as_ref() };
    let (plans, data) = match inputs::inputs(&inputs.paths, &inputs.data, &mut Timings::new(), problems) {
        Ok(inputs) => inputs,
        Err(status) => return status,
    };
    let mut trees: Vec<Node> = Vec::new();
    let mut faults = Vec::new();
    let mut watch = |seen: &eval::derivation::Seen<'_, '_>| match explain::explain_period(seen, &args.rep) {
        Ok(tree) => trees.push(tree),
        Err(fault) => faults.push(fault.message),
    };
    let mut open = inputs::open_in(&inputs.data);
    let report = match pipeline::trace(plans.model(), &data, None, (&request, &args.rep), &mut watch, &mut open) {
        Ok(r) => r,
        Err(stop) => return inputs::stopped(&plans, &stop, &inputs.data, problems),
    };
    if !report.errors.is_empty() {
        inputs::rep_errors(&plans, &report, problems);
        eprintln!("error: the payout of `{}` cannot be computed; nothing to explain", args.rep);
        return ExitStatus::Failed;
    }
    if let Some(message) = faults.first() {
        eprintln!("error: the explanation could not read a value again: {message}");
        return ExitStatus::Failed;
    }
    print(args, &plans, trees);
    ExitStatus::Ok
}

/// Prints the trees, each node with the plan line that produced it.
fn print(args: &ExplainArgs, plans: &Plans, mut trees: Vec<Node>) {
    // Periods in order, then plans by name (the order of `payouts.csv`).
    trees.sort_by(|a, b| a.period.cmp(&b.period).then_with(|| a.label.cmp(&b.label)));
    let places = Places::new(plans.db(), plans.workspace());
    for tree in &mut trees {
        tree.visit_mut(&mut |node| {
            node.at = node.source.as_ref().and_then(|s| places.find(s));
            // A cap, floor or gate is shown as the plan writes it.
            if let Some(text) = node.source.as_ref().and_then(|s| places.clause_text(s)) {
                node.label = text;
            }
        });
    }
    let period = args.inputs.period;
    let text = match args.format {
        ExplainFormat::Text if trees.is_empty() => format!("`{}` is paid by no plan in {period}\n", args.rep),
        ExplainFormat::Text => explain::text(&trees),
        ExplainFormat::Json => {
            let doc = Document { version: 1, rep: &args.rep, period: period.to_string(), explanations: &trees };
            format!("{}\n", serde_json::to_string_pretty(&doc).unwrap_or_default())
        }
    };
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

/// The JSON document, fields in this order.
#[derive(serde::Serialize)]
struct Document<'a> {
    /// The version of the shape; bumped only when a field changes meaning or disappears.
    version: u32,
    rep: &'a str,
    period: String,
    explanations: &'a [Node],
}

/// Where each definition, plan line, table row, clause and crediting rule is, as `path:line`: read
/// from the source maps the checker recorded, by the model's names and ids.
struct Places<'db> {
    db: &'db CompDb,
    /// Every plan's map, in file order (the first of a name and version is the one checked).
    plans: Vec<&'db PlanSourceMap>,
    credit: &'db CreditSourceMap,
}

impl<'db> Places<'db> {
    fn new(db: &'db CompDb, ws: Workspace) -> Places<'db> {
        Places { db, plans: check::plan_sources(db, ws), credit: &check::crediting_checked(db, ws).sources }
    }

    /// The place of a source, as `path:line`; a plan line the plan does not have (the default
    /// rounding) is the plan's header.
    fn find(&self, source: &Source) -> Option<String> {
        let (file, span) = self.span(source)?;
        Some(format!("{}:{}", file.path(self.db), line_of(self.db, file, span)))
    }

    /// A clause of an earning as the plan writes it (`capped at 3 × rep.target_incentive per year`,
    /// `once per quarter when …`), to show as its label.
    fn clause_text(&self, source: &Source) -> Option<String> {
        let Source::Clause { clause, .. } = source else { return None };
        let (file, span) = self.span(source)?;
        let text = crate::syntax::one_line(file.text(self.db).get(span.start..span.end).unwrap_or_default());
        Some(if *clause == ClauseKind::When { format!("once {text}") } else { text })
    }

    fn span(&self, source: &Source) -> Option<(SourceFile, Span)> {
        let (plan, version) = match source {
            Source::Credit { rule } => return self.credit.rule(credit_rule(*rule)),
            Source::Definition { plan, version, .. }
            | Source::Item { plan, version, .. }
            | Source::Row { plan, version, .. }
            | Source::Clause { plan, version, .. } => (plan, *version),
        };
        let map = self.plans.iter().find(|map| map.name.as_ref() == Some(plan) && map.version == Some(version))?;
        let span = match source {
            Source::Definition { name, .. } => map.definition(name)?.span,
            Source::Item { keyword, .. } => {
                let line = match keyword {
                    Keyword::Rounding => Some(PlanLine::Rounding),
                    Keyword::Draw => Some(PlanLine::Draw),
                    Keyword::Hold => Some(PlanLine::Hold(None)),
                    Keyword::Recover => Some(PlanLine::Recover),
                    Keyword::Plan => None,
                };
                line.and_then(|line| map.line(line)).unwrap_or(map.header)
            }
            Source::Row { table, row, .. } => {
                let table = map.definition(table)?.id?.table()?;
                map.row(table, *row)?
            }
            Source::Clause { earning, clause, index, .. } => {
                let earning = map.definition(earning)?.id?.earning()?;
                let clause = match (clause, *index) {
                    (ClauseKind::Limit, i) => Clause::Limit(i),
                    (ClauseKind::Gate, 0) => Clause::Gate,
                    (ClauseKind::When, 0) => Clause::When,
                    _ => return None,
                };
                map.clause(earning, clause)?
            }
            Source::Credit { .. } => return None,
        };
        Some((map.file, span))
    }
}

/// The rule of the credit block a credit rule of `explain` is written as.
fn credit_rule(rule: CreditRule) -> CreditRuleKind {
    match rule {
        CreditRule::Owner => CreditRuleKind::Owner,
        CreditRule::Split => CreditRuleKind::Splits,
        CreditRule::Territory => CreditRuleKind::Territory,
        CreditRule::Rollup => CreditRuleKind::Rollup,
        CreditRule::Clawback => CreditRuleKind::Clawback,
        CreditRule::Convert => CreditRuleKind::Convert,
    }
}

fn line_of(db: &CompDb, file: SourceFile, span: Span) -> usize {
    line_starts(db, file).partition_point(|&start| start <= span.start)
}
