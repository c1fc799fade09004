/**
 * Fault numbers: how long after its last byte a stalled stream is given up (the setting, here
 * 1 s, plus what it takes to notice), and how many calls are made after a backend charged more
 * than a call's worst case (it must be none: background work pauses at the first).
 */
import { BackgroundAgent } from '../src/core/agent/BackgroundAgent';
import { ModelError } from '../src/core/providers/modelBackend';
import { OpenAIBackend } from '../src/core/providers/openaiBackend';
import { priceFor, withMarkup } from '../src/core/providers/pricing';
import { FakeModelServer } from '../test/fakes/fakeModelServer';
import { FIX, recordingHost, signal } from '../test/unit/core/agent/recordingHost';
import type { Measured } from './providerBench';

export async function faults(): Promise<Measured[]> {
  const server = new FakeModelServer();
  const url = await server.start();
  try {
    const idleMs = 1000;
    const backend = new OpenAIBackend({ baseURL: url, apiKey: 'k', model: 'MiniMax-M2.7', displayName: 'MiniMax', price: priceFor('MiniMax-M2.7'), streamIdleMs: idleMs });
    // Warm: the SDK loads on the first call.
    await backend.complete({ messages: [{ role: 'user', content: 'x' }], maxCompletionTokens: 1024 });
    server.enqueue({ content: 'TITLE: a reply that stops after a few pieces', stallAfterChunks: 2 });
    const started = performance.now();
    const err = await backend.complete({ messages: [{ role: 'user', content: 'x' }], maxCompletionTokens: 1024 }).catch((e: unknown) => e);
    const stallMs = performance.now() - started;
    if (!(err instanceof ModelError) || err.kind !== 'network' || !err.partial) throw new Error(`a stalled stream should fail with its partial usage: ${String(err)}`);

    // Every answer reports $0.50 against a worst case of well under a cent.
    server.respondWith(() => ({ content: FIX, usage: { prompt_tokens: 1000, completion_tokens: 200, cost: 0.5 } }));
    const before = server.chatRequests().length;
    const rec = recordingHost(() => url);
    const agent = new BackgroundAgent(rec.host);
    for (let i = 0; i < 5; i++) agent.onSettledDiagnostics(signal(`export const answer${i}: number = "42";\n`, `file:///ws/src/f${i}.ts`));
    await rec.until(() => rec.last().state === 'paused');
    await new Promise((r) => setTimeout(r, 200));
    await agent.dispose();
    const calls = server.chatRequests().length - before;

    // A gateway that adds its 5.5% fee to the table price and reports the total: with the fee known
    // (OpenRouter's preset), no call reports more than it reserved.
    const feeBackend = new OpenAIBackend({ baseURL: url, apiKey: 'k', model: 'MiniMax-M2.7', displayName: 'OpenRouter', price: withMarkup(priceFor('MiniMax-M2.7')!, 0.055) });
    const plain = new OpenAIBackend({ baseURL: url, apiKey: 'k', model: 'MiniMax-M2.7', displayName: 'table', price: priceFor('MiniMax-M2.7') });
    let worstOver = 0;
    for (const [prompt, out] of [
      [2_000, 512],
      [20_000, 2048],
      [100, 4096],
    ] as const) {
      const request = { messages: [{ role: 'user' as const, content: 'x'.repeat(prompt) }], maxCompletionTokens: out };
      const charged = plain.worstCaseUsd(request) * 1.055;
      server.enqueue({ content: FIX, usage: { prompt_tokens: prompt, completion_tokens: out, cost: charged } });
      const r = await feeBackend.complete(request);
      worstOver = Math.max(worstOver, (r.usage.costUsd ?? 0) - feeBackend.worstCaseUsd(request));
    }
    return [
      { metric: "a gateway's 5.5% fee, known: worst reported-over-reserved overshoot (3 calls)", measured: Math.max(0, Math.round(worstOver * 1e9) / 1e9) * 100, unit: 'cents', target: 0, kind: 'max' },
      { metric: `stalled stream given up (streamIdle ${idleMs / 1000} s; request start to error)`, measured: stallMs, unit: 'ms', target: idleMs + 500, kind: 'max' },
      { metric: 'calls after a backend charged more than the worst case (of 5 queued)', measured: calls - 1, unit: 'calls', target: 0, kind: 'max' },
    ];
  } finally {
    await server.close();
  }
}
