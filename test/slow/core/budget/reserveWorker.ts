/**
 * A child process for the cross-process cap test: one "window" spending against a shared ledger.
 * It tries `attempts` calls of $0.01 worst case (and real cost) under a $0.05 daily cap, each
 * reserved, held a moment, then booked. NIGHTSHIFT_TEST_UNSHARED=1 leaves the sharing out, to
 * show the test can fail.
 */
import { BudgetGovernor, DEFAULT_BUDGET } from '../../../../src/core/budget/BudgetGovernor';
import { SpendAccountant } from '../../../../src/core/budget/SpendAccountant';
import { SpendLedger } from '../../../../src/core/budget/SpendLedger';
import { SharedReservations } from '../../../../src/core/budget/sharedReservations';

async function main(): Promise<void> {
  const [dir, prefix, attemptsArg] = process.argv.slice(2);
  const ledger = new SpendLedger(dir);
  const governor = new BudgetGovernor({ ...DEFAULT_BUDGET, annualUsd: 100_000, dailyCapUsd: 0.05 }, () => Date.now());
  const shared = process.env.NIGHTSHIFT_TEST_UNSHARED === '1' ? undefined : { reservations: new SharedReservations(dir), refresh: async () => governor.loadSpend((await ledger.summarize()).aggregate.days) };
  const accountant = new SpendAccountant(governor, ledger, `/ws/${prefix}`, undefined, shared);
  const usage = { inputTokens: 10, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 10, reasoningTokens: 0, latencyMs: 1, ttftMs: 1, outputTokensPerSecond: null, costUsd: 0.01, costSource: 'price-table' as const };
  for (let i = 0; i < Number(attemptsArg); i++) {
    const r = await accountant.reserve({ role: 'background', worstCaseUsd: 0.01, priority: 'high', local: false });
    if (!r.ok) continue;
    await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20));
    await accountant.record(r.id, usage, { taskId: `${prefix}-${i}`, taskKind: 'fix', backend: 'MiniMax', model: 'MiniMax-M2.7', role: 'background' }, 'proposal');
  }
  await ledger.close();
}

void main();
