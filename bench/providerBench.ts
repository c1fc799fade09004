/**
 * Provider numbers: our overhead per call (request built to first token handed on, less the
 * loopback server's own time) through the real `openai` SDK, and usage-record throughput.
 */
import { OpenAIBackend } from '../src/core/providers/openaiBackend';
import { priceFor } from '../src/core/providers/pricing';
import { buildUsageRecord, type CallFacts } from '../src/core/providers/usage';
import { FakeModelServer } from '../test/fakes/fakeModelServer';

export interface Measured {
  metric: string;
  measured: number;
  unit: string;
  target: number;
  /** 'max': at most the target; 'min': at least. */
  kind: 'max' | 'min';
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export async function providerOverhead(calls = 300, warmup = 30): Promise<Measured[]> {
  const server = new FakeModelServer();
  const baseURL = await server.start();
  server.respondWith(() => ({ content: 'TITLE: none', usage: { prompt_tokens: 1000, completion_tokens: 20 } }));
  const backend = new OpenAIBackend({ baseURL, apiKey: 'k', model: 'MiniMax-M2.7', displayName: 'bench', price: priceFor('MiniMax-M2.7') });
  const request = { messages: [{ role: 'user' as const, content: 'x'.repeat(4000) }], maxCompletionTokens: 1024 };
  const overhead: number[] = [];
  try {
    for (let i = 0; i < warmup + calls; i++) {
      const result = await backend.complete(request);
      const t = server.timings[server.timings.length - 1];
      const serverMs = (t.firstChunkAt ?? t.receivedAt) - t.receivedAt;
      if (i >= warmup && result.usage.ttftMs !== null) overhead.push(result.usage.ttftMs - serverMs);
    }
  } finally {
    await server.close();
  }
  return [
    { metric: `provider overhead to first token, p50 of ${calls}`, measured: percentile(overhead, 50), unit: 'ms', target: 2, kind: 'max' },
    { metric: `provider overhead to first token, p95 (no target)`, measured: percentile(overhead, 95), unit: 'ms', target: Infinity, kind: 'max' },
  ];
}

export function usageThroughput(records = 1_000_000): Measured[] {
  const price = priceFor('MiniMax-M2.7');
  const facts: CallFacts[] = Array.from({ length: 1024 }, (_, i) => ({
    usage: i % 7 === 0 ? undefined : { prompt_tokens: 1000 + i, completion_tokens: 200 + (i % 50), prompt_tokens_details: { cached_tokens: i % 900 }, ...(i % 5 === 0 ? { cost: 0.001 } : {}) },
    estimate: { inputTokens: 1000, cachedInputTokens: 0, outputTokens: 200, reasoningTokens: 0 },
    startedAt: 0,
    firstTokenAt: 100,
    endedAt: 1100 + i,
  }));
  let sink = 0;
  const started = performance.now();
  for (let i = 0; i < records; i++) sink += buildUsageRecord(facts[i & 1023], price).outputTokens;
  const seconds = (performance.now() - started) / 1000;
  if (sink < 0) console.log(sink);
  return [{ metric: 'usage normalization and cost', measured: records / seconds, unit: 'records/s', target: 200_000, kind: 'min' }];
}
