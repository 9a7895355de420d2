//! Making a failing input small: the other files removed when the failure does without them, then
//! chunks of lines of the file in focus, then chunks of bytes, each removal kept when the input
//! still fails the same way. A budget of runs and time bounds the work.

use crate::corpus::Input;
use crate::mutate::line_ranges;
use std::time::{Duration, Instant};

/// The smallest input found that still `fails`, trying at most `budget` candidates within `time`.
pub fn minimize(input: &Input, budget: usize, time: Duration, mut fails: impl FnMut(&Input) -> bool) -> Input {
    let deadline = Instant::now() + time;
    let mut tries = 0;
    let mut try_it = |candidate: &Input| -> bool {
        tries += 1;
        tries <= budget && Instant::now() < deadline && fails(candidate)
    };
    let mut best = input.clone();
    // The other files, one at a time.
    let mut i = 0;
    while i < best.files.len() && best.files.len() > 1 {
        if i != best.focus {
            let mut candidate = best.clone();
            candidate.files.remove(i);
            if candidate.focus > i {
                candidate.focus -= 1;
            }
            if try_it(&candidate) {
                best = candidate;
                continue;
            }
        }
        i += 1;
    }
    // Lines, then bytes, of the file in focus.
    for by_lines in [true, false] {
        let mut chunk = units(best.focused(), by_lines).len() / 2;
        while chunk >= 1 {
            let mut start = 0;
            loop {
                let ranges = units(best.focused(), by_lines);
                if start >= ranges.len() {
                    break;
                }
                let end = (start + chunk).min(ranges.len());
                let (from, to) = (ranges[start].start, ranges[end - 1].end);
                let mut candidate = best.clone();
                candidate.focused_mut().drain(from..to);
                if try_it(&candidate) {
                    best = candidate;
                } else {
                    start += chunk;
                }
            }
            chunk /= 2;
        }
    }
    best
}

/// The lines of a file, or its bytes.
fn units(bytes: &[u8], by_lines: bool) -> Vec<std::ops::Range<usize>> {
    if by_lines {
        line_ranges(bytes)
    } else {
        (0..bytes.len()).map(|i| i..i + 1).collect()
    }
}
