//! The connection to the editor over stdin and stdout: `Content-Length` framing, JSON-RPC messages
//! (`lsp-server`'s types), and the server's own events, on threads and standard channels.
//!
//! `lsp-server` has a stdio transport, but its reader ends the server on the first message that is not
//! valid JSON, and its `IoThreads::join` waits until every clone of the sender is dropped, so `exit`
//! waited for every diagnostics pass still running. This one answers a malformed message with a
//! JSON-RPC error (`-32700` for invalid JSON, `-32600` for JSON that is not a message) and reads on,
//! and is never joined: when the main loop returns the process ends, running passes and all.

use super::discovery::Scan;
use crate::source::Workspace;
use lsp_server::Message;
use serde_json::{json, Value};
use std::io::{BufRead, Write};
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
    /// The editor closed the connection (`Ok`), or sent something that cannot be framed (`Err`).
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

    fn error(&self, id: Value, code: i32, message: String) {
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
        let ended = read_loop(&mut std::io::stdin().lock(), &reader_outbox, &reader_events);
        let _ = reader_events.send(Event::Closed(ended));
    });
    (outbox, events, receiver)
}

/// Reads messages until the input ends, `exit` arrives, or the framing breaks.
fn read_loop(input: &mut impl BufRead, outbox: &Outbox, events: &mpsc::Sender<Event>) -> Result<(), String> {
    while let Some(body) = read_frame(input)? {
        let value: Value = match serde_json::from_slice(&body) {
            Ok(value) => value,
            Err(error) => {
                outbox.error(Value::Null, -32700, format!("Parse error: the message is not JSON ({error})"));
                continue;
            }
        };
        let id = value.get("id").filter(|id| id.is_number() || id.is_string()).cloned().unwrap_or(Value::Null);
        let message: Message = match serde_json::from_value(value) {
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

/// One message's body, `None` at the end of the input. Headers other than `Content-Length` are
/// ignored; a frame without one cannot be skipped safely, so it ends the connection.
fn read_frame(input: &mut impl BufRead) -> Result<Option<Vec<u8>>, String> {
    let mut length = None;
    let mut headers = 0;
    let mut line = String::new();
    loop {
        line.clear();
        let read = input.read_line(&mut line).map_err(|e| format!("cannot read stdin: {e}"))?;
        if read == 0 {
            return Ok(None);
        }
        let header = line.trim_end_matches(['\r', '\n']);
        if header.is_empty() {
            match (length, headers) {
                (Some(_), _) => break,
                // Blank lines between messages are tolerated.
                (None, 0) => continue,
                (None, _) => return Err("a message without a Content-Length header".to_string()),
            }
        }
        headers += 1;
        if let Some((name, value)) = header.split_once(':') {
            if name.trim().eq_ignore_ascii_case("content-length") {
                length = Some(value.trim().parse::<usize>().map_err(|_| format!("malformed header: {header:?}"))?);
            }
        } else {
            return Err(format!("malformed header: {header:?}"));
        }
    }
    let mut body = vec![0; length.unwrap_or_default()];
    input.read_exact(&mut body).map_err(|e| format!("the input ended inside a message: {e}"))?;
    Ok(Some(body))
}

fn write_frame(out: &mut impl Write, text: &str) -> std::io::Result<()> {
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

    #[test]
    fn malformed_messages_are_answered_and_reading_goes_on() {
        let input = [
            frame("{not json"),
            frame(r#"{"jsonrpc": "2.0", "method": 5}"#),
            frame(r#"{"jsonrpc": "2.0", "method": "initialized", "params": {}}"#),
        ]
        .concat();
        let (out, outgoing) = mpsc::channel();
        let (events, received) = mpsc::channel();
        assert_eq!(read_loop(&mut input.as_bytes(), &Outbox(out), &events), Ok(()));
        let errors: Vec<String> = outgoing
            .try_iter()
            .map(|o| match o {
                Outgoing::Raw(v) => format!("{} {}", v["id"], v["error"]["code"]),
                Outgoing::Message(m) => format!("{m:?}"),
            })
            .collect();
        assert_eq!(errors, ["null -32700", "null -32600"]);
        let methods: Vec<String> = received
            .try_iter()
            .map(|e| match e {
                Event::Message(lsp_server::Message::Notification(n)) => n.method,
                _ => "other".to_string(),
            })
            .collect();
        assert_eq!(methods, ["initialized"]);
    }

    #[test]
    fn a_frame_without_a_length_ends_the_connection() {
        let (out, _outgoing) = mpsc::channel();
        let (events, _received) = mpsc::channel();
        let ended = read_loop(&mut "Content-Type: x\r\nnonsense\r\n\r\n".as_bytes(), &Outbox(out.clone()), &events);
        assert_eq!(ended, Err("malformed header: \"nonsense\"".to_string()));
        let ended = read_loop(&mut "\r\nContent-Type: x\r\n\r\n{}".as_bytes(), &Outbox(out), &events);
        assert_eq!(ended, Err("a message without a Content-Length header".to_string()));
    }
}
