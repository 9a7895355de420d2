//! Evaluation errors: problems that only show with real data, as diagnostics about the definition
//! involved, named by the model's id (the runtime has no spans; the pipeline places it).

use crate::diagnostics::{Code, Diagnostic, ModelPlace, PlanPart};
use crate::model::{self, DefinitionId};

/// A rep whose payout cannot be computed under a plan in a pay period, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EvalError {
    /// The rep's id.
    pub rep: String,
    /// The plan's name.
    pub plan: String,
    /// The pay period.
    pub period: String,
    /// What went wrong, naming the rep, the plan and the period, at the definition involved when
    /// there is one.
    pub diagnostic: Diagnostic,
}

/// The part of an error known where it happens; the rep, plan and period are added by the caller.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fault {
    /// The stable code.
    pub code: &'static Code,
    /// What went wrong.
    pub message: String,
    /// The definition involved, by its id in the plan evaluated.
    pub definition: Option<DefinitionId>,
    /// A concrete fix.
    pub help: Option<String>,
}

impl Fault {
    /// A fault of a code.
    pub fn new(code: &'static Code, message: impl Into<String>) -> Fault {
        Fault { code, message: message.into(), definition: None, help: None }
    }

    /// Arithmetic that grew beyond exact range.
    pub fn overflow(what: &str) -> Fault {
        Fault::new(&crate::diagnostics::codes::OVERFLOW, format!("{what} grew beyond the range of exact arithmetic"))
            .help("check the data for an amount with too many digits")
    }

    /// Names the definition involved.
    pub fn definition(mut self, id: DefinitionId) -> Fault {
        self.definition = Some(id);
        self
    }

    /// Names the definition involved, unless the fault already names one (a table read by a
    /// measure stays the table).
    pub fn within(mut self, id: DefinitionId) -> Fault {
        self.definition.get_or_insert(id);
        self
    }

    /// Sets the help line.
    pub fn help(mut self, help: impl Into<String>) -> Fault {
        self.help = Some(help.into());
        self
    }

    /// Completes the fault with where it happened: the rep, the plan evaluated (whose version the
    /// definition belongs to) and the pay period.
    pub fn at(self, rep: &str, plan: &model::Plan, period: &str) -> EvalError {
        let message = format!("{} (rep `{rep}`, plan `{}`, period {period})", self.message, plan.name);
        let mut diagnostic = Diagnostic::new(self.code, message);
        if let Some(id) = self.definition {
            let place = ModelPlace { plan: plan.name.clone(), version: plan.version, part: PlanPart::Definition(id) };
            diagnostic = diagnostic.at(place, format!("for rep `{rep}` in {period}"));
        }
        diagnostic.help = self.help;
        EvalError { rep: rep.to_string(), plan: plan.name.clone(), period: period.to_string(), diagnostic }
    }
}

impl From<crate::num::Overflow> for Fault {
    fn from(_: crate::num::Overflow) -> Fault {
        Fault::overflow("a value")
    }
}
