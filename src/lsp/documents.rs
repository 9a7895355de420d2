//! The server's view of the files: which workspace each document belongs to, the texts the editor
//! holds, and the salsa inputs they set.
//!
//! A workspace is a folder of plans, found as `compplan check` would be pointed at it: the outermost
//! folder, below the editor's root, of an unbroken chain of folders that hold `.plan` files. Opening
//! `plans/ae/q1.plan` loads every plan under `plans/` (the schema and crediting rules included); a
//! plan outside any such folder, or an unsaved buffer, is a workspace of its own. Open documents
//! override the text on disk; closing one goes back to the disk's text.

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

/// The documents and workspaces, and the database their texts live in.
pub(crate) struct Documents {
    pub(crate) db: CompDb,
    root: Option<PathBuf>,
    folders: Vec<(Option<PathBuf>, Workspace)>,
    docs: HashMap<String, Doc>,
}

/// A text change as the editor sends it: a UTF-16 range (or none, for the whole text) and new text.
pub(crate) struct Change {
    pub(crate) range: Option<(Utf16Position, Utf16Position)>,
    pub(crate) text: String,
}

impl Documents {
    /// No documents yet; workspaces are found below `root` as documents are opened.
    pub(crate) fn new(root: Option<PathBuf>) -> Documents {
        Documents { db: CompDb::default(), root, folders: Vec::new(), docs: HashMap::new() }
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

    /// The editor opened a document: load its workspace if needed, and set its text.
    pub(crate) fn open(&mut self, uri_text: &str, text: String, version: i32) -> Workspace {
        let key = key(uri_text);
        if !self.docs.contains_key(&key) {
            let path = uri::to_path(uri_text);
            let ws = match &path {
                Some(path) => self.load(plan_folder(path, self.root.as_deref())),
                None => self.standalone(),
            };
            if !self.docs.contains_key(&key) {
                self.add(ws, path, uri_text.to_string(), String::new());
            }
        }
        let doc = self.docs.get_mut(&key).map(|d| {
            d.version = Some(version);
            d.uri = uri_text.to_string();
            d.clone()
        });
        match doc {
            Some(doc) => {
                self.db.set_text(doc.file, text);
                doc.ws
            }
            None => self.standalone(),
        }
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
        match doc.path.as_ref().and_then(|p| std::fs::read_to_string(p).ok()) {
            Some(text) => {
                self.db.set_text(doc.file, text);
                Some((doc.ws, None))
            }
            None => {
                self.docs.remove(&key);
                let files: Vec<SourceFile> = doc.ws.files(&self.db).iter().copied().filter(|f| *f != doc.file).collect();
                doc.ws.set_files(&mut self.db).to(files);
                Some((doc.ws, Some(doc.uri)))
            }
        }
    }

    /// The workspace of a folder, reading its plans the first time.
    fn load(&mut self, folder: PathBuf) -> Workspace {
        if let Some((_, ws)) = self.folders.iter().find(|(f, _)| f.as_deref() == Some(folder.as_path())) {
            return *ws;
        }
        let ws = self.db.workspace(Vec::new());
        self.folders.push((Some(folder.clone()), ws));
        let mut paths = Vec::new();
        collect_plans(&folder, &mut paths);
        paths.sort();
        for path in paths {
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            let uri = uri::from_path(&path);
            self.add(ws, Some(path), uri, text);
        }
        ws
    }

    /// A workspace of its own, for a document that is not a file.
    fn standalone(&mut self) -> Workspace {
        let ws = self.db.workspace(Vec::new());
        self.folders.push((None, ws));
        ws
    }

    fn add(&mut self, ws: Workspace, path: Option<PathBuf>, uri_text: String, text: String) {
        let name = match &path {
            Some(p) => self.display(p),
            None => uri_text.clone(),
        };
        let file = SourceFile::new(&self.db, name, text);
        let mut files = ws.files(&self.db).clone();
        files.push(file);
        files.sort_by(|a, b| a.path(&self.db).cmp(b.path(&self.db)));
        ws.set_files(&mut self.db).to(files);
        let key = key(&uri_text);
        self.docs.insert(key, Doc { file, ws, uri: uri_text, version: None, path });
    }

    /// A path as messages show it: relative to the editor's root when below it.
    fn display(&self, path: &Path) -> String {
        let shown = self.root.as_deref().and_then(|r| path.strip_prefix(r).ok()).unwrap_or(path);
        shown.to_string_lossy().replace('\\', "/")
    }
}

/// Documents are keyed by path when they are files (editors spell the same URI in several ways).
fn key(uri_text: &str) -> String {
    uri::to_path(uri_text).map_or_else(|| uri_text.to_string(), |p| p.to_string_lossy().into_owned())
}

/// The workspace folder of a plan file (see the module comment).
fn plan_folder(path: &Path, root: Option<&Path>) -> PathBuf {
    let mut folder = path.parent().map_or_else(|| PathBuf::from("/"), Path::to_path_buf);
    while let Some(parent) = folder.parent() {
        let inside = root.is_none_or(|r| parent.starts_with(r));
        if !inside || !holds_plans(parent) {
            break;
        }
        folder = parent.to_path_buf();
    }
    folder
}

fn holds_plans(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| entries.flatten().any(|e| e.path().extension().is_some_and(|x| x == "plan") && e.path().is_file()))
}

/// Every `.plan` file below a folder, skipping hidden folders and build output.
fn collect_plans(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_dir() {
            if !name.starts_with('.') && name != "target" && name != "node_modules" {
                collect_plans(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "plan") {
            out.push(path);
        }
    }
}
