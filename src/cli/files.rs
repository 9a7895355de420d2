//! Reading plan files from the paths given on the command line.

use std::path::{Path, PathBuf};

/// Every `.plan` file under the given paths (files as given, folders recursively), with its text,
/// sorted by path so that results never depend on directory order.
pub(crate) fn read_plans(paths: &[PathBuf]) -> Result<Vec<(String, String)>, String> {
    plan_paths(paths)?.into_iter().map(|file| Ok((display(&file), read_plan(&file)?))).collect()
}

/// A plan file's text. Bytes that are not UTF-8 become `�`, which the parser reports at its line
/// and column (E0010) while the rest of the file and the other files are still checked.
pub(crate) fn read_plan(file: &Path) -> Result<String, String> {
    let bytes = std::fs::read(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    Ok(crate::syntax::decode(bytes))
}

/// Every `.plan` file under the given paths (files as given, folders recursively), sorted; an error
/// when a path does not exist or no file is found.
pub(crate) fn plan_paths(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            collect(path, &mut files).map_err(|e| format!("cannot read the folder {}: {e}", path.display()))?;
        } else if path.is_file() {
            files.push(path.clone());
        } else {
            return Err(format!("no such file or folder: {}", path.display()));
        }
    }
    files.sort();
    files.dedup();
    if files.is_empty() {
        let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        return Err(format!("no .plan files found in {}", shown.join(", ")));
    }
    Ok(files)
}

/// The `.plan` files below a folder. Symbolic links to folders are not followed: a link back up the
/// tree (`plans/self -> .`) would otherwise be walked until the path is too long, loading every file
/// once per level. Links to files are read like files.
fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            collect(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "plan") && path.is_file() {
            out.push(path);
        }
    }
    Ok(())
}

/// The path as people expect to read it in messages: relative, with forward slashes.
pub(crate) fn display(path: &Path) -> String {
    let shown = path.strip_prefix("./").unwrap_or(path);
    shown.to_string_lossy().replace('\\', "/")
}
