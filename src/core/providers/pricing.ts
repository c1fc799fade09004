/**
 * Prices per million tokens, and the cost of a call. One table, so a price change is one line;
 * figures from shared/docs/model-backends.md (late 2026).
 */
import type { TokenUsage } from '../../shared/types';

export interface ModelPrice {
  inputPerM: number;
  cachedInputPerM: number;
  outputPerM: number;
}

const PRICES: Record<string, ModelPrice> = {
  'minimax-m2.7': { inputPerM: 0.3, cachedInputPerM: 0.06, outputPerM: 1.2 },
  'minimax-m2.7-highspeed': { inputPerM: 0.6, cachedInputPerM: 0.06, outputPerM: 2.4 },
  'minimax-m2.5': { inputPerM: 0.3, cachedInputPerM: 0.03, outputPerM: 1.2 },
  'minimax-m2.5-highspeed': { inputPerM: 0.6, cachedInputPerM: 0.03, outputPerM: 2.4 },
  'minimax-m2.1': { inputPerM: 0.3, cachedInputPerM: 0.03, outputPerM: 1.2 },
  'minimax-m2': { inputPerM: 0.3, cachedInputPerM: 0.03, outputPerM: 1.2 },
};

/** The price of a model, matched case-insensitively; undefined when unknown. */
export function priceFor(model: string): ModelPrice | undefined {
  return PRICES[model.trim().toLowerCase()];
}

/** Cost in USD; cached input tokens are part of the input tokens and billed at the cached rate. */
export function costUsd(usage: TokenUsage, price: ModelPrice): number {
  const cached = Math.min(usage.cachedInputTokens, usage.inputTokens);
  const fresh = usage.inputTokens - cached;
  return (fresh * price.inputPerM + cached * price.cachedInputPerM + usage.outputTokens * price.outputPerM) / 1_000_000;
}
