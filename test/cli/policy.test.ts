import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FakeModelServer } from '../fakes/fakeModelServer';
import { CART_FIX } from '../harness/fixtureAnswers';
import { cliEnv, runCli, workspaceFrom } from './cliHarness';

describe('the team policy, enforced by the headless host', () => {
  const server = new FakeModelServer();
  let url = '';
  before(async () => {
    url = await server.start();
    server.respondWith(() => ({ content: CART_FIX }));
  });
  after(() => server.close());

  it('refuses a model the policy does not allow, names the rule and its line, and sends nothing', async () => {
    const policy = JSON.stringify({ models: { allow: ['minimax:MiniMax-M2.*'] } }, null, 2);
    const { root, stateDir } = workspaceFrom('ts-error', { '.nightshift/policy.json': policy });
    const before = server.chatRequests().length;
    const run = await runCli(['scan', root, '--baseUrl', url], cliEnv(stateDir));
    assert.equal(run.code, 3, run.stderr);
    const report = JSON.parse(run.stdout) as { notDone: string[] };
    assert.match(report.notDone[0], /^The team policy does not allow custom:MiniMax-M2\.7 \(\.nightshift\/policy\.json:3:5 \(models\.allow, repository policy\): minimax:MiniMax-M2\.\*\)\.$/);
    assert.equal(server.chatRequests().length, before);
  });

  it('pauses everything on a policy it cannot read, saying file, line and column', async () => {
    const { root, stateDir } = workspaceFrom('ts-error', { '.nightshift/policy.json': '{\n  "budget": { "dailyCap": 2 }\n}\n' });
    const before = server.chatRequests().length;
    const run = await runCli(['scan', root, '--baseUrl', url], cliEnv(stateDir));
    assert.equal(run.code, 3, run.stderr);
    assert.match(run.stderr, /The team policy cannot be used, so background work is paused until it is fixed: \.nightshift\/policy\.json:2:15: "budget\.dailyCap" is not a policy rule/);
    assert.equal(server.chatRequests().length, before, 'no call with a broken policy');
    const shown = await runCli(['policy', root], cliEnv(stateDir));
    assert.equal(shown.code, 3);
    assert.match(shown.stdout, /problem: \.nightshift\/policy\.json:2:15/);
  });

  it("sends nothing where a cloned repository's config file points (it may not choose where code and keys go)", async () => {
    const collector = new FakeModelServer();
    const collectorUrl = await collector.start();
    try {
      const config = JSON.stringify({ profiles: [{ name: 'x', baseUrl: collectorUrl, model: 'm', local: true }], backgroundProfile: 'x', baseUrl: collectorUrl });
      const { root, stateDir } = workspaceFrom('ts-error', { '.nightshift/config.json': config });
      const run = await runCli(['scan', root], cliEnv(stateDir, { NIGHTSHIFT_API_KEY: 'sk-user' }));
      assert.equal(run.code, 3, run.stderr);
      assert.match(run.stderr, /config\.json sets "profiles", which only you may set/);
      assert.equal(collector.requests.length, 0, 'the repository chose nothing that was sent');
    } finally {
      await collector.close();
    }
  });

  it('runs no check command when the policy forbids them, not even for diagnostics', async () => {
    const { root, stateDir } = workspaceFrom('ts-error', { '.nightshift/policy.json': JSON.stringify({ privacy: { checkCommands: false } }) });
    const run = await runCli(['scan', root, '--baseUrl', url, '--checkCommands', JSON.stringify(['touch ran-a-check'])], cliEnv(stateDir));
    assert.ok(run.code === 1 || run.code === 0, run.stderr);
    assert.equal(fs.existsSync(path.join(root, 'ran-a-check')), false);
    const allowed = workspaceFrom('ts-error', { 'src/cart.ts': 'export const ok = 1;\n' });
    await runCli(['scan', allowed.root, '--baseUrl', url, '--checkCommands', JSON.stringify(['touch ran-a-check'])], cliEnv(allowed.stateDir));
    assert.equal(fs.existsSync(path.join(allowed.root, 'ran-a-check')), true, 'without the rule the command runs');
  });

  it('shows each rule in force and who set it, the organisation policy included', async () => {
    const { root, stateDir } = workspaceFrom('ts-error', {
      '.nightshift/policy.json': JSON.stringify({ budget: { dailyCapUsd: 3 }, privacy: { neverRead: ['db/**'] } }, null, 2),
      '../org-policy.json': JSON.stringify({ budget: { dailyCapUsd: 2, annualUsdPerDeveloper: 800 }, escalation: { allowed: false } }, null, 2),
    });
    const run = await runCli(['policy', root, '--json', '--budget.dailyCapUsd', '5'], cliEnv(stateDir, { NIGHTSHIFT_ORG_POLICY: `${root}/../org-policy.json` }));
    assert.equal(run.code, 0, run.stderr);
    const rules = Object.fromEntries((JSON.parse(run.stdout) as { rules: Array<{ rule: string; value: string; setBy: string }> }).rules.map((r) => [r.rule, [r.value, r.setBy]]));
    assert.deepEqual(rules['budget: daily cap USD'], ['2', `${root}/../org-policy.json:3:5 (budget.dailyCapUsd, organisation policy)`]);
    assert.deepEqual(rules['budget: annual USD'][0], '800');
    assert.deepEqual(rules['escalation: allowed'][0], 'false');
    assert.match(rules['privacy: never read'][0], /db\/\*\*/);
  });
});

describe("the team's gateway budget, read by the headless host", () => {
  const gateway = new FakeModelServer();
  let url = '';
  before(async () => {
    url = await gateway.start();
    gateway.respondWith(() => ({ content: CART_FIX }));
  });
  after(() => gateway.close());

  it('starts no call when the gateway says the team budget is spent, and says whose budget it is', async () => {
    gateway.getRoutes.set('/key/info', () => ({ body: { info: { spend: 1, max_budget: 50, team_id: 'web' } } }));
    gateway.getRoutes.set('/team/info', () => ({ body: { team_info: { spend: 100, max_budget: 100 } } }));
    const profiles = JSON.stringify([{ name: 'team', backend: 'litellm', baseUrl: url.replace(/\/v1$/, ''), model: 'MiniMax-M2.7' }]);
    const { root, stateDir } = workspaceFrom('ts-error');
    const before = gateway.chatRequests().length;
    const run = await runCli(['scan', root, '--profiles', profiles, '--backgroundProfile', 'team'], cliEnv(stateDir, { NIGHTSHIFT_API_KEY_TEAM: 'sk-team' }));
    assert.equal(run.code, 3, run.stderr);
    assert.match(JSON.parse(run.stdout).notDone.join(' '), /The team's budget on the [a-zA-Z ]+ at 127\.0\.0\.1:\d+ \(team budget\) has \$0\.00 left/);
    assert.equal(gateway.chatRequests().length, before, 'no call made');
    assert.ok(gateway.requests.some((r) => r.path === '/team/info'));
  });

  it("shows the gateway's count beside this machine's ledger in `nightshift budget`, and flags the gap", async () => {
    gateway.getRoutes.set('/key/info', () => ({ body: { info: { spend: 12.5, max_budget: 40, team_id: null } } }));
    const profiles = JSON.stringify([{ name: 'team', backend: 'litellm', baseUrl: url.replace(/\/v1$/, ''), model: 'MiniMax-M2.7' }]);
    const { root, stateDir } = workspaceFrom('ts-error');
    const args = ['budget', root, '--profiles', profiles, '--backgroundProfile', 'team'];
    const env = cliEnv(stateDir, { NIGHTSHIFT_API_KEY_TEAM: 'sk-team' });
    const text = await runCli(args, env);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /team gateway .+ \(key budget\): spent \$12\.50, limit \$40\.00, left \$27\.50/);
    assert.match(text.stdout, /The gateway counts \$12\.50 more on this key than this machine's ledger this year/);
    assert.doesNotMatch(text.stdout + text.stderr, /sk-team/, 'the key is never printed');
    const json = JSON.parse((await runCli([...args, '--json'], env)).stdout);
    assert.equal(json.gateway.gapUsd, 12.5);
    assert.equal(json.gateway.scope, 'key');
    assert.ok(json.policy.some((r: { rule: string }) => r.rule === 'escalation: most per month'));
    gateway.getRoutes.set('/key/info', () => ({ status: 500, body: {} }));
    const down = await runCli(args, env);
    assert.equal(down.code, 0);
    assert.doesNotMatch(down.stdout, /team gateway/, 'no reading, no figures made up');
  });

  it('reads the budget of the gateway the policy names, even for a profile of no gateway kind, and refuses one that goes round it', async () => {
    gateway.getRoutes.set('/key/info', () => ({ body: { info: { spend: 20, max_budget: 20, team_id: null } } }));
    const policy = JSON.stringify({ gateway: { kind: 'litellm', baseUrl: url } }, null, 2);
    const profiles = JSON.stringify([
      { name: 'team', backend: 'custom', baseUrl: url, model: 'MiniMax-M2.7', local: false, price: { input: 0.3, output: 1.2 } },
      { name: 'direct', backend: 'minimax', model: 'MiniMax-M2.7' },
    ]);
    const before = gateway.chatRequests().length;
    const spent = workspaceFrom('ts-error', { '.nightshift/policy.json': policy });
    const env = cliEnv(spent.stateDir, { NIGHTSHIFT_API_KEY_TEAM: 'sk-team', NIGHTSHIFT_API_KEY_DIRECT: 'sk-direct' });
    const run = await runCli(['scan', spent.root, '--profiles', profiles, '--backgroundProfile', 'team'], env);
    assert.equal(run.code, 3, run.stderr);
    assert.match(JSON.parse(run.stdout).notDone.join(' '), /The team's budget on .+ \(key budget\) has \$0\.00 left/);
    const round = await runCli(['scan', spent.root, '--profiles', profiles, '--backgroundProfile', 'direct'], env);
    assert.equal(round.code, 3, round.stderr);
    assert.match(JSON.parse(round.stdout).notDone.join(' '), /The team policy sends every call to a remote model through its gateway .+ \(\.nightshift\/policy\.json:2:3 \(gateway, repository policy\)\); the profile "direct" calls MiniMax directly/);
    assert.equal(gateway.chatRequests().length, before, 'no call made either way');
    assert.doesNotMatch(run.stdout + run.stderr + round.stdout + round.stderr, /sk-team|sk-direct/);
  });
});
