/** The compiler's fixes are formatted in the file's own indentation: its step of spaces, or tabs. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as ts from 'typescript';
import { formatLike } from '../../../../src/core/verify/tsProject';

describe('formatLike', () => {
  const pick = (s: ts.FormatCodeSettings) => [s.indentSize, s.tabSize, s.convertTabsToSpaces, s.newLineCharacter];

  it('takes the smallest step of spaces, and never a block comment’s " * " lines for one', () => {
    const text = '/**\n * A cart.\n */\nexport class Cart {\n  items: number[] = [];\n  total(): number {\n    return 0;\n  }\n}\n';
    assert.deepEqual(pick(formatLike(ts, text)), [2, 2, true, '\n']);
    assert.deepEqual(pick(formatLike(ts, text.replace(/\n {2}/g, '\n    ').replace(/\n {8}/g, '\n        '))), [4, 4, true, '\n']);
  });

  it('keeps tabs and CRLF where the file has them; a file with no indentation gets two spaces', () => {
    assert.deepEqual(pick(formatLike(ts, 'class A {\r\n\tx = 1;\r\n}\r\n')), [4, 4, false, '\r\n']);
    assert.deepEqual(pick(formatLike(ts, 'export const a = 1;\n')), [2, 2, true, '\n']);
  });
});
