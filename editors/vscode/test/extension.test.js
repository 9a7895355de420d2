// The client in extension.js, run under plain Node against a fake `vscode` module: first with a recording
// stand-in for LanguageClient (what it is asked to start, and when), then with the real vscode-languageclient 9
// talking to a fake server over stdio (what process actually starts, and that it is shut down).
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { fakeVscode, install } = require('./fake-vscode');

const extensionPath = path.join(__dirname, '..', 'extension.js');
const fakeServer = path.join(__dirname, 'fake-server.js');

/** A LanguageClient stand-in that records every client made; `failStart` makes start() reject. */
function recordingClientModule({ failStart = false } = {}) {
  const clients = [];
  class LanguageClient {
    constructor(id, name, serverOptions, clientOptions) {
      Object.assign(this, { id, name, serverOptions, clientOptions, started: 0, stopped: 0, running: false });
      clients.push(this);
    }
    async start() {
      this.started += 1;
      if (failStart) throw new Error('spawn compplan ENOENT');
      this.running = true;
    }
    needsStop() {
      return this.running;
    }
    async stop() {
      this.stopped += 1;
      this.running = false;
    }
  }
  return { clients, exports: { LanguageClient } };
}

/** Loads a fresh copy of extension.js bound to `fake`, with LanguageClient replaced by `client` when given. */
function loadExtension(fake, client) {
  install(fake);
  if (client !== undefined) {
    const resolved = require.resolve('vscode-languageclient/node', { paths: [path.dirname(extensionPath)] });
    require.cache[resolved] = { id: resolved, filename: resolved, loaded: true, exports: client.exports };
  }
  return require(extensionPath);
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

test('activation starts `compplan lsp` over stdio for compplan documents', async () => {
  const fake = fakeVscode({ folder: '/work/space' });
  const client = recordingClientModule();
  const extension = loadExtension(fake, client);
  await extension.activate({ subscriptions: [] });

  assert.equal(client.clients.length, 1);
  const [c] = client.clients;
  assert.equal(c.id, 'compplan');
  assert.equal(c.started, 1);
  // No transport: vscode-languageclient would otherwise append `--stdio` to the arguments.
  assert.deepEqual(c.serverOptions, { command: 'compplan', args: ['lsp'] });
  assert.deepEqual(c.clientOptions.documentSelector, [
    { scheme: 'file', language: 'compplan' },
    { scheme: 'untitled', language: 'compplan' },
  ]);
  assert.deepEqual([...fake.commands.keys()], ['compplan.restartServer']);
  assert.deepEqual(fake.watchers.map((w) => w.glob), ['**/*.plan']);
  assert.equal(c.clientOptions.synchronize.fileEvents, fake.watchers[0]);
  assert.deepEqual(fake.errors, []);
});

test('the server path and extra arguments come from the settings', async () => {
  const cases = [
    [{}, { command: 'compplan', args: ['lsp'] }],
    [{ 'compplan.server.path': '' }, { command: 'compplan', args: ['lsp'] }],
    [{ 'compplan.server.path': '/opt/compplan/bin/compplan' }, { command: '/opt/compplan/bin/compplan', args: ['lsp'] }],
    [{ 'compplan.server.path': 'compplan-dev', 'compplan.server.extraArgs': ['--log', 'debug'] }, { command: 'compplan-dev', args: ['lsp', '--log', 'debug'] }],
    // A relative path is taken from the workspace folder, not from wherever VS Code was started.
    [{ 'compplan.server.path': './target/debug/compplan' }, { command: '/work/space/target/debug/compplan', args: ['lsp'] }],
    [{ 'compplan.server.extraArgs': 'not a list' }, { command: 'compplan', args: ['lsp'] }],
  ];
  for (const [settings, expected] of cases) {
    const extension = loadExtension(fakeVscode({ settings, folder: '/work/space' }), recordingClientModule());
    assert.deepEqual(extension.serverCommand(), expected, JSON.stringify(settings));
  }
});

test('changing a server setting restarts the server with the new settings; other settings do not', async () => {
  const fake = fakeVscode({ folder: '/work/space' });
  const client = recordingClientModule();
  const extension = loadExtension(fake, client);
  await extension.activate({ subscriptions: [] });

  fake.changeSettings({ 'editor.fontSize': 14 });
  await settle();
  assert.equal(client.clients.length, 1, 'an unrelated setting changes nothing');

  fake.changeSettings({ 'compplan.server.extraArgs': ['--verbose'] });
  await settle();
  assert.equal(client.clients.length, 2);
  assert.equal(client.clients[0].stopped, 1, 'the old server is stopped');
  assert.deepEqual(client.clients[1].serverOptions.args, ['lsp', '--verbose']);
  assert.equal(client.clients[1].started, 1);
});

test('the restart command stops the server and starts a new one; deactivation stops it', async () => {
  const fake = fakeVscode({ folder: '/work/space' });
  const client = recordingClientModule();
  const extension = loadExtension(fake, client);
  await extension.activate({ subscriptions: [] });

  await fake.commands.get('compplan.restartServer')();
  assert.equal(client.clients.length, 2);
  assert.deepEqual(client.clients.map((c) => [c.started, c.stopped]), [[1, 1], [1, 0]]);
  assert.equal(fake.watchers.length, 1, 'one file watcher, shared by every client');
  assert.equal(client.clients[1].clientOptions.synchronize.fileEvents, fake.watchers[0]);

  await extension.deactivate();
  assert.deepEqual(client.clients.map((c) => [c.started, c.stopped]), [[1, 1], [1, 1]]);
});

test('a server that cannot start is reported with the setting to fix, and activation still succeeds', async () => {
  const fake = fakeVscode({ settings: { 'compplan.server.path': 'no-such-compplan' }, folder: '/work/space' });
  fake.answer('Open settings');
  const client = recordingClientModule({ failStart: true });
  const extension = loadExtension(fake, client);
  await extension.activate({ subscriptions: [] });
  await settle();

  assert.equal(fake.errors.length, 1);
  assert.match(fake.errors[0].message, /could not start `no-such-compplan lsp`/);
  assert.match(fake.errors[0].message, /compplan\.server\.path/);
  assert.deepEqual(fake.errors[0].items, ['Open settings']);
  assert.deepEqual(fake.executed, [['workbench.action.openSettings', 'compplan.server']]);
  // Nothing was running, so a restart or deactivation has nothing to stop.
  await extension.deactivate();
  assert.equal(client.clients[0].stopped, 0);
});

test('an error message left open does not hold up a restart', async () => {
  const fake = fakeVscode({ folder: '/work/space' });
  fake.leaveOpen();
  const client = recordingClientModule({ failStart: true });
  const extension = loadExtension(fake, client);
  await extension.activate({ subscriptions: [] });
  await fake.commands.get('compplan.restartServer')();
  assert.equal(client.clients.length, 2);
  assert.equal(fake.errors.length, 2);
  await extension.deactivate();
});

/** The events the fake server logged, one object per line. */
function readLog(file) {
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line)) : [];
}

/** Waits until `check(log)` holds, for at most five seconds. */
async function waitFor(file, check) {
  for (let i = 0; i < 250; i += 1) {
    const log = readLog(file);
    if (check(log)) return log;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return readLog(file);
}

test('with the real vscode-languageclient, the server process is `PATH lsp ARGS` in the workspace, and is shut down', async () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'compplan-vscode-'));
  const log = path.join(folder, 'server.log');
  process.env.COMPPLAN_FAKE_LOG = log;
  try {
    const fake = fakeVscode({ settings: { 'compplan.server.path': fakeServer, 'compplan.server.extraArgs': ['--first'] }, folder });
    const extension = loadExtension(fake);
    const context = { subscriptions: [] };
    await extension.activate(context);
    assert.deepEqual(fake.errors, []);

    let events = await waitFor(log, (l) => l.some((e) => e.event === 'initialized'));
    const first = events[0];
    assert.deepEqual(first.args, ['lsp', '--first']);
    assert.equal(fs.realpathSync(first.cwd), fs.realpathSync(folder));
    assert.deepEqual(events.map((e) => e.event), ['started', 'initialize', 'initialized']);

    fake.changeSettings({ 'compplan.server.extraArgs': ['--second'] });
    events = await waitFor(log, (l) => l.filter((e) => e.event === 'initialized').length === 2);
    const second = events.find((e) => e.event === 'started' && e.pid !== first.pid);
    assert.ok(second, 'a second server started');
    assert.deepEqual(second.args, ['lsp', '--second']);
    const ofFirst = events.filter((e) => e.pid === first.pid).map((e) => e.event);
    assert.deepEqual(ofFirst.slice(-2), ['shutdown', 'exit'], 'the first server was shut down');

    await extension.deactivate();
    context.subscriptions.forEach((d) => d.dispose());
    assert.ok(fake.watchers[0].disposed);
    events = await waitFor(log, (l) => l.some((e) => e.pid === second.pid && e.event === 'exit'));
    assert.deepEqual(events.filter((e) => e.pid === second.pid).map((e) => e.event).slice(-2), ['shutdown', 'exit']);
  } finally {
    delete process.env.COMPPLAN_FAKE_LOG;
    fs.rmSync(folder, { recursive: true, force: true });
  }
});

test('with the real vscode-languageclient, a missing executable is reported and nothing throws', async () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'compplan-vscode-'));
  try {
    const missing = path.join(folder, 'no-such-compplan');
    const fake = fakeVscode({ settings: { 'compplan.server.path': missing }, folder });
    const extension = loadExtension(fake);
    await extension.activate({ subscriptions: [] });
    await settle();
    // The client says it could not connect; the extension adds which setting to fix.
    assert.deepEqual(fake.errors.map((e) => e.items), [['Go to output'], ['Open settings']]);
    assert.equal(fake.errors[0].message, "compplan language server client: couldn't create connection to server.");
    assert.ok(fake.errors[1].message.startsWith(`compplan: could not start \`${missing} lsp\` (`), fake.errors[1].message);
    assert.ok(fake.errors[1].message.includes('ENOENT'), fake.errors[1].message);
    assert.ok(fake.errors[1].message.endsWith('Set `compplan.server.path` to the compplan executable.'), fake.errors[1].message);
    await extension.deactivate();
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
});
