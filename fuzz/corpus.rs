//! Inputs and where they come from: an input is a set of named files (a workspace of plans, a data
//! folder, a ledger folder) with one of them in focus, read from the repository's fixtures and the
//! committed seed corpus (`fuzz/corpus/`), sent to the worker as bytes, and saved when it fails.

use std::path::{Path, PathBuf};

/// One input: the files of a workspace or a folder, and the one most mutations change.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Input {
    /// Each file's name (a path for plans, a file name for data and ledger folders) and bytes.
    pub files: Vec<(String, Vec<u8>)>,
    /// The index of the file in focus.
    pub focus: usize,
}

impl Input {
    /// The file in focus (an input always has one).
    pub fn focused(&self) -> &[u8] {
        self.files.get(self.focus).map_or(&[], |(_, bytes)| bytes)
    }

    /// The file in focus, to change.
    pub fn focused_mut(&mut self) -> &mut Vec<u8> {
        let focus = self.focus.min(self.files.len().saturating_sub(1));
        &mut self.files[focus].1
    }

    /// The total size in bytes.
    pub fn size(&self) -> usize {
        self.files.iter().map(|(n, b)| n.len() + b.len()).sum()
    }

    /// The bytes sent to the worker: the focus, the number of files, then each name and content,
    /// each preceded by its length (little-endian `u32`).
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.size() + 8 + 8 * self.files.len());
        out.extend_from_slice(&(self.focus as u32).to_le_bytes());
        out.extend_from_slice(&(self.files.len() as u32).to_le_bytes());
        for (name, bytes) in &self.files {
            out.extend_from_slice(&(name.len() as u32).to_le_bytes());
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
            out.extend_from_slice(bytes);
        }
        out
    }

    /// The input [`Input::encode`] wrote.
    pub fn decode(bytes: &[u8]) -> Option<Input> {
        let mut at = 0;
        let mut word = || -> Option<usize> {
            let w = bytes.get(at..at + 4)?;
            at += 4;
            Some(u32::from_le_bytes([w[0], w[1], w[2], w[3]]) as usize)
        };
        let focus = word()?;
        let count = word()?;
        let mut rest = &bytes[8..];
        let mut files = Vec::with_capacity(count.min(4096));
        for _ in 0..count {
            let (name, tail) = take(rest)?;
            let (content, tail) = take(tail)?;
            files.push((String::from_utf8(name.to_vec()).ok()?, content.to_vec()));
            rest = tail;
        }
        Some(Input { files, focus })
    }

    /// Writes the input's files into a folder (created), with `README` saying what it is.
    pub fn save(&self, dir: &Path, readme: &str) -> std::io::Result<()> {
        std::fs::create_dir_all(dir)?;
        for (name, bytes) in &self.files {
            let path = dir.join(name);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(path, bytes)?;
        }
        let focus = self.files.get(self.focus).map_or("", |(n, _)| n.as_str());
        std::fs::write(dir.join("FOCUS"), format!("{focus}\n"))?;
        std::fs::write(dir.join("README"), readme)
    }

    /// An input saved by [`Input::save`] (or any folder of files: the focus is then the first).
    pub fn load(dir: &Path) -> std::io::Result<Input> {
        let focus = std::fs::read_to_string(dir.join("FOCUS")).unwrap_or_default().trim().to_string();
        let mut files = Vec::new();
        for path in files_below(dir) {
            let name = path.strip_prefix(dir).unwrap_or(&path).to_string_lossy().replace('\\', "/");
            if name != "FOCUS" && name != "README" {
                files.push((name, std::fs::read(&path)?));
            }
        }
        let focus = files.iter().position(|(n, _)| *n == focus).unwrap_or(0);
        Ok(Input { files, focus })
    }
}

/// A length-prefixed part of a frame, and what follows it.
fn take(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    let len = u32::from_le_bytes(bytes.get(..4)?.try_into().ok()?) as usize;
    let body = bytes.get(4..4 + len)?;
    Some((body, &bytes[4 + len..]))
}

/// Every file below a folder, sorted (none when it does not exist).
pub fn files_below(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The sub-folders of a folder, sorted.
pub fn folders_in(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| entries.flatten().map(|e| e.path()).filter(|p| p.is_dir()).collect())
        .unwrap_or_default();
    out.sort();
    out
}

/// The files of a folder (not below it) with an extension, as `(name, bytes)`, sorted by name.
pub fn files_with(dir: &Path, extension: &str) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == extension))
                .filter_map(|p| {
                    let name = p.file_name()?.to_str()?.to_string();
                    Some((name, std::fs::read(&p).ok()?))
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

/// `base` with the files of `overlay` replacing (or joining) its files of the same name.
pub fn overlay(base: &[(String, Vec<u8>)], overlay: Vec<(String, Vec<u8>)>) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> =
        base.iter().filter(|(name, _)| !overlay.iter().any(|(n, _)| n == name)).cloned().collect();
    out.extend(overlay);
    out.sort();
    out
}

/// The repository's root: the folder holding `Cargo.toml`, found from the current folder up.
pub fn repository() -> PathBuf {
    let mut dir = std::env::current_dir().unwrap_or_default();
    loop {
        if dir.join("Cargo.toml").exists() && dir.join("fuzz").is_dir() {
            return dir;
        }
        if !dir.pop() {
            return PathBuf::from(".");
        }
    }
}
