import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { byFile, matchProblems } from '../../../../src/core/signals/problemMatcher';

const root = path.resolve('/ws');
const at = (p: ReturnType<typeof matchProblems>[number]) => [path.relative(root, p.file), p.diagnostic.range.startLine, p.diagnostic.range.startCharacter, p.diagnostic.severity, p.diagnostic.code, p.diagnostic.message];

describe('problem matchers for check commands', () => {
  it("reads tsc's format with the TypeScript code", () => {
    const out = "src/a.ts(12,5): error TS2304: Cannot find name 'x'.\nFound 1 error.";
    assert.deepEqual(matchProblems(out, root).map(at), [['src/a.ts', 11, 4, 'error', '2304', "Cannot find name 'x'."]]);
  });

  it('reads the compiler line format (gcc, ruff, mypy, go vet), skipping notes', () => {
    const out = ["main.c:3:5: error: 'y' undeclared (first use in this function)", 'main.c:3:5: note: each undeclared identifier is reported only once', 'app.py:10:1: F401 [*] `os` imported but unused', 'lib.py:4:7: warning: unused variable'].join('\n');
    assert.deepEqual(
      matchProblems(out, root).map((p) => at(p).slice(0, 4)),
      [
        ['main.c', 2, 4, 'error'],
        ['app.py', 9, 0, 'error'],
        ['lib.py', 3, 6, 'warning'],
      ],
    );
  });

  it("reads ESLint's stylish format, file line then rows, with the rule as code", () => {
    const out = ['', '/ws/src/b.js', "  1:7   error    'unused' is assigned a value but never used  no-unused-vars", '  3:1   warning  Unexpected console statement               no-console', '', '✖ 2 problems (1 error, 1 warning)'].join('\n');
    assert.deepEqual(matchProblems(out, root, 'eslint').map(at), [
      ['src/b.js', 0, 6, 'error', 'no-unused-vars', "'unused' is assigned a value but never used"],
      ['src/b.js', 2, 0, 'warning', 'no-console', 'Unexpected console statement'],
    ]);
    assert.equal(matchProblems(out, root, 'eslint')[0].diagnostic.source, 'eslint');
  });

  it("reads ESLint's compact format and strips colour codes", () => {
    const out = '\x1b[31m/ws/src/c.js: line 2, col 3, Error - Missing semicolon. (semi)\x1b[0m';
    assert.deepEqual(matchProblems(out, root).map(at), [['src/c.js', 1, 2, 'error', 'semi', 'Missing semicolon.']]);
  });

  it('takes nothing from prose, summaries or a row without its file line', () => {
    const out = ['Running checks…', '  12:3  error  orphan row  rule', 'All good: 0 problems', 'https://example.com:8080/path'].join('\n');
    assert.deepEqual(matchProblems(out, root), []);
  });

  it('groups by file in the order first seen', () => {
    const out = 'b.ts(1,1): error TS1: one\na.ts(1,1): error TS2: two\nb.ts(2,1): error TS3: three';
    assert.deepEqual(
      [...byFile(matchProblems(out, root)).entries()].map(([f, l]) => [path.basename(f), l.length]),
      [
        ['b.ts', 2],
        ['a.ts', 1],
      ],
    );
  });
});
