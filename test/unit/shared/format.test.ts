import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatBackendHealth, formatUsd, formatUsdAlike, taskKindLabel } from '../../../src/shared/format';

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

describe('formatUsdAlike', () => {
  it('gives amounts side by side enough digits to differ, and never shows one above zero as $0.00', () => {
    assert.deepEqual(formatUsdAlike(0.0004, 0.0012), ['$0.0004', '$0.0012']);
    assert.deepEqual(formatUsdAlike(0, 0.0012), ['$0.00', '$0.0012']);
    assert.deepEqual(formatUsdAlike(0.000004), ['$0.000004']);
    assert.deepEqual(formatUsdAlike(1, 2), ['$1.00', '$2.00']);
    assert.deepEqual(formatUsdAlike(400, 1, 2), ['$400.00', '$1.00', '$2.00']);
    assert.deepEqual(formatUsdAlike(0.0101, 0.0102), ['$0.0101', '$0.0102']);
    assert.deepEqual(formatUsdAlike(2000, 0.5), ['$2,000.00', '$0.50']);
    assert.deepEqual(formatUsdAlike(-0.003), ['-$0.0030']);
  });
});

describe('formatBackendHealth', () => {
  it('says calls, errors, median latency and speed in one line', () => {
    assert.equal(formatBackendHealth({ backend: 'MiniMax', calls: 12, errors: 1, medianLatencyMs: 2400, tokensPerSecond: 61.4 }), 'MiniMax: 12 calls, 1 error, median 2.4 s, 61 tok/s');
    assert.equal(formatBackendHealth({ backend: 'x', calls: 1, errors: 0, medianLatencyMs: 12.3, tokensPerSecond: null }), 'x: 1 call, 0 errors, median 12 ms');
  });
});

describe('taskKindLabel', () => {
  it('names the ledger’s task kinds as people say them, never the internal names', () => {
    assert.equal(taskKindLabel('connectionTest'), 'connection tests');
    assert.equal(taskKindLabel('fix'), 'fixes');
    assert.equal(taskKindLabel('todo'), 'marker comments');
    assert.equal(taskKindLabel('somethingNew'), 'somethingNew');
  });
});
