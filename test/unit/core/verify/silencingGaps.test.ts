/**
 * Silencing the second outside test (issue 24) got shown as a fix: ESLint's inline config with a
 * quoted rule name and a `/* global *\/` declaration, isort's directives (Ruff's I001 honours them
 * whatever --ignore-noqa says), a module-wide `pytestmark` skip and unittest's skips; and the lint
 * judge's count when a target's line was rewritten (two problems of one rule, one left).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { judgeLint } from '../../../../src/core/verify/eslint/eslintJudge';
import type { LintMessage } from '../../../../src/core/verify/eslint/workspaceEslint';
import { RUFF } from '../../../../src/core/verify/ruff/ruffOutput';
import { silencingIn } from '../../../../src/core/verify/silencing';
import { suppressionsIn } from '../../../../src/core/verify/suppressionComments';

describe('silencing the outside test got through', () => {
  it('counts ESLint’s quoted inline config and a global declaration as suppressions, not a mention of them', () => {
    assert.equal(suppressionsIn('/w/b.js', '/* eslint "no-undef": "off" */\nmissing();\n').length, 1);
    assert.equal(suppressionsIn('/w/b.js', "/* eslint 'no-undef': 0 */\n").length, 1);
    assert.equal(suppressionsIn('/w/a.js', '/* global missingA */\nmissingA();\n').length, 1);
    assert.equal(suppressionsIn('/w/a.js', '/* globals a, b */\n').length, 1);
    assert.equal(suppressionsIn('/w/a.js', '// the global state lives here\n').length, 0);
    assert.equal(suppressionsIn('/w/a.js', '// global counter for the requests\n').length, 0, 'ESLint reads no line comment as a declaration');
  });

  it('counts isort’s directives in a Python file', () => {
    for (const line of ['# isort: skip_file', '#isort:off', 'import b  # isort: skip']) assert.equal(suppressionsIn('/w/app.py', `${line}\nimport a\n`).length, 1, line);
    assert.equal(suppressionsIn('/w/app.py', '# sort these with isort\nimport a\n').length, 0);
  });

  it('calls a module-wide pytest skip and unittest’s skips in a test file silencing', () => {
    const before = 'import pytest\n\n\ndef test_mode():\n    assert mode() == "prod"\n';
    assert.match(silencingIn([{ filePath: '/w/tests/test_app.py', before, after: before.replace('import pytest\n', 'import pytest\n\npytestmark = pytest.mark.skip(reason="flaky")\n') }]) ?? '', /skips or narrows tests/);
    assert.match(silencingIn([{ filePath: '/w/tests/test_app.py', before, after: before.replace('    assert', '    self.skipTest("later")\n    assert') }]) ?? '', /skips or narrows tests/);
    assert.match(silencingIn([{ filePath: '/w/tests/test_app.py', before, after: before.replace('def test_mode', '@unittest.skipIf(True, "x")\ndef test_mode') }]) ?? '', /skips or narrows tests/);
  });

  it('does not prove two targets of one rule gone when one is left on a rewritten line', () => {
    const e741 = (line: number): LintMessage => ({ ruleId: 'E741', severity: 2, message: 'Ambiguous variable name', line, column: 1 });
    const target = (line: number) => ({ message: 'Ambiguous variable name', severity: 'warning' as const, source: 'Ruff', code: 'E741', range: { startLine: line - 1, startCharacter: 0, endLine: line - 1, endCharacter: 1 } });
    const before = 'l = 1\n\n\n\n\n\nI = 2\n';
    const after = 'l = 1 + 0\n\n\n\n\n\nindex = 2\n';
    const file = { filePath: '/w/amb.py', before, after, was: { filePath: '/w/amb.py', messages: [e741(1), e741(7)] }, now: { filePath: '/w/amb.py', messages: [e741(1)] } };
    const result = judgeLint([target(1), target(7)], file, [file], { version: '0.16.10', root: '/w', linter: RUFF });
    assert.equal(result.status, 'failed', result.detail);
    assert.match(result.detail, /still there/);
    const both = { ...file, after: 'ell = 1\n\n\n\n\n\nindex = 2\n', now: { filePath: '/w/amb.py', messages: [] } };
    assert.equal(judgeLint([target(1), target(7)], both, [both], { version: '0.16.10', root: '/w', linter: RUFF }).status, 'passed');
  });
});
