import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatUsd } from '../../../src/shared/format';

describe('formatUsd', () => {
  it('shows hundredths of a cent below a dollar and cents above', () => {
    assert.equal(formatUsd(0), '$0.00');
    assert.equal(formatUsd(0.00055), '$0.0006');
    assert.equal(formatUsd(0.5), '$0.5000');
    assert.equal(formatUsd(12.345), '$12.35');
  });
});
