import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { anchoredReplacements } from '../../../../src/core/edits/anchoredDiff';
import { applyReplacements, rebaseReplacements } from '../../../../src/core/edits/searchReplace';

/** Each replacement's anchor is the text it replaces, occurs once, and the set rebuilds `after`. */
function assertSound(before: string, after: string): ReturnType<typeof anchoredReplacements> {
  const r = anchoredReplacements(before, after);
  assert.equal(applyReplacements(before, r), after, JSON.stringify({ before, after, r }));
  for (const x of r) assert.equal(before.slice(x.offset, x.offset + x.length), x.search);
  if (before.trim() !== '') assert.deepEqual(rebaseReplacements(before, r), r, 'every anchor is unique, so it follows the file');
  return r;
}

describe('anchoredReplacements', () => {
  it('makes one replacement per changed run, anchored on its own lines', () => {
    const r = assertSound('one\ntwo\nthree\nfour\nfive\n', 'ONE\ntwo\nthree\nfour\nFIVE\n');
    assert.deepEqual(
      r.map((x) => [x.search, x.newText]),
      [
        ['one\n', 'ONE\n'],
        ['five\n', 'FIVE\n'],
      ],
    );
  });

  it('grows an insertion or a repeated line until its anchor is unique', () => {
    const insert = assertSound('import a;\n\nfoo();\n', 'import a;\nimport b;\n\nfoo();\n');
    assert.equal(insert.length, 1);
    assert.ok(insert[0].search.length > 0);
    assertSound('x\nx\nx\ny\n', 'x\nx\nX\ny\n');
    assertSound('}\n}\n}\n', '}\n}\n');
  });

  it('merges runs whose anchors meet, and handles a last line without a newline', () => {
    assertSound('a\na\nb\na\na\n', 'A\na\nb\na\nA\n');
    assertSound('abc', 'abd');
    assertSound('', 'new\n');
  });

  it('holds for random line edits (seeded)', () => {
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const words = ['a', 'b', '}', '', 'foo();', 'import x;'];
    for (let k = 0; k < 500; k++) {
      const lines = Array.from({ length: 1 + rand(8) }, () => words[rand(words.length)]);
      const next = lines.flatMap((l) => (rand(4) === 0 ? [] : rand(4) === 0 ? [l, words[rand(words.length)]] : rand(5) === 0 ? [words[rand(words.length)]] : [l]));
      assertSound(lines.join('\n') + '\n', next.join('\n') + (next.length ? '\n' : ''));
    }
  });
});
