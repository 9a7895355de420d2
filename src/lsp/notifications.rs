//! The editor's notifications: documents opened, changed and closed, files changed on disk,
//! workspace folders added and removed; and what the server does when a folder has been read.

use super::discovery::{self, Scan};
use super::documents::Change;
use super::{uri, Server};
use crate::source::Workspace;
use lsp_server::{Notification, Request, RequestId};
use lsp_types as lt;

impl Server {
    /// Handles a notification from the editor; one whose parameters cannot be read is ignored.
    pub(super) fn notification(&mut self, notification: Notification) {
        let params = notification.params;
        match notification.method.as_str() {
            "initialized" => self.register_watcher(),
            "textDocument/didOpen" => self.with_params(params, Server::did_open),
            "textDocument/didChange" => self.with_params(params, Server::did_change),
            "textDocument/didClose" => self.with_params(params, Server::did_close),
            "workspace/didChangeWatchedFiles" => self.with_params(params, Server::watched_files_changed),
            "workspace/didChangeWorkspaceFolders" => self.with_params(params, Server::folders_changed),
            _ => {}
        }
    }

    /// Calls `handle` with a notification's parameters, when they are what the method sends.
    fn with_params<P: serde::de::DeserializeOwned>(&mut self, params: serde_json::Value, handle: fn(&mut Server, P)) {
        if let Ok(params) = serde_json::from_value(params) {
            handle(self, params);
        }
    }

    /// A document was opened: it joins its workspace, whose folder is read in the background the
    /// first time, and it is checked.
    fn did_open(&mut self, params: lt::DidOpenTextDocumentParams) {
        let doc = params.text_document;
        let (ws, to_read) = self.documents.open(doc.uri.as_str(), doc.text, doc.version);
        self.refresh_uris();
        if let Some(folder) = to_read {
            let events = self.events.clone();
            std::thread::spawn(move || {
                // Whatever happens, the workspace stops loading: requests held for it are answered.
                let scan = std::panic::catch_unwind(|| discovery::scan(&folder)).unwrap_or_default();
                let _ = events.send(super::Event::Scanned { ws, scan });
            });
        }
        self.publish(ws, vec![doc.uri.as_str().to_string()]);
    }

    /// A document was edited: its text changes, and it is checked again.
    fn did_change(&mut self, params: lt::DidChangeTextDocumentParams) {
        let position =
            |p: lt::Position| crate::analysis::positions::Utf16Position { line: p.line, character: p.character };
        let changes = params
            .content_changes
            .into_iter()
            .map(|c| Change { range: c.range.map(|r| (position(r.start), position(r.end))), text: c.text })
            .collect();
        let uri = params.text_document.uri.as_str().to_string();
        if let Some(ws) = self.documents.change(&uri, changes, params.text_document.version) {
            self.publish(ws, vec![uri]);
        }
    }

    /// A document was closed: its workspace reads it from disk again (or forgets it).
    fn did_close(&mut self, params: lt::DidCloseTextDocumentParams) {
        let uri = params.text_document.uri.as_str().to_string();
        if let Some((ws, removed)) = self.documents.close(&uri) {
            self.refresh_uris();
            if let Some(removed) = removed {
                self.clear_diagnostics(&removed);
            }
            self.publish(ws, Vec::new());
        }
    }

    /// Plan files changed on disk: each workspace they belong to is checked again.
    fn watched_files_changed(&mut self, params: lt::DidChangeWatchedFilesParams) {
        let mut touched: Vec<Workspace> = Vec::new();
        for change in params.changes {
            let Some(path) = uri::to_path(change.uri.as_str()) else { continue };
            let Some(done) = self.documents.on_disk(&path, change.typ == lt::FileChangeType::DELETED) else {
                continue;
            };
            for uri in done.removed {
                self.clear_diagnostics(&uri);
            }
            if !touched.contains(&done.ws) {
                touched.push(done.ws);
            }
        }
        if !touched.is_empty() {
            self.refresh_uris();
        }
        for ws in touched {
            self.publish(ws, Vec::new());
        }
    }

    /// Workspace folders were added or removed: the roots that workspaces are found under.
    fn folders_changed(&mut self, params: lt::DidChangeWorkspaceFoldersParams) {
        let roots = &mut self.documents.roots;
        for gone in params.event.removed.iter().filter_map(|f| uri::to_path(f.uri.as_str())) {
            roots.retain(|r| *r != gone);
        }
        roots.extend(params.event.added.iter().filter_map(|f| uri::to_path(f.uri.as_str())));
    }

    /// A workspace folder was read: its plans join the workspace and it is checked.
    pub(super) fn scanned(&mut self, ws: Workspace, scan: Scan) {
        let count = match scan.files.len() {
            1 => "1 plan".to_string(),
            n => format!("{n} plans"),
        };
        self.documents.scanned(ws, scan.files);
        self.refresh_uris();
        let folder = self.documents.folder_path(ws).map(|p| p.display().to_string()).unwrap_or_default();
        match scan.truncated {
            Some(why) => self.tell(
                true,
                lt::MessageType::WARNING,
                format!("compplan read only part of {folder} ({count}): it {why}. Open the folder that holds your plans, so that it is the workspace."),
            ),
            None => self.tell(false, lt::MessageType::INFO, format!("compplan: the workspace {folder} has {count}")),
        }
        // Every open document of the workspace is owed diagnostics against the whole workspace.
        let open: Vec<String> =
            self.documents.of_workspace(ws).into_iter().filter(|d| d.version.is_some()).map(|d| d.uri).collect();
        self.publish(ws, open);
        let (now, later) = std::mem::take(&mut self.held).into_iter().partition(|(w, _)| *w == ws);
        self.held = later;
        for (_, request) in now {
            self.request(request);
        }
    }

    /// Asks the editor to report changes to plan files on disk, when it lets servers register.
    fn register_watcher(&self) {
        if !self.watch {
            return;
        }
        let params = lt::RegistrationParams {
            registrations: vec![lt::Registration {
                id: "compplan-plan-files".to_string(),
                method: "workspace/didChangeWatchedFiles".to_string(),
                register_options: Some(serde_json::json!({"watchers": [{"globPattern": "**/*.plan"}]})),
            }],
        };
        let id = RequestId::from("compplan-register-watcher".to_string());
        self.outbox.send(Request::new(id, "client/registerCapability".to_string(), params));
    }
}
