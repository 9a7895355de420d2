//! Reading the base plans of `compplan diff`: the `.plan` files below a folder, or the working
//! paths' `.plan` files at a git revision, read from git's object store (no checkout, no worktree).

use super::files;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The base plans: how to name them in headings, and their sources (path and text).
pub(crate) struct Base {
    /// The folder or the revision, as given.
    pub label: String,
    /// The commit a revision names.
    pub commit: Option<String>,
    /// Each plan file's name and text; a file read from git is named `REV:path`, git's own syntax.
    pub sources: Vec<(String, String)>,
}

/// Reads the base: a folder if `base` names one, else the revision `base` of the working `paths`.
pub(crate) fn read(base: &str, paths: &[PathBuf]) -> Result<Base, String> {
    let dir = Path::new(base);
    if dir.is_dir() {
        let sources = files::read_plans(&[dir.to_path_buf()])?;
        return Ok(Base { label: base.to_string(), commit: None, sources });
    }
    at_revision(base, paths)
}

/// Runs git in a folder and returns its standard output, or a message with what git said.
fn git(dir: &Path, args: &[&str]) -> Result<Vec<u8>, String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if out.status.success() {
        Ok(out.stdout)
    } else {
        let said = String::from_utf8_lossy(&out.stderr);
        Err(said.lines().find(|l| !l.trim().is_empty()).unwrap_or("git failed").trim().to_string())
    }
}

fn text(bytes: Vec<u8>) -> String {
    String::from_utf8_lossy(&bytes).trim_end_matches(['\n', '\r']).to_string()
}

/// The working paths' `.plan` files as they are at a revision of their git repository.
fn at_revision(rev: &str, paths: &[PathBuf]) -> Result<Base, String> {
    if rev.is_empty() || rev.starts_with('-') {
        return Err(format!("--base `{rev}` is neither a folder nor a git revision"));
    }
    let mut sources = Vec::new();
    let mut first = None;
    for path in paths {
        // Git runs in the path's folder (or the folder it would be in, for a file).
        let folder = if path.is_dir() {
            path.as_path()
        } else {
            path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."))
        };
        let top = git(folder, &["rev-parse", "--show-toplevel"])
            .map_err(|said| format!("--base `{rev}` is not a folder, and {} is not in a git repository to read it at that revision ({said})", path.display()))?;
        let top = PathBuf::from(text(top));
        let commit = git(&top, &["rev-parse", "--verify", "--quiet", &format!("{rev}^{{commit}}")]).map_err(|_| {
            format!("--base `{rev}` is neither a folder nor a revision of the git repository {}", top.display())
        })?;
        let commit = text(commit);
        first.get_or_insert_with(|| commit.clone());
        // The path inside the repository: the folder's place in it, then the file's name.
        let mut inside = text(git(folder, &["rev-parse", "--show-prefix"])?);
        if !path.is_dir() {
            inside.push_str(&path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default());
        }
        let mut list = vec!["ls-tree", "-r", "-z", "--name-only", commit.as_str()];
        if !inside.is_empty() {
            list.extend(["--", inside.trim_end_matches('/')]);
        }
        let names = git(&top, &list)?;
        let names: Vec<String> = names
            .split(|&b| b == 0)
            .filter(|n| !n.is_empty())
            .map(|n| String::from_utf8_lossy(n).into_owned())
            .filter(|n| n.ends_with(".plan"))
            .collect();
        for (name, text) in names.iter().zip(blobs(&top, &commit, &names)?) {
            sources.push((format!("{rev}:{name}"), crate::syntax::decode(text)));
        }
    }
    sources.sort();
    sources.dedup();
    if sources.is_empty() {
        let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        return Err(format!("no .plan files at revision `{rev}` in {}", shown.join(", ")));
    }
    Ok(Base { label: rev.to_string(), commit: first, sources })
}

/// The contents of files at a commit, in the order asked, read by one `git cat-file --batch` (one
/// process for any number of files, where `git show` would start one per file).
fn blobs(top: &Path, commit: &str, names: &[String]) -> Result<Vec<Vec<u8>>, String> {
    if names.is_empty() {
        return Ok(Vec::new());
    }
    if let Some(name) = names.iter().find(|n| n.contains('\n')) {
        return Err(format!("cannot read {name:?} from git: its name has a line break"));
    }
    let mut child = Command::new("git")
        .arg("-C")
        .arg(top)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot run git: {e}"))?;
    let request: String = names.iter().map(|n| format!("{commit}:{n}\n")).collect();
    let mut stdin = child.stdin.take().ok_or("cannot write to git")?;
    // Written from another thread: git answers while it reads, and a full pipe either way would
    // otherwise wait for the other forever.
    let writer = std::thread::spawn(move || stdin.write_all(request.as_bytes()));
    let read = match child.stdout.take() {
        Some(stdout) => read_batch(std::io::BufReader::new(stdout), commit, names),
        None => Err("cannot read from git".to_string()),
    };
    if read.is_err() {
        let _ = child.kill();
    }
    let _ = child.wait();
    let _ = writer.join();
    read
}

/// Reads `git cat-file --batch`'s answers: for each request a header, `<object> blob <size>` or
/// `<request> missing`, then that many bytes and a line break.
fn read_batch(mut reader: impl std::io::BufRead, commit: &str, names: &[String]) -> Result<Vec<Vec<u8>>, String> {
    let mut out = Vec::with_capacity(names.len());
    for name in names {
        let mut header = String::new();
        reader.read_line(&mut header).map_err(|e| format!("cannot read from git: {e}"))?;
        let size = match header.trim_end().rsplit_once(' ') {
            Some((head, size)) if head.ends_with(" blob") => size.parse::<usize>().ok(),
            _ => None,
        };
        let Some(size) = size else {
            return Err(format!("cannot read {name} at {commit} from git: {}", header.trim_end()));
        };
        let mut blob = vec![0u8; size + 1];
        reader.read_exact(&mut blob).map_err(|e| format!("cannot read from git: {e}"))?;
        blob.pop();
        out.push(blob);
    }
    Ok(out)
}
