import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { costUsd, priceFor, withMarkup } from '../../../../src/core/providers/pricing';

describe('pricing', () => {
  it('prices M2.7 at $0.30 / $0.06 cached / $1.20 per million', () => {
    const price = priceFor('MiniMax-M2.7');
    assert.ok(price);
    const usage = { inputTokens: 1_000_000, cachedInputTokens: 0, outputTokens: 1_000_000, reasoningTokens: 0 };
    assert.equal(costUsd(usage, price), 1.5);
    const cached = { inputTokens: 1_000_000, cachedInputTokens: 500_000, outputTokens: 0, reasoningTokens: 0 };
    assert.equal(Number(costUsd(cached, price).toFixed(6)), 0.18);
  });

  it('matches model names case-insensitively and knows highspeed', () => {
    assert.equal(priceFor('minimax-m2.7-HIGHSPEED')?.outputPerM, 2.4);
  });

  it("adds a backend's markup to the cost, keeping the larger of two", () => {
    const usage = { inputTokens: 1_000_000, cachedInputTokens: 0, outputTokens: 1_000_000, reasoningTokens: 0 };
    const price = withMarkup(priceFor('MiniMax-M2.7')!, 0.1);
    assert.equal(Number(costUsd(usage, price).toFixed(9)), 1.65);
    assert.equal(withMarkup(price, 0.05).markup, 0.1);
    assert.equal(withMarkup(price, 0.3).markup, 0.3);
    assert.equal(withMarkup(priceFor('MiniMax-M2.7')!, 0), priceFor('MiniMax-M2.7'));
  });

  it('returns undefined for an unknown model rather than guessing', () => {
    assert.equal(priceFor('some-local-model'), undefined);
  });

  it('never bills more cached tokens than input tokens', () => {
    const price = priceFor('MiniMax-M2.7')!;
    const odd = { inputTokens: 100, cachedInputTokens: 500, outputTokens: 0, reasoningTokens: 0 };
    assert.equal(costUsd(odd, price), (100 * 0.06) / 1_000_000);
  });
});

describe('frontier prices', () => {
  it('knows the escalation models, also under a gateway prefix', () => {
    assert.equal(priceFor('gpt-5.4')?.outputPerM, 15);
    assert.equal(priceFor('anthropic/claude-opus-4.7')?.outputPerM, 25);
    assert.equal(priceFor('claude-sonnet-4-6')?.inputPerM, 3);
    assert.equal(priceFor('deepseek-v4-pro')?.cachedInputPerM, 0.044);
  });

  it('applies the long-context tier to the whole call above its threshold', () => {
    const gpt = priceFor('gpt-5.4')!;
    const small = { inputTokens: 272_000, cachedInputTokens: 0, outputTokens: 0, reasoningTokens: 0 };
    const large = { ...small, inputTokens: 272_001 };
    assert.equal(costUsd(small, gpt), (272_000 * 2.5) / 1e6);
    assert.equal(costUsd(large, gpt), (272_001 * 5) / 1e6);
  });

  it('bills cache writes at the input price unless the tier says otherwise', () => {
    const sonnet = priceFor('claude-sonnet-4.6')!;
    const u = { inputTokens: 1000, cachedInputTokens: 200, cacheWriteTokens: 300, outputTokens: 0, reasoningTokens: 0 };
    assert.equal(costUsd(u, sonnet), (500 * 3 + 200 * 0.3 + 300 * 3) / 1e6);
  });
});
