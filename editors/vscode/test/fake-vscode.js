// A stand-in for the `vscode` module, so that extension.js and the real vscode-languageclient can run under
// plain Node: settings, commands and events are real enough to drive the extension; everything else the
// client touches is a harmless stub.
'use strict';

const Module = require('module');

/** A value that can be called, constructed and read from at any depth; it stands for APIs the tests ignore. */
function stub(name) {
  const target = function () {};
  return new Proxy(target, {
    get(_, key) {
      if (key === 'then') return undefined; // not a promise
      if (key === Symbol.iterator) return function* () {};
      if (key === Symbol.toPrimitive) return () => `<${name}>`;
      if (key === 'dispose') return () => {};
      return stub(`${name}.${String(key)}`);
    },
    apply() {
      return stub(`${name}()`);
    },
    construct() {
      return stub(`new ${name}`);
    },
  });
}

/** An event as VS Code shapes it: a function that subscribes a listener and returns a disposable. */
function event() {
  const listeners = new Set();
  const subscribe = (listener) => {
    listeners.add(listener);
    return { dispose: () => listeners.delete(listener) };
  };
  subscribe.fire = (value) => [...listeners].forEach((listener) => listener(value));
  return subscribe;
}

/** Builds a fresh fake `vscode` module; `settings` maps `compplan.server.path`-style keys to values. */
function fakeVscode({ settings = {}, folder, version = '1.82.0' }) {
  const commands = new Map();
  const errors = [];
  const executed = [];
  const watchers = [];
  const state = { answer: undefined };
  const configurationChanged = event();
  const known = {
    version,
    workspace: {
      workspaceFolders: folder ? [{ uri: { fsPath: folder, scheme: 'file', toString: () => `file://${folder}` }, name: 'ws', index: 0 }] : undefined,
      textDocuments: [],
      getConfiguration(section) {
        return {
          get(key, fallback) {
            const full = section ? `${section}.${key}` : key;
            return full in settings ? settings[full] : fallback;
          },
        };
      },
      onDidChangeConfiguration: configurationChanged,
      createFileSystemWatcher(glob) {
        const watcher = { glob, onDidCreate: event(), onDidChange: event(), onDidDelete: event(), disposed: false };
        watcher.dispose = () => {
          watcher.disposed = true;
        };
        watchers.push(watcher);
        return watcher;
      },
    },
    window: {
      showErrorMessage(message, ...items) {
        errors.push({ message, items });
        return state.open ? new Promise(() => {}) : Promise.resolve(state.answer);
      },
    },
    commands: {
      registerCommand(name, callback) {
        commands.set(name, callback);
        return { dispose: () => commands.delete(name) };
      },
      executeCommand(...args) {
        executed.push(args);
        return Promise.resolve(undefined);
      },
    },
  };
  const withFallback = (object, name) =>
    new Proxy(object, {
      get(target, key) {
        if (key in target) {
          const value = target[key];
          return value && typeof value === 'object' && !Array.isArray(value) ? withFallback(value, `${name}.${String(key)}`) : value;
        }
        if (key === 'then' || typeof key === 'symbol') return undefined;
        return stub(`${name}.${String(key)}`);
      },
    });
  const module = withFallback(known, 'vscode');
  return {
    module,
    commands,
    /** The error messages shown, with their buttons. */
    errors,
    /** The commands the extension executed, with their arguments. */
    executed,
    /** The file watchers the extension made. */
    watchers,
    /** Which button the user presses on the next error message (none by default). */
    answer(button) {
      state.answer = button;
    },
    /** The user leaves the next error messages open: they never answer. */
    leaveOpen() {
      state.open = true;
    },
    /** Changes settings and tells the extension, as VS Code does when the user edits them. */
    changeSettings(changes) {
      Object.assign(settings, changes);
      configurationChanged.fire({ affectsConfiguration: (section) => Object.keys(changes).some((key) => key === section || key.startsWith(`${section}.`)) });
    },
  };
}

let resolverPatched = false;

/**
 * Makes `require('vscode')` return `fake.module`, and forgets loaded copies of the extension and of
 * vscode-languageclient so that the next `require` binds them to this fake.
 */
function install(fake) {
  if (!resolverPatched) {
    const resolve = Module._resolveFilename;
    Module._resolveFilename = function (request, ...rest) {
      return request === 'vscode' ? 'vscode' : resolve.call(this, request, ...rest);
    };
    resolverPatched = true;
  }
  require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: fake.module };
  for (const key of Object.keys(require.cache)) {
    if (key.includes('vscode-languageclient') || key.endsWith('extension.js')) delete require.cache[key];
  }
}

module.exports = { fakeVscode, install, event };
