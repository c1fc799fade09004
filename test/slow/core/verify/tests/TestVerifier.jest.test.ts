/**
 * The tested check on a real jest project (test/fixtures/tested-jest), kept-alive runner (runCLI)
 * and related mode (findRelatedTests): the fixture's wrong fixes fail with the test's name and the
 * assertion's values; the right fix passes; a change no test reaches is said so.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TestVerifier } from '../../../../../src/core/verify/tests/TestVerifier';
import type { CheckResult } from '../../../../../src/shared/types';
import { snapshotFiles, testedProject, type TestedProject } from '../../../../harness/testedFixture';

const BROKEN = 'excerpt: truncate(clean),';

describe('TestVerifier with jest', () => {
  let p: TestedProject;
  let verifier: TestVerifier;
  let summary = '';
  const check = (line: string, also: Array<{ rel: string; after: string }> = []): Promise<CheckResult> =>
    verifier.verify({
      filePath: p.file('src/summary.ts'),
      before: summary,
      after: summary.replace(BROKEN, line),
      targets: [],
      also: also.map((a) => ({ filePath: p.file(a.rel), before: p.read(a.rel), after: a.after })),
    });

  before(() => {
    p = testedProject('tested-jest');
    verifier = new TestVerifier(p.root, () => ({ mode: 'auto', timeoutMs: 60_000 }));
    summary = p.read('src/summary.ts');
  });
  after(() => verifier.dispose());

  it('fails the wrong fixes that type-check, with the test and the values it got', async () => {
    const files = snapshotFiles(p.root);
    const deleted = await check('excerpt: clean,');
    assert.equal(deleted.status, 'failed', JSON.stringify(deleted));
    assert.equal(deleted.detail, '1 test fails with this change (jest).');
    const lines = deleted.errors![0].split('\n');
    assert.equal(lines[0], 'FAIL test/summary.test.ts > teaser > cuts the excerpt to the length asked for');
    assert.ok(lines.includes('Expected: "Tea is the most popular…"'), lines.join('\n'));
    assert.ok(
      lines.some((l) => l.startsWith('Received: "Tea is the most popular drink after water.')),
      lines.join('\n'),
    );
    assert.ok(
      lines.some((l) => /^>\s+14 \|\s+expect\(teaser\(post, 30\)\.excerpt\)/.test(l)),
      'the failing line, from the source map',
    );
    assert.ok(!deleted.errors!.join('\n').includes('\u001b'));

    assert.equal((await check('excerpt: truncate(clean, 80),')).status, 'failed');
    const truncate = p.read('src/truncate.ts');
    const optional = await check(BROKEN, [{ rel: 'src/truncate.ts', after: truncate.replace('max: number, ellipsis', 'max = Infinity, ellipsis') }]);
    assert.equal(optional.status, 'failed', JSON.stringify(optional));
    assert.deepEqual(snapshotFiles(p.root), files);
  });

  it('passes the right fix, with the runner kept warm between checks', async () => {
    const first = await check('excerpt: truncate(clean, maxLength),');
    assert.deepEqual({ ...first, detail: first.detail.replace(/\(\d+\.\d s/, '(T s') }, { status: 'passed', level: 'tested', detail: '5 tests in summary.test.ts pass (T s, jest).', testsAvailable: true });
    const pid = verifier.runnerPid();
    assert.notEqual(pid, undefined);
    assert.equal((await check('excerpt: truncate(clean, maxLength),')).status, 'passed');
    assert.equal(verifier.runnerPid(), pid);
  });

  it('says when no test reaches the change', async () => {
    const r = await verifier.verify({ filePath: p.file('src/draft.ts'), before: '', after: 'export const draft = true;\n', targets: [] });
    assert.deepEqual(r, { status: 'unchecked', detail: 'No jest test reaches the changed file (draft.ts).', untested: 'no test reaches this change', testsAvailable: true });
  });
});
