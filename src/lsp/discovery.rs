//! Which folder is a plan file's workspace, and reading the plans of that folder, bounded.
//!
//! A workspace is a folder of plans, found as `compplan check` would be pointed at it: the outermost
//! folder of an unbroken chain of folders that hold `.plan` files, going up from the file's folder
//! (`plans/ae/q1.plan` → `plans/`, so the schema and crediting rules come along). The climb never
//! leaves the editor's workspace folder that contains the file; for a file outside all of them it
//! never leaves the git repository that contains it; and a file in neither has its own folder as its
//! workspace. Reading a workspace skips hidden folders, build output and symbolic links to folders
//! (a link back up the tree would be read forever), and stops at [`MAX_FILES`] plans, [`MAX_DEPTH`]
//! levels or [`MAX_FOLDERS`] folders, saying so: opening a plan in `/tmp` must not read every plan of
//! the machine.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};

/// The most plans a workspace reads.
pub(crate) const MAX_FILES: usize = 5000;
/// The deepest folder read below the workspace folder.
pub(crate) const MAX_DEPTH: usize = 8;
/// The most folders looked into.
pub(crate) const MAX_FOLDERS: usize = 5000;

/// The plans of a workspace folder, as read from disk.
#[derive(Debug, Default)]
pub(crate) struct Scan {
    /// Every plan found, with its text, sorted by path.
    pub(crate) files: Vec<(PathBuf, String)>,
    /// Why reading stopped early, when it did.
    pub(crate) truncated: Option<String>,
}

/// The workspace folder of a plan file (see the module comment). `roots` are the editor's folders.
pub(crate) fn workspace_folder(file: &Path, roots: &[PathBuf]) -> PathBuf {
    let start = file.parent().map_or_else(|| PathBuf::from("/"), Path::to_path_buf);
    let root = roots.iter().filter(|r| start.starts_with(r)).max_by_key(|r| r.components().count()).cloned();
    let Some(limit) = root.or_else(|| repository_of(&start)) else { return start };
    let mut folder = start;
    while folder != limit {
        let Some(parent) = folder.parent() else { break };
        if !parent.starts_with(&limit) || !holds_plans(parent) {
            break;
        }
        folder = parent.to_path_buf();
    }
    folder
}

/// The innermost folder at or above `dir` that is the top of a git repository.
fn repository_of(dir: &Path) -> Option<PathBuf> {
    dir.ancestors().find(|a| a.join(".git").exists()).map(Path::to_path_buf)
}

fn holds_plans(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| entries.flatten().any(|e| is_plan(&e.path())))
}

fn is_plan(path: &Path) -> bool {
    path.extension().is_some_and(|x| x == "plan") && path.is_file()
}

/// Whether a folder of this name is read: not hidden, not build output.
pub(crate) fn is_read(name: &str) -> bool {
    !name.starts_with('.') && name != "target" && name != "node_modules"
}

/// Whether a path below a workspace folder would be read by [`scan`].
pub(crate) fn is_in(folder: &Path, path: &Path) -> bool {
    let Ok(rest) = path.strip_prefix(folder) else { return false };
    let depth = rest.components().count();
    (1..=MAX_DEPTH + 1).contains(&depth)
        && rest.parent().is_none_or(|dirs| dirs.components().all(|c| is_read(&c.as_os_str().to_string_lossy())))
}

/// Reads every plan below a folder, breadth first (so that when reading stops early, what is near
/// the top, where schemas live, is in), within the limits of the module comment.
pub(crate) fn scan(folder: &Path) -> Scan {
    let mut scan = Scan::default();
    let mut queue = VecDeque::from([(folder.to_path_buf(), 0usize)]);
    let mut folders = 0;
    'folders: while let Some((dir, depth)) = queue.pop_front() {
        folders += 1;
        if folders > MAX_FOLDERS {
            scan.truncated = Some(format!("stopped after looking into {MAX_FOLDERS} folders"));
            break;
        }
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        let mut entries: Vec<std::fs::DirEntry> = entries.flatten().collect();
        entries.sort_by_key(std::fs::DirEntry::file_name);
        for entry in entries {
            let path = entry.path();
            // `file_type` does not follow symbolic links: a link to a folder is not a folder here.
            let Ok(kind) = entry.file_type() else { continue };
            if kind.is_dir() {
                if is_read(&entry.file_name().to_string_lossy()) {
                    if depth < MAX_DEPTH {
                        queue.push_back((path, depth + 1));
                    } else if scan.truncated.is_none() {
                        scan.truncated = Some(format!("did not look deeper than {MAX_DEPTH} folders"));
                    }
                }
            } else if is_plan(&path) {
                if scan.files.len() == MAX_FILES {
                    scan.truncated = Some(format!("stopped after {MAX_FILES} plans"));
                    break 'folders;
                }
                let text = read_plan(&path).unwrap_or_default();
                scan.files.push((path, text));
            }
        }
    }
    scan.files.sort();
    scan
}

/// A plan file's text as the disk holds it. Editors send UTF-8, but a file read from the disk may
/// not be: its bad bytes become `�`, which the parser reports where they are (E0010), instead of the
/// file reading as empty and its problems going unseen.
pub(crate) fn read_plan(path: &Path) -> std::io::Result<String> {
    std::fs::read(path).map(crate::syntax::decode)
}

#[cfg(test)]
mod tests {
    use super::{is_in, scan, workspace_folder, MAX_DEPTH};
    use std::path::{Path, PathBuf};

    /// A folder of files under the system's temporary folder, removed at the end.
    struct Tree(PathBuf);

    impl Tree {
        fn new(name: &str, files: &[&str]) -> Tree {
            let dir = std::env::temp_dir().join(format!("compplan-discovery-{}-{name}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            for file in files {
                let path = dir.join(file);
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(&path, "").unwrap();
            }
            Tree(dir)
        }
    }

    impl Drop for Tree {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn the_climb_stays_in_the_root_or_the_repository_or_the_folder() {
        let t = Tree::new(
            "climb",
            &[
                "top.plan",
                "repo/.git/HEAD",
                "repo/plans/schema.plan",
                "repo/plans/ae/q1.plan",
                "loose/a.plan",
                "loose/sub/b.plan",
            ],
        );
        let q1 = t.0.join("repo/plans/ae/q1.plan");
        // Inside a root: up to the outermost folder of plans below it, never above it.
        assert_eq!(workspace_folder(&q1, std::slice::from_ref(&t.0)), t.0.join("repo/plans"));
        assert_eq!(workspace_folder(&q1, &[t.0.join("repo/plans/ae")]), t.0.join("repo/plans/ae"));
        // The innermost of several roots holding the file.
        assert_eq!(workspace_folder(&q1, &[t.0.join("loose"), t.0.clone(), t.0.join("repo")]), t.0.join("repo/plans"));
        // No root: the repository bounds the climb (`top.plan` above it is not reached).
        assert_eq!(workspace_folder(&q1, &[]), t.0.join("repo/plans"));
        // No root and no repository: the file's own folder, although its parent holds plans.
        assert_eq!(workspace_folder(&t.0.join("loose/sub/b.plan"), &[]), t.0.join("loose/sub"));
    }

    #[cfg(unix)]
    #[test]
    fn a_scan_does_not_follow_links_to_folders_and_stops_at_its_limits() {
        let deep: String = (0..=MAX_DEPTH).map(|i| format!("d{i}/")).collect();
        let t = Tree::new(
            "scan",
            &[
                "plans/a.plan",
                "plans/.hidden/h.plan",
                "plans/target/t.plan",
                "plans/sub/b.plan",
                &format!("plans/{deep}deep.plan"),
            ],
        );
        let plans = t.0.join("plans");
        std::os::unix::fs::symlink(".", plans.join("self")).unwrap();
        std::os::unix::fs::symlink("..", plans.join("up")).unwrap();
        std::os::unix::fs::symlink(plans.join("a.plan"), plans.join("linked.plan")).unwrap();
        let found = scan(&plans);
        let names: Vec<String> =
            found.files.iter().map(|(p, _)| p.strip_prefix(&plans).unwrap().display().to_string()).collect();
        assert_eq!(names, ["a.plan", "linked.plan", "sub/b.plan"]);
        assert_eq!(found.truncated.as_deref(), Some("did not look deeper than 8 folders"));
        assert!(is_in(&plans, &plans.join("sub/new.plan")));
        assert!(!is_in(&plans, &plans.join(".hidden/new.plan")));
        assert!(!is_in(&plans, Path::new("/elsewhere/new.plan")));
    }
}
