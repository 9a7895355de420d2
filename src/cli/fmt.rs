//! `compplan fmt`: rewrite plan files in the canonical layout, or (`--check`) list those that are
//! not in it.
//!
//! Only files whose text changes are written, each atomically (a temporary file in the same folder,
//! then a rename), so that an interrupted run never leaves half a plan. `--check` writes nothing.
//! Paths of reformatted (or, with `--check`, unformatted) files go to stdout, one per line;
//! diffs, errors and the summary to stderr.

use super::{files, ExitStatus, FmtArgs};
use crate::fmt::{format_file, unified_diff};
use crate::source::SourceFile;
use crate::CompDb;
use std::io::Write as _;
use std::path::Path;

/// Hunks of the diff shown for each unformatted file under `--check`.
const DIFF_HUNKS: usize = 3;

pub(crate) fn run(args: &FmtArgs) -> ExitStatus {
    let paths = match files::plan_paths(&args.paths) {
        Ok(paths) => paths,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitStatus::Failed;
        }
    };
    let db = CompDb::default();
    let mut failed = false;
    let mut changed = 0;
    for path in &paths {
        let shown = files::display(path);
        // A file that is not UTF-8 reads with `�` in place of its bad bytes; the parser reports them,
        // so the file is refused below like any file with a syntax error and never written back.
        let text = match files::read_plan(path) {
            Ok(text) => text,
            Err(e) => {
                eprintln!("error: {e}");
                failed = true;
                continue;
            }
        };
        let file = SourceFile::new(&db, shown.clone(), text);
        let Some(formatted) = format_file(&db, file) else {
            eprintln!("error: {shown}: not formatted: has syntax errors (see `compplan check`)");
            failed = true;
            continue;
        };
        if formatted == file.text(&db) {
            continue;
        }
        if args.check {
            super::out(&format!("{shown}\n"));
            eprint!("{}", unified_diff(&shown, file.text(&db), &formatted, DIFF_HUNKS));
            changed += 1;
        } else {
            match write_atomically(path, &formatted) {
                Ok(()) => {
                    super::out(&format!("{shown}\n"));
                    changed += 1;
                }
                Err(e) => {
                    eprintln!("error: cannot write {shown}: {e}");
                    failed = true;
                }
            }
        }
    }
    let total = paths.len();
    let files = |n: usize| if n == 1 { "file" } else { "files" };
    if args.check {
        if changed > 0 {
            eprintln!(
                "{changed} of {total} {} not formatted; run `compplan fmt` to format {}",
                files(total),
                if changed == 1 { "it" } else { "them" }
            );
        }
    } else {
        eprintln!("formatted {changed} of {total} {}", files(total));
    }
    ExitStatus::failed_if(failed || (args.check && changed > 0))
}

/// Replaces a file's text: written and synced under a temporary name in the same folder, given
/// the original's permissions, then renamed over it. A symbolic link is followed, so that the link
/// stays a link.
fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let target = std::fs::canonicalize(path)?;
    let path = target.as_path();
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("plan");
    let temp = path.with_file_name(format!(".{name}.{}.fmt.tmp", std::process::id()));
    let written = (|| {
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        if let Ok(metadata) = std::fs::metadata(path) {
            std::fs::set_permissions(&temp, metadata.permissions())?;
        }
        std::fs::rename(&temp, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    written
}
