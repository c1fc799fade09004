/**
 * ESLint in the composed check, as the engine builds it per folder (silencing, TypeScript, ESLint,
 * then commands and tests): an ESLint problem fixed by a right change comes out passed with the
 * target proved by ESLint (without ESLint nothing proves it); hidden by a directive comment it is
 * `silences`; a change that fixes another problem of the same rule, or brings a new one, fails;
 * and a TypeScript target is never proved by ESLint.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { DiagnosticInfo } from '../../../../../src/shared/agentProtocol';
import { EslintProcess } from '../../../../../src/core/verify/eslint/EslintProcess';
import { silencingCheck } from '../../../../../src/core/verify/silencingCheck';
import { TypeScriptVerifier } from '../../../../../src/core/verify/TypeScriptVerifier';
import { weakestOf, type VerifyRequest } from '../../../../../src/core/verify/Verifier';
import { testedProject, type TestedProject } from '../../../../harness/testedFixture';

const DISCOUNT: DiagnosticInfo = {
  message: "'discount' is never reassigned. Use 'const' instead.",
  severity: 'error',
  source: 'eslint',
  code: 'prefer-const',
  range: { startLine: 9, startCharacter: 6, endLine: 9, endCharacter: 14 },
};
const TYPE_ERROR: DiagnosticInfo = {
  message: "Type 'string' is not assignable to type 'number'.",
  severity: 'error',
  source: 'ts',
  code: '2322',
  range: { startLine: 0, startCharacter: 13, endLine: 0, endCharacter: 18 },
};

describe('ESLint in the composed check', () => {
  let project: TestedProject;
  let eslint: EslintProcess;
  let typescript: TypeScriptVerifier;
  let cart: string;
  const composed = () => weakestOf([silencingCheck, typescript, eslint]);
  const fixCart = (after: string, targets = [DISCOUNT]): VerifyRequest => ({ filePath: project.file('src/cart.ts'), before: cart, after, targets });

  before(() => {
    project = testedProject('eslint-ts', { 'src/broken.ts': "export const count: number = 'three';\n" });
    eslint = new EslintProcess(project.root, { trusted: () => true });
    typescript = new TypeScriptVerifier(project.root);
    cart = project.read('src/cart.ts');
  });
  after(async () => {
    await eslint.dispose();
    fs.rmSync(project.root, { recursive: true, force: true });
  });

  it('passes a right change, the target proved by ESLint: without ESLint nothing proves it', async () => {
    const request = fixCart(cart.replace('let discount', 'const discount'));
    const r = await composed().verify(request);
    assert.equal(r.status, 'passed', JSON.stringify(r));
    assert.equal(r.level, 'type-checked');
    assert.match(r.detail, /Checked with ESLint [\d.]+: the problem is gone and no new problem appeared in cart\.ts\./);
    assert.deepEqual((await eslint.verify(request)).proved, [0]);
    const withoutLint = await weakestOf([silencingCheck, typescript]).verify(request);
    assert.equal(withoutLint.status, 'unchecked');
    assert.match(withoutLint.detail, /No checker here reports the problem \(eslint prefer-const at line 10\)/);
  });

  it('calls an eslint-disable comment silencing', async () => {
    const r = await composed().verify(fixCart(cart.replace('  let discount = 0.1;', '  // eslint-disable-next-line prefer-const\n  let discount = 0.1;')));
    assert.equal(r.status, 'silences', JSON.stringify(r));
    assert.match(r.detail, /^adds `\/\/ eslint-disable-next-line prefer-const` at line 10 of cart\.ts: this silences the error; fix the cause$/);
  });

  it('fails a change that fixes a different problem of the same rule', async () => {
    const guards = project.read('src/guards.ts');
    const target: DiagnosticInfo = { message: "Expected '===' and instead saw '=='.", severity: 'error', source: 'eslint', code: 'eqeqeq', range: { startLine: 5, startCharacter: 22, endLine: 5, endCharacter: 24 } };
    const r = await composed().verify({ filePath: project.file('src/guards.ts'), before: guards, after: guards.replace("typeof value == 'string';", "typeof value === 'string';"), targets: [target] });
    assert.equal(r.status, 'failed', JSON.stringify(r));
    assert.deepEqual(r.errors, ["line 6: eqeqeq: Expected '===' and instead saw '=='"]);
  });

  it('fails a change that adds a new ESLint problem', async () => {
    const r = await composed().verify(fixCart(cart.replace('let discount', 'const discount').replace("return 'Item: ' + item.name", "var prefix = 'Item: ';\n  return prefix + item.name")));
    assert.equal(r.status, 'failed', JSON.stringify(r));
    assert.match(r.detail, /adds 1 new ESLint problem\(s\)/);
    assert.deepEqual(r.errors, ['line 15: no-var: Unexpected var, use let or const instead']);
  });

  it('never has ESLint prove a TypeScript target: TypeScript must', async () => {
    const broken = project.read('src/broken.ts');
    const request: VerifyRequest = { filePath: project.file('src/broken.ts'), before: broken, after: 'export const count = 3;\n', targets: [TYPE_ERROR] };
    const lint = await eslint.verify(request);
    assert.equal(lint.status, 'passed', JSON.stringify(lint));
    assert.deepEqual(lint.proved, []);
    const lintOnly = await weakestOf([silencingCheck, eslint]).verify(request);
    assert.equal(lintOnly.status, 'unchecked');
    assert.match(lintOnly.detail, /No checker here reports the problem \(ts 2322 at line 1\)/);
    assert.equal((await composed().verify(request)).status, 'passed');
  });
});
