//! The protocol's edges: leaving while a check runs, messages that are not JSON, line endings, and
//! formatting a file that cannot be formatted.

use super::Client;
use crate::support::{compplan, scratch};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

/// `exit`, or the editor closing the pipe, ends the server at once even while a check of a large
/// workspace runs (it used to wait for the check: 9 s on 2,000 plans).
#[test]
fn the_server_leaves_at_once_while_a_check_runs() {
    let dir = scratch("lsp-exit");
    let out = compplan(&["gen", "--out", &dir.display().to_string(), "--plans", "2000"]);
    assert_eq!(out.status.code(), Some(0), "{}", crate::support::stderr(&out));
    let plan = dir.join("plans/plan_0002.plan");
    let text = std::fs::read_to_string(&plan).expect("a generated plan");
    for by_exit in [true, false] {
        let mut client = Client::initialized(json!({"rootUri": format!("file://{}", dir.display())}));
        client.open(&format!("file://{}", plan.display()), &text);
        // The folder is read: the check of 2,002 plans starts, and takes seconds.
        let log = client.message("logMessage");
        assert_eq!(log["message"], format!("compplan: the workspace {} has 2002 plans", dir.join("plans").display()));
        let start = Instant::now();
        if by_exit {
            assert_eq!(client.request("shutdown", Value::Null), Value::Null);
            client.notify("exit", Value::Null);
        } else {
            client.close_stdin();
        }
        let status = client.exit_status(Duration::from_secs(3));
        assert!(status.success(), "{status}");
        eprintln!("left {:?} after {}", start.elapsed(), if by_exit { "exit" } else { "closing stdin" });
    }
}

/// A message that is not JSON is answered with a parse error (id `null`), and the server goes on.
#[test]
fn a_message_that_is_not_json_gets_a_parse_error() {
    let mut client = Client::initialized(json!({"rootUri": null}));
    client.send_raw(b"{not json");
    let error = client.wait_for("a parse error", |m| m.get("error").is_some());
    assert_eq!(error["id"], Value::Null);
    assert_eq!(error["error"]["code"], -32700);
    client.send_raw(br#"{"jsonrpc": "2.0", "method": 5}"#);
    let error = client.wait_for("an invalid request error", |m| m.get("error").is_some());
    assert_eq!(error["error"]["code"], -32600);
    assert_eq!(
        client.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": "untitled:none"}, "position": {"line": 0, "character": 0}})
        ),
        Value::Null
    );
    client.shut_down();
}

/// A document with old Mac line endings (a lone `\r`) has its lines, as the compiler counts them.
#[test]
fn a_lone_carriage_return_ends_a_line() {
    let mut client = Client::initialized(json!({"rootUri": null}));
    let text = "plan x \"X\" version 1 {\r  effective 2026-01-01 to 2026-12-31\r  currency USD\r  pay monthly\r  measure m = sum of deal.amount\r}\r";
    client.open("untitled:cr", text);
    let published = client.diagnostics_for("untitled:cr");
    let unknown = published["diagnostics"]
        .as_array()
        .expect("a list")
        .iter()
        .find(|d| d["code"] == "E0100")
        .cloned()
        .expect("`deal` is unknown here");
    assert_eq!(unknown["range"], json!({"start": {"line": 4, "character": 21}, "end": {"line": 4, "character": 25}}));
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": "untitled:cr"}, "position": {"line": 4, "character": 10}}),
    );
    assert_eq!(hover["range"], json!({"start": {"line": 4, "character": 10}, "end": {"line": 4, "character": 11}}));
    client.shut_down();
}

/// Formatting a file with syntax errors changes nothing and says why on screen.
#[test]
fn formatting_a_file_with_syntax_errors_says_so() {
    let mut client = Client::initialized(json!({"rootUri": null}));
    client.open("untitled:broken", "plan broken {\n  earn x = = 5\n");
    let edits = client.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": "untitled:broken"}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    assert_eq!(edits, json!([]));
    let shown = client.message("showMessage");
    assert_eq!(
        shown,
        json!({"type": 2, "message": "untitled:broken was not formatted: it has syntax errors (fix them first; they are listed as problems)"})
    );
    client.shut_down();
}

/// Just enough of a workspace, in one document, for a retroactive table on an attainment.
const BAND_PRELUDE: &str = "schema reps { id: text key }\nschema deals { id: text key; owner: ref reps; amount: money USD; closed: date }\nschema quotas { rep: ref reps; year: year; amount: money USD }\ncredit { deal to deal.owner on deal.closed }\n";
const BAND_TABLE: &str = "  quota q = quotas.amount split evenly by month\n  measure b = sum of credit.amount\n  attainment att = b ytd / q ytd\n  earn e = t of b ytd\n  table t retroactive on att {\n    from 0% to 100% : 5%\n    100% and above : ";

/// The issue's hostile documents, opened in the server one after another: 10,000 broken lines
/// (a backtracking recovery grew the process to 24 GB), deep parentheses, a long chain and a long
/// run of `not` (stack overflows that aborted the process), and a band rate whose cliff note
/// overflowed (a panic that killed the worker). Each gets its diagnostics, a hover is answered,
/// and the server shuts down cleanly.
#[test]
fn hostile_documents_get_their_diagnostics_and_the_server_survives() {
    let header = "plan p version 1 {\n  effective 2026-01-01 to 2026-12-31\n  currency USD\n  pay monthly\n";
    let documents = [
        (format!("{header}{}}}\n", "  table {{\n".repeat(10_000)), "E0001"),
        (format!("{header}  eligible when {}true{}\n}}\n", "(".repeat(400), ")".repeat(400)), "E0008"),
        (format!("{header}  earn e = {}\n}}\n", vec!["1 USD"; 9_000].join(" + ")), ""),
        (format!("{header}  eligible when {}true\n}}\n", "not ".repeat(9_000)), "E0008"),
        (format!("{}{header}{}1{}%\n  }}\n}}\n", BAND_PRELUDE, BAND_TABLE, "0".repeat(26)), "E0801"),
    ];
    let mut client = Client::initialized(json!({}));
    for (i, (text, expected)) in documents.iter().enumerate() {
        let uri = format!("untitled:Hostile-{i}");
        client.open(&uri, text);
        let published = client.diagnostics_for(&uri);
        let codes: Vec<&str> =
            published["diagnostics"].as_array().expect("a list").iter().filter_map(|d| d["code"].as_str()).collect();
        assert!(codes.iter().all(|c| *c != "E0009"), "document {i}: within the parser's limits");
        if expected.is_empty() {
            assert!(codes.iter().all(|c| !c.starts_with("E000")), "document {i}: {codes:?}");
        } else {
            assert!(codes.contains(expected), "document {i}: {expected} in {:?}", &codes[..codes.len().min(5)]);
        }
        let hover = json!({"textDocument": {"uri": uri}, "position": {"line": 4, "character": 20}});
        let _ = client.request("textDocument/hover", hover);
    }
    client.shut_down();
}
