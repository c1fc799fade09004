/**
 * What an annual budget buys at a model's price: the background share paced over the year, spent
 * on proposals of a typical size. A proposal's size is measured (our fixture fixes: about 1,800
 * input tokens, most of them the cached prefix, 200–300 output tokens, 1.5 calls with lookups and
 * retries), not promised: it is an order of magnitude for choosing a budget, said as such.
 */
import type { ModelPrice } from '../providers/pricing';
import { costUsd } from '../providers/pricing';

/** One typical call. */
export const TYPICAL_CALL = { inputTokens: 2000, cachedInputTokens: 1000, outputTokens: 300, reasoningTokens: 0 };
/** Calls per shown proposal (lookups, a failed check sent back). */
export const CALLS_PER_PROPOSAL = 1.5;

export function whatItBuys(annualUsd: number, escalationShare: number, price: ModelPrice): { perDayUsd: number; proposalCostUsd: number; proposalsPerDay: number } {
  const perDayUsd = (Math.max(0, annualUsd) * (1 - Math.min(1, Math.max(0, escalationShare)))) / 365;
  const proposalCostUsd = costUsd(TYPICAL_CALL, price) * CALLS_PER_PROPOSAL;
  return { perDayUsd, proposalCostUsd, proposalsPerDay: proposalCostUsd > 0 ? Math.floor(perDayUsd / proposalCostUsd) : Infinity };
}
