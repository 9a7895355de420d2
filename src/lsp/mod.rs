//! `compplan lsp`: the language server, over stdio, on `lsp-server` and `lsp-types`.
//!
//! This is the only module that knows the protocol. It keeps the salsa database: opening, changing
//! and closing documents set its inputs on the main thread; every request and every diagnostics pass
//! runs on a worker thread with a snapshot (a clone of the database). Setting an input waits until
//! the snapshots are dropped and makes the queries running on them unwind with `salsa::Cancelled`, so
//! an edit never waits for stale work: a cancelled request is answered `ContentModified` (the editor
//! asks again), a cancelled diagnostics pass publishes nothing (the pass that the edit starts does).
//! Workers drop their snapshot before sending, and passes are numbered, so a pass that finishes
//! after a later one never overwrites what the later one published.
//! The answers come from [`crate::analysis`]; `convert` turns byte spans into UTF-16 ranges.

mod convert;
mod documents;
mod handlers;
mod uri;

use documents::{Change, Documents};
use lsp_server::{Connection, Message, Notification, Request, Response};
use lsp_types as lt;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Runs the server on stdin and stdout until the editor asks it to exit.
pub fn run() -> Result<(), String> {
    let (connection, io_threads) = Connection::stdio();
    let (id, params) = connection.initialize_start().map_err(|e| e.to_string())?;
    let params: lt::InitializeParams = serde_json::from_value(params).unwrap_or_default();
    let result = lt::InitializeResult {
        capabilities: capabilities(),
        server_info: Some(lt::ServerInfo { name: "compplan".to_string(), version: Some(env!("CARGO_PKG_VERSION").to_string()) }),
    };
    let result = serde_json::to_value(result).map_err(|e| e.to_string())?;
    connection.initialize_finish(id, result).map_err(|e| e.to_string())?;
    main_loop(connection, root_of(&params))?;
    io_threads.join().map_err(|e| e.to_string())
}

/// What the server offers: incremental text sync, UTF-16 positions, and the requests below.
fn capabilities() -> lt::ServerCapabilities {
    lt::ServerCapabilities {
        position_encoding: Some(lt::PositionEncodingKind::UTF16),
        text_document_sync: Some(lt::TextDocumentSyncCapability::Options(lt::TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(lt::TextDocumentSyncKind::INCREMENTAL),
            ..lt::TextDocumentSyncOptions::default()
        })),
        hover_provider: Some(lt::HoverProviderCapability::Simple(true)),
        definition_provider: Some(lt::OneOf::Left(true)),
        references_provider: Some(lt::OneOf::Left(true)),
        completion_provider: Some(lt::CompletionOptions { trigger_characters: Some(vec![".".to_string()]), ..lt::CompletionOptions::default() }),
        document_symbol_provider: Some(lt::OneOf::Left(true)),
        document_formatting_provider: Some(lt::OneOf::Left(true)),
        ..lt::ServerCapabilities::default()
    }
}

/// The folder the editor opened: workspaces are looked for below it.
#[allow(deprecated)] // `root_uri` is superseded by `workspace_folders`, which not every editor sends.
fn root_of(params: &lt::InitializeParams) -> Option<std::path::PathBuf> {
    let folder = params.workspace_folders.as_ref().and_then(|f| f.first()).map(|f| f.uri.as_str().to_string());
    let uri = folder.or_else(|| params.root_uri.as_ref().map(|u| u.as_str().to_string()))?;
    uri::to_path(&uri)
}

/// The server between messages: the documents, and what workers share.
pub(crate) struct Server<'c> {
    documents: Documents,
    /// The connection; workers send through clones of its sender.
    connection: &'c Connection,
    /// Each file's URI, rebuilt when files come and go; workers get a clone of the pointer.
    uris: Arc<convert::Uris>,
    /// What was published, shared with the diagnostics passes.
    published: Arc<Mutex<Published>>,
    /// The number of the latest diagnostics pass.
    generation: u64,
}

/// What the editor was last sent, so that an unchanged file is not sent again, and a pass that
/// finishes after a later one does not overwrite its results.
#[derive(Default)]
pub(crate) struct Published {
    /// The number of the pass that published last.
    generation: u64,
    /// The diagnostics last sent for each URI.
    last: HashMap<String, Vec<lt::Diagnostic>>,
}

fn main_loop(connection: Connection, root: Option<std::path::PathBuf>) -> Result<(), String> {
    let mut server = Server { documents: Documents::new(root), connection: &connection, uris: Arc::default(), published: Arc::default(), generation: 0 };
    let mut shut_down = false;
    for message in &connection.receiver {
        match message {
            Message::Request(request) if request.method == "shutdown" => {
                shut_down = true;
                server.respond(Response::new_ok(request.id, ()));
            }
            Message::Request(request) if shut_down => {
                server.respond(Response::new_err(request.id, lsp_server::ErrorCode::InvalidRequest as i32, "the server is shutting down".to_string()));
            }
            Message::Request(request) => server.request(request),
            // The protocol's rule: exit after shutdown is a success, exit without it is not.
            Message::Notification(notification) if notification.method == "exit" => {
                return if shut_down { Ok(()) } else { Err("the editor sent `exit` without `shutdown`".to_string()) };
            }
            Message::Notification(notification) => server.notification(notification),
            Message::Response(_) => {}
        }
    }
    // The editor closed the connection.
    Ok(())
}

impl Server<'_> {
    fn notification(&mut self, notification: Notification) {
        match notification.method.as_str() {
            "textDocument/didOpen" => {
                let Ok(params) = serde_json::from_value::<lt::DidOpenTextDocumentParams>(notification.params) else { return };
                let doc = params.text_document;
                let ws = self.documents.open(doc.uri.as_str(), doc.text, doc.version);
                self.refresh_uris();
                self.publish(ws, vec![doc.uri.as_str().to_string()]);
            }
            "textDocument/didChange" => {
                let Ok(params) = serde_json::from_value::<lt::DidChangeTextDocumentParams>(notification.params) else { return };
                let changes = params
                    .content_changes
                    .into_iter()
                    .map(|c| Change {
                        range: c.range.map(|r| {
                            let p = |p: lt::Position| crate::analysis::positions::Utf16Position { line: p.line, character: p.character };
                            (p(r.start), p(r.end))
                        }),
                        text: c.text,
                    })
                    .collect();
                let uri = params.text_document.uri.as_str().to_string();
                if let Some(ws) = self.documents.change(&uri, changes, params.text_document.version) {
                    self.publish(ws, vec![uri]);
                }
            }
            "textDocument/didClose" => {
                let Ok(params) = serde_json::from_value::<lt::DidCloseTextDocumentParams>(notification.params) else { return };
                let uri = params.text_document.uri.as_str().to_string();
                if let Some((ws, removed)) = self.documents.close(&uri) {
                    self.refresh_uris();
                    if let Some(removed) = removed {
                        self.send_diagnostics(&removed, None, Vec::new());
                    }
                    self.publish(ws, Vec::new());
                }
            }
            _ => {}
        }
    }

    fn refresh_uris(&mut self) {
        let uris: convert::Uris = self.documents.all().into_iter().map(|d| (d.file, d.uri)).collect();
        self.uris = Arc::new(uris);
    }

    fn send_diagnostics(&self, uri: &str, version: Option<i32>, diagnostics: Vec<lt::Diagnostic>) {
        if let Ok(mut published) = self.published.lock() {
            published.last.insert(uri.to_string(), diagnostics.clone());
        }
        let Ok(uri) = uri.parse::<lt::Uri>() else { return };
        let params = lt::PublishDiagnosticsParams { uri, diagnostics, version };
        let _ = self.connection.sender.send(Notification::new("textDocument/publishDiagnostics".to_string(), params).into());
    }

    fn respond(&self, response: Response) {
        let _ = self.connection.sender.send(response.into());
    }

    fn request(&mut self, request: Request) {
        handlers::dispatch(self, request);
    }
}
