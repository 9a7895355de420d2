//! Files that survive a crash whole or not at all: written and synced under a hidden temporary name,
//! then linked or renamed into place, with the folder synced after; the temporary files a killed
//! process left behind removed safely; and a folder lock for writers that must take turns.
//!
//! A temporary file is named `.<name>.<pid>.tmp` and locked (an advisory lock of the operating
//! system) for as long as its writer has it open. The lock dies with the process, so a cleaner that
//! can take it knows the file was left by a process that is gone, and may remove it; one it cannot
//! take belongs to a writer still at work.

use super::faults;
use std::fs::{File, OpenOptions, TryLockError};
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// The hidden temporary name of `name` in `dir`, for this process.
pub(crate) fn temp_path(dir: &Path, name: &str) -> PathBuf {
    dir.join(format!(".{name}.{}.tmp", std::process::id()))
}

/// The name a temporary file stands for (`payouts.csv` for `.payouts.csv.4242.tmp`), if it is one.
pub(crate) fn temp_of(file_name: &str) -> Option<&str> {
    let rest = file_name.strip_prefix('.')?.strip_suffix(".tmp")?;
    let (name, pid) = rest.rsplit_once('.')?;
    (!name.is_empty() && !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit())).then_some(name)
}

/// Creates a temporary file that must not exist yet, locked while it is open (see the module's
/// comment). `point` names the fault-injection point of the write.
pub(crate) fn create_temp(path: &Path, point: &str) -> std::io::Result<File> {
    faults::point(point, path)?;
    let file = OpenOptions::new().write(true).create_new(true).open(path)?;
    // A file system without locks still gets the file: the lock only makes cleaning safer.
    let _ = file.try_lock();
    Ok(file)
}

/// Writes a whole temporary file and syncs it to disk, or removes it again on an error; `prefix`
/// names the points (`close`: `close-write`, `close-sync`).
pub(crate) fn write_temp(path: &Path, bytes: &[u8], prefix: &str) -> std::io::Result<File> {
    let mut file = create_temp(path, &format!("{prefix}-write"))?;
    let written = file
        .write_all(bytes)
        .and_then(|()| faults::point(&format!("{prefix}-sync"), path))
        .and_then(|()| file.sync_all());
    match written {
        Ok(()) => Ok(file),
        Err(e) => {
            let _ = std::fs::remove_file(path);
            Err(e)
        }
    }
}

/// Makes the entries of a folder (files linked, renamed or removed in it) durable. Only Unix can
/// open a folder to sync it; elsewhere the file system's own ordering is all there is.
pub(crate) fn sync_dir(dir: &Path, point: &str) -> std::io::Result<()> {
    faults::point(point, dir)?;
    #[cfg(unix)]
    {
        let dir = if dir.as_os_str().is_empty() { Path::new(".") } else { dir };
        File::open(dir)?.sync_all()?;
    }
    Ok(())
}

/// Creates a folder if it does not exist, and makes its entry in its parent durable.
pub(crate) fn create_dir(dir: &Path, prefix: &str) -> std::io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    faults::point(&format!("{prefix}-create-folder"), dir)?;
    std::fs::create_dir_all(dir)?;
    match dir.parent() {
        Some(parent) => sync_dir(parent, &format!("{prefix}-sync-folder")),
        None => Ok(()),
    }
}

/// Removes the temporary files in `dir` that stand for a name `ours` accepts and that no live
/// process holds; returns what it removed. A file it cannot lock is left alone.
pub(crate) fn clean_temps(dir: &Path, ours: impl Fn(&str) -> bool, point: &str) -> std::io::Result<Vec<PathBuf>> {
    let mut removed = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else { return Ok(removed) };
    let mut stale: Vec<PathBuf> = entries
        .flatten()
        .filter(|e| e.file_name().to_str().and_then(temp_of).is_some_and(&ours))
        .map(|e| e.path())
        .collect();
    stale.sort();
    for path in stale {
        let Ok(file) = File::open(&path) else { continue };
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => continue,
            // No locks on this file system: a temporary file is then only removed by its own writer
            // or under a folder lock (the ledger's).
            Err(TryLockError::Error(_)) => continue,
        }
        faults::point(point, &path)?;
        std::fs::remove_file(&path)?;
        removed.push(path);
    }
    Ok(removed)
}

/// An advisory lock on a file of a folder, held until it is dropped; the operating system releases
/// it when the process ends, however it ends, so a lock is never left stale.
pub(crate) struct FolderLock {
    _file: File,
}

impl FolderLock {
    /// Takes the lock for writing (one holder), creating the lock file if needed; `waiting` is
    /// printed on stderr when another process holds it and this one waits for it.
    pub(crate) fn exclusive(path: &Path, waiting: &str) -> std::io::Result<FolderLock> {
        let file = OpenOptions::new().read(true).write(true).create(true).truncate(false).open(path)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                eprintln!("{waiting}");
                file.lock()?;
            }
            Err(TryLockError::Error(e)) => return Err(e),
        }
        Ok(FolderLock { _file: file })
    }

    /// Takes the lock for reading (any number of readers, no writer), when the lock file exists;
    /// `None` when it does not (no writer of this version ever took it) or cannot be opened.
    pub(crate) fn shared(path: &Path, waiting: &str) -> std::io::Result<Option<FolderLock>> {
        let Ok(file) = File::open(path) else { return Ok(None) };
        match file.try_lock_shared() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                eprintln!("{waiting}");
                file.lock_shared()?;
            }
            Err(TryLockError::Error(e)) => return Err(e),
        }
        Ok(Some(FolderLock { _file: file }))
    }
}

#[cfg(test)]
mod tests {
    use super::temp_of;

    #[test]
    fn temporary_names_say_what_they_stand_for() {
        assert_eq!(temp_of(".payouts.csv.4242.tmp"), Some("payouts.csv"));
        assert_eq!(temp_of(".2026-Q1.2.json.17.tmp"), Some("2026-Q1.2.json"));
        for not in ["payouts.csv", ".payouts.csv.tmp", ".payouts.csv.12a.tmp", "..1.tmp", ".close.lock"] {
            assert_eq!(temp_of(not), None, "{not}");
        }
    }
}
