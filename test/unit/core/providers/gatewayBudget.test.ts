import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { BudgetGovernor, DEFAULT_BUDGET } from '../../../../src/core/budget/BudgetGovernor';
import { readGatewayBudget } from '../../../../src/core/providers/gatewayBudget';

/** A loopback gateway answering the documented LiteLLM and OpenRouter shapes, as a route table says. */
function gateway(routes: Record<string, (req: http.IncomingMessage) => { status?: number; body?: unknown; hang?: boolean }>) {
  const seen: Array<{ path: string; auth: string | undefined }> = [];
  const server = http.createServer((req, res) => {
    seen.push({ path: req.url ?? '', auth: req.headers.authorization });
    const route = routes[(req.url ?? '').split('?')[0]];
    const r = route ? route(req) : { status: 404, body: { error: 'not found' } };
    if (r.hang) return;
    res.writeHead(r.status ?? 200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(r.body));
  });
  return {
    seen,
    start: () => new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`))),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe("the team's gateway budget", () => {
  const routes: Parameters<typeof gateway>[0] = {};
  const gw = gateway(routes);
  let base = '';
  before(async () => {
    base = await gw.start();
  });
  after(() => gw.close());

  it("LiteLLM: a key in a team is held to the team's budget when that is tighter", async () => {
    routes['/key/info'] = () => ({ body: { key: 'hashed', info: { spend: 3, max_budget: 50, team_id: 'team-a' } } });
    routes['/team/info'] = (req) => ({ body: { team_id: new URL(req.url!, base).searchParams.get('team_id'), team_info: { spend: 98.5, max_budget: 100 } } });
    const r = await readGatewayBudget('litellm', `${base}/v1`, 'sk-team-key');
    assert.deepEqual(r, { ok: true, budget: { remainingUsd: 1.5, spentUsd: 98.5, limitUsd: 100, scope: 'team' } });
    assert.equal(gw.seen.at(-1)?.path, '/team/info?team_id=team-a');
    assert.equal(gw.seen.at(-1)?.auth, 'Bearer sk-team-key');
  });

  it("LiteLLM: the key's own budget when it has no team, none when no budget is set, nothing below zero", async () => {
    routes['/key/info'] = () => ({ body: { info: { spend: 12, max_budget: 10, team_id: null } } });
    assert.deepEqual(await readGatewayBudget('litellm', base, 'k'), { ok: true, budget: { remainingUsd: 0, spentUsd: 12, limitUsd: 10, scope: 'key' } });
    routes['/key/info'] = () => ({ body: { info: { spend: 12, max_budget: null } } });
    const none = await readGatewayBudget('litellm', base, 'k');
    assert.ok(none.ok && none.budget.remainingUsd === null);
  });

  it('OpenRouter: limit_remaining, or no budget when the key has no limit', async () => {
    routes['/api/v1/key'] = () => ({ body: { data: { label: 'team', limit: 25, limit_remaining: 4.75, usage: 20.25 } } });
    assert.deepEqual(await readGatewayBudget('openrouter', `${base}/api/v1`, 'k'), { ok: true, budget: { remainingUsd: 4.75, limitUsd: 25, spentUsd: 20.25, scope: 'key' } });
    routes['/api/v1/key'] = () => ({ body: { data: { limit: null, limit_remaining: null, usage: 3 } } });
    const unlimited = await readGatewayBudget('openrouter', `${base}/api/v1`, 'k');
    assert.ok(unlimited.ok && unlimited.budget.remainingUsd === null);
  });

  it('says why when the gateway refuses, answers nonsense or does not answer, without the key', async () => {
    routes['/key/info'] = () => ({ status: 401, body: { error: { message: 'Authentication Error' } } });
    const refused = await readGatewayBudget('litellm', base, 'sk-secret-value');
    assert.deepEqual(refused, { ok: false, message: "the gateway's budget could not be read (HTTP 401)" });
    routes['/key/info'] = () => ({ body: { nothing: true } });
    assert.deepEqual(await readGatewayBudget('litellm', base, 'k'), { ok: false, message: 'the LiteLLM proxy answered /key/info without info' });
    routes['/key/info'] = () => ({ hang: true });
    const slow = await readGatewayBudget('litellm', base, 'k', 200);
    assert.deepEqual(slow, { ok: false, message: "the gateway's budget could not be read (no answer within 0.2 s)" });
    assert.ok(!JSON.stringify([refused, slow]).includes('sk-secret-value'));
  });

  it('the governor starts no call the remaining team budget cannot cover, and counts what it books', () => {
    const g = new BudgetGovernor({ ...DEFAULT_BUDGET }, () => Date.UTC(2027, 5, 1));
    g.setGatewayRemaining({ usd: 0.05, label: 'the LiteLLM proxy at localhost:4000 (team budget)' });
    const first = g.reserve({ role: 'background', worstCaseUsd: 0.04, priority: 'normal', local: false });
    assert.ok(first.ok);
    const second = g.reserve({ role: 'escalation', worstCaseUsd: 0.02, priority: 'normal', local: false });
    assert.ok(!second.ok);
    assert.equal(second.reason, "The team's budget on the LiteLLM proxy at localhost:4000 (team budget) has $0.01 left; this call may cost up to $0.02.");
    g.settle(first.id, 0.045);
    assert.equal(g.reserve({ role: 'background', worstCaseUsd: 0.006, priority: 'normal', local: false }).ok, false, 'the booked cost came off what is left');
    assert.equal(g.reserve({ role: 'background', worstCaseUsd: 0.005, priority: 'normal', local: false }).ok, true);
    assert.equal(g.reserve({ role: 'background', worstCaseUsd: 1, priority: 'normal', local: true }).ok, true, 'a local call is not the gateway’s');
    g.setGatewayRemaining(undefined);
    assert.equal(g.reserve({ role: 'background', worstCaseUsd: 0.5, priority: 'normal', local: false }).ok, true);
  });
});
