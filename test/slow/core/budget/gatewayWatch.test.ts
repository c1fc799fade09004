/**
 * The team's gateway budget across processes: two engines (each its own governor, one shared
 * ledger, as two windows or a window and a daemon) spend through a LiteLLM-shaped gateway whose
 * counter the loopback model server keeps, through the real `openai` SDK. The gateway bills each
 * call at its worst case, so a reading that covers N calls covers exactly N.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createSpend } from '../../../../src/core/budget/spendSetup';
import { afterEachCall, type SpendGate } from '../../../../src/core/budget/SpendAccountant';
import { GatewayWatch } from '../../../../src/core/budget/gatewayWatch';
import { ModelError } from '../../../../src/core/providers/modelBackend';
import { OpenAIBackend } from '../../../../src/core/providers/openaiBackend';
import { priceFor } from '../../../../src/core/providers/pricing';
import { FakeModelServer } from '../../../fakes/fakeModelServer';

const request = { messages: [{ role: 'user' as const, content: 'Fix the error in src/a.ts.' }], maxCompletionTokens: 1000 };
const meta = { taskId: 't', taskKind: 'fix', backend: 'the LiteLLM proxy', model: 'MiniMax-M2.7', role: 'background' as const };

describe("the team's gateway budget, judged across processes", () => {
  const server = new FakeModelServer();
  let baseURL = '';
  const backend = () => new OpenAIBackend({ baseURL, apiKey: 'sk-team', model: 'MiniMax-M2.7', displayName: 'the LiteLLM proxy', price: priceFor('MiniMax-M2.7') });
  /** The most one call can cost: what the gateway bills for each. */
  const worst = backend().worstCaseUsd(request);
  const gateway = { limit: 0, spent: 0, served: 0 };

  before(async () => {
    baseURL = await server.start();
    server.getRoutes.set('/key/info', () => ({ body: { info: { spend: gateway.spent, max_budget: gateway.limit, team_id: null } } }));
    server.respondWith(() => {
      gateway.spent += worst;
      gateway.served++;
      return { content: 'TITLE: none', chunkDelayMs: 5, usage: { prompt_tokens: 20, completion_tokens: 10, cost: worst } };
    });
  });
  after(() => server.close());
  beforeEach(() => Object.assign(gateway, { limit: 0, spent: 0, served: 0 }));

  /** One engine's money side, as engine.ts wires it: the shared ledger, a gateway watch read after every call. */
  function engine(stateDir: string) {
    const spend = createSpend(stateDir, '/ws', () => false);
    const watch = new GatewayWatch(
      spend.governor,
      async () => ({ kind: 'litellm', baseUrl: baseURL, key: 'sk-team', displayName: 'the LiteLLM proxy' }),
      () => undefined,
    );
    const gate = watch.gate(afterEachCall(spend.accountant, () => void watch.refresh()));
    return { spend, watch, gate };
  }

  /** One call as runTask makes it: reserve the worst case, call, book the real cost. */
  async function call(gate: SpendGate): Promise<{ started: boolean; reason?: string }> {
    const r = await gate.reserve({ role: 'background', worstCaseUsd: worst, priority: 'normal', local: false });
    if (!r.ok) return { started: false, reason: r.reason };
    try {
      const result = await backend().complete(request);
      await gate.record(r.id, result.usage, meta, 'none');
    } catch (err) {
      if (err instanceof ModelError && err.partial) await gate.record(r.id, err.partial, meta, 'error');
      else await gate.release(r.id);
      throw err;
    }
    return { started: true };
  }

  const stateDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'ns-gateway-'));

  it("starts no call in a second process that the team's budget no longer covers after the first spent it", async () => {
    gateway.limit = 8.5 * worst; // eight calls
    const dir = stateDir();
    const a = engine(dir);
    const b = engine(dir);
    // Both read the gateway first: each sees eight calls' worth.
    await Promise.all([a.watch.refresh(), b.watch.refresh()]);
    const firstRound = await Promise.all(Array.from({ length: 16 }, () => call(b.gate)));
    assert.equal(firstRound.filter((c) => c.started).length, 8);
    const secondRound = await Promise.all(Array.from({ length: 16 }, () => call(a.gate)));
    assert.equal(secondRound.filter((c) => c.started).length, 0, `${gateway.served} calls served for a budget of eight`);
    assert.equal(gateway.served, 8);
    assert.ok(gateway.spent <= gateway.limit);
    const refusal = secondRound.find((c) => !c.started)!.reason!;
    assert.match(refusal, /^The team's budget on the LiteLLM proxy \(key budget\) has \$0\.000\d+ left; this call may cost up to \$0\.00\d+\.$/);
    const [left, most] = [...refusal.matchAll(/\$(\d+(?:\.\d+)?)/g)].map((m) => m[1]);
    assert.notEqual(left, most, 'the two amounts differ, so they must read differently');
  });

  it('32 calls at once from two processes: none starts that the remaining budget cannot cover', async () => {
    gateway.limit = 8.5 * worst;
    const dir = stateDir();
    const a = engine(dir);
    const b = engine(dir);
    await Promise.all([a.watch.refresh(), b.watch.refresh()]);
    const calls = await Promise.all(Array.from({ length: 32 }, (_, i) => call(i % 2 ? a.gate : b.gate)));
    assert.equal(gateway.served, calls.filter((c) => c.started).length);
    assert.ok(gateway.served <= 8, `${gateway.served} calls served for a budget of eight`);
    assert.ok(gateway.spent <= gateway.limit);
    for (const c of calls.filter((x) => !x.started)) assert.doesNotMatch(c.reason!, /\$0\.00 left; this call may cost up to \$0\.00\./);
  });

  it('reads the gateway again before refusing a call its last reading does not cover, and starts it when the budget now does', async () => {
    gateway.limit = 0.3 * worst;
    const { watch, gate } = engine(stateDir());
    await watch.refresh();
    const refused = await call(gate);
    assert.equal(refused.started, false);
    const [left, most] = [...refused.reason!.matchAll(/\$(\d+(?:\.\d+)?)/g)].map((m) => Number(m[1]));
    assert.ok(left > 0 && left < most, refused.reason);
    // The team lead raises the budget; this process has not read it yet.
    gateway.limit = 100;
    const reads = server.requests.filter((r) => r.path === '/key/info').length;
    assert.deepEqual(await call(gate), { started: true });
    assert.ok(server.requests.filter((r) => r.path === '/key/info').length > reads, 'the gateway was read before the call');
  });
});
