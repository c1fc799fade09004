/**
 * One normalized usage record per model call, whatever the backend reported: tokens, timing and
 * cost with where the cost came from. Pure and allocation-light: it runs once per call and is
 * benchmarked at hundreds of thousands of records a second.
 */
import type { TokenUsage } from '../../shared/types';
import { costUsd, type ModelPrice } from './pricing';

/** 'estimate (call cut off)': a call cancelled or killed after it was sent, booked by estimate (ledgerEntry's CUT_OFF_SOURCE). */
export type CostSource = 'provider-reported' | 'price-table' | 'estimated' | 'estimate (call cut off)' | 'unknown' | 'compiler';

export interface UsageRecord extends TokenUsage {
  cacheWriteTokens: number;
  latencyMs: number;
  /** Time to the first streamed token; null when nothing arrived. */
  ttftMs: number | null;
  outputTokensPerSecond: number | null;
  /** null when the price is unknown. */
  costUsd: number | null;
  costSource: CostSource;
}

/** The usage object as OpenAI-compatible servers send it, with the variants seen in the field. */
export interface RawUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  /** OpenRouter: what the call cost, in USD. */
  cost?: number;
  cache_read_input_tokens?: number;
  cache_creation_input_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number; cache_write_tokens?: number } | null;
  completion_tokens_details?: { reasoning_tokens?: number } | null;
}

export interface CallFacts {
  usage: RawUsage | undefined;
  /** Used when the backend reported no usage (a stream that ended early or never sent it). */
  estimate: TokenUsage;
  /** LiteLLM's `x-litellm-response-cost` header, if present. */
  headerCostUsd?: number;
  startedAt: number;
  firstTokenAt: number | undefined;
  endedAt: number;
}

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 0);

export function normalizeTokens(raw: RawUsage | undefined): (TokenUsage & { cacheWriteTokens: number }) | undefined {
  if (!raw || typeof raw.prompt_tokens !== 'number' || typeof raw.completion_tokens !== 'number') return undefined;
  const details = raw.prompt_tokens_details;
  return {
    inputTokens: num(raw.prompt_tokens),
    cachedInputTokens: num(details?.cached_tokens ?? raw.cache_read_input_tokens),
    cacheWriteTokens: num(details?.cache_write_tokens ?? raw.cache_creation_input_tokens),
    outputTokens: num(raw.completion_tokens),
    reasoningTokens: num(raw.completion_tokens_details?.reasoning_tokens),
  };
}

export function buildUsageRecord(facts: CallFacts, price: ModelPrice | undefined): UsageRecord {
  const reported = normalizeTokens(facts.usage);
  const tokens = reported ?? { ...facts.estimate, cacheWriteTokens: 0 };
  let cost: number | null = null;
  let costSource: CostSource = 'unknown';
  const providerCost = typeof facts.usage?.cost === 'number' ? facts.usage.cost : facts.headerCostUsd;
  if (reported && providerCost !== undefined && Number.isFinite(providerCost) && providerCost >= 0) {
    cost = providerCost;
    costSource = 'provider-reported';
  } else if (price) {
    cost = costUsd(tokens, price);
    costSource = reported ? 'price-table' : 'estimated';
  }
  const streamSeconds = facts.firstTokenAt === undefined ? 0 : (facts.endedAt - facts.firstTokenAt) / 1000;
  return {
    ...tokens,
    latencyMs: facts.endedAt - facts.startedAt,
    ttftMs: facts.firstTokenAt === undefined ? null : facts.firstTokenAt - facts.startedAt,
    outputTokensPerSecond: streamSeconds > 0 ? tokens.outputTokens / streamSeconds : null,
    costUsd: cost,
    costSource,
  };
}

const CERTAINTY: readonly CostSource[] = ['provider-reported', 'price-table', 'estimated', 'estimate (call cut off)', 'unknown'];

/** Two calls' usage as one: tokens, time and cost added; the cost is only as sure as the less sure of the two. */
export function addUsage(a: UsageRecord, b: UsageRecord): UsageRecord {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    cachedInputTokens: a.cachedInputTokens + b.cachedInputTokens,
    cacheWriteTokens: a.cacheWriteTokens + b.cacheWriteTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    reasoningTokens: a.reasoningTokens + b.reasoningTokens,
    latencyMs: a.latencyMs + b.latencyMs,
    ttftMs: a.ttftMs ?? b.ttftMs,
    outputTokensPerSecond: b.outputTokensPerSecond ?? a.outputTokensPerSecond,
    costUsd: a.costUsd === null || b.costUsd === null ? null : a.costUsd + b.costUsd,
    costSource: CERTAINTY[Math.max(CERTAINTY.indexOf(a.costSource), CERTAINTY.indexOf(b.costSource))],
  };
}
