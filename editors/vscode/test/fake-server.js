#!/usr/bin/env node
// A stand-in for `compplan lsp` in the client tests: it speaks just enough LSP over stdin and stdout (initialize,
// shutdown, exit) and appends what it saw, one JSON line per event, to the file named by COMPPLAN_FAKE_LOG.
'use strict';

const fs = require('fs');

const log = (event) => fs.appendFileSync(process.env.COMPPLAN_FAKE_LOG, JSON.stringify({ pid: process.pid, ...event }) + '\n');

function send(message) {
  const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...message }), 'utf8');
  process.stdout.write(`Content-Length: ${body.length}\r\n\r\n`);
  process.stdout.write(body);
}

log({ event: 'started', args: process.argv.slice(2), cwd: process.cwd() });

let buffer = Buffer.alloc(0);
process.stdin.on('data', (chunk) => {
  buffer = Buffer.concat([buffer, chunk]);
  for (;;) {
    const headerEnd = buffer.indexOf('\r\n\r\n');
    if (headerEnd < 0) return;
    const match = /Content-Length: (\d+)/i.exec(buffer.subarray(0, headerEnd).toString('ascii'));
    const length = match ? Number(match[1]) : 0;
    if (buffer.length < headerEnd + 4 + length) return;
    const message = JSON.parse(buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8'));
    buffer = buffer.subarray(headerEnd + 4 + length);
    handle(message);
  }
});

function handle(message) {
  log({ event: message.method, params: message.method === 'textDocument/didOpen' ? message.params : undefined });
  if (message.method === 'initialize') {
    send({ id: message.id, result: { capabilities: { textDocumentSync: 1 }, serverInfo: { name: 'fake compplan' } } });
  } else if (message.method === 'shutdown') {
    send({ id: message.id, result: null });
  } else if (message.method === 'exit') {
    process.exit(0);
  } else if (message.id !== undefined && message.method !== undefined) {
    send({ id: message.id, error: { code: -32601, message: `unhandled ${message.method}` } });
  }
}
