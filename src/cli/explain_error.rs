//! `compplan explain-error`: the long form of a diagnostic code, or the whole catalogue.

use super::{ExitStatus, ExplainErrorArgs};
use crate::diagnostics::codes;

pub(crate) fn run(args: &ExplainErrorArgs) -> ExitStatus {
    if args.catalogue {
        super::out(&codes::catalogue());
        return ExitStatus::Ok;
    }
    let query = args.code.as_deref().unwrap_or_default();
    match codes::lookup(query) {
        Some(code) => {
            super::out(&format!("{}\n", code.explain()));
            ExitStatus::Ok
        }
        None => {
            eprintln!("error: `{query}` is not a compplan diagnostic code");
            let ids: Vec<&str> = codes::all().map(|c| c.id).collect();
            if let Some(near) = crate::diagnostics::did_you_mean(query, ids.iter().copied()) {
                eprintln!("help: did you mean `{near}`?");
            }
            eprintln!("note: `compplan explain-error --catalogue` lists every code");
            ExitStatus::Failed
        }
    }
}
