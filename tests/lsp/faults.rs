//! Bad traffic and failures the server survives: frames without a usable `Content-Length`, a
//! message over the size limit, requests with ids the protocol does not allow, and a panic in a
//! request or a diagnostics pass. After each, the server answers the next request.

use super::Client;
use serde_json::{json, Value};

/// A hover on a document the server does not know: answered `null`, which proves it still reads.
fn still_answers(client: &mut Client) {
    let hover = json!({"textDocument": {"uri": "untitled:none"}, "position": {"line": 0, "character": 0}});
    assert_eq!(client.request("textDocument/hover", hover), Value::Null);
}

/// The next error answered under the id `null`.
fn null_id_error(client: &mut Client, what: &str) -> Value {
    let error = client.wait_for(what, |m| m.get("error").is_some() && m["id"].is_null());
    error["error"].clone()
}

#[test]
fn a_frame_without_a_usable_length_is_answered_and_the_next_request_is() {
    let mut client = Client::initialized(json!({"rootUri": null}));
    // Each body runs straight into the next message's header, as editors write them.
    for (headers, why) in [
        ("Content-Type: application/vscode-jsonrpc\r\n", "a message without a Content-Length header"),
        ("Content-Length: twelve\r\n", "`Content-Length: twelve` is not a length in bytes"),
        ("Content-Length: -12\r\n", "`Content-Length: -12` is not a length in bytes"),
    ] {
        let body = r#"{"jsonrpc":"2.0","id":999,"method":"shutdown"}"#;
        client.send_bytes(format!("{headers}\r\n{body}").as_bytes());
        still_answers(&mut client);
        let error = null_id_error(&mut client, why);
        assert_eq!(error["code"], -32700, "{error}");
        let message = error["message"].as_str().expect("a message");
        assert_eq!(message, format!("Parse error: {why}; skipped 46 bytes, up to the next Content-Length header"));
        client.logged(&format!("compplan lsp: {message} (answered with error -32700; reading on)"));
    }
    // The skipped body was never read as a request: the server did not shut down.
    assert!(client.backlog.iter().all(|m| m["id"] != 999), "{:?}", client.backlog);
    client.shut_down();
}

#[test]
fn a_message_over_the_limit_is_skipped_and_the_next_request_is_answered() {
    let mut client = Client::initialized(json!({"rootUri": null}));
    // One byte over the limit of 64 MiB (`MAX_MESSAGE_BYTES` in src/lsp/framing.rs): discarded as
    // it arrives, never held.
    let limit = 64usize << 20;
    client.send_raw(&vec![b' '; limit + 1]);
    still_answers(&mut client);
    let error = null_id_error(&mut client, "the message over the limit");
    assert_eq!(error["code"], -32700);
    assert_eq!(error["message"], "Parse error: a message of 67108865 bytes is longer than the limit of 67108864 bytes");
    client.shut_down();
}

#[test]
fn a_request_whose_id_is_an_object_or_a_fraction_is_an_invalid_request() {
    let mut client = Client::initialized(json!({"rootUri": null}));
    for (id, kind) in [(json!({"n": 1}), "an object"), (json!(2.5), "a number that is not an integer")] {
        client.send(json!({"jsonrpc": "2.0", "id": id, "method": "textDocument/hover", "params": {}}));
        let error = null_id_error(&mut client, &format!("Invalid Request for an id that is {kind}"));
        assert_eq!(error["code"], -32600, "{error}");
        assert_eq!(
            error["message"],
            format!("Invalid Request: its id is {kind}; a request's id is a string or an integer"),
        );
        still_answers(&mut client);
    }
    client.shut_down();
}

/// The test hook of debug builds (`COMPPLAN_LSP_TEST_PANIC`, src/lsp/panics.rs) makes checking a
/// document that holds the marker panic, as a bug in the checker would: the request is answered with
/// an internal error, the document shows one error that says so, and the next edit is checked. A
/// release build has no hook: the same document is checked as any other.
#[test]
fn a_panic_is_an_internal_error_and_the_next_edit_still_gets_diagnostics() {
    let marker = "provoke a panic here";
    let mut client = Client::start_with(&[("COMPPLAN_LSP_TEST_PANIC", marker)]);
    client.request("initialize", json!({"processId": null, "rootUri": null, "capabilities": {}}));
    client.notify("initialized", json!({}));
    let uri = "untitled:panics";
    let text = format!(
        "plan x \"X\" version 1 {{\n  // {marker}\n  effective 2026-01-01 to 2026-12-31\n  currency USD\n  pay monthly\n  measure m = sum of deal.amount\n}}\n"
    );
    client.open(uri, &text);
    let hover = json!({"textDocument": {"uri": uri}, "position": {"line": 5, "character": 10}});
    let published = client.diagnostics_for_version(uri, 1);
    let answer = client.call("textDocument/hover", hover.clone());
    let codes = |published: &Value| -> Vec<String> {
        let list = published["diagnostics"].as_array().expect("a list");
        list.iter().map(|d| d["code"].as_str().unwrap_or("none").to_string()).collect()
    };
    if cfg!(debug_assertions) {
        let expected = format!(
            "compplan could not check this workspace: it failed with an internal error \
             (COMPPLAN_LSP_TEST_PANIC: untitled:panics contains \"{marker}\"). This is a bug in compplan, not a \
             problem in your plans; the language server's log has the details, and the next edit checks again."
        );
        assert_eq!(
            published["diagnostics"],
            json!([{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "severity": 1, "source": "compplan", "message": expected}])
        );
        assert_eq!(answer["error"]["code"], -32603, "{answer}");
        let message = answer["error"]["message"].as_str().expect("a message");
        assert!(message.starts_with("compplan failed to answer this request: COMPPLAN_LSP_TEST_PANIC"), "{message}");
        // Both failures are in the server's log, with what was being done.
        client.logged(
            "compplan lsp: internal error while checking a workspace (diagnostics pass 1): COMPPLAN_LSP_TEST_PANIC",
        );
        client.logged(
            "compplan lsp: internal error while answering textDocument/hover (request 2): COMPPLAN_LSP_TEST_PANIC",
        );
    } else {
        assert_eq!(codes(&published), ["E0105", "W0600", "E0100"], "{published}");
        assert!(answer.get("error").is_none(), "{answer}");
    }
    // The marker edited away: the checker's own diagnostics, and hover answers.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": text.replace(marker, "fine")}]}),
    );
    let published = client.diagnostics_for_version(uri, 2);
    assert_eq!(codes(&published), ["E0105", "W0600", "E0100"], "{published}");
    let answer = client.request("textDocument/hover", hover);
    assert_eq!(answer["contents"]["value"], "```compplan\nmeasure m: unknown\n```");
    client.shut_down();
}
