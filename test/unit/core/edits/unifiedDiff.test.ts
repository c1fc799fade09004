import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { unifiedDiff } from '../../../../src/core/edits/unifiedDiff';

describe('unifiedDiff', () => {
  it('starts at the file header and shows the changed line', () => {
    const diff = unifiedDiff('src/a.ts', 'one\ntwo\n', 'one\n2\n');
    assert.ok(diff.startsWith('--- a/src/a.ts'), diff);
    assert.match(diff, /^-two$/m);
    assert.match(diff, /^\+2$/m);
  });
});
