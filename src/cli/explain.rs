//! `compplan explain`: the derivation of every line of one rep's payout, as a tree whose nodes name the
//! plan line that produced them (the runtime names definitions; the checker's source maps say
//! where they are).

use super::run::{eval_failure, print_eval_errors, with_inputs, Timings};
use super::{ExplainArgs, ExplainFormat};
use crate::ast::Span;
use crate::check::source_map::{Clause, CreditSourceMap, DefKind, PlanLine, PlanSourceMap};
use crate::eval::{self, Request};
use crate::explain::{self, Node, Source};
use crate::source::{line_starts, SourceFile, Workspace};
use crate::{check, CompDb};
use std::io::Write as _;

pub(crate) fn run(args: &ExplainArgs) -> u8 {
    let ledger = match &args.ledger {
        Some(dir) => match super::ledger::read(dir) {
            Ok(ledger) => Some(ledger),
            Err(code) => return code,
        },
        None => None,
    };
    let inputs = &args.inputs;
    let request = Request { period: inputs.period, rep: Some(args.rep.clone()), ledger: ledger.as_ref() };
    with_inputs(&inputs.paths, &inputs.data, &mut Timings::new(), |db, ws, model, dataset, _| {
        let mut trees: Vec<Node> = Vec::new();
        let mut faults = Vec::new();
        let mut watch = |seen: &eval::derivation::Seen<'_, '_>| match explain::explain_period(seen, &args.rep) {
            Ok(tree) => trees.push(tree),
            Err(fault) => faults.push(fault.message),
        };
        let report = match eval::trace(model, &dataset, &request, &args.rep, &mut watch) {
            Ok(r) => r,
            Err(failure) => return eval_failure(model, &dataset, &inputs.data, failure),
        };
        if !report.errors.is_empty() {
            print_eval_errors(db, ws, &report.errors);
            eprintln!("error: the payout of `{}` cannot be computed; nothing to explain", args.rep);
            return 1;
        }
        if let Some(message) = faults.first() {
            eprintln!("error: the explanation could not read a value again: {message}");
            return 1;
        }
        // Periods in order, then plans by name (the order of `payouts.csv`).
        trees.sort_by(|a, b| a.period.cmp(&b.period).then_with(|| a.label.cmp(&b.label)));
        let places = Places::new(db, ws);
        for tree in &mut trees {
            tree.visit_mut(&mut |node| {
                node.at = node.source.as_ref().and_then(|s| places.find(s));
                // A cap, floor or gate is shown as the plan writes it.
                if let Some(text) = node.source.as_ref().and_then(|s| places.clause_text(s)) {
                    node.label = text;
                }
            });
        }
        let text = match args.format {
            ExplainFormat::Text if trees.is_empty() => {
                format!("`{}` is paid by no plan in {}\n", args.rep, inputs.period)
            }
            ExplainFormat::Text => explain::text(&trees),
            ExplainFormat::Json => {
                let doc =
                    Document { version: 1, rep: &args.rep, period: inputs.period.to_string(), explanations: &trees };
                format!("{}\n", serde_json::to_string_pretty(&doc).unwrap_or_default())
            }
        };
        let _ = std::io::stdout().lock().write_all(text.as_bytes());
        0
    })
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
        Some(if clause == "when" { format!("once {text}") } else { text })
    }

    fn span(&self, source: &Source) -> Option<(SourceFile, Span)> {
        let (plan, version) = match source {
            Source::Credit { rule } => return self.credit.rule(rule),
            Source::Definition { plan, version, .. }
            | Source::Item { plan, version, .. }
            | Source::Row { plan, version, .. }
            | Source::Clause { plan, version, .. } => (plan, *version),
        };
        let map = self.plans.iter().find(|map| map.name.as_ref() == Some(plan) && map.version == Some(version))?;
        let span = match source {
            Source::Definition { name, .. } => map.definition(name)?.span,
            Source::Item { keyword, .. } => {
                let line = match keyword.as_str() {
                    "rounding" => Some(PlanLine::Rounding),
                    "draw" => Some(PlanLine::Draw),
                    "hold" => Some(PlanLine::Hold(None)),
                    "recover" => Some(PlanLine::Recover),
                    _ => None,
                };
                line.and_then(|line| map.line(line)).unwrap_or(map.header)
            }
            Source::Row { table, row, .. } => {
                let table = map.definition(table).filter(|d| d.kind == DefKind::Table)?.id?;
                map.row(table, *row)?
            }
            Source::Clause { earning, clause, index, .. } => {
                let earning = map.definition(earning).filter(|d| d.kind == DefKind::Earning)?.id?;
                let clause = match (clause.as_str(), *index) {
                    ("limit", i) => Clause::Limit(i),
                    ("gate", 0) => Clause::Gate,
                    ("when", 0) => Clause::When,
                    _ => return None,
                };
                map.clause(earning, clause)?
            }
            Source::Credit { .. } => return None,
        };
        Some((map.file, span))
    }
}

fn line_of(db: &CompDb, file: SourceFile, span: Span) -> usize {
    line_starts(db, file).partition_point(|&start| start <= span.start)
}
