import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ModelError } from '../../../../src/core/providers/modelBackend';
import { OpenAIBackend } from '../../../../src/core/providers/openaiBackend';
import { priceFor, withMarkup } from '../../../../src/core/providers/pricing';
import { FakeModelServer } from '../../../fakes/fakeModelServer';

describe('OpenAIBackend against the loopback server (real openai SDK)', () => {
  const server = new FakeModelServer();
  let baseURL = '';
  const backend = () => new OpenAIBackend({ baseURL, apiKey: 'sk-test-secret', model: 'MiniMax-M2.7', displayName: 'MiniMax', price: priceFor('MiniMax-M2.7') });
  const request = { messages: [{ role: 'user' as const, content: 'hello' }], maxCompletionTokens: 2048 };

  before(async () => {
    baseURL = await server.start();
  });
  after(() => server.close());
  beforeEach(() => server.requests.splice(0));

  it('streams, strips thinking and reads the final usage chunk', async () => {
    server.enqueue({
      content: '<think>reason about it</think>TITLE: Fix it',
      usage: { prompt_tokens: 1200, completion_tokens: 300, cached_tokens: 1000, reasoning_tokens: 200 },
    });
    const result = await backend().complete(request);
    assert.equal(result.answer, 'TITLE: Fix it');
    assert.equal(result.thinking, 'reason about it');
    const { inputTokens, cachedInputTokens, outputTokens, reasoningTokens, costSource, costUsd } = result.usage;
    assert.deepEqual({ inputTokens, cachedInputTokens, outputTokens, reasoningTokens }, { inputTokens: 1200, cachedInputTokens: 1000, outputTokens: 300, reasoningTokens: 200 });
    assert.equal(costSource, 'price-table');
    assert.equal(costUsd, (200 * 0.3 + 1000 * 0.06 + 300 * 1.2) / 1e6);
    assert.equal(result.rawContent, '<think>reason about it</think>TITLE: Fix it');
    assert.ok(result.usage.ttftMs !== null && result.usage.ttftMs >= 0);
    const body = server.chatRequests()[0].body as Record<string, unknown>;
    assert.equal(body.stream, true);
    assert.deepEqual(body.stream_options, { include_usage: true });
    assert.equal(body.max_completion_tokens, 2048);
    assert.equal(server.chatRequests()[0].headers.authorization, 'Bearer sk-test-secret');
  });

  it('estimates usage when the stream reports none, and says so', async () => {
    server.enqueue({ content: 'TITLE: x', usage: null });
    const result = await backend().complete(request);
    assert.equal(result.usage.costSource, 'estimated');
    assert.ok(result.usage.inputTokens > 0 && result.usage.outputTokens > 0);
  });

  it('turns a 401 into an auth error naming the backend', async () => {
    server.enqueue({
      status: 401,
      rawBody: JSON.stringify({ type: 'error', error: { type: 'authorized_error', message: 'login fail: Please carry the API secret key (1004)' } }),
    });
    await assert.rejects(backend().complete(request), (err: unknown) => {
      assert.ok(err instanceof ModelError);
      assert.equal(err.kind, 'auth');
      assert.match(err.message, /^MiniMax rejected the API key \(401\)\. Set it with 'Nightshift: Set API Key'\.$/);
      assert.doesNotMatch(err.message, /sk-test-secret/);
      return true;
    });
  });

  for (const [code, kind] of [
    [1002, 'rateLimit'],
    [1004, 'auth'],
    [1008, 'balance'],
  ] as const) {
    it(`treats an HTTP 200 with base_resp ${code} as ${kind}`, async () => {
      server.enqueue({ content: '', baseResp: { status_code: code, status_msg: 'x' } });
      await assert.rejects(backend().complete(request), (err: unknown) => err instanceof ModelError && err.kind === kind);
    });
  }

  it('reports an HTML error page as an unreadable reply, not a crash', async () => {
    server.enqueue({ status: 502, rawBody: '<html><body>Bad gateway</body></html>', contentType: 'text/html' });
    await assert.rejects(backend().complete(request), (err: unknown) => err instanceof ModelError && err.kind === 'server');
  });

  it('reports a non-JSON 200 body clearly', async () => {
    server.enqueue({ rawBody: 'data: {not json\n\n', contentType: 'text/event-stream' });
    await assert.rejects(backend().complete(request), (err: unknown) => err instanceof ModelError && err.kind === 'badResponse');
  });

  it('reports an unreachable server as a network error', async () => {
    const dead = new OpenAIBackend({ baseURL: 'http://127.0.0.1:9/v1', apiKey: 'k', model: 'm', displayName: 'the local server at 127.0.0.1:9', price: undefined });
    await assert.rejects(dead.complete(request), (err: unknown) => {
      assert.ok(err instanceof ModelError);
      assert.equal(err.kind, 'network');
      assert.match(err.message, /Could not reach the local server at 127\.0\.0\.1:9/);
      return true;
    });
  });

  it('gives up on a server that does not answer in time', async () => {
    server.enqueue({ content: 'slow', chunkDelayMs: 2000 });
    const slow = new OpenAIBackend({ baseURL, apiKey: 'k', model: 'MiniMax-M2.7', displayName: 'MiniMax', price: undefined, timeoutMs: 200 });
    await assert.rejects(slow.complete(request), (err: unknown) => err instanceof ModelError && err.kind === 'network' && /did not answer in time/.test(err.message));
  });

  it("reserves a gateway's fee on top of the worst case, and books a fee-less report as the provider sent it", async () => {
    const plain = backend().worstCaseUsd(request);
    const feed = new OpenAIBackend({ baseURL, apiKey: 'k', model: 'MiniMax-M2.7', displayName: 'OpenRouter', price: withMarkup(priceFor('MiniMax-M2.7')!, 0.055) });
    assert.equal(Number((feed.worstCaseUsd(request) / plain).toFixed(6)), 1.055);
    assert.ok(feed.estimateUsd(request, 100)! > backend().estimateUsd(request, 100)!);
    // A fee charged on top of the table price stays within what was reserved.
    server.enqueue({ content: 'ok', usage: { prompt_tokens: 10, completion_tokens: 2048, cost: plain * 1.05 } });
    const r = await feed.complete(request);
    assert.ok(r.usage.costUsd! <= feed.worstCaseUsd(request) && r.usage.costUsd! > plain);
  });

  it('stops reading a reply far past the output limit, says so, and keeps what arrived for booking', async () => {
    server.enqueue({ content: 'x'.repeat(300_000), usage: null });
    const err = await backend()
      .complete(request)
      .then(
        () => assert.fail('a runaway reply must not be accepted'),
        (e: unknown) => e,
      );
    assert.ok(err instanceof ModelError, String(err));
    assert.equal(err.kind, 'badResponse');
    assert.match(err.message, /^MiniMax sent a reply longer than 256 KB, far past the output limit; Nightshift stopped reading it\.$/);
    assert.ok(err.partial && err.partial.outputTokens > 0 && err.partial.costUsd! > 0, JSON.stringify(err.partial));
    assert.equal(err.retryable, false, 'never asked again: it would be charged again');
  });

  it('takes a plain JSON body sent to a stream request as the answer, once, with its usage', async () => {
    const body = { id: 'x', object: 'chat.completion', model: 'MiniMax-M2.7', choices: [{ index: 0, message: { role: 'assistant', content: '<think>hm</think>TITLE: none' }, finish_reason: 'stop' }], usage: { prompt_tokens: 120, completion_tokens: 30 } };
    server.enqueue({ rawBody: JSON.stringify(body), contentType: 'application/json' });
    const r = await backend().complete(request);
    assert.equal(r.answer, 'TITLE: none');
    assert.equal(r.thinking, 'hm');
    assert.deepEqual([r.usage.inputTokens, r.usage.outputTokens, r.usage.costSource], [120, 30, 'price-table']);
    assert.equal(server.requests.length, 1);
    server.enqueue({ rawBody: JSON.stringify({ ...body, base_resp: { status_code: 1008, status_msg: 'insufficient balance' } }), contentType: 'application/json' });
    await assert.rejects(backend().complete(request), (err: unknown) => err instanceof ModelError && err.kind === 'balance');
  });

  it('gives up on a stream that stalls after its first bytes, keeping what arrived', async () => {
    server.enqueue({ content: 'TITLE: something long enough to come in several pieces', stallAfterChunks: 2 });
    const quick = new OpenAIBackend({ baseURL, apiKey: 'k', model: 'MiniMax-M2.7', displayName: 'MiniMax', price: priceFor('MiniMax-M2.7'), streamIdleMs: 300 });
    const started = Date.now();
    const err = await quick.complete(request).then(
      () => assert.fail('a stalled stream must not pass'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof ModelError, String(err));
    assert.equal(err.kind, 'network');
    assert.equal(err.message, 'MiniMax sent nothing for 0.3 s in the middle of a reply; Nightshift gave up on it.');
    assert.ok(err.partial && err.partial.outputTokens > 0, 'what arrived is billed');
    assert.ok(Date.now() - started < 5000);
  });

  it('gives up on a stream that trickles empty chunks for ever, at the call deadline, and books the call once', async () => {
    server.enqueue({ trickleEmptyEveryMs: 50 });
    // Each empty chunk keeps the idle timer awake: only the total deadline can end this call.
    const options = { baseURL, apiKey: 'k', model: 'MiniMax-M2.7', displayName: 'MiniMax', price: priceFor('MiniMax-M2.7'), streamIdleMs: 300, callTimeoutMs: 700 };
    const started = Date.now();
    const outcome = await Promise.race([
      new OpenAIBackend(options).complete(request).then(
        () => 'answered',
        (e: unknown) => e,
      ),
      new Promise((resolve) => setTimeout(() => resolve('still running after 5 s'), 5000)),
    ]);
    assert.ok(outcome instanceof ModelError, String(outcome));
    assert.equal(outcome.kind, 'network');
    assert.equal(outcome.message, 'MiniMax did not finish its reply within 0.7 s (nightshift.callTimeoutSeconds); Nightshift gave up on it.');
    assert.ok(outcome.partial && outcome.partial.inputTokens > 0, 'the prompt was read by the backend: the call is booked');
    assert.equal(outcome.retryable, false, 'never asked again inside the call: it would be charged again');
    assert.ok(Date.now() - started < 3000);
  });

  it('reads a 200 reply that is neither JSON nor an event stream (a captive portal) as unreadable, never as a network fault', async () => {
    server.enqueue({ rawBody: '<!doctype html><html><head><title>Hotel Wi-Fi: log in</title></head><body>Accept the terms</body></html>', contentType: 'text/html; charset=utf-8' });
    const err = await backend()
      .complete(request)
      .then(
        () => assert.fail('an HTML page is no answer'),
        (e: unknown) => e,
      );
    assert.ok(err instanceof ModelError, String(err));
    assert.equal(err.kind, 'badResponse');
    assert.equal(err.message, 'MiniMax sent a reply Nightshift could not read: an HTML page ("Hotel Wi-Fi: log in"), not JSON or an event stream. A captive portal or a proxy may be answering in its place; check the network and the base URL.');
    assert.equal(err.retryable, false);
    assert.equal(err.partial, undefined, 'nothing of an answer arrived');
  });

  it('reports a cancel in the middle of a stream as cancelled, with what arrived', async () => {
    server.enqueue({ content: 'x'.repeat(400), chunkDelayMs: 20 });
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 150);
    const err = await backend()
      .complete({ ...request, signal: abort.signal })
      .then(
        () => assert.fail('cancelled'),
        (e: unknown) => e,
      );
    assert.ok(err instanceof ModelError, String(err));
    assert.equal(err.kind, 'aborted');
    assert.ok(err.partial && err.partial.outputTokens > 0);
  });

  it('aborts through the AbortSignal', async () => {
    const abort = new AbortController();
    abort.abort();
    await assert.rejects(backend().complete({ ...request, signal: abort.signal }), (err: unknown) => err instanceof ModelError && err.kind === 'aborted');
  });
});
