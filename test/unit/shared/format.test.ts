import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatBackendHealth, formatUsd } from '../../../src/shared/format';

describe('formatUsd', () => {
  it('shows hundredths of a cent below a dollar and cents above', () => {
    assert.equal(formatUsd(0), '$0.00');
    assert.equal(formatUsd(0.00055), '$0.0006');
    assert.equal(formatUsd(0.5), '$0.5000');
    assert.equal(formatUsd(12.345), '$12.35');
    assert.equal(formatUsd(1600), '$1,600.00');
    assert.equal(formatUsd(-2.5), '-$2.50');
  });
});

describe('formatBackendHealth', () => {
  it('says calls, errors, median latency and speed in one line', () => {
    assert.equal(
      formatBackendHealth({ backend: 'MiniMax', calls: 12, errors: 1, medianLatencyMs: 2400, tokensPerSecond: 61.4 }),
      'MiniMax: 12 calls, 1 error, median 2.4 s, 61 tok/s',
    );
    assert.equal(formatBackendHealth({ backend: 'x', calls: 1, errors: 0, medianLatencyMs: 12.3, tokensPerSecond: null }), 'x: 1 call, 0 errors, median 12 ms');
  });
});
