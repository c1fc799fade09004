import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyBlocks, applyReplacements, parseAnswer } from '../../../../src/core/edits/searchReplace';

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
