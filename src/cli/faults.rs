//! Fault injection, for the tests: a named point before every write, fsync, link, rename and removal
//! that `close` and `run --out` make, where the environment can stop the process dead or fail the
//! operation.
//!
//! - `COMPPLAN_CRASH_AT=POINT` ends the process at that point, as `kill -9` or a power cut would: no
//!   cleanup runs, and the exit code is 134 (what a shell reports for SIGABRT; no core is written).
//! - `COMPPLAN_FAIL_AT=POINT` makes the operation at that point fail with an I/O error, as a full
//!   disk would; the command then cleans up as it does for any error.
//!
//! POINT is a point's name (`close-link`: the first point of that name the process reaches;
//! `close-link:2`: the second), or a number N (the N-th point it reaches, from 1). A test stops a command at point 1, 2, 3… in turn
//! until the command runs to its end, and so reaches every point without listing them. The process
//! says on stderr which point stopped it. Unset, a point costs one atomic increment.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::OnceLock;

/// Which point an environment variable names.
enum Target {
    /// The k-th point of a name.
    Named(String, usize),
    Nth(usize),
}

/// A target, how many points of its name were reached, and whether it acted (it acts once).
struct Injection {
    target: Target,
    seen: AtomicUsize,
    done: AtomicBool,
}

impl Injection {
    fn from_env(variable: &str) -> Option<Injection> {
        let text = std::env::var(variable).ok().filter(|t| !t.is_empty())?;
        let target = match (text.parse::<usize>(), text.split_once(':')) {
            (Ok(n), _) => Target::Nth(n),
            (_, Some((name, k))) => Target::Named(name.to_string(), k.parse().unwrap_or(1)),
            (_, None) => Target::Named(text, 1),
        };
        Some(Injection { target, seen: AtomicUsize::new(0), done: AtomicBool::new(false) })
    }

    fn hits(&self, reached: usize, name: &str) -> bool {
        let matches = match &self.target {
            Target::Named(target, k) => target == name && self.seen.fetch_add(1, Ordering::SeqCst) + 1 == *k,
            Target::Nth(n) => *n == reached,
        };
        matches && !self.done.swap(true, Ordering::SeqCst)
    }
}

struct Injections {
    crash: Option<Injection>,
    fail: Option<Injection>,
}

fn injections() -> &'static Injections {
    static INJECTIONS: OnceLock<Injections> = OnceLock::new();
    INJECTIONS.get_or_init(|| Injections {
        crash: Injection::from_env("COMPPLAN_CRASH_AT"),
        fail: Injection::from_env("COMPPLAN_FAIL_AT"),
    })
}

/// How many points the process has reached.
static REACHED: AtomicUsize = AtomicUsize::new(0);

/// A point before an operation on the file system: `name` says which operation (`close-link`,
/// `out-rename`), `subject` what it acts on (for the message). Stops the process, or returns the
/// injected error, when the environment names this point; otherwise does nothing.
pub(crate) fn point(name: &str, subject: &std::path::Path) -> std::io::Result<()> {
    let reached = REACHED.fetch_add(1, Ordering::SeqCst) + 1;
    let injections = injections();
    if injections.crash.as_ref().is_some_and(|i| i.hits(reached, name)) {
        eprintln!("compplan: stopped at point {reached}, {name} {} (COMPPLAN_CRASH_AT)", subject.display());
        std::process::exit(134);
    }
    if injections.fail.as_ref().is_some_and(|i| i.hits(reached, name)) {
        return Err(std::io::Error::other(format!(
            "injected fault at point {reached}, {name} {} (COMPPLAN_FAIL_AT)",
            subject.display()
        )));
    }
    Ok(())
}
