/**
 * The tested check through the runners' command lines: mocha and node --test (related tests by
 * the import graph; mocha's configured spec must not add tests of other files to the verdict), and
 * vitest and jest when no process is kept alive. Each right answer that passes stands beside a
 * wrong one that must not.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TestVerifier } from '../../../../../src/core/verify/tests/TestVerifier';
import type { CheckResult } from '../../../../../src/shared/types';
import { testedProject, type TestedProject } from '../../../../harness/testedFixture';

const settings = () => ({ mode: 'auto' as const, timeoutMs: 60_000 });
const ADD = 'exports.add = (a, b) => a + b;\n';

/** A plain JavaScript project: add.js is tested by add.test.js, mul.js by mul.test.js (which fails, unrelated). */
function jsProject(runner: 'mocha' | 'node'): TestedProject {
  const assertLib = runner === 'mocha' ? "const assert = require('node:assert');\n" : "const { describe, it } = require('node:test');\nconst assert = require('node:assert');\n";
  return testedProject(undefined, {
    'package.json': JSON.stringify({ name: 'js', scripts: { test: runner === 'mocha' ? 'mocha' : 'node --test' } }),
    ...(runner === 'mocha' ? { '.mocharc.json': JSON.stringify({ spec: 'test/**/*.test.js' }) } : {}),
    'lib/add.js': ADD,
    'lib/mul.js': 'exports.mul = (a, b) => a + b;\n',
    'test/add.test.js': `${assertLib}const { add } = require('../lib/add');\ndescribe('add', () => {\n  it('adds', () => assert.strictEqual(add(1, 2), 3));\n  it('adds negatives', () => assert.strictEqual(add(-1, -2), -3));\n});\n`,
    'test/mul.test.js': `${assertLib}const { mul } = require('../lib/mul');\ndescribe('mul', () => {\n  it('multiplies', () => assert.strictEqual(mul(2, 3), 6));\n});\n`,
  });
}

const noTime = (r: CheckResult) => ({ ...r, detail: r.detail.replace(/\(\d+\.\d s, /, '(T s, ') });

for (const runner of ['mocha', 'node'] as const) {
  const label = runner === 'node' ? 'node --test' : runner;
  describe(`TestVerifier with ${label} (import graph)`, () => {
    it('passes a change the related tests pass, fails one they fail, and says when none reaches it', async () => {
      const p = jsProject(runner);
      const verifier = new TestVerifier(p.root, settings);
      try {
        const wrong = await verifier.verify({ filePath: p.file('lib/add.js'), before: ADD, after: 'exports.add = (a, b) => a - b;\n', targets: [] });
        assert.equal(wrong.status, 'failed', JSON.stringify(wrong));
        assert.equal(wrong.detail, `2 tests fail with this change (${label}).`);
        assert.match(wrong.errors![0], runner === 'mocha' ? /^FAIL test\/add\.test\.js > add adds\n.*Expected values to be strictly equal/s : /^FAIL test\/add\.test\.js > add > adds\n.*Expected values to be strictly equal/s);
        assert.ok(!wrong.errors!.join('\n').includes('mul'), 'the unrelated (failing) test file is not in the verdict');

        const right = await verifier.verify({ filePath: p.file('lib/add.js'), before: ADD, after: 'exports.add = (a, b) => b + a;\n', targets: [] });
        assert.deepEqual(noTime(right), { status: 'passed', level: 'tested', detail: `2 tests in add.test.js pass (T s, ${label}).`, testsAvailable: true });

        const none = await verifier.verify({ filePath: p.file('lib/other.js'), before: '', after: 'exports.x = 1;\n', targets: [] });
        assert.equal(none.untested, 'no test reaches this change');
      } finally {
        await verifier.dispose();
      }
    });
  });
}

describe('TestVerifier with vitest and jest through their command lines (nothing kept alive)', () => {
  it('vitest: passes the right fix and fails the deleted call', async () => {
    const p = testedProject('tested-vitest');
    const verifier = new TestVerifier(p.root, settings, { warm: false });
    const before = p.read('src/invoice.ts');
    const at = (line: string) => verifier.verify({ filePath: p.file('src/invoice.ts'), before, after: before.replace('applyDiscount(subtotal);', line), targets: [] });
    try {
      assert.equal((await at('subtotal;')).status, 'failed');
      assert.deepEqual(noTime(await at('applyDiscount(subtotal, invoice.discount);')), { status: 'passed', level: 'tested', detail: '6 tests in invoice.test.ts pass (T s, vitest).', testsAvailable: true });
      assert.equal(verifier.runnerPid(), undefined);
    } finally {
      await verifier.dispose();
    }
  });

  it('jest: passes the right fix and fails another argument', async () => {
    const p = testedProject('tested-jest');
    const verifier = new TestVerifier(p.root, settings, { warm: false });
    const before = p.read('src/summary.ts');
    const at = (line: string) => verifier.verify({ filePath: p.file('src/summary.ts'), before, after: before.replace('truncate(clean)', line), targets: [] });
    try {
      assert.equal((await at('truncate(clean, 80)')).status, 'failed');
      assert.equal((await at('truncate(clean, maxLength)')).status, 'passed');
    } finally {
      await verifier.dispose();
    }
  });
});
