//! `compplan explain`: the derivation of every line of one rep's payout, as a tree whose nodes name the
//! plan line that produced them (the runtime names definitions; this file finds their lines).

use super::run::{eval_failure, print_eval_errors, with_inputs, Timings};
use super::{ExplainArgs, ExplainFormat};
use crate::ast::{self, Span};
use crate::eval::{self, Request};
use crate::explain::{self, Node, Source};
use crate::source::{line_starts, SourceFile, Workspace};
use crate::CompDb;
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
        let mut watch = |seen: &eval::history::Seen<'_, '_>| match explain::explain_period(seen, &args.rep) {
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
        trees.sort_by(|a, b| period_of(a).cmp(period_of(b)).then_with(|| a.label.cmp(&b.label)));
        let places = Places::new(db, ws);
        for tree in &mut trees {
            tree.visit_mut(&mut |node| {
                node.at = node.source.as_ref().and_then(|s| places.find(s));
                // A cap, floor or gate is shown as the plan writes it.
                if let Some((_, text)) = places.clauses.iter().find(|(s, _)| Some(s) == node.source.as_ref()) {
                    node.label = text.clone();
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

/// The period in a root's label (`alice · enterprise_ae v3 · 2026-03`).
fn period_of(tree: &Node) -> &str {
    tree.label.rsplit(" · ").next().unwrap_or_default()
}

/// Where each definition, plan line and crediting rule is, as `path:line`.
struct Places {
    found: Vec<(Source, String)>,
    /// The text of each clause of an earning (`capped at 3 × rep.target_incentive per year`).
    clauses: Vec<(Source, String)>,
}

impl Places {
    fn new(db: &CompDb, ws: Workspace) -> Places {
        let mut found = Vec::new();
        let mut clauses = Vec::new();
        for &file in ws.files(db) {
            let at = |span: Span| format!("{}:{}", file.path(db), line_of(db, file, span));
            for item in &crate::syntax::parse_file(db, file).items {
                match &item.kind {
                    ast::Item::Credit(credit) => {
                        for rule in &credit.rules {
                            let name = match &rule.kind {
                                ast::CreditRule::Convert { .. } => "convert",
                                ast::CreditRule::Owner { .. } => "owner",
                                ast::CreditRule::Splits { .. } => "split",
                                ast::CreditRule::Territory { .. } => "territory",
                                ast::CreditRule::Rollup { .. } => "rollup",
                                ast::CreditRule::Clawback { .. } => "clawback",
                                _ => continue,
                            };
                            found.push((Source::Credit { rule: name.to_string() }, at(rule.span)));
                        }
                    }
                    ast::Item::Plan(plan) => {
                        let (Some(name), Some((version, _))) = (&plan.name, plan.version) else { continue };
                        let item = |keyword: &str| Source::Item {
                            plan: name.text.clone(),
                            version,
                            keyword: keyword.to_string(),
                        };
                        found.push((item("plan"), at(plan.header)));
                        for entry in &plan.entries {
                            if let Some(defined) = entry.kind.defined_name() {
                                found.push((
                                    Source::Definition { plan: name.text.clone(), version, name: defined.text.clone() },
                                    at(entry.span),
                                ));
                            }
                            match &entry.kind {
                                ast::Entry::Table(t) => {
                                    // A lookup's keyed rows are counted apart from its `otherwise`.
                                    let mut keyed = 0;
                                    for row in &t.rows {
                                        let index = match row.kind {
                                            ast::Row::Otherwise { .. } => None,
                                            ast::Row::Error(_) => continue,
                                            _ => {
                                                keyed += 1;
                                                Some(keyed - 1)
                                            }
                                        };
                                        found.push((
                                            Source::Row {
                                                plan: name.text.clone(),
                                                version,
                                                table: t.name.text.clone(),
                                                row: index,
                                            },
                                            at(row.span),
                                        ));
                                    }
                                }
                                ast::Entry::Earn(e) => {
                                    if let ast::EarnForm::Once { scope_span, when: Some(when), .. } = &e.form {
                                        let span = Span {
                                            start: scope_span.start.saturating_sub("per ".len()).max(entry.span.start),
                                            end: when.span.end,
                                        };
                                        let source = Source::Clause {
                                            plan: name.text.clone(),
                                            version,
                                            earning: e.name.text.clone(),
                                            clause: "when".into(),
                                            index: 0,
                                        };
                                        found.push((source.clone(), at(span)));
                                        let text = file.text(db).get(span.start..span.end).unwrap_or_default();
                                        clauses.push((source, format!("once {}", crate::syntax::one_line(text))));
                                    }
                                    let mut limits = 0;
                                    for modifier in &e.modifiers {
                                        let (clause, index, span) = match &modifier.kind {
                                            ast::Modifier::Cap { span, .. } | ast::Modifier::Floor { span, .. } => {
                                                limits += 1;
                                                ("limit", limits - 1, *span)
                                            }
                                            ast::Modifier::Gate { span, .. } => ("gate", 0, *span),
                                            _ => continue,
                                        };
                                        let source = Source::Clause {
                                            plan: name.text.clone(),
                                            version,
                                            earning: e.name.text.clone(),
                                            clause: clause.into(),
                                            index,
                                        };
                                        found.push((source.clone(), at(span)));
                                        let text = file.text(db).get(span.start..span.end).unwrap_or_default();
                                        clauses.push((source, crate::syntax::one_line(text)));
                                    }
                                }
                                _ => {}
                            }
                            let keyword = match &entry.kind {
                                ast::Entry::Rounding { .. } => "rounding",
                                ast::Entry::Draw(_) => "draw",
                                ast::Entry::Hold(_) => "hold",
                                ast::Entry::Recover { .. } => "recover",
                                _ => continue,
                            };
                            found.push((item(keyword), at(entry.span)));
                        }
                    }
                    _ => {}
                }
            }
        }
        Places { found, clauses }
    }

    /// The first place of a source; a plan line the plan does not have (the default rounding) is
    /// the plan's header.
    fn find(&self, source: &Source) -> Option<String> {
        let exact = self.found.iter().find(|(s, _)| s == source).map(|(_, at)| at.clone());
        exact.or_else(|| match source {
            Source::Item { plan, version, .. } => {
                let header = Source::Item { plan: plan.clone(), version: *version, keyword: "plan".to_string() };
                self.found.iter().find(|(s, _)| *s == header).map(|(_, at)| at.clone())
            }
            _ => None,
        })
    }
}

fn line_of(db: &CompDb, file: SourceFile, span: Span) -> usize {
    line_starts(db, file).partition_point(|&start| start <= span.start)
}
