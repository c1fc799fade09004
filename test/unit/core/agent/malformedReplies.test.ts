/**
 * 10,000 generated malformed model replies through the real answer reader: no crash, nothing
 * outside the workspace, and when a reply does yield a proposal, every edit sits exactly where its
 * anchor text is in its file.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { interpretAnswer } from '../../../../src/core/agent/interpretAnswer';
import { applyReplacements } from '../../../../src/core/edits/searchReplace';
import type { ChatResult } from '../../../../src/core/providers/modelBackend';
import type { FileRead } from '../../../../src/core/context/WorkspaceFiles';
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

const OTHER = ['export function helper(n: number): number {', '  return n * 2;', '}', ''].join('\n');
const OTHER_URI = 'file:///ws/src/other.ts';
/** The one other file the gate lets an answer edit; everything else is refused with a reason. */
function readOther(rel: string): FileRead & { uri?: string } {
  return rel === 'src/other.ts' ? { ok: true, text: OTHER, uri: OTHER_URI } : { ok: false, reason: 'it does not exist' };
}

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

const OTHER_EDIT = ['FILE: src/other.ts', '<<<<<<< SEARCH', '  return n * 2;', '=======', '  return n * 3;', '>>>>>>> REPLACE'].join('\n');
const FRAGMENTS = [
  'FILE: src/other.ts',
  'FILE: /etc/passwd',
  'FILE: src/../../outside.ts',
  'FILE: ..\\x.ts',
  OTHER_EDIT,
  '<<<<<<< SEARCH',
  '=======',
  '>>>>>>> REPLACE',
  'TITLE: x',
  'WHY: y',
  '../../etc/passwd',
  'FILE: ../outside.ts',
  '\u0000\u0001\ufffd',
  '  return x + y;',
  'export',
  '}',
  '',
  '  const y: number = "1";',
  '\r\n',
  '<<<<<<<SEARCH',
  '>>>>>>>REPLACE',
];

function mutate(): string {
  switch (rand(9)) {
    case 8:
      return `${GOOD}\n${pick([OTHER_EDIT, OTHER_EDIT.replace('src/other.ts', pick(['../other.ts', '/ws/src/other.ts', 'src/missing.ts', 'C:/x.ts', 'src/./other.ts']))])}`; // a second file
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
      return GOOD.split('\n')
        .sort(() => rand(3) - 1)
        .join('\n'); // lines in any order
  }
}

describe('malformed model replies', () => {
  it('10,000 of them: no crash, and nothing applied anywhere but at its anchor', () => {
    let proposals = 0;
    let multiFile = 0;
    for (let i = 0; i < 10_000; i++) {
      const answer = mutate();
      const outcome = interpretAnswer('fix', input, result(answer), { newId: () => `p${i}`, now: () => new Date(0), readOther });
      if (outcome.kind !== 'proposal') {
        assert.equal(typeof outcome.reason, 'string');
        continue;
      }
      proposals++;
      for (const file of outcome.proposal.files) {
        assert.ok([input.uri, OTHER_URI].includes(file.uri), `only workspace files the gate allows are edited, not ${file.uri}`);
        const base = file.uri === input.uri ? FILE : OTHER;
        for (const r of file.replacements) assert.equal(base.slice(r.offset, r.offset + r.length), r.search, 'an edit sits exactly on its anchor');
        if (file.uri === input.uri) assert.ok(applyReplacements(FILE, file.replacements).startsWith('import { a } from "./a";'), 'untouched text stays');
      }
      if (outcome.proposal.files.length > 1) multiFile++;
    }
    assert.ok(proposals > 0 && proposals < 10_000, `${proposals} proposals`);
    assert.ok(multiFile > 0, 'some answers edit two files');
  });
});
