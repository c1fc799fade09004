/**
 * The policy's gateway: every remote call goes through it (unless the policy says it need not),
 * and its budget is read with the key of a profile behind it. Tested with the URLs that would pass
 * wrongly: a look-alike host, another port, a path that only starts the same, credentials.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BackendConfig } from '../../../../src/core/engine/backendConfig';
import { effectivePolicy, throughGateway, type UserValues } from '../../../../src/core/policy/effectivePolicy';
import { parsePolicy } from '../../../../src/core/policy/policyFile';

const USER: UserValues = { annualUsd: 2000, yearStartMonth: 1, escalationShare: 0.2, dailyCapUsd: null, askAboveUsd: null, exclude: [], localOnly: [], quietHours: '', autoEscalate: false };
const GATEWAY = 'https://llm.corp.example/team-a/v1';
const policyWith = (gateway: object) => effectivePolicy([{ layer: 'repository', parsed: parsePolicy({ file: '.nightshift/policy.json', text: JSON.stringify({ gateway }, null, 2) }) }], USER);

describe("the policy's gateway", () => {
  it('counts a URL as behind the gateway only on the same origin and under its path', () => {
    assert.ok(throughGateway('https://llm.corp.example/team-a/v1', GATEWAY));
    assert.ok(throughGateway('https://llm.corp.example/team-a', GATEWAY));
    assert.ok(throughGateway('https://LLM.corp.example/team-a/v1/', GATEWAY));
    assert.ok(throughGateway('https://llm.corp.example/team-a/openai/v1', GATEWAY));
    for (const wrong of [
      'https://llm.corp.example.evil.io/team-a/v1',
      'https://llm.corp.example:8443/team-a/v1',
      'http://llm.corp.example/team-a/v1',
      'https://llm.corp.example/team-ab/v1',
      'https://llm.corp.example/v1',
      'https://llm.corp.example@evil.io/team-a/v1',
      'https://user:pw@llm.corp.example/team-a/v1',
      'not a url',
    ])
      assert.equal(throughGateway(wrong, GATEWAY), false, wrong);
  });

  const profiles = [
    { name: 'direct', backend: 'minimax', model: 'MiniMax-M2.7' },
    { name: 'team', backend: 'custom', baseUrl: GATEWAY, model: 'MiniMax-M2.7', price: { input: 0.3, output: 1.2 } },
    { name: 'ollama', backend: 'ollama', model: 'qwen3' },
    { name: 'claims-local', backend: 'custom', baseUrl: 'https://gpu.example.com/v1', model: 'qwen3', local: true },
  ];
  const configWith = (backgroundProfile: string) =>
    new BackendConfig(
      async () => ({ backgroundProfile, escalationProfile: 'direct', profiles }),
      async (p) => `key-${p}`,
    );

  it('refuses a remote profile that goes round a required gateway, naming the rule and its line', async () => {
    const policy = policyWith({ kind: 'litellm', baseUrl: GATEWAY });
    const config = configWith('direct');
    config.setPolicy(policy);
    const r = await config.resolve('background');
    assert.ok('setupNeeded' in r);
    assert.equal(r.setupNeeded, `The team policy sends every call to a remote model through its gateway ${GATEWAY} (.nightshift/policy.json:2:3 (gateway, repository policy)); the profile "direct" calls MiniMax directly. Point its baseUrl at the gateway.`);
    const esc = await config.resolve('escalation');
    assert.ok('setupNeeded' in esc && /through its gateway/.test(esc.setupNeeded));
  });

  it('lets a profile behind the gateway and a server on this machine through, but not one that only calls itself local', async () => {
    const policy = policyWith({ kind: 'litellm', baseUrl: GATEWAY });
    for (const [name, ok] of [
      ['team', true],
      ['ollama', true],
      ['claims-local', false],
    ] as const) {
      const config = configWith(name);
      config.setPolicy(policy);
      assert.equal('backend' in (await config.resolve('background')), ok, name);
    }
  });

  it('with required false, reads the budget but lets other backends run', async () => {
    const config = configWith('direct');
    config.setPolicy(policyWith({ kind: 'litellm', baseUrl: GATEWAY, required: false }));
    assert.ok('backend' in (await config.resolve('background')));
    assert.deepEqual(await config.gateway(), { kind: 'litellm', baseUrl: GATEWAY, key: 'key-team', displayName: (await config.gateway())!.displayName });
  });

  it("reads the named gateway's budget with the key of a profile behind it, as the kind the policy says", async () => {
    const config = configWith('team');
    config.setPolicy(policyWith({ kind: 'openrouter', baseUrl: GATEWAY }));
    const gw = await config.gateway();
    assert.equal(gw?.kind, 'openrouter');
    assert.equal(gw?.key, 'key-team');
    const none = new BackendConfig(
      async () => ({ backgroundProfile: 'direct', profiles }),
      async (p) => (p === 'team' ? null : 'k'),
    );
    none.setPolicy(policyWith({ kind: 'litellm', baseUrl: GATEWAY }));
    assert.equal(await none.gateway(), undefined, 'no key for the gateway: nothing to read it with');
  });

  it('without a named gateway, reads the background profile only when it is a LiteLLM proxy or OpenRouter', async () => {
    const direct = configWith('direct');
    assert.equal(await direct.gateway(), undefined);
    const viaProxy = new BackendConfig(
      async () => ({ backgroundProfile: 'proxy', profiles: [{ name: 'proxy', backend: 'litellm', baseUrl: 'https://proxy.example/v1', model: 'MiniMax-M2.7' }] }),
      async () => 'k',
    );
    assert.equal((await viaProxy.gateway())?.kind, 'litellm');
  });
});
