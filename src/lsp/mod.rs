//! `compplan lsp`: the language server, over stdio, with `lsp-server`'s messages and `lsp-types`.
//!
//! This is the only module that knows the protocol. It keeps the salsa database: opening, changing
//! and closing documents set its inputs on the main thread; every request and every diagnostics pass
//! runs on a worker thread with a snapshot (a clone of the database). Setting an input waits until
//! the snapshots are dropped and makes the queries running on them unwind with `salsa::Cancelled`, so
//! an edit never waits for stale work: a cancelled request is answered `ContentModified` (the editor
//! asks again), a cancelled diagnostics pass is started again if it is still its workspace's latest
//! (the edit may have been in another workspace). Passes are numbered per workspace, so a pass that
//! finishes after a later one of the same workspace never overwrites what the later one published,
//! and each opened or edited document is owed a publication by the first pass that sees its state.
//! Workspace folders are read on their own thread (`discovery`); `exit` ends the process at
//! once, whatever is still running (`transport`). Bad traffic is answered or skipped and reading
//! goes on (`transport`, `framing`). A panic (a bug) in a request, a diagnostics pass or the main
//! loop is caught and logged on stderr: the request is answered with an internal error, the pass
//! publishes one on the open documents, and the next edit is checked as usual (`panics`).
//! The answers come from [`crate::analysis`]; `convert` turns byte spans into UTF-16 ranges.

mod convert;
mod discovery;
mod documents;
mod framing;
mod handlers;
mod notifications;
mod panics;
mod publish;
mod transport;
mod uri;

use documents::Documents;
use lsp_server::{ErrorCode, Message, Request, Response};
use lsp_types as lt;
use std::collections::HashMap;
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::sync::{mpsc, Arc, Mutex};
use transport::{Event, Outbox};

/// Runs the server on stdin and stdout until the editor asks it to exit or closes the connection.
/// It does not wait for work in flight: the process ends when this returns.
pub fn run() -> Result<(), String> {
    let (outbox, events_sender, events) = transport::stdio();
    let Some(params) = initialize(&events, &outbox)? else { return Ok(()) };
    let watch = params
        .capabilities
        .workspace
        .as_ref()
        .and_then(|w| w.did_change_watched_files.as_ref())
        .and_then(|d| d.dynamic_registration)
        .unwrap_or(false);
    let mut server = Server {
        documents: Documents::new(roots_of(&params)),
        outbox,
        events: events_sender,
        uris: Arc::default(),
        published: Arc::default(),
        passes: HashMap::new(),
        held: Vec::new(),
        watch,
    };
    server.main_loop(&events)
}

/// Answers `initialize` (refusing other requests until then); `None` when the editor leaves first.
fn initialize(events: &mpsc::Receiver<Event>, outbox: &Outbox) -> Result<Option<lt::InitializeParams>, String> {
    for event in events {
        match event {
            Event::Message(Message::Request(request)) if request.method == "initialize" => {
                let params: lt::InitializeParams = serde_json::from_value(request.params).unwrap_or_default();
                let result = lt::InitializeResult {
                    capabilities: capabilities(),
                    server_info: Some(lt::ServerInfo {
                        name: "compplan".to_string(),
                        version: Some(env!("CARGO_PKG_VERSION").to_string()),
                    }),
                };
                outbox.send(Response::new_ok(request.id, result));
                return Ok(Some(params));
            }
            Event::Message(Message::Request(request)) => {
                outbox.send(Response::new_err(
                    request.id,
                    ErrorCode::ServerNotInitialized as i32,
                    "the server is not initialized yet".to_string(),
                ));
            }
            Event::Message(Message::Notification(n)) if n.method == "exit" => return Ok(None),
            Event::Closed(ended) => return ended.map(|()| None),
            _ => {}
        }
    }
    Ok(None)
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
        completion_provider: Some(lt::CompletionOptions {
            trigger_characters: Some(vec![".".to_string()]),
            ..lt::CompletionOptions::default()
        }),
        document_symbol_provider: Some(lt::OneOf::Left(true)),
        document_formatting_provider: Some(lt::OneOf::Left(true)),
        workspace: Some(lt::WorkspaceServerCapabilities {
            workspace_folders: Some(lt::WorkspaceFoldersServerCapabilities {
                supported: Some(true),
                change_notifications: Some(lt::OneOf::Left(true)),
            }),
            file_operations: None,
        }),
        ..lt::ServerCapabilities::default()
    }
}

/// The folders the editor opened: every workspace folder, or else the root.
#[allow(deprecated)] // `root_uri` and `root_path` are superseded by `workspace_folders`, which not every editor sends.
fn roots_of(params: &lt::InitializeParams) -> Vec<PathBuf> {
    let folders: Vec<PathBuf> =
        params.workspace_folders.iter().flatten().filter_map(|f| uri::to_path(f.uri.as_str())).collect();
    if !folders.is_empty() {
        return folders;
    }
    let root = params
        .root_uri
        .as_ref()
        .and_then(|u| uri::to_path(u.as_str()))
        .or_else(|| params.root_path.as_ref().map(PathBuf::from));
    root.into_iter().collect()
}

/// The server between messages: the documents, and what workers share.
pub(crate) struct Server {
    documents: Documents,
    /// The way to the editor; workers send through clones of it.
    outbox: Outbox,
    /// The way back to the main loop, for scans and cancelled passes.
    events: mpsc::Sender<Event>,
    /// Each file's URI, rebuilt when files come and go; workers get a clone of the pointer.
    uris: Arc<convert::Uris>,
    /// What was published, shared with the diagnostics passes.
    published: Arc<Mutex<publish::Published>>,
    /// The number of the latest diagnostics pass of each workspace.
    passes: HashMap<crate::source::Workspace, u64>,
    /// Requests about documents of a workspace whose folder is being read: answered once it is, as
    /// an answer from part of the workspace would be wrong (a definition in a file not read yet).
    held: Vec<(crate::source::Workspace, Request)>,
    /// Whether the editor lets the server register a file watcher.
    watch: bool,
}

impl Server {
    /// Handles events until the editor leaves. A panic while handling one (a bug) is logged, a
    /// request being handled is answered with an internal error, and the loop goes on.
    fn main_loop(&mut self, events: &mpsc::Receiver<Event>) -> Result<(), String> {
        let mut shut_down = false;
        for event in events {
            let (request, doing) = match &event {
                Event::Message(Message::Request(r)) => {
                    (Some(r.id.clone()), format!("handling {} (request {})", r.method, r.id))
                }
                Event::Message(Message::Notification(n)) => (None, format!("handling {}", n.method)),
                _ => (None, "handling the server's own event".to_string()),
            };
            match std::panic::catch_unwind(AssertUnwindSafe(|| self.handle(event, &mut shut_down))) {
                Ok(Some(ended)) => return ended,
                Ok(None) => {}
                Err(payload) => {
                    let message = panics::message_of(payload.as_ref());
                    panics::log(&doing, &message);
                    if let Some(id) = request {
                        self.respond(Response::new_err(
                            id,
                            ErrorCode::InternalError as i32,
                            format!("compplan failed to answer this request: {message} (a bug in compplan; the server goes on)"),
                        ));
                    }
                }
            }
        }
        Ok(())
    }

    /// Handles one event; `Some` when the server must stop, with how it ends.
    fn handle(&mut self, event: Event, shut_down: &mut bool) -> Option<Result<(), String>> {
        match event {
            Event::Message(Message::Request(request)) if request.method == "shutdown" => {
                *shut_down = true;
                // Requests held for a folder still being read are answered from what is read.
                for (_, held) in std::mem::take(&mut self.held) {
                    handlers::dispatch(self, held);
                }
                self.respond(Response::new_ok(request.id, ()));
            }
            Event::Message(Message::Request(request)) if *shut_down => {
                self.respond(Response::new_err(
                    request.id,
                    ErrorCode::InvalidRequest as i32,
                    "the server is shutting down".to_string(),
                ));
            }
            Event::Message(Message::Request(request)) => self.request(request),
            // The protocol's rule: exit after shutdown is a success, exit without it is not.
            Event::Message(Message::Notification(notification)) if notification.method == "exit" => {
                return Some(if *shut_down {
                    Ok(())
                } else {
                    Err("the editor sent `exit` without `shutdown`".to_string())
                });
            }
            Event::Message(Message::Notification(notification)) => self.notification(notification),
            Event::Message(Message::Response(_)) => {}
            Event::Scanned { ws, scan } => self.scanned(ws, scan),
            Event::Cancelled { ws, pass } => {
                if self.passes.get(&ws) == Some(&pass) {
                    self.publish(ws, Vec::new());
                }
            }
            // The editor closed the connection, or broke it.
            Event::Closed(ended) => return Some(ended),
        }
        None
    }

    fn respond(&self, response: Response) {
        self.outbox.send(response);
    }

    fn request(&mut self, request: Request) {
        let uri = request.params.get("textDocument").and_then(|d| d.get("uri")).and_then(|u| u.as_str());
        if let Some(doc) = uri.and_then(|u| self.documents.get(u)).filter(|d| self.documents.is_loading(d.ws)) {
            self.held.push((doc.ws, request));
            return;
        }
        handlers::dispatch(self, request);
    }

    fn refresh_uris(&mut self) {
        let uris: convert::Uris = self.documents.all().into_iter().map(|d| (d.file, d.uri)).collect();
        self.uris = Arc::new(uris);
    }

    /// Tells the editor something worth a line in its log (`log`) or a message on screen (`show`).
    fn tell(&self, show: bool, typ: lt::MessageType, message: String) {
        let notification = if show {
            lsp_server::Notification::new("window/showMessage".to_string(), lt::ShowMessageParams { typ, message })
        } else {
            lsp_server::Notification::new("window/logMessage".to_string(), lt::LogMessageParams { typ, message })
        };
        self.outbox.send(notification);
    }
}
