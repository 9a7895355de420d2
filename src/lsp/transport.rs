//! The connection to the editor over stdin and stdout: `Content-Length` framing, JSON-RPC messages
//! (`lsp-server`'s types), and the server's own events, on threads and standard channels.
//!
//! `lsp-server` has a stdio transport, but its reader ends the server on the first message that is not
//! valid JSON, and its `IoThreads::join` waits until every clone of the sender is dropped, so `exit`
//! waited for every diagnostics pass still running. This one never stops reading because of what it
//! reads, and is never joined: when the main loop returns the process ends, running passes and all.
//!
//! Bad traffic is answered with a JSON-RPC error (and a line on stderr), and reading goes on:
//!
//! - input that cannot be read as a message is answered `-32700` (Parse error) under the id `null`:
//!   a body that is not JSON, and what `framing` skips (a frame without a usable `Content-Length`, up
//!   to the next one; a body over 64 MiB);
//! - JSON that is not a message is answered `-32600` (Invalid Request), including a request (a
//!   message with a `method` and an `id`) whose `id` is neither a string nor an integer in the
//!   protocol's 32-bit range. An id that is not a string or an integer (an object, a fraction,
//!   `null`) is answered under `null`, as JSON-RPC 2.0 says for an id that cannot be made out; an
//!   integer is echoed.
//!
//! Only the end of the input (or an error reading it) ends the reader.

use super::discovery::Scan;
use super::framing::{read_frame, MAX_MESSAGE_BYTES};
use crate::source::Workspace;
use lsp_server::Message;
use serde_json::{json, Value};
use std::io::{self, BufRead, Write};
use std::sync::mpsc;

/// What the main loop reacts to: the editor's messages, and what the server's own threads report.
pub(crate) enum Event {
    /// A message from the editor.
    Message(Message),
    /// A workspace folder was read on a scanning thread.
    Scanned {
        /// The workspace the files belong to.
        ws: Workspace,
        /// The files read, and what was left out.
        scan: Scan,
    },
    /// A diagnostics pass was cancelled by an input change (maybe of another workspace): the main
    /// loop starts another when it is still the workspace's latest.
    Cancelled {
        /// The workspace checked.
        ws: Workspace,
        /// The pass's number.
        pass: u64,
    },
    /// The editor closed the connection (`Ok`), or the input could not be read (`Err`).
    Closed(Result<(), String>),
}

/// What the writer thread writes.
enum Outgoing {
    Message(Message),
    /// A JSON-RPC error response built by hand: its `id` may be `null`, which `lsp-server` cannot say.
    Raw(Value),
}

/// The sending side of the connection, cloned into every worker.
#[derive(Clone)]
pub(crate) struct Outbox(mpsc::Sender<Outgoing>);

impl Outbox {
    /// Queues a message for the editor; a closed connection is not an error (the server is ending).
    pub(crate) fn send(&self, message: impl Into<Message>) {
        let _ = self.0.send(Outgoing::Message(message.into()));
    }

    /// Answers input that is not a message it can answer otherwise, and says so on stderr.
    fn error(&self, id: Value, code: i32, message: String) {
        eprintln!("compplan lsp: {message} (answered with error {code}; reading on)");
        let _ = self
            .0
            .send(Outgoing::Raw(json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}})));
    }
}

/// Starts the reader and writer threads on stdin and stdout. Returns the outbox, a sender of events
/// for the server's own threads, and the events to loop over.
pub(crate) fn stdio() -> (Outbox, mpsc::Sender<Event>, mpsc::Receiver<Event>) {
    let (out, outgoing) = mpsc::channel::<Outgoing>();
    let (events, receiver) = mpsc::channel::<Event>();
    std::thread::spawn(move || {
        for message in outgoing {
            let mut stdout = std::io::stdout().lock();
            let written = match message {
                Outgoing::Message(message) => message.write(&mut stdout),
                Outgoing::Raw(value) => write_frame(&mut stdout, &value.to_string()),
            };
            if written.is_err() {
                break;
            }
        }
    });
    let outbox = Outbox(out);
    let reader_outbox = outbox.clone();
    let reader_events = events.clone();
    std::thread::spawn(move || {
        // A bug in the reader ends the connection rather than leaving the main loop waiting forever.
        let ended = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            read_loop(&mut std::io::stdin().lock(), &reader_outbox, &reader_events)
        }))
        .unwrap_or_else(|_| Err("the reader of stdin failed with an internal error".to_string()));
        let _ = reader_events.send(Event::Closed(ended));
    });
    (outbox, events, receiver)
}

/// Reads messages until the input ends or `exit` arrives, answering what is not a message.
fn read_loop(input: &mut impl BufRead, outbox: &Outbox, events: &mpsc::Sender<Event>) -> Result<(), String> {
    let mut skipped = |why: String| outbox.error(Value::Null, -32700, format!("Parse error: {why}"));
    while let Some(body) = read_frame(input, MAX_MESSAGE_BYTES, &mut skipped)? {
        let value: Value = match serde_json::from_slice(&body) {
            Ok(value) => value,
            Err(error) => {
                outbox.error(Value::Null, -32700, format!("Parse error: the message is not JSON ({error})"));
                continue;
            }
        };
        if let Some((id, why)) = bad_request_id(&value) {
            outbox.error(id, -32600, format!("Invalid Request: {why}"));
            continue;
        }
        let id = value.get("id").map_or(Value::Null, echoed);
        let message = match message_of(value) {
            Ok(message) => message,
            Err(error) => {
                outbox.error(
                    id,
                    -32600,
                    format!("Invalid Request: not a JSON-RPC request, response or notification ({error})"),
                );
                continue;
            }
        };
        let exit = matches!(&message, Message::Notification(n) if n.method == "exit");
        if events.send(Event::Message(message)).is_err() || exit {
            break;
        }
    }
    Ok(())
}

/// A message as JSON-RPC tells them apart: with a `method`, a request when it has an `id` and a
/// notification otherwise; without one, a response. (`lsp-server`'s own untagged reading takes a
/// request whose `method` is not a string for a response, and leaves it unanswered.)
fn message_of(value: Value) -> Result<Message, serde_json::Error> {
    match (value.get("method").is_some(), value.get("id").is_some()) {
        (true, true) => serde_json::from_value(value).map(Message::Request),
        (true, false) => serde_json::from_value(value).map(Message::Notification),
        (false, _) => serde_json::from_value(value).map(Message::Response),
    }
}

/// A request (an object with a `method` and an `id`) whose id the protocol does not allow: the id to
/// answer under, and why. `lsp-server` would read it as a notification, and it would go unanswered.
fn bad_request_id(value: &Value) -> Option<(Value, String)> {
    let id = value.get("id").filter(|_| value.get("method").is_some())?;
    let why = match id {
        Value::String(_) => return None,
        Value::Number(n) => match n.as_i64() {
            Some(n) if i32::try_from(n).is_ok() => return None,
            Some(_) => "its id is an integer outside the protocol's range (32 bits)",
            None if n.is_u64() => "its id is an integer outside the protocol's range (32 bits)",
            None => "its id is a number that is not an integer",
        },
        Value::Null => "its id is null",
        Value::Bool(_) => "its id is a boolean",
        Value::Array(_) => "its id is an array",
        Value::Object(_) => "its id is an object",
    };
    Some((echoed(id), format!("{why}; a request's id is a string or an integer")))
}

/// The id an error answer repeats: the message's own when it is a string or an integer, else `null`.
fn echoed(id: &Value) -> Value {
    if id.is_string() || id.is_i64() || id.is_u64() {
        id.clone()
    } else {
        Value::Null
    }
}

fn write_frame(out: &mut impl Write, text: &str) -> io::Result<()> {
    write!(out, "Content-Length: {}\r\n\r\n{text}", text.len())?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::{read_loop, Event, Outbox, Outgoing};
    use std::sync::mpsc;

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    /// Runs the reader over an input: the errors it answered (`id code`), and the methods of the
    /// messages it passed on with their ids.
    fn read(input: &str) -> (Vec<String>, Vec<String>) {
        let (out, outgoing) = mpsc::channel();
        let (events, received) = mpsc::channel();
        assert_eq!(read_loop(&mut input.as_bytes(), &Outbox(out), &events), Ok(()));
        let errors = outgoing
            .try_iter()
            .map(|o| match o {
                Outgoing::Raw(v) => format!("{} {}", v["id"], v["error"]["code"]),
                Outgoing::Message(m) => format!("{m:?}"),
            })
            .collect();
        let passed = received
            .try_iter()
            .map(|e| match e {
                Event::Message(lsp_server::Message::Notification(n)) => n.method,
                Event::Message(lsp_server::Message::Request(r)) => format!("{} {}", r.method, r.id),
                _ => "other".to_string(),
            })
            .collect();
        (errors, passed)
    }

    #[test]
    fn malformed_messages_are_answered_and_reading_goes_on() {
        let input = [
            frame("{not json"),
            frame(r#"{"jsonrpc": "2.0", "method": 5}"#),
            frame(r#"{"jsonrpc": "2.0", "id": 3, "method": 5}"#),
            "Content-Length: -5\r\n\r\n{}".to_string(),
            frame(r#"{"jsonrpc": "2.0", "method": "initialized", "params": {}}"#),
        ]
        .concat();
        let (errors, passed) = read(&input);
        assert_eq!(errors, ["null -32700", "null -32600", "3 -32600", "null -32700"]);
        assert_eq!(passed, ["initialized"]);
    }

    #[test]
    fn a_request_whose_id_is_not_a_string_or_an_integer_is_invalid() {
        let request = |id: &str| frame(&format!(r#"{{"jsonrpc": "2.0", "id": {id}, "method": "textDocument/hover"}}"#));
        let ids =
            [r#"{"a": 1}"#, "1.5", "1.0", "null", "true", "[1]", "2147483648", "-2147483649", "2147483647", r#""x""#];
        let input: String = ids.iter().map(|id| request(id)).collect();
        let (errors, passed) = read(&input);
        assert_eq!(
            errors,
            [
                "null -32600",
                "null -32600",
                "null -32600",
                "null -32600",
                "null -32600",
                "null -32600",
                // An integer out of range is refused under its own id.
                "2147483648 -32600",
                "-2147483649 -32600"
            ]
        );
        assert_eq!(passed, ["textDocument/hover 2147483647", r#"textDocument/hover "x""#]);
    }
}
