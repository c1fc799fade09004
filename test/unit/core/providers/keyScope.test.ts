/**
 * A key goes only to the backend it belongs to: the rule (keyScope) and the whole way through
 * BackendConfig and the real `openai` SDK to the loopback server, which records the Authorization
 * header it was sent. The first case is the one a newcomer hit: a MiniMax key stored for the
 * default profile, then nightshift.baseUrl pointed at a local server the README says needs no key.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BackendConfig } from '../../../../src/core/engine/backendConfig';
import { keyForBackend, profileTarget, type StoredKey } from '../../../../src/core/providers/keyScope';
import { FakeModelServer } from '../../../fakes/fakeModelServer';

const MINIMAX = 'https://api.minimax.io/v1';

describe('keyForBackend', () => {
  it('sends a key only to the server it was stored for (scheme, host and port)', () => {
    const stored: StoredKey = { key: 'mm', for: MINIMAX };
    assert.equal(keyForBackend(stored, { baseUrl: 'https://api.minimax.io/v1/', local: false }), 'mm');
    assert.equal(keyForBackend(stored, { baseUrl: 'http://127.0.0.1:8080/v1', local: true }), null);
    assert.equal(keyForBackend(stored, { baseUrl: 'https://openrouter.ai/api/v1', local: false }), null);
    assert.equal(keyForBackend({ key: 'k', for: 'http://127.0.0.1:8080/v1' }, { baseUrl: 'http://127.0.0.1:8081/v1', local: true }), null, 'another port is another server');
    assert.equal(keyForBackend({ key: 'k', for: 'http://127.0.0.1:8080/v1' }, { baseUrl: 'http://127.0.0.1:8080/v1', local: true }), 'k', 'a local server given its own key gets it');
    assert.equal(keyForBackend({ key: 'k', for: 'not a url' }, { baseUrl: 'not a url', local: false }), null);
  });

  it('a key stored for no known server goes to remote servers only', () => {
    assert.equal(keyForBackend('k', { baseUrl: MINIMAX, local: false }), 'k');
    assert.equal(keyForBackend({ key: 'k' }, { baseUrl: 'http://localhost:11434/v1', local: true }), null);
    assert.equal(keyForBackend(null, { baseUrl: MINIMAX, local: false }), null);
  });

  it('reads where a profile points from raw settings', () => {
    assert.deepEqual(profileTarget('default', {}), { baseUrl: MINIMAX, local: false });
    assert.deepEqual(profileTarget('default', { baseUrl: 'http://127.0.0.1:8080/v1' }), { baseUrl: 'http://127.0.0.1:8080/v1', local: true });
    const profiles = [
      { name: 'proxy', backend: 'litellm' },
      { name: 'mine', baseUrl: 'http://localhost:9999/v1', local: false },
      { name: 'or', backend: 'openrouter' },
    ];
    assert.deepEqual(profileTarget('proxy', { profiles }), { baseUrl: 'http://localhost:4000', local: false });
    assert.deepEqual(profileTarget('mine', { profiles }), { baseUrl: 'http://localhost:9999/v1', local: false });
    assert.deepEqual(profileTarget('or', { profiles }), { baseUrl: 'https://openrouter.ai/api/v1', local: false });
    assert.equal(profileTarget('gone', { profiles }), undefined);
  });
});

describe('a stored key through BackendConfig to the loopback server', () => {
  const server = new FakeModelServer();
  let baseUrl: string;
  before(async () => {
    baseUrl = await server.start();
    server.respondWith(() => ({ content: 'OK' }));
  });
  after(() => server.close());

  const call = async (settings: Record<string, unknown>, key: StoredKey | string | null) => {
    const config = new BackendConfig(
      async () => settings,
      async () => key,
    );
    const r = await config.resolve('background');
    if (!('backend' in r)) return r;
    const before = server.chatRequests().length;
    await r.backend.complete({ messages: [{ role: 'user', content: 'hi' }], maxCompletionTokens: 1 });
    return { authorization: server.chatRequests()[before].headers.authorization };
  };

  it('the MiniMax key stored for the default profile is not sent once nightshift.baseUrl points at a local server', async () => {
    assert.deepEqual(await call({ baseUrl }, { key: 'sk-minimax', for: MINIMAX }), { authorization: 'Bearer local' });
    // A key stored before keys remembered their backend: not sent to a local server either.
    assert.deepEqual(await call({ baseUrl }, 'sk-minimax'), { authorization: 'Bearer local' });
  });

  it('a key stored for that very server is sent to it', async () => {
    assert.deepEqual(await call({ baseUrl }, { key: 'sk-own', for: baseUrl }), { authorization: 'Bearer sk-own' });
    // A remote profile played by the loopback server (local: false), its key stored for it.
    const profiles = [{ name: 'remote', baseUrl, model: 'MiniMax-M2.7', local: false }];
    assert.deepEqual(await call({ profiles, backgroundProfile: 'remote' }, { key: 'sk-remote', for: baseUrl }), { authorization: 'Bearer sk-remote' });
  });

  it('a remote profile whose key was stored for another backend asks for its own, and says why', async () => {
    const profiles = [{ name: 'remote', baseUrl, model: 'MiniMax-M2.7', local: false }];
    const r = await call({ profiles, backgroundProfile: 'remote' }, { key: 'sk-minimax', for: MINIMAX });
    assert.ok('setupNeeded' in r, JSON.stringify(r));
    assert.match(r.setupNeeded, /^No API key for the local server at 127\.0\.0\.1:\d+\. The key stored for this profile was given for MiniMax, so it is not sent here\./);
    assert.equal(r.action, 'setApiKey');
  });
});
