import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { BackendHealth } from '../../../../src/core/providers/backendHealth';
import { CircuitBreaker } from '../../../../src/core/providers/circuitBreaker';
import { ModelError } from '../../../../src/core/providers/modelBackend';
import { OpenAIBackend } from '../../../../src/core/providers/openaiBackend';
import { priceFor } from '../../../../src/core/providers/pricing';
import { ResilientBackend, type Clock } from '../../../../src/core/providers/ResilientBackend';
import { FakeModelServer } from '../../../fakes/fakeModelServer';

/** A clock whose sleeps return at once and are remembered, so backoff is checked, not waited. */
function fakeClock(): Clock & { slept: number[]; advance(ms: number): void } {
  let now = 1_000_000;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    advance: (ms) => (now += ms),
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
  };
}

const isKind = (kind: string) => (err: unknown) => err instanceof ModelError && err.kind === kind;

describe('ResilientBackend: retries, circuit breaker and health against the loopback server', () => {
  const server = new FakeModelServer();
  let baseURL = '';
  let clock: ReturnType<typeof fakeClock>;
  let breaker: CircuitBreaker;
  let health: BackendHealth;
  const request = { messages: [{ role: 'user' as const, content: 'hi' }], maxCompletionTokens: 1024 };
  const backend = () => new ResilientBackend(new OpenAIBackend({ baseURL, apiKey: 'k', model: 'MiniMax-M2.7', displayName: 'MiniMax', price: priceFor('MiniMax-M2.7') }), breaker, health, clock);

  before(async () => {
    baseURL = await server.start();
  });
  after(() => server.close());
  beforeEach(() => {
    server.requests.splice(0);
    clock = fakeClock();
    breaker = new CircuitBreaker({ threshold: 3, cooldownMs: 60_000, maxCooldownMs: 600_000 });
    health = new BackendHealth();
  });

  it('waits out a 429 with Retry-After and then succeeds', async () => {
    server.enqueue({ status: 429, headers: { 'retry-after': '2' } }, { content: 'ok' });
    const result = await backend().complete(request);
    assert.equal(result.answer, 'ok');
    assert.deepEqual(clock.slept, [2000]);
    assert.equal(server.chatRequests().length, 2);
  });

  it('does not wait inside the call for a Retry-After beyond the limit: the task is delayed instead', async () => {
    server.enqueue({ status: 429, headers: { 'retry-after': '600' } });
    await assert.rejects(backend().complete(request), (err: unknown) => err instanceof ModelError && err.kind === 'rateLimit' && err.retryAfterMs === 600_000);
    assert.deepEqual(clock.slept, []);
  });

  it('never retries a LiteLLM budget_exceeded 429', async () => {
    server.enqueue({ status: 429, rawBody: JSON.stringify({ error: { message: 'Budget has been exceeded!', type: 'budget_exceeded' } }) });
    await assert.rejects(backend().complete(request), isKind('budget'));
    assert.equal(server.chatRequests().length, 1);
  });

  it('never retries OpenRouter 402 (credits) or 403 (key limit), each with its own message', async () => {
    server.enqueue({ status: 402, rawBody: JSON.stringify({ error: { code: 402, message: 'Insufficient credits' } }) });
    await assert.rejects(backend().complete(request), (err: unknown) => err instanceof ModelError && err.kind === 'balance' && /out of credit \(402\)/.test(err.message));
    server.enqueue({ status: 403, rawBody: JSON.stringify({ error: { code: 403, message: 'Key limit exceeded' } }) });
    await assert.rejects(backend().complete(request), (err: unknown) => err instanceof ModelError && err.kind === 'keyLimit' && /spending limit \(403\)/.test(err.message));
    assert.equal(server.chatRequests().length, 2);
  });

  it('retries 5xx and connection resets with growing backoff, a bounded number of times', async () => {
    server.enqueue({ status: 500 }, { reset: true }, { status: 502 });
    await assert.rejects(backend().complete(request), isKind('server'));
    assert.equal(server.chatRequests().length, 3);
    assert.deepEqual(clock.slept, [1000, 2000]);
  });

  it('opens the breaker after repeated failed calls, holds calls back, and lets one through later', async () => {
    for (let call = 0; call < 2; call++) {
      server.enqueue({ status: 503 }, { status: 503 }, { status: 503 });
      await assert.rejects(backend().complete(request), isKind('server'));
    }
    server.enqueue({ status: 503 }, { status: 503 }, { status: 503 });
    await assert.rejects(backend().complete(request), (err: unknown) => err instanceof ModelError && err.kind === 'unavailable' && err.retryAfterMs === 60_000);
    const sent = server.chatRequests().length;
    await assert.rejects(backend().complete(request), isKind('unavailable'));
    assert.equal(server.chatRequests().length, sent, 'no request while the breaker is open');
    const summary = health.summary(clock.now(), () => breaker.pausedUntil());
    assert.equal(summary[0].errors, 9);
    assert.ok(summary[0].pausedUntil);
    clock.advance(60_000);
    server.enqueue({ content: 'back' });
    assert.equal((await backend().complete(request)).answer, 'back');
    assert.equal(breaker.remainingMs(clock.now()), 0);
  });

  it('records a stream that broke midway once, with estimated usage, and does not retry it', async () => {
    server.enqueue({ content: 'x'.repeat(200), dropAfterChunks: 4 });
    await assert.rejects(backend().complete(request), (err: unknown) => {
      assert.ok(err instanceof ModelError);
      assert.equal(err.kind, 'network');
      assert.equal(err.retryable, false);
      assert.equal(err.partial?.costSource, 'estimated');
      assert.ok((err.partial?.outputTokens ?? 0) > 0);
      return true;
    });
    assert.equal(server.chatRequests().length, 1);
  });

  it("asks a backend that answers 200 with a captive portal's page once, not three times", async () => {
    server.respondWith(() => ({ rawBody: '<html><head><title>Sign in to the network</title></head></html>', contentType: 'text/html' }));
    try {
      await assert.rejects(backend().complete(request), isKind('badResponse'));
    } finally {
      server.respondWith(() => ({ content: 'TITLE: none' }));
    }
    assert.equal(server.chatRequests().length, 1);
    assert.deepEqual(clock.slept, []);
  });

  it('records calls, errors, latency and tokens/s per backend', async () => {
    server.enqueue({ content: 'hello world', usage: { prompt_tokens: 5, completion_tokens: 20 } }, { status: 400 });
    await backend().complete(request);
    await assert.rejects(backend().complete(request), isKind('badResponse'));
    const [s] = health.summary(clock.now());
    assert.deepEqual([s.backend, s.calls, s.errors], ['MiniMax', 2, 1]);
    assert.ok(s.medianLatencyMs !== null && s.medianLatencyMs >= 0);
  });
});
