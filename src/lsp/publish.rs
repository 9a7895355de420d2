//! Diagnostics passes: a workspace checked on a worker, and what the editor is sent.
//!
//! Passes are numbered per workspace. A pass publishes unless a later pass of its workspace already
//! did; it sends each file whose diagnostics changed, and each document that is owed a publication
//! (opened or edited since it was last sent) even when its list is the same, so the editor always
//! has a list for the latest version. A debt is paid only by a pass that started after the change,
//! so a superseded pass never pays it with stale results; a cancelled pass is started again by the
//! main loop when it is still the latest of its workspace.

use super::convert;
use super::panics::{self, Outcome};
use super::transport::{Event, Outbox};
use super::Server;
use crate::analysis;
use crate::source::{SourceFile, Workspace};
use lsp_server::Notification;
use lsp_types as lt;
use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

/// What the editor was last sent, shared by the passes.
#[derive(Default)]
pub(crate) struct Published {
    /// The number of the pass of each workspace that published last.
    done: HashMap<Workspace, u64>,
    /// The diagnostics last sent for each URI.
    last: HashMap<String, Vec<lt::Diagnostic>>,
    /// The documents owed a publication, with their workspace and the first pass that can pay it.
    owed: HashMap<String, (Workspace, u64)>,
}

impl Server {
    /// Checks a workspace on a worker and publishes the diagnostics of every file whose list changed,
    /// and of the documents in `owed` (the one just opened or edited) even when unchanged. While the
    /// workspace's folder is being read, only the debts are noted: the pass that follows the reading
    /// pays them.
    pub(super) fn publish(&mut self, ws: Workspace, owed: Vec<String>) {
        let latest = self.passes.get(&ws).copied().unwrap_or(0);
        let mut state = lock(&self.published);
        for uri in owed {
            state.owed.insert(uri, (ws, latest + 1));
        }
        drop(state);
        if self.documents.is_loading(ws) {
            return;
        }
        let pass = latest + 1;
        self.passes.insert(ws, pass);
        let snapshot = self.documents.db.clone();
        let uris = self.uris.clone();
        let versions: Vec<(SourceFile, Option<i32>)> =
            self.documents.of_workspace(ws).into_iter().map(|d| (d.file, d.version)).collect();
        let published = self.published.clone();
        let outbox = self.outbox.clone();
        let events = self.events.clone();
        std::thread::spawn(move || {
            let doing = || format!("checking a workspace (diagnostics pass {pass})");
            let outcome = panics::guarded(doing, || {
                panics::provoke(&snapshot, ws.files(&snapshot));
                diagnostics(&snapshot, ws, &uris, &versions)
            });
            drop(snapshot);
            let files = match outcome {
                Outcome::Done(files) => files,
                Outcome::Cancelled => {
                    let _ = events.send(Event::Cancelled { ws, pass });
                    return;
                }
                // A bug in the checker: trying again would fail again, so the open documents say
                // so, instead of showing diagnostics of an older text as if they were current.
                Outcome::Panicked(message) => failed(&uris, &versions, &message),
            };
            send(&published, &outbox, ws, pass, files);
        });
    }

    /// Clears what the editor shows for a file that left its workspace.
    pub(super) fn clear_diagnostics(&self, uri: &str) {
        let mut state = lock(&self.published);
        state.last.insert(uri.to_string(), Vec::new());
        state.owed.remove(uri);
        drop(state);
        let Ok(parsed) = uri.parse::<lt::Uri>() else { return };
        let params = lt::PublishDiagnosticsParams { uri: parsed, diagnostics: Vec::new(), version: None };
        self.outbox.send(Notification::new("textDocument/publishDiagnostics".to_string(), params));
    }
}

/// A file's URI, the editor's version of it (when open), and its diagnostics.
type FileDiagnostics = (String, Option<i32>, Vec<lt::Diagnostic>);

/// Checks a workspace: the diagnostics of each of its files.
fn diagnostics(
    db: &crate::CompDb,
    ws: Workspace,
    uris: &convert::Uris,
    versions: &[(SourceFile, Option<i32>)],
) -> Vec<FileDiagnostics> {
    analysis::diagnostics_by_file(db, ws)
        .into_iter()
        .filter_map(|(file, problems)| {
            let uri = uris.get(&file)?.clone();
            let diagnostics: Vec<lt::Diagnostic> =
                problems.iter().map(|p| convert::diagnostic(db, uris, file, p)).collect();
            let version = versions.iter().find(|(f, _)| *f == file).and_then(|(_, v)| *v);
            Some((uri, version, diagnostics))
        })
        .collect()
}

/// What the open documents of a workspace show when checking it panicked: one error at the top of
/// each, which the next pass that succeeds replaces.
fn failed(uris: &convert::Uris, versions: &[(SourceFile, Option<i32>)], message: &str) -> Vec<FileDiagnostics> {
    let diagnostic = lt::Diagnostic {
        severity: Some(lt::DiagnosticSeverity::ERROR),
        source: Some("compplan".to_string()),
        message: format!(
            "compplan could not check this workspace: it failed with an internal error ({message}). \
             This is a bug in compplan, not a problem in your plans; the language server's log has the \
             details, and the next edit checks again."
        ),
        ..lt::Diagnostic::default()
    };
    versions
        .iter()
        .filter_map(|&(file, version)| Some((uris.get(&file)?.clone(), Some(version?), vec![diagnostic.clone()])))
        .collect()
}

/// Publishes a pass's diagnostics, unless a later pass of its workspace already did: each file whose
/// list changed, and each document owed a publication that this pass can pay.
fn send(published: &Mutex<Published>, outbox: &Outbox, ws: Workspace, pass: u64, files: Vec<FileDiagnostics>) {
    let mut state = lock(published);
    if state.done.get(&ws).is_some_and(|&done| done > pass) {
        return;
    }
    state.done.insert(ws, pass);
    for (uri, version, diagnostics) in files {
        let owed = state.owed.get(&uri).is_some_and(|&(w, from)| w == ws && from <= pass);
        let unchanged = state.last.get(&uri).map_or(diagnostics.is_empty(), |d| *d == diagnostics);
        if unchanged && !owed {
            continue;
        }
        if owed {
            state.owed.remove(&uri);
        }
        state.last.insert(uri.clone(), diagnostics.clone());
        let Ok(parsed) = uri.parse::<lt::Uri>() else { continue };
        let params = lt::PublishDiagnosticsParams { uri: parsed, diagnostics, version };
        outbox.send(Notification::new("textDocument/publishDiagnostics".to_string(), params));
    }
}

/// The record of what was published. A thread that panicked while holding it poisoned the lock, but
/// the record is at worst a little behind what was sent (the next pass sends more): diagnostics go on.
fn lock(published: &Mutex<Published>) -> MutexGuard<'_, Published> {
    published.lock().unwrap_or_else(PoisonError::into_inner)
}
