//! The server's view of the files: which workspace each document belongs to, the texts the editor
//! holds, and the salsa inputs they set.
//!
//! Opening a plan finds its workspace folder ([`super::discovery`]); the first time, the workspace
//! starts with just that document and the folder is read on another thread ([`Documents::scanned`]
//! adds what was read). A plan outside any folder, or an unsaved buffer, is a workspace of its own.
//! Open documents override the text on disk; closing one goes back to the disk's text; files that
//! change on disk and are not open are read again when the editor reports it.

use super::discovery;
use super::uri;
use crate::analysis::positions::{from_utf16, Utf16Position};
use crate::source::{LineIndex, SourceFile, Workspace};
use crate::CompDb;
use salsa::Setter as _;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// One file the server knows: from disk, or open in the editor.
#[derive(Clone, Debug)]
pub(crate) struct Doc {
    pub(crate) file: SourceFile,
    pub(crate) ws: Workspace,
    /// The URI the editor uses (or ours, for a file only read from disk).
    pub(crate) uri: String,
    /// The editor's version while the document is open.
    pub(crate) version: Option<i32>,
    path: Option<PathBuf>,
}

/// A workspace and the folder it was found for (none for a document that is not a file).
struct Folder {
    path: Option<PathBuf>,
    ws: Workspace,
    /// True until the folder's plans have been read.
    loading: bool,
}

/// The documents and workspaces, and the database their texts live in.
pub(crate) struct Documents {
    pub(crate) db: CompDb,
    /// The editor's workspace folders.
    pub(crate) roots: Vec<PathBuf>,
    folders: Vec<Folder>,
    docs: HashMap<String, Doc>,
}

/// A text change as the editor sends it: a UTF-16 range (or none, for the whole text) and new text.
pub(crate) struct Change {
    pub(crate) range: Option<(Utf16Position, Utf16Position)>,
    pub(crate) text: String,
}

/// What a change on disk did to a workspace.
pub(crate) struct DiskChange {
    pub(crate) ws: Workspace,
    /// The URIs of files that left the workspace, whose diagnostics must be cleared.
    pub(crate) removed: Vec<String>,
}

impl Documents {
    /// No documents yet; workspaces are found within `roots` as documents are opened.
    pub(crate) fn new(roots: Vec<PathBuf>) -> Documents {
        Documents { db: CompDb::default(), roots, folders: Vec::new(), docs: HashMap::new() }
    }

    /// The document of a URI.
    pub(crate) fn get(&self, uri: &str) -> Option<&Doc> {
        self.docs.get(&key(uri))
    }

    /// Every known document.
    pub(crate) fn all(&self) -> Vec<Doc> {
        self.docs.values().cloned().collect()
    }

    /// Every known document of a workspace.
    pub(crate) fn of_workspace(&self, ws: Workspace) -> Vec<Doc> {
        self.docs.values().filter(|d| d.ws == ws).cloned().collect()
    }

    /// The folder a workspace was found for.
    pub(crate) fn folder_path(&self, ws: Workspace) -> Option<&Path> {
        self.folders.iter().find(|f| f.ws == ws).and_then(|f| f.path.as_deref())
    }

    /// Whether a workspace's folder is still being read.
    pub(crate) fn is_loading(&self, ws: Workspace) -> bool {
        self.folders.iter().any(|f| f.ws == ws && f.loading)
    }

    /// The editor opened a document: set its text, in the workspace it belongs to. Returns the
    /// workspace, and the folder to read when the workspace is new.
    pub(crate) fn open(&mut self, uri_text: &str, text: String, version: i32) -> (Workspace, Option<PathBuf>) {
        let key = key(uri_text);
        let mut to_read = None;
        if !self.docs.contains_key(&key) {
            let path = uri::to_path(uri_text);
            let ws = match &path {
                Some(path) => {
                    let (ws, new) = self.folder_of(path);
                    to_read = new;
                    ws
                }
                None => self.new_folder(None, false),
            };
            self.add(ws, vec![(path, uri_text.to_string(), String::new())]);
        }
        let doc = match self.docs.get_mut(&key) {
            Some(doc) => {
                doc.version = Some(version);
                doc.uri = uri_text.to_string();
                doc.clone()
            }
            None => return (self.new_folder(None, false), None),
        };
        self.db.set_text(doc.file, text);
        (doc.ws, to_read)
    }

    /// The workspace of a new file: the innermost known folder that would hold it, or a new one for
    /// its workspace folder (returned, to be read).
    fn folder_of(&mut self, path: &Path) -> (Workspace, Option<PathBuf>) {
        if let Some(ws) = self.known_folder(path) {
            return (ws, None);
        }
        let folder = discovery::workspace_folder(path, &self.roots);
        if let Some(f) = self.folders.iter().find(|f| f.path.as_deref() == Some(folder.as_path())) {
            return (f.ws, None);
        }
        (self.new_folder(Some(folder.clone()), true), Some(folder))
    }

    /// The workspace of the innermost known folder whose reading would include `path`.
    fn known_folder(&self, path: &Path) -> Option<Workspace> {
        let holding = self
            .folders
            .iter()
            .filter_map(|f| Some((f.path.as_deref()?, f.ws)))
            .filter(|(folder, _)| discovery::is_in(folder, path));
        holding.max_by_key(|(folder, _)| folder.components().count()).map(|(_, ws)| ws)
    }

    fn new_folder(&mut self, path: Option<PathBuf>, loading: bool) -> Workspace {
        let ws = self.db.workspace(Vec::new());
        self.folders.push(Folder { path, ws, loading });
        ws
    }

    /// A workspace's folder was read: its files join the workspace (those the server already knows,
    /// open in the editor, keep their text).
    pub(crate) fn scanned(&mut self, ws: Workspace, files: Vec<(PathBuf, String)>) {
        for folder in self.folders.iter_mut().filter(|f| f.ws == ws) {
            folder.loading = false;
        }
        let new: Vec<(Option<PathBuf>, String, String)> = files
            .into_iter()
            .filter(|(path, _)| !self.docs.contains_key(&path.to_string_lossy().into_owned()))
            .map(|(path, text)| {
                let uri = uri::from_path(&path);
                (Some(path), uri, text)
            })
            .collect();
        self.add(ws, new);
    }

    /// The editor changed an open document; returns its workspace.
    pub(crate) fn change(&mut self, uri_text: &str, changes: Vec<Change>, version: i32) -> Option<Workspace> {
        let doc = self.docs.get_mut(&key(uri_text))?;
        doc.version = Some(version);
        let (file, ws) = (doc.file, doc.ws);
        let mut text = file.text(&self.db).to_string();
        for change in changes {
            match change.range {
                None => text = change.text,
                Some((start, end)) => {
                    let index = LineIndex::new(&text);
                    let start = from_utf16(&text, &index, start);
                    let end = from_utf16(&text, &index, end).max(start);
                    text.replace_range(start..end, &change.text);
                }
            }
        }
        self.db.set_text(file, text);
        Some(ws)
    }

    /// The editor closed a document: its text goes back to the disk's, or the file leaves the
    /// workspace when it is not on disk. Returns the workspace, and the URI to clear when it left.
    pub(crate) fn close(&mut self, uri_text: &str) -> Option<(Workspace, Option<String>)> {
        let key = key(uri_text);
        let doc = self.docs.get_mut(&key)?;
        doc.version = None;
        let doc = doc.clone();
        match doc.path.as_ref().and_then(|p| super::discovery::read_plan(p).ok()) {
            Some(text) => {
                if file_text_differs(&self.db, doc.file, &text) {
                    self.db.set_text(doc.file, text);
                }
                Some((doc.ws, None))
            }
            None => {
                self.remove(&[key]);
                Some((doc.ws, Some(doc.uri)))
            }
        }
    }

    /// A file changed, appeared or disappeared on disk (the editor's file watcher says so). Open
    /// documents keep the editor's text; a new plan joins the known workspace folder that holds it;
    /// a deleted folder takes its plans along.
    pub(crate) fn on_disk(&mut self, path: &Path, deleted: bool) -> Option<DiskChange> {
        let key = path.to_string_lossy().into_owned();
        if let Some(doc) = self.docs.get(&key).cloned() {
            if doc.version.is_some() {
                return None;
            }
            return match super::discovery::read_plan(path) {
                Ok(text) if !deleted => {
                    if !file_text_differs(&self.db, doc.file, &text) {
                        return None;
                    }
                    self.db.set_text(doc.file, text);
                    Some(DiskChange { ws: doc.ws, removed: Vec::new() })
                }
                _ => {
                    self.remove(&[key]);
                    Some(DiskChange { ws: doc.ws, removed: vec![doc.uri] })
                }
            };
        }
        if deleted {
            // A folder: every plan below it that is not open.
            let below: Vec<(String, Doc)> = self
                .docs
                .iter()
                .filter(|(_, d)| d.version.is_none() && d.path.as_deref().is_some_and(|p| p.starts_with(path)))
                .map(|(k, d)| (k.clone(), d.clone()))
                .collect();
            let ws = below.first()?.1.ws;
            let keys: Vec<String> = below.iter().filter(|(_, d)| d.ws == ws).map(|(k, _)| k.clone()).collect();
            let removed = below.into_iter().filter(|(_, d)| d.ws == ws).map(|(_, d)| d.uri).collect();
            self.remove(&keys);
            return Some(DiskChange { ws, removed });
        }
        if path.extension().is_none_or(|e| e != "plan") || !path.is_file() {
            return None;
        }
        let ws = self.known_folder(path)?;
        let text = super::discovery::read_plan(path).ok()?;
        self.add(ws, vec![(Some(path.to_path_buf()), uri::from_path(path), text)]);
        Some(DiskChange { ws, removed: Vec::new() })
    }

    /// Adds files to a workspace, setting its file list once.
    fn add(&mut self, ws: Workspace, new: Vec<(Option<PathBuf>, String, String)>) {
        if new.is_empty() {
            return;
        }
        let mut files = ws.files(&self.db).clone();
        for (path, uri_text, text) in new {
            let name = match &path {
                Some(p) => self.display(p),
                None => uri_text.clone(),
            };
            let file = SourceFile::new(&self.db, name, text);
            files.push(file);
            self.docs.insert(key(&uri_text), Doc { file, ws, uri: uri_text, version: None, path });
        }
        files.sort_by(|a, b| a.path(&self.db).cmp(b.path(&self.db)));
        ws.set_files(&mut self.db).to(files);
    }

    /// Removes documents (all of one workspace) from the server and their workspace.
    fn remove(&mut self, keys: &[String]) {
        let docs: Vec<Doc> = keys.iter().filter_map(|k| self.docs.remove(k)).collect();
        let Some(ws) = docs.first().map(|d| d.ws) else { return };
        let files: Vec<SourceFile> =
            ws.files(&self.db).iter().copied().filter(|f| docs.iter().all(|d| d.file != *f)).collect();
        ws.set_files(&mut self.db).to(files);
    }

    /// A path as messages show it: relative to the innermost editor folder that holds it.
    fn display(&self, path: &Path) -> String {
        let root = self.roots.iter().filter(|r| path.starts_with(r)).max_by_key(|r| r.components().count());
        let shown = root.and_then(|r| path.strip_prefix(r).ok()).unwrap_or(path);
        shown.to_string_lossy().replace('\\', "/")
    }
}

fn file_text_differs(db: &CompDb, file: SourceFile, text: &str) -> bool {
    file.text(db) != text
}

/// Documents are keyed by path when they are files (editors spell the same URI in several ways).
fn key(uri_text: &str) -> String {
    uri::to_path(uri_text).map_or_else(|| uri_text.to_string(), |p| p.to_string_lossy().into_owned())
}
