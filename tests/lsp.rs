//! `compplan lsp` end to end: the binary is started as a process and spoken to in JSON-RPC, as an
//! editor would; and, when Neovim is installed, a headless Neovim session against it.
//!
//! Every wait has a deadline and the child is killed when a test fails, so a broken server fails
//! the test instead of hanging CI.

mod faults;
mod protocol;
mod workspaces;

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const DEADLINE: Duration = Duration::from_secs(20);

/// A language client over the server's stdin and stdout.
struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    messages: Receiver<Value>,
    /// Messages received while waiting for another, in order, for later waits.
    backlog: Vec<Value>,
    next_id: i64,
    /// The lines the server wrote on stderr so far (also printed, so a failing test shows them).
    log: Arc<Mutex<Vec<String>>>,
}

impl Client {
    fn start() -> Client {
        Client::start_with(&[])
    }

    /// A server started with these environment variables.
    fn start_with(env: &[(&str, &str)]) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_compplan"))
            .arg("lsp")
            .envs(env.iter().copied())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the server starts");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let stderr = child.stderr.take().expect("stderr");
        let log: Arc<Mutex<Vec<String>>> = Arc::default();
        let lines = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                eprintln!("{line}");
                lines.lock().expect("the log").push(line);
            }
        });
        let (tx, messages) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_message(&mut reader) {
                if tx.send(message).is_err() {
                    break;
                }
            }
        });
        Client { child, stdin: Some(stdin), messages, backlog: Vec::new(), next_id: 1, log }
    }

    /// A started server, initialized with these parameters (`processId` and `capabilities` added).
    fn initialized(mut params: Value) -> Client {
        let mut client = Client::start();
        params["processId"] = Value::Null;
        if params.get("capabilities").is_none() {
            params["capabilities"] = json!({});
        }
        client.request("initialize", params);
        client.notify("initialized", json!({}));
        client
    }

    fn send(&mut self, message: Value) {
        self.send_raw(message.to_string().as_bytes());
    }

    /// Sends a body as one framed message, whatever it holds.
    fn send_raw(&mut self, body: &[u8]) {
        self.send_bytes(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes());
        self.send_bytes(body);
    }

    /// Sends bytes as they are, framed or not.
    fn send_bytes(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin is open");
        stdin.write_all(bytes).expect("the server reads");
        stdin.flush().expect("flush");
    }

    /// Closes the server's input, as an editor that goes away does.
    fn close_stdin(&mut self) {
        self.stdin = None;
    }

    /// Waits for the server to end, failing after `within`.
    fn exit_status(&mut self, within: Duration) -> ExitStatus {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status;
            }
            assert!(start.elapsed() < within, "the server did not exit within {within:?}");
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and waits for its response's result.
    fn request(&mut self, method: &str, params: Value) -> Value {
        let response = self.call(method, params);
        assert!(response.get("error").is_none(), "{method} failed: {response}");
        response["result"].clone()
    }

    /// Sends a request and waits for its whole response, a result or an error.
    fn call(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.wait_for(&format!("the response to {method}"), |m| m["id"] == json!(id) && m.get("method").is_none())
    }

    /// The next message that satisfies `wanted` (received earlier and kept, or arriving), keeping
    /// the others for later waits; fails after the deadline.
    fn wait_for(&mut self, what: &str, wanted: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.backlog.iter().position(&wanted) {
            return self.backlog.remove(i);
        }
        let start = Instant::now();
        loop {
            let left = DEADLINE.checked_sub(start.elapsed()).unwrap_or_default();
            match self.messages.recv_timeout(left) {
                Ok(message) if wanted(&message) => return message,
                Ok(message) => self.backlog.push(message),
                Err(_) => panic!("no {what} within {DEADLINE:?}; received meanwhile: {:?}", self.backlog),
            }
        }
    }

    /// Waits until the server has written a line on stderr that contains `text`; returns it.
    fn logged(&self, text: &str) -> String {
        let start = Instant::now();
        loop {
            let lines = self.log.lock().expect("the log").clone();
            if let Some(line) = lines.into_iter().find(|l| l.contains(text)) {
                return line;
            }
            assert!(start.elapsed() < DEADLINE, "the server did not log {text:?} within {DEADLINE:?}");
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// The next diagnostics published for a URI.
    fn diagnostics_for(&mut self, uri: &str) -> Value {
        self.wait_for(&format!("diagnostics for {uri}"), |m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        })["params"]
            .clone()
    }

    /// The diagnostics published for a version of a document (earlier versions' are skipped).
    fn diagnostics_for_version(&mut self, uri: &str, version: i64) -> Value {
        self.wait_for(&format!("diagnostics for version {version} of {uri}"), |m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["version"] == version
        })["params"]
            .clone()
    }

    /// The next message the server shows or logs (`window/showMessage`, `window/logMessage`).
    fn message(&mut self, method: &str) -> Value {
        let method = format!("window/{method}");
        self.wait_for(&method.clone(), |m| m["method"] == method.as_str())["params"].clone()
    }

    fn open(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "compplan", "version": 1, "text": text}}),
        );
    }

    /// Shuts the server down as an editor does, and checks that it exits at once, successfully.
    fn shut_down(&mut self) {
        assert_eq!(self.request("shutdown", Value::Null), Value::Null);
        self.notify("exit", Value::Null);
        assert!(self.exit_status(Duration::from_secs(5)).success(), "the server exits cleanly after shutdown and exit");
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(n) = line.strip_prefix("Content-Length: ") {
            length = n.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

/// A copy of the example plans in a scratch folder, and the URI of that folder.
fn example_workspace(name: &str) -> (crate::support::Scratch, String) {
    let dir = crate::support::scratch(name);
    copy_examples(&dir);
    let uri = format!("file://{}", dir.display());
    (dir, uri)
}

/// Copies the example plans into `dir/plans`; returns how many there are.
fn copy_examples(dir: &std::path::Path) -> usize {
    std::fs::create_dir_all(dir.join("plans")).expect("plans folder");
    let sources = crate::support::plan_sources(&crate::support::root().join("plans"), crate::support::root());
    for (path, text) in &sources {
        std::fs::write(dir.join(path), text).expect("copy");
    }
    sources.len()
}

/// The UTF-16 position of the first occurrence of `needle` (plus `after` bytes) in a text.
fn position(text: &str, needle: &str, after: usize) -> Value {
    let at = text.find(needle).expect("the needle is in the text") + after;
    let line = text[..at].matches('\n').count();
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    json!({"line": line, "character": text[line_start..at].encode_utf16().count()})
}

#[test]
fn a_client_gets_diagnostics_hover_definition_completion_symbols_and_formatting() {
    let (dir, root) = example_workspace("lsp-e2e");
    let uri = format!("{root}/plans/enterprise_ae.plan");
    let original = std::fs::read_to_string(dir.join("plans/enterprise_ae.plan")).expect("the AE plan");
    // A misspelt column, after non-ASCII text on the same line: its range must count 😀 as two
    // UTF-16 units and `ö`, `ß` as one.
    let broken = original
        .replace("eligible when rep.role is \"AE\"", "eligible when rep.role is \"Größe 😀\" or rep.regoin is \"AE\"");
    assert_ne!(broken, original);

    let mut client = Client::start();
    let init = client.request("initialize", json!({"processId": null, "rootUri": root, "capabilities": {}}));
    assert_eq!(init["capabilities"]["hoverProvider"], true, "{init}");
    assert_eq!(init["serverInfo"]["name"], "compplan");
    client.notify("initialized", json!({}));

    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "compplan", "version": 1, "text": broken}}),
    );
    let published = client.diagnostics_for(&uri);
    let diagnostics = published["diagnostics"].as_array().expect("a list");
    assert_eq!(diagnostics.len(), 1, "{published}");
    let d = &diagnostics[0];
    assert_eq!(d["code"], "E0102");
    assert_eq!(d["source"], "compplan");
    assert_eq!(d["severity"], 1);
    assert_eq!(d["message"], "`reps` has no column `regoin`\nhelp: did you mean `rep.region`?");
    let start = position(&broken, "regoin", 0);
    let end = position(&broken, "regoin", "regoin".len());
    assert_eq!(d["range"], json!({"start": start, "end": end}));
    assert_eq!(published["version"], 1);

    // The fix, sent as an incremental edit of exactly that range.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"range": {"start": start, "end": end}, "text": "region"}]}),
    );
    let published = client.diagnostics_for(&uri);
    assert_eq!(published["diagnostics"], json!([]), "{published}");
    assert_eq!(published["version"], 2);
    let fixed = broken.replace("regoin", "region");

    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": position(&fixed, "bookings ytd /", 2)}),
    );
    assert_eq!(hover["contents"]["kind"], "markdown");
    let text = hover["contents"]["value"].as_str().expect("markdown");
    assert!(text.starts_with("```compplan\nmeasure bookings: money (USD)\n```"), "{text}");

    let table = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": position(&fixed, "base_rate of", 1)}),
    );
    let text = table["contents"]["value"].as_str().expect("markdown");
    assert!(text.contains("| 150% | and above | 12% |"), "{text}");

    let definition = client.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": uri}, "position": position(&fixed, "rep.region", 5)}),
    );
    let schema = std::fs::read_to_string(dir.join("plans/schema.plan")).expect("schema");
    assert_eq!(
        definition,
        json!([{"uri": format!("{root}/plans/schema.plan"), "range": {"start": position(&schema, "region: text", 0), "end": position(&schema, "region: text", 6)}}])
    );

    // The credit row: what it is, and the block that makes it.
    let credit = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": position(&fixed, "credit.amount", 2)}),
    );
    let text = credit["contents"]["value"].as_str().expect("markdown");
    assert!(text.starts_with("```compplan\ncredit: a credit row\n```"), "{text}");
    assert!(text.contains("- `credit.amount`: money (USD)."), "{text}");
    let definition = client.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": uri}, "position": position(&fixed, "credit.amount", 2)}),
    );
    let crediting = std::fs::read_to_string(dir.join("plans/crediting.plan")).expect("crediting");
    let block = json!({"start": position(&crediting, "credit {", 0), "end": position(&crediting, "credit {", 6)});
    assert_eq!(definition, json!([{"uri": format!("{root}/plans/crediting.plan"), "range": block}]));

    let completion = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": position(&fixed, "deal.kind", 5)}),
    );
    let labels: Vec<&str> = completion.as_array().expect("items").iter().filter_map(|i| i["label"].as_str()).collect();
    assert_eq!(
        labels,
        ["id", "owner", "amount", "currency", "closed", "product", "region", "kind", "new_logo", "cancelled", "paid"]
    );

    let symbols = client.request("textDocument/documentSymbol", json!({"textDocument": {"uri": uri}}));
    assert_eq!(symbols[0]["name"], "enterprise_ae");
    let children: Vec<&str> =
        symbols[0]["children"].as_array().expect("children").iter().filter_map(|c| c["name"].as_str()).collect();
    assert_eq!(
        children,
        [
            "bookings_quota",
            "bookings",
            "att",
            "base_rate",
            "commission",
            "quarter_bonus",
            "new_logo",
            "draw",
            "worked example: Alice in March",
            "worked example: Bob's draw and its recovery",
            "worked example: Alice's negative true-up is deferred",
            "one deal at exactly 100% in January",
        ]
    );

    // An edit that breaks the file again is reported within one cycle.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 3}, "contentChanges": [{"range": {"start": position(&fixed, "bookings ytd /", 0), "end": position(&fixed, "bookings ytd /", 8)}, "text": "bookngs"}]}),
    );
    let published = client.diagnostics_for(&uri);
    assert_eq!(published["diagnostics"][0]["code"], "E0100", "{published}");
    assert_eq!(published["version"], 3);

    // Formatting: the whole text replaced (a change without a range), laid out badly, then one edit
    // back to the canonical text, which `compplan fmt` would write.
    let messy = fixed.replace("  currency USD\n", "currency     USD\n");
    assert_ne!(messy, fixed);
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 4}, "contentChanges": [{"text": messy}]}),
    );
    let published = client.diagnostics_for(&uri);
    assert_eq!(published["diagnostics"], json!([]), "{published}");
    let edits = client.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": uri}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    let end = position(&messy, "", messy.len());
    assert_eq!(edits, json!([{"range": {"start": {"line": 0, "character": 0}, "end": end}, "newText": fixed}]));
    assert_eq!(compplan::fmt::format_text(&fixed).as_deref(), Some(fixed.as_str()), "the same text as `compplan fmt`");

    client.shut_down();
}

/// Neovim's built-in client against the server, when `nvim` is installed (CI installs Debian's).
#[test]
fn a_headless_neovim_session() {
    let Ok(version) = Command::new("nvim").arg("--version").output() else {
        eprintln!("SKIPPED a_headless_neovim_session: `nvim` is not installed (apt-get install neovim)");
        return;
    };
    eprintln!("neovim: {}", String::from_utf8_lossy(&version.stdout).lines().next().unwrap_or_default());
    let (dir, _) = example_workspace("lsp-nvim");
    let path = dir.join("plans/enterprise_ae.plan");
    let text = std::fs::read_to_string(&path).expect("the AE plan");
    let broken = text
        .replace("eligible when rep.role is \"AE\"", "eligible when rep.role is \"Größe 😀\" or rep.regoin is \"AE\"");
    std::fs::write(&path, &broken).expect("write");
    let result = dir.join("result.txt");
    let mut child = Command::new("nvim")
        .args(["--headless", "-u", "NONE", "-i", "NONE", "-n", "-c"])
        .arg(format!("luafile {}", crate::support::root().join("tests/lsp/neovim.lua").display()))
        .env("COMPPLAN_BIN", env!("CARGO_BIN_EXE_compplan"))
        .env("PLANS_ROOT", dir.display().to_string())
        .env("PLAN_FILE", path.display().to_string())
        .env("RESULT_FILE", result.display().to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("nvim starts");
    let start = Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if start.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("nvim did not finish within 60 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let seen = std::fs::read_to_string(&result).expect("the session wrote its results");
    let line = broken.lines().position(|l| l.contains("regoin")).expect("the line");
    let column = broken.lines().nth(line).and_then(|l| l.find("regoin")).expect("the column");
    // Neovim converts the server's UTF-16 column back to bytes: they agree only if the server counted
    // `ö`, `ß` and `😀` right.
    let expected = [
        format!("diagnostic {line}:{column} `reps` has no column `regoin`"),
        "hover ```compplan | measure bookings: money (USD) | ```".to_string(),
        "diagnostics after the fix 0".to_string(),
    ];
    assert_eq!(seen.lines().collect::<Vec<_>>(), expected);
}
