import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { allOf, byFolder, noVerifier, type Verifier } from '../../../../src/core/verify/Verifier';
import type { CheckResult } from '../../../../src/shared/types';

describe('byFolder', () => {
  it("checks each file with its own folder's checker, the innermost folder first; a file in no folder is unchecked", async () => {
    const named = (name: string): Verifier => ({ verify: async () => ({ status: 'passed', detail: name }) });
    const verifier = byFolder(['/ws/web', '/ws/api', '/ws/api/vendor'], (root) => named(path.basename(root)));
    const check = async (filePath: string) => (await verifier.verify({ filePath, before: '', after: '', targets: [] })).detail;
    assert.equal(await check('/ws/web/src/a.ts'), 'web');
    assert.equal(await check('/ws/api/src/a.ts'), 'api');
    assert.equal(await check('/ws/api/vendor/lib.ts'), 'vendor');
    assert.equal(await check('/ws/webapp/a.ts'), 'No checker is available for this file.', 'a sibling with a longer name is not inside');
  });
});

describe('allOf', () => {
  const request = { filePath: '/ws/a.ts', before: '', after: '', targets: [] };
  const says = (result: CheckResult): Verifier & { calls: number } => {
    const v = { calls: 0, verify: async () => (v.calls++, result) };
    return v;
  };
  const passed = (detail: string) => says({ status: 'passed', detail });
  const unchecked = (detail: string) => says({ status: 'unchecked', detail });

  it('fails at the first failure, without running the rest', async () => {
    const failure: CheckResult = { status: 'failed', detail: 'broken', errors: ['e'] };
    const later = passed('later');
    assert.deepEqual(await allOf(passed('first'), says(failure), later).verify(request), failure);
    assert.equal(later.calls, 0);
  });

  it('passes when one check ran and passed, listing only the passed ones', async () => {
    assert.deepEqual(await allOf(unchecked('no commands'), passed('TypeScript ok'), passed('tests ok')).verify(request), { status: 'passed', detail: 'TypeScript ok tests ok' });
  });

  it('is unchecked when none ran, saying why for each', async () => {
    assert.deepEqual(await allOf(unchecked('no TypeScript'), unchecked('no commands')).verify(request), { status: 'unchecked', detail: 'no TypeScript no commands' });
    assert.deepEqual(await allOf().verify(request), { status: 'unchecked', detail: '' });
    assert.deepEqual(await noVerifier.verify(request), { status: 'unchecked', detail: 'No checker is available for this file.' });
  });
});
