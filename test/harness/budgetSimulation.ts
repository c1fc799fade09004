/**
 * A year of background demand against the real BudgetGovernor on a simulated clock: tasks
 * arrive at a steady rate, each reserves its worst case, runs for a while and settles its real
 * cost. Optionally every settled call is appended to a real SpendLedger on disk. Used by the
 * unit tests (small tasks, no disk) and by `npm run bench` (the full year, real ledger).
 */
import { BudgetGovernor, DEFAULT_BUDGET, type BudgetSettings } from '../../src/core/budget/BudgetGovernor';
import { allowanceAt, budgetYearAt, DAY_MS } from '../../src/core/budget/budgetYear';
import type { SpendLedger } from '../../src/core/budget/SpendLedger';
import { seededRandom } from './seededRandom';

export interface SimulationOptions {
  /** Demand as a multiple of the background budget. */
  demandFactor: number;
  /** Seconds each task's call runs (at 50 output tokens/s). */
  taskSeconds: number;
  settings?: BudgetSettings;
  /** One task in this many is high priority. */
  highPriorityEvery?: number;
  ledger?: SpendLedger;
  yearStart?: number;
}

export interface SimulationResult {
  budgetUsd: number;
  spentUsd: number;
  offered: number;
  ran: number;
  denied: number;
  /** Largest (day spend − (daily allowance + burst)), in USD; ≤ 0 means no day went over. */
  worstDayOverUsd: number;
  overBudgetUsd: number;
}

const M27 = { inputPerM: 0.3, cachedInputPerM: 0.06, outputPerM: 1.2 };

export async function simulateYear(o: SimulationOptions): Promise<SimulationResult> {
  const settings = o.settings ?? DEFAULT_BUDGET;
  const yearStart = o.yearStart ?? Date.UTC(2027, 0, 1);
  let now = yearStart;
  const governor = new BudgetGovernor(settings, () => now);
  const year = budgetYearAt(yearStart, settings.yearStartMonth);
  const budget = settings.annualUsd * (1 - settings.escalationShare);

  // A task at 50 output tokens/s, ten input tokens per output token, 80% of them cached.
  const outputTokens = 50 * o.taskSeconds;
  const inputTokens = 10 * outputTokens;
  const fullCost = (inputTokens * (0.2 * M27.inputPerM + 0.8 * M27.cachedInputPerM) + outputTokens * M27.outputPerM) / 1e6;
  // Worst case: every input token uncached, a 1.5× output limit.
  const worstCase = (inputTokens * M27.inputPerM + 1.5 * outputTokens * M27.outputPerM) / 1e6;
  const yearMs = year.end - year.start;
  const interval = (fullCost * yearMs) / (o.demandFactor * budget);

  const pending: Array<{ at: number; id: number; cost: number }> = [];
  const daySpend = new Map<number, number>();
  let offered = 0;
  let ran = 0;
  let denied = 0;
  let spent = 0;
  const random = seededRandom(42);

  const settleUntil = async (t: number) => {
    pending.sort((a, b) => a.at - b.at);
    while (pending.length > 0 && pending[0].at <= t) {
      const p = pending.shift()!;
      now = p.at;
      governor.settle(p.id, p.cost);
      spent += p.cost;
      const day = Math.floor((now - year.start) / DAY_MS);
      daySpend.set(day, (daySpend.get(day) ?? 0) + p.cost);
      await o.ledger?.append({
        v: 1,
        at: new Date(now).toISOString(),
        workspace: 'sim',
        taskId: `t${p.id}`,
        taskKind: 'fix',
        backend: 'MiniMax',
        model: 'MiniMax-M2.7',
        role: 'background',
        inputTokens,
        cachedInputTokens: Math.round(0.8 * inputTokens),
        cacheWriteTokens: 0,
        outputTokens,
        reasoningTokens: 0,
        costUsd: p.cost,
        costSource: 'price-table',
        outcome: 'proposal',
      });
    }
  };

  for (let t = year.start; t < year.end; t += interval) {
    await settleUntil(t);
    now = t;
    offered++;
    const priority = o.highPriorityEvery && offered % o.highPriorityEvery === 0 ? 'high' : 'normal';
    const r = governor.reserve({ role: 'background', worstCaseUsd: worstCase, priority, local: false });
    if (!r.ok) {
      denied++;
      continue;
    }
    ran++;
    // The real cost: somewhat less than the full task, as replies vary in length.
    pending.push({ at: t + o.taskSeconds * 1000, id: r.id, cost: fullCost * (0.6 + 0.4 * random()) });
  }
  await settleUntil(Number.POSITIVE_INFINITY);

  const perDay = budget / (yearMs / DAY_MS);
  const burst = allowanceAt(year.start, year, budget, settings.burstDays);
  let worstDayOverUsd = Number.NEGATIVE_INFINITY;
  for (const s of daySpend.values()) worstDayOverUsd = Math.max(worstDayOverUsd, s - (perDay + burst));
  return { budgetUsd: budget, spentUsd: spent, offered, ran, denied, worstDayOverUsd, overBudgetUsd: Math.max(0, spent - budget) };
}
