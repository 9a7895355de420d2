// Tokenizes text with the extension's TextMate grammar through vscode-textmate and the Oniguruma regex engine,
// the same libraries VS Code uses, so that tests see the scopes an editor would show.
'use strict';

const fs = require('fs');
const path = require('path');
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

const grammarPath = path.join(__dirname, '..', 'syntaxes', 'compplan.tmLanguage.json');
let loaded;

/** Loads the grammar once per process (the regex engine can be initialised only once). */
function loadGrammar() {
  if (loaded === undefined) {
    const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
    const onigLib = oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength)).then(() => ({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text) => new oniguruma.OnigString(text),
    }));
    const registry = new vsctm.Registry({
      onigLib,
      loadGrammar: async (scopeName) =>
        scopeName === 'source.compplan' ? vsctm.parseRawGrammar(fs.readFileSync(grammarPath, 'utf8'), grammarPath) : null,
    });
    loaded = registry.loadGrammar('source.compplan');
  }
  return loaded;
}

/**
 * Tokenizes `text` line by line: each line is a list of `{ start, text, scopes }`; `depth` is how many rules are
 * still open at the end (1 when every block was closed).
 */
function tokenize(grammar, text) {
  let stack = vsctm.INITIAL;
  const lines = [];
  for (const line of text.split(/\r?\n/)) {
    const result = grammar.tokenizeLine(line, stack);
    lines.push(result.tokens.map((t) => ({ start: t.startIndex, text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes })));
    stack = result.ruleStack;
  }
  return { lines, depth: stack.depth };
}

/** The scopes of the token that covers column `column` of a tokenized line. */
function scopesAt(tokens, column) {
  const token = tokens.find((t) => t.start <= column && column < t.start + t.text.length);
  return token ? token.scopes : [];
}

module.exports = { loadGrammar, tokenize, scopesAt, grammarPath };
