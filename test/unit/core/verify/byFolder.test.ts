import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { byFolder, type Verifier } from '../../../../src/core/verify/Verifier';

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
