import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { priceFor } from '../../../../src/core/providers/pricing';
import { buildUsageRecord, normalizeTokens, type CallFacts } from '../../../../src/core/providers/usage';

const estimate = { inputTokens: 100, cachedInputTokens: 0, outputTokens: 50, reasoningTokens: 0 };
const facts = (over: Partial<CallFacts>): CallFacts => ({ usage: undefined, estimate, startedAt: 1000, firstTokenAt: 1200, endedAt: 2200, ...over });
const m27 = priceFor('MiniMax-M2.7');

describe('usage records', () => {
  it('reads cached tokens under either name, cache writes and reasoning', () => {
    assert.deepEqual(normalizeTokens({ prompt_tokens: 10, completion_tokens: 5, cache_read_input_tokens: 4, cache_creation_input_tokens: 3 }), {
      inputTokens: 10,
      cachedInputTokens: 4,
      cacheWriteTokens: 3,
      outputTokens: 5,
      reasoningTokens: 0,
    });
    assert.deepEqual(normalizeTokens({ prompt_tokens: 10, completion_tokens: 5, prompt_tokens_details: { cached_tokens: 6 }, completion_tokens_details: { reasoning_tokens: 2 } }), {
      inputTokens: 10,
      cachedInputTokens: 6,
      cacheWriteTokens: 0,
      outputTokens: 5,
      reasoningTokens: 2,
    });
    assert.equal(normalizeTokens({ completion_tokens: 5 }), undefined);
  });

  it('prices reported usage from the table', () => {
    const r = buildUsageRecord(facts({ usage: { prompt_tokens: 1_000_000, completion_tokens: 1_000_000 } }), m27);
    assert.equal(r.costUsd, 1.5);
    assert.equal(r.costSource, 'price-table');
  });

  it("prefers OpenRouter's usage.cost and LiteLLM's header cost", () => {
    const or = buildUsageRecord(facts({ usage: { prompt_tokens: 10, completion_tokens: 5, cost: 0.0123 } }), m27);
    assert.deepEqual([or.costUsd, or.costSource], [0.0123, 'provider-reported']);
    const lite = buildUsageRecord(facts({ usage: { prompt_tokens: 10, completion_tokens: 5 }, headerCostUsd: 0.5 }), m27);
    assert.deepEqual([lite.costUsd, lite.costSource], [0.5, 'provider-reported']);
  });

  it('estimates when no usage came, and marks it', () => {
    const r = buildUsageRecord(facts({}), m27);
    assert.equal(r.costSource, 'estimated');
    assert.equal(r.inputTokens, 100);
    assert.equal(r.costUsd, (100 * 0.3 + 50 * 1.2) / 1e6);
  });

  it('reports unknown cost for an unknown price', () => {
    const r = buildUsageRecord(facts({ usage: { prompt_tokens: 10, completion_tokens: 5 } }), undefined);
    assert.deepEqual([r.costUsd, r.costSource], [null, 'unknown']);
  });

  it('measures latency, time to first token and tokens per second', () => {
    const r = buildUsageRecord(facts({ usage: { prompt_tokens: 10, completion_tokens: 100 } }), m27);
    assert.equal(r.latencyMs, 1200);
    assert.equal(r.ttftMs, 200);
    assert.equal(r.outputTokensPerSecond, 100);
    const none = buildUsageRecord(facts({ firstTokenAt: undefined }), m27);
    assert.deepEqual([none.ttftMs, none.outputTokensPerSecond], [null, null]);
  });

  it('ignores negative or non-numeric fields', () => {
    const r = buildUsageRecord(facts({ usage: { prompt_tokens: 10, completion_tokens: 5, cost: -1, prompt_tokens_details: { cached_tokens: Number.NaN } } }), m27);
    assert.equal(r.cachedInputTokens, 0);
    assert.equal(r.costSource, 'price-table');
  });
});
