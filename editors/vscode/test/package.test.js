// The extension's manifest agrees with its files: the language, the grammar, the settings and the command that
// extension.js uses are the ones package.json declares, and the language configuration does what it says.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const read = (file) => fs.readFileSync(path.join(root, file), 'utf8');
const manifest = JSON.parse(read('package.json'));
const extensionSource = read('extension.js');

test('the language is compplan, for .plan files, with its configuration', () => {
  assert.deepEqual(manifest.contributes.languages.map((l) => [l.id, l.extensions]), [['compplan', ['.plan']]]);
  const configuration = manifest.contributes.languages[0].configuration;
  assert.ok(fs.existsSync(path.join(root, configuration)), configuration);
  assert.deepEqual(manifest.activationEvents, ['onLanguage:compplan']);
});

test('the grammar file exists and has the scope name the manifest gives it', () => {
  const [grammar] = manifest.contributes.grammars;
  assert.equal(manifest.contributes.grammars.length, 1);
  assert.equal(grammar.language, 'compplan');
  assert.equal(grammar.scopeName, 'source.compplan');
  const file = JSON.parse(read(grammar.path));
  assert.equal(file.scopeName, grammar.scopeName);
});

test('the entry point exists and is plain JavaScript, so nothing needs building', () => {
  assert.equal(manifest.main, './extension.js');
  assert.ok(fs.existsSync(path.join(root, manifest.main)));
  assert.equal(manifest.scripts.compile, undefined);
  assert.equal(manifest.scripts['vscode:prepublish'], undefined);
});

test('the settings are declared with their defaults, and they are the ones extension.js reads', () => {
  const properties = manifest.contributes.configuration.properties;
  assert.deepEqual(Object.keys(properties).sort(), ['compplan.server.extraArgs', 'compplan.server.path']);
  assert.equal(properties['compplan.server.path'].type, 'string');
  assert.equal(properties['compplan.server.path'].default, 'compplan');
  assert.equal(properties['compplan.server.extraArgs'].type, 'array');
  assert.deepEqual(properties['compplan.server.extraArgs'].default, []);
  assert.match(extensionSource, /getConfiguration\('compplan'\)/);
  const read = [...extensionSource.matchAll(/config\.get\('([^']+)'\)/g)].map((m) => `compplan.${m[1]}`).sort();
  assert.deepEqual(read, Object.keys(properties).sort());
  assert.match(extensionSource, /affectsConfiguration\('compplan\.server'\)/);
});

test('the command extension.js registers is the one the manifest contributes', () => {
  const contributed = manifest.contributes.commands.map((c) => c.command);
  const registered = [...extensionSource.matchAll(/registerCommand\('([^']+)'/g)].map((m) => m[1]);
  assert.deepEqual(registered, contributed);
  const [restart] = manifest.contributes.commands;
  assert.equal(`${restart.category}: ${restart.title}`, 'compplan: Restart language server');
});

test('the VS Code version required is at least the one vscode-languageclient requires', () => {
  assert.match(manifest.dependencies['vscode-languageclient'], /^\^9\./);
  const client = JSON.parse(read('node_modules/vscode-languageclient/package.json'));
  assert.equal(client.version.split('.')[0], '9');
  const version = (range) => range.replace(/^[\^~>=]+/, '').split('.').map(Number);
  const [ours, theirs] = [version(manifest.engines.vscode), version(client.engines.vscode)];
  assert.ok(ours[0] > theirs[0] || (ours[0] === theirs[0] && ours[1] >= theirs[1]), `${manifest.engines.vscode} < ${client.engines.vscode}`);
});

test('the language configuration: line comments, brackets, folding on braces, words with underscores', () => {
  const config = JSON.parse(read('language-configuration.json'));
  assert.equal(config.comments.lineComment, '//');
  assert.deepEqual(config.brackets, [['{', '}'], ['(', ')']]);
  assert.deepEqual(config.autoClosingPairs.map((p) => p.open + p.close), ['{}', '()', '""']);

  const start = new RegExp(config.folding.markers.start);
  const end = new RegExp(config.folding.markers.end);
  assert.ok(start.test('  table base_rate marginal on att {'));
  assert.ok(start.test('plan p "P" version 1 {   // the plan'));
  assert.ok(!start.test('schema quotas { rep: ref reps; year: year }'), 'a one-line block does not fold');
  assert.ok(end.test('  }'));
  assert.ok(!end.test('  earn x = 1 USD'));

  const word = new RegExp(config.wordPattern, 'g');
  assert.deepEqual('bookings_quota ytd'.match(word), ['bookings_quota', 'ytd']);
  assert.deepEqual('deal.new_logo'.match(word), ['deal', 'new_logo']);
  assert.deepEqual('12.5% of x'.match(word), ['12.5%', 'of', 'x']);

  const increase = new RegExp(config.indentationRules.increaseIndentPattern);
  assert.ok(increase.test('credit {'));
  assert.ok(!increase.test('schema fx { currency: currency; date: date; rate: decimal }'));
});

test('node_modules and packaged extensions are not committed', () => {
  const ignored = read('.gitignore').split('\n');
  assert.ok(ignored.includes('node_modules/'));
  assert.ok(ignored.includes('*.vsix'));
});
