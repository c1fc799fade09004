/**
 * 10,000 generated malformed model replies through the real answer reader: no crash, and when a
 * reply does yield a proposal, every edit sits exactly where its anchor text is in the file.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { interpretFix } from '../../../../src/core/agent/fixTask';
import { applyReplacements } from '../../../../src/core/edits/searchReplace';
import type { ChatResult } from '../../../../src/core/providers/modelBackend';
import { seededRandom } from '../../../harness/seededRandom';

const FILE = ['import { a } from "./a";', '', 'export function f(x: number): number {', '  const y: number = "1";', '  return x + y;', '}', '', 'export const z = f(2);', ''].join('\n');
const GOOD = ['TITLE: Fix y', 'WHY: because', '<<<<<<< SEARCH', '  const y: number = "1";', '=======', '  const y: number = 1;', '>>>>>>> REPLACE'].join('\n');
const input = {
  uri: 'file:///ws/src/f.ts',
  relativePath: 'src/f.ts',
  languageId: 'typescript',
  text: FILE,
  diagnostics: [{ message: 'm', severity: 'error' as const, range: { startLine: 3, startCharacter: 8, endLine: 3, endCharacter: 9 } }],
};

function result(answer: string): ChatResult {
  return {
    answer,
    thinking: '',
    rawContent: answer,
    finishReason: 'stop',
    model: 'm',
    usage: { inputTokens: 1, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 1, reasoningTokens: 0, latencyMs: 1, ttftMs: 1, outputTokensPerSecond: null, costUsd: 0, costSource: 'price-table' },
  };
}

const random = seededRandom(7);
const rand = (n: number): number => Math.floor(random() * n);
const pick = <T>(xs: readonly T[]): T => xs[rand(xs.length)];

const FRAGMENTS = ['<<<<<<< SEARCH', '=======', '>>>>>>> REPLACE', 'TITLE: x', 'WHY: y', '../../etc/passwd', 'FILE: ../outside.ts', '\u0000\u0001\ufffd', '  return x + y;', 'export', '}', '', '  const y: number = "1";', '\r\n', '<<<<<<<SEARCH', '>>>>>>>REPLACE'];

function mutate(): string {
  switch (rand(8)) {
    case 0:
      return GOOD.slice(0, rand(GOOD.length)); // cut short
    case 1:
      return Array.from({ length: rand(30) }, () => pick(FRAGMENTS)).join('\n'); // shuffled pieces
    case 2:
      return String.fromCharCode(...Array.from({ length: rand(400) }, () => rand(0x3000))); // binary-ish
    case 3:
      return GOOD.replace('"1"', pick(['"2"', '', '"1"  ', "'1'"])); // search text that is not in the file
    case 4:
      return `${GOOD}\n${GOOD.replace('TITLE: Fix y\nWHY: because\n', '')}`; // the same edit twice: overlap
    case 5:
      return GOOD.replace('  const y: number = "1";', pick(['}', 'export', '\n', ' '])); // ambiguous or empty search
    case 6:
      return GOOD + '\n' + 'x'.repeat(rand(200_000)); // huge output
    default:
      return GOOD.split('\n').sort(() => rand(3) - 1).join('\n'); // lines in any order
  }
}

describe('malformed model replies', () => {
  it('10,000 of them: no crash, and nothing applied anywhere but at its anchor', () => {
    let proposals = 0;
    for (let i = 0; i < 10_000; i++) {
      const answer = mutate();
      const outcome = interpretFix(input, result(answer), { newId: () => `p${i}`, now: () => new Date(0) });
      if (outcome.kind !== 'proposal') {
        assert.equal(typeof outcome.reason, 'string');
        continue;
      }
      proposals++;
      const file = outcome.proposal.files[0];
      assert.equal(file.uri, input.uri, 'only the task file is ever edited');
      for (const r of file.replacements) assert.equal(FILE.slice(r.offset, r.offset + r.length), r.search, 'an edit sits exactly on its anchor');
      const after = applyReplacements(FILE, file.replacements);
      assert.ok(after.startsWith('import { a } from "./a";'), 'untouched text stays');
    }
    assert.ok(proposals > 0 && proposals < 10_000, `${proposals} proposals`);
  });
});
