/**
 * Prices per million tokens, and the cost of a call. One table, so a price change is one line;
 * figures from shared/docs/model-backends.md (late 2026). A profile may override a price.
 */
import type { TokenUsage } from '../../shared/types';

export interface PriceTier {
  inputPerM: number;
  cachedInputPerM: number;
  outputPerM: number;
  /** Cache writes (Anthropic-style); billed at the input price when not given. */
  cacheWritePerM?: number;
}

export interface ModelPrice extends PriceTier {
  /** A dearer tier for long prompts: applies to the whole call when input exceeds the threshold. */
  longContext?: PriceTier & { aboveInputTokens: number };
  /**
   * What the backend adds on top of the model's price, as a fraction (0.055 = 5.5%): a gateway's
   * fee. Part of every computed cost and of every reservation's worst case.
   */
  markup?: number;
}

/** The price with a backend's markup added to it (the larger of the two when both say one). */
export function withMarkup(price: ModelPrice, markup: number | undefined): ModelPrice {
  if (!markup || markup <= 0) return price;
  return { ...price, markup: Math.max(price.markup ?? 0, markup) };
}

const m27: ModelPrice = { inputPerM: 0.3, cachedInputPerM: 0.06, outputPerM: 1.2 };
const m27hs: ModelPrice = { inputPerM: 0.6, cachedInputPerM: 0.06, outputPerM: 2.4 };
const m25: ModelPrice = { inputPerM: 0.3, cachedInputPerM: 0.03, outputPerM: 1.2 };
const m25hs: ModelPrice = { inputPerM: 0.6, cachedInputPerM: 0.03, outputPerM: 2.4 };
const opus47: ModelPrice = { inputPerM: 5, cachedInputPerM: 0.5, outputPerM: 25 };
const sonnet46: ModelPrice = { inputPerM: 3, cachedInputPerM: 0.3, outputPerM: 15 };

const PRICES: Record<string, ModelPrice> = {
  'minimax-m2.7': m27,
  'minimax-m2.7-highspeed': m27hs,
  'minimax-m2.5': m25,
  'minimax-m2.5-highspeed': m25hs,
  'minimax-m2.1': m25,
  'minimax-m2': m25,
  'gpt-5.4': {
    inputPerM: 2.5,
    cachedInputPerM: 0.25,
    outputPerM: 15,
    longContext: { aboveInputTokens: 272_000, inputPerM: 5, cachedInputPerM: 0.5, outputPerM: 22.5 },
  },
  'gpt-5.5': { inputPerM: 5, cachedInputPerM: 0.5, outputPerM: 30 },
  'claude-opus-4.7': opus47,
  'claude-opus-4-7': opus47,
  'claude-sonnet-4.6': sonnet46,
  'claude-sonnet-4-6': sonnet46,
  'gemini-3.1-pro': {
    inputPerM: 2,
    cachedInputPerM: 0.2,
    outputPerM: 12,
    longContext: { aboveInputTokens: 200_000, inputPerM: 4, cachedInputPerM: 0.4, outputPerM: 18 },
  },
  'deepseek-v4-pro': { inputPerM: 1.32, cachedInputPerM: 0.044, outputPerM: 3.96 },
};

export const FREE: ModelPrice = { inputPerM: 0, cachedInputPerM: 0, outputPerM: 0 };

/**
 * The table price of a model, matched case-insensitively, also under a gateway's vendor prefix
 * ("openai/gpt-5.4", "anthropic/claude-opus-4.7"); undefined when unknown.
 */
export function priceFor(model: string): ModelPrice | undefined {
  const name = model.trim().toLowerCase();
  return PRICES[name] ?? PRICES[name.slice(name.lastIndexOf('/') + 1)];
}

/** Cost in USD. Cached input tokens are part of the input tokens and billed at the cached rate. */
export function costUsd(usage: TokenUsage & { cacheWriteTokens?: number }, price: ModelPrice): number {
  const tier = price.longContext && usage.inputTokens > price.longContext.aboveInputTokens ? price.longContext : price;
  const cached = Math.min(usage.cachedInputTokens, usage.inputTokens);
  const written = Math.min(usage.cacheWriteTokens ?? 0, usage.inputTokens - cached);
  const fresh = usage.inputTokens - cached - written;
  const tokens = fresh * tier.inputPerM + cached * tier.cachedInputPerM + written * (tier.cacheWritePerM ?? tier.inputPerM) + usage.outputTokens * tier.outputPerM;
  return (tokens * (1 + (price.markup ?? 0))) / 1_000_000;
}
