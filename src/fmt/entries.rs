//! The entries of a plan that fit on a line: header lines, quotas, measures, attainments,
//! earnings, draws, holds and balance policies. A clause the author continued on the next line
//! after a comma stays there, one level deeper.

use super::expr::path_text;
use super::layout::{spaces, Decline, Out, Printer};
use crate::ast::{
    Aggregate, Continued, Draw, DrawWhen, Earn, EarnForm, Entry, HoldRelease, Measure, Modifier, Node, Quota,
    QuotaSplit, Span, Words,
};

impl Printer<'_> {
    /// One entry at an indentation, indentation included, without the final line break.
    pub(super) fn entry(&self, node: &Node<Entry>, indent: usize) -> Out<String> {
        let mut out = spaces(indent);
        match &node.kind {
            Entry::Effective { from, to } => {
                out.push_str("effective ");
                if self.written_between(node.span.start, from.span.start, "from") {
                    out.push_str("from ");
                }
                out.push_str(&format!("{} to {}", self.slice(from.span)?, self.slice(to.span)?));
            }
            Entry::Currency(code) => out.push_str(&format!("currency {}", code.text)),
            Entry::Pay { word, from } => {
                out.push_str(&format!("pay {}", word.text));
                if let Some(from) = from {
                    out.push_str(&format!(" from {}", self.slice(from.span)?));
                }
            }
            Entry::FiscalYear(month) => {
                out.push_str("fiscal year starts ");
                if self.written_between(node.span.start, month.span.start, "in") {
                    out.push_str("in ");
                }
                out.push_str(&month.text);
            }
            Entry::Rounding { mode, precision } => {
                out.push_str(&format!("rounding {}", words(mode)?));
                if let Some(precision) = precision {
                    out.push_str(&format!(", {}", words(precision)?));
                }
            }
            Entry::Eligible(condition) => {
                out.push_str("eligible when ");
                self.expr(condition, &mut out)?;
            }
            Entry::Quota(quota) => self.quota(quota, indent, &mut out)?,
            Entry::Measure(measure) => self.measure(measure, &mut out)?,
            Entry::Attainment(attainment) => {
                out.push_str(&format!("attainment {} = ", attainment.name.text));
                self.expr(&attainment.value, &mut out)?;
            }
            Entry::Table(table) => return self.table(table, indent),
            Entry::Earn(earn) => self.earn(earn, indent, &mut out)?,
            Entry::Draw(draw) => self.draw(draw, indent, &mut out)?,
            Entry::Hold(hold) => {
                let share = match hold.fraction {
                    Some(((num, den), _)) => format!("{num}/{den}"),
                    None => self.value(&hold.percent)?,
                };
                out.push_str(&format!("hold {share} of {}", hold.earning.text));
                match &hold.release {
                    HoldRelease::Until(path) => out.push_str(&format!(" until {}", path_text(path)?)),
                    HoldRelease::For { count, unit } => {
                        out.push_str(&format!(" for {} {}", self.slice(count.1)?, unit.text))
                    }
                    HoldRelease::Ytd { first, rest } => {
                        // A comment between the quarters has no place on one line: the entry is kept.
                        if self.slice(node.span)?.contains("//") {
                            return Err(Decline);
                        }
                        out.push_str(&format!(" ytd after {}", first.text));
                        for (share, quarter) in rest {
                            out.push_str(&format!(", {} after {}", self.value(share)?, quarter.text));
                        }
                    }
                }
            }
            Entry::Instalments(i) => {
                out.push_str(&format!("pay {} in {} {}", i.earning.text, self.slice(i.count.1)?, i.unit.text))
            }
            Entry::WriteOff => out.push_str("write off balance at year end"),
            Entry::PayNegativeTotals => out.push_str("pay negative totals"),
            Entry::Recover { span, .. } => out.push_str(&format!("recover at most {} of earnings", self.words(*span)?)),
            Entry::Test(test) => return self.test(test, indent),
            Entry::Error(_) => return Err(Decline),
        }
        Ok(out)
    }

    /// True when an optional word (`effective from`, `starts in`) was written between two offsets.
    fn written_between(&self, start: usize, end: usize, word: &str) -> bool {
        self.src.get(start..end).is_some_and(|text| text.split_whitespace().any(|w| w == word))
    }

    /// `quota NAME = VALUE [split …] [, prorated by … employed] [, rounded …]`; the comma before
    /// `prorated` is optional and kept as written.
    fn quota(&self, quota: &Quota, indent: usize, out: &mut String) -> Out<()> {
        out.push_str(&format!("quota {} = ", quota.name.text));
        self.expr(&quota.value, out)?;
        let mut end = quota.value.span.end;
        match &quota.split {
            Some(QuotaSplit::Evenly { unit }) => {
                out.push_str(&format!(" split evenly by {}", unit.text));
                end = unit.span.end;
            }
            Some(QuotaSplit::Weights { unit, weights, span }) => {
                out.push_str(&format!(" split by {} weights ", unit.text));
                self.parenthesised(weights, out)?;
                end = span.end;
            }
            None => {}
        }
        if let Some(Continued { kind: unit, comments }) = &quota.prorate {
            // The keyword is the last `prorated` before the unit: comments in the break may say it too.
            let between = self.src.get(end..unit.span.start).ok_or(Decline)?;
            let keyword = between.rfind("prorated").ok_or(Decline)? + end;
            if !comments.is_empty() || between.contains(',') {
                self.separator(out, keyword, comments, indent);
            } else {
                out.push(' ');
            }
            out.push_str(&format!("prorated by {} employed", unit.text));
            end = unit.span.end;
        }
        if let Some(Continued { kind: words, comments }) = &quota.rounded {
            let between = self.src.get(end..words.span.start).ok_or(Decline)?;
            let keyword = between.rfind("rounded").ok_or(Decline)? + end;
            self.separator(out, keyword, comments, indent);
            out.push_str(&format!("rounded {}", words.text()));
        }
        Ok(())
    }

    /// `earn NAME = VALUE [once per … | per deal …] [, modifier]*`.
    fn earn(&self, earn: &Earn, indent: usize, out: &mut String) -> Out<()> {
        out.push_str(&format!("earn {} = ", earn.name.text));
        self.expr(&earn.value, out)?;
        match &earn.form {
            EarnForm::Plain => {}
            EarnForm::Once { scope, when, .. } => {
                out.push_str(&format!(" once per {}", scope.keyword()));
                if let Some(when) = when {
                    out.push_str(" when ");
                    self.expr(when, out)?;
                }
            }
            EarnForm::PerDeal { filter, .. } => {
                out.push_str(" per deal");
                if let Some(filter) = filter {
                    out.push_str(" where ");
                    self.expr(filter, out)?;
                }
            }
        }
        for Continued { kind: modifier, comments } in &earn.modifiers {
            let span = match modifier {
                Modifier::Cap { span, .. }
                | Modifier::Floor { span, .. }
                | Modifier::Gate { span, .. }
                | Modifier::ByShare(span)
                | Modifier::TakeBack { span, .. } => *span,
            };
            self.separator(out, span.start, comments, indent);
            match modifier {
                Modifier::Cap { limit, per, .. } | Modifier::Floor { limit, per, .. } => {
                    out.push_str(if matches!(modifier, Modifier::Cap { .. }) { "capped at " } else { "floored at " });
                    self.expr(limit, out)?;
                    if let Some((window, _)) = per {
                        out.push_str(&format!(" per {}", window.keyword()));
                    }
                }
                Modifier::Gate { condition, .. } => {
                    out.push_str("only when ");
                    self.expr(condition, out)?;
                }
                Modifier::ByShare(_) => out.push_str("by share"),
                Modifier::TakeBack { at: Some(at), .. } => {
                    out.push_str("taken back at ");
                    self.expr(at, out)?;
                }
                Modifier::TakeBack { at: None, .. } => out.push_str("not taken back"),
            }
        }
        Ok(())
    }

    /// `measure NAME = sum of E | count of T [by P] [on P] [where C] [, each P floored at X capped at Y]`.
    fn measure(&self, measure: &Measure, out: &mut String) -> Out<()> {
        out.push_str(&format!("measure {} = ", measure.name.text));
        match &measure.aggregate {
            Aggregate::Sum(e) => {
                out.push_str("sum of ");
                self.expr(e, out)?;
            }
            Aggregate::Count(table) => out.push_str(&format!("count of {}", table.text)),
        }
        if let Some(by) = &measure.by {
            out.push_str(&format!(" by {}", path_text(by)?));
        }
        if let (Some(from), Some(to)) = (&measure.on, &measure.until) {
            out.push_str(&format!(" active from {} to {}", path_text(from)?, path_text(to)?));
        } else if let Some(on) = &measure.on {
            out.push_str(&format!(" on {}", path_text(on)?));
        }
        if let Some(filter) = &measure.filter {
            out.push_str(" where ");
            self.expr(filter, out)?;
        }
        if let Some(each) = &measure.each {
            out.push_str(&format!(", each {}", path_text(&each.group)?));
            for (word, limit) in [("floored", &each.floor), ("capped", &each.cap)] {
                if let Some(limit) = limit {
                    out.push_str(&format!(" {word} at "));
                    self.expr(limit, out)?;
                }
            }
        }
        Ok(())
    }

    /// `draw KIND AMOUNT per UNIT (for N UNIT from PATH | from DATE to DATE) [, option]*`.
    fn draw(&self, draw: &Draw, indent: usize, out: &mut String) -> Out<()> {
        out.push_str("draw ");
        if let Some(name) = &draw.name {
            out.push_str(&format!("{} = ", name.text));
        }
        out.push_str(if draw.recoverable { "recoverable " } else { "non-recoverable " });
        if let Some((advance, _)) = draw.form {
            out.push_str(if advance { "advance " } else { "guarantee " });
        }
        self.expr(&draw.amount, out)?;
        out.push_str(&format!(" per {} ", draw.per.text));
        match &draw.when {
            DrawWhen::Months { count, unit, from } => {
                out.push_str(&format!("for {} {} from {}", self.slice(count.1)?, unit.text, path_text(from)?));
            }
            DrawWhen::Dates { from, to } => {
                out.push_str(&format!("from {} to {}", self.slice(from.span)?, self.slice(to.span)?))
            }
        }
        for Continued { kind: option, comments } in &draw.options {
            self.separator(out, option.span.start, comments, indent);
            if let Some((_, span)) = option.recovered_from {
                out.push_str(&format!("recovered from month {}", self.slice(span)?));
                continue;
            }
            out.push_str(if option.forgiven { "forgiven" } else { "owed" });
            out.push_str(if option.on_termination { " on termination" } else { " at end" });
        }
        Ok(())
    }
}

/// `half to even`: the words of a header line, one space apart.
fn words(words: &Words) -> Out<String> {
    if words.words.is_empty() || words.span == Span::default() {
        return Err(Decline);
    }
    Ok(words.text())
}
