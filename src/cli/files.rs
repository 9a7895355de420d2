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
/// when a path does not exist, a `.plan` symbolic link cannot be followed, or no file is found.
pub(crate) fn plan_paths(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            collect(path, &mut files)?;
        } else if path.is_file() {
            files.push(path.clone());
        } else if let (true, Err(e)) = (path.is_symlink(), std::fs::metadata(path)) {
            return Err(broken_link(path, &e));
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
/// once per level. Links to files are read like files, and a `.plan` link that cannot be followed (its
/// file was deleted or moved) is an error, as an unreadable plan file is: the plans would otherwise be
/// checked and run without it.
fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let unreadable = |e: std::io::Error| format!("cannot read the folder {}: {e}", display(dir));
    for entry in std::fs::read_dir(dir).map_err(unreadable)? {
        let entry = entry.map_err(unreadable)?;
        let path = entry.path();
        let kind = entry.file_type().map_err(unreadable)?;
        if kind.is_dir() {
            collect(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "plan") {
            if path.is_file() {
                out.push(path);
            } else if let (true, Err(e)) = (kind.is_symlink(), std::fs::metadata(&path)) {
                return Err(broken_link(&path, &e));
            }
        }
    }
    Ok(())
}

/// Why a `.plan` symbolic link cannot be read, naming where it points.
fn broken_link(path: &Path, error: &std::io::Error) -> String {
    let target = std::fs::read_link(path).map(|t| t.display().to_string()).unwrap_or_default();
    let why = match error.kind() {
        std::io::ErrorKind::NotFound => "which does not exist".to_string(),
        _ => format!("which cannot be followed ({error})"),
    };
    format!(
        "cannot read {}: it is a symbolic link to {target}, {why} (restore the file or remove the link)",
        display(path)
    )
}

/// What is wrong with `--data` (`dir`), if anything: it does not exist, or it is a file.
pub(crate) fn data_folder_problem(dir: &Path) -> Option<String> {
    if dir.is_dir() {
        None
    } else if dir.exists() {
        Some(format!(
            "the data folder {} is a file, not a folder: --data names the folder that holds one CSV file per table (reps.csv, deals.csv, …)",
            dir.display()
        ))
    } else {
        Some(format!("the data folder {} does not exist", dir.display()))
    }
}

/// The path as people expect to read it in messages: relative, with forward slashes.
pub(crate) fn display(path: &Path) -> String {
    let shown = path.strip_prefix("./").unwrap_or(path);
    shown.to_string_lossy().replace('\\', "/")
}
