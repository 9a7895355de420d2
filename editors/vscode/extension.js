// The compplan extension: starts `compplan lsp` for `.plan` files, restarts it when its settings change or on
// the "compplan: Restart language server" command. Plain JavaScript, so nothing needs compiling.
'use strict';

const path = require('path');
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

/** The client of the running server, or undefined before the first start and after deactivation. */
let client;
/** Starts and stops run one after another, so that a restart never races a start. */
let queue = Promise.resolve();
/** Tells the server about `.plan` files changed outside the editor; made once, shared by every client. */
let watcher;

/** The command and arguments that start the server, read from the `compplan.server.*` settings. */
function serverCommand() {
  const config = vscode.workspace.getConfiguration('compplan');
  let command = config.get('server.path') || 'compplan';
  const extra = config.get('server.extraArgs');
  const args = ['lsp', ...(Array.isArray(extra) ? extra.map(String) : [])];
  // A relative path with a directory in it (`./target/debug/compplan`) is relative to the workspace, not to
  // wherever VS Code was started; a bare name is looked up on PATH.
  const folders = vscode.workspace.workspaceFolders;
  if (!path.isAbsolute(command) && /[\\/]/.test(command) && folders && folders.length > 0) {
    command = path.join(folders[0].uri.fsPath, command);
  }
  return { command, args };
}

/** Creates a client for the current settings and starts it; a failure is reported, not thrown. */
async function start() {
  const { command, args } = serverCommand();
  // No `transport` on purpose: vscode-languageclient then talks over the child's stdin and stdout
  // without appending `--stdio` to the arguments, so the server is started exactly as `compplan lsp`.
  const serverOptions = { command, args };
  const clientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'compplan' },
      { scheme: 'untitled', language: 'compplan' },
    ],
    synchronize: { fileEvents: watcher },
  };
  client = new LanguageClient('compplan', 'compplan language server', serverOptions, clientOptions);
  try {
    await client.start();
  } catch (error) {
    // Not awaited: the message may stay open for a long time, and restarts must not wait for it.
    const message =
      `compplan: could not start \`${[command, ...args].join(' ')}\` (${error && error.message ? error.message : error}). ` +
      'Set `compplan.server.path` to the compplan executable.';
    void vscode.window.showErrorMessage(message, 'Open settings').then((choice) => {
      if (choice === 'Open settings') {
        return vscode.commands.executeCommand('workbench.action.openSettings', 'compplan.server');
      }
      return undefined;
    });
  }
}

/** Stops the current client, if any; a client whose start failed has nothing to stop. */
async function stop() {
  const current = client;
  client = undefined;
  if (current === undefined) {
    return;
  }
  try {
    if (current.needsStop()) {
      await current.stop();
    }
  } catch (error) {
    console.error('compplan: stopping the language server failed', error);
  }
}

/** Queues a stop followed by a fresh start with the current settings. */
function restart() {
  queue = queue.then(stop).then(start);
  return queue;
}

/** Called by VS Code when a `.plan` file is opened. */
function activate(context) {
  watcher = vscode.workspace.createFileSystemWatcher('**/*.plan');
  context.subscriptions.push(
    watcher,
    vscode.commands.registerCommand('compplan.restartServer', restart),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('compplan.server')) {
        restart();
      }
    }),
  );
  queue = queue.then(start);
  return queue;
}

/** Called by VS Code on shutdown: the server is asked to exit. */
function deactivate() {
  queue = queue.then(stop);
  return queue;
}

module.exports = { activate, deactivate, serverCommand };
