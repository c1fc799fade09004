import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyBlocks, applyReplacements, parseAnswer, rebaseReplacements } from '../../../../src/core/edits/searchReplace';

const FILE = ['export function add(a: number, b: number): number {', '  return a - b;', '}', ''].join('\n');

describe('parseAnswer', () => {
  it('reads the title, the rationale and a block', () => {
    const parsed = parseAnswer(['TITLE: Fix add', 'WHY: it subtracted', '<<<<<<< SEARCH', '  return a - b;', '=======', '  return a + b;', '>>>>>>> REPLACE'].join('\n'));
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

  it('takes marker lines only whole: trailing spaces are fine, other text is not', () => {
    const blocks = (...lines: string[]) => parseAnswer(lines.join('\n')).blocks;
    assert.deepEqual(blocks('<<<<<<< SEARCH  ', 'a', '=======  ', 'b', '>>>>>>>REPLACE'), [{ search: 'a', replace: 'b' }]);
    assert.deepEqual(blocks('<<<<<<< SEARCH the next line', 'a', '=======', 'b', '>>>>>>> REPLACE'), [], 'text after SEARCH: not a marker');
    assert.deepEqual(blocks('<<<<<<< SEARCH', 'x =======', 'a', '=======', 'b', 'y >>>>>>> REPLACE', '>>>>>>> REPLACE'), [{ search: 'x =======\na', replace: 'b\ny >>>>>>> REPLACE' }]);
    assert.deepEqual(blocks('<<<<<<< SEARCH', 'a', '======= x', '=======', 'b', '>>>>>>> REPLACE now', '>>>>>>> REPLACE'), [{ search: 'a\n======= x', replace: 'b\n>>>>>>> REPLACE now' }]);
  });

  it('keeps multi-line texts, a second divider in the replacement, and needs a divider', () => {
    const blocks = (...lines: string[]) => parseAnswer(lines.join('\n'));
    assert.deepEqual(blocks('<<<<<<< SEARCH', 'a', 'b', '=======', 'c', '=======', 'd', '>>>>>>> REPLACE').blocks, [{ search: 'a\nb', replace: 'c\n=======\nd' }]);
    const none = blocks('<<<<<<< SEARCH', 'a', '>>>>>>> REPLACE');
    assert.deepEqual(none.blocks, []);
    assert.deepEqual(none.problems, ['an edit block starting at line 1 of the answer is not terminated']);
    assert.deepEqual(blocks('<<<<<<< SEARCH', 'a', '>>>>>>> REPLACE', '=======', 'b', '>>>>>>> REPLACE').blocks, [{ search: 'a\n>>>>>>> REPLACE', replace: 'b' }], 'a REPLACE line before the divider is search text');
  });

  it('reads lines after a block afresh: a FILE: line inside a replacement is code', () => {
    const parsed = parseAnswer(['<<<<<<< SEARCH', 'a', '=======', 'FILE: not-a-path.ts', '>>>>>>> REPLACE', '<<<<<<< SEARCH', 'c', '=======', 'd', '>>>>>>> REPLACE'].join('\n'));
    assert.deepEqual(parsed.blocks, [
      { search: 'a', replace: 'FILE: not-a-path.ts' },
      { search: 'c', replace: 'd' },
    ]);
  });

  it('reads FILE:, TITLE: and WHY: only at the start of a line, with or without spaces around the colon', () => {
    const block = ['<<<<<<< SEARCH', 'a', '=======', 'b', '>>>>>>> REPLACE'];
    assert.equal(parseAnswer(['See FILE: src/x.ts', ...block].join('\n')).blocks[0].path, undefined);
    assert.equal(parseAnswer(['FILE:src/x.ts', ...block].join('\n')).blocks[0].path, 'src/x.ts');
    assert.equal(parseAnswer('The TITLE: is missing').title, '');
    assert.equal(parseAnswer('  TITLE: Indented').title, 'Indented');
    assert.equal(parseAnswer('TITLE : Spaced').title, 'Spaced');
    assert.equal(parseAnswer('TITLE:Tight').title, 'Tight');
    assert.equal(parseAnswer('WHY:tight  ').rationale, 'tight');
    assert.equal(parseAnswer('TITLE: Trailing   ').title, 'Trailing');
  });

  it('takes a second TITLE for nothing, and no TITLE after the blocks', () => {
    const parsed = parseAnswer(['TITLE: first', 'TITLE: second', 'WHY: because', '<<<<<<< SEARCH', 'a', '=======', 'b', '>>>>>>> REPLACE', 'WHY: late'].join('\n'));
    assert.equal(parsed.title, 'first');
    assert.equal(parsed.rationale, 'because');
    const late = parseAnswer(['<<<<<<< SEARCH', 'a', '=======', 'b', '>>>>>>> REPLACE', 'TITLE: late', 'WHY: late'].join('\n'));
    assert.equal(late.title, '');
    assert.equal(late.rationale, '');
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
    assert.deepEqual(
      applyBlocks('ok\nxyx\n', [
        { search: 'ok', replace: 'fine' },
        { search: 'x', replace: 'z' },
      ]),
      { ok: false, reason: 'edit 2: the search text occurs more than once' },
    );
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

  it('says which edit failed and why', () => {
    assert.deepEqual(applyBlocks(FILE, []), { ok: false, reason: 'the answer contains no edit' });
    assert.deepEqual(
      applyBlocks(FILE, [
        { search: '  return a - b;', replace: 'x' },
        { search: ' \n ', replace: 'y' },
      ]),
      { ok: false, reason: 'edit 2 has an empty search text' },
    );
    const twice = 'if (a) {\n  go();\n}\nif (b) {\n    go();\n}\n';
    assert.deepEqual(
      applyBlocks(twice, [
        { search: 'if (a) {', replace: 'if (c) {' },
        { search: 'go(); ', replace: 'stop();' },
      ]),
      { ok: false, reason: 'edit 2: the search text occurs more than once' },
      'ambiguous only loosely',
    );
  });

  it('applies edits that touch but do not overlap', () => {
    const r = applyBlocks('abcd\n', [
      { search: 'ab', replace: 'AB' },
      { search: 'cd', replace: 'CD' },
    ]);
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.newText, 'ABCD\n');
  });

  it('ignores blank lines around a loose search text, and matches on the last line of a file', () => {
    const file = 'if (a) {\n    go();\n}\nnext();';
    const trailing = applyBlocks(file, [{ search: '  go();\n\n', replace: '  stop();' }]);
    assert.ok(trailing.ok, JSON.stringify(trailing));
    assert.equal(trailing.newText, 'if (a) {\n    stop();\n}\nnext();');
    const leading = applyBlocks(file, [{ search: '\n\n  go();', replace: '  stop();' }]);
    assert.ok(leading.ok, JSON.stringify(leading));
    assert.equal(leading.newText, trailing.newText);
    const last = applyBlocks(file, [{ search: 'next(); ', replace: 'done();' }]);
    assert.ok(last.ok, JSON.stringify(last));
    assert.equal(last.newText, 'if (a) {\n    go();\n}\ndone();');
  });

  it('with the same indentation, drops the blank lines around a loose replacement; a blank one deletes', () => {
    const file = 'a\n  go();\nb\n';
    const r = applyBlocks(file, [{ search: '  go(); ', replace: '\n  stop();\n' }]);
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.newText, 'a\n  stop();\nb\n');
    const gone = applyBlocks(file, [{ search: '  go(); ', replace: '' }]);
    assert.ok(gone.ok);
    assert.equal(gone.newText, 'a\n\nb\n');
    const crlf = applyBlocks('a\r\n  go();\r\nb\r\n', [{ search: '  go(); ', replace: '\r\n  stop();\r\n' }]);
    assert.ok(crlf.ok);
    assert.equal(crlf.newText, 'a\r\n  stop();\r\nb\r\n');
  });

  it('re-indents by the first non-blank line, keeps blank and shallower lines, drops blank lines around it', () => {
    const file = ['class A {', '\t\trun() {', '\t\t\treturn 1;', '\t\t}', '}', ''].join('\n');
    const r = applyBlocks(file, [{ search: '\n  run() {\n    return 1;\n  }', replace: '\n  run() {\n\n    return 2;\nlabel: 0;\n  }\n' }]);
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.newText, ['class A {', '\t\trun() {', '', '\t\t  return 2;', 'label: 0;', '\t\t}', '}', ''].join('\n'));
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
    assert.deepEqual(
      moved?.map((r) => [r.offset, r.search]),
      [
        [text.indexOf('const v'), 'const v = 1;'],
        [text.indexOf('const w'), 'const w = 2;'],
      ],
    );
    assert.equal(applyReplacements(text, moved!), text.replace('v = 1', 'v = 0').replace('w = 2', 'w = 3'));
    assert.deepEqual(rebaseReplacements(base, applied.replacements), applied.replacements, 'the same text: the same places');
  });

  it('sorts anchors that changed order', () => {
    const moved = rebaseReplacements('const w = 2;\nconst v = 1;\n', applied.replacements);
    assert.deepEqual(
      moved?.map((r) => r.search),
      ['const w = 2;', 'const v = 1;'],
    );
    assert.equal(applyReplacements('const w = 2;\nconst v = 1;\n', moved!), 'const w = 3;\nconst v = 0;\n');
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
