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
import * as ts from 'typescript';
import { loosensScript, loosensTypes, touchesUnused } from '../../../../src/core/verify/looseTypes';
import { addsGlobalDeclaration, silencesTarget, silencingIn } from '../../../../src/core/verify/silencing';
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

  // The skips below (pytestmark, skipTest, unittest.skipIf) are the wrong answers under test, inside test data; no test of ours is skipped.
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

describe('silencing the second round of the outside test got through', () => {
  const TARGET = 'export function hello(name: string | undefined): string {\n  return greet(name);\n}\n';
  const line1 = { start: 1, end: 1 };

  it('calls any type assertion where the error is silencing, but not `as const` nor one elsewhere', () => {
    assert.match(silencesTarget(ts, '/w/h.ts', TARGET, TARGET.replace('greet(name)', 'greet(name as string)'), line1) ?? '', /a type assertion where the error is/);
    assert.match(silencesTarget(ts, '/w/h.ts', TARGET, TARGET.replace('greet(name)', '(greet as Function)(name, 2)'), line1) ?? '', /a type assertion/);
    assert.equal(silencesTarget(ts, '/w/h.ts', TARGET, TARGET.replace('greet(name)', "greet(name ?? 'you')"), line1), undefined);
    const constant = 'const modes = ["a", "b"];\nexport const m = modes;\n';
    assert.equal(silencesTarget(ts, '/w/c.ts', constant, constant.replace('["a", "b"]', '["a", "b"] as const'), { start: 0, end: 0 }), undefined);
    assert.equal(loosensTypes(ts, '/w/other.ts', 'export const x = 1;\n', 'export const x = 1;\nexport const el = document.body as HTMLElement;\n'), undefined, 'elsewhere a fix may assert a type');
  });

  it('calls a declaration that invents a name silencing: declare module, a declared function, any change to a .d.ts', () => {
    assert.match(addsGlobalDeclaration(ts, '/w/src/shims.ts', 'export {};\n', "export {};\ndeclare module 'left-pad-missing';\n") ?? '', /adds a declaration/);
    assert.match(addsGlobalDeclaration(ts, '/w/src/aug.ts', "import { x } from './store';\n", "import { x } from './store';\ndeclare module './store' {\n  export function load(): string;\n}\n") ?? '', /adds a declaration/);
    assert.match(addsGlobalDeclaration(ts, '/w/src/a.ts', 'export {};\n', 'export {};\ndeclare function helperMissing(n: number): number;\n') ?? '', /adds a declaration/);
    assert.match(loosensTypes(ts, '/w/src/types.d.ts', 'interface A { a: number }\n', 'interface A { a: number; b: string }\n') ?? '', /changes the declaration file types\.d\.ts/);
    assert.equal(addsGlobalDeclaration(ts, '/w/src/a.ts', 'export const a = 1;\n', 'export const a = 2;\n'), undefined);
  });

  it('reads a /* global */ block comment whole, and counts `void [x]` and `void(x)` as naming a variable but not `void call()`', () => {
    assert.equal(suppressionsIn('/w/g1.js', '/*global\nmissingOne */\nmissingOne();\n').length, 1);
    assert.equal(suppressionsIn('/w/g2.js', '/*\n  global missingTwo\n*/\nmissingTwo();\n').length, 1);
    assert.equal(suppressionsIn('/w/g3.js', '/*\n  the global state\n*/\n').length, 0);
    const base = 'export function f(): void {\n  const count = 1;\n}\n';
    assert.match(touchesUnused('/w/s1.ts', base, base.replace('= 1;', '= 1;\n  void [count];')) ?? '', /only names a variable/);
    assert.match(touchesUnused('/w/s2.ts', base, base.replace('= 1;', '= 1;\n  void(count);')) ?? '', /only names a variable/);
    assert.equal(touchesUnused('/w/s3.ts', base, base.replace('= 1;', '= 1;\n  void fetchData();')), undefined, 'how a floating promise is marked handled');
  });

  it('calls a throwing stub, a JavaScript file’s @ts-check taken out and a JSDoc type loosened silencing', () => {
    const js = '// @ts-check\n/** @param {number} n */\nexport function twice(n) {\n  return n * 2;\n}\n';
    assert.match(loosensScript('/w/e.js', js, js.replace('// @ts-check\n', '')) ?? '', /takes `\/\/ @ts-check` out/);
    assert.match(loosensScript('/w/f.js', js, js.replace('{number}', '{*}')) ?? '', /loosens a JSDoc type/);
    assert.match(loosensScript('/w/f.js', js, js.replace('{number}', '{any}')) ?? '', /loosens a JSDoc type/);
    assert.match(loosensScript('/w/c.ts', 'export function sum(): number {\n  return 1;\n}\n', 'export function sum(): number {\n  throw new Error("Not implemented");\n}\n') ?? '', /a stub that throws/);
    assert.equal(loosensScript('/w/f.js', js, js.replace('n * 2', 'n + n')), undefined);
  });
});
