//! The salsa database: the storage behind every query, and helpers that set its inputs.

use crate::source::{SourceFile, Workspace};
use salsa::Setter as _;
use std::sync::{Arc, Mutex};

/// The database trait every query takes as `&dyn Db`.
#[salsa::db]
pub trait Db: salsa::Database {}

/// The one database implementation, used by the CLI, the tests and the language server.
///
/// Cloning it gives a snapshot for another thread; a setter waits until the snapshots are dropped
/// (and cancels their queries), which is how the language server stays responsive.
#[salsa::db]
#[derive(Clone, Default)]
pub struct CompDb {
    storage: salsa::Storage<Self>,
    executed: Option<Arc<Mutex<Vec<String>>>>,
}

#[salsa::db]
impl salsa::Database for CompDb {}

#[salsa::db]
impl Db for CompDb {}

impl CompDb {
    /// A database that records the name of every query it executes, so that tests can prove what an
    /// edit re-ran and what it reused.
    pub fn with_query_log() -> CompDb {
        let executed: Arc<Mutex<Vec<String>>> = Arc::default();
        let log = executed.clone();
        let storage = salsa::Storage::new(Some(Box::new(move |event: salsa::Event| {
            if let salsa::EventKind::WillExecute { database_key } = event.kind {
                if let Ok(mut log) = log.lock() {
                    log.push(format!("{database_key:?}"));
                }
            }
        })));
        CompDb { storage, executed: Some(executed) }
    }

    /// The queries executed since the last call (empty without [`CompDb::with_query_log`]).
    pub fn take_executed(&self) -> Vec<String> {
        self.executed
            .as_ref()
            .and_then(|log| log.lock().ok().map(|mut log| std::mem::take(&mut *log)))
            .unwrap_or_default()
    }

    /// Creates the workspace input from `(path, text)` pairs, sorted by path so that the order of
    /// files on disk never changes a result.
    pub fn workspace(&self, mut sources: Vec<(String, String)>) -> Workspace {
        sources.sort_by(|a, b| a.0.cmp(&b.0));
        let files = sources.into_iter().map(|(path, text)| SourceFile::new(self, path, text)).collect();
        Workspace::new(self, files)
    }

    /// Replaces a file's text, only when it changed: a setter always starts a new revision.
    pub fn set_text(&mut self, file: SourceFile, text: String) {
        if file.text(self) != text {
            file.set_text(self).to(text);
        }
    }
}
