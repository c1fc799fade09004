/**
 * The composed verdict is the weakest part: each test first feeds it the answer that would make a
 * lenient composition say "passed" (a command's exit code standing in for a proof, a checker that
 * cannot see the target, tests that never ran), then the one that should pass.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { noVerifier, weakestOf, type Verifier, type VerifyRequest } from '../../../../src/core/verify/Verifier';
import type { CheckResult, DiagnosticInfo } from '../../../../src/shared/types';

const target = (code: string, source = 'ts'): DiagnosticInfo => ({ message: 'm', severity: 'error', source, code, range: { startLine: 4, startCharacter: 0, endLine: 4, endCharacter: 3 } });
const request = (targets: DiagnosticInfo[] = []): VerifyRequest => ({ filePath: '/ws/a.ts', before: 'a', after: 'b', targets });

const says = (result: CheckResult, runsTests = false): Verifier & { calls: number } => {
  const v = { calls: 0, runsTests, verify: async () => (v.calls++, result) };
  return v;
};
const types = (proved: number[] = []) => says({ status: 'passed', level: 'type-checked', detail: 'TypeScript ok.', proved });
const commandsPassed = () => says({ status: 'passed', detail: '`npm run lint` passed.' });
const tests = (result: Partial<CheckResult> = {}) => says({ status: 'passed', level: 'tested', detail: '3 tests pass.', testsAvailable: true, ...result }, true);

describe('weakestOf', () => {
  it('never lets a command’s exit code prove a target no checker reports (an ESLint problem with a TypeScript checker)', async () => {
    const tsCannotSee = says({ status: 'unchecked', detail: 'TypeScript does not report the problem.', proved: [] });
    const testPart = tests();
    const r = await weakestOf([tsCannotSee, commandsPassed(), testPart]).verify(request([target('no-unused-vars', 'eslint')]));
    assert.equal(r.status, 'unchecked');
    assert.match(r.detail, /No checker here reports the problem \(eslint no-unused-vars at line 5\)/);
    assert.equal(testPart.calls, 0, 'tests are not run for a target nothing can prove gone');
  });

  it('a passing part does not prove another part’s target: each target needs its own proof', async () => {
    const r = await weakestOf([types([0])]).verify(request([target('2322'), target('2345')]));
    assert.equal(r.status, 'unchecked');
    assert.match(r.detail, /2345 at line 5/);
  });

  it('is type-checked, saying why, when the tests part could not run; tested only when tests passed', async () => {
    const noReach = tests({ status: 'unchecked', level: undefined, untested: 'no test reaches this change', detail: 'No test reaches src/a.ts.' });
    const r = await weakestOf([types([0]), noReach]).verify(request([target('2322')]));
    assert.deepEqual({ status: r.status, level: r.level, untested: r.untested, testsAvailable: r.testsAvailable }, { status: 'passed', level: 'type-checked', untested: 'no test reaches this change', testsAvailable: true });
    const t = await weakestOf([types([0]), tests()]).verify(request([target('2322')]));
    assert.deepEqual({ status: t.status, level: t.level }, { status: 'passed', level: 'tested' });
  });

  it('tests alone never make a check passed when nothing proved the target', async () => {
    const r = await weakestOf([noVerifier, tests()]).verify(request([target('2322')]));
    assert.equal(r.status, 'unchecked');
  });

  it('stops at the first failure or silencing, without running the rest', async () => {
    const later = tests();
    const failure: CheckResult = { status: 'failed', detail: 'broken', errors: ['e'] };
    assert.deepEqual(await weakestOf([types([0]), says(failure), later]).verify(request([target('2322')])), failure);
    const hush: CheckResult = { status: 'silences', detail: 'adds // @ts-expect-error' };
    assert.deepEqual(await weakestOf([says(hush), types([0]), later]).verify(request([target('2322')])), hush);
    assert.equal(later.calls, 0);
  });

  it('a failed test fails the whole check, even when the types passed', async () => {
    const r = await weakestOf([types([0]), tests({ status: 'failed', level: undefined, detail: '1 test fails.', errors: ['parse › keeps the query'] })]).verify(request([target('2322')]));
    assert.equal(r.status, 'failed');
  });

  it('is unchecked when nothing ran, and carries the policy’s test requirement', async () => {
    assert.equal((await weakestOf([noVerifier]).verify(request())).status, 'unchecked');
    assert.equal((await weakestOf([]).verify(request())).status, 'unchecked');
    const r = await weakestOf([types()], { testsRequired: () => true }).verify(request());
    assert.deepEqual({ status: r.status, level: r.level, testsRequired: r.testsRequired }, { status: 'passed', level: 'type-checked', testsRequired: true });
  });

  it('a change with no targets (a review or a refactor) passes on no new error, as type-checked', async () => {
    const r = await weakestOf([types(), commandsPassed()]).verify(request());
    assert.deepEqual({ status: r.status, level: r.level }, { status: 'passed', level: 'type-checked' });
    assert.equal(r.detail, 'TypeScript ok. `npm run lint` passed.');
  });
});
