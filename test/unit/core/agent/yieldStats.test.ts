import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { YieldStats } from '../../../../src/core/agent/yieldStats';

describe('YieldStats', () => {
  it('judges a kind only after enough decisions, then triggers a low-yield kind one time in three', () => {
    const y = new YieldStats();
    for (let i = 0; i < 9; i++) y.record('review', false);
    assert.equal(y.isLowYield('review'), false, 'nine decisions are not enough');
    y.record('review', true);
    assert.equal(y.isLowYield('review'), true);
    assert.deepEqual([1, 2, 3, 4, 5, 6].map(() => y.admit('review')), [false, false, true, false, false, true]);
    assert.equal(y.admit('fix'), true);
  });

  it('loads the ledger\'s counts, and the user can exempt a kind', () => {
    const always: string[] = [];
    const y = new YieldStats(() => always);
    y.load({ fix: 1 }, { fix: 20 });
    assert.equal(y.isLowYield('fix'), true);
    always.push('fix');
    assert.equal(y.isLowYield('fix'), false);
    assert.equal(y.admit('fix'), true);
  });
});
