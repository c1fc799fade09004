import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backendDisplayName, inferBackendKind, isLoopbackUrl } from '../../../../src/core/providers/backends';
import { parseProfiles, resolveRole, type ProfileSettings } from '../../../../src/core/providers/profiles';

const base: ProfileSettings = { baseUrl: 'https://api.minimax.io/v1', model: 'MiniMax-M2.7', profiles: [], backgroundProfile: '', escalationProfile: '' };

describe('backend profiles', () => {
  it('defaults background to MiniMax M2.7 from the settings and escalation to none', () => {
    const bg = resolveRole(base, 'background');
    assert.ok('profile' in bg);
    assert.deepEqual([bg.profile.kind, bg.profile.displayName, bg.profile.priceSource, bg.profile.local], ['minimax', 'MiniMax', 'table', false]);
    assert.deepEqual(resolveRole(base, 'escalation'), { none: true });
  });

  it('makes local servers free and unknown remote models priceless', () => {
    const local = resolveRole({ ...base, baseUrl: 'http://localhost:11434/v1', model: 'qwen3-coder' }, 'background');
    assert.ok('profile' in local);
    assert.deepEqual([local.profile.kind, local.profile.priceSource, local.profile.price?.outputPerM], ['ollama', 'local', 0]);
    const remote = resolveRole({ ...base, baseUrl: 'https://llm.example.com/v1', model: 'mystery' }, 'background');
    assert.ok('profile' in remote);
    assert.deepEqual([remote.profile.price, remote.profile.priceSource], [undefined, 'unknown']);
  });

  it('treats a gateway on localhost as remote, and honours an explicit local flag', () => {
    const lite = resolveRole({ ...base, baseUrl: 'http://localhost:4000', model: 'gpt-5.4' }, 'background');
    assert.ok('profile' in lite);
    assert.deepEqual([lite.profile.kind, lite.profile.local, lite.profile.priceSource], ['litellm', false, 'table']);
    const forced = resolveRole({ ...base, profiles: [{ name: 'tunnel', baseUrl: 'http://127.0.0.1:9999/v1', model: 'MiniMax-M2.7', local: false }], backgroundProfile: 'tunnel' }, 'background');
    assert.ok('profile' in forced);
    assert.deepEqual([forced.profile.local, forced.profile.price?.outputPerM], [false, 1.2]);
  });

  it('resolves named profiles for both roles, with price overrides', () => {
    const profiles = [
      { name: 'cheap', backend: 'openrouter', model: 'minimax/minimax-m2.7' },
      { name: 'frontier', backend: 'anthropic', model: 'claude-opus-4-7' },
      { name: 'mine', baseUrl: 'https://llm.example.com/v1', model: 'mystery', price: { input: 1, output: 2 } },
    ];
    const s = { ...base, profiles, backgroundProfile: 'mine', escalationProfile: 'frontier' };
    const bg = resolveRole(s, 'background');
    const esc = resolveRole(s, 'escalation');
    assert.ok('profile' in bg && 'profile' in esc);
    assert.deepEqual([bg.profile.priceSource, bg.profile.price?.outputPerM, bg.profile.price?.cachedInputPerM], ['override', 2, 1]);
    assert.deepEqual([esc.profile.kind, esc.profile.baseUrl, esc.profile.price?.outputPerM], ['anthropic', 'https://api.anthropic.com/v1/', 25]);
    const cheap = resolveRole({ ...s, backgroundProfile: 'cheap' }, 'background');
    assert.ok('profile' in cheap);
    assert.equal(cheap.profile.price?.outputPerM, 1.2);
  });

  it("adds a gateway's known fee to the price, or the one a profile names; never to a local server", () => {
    const profiles = [
      { name: 'or', backend: 'openrouter', model: 'minimax/minimax-m2.7' },
      { name: 'lite', backend: 'litellm', model: 'MiniMax-M2.7', markup: 0.2 },
      { name: 'plain', backend: 'minimax', model: 'MiniMax-M2.7' },
      { name: 'home', backend: 'ollama', model: 'qwen3', markup: 0.5 },
    ];
    const markup = (name: string) => {
      const r = resolveRole({ ...base, profiles, backgroundProfile: name }, 'background');
      assert.ok('profile' in r);
      return r.profile.price?.markup;
    };
    assert.deepEqual(['or', 'lite', 'plain', 'home'].map(markup), [0.055, 0.2, undefined, undefined]);
    assert.match(parseProfiles([{ name: 'x', model: 'm', markup: -1 }]).problems[0], /markup/);
  });

  it('reports broken profiles by name and never uses them', () => {
    const { profiles, problems } = parseProfiles([{ name: 'a', model: 'm', baseUrl: 'not a url' }, { name: 'b' }, 'junk', { name: 'ok', model: 'm' }, { name: 'ok', model: 'n' }]);
    assert.deepEqual(
      profiles.map((p) => p.name),
      ['ok'],
    );
    assert.equal(problems.length, 4);
    assert.match(problems[0], /Profile "a" .* baseUrl/);
    assert.match(problems[2], /Profile number 3/);
    assert.match(problems[3], /used twice/);
    const r = resolveRole({ ...base, profiles: [{ name: 'a', model: 'm', baseUrl: 'nope' }], backgroundProfile: 'a' }, 'background');
    assert.ok('problem' in r);
    assert.match(r.problem, /Profile "a"/);
    assert.deepEqual(parseProfiles({ not: 'a list' }).problems, ['nightshift.profiles must be a list of profiles.']);
  });

  it('names backends by host or, on loopback, by port', () => {
    assert.equal(inferBackendKind('https://openrouter.ai/api/v1'), 'openrouter');
    assert.equal(inferBackendKind('http://127.0.0.1:1234/v1'), 'lmstudio');
    assert.equal(inferBackendKind('http://localhost:4000'), 'litellm');
    assert.equal(backendDisplayName('http://localhost:4000'), 'the LiteLLM proxy at localhost:4000');
    assert.equal(backendDisplayName('http://127.0.0.1:8080/v1'), 'the local server at 127.0.0.1:8080');
    assert.equal(backendDisplayName('https://api.minimaxi.com/v1'), 'MiniMax (China)');
  });
});

describe('isLoopbackUrl: what counts as this machine', () => {
  it('is an address of this machine, in any form the URL parser writes as one, never a host name that starts like one (found by the outside test)', () => {
    for (const local of ['http://localhost:11434/v1', 'http://127.0.0.1:8080/v1', 'http://127.1:8080/v1', 'http://0x7f.0.0.1/v1', 'http://[::1]:8080/v1', 'http://[::ffff:127.0.0.1]:8080/v1']) assert.equal(isLoopbackUrl(local), true, local);
    for (const remote of ['http://127.0.0.1.nip.io:11434/v1', 'http://127.evil.example/v1', 'http://10.0.0.1:11434/v1', 'https://api.minimax.io/v1', 'http://[::ffff:10.0.0.1]/v1', 'not a url']) assert.equal(isLoopbackUrl(remote), false, remote);
    assert.equal(inferBackendKind('http://127.0.0.1.nip.io:11434/v1'), 'custom', 'not Ollama on this machine');
  });
});
