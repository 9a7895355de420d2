//! `Content-Length` framing of the input, and what is done with input that cannot be framed.
//!
//! A message is a header block (lines ending in `\r\n`, or `\n` alone, up to a blank line) and a body
//! of exactly `Content-Length` bytes. Headers other than `Content-Length` are ignored, and blank lines
//! between messages are tolerated. The rest is skipped, each time with a reason for the caller to
//! answer, and reading goes on:
//!
//! - a header block without a `Content-Length`, or with one that is not a length in bytes (`abc`,
//!   `-5`, `+5`, empty, beyond 64 bits), or with two different ones, or a header line longer than
//!   [`MAX_HEADER_LINE`]: the body's end is unknown, so the reader resynchronises. It discards bytes up
//!   to the next `Content-Length:` (ASCII case ignored, anywhere: an editor writes the next header
//!   straight after a body, with no line break) and reads the message that starts there. A body that
//!   holds the text `Content-Length:` may be taken for a header; what follows is then skipped the same
//!   way, so the reader is back in step at the next real header;
//! - bytes before a `Content-Length` header that are not headers (the tail of a body whose length was
//!   too short): skipped, and the message is read;
//! - a body longer than the limit ([`MAX_MESSAGE_BYTES`] for the server): the declared length is
//!   trusted, and the body is discarded through a small buffer, never held. A body within the limit
//!   is read as it arrives, so a length declared but not sent is never allocated.
//!
//! Only the end of the input, an error reading it, or its end inside a body stops the reader. The
//! memory it uses is bounded by the limit and [`MAX_HEADER_LINE`], whatever the input.

use std::io::{self, BufRead, Read};

/// The longest message body read, far above any plan (an editor syncs no file over 50 MB); a longer
/// one is skipped rather than held in memory at the sender's word.
pub(super) const MAX_MESSAGE_BYTES: u64 = 64 << 20;

/// The longest header line read: headers are a few dozen bytes.
const MAX_HEADER_LINE: usize = 4096;

/// The next message's body, `None` at the end of the input. Input that cannot be framed is skipped
/// (see the module comment), and `skipped` is told why each time; `limit` is the longest body read.
/// `Err` only when the input cannot be read, or ends inside a body.
pub(super) fn read_frame(
    input: &mut impl BufRead,
    limit: u64,
    skipped: &mut impl FnMut(String),
) -> Result<Option<Vec<u8>>, String> {
    let mut block = Headers::default();
    // A header line found by resynchronising, to read before the input's next line.
    let mut pending: Option<String> = None;
    loop {
        let line = match pending.take() {
            Some(line) => Line::Text(line),
            None => read_line(input).map_err(unreadable)?,
        };
        let text = match line {
            Line::End => return Ok(None),
            Line::Text(text) => text,
            Line::TooLong => {
                block = Headers::default();
                pending = resync(input, format!("a header line longer than {MAX_HEADER_LINE} bytes"), skipped)?;
                if pending.is_none() {
                    return Ok(None);
                }
                continue;
            }
        };
        if !text.is_empty() {
            block.add(&text);
            continue;
        }
        if block.lines == 0 {
            // Blank lines between messages are tolerated.
            continue;
        }
        let headers = std::mem::take(&mut block);
        if headers.junk > 0 && matches!(headers.length, Some(Ok(_))) {
            skipped(format!("{} bytes before a message's headers are not headers", headers.junk));
        }
        match headers.length {
            Some(Ok(length)) if length <= limit => return read_body(input, length).map(Some),
            Some(Ok(length)) => {
                skipped(format!("a message of {length} bytes is longer than the limit of {limit} bytes"));
                discard(input, length)?;
            }
            problem => {
                let why = problem
                    .and_then(Result::err)
                    .unwrap_or_else(|| "a message without a Content-Length header".to_string());
                pending = resync(input, why, skipped)?;
                if pending.is_none() {
                    return Ok(None);
                }
            }
        }
    }
}

/// One header block, as its lines are read.
#[derive(Default)]
struct Headers {
    /// Lines read, blank ones before the block excepted.
    lines: usize,
    /// The `Content-Length`, or what is wrong with it.
    length: Option<Result<u64, String>>,
    /// Bytes that are not headers, skipped.
    junk: usize,
}

impl Headers {
    /// Reads one line: a `Content-Length` (the last on the line, when a body without a line break
    /// comes before it; not the end of a longer name such as `X-Content-Length`), another header
    /// (ignored), or bytes that are not a header.
    fn add(&mut self, line: &str) {
        const NAME: &str = "content-length:";
        let in_name = |b: u8| b.is_ascii_alphanumeric() || b == b'-';
        self.lines += 1;
        // ASCII lowercasing keeps every byte where it was, so `at` indexes `line` too.
        let lower = line.to_ascii_lowercase();
        let found =
            lower.rmatch_indices(NAME).map(|(at, _)| at).find(|&at| at == 0 || !in_name(lower.as_bytes()[at - 1]));
        let Some(at) = found else {
            let name = line.split_once(':').map_or("", |(name, _)| name);
            if name.is_empty() || !name.bytes().all(in_name) {
                self.junk += line.len();
            }
            return;
        };
        self.junk += at;
        let value = line[at + NAME.len()..].trim_matches([' ', '\t']);
        let length = match value.parse::<u64>() {
            Ok(n) if value.bytes().all(|b| b.is_ascii_digit()) => Ok(n),
            _ => Err(format!("`Content-Length: {}` is not a length in bytes", shortened(value))),
        };
        self.length = match (self.length.take(), length) {
            (None, length) => Some(length),
            (Some(Ok(a)), Ok(b)) if a == b => Some(Ok(a)),
            (Some(Err(first)), _) => Some(Err(first)),
            _ => Some(Err("a message with two different Content-Length headers".to_string())),
        };
    }
}

/// A header's value as messages show it: at most 40 characters.
fn shortened(value: &str) -> String {
    match value.char_indices().nth(40) {
        Some((at, _)) => format!("{}…", &value[..at]),
        None => value.to_string(),
    }
}

/// A line of the header block.
enum Line {
    /// The end of the input, before any byte of a line.
    End,
    /// A line, without its line break (`\n` or `\r\n`).
    Text(String),
    /// A line longer than [`MAX_HEADER_LINE`]: its first bytes were discarded, the rest is unread.
    TooLong,
}

/// Reads a line of at most [`MAX_HEADER_LINE`] bytes; a longer one is not held in memory.
fn read_line(input: &mut impl BufRead) -> io::Result<Line> {
    let mut line = Vec::new();
    loop {
        let buffer = match input.fill_buf() {
            Ok(buffer) => buffer,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buffer.is_empty() {
            return Ok(if line.is_empty() { Line::End } else { Line::Text(text_of(&line)) });
        }
        let (take, ends) = match buffer.iter().position(|&b| b == b'\n') {
            Some(at) => (at + 1, true),
            None => (buffer.len(), false),
        };
        if line.len() + take > MAX_HEADER_LINE {
            let room = MAX_HEADER_LINE - line.len();
            input.consume(room.min(take));
            return Ok(Line::TooLong);
        }
        line.extend_from_slice(&buffer[..take]);
        input.consume(take);
        if ends {
            return Ok(Line::Text(text_of(&line)));
        }
    }
}

fn text_of(line: &[u8]) -> String {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    String::from_utf8_lossy(line).into_owned()
}

/// Skips input that cannot be framed up to the next `Content-Length:` (in any case), telling
/// `skipped` why and how much; returns the header line found there, `None` at the end of the input.
fn resync(input: &mut impl BufRead, why: String, skipped: &mut impl FnMut(String)) -> Result<Option<String>, String> {
    let mut why = why;
    loop {
        let (count, found) = skip_to_length(input).map_err(unreadable)?;
        if !found {
            skipped(format!("{why}; skipped the rest of the input ({count} bytes)"));
            return Ok(None);
        }
        skipped(format!("{why}; skipped {count} bytes, up to the next Content-Length header"));
        match read_line(input).map_err(unreadable)? {
            Line::End => return Ok(Some("Content-Length:".to_string())),
            Line::Text(rest) => return Ok(Some(format!("Content-Length:{rest}"))),
            Line::TooLong => why = format!("a header line longer than {MAX_HEADER_LINE} bytes"),
        }
    }
}

/// Discards bytes up to and including the next `Content-Length:` (ASCII case ignored), in the
/// reader's own buffer. Returns how many bytes came before it, and whether it was found.
fn skip_to_length(input: &mut impl BufRead) -> io::Result<(u64, bool)> {
    const NEEDLE: &[u8] = b"content-length:";
    let (mut matched, mut consumed) = (0usize, 0u64);
    loop {
        let buffer = match input.fill_buf() {
            Ok(buffer) => buffer,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buffer.is_empty() {
            return Ok((consumed, false));
        }
        let mut used = 0;
        let mut found = false;
        for &byte in buffer {
            used += 1;
            let byte = byte.to_ascii_lowercase();
            // `c` is nowhere else in the needle, so after a mismatch a match can only restart here.
            matched = if byte == NEEDLE[matched] { matched + 1 } else { usize::from(byte == NEEDLE[0]) };
            if matched == NEEDLE.len() {
                found = true;
                break;
            }
        }
        input.consume(used);
        consumed += used as u64;
        if found {
            return Ok((consumed - NEEDLE.len() as u64, true));
        }
    }
}

/// Reads a body of a known length, allocating as its bytes arrive: up front, at most 1 MiB (more
/// than most messages), never the declared length.
fn read_body(input: &mut impl BufRead, length: u64) -> Result<Vec<u8>, String> {
    let mut body = Vec::with_capacity(usize::try_from(length.min(1 << 20)).unwrap_or(0));
    input.take(length).read_to_end(&mut body).map_err(unreadable)?;
    if (body.len() as u64) < length {
        return Err(format!("the input ended inside a message ({} of {length} bytes)", body.len()));
    }
    Ok(body)
}

/// Discards a body of a known length, through a small buffer.
fn discard(input: &mut impl BufRead, length: u64) -> Result<(), String> {
    let copied = io::copy(&mut input.take(length), &mut io::sink()).map_err(unreadable)?;
    if copied < length {
        return Err(format!("the input ended inside a message ({copied} of {length} bytes)"));
    }
    Ok(())
}

fn unreadable(error: io::Error) -> String {
    format!("cannot read stdin: {error}")
}

#[cfg(test)]
mod tests {
    use super::{read_frame, MAX_HEADER_LINE};
    use std::io::BufReader;

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    const VALID: &str = r#"{"jsonrpc":"2.0","id":7,"method":"shutdown"}"#;

    /// What the framing makes of an input, in order (`body: …` and `skipped: …`), and how it ended;
    /// the same through a buffer of 1 byte, 7 bytes and 8 KiB (a header or `Content-Length:` split
    /// across reads must not matter).
    fn framed(input: &[u8], limit: u64) -> (Vec<String>, Result<(), String>) {
        let mut results = Vec::new();
        for capacity in [1, 7, 8192] {
            let mut reader = BufReader::with_capacity(capacity, input);
            let mut log = Vec::new();
            let ended = loop {
                let mut skipped = Vec::new();
                let next = read_frame(&mut reader, limit, &mut |why| skipped.push(why));
                log.extend(skipped.into_iter().map(|why| format!("skipped: {why}")));
                match next {
                    Ok(Some(body)) => log.push(format!("body: {}", String::from_utf8_lossy(&body))),
                    Ok(None) => break Ok(()),
                    Err(e) => break Err(e),
                }
            };
            results.push((log, ended));
        }
        assert!(results.windows(2).all(|w| w[0] == w[1]), "the buffer's size changed the framing: {results:#?}");
        results.remove(0)
    }

    fn body(text: &str) -> String {
        format!("body: {text}")
    }

    #[test]
    fn a_frame_without_a_usable_length_is_skipped_up_to_the_next_content_length() {
        // The bad frame's body runs straight into the next header, as editors write them.
        for (headers, why) in [
            ("Content-Type: x\r\n", "a message without a Content-Length header"),
            ("Content-Length: abc\r\n", "`Content-Length: abc` is not a length in bytes"),
            ("Content-Length: -5\r\n", "`Content-Length: -5` is not a length in bytes"),
            ("Content-Length: +5\r\n", "`Content-Length: +5` is not a length in bytes"),
            ("Content-Length:\r\n", "`Content-Length: ` is not a length in bytes"),
            (
                "Content-Length: 99999999999999999999999\r\n",
                "`Content-Length: 99999999999999999999999` is not a length in bytes",
            ),
            ("Content-Length: 2\r\ncontent-length: 3\r\n", "a message with two different Content-Length headers"),
            ("nonsense\r\n", "a message without a Content-Length header"),
        ] {
            let input = format!("{headers}\r\n{{\"id\": 1}}{}", frame(VALID));
            let (log, ended) = framed(input.as_bytes(), 1000);
            let skipped = format!("skipped: {why}; skipped 9 bytes, up to the next Content-Length header");
            assert_eq!(log, [skipped, body(VALID)], "{headers:?}");
            assert_eq!(ended, Ok(()));
        }
    }

    #[test]
    fn headers_are_read_as_the_protocol_writes_them_and_a_little_looser() {
        // Any case, spaces around the value, other headers, blank lines between messages, `\n` alone.
        let input = format!(
            "\r\n\r\ncontent-LENGTH:2 \r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{{}}\nContent-Length: 2\n\n[]{}",
            frame(VALID)
        );
        let (log, ended) = framed(input.as_bytes(), 1000);
        assert_eq!(log, [body("{}"), body("[]"), body(VALID)]);
        assert_eq!(ended, Ok(()));
        // The same length twice is one length; another header ending in the name is another header.
        let (log, _) = framed(b"Content-Length: 2\r\nContent-Length: 2\r\nX-Content-Length: 9\r\n\r\n{}", 1000);
        assert_eq!(log, [body("{}")]);
    }

    #[test]
    fn bytes_before_a_header_are_skipped_and_the_message_is_read() {
        // A message whose length said 10 bytes of its 14: its last 4 bytes run into the next header.
        let input = format!("Content-Length: 10\r\n\r\n{{\"id\": 1}}{{}} {}junk\r\n{}", frame("{}"), frame(VALID));
        let (log, ended) = framed(input.as_bytes(), 1000);
        assert_eq!(
            log,
            [
                body(r#"{"id": 1}{"#),
                "skipped: 2 bytes before a message's headers are not headers".to_string(),
                body("{}"),
                "skipped: 4 bytes before a message's headers are not headers".to_string(),
                body(VALID),
            ]
        );
        assert_eq!(ended, Ok(()));
    }

    #[test]
    fn a_message_over_the_limit_is_skipped_without_holding_it() {
        let big = format!("{{\"text\": \"{}\"}}", "x".repeat(100));
        let input = format!("{}{}", frame(&big), frame(VALID));
        let (log, ended) = framed(input.as_bytes(), 50);
        assert_eq!(
            log,
            ["skipped: a message of 112 bytes is longer than the limit of 50 bytes".to_string(), body(VALID)]
        );
        assert_eq!(ended, Ok(()));
        // A declared length is not allocated before its bytes arrive: a terabyte declared, two sent.
        let (log, ended) = framed(b"Content-Length: 1000000000000\r\n\r\n{}", u64::MAX);
        assert!(log.is_empty());
        assert_eq!(ended, Err("the input ended inside a message (2 of 1000000000000 bytes)".to_string()));
    }

    #[test]
    fn a_header_line_too_long_is_skipped_in_pieces() {
        let long = "X".repeat(100_000);
        let input = format!("{long}\r\n\r\n{{}}{}", frame(VALID));
        let (log, ended) = framed(input.as_bytes(), 1000);
        let rest = long.len() + 6 - MAX_HEADER_LINE;
        assert_eq!(
            log,
            [
                format!("skipped: a header line longer than 4096 bytes; skipped {rest} bytes, up to the next Content-Length header"),
                body(VALID)
            ]
        );
        assert_eq!(ended, Ok(()));
    }

    #[test]
    fn the_input_may_end_anywhere() {
        // While skipping, in a header block, and between messages: the end; inside a body: an error.
        let (log, ended) = framed(b"Content-Length: x\r\n\r\n{\"id\":", 1000);
        assert_eq!(
            log,
            ["skipped: `Content-Length: x` is not a length in bytes; skipped the rest of the input (6 bytes)"]
        );
        assert_eq!(ended, Ok(()));
        assert_eq!(framed(b"Content-Length: 2\r\nContent-Ty", 1000), (vec![], Ok(())));
        assert_eq!(framed(b"\r\n\r\n", 1000), (vec![], Ok(())));
        let (_, ended) = framed(b"Content-Length: 20\r\n\r\n{}", 1000);
        assert_eq!(ended, Err("the input ended inside a message (2 of 20 bytes)".to_string()));
    }
}
