//! Which files make a document's workspace, and that every opened or edited document gets its
//! diagnostics whatever order the checks of several workspaces finish in.

use super::{copy_examples, Client};
use crate::support::scratch;
use serde_json::{json, Value};
use std::path::Path;

/// A plan with one error: it measures credit, and its folder has no crediting rules (E0105).
const LOOSE: &str = "plan loose \"Loose\" version 1 {\n  effective 2026-01-01 to 2026-12-31\n  currency USD\n  pay monthly\n  measure m = sum of credit.amount\n  earn e = 2% of m period\n}\n";

fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

fn codes(published: &Value) -> Vec<String> {
    published["diagnostics"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|d| d["code"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().expect("a folder")).expect("folders");
    std::fs::write(path, text).expect("write");
}

/// Several workspaces (a folder of plans, a lone plan, an unsaved buffer) checked at once, and a
/// clean document whose check is superseded by the opening of another: each document gets a
/// publication reflecting its latest version. Passes used to be numbered across workspaces, so the
/// first workspace's results were dropped when another's finished first, and a superseded pass's
/// duty to publish an unchanged (empty) list was forgotten.
#[test]
fn every_document_gets_its_diagnostics_whichever_check_finishes_first() {
    for round in 0..3 {
        let dir = scratch(&format!("lsp-owed-{round}"));
        copy_examples(&dir);
        write(&dir.join("loose/loose.plan"), LOOSE);
        let mut client = Client::initialized(json!({"rootUri": uri(&dir)}));
        let loose = uri(&dir.join("loose/loose.plan"));
        let sdr = uri(&dir.join("plans/sdr.plan"));
        let ae = uri(&dir.join("plans/enterprise_ae.plan"));
        client.open(&loose, LOOSE);
        client.open(&sdr, &std::fs::read_to_string(dir.join("plans/sdr.plan")).expect("sdr"));
        client.open(&ae, &std::fs::read_to_string(dir.join("plans/enterprise_ae.plan")).expect("ae"));
        client.open("untitled:Untitled-1", "// nothing yet\n");
        client.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": ae, "version": 2}, "contentChanges": [{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "// edited\n"}]}),
        );
        assert_eq!(codes(&client.diagnostics_for(&loose)), ["E0105"], "round {round}");
        assert_eq!(codes(&client.diagnostics_for(&sdr)), Vec::<String>::new(), "round {round}");
        assert_eq!(codes(&client.diagnostics_for_version(&ae, 2)), Vec::<String>::new(), "round {round}");
        assert_eq!(codes(&client.diagnostics_for("untitled:Untitled-1")), Vec::<String>::new(), "round {round}");
        client.shut_down();
    }
}

/// With workspace folders: the folder that holds the file bounds the climb, however many there are
/// (a file in the second folder used to be cut off from its schema); a folder of plans above the
/// root is not read; a link back up the tree is not followed (it loaded the plans once per level).
#[cfg(unix)]
#[test]
fn the_workspace_is_found_within_the_editor_folder_that_holds_the_file() {
    let dir = scratch("lsp-roots");
    write(&dir.join("stray.plan"), LOOSE);
    let (a, b) = (dir.join("a"), dir.join("b"));
    let examples = copy_examples(&a);
    copy_examples(&b);
    write(&b.join("top.plan"), &LOOSE.replace("loose", "top"));
    std::os::unix::fs::symlink(".", b.join("plans/self")).expect("a link");
    std::fs::rename(b.join("plans/sales_manager.plan"), b.join("plans/team.plan")).expect("rename");
    write(
        &b.join("plans/ae/sales_manager.plan"),
        &std::fs::read_to_string(b.join("plans/team.plan")).expect("manager"),
    );
    std::fs::remove_file(b.join("plans/team.plan")).expect("remove");
    let mut client = Client::initialized(json!({
        "rootUri": uri(&a),
        "workspaceFolders": [{"uri": uri(&a), "name": "a"}, {"uri": uri(&b), "name": "b"}],
    }));
    let manager = b.join("plans/ae/sales_manager.plan");
    client.open(&uri(&manager), &std::fs::read_to_string(&manager).expect("manager"));
    // `b` holds a plan, so the workspace is all of `b`, and not the stray plan above it.
    let log = client.message("logMessage");
    assert_eq!(log["message"], format!("compplan: the workspace {} has {} plans", b.display(), examples + 1));
    let published = client.diagnostics_for(&uri(&manager));
    // The manager plan, its schema and crediting rules found, has no problem.
    assert_eq!(codes(&published), Vec::<String>::new(), "{published}");
    client.shut_down();
}

/// Without a root (Neovim outside a repository used to pass none): the git repository bounds the
/// climb, and outside one the file's folder is the workspace; reading stops at its limits and says
/// so on screen.
#[test]
fn without_a_root_the_repository_or_the_folder_is_the_workspace() {
    let dir = scratch("lsp-no-root");
    write(&dir.join("outer.plan"), LOOSE);
    write(&dir.join("repo/.git/HEAD"), "ref: refs/heads/main\n");
    write(&dir.join("repo/top.plan"), &LOOSE.replace("loose", "top"));
    write(&dir.join("repo/plans/a.plan"), &LOOSE.replace("loose", "a"));
    write(&dir.join("loose/b.plan"), &LOOSE.replace("loose", "b"));
    write(&dir.join("loose/sub/c.plan"), &LOOSE.replace("loose", "c"));
    let deep: String = (0..9).map(|i| format!("d{i}/")).collect();
    write(&dir.join(format!("loose/sub/{deep}deep.plan")), &LOOSE.replace("loose", "deep"));
    let mut client = Client::initialized(json!({"rootUri": null}));

    client.open(&uri(&dir.join("repo/plans/a.plan")), &LOOSE.replace("loose", "a"));
    let log = client.message("logMessage");
    assert_eq!(log["message"], format!("compplan: the workspace {} has 2 plans", dir.join("repo").display()));

    client.open(&uri(&dir.join("loose/sub/c.plan")), &LOOSE.replace("loose", "c"));
    let shown = client.message("showMessage");
    assert_eq!(shown["type"], 2, "a warning");
    let expected = format!(
        "compplan read only part of {} (1 plan): it did not look deeper than 8 folders. Open the folder that holds your plans, so that it is the workspace.",
        dir.join("loose/sub").display()
    );
    assert_eq!(shown["message"], expected);
    assert_eq!(
        codes(&client.diagnostics_for(&uri(&dir.join("loose/sub/c.plan")))),
        ["E0105"],
        "no duplicate of `b` or `outer`"
    );
    client.shut_down();
}

/// Files that change on disk without being open are read again when the editor reports it (and the
/// server asks for those reports when the editor lets it register a watcher).
#[test]
fn files_changed_on_disk_are_read_again() {
    let dir = scratch("lsp-watch");
    copy_examples(&dir);
    let capabilities = json!({"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}});
    let mut client = Client::initialized(json!({"rootUri": uri(&dir), "capabilities": capabilities}));
    let registration = client.wait_for("a watcher registration", |m| m["method"] == "client/registerCapability");
    let registered = &registration["params"]["registrations"][0];
    assert_eq!(registered["method"], "workspace/didChangeWatchedFiles");
    assert_eq!(registered["registerOptions"], json!({"watchers": [{"globPattern": "**/*.plan"}]}));

    let manager = dir.join("plans/sales_manager.plan");
    let manager_uri = uri(&manager);
    client.open(&manager_uri, &std::fs::read_to_string(&manager).expect("manager"));
    assert_eq!(codes(&client.diagnostics_for(&manager_uri)), Vec::<String>::new());

    // A pull renames a column the open plan reads.
    let schema = dir.join("plans/schema.plan");
    let text = std::fs::read_to_string(&schema).expect("schema");
    std::fs::write(&schema, text.replace("  role: text", "  position: text")).expect("write");
    client.notify("workspace/didChangeWatchedFiles", json!({"changes": [{"uri": uri(&schema), "type": 2}]}));
    assert_eq!(codes(&client.diagnostics_for(&manager_uri)), ["E0102"]);

    // A new file that declares the manager plan again joins the workspace; deleting it clears it.
    let copy = dir.join("plans/zz_copy.plan");
    std::fs::write(&copy, std::fs::read_to_string(&manager).expect("manager")).expect("write");
    client.notify("workspace/didChangeWatchedFiles", json!({"changes": [{"uri": uri(&copy), "type": 1}]}));
    assert!(codes(&client.diagnostics_for(&uri(&copy))).contains(&"E0501".to_string()));
    std::fs::remove_file(&copy).expect("remove");
    client.notify("workspace/didChangeWatchedFiles", json!({"changes": [{"uri": uri(&copy), "type": 3}]}));
    assert_eq!(codes(&client.diagnostics_for(&uri(&copy))), Vec::<String>::new());
    client.shut_down();
}

/// A plan on disk that is not UTF-8 (its schema saved as Latin-1) used to read as an empty file: the
/// open plan lost its schema and showed errors that were not there, and the real problem showed
/// nowhere. The file is read with `�` for its bad byte: the open plan is clean, and the file gets
/// E0010 at the byte's place.
#[test]
fn a_plan_on_disk_that_is_not_utf8_is_read_and_its_bad_byte_reported() {
    let dir = scratch("lsp-latin1");
    copy_examples(&dir);
    let schema = dir.join("plans/schema.plan");
    let text = std::fs::read_to_string(&schema).expect("schema");
    let latin1 = [b"// R\xe9gions and people.\n".as_slice(), text.as_bytes()].concat();
    std::fs::write(&schema, latin1).expect("write");
    let mut client = Client::initialized(json!({"rootUri": uri(&dir)}));
    let manager = dir.join("plans/sales_manager.plan");
    let manager_uri = uri(&manager);
    client.open(&manager_uri, &std::fs::read_to_string(&manager).expect("manager"));
    assert_eq!(codes(&client.diagnostics_for(&manager_uri)), Vec::<String>::new());
    let published = client.diagnostics_for(&uri(&schema));
    assert_eq!(codes(&published), ["E0010"]);
    let start = &published["diagnostics"][0]["range"]["start"];
    assert_eq!((start["line"].as_u64(), start["character"].as_u64()), (Some(0), Some(4)));
    client.shut_down();
}
