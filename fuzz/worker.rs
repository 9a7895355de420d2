//! The worker: a child process that runs one target on the inputs its parent sends, one at a time,
//! catching panics. What it cannot catch (an abort, a stack overflow, memory exhausted, an endless
//! loop) ends or stalls the process, and the parent, which times every input, sees it and records
//! the input.
//!
//! Protocol, on the worker's stdin and stdout, every integer little-endian: the parent sends a
//! frame (`u32` length, then an encoded [`Input`]); the worker answers with a status byte (0 held,
//! 1 panicked, 2 an oracle failed), the microseconds the input took (`u64`), its features (`u32`
//! count, then `u32`s) and a message (`u32` length, then UTF-8).

use crate::corpus::Input;
use std::io::{Read, Write};
use std::sync::Mutex;

/// What running an input gave: features (what the output looked like, for the parent's guidance)
/// and, when an oracle failed, why.
#[derive(Default)]
pub struct Outcome {
    /// Hashes of what the run produced (diagnostic codes and message shapes…).
    pub features: Vec<u32>,
    /// Why the run is wrong, when an oracle says so.
    pub failure: Option<String>,
    /// The slowest step of the run (checking, formatting, loading…) and how long it took: each
    /// step is what a user waits for, and each must be quick; the oracles around them may add up.
    pub slowest: Option<(&'static str, u64)>,
    /// Every step and its time, in order (for `fuzz profile`).
    pub steps: Vec<(&'static str, u64)>,
}

impl Outcome {
    /// Runs a step, keeping its time if it is the slowest so far. The time is the processor time
    /// the step took when the system says (a step waits for nothing but the processor: on a busy
    /// machine its wall time grows with the load, and a quick step would read as a hang).
    pub fn timed<T>(&mut self, step: &'static str, f: impl FnOnce() -> T) -> T {
        let (clock, cpu) = (std::time::Instant::now(), cpu_micros(None));
        let result = f();
        let wall = clock.elapsed().as_micros() as u64;
        let micros = match (cpu, cpu_micros(None)) {
            (Some(before), Some(after)) => wall.min(after.saturating_sub(before)),
            _ => wall,
        };
        self.steps.push((step, micros));
        if self.slowest.is_none_or(|(_, slowest)| micros > slowest) {
            self.slowest = Some((step, micros));
        }
        result
    }
}

/// A fuzz target.
pub trait Target {
    /// Runs one input through the code under test and its oracles.
    fn run(&mut self, input: &Input) -> Outcome;
    /// Starts afresh after a panic (state kept between inputs may be half updated).
    fn reset(&mut self) {}
}

/// The status byte of an answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Every oracle held.
    Held = 0,
    /// The code under test panicked.
    Panicked = 1,
    /// An oracle failed.
    Failed = 2,
}

/// The worker's answer about one input.
pub struct Answer {
    /// How it went.
    pub status: Status,
    /// How long it took.
    pub micros: u64,
    /// Its features.
    pub features: Vec<u32>,
    /// The panic or the oracle's message.
    pub message: String,
}

static LAST_PANIC: Mutex<Option<String>> = Mutex::new(None);

/// Serves inputs until the parent closes the pipe.
pub fn serve(target: &mut dyn Target) -> std::io::Result<()> {
    std::panic::set_hook(Box::new(|info| {
        if let Ok(mut last) = LAST_PANIC.lock() {
            *last = Some(info.to_string());
        }
    }));
    let (mut stdin, mut stdout) = (std::io::stdin().lock(), std::io::stdout().lock());
    let mut frame = Vec::new();
    loop {
        let mut len = [0u8; 4];
        if stdin.read_exact(&mut len).is_err() {
            return Ok(());
        }
        frame.resize(u32::from_le_bytes(len) as usize, 0);
        stdin.read_exact(&mut frame)?;
        let Some(input) = Input::decode(&frame) else {
            return Err(std::io::Error::other("a frame that is not an input"));
        };
        let answer = run_one(target, &input);
        write_answer(&mut stdout, &answer)?;
        stdout.flush()?;
    }
}

/// Runs one input, catching a panic.
pub fn run_one(target: &mut dyn Target, input: &Input) -> Answer {
    let clock = std::time::Instant::now();
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| target.run(input)));
    let total = clock.elapsed().as_micros() as u64;
    match result {
        Ok(Outcome { features, failure: None, slowest, .. }) => {
            let (step, micros) = slowest.unwrap_or(("the run", total));
            Answer { status: Status::Held, micros, features, message: step.to_string() }
        }
        Ok(Outcome { features, failure: Some(message), .. }) => {
            Answer { status: Status::Failed, micros: total, features, message }
        }
        Err(_) => {
            target.reset();
            let message = LAST_PANIC.lock().ok().and_then(|mut m| m.take()).unwrap_or_else(|| "a panic".to_string());
            Answer { status: Status::Panicked, micros: total, features: Vec::new(), message }
        }
    }
}

fn write_answer(out: &mut impl Write, answer: &Answer) -> std::io::Result<()> {
    out.write_all(&[answer.status as u8])?;
    out.write_all(&answer.micros.to_le_bytes())?;
    out.write_all(&(answer.features.len() as u32).to_le_bytes())?;
    for feature in &answer.features {
        out.write_all(&feature.to_le_bytes())?;
    }
    out.write_all(&(answer.message.len() as u32).to_le_bytes())?;
    out.write_all(answer.message.as_bytes())
}

/// Reads an answer written by [`write_answer`]; `None` at the end of the stream.
pub fn read_answer(from: &mut impl Read) -> Option<Answer> {
    let mut status = [0u8; 1];
    from.read_exact(&mut status).ok()?;
    let mut micros = [0u8; 8];
    from.read_exact(&mut micros).ok()?;
    let count = read_u32(from)? as usize;
    let mut features = Vec::with_capacity(count.min(1 << 16));
    for _ in 0..count {
        features.push(read_u32(from)?);
    }
    let len = read_u32(from)? as usize;
    let mut message = vec![0u8; len];
    from.read_exact(&mut message).ok()?;
    let status = match status[0] {
        0 => Status::Held,
        1 => Status::Panicked,
        _ => Status::Failed,
    };
    Some(Answer {
        status,
        micros: u64::from_le_bytes(micros),
        features,
        message: String::from_utf8_lossy(&message).into_owned(),
    })
}

fn read_u32(from: &mut impl Read) -> Option<u32> {
    let mut word = [0u8; 4];
    from.read_exact(&mut word).ok()?;
    Some(u32::from_le_bytes(word))
}

/// A feature: the hash of a code and the shape of a message (its plain words: not what is quoted,
/// nor names, numbers, paths and periods), so that each branch that words its message its own way
/// counts once, whatever it names.
pub fn feature(code: &str, message: &str) -> u32 {
    let mut hash: u32 = 0x811c_9dc5;
    let mut eat = |b: u8| {
        hash ^= u32::from(b);
        hash = hash.wrapping_mul(0x0100_0193);
    };
    code.bytes().for_each(&mut eat);
    eat(0);
    let mut quoted = false;
    // The first words say which branch spoke; later ones often name what it is about.
    for word in message.split_whitespace().take(8) {
        let ticks = word.bytes().filter(|&b| b == b'`').count();
        let plain = !quoted && ticks == 0 && word.bytes().all(|b| b.is_ascii_lowercase() || b",;()".contains(&b));
        if plain {
            word.bytes().for_each(&mut eat);
            eat(b' ');
        }
        if ticks % 2 == 1 {
            quoted = !quoted;
        }
    }
    hash
}

/// The processor time a process has used so far (user and system, all threads), in microseconds,
/// from Linux's `/proc/PID/stat` (this process's when `pid` is `None`); `None` elsewhere. Its
/// resolution is a clock tick (10 ms), far below the second that makes a step slow.
pub fn cpu_micros(pid: Option<u32>) -> Option<u64> {
    let path = pid.map_or_else(|| "/proc/self/stat".to_string(), |pid| format!("/proc/{pid}/stat"));
    let stat = std::fs::read_to_string(path).ok()?;
    // The fields after the command name (which may hold spaces) start after its `)`; utime and
    // stime are fields 14 and 15, in ticks of 1/100 s.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<u64>().ok());
    Some((ticks(11)? + ticks(12)?) * 10_000)
}
