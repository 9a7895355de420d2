//! Requests, each answered on a worker thread with a snapshot of the database.

use super::convert::{self, Uris};
use super::panics::{self, Outcome};
use super::transport::Outbox;
use super::Server;
use crate::analysis;
use crate::source::{SourceFile, Workspace};
use crate::CompDb;
use lsp_server::{ErrorCode, Notification, Request, Response};
use lsp_types as lt;
use serde::de::DeserializeOwned;
use serde::Serialize;

/// What a request handler gets: a snapshot, the files' URIs, the document asked about, and the way
/// to the editor (for a message besides the answer).
struct Cx<'a> {
    db: &'a CompDb,
    uris: &'a Uris,
    file: SourceFile,
    ws: Workspace,
    outbox: &'a Outbox,
}

/// Answers a request: known methods run on a worker, others are refused.
pub(super) fn dispatch(server: &Server, request: Request) {
    match request.method.as_str() {
        "textDocument/hover" => {
            on::<lt::HoverParams, _>(server, request, |p| &p.text_document_position_params.text_document.uri, hover)
        }
        "textDocument/definition" => on::<lt::GotoDefinitionParams, _>(
            server,
            request,
            |p| &p.text_document_position_params.text_document.uri,
            definition,
        ),
        "textDocument/references" => {
            on::<lt::ReferenceParams, _>(server, request, |p| &p.text_document_position.text_document.uri, references)
        }
        "textDocument/completion" => {
            on::<lt::CompletionParams, _>(server, request, |p| &p.text_document_position.text_document.uri, completion)
        }
        "textDocument/documentSymbol" => {
            on::<lt::DocumentSymbolParams, _>(server, request, |p| &p.text_document.uri, symbols)
        }
        "textDocument/formatting" => {
            on::<lt::DocumentFormattingParams, _>(server, request, |p| &p.text_document.uri, formatting)
        }
        _ => server.respond(Response::new_err(
            request.id,
            ErrorCode::MethodNotFound as i32,
            format!("compplan does not handle `{}`", request.method),
        )),
    }
}

/// Runs `handler` on a worker with a snapshot. A cancelled snapshot (an edit arrived) is answered
/// `ContentModified`; a document the server does not know, `null`; a handler that panics (a bug),
/// `InternalError`, and the server goes on.
fn on<P, R>(server: &Server, request: Request, uri: fn(&P) -> &lt::Uri, handler: fn(&Cx<'_>, P) -> R)
where
    P: DeserializeOwned + Send + 'static,
    R: Serialize + 'static,
{
    let (id, method) = (request.id.clone(), request.method.clone());
    let params: P = match serde_json::from_value(request.params) {
        Ok(params) => params,
        Err(error) => return server.respond(Response::new_err(id, ErrorCode::InvalidParams as i32, error.to_string())),
    };
    let Some(doc) = server.documents.get(uri(&params).as_str()) else {
        return server.respond(Response::new_ok(id, serde_json::Value::Null));
    };
    let (file, ws) = (doc.file, doc.ws);
    let snapshot = server.documents.db.clone();
    let uris = server.uris.clone();
    let outbox = server.outbox.clone();
    std::thread::spawn(move || {
        let doing = || format!("answering {method} (request {id})");
        let outcome = panics::guarded(doing, || {
            panics::provoke(&snapshot, &[file]);
            let cx = Cx { db: &snapshot, uris: &uris, file, ws, outbox: &outbox };
            serde_json::to_value(handler(&cx, params)).unwrap_or(serde_json::Value::Null)
        });
        let response = match outcome {
            Outcome::Done(result) => Response::new_ok(id, result),
            Outcome::Cancelled => {
                Response::new_err(id, ErrorCode::ContentModified as i32, "the document changed; ask again".to_string())
            }
            Outcome::Panicked(message) => Response::new_err(
                id,
                ErrorCode::InternalError as i32,
                format!("compplan failed to answer this request: {message} (a bug in compplan; the server goes on)"),
            ),
        };
        // Dropped before sending: an edit never waits on the editor reading our output.
        drop(snapshot);
        outbox.send(response);
    });
}

fn hover(cx: &Cx<'_>, params: lt::HoverParams) -> Option<lt::Hover> {
    let offset = convert::offset(cx.db, cx.file, params.text_document_position_params.position);
    let hover = analysis::hover(cx.db, cx.ws, cx.file, offset)?;
    Some(lt::Hover {
        contents: lt::HoverContents::Markup(lt::MarkupContent {
            kind: lt::MarkupKind::Markdown,
            value: hover.markdown,
        }),
        range: Some(convert::range(cx.db, cx.file, hover.span)),
    })
}

fn definition(cx: &Cx<'_>, params: lt::GotoDefinitionParams) -> Option<lt::GotoDefinitionResponse> {
    let offset = convert::offset(cx.db, cx.file, params.text_document_position_params.position);
    let found: Vec<lt::Location> = analysis::definition(cx.db, cx.ws, cx.file, offset)
        .into_iter()
        .filter_map(|at| convert::location(cx.db, cx.uris, at))
        .collect();
    (!found.is_empty()).then_some(lt::GotoDefinitionResponse::Array(found))
}

fn references(cx: &Cx<'_>, params: lt::ReferenceParams) -> Vec<lt::Location> {
    let offset = convert::offset(cx.db, cx.file, params.text_document_position.position);
    analysis::references(cx.db, cx.ws, cx.file, offset, params.context.include_declaration)
        .into_iter()
        .filter_map(|at| convert::location(cx.db, cx.uris, at))
        .collect()
}

fn completion(cx: &Cx<'_>, params: lt::CompletionParams) -> lt::CompletionResponse {
    let offset = convert::offset(cx.db, cx.file, params.text_document_position.position);
    lt::CompletionResponse::Array(
        analysis::completions(cx.db, cx.ws, cx.file, offset).into_iter().map(convert::completion).collect(),
    )
}

fn symbols(cx: &Cx<'_>, _params: lt::DocumentSymbolParams) -> lt::DocumentSymbolResponse {
    lt::DocumentSymbolResponse::Nested(
        analysis::document_symbols(cx.db, cx.file).into_iter().map(|s| convert::symbol(cx.db, cx.file, s)).collect(),
    )
}

/// One edit that replaces the whole document with its canonical layout; none when it is already
/// formatted, or has syntax errors, which the editor is told on screen rather than left to wonder
/// (the editor's options are ignored: the layout is canonical).
fn formatting(cx: &Cx<'_>, _params: lt::DocumentFormattingParams) -> Vec<lt::TextEdit> {
    match analysis::format(cx.db, cx.file) {
        analysis::Formatting::Edit { span, text } => {
            vec![lt::TextEdit { range: convert::range(cx.db, cx.file, span), new_text: text }]
        }
        analysis::Formatting::Unchanged => Vec::new(),
        analysis::Formatting::SyntaxErrors => {
            let message = format!(
                "{} was not formatted: it has syntax errors (fix them first; they are listed as problems)",
                cx.file.path(cx.db)
            );
            let params = lt::ShowMessageParams { typ: lt::MessageType::WARNING, message };
            cx.outbox.send(Notification::new("window/showMessage".to_string(), params));
            Vec::new()
        }
    }
}
