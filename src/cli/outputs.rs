//! `run --out DIR`: a run's outputs appear together, and a reader can tell that they did.
//!
//! Each output (`payouts.csv`, `attainment.csv`, and `errors.csv` with `--keep-going`) is written
//! and synced under a hidden temporary name, hashed as it is written; only when all are complete are
//! they renamed into place, in that order. An output of an earlier run that this run does not write
//! (`errors.csv` after a `--keep-going` run) is removed. Last, `SHA256SUMS` is replaced (the same
//! way) with the SHA-256 of each output, in the format of `sha256sum`, and the folder is synced.
//!
//! Two files in a folder cannot be replaced in one step; a run stopped between two renames leaves
//! the new `payouts.csv` beside the old `attainment.csv`. It also leaves the old `SHA256SUMS`,
//! which no longer matches: `sha256sum -c SHA256SUMS` in the folder fails, and the next run puts
//! things right. So a reader who checks it never takes outputs of two runs for one. (Replacing the
//! whole folder instead would fail when it is a mount point, and would lose anything else kept in it.)
//!
//! Temporary files left by a killed run are removed by the next run into the folder (see
//! [`super::durable`] for how it knows their writer is gone).

use super::durable::{self, temp_path};
use super::faults;
use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

/// Every output compplan may write into a folder, in the order they are renamed into place.
const OUTPUTS: [&str; 3] = ["payouts.csv", "attainment.csv", "errors.csv"];

/// The digests of a run's outputs, written last.
pub(crate) const MANIFEST: &str = "SHA256SUMS";

/// Where an output is written: a buffered, hashing file.
pub(crate) type Sink = BufWriter<Hashing>;

/// A function writing one output.
pub(crate) type Writer<'r> = Box<dyn Fn(&mut Sink) -> std::io::Result<()> + Sync + 'r>;

/// A file that hashes what is written to it.
pub(crate) struct Hashing {
    file: File,
    hash: Sha256,
}

impl Write for Hashing {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let written = self.file.write(bytes)?;
        self.hash.update(&bytes[..written]);
        Ok(written)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

/// An output written under its temporary name: the file (kept open, so its lock is held), and its
/// SHA-256 in hexadecimal.
struct Written<'n> {
    name: &'n str,
    temp: std::path::PathBuf,
    _file: File,
    sha256: String,
}

/// Writes the outputs into `dir` (created if needed), as the module's comment says. On an error, the
/// temporary files are removed; what was already renamed stays, and `SHA256SUMS` does not vouch for it.
pub(crate) fn write(dir: &Path, files: &[(&str, Writer<'_>)]) -> std::io::Result<()> {
    durable::create_dir(dir, "out")?;
    durable::clean_temps(dir, |name| OUTPUTS.contains(&name) || name == MANIFEST, "out-clean")?;
    let mut written: Vec<Written<'_>> = Vec::new();
    let result = write_all(dir, files, &mut written).and_then(|()| place(dir, &mut written));
    for w in &written {
        let _ = std::fs::remove_file(&w.temp);
    }
    result
}

/// Writes every output under its temporary name, in parallel, hashing it.
fn write_all<'n>(dir: &Path, files: &'n [(&str, Writer<'_>)], written: &mut Vec<Written<'n>>) -> std::io::Result<()> {
    use rayon::prelude::*;
    let results: Vec<std::io::Result<Written<'n>>> = files
        .par_iter()
        .map(|(name, write)| {
            let temp = temp_path(dir, name);
            let file = durable::create_temp(&temp, "out-write")?;
            let mut sink = BufWriter::with_capacity(1 << 20, Hashing { file, hash: Sha256::new() });
            let written = write(&mut sink).and_then(|()| {
                let Hashing { file, hash } = sink.into_inner().map_err(|e| e.into_error())?;
                faults::point("out-sync", &temp)?;
                file.sync_all()?;
                Ok((file, hash))
            });
            match written {
                Ok((file, hash)) => Ok(Written { name, temp, _file: file, sha256: hex(&hash.finalize()) }),
                Err(e) => {
                    let _ = std::fs::remove_file(&temp);
                    Err(e)
                }
            }
        })
        .collect();
    // Every temporary file created is recorded before the first error is returned, so that all are removed.
    let mut first_error = None;
    for result in results {
        match result {
            Ok(w) => written.push(w),
            Err(e) => first_error = first_error.or(Some(e)),
        }
    }
    first_error.map_or(Ok(()), Err)
}

/// Renames the outputs into place, removes those of an earlier run this one does not write, then
/// replaces `SHA256SUMS` and syncs the folder.
fn place(dir: &Path, written: &mut Vec<Written<'_>>) -> std::io::Result<()> {
    written.sort_by_key(|w| OUTPUTS.iter().position(|o| *o == w.name));
    for w in written.iter() {
        faults::point("out-rename", &dir.join(w.name))?;
        std::fs::rename(&w.temp, dir.join(w.name))?;
    }
    for stale in OUTPUTS.iter().filter(|o| !written.iter().any(|w| w.name == **o)) {
        let path = dir.join(stale);
        if path.exists() {
            faults::point("out-remove", &path)?;
            std::fs::remove_file(&path)?;
        }
    }
    let sums: String = written.iter().map(|w| format!("{}  {}\n", w.sha256, w.name)).collect();
    let temp = temp_path(dir, MANIFEST);
    let file = durable::write_temp(&temp, sums.as_bytes(), "out")?;
    written.push(Written { name: MANIFEST, temp: temp.clone(), _file: file, sha256: String::new() });
    faults::point("out-rename", &dir.join(MANIFEST))?;
    std::fs::rename(&temp, dir.join(MANIFEST))?;
    durable::sync_dir(dir, "out-sync-folder")
}

/// Bytes in lowercase hexadecimal.
fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
