/**
 * The team gateway's budget read on a timer (besides after every call): each reading reaches the
 * governor, a failed read keeps the last one (marked stale), a gateway no longer configured clears
 * it, and nothing is read after dispose. The gateway is a fake read function; the governor is real.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BudgetGovernor, DEFAULT_BUDGET } from '../../../../src/core/budget/BudgetGovernor';
import { GATEWAY_REFRESH_MS, GatewayWatch, type GatewaySource } from '../../../../src/core/budget/gatewayWatch';
import type { GatewayRead } from '../../../../src/core/providers/gatewayBudget';

const SOURCE: GatewaySource = { kind: 'litellm', baseUrl: 'http://gateway.invalid/v1', key: 'sk-team', displayName: 'the LiteLLM proxy' };
const request = { role: 'background' as const, worstCaseUsd: 2, priority: 'high' as const, local: false };

async function flush(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
}

describe("the team gateway's budget, read on a timer", () => {
  it('reads every few minutes, each reading binding the governor, until disposed', async (t) => {
    t.mock.timers.enable({ apis: ['setInterval'] });
    const governor = new BudgetGovernor(DEFAULT_BUDGET, () => Date.now());
    const gateway: { source: GatewaySource | undefined; answer: GatewayRead } = { source: SOURCE, answer: { ok: true, budget: { remainingUsd: 1, spentUsd: 99, limitUsd: 100, scope: 'team' } } };
    const warnings: string[] = [];
    let reads = 0;
    const watch = new GatewayWatch(
      governor,
      async () => gateway.source,
      (m) => warnings.push(m),
      async (kind, baseUrl, key) => {
        reads++;
        assert.deepEqual([kind, baseUrl, key], [SOURCE.kind, SOURCE.baseUrl, SOURCE.key]);
        return gateway.answer;
      },
    );
    watch.start();
    t.mock.timers.tick(GATEWAY_REFRESH_MS - 1);
    await flush();
    assert.equal(reads, 0, 'not before its time');
    assert.ok(governor.reserve(request).ok, 'no reading yet: nothing binds');

    t.mock.timers.tick(1);
    await flush();
    assert.equal(reads, 1);
    assert.equal(watch.reading?.label, 'the LiteLLM proxy (team budget)');
    const refused = governor.reserve(request);
    assert.ok(!refused.ok && refused.gateway, 'a $2 worst case is refused on $1 left');

    gateway.answer = { ok: false, message: 'HTTP 503' };
    t.mock.timers.tick(GATEWAY_REFRESH_MS);
    await flush();
    assert.equal(watch.reading?.stale, 'HTTP 503', 'the last reading stays, marked stale');
    assert.deepEqual(warnings, ['the LiteLLM proxy: HTTP 503; the last known team budget still applies.']);
    assert.ok(!governor.reserve(request).ok, 'and still binds');

    gateway.source = undefined;
    t.mock.timers.tick(GATEWAY_REFRESH_MS);
    await flush();
    assert.equal(watch.reading, undefined, 'no gateway configured any more');
    assert.ok(governor.reserve(request).ok);

    watch.dispose();
    gateway.source = SOURCE;
    t.mock.timers.tick(10 * GATEWAY_REFRESH_MS);
    await flush();
    assert.equal(reads, 2, 'nothing read after dispose');
  });
});
