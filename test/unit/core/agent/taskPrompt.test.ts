import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildTaskMessages, fileExcerpt, SYSTEM_PROMPT } from '../../../../src/core/agent/taskPrompt';

const LONG = ["import { a } from './a';", "import { b } from './b';", '', ...Array.from({ length: 300 }, (_, i) => `export const v${i} = ${i};`)].join('\n');

describe('fix prompt context', () => {
  it('sends a short file whole', () => {
    assert.deepEqual(fileExcerpt('a\nb\n', [0]), [{ from: 1, to: 3, text: 'a\nb\n' }]);
  });

  it('sends a long file as its imports plus a window around the problem, verbatim', () => {
    const parts = fileExcerpt(LONG, [150]);
    assert.deepEqual(
      parts.map((p) => [p.from, p.to]),
      [
        [1, 3],
        [131, 171],
      ],
    );
    assert.equal(parts[1].text, LONG.split('\n').slice(130, 171).join('\n'));
  });

  it('sends a multi-line import list whole, never cut after its first line', () => {
    const names = Array.from({ length: 12 }, (_, i) => `  name${i},`);
    const text = ['// header', 'import {', ...names, "} from './names';", "import type { T } from './t';", '', ...Array.from({ length: 300 }, (_, i) => `export const v${i} = ${i};`)].join('\n');
    const [head] = fileExcerpt(text, [200]);
    assert.deepEqual([head.from, head.to], [1, 17]);
    assert.match(head.text, /^\/\/ header\nimport \{\n {2}name0,[\s\S]* {2}name11,\n\} from '\.\/names';\nimport type \{ T \} from '\.\/t';\n$/);
    const user = buildTaskMessages('fix', { uri: 'u', relativePath: 'a.ts', languageId: 'typescript', text, diagnostics: [{ message: 'm', severity: 'error', range: { startLine: 200, startCharacter: 0, endLine: 200, endCharacter: 1 } }] })[1].content;
    assert.match(user, /Lines 1-17 of 317:/);
    assert.doesNotMatch(user, /Lines 1-2 of/);
  });

  it('leaves out an import statement it cannot send whole, rather than half of it', () => {
    const huge = ['import {', ...Array.from({ length: 250 }, (_, i) => `  n${i},`), "} from './n';", ...Array.from({ length: 300 }, (_, i) => `export const v${i} = ${i};`)].join('\n');
    const parts = fileExcerpt(huge, [500]);
    assert.equal(parts.length, 1, JSON.stringify(parts.map((p) => [p.from, p.to])));
    assert.equal(parts[0].from, 481);
    const bracesInStrings = ["import { a } from './a(';", "import { b } from './b';", ...Array.from({ length: 300 }, (_, i) => `export const v${i} = ${i};`)].join('\n');
    assert.deepEqual(
      fileExcerpt(bracesInStrings, [150]).map((p) => [p.from, p.to]),
      [
        [1, 2],
        [131, 171],
      ],
    );
  });

  it('puts the system prompt first, identical for every task', () => {
    const a = buildTaskMessages('fix', { uri: 'u', relativePath: 'a.ts', languageId: 'typescript', text: LONG, diagnostics: [{ message: 'm', severity: 'error', range: { startLine: 150, startCharacter: 0, endLine: 150, endCharacter: 1 } }] });
    assert.equal(a[0].content, SYSTEM_PROMPT);
    assert.match(a[1].content, /Lines 1-3 of 303:[\s\S]*Lines 131-171 of 303:/);
    assert.ok(!a[1].content.includes('export const v10 = 10;'), 'far lines are left out');
  });
});

describe('task prompts for caching', () => {
  const input = { uri: 'u', relativePath: 'a.ts', languageId: 'typescript', text: LONG, diagnostics: [] };
  const facts = 'Workspace facts (the same for every task in this workspace):\nPackage: demo';

  it('puts the workspace facts right after the system prompt, so every task shares that prefix', () => {
    const review = buildTaskMessages('review', { ...input, review: { source: 'the changes saved since the last review', hunks: '@@ -1,1 +1,1 @@\n-a\n+b', lines: [200] } }, { facts });
    const refactor = buildTaskMessages('refactor', { ...input, refactor: { reason: 'long', lines: [10, 90] } }, { facts });
    assert.equal(review[0].content, `${SYSTEM_PROMPT}\n\n${facts}`);
    assert.equal(refactor[0].content, review[0].content);
    assert.match(review[1].content, /Task: review the changes saved since the last review[\s\S]*```diff\n@@ -1,1 \+1,1 @@/);
    assert.match(review[1].content, /Lines 181-221 of 303:/, 'the excerpt follows the changed lines');
    assert.match(refactor[1].content, /Task: lines 11-91 are a refactor candidate \(long\)/);
  });

  it('lists the signatures the language server gave for the problem lines', () => {
    const m = buildTaskMessages('fix', { ...input, diagnostics: [{ message: 'm', severity: 'error', range: { startLine: 5, startCharacter: 0, endLine: 5, endCharacter: 1 } }] }, { signatures: ['function total(items: Item[]): number'] });
    assert.match(m[1].content, /Signatures of names used there \(from the language server\):\n- function total\(items: Item\[\]\): number/);
  });
});
