//! Work on a snapshot that may be cancelled or may fail: salsa's cancellation and any panic are
//! caught, a panic is logged on stderr, and the server goes on; and, in debug builds only, a test
//! hook that makes the work panic on purpose.
//!
//! A panic is a bug in compplan (a checker that overflows, say), never something the editor did: the
//! request is answered with an internal error, the diagnostics pass publishes one that says so, and
//! the next edit is checked as if nothing had happened (salsa forgets a query that panicked).
//!
//! The test hook: in a debug build, when the environment variable `COMPPLAN_LSP_TEST_PANIC` holds a
//! text, a request about a document that contains it, or a diagnostics pass of a workspace that holds
//! one, panics inside a salsa query, as a bug in the checker would. Release builds (`cargo install`,
//! the binaries users run) do not contain it, and a debug build without the variable never triggers
//! it: no document can, whatever its text.

use crate::source::SourceFile;
use std::panic::AssertUnwindSafe;

/// How work on a snapshot ended.
pub(super) enum Outcome<T> {
    /// It finished.
    Done(T),
    /// An edit cancelled it (or it waited on a query that panicked on another thread).
    Cancelled,
    /// It panicked: the panic's message, already logged.
    Panicked(String),
}

/// Runs `work`, catching salsa's cancellation and panics; a panic is logged on stderr with what was
/// being done (`doing`: "answering textDocument/hover (request 3)").
pub(super) fn guarded<T>(doing: impl FnOnce() -> String, work: impl FnOnce() -> T) -> Outcome<T> {
    match std::panic::catch_unwind(AssertUnwindSafe(|| salsa::Cancelled::catch(AssertUnwindSafe(work)))) {
        Ok(Ok(done)) => Outcome::Done(done),
        Ok(Err(_cancelled)) => Outcome::Cancelled,
        Err(payload) => {
            let message = message_of(payload.as_ref());
            log(&doing(), &message);
            Outcome::Panicked(message)
        }
    }
}

/// Says on stderr (the editor's log of the server) that something failed, and that the server goes on.
pub(super) fn log(doing: &str, message: &str) {
    eprintln!("compplan lsp: internal error while {doing}: {message} (a bug in compplan; the server goes on)");
}

/// The text a panic was raised with.
pub(super) fn message_of(payload: &(dyn std::any::Any + Send)) -> String {
    match (payload.downcast_ref::<&str>(), payload.downcast_ref::<String>()) {
        (Some(text), _) => (*text).to_string(),
        (_, Some(text)) => text.clone(),
        _ => "a panic without a message".to_string(),
    }
}

/// The test hook (see the module comment): panics when one of `files` holds the marker text.
#[cfg(debug_assertions)]
pub(super) fn provoke(db: &dyn crate::Db, files: &[SourceFile]) {
    for &file in files {
        provoked(db, file);
    }
}

/// Release builds have no test hook.
#[cfg(not(debug_assertions))]
pub(super) fn provoke(_db: &dyn crate::Db, _files: &[SourceFile]) {}

/// A query, so that the panic unwinds through salsa as a checker's would.
#[cfg(debug_assertions)]
#[salsa::tracked]
fn provoked(db: &dyn crate::Db, file: SourceFile) -> bool {
    static MARKER: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    let marker = MARKER.get_or_init(|| std::env::var("COMPPLAN_LSP_TEST_PANIC").ok().filter(|m| !m.is_empty()));
    if let Some(marker) = marker.as_deref().filter(|m| file.text(db).contains(m)) {
        panic!("COMPPLAN_LSP_TEST_PANIC: {} contains {marker:?}", file.path(db));
    }
    false
}
