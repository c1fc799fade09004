import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyBlocks, applyReplacements, parseAnswer, rebaseReplacements } from '../../../../src/core/edits/searchReplace';

const FILE = ['export function add(a: number, b: number): number {', '  return a - b;', '}', ''].join('\n');

describe('parseAnswer', () => {
  it('reads the title, the rationale and a block', () => {
    const parsed = parseAnswer(
      ['TITLE: Fix add', 'WHY: it subtracted', '<<<<<<< SEARCH', '  return a - b;', '=======', '  return a + b;', '>>>>>>> REPLACE'].join('\n'),
    );
    assert.equal(parsed.title, 'Fix add');
    assert.equal(parsed.rationale, 'it subtracted');
    assert.deepEqual(parsed.blocks, [{ search: '  return a - b;', replace: '  return a + b;' }]);
    assert.deepEqual(parsed.problems, []);
  });

  it('reads several blocks, CRLF answers and an empty replacement', () => {
    const answer = ['<<<<<<< SEARCH', 'a', '=======', 'b', '>>>>>>> REPLACE', 'text', '<<<<<<< SEARCH', 'c', '=======', '>>>>>>> REPLACE'].join('\r\n');
    assert.deepEqual(parseAnswer(answer).blocks, [
      { search: 'a', replace: 'b' },
      { search: 'c', replace: '' },
    ]);
  });

  it('reports an unterminated block and does not invent an edit', () => {
    const parsed = parseAnswer(['<<<<<<< SEARCH', 'a', '=======', 'b'].join('\n'));
    assert.equal(parsed.blocks.length, 0);
    assert.match(parsed.problems[0], /not terminated/);
  });

  it('reads FILE: lines as the file of the blocks after them, until the next FILE: line', () => {
    const answer = ['TITLE: t', '<<<<<<< SEARCH', 'a', '=======', 'b', '>>>>>>> REPLACE', 'FILE: src/other.ts', '<<<<<<< SEARCH', 'c', '=======', 'd', '>>>>>>> REPLACE', '  file : `lib/x.ts`  ', '<<<<<<< SEARCH', 'e', '=======', 'f', '>>>>>>> REPLACE'].join('\n');
    assert.deepEqual(parseAnswer(answer).blocks, [
      { search: 'a', replace: 'b' },
      { search: 'c', replace: 'd', path: 'src/other.ts' },
      { search: 'e', replace: 'f', path: 'lib/x.ts' },
    ]);
  });

  it('takes the first TITLE and WHY before the blocks only, trimmed and cut to length', () => {
    const long = 'x'.repeat(500);
    const parsed = parseAnswer([`title:   ${long}  `, 'WHY: first', 'TITLE: second', `why: ${long}`, '<<<<<<< SEARCH', 'a', '=======', 'TITLE: inside', '>>>>>>> REPLACE', 'TITLE: after'].join('\n'));
    assert.equal(parsed.title, 'x'.repeat(120));
    assert.equal(parsed.rationale, 'first');
    assert.deepEqual(parsed.blocks, [{ search: 'a', replace: 'TITLE: inside' }]);
    assert.equal(parseAnswer(`WHY: ${long}`).rationale, 'x'.repeat(400));
  });

  it('accepts 5 to 9 markers with or without a space, and restarts at a SEARCH inside an open block', () => {
    const answer = ['<<<<<SEARCH', 'a', '=====', 'b', '>>>>>>>>> REPLACE  ', '<<<<<<< SEARCH', 'lost', '<<<<<<< SEARCH', 'c', '=======', 'd', '>>>>>>> REPLACE'].join('\n');
    const parsed = parseAnswer(answer);
    assert.deepEqual(parsed.blocks, [
      { search: 'a', replace: 'b' },
      { search: 'c', replace: 'd' },
    ]);
    assert.deepEqual(parsed.problems, ['an edit block starting at line 6 of the answer is not terminated']);
    assert.deepEqual(parseAnswer(['<<<< SEARCH', 'a', '====', 'b', '>>>> REPLACE'].join('\n')).blocks, [], 'four markers are not a block');
    assert.deepEqual(parseAnswer(['<<<<<<<<<< SEARCH', 'a', '=======', 'b', '>>>>>>> REPLACE'].join('\n')).blocks, [], 'ten markers are not a block');
  });

  it('finds nothing in prose', () => {
    const parsed = parseAnswer('I think you should change the minus to a plus.');
    assert.equal(parsed.blocks.length, 0);
    assert.equal(parsed.title, '');
  });
});

describe('applyBlocks', () => {
  it('applies an exact match and reports the replacement in base offsets', () => {
    const result = applyBlocks(FILE, [{ search: '  return a - b;', replace: '  return a + b;' }]);
    assert.ok(result.ok);
    assert.equal(result.newText, FILE.replace('a - b', 'a + b'));
    assert.deepEqual(result.replacements, [{ offset: FILE.indexOf('  return'), length: 15, newText: '  return a + b;', search: '  return a - b;' }]);
    assert.equal(applyReplacements(FILE, result.replacements), result.newText);
  });

  it('rejects a search text that is not in the file, never applying it elsewhere', () => {
    const result = applyBlocks(FILE, [{ search: 'return a * b;', replace: 'return a + b;' }]);
    assert.deepEqual(result, { ok: false, reason: 'edit 1: the search text is not in the file' });
  });

  it('matches a search text whose indentation is off, and re-indents the replacement', () => {
    const file = ['class A {', '    run() {', '        return 1 - 2;', '    }', '}', ''].join('\n');
    const result = applyBlocks(file, [{ search: 'run() {\n    return 1 - 2;\n}', replace: 'run() {\n    return 1 + 2;\n}' }]);
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(result.newText, file.replace('1 - 2', '1 + 2'));
    assert.equal(result.replacements[0].search, '    run() {\n        return 1 - 2;\n    }');
  });

  it('rejects a loose match that fits more than one place', () => {
    const file = 'if (a) {\n  go();\n}\nif (b) {\n    go();\n}\n';
    assert.deepEqual(applyBlocks(file, [{ search: 'go();', replace: 'stop();' }]), { ok: false, reason: 'edit 1: the search text occurs more than once' });
    assert.equal(applyBlocks(file, [{ search: '   go();   ', replace: 'x' }]).ok, false);
  });

  it('rejects differences inside a line (only surrounding whitespace is forgiven)', () => {
    const result = applyBlocks(FILE, [{ search: 'return  a - b;', replace: 'x' }]);
    assert.equal(result.ok, false);
  });

  it('rejects an ambiguous search text', () => {
    const result = applyBlocks('x\nx\n', [{ search: 'x', replace: 'y' }]);
    assert.deepEqual(result, { ok: false, reason: 'edit 1: the search text occurs more than once' });
    // Twice inside one line: only the exact count can tell, never the first match.
    assert.deepEqual(applyBlocks('const a = x + x;\n', [{ search: 'x', replace: 'y' }]), { ok: false, reason: 'edit 1: the search text occurs more than once' });
    assert.deepEqual(applyBlocks('ab ab ab\n', [{ search: 'ab', replace: 'y' }]), { ok: false, reason: 'edit 1: the search text occurs more than once' });
    assert.deepEqual(applyBlocks('ok\nxyx\n', [{ search: 'ok', replace: 'fine' }, { search: 'x', replace: 'z' }]), { ok: false, reason: 'edit 2: the search text occurs more than once' });
  });

  it('rejects an empty search, no edits and overlapping edits, applying nothing', () => {
    assert.equal(applyBlocks(FILE, [{ search: '  ', replace: 'x' }]).ok, false);
    assert.equal(applyBlocks(FILE, []).ok, false);
    const overlap = applyBlocks(FILE, [
      { search: 'return a - b;', replace: 'r' },
      { search: 'a - b;\n}', replace: 's' },
    ]);
    assert.deepEqual(overlap, { ok: false, reason: 'two edits overlap' });
  });

  it('applies blocks given out of order', () => {
    const result = applyBlocks('one\ntwo\nthree\n', [
      { search: 'three', replace: '3' },
      { search: 'one', replace: '1' },
    ]);
    assert.ok(result.ok);
    assert.equal(result.newText, '1\ntwo\n3\n');
  });

  it('keeps a CRLF file CRLF', () => {
    const crlf = FILE.replace(/\n/g, '\r\n');
    const result = applyBlocks(crlf, [{ search: '  return a - b;\n}', replace: '  return a + b;\n}' }]);
    assert.ok(result.ok);
    assert.equal(result.newText, crlf.replace('a - b', 'a + b'));
  });
});

describe('rebaseReplacements', () => {
  const base = 'import a;\nconst v = 1;\nconst w = 2;\n';
  const applied = applyBlocks(base, [
    { search: 'const w = 2;', replace: 'const w = 3;' },
    { search: 'const v = 1;', replace: 'const v = 0;' },
  ]);
  assert.ok(applied.ok);

  it('moves each replacement onto its anchor in the new text, in order', () => {
    const text = '// new header\nimport a;\nimport b;\nconst v = 1;\n\nconst w = 2;\n';
    const moved = rebaseReplacements(text, applied.replacements);
    assert.deepEqual(moved?.map((r) => [r.offset, r.search]), [
      [text.indexOf('const v'), 'const v = 1;'],
      [text.indexOf('const w'), 'const w = 2;'],
    ]);
    assert.equal(applyReplacements(text, moved!), text.replace('v = 1', 'v = 0').replace('w = 2', 'w = 3'));
    assert.deepEqual(rebaseReplacements(base, applied.replacements), applied.replacements, 'the same text: the same places');
  });

  it('gives up when an anchor is gone, occurs twice, or the anchors now overlap', () => {
    assert.equal(rebaseReplacements(base.replace('const v = 1;', 'const v = 5;'), applied.replacements), undefined);
    assert.equal(rebaseReplacements(`${base}const v = 1;\n`, applied.replacements), undefined);
    const overlapping = [
      { offset: 0, length: 5, newText: 'x', search: 'abcde' },
      { offset: 3, length: 4, newText: 'y', search: 'defg' },
    ];
    assert.equal(rebaseReplacements('..abcdefg..', overlapping), undefined);
    const touching = [
      { offset: 0, length: 3, newText: 'x', search: 'abc' },
      { offset: 3, length: 3, newText: 'y', search: 'def' },
    ];
    assert.equal(rebaseReplacements('abcdef', touching)?.length, 2, 'anchors that only touch do not overlap');
  });
});
