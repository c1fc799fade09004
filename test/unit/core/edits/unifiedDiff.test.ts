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

  it('names both sides and keeps three lines of context', () => {
    const before = Array.from({ length: 12 }, (_, i) => `l${i}`).join('\n') + '\n';
    const diff = unifiedDiff('src/a.ts', before, before.replace('l6', 'L6'));
    assert.match(diff, /^\+\+\+ b\/src\/a\.ts/m);
    assert.match(diff, /^@@ -4,7 \+4,7 @@$/m);
  });
});
