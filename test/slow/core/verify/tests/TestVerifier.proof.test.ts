/**
 * The tested check fed the inputs that would make it say yes wrongly, on a real vitest project
 * (test/fixtures/tested-vitest): wrong fixes that type-check, a test the change breaks next to one
 * already broken, a change no test reaches, tests that run nothing, a run that never ends, a runner
 * that cannot start. Each "passed" asserted here stands beside an input that must not pass.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { after, before, describe, it } from 'node:test';
import type { TestSettings } from '../../../../../src/core/verify/tests/TestVerifier';
import { TestVerifier } from '../../../../../src/core/verify/tests/TestVerifier';
import type { CheckResult } from '../../../../../src/shared/types';
import { snapshotFiles, testedProject, type TestedProject } from '../../../../harness/testedFixture';

const BROKEN_CALL = 'const discounted = applyDiscount(subtotal);';
const RIGHT = 'const discounted = applyDiscount(subtotal, invoice.discount);';

describe('TestVerifier proves with the tests (vitest, inputs that would pass it wrongly)', () => {
  let p: TestedProject;
  let verifier: TestVerifier;
  let settings: TestSettings = { mode: 'auto', timeoutMs: 60_000 };
  let invoice = '';
  let userFiles: Record<string, string> = {};
  let userStatus = '';
  /** The invoice fix with `line` in place of the broken call, plus other files the proposal changes. */
  const check = (line: string, also: Array<{ rel: string; after: string }> = []): Promise<CheckResult> =>
    verifier.verify({
      filePath: p.file('src/invoice.ts'),
      before: invoice,
      after: invoice.replace(BROKEN_CALL, line),
      targets: [],
      also: also.map((a) => ({ filePath: p.file(a.rel), before: p.read(a.rel), after: a.after })),
    });
  const withoutTime = (r: CheckResult) => ({ ...r, detail: r.detail.replace(/\(\d+\.\d s, /, '(T s, ') });

  // Shadow worktrees are made in the temp folder: a private one, so another process's (a scan running beside the tests) is not counted as this verifier's.
  const sharedTmp = process.env.TMPDIR;
  before(() => {
    process.env.TMPDIR = fs.mkdtempSync(`${os.tmpdir()}/nightshift-tv-`);
    p = testedProject('tested-vitest');
    // The user has work of their own in progress: an untracked test for a module of theirs, skipped
    // (it.skip is the input: a run in which no test ran must never pass, see below).
    p.write('src/rates.ts', 'export const standardRate = 20;\n');
    p.write('test/rates.test.ts', "import { it, expect } from 'vitest';\nimport { standardRate } from '../src/rates';\nit.skip('has a standard rate', () => expect(standardRate).toBe(20));\n");
    verifier = new TestVerifier(p.root, () => settings);
    invoice = p.read('src/invoice.ts');
    userFiles = snapshotFiles(p.root);
    userStatus = p.git('status', '--porcelain');
  });
  after(async () => {
    await verifier.dispose();
    if (sharedTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = sharedTmp;
  });

  it('fails each wrong fix that type-checks, naming the failing test and its assertion, with no colour codes', async () => {
    // A test of the user's whose message is painted: what reaches the model must not be.
    p.write(
      'test/painted.test.ts',
      "import { it } from 'vitest';\nimport { invoiceTotal } from '../src/invoice';\nit('paints', () => {\n  if (invoiceTotal({ items: [{ sku: 'A', unitCents: 100, quantity: 1 }], discount: { kind: 'fixed', cents: 50 }, taxPercent: 0 }) !== 50) throw new Error('\\u001b[31mwrong total\\u001b[39m');\n});\n",
    );
    try {
      const deleted = await check('const discounted = subtotal;');
      assert.equal(deleted.status, 'failed', JSON.stringify(deleted));
      assert.equal(deleted.detail, '4 tests fail with this change (vitest).');
      assert.equal(deleted.testsAvailable, true);
      const first = deleted.errors![0].split('\n');
      assert.deepEqual(first.slice(0, 3), ['FAIL test/invoice.test.ts > invoiceTotal > takes the discount off before tax', 'AssertionError: expected 1100 to be 990 // Object.is equality', 'at test/invoice.test.ts:15:97']);
      assert.ok(first.length <= 15);
      assert.ok(
        deleted.errors!.some((e) => e.startsWith('FAIL test/painted.test.ts > paints\nError: wrong total')),
        deleted.errors!.join('\n---\n'),
      );
      assert.ok(!deleted.errors!.join('\n').includes('\u001b'), 'no colour codes');
      assert.ok(!deleted.errors!.join('\n').includes(os.tmpdir()), "the workspace's paths, not the shadow's");

      const otherValue = await check("const discounted = applyDiscount(subtotal, { kind: 'fixed', cents: 0 });");
      assert.equal(otherValue.status, 'failed', JSON.stringify(otherValue));
      const discount = p.read('src/discount.ts');
      const optional = await check(BROKEN_CALL, [{ rel: 'src/discount.ts', after: discount.replace('discount: Discount): number', 'discount: Discount = NO_DISCOUNT): number') }]);
      assert.equal(optional.status, 'failed', JSON.stringify(optional));
      assert.match(optional.errors![0], /takes the discount off before tax/);
    } finally {
      fs.rmSync(p.file('test/painted.test.ts'));
    }
    // The right fix, on the same project, passes.
    assert.deepEqual(withoutTime(await check(RIGHT)), { status: 'passed', level: 'tested', detail: '6 tests in invoice.test.ts pass (T s, vitest).', testsAvailable: true });
  });

  it('never calls tested a change the tests that reach it still fail on (as they did without it), and counts one the change breaks', async () => {
    p.write('test/alreadyBroken.test.ts', "import { it, expect } from 'vitest';\nimport { invoiceTotal } from '../src/invoice';\nit('was broken before', () => expect(typeof invoiceTotal).toBe('string'));\n");
    try {
      // Not held against the change, but no evidence for it: on a fix task the base holds the bug,
      // and an answer that only hides the type error leaves the same tests failing.
      const right = await check(RIGHT);
      assert.deepEqual(withoutTime(right), {
        status: 'unchecked',
        detail: '1 test that reaches this change still fails with it, as it did without it (6 other tests pass; vitest).',
        untested: '1 test that reaches this change still fails',
        testsAvailable: true,
      });
      const discount = p.read('src/discount.ts');
      const breaks = await check(RIGHT, [{ rel: 'src/discount.ts', after: discount.replace('`${discount.percent}% off`', '`${discount.percent} percent off`') }]);
      assert.equal(breaks.status, 'failed', JSON.stringify(breaks));
      assert.equal(breaks.detail, '2 tests fail with this change (vitest).');
      assert.ok(!breaks.errors!.some((e) => e.includes('was broken before')), 'the test broken before is not counted');
      assert.match(breaks.errors!.join('\n'), /describeDiscount > says what the discount is/);
    } finally {
      fs.rmSync(p.file('test/alreadyBroken.test.ts'));
    }
  });

  it('says so when no test reaches the change, and never passes a run in which no test ran', async () => {
    const none = await verifier.verify({ filePath: p.file('src/unused.ts'), before: '', after: 'export const unused = 1;\n', targets: [] });
    assert.deepEqual(none, { status: 'unchecked', detail: 'No vitest test reaches the changed file (unused.ts).', untested: 'no test reaches this change', testsAvailable: true });
    const skipped = await verifier.verify({ filePath: p.file('src/rates.ts'), before: p.read('src/rates.ts'), after: 'export const standardRate = 19;\n', targets: [] });
    assert.equal(skipped.status, 'unchecked', JSON.stringify(skipped));
    assert.equal(skipped.untested, 'no test ran');
    p.write('test/empty.test.ts', "import '../src/rates';\n");
    try {
      const empty = await verifier.verify({ filePath: p.file('src/rates.ts'), before: p.read('src/rates.ts'), after: 'export const standardRate = 19;\n', targets: [] });
      assert.equal(empty.status, 'unchecked', JSON.stringify(empty));
    } finally {
      fs.rmSync(p.file('test/empty.test.ts'));
    }
  });

  it('stops at the time limit (the process group is killed) and runs again afterwards', async () => {
    p.write('src/spin.ts', 'export function spin(): void {\n  for (;;) {}\n}\n');
    p.write('test/spin.test.ts', "import { it } from 'vitest';\nimport { spin } from '../src/spin';\nit('spins', () => spin());\n");
    settings = { mode: 'auto', timeoutMs: 5000 };
    try {
      const r = await verifier.verify({ filePath: p.file('src/spin.ts'), before: p.read('src/spin.ts'), after: 'export function spin(): void {\n  for (;;) {}\n}\n// changed\n', targets: [] });
      assert.deepEqual(r, { status: 'unchecked', detail: 'The tests that reach this change did not finish in 5 s (vitest).', untested: 'the tests took longer than 5 s', testsAvailable: true });
      assert.equal(verifier.runnerPid(), undefined, 'the runner was ended');
    } finally {
      settings = { mode: 'auto', timeoutMs: 60_000 };
      fs.rmSync(p.file('src/spin.ts'));
      fs.rmSync(p.file('test/spin.test.ts'));
    }
    assert.equal((await check(RIGHT)).status, 'passed');
  });

  it('keeps the worktree and the runner warm across checks, and follows the user’s changes', async () => {
    const shadows = () => fs.readdirSync(os.tmpdir()).filter((d) => d.startsWith('nightshift-tests-'));
    await check(RIGHT);
    const pid = verifier.runnerPid();
    const shadowsBefore = shadows();
    assert.notEqual(pid, undefined);
    assert.equal((await check(RIGHT)).status, 'passed');
    assert.equal(verifier.runnerPid(), pid, 'the same runner process');
    assert.deepEqual(shadows(), shadowsBefore, 'the same worktree');
    // The user breaks tax in their own copy: the check sees it (and the right fix no longer passes).
    const tax = p.read('src/tax.ts');
    p.write('src/tax.ts', tax.replace('return cents + taxCents(cents, ratePercent);', 'return cents;'));
    try {
      const r = await check(RIGHT);
      assert.equal(r.status, 'failed', JSON.stringify(r));
    } finally {
      p.write('src/tax.ts', tax);
    }
    assert.equal((await check(RIGHT)).status, 'passed');
    assert.deepEqual(shadows(), shadowsBefore, 'brought up to date, not made anew');
  });

  it('says why when the runner cannot start, when tests are off or blocked, and when there is no runner', async () => {
    const config = p.read('vitest.config.ts');
    p.write('vitest.config.ts', "throw new Error('the config is broken');\n");
    try {
      const r = await check(RIGHT);
      assert.equal(r.status, 'unchecked', JSON.stringify(r));
      assert.equal(r.untested, 'the test runner gave no report (vitest)');
      assert.match(r.detail, /the config is broken/);
    } finally {
      p.write('vitest.config.ts', config);
    }
    settings = { mode: 'off', timeoutMs: 60_000 };
    assert.deepEqual(await check(RIGHT), { status: 'unchecked', detail: 'Tests are off (nightshift.tests).', untested: 'tests are off (nightshift.tests)', testsAvailable: true });
    settings = { mode: 'auto', timeoutMs: 60_000, blocked: 'the workspace is not trusted' };
    // The project has tests even where they may not run: a type-checked answer is then not enough to count as checked.
    assert.deepEqual(await check(RIGHT), { status: 'unchecked', detail: 'The tests did not run: the workspace is not trusted.', untested: 'the workspace is not trusted', testsAvailable: true });
    settings = { mode: 'auto', timeoutMs: 60_000 };
    const bare = testedProject(undefined, { 'package.json': '{"name":"bare","scripts":{"test":"echo no tests"}}', 'src/a.ts': 'export const a = 1;\n' });
    assert.deepEqual(await new TestVerifier(bare.root, () => settings).verify({ filePath: bare.file('src/a.ts'), before: 'export const a = 1;\n', after: 'export const a = 2;\n', targets: [] }), {
      status: 'unchecked',
      detail: 'No test runner found (vitest, jest, mocha, node --test, pytest).',
      untested: 'the workspace has no test runner Nightshift knows',
      testsAvailable: false,
    });
  });

  it("never touched the user's files or git status", () => {
    assert.deepEqual(snapshotFiles(p.root), userFiles);
    assert.equal(p.git('status', '--porcelain'), userStatus);
  });
});
