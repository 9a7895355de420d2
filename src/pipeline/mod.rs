//! The pipeline every command runs, as library steps: check plan sources, load the data against
//! their schema, evaluate a request, and place every problem for its renderer.
//!
//! ```text
//! plan sources (path, text) ──Plans::check──▶ Plans ──load(open)──▶ Dataset ──evaluate(request)──▶ Report
//!                                 │                       │                        │
//!                          errors in plans       problems at their cells     problems at cells or
//!                                                                             definitions, per rep
//! ```
//!
//! No file I/O, no printing, no exit: plan sources come as `(path, text)` pairs, data files through
//! the caller's `open` callback (which opens `<table>.csv` in a folder, or a test's inline rows),
//! and each step returns a `Result` whose error is diagnostics. Every diagnostic leaves the
//! pipeline placed ([`Plans::place`], [`crate::data::place`]): at a span of plan text, at a cell of
//! a data file, or nowhere; the caller renders them with [`crate::diagnostics::render`] and chooses
//! an exit status. The CLI, `compplan test`'s runner ([`crate::testing`]) and the integration tests
//! all run these steps, so that what they check is what `compplan run` does.

mod place;

use crate::data::{self, Dataset, Input};
use crate::diagnostics::{codes, Diagnostic, Severity};
use crate::eval::{self, error::EvalError, Failure, Report, Request, Watch};
use crate::source::Workspace;
use crate::{check, model, CompDb};

/// Opens a data table's file by the table's name (`reps` for `reps.csv`): `Ok(None)` when there is
/// none, `Err` with a message when it cannot be opened.
pub type Open<'a> = dyn FnMut(&str) -> Result<Option<Input>, String> + 'a;

/// Plan sources, checked: the database that holds them (renderers read their text from it, the
/// source maps their places) and the workspace in it.
pub struct Plans {
    db: CompDb,
    ws: Workspace,
}

/// Why a step stopped.
#[derive(Debug)]
pub enum Stop {
    /// The plans have errors (each at its span); nothing was loaded.
    Plans(Vec<Diagnostic>),
    /// The data has problems, found loading it or crediting it, each at its cell or about a file.
    Data(Vec<Diagnostic>),
    /// The rep asked for is not in the data.
    UnknownRep(String),
}

/// A stop, with the plans it happened with (to render its diagnostics).
pub struct Failed {
    /// The plans, checked (with errors when `stop` is [`Stop::Plans`]).
    pub plans: Plans,
    /// Why the pipeline stopped.
    pub stop: Stop,
}

impl Failed {
    /// The diagnostics that say why, placed (none for an unknown rep).
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match &self.stop {
            Stop::Plans(d) | Stop::Data(d) => d,
            Stop::UnknownRep(_) => &[],
        }
    }
}

impl Plans {
    /// Checks plan sources (path and text): the plans, or their errors (warnings and notes do not
    /// stop anything; `compplan check` shows them).
    pub fn check(sources: Vec<(String, String)>) -> Result<Plans, Failed> {
        let db = CompDb::default();
        let ws = db.workspace(sources);
        let plans = Plans { db, ws };
        // The errors, and the note that says how many more a file has when not all are shown.
        let errors: Vec<Diagnostic> = check::diagnostics(&plans.db, ws)
            .into_iter()
            .filter(|d| d.severity() == Severity::Error || d.code == &codes::NOT_SHOWN)
            .collect();
        if errors.is_empty() {
            Ok(plans)
        } else {
            Err(Failed { plans, stop: Stop::Plans(errors) })
        }
    }

    /// The database that holds the plans' text.
    pub fn db(&self) -> &CompDb {
        &self.db
    }

    /// The workspace in the database.
    pub fn workspace(&self) -> Workspace {
        self.ws
    }

    /// The checked model the runtime evaluates.
    pub fn model(&self) -> &model::Workspace {
        check::workspace_model(&self.db, self.ws)
    }

    /// The diagnostics of reps the runtime could not evaluate, placed at their definitions.
    pub fn rep_errors(&self, errors: &[EvalError]) -> Vec<Diagnostic> {
        self.place(errors.iter().map(|e| e.diagnostic.clone()).collect())
    }

    /// Places diagnostics about parts of the plans named by the model's ids
    /// ([`crate::diagnostics::Location::Model`]) through the checker's source maps, at the spans
    /// they are written at (a part the maps do not have leaves its label out). The diagnostics in
    /// plan text come first, then those in data files or about no place, each in their order: the
    /// order the commands have always printed them in.
    pub fn place(&self, diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
        place::place(&self.db, self.ws, self.model(), diagnostics)
    }
}

/// Loads the data for a model through `open`: every problem at its cell, all at once.
pub fn load(model: &model::Workspace, open: &mut Open<'_>) -> Result<Dataset, Vec<Diagnostic>> {
    data::load(model, open)
}

/// Evaluates a request on loaded data. The reps whose evaluation fails are in the report's
/// `errors` (see [`Plans::rep_errors`]); problems found while crediting the data are placed at
/// their cells, reading their rows back through `open`.
pub fn evaluate(
    model: &model::Workspace,
    data: &Dataset,
    request: &Request<'_>,
    open: &mut Open<'_>,
) -> Result<Report, Stop> {
    eval::run(model, data, request).map_err(|failure| stop(model, data, failure, open))
}

/// Evaluates one rep as [`evaluate`] does, showing `watch` each pay period asked for (what
/// `explain` derives its tree from); against the credit a [`with_tracer`] computed once, when given.
pub fn trace(
    model: &model::Workspace,
    data: &Dataset,
    tracer: Option<&eval::Tracer<'_, '_>>,
    (request, rep): (&Request<'_>, &str),
    watch: Watch<'_>,
    open: &mut Open<'_>,
) -> Result<Report, Stop> {
    let traced = match tracer {
        Some(tracer) => tracer.trace(request, rep, watch),
        None => eval::trace(model, data, request, rep, watch),
    };
    traced.map_err(|failure| stop(model, data, failure, open))
}

/// Credits every deal once and gives `body` a tracer for many reps ([`eval::with_tracer`]); the data's
/// problems stop it as [`trace`]'s do.
pub fn with_tracer<T>(
    model: &model::Workspace,
    data: &Dataset,
    open: &mut Open<'_>,
    body: impl FnOnce(Option<&eval::Tracer<'_, '_>>) -> T,
) -> Result<T, Stop> {
    eval::with_tracer(model, data, body).map_err(|failure| stop(model, data, failure, open))
}

fn stop(model: &model::Workspace, data: &Dataset, failure: Failure, open: &mut Open<'_>) -> Stop {
    match failure {
        Failure::Data(problems) => Stop::Data(data::place(&model.schema, data, problems, open)),
        Failure::UnknownRep(id) => Stop::UnknownRep(id),
    }
}

/// What a whole run computed: the plans, the data and the report.
pub struct Evaluated {
    /// The plans, checked without errors.
    pub plans: Plans,
    /// The data, loaded without problems.
    pub data: Dataset,
    /// The payouts and attainment, and the reps that could not be evaluated.
    pub report: Report,
}

/// The whole pipeline: checks the sources, loads the data and evaluates the request. Reps that
/// cannot be evaluated do not stop it: they are in the report's `errors`.
pub fn run(sources: Vec<(String, String)>, open: &mut Open<'_>, request: &Request<'_>) -> Result<Evaluated, Failed> {
    let plans = Plans::check(sources)?;
    let data = match load(plans.model(), open) {
        Ok(data) => data,
        Err(problems) => return Err(Failed { plans, stop: Stop::Data(problems) }),
    };
    match evaluate(plans.model(), &data, request, open) {
        Ok(report) => Ok(Evaluated { plans, data, report }),
        Err(stop) => Err(Failed { plans, stop }),
    }
}
