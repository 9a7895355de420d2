// Properties of the TextMate grammar over the whole repository: it knows every keyword of grammar/plan.pest,
// leaves no word of a real plan unscoped, closes every block it opens, and scopes definitions and columns.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const { loadGrammar, tokenize, scopesAt, grammarPath } = require('./tokenize');

const repo = path.resolve(__dirname, '..', '..', '..');
const grammarJson = JSON.parse(fs.readFileSync(grammarPath, 'utf8'));

/** Every `.plan` file under `dir`, sub-folders included, sorted. */
function planFiles(dir) {
  const found = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...planFiles(full));
    else if (entry.name.endsWith('.plan')) found.push(full);
  }
  return found.sort();
}

const examples = planFiles(path.join(repo, 'plans'));
const fixtures = planFiles(path.join(repo, 'tests'));
// Fixtures of syntax errors (E0001-E0099) may leave a block open on purpose; every other file is well formed.
const wellFormed = [...examples, ...fixtures].filter((f) => !/^E00\d\d_/.test(path.basename(f)));

/** Calls `visit(rule)` on every rule object of the grammar. */
function eachRule(node, visit) {
  if (Array.isArray(node)) node.forEach((n) => eachRule(n, visit));
  else if (node && typeof node === 'object') {
    visit(node);
    Object.values(node).forEach((n) => eachRule(n, visit));
  }
}

const isBare = (scopes) => scopes.every((s) => s === 'source.compplan' || s.startsWith('meta.'));
const inside = (scopes, prefix) => scopes.some((s) => s.startsWith(prefix));

test('the repository holds plans to tokenize', () => {
  assert.ok(examples.length >= 6, `plans/ has ${examples.length} plans`);
  assert.ok(fixtures.length >= 50, `tests/ has ${fixtures.length} plans`);
});

test('every include names a rule of the repository and every scope ends in .compplan', () => {
  eachRule([grammarJson.patterns, grammarJson.repository], (rule) => {
    if (typeof rule.include === 'string') {
      assert.match(rule.include, /^#/, `only local includes: ${rule.include}`);
      assert.ok(rule.include.slice(1) in grammarJson.repository, `unknown include ${rule.include}`);
    }
    for (const key of ['name', 'contentName']) {
      if (typeof rule[key] === 'string') assert.match(rule[key], /\.compplan$/, `${key} ${rule[key]}`);
    }
  });
});

test('every keyword of grammar/plan.pest appears in a pattern of the grammar', () => {
  const pest = fs.readFileSync(path.join(repo, 'grammar', 'plan.pest'), 'utf8');
  const keywords = [...pest.matchAll(/^kw_\w+\s*=\s*@\{\s*"([^"]+)"/gm)].map((m) => m[1]);
  assert.ok(keywords.length >= 80, `found ${keywords.length} keywords`);
  const patterns = [];
  eachRule(grammarJson, (rule) => ['match', 'begin'].forEach((k) => typeof rule[k] === 'string' && patterns.push(rule[k])));
  // Escapes such as `\b` and `\s` end in a letter; they are delimiters here.
  const words = patterns.map((p) => p.replace(/\\[bBsSdDwW]/g, ' '));
  const missing = keywords.filter((word) => {
    const delimited = new RegExp(`(^|[^A-Za-z0-9_])${word.replace(/-/g, '\\-')}($|[^A-Za-z0-9_])`);
    return !words.some((p) => delimited.test(p));
  });
  assert.deepEqual(missing, [], 'keywords no pattern mentions');
});

test('the words expressions reserve are never names', async () => {
  const grammar = await loadGrammar();
  const pest = fs.readFileSync(path.join(repo, 'grammar', 'plan.pest'), 'utf8');
  const reserved = /reserved\s*=\s*@\{([^}]*)\}/.exec(pest)[1].match(/"(\w+)"/g).map((w) => w.slice(1, -1));
  assert.equal(reserved.length, 21);
  for (const word of reserved) {
    const line = `  earn x = a ${word} b`;
    const { lines } = tokenize(grammar, `plan p "P" version 1 {\n${line}\n}`);
    const scopes = scopesAt(lines[1], line.indexOf(` ${word} `) + 1);
    assert.ok(
      inside(scopes, 'keyword.') || inside(scopes, 'constant.language.'),
      `${word} in an expression is scoped ${scopes.join(' ')}`,
    );
  }
});

test('every word of every plan in the repository gets a scope', async () => {
  const grammar = await loadGrammar();
  const bare = [];
  for (const file of [...examples, ...fixtures]) {
    const { lines } = tokenize(grammar, fs.readFileSync(file, 'utf8'));
    lines.forEach((tokens, i) => {
      for (const t of tokens) {
        // Inline CSV rows are data, shown as plain text on purpose.
        if (/[A-Za-z0-9]/.test(t.text) && isBare(t.scopes) && !inside(t.scopes, 'meta.embedded.block.csv')) {
          bare.push(`${path.relative(repo, file)}:${i + 1}: \`${t.text}\``);
        }
      }
    });
  }
  assert.deepEqual(bare, []);
});

test('every well-formed plan closes every block it opens', async () => {
  const grammar = await loadGrammar();
  const open = [];
  for (const file of wellFormed) {
    const { depth } = tokenize(grammar, fs.readFileSync(file, 'utf8'));
    if (depth !== 1) open.push(`${path.relative(repo, file)}: ${depth - 1} rule(s) still open`);
  }
  assert.deepEqual(open, []);
  assert.ok(wellFormed.length >= 40);
});

test('an unclosed block stays open to the end of the file', async () => {
  const grammar = await loadGrammar();
  const file = path.join(repo, 'tests', 'check', 'E0006_unclosed_block.plan');
  assert.ok(tokenize(grammar, fs.readFileSync(file, 'utf8')).depth > 1);
});

test('the names that items define are entity.name.function, in every plan of the repository', async () => {
  const grammar = await loadGrammar();
  let checked = 0;
  for (const file of wellFormed) {
    const { lines } = tokenize(grammar, fs.readFileSync(file, 'utf8'));
    fs.readFileSync(file, 'utf8').split(/\r?\n/).forEach((line, i) => {
      const m = /^(\s*(?:earn|measure|quota|attainment|table|plan|territory)\s+)([A-Za-z_]\w*)/.exec(line);
      if (m === null || scopesAt(lines[i], 0).some((s) => s.startsWith('comment.') || s.includes('csv'))) return;
      const scopes = scopesAt(lines[i], m[1].length);
      assert.ok(scopes.includes('entity.name.function.compplan'), `${path.relative(repo, file)}:${i + 1}: ${m[2]} is ${scopes.join(' ')}`);
      checked += 1;
    });
  }
  assert.ok(checked >= 100, `checked ${checked} definitions`);
});

test('a word after a dot is a column, in every plan of the repository', async () => {
  const grammar = await loadGrammar();
  let checked = 0;
  for (const file of [...examples, ...fixtures]) {
    const text = fs.readFileSync(file, 'utf8');
    const { lines } = tokenize(grammar, text);
    text.split(/\r?\n/).forEach((line, i) => {
      for (const m of line.matchAll(/\b[A-Za-z_]\w*\.([A-Za-z_]\w*)/g)) {
        const column = m.index + m[0].length - m[1].length;
        const scopes = scopesAt(lines[i], column);
        if (['comment.', 'string.', 'meta.embedded.'].some((p) => inside(scopes, p))) continue;
        assert.ok(scopes.includes('variable.other.member.compplan'), `${path.relative(repo, file)}:${i + 1}: .${m[1]} is ${scopes.join(' ')}`);
        checked += 1;
      }
    });
  }
  assert.ok(checked >= 200, `checked ${checked} columns`);
});
