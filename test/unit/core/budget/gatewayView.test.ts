import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gatewayView } from '../../../../src/core/budget/gatewayView';
import type { GatewayBudget } from '../../../../src/core/providers/gatewayBudget';

const at = new Date('2026-12-02T10:00:00Z');
const read = (b: Partial<GatewayBudget>) => ({ label: 'Team proxy (key budget)', readAt: at, budget: { remainingUsd: 10, spentUsd: 5, limitUsd: 15, scope: 'key' as const, ...b } });

describe('the gateway beside the ledger', () => {
  it('flags a key that spent more than this machine booked, beyond rounding', () => {
    assert.equal(gatewayView(read({ spentUsd: 5 }), 4.6).gapNote, undefined, '40 cents is rounding and timing');
    const v = gatewayView(read({ spentUsd: 5 }), 4);
    assert.equal(v.gapUsd, 1);
    assert.match(v.gapNote!, /counts \$1\.00 more on this key/);
    assert.equal(gatewayView(read({ spentUsd: 105 }), 100).gapNote, undefined, 'within 5% of a large figure');
  });

  it('expects a team to spend more than one machine, but not less', () => {
    assert.equal(gatewayView(read({ scope: 'team', spentUsd: 500 }), 4).gapNote, undefined);
    assert.match(gatewayView(read({ scope: 'team', spentUsd: 1 }), 4).gapNote!, /ledger counts \$3\.00 more this year than the gateway/);
  });

  it('compares nothing when the gateway gives no spend, and keeps a failed read visible', () => {
    const v = gatewayView({ ...read({ spentUsd: null }), stale: 'HTTP 502' }, 4);
    assert.equal(v.gapUsd, null);
    assert.equal(v.gapNote, undefined);
    assert.equal(v.stale, 'HTTP 502');
    assert.equal(v.readAt, at.toISOString());
  });
});
