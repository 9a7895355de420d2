//! The parent's side of a worker: starting it (under a memory limit), sending it inputs, timing
//! them, and telling an answer from a process that died (an abort, a stack overflow, memory
//! exhausted) or stopped answering (an endless loop), in which case it is killed and started again.

use crate::corpus::Input;
use crate::worker::{read_answer, Answer};
use std::io::{Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How to start a worker.
#[derive(Clone, Debug)]
pub struct Spawn {
    /// The target's name.
    pub target: String,
    /// The repository's root, the worker's current folder.
    pub root: std::path::PathBuf,
    /// The worker's address-space limit, in megabytes (`ulimit -v`).
    pub memory_mb: u64,
    /// The worker's threads for the runtime's parallel work (`RAYON_NUM_THREADS`).
    pub threads: usize,
}

/// What became of an input.
pub enum Verdict {
    /// The worker answered.
    Answered(Answer),
    /// The worker died: how, and the end of what it wrote on stderr.
    Died(String),
    /// The worker gave no answer in time and was killed.
    Hung,
}

/// A running worker.
pub struct Worker {
    child: Child,
    stdin: ChildStdin,
    answers: Receiver<Option<Answer>>,
    stderr: Arc<Mutex<Vec<u8>>>,
}

impl Worker {
    /// Starts a worker: this same program with `worker TARGET`, under `sh -c 'ulimit -v …'`.
    pub fn spawn(spawn: &Spawn) -> std::io::Result<Worker> {
        let exe = std::env::current_exe()?;
        let limit = spawn.memory_mb.saturating_mul(1024);
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(format!("ulimit -v {limit} 2>/dev/null; exec \"$0\" worker \"$1\""))
            .arg(exe)
            .arg(&spawn.target)
            .current_dir(&spawn.root)
            .env("RAYON_NUM_THREADS", spawn.threads.to_string())
            .env("RUST_BACKTRACE", "0")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()?;
        let stdin = child.stdin.take().ok_or_else(|| std::io::Error::other("no stdin"))?;
        let mut stdout = child.stdout.take().ok_or_else(|| std::io::Error::other("no stdout"))?;
        let mut stderr = child.stderr.take().ok_or_else(|| std::io::Error::other("no stderr"))?;
        let (send, answers) = mpsc::channel();
        std::thread::spawn(move || loop {
            let answer = read_answer(&mut stdout);
            let end = answer.is_none();
            if send.send(answer).is_err() || end {
                return;
            }
        });
        let tail: Arc<Mutex<Vec<u8>>> = Arc::default();
        let kept = tail.clone();
        std::thread::spawn(move || {
            let mut buffer = [0u8; 4096];
            while let Ok(n) = stderr.read(&mut buffer) {
                if n == 0 {
                    return;
                }
                if let Ok(mut tail) = kept.lock() {
                    tail.extend_from_slice(&buffer[..n]);
                    let excess = tail.len().saturating_sub(8192);
                    tail.drain(..excess);
                }
            }
        });
        Ok(Worker { child, stdin, answers, stderr: tail })
    }

    /// Sends an input and waits for the answer, at most `wait`.
    pub fn run(&mut self, input: &Input, wait: Duration) -> Verdict {
        let frame = input.encode();
        let sent = self
            .stdin
            .write_all(&(frame.len() as u32).to_le_bytes())
            .and_then(|()| self.stdin.write_all(&frame))
            .and_then(|()| self.stdin.flush());
        if sent.is_err() {
            return Verdict::Died(self.death());
        }
        // The wait counts the worker's processor time, not the clock: on a machine busy with other
        // work a worker may wait long for a processor without being hung. After `wait` on the
        // clock, it waits again while the worker has used less than `wait` of processor time since
        // the input was sent (at most ten times as long in all).
        let start = super::worker::cpu_micros(Some(self.child.id()));
        for _ in 0..10 {
            match self.answers.recv_timeout(wait) {
                Ok(Some(answer)) => return Verdict::Answered(answer),
                Ok(None) | Err(RecvTimeoutError::Disconnected) => return Verdict::Died(self.death()),
                Err(RecvTimeoutError::Timeout) => {
                    let used =
                        start.zip(super::worker::cpu_micros(Some(self.child.id()))).map(|(a, b)| b.saturating_sub(a));
                    if used.is_none_or(|used| used >= wait.as_micros() as u64) {
                        break;
                    }
                }
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        Verdict::Hung
    }

    /// How the worker ended, and the end of its stderr.
    fn death(&mut self) -> String {
        let status = self.child.wait().map(|s| s.to_string()).unwrap_or_else(|e| e.to_string());
        // The stderr thread may still be reading what the worker wrote last.
        std::thread::sleep(Duration::from_millis(50));
        let tail = self.stderr.lock().map(|t| String::from_utf8_lossy(&t).into_owned()).unwrap_or_default();
        format!("the worker died ({status})\n{}", tail.trim_end())
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
