import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseQuietHours, quietUntil } from '../../../../src/core/agent/quietHours';

const at = (h: number, m = 0) => new Date(2026, 10, 21, h, m);

describe('quiet hours', () => {
  it('parses a window and rejects nonsense', () => {
    assert.deepEqual(parseQuietHours('22:00-07:30'), { start: 1320, end: 450 });
    for (const bad of ['', '22-07', '25:00-01:00', '10:00-10:00', 'night']) assert.equal(parseQuietHours(bad), undefined, bad);
  });

  it('knows when a window over midnight ends', () => {
    const q = parseQuietHours('22:00-07:00')!;
    assert.deepEqual(quietUntil(at(23, 15), q), new Date(2026, 10, 22, 7, 0));
    assert.deepEqual(quietUntil(at(3), q), at(7));
    assert.equal(quietUntil(at(12), q), undefined);
    assert.equal(quietUntil(at(7), q), undefined);
  });

  it('handles a window within a day', () => {
    const q = parseQuietHours('12:00-13:00')!;
    assert.deepEqual(quietUntil(at(12, 30), q), at(13));
    assert.equal(quietUntil(at(13), q), undefined);
  });
});
