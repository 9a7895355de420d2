//! The component of a payout row: the line of one of the plan's earnings, or one of the lines the
//! runtime adds (draw, recovery, deferred, hold, release, adjustment, total, balance, held). The runtime
//! and the readers of its rows match on it; it becomes text only where a row is written out
//! (`payouts.csv`, JSON, the ledger, the tables people read).

use super::Name;
use std::cmp::Ordering;
use std::fmt;

/// What a payout row is a line of.
///
/// A row is identified by its component's name, as `payouts.csv` and the ledger write it: two
/// components are equal, and ordered, by their names. The checker keeps the runtime's line names
/// ([`crate::model::PAYOUT_LINES`]) from earnings, so an earning's row is never a runtime line's.
#[derive(Clone, Debug)]
pub enum Component {
    /// The line of the plan's earning of this name.
    Earning(Name),
    /// A draw paid on top of the earnings: the plan's only, unnamed draw (`draw`), or a named one
    /// (its line is its name).
    Draw(Option<Name>),
    /// What was taken back from the earnings against the balance owed.
    Recovery,
    /// A negative result carried as a balance owed instead of being paid back now.
    Deferred,
    /// The part of the earnings held back until it falls due.
    Hold,
    /// Money held earlier and due now.
    Release,
    /// What closed periods, recomputed, earn beyond what the ledger records.
    Adjustment,
    /// What the period pays.
    Total,
    /// The balance owed after the period (a negative amount): not a payment.
    Balance,
    /// The money held for the rep after the period, to be paid later (a positive amount): not a
    /// payment either.
    Held,
}

/// The lines the runtime adds, in the order a period's rows list them after the earnings.
const RUNTIME_LINES: [Component; 9] = [
    Component::Draw(None),
    Component::Recovery,
    Component::Deferred,
    Component::Hold,
    Component::Release,
    Component::Adjustment,
    Component::Total,
    Component::Balance,
    Component::Held,
];

impl Component {
    /// The name the component is written as (`commission`, `draw`, `total`).
    pub fn name(&self) -> &str {
        match self {
            Component::Earning(name) => name,
            Component::Draw(None) => "draw",
            Component::Draw(Some(name)) => name,
            Component::Recovery => "recovery",
            Component::Deferred => "deferred",
            Component::Hold => "hold",
            Component::Release => "release",
            Component::Adjustment => "adjustment",
            Component::Total => "total",
            Component::Balance => "balance",
            Component::Held => "held",
        }
    }

    /// The component a written name stands for (a row the ledger records): a runtime line by its
    /// name, and any other name an earning.
    pub fn named(name: &str) -> Component {
        RUNTIME_LINES.into_iter().find(|line| line.name() == name).unwrap_or_else(|| Component::Earning(name.into()))
    }
}

impl PartialEq for Component {
    fn eq(&self, other: &Component) -> bool {
        self.name() == other.name()
    }
}

impl Eq for Component {}

impl PartialOrd for Component {
    fn partial_cmp(&self, other: &Component) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Component {
    fn cmp(&self, other: &Component) -> Ordering {
        self.name().cmp(other.name())
    }
}

/// The name, padded as asked (`{:<10}` in a table).
impl fmt::Display for Component {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name())
    }
}

/// The name, as a string.
impl serde::Serialize for Component {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_runtime_lines_are_the_names_the_checker_reserves() {
        let names: Vec<&str> = RUNTIME_LINES.iter().map(Component::name).collect();
        assert_eq!(names, crate::model::PAYOUT_LINES);
    }

    #[test]
    fn a_written_name_reads_back_as_the_same_component() {
        for line in RUNTIME_LINES {
            let read = Component::named(line.name());
            assert_eq!(std::mem::discriminant(&read), std::mem::discriminant(&line), "{line}");
        }
        assert!(matches!(Component::named("total"), Component::Total));
        assert!(matches!(Component::named("commission"), Component::Earning(name) if &*name == "commission"));
    }

    #[test]
    fn components_compare_and_print_by_name() {
        assert_eq!(Component::Earning("total".into()), Component::Total);
        assert!(Component::Balance < Component::Earning("commission".into()));
        assert!(Component::Earning("commission".into()) < Component::Draw(None));
        assert_eq!(format!("[{:<8}]", Component::Draw(None)), "[draw    ]");
        assert_eq!(Component::Draw(Some("ramp".into())).name(), "ramp");
    }
}
