import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { whatItBuys } from '../../../../src/core/budget/whatItBuys';
import { FREE, priceFor } from '../../../../src/core/providers/pricing';

describe('what a budget buys', () => {
  it('paces the background share over the year at the model price', () => {
    const m27 = whatItBuys(2000, 0.2, priceFor('MiniMax-M2.7')!);
    assert.equal(m27.perDayUsd.toFixed(2), '4.38');
    // 1,000 input at $0.30/M, 1,000 cached at $0.06/M, 300 output at $1.20/M, 1.5 calls.
    assert.equal(m27.proposalCostUsd.toFixed(5), '0.00108');
    assert.equal(m27.proposalsPerDay, Math.floor(4.3835616 / 0.00108));
    assert.ok(whatItBuys(2000, 0.2, priceFor('gpt-5.4')!).proposalsPerDay < m27.proposalsPerDay / 5, 'a frontier model buys far fewer');
    assert.equal(whatItBuys(2000, 0.2, FREE).proposalsPerDay, Infinity);
    assert.equal(whatItBuys(-5, 2, priceFor('MiniMax-M2.7')!).perDayUsd, 0);
  });
});
