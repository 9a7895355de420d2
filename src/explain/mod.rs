//! `explain`: how each amount of a rep's payout came about, as a tree — the payout line at the top,
//! what it was computed from below it, down to the credited deals — each node naming the plan
//! definition that produced it.
//!
//! The tree is built while the runtime evaluates the one rep asked about (see
//! [`crate::eval::trace`]): every number in it is read through the same code that computed the
//! payout, never recomputed by a second implementation. The tree names definitions, not places: the
//! caller (the CLI) turns a [`Source`] into a file and line, because the runtime never sees spans.

mod build;
mod earning;
mod measures;
mod tables;

pub use build::explain_period;

/// One step of a derivation.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Node {
    /// What this step is (`earn commission`, `band from 50% to 100%`, `A2 reversal`).
    pub label: String,
    /// Its value, with its unit, when it has one (`7400.00 USD`, `100.00%`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// How the value follows from the children (`150000.00 × 6% = 9000.00`), or a remark.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The definition or rule that produced it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
    /// Where that definition is (`plans/enterprise_ae.plan:23`), filled in by the caller.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
    /// What it was computed from.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<Node>,
    /// On a tree's root, the pay period it explains (`2026-03`), by which trees are ordered; not
    /// part of the output.
    #[serde(skip)]
    pub period: Option<String>,
}

impl Node {
    /// A node with a label only.
    pub fn new(label: impl Into<String>) -> Node {
        Node {
            label: label.into(),
            value: None,
            detail: None,
            source: None,
            at: None,
            children: Vec::new(),
            period: None,
        }
    }

    /// Sets the value.
    pub fn value(mut self, value: impl Into<String>) -> Node {
        self.value = Some(value.into());
        self
    }

    /// Sets the detail.
    pub fn detail(mut self, detail: impl Into<String>) -> Node {
        self.detail = Some(detail.into());
        self
    }

    /// Sets the source.
    pub fn source(mut self, source: Source) -> Node {
        self.source = Some(source);
        self
    }

    /// Adds a child.
    pub fn child(mut self, child: Node) -> Node {
        self.children.push(child);
        self
    }

    /// Visits this node and all below it, parents first, to fill in places.
    pub fn visit_mut(&mut self, f: &mut impl FnMut(&mut Node)) {
        f(self);
        for child in &mut self.children {
            child.visit_mut(f);
        }
    }
}

/// The plan text a node comes from, by name (the runtime has no spans).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Source {
    /// A named definition of a plan: a quota, measure, attainment, table or earning.
    Definition {
        /// The plan's name.
        plan: String,
        /// Its version.
        version: u32,
        /// The definition's name.
        name: String,
    },
    /// A line of a plan's header or body that has no name (`draw`, `rounding`, `hold`…), by its
    /// first keyword.
    Item {
        /// The plan's name.
        plan: String,
        /// Its version.
        version: u32,
        /// The keyword the line starts with.
        keyword: Keyword,
    },
    /// A row of a table: its position among the table's rows (bands, points or keyed rows); `None`
    /// for a lookup's `otherwise`.
    Row {
        /// The plan's name.
        plan: String,
        /// Its version.
        version: u32,
        /// The table's name.
        table: String,
        /// The row's position.
        row: Option<usize>,
    },
    /// A clause of an earning: its `n`th cap or floor (`limit`), its gate (`gate`), or a bonus's
    /// condition (`when`).
    Clause {
        /// The plan's name.
        plan: String,
        /// Its version.
        version: u32,
        /// The earning's name.
        earning: String,
        /// Which kind of clause.
        clause: ClauseKind,
        /// Which limit, in the order written (0 for a gate or a condition).
        index: usize,
    },
    /// A rule of the `credit` block, by its form (`owner`, `split`, `territory`, `rollup`,
    /// `clawback`, `convert`).
    Credit {
        /// The rule's form.
        rule: CreditRule,
    },
}

/// The unnamed lines of a plan a [`Source::Item`] names, by the keyword they start with (written in
/// the JSON form as that keyword).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Keyword {
    /// The plan itself: its header.
    Plan,
    /// The `rounding` line.
    Rounding,
    /// The `draw` line.
    Draw,
    /// A `hold` line.
    Hold,
    /// The `recover at most …` line.
    Recover,
}

/// The clauses of an earning a [`Source::Clause`] names (written in the JSON form as `limit`,
/// `gate`, `when`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClauseKind {
    /// A cap or floor.
    Limit,
    /// `only when …`.
    Gate,
    /// `once per … when …`: a bonus's condition.
    When,
}

/// The rules of the `credit` block a [`Source::Credit`] names (written in the JSON form as
/// `owner`, `split`, `territory`, `rollup`, `clawback`, `convert`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CreditRule {
    /// `deal to deal.owner on deal.closed`: direct credit.
    Owner,
    /// `deal by splits`.
    Split,
    /// `deal by territory rep.territory`.
    Territory,
    /// `rollup to rep.manager`.
    Rollup,
    /// `clawback when … within N days of …`: a reversal.
    Clawback,
    /// `convert deal.amount to USD using fx on deal.closed`.
    Convert,
}

/// Writes trees as indented text with box-drawing branches; each node's place at the end of its line.
pub fn text(trees: &[Node]) -> String {
    let mut out = String::new();
    for (i, tree) in trees.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&line_of(tree));
        out.push('\n');
        write_children(&tree.children, "", &mut out);
    }
    out
}

fn line_of(node: &Node) -> String {
    let mut line = node.label.clone();
    if let Some(v) = &node.value {
        line.push_str(": ");
        line.push_str(v);
    }
    if let Some(d) = &node.detail {
        line.push_str("  (");
        line.push_str(d);
        line.push(')');
    }
    if let Some(at) = &node.at {
        line.push_str("  ← ");
        line.push_str(at);
    }
    line
}

/// The most children a node shows in text (a manager's measure may count thousands of credit rows);
/// the JSON form has them all.
const SHOWN_CHILDREN: usize = 40;

fn write_children(children: &[Node], prefix: &str, out: &mut String) {
    let hidden = children.len().saturating_sub(SHOWN_CHILDREN);
    let shown = &children[..children.len() - hidden];
    for (i, child) in shown.iter().enumerate() {
        let last = i + 1 == shown.len() && hidden == 0;
        out.push_str(prefix);
        out.push_str(if last { "└─ " } else { "├─ " });
        out.push_str(&line_of(child));
        out.push('\n');
        let deeper = format!("{prefix}{}", if last { "   " } else { "│  " });
        write_children(&child.children, &deeper, out);
    }
    if hidden > 0 {
        out.push_str(&format!("{prefix}└─ … and {hidden} more (`--format json` lists them all)\n"));
    }
}
