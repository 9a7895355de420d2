//! Evaluation errors: problems that only show with real data, as typed values that the CLI turns
//! into diagnostics.

use crate::diagnostics::Code;

/// A problem evaluating one rep: the rep's payout cannot be computed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EvalError {
    /// The stable code.
    pub code: &'static Code,
    /// What went wrong, naming the rep, the plan and the period.
    pub message: String,
    /// The definition involved (an attainment, a table), to point at its line in the plan.
    pub definition: Option<String>,
    /// A concrete fix.
    pub help: Option<String>,
    /// The rep's id.
    pub rep: String,
    /// The plan's name.
    pub plan: String,
    /// The pay period.
    pub period: String,
}

/// The part of an error known where it happens; the rep, plan and period are added by the caller.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fault {
    /// The stable code.
    pub code: &'static Code,
    /// What went wrong.
    pub message: String,
    /// The definition involved.
    pub definition: Option<String>,
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
    pub fn definition(mut self, name: &str) -> Fault {
        self.definition = Some(name.to_string());
        self
    }

    /// Sets the help line.
    pub fn help(mut self, help: impl Into<String>) -> Fault {
        self.help = Some(help.into());
        self
    }

    /// Completes the fault with where it happened.
    pub fn at(self, rep: &str, plan: &str, period: &str) -> EvalError {
        EvalError {
            code: self.code,
            message: format!("{} (rep `{rep}`, plan `{plan}`, period {period})", self.message),
            definition: self.definition,
            help: self.help,
            rep: rep.to_string(),
            plan: plan.to_string(),
            period: period.to_string(),
        }
    }
}

impl From<crate::num::Overflow> for Fault {
    fn from(_: crate::num::Overflow) -> Fault {
        Fault::overflow("a value")
    }
}
