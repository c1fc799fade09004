import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildFixMessages, fileExcerpt, SYSTEM_PROMPT } from '../../../../src/core/agent/fixPrompt';

const LONG = [
  "import { a } from './a';",
  "import { b } from './b';",
  '',
  ...Array.from({ length: 300 }, (_, i) => `export const v${i} = ${i};`),
].join('\n');

describe('fix prompt context', () => {
  it('sends a short file whole', () => {
    assert.deepEqual(fileExcerpt('a\nb\n', [0]), [{ from: 1, to: 3, text: 'a\nb\n' }]);
  });

  it('sends a long file as its imports plus a window around the problem, verbatim', () => {
    const parts = fileExcerpt(LONG, [150]);
    assert.deepEqual(parts.map((p) => [p.from, p.to]), [[1, 3], [121, 181]]);
    assert.equal(parts[1].text, LONG.split('\n').slice(120, 181).join('\n'));
  });

  it('puts the system prompt first, identical for every task', () => {
    const a = buildFixMessages({ uri: 'u', relativePath: 'a.ts', languageId: 'typescript', text: LONG, diagnostics: [{ message: 'm', severity: 'error', range: { startLine: 150, startCharacter: 0, endLine: 150, endCharacter: 1 } }] });
    assert.equal(a[0].content, SYSTEM_PROMPT);
    assert.match(a[1].content, /Lines 1-3 of 303:[\s\S]*Lines 121-181 of 303:/);
    assert.ok(!a[1].content.includes('export const v10 = 10;'), 'far lines are left out');
  });
});
