//! compplan's fuzzer: a mutational fuzzer of its own, on the stable toolchain, for the three readers
//! of untrusted input (see RELIABILITY.md):
//!
//! - `plan`: plan text through the parser, the checker, the renderers of diagnostics, the formatter
//!   (idempotent, keeping the model) and the editor's analyses;
//! - `csv`: data folders through `data::load` (compared with the csv crate) and the runtime;
//! - `ledger`: ledger folders through the reader that `run --ledger`, `close` and `ledger verify`
//!   share, with attacks whose outcome is known.
//!
//! ```sh
//! cargo run --profile fuzz --example fuzz -- run plan --seconds 60 --seed 1
//! cargo run --profile fuzz --example fuzz -- replay plan target/fuzz-findings/plan/panic-…
//! ```
//!
//! Each input runs in a worker process (this program, `worker TARGET`), so that an abort or a stack
//! overflow is seen and the input kept; each is timed. Failing inputs are saved (and minimised) in
//! `target/fuzz-findings/TARGET/`; the run exits 1 when there are any.

mod corpus;
mod csv_mutate;
mod csv_target;
mod driver;
mod ledger_mutate;
mod ledger_target;
mod minimize;
mod mutate;
mod plan_target;
mod process;
mod worker;

use clap::{Parser, Subcommand};
use corpus::{files_with, folders_in, overlay, Input};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

#[derive(Parser)]
#[command(about = "A mutational fuzzer for compplan's plan parser and checker, CSV loader and ledger reader")]
struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Fuzzes a target: `plan`, `csv` or `ledger`.
    Run {
        target: String,
        /// Stop after this many seconds.
        #[arg(long)]
        seconds: Option<u64>,
        /// Stop after this many inputs (seeds included).
        #[arg(long)]
        runs: Option<u64>,
        /// The random seed: the same seed gives the same inputs in the same order.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Where failing inputs are saved.
        #[arg(long, default_value = "target/fuzz-findings")]
        findings: PathBuf,
        /// An input that takes longer than this many milliseconds is a finding.
        #[arg(long, default_value_t = 1000)]
        limit_ms: u64,
        /// The worker's address-space limit, in megabytes.
        #[arg(long, default_value_t = 4096)]
        memory_mb: u64,
        /// The worker's threads for parallel work.
        #[arg(long, default_value_t = 1)]
        threads: usize,
        /// Do not minimise failing inputs.
        #[arg(long)]
        no_minimize: bool,
    },
    /// Runs saved inputs (folders written by `run`) again, and prints what each gives.
    Replay { target: String, inputs: Vec<PathBuf> },
    /// Serves inputs on stdin (started by `run`).
    #[command(hide = true)]
    Worker { target: String },
    /// Runs mutated inputs in this process and prints the time each step takes.
    Profile {
        target: String,
        #[arg(long, default_value_t = 2000)]
        runs: u64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

fn main() -> ExitCode {
    // Everything runs on a thread of the runtime's pool (`RAYON_NUM_THREADS` threads), so that the
    // loader's parallel work on small files is not handed from thread to thread for each table.
    match rayon::ThreadPoolBuilder::new().build() {
        Ok(pool) => pool.install(run),
        Err(_) => run(),
    }
}

fn run() -> ExitCode {
    let args = Args::parse();
    let root = corpus::repository();
    match args.command {
        Command::Worker { target } => match make_target(&target, &root) {
            Ok(mut target) => match worker::serve(target.as_mut()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("worker: {e}");
                    ExitCode::from(2)
                }
            },
            Err(e) => {
                eprintln!("worker: {e}");
                ExitCode::from(2)
            }
        },
        Command::Replay { target, inputs } => replay(&target, &root, &inputs),
        Command::Profile { target, runs, seed } => match (make_target(&target, &root), seeds(&target, &root)) {
            (Ok(mut made), Ok(seeds)) => {
                driver::profile(made.as_mut(), &target, &root, seeds, seed, runs);
                ExitCode::SUCCESS
            }
            (Err(e), _) | (_, Err(e)) => {
                eprintln!("fuzz: {e}");
                ExitCode::from(2)
            }
        },
        Command::Run { target, seconds, runs, seed, findings, limit_ms, memory_mb, threads, no_minimize } => {
            let seeds = match seeds(&target, &root) {
                Ok(seeds) => seeds,
                Err(e) => {
                    eprintln!("fuzz: {e}");
                    return ExitCode::from(2);
                }
            };
            eprintln!("{target}: {} seeds, seed {seed}", seeds.len());
            let config = driver::Config {
                spawn: process::Spawn { target: target.clone(), root: root.clone(), memory_mb, threads },
                seed,
                time: seconds.map(Duration::from_secs),
                runs,
                findings: root.join(findings),
                limit: Duration::from_millis(limit_ms),
                minimize: !no_minimize,
            };
            match driver::run(&config, seeds) {
                Ok(totals) => summary(&target, seed, &totals),
                Err(e) => {
                    eprintln!("fuzz: {e}");
                    ExitCode::from(2)
                }
            }
        }
    }
}

/// Prints the totals; exit 1 when any input failed.
fn summary(target: &str, seed: u64, totals: &driver::Totals) -> ExitCode {
    let failures: u64 = totals.failures.values().sum();
    println!(
        "{target}: {} runs, seed {seed}: {failures} failures {:?}, slowest {} ms, {} slow once only, pool {}",
        totals.runs,
        totals.failures,
        totals.slowest / 1000,
        totals.slow_once,
        totals.pool
    );
    for dir in &totals.saved {
        println!("  saved {}", dir.display());
    }
    if failures == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Runs saved inputs in this process and prints the outcome of each; exit 1 if any fails.
fn replay(target: &str, root: &Path, inputs: &[PathBuf]) -> ExitCode {
    let mut target_impl = match make_target(target, root) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("fuzz: {e}");
            return ExitCode::from(2);
        }
    };
    let mut failed = false;
    for dir in inputs {
        let input = match Input::load(dir) {
            Ok(input) => input,
            Err(e) => {
                eprintln!("{}: {e}", dir.display());
                failed = true;
                continue;
            }
        };
        let answer = worker::run_one(target_impl.as_mut(), &input);
        println!("{}: {:?} in {} ms\n{}", dir.display(), answer.status, answer.micros / 1000, answer.message);
        failed |= answer.status != worker::Status::Held;
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn make_target(name: &str, root: &Path) -> Result<Box<dyn worker::Target>, String> {
    match name {
        "plan" => Ok(Box::new(plan_target::PlanTarget::default())),
        "csv" => Ok(Box::new(csv_target::CsvTarget::new(root)?)),
        "ledger" => Ok(Box::new(ledger_target::LedgerTarget)),
        _ => Err(format!("no target `{name}`: choose plan, csv or ledger")),
    }
}

/// The seeds of a target, from the repository's fixtures and `fuzz/corpus/`.
fn seeds(target: &str, root: &Path) -> Result<Vec<Input>, String> {
    let seeds = match target {
        "plan" => plan_seeds(root),
        "csv" => csv_seeds(root),
        "ledger" => ledger_seeds(root),
        _ => return Err(format!("no target `{target}`: choose plan, csv or ledger")),
    };
    if seeds.is_empty() {
        return Err(format!("no seeds for `{target}`: run from the repository"));
    }
    if target == "ledger" {
        mirror_matches(&seeds)?;
    }
    Ok(seeds)
}

/// The fuzzer seals edited records again with its own copy of the record's shape: sealing a seed
/// again must give the digest `compplan close` wrote, or the copy is out of date.
fn mirror_matches(seeds: &[Input]) -> Result<(), String> {
    for (name, bytes) in seeds.iter().flat_map(|s| s.files.iter()) {
        let Some(file) = ledger_mutate::File::read(bytes) else { continue };
        let written = serde_json::from_slice::<serde_json::Value>(bytes)
            .ok()
            .and_then(|v| v.get("record_sha256").and_then(|d| d.as_str().map(str::to_string)));
        if let Some(written) = written.filter(|_| bytes.windows(13).any(|w| w == b"\"format\": 3,")) {
            if file.digest() != written {
                return Err(format!(
                    "sealing {name} again does not give its digest: fuzz/ledger_mutate.rs's copy of the record's shape no longer matches src/ledger.rs"
                ));
            }
        }
    }
    Ok(())
}

/// The `.plan` files of a folder, named by their path from the root.
fn plans_in(root: &Path, dir: &str) -> Vec<(String, Vec<u8>)> {
    files_with(&root.join(dir), "plan").into_iter().map(|(name, bytes)| (format!("{dir}/{name}"), bytes)).collect()
}

/// Each plan file with the files it is checked with: the example workspace (each file in focus in
/// turn), each checker, formatter and analysis fixture and seed with the checker's prelude, each
/// runtime case with the shared files it does not replace.
fn plan_seeds(root: &Path) -> Vec<Input> {
    let mut out = Vec::new();
    let examples = plans_in(root, "plans");
    for focus in 0..examples.len() {
        out.push(Input { files: examples.clone(), focus });
    }
    let prelude = plans_in(root, "tests/check/prelude");
    for dir in ["tests/check", "tests/fmt", "tests/analysis", "tests/bad_inputs/plans", "fuzz/corpus/plan"] {
        for (name, bytes) in plans_in(root, dir) {
            let bytes = strip_markers(&bytes);
            let mut files = vec![(name, bytes.clone())];
            if !bytes.starts_with(b"// no-prelude") {
                files.extend(prelude.iter().cloned());
            }
            out.push(Input { files, focus: 0 });
        }
    }
    let shared = plans_in(root, "tests/eval/shared");
    for case in folders_in(&root.join("tests/eval")) {
        let Some(name) = case.file_name().and_then(|n| n.to_str()).filter(|n| *n != "shared") else { continue };
        let own = plans_in(root, &format!("tests/eval/{name}"));
        let mut files = own.clone();
        let base = |p: &str| p.rsplit('/').next().unwrap_or(p).to_string();
        files.extend(shared.iter().filter(|(p, _)| !own.iter().any(|(o, _)| base(o) == base(p))).cloned());
        for focus in 0..own.len() {
            out.push(Input { files: files.clone(), focus });
        }
    }
    out
}

/// The analysis fixtures' cursor markers (`{|hover|}`) removed.
fn strip_markers(bytes: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(bytes);
    if !text.contains("{|") {
        return bytes.to_vec();
    }
    let mut out = String::new();
    let mut rest: &str = &text;
    while let Some(at) = rest.find("{|") {
        out.push_str(&rest[..at]);
        rest = rest[at..].find("|}").map_or("", |end| &rest[at + end + 2..]);
    }
    out.push_str(rest);
    out.into_bytes()
}

/// The example data with the fuzzer's extra tables, alone and with each fixture's files over it:
/// the broken data of `tests/data/`, each runtime case's data, the bad-input corpus and the seeds.
fn csv_seeds(root: &Path) -> Vec<Input> {
    let base =
        overlay(&files_with(&root.join("plans/data"), "csv"), files_with(&root.join("fuzz/corpus/csv/base"), "csv"));
    let mut out = vec![Input { files: base.clone(), focus: 0 }];
    let mut cases: Vec<PathBuf> = Vec::new();
    cases.extend(folders_in(&root.join("tests/data")));
    cases.extend(folders_in(&root.join("tests/eval")).into_iter().map(|c| c.join("data")));
    cases.extend(folders_in(&root.join("tests/bad_inputs/data")));
    cases.extend(folders_in(&root.join("fuzz/corpus/csv")).into_iter().filter(|c| !c.ends_with("base")));
    for case in cases {
        let own = files_with(&case, "csv");
        let Some((first, _)) = own.first().cloned() else { continue };
        let files = overlay(&base, own);
        let focus = files.iter().position(|(n, _)| *n == first).unwrap_or(0);
        out.push(Input { files, focus });
    }
    out
}

/// The ledger folders: records written before the chain, and chains written by `compplan close`.
fn ledger_seeds(root: &Path) -> Vec<Input> {
    let mut folders = vec![root.join("tests/ledger/before_the_chain")];
    folders.extend(folders_in(&root.join("fuzz/corpus/ledger")));
    folders
        .into_iter()
        .map(|dir| Input { files: files_with(&dir, "json"), focus: 0 })
        .filter(|input| !input.files.is_empty())
        .collect()
}
