//! The fuzzing loop: seeds run as they are, then mutated inputs one after the other, each timed
//! and judged in the worker; inputs whose output shows something new (a diagnostic code or a
//! message worded another way) join the pool that later mutations start from; failures are
//! saved, minimised and counted.

use crate::corpus::Input;
use crate::process::{Spawn, Verdict, Worker};
use crate::worker::{feature, Status};
use crate::{csv_mutate, ledger_mutate, minimize, mutate};
use compplan::Random;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// How a run is set up.
#[derive(Clone, Debug)]
pub struct Config {
    /// The worker to start.
    pub spawn: Spawn,
    /// The random generator's seed: the same seed gives the same inputs in the same order.
    pub seed: u64,
    /// Stop after this long.
    pub time: Option<Duration>,
    /// Stop after this many inputs.
    pub runs: Option<u64>,
    /// Where failing inputs are saved.
    pub findings: PathBuf,
    /// An input that takes longer than this is a finding.
    pub limit: Duration,
    /// Minimise failing inputs.
    pub minimize: bool,
}

/// What went wrong with an input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Panic,
    Oracle,
    Abort,
    Hang,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Panic => "panic",
            Kind::Oracle => "oracle",
            Kind::Abort => "abort",
            Kind::Hang => "hang",
        }
    }
}

/// A pool entry: an input, and whether it is a seed (untouched).
struct Entry {
    input: Input,
    pristine: bool,
}

/// The totals of a run.
#[derive(Default, Debug)]
pub struct Totals {
    /// Inputs run (seeds included).
    pub runs: u64,
    /// Failures by kind.
    pub failures: BTreeMap<&'static str, u64>,
    /// Where the first input of each kind of failure was saved.
    pub saved: Vec<PathBuf>,
    /// The slowest input, in microseconds.
    pub slowest: u64,
    /// Inputs over the limit once that were under it when run again (a busy machine).
    pub slow_once: u64,
    /// The pool's size at the end.
    pub pool: usize,
}

/// Material for mutations: the dictionary and the donors' files.
struct Material {
    dictionary: Vec<Vec<u8>>,
    donors: Vec<Vec<u8>>,
}

/// Runs the loop; returns the totals.
pub fn run(config: &Config, seeds: Vec<Input>) -> std::io::Result<Totals> {
    let root = &config.spawn.root;
    let target = config.spawn.target.as_str();
    let material = material(target, root, &seeds);
    let donors = mutate::Donors { files: material.donors.iter().map(Vec::as_slice).collect() };
    let mut pool: Vec<Entry> = seeds.into_iter().map(|input| Entry { input, pristine: true }).collect();
    let seeds = pool.len();
    let mut worker = Worker::spawn(&config.spawn)?;
    let mut random = Random::new(config.seed);
    let mut seen = vec![0u64; 1 << 12];
    let mut totals = Totals::default();
    let mut signatures: BTreeMap<String, u32> = BTreeMap::new();
    let (start, mut report) = (Instant::now(), Instant::now());
    let wait = (config.limit * 10).max(Duration::from_secs(10));
    loop {
        let done = config.time.is_some_and(|t| start.elapsed() >= t) || config.runs.is_some_and(|r| totals.runs >= r);
        if done && totals.runs >= seeds as u64 {
            break;
        }
        let (input, pristine) = if (totals.runs as usize) < seeds {
            (pool[totals.runs as usize].input.clone(), true)
        } else {
            let from = if random.below(4) == 0 { random.below(seeds as u64) } else { random.below(pool.len() as u64) };
            let entry = &pool[from as usize];
            (mutated(target, &entry.input, entry.pristine, &mut random, &material, &donors), false)
        };
        totals.runs += 1;
        let failure = match worker.run(&input, wait) {
            Verdict::Answered(answer) => {
                totals.slowest = totals.slowest.max(answer.micros);
                let fresh = answer.features.iter().fold(false, |fresh, &f| {
                    let (word, bit) = ((f as usize >> 6) % seen.len(), 1u64 << (f & 63));
                    let new = seen[word] & bit == 0;
                    seen[word] |= bit;
                    fresh | new
                });
                if fresh && !pristine && input.size() < 64 << 10 {
                    keep(&mut pool, seeds, strip_claim(input.clone()), &mut random);
                }
                match answer.status {
                    Status::Held if answer.micros > config.limit.as_micros() as u64 => {
                        slow(&mut worker, &input, config, wait, &mut totals, &answer.message)
                    }
                    Status::Held => None,
                    Status::Panicked => Some((Kind::Panic, answer.message)),
                    Status::Failed => Some((Kind::Oracle, answer.message)),
                }
            }
            Verdict::Died(how) => {
                worker = Worker::spawn(&config.spawn)?;
                Some((Kind::Abort, how))
            }
            Verdict::Hung => {
                worker = Worker::spawn(&config.spawn)?;
                Some((Kind::Hang, format!("no answer within {} s", wait.as_secs())))
            }
        };
        if let Some((kind, message)) = failure {
            *totals.failures.entry(kind.name()).or_default() += 1;
            let signature = format!("{}-{:08x}", kind.name(), signature_of(kind, &message));
            let count = signatures.entry(signature.clone()).or_default();
            *count += 1;
            if *count <= 2 {
                let dir = config.findings.join(target).join(format!("{signature}-{count}"));
                save(config, &mut worker, &input, kind, &message, &dir, *count == 1)?;
                eprintln!(
                    "{target}: {} at run {} (again: fuzz run {target} --seed {} --runs {}), saved in {}\n{message}\n{}\n",
                    kind.name(),
                    totals.runs,
                    config.seed,
                    totals.runs,
                    dir.display(),
                    shown(&input)
                );
                totals.saved.push(dir);
            }
        }
        if report.elapsed() >= Duration::from_secs(10) {
            report = Instant::now();
            progress(target, &totals, pool.len(), start.elapsed(), &seen);
        }
    }
    totals.pool = pool.len();
    progress(target, &totals, pool.len(), start.elapsed(), &seen);
    Ok(totals)
}

/// Runs `runs` mutated inputs in this process (no worker) and prints how long each step took in
/// all, to see where the time goes.
pub fn profile(
    target: &mut dyn crate::worker::Target,
    name: &str,
    root: &std::path::Path,
    seeds: Vec<Input>,
    seed: u64,
    runs: u64,
) {
    let material = material(name, root, &seeds);
    let donors = mutate::Donors { files: material.donors.iter().map(Vec::as_slice).collect() };
    let mut random = Random::new(seed);
    let mut steps: BTreeMap<&'static str, (u64, u64)> = BTreeMap::new();
    let start = Instant::now();
    for _ in 0..runs {
        let from = &seeds[random.below(seeds.len() as u64) as usize];
        let input = mutated(name, from, true, &mut random, &material, &donors);
        let outcome = target.run(&input);
        for (step, micros) in outcome.steps {
            let entry = steps.entry(step).or_default();
            entry.0 += 1;
            entry.1 += micros;
        }
    }
    eprintln!("{name}: {runs} runs in {} ms", start.elapsed().as_millis());
    for (step, (count, micros)) in steps {
        eprintln!("  {step}: {count} times, {} ms in all, {} µs each", micros / 1000, micros / count.max(1));
    }
}

/// The file in focus, for a log that may be all there is of a failure (a CI run): its name and its
/// first two kilobytes, escaped.
fn shown(input: &Input) -> String {
    let (name, bytes) = input.files.get(input.focus).map_or(("", &[][..]), |(n, b)| (n.as_str(), b.as_slice()));
    let head = &bytes[..bytes.len().min(2048)];
    let more = if bytes.len() > head.len() { format!(" … ({} bytes in all)", bytes.len()) } else { String::new() };
    format!("{name}: \"{}\"{more}", head.escape_ascii())
}

/// An input over the time limit is run again: it is a finding only if it is slow twice.
fn slow(
    worker: &mut Worker,
    input: &Input,
    config: &Config,
    wait: Duration,
    totals: &mut Totals,
    step: &str,
) -> Option<(Kind, String)> {
    let limit = config.limit.as_micros() as u64;
    match worker.run(input, wait) {
        Verdict::Answered(again) if again.micros <= limit => {
            totals.slow_once += 1;
            None
        }
        Verdict::Answered(again) => Some((
            Kind::Hang,
            format!("{step} took over {} ms twice, {} ms the second time", limit / 1000, again.micros / 1000),
        )),
        Verdict::Died(how) => {
            *worker = Worker::spawn(&config.spawn).ok()?;
            Some((Kind::Abort, how))
        }
        Verdict::Hung => {
            *worker = Worker::spawn(&config.spawn).ok()?;
            Some((Kind::Hang, format!("no answer within {} s", wait.as_secs())))
        }
    }
}

/// A mutated copy of a pool entry.
fn mutated(
    target: &str,
    from: &Input,
    pristine: bool,
    random: &mut Random,
    material: &Material,
    donors: &mutate::Donors,
) -> Input {
    let mut input = strip_claim(from.clone());
    if input.files.is_empty() {
        input.files.push(("empty".to_string(), Vec::new()));
    }
    match target {
        "plan" => {
            if random.below(16) == 0 {
                input.focus = random.below(input.files.len() as u64) as usize;
            }
            mutate::havoc(random, input.focused_mut(), &material.dictionary, donors);
        }
        "csv" => {
            if random.below(2) == 0 {
                input.focus = random.below(input.files.len() as u64) as usize;
            }
            csv_mutate::havoc(random, input.focused_mut(), &material.dictionary, donors);
        }
        _ => {
            if random.below(2) == 0 {
                input.focus = random.below(input.files.len() as u64) as usize;
            }
            let focus = input.focus;
            ledger_mutate::havoc(random, &mut input.files, focus, pristine, &material.dictionary, donors);
            input.focus = input.focus.min(input.files.len().saturating_sub(1));
        }
    }
    input
}

/// Without the file that states an attack's outcome (it holds for the attacked input only).
fn strip_claim(mut input: Input) -> Input {
    input.files.retain(|(name, _)| name != ledger_mutate::EXPECT);
    input.focus = input.focus.min(input.files.len().saturating_sub(1));
    input
}

/// Adds an input to the pool; a full pool replaces an entry that is not a seed.
fn keep(pool: &mut Vec<Entry>, seeds: usize, input: Input, random: &mut Random) {
    const MAX: usize = 4000;
    let entry = Entry { input, pristine: false };
    if pool.len() < MAX {
        pool.push(entry);
    } else if pool.len() > seeds {
        let at = seeds + random.below((pool.len() - seeds) as u64) as usize;
        pool[at] = entry;
    }
}

/// The dictionary and donors of a target.
fn material(target: &str, root: &std::path::Path, seeds: &[Input]) -> Material {
    let mut donors: Vec<Vec<u8>> = seeds.iter().flat_map(|s| s.files.iter().map(|(_, b)| b.clone())).collect();
    donors.sort();
    donors.dedup();
    let dictionary = match target {
        "plan" => {
            let grammar = std::fs::read_to_string(root.join("grammar/plan.pest")).unwrap_or_default();
            let texts: Vec<&[u8]> = donors.iter().map(Vec::as_slice).collect();
            mutate::plan_dictionary(&grammar, &texts)
        }
        "ledger" => ledger_mutate::dictionary(),
        _ => mutate::NUMBERS.iter().chain(mutate::DATES).map(|w| w.as_bytes().to_vec()).collect(),
    };
    Material { dictionary, donors }
}

/// What tells one failure from another: where a panic happened, the first line of an oracle's
/// message without its quoted parts, or nothing for an abort or a hang.
fn signature_of(kind: Kind, message: &str) -> u32 {
    match kind {
        Kind::Panic => feature("panic", message.lines().next().unwrap_or_default()),
        Kind::Oracle => {
            let first = message.lines().next().unwrap_or_default();
            let general: String = first.split(": ").skip(1).collect::<Vec<_>>().join(": ");
            feature("oracle", if general.is_empty() { first } else { &general })
        }
        Kind::Abort | Kind::Hang => feature(kind.name(), ""),
    }
}

/// Saves a failing input (and, for the first of its kind, a minimised copy beside it).
fn save(
    config: &Config,
    worker: &mut Worker,
    input: &Input,
    kind: Kind,
    message: &str,
    dir: &std::path::Path,
    first: bool,
) -> std::io::Result<()> {
    let target = &config.spawn.target;
    let readme = format!(
        "{} found by `fuzz run {target} --seed {}`\nreplay: cargo run --profile fuzz --example fuzz -- replay {target} {}\n\n{message}\n",
        kind.name(),
        config.seed,
        dir.display()
    );
    input.save(dir, &readme)?;
    if !(config.minimize && first) {
        return Ok(());
    }
    let signature = signature_of(kind, message);
    let wait = (config.limit * 10).max(Duration::from_secs(10));
    let mut spawn_failed = false;
    let small = minimize::minimize(input, 4000, Duration::from_secs(120), |candidate| {
        let verdict = worker.run(candidate, wait);
        let same = match (&verdict, kind) {
            (Verdict::Answered(a), Kind::Panic) => {
                a.status == Status::Panicked && signature_of(kind, &a.message) == signature
            }
            (Verdict::Answered(a), Kind::Oracle) => {
                a.status == Status::Failed && signature_of(kind, &a.message) == signature
            }
            (Verdict::Answered(a), Kind::Hang) => a.micros > config.limit.as_micros() as u64,
            (Verdict::Died(_), Kind::Abort) | (Verdict::Hung, Kind::Hang) => true,
            _ => false,
        };
        if matches!(verdict, Verdict::Died(_) | Verdict::Hung) {
            match Worker::spawn(&config.spawn) {
                Ok(fresh) => *worker = fresh,
                Err(_) => spawn_failed = true,
            }
        }
        same && !spawn_failed
    });
    if small != *input {
        let name = format!("{}-minimised", dir.file_name().and_then(|n| n.to_str()).unwrap_or("finding"));
        small.save(&dir.with_file_name(name), &readme)?;
    }
    Ok(())
}

fn progress(target: &str, totals: &Totals, pool: usize, elapsed: Duration, seen: &[u64]) {
    let features: u32 = seen.iter().map(|w| w.count_ones()).sum();
    let rate = u128::from(totals.runs) * 1000 / elapsed.as_millis().max(1);
    let failures: u64 = totals.failures.values().sum();
    eprintln!(
        "{target}: {} runs in {} s ({rate}/s), pool {pool}, features {features}, failures {failures}, slowest {} ms",
        totals.runs,
        elapsed.as_secs(),
        totals.slowest / 1000
    );
}
